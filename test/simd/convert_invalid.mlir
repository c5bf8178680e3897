// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @lane_count(%v: vector<16xf16>) {
  %r = simd.convert %v : vector<16xf16> -> vector<8xf32>
  func.return
}
// CHECK: result vector<8xf32> has 8 lanes but source vector<16xf16> has 16

// -----

func.func @f16_to_i32(%v: vector<16xf16>) {
  %r = simd.convert %v : vector<16xf16> -> vector<16xi32>
  func.return
}
// CHECK: unsupported conversion f16 -> i32 (source vector<16xf16>, result vector<16xi32>); supported: f16, bf16, i8, i32 <-> f32

// -----

func.func @i8_to_i32(%v: vector<16xi8>) {
  %r = simd.convert %v : vector<16xi8> -> vector<16xi32>
  func.return
}
// CHECK: unsupported conversion i8 -> i32 (source vector<16xi8>, result vector<16xi32>); supported: f16, bf16, i8, i32 <-> f32

// -----

func.func @identity(%v: vector<16xf32>) {
  %r = simd.convert %v : vector<16xf32> -> vector<16xf32>
  func.return
}
// CHECK: unsupported conversion f32 -> f32 (source vector<16xf32>, result vector<16xf32>); supported: f16, bf16, i8, i32 <-> f32

// -----

func.func @f64(%v: vector<8xf64>) {
  %r = simd.convert %v : vector<8xf64> -> vector<8xf32>
  func.return
}
// CHECK: unsupported conversion f64 -> f32 (source vector<8xf64>, result vector<8xf32>); supported: f16, bf16, i8, i32 <-> f32

// -----

func.func @result_2d(%v: vector<16xf16>) {
  %r = simd.convert %v : vector<16xf16> -> vector<4x4xf32>
  func.return
}
// CHECK: result must be a 1-D fixed-width vector, got vector<4x4xf32>

// -----

func.func @too_wide(%v: vector<16xf16>) attributes {simd.isa = #simd.isa<avx2>} {
  %r = simd.convert %v : vector<16xf16> -> vector<16xf32>
  func.return
}
// CHECK: result vector<16xf32> has 16 lanes, more than the 8 f32 lanes of #simd.isa<avx2> (simd.isa of the enclosing func.func @too_wide)
