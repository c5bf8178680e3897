// RUN: ck-opt %s -p 'lower-kernel-to-simd{isa="avx512"}' | filecheck %s
// The int8 dot-product matmul over the unpacked 4- to 6-bit types in rp16:
// - q4_k keeps two weights per byte: one 64-byte load serves k-steps s (low nibbles) and
//   s + 4 (high nibbles), unpacked in registers by simd.nibbles; its bytes are q itself (no
//   offset, sums start at 0), and the block adds min * sum(x_q) * x_scale after the scale;
// - the k-quants keep their integer scales (and mins) in bytes, multiplied by the f32 d
//   (and dmin) of their 256-weight super-block in the kernel;
// - their activations are q8_k (llama.cpp's Q8_K): a scale per 256 values (x_scales [T, K/256])
//   and a sum of x_q per 16 (x_sums [T, K/16]): the min term of a block of 32 adds two sums;
// - q6_k has a scale per 16 weights: each half of a block sums apart, starting at -128 * its
//   sum of x_q (the +128 the layout stores), read from the activation's sums per 16.

func.func @q4_k(%xq: memref<1x256xi8>, %xs: memref<1x1xf32>, %xm: memref<1x16xi32>, %y: memref<1x32xf32>, %weights: memref<?xi8>, %tid: index, %nth: index) {
  %w = memory.weight %weights "blk.0.attn_q.weight" {offset = 0 : i64, size = 4864 : i64, layout = "rp16"} : !transformer.weight<32x256, q4_k>
  kernel.gemv ins(%xq, %xs, %xm : memref<1x256xi8>, memref<1x1xf32>, memref<1x16xi32>) weights(%w : !transformer.weight<32x256, q4_k>) outs(%y : memref<1x32xf32>) {w_dtype = "q4_k", act_dtype = "q8_k", split = "rows"}
  func.return
}

func.func @q6_k(%xq: memref<1x256xi8>, %xs: memref<1x1xf32>, %xm: memref<1x16xi32>, %y: memref<1x32xf32>, %weights: memref<?xi8>, %tid: index, %nth: index) {
  %w = memory.weight %weights "blk.0.ffn_down.weight" {offset = 0 : i64, size = 8832 : i64, layout = "rp16"} : !transformer.weight<32x256, q6_k>
  kernel.gemv ins(%xq, %xs, %xm : memref<1x256xi8>, memref<1x1xf32>, memref<1x16xi32>) weights(%w : !transformer.weight<32x256, q6_k>) outs(%y : memref<1x32xf32>) {w_dtype = "q6_k", act_dtype = "q8_k", split = "rows"}
  func.return
}

// CHECK-LABEL: func.func private @gemv_q4_k_32x256_q8in_avx512(
// CHECK-SAME:      %w_d: memref<2x1x16xf32> {ck.access = "r all"}, %w_dmin: memref<2x1x16xf32> {ck.access = "r all"}, %w_scales: memref<2x8x16xi8> {ck.access = "r all"}, %w_mins: memref<2x8x16xi8> {ck.access = "r all"}, %w_quants: memref<2x8x256xi8> {ck.access = "r all"}
// CHECK:           %[[ZERO:.*]] = simd.broadcast %{{.*}} : i32 -> vector<16xi32>
// CHECK:           scf.for %s = {{.*}} iter_args(%[[A:.*]] = %[[ZERO]]) -> (vector<16xi32>) {
// CHECK:             %[[XLO:.*]] = simd.broadcast %{{.*}} : vector<4xi8> -> vector<64xi8>
// CHECK:             %[[XHI:.*]] = simd.broadcast %{{.*}} : vector<4xi8> -> vector<64xi8>
// CHECK:             %[[P:.*]] = simd.load %w_quants[%{{.*}}, %b, %{{.*}}] : memref<2x8x256xi8> -> vector<64xi8>
// CHECK-NEXT:        %[[LO:.*]] = simd.nibbles %[[P]] {half = "low"} : vector<64xi8>
// CHECK-NEXT:        %[[HI:.*]] = simd.nibbles %[[P]] {half = "high"} : vector<64xi8>
// CHECK-NEXT:        %[[D:.*]] = simd.dot_i8 %[[A]], %[[LO]], %[[XLO]]
// CHECK-NEXT:        simd.dot_i8 %[[D]], %[[HI]], %[[XHI]]
// CHECK:           %[[S0:.*]] = memref.load %x_sums[%t, %{{.*}}] : memref<1x16xi32>
// CHECK:           %[[S1:.*]] = memref.load %x_sums[%t, %{{.*}}] : memref<1x16xi32>
// CHECK-NEXT:      arith.addi %[[S0]], %[[S1]] : i32
// CHECK:           %[[D:.*]] = simd.load %w_d[
// CHECK:           %[[SC:.*]] = simd.load %w_scales[{{.*}}] : memref<2x8x16xi8> -> vector<16xi8>
// CHECK-NEXT:      %[[SCF:.*]] = simd.convert %[[SC]] : vector<16xi8> -> vector<16xf32>
// CHECK-NEXT:      simd.mul %[[D]], %[[SCF]] : vector<16xf32>
// CHECK:           simd.fma
// CHECK:           simd.load %w_mins[
// CHECK:           simd.load %w_dmin[
// CHECK:           %[[MINS:.*]] = simd.sub
// CHECK-NEXT:      simd.fma %[[MINS]],

func.func @q6_k_gemm(%xq: memref<?x256xi8>, %xs: memref<?x1xf32>, %xm: memref<?x16xi32>, %y: memref<?x32xf32>, %weights: memref<?xi8>, %tid: index, %nth: index) {
  %w = memory.weight %weights "blk.0.ffn_down.weight" {offset = 0 : i64, size = 8832 : i64, layout = "rp16"} : !transformer.weight<32x256, q6_k>
  kernel.gemm ins(%xq, %xs, %xm : memref<?x256xi8>, memref<?x1xf32>, memref<?x16xi32>) weights(%w : !transformer.weight<32x256, q6_k>) outs(%y : memref<?x32xf32>) {w_dtype = "q6_k", act_dtype = "q8_k", split = "rows"}
  func.return
}

// CHECK-LABEL: func.func private @gemv_q6_k_32x256_q8in_avx512(
// CHECK-SAME:      %x_scales: memref<1x1xf32> {{.*}}, %x_sums: memref<1x16xi32>
// CHECK:           %[[H0:.*]] = memref.load %x_sums[%t, %{{.*}}] : memref<1x16xi32>
// CHECK-NEXT:      %[[M0:.*]] = arith.muli %[[H0]], %{{.*}} : i32
// CHECK-NEXT:      %[[I0:.*]] = simd.broadcast %[[M0]] : i32 -> vector<16xi32>
// CHECK:           scf.for %s = {{.*}} iter_args(%{{.*}} = %[[I0]]) -> (vector<16xi32>) {
// CHECK:           %[[H1:.*]] = memref.load %x_sums[%t, %{{.*}}] : memref<1x16xi32>
// CHECK-NEXT:      %[[M1:.*]] = arith.muli %[[H1]], %{{.*}} : i32
// CHECK-NEXT:      %[[I1:.*]] = simd.broadcast %[[M1]] : i32 -> vector<16xi32>
// CHECK:           scf.for %s_1 = {{.*}} iter_args(%{{.*}} = %[[I1]]) -> (vector<16xi32>) {
// CHECK:           memref.load %x_scales[%t, %{{.*}}] : memref<1x1xf32>
// CHECK-COUNT-2:   simd.load %w_scales[

// The gemm reads each token's sums the same way: no dot product with 0x80 bytes.
// CHECK-LABEL: func.func private @gemm_q6_k_32x256_q8in_tn_avx512(
// CHECK-NOT:       i8 -> vector<64xi8>
// CHECK:           memref.load %x_sums[%t, %{{.*}}] : memref<?x16xi32>
// CHECK:           scf.for %s = {{.*}} iter_args(
// CHECK:             %[[W:.*]] = simd.load %w_quants[%{{.*}}, %b, %{{.*}}] : memref<2x8x512xi8> -> vector<64xi8>
// CHECK-NEXT:        simd.dot_i8 %{{.*}}, %[[W]], %{{.*}} : vector<16xi32>, vector<64xi8>, vector<64xi8>
