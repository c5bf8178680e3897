// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @rhs_mismatch(%a: vector<16xf32>, %b: vector<8xf32>) {
  %r = "simd.add"(%a, %b) : (vector<16xf32>, vector<8xf32>) -> vector<16xf32>
  func.return
}
// CHECK: rhs has type vector<8xf32>, expected vector<16xf32> (the type of lhs)

// -----

func.func @result_mismatch(%a: vector<16xf32>, %b: vector<16xf32>) {
  %r = "simd.max"(%a, %b) : (vector<16xf32>, vector<16xf32>) -> vector<16xi32>
  func.return
}
// CHECK: result has type vector<16xi32>, expected vector<16xf32> (the type of lhs)

// -----

func.func @fma_acc_mismatch(%a: vector<16xf32>, %c: vector<8xf32>) {
  %r = "simd.fma"(%a, %a, %c) : (vector<16xf32>, vector<16xf32>, vector<8xf32>) -> vector<16xf32>
  func.return
}
// CHECK: c has type vector<8xf32>, expected vector<16xf32> (the type of a)

// -----

func.func @sub_f16(%a: vector<32xf16>) {
  %r = simd.sub %a, %a : vector<32xf16>
  func.return
}
// CHECK: lhs has element type f16; simd.sub supports f32, i32

// -----

func.func @mul_i8(%a: vector<64xi8>) {
  %r = simd.mul %a, %a : vector<64xi8>
  func.return
}
// CHECK: lhs has element type i8; simd.mul supports f32, i32

// -----

func.func @fma_i32(%a: vector<16xi32>) {
  %r = simd.fma %a, %a, %a : vector<16xi32>
  func.return
}
// CHECK: a has element type i32; simd.fma supports f32

// -----

func.func @exp_i32(%a: vector<16xi32>) {
  %r = simd.exp %a : vector<16xi32>
  func.return
}
// CHECK: source has element type i32; simd.exp supports f32

// -----

func.func @add_2d(%a: vector<4x4xf32>) {
  %r = simd.add %a, %a : vector<4x4xf32>
  func.return
}
// CHECK: lhs must be a 1-D fixed-width vector, got vector<4x4xf32>

// -----

func.func @fma_too_wide(%a: vector<16xf32>) attributes {simd.isa = #simd.isa<avx2>} {
  %r = simd.fma %a, %a, %a : vector<16xf32>
  func.return
}
// CHECK: a vector<16xf32> has 16 lanes, more than the 8 f32 lanes of #simd.isa<avx2> (simd.isa of the enclosing func.func @fma_too_wide)
