// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @float_compare(%a: vector<16xf32>, %b: vector<16xf32>) {
  %r = simd.select sle %a, %b, %a, %b : vector<16xf32>, vector<16xf32>
  func.return
}
// CHECK: lhs has element type f32; simd.select supports i32

// -----

func.func @int_values(%a: vector<16xi32>, %b: vector<16xi32>) {
  %r = simd.select sle %a, %b, %a, %b : vector<16xi32>, vector<16xi32>
  func.return
}
// CHECK: on_true has element type i32; simd.select supports f32

// -----

func.func @lanes(%a: vector<8xi32>, %v: vector<16xf32>) {
  %r = simd.select slt %a, %a, %v, %v : vector<8xi32>, vector<16xf32>
  func.return
}
// CHECK: on_true vector<16xf32> has 16 lanes but lhs vector<8xi32> has 8

// -----

func.func @too_wide(%a: vector<16xi32>, %v: vector<16xf32>) attributes {simd.isa = #simd.isa<avx2>} {
  %r = simd.select slt %a, %a, %v, %v : vector<16xi32>, vector<16xf32>
  func.return
}
// CHECK: lhs vector<16xi32> has 16 lanes, more than the 8 i32 lanes of #simd.isa<avx2>

