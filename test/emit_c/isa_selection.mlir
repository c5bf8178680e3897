// Which ISA a function's simd ops use: its own simd.isa, else the nearest
// enclosing op's (here the module's), else the target option `isa`.
// RUN: ck-translate %s -t c | filecheck %s
// RUN: ck-translate %s -t c | cc -O3 -march=native -Wall -Wextra -Werror -x c -c - -o /dev/null
// RUN: ck-translate %s -t c --split-input-file | filecheck %s --check-prefix=SPLIT
// RUN: ck-translate %S/Inputs/no_isa.mlir -t 'c{isa=avx2}' | filecheck %s --check-prefix=OPT
// RUN: ck-translate %S/Inputs/no_isa.mlir -t 'c{isa=scalar}' | filecheck %s --check-prefix=OPT-SCALAR

// CHECK: Functions: from_module [avx2], own_attr [avx512].

module attributes {simd.isa = #simd.isa<avx2>} {
  func.func @from_module(%p: memref<8xf32>) -> f32 {
    %c0 = arith.constant 0 : index
    %v = simd.load %p[%c0] : memref<8xf32> -> vector<8xf32>
    %r = simd.reduce add %v : vector<8xf32> -> f32
    func.return %r : f32
  }
  func.func @own_attr(%p: memref<16xf32>) -> f32 attributes {simd.isa = #simd.isa<avx512>} {
    %c0 = arith.constant 0 : index
    %v = simd.load %p[%c0] : memref<16xf32> -> vector<16xf32>
    %r = simd.reduce add %v : vector<16xf32> -> f32
    func.return %r : f32
  }
}
// CHECK-LABEL: float from_module(const float *p) {
// CHECK-NEXT:    __m256 v = _mm256_loadu_ps(&p[0]);
// CHECK-NEXT:    float r = ck_reduce_add_f32x8(v);
// CHECK-LABEL: float own_attr(const float *p) {
// CHECK-NEXT:    __m512 v = _mm512_loadu_ps(&p[0]);
// CHECK-NEXT:    float r = ck_reduce_add_f32x16(v);

// SPLIT-NOT: -----

// OPT:      Functions: plain [avx2].
// OPT:      __m128 plain(__m128 a, __m128 b) {
// OPT-NEXT:   __m128 s = _mm_add_ps(a, b);

// OPT-SCALAR:      float plain(float a, float b) {
// OPT-SCALAR-NEXT:   float s = a + b;
