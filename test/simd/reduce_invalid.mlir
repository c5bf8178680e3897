// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @result_type(%v: vector<16xf32>) {
  %r = simd.reduce add %v : vector<16xf32> -> f16
  func.return
}
// CHECK: result type f16 does not match the element type f32 of source vector<16xf32>

// -----

func.func @vector_result(%v: vector<16xf32>) {
  %r = simd.reduce max %v : vector<16xf32> -> vector<16xf32>
  func.return
}
// CHECK: result type vector<16xf32> does not match the element type f32 of source vector<16xf32>

// -----

func.func @f16_source(%v: vector<32xf16>) {
  %r = simd.reduce add %v : vector<32xf16> -> f16
  func.return
}
// CHECK: source has element type f16; simd.reduce supports f32, i32

// -----

func.func @too_wide(%v: vector<32xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %r = simd.reduce add %v : vector<32xf32> -> f32
  func.return
}
// CHECK: source vector<32xf32> has 32 lanes, more than the 16 f32 lanes of #simd.isa<avx512> (simd.isa of the enclosing func.func @too_wide)
