// An unknown reduction kind is a parse error (the kind is an enum), so this
// test checks ck-opt's failure output instead of --verify-diagnostics.
// RUN: not ck-opt %s 2>&1 | filecheck %s

func.func @min_kind(%v: vector<16xf32>) -> f32 {
  %r = simd.reduce min %v : vector<16xf32> -> f32
  func.return %r : f32
}
// CHECK:      simd.reduce min
// CHECK:      Expected `add`, or `max`.
