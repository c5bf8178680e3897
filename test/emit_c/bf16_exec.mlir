// simd.pack_bf16 and simd.dot_bf16 (avx512), lane by lane against C references: pack
// rounds to nearest even exactly as ck_f32_to_bf16 (ties, NaN quieted, infinities) and
// interleaves even/odd; dot_bf16 is (acc + a1 b1) + a0 b0 with each product exact in f32.
// RUN: ck-translate %s -t c -o %t.c
// RUN: cc -O2 -march=native -Wall -Wextra -Werror %t.c %S/Inputs/bf16_driver.c -o %t.exe -lm
// RUN: %t.exe | filecheck %s
// Without AVX512-BF16 the helper takes its FMA path, with the same results:
// RUN: cc -O2 -march=native -mno-avx512bf16 -Wall -Wextra -Werror %t.c %S/Inputs/bf16_driver.c -o %t.fma.exe -lm
// RUN: %t.fma.exe | filecheck %s

// CHECK: pack: 0 wrong of 65536 (ties 0x3F808000->0x3F80 0x3F818000->0x3F82, nan quiet yes)
// CHECK-NEXT: dot: 0 wrong of 4096

func.func @pack(%even: memref<?xf32>, %odd: memref<?xf32>, %out: memref<?xbf16>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c16 = arith.constant 16 : index
  %n = memref.dim %even, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c16 {
    %e = simd.load %even[%i] : memref<?xf32> -> vector<16xf32>
    %o = simd.load %odd[%i] : memref<?xf32> -> vector<16xf32>
    %p = simd.pack_bf16 %e, %o : vector<16xf32>, vector<16xf32> -> vector<32xbf16>
    %j = arith.muli %i, %c2 : index
    simd.store %p, %out[%j] : vector<32xbf16>, memref<?xbf16>
  }
  func.return
}

func.func @dot(%acc: memref<?xf32>, %a: memref<?xbf16>, %b: memref<?xbf16>, %out: memref<?xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c16 = arith.constant 16 : index
  %n = memref.dim %acc, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c16 {
    %j = arith.muli %i, %c2 : index
    %c = simd.load %acc[%i] : memref<?xf32> -> vector<16xf32>
    %av = simd.load %a[%j] : memref<?xbf16> -> vector<32xbf16>
    %bv = simd.load %b[%j] : memref<?xbf16> -> vector<32xbf16>
    %r = simd.dot_bf16 %c, %av, %bv : vector<16xf32>, vector<32xbf16>, vector<32xbf16>
    simd.store %r, %out[%i] : vector<16xf32>, memref<?xf32>
  }
  func.return
}
