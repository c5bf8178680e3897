// RUN: ck-opt %s -p 'lower-kernel-to-simd{isa="avx512"}' | filecheck %s
// The int8 dot-product matmul over the unpacked 4- to 6-bit types in rp16:
// - q4_k keeps two weights per byte: one 64-byte load serves k-steps s (low nibbles) and
//   s + 4 (high nibbles), unpacked in registers by simd.nibbles; its bytes are q itself (no
//   offset, sums start at 0), and the block adds min * sum(x_q) * x_scale after the scale;
// - the k-quants keep their integer scales (and mins) in bytes, multiplied by the f32 d
//   (and dmin) of their 256-weight super-block in the kernel;
// - q6_k has a scale per 16 weights: each half of a block sums apart. A one-token gemv starts
//   each half at -128 * its sum of x_q (the +128 the layout stores), summed once per call on the
//   stack; a gemm takes each half's 128 * sum(x_q) by a dot product with bytes 0x80.

func.func @q4_k(%xq: memref<1x256xi8>, %xs: memref<1x8xf32>, %xm: memref<1x8xi32>, %y: memref<1x32xf32>, %weights: memref<?xi8>, %tid: index, %nth: index) {
  %w = memory.weight %weights "blk.0.attn_q.weight" {offset = 0 : i64, size = 4864 : i64, layout = "rp16"} : !transformer.weight<32x256, q4_k>
  kernel.gemv ins(%xq, %xs, %xm : memref<1x256xi8>, memref<1x8xf32>, memref<1x8xi32>) weights(%w : !transformer.weight<32x256, q4_k>) outs(%y : memref<1x32xf32>) {w_dtype = "q4_k", act_dtype = "q8_0", split = "rows"}
  func.return
}

func.func @q6_k(%xq: memref<1x256xi8>, %xs: memref<1x8xf32>, %xm: memref<1x8xi32>, %y: memref<1x32xf32>, %weights: memref<?xi8>, %tid: index, %nth: index) {
  %w = memory.weight %weights "blk.0.ffn_down.weight" {offset = 0 : i64, size = 8832 : i64, layout = "rp16"} : !transformer.weight<32x256, q6_k>
  kernel.gemv ins(%xq, %xs, %xm : memref<1x256xi8>, memref<1x8xf32>, memref<1x8xi32>) weights(%w : !transformer.weight<32x256, q6_k>) outs(%y : memref<1x32xf32>) {w_dtype = "q6_k", act_dtype = "q8_0", split = "rows"}
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
// CHECK:           %[[D:.*]] = simd.load %w_d[
// CHECK:           %[[SC:.*]] = simd.load %w_scales[{{.*}}] : memref<2x8x16xi8> -> vector<16xi8>
// CHECK-NEXT:      %[[SCF:.*]] = simd.convert %[[SC]] : vector<16xi8> -> vector<16xf32>
// CHECK-NEXT:      simd.mul %[[D]], %[[SCF]] : vector<16xf32>
// CHECK:           simd.fma
// CHECK:           simd.load %w_mins[
// CHECK:           simd.load %w_dmin[
// CHECK:           %[[MINS:.*]] = simd.sub
// CHECK-NEXT:      simd.fma %[[MINS]],

func.func @q6_k_gemm(%xq: memref<?x256xi8>, %xs: memref<?x8xf32>, %xm: memref<?x8xi32>, %y: memref<?x32xf32>, %weights: memref<?xi8>, %tid: index, %nth: index) {
  %w = memory.weight %weights "blk.0.ffn_down.weight" {offset = 0 : i64, size = 8832 : i64, layout = "rp16"} : !transformer.weight<32x256, q6_k>
  kernel.gemm ins(%xq, %xs, %xm : memref<?x256xi8>, memref<?x8xf32>, memref<?x8xi32>) weights(%w : !transformer.weight<32x256, q6_k>) outs(%y : memref<?x32xf32>) {w_dtype = "q6_k", act_dtype = "q8_0", split = "rows"}
  func.return
}

// CHECK-LABEL: func.func private @gemv_q6_k_32x256_q8in_avx512(
// CHECK:         %half_sums = memref.alloca() {alignment = 64 : i64} : memref<16xi32>
// CHECK:           memref.store %{{.*}}, %half_sums[%h] : memref<16xi32>
// CHECK:           %[[H0:.*]] = memref.load %half_sums[
// CHECK-NEXT:      %[[I0:.*]] = simd.broadcast %[[H0]] : i32 -> vector<16xi32>
// CHECK:           scf.for %s = {{.*}} iter_args(%{{.*}} = %[[I0]]) -> (vector<16xi32>) {
// CHECK:           %[[H1:.*]] = memref.load %half_sums[
// CHECK-NEXT:      %[[I1:.*]] = simd.broadcast %[[H1]] : i32 -> vector<16xi32>
// CHECK:           scf.for %s_1 = {{.*}} iter_args(%{{.*}} = %[[I1]]) -> (vector<16xi32>) {
// CHECK-COUNT-2:   simd.load %w_scales[

// CHECK-LABEL: func.func private @gemm_q6_k_32x256_q8in_tn_avx512(
// CHECK:         %[[C128:.*]] = simd.broadcast %{{.*}} : i8 -> vector<64xi8>
// CHECK:             %[[W:.*]] = simd.load %w_quants[%{{.*}}, %b, %{{.*}}] : memref<2x8x512xi8> -> vector<64xi8>
// CHECK-NEXT:        simd.dot_i8 %{{.*}}, %[[W]], %[[X:.*]] : vector<16xi32>, vector<64xi8>, vector<64xi8>
// CHECK:             simd.dot_i8 %{{.*}}, %[[C128]], %[[X]] : vector<16xi32>, vector<64xi8>, vector<64xi8>
// CHECK:           simd.sub
