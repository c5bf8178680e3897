// simd.convert, every supported pair, on each ISA (zmm/ymm/xmm/scalar widths),
// checked lane by lane against C references: all 65536 f16 and bf16 bit patterns
// (widen exactly, round-trip exactly, NaN stays NaN), and 65536 f32 inputs
// (random bits, denormals, ties, out-of-range) narrowed to f16 / bf16 (round to
// nearest even), i8 (round to nearest even, saturate, NaN -> -128) and i32
// (round to nearest even; NaN / out of range -> INT32_MIN, as vcvtps2dq).
// RUN: ck-translate %s -t c -o %t.c
// RUN: cc -O2 -march=native -Wall -Wextra -Werror %t.c %S/Inputs/convert_driver.c -o %t.exe -lm
// RUN: %t.exe | filecheck %s

// CHECK: avx512: f16->f32 0 f16 round trip 0 bf16->f32 0 bf16 round trip 0 f32->f16 0 f32->bf16 0 f32->i8 0 f32->i32 0 i32->f32 0 i8->f32 0 bad lanes
// CHECK-NEXT: avx512: 2.5->2 -2.5->-2 3.5->4 127.5->127 -128.5->-128 1e10->127 nan->-128 | i32: 2.5->2 -3.5->-4 nan->-2147483648 3e9->-2147483648 | bf16(1+2^-8)=0x3F80 bf16(1+3*2^-8)=0x3F82
// CHECK-NEXT: avx512x4: f16->f32 0 f16 round trip 0 bf16->f32 0 bf16 round trip 0 f32->f16 0 f32->bf16 0 f32->i8 0 f32->i32 0 i32->f32 0 i8->f32 0 bad lanes
// CHECK-NEXT: avx512x4: 2.5->2 -2.5->-2 3.5->4 127.5->127 -128.5->-128 1e10->127 nan->-128 | i32: 2.5->2 -3.5->-4 nan->-2147483648 3e9->-2147483648 | bf16(1+2^-8)=0x3F80 bf16(1+3*2^-8)=0x3F82
// CHECK-NEXT: avx2: f16->f32 0 f16 round trip 0 bf16->f32 0 bf16 round trip 0 f32->f16 0 f32->bf16 0 f32->i8 0 f32->i32 0 i32->f32 0 i8->f32 0 bad lanes
// CHECK-NEXT: avx2: 2.5->2 -2.5->-2 3.5->4 127.5->127 -128.5->-128 1e10->127 nan->-128 | i32: 2.5->2 -3.5->-4 nan->-2147483648 3e9->-2147483648 | bf16(1+2^-8)=0x3F80 bf16(1+3*2^-8)=0x3F82
// CHECK-NEXT: scalar: f16->f32 0 f16 round trip 0 bf16->f32 0 bf16 round trip 0 f32->f16 0 f32->bf16 0 f32->i8 0 f32->i32 0 i32->f32 0 i8->f32 0 bad lanes
// CHECK-NEXT: scalar: 2.5->2 -2.5->-2 3.5->4 127.5->127 -128.5->-128 1e10->127 nan->-128 | i32: 2.5->2 -3.5->-4 nan->-2147483648 3e9->-2147483648 | bf16(1+2^-8)=0x3F80 bf16(1+3*2^-8)=0x3F82

func.func @cvt_avx512(%h: memref<65536xf16>, %hf: memref<65536xf32>, %hh: memref<65536xf16>, %b: memref<65536xbf16>, %bf: memref<65536xf32>, %bb: memref<65536xbf16>, %f: memref<65536xf32>, %fh: memref<65536xf16>, %fb: memref<65536xbf16>, %fq: memref<65536xi8>, %fi: memref<65536xi32>, %fif: memref<65536xf32>, %q: memref<65536xi8>, %qf: memref<65536xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %step = arith.constant 16 : index
  %n = arith.constant 65536 : index
  scf.for %i = %c0 to %n step %step {
    %hv = simd.load %h[%i] : memref<65536xf16> -> vector<16xf16>
    %hv32 = simd.convert %hv : vector<16xf16> -> vector<16xf32>
    simd.store %hv32, %hf[%i] : vector<16xf32>, memref<65536xf32>
    %hv16 = simd.convert %hv32 : vector<16xf32> -> vector<16xf16>
    simd.store %hv16, %hh[%i] : vector<16xf16>, memref<65536xf16>
    %bv = simd.load %b[%i] : memref<65536xbf16> -> vector<16xbf16>
    %bv32 = simd.convert %bv : vector<16xbf16> -> vector<16xf32>
    simd.store %bv32, %bf[%i] : vector<16xf32>, memref<65536xf32>
    %bv16 = simd.convert %bv32 : vector<16xf32> -> vector<16xbf16>
    simd.store %bv16, %bb[%i] : vector<16xbf16>, memref<65536xbf16>
    %fv = simd.load %f[%i] : memref<65536xf32> -> vector<16xf32>
    %to_h = simd.convert %fv : vector<16xf32> -> vector<16xf16>
    simd.store %to_h, %fh[%i] : vector<16xf16>, memref<65536xf16>
    %to_b = simd.convert %fv : vector<16xf32> -> vector<16xbf16>
    simd.store %to_b, %fb[%i] : vector<16xbf16>, memref<65536xbf16>
    %to_q = simd.convert %fv : vector<16xf32> -> vector<16xi8>
    simd.store %to_q, %fq[%i] : vector<16xi8>, memref<65536xi8>
    %to_i = simd.convert %fv : vector<16xf32> -> vector<16xi32>
    simd.store %to_i, %fi[%i] : vector<16xi32>, memref<65536xi32>
    %back = simd.convert %to_i : vector<16xi32> -> vector<16xf32>
    simd.store %back, %fif[%i] : vector<16xf32>, memref<65536xf32>
    %qv = simd.load %q[%i] : memref<65536xi8> -> vector<16xi8>
    %qv32 = simd.convert %qv : vector<16xi8> -> vector<16xf32>
    simd.store %qv32, %qf[%i] : vector<16xf32>, memref<65536xf32>
  }
  func.return
}

func.func @cvt_avx512x4(%h: memref<65536xf16>, %hf: memref<65536xf32>, %hh: memref<65536xf16>, %b: memref<65536xbf16>, %bf: memref<65536xf32>, %bb: memref<65536xbf16>, %f: memref<65536xf32>, %fh: memref<65536xf16>, %fb: memref<65536xbf16>, %fq: memref<65536xi8>, %fi: memref<65536xi32>, %fif: memref<65536xf32>, %q: memref<65536xi8>, %qf: memref<65536xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %step = arith.constant 4 : index
  %n = arith.constant 65536 : index
  scf.for %i = %c0 to %n step %step {
    %hv = simd.load %h[%i] : memref<65536xf16> -> vector<4xf16>
    %hv32 = simd.convert %hv : vector<4xf16> -> vector<4xf32>
    simd.store %hv32, %hf[%i] : vector<4xf32>, memref<65536xf32>
    %hv16 = simd.convert %hv32 : vector<4xf32> -> vector<4xf16>
    simd.store %hv16, %hh[%i] : vector<4xf16>, memref<65536xf16>
    %bv = simd.load %b[%i] : memref<65536xbf16> -> vector<4xbf16>
    %bv32 = simd.convert %bv : vector<4xbf16> -> vector<4xf32>
    simd.store %bv32, %bf[%i] : vector<4xf32>, memref<65536xf32>
    %bv16 = simd.convert %bv32 : vector<4xf32> -> vector<4xbf16>
    simd.store %bv16, %bb[%i] : vector<4xbf16>, memref<65536xbf16>
    %fv = simd.load %f[%i] : memref<65536xf32> -> vector<4xf32>
    %to_h = simd.convert %fv : vector<4xf32> -> vector<4xf16>
    simd.store %to_h, %fh[%i] : vector<4xf16>, memref<65536xf16>
    %to_b = simd.convert %fv : vector<4xf32> -> vector<4xbf16>
    simd.store %to_b, %fb[%i] : vector<4xbf16>, memref<65536xbf16>
    %to_q = simd.convert %fv : vector<4xf32> -> vector<4xi8>
    simd.store %to_q, %fq[%i] : vector<4xi8>, memref<65536xi8>
    %to_i = simd.convert %fv : vector<4xf32> -> vector<4xi32>
    simd.store %to_i, %fi[%i] : vector<4xi32>, memref<65536xi32>
    %back = simd.convert %to_i : vector<4xi32> -> vector<4xf32>
    simd.store %back, %fif[%i] : vector<4xf32>, memref<65536xf32>
    %qv = simd.load %q[%i] : memref<65536xi8> -> vector<4xi8>
    %qv32 = simd.convert %qv : vector<4xi8> -> vector<4xf32>
    simd.store %qv32, %qf[%i] : vector<4xf32>, memref<65536xf32>
  }
  func.return
}

func.func @cvt_avx2(%h: memref<65536xf16>, %hf: memref<65536xf32>, %hh: memref<65536xf16>, %b: memref<65536xbf16>, %bf: memref<65536xf32>, %bb: memref<65536xbf16>, %f: memref<65536xf32>, %fh: memref<65536xf16>, %fb: memref<65536xbf16>, %fq: memref<65536xi8>, %fi: memref<65536xi32>, %fif: memref<65536xf32>, %q: memref<65536xi8>, %qf: memref<65536xf32>) attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %step = arith.constant 8 : index
  %n = arith.constant 65536 : index
  scf.for %i = %c0 to %n step %step {
    %hv = simd.load %h[%i] : memref<65536xf16> -> vector<8xf16>
    %hv32 = simd.convert %hv : vector<8xf16> -> vector<8xf32>
    simd.store %hv32, %hf[%i] : vector<8xf32>, memref<65536xf32>
    %hv16 = simd.convert %hv32 : vector<8xf32> -> vector<8xf16>
    simd.store %hv16, %hh[%i] : vector<8xf16>, memref<65536xf16>
    %bv = simd.load %b[%i] : memref<65536xbf16> -> vector<8xbf16>
    %bv32 = simd.convert %bv : vector<8xbf16> -> vector<8xf32>
    simd.store %bv32, %bf[%i] : vector<8xf32>, memref<65536xf32>
    %bv16 = simd.convert %bv32 : vector<8xf32> -> vector<8xbf16>
    simd.store %bv16, %bb[%i] : vector<8xbf16>, memref<65536xbf16>
    %fv = simd.load %f[%i] : memref<65536xf32> -> vector<8xf32>
    %to_h = simd.convert %fv : vector<8xf32> -> vector<8xf16>
    simd.store %to_h, %fh[%i] : vector<8xf16>, memref<65536xf16>
    %to_b = simd.convert %fv : vector<8xf32> -> vector<8xbf16>
    simd.store %to_b, %fb[%i] : vector<8xbf16>, memref<65536xbf16>
    %to_q = simd.convert %fv : vector<8xf32> -> vector<8xi8>
    simd.store %to_q, %fq[%i] : vector<8xi8>, memref<65536xi8>
    %to_i = simd.convert %fv : vector<8xf32> -> vector<8xi32>
    simd.store %to_i, %fi[%i] : vector<8xi32>, memref<65536xi32>
    %back = simd.convert %to_i : vector<8xi32> -> vector<8xf32>
    simd.store %back, %fif[%i] : vector<8xf32>, memref<65536xf32>
    %qv = simd.load %q[%i] : memref<65536xi8> -> vector<8xi8>
    %qv32 = simd.convert %qv : vector<8xi8> -> vector<8xf32>
    simd.store %qv32, %qf[%i] : vector<8xf32>, memref<65536xf32>
  }
  func.return
}

func.func @cvt_scalar(%h: memref<65536xf16>, %hf: memref<65536xf32>, %hh: memref<65536xf16>, %b: memref<65536xbf16>, %bf: memref<65536xf32>, %bb: memref<65536xbf16>, %f: memref<65536xf32>, %fh: memref<65536xf16>, %fb: memref<65536xbf16>, %fq: memref<65536xi8>, %fi: memref<65536xi32>, %fif: memref<65536xf32>, %q: memref<65536xi8>, %qf: memref<65536xf32>) attributes {simd.isa = #simd.isa<scalar>} {
  %c0 = arith.constant 0 : index
  %step = arith.constant 1 : index
  %n = arith.constant 65536 : index
  scf.for %i = %c0 to %n step %step {
    %hv = simd.load %h[%i] : memref<65536xf16> -> vector<1xf16>
    %hv32 = simd.convert %hv : vector<1xf16> -> vector<1xf32>
    simd.store %hv32, %hf[%i] : vector<1xf32>, memref<65536xf32>
    %hv16 = simd.convert %hv32 : vector<1xf32> -> vector<1xf16>
    simd.store %hv16, %hh[%i] : vector<1xf16>, memref<65536xf16>
    %bv = simd.load %b[%i] : memref<65536xbf16> -> vector<1xbf16>
    %bv32 = simd.convert %bv : vector<1xbf16> -> vector<1xf32>
    simd.store %bv32, %bf[%i] : vector<1xf32>, memref<65536xf32>
    %bv16 = simd.convert %bv32 : vector<1xf32> -> vector<1xbf16>
    simd.store %bv16, %bb[%i] : vector<1xbf16>, memref<65536xbf16>
    %fv = simd.load %f[%i] : memref<65536xf32> -> vector<1xf32>
    %to_h = simd.convert %fv : vector<1xf32> -> vector<1xf16>
    simd.store %to_h, %fh[%i] : vector<1xf16>, memref<65536xf16>
    %to_b = simd.convert %fv : vector<1xf32> -> vector<1xbf16>
    simd.store %to_b, %fb[%i] : vector<1xbf16>, memref<65536xbf16>
    %to_q = simd.convert %fv : vector<1xf32> -> vector<1xi8>
    simd.store %to_q, %fq[%i] : vector<1xi8>, memref<65536xi8>
    %to_i = simd.convert %fv : vector<1xf32> -> vector<1xi32>
    simd.store %to_i, %fi[%i] : vector<1xi32>, memref<65536xi32>
    %back = simd.convert %to_i : vector<1xi32> -> vector<1xf32>
    simd.store %back, %fif[%i] : vector<1xf32>, memref<65536xf32>
    %qv = simd.load %q[%i] : memref<65536xi8> -> vector<1xi8>
    %qv32 = simd.convert %qv : vector<1xi8> -> vector<1xf32>
    simd.store %qv32, %qf[%i] : vector<1xf32>, memref<65536xf32>
  }
  func.return
}
