// RUN: ck-opt %s -p 'plan-memory{context_len=16 max_tokens=4},lower-kernel-to-simd,remove-barriers,instrument-kernels' | filecheck %s
// RUN: ck-opt %s -p 'plan-memory{context_len=16 max_tokens=4},lower-kernel-to-simd,remove-barriers,instrument-kernels' | ck-translate -t c | filecheck %s --check-prefix=C
// RUN: not ck-opt %s -p 'plan-memory{context_len=16 max_tokens=4},lower-kernel-to-simd,remove-barriers,instrument-kernels,instrument-kernels' 2>&1 | filecheck %s --check-prefix=TWICE
// instrument-kernels (profiling builds) brackets every kernel call and every kept
// barrier of an entry point with the runtime's clock, ck_prof_begin(site, tid) and
// ck_prof_end(site, tid); sites are numbered in order across the module, each call
// records its number (ck.site) and the module the count (ck.profile_sites). Nothing
// else changes: the same kernels, in the same order, with the same barriers.

func.func @ck_decode(%tok: tensor<1xi32>, %pos: tensor<1xi32>) -> tensor<1x64xf32> {
  %e = transformer.weight "token_embd.weight" : !transformer.weight<64x64, f32>
  %w1 = transformer.weight "blk.0.ffn_up.weight" : !transformer.weight<64x64, q8_0>
  %w2 = transformer.weight "blk.0.ffn_down.weight" : !transformer.weight<64x64, q8_0>
  %x = kernel.embedding ins(%tok, %e : tensor<1xi32>, !transformer.weight<64x64, f32>) {w_dtype = "f32", split = "replicate", ck.origin = "transformer.embedding#3"} -> tensor<1x64xf32>
  %y = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%w1 : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", split = "rows", ck.origin = "transformer.linear#5", ck.layer = 0 : i64} -> tensor<1x64xf32>
  %z = kernel.gemv ins(%y : tensor<1x64xf32>) weights(%w2 : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32", split = "rows", ck.origin = "transformer.linear#7", ck.layer = 0 : i64} -> tensor<1x64xf32>
  func.return %z : tensor<1x64xf32>
}

// CHECK:       builtin.module attributes {{{.*}}ck.profile_sites = 4 : i64}
// CHECK:       func.func private @ck_prof_begin(index, index) -> () attributes {ck.runtime_abi}
// CHECK:       func.func private @ck_prof_end(index, index) -> () attributes {ck.runtime_abi}
// CHECK-LABEL: func.func @ck_decode(
// CHECK:         %[[S0:.*]] = arith.constant 0 : index
// CHECK-NEXT:    func.call @ck_prof_begin(%[[S0]], %tid) : (index, index) -> ()
// CHECK-NEXT:    func.call @embedding_f32_64x64_t1_all_avx512({{.*}}) {{{.*}}ck.kernel = "kernel.embedding", ck.origin = "transformer.embedding#3", ck.site = 0 : i64}
// CHECK-NEXT:    func.call @ck_prof_end(%[[S0]], %tid) : (index, index) -> ()
// CHECK:         %[[S1:.*]] = arith.constant 1 : index
// CHECK-NEXT:    func.call @ck_prof_begin(%[[S1]], %tid)
// CHECK-NEXT:    func.call @gemv_q8_0_64x64_avx512(%x, {{.*}}) {{{.*}}ck.origin = "transformer.linear#5", ck.layer = 0 : i64, ck.site = 1 : i64}
// CHECK-NEXT:    func.call @ck_prof_end(%[[S1]], %tid)
// CHECK-NEXT:    %[[S2:.*]] = arith.constant 2 : index
// CHECK-NEXT:    func.call @ck_prof_begin(%[[S2]], %tid)
// CHECK-NEXT:    func.call @ck_barrier() {{{.*}}ck.site = 2 : i64}
// CHECK-NEXT:    func.call @ck_prof_end(%[[S2]], %tid)
// CHECK:         %[[S3:.*]] = arith.constant 3 : index
// CHECK-NEXT:    func.call @ck_prof_begin(%[[S3]], %tid)
// CHECK-NEXT:    func.call @gemv_q8_0_64x64_avx512(%y, {{.*}}) {{{.*}}ck.site = 3 : i64}
// CHECK-NEXT:    func.call @ck_prof_end(%[[S3]], %tid)
// CHECK-NEXT:    func.return

// C:       void ck_decode(
// C:         ck_prof_begin(0, tid);
// C-NEXT:    /* {{.*}}embedding{{.*}} */
// C-NEXT:    embedding_f32_64x64_t1_all_avx512(
// C-NEXT:    ck_prof_end(0, tid);
// C:         ck_prof_begin(2, tid);
// C-NEXT:    /* wait: {{.*}} */
// C-NEXT:    ck_barrier();
// C-NEXT:    ck_prof_end(2, tid);

// TWICE: pass {{.}}instrument-kernels{{.}} failed: instrument-kernels: the module is instrumented already
