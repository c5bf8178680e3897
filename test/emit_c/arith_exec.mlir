// Scalar arith semantics at run time: wrapping i32/i64, unsigned division and
// shifts, floor/ceil division, i1 extension, ordered/unordered float compares
// with NaN, maximumf/minimumf (NaN and signed zeros), bf16 rounding, casts.
// RUN: ck-translate %s -t c -o %t.c
// RUN: cc -O2 -march=native -Wall -Wextra -Werror %t.c %S/Inputs/arith_driver.c -o %t.exe -lm
// RUN: %t.exe | filecheck %s

// CHECK:      add_wrap(2147483647, 1) = -2147483648
// CHECK-NEXT: mul_wrap64(4611686018427387904, 4) = 0
// CHECK-NEXT: floordiv: -7/2=-4 7/-2=-4 7/2=3 -8/2=-4
// CHECK-NEXT: ceildiv: -7/2=-3 7/2=4 7/-2=-3 8/2=4
// CHECK-NEXT: divui(-1, 2) = 2147483647 remui(-1, 10) = 5 shrui(-1, 28) = 15 shrsi(-16, 2) = -4 minui(-1, 1) = 1 maxui(-1, 1) = -1
// CHECK-NEXT: shli(i8 -127 << 1) = 2 extsi(i8 -1) = -1 extui(i8 -1) = 255 trunci(0x1234567890) = 0x34567890
// CHECK-NEXT: i1: extui(true) = 1 extsi(true) = -1 cmpi slt(true, false) = 1 cmpi ult(true, false) = 0
// cmpf predicates in order: false oeq ogt oge olt ole one ord ueq ugt uge ult ule une uno true
// CHECK-NEXT: cmpf(nan, 1) = 0000000011111111
// CHECK-NEXT: cmpf(2, 1) = 0011001101100101
// CHECK-NEXT: cmpf(1, 1) = 0101010110101001
// CHECK-NEXT: cmpf(-inf, inf) = 0000111100011101
// CHECK-NEXT: maximumf(nan, 1) = nan minimumf(1, nan) = nan maximumf(-0, 0) = 0 minimumf(0, -0) = -0 maximumf(-3, 2) = 2
// CHECK-NEXT: bf16: 1.00390625 * 1 -> 0x3F80, 1.01171875 -> 0x3F82, -x -> 0xBF82
// CHECK-NEXT: casts: sitofp(-1) = -1 uitofp(-1) = 4294967296 fptosi(-2.75) = -2 bitcast(1.0) = 0x3F800000 f16(0.1) = 0.0999755859
// CHECK-NEXT: select/index: 42 -42 77

func.func @add_wrap(%a: i32, %b: i32) -> i32 {
  %r = arith.addi %a, %b : i32
  func.return %r : i32
}
func.func @mul_wrap64(%a: i64, %b: i64) -> i64 {
  %r = arith.muli %a, %b : i64
  func.return %r : i64
}
func.func @floordiv(%a: i32, %b: i32) -> i32 {
  %r = arith.floordivsi %a, %b : i32
  func.return %r : i32
}
func.func @ceildiv(%a: index, %b: index) -> index {
  %r = arith.ceildivsi %a, %b : index
  func.return %r : index
}
func.func @unsigned_ops(%a: i32, %out: memref<6xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %i1 = arith.constant 1 : i32
  %i2 = arith.constant 2 : i32
  %i10 = arith.constant 10 : i32
  %i28 = arith.constant 28 : i32
  %m16 = arith.constant -16 : i32
  %d = arith.divui %a, %i2 : i32
  memref.store %d, %out[%c0] : memref<6xi32>
  %r = arith.remui %a, %i10 : i32
  memref.store %r, %out[%c1] : memref<6xi32>
  %s = arith.shrui %a, %i28 : i32
  memref.store %s, %out[%c2] : memref<6xi32>
  %t = arith.shrsi %m16, %i2 : i32
  memref.store %t, %out[%c3] : memref<6xi32>
  %mn = arith.minui %a, %i1 : i32
  memref.store %mn, %out[%c4] : memref<6xi32>
  %mx = arith.maxui %a, %i1 : i32
  memref.store %mx, %out[%c5] : memref<6xi32>
  func.return
}
func.func @small_ints(%q: i8, %big: i64, %out: memref<4xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %one = arith.constant 1 : i8
  %sh = arith.shli %q, %one : i8
  %shw = arith.extsi %sh : i8 to i32
  memref.store %shw, %out[%c0] : memref<4xi32>
  %m1 = arith.constant 255 : i8
  %s = arith.extsi %m1 : i8 to i32
  memref.store %s, %out[%c1] : memref<4xi32>
  %u = arith.extui %m1 : i8 to i32
  memref.store %u, %out[%c2] : memref<4xi32>
  %t = arith.trunci %big : i64 to i32
  memref.store %t, %out[%c3] : memref<4xi32>
  func.return
}
func.func @bools(%out: memref<4xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %t = arith.constant true
  %f = arith.constant false
  %u = arith.extui %t : i1 to i32
  memref.store %u, %out[%c0] : memref<4xi32>
  %s = arith.extsi %t : i1 to i32
  memref.store %s, %out[%c1] : memref<4xi32>
  %lt = arith.cmpi slt, %t, %f : i1
  %ltw = arith.extui %lt : i1 to i32
  memref.store %ltw, %out[%c2] : memref<4xi32>
  %ult = arith.cmpi ult, %t, %f : i1
  %ultw = arith.extui %ult : i1 to i32
  memref.store %ultw, %out[%c3] : memref<4xi32>
  func.return
}
func.func @cmpf_all(%a: f32, %b: f32, %out: memref<16xi8>) {
  %c0 = arith.constant 0 : index
  %p0 = arith.cmpf false, %a, %b : f32
  %w0 = arith.extui %p0 : i1 to i8
  memref.store %w0, %out[%c0] : memref<16xi8>
  %c1 = arith.constant 1 : index
  %p1 = arith.cmpf oeq, %a, %b : f32
  %w1 = arith.extui %p1 : i1 to i8
  memref.store %w1, %out[%c1] : memref<16xi8>
  %c2 = arith.constant 2 : index
  %p2 = arith.cmpf ogt, %a, %b : f32
  %w2 = arith.extui %p2 : i1 to i8
  memref.store %w2, %out[%c2] : memref<16xi8>
  %c3 = arith.constant 3 : index
  %p3 = arith.cmpf oge, %a, %b : f32
  %w3 = arith.extui %p3 : i1 to i8
  memref.store %w3, %out[%c3] : memref<16xi8>
  %c4 = arith.constant 4 : index
  %p4 = arith.cmpf olt, %a, %b : f32
  %w4 = arith.extui %p4 : i1 to i8
  memref.store %w4, %out[%c4] : memref<16xi8>
  %c5 = arith.constant 5 : index
  %p5 = arith.cmpf ole, %a, %b : f32
  %w5 = arith.extui %p5 : i1 to i8
  memref.store %w5, %out[%c5] : memref<16xi8>
  %c6 = arith.constant 6 : index
  %p6 = arith.cmpf one, %a, %b : f32
  %w6 = arith.extui %p6 : i1 to i8
  memref.store %w6, %out[%c6] : memref<16xi8>
  %c7 = arith.constant 7 : index
  %p7 = arith.cmpf ord, %a, %b : f32
  %w7 = arith.extui %p7 : i1 to i8
  memref.store %w7, %out[%c7] : memref<16xi8>
  %c8 = arith.constant 8 : index
  %p8 = arith.cmpf ueq, %a, %b : f32
  %w8 = arith.extui %p8 : i1 to i8
  memref.store %w8, %out[%c8] : memref<16xi8>
  %c9 = arith.constant 9 : index
  %p9 = arith.cmpf ugt, %a, %b : f32
  %w9 = arith.extui %p9 : i1 to i8
  memref.store %w9, %out[%c9] : memref<16xi8>
  %c10 = arith.constant 10 : index
  %p10 = arith.cmpf uge, %a, %b : f32
  %w10 = arith.extui %p10 : i1 to i8
  memref.store %w10, %out[%c10] : memref<16xi8>
  %c11 = arith.constant 11 : index
  %p11 = arith.cmpf ult, %a, %b : f32
  %w11 = arith.extui %p11 : i1 to i8
  memref.store %w11, %out[%c11] : memref<16xi8>
  %c12 = arith.constant 12 : index
  %p12 = arith.cmpf ule, %a, %b : f32
  %w12 = arith.extui %p12 : i1 to i8
  memref.store %w12, %out[%c12] : memref<16xi8>
  %c13 = arith.constant 13 : index
  %p13 = arith.cmpf une, %a, %b : f32
  %w13 = arith.extui %p13 : i1 to i8
  memref.store %w13, %out[%c13] : memref<16xi8>
  %c14 = arith.constant 14 : index
  %p14 = arith.cmpf uno, %a, %b : f32
  %w14 = arith.extui %p14 : i1 to i8
  memref.store %w14, %out[%c14] : memref<16xi8>
  %c15 = arith.constant 15 : index
  %p15 = arith.cmpf true, %a, %b : f32
  %w15 = arith.extui %p15 : i1 to i8
  memref.store %w15, %out[%c15] : memref<16xi8>
  func.return
}
func.func @maxmin(%a: f32, %b: f32, %which: i1) -> f32 {
  %r = scf.if %which -> (f32) {
    %m = arith.maximumf %a, %b : f32
    scf.yield %m : f32
  } else {
    %m = arith.minimumf %a, %b : f32
    scf.yield %m : f32
  }
  func.return %r : f32
}
func.func @bf16_mul(%a: bf16, %b: bf16) -> bf16 {
  %r = arith.mulf %a, %b : bf16
  func.return %r : bf16
}
func.func @bf16_round(%a: f32) -> bf16 {
  %r = arith.truncf %a : f32 to bf16
  func.return %r : bf16
}
func.func @bf16_neg(%a: bf16) -> bf16 {
  %r = arith.negf %a : bf16
  func.return %r : bf16
}
func.func @casts(%i: i32, %f: f32, %out: memref<5xf32>, %bits: memref<1xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %s = arith.sitofp %i : i32 to f32
  memref.store %s, %out[%c0] : memref<5xf32>
  %u = arith.uitofp %i : i32 to f32
  memref.store %u, %out[%c1] : memref<5xf32>
  %t = arith.fptosi %f : f32 to i32
  %tf = arith.sitofp %t : i32 to f32
  memref.store %tf, %out[%c2] : memref<5xf32>
  %one = arith.constant 1.0 : f32
  %b = arith.bitcast %one : f32 to i32
  memref.store %b, %bits[%c0] : memref<1xi32>
  %h = arith.constant 0.1 : f16
  %hf = arith.extf %h : f16 to f32
  memref.store %hf, %out[%c3] : memref<5xf32>
  func.return
}
func.func @select_index(%p: i1, %x: index) -> i64 {
  %c42 = arith.constant 42 : index
  %m = arith.constant -42 : index
  %s = arith.select %p, %c42, %m : index
  %sum = arith.addi %s, %x : index
  %r = arith.index_cast %sum : index to i64
  func.return %r : i64
}
