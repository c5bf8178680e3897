// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Decode GEMV, Q8_0 weights repacked "rp16" (docs/kernels.md, weight layouts): one
// 16-row group over K = 1024 (32 blocks of 32). Weight quants are stored
// u8 = q ^ 0x80, 64 bytes per k-step = 16 rows x 4 k; lane r accumulates row r,
// so there is no horizontal sum. Each block's i32 accumulator starts at the
// activation's compensation term comp = -128 * sum(q_x), which cancels the +128
// bias of the weights exactly.
//   wq: [group * 32 + block) * 8 + kstep][64] u8   ws: [group * 32 + block][16] f16
//   xq: [1024] i8   xd: [32] f32 block scales   xc: [32] i32 comp   y: [rows] f32
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

// CHECK-LABEL: func.func @gemv_q8_0_rp16_group
// CHECK-SAME:    attributes {simd.isa = #simd.isa<avx512>}
// CHECK:         %[[OUT:[a-z0-9_]+]] = scf.for %[[B:[a-z0-9_]+]] = {{.*}} iter_args(%[[ACC:[a-z0-9_]+]] = %{{.*}}) -> (vector<16xf32>) {
// CHECK:           %[[COMP:[a-z0-9_]+]] = memref.load %xc[%[[B]]] : memref<32xi32>
// CHECK-NEXT:      %[[I0:[a-z0-9_]+]] = simd.broadcast %[[COMP]] : i32 -> vector<16xi32>
// CHECK:           %[[DOT:[a-z0-9_]+]] = scf.for %{{.*}} iter_args(%[[IA:[a-z0-9_]+]] = %[[I0]]) -> (vector<16xi32>) {
// CHECK:             %[[W:[a-z0-9_]+]] = simd.load %wq[%{{.*}}, %{{.*}}] : memref<?x64xi8> -> vector<64xi8>
// CHECK:             %[[X4:[a-z0-9_]+]] = simd.load %xq[%{{.*}}] : memref<1024xi8> -> vector<4xi8>
// CHECK-NEXT:        %[[X:[a-z0-9_]+]] = simd.broadcast %[[X4]] : vector<4xi8> -> vector<64xi8>
// CHECK-NEXT:        %[[N:[a-z0-9_]+]] = simd.dot_i8 %[[IA]], %[[W]], %[[X]] : vector<16xi32>, vector<64xi8>, vector<64xi8>
// CHECK-NEXT:        scf.yield %[[N]] : vector<16xi32>
// CHECK-NEXT:      }
// CHECK-NEXT:      %[[F:[a-z0-9_]+]] = simd.convert %[[DOT]] : vector<16xi32> -> vector<16xf32>
// CHECK-NEXT:      %[[SH:[a-z0-9_]+]] = simd.load %ws[%{{.*}}, %{{.*}}] : memref<?x16xf16> -> vector<16xf16>
// CHECK-NEXT:      %[[SW:[a-z0-9_]+]] = simd.convert %[[SH]] : vector<16xf16> -> vector<16xf32>
// CHECK:           %[[SCALE:[a-z0-9_]+]] = simd.mul %[[SW]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:      %[[NEXT:[a-z0-9_]+]] = simd.fma %[[F]], %[[SCALE]], %[[ACC]] : vector<16xf32>
// CHECK-NEXT:      scf.yield %[[NEXT]] : vector<16xf32>
// CHECK-NEXT:    }
// CHECK:         simd.store %[[OUT]], %y[%{{.*}}] : vector<16xf32>, memref<?xf32>
