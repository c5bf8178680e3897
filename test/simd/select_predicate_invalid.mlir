// An unknown predicate is a parse error, so this test checks ck-opt's failure output
// instead of --verify-diagnostics.
// RUN: not ck-opt %s 2>&1 | filecheck %s

func.func @predicate(%a: vector<16xi32>, %v: vector<16xf32>) {
  %r = simd.select ge %a, %a, %v, %v : vector<16xi32>, vector<16xf32>
  func.return
}
// CHECK: unknown simd.select predicate 'ge' (choose from slt, sle)
