// simd.exp on each ISA (zmm, ymm, xmm and scalar helpers) against libm expf:
// within 2e-7 relative over [-87, 88], -inf -> 0, +inf -> +inf, NaN -> NaN,
// overflow -> +inf, and bit-identical results on every ISA and width.
// RUN: ck-translate %s -t c -o %t.c
// RUN: cc -O2 -march=native -Wall -Wextra -Werror %t.c %S/Inputs/exp_driver.c -o %t.exe -lm
// RUN: %t.exe | filecheck %s

// CHECK:      avx512: max rel err vs expf over [-87, 88] below 2e-7: yes
// CHECK-NEXT: avx512: exp(-inf)=0 exp(inf)=inf exp(nan)=nan exp(0)=1 exp(-0)=1 exp(89)=inf exp(88.7)=3.32597686e+38 exp(-100)=3.78350585e-44 exp(-104)=0
// CHECK-NEXT: avx512x4: max rel err vs expf over [-87, 88] below 2e-7: yes
// CHECK-NEXT: avx512x4: exp(-inf)=0 exp(inf)=inf exp(nan)=nan exp(0)=1 exp(-0)=1 exp(89)=inf exp(88.7)=3.32597686e+38 exp(-100)=3.78350585e-44 exp(-104)=0
// CHECK-NEXT: avx2: max rel err vs expf over [-87, 88] below 2e-7: yes
// CHECK-NEXT: avx2: exp(-inf)=0 exp(inf)=inf exp(nan)=nan exp(0)=1 exp(-0)=1 exp(89)=inf exp(88.7)=3.32597686e+38 exp(-100)=3.78350585e-44 exp(-104)=0
// CHECK-NEXT: scalar: max rel err vs expf over [-87, 88] below 2e-7: yes
// CHECK-NEXT: scalar: exp(-inf)=0 exp(inf)=inf exp(nan)=nan exp(0)=1 exp(-0)=1 exp(89)=inf exp(88.7)=3.32597686e+38 exp(-100)=3.78350585e-44 exp(-104)=0
// CHECK-NEXT: bit-identical across ISAs: yes

func.func @exp_avx512(%x: memref<?xf32>, %y: memref<?xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c16 {
    %v = simd.load %x[%i] : memref<?xf32> -> vector<16xf32>
    %e = simd.exp %v : vector<16xf32>
    simd.store %e, %y[%i] : vector<16xf32>, memref<?xf32>
  }
  func.return
}

// 128-bit vectors on avx512 use the xmm helper.
func.func @exp_avx512x4(%x: memref<?xf32>, %y: memref<?xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c4 {
    %v = simd.load %x[%i] : memref<?xf32> -> vector<4xf32>
    %e = simd.exp %v : vector<4xf32>
    simd.store %e, %y[%i] : vector<4xf32>, memref<?xf32>
  }
  func.return
}

func.func @exp_avx2(%x: memref<?xf32>, %y: memref<?xf32>) attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c8 {
    %v = simd.load %x[%i] : memref<?xf32> -> vector<8xf32>
    %e = simd.exp %v : vector<8xf32>
    simd.store %e, %y[%i] : vector<8xf32>, memref<?xf32>
  }
  func.return
}

func.func @exp_scalar(%x: memref<?xf32>, %y: memref<?xf32>) attributes {simd.isa = #simd.isa<scalar>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %v = simd.load %x[%i] : memref<?xf32> -> vector<1xf32>
    %e = simd.exp %v : vector<1xf32>
    simd.store %e, %y[%i] : vector<1xf32>, memref<?xf32>
  }
  func.return
}
