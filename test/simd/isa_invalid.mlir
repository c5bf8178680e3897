// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @unknown_isa() attributes {simd.isa = #simd.isa<sse4>} {
  func.return
}
// CHECK: unknown ISA 'sse4' in #simd.isa (valid: avx512, avx2, scalar)

// -----

func.func @neon_not_yet() attributes {simd.isa = #simd.isa<neon>} {
  func.return
}
// CHECK: unknown ISA 'neon' in #simd.isa (valid: avx512, avx2, scalar)

// -----

func.func @isa_as_string(%v: vector<16xf32>) attributes {simd.isa = "avx512"} {
  %r = simd.exp %v : vector<16xf32>
  func.return
}
// CHECK: attribute simd.isa of the enclosing func.func must be a #simd.isa<...>, got "avx512"

// -----

func.func @exp_too_wide(%v: vector<32xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %r = simd.exp %v : vector<32xf32>
  func.return
}
// CHECK: source vector<32xf32> has 32 lanes, more than the 16 f32 lanes of #simd.isa<avx512> (simd.isa of the enclosing func.func @exp_too_wide)

// -----

// The ISA of an enclosing module applies to functions without their own.
builtin.module attributes {simd.isa = #simd.isa<avx2>} {
  func.func @inherits_avx2(%v: vector<16xf32>) {
    %r = simd.add %v, %v : vector<16xf32>
    func.return
  }
}
// CHECK: lhs vector<16xf32> has 16 lanes, more than the 8 f32 lanes of #simd.isa<avx2> (simd.isa of the enclosing builtin.module)

// -----

// Scalar: one 32-bit lane, so two i32 lanes are too many.
func.func @scalar_two_lanes(%v: vector<2xi32>) attributes {simd.isa = #simd.isa<scalar>} {
  %r = simd.max %v, %v : vector<2xi32>
  func.return
}
// CHECK: lhs vector<2xi32> has 2 lanes, more than the 1 i32 lane of #simd.isa<scalar> (simd.isa of the enclosing func.func @scalar_two_lanes)
