// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @a_lanes(%acc: vector<16xi32>, %a: vector<32xi8>, %b: vector<64xi8>) {
  %r = simd.dot_i8 %acc, %a, %b : vector<16xi32>, vector<32xi8>, vector<64xi8>
  func.return
}
// CHECK: a vector<32xi8> has 32 lanes, expected 4 x 16 = 64 (4 bytes per i32 lane of acc vector<16xi32>)

// -----

func.func @b_lanes(%acc: vector<8xi32>, %a: vector<32xi8>, %b: vector<64xi8>) {
  %r = simd.dot_i8 %acc, %a, %b : vector<8xi32>, vector<32xi8>, vector<64xi8>
  func.return
}
// CHECK: b vector<64xi8> has 64 lanes, expected 4 x 8 = 32 (4 bytes per i32 lane of acc vector<8xi32>)

// -----

func.func @acc_f32(%acc: vector<16xf32>, %a: vector<64xi8>) {
  %r = simd.dot_i8 %acc, %a, %a : vector<16xf32>, vector<64xi8>, vector<64xi8>
  func.return
}
// CHECK: acc has element type f32; simd.dot_i8 supports i32

// -----

func.func @b_i32(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi32>) {
  %r = simd.dot_i8 %acc, %a, %b : vector<16xi32>, vector<64xi8>, vector<64xi32>
  func.return
}
// CHECK: b has element type i32; simd.dot_i8 supports i8

// -----

func.func @result_type(%acc: vector<16xi32>, %a: vector<64xi8>) {
  %r = "simd.dot_i8"(%acc, %a, %a) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<8xi32>
  func.return
}
// CHECK: result has type vector<8xi32>, expected vector<16xi32> (the type of acc)

// -----

func.func @too_wide(%acc: vector<16xi32>, %a: vector<64xi8>) attributes {simd.isa = #simd.isa<avx2>} {
  %r = simd.dot_i8 %acc, %a, %a : vector<16xi32>, vector<64xi8>, vector<64xi8>
  func.return
}
// CHECK: acc vector<16xi32> has 16 lanes, more than the 8 i32 lanes of #simd.isa<avx2> (simd.isa of the enclosing func.func @too_wide)
