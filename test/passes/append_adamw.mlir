// RUN: ck-opt %s -p 'append-adamw' | filecheck %s
// RUN: ck-opt %s -p 'append-adamw{pack-weights=false}' | filecheck %s --check-prefix=PER-WEIGHT
// RUN: ck-opt %s -p 'append-adamw,lower-kernel-to-simd{isa="avx512"}' | ck-opt | filecheck %s --check-prefix=SIMD

// append-adamw: the optimizer entry point @ck_adamw_step joins a training module once
// plan-memory has placed the weights (ck.weights_bytes, each memory.weight's offset).
// The weights, their gradients and AdamW's two moments are four buffers with the blob's
// layout, each viewed through an arena of the blob's size rounded up to 64 bytes (160 -> 192).
// Packed (the default), one kernel.adamw updates the whole blob as 48 flat floats; with
// pack-weights=false, one kernel per weight updates its own view, in the order of first use.
// The hyperparameters (step, lr, betas, eps, weight decay) are run-time arguments.

builtin.module attributes {ck.weights_bytes = 160 : i64} {
  func.func @ck_train_step(%x: memref<2x8xf32>, %y: memref<2x4xf32>, %weights: memref<?xi8>, %tid: index, %nth: index) {
    %w = memory.weight %weights "blk.0.attn_q.weight" {offset = 0 : i64, size = 128 : i64} : !transformer.weight<4x8, f32>
    %n = memory.weight %weights "output_norm.weight" {offset = 128 : i64, size = 32 : i64} : !transformer.weight<8, f32>
    kernel.gemm ins(%x : memref<2x8xf32>) weights(%w : !transformer.weight<4x8, f32>) outs(%y : memref<2x4xf32>) {w_dtype = "f32", act_dtype = "f32"}
    func.return
  }
}

// CHECK:      func.func @ck_train_step(
// CHECK:      func.func @ck_adamw_step(%weights: memref<?xi8>, %grads_buf: memref<?xi8>, %m_buf: memref<?xi8>, %v_buf: memref<?xi8>, %step: i64, %lr: f32, %beta1: f32, %beta2: f32, %eps: f32, %weight_decay: f32, %tid: index, %nth: index) {
// CHECK-NEXT:   %[[W:.*]] = memory.arena %weights {size = 192 : i64} : memref<?xi8>
// CHECK-NEXT:   %[[G:.*]] = memory.arena %grads_buf {size = 192 : i64} : memref<?xi8>
// CHECK-NEXT:   %[[M:.*]] = memory.arena %m_buf {size = 192 : i64} : memref<?xi8>
// CHECK-NEXT:   %[[V:.*]] = memory.arena %v_buf {size = 192 : i64} : memref<?xi8>
// CHECK-NEXT:   %param_all = memory.slot %[[W]] {offset = 0 : i64, size = 192 : i64} : memref<48xf32>
// CHECK-NEXT:   %grad_all = memory.slot %[[G]] {offset = 0 : i64, size = 192 : i64} : memref<48xf32>
// CHECK-NEXT:   %m_all = memory.slot %[[M]] {offset = 0 : i64, size = 192 : i64} : memref<48xf32>
// CHECK-NEXT:   %v_all = memory.slot %[[V]] {offset = 0 : i64, size = 192 : i64} : memref<48xf32>
// CHECK-NEXT:   kernel.adamw ins(%param_all, %grad_all, %m_all, %v_all, %step, %lr, %beta1, %beta2, %eps, %weight_decay : memref<48xf32>, memref<48xf32>, memref<48xf32>, memref<48xf32>, i64, f32, f32, f32, f32, f32) outs(%param_all, %m_all, %v_all : memref<48xf32>, memref<48xf32>, memref<48xf32>)
// CHECK-NEXT:   func.return
// CHECK-NEXT: }

// PER-WEIGHT:      func.func @ck_adamw_step(
// PER-WEIGHT-COUNT-4: memory.arena {{.*}} {size = 192 : i64}
// PER-WEIGHT-NEXT: %param_blk_0_attn_q = memory.slot %{{.*}} {offset = 0 : i64, size = 128 : i64} : memref<4x8xf32>
// PER-WEIGHT-NEXT: %grad_blk_0_attn_q = memory.slot %{{.*}} {offset = 0 : i64, size = 128 : i64} : memref<4x8xf32>
// PER-WEIGHT-NEXT: %m_blk_0_attn_q = memory.slot %{{.*}} {offset = 0 : i64, size = 128 : i64} : memref<4x8xf32>
// PER-WEIGHT-NEXT: %v_blk_0_attn_q = memory.slot %{{.*}} {offset = 0 : i64, size = 128 : i64} : memref<4x8xf32>
// PER-WEIGHT-NEXT: kernel.adamw ins(%param_blk_0_attn_q, %grad_blk_0_attn_q, %m_blk_0_attn_q, %v_blk_0_attn_q, %step, %lr, %beta1, %beta2, %eps, %weight_decay : memref<4x8xf32>, {{.*}}) outs(%param_blk_0_attn_q, %m_blk_0_attn_q, %v_blk_0_attn_q : {{.*}})
// PER-WEIGHT-NEXT: %param_output_norm = memory.slot %{{.*}} {offset = 128 : i64, size = 32 : i64} : memref<8xf32>
// PER-WEIGHT-NEXT: %grad_output_norm = memory.slot %{{.*}} {offset = 128 : i64, size = 32 : i64} : memref<8xf32>
// PER-WEIGHT-NEXT: %m_output_norm = memory.slot %{{.*}} {offset = 128 : i64, size = 32 : i64} : memref<8xf32>
// PER-WEIGHT-NEXT: %v_output_norm = memory.slot %{{.*}} {offset = 128 : i64, size = 32 : i64} : memref<8xf32>
// PER-WEIGHT-NEXT: kernel.adamw ins(%param_output_norm, %grad_output_norm, %m_output_norm, %v_output_norm, {{.*}} : memref<8xf32>, {{.*}})
// PER-WEIGHT-NEXT: func.return

// The kernel updates param, m and v in place: its inputs and outs are the same buffers, and
// its signature keeps every argument (the outs too) through printing and parsing.
// SIMD: func.func private @adamw_48_t48_avx512(%param: memref<48xf32> {ck.access = "r all"}, {{.*}}, %param_1: memref<48xf32> {ck.access = "w all"}, %m_1: memref<48xf32> {ck.access = "w all"}, %v_1: memref<48xf32> {ck.access = "w all"}, %tid: index, %nth: index)
// SIMD: func.func @ck_adamw_step(
// SIMD: func.call @adamw_48_t48_avx512(%param_all, %grad_all, %m_all, %v_all, %step, %lr, %beta1, %beta2, %eps, %weight_decay, %param_all, %m_all, %v_all, %tid, %nth)
