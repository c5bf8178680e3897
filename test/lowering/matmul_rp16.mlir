// RUN: ck-opt %s -p 'lower-kernel-to-simd{isa="avx512"}' | filecheck %s
// RUN: ck-opt %s -p 'lower-kernel-to-simd{isa="avx2"}' | filecheck %s --check-prefix=AVX2
// The int8 dot-product matmul: a gemv with a q8_0 input triple (x_q, x_scales,
// x_sums) over a q8_0 weight packed rp16 (16 rows x 4 k-values per 64 bytes, quants
// stored +128). Per 32-block the i32 accumulators start at -128 * sum(x_q), each
// step broadcasts 4 input bytes to every row and does one simd.dot_i8 (vpdpbusd)
// per group of 16 rows, four row groups in lock-step on avx512; the block's sums
// are scaled by the rows' fp16 scales times the input's scale. The kernel function's
// buffer arguments say how a thread touches them (ck.access): the output in whole
// 16-row groups.

func.func @decode(%xq: memref<1x64xi8>, %xs: memref<1x2xf32>, %xm: memref<1x2xi32>, %y: memref<1x64xf32>, %weights: memref<?xi8>, %tid: index, %nth: index) {
  %w = memory.weight %weights "blk.0.attn_q.weight" {offset = 0 : i64, size = 4352 : i64, layout = "rp16"} : !transformer.weight<64x64, q8_0>
  kernel.gemv ins(%xq, %xs, %xm : memref<1x64xi8>, memref<1x2xf32>, memref<1x2xi32>) weights(%w : !transformer.weight<64x64, q8_0>) outs(%y : memref<1x64xf32>) {w_dtype = "q8_0", act_dtype = "q8_0", split = "rows"}
  func.return
}

// CHECK:       ck.kernels = "[{\22function\22: \22gemv_q8_0_64x64_q8in_avx512\22, \22kernel\22: \22kernel.gemv\22, \22variant\22: \22rp16, int8 dot products (16 rows per register), 4 row groups in lock-step, split by rows\22}]"
// CHECK-LABEL: func.func private @gemv_q8_0_64x64_q8in_avx512(
// CHECK-SAME:      %x_q: memref<1x64xi8> {ck.access = "r all"}, %x_scales: memref<1x2xf32> {ck.access = "r all"}, %x_sums: memref<1x2xi32> {ck.access = "r all"},
// CHECK-SAME:      %w_scales: memref<4x2x16xf16> {ck.access = "r all"}, %w_quants: memref<4x2x512xi8> {ck.access = "r all"},
// CHECK-SAME:      %y: memref<1x64xf32> {ck.access = "w part:rows:4x16"}, %tid: index, %nth: index) attributes {simd.isa = #simd.isa<avx512>
// CHECK:         %[[M128:.*]] = arith.constant -128 : i32
// CHECK:         scf.for %b = {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-NEXT:      %[[SUM:.*]] = memref.load %x_sums[%t, %b] : memref<1x2xi32>
// CHECK-NEXT:      %[[COMP:.*]] = arith.muli %[[SUM]], %[[M128]] : i32
// CHECK-NEXT:      %[[INIT:.*]] = simd.broadcast %[[COMP]] : i32 -> vector<16xi32>
// CHECK:           scf.for %s = {{.*}} iter_args(%[[A0:.*]] = %[[INIT]], %[[A1:.*]] = %[[INIT]], %[[A2:.*]] = %[[INIT]], %[[A3:.*]] = %[[INIT]]) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// CHECK:             %[[X4:.*]] = simd.load %x_q[%t, {{.*}}] : memref<1x64xi8> -> vector<4xi8>
// CHECK-NEXT:        %[[XB:.*]] = simd.broadcast %[[X4]] : vector<4xi8> -> vector<64xi8>
// CHECK:             %[[W0:.*]] = simd.load %w_quants[{{.*}}, %b, {{.*}}] : memref<4x2x512xi8> -> vector<64xi8>
// CHECK-NEXT:        simd.dot_i8 %[[A0]], %[[W0]], %[[XB]] : vector<16xi32>, vector<64xi8>, vector<64xi8>
// CHECK:             %[[W1:.*]] = simd.load %w_quants[{{.*}}, %b, {{.*}}] : memref<4x2x512xi8> -> vector<64xi8>
// CHECK-NEXT:        simd.dot_i8 %[[A1]], %[[W1]], %[[XB]] : vector<16xi32>, vector<64xi8>, vector<64xi8>
// CHECK:             %[[W2:.*]] = simd.load %w_quants[{{.*}}, %b, {{.*}}] : memref<4x2x512xi8> -> vector<64xi8>
// CHECK-NEXT:        simd.dot_i8 %[[A2]], %[[W2]], %[[XB]] : vector<16xi32>, vector<64xi8>, vector<64xi8>
// CHECK:             %[[W3:.*]] = simd.load %w_quants[{{.*}}, %b, {{.*}}] : memref<4x2x512xi8> -> vector<64xi8>
// CHECK-NEXT:        simd.dot_i8 %[[A3]], %[[W3]], %[[XB]] : vector<16xi32>, vector<64xi8>, vector<64xi8>
// CHECK-NEXT:        scf.yield
// CHECK:           %[[XS:.*]] = memref.load %x_scales[%t, %b] : memref<1x2xf32>
// CHECK:           %[[WS:.*]] = simd.load %w_scales[{{.*}}, %b, {{.*}}] : memref<4x2x16xf16> -> vector<16xf16>
// CHECK-NEXT:      %[[WSF:.*]] = simd.convert %[[WS]] : vector<16xf16> -> vector<16xf32>
// CHECK-NEXT:      %[[ACCF:.*]] = simd.convert %{{.*}} : vector<16xi32> -> vector<16xf32>
// CHECK-NEXT:      %[[SC:.*]] = simd.mul %[[WSF]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:      simd.fma %[[ACCF]], %[[SC]], %{{.*}} : vector<16xf32>
// CHECK:         simd.store %{{.*}}, %y[%t, %{{.*}}] : vector<16xf32>, memref<1x64xf32>
// The row groups left over after the lock-step walk, one at a time:
// CHECK:         scf.for %u = 
// CHECK:           simd.dot_i8 {{.*}} : vector<16xi32>, vector<64xi8>, vector<64xi8>
// CHECK-LABEL: func.func @decode(
// CHECK:         %w_scales = memory.weight_view %w {part = "scales"} : !transformer.weight<64x64, q8_0> -> memref<4x2x16xf16>
// CHECK-NEXT:    %w_quants = memory.weight_view %w {part = "quants"} : !transformer.weight<64x64, q8_0> -> memref<4x2x512xi8>
// CHECK-NEXT:    func.call @gemv_q8_0_64x64_q8in_avx512(%xq, %xs, %xm, %w_scales, %w_quants, %y, %tid, %nth) {ck.comment = "blk.0 attn_q: gemv q8_0 64x64", ck.kernel = "kernel.gemv"}

// avx2: 8 rows per register (each 16-row group in two halves), two groups in lock-step.
// AVX2:        \22variant\22: \22rp16, int8 dot products (8 rows per register), 2 row groups in lock-step, split by rows\22
// AVX2-LABEL:  func.func private @gemv_q8_0_64x64_q8in_avx2(
// AVX2-COUNT-4:  simd.dot_i8 {{.*}} : vector<8xi32>, vector<32xi8>, vector<32xi8>
// AVX2-NOT:      vector<64xi8>
