// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Every supported pair, on avx512 widths (f16/bf16/i8 sources are narrower
// than a zmm, which is allowed).
func.func @to_f32(%h: vector<16xf16>, %b: vector<16xbf16>, %q: vector<16xi8>, %i: vector<16xi32>) attributes {simd.isa = #simd.isa<avx512>} {
  %0 = simd.convert %h : vector<16xf16> -> vector<16xf32>
  %1 = simd.convert %b : vector<16xbf16> -> vector<16xf32>
  %2 = simd.convert %q : vector<16xi8> -> vector<16xf32>
  %3 = simd.convert %i : vector<16xi32> -> vector<16xf32>
  func.return
}

// CHECK-LABEL: func.func @to_f32
// CHECK-NEXT:    simd.convert %h : vector<16xf16> -> vector<16xf32>
// CHECK-NEXT:    simd.convert %b : vector<16xbf16> -> vector<16xf32>
// CHECK-NEXT:    simd.convert %q : vector<16xi8> -> vector<16xf32>
// CHECK-NEXT:    simd.convert %i : vector<16xi32> -> vector<16xf32>

func.func @from_f32(%v: vector<16xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %0 = simd.convert %v : vector<16xf32> -> vector<16xf16>
  %1 = simd.convert %v : vector<16xf32> -> vector<16xbf16>
  %2 = simd.convert %v : vector<16xf32> -> vector<16xi8>
  %3 = simd.convert %v : vector<16xf32> -> vector<16xi32>
  func.return
}

// CHECK-LABEL: func.func @from_f32
// CHECK-NEXT:    simd.convert %v : vector<16xf32> -> vector<16xf16>
// CHECK-NEXT:    simd.convert %v : vector<16xf32> -> vector<16xbf16>
// CHECK-NEXT:    simd.convert %v : vector<16xf32> -> vector<16xi8>
// CHECK-NEXT:    simd.convert %v : vector<16xf32> -> vector<16xi32>

// The Q8_0 row scales: 16 fp16 scales from memory, widened to f32.
func.func @row_scales(%s: memref<?xf16>, %i: index) -> vector<16xf32> attributes {simd.isa = #simd.isa<avx512>} {
  %h = simd.load %s[%i] : memref<?xf16> -> vector<16xf16>
  %f = simd.convert %h {note = "vcvtph2ps"} : vector<16xf16> -> vector<16xf32>
  func.return %f : vector<16xf32>
}

// CHECK-LABEL: func.func @row_scales
// CHECK-NEXT:    %[[H:.*]] = simd.load %s[%i] : memref<?xf16> -> vector<16xf16>
// CHECK-NEXT:    %[[F:.*]] = simd.convert %[[H]] {note = "vcvtph2ps"} : vector<16xf16> -> vector<16xf32>
// CHECK-NEXT:    func.return %[[F]] : vector<16xf32>
