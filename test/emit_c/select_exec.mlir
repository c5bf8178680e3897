// simd.select on each ISA and width (zmm and ymm with a mask register on avx512, ymm and
// xmm with vpcmpgtd + vblendvps on avx2, plain C on scalar), lane by lane against C's
// signed <= and <: equal operands, both signs, INT32_MIN / INT32_MAX, and -inf / NaN
// values passed through bit for bit.
// RUN: ck-translate %s -t c -o %t.c
// RUN: cc -O2 -march=native -Wall -Wextra -Werror %t.c %S/Inputs/select_driver.c -o %t.exe
// RUN: %t.exe | filecheck %s

// CHECK: avx512: sle 0 slt 0 wrong lanes of 4096
// CHECK-NEXT: avx512x8: sle 0 slt 0 wrong lanes of 4096
// CHECK-NEXT: avx2: sle 0 slt 0 wrong lanes of 4096
// CHECK-NEXT: avx2x4: sle 0 slt 0 wrong lanes of 4096
// CHECK-NEXT: scalar: sle 0 slt 0 wrong lanes of 4096

func.func @select_avx512(%l: memref<?xi32>, %r: memref<?xi32>, %a: memref<?xf32>, %b: memref<?xf32>, %le: memref<?xf32>, %lt: memref<?xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %step = arith.constant 16 : index
  %n = memref.dim %l, %c0 : memref<?xi32>
  scf.for %i = %c0 to %n step %step {
    %lv = simd.load %l[%i] : memref<?xi32> -> vector<16xi32>
    %rv = simd.load %r[%i] : memref<?xi32> -> vector<16xi32>
    %av = simd.load %a[%i] : memref<?xf32> -> vector<16xf32>
    %bv = simd.load %b[%i] : memref<?xf32> -> vector<16xf32>
    %sle = simd.select sle %lv, %rv, %av, %bv : vector<16xi32>, vector<16xf32>
    simd.store %sle, %le[%i] : vector<16xf32>, memref<?xf32>
    %slt = simd.select slt %lv, %rv, %av, %bv : vector<16xi32>, vector<16xf32>
    simd.store %slt, %lt[%i] : vector<16xf32>, memref<?xf32>
  }
  func.return
}

func.func @select_avx512x8(%l: memref<?xi32>, %r: memref<?xi32>, %a: memref<?xf32>, %b: memref<?xf32>, %le: memref<?xf32>, %lt: memref<?xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %step = arith.constant 8 : index
  %n = memref.dim %l, %c0 : memref<?xi32>
  scf.for %i = %c0 to %n step %step {
    %lv = simd.load %l[%i] : memref<?xi32> -> vector<8xi32>
    %rv = simd.load %r[%i] : memref<?xi32> -> vector<8xi32>
    %av = simd.load %a[%i] : memref<?xf32> -> vector<8xf32>
    %bv = simd.load %b[%i] : memref<?xf32> -> vector<8xf32>
    %sle = simd.select sle %lv, %rv, %av, %bv : vector<8xi32>, vector<8xf32>
    simd.store %sle, %le[%i] : vector<8xf32>, memref<?xf32>
    %slt = simd.select slt %lv, %rv, %av, %bv : vector<8xi32>, vector<8xf32>
    simd.store %slt, %lt[%i] : vector<8xf32>, memref<?xf32>
  }
  func.return
}

func.func @select_avx2(%l: memref<?xi32>, %r: memref<?xi32>, %a: memref<?xf32>, %b: memref<?xf32>, %le: memref<?xf32>, %lt: memref<?xf32>) attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %step = arith.constant 8 : index
  %n = memref.dim %l, %c0 : memref<?xi32>
  scf.for %i = %c0 to %n step %step {
    %lv = simd.load %l[%i] : memref<?xi32> -> vector<8xi32>
    %rv = simd.load %r[%i] : memref<?xi32> -> vector<8xi32>
    %av = simd.load %a[%i] : memref<?xf32> -> vector<8xf32>
    %bv = simd.load %b[%i] : memref<?xf32> -> vector<8xf32>
    %sle = simd.select sle %lv, %rv, %av, %bv : vector<8xi32>, vector<8xf32>
    simd.store %sle, %le[%i] : vector<8xf32>, memref<?xf32>
    %slt = simd.select slt %lv, %rv, %av, %bv : vector<8xi32>, vector<8xf32>
    simd.store %slt, %lt[%i] : vector<8xf32>, memref<?xf32>
  }
  func.return
}

func.func @select_avx2x4(%l: memref<?xi32>, %r: memref<?xi32>, %a: memref<?xf32>, %b: memref<?xf32>, %le: memref<?xf32>, %lt: memref<?xf32>) attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %step = arith.constant 4 : index
  %n = memref.dim %l, %c0 : memref<?xi32>
  scf.for %i = %c0 to %n step %step {
    %lv = simd.load %l[%i] : memref<?xi32> -> vector<4xi32>
    %rv = simd.load %r[%i] : memref<?xi32> -> vector<4xi32>
    %av = simd.load %a[%i] : memref<?xf32> -> vector<4xf32>
    %bv = simd.load %b[%i] : memref<?xf32> -> vector<4xf32>
    %sle = simd.select sle %lv, %rv, %av, %bv : vector<4xi32>, vector<4xf32>
    simd.store %sle, %le[%i] : vector<4xf32>, memref<?xf32>
    %slt = simd.select slt %lv, %rv, %av, %bv : vector<4xi32>, vector<4xf32>
    simd.store %slt, %lt[%i] : vector<4xf32>, memref<?xf32>
  }
  func.return
}

func.func @select_scalar(%l: memref<?xi32>, %r: memref<?xi32>, %a: memref<?xf32>, %b: memref<?xf32>, %le: memref<?xf32>, %lt: memref<?xf32>) attributes {simd.isa = #simd.isa<scalar>} {
  %c0 = arith.constant 0 : index
  %step = arith.constant 1 : index
  %n = memref.dim %l, %c0 : memref<?xi32>
  scf.for %i = %c0 to %n step %step {
    %lv = simd.load %l[%i] : memref<?xi32> -> vector<1xi32>
    %rv = simd.load %r[%i] : memref<?xi32> -> vector<1xi32>
    %av = simd.load %a[%i] : memref<?xf32> -> vector<1xf32>
    %bv = simd.load %b[%i] : memref<?xf32> -> vector<1xf32>
    %sle = simd.select sle %lv, %rv, %av, %bv : vector<1xi32>, vector<1xf32>
    simd.store %sle, %le[%i] : vector<1xf32>, memref<?xf32>
    %slt = simd.select slt %lv, %rv, %av, %bv : vector<1xi32>, vector<1xf32>
    simd.store %slt, %lt[%i] : vector<1xf32>, memref<?xf32>
  }
  func.return
}
