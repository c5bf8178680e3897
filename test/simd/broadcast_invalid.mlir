// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @element_mismatch(%s: f16) {
  %v = simd.broadcast %s : f16 -> vector<16xf32>
  func.return
}
// CHECK: source element type f16 does not match the element type f32 of result vector<16xf32>

// -----

func.func @group_element_mismatch(%g: vector<4xi8>) {
  %v = simd.broadcast %g : vector<4xi8> -> vector<16xi32>
  func.return
}
// CHECK: source element type i8 does not match the element type i32 of result vector<16xi32>

// -----

func.func @group_not_dividing(%g: vector<3xi8>) {
  %v = simd.broadcast %g : vector<3xi8> -> vector<64xi8>
  func.return
}
// CHECK: source vector<3xi8> has 3 lanes, which does not divide the 64 lanes of result vector<64xi8>

// -----

func.func @group_2d(%g: vector<2x2xi8>) {
  %v = simd.broadcast %g : vector<2x2xi8> -> vector<64xi8>
  func.return
}
// CHECK: source must be a 1-D fixed-width vector, got vector<2x2xi8>

// -----

func.func @index_source(%i: index) {
  %v = simd.broadcast %i : index -> vector<8xindex>
  func.return
}
// CHECK: result has element type index; simd.broadcast supports f32, f16, bf16, i32, i8

// -----

func.func @too_wide(%s: f32) attributes {simd.isa = #simd.isa<scalar>} {
  %v = simd.broadcast %s : f32 -> vector<4xf32>
  func.return
}
// CHECK: result vector<4xf32> has 4 lanes, more than the 1 f32 lane of #simd.isa<scalar> (simd.isa of the enclosing func.func @too_wide)
