// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

func.func @splat(%s: f32, %z: i32, %h: f16) attributes {simd.isa = #simd.isa<avx512>} {
  %v = simd.broadcast %s : f32 -> vector<16xf32>
  %c = simd.broadcast %z : i32 -> vector<16xi32>
  %w = simd.broadcast %h : f16 -> vector<32xf16>
  func.return
}

// CHECK-LABEL: func.func @splat
// CHECK-NEXT:    simd.broadcast %s : f32 -> vector<16xf32>
// CHECK-NEXT:    simd.broadcast %z : i32 -> vector<16xi32>
// CHECK-NEXT:    simd.broadcast %h : f16 -> vector<32xf16>

// Group broadcast: the 4 activation bytes of one dot_i8 k-step into all 16
// dword lanes (vpbroadcastd / a {1to16} memory operand).
func.func @group(%act: memref<?xi8>, %k: index) -> vector<64xi8> attributes {simd.isa = #simd.isa<avx512>} {
  %g = simd.load %act[%k] : memref<?xi8> -> vector<4xi8>
  %b = simd.broadcast %g : vector<4xi8> -> vector<64xi8>
  func.return %b : vector<64xi8>
}

// CHECK-LABEL: func.func @group
// CHECK-NEXT:    %[[G:.*]] = simd.load %{{.*}}[%{{.*}}] : memref<?xi8> -> vector<4xi8>
// CHECK-NEXT:    %[[B:.*]] = simd.broadcast %[[G]] : vector<4xi8> -> vector<64xi8>
// CHECK-NEXT:    func.return %[[B]] : vector<64xi8>

// A constant splat from arith.
func.func @zero() -> vector<8xf32> attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0.000000e+00 : f32
  %v = simd.broadcast %c0 : f32 -> vector<8xf32>
  func.return %v : vector<8xf32>
}

// CHECK-LABEL: func.func @zero
// CHECK-NEXT:    %[[C0:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:    simd.broadcast %[[C0]] : f32 -> vector<8xf32>
