// simd.nibbles on each ISA, run: every byte value 0..255 split into its low and high half
// (x86 shifts 16-bit lanes and masks, so a high nibble must not leak into the next byte).
// RUN: ck-translate %s -t c -o %t.c
// RUN: cc -O2 -march=native -Wall -Wextra -Werror %t.c %S/Inputs/nibbles_driver.c -o %t.exe
// RUN: %t.exe | filecheck %s

// CHECK:      avx512 ok
// CHECK-NEXT: avx2 ok
// CHECK-NEXT: scalar ok

func.func @split_avx512(%src: memref<256xi8>, %lo: memref<256xi8>, %hi: memref<256xi8>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c256 = arith.constant 256 : index
  scf.for %i = %c0 to %c256 step %c64 {
    %v = simd.load %src[%i] : memref<256xi8> -> vector<64xi8>
    %l = simd.nibbles %v {half = "low"} : vector<64xi8>
    %h = simd.nibbles %v {half = "high"} : vector<64xi8>
    simd.store %l, %lo[%i] : vector<64xi8>, memref<256xi8>
    simd.store %h, %hi[%i] : vector<64xi8>, memref<256xi8>
  }
  func.return
}

func.func @split_avx2(%src: memref<256xi8>, %lo: memref<256xi8>, %hi: memref<256xi8>) attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %c256 = arith.constant 256 : index
  scf.for %i = %c0 to %c256 step %c32 {
    %v = simd.load %src[%i] : memref<256xi8> -> vector<32xi8>
    %l = simd.nibbles %v {half = "low"} : vector<32xi8>
    %h = simd.nibbles %v {half = "high"} : vector<32xi8>
    simd.store %l, %lo[%i] : vector<32xi8>, memref<256xi8>
    simd.store %h, %hi[%i] : vector<32xi8>, memref<256xi8>
  }
  func.return
}

func.func @split_scalar(%src: memref<256xi8>, %lo: memref<256xi8>, %hi: memref<256xi8>) attributes {simd.isa = #simd.isa<scalar>} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c256 = arith.constant 256 : index
  scf.for %i = %c0 to %c256 step %c4 {
    %v = simd.load %src[%i] : memref<256xi8> -> vector<4xi8>
    %l = simd.nibbles %v {half = "low"} : vector<4xi8>
    %h = simd.nibbles %v {half = "high"} : vector<4xi8>
    simd.store %l, %lo[%i] : vector<4xi8>, memref<256xi8>
    simd.store %h, %hi[%i] : vector<4xi8>, memref<256xi8>
  }
  func.return
}
