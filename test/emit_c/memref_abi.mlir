// The memref C ABI: a pointer to the element type, then one int64_t per dynamic
// dimension (<arg>_d<dim>); `const` unless the function (or a callee it passes
// the pointer to) stores through it; `restrict` only with llvm.noalias. Accesses
// linearize row-major with static sizes and the _d parameters; memref.dim of a
// dynamic dimension is the parameter; calls pass the pointer and its sizes.
// memref_exec.mlir runs these functions.
// RUN: ck-translate %s -t c | filecheck %s
// RUN: ck-translate %s -t c | cc -O3 -march=native -Wall -Wextra -Werror -x c -c - -o /dev/null

// CHECK:      static float row_dot(const float *w, int64_t w_d0, int64_t w_d1, const float *x, int64_t x_d0, int64_t r);
// CHECK-NEXT: static void fill(float *y, int64_t y_d0, float v);

// y = W x, one call per row.
func.func @matvec(%w: memref<?x?xf32>, %x: memref<?xf32>, %y: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  func.call @fill(%y, %zero) : (memref<?xf32>, f32) -> ()
  %rows = memref.dim %w, %c0 : memref<?x?xf32>
  scf.for %r = %c0 to %rows step %c1 {
    %d = func.call @row_dot(%w, %x, %r) : (memref<?x?xf32>, memref<?xf32>, index) -> f32
    memref.store %d, %y[%r] : memref<?xf32>
  }
  func.return
}
// CHECK-LABEL: void matvec(const float *w, int64_t w_d0, int64_t w_d1, const float *x, int64_t x_d0, float *y, int64_t y_d0) {
// CHECK-NEXT:    fill(y, y_d0, 0.0f);
// CHECK-NEXT:    for (int64_t r = 0; r < w_d0; ++r) {
// CHECK-NEXT:      float d = row_dot(w, w_d0, w_d1, x, x_d0, r);
// CHECK-NEXT:      y[r] = d;
// CHECK-NEXT:    }
// CHECK-NEXT:  }

func.func private @row_dot(%w: memref<?x?xf32>, %x: memref<?xf32>, %r: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %n = memref.dim %w, %c1 : memref<?x?xf32>
  %s = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f32) {
    %a = memref.load %w[%r, %k] : memref<?x?xf32>
    %b = memref.load %x[%k] : memref<?xf32>
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %acc, %p : f32
    scf.yield %t : f32
  }
  func.return %s : f32
}
// CHECK-LABEL: static float row_dot(const float *w, int64_t w_d0, int64_t w_d1, const float *x, int64_t x_d0, int64_t r) {
// CHECK-NEXT:    (void)w_d0;
// CHECK-NEXT:    (void)x_d0;
// CHECK-NEXT:    float acc = 0.0f;
// CHECK-NEXT:    for (int64_t k = 0; k < w_d1; ++k) {
// CHECK-NEXT:      float a = w[r * w_d1 + k];
// CHECK-NEXT:      float b = x[k];

func.func private @fill(%y: memref<?xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %y, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    memref.store %v, %y[%i] : memref<?xf32>
  }
  func.return
}
// CHECK-LABEL: static void fill(float *y, int64_t y_d0, float v) {

// Every element type, static and dynamic dimensions mixed, rank 0, noalias.
func.func @layouts(%a: memref<2x?x4xf16>, %s: memref<f32>, %flags: memref<8xi1>, %ix: memref<?xindex>, %d: memref<3xf64>, %g: memref<?xbf16> {llvm.noalias}, %h: memref<5x?xi16>, %l: memref<2xi64>, %i: index, %j: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %v = memref.load %a[%c1, %j, %c3] : memref<2x?x4xf16>
  memref.store %v, %a[%i, %c0, %c0] : memref<2x?x4xf16>
  %vf = arith.extf %v : f16 to f32
  %old = memref.load %s[] : memref<f32>
  %sum = arith.addf %old, %vf : f32
  memref.store %sum, %s[] : memref<f32>
  %flag = memref.load %flags[%i] : memref<8xi1>
  %k = memref.load %ix[%j] : memref<?xindex>
  %dd = memref.load %d[%c2] : memref<3xf64>
  %gg = memref.load %g[%k] : memref<?xbf16>
  %hh = memref.load %h[%c3, %k] : memref<5x?xi16>
  %ll = memref.load %l[%c1] : memref<2xi64>
  memref.store %flag, %flags[%c0] : memref<8xi1>
  %n1 = memref.dim %a, %c1 : memref<2x?x4xf16>
  %n2 = memref.dim %a, %c2 : memref<2x?x4xf16>
  %n = arith.addi %n1, %n2 : index
  memref.store %n, %ix[%c0] : memref<?xindex>
  %df = arith.truncf %dd : f64 to f32
  %gf = arith.extf %gg : bf16 to f32
  %hi = arith.extsi %hh : i16 to i64
  %hl = arith.addi %hi, %ll : i64
  %hf = arith.sitofp %hl : i64 to f32
  %r0 = arith.addf %sum, %df : f32
  %r1 = arith.addf %r0, %gf : f32
  %r2 = arith.addf %r1, %hf : f32
  func.return %r2 : f32
}
// CHECK-LABEL: float layouts(_Float16 *a, int64_t a_d1, float *s, bool *flags, int64_t *ix, int64_t ix_d0, const double *d, const uint16_t *restrict g, int64_t g_d0, const int16_t *h, int64_t h_d1, const int64_t *l, int64_t i, int64_t j) {
// CHECK-NEXT:    (void)ix_d0;
// CHECK-NEXT:    (void)g_d0;
// CHECK-NEXT:    _Float16 v = a[(a_d1 + j) * 4 + 3];
// CHECK-NEXT:    a[i * a_d1 * 4] = v;
// CHECK-NEXT:    float vf = (float)v;
// CHECK-NEXT:    float old = s[0];
// CHECK-NEXT:    float sum = old + vf;
// CHECK-NEXT:    s[0] = sum;
// CHECK-NEXT:    bool flag = flags[i];
// CHECK-NEXT:    int64_t k = ix[j];
// CHECK-NEXT:    double dd = d[2];
// CHECK-NEXT:    uint16_t gg = g[k];
// CHECK-NEXT:    int16_t hh = h[3 * h_d1 + k];
// CHECK-NEXT:    int64_t ll = l[1];
// CHECK-NEXT:    flags[0] = flag;
// CHECK-NEXT:    int64_t n = a_d1 + 4;
// CHECK-NEXT:    ix[0] = n;
