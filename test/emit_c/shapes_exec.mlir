// Vector shapes beyond the full register: simd.reduce over zmm/ymm/xmm and
// 2- and 1-lane vectors (f32 add in the documented pairwise-tree order, i32 add
// wrapping, max), group broadcasts (vector<2|4|8|16xi8>, vector<1|2|4|8xf32>
// repeated across a register), sub-128-bit loads/stores, and dense vector
// constants (splat and not), on avx512, avx2 and scalar.
// RUN: ck-translate %s -t c -o %t.c
// RUN: cc -O2 -march=native -Wall -Wextra -Werror %t.c %S/Inputs/shapes_driver.c -o %t.exe -lm
// RUN: %t.exe | filecheck %s

// CHECK:      reduce avx512: add16 tree add8 tree add4 tree add2 tree add1 tree max16 ok | i32 add16 120 max16 2147483647 add8 ok add4 ok max2 ok
// CHECK-NEXT: reduce avx2: add8 tree add4 tree add2 tree max8 ok | i32 add8 ok max8 ok add4 ok
// CHECK-NEXT: reduce scalar: add1 tree max1 ok | i32 add1 ok
// CHECK-NEXT: tree order differs from a left-to-right sum: yes
// CHECK-NEXT: broadcast avx512: i8 groups 4 8 2 16 ok, f32 groups 2 4 8 1 ok
// CHECK-NEXT: broadcast avx2: i8 groups 4 8 2 16 ok, f32 groups 2 4 1 ok
// CHECK-NEXT: broadcast scalar: i8 groups 2 1 ok, scalar i8 ok
// CHECK-NEXT: constants avx512: 2.5 3.5 4.5 17.5 | i32 100 101 115 | f16 0x3E00 0x3E00
// CHECK-NEXT: constants avx2: 2.5 3.5 4.5 9.5 | i32 100 101 107
// CHECK-NEXT: constants scalar: 2.5 | i8 1 2 3 4

func.func @red_avx512(%x: memref<16xf32>, %xi: memref<16xi32>, %out: memref<8xf32>, %outi: memref<8xi32>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %v16 = simd.load %x[%c0] : memref<16xf32> -> vector<16xf32>
  %a16 = simd.reduce add %v16 : vector<16xf32> -> f32
  memref.store %a16, %out[%c0] : memref<8xf32>
  %m16 = simd.reduce max %v16 : vector<16xf32> -> f32
  memref.store %m16, %out[%c1] : memref<8xf32>
  %v8 = simd.load %x[%c0] : memref<16xf32> -> vector<8xf32>
  %a8 = simd.reduce add %v8 : vector<8xf32> -> f32
  memref.store %a8, %out[%c2] : memref<8xf32>
  %v4 = simd.load %x[%c0] : memref<16xf32> -> vector<4xf32>
  %a4 = simd.reduce add %v4 : vector<4xf32> -> f32
  memref.store %a4, %out[%c3] : memref<8xf32>
  %v2 = simd.load %x[%c0] : memref<16xf32> -> vector<2xf32>
  %a2 = simd.reduce add %v2 : vector<2xf32> -> f32
  memref.store %a2, %out[%c4] : memref<8xf32>
  %v1 = simd.load %x[%c0] : memref<16xf32> -> vector<1xf32>
  %a1 = simd.reduce add %v1 : vector<1xf32> -> f32
  memref.store %a1, %out[%c5] : memref<8xf32>
  %i16 = simd.load %xi[%c0] : memref<16xi32> -> vector<16xi32>
  %ia16 = simd.reduce add %i16 : vector<16xi32> -> i32
  memref.store %ia16, %outi[%c0] : memref<8xi32>
  %im16 = simd.reduce max %i16 : vector<16xi32> -> i32
  memref.store %im16, %outi[%c1] : memref<8xi32>
  %i8 = simd.load %xi[%c0] : memref<16xi32> -> vector<8xi32>
  %ia8 = simd.reduce add %i8 : vector<8xi32> -> i32
  memref.store %ia8, %outi[%c2] : memref<8xi32>
  %i4 = simd.load %xi[%c0] : memref<16xi32> -> vector<4xi32>
  %ia4 = simd.reduce add %i4 : vector<4xi32> -> i32
  memref.store %ia4, %outi[%c3] : memref<8xi32>
  %i2 = simd.load %xi[%c0] : memref<16xi32> -> vector<2xi32>
  %im2 = simd.reduce max %i2 : vector<2xi32> -> i32
  memref.store %im2, %outi[%c4] : memref<8xi32>
  func.return
}

func.func @red_avx2(%x: memref<16xf32>, %xi: memref<16xi32>, %out: memref<8xf32>, %outi: memref<8xi32>) attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %v8 = simd.load %x[%c0] : memref<16xf32> -> vector<8xf32>
  %a8 = simd.reduce add %v8 : vector<8xf32> -> f32
  memref.store %a8, %out[%c0] : memref<8xf32>
  %m8 = simd.reduce max %v8 : vector<8xf32> -> f32
  memref.store %m8, %out[%c1] : memref<8xf32>
  %v4 = simd.load %x[%c0] : memref<16xf32> -> vector<4xf32>
  %a4 = simd.reduce add %v4 : vector<4xf32> -> f32
  memref.store %a4, %out[%c2] : memref<8xf32>
  %v2 = simd.load %x[%c0] : memref<16xf32> -> vector<2xf32>
  %a2 = simd.reduce add %v2 : vector<2xf32> -> f32
  memref.store %a2, %out[%c3] : memref<8xf32>
  %i8 = simd.load %xi[%c0] : memref<16xi32> -> vector<8xi32>
  %ia8 = simd.reduce add %i8 : vector<8xi32> -> i32
  memref.store %ia8, %outi[%c0] : memref<8xi32>
  %im8 = simd.reduce max %i8 : vector<8xi32> -> i32
  memref.store %im8, %outi[%c1] : memref<8xi32>
  %i4 = simd.load %xi[%c0] : memref<16xi32> -> vector<4xi32>
  %ia4 = simd.reduce add %i4 : vector<4xi32> -> i32
  memref.store %ia4, %outi[%c2] : memref<8xi32>
  func.return
}

func.func @red_scalar(%x: memref<16xf32>, %xi: memref<16xi32>, %out: memref<8xf32>, %outi: memref<8xi32>) attributes {simd.isa = #simd.isa<scalar>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %v1 = simd.load %x[%c0] : memref<16xf32> -> vector<1xf32>
  %a1 = simd.reduce add %v1 : vector<1xf32> -> f32
  memref.store %a1, %out[%c0] : memref<8xf32>
  %m1 = simd.reduce max %v1 : vector<1xf32> -> f32
  memref.store %m1, %out[%c1] : memref<8xf32>
  %i1 = simd.load %xi[%c0] : memref<16xi32> -> vector<1xi32>
  %ia1 = simd.reduce add %i1 : vector<1xi32> -> i32
  memref.store %ia1, %outi[%c0] : memref<8xi32>
  func.return
}

func.func @bcast_avx512(%q: memref<64xi8>, %f: memref<16xf32>, %oq: memref<4x64xi8>, %of: memref<4x16xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %q4 = simd.load %q[%c0] : memref<64xi8> -> vector<4xi8>
  %b4 = simd.broadcast %q4 : vector<4xi8> -> vector<64xi8>
  simd.store %b4, %oq[%c0, %c0] : vector<64xi8>, memref<4x64xi8>
  %q8 = simd.load %q[%c0] : memref<64xi8> -> vector<8xi8>
  %b8 = simd.broadcast %q8 : vector<8xi8> -> vector<64xi8>
  simd.store %b8, %oq[%c1, %c0] : vector<64xi8>, memref<4x64xi8>
  %q2 = simd.load %q[%c0] : memref<64xi8> -> vector<2xi8>
  %b2 = simd.broadcast %q2 : vector<2xi8> -> vector<64xi8>
  simd.store %b2, %oq[%c2, %c0] : vector<64xi8>, memref<4x64xi8>
  %q16 = simd.load %q[%c0] : memref<64xi8> -> vector<16xi8>
  %b16 = simd.broadcast %q16 : vector<16xi8> -> vector<64xi8>
  simd.store %b16, %oq[%c3, %c0] : vector<64xi8>, memref<4x64xi8>
  %f2 = simd.load %f[%c0] : memref<16xf32> -> vector<2xf32>
  %g2 = simd.broadcast %f2 : vector<2xf32> -> vector<16xf32>
  simd.store %g2, %of[%c0, %c0] : vector<16xf32>, memref<4x16xf32>
  %f4 = simd.load %f[%c0] : memref<16xf32> -> vector<4xf32>
  %g4 = simd.broadcast %f4 : vector<4xf32> -> vector<16xf32>
  simd.store %g4, %of[%c1, %c0] : vector<16xf32>, memref<4x16xf32>
  %f8 = simd.load %f[%c0] : memref<16xf32> -> vector<8xf32>
  %g8 = simd.broadcast %f8 : vector<8xf32> -> vector<16xf32>
  simd.store %g8, %of[%c2, %c0] : vector<16xf32>, memref<4x16xf32>
  %f1 = simd.load %f[%c0] : memref<16xf32> -> vector<1xf32>
  %g1 = simd.broadcast %f1 : vector<1xf32> -> vector<16xf32>
  simd.store %g1, %of[%c3, %c0] : vector<16xf32>, memref<4x16xf32>
  func.return
}

func.func @bcast_avx2(%q: memref<64xi8>, %f: memref<16xf32>, %oq: memref<4x64xi8>, %of: memref<4x16xf32>) attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %q4 = simd.load %q[%c0] : memref<64xi8> -> vector<4xi8>
  %b4 = simd.broadcast %q4 : vector<4xi8> -> vector<32xi8>
  simd.store %b4, %oq[%c0, %c0] : vector<32xi8>, memref<4x64xi8>
  %q8 = simd.load %q[%c0] : memref<64xi8> -> vector<8xi8>
  %b8 = simd.broadcast %q8 : vector<8xi8> -> vector<32xi8>
  simd.store %b8, %oq[%c1, %c0] : vector<32xi8>, memref<4x64xi8>
  %q2 = simd.load %q[%c0] : memref<64xi8> -> vector<2xi8>
  %b2 = simd.broadcast %q2 : vector<2xi8> -> vector<32xi8>
  simd.store %b2, %oq[%c2, %c0] : vector<32xi8>, memref<4x64xi8>
  %q16 = simd.load %q[%c0] : memref<64xi8> -> vector<16xi8>
  %b16 = simd.broadcast %q16 : vector<16xi8> -> vector<32xi8>
  simd.store %b16, %oq[%c3, %c0] : vector<32xi8>, memref<4x64xi8>
  %f2 = simd.load %f[%c0] : memref<16xf32> -> vector<2xf32>
  %g2 = simd.broadcast %f2 : vector<2xf32> -> vector<8xf32>
  simd.store %g2, %of[%c0, %c0] : vector<8xf32>, memref<4x16xf32>
  %f4 = simd.load %f[%c0] : memref<16xf32> -> vector<4xf32>
  %g4 = simd.broadcast %f4 : vector<4xf32> -> vector<8xf32>
  simd.store %g4, %of[%c1, %c0] : vector<8xf32>, memref<4x16xf32>
  %f1 = simd.load %f[%c0] : memref<16xf32> -> vector<1xf32>
  %g1 = simd.broadcast %f1 : vector<1xf32> -> vector<8xf32>
  simd.store %g1, %of[%c3, %c0] : vector<8xf32>, memref<4x16xf32>
  func.return
}

func.func @bcast_scalar(%q: memref<64xi8>, %oq: memref<4x64xi8>, %s: i8) attributes {simd.isa = #simd.isa<scalar>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %q2 = simd.load %q[%c0] : memref<64xi8> -> vector<2xi8>
  %b2 = simd.broadcast %q2 : vector<2xi8> -> vector<4xi8>
  simd.store %b2, %oq[%c0, %c0] : vector<4xi8>, memref<4x64xi8>
  %q1 = simd.load %q[%c0] : memref<64xi8> -> vector<1xi8>
  %b1 = simd.broadcast %q1 : vector<1xi8> -> vector<4xi8>
  simd.store %b1, %oq[%c1, %c0] : vector<4xi8>, memref<4x64xi8>
  %bs = simd.broadcast %s : i8 -> vector<4xi8>
  simd.store %bs, %oq[%c2, %c0] : vector<4xi8>, memref<4x64xi8>
  func.return
}

func.func @const_avx512(%o: memref<16xf32>, %oi: memref<16xi32>, %oh: memref<16xf16>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %ramp = arith.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0]> : vector<16xf32>
  %half = arith.constant dense<2.5> : vector<16xf32>
  %s = simd.add %ramp, %half : vector<16xf32>
  simd.store %s, %o[%c0] : vector<16xf32>, memref<16xf32>
  %iramp = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : vector<16xi32>
  %hundred = arith.constant dense<100> : vector<16xi32>
  %si = simd.add %iramp, %hundred : vector<16xi32>
  simd.store %si, %oi[%c0] : vector<16xi32>, memref<16xi32>
  %h = arith.constant dense<1.5> : vector<16xf16>
  simd.store %h, %oh[%c0] : vector<16xf16>, memref<16xf16>
  func.return
}

func.func @const_avx2(%o: memref<16xf32>, %oi: memref<16xi32>) attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %ramp = arith.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]> : vector<8xf32>
  %half = arith.constant dense<2.5> : vector<8xf32>
  %s = simd.add %ramp, %half : vector<8xf32>
  simd.store %s, %o[%c0] : vector<8xf32>, memref<16xf32>
  %iramp = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7]> : vector<8xi32>
  %hundred = arith.constant dense<100> : vector<8xi32>
  %si = simd.add %iramp, %hundred : vector<8xi32>
  simd.store %si, %oi[%c0] : vector<8xi32>, memref<16xi32>
  func.return
}

func.func @const_scalar(%o: memref<16xf32>, %oq: memref<4xi8>) attributes {simd.isa = #simd.isa<scalar>} {
  %c0 = arith.constant 0 : index
  %half = arith.constant dense<2.5> : vector<1xf32>
  simd.store %half, %o[%c0] : vector<1xf32>, memref<16xf32>
  %q = arith.constant dense<[1, 2, 3, 4]> : vector<4xi8>
  simd.store %q, %oq[%c0] : vector<4xi8>, memref<4xi8>
  func.return
}
