// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// The square root per lane, at every ISA's width: AdamW's sqrt(v / (1 - beta2^step)).
func.func @sqrt_avx512(%v: vector<16xf32>) -> vector<16xf32> attributes {simd.isa = #simd.isa<avx512>} {
  %r = simd.sqrt %v : vector<16xf32>
  func.return %r : vector<16xf32>
}

// CHECK-LABEL: func.func @sqrt_avx512
// CHECK-NEXT:    %[[R:.*]] = simd.sqrt %v : vector<16xf32>
// CHECK-NEXT:    func.return %[[R]] : vector<16xf32>

func.func @sqrt_avx2(%v: vector<8xf32>) -> vector<8xf32> attributes {simd.isa = #simd.isa<avx2>} {
  %r = simd.sqrt %v {note = "denominator"} : vector<8xf32>
  func.return %r : vector<8xf32>
}

// CHECK-LABEL: func.func @sqrt_avx2
// CHECK-NEXT:    simd.sqrt %v {note = "denominator"} : vector<8xf32>

func.func @sqrt_scalar(%v: vector<1xf32>) -> vector<1xf32> attributes {simd.isa = #simd.isa<scalar>} {
  %r = simd.sqrt %v : vector<1xf32>
  func.return %r : vector<1xf32>
}

// CHECK-LABEL: func.func @sqrt_scalar
// CHECK-NEXT:    simd.sqrt %v : vector<1xf32>
