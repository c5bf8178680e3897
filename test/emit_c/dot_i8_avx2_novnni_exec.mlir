// The avx2 dot_i8 helper built for a CPU without any VNNI (-march=haswell), so
// its exact widening sequence runs (u8/s8 -> i16, vpmaddwd, vphaddd, add), not
// vpdpbusd; checked against the scalar reference like dot_i8_exec.mlir.
// RUN: ck-translate %s -t c -o %t.c
// RUN: filecheck %s --check-prefix=SRC < %t.c
// RUN: cc -O2 -march=haswell -Wall -Wextra -Werror -DONLY_AVX2 %t.c %S/Inputs/dot_i8_driver.c -o %t.exe
// RUN: %t.exe | filecheck %s

// SRC:      static inline __m256i ck_dpbusd_avx2_x8(__m256i acc, __m256i a, __m256i b) {
// SRC:      #else
// SRC-NOT:  _maddubs
// SRC:        _mm256_madd_epi16(a_lo, b_lo)
// SRC:        return _mm256_add_epi32(acc, _mm256_hadd_epi32(p_lo, p_hi));
// SRC-NEXT: #endif
// SRC:      __m256i d = ck_dpbusd_avx2_x8(av, x, y);

// CHECK:     avx2: lane0=-130560 lane1=129540 lane2=-2147354109 lane3=2147353088 mismatches=0 of 1024
// CHECK-NOT: avx512

func.func @dot_i8_avx2(%acc: memref<?xi32>, %a: memref<?xi8>, %b: memref<?xi8>, %out: memref<?xi32>) attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %n = memref.dim %acc, %c0 : memref<?xi32>
  scf.for %j = %c0 to %n step %c8 {
    %k = arith.muli %j, %c4 : index
    %av = simd.load %acc[%j] : memref<?xi32> -> vector<8xi32>
    %x = simd.load %a[%k] : memref<?xi8> -> vector<32xi8>
    %y = simd.load %b[%k] : memref<?xi8> -> vector<32xi8>
    %d = simd.dot_i8 %av, %x, %y : vector<8xi32>, vector<32xi8>, vector<32xi8>
    simd.store %d, %out[%j] : vector<8xi32>, memref<?xi32>
  }
  func.return
}
