// simd.sqrt on each ISA (zmm, xmm on avx512, ymm, and sqrtf on scalar) against libm's sqrtf:
// correctly rounded everywhere, so bit-identical over a sweep of every kind of float
// (zero, subnormals, normals, inf, NaN, negatives), with sqrt(-0) = -0 and sqrt(-1) = NaN.
// RUN: ck-translate %s -t c | filecheck %s --check-prefix=C
// RUN: ck-translate %s -t c -o %t.c
// RUN: cc -O2 -march=native -Wall -Wextra -Werror %t.c %S/Inputs/sqrt_driver.c -o %t.exe -lm
// RUN: %t.exe | filecheck %s

// C-LABEL: void sqrt_avx512(
// C:         __m512 r = _mm512_sqrt_ps(v);
// C-LABEL: void sqrt_avx512x4(
// C:         __m128 r = _mm_sqrt_ps(v);
// C-LABEL: void sqrt_avx2(
// C:         __m256 r = _mm256_sqrt_ps(v);
// C-LABEL: void sqrt_scalar(
// C:         float r = sqrtf(v);

// CHECK:      avx512: 0 of 1048576 differ from sqrtf; sqrt(0)=0 sqrt(-0)=-0 sqrt(inf)=inf sqrt(-inf)=-nan sqrt(nan)=nan sqrt(-1)=-nan sqrt(1)=1 sqrt(2)=1.41421 sqrt(4)=2 sqrt(0.25)=0.5
// CHECK-NEXT: avx512x4: 0 of 1048576 differ from sqrtf; sqrt(0)=0 sqrt(-0)=-0 sqrt(inf)=inf
// CHECK-NEXT: avx2: 0 of 1048576 differ from sqrtf; sqrt(0)=0 sqrt(-0)=-0 sqrt(inf)=inf
// CHECK-NEXT: scalar: 0 of 1048576 differ from sqrtf; sqrt(0)=0 sqrt(-0)=-0 sqrt(inf)=inf

func.func @sqrt_avx512(%x: memref<?xf32>, %y: memref<?xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c16 {
    %v = simd.load %x[%i] : memref<?xf32> -> vector<16xf32>
    %r = simd.sqrt %v : vector<16xf32>
    simd.store %r, %y[%i] : vector<16xf32>, memref<?xf32>
  }
  func.return
}

// 128-bit vectors on avx512 use the xmm instruction.
func.func @sqrt_avx512x4(%x: memref<?xf32>, %y: memref<?xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c4 {
    %v = simd.load %x[%i] : memref<?xf32> -> vector<4xf32>
    %r = simd.sqrt %v : vector<4xf32>
    simd.store %r, %y[%i] : vector<4xf32>, memref<?xf32>
  }
  func.return
}

func.func @sqrt_avx2(%x: memref<?xf32>, %y: memref<?xf32>) attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c8 {
    %v = simd.load %x[%i] : memref<?xf32> -> vector<8xf32>
    %r = simd.sqrt %v : vector<8xf32>
    simd.store %r, %y[%i] : vector<8xf32>, memref<?xf32>
  }
  func.return
}

func.func @sqrt_scalar(%x: memref<?xf32>, %y: memref<?xf32>) attributes {simd.isa = #simd.isa<scalar>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %v = simd.load %x[%i] : memref<?xf32> -> vector<1xf32>
    %r = simd.sqrt %v : vector<1xf32>
    simd.store %r, %y[%i] : vector<1xf32>, memref<?xf32>
  }
  func.return
}
