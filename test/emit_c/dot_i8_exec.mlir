// simd.dot_i8 (vpdpbusd: unsigned a x signed b, 4 bytes per i32 lane, wrapping)
// on each ISA against a scalar C reference, with extreme bytes (a = 0, 127, 128,
// 255; b = -128, -1, 0, 127) and accumulators near INT32_MIN / INT32_MAX.
// RUN: ck-translate %s -t c -o %t.c
// RUN: cc -O2 -march=native -Wall -Wextra -Werror %t.c %S/Inputs/dot_i8_driver.c -o %t.exe
// RUN: %t.exe | filecheck %s

// CHECK:      avx512: lane0=-130560 lane1=129540 lane2=-2147354109 lane3=2147353088 mismatches=0 of 1024
// CHECK-NEXT: avx2: lane0=-130560 lane1=129540 lane2=-2147354109 lane3=2147353088 mismatches=0 of 1024
// CHECK-NEXT: scalar: lane0=-130560 lane1=129540 lane2=-2147354109 lane3=2147353088 mismatches=0 of 1024

// out[j] = acc[j] + sum_k<4 zext(a[4j+k]) * sext(b[4j+k]), one register at a time.
func.func @dot_i8_avx512(%acc: memref<?xi32>, %a: memref<?xi8>, %b: memref<?xi8>, %out: memref<?xi32>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %n = memref.dim %acc, %c0 : memref<?xi32>
  scf.for %j = %c0 to %n step %c16 {
    %k = arith.muli %j, %c4 : index
    %av = simd.load %acc[%j] : memref<?xi32> -> vector<16xi32>
    %x = simd.load %a[%k] : memref<?xi8> -> vector<64xi8>
    %y = simd.load %b[%k] : memref<?xi8> -> vector<64xi8>
    %d = simd.dot_i8 %av, %x, %y : vector<16xi32>, vector<64xi8>, vector<64xi8>
    simd.store %d, %out[%j] : vector<16xi32>, memref<?xi32>
  }
  func.return
}

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

func.func @dot_i8_scalar(%acc: memref<?xi32>, %a: memref<?xi8>, %b: memref<?xi8>, %out: memref<?xi32>) attributes {simd.isa = #simd.isa<scalar>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %n = memref.dim %acc, %c0 : memref<?xi32>
  scf.for %j = %c0 to %n step %c1 {
    %k = arith.muli %j, %c4 : index
    %av = simd.load %acc[%j] : memref<?xi32> -> vector<1xi32>
    %x = simd.load %a[%k] : memref<?xi8> -> vector<4xi8>
    %y = simd.load %b[%k] : memref<?xi8> -> vector<4xi8>
    %d = simd.dot_i8 %av, %x, %y : vector<1xi32>, vector<4xi8>, vector<4xi8>
    simd.store %d, %out[%j] : vector<1xi32>, memref<?xi32>
  }
  func.return
}
