// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @not_bytes(%v: vector<16xi32>) {
  %r = simd.nibbles %v {half = "low"} : vector<16xi32>
  func.return
}
// CHECK: source has element type i32; simd.nibbles supports i8

// -----

func.func @bad_half(%v: vector<64xi8>) {
  %r = simd.nibbles %v {half = "middle"} : vector<64xi8>
  func.return
}
// CHECK: half must be one of low, high, got 'middle'

// -----

func.func @too_wide(%v: vector<64xi8>) attributes {simd.isa = #simd.isa<avx2>} {
  %r = simd.nibbles %v {half = "low"} : vector<64xi8>
  func.return
}
// CHECK: source vector<64xi8> has 64 lanes, more than the 32 i8 lanes of #simd.isa<avx2>
