// RUN: ck-opt %s -p transformer-autodiff | filecheck %s
// A linear with a bias (Qwen2's q/k/v): its VJP adds kernel.matmul_db, the bias
// gradient (dy summed over the tokens), beside the input and weight gradients, and
// the bias is a trained weight like any other: named in ck.grads and returned.

builtin.module {
  func.func @train_step(%tokens: tensor<4xi32>, %positions: tensor<4xi32>, %targets: tensor<4xi32>) -> tensor<f32> {
    %token_embd = transformer.weight "token_embd.weight" : !transformer.weight<16x8, f32>
    %x = transformer.embedding %tokens, %token_embd : (tensor<4xi32>, !transformer.weight<16x8, f32>) -> tensor<4x8xf32>
    %blk_0_attn_q = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<8x8, f32>
    %blk_0_attn_q_bias = transformer.weight "blk.0.attn_q.bias" : !transformer.weight<8, f32>
    %q = transformer.linear %x, %blk_0_attn_q bias %blk_0_attn_q_bias : (tensor<4x8xf32>, !transformer.weight<8x8, f32>, !transformer.weight<8, f32>) -> tensor<4x8xf32>
    %logits = transformer.lm_head %q, %token_embd : (tensor<4x8xf32>, !transformer.weight<16x8, f32>) -> tensor<4x16xf32>
    %loss = transformer.cross_entropy %logits, %targets : (tensor<4x16xf32>, tensor<4xi32>) -> tensor<f32>
    func.return %loss : tensor<f32>
  }
}

// CHECK:      func.func @train_step(%tokens: tensor<4xi32>, %positions: tensor<4xi32>, %targets: tensor<4xi32>) -> (tensor<f32>, tensor<16x8xf32>, tensor<8x8xf32>, tensor<8xf32>)
// CHECK-SAME: ck.grads = ["token_embd.weight", "blk.0.attn_q.weight", "blk.0.attn_q.bias"]
// CHECK:        %loss, %d_logits = kernel.softmax_xent
// CHECK-NEXT:   %[[DQ:.*]] = kernel.matmul_dx ins(%d_logits, %token_embd
// CHECK:        %[[DX:.*]] = kernel.matmul_dx ins(%[[DQ]], %blk_0_attn_q : tensor<4x8xf32>, !transformer.weight<8x8, f32>) -> tensor<4x8xf32>
// CHECK-NEXT:   %d_blk_0_attn_q = kernel.matmul_dw ins(%[[DQ]], %x : tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<8x8xf32>
// CHECK-NEXT:   %d_blk_0_attn_q_bias = kernel.matmul_db ins(%[[DQ]] : tensor<4x8xf32>) -> tensor<8xf32>
// CHECK-NEXT:   kernel.embedding_bwd ins(%[[DX]], %tokens
// CHECK:        func.return %loss, %d_token_embd, %d_blk_0_attn_q, %d_blk_0_attn_q_bias : tensor<f32>, tensor<16x8xf32>, tensor<8x8xf32>, tensor<8xf32>
