// Whole kernels from test/simd/ (copied here so this test stays put): the Q8_0
// GEMV (rp16 on avx512, and its rp8 twin on avx2: dot_i8 + group broadcast +
// f16 scales + fma) and the attention-row softmax (max / exp / reduce), run
// against C references. The GEMV is bit-exact (integer dots, same float steps).
// RUN: ck-translate %s -t c -o %t.c
// RUN: cc -O2 -march=native -Wall -Wextra -Werror %t.c %S/Inputs/kernels_driver.c -o %t.exe -lm
// RUN: %t.exe | filecheck %s

// CHECK:      gemv rp16 avx512: 64 rows, bit-exact: 64, y[0]=[[Y0:[-0-9.e+]+]] y[63]=[[Y63:[-0-9.e+]+]]
// CHECK-NEXT: gemv rp8 avx2: 64 rows, bit-exact: 64, y[0]=[[Y0]] y[63]=[[Y63]]
// CHECK-NEXT: softmax avx2: sum=1.000000 max rel err vs expf reference < 1e-6: yes
// CHECK-NEXT: softmax avx512: sum=1.000000 max rel err vs expf reference < 1e-6: yes

func.func @gemv_q8_0_rp16_group(%wq: memref<?x64xi8>, %ws: memref<?x16xf16>, %xq: memref<1024xi8>, %xd: memref<32xf32>, %xc: memref<32xi32>, %y: memref<?xf32>, %g: index) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.000000e+00 : f32
  %init = simd.broadcast %zero : f32 -> vector<16xf32>
  %gb = arith.muli %g, %c32 : index
  %out = scf.for %b = %c0 to %c32 step %c1 iter_args(%acc = %init) -> (vector<16xf32>) {
    %row = arith.addi %gb, %b : index
    %comp = memref.load %xc[%b] : memref<32xi32>
    %i0 = simd.broadcast %comp : i32 -> vector<16xi32>
    %q0 = arith.muli %row, %c8 : index
    %kb = arith.muli %b, %c32 : index
    %dot = scf.for %s = %c0 to %c8 step %c1 iter_args(%ia = %i0) -> (vector<16xi32>) {
      %qrow = arith.addi %q0, %s : index
      %w = simd.load %wq[%qrow, %c0] : memref<?x64xi8> -> vector<64xi8>
      %ks = arith.muli %s, %c4 : index
      %k = arith.addi %kb, %ks : index
      %x4 = simd.load %xq[%k] : memref<1024xi8> -> vector<4xi8>
      %x = simd.broadcast %x4 : vector<4xi8> -> vector<64xi8>
      %n = simd.dot_i8 %ia, %w, %x : vector<16xi32>, vector<64xi8>, vector<64xi8>
      scf.yield %n : vector<16xi32>
    }
    %f = simd.convert %dot : vector<16xi32> -> vector<16xf32>
    %sh = simd.load %ws[%row, %c0] : memref<?x16xf16> -> vector<16xf16>
    %sw = simd.convert %sh : vector<16xf16> -> vector<16xf32>
    %d = memref.load %xd[%b] : memref<32xf32>
    %dv = simd.broadcast %d : f32 -> vector<16xf32>
    %scale = simd.mul %sw, %dv : vector<16xf32>
    %next = simd.fma %f, %scale, %acc : vector<16xf32>
    scf.yield %next : vector<16xf32>
  }
  %r0 = arith.muli %g, %c16 : index
  simd.store %out, %y[%r0] : vector<16xf32>, memref<?xf32>
  func.return
}

func.func @gemv_q8_0_rp8_group(%wq: memref<?x32xi8>, %ws: memref<?x8xf16>, %xq: memref<1024xi8>, %xd: memref<32xf32>, %xc: memref<32xi32>, %y: memref<?xf32>, %g: index) attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.000000e+00 : f32
  %init = simd.broadcast %zero : f32 -> vector<8xf32>
  %gb = arith.muli %g, %c32 : index
  %out = scf.for %b = %c0 to %c32 step %c1 iter_args(%acc = %init) -> (vector<8xf32>) {
    %row = arith.addi %gb, %b : index
    %comp = memref.load %xc[%b] : memref<32xi32>
    %i0 = simd.broadcast %comp : i32 -> vector<8xi32>
    %q0 = arith.muli %row, %c8 : index
    %kb = arith.muli %b, %c32 : index
    %dot = scf.for %s = %c0 to %c8 step %c1 iter_args(%ia = %i0) -> (vector<8xi32>) {
      %qrow = arith.addi %q0, %s : index
      %w = simd.load %wq[%qrow, %c0] : memref<?x32xi8> -> vector<32xi8>
      %ks = arith.muli %s, %c4 : index
      %k = arith.addi %kb, %ks : index
      %x4 = simd.load %xq[%k] : memref<1024xi8> -> vector<4xi8>
      %x = simd.broadcast %x4 : vector<4xi8> -> vector<32xi8>
      %n = simd.dot_i8 %ia, %w, %x : vector<8xi32>, vector<32xi8>, vector<32xi8>
      scf.yield %n : vector<8xi32>
    }
    %f = simd.convert %dot : vector<8xi32> -> vector<8xf32>
    %sh = simd.load %ws[%row, %c0] : memref<?x8xf16> -> vector<8xf16>
    %sw = simd.convert %sh : vector<8xf16> -> vector<8xf32>
    %d = memref.load %xd[%b] : memref<32xf32>
    %dv = simd.broadcast %d : f32 -> vector<8xf32>
    %scale = simd.mul %sw, %dv : vector<8xf32>
    %next = simd.fma %f, %scale, %acc : vector<8xf32>
    scf.yield %next : vector<8xf32>
  }
  %r0 = arith.muli %g, %c8 : index
  simd.store %out, %y[%r0] : vector<8xf32>, memref<?xf32>
  func.return
}

func.func @softmax_128(%s: memref<128xf32>) attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c128 = arith.constant 128 : index
  %ninf = arith.constant -3.40282347e+38 : f32
  %zero = arith.constant 0.000000e+00 : f32
  %one = arith.constant 1.000000e+00 : f32
  %m0 = simd.broadcast %ninf : f32 -> vector<8xf32>
  %mv = scf.for %i = %c0 to %c128 step %c8 iter_args(%m = %m0) -> (vector<8xf32>) {
    %v = simd.load %s[%i] : memref<128xf32> -> vector<8xf32>
    %mx = simd.max %m, %v : vector<8xf32>
    scf.yield %mx : vector<8xf32>
  }
  %max = simd.reduce max %mv : vector<8xf32> -> f32
  %maxv = simd.broadcast %max : f32 -> vector<8xf32>
  %z = simd.broadcast %zero : f32 -> vector<8xf32>
  %sv = scf.for %i = %c0 to %c128 step %c8 iter_args(%acc = %z) -> (vector<8xf32>) {
    %v = simd.load %s[%i] : memref<128xf32> -> vector<8xf32>
    %d = simd.sub %v, %maxv : vector<8xf32>
    %e = simd.exp %d : vector<8xf32>
    simd.store %e, %s[%i] : vector<8xf32>, memref<128xf32>
    %n = simd.add %acc, %e : vector<8xf32>
    scf.yield %n : vector<8xf32>
  }
  %sum = simd.reduce add %sv : vector<8xf32> -> f32
  %inv = arith.divf %one, %sum : f32
  %invv = simd.broadcast %inv : f32 -> vector<8xf32>
  scf.for %i = %c0 to %c128 step %c8 {
    %v = simd.load %s[%i] : memref<128xf32> -> vector<8xf32>
    %p = simd.mul %v, %invv : vector<8xf32>
    simd.store %p, %s[%i] : vector<8xf32>, memref<128xf32>
  }
  func.return
}

func.func @softmax_128_avx512(%s: memref<128xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 16 : index
  %c128 = arith.constant 128 : index
  %ninf = arith.constant -3.40282347e+38 : f32
  %zero = arith.constant 0.000000e+00 : f32
  %one = arith.constant 1.000000e+00 : f32
  %m0 = simd.broadcast %ninf : f32 -> vector<16xf32>
  %mv = scf.for %i = %c0 to %c128 step %c8 iter_args(%m = %m0) -> (vector<16xf32>) {
    %v = simd.load %s[%i] : memref<128xf32> -> vector<16xf32>
    %mx = simd.max %m, %v : vector<16xf32>
    scf.yield %mx : vector<16xf32>
  }
  %max = simd.reduce max %mv : vector<16xf32> -> f32
  %maxv = simd.broadcast %max : f32 -> vector<16xf32>
  %z = simd.broadcast %zero : f32 -> vector<16xf32>
  %sv = scf.for %i = %c0 to %c128 step %c8 iter_args(%acc = %z) -> (vector<16xf32>) {
    %v = simd.load %s[%i] : memref<128xf32> -> vector<16xf32>
    %d = simd.sub %v, %maxv : vector<16xf32>
    %e = simd.exp %d : vector<16xf32>
    simd.store %e, %s[%i] : vector<16xf32>, memref<128xf32>
    %n = simd.add %acc, %e : vector<16xf32>
    scf.yield %n : vector<16xf32>
  }
  %sum = simd.reduce add %sv : vector<16xf32> -> f32
  %inv = arith.divf %one, %sum : f32
  %invv = simd.broadcast %inv : f32 -> vector<16xf32>
  scf.for %i = %c0 to %c128 step %c8 {
    %v = simd.load %s[%i] : memref<128xf32> -> vector<16xf32>
    %p = simd.mul %v, %invv : vector<16xf32>
    simd.store %p, %s[%i] : vector<16xf32>, memref<128xf32>
  }
  func.return
}
