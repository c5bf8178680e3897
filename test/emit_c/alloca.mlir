// memref.alloca with a static shape is a scratch array local to the function: a C array
// on the stack, 64-byte aligned so whole vectors load from it (attention keeps a row of
// scores there).
// RUN: ck-translate %s -t c | filecheck %s
// RUN: ck-translate %s -t c | cc -O3 -march=native -Wall -Wextra -Werror -x c -c - -o /dev/null

func.func @running_max(%x: memref<20xf32>, %out: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c20 = arith.constant 20 : index
  %scratch = memref.alloca() {alignment = 64 : i64} : memref<4x8xf32>
  scf.for %i = %c0 to %c20 step %c1 {
    %v = memref.load %x[%i] : memref<20xf32>
    memref.store %v, %scratch[%c1, %c0] : memref<4x8xf32>
  }
  %last = memref.load %scratch[%c1, %c0] : memref<4x8xf32>
  memref.store %last, %out[%c0] : memref<1xf32>
  func.return
}
// CHECK-LABEL: void running_max(const float *x, float *out) {
// CHECK-NEXT:    float scratch[32] __attribute__((aligned(64)));
// CHECK:           scratch[8] = v;
// CHECK:         float last = scratch[8];
