// RUN: ck-opt %s -p 'plan-memory{context_len=8 max_tokens=2},lower-kernel-to-simd{isa="avx512"}' | filecheck %s
// RUN: ck-opt %s -p 'plan-memory{context_len=8 max_tokens=2},lower-kernel-to-simd{isa="scalar"}' | filecheck %s --check-prefix=SCALAR
// Each distinct kernel becomes one private simd-level function (two identical
// gemvs share one); the entry point calls it with weight views, the thread id and
// count, and a barrier after every kernel. q8_0 weights are passed as their
// scales and quants. Each buffer argument of a kernel function says how one
// thread touches it (ck.access: r/w, all or part:<split>), for remove-barriers.
// Each call names its kernel op (ck.kernel) and keeps the transformer op it came
// from (ck.origin, ck.layer).

func.func @ck_decode(%tok: tensor<1xi32>, %pos: tensor<1xi32>) -> tensor<1x32xf32> {
  %w1 = transformer.weight "blk.0.ffn_up.weight" : !transformer.weight<32x32, q8_0>
  %w2 = transformer.weight "blk.1.ffn_up.weight" : !transformer.weight<32x32, q8_0>
  %e = transformer.weight "token_embd.weight" : !transformer.weight<64x32, f32>
  %x = kernel.embedding ins(%tok, %e : tensor<1xi32>, !transformer.weight<64x32, f32>) {w_dtype = "f32"} -> tensor<1x32xf32>
  %y = kernel.gemv ins(%x : tensor<1x32xf32>) weights(%w1 : !transformer.weight<32x32, q8_0>) {ck.origin = "transformer.linear#7", ck.layer = 0 : i64, w_dtype = "q8_0", act_dtype = "f32"} -> tensor<1x32xf32>
  %z = kernel.gemv ins(%y : tensor<1x32xf32>) weights(%w2 : !transformer.weight<32x32, q8_0>) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<1x32xf32>
  func.return %z : tensor<1x32xf32>
}

// CHECK:       ck.kernels = "[{\22function\22: \22embedding_f32_64x32_t1_avx512\22, {{.*}}\22variant\22: \2216 lanes, split by tokens\22}, {\22function\22: \22gemv_q8_0_32x32_avx512\22, {{.*}}\22variant\22: \22rows layout, q8_0 weights, f32 activations, 16 lanes, split by rows\22}]"
// CHECK:       func.func private @ck_barrier() -> () attributes {ck.runtime_abi}
// CHECK:       func.func private @embedding_f32_64x32_t1_avx512(%tokens: memref<1xi32> {ck.access = "r all"}, %table_data: memref<64x32xf32> {ck.access = "r all"}, %y: memref<1x32xf32> {ck.access = "w part:tokens"}, %tid: index, %nth: index) attributes {simd.isa = #simd.isa<avx512>
// CHECK:         simd.load %table_data[%{{.*}}, %{{.*}}] : memref<64x32xf32> -> vector<16xf32>
// CHECK:       func.func private @gemv_q8_0_32x32_avx512(%x: memref<1x32xf32> {ck.access = "r all"}, %w_scales: memref<32x1xf16> {ck.access = "r all"}, %w_quants: memref<32x32xi8> {ck.access = "r all"}, %y: memref<1x32xf32> {ck.access = "w part:rows:32x1"}, %tid: index, %nth: index)
// CHECK:         simd.load %w_quants[%{{.*}}, %{{.*}}] : memref<32x32xi8> -> vector<16xi8>
// CHECK:         simd.convert %{{.*}} : vector<16xi8> -> vector<16xf32>
// CHECK:         simd.fma
// CHECK:         simd.reduce add
// CHECK-NOT:   func.func private @gemv
// CHECK:       func.func @ck_decode({{.*}}, %tid: index, %nth: index) {
// CHECK:         func.call @embedding_f32_64x32_t1_avx512(%tokens, %{{.*}}, %x, %tid, %nth) {ck.comment = "token_embd: embedding f32 64x32", ck.kernel = "kernel.embedding"}
// CHECK-NEXT:    func.call @ck_barrier() : () -> ()
// CHECK:         %[[S1:.*]] = memory.weight_view %w1 {part = "scales"}
// CHECK-NEXT:    %[[Q1:.*]] = memory.weight_view %w1 {part = "quants"}
// CHECK-NEXT:    func.call @gemv_q8_0_32x32_avx512(%x, %[[S1]], %[[Q1]], %y, %tid, %nth) {ck.comment = "blk.0 ffn_up: gemv q8_0 32x32", ck.kernel = "kernel.gemv", ck.origin = "transformer.linear#7", ck.layer = 0 : i64}
// CHECK-NEXT:    func.call @ck_barrier() : () -> ()
// CHECK:         func.call @gemv_q8_0_32x32_avx512(%y, %{{.*}}, %{{.*}}, %logits, %tid, %nth) {ck.comment = "blk.1 ffn_up: gemv q8_0 32x32", ck.kernel = "kernel.gemv"}
// CHECK-NOT:     kernel.

// SCALAR: func.func private @gemv_q8_0_32x32_scalar
// SCALAR:   simd.load %w_quants[%{{.*}}, %{{.*}}] : memref<32x32xi8> -> vector<1xi8>
