// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @sqrt_i32(%a: vector<16xi32>) {
  %r = simd.sqrt %a : vector<16xi32>
  func.return
}
// CHECK: source has element type i32; simd.sqrt supports f32

// -----

func.func @sqrt_too_wide(%a: vector<16xf32>) attributes {simd.isa = #simd.isa<avx2>} {
  %r = simd.sqrt %a : vector<16xf32>
  func.return
}
// CHECK: source vector<16xf32> has 16 lanes, more than the 8 f32 lanes of #simd.isa<avx2>

// -----

func.func @sqrt_result_type(%a: vector<16xf32>) {
  %r = "simd.sqrt"(%a) : (vector<16xf32>) -> vector<8xf32>
  func.return
}
// CHECK: result has type vector<8xf32>, expected vector<16xf32> (the type of source)
