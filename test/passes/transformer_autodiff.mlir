// RUN: ck-opt %s -p transformer-autodiff | filecheck %s
// One Qwen3 layer (tied embeddings): the loss becomes kernel.softmax_xent, each forward op
// gets its VJP in reverse order, multiple uses are summed with kernel.add, and the
// function returns the loss and one gradient per weight.

builtin.module {
  func.func @train_step(%tokens: tensor<4xi32>, %positions: tensor<4xi32>, %targets: tensor<4xi32>) -> tensor<f32> {
    %token_embd = transformer.weight "token_embd.weight" : !transformer.weight<16x8, f32>
    %x = transformer.embedding %tokens, %token_embd : (tensor<4xi32>, !transformer.weight<16x8, f32>) -> tensor<4x8xf32>
    %blk_0_attn_norm = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<8, f32>
    %l0_h = transformer.rmsnorm %x, %blk_0_attn_norm {eps = 1.000000e-06 : f32} : (tensor<4x8xf32>, !transformer.weight<8, f32>) -> tensor<4x8xf32>
    %blk_0_attn_q = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<8x8, f32>
    %l0_q = transformer.linear %l0_h, %blk_0_attn_q : (tensor<4x8xf32>, !transformer.weight<8x8, f32>) -> tensor<4x8xf32>
    %blk_0_attn_k = transformer.weight "blk.0.attn_k.weight" : !transformer.weight<4x8, f32>
    %l0_k = transformer.linear %l0_h, %blk_0_attn_k : (tensor<4x8xf32>, !transformer.weight<4x8, f32>) -> tensor<4x4xf32>
    %blk_0_attn_v = transformer.weight "blk.0.attn_v.weight" : !transformer.weight<4x8, f32>
    %l0_v = transformer.linear %l0_h, %blk_0_attn_v : (tensor<4x8xf32>, !transformer.weight<4x8, f32>) -> tensor<4x4xf32>
    %blk_0_attn_q_norm = transformer.weight "blk.0.attn_q_norm.weight" : !transformer.weight<4, f32>
    %l0_q_1 = transformer.head_rmsnorm %l0_q, %blk_0_attn_q_norm {head_dim = 4 : i64, eps = 1.000000e-06 : f32} : (tensor<4x8xf32>, !transformer.weight<4, f32>) -> tensor<4x8xf32>
    %blk_0_attn_k_norm = transformer.weight "blk.0.attn_k_norm.weight" : !transformer.weight<4, f32>
    %l0_k_1 = transformer.head_rmsnorm %l0_k, %blk_0_attn_k_norm {head_dim = 4 : i64, eps = 1.000000e-06 : f32} : (tensor<4x4xf32>, !transformer.weight<4, f32>) -> tensor<4x4xf32>
    %l0_q_2 = transformer.rope %l0_q_1, %positions {head_dim = 4 : i64, n_rot = 4 : i64, theta = 1.000000e+06 : f32, style = "neox"} : (tensor<4x8xf32>, tensor<4xi32>) -> tensor<4x8xf32>
    %l0_k_2 = transformer.rope %l0_k_1, %positions {head_dim = 4 : i64, n_rot = 4 : i64, theta = 1.000000e+06 : f32, style = "neox"} : (tensor<4x4xf32>, tensor<4xi32>) -> tensor<4x4xf32>
    %l0_attn = transformer.attention %l0_q_2, %l0_k_2, %l0_v, %positions {n_heads = 2 : i64, n_kv_heads = 1 : i64, head_dim = 4 : i64, scale = 5.000000e-01 : f32} : (tensor<4x8xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xi32>) -> tensor<4x8xf32>
    %blk_0_attn_output = transformer.weight "blk.0.attn_output.weight" : !transformer.weight<8x8, f32>
    %l0_o = transformer.linear %l0_attn, %blk_0_attn_output : (tensor<4x8xf32>, !transformer.weight<8x8, f32>) -> tensor<4x8xf32>
    %l0_x = transformer.add %x, %l0_o : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
    %blk_0_ffn_norm = transformer.weight "blk.0.ffn_norm.weight" : !transformer.weight<8, f32>
    %l0_h_1 = transformer.rmsnorm %l0_x, %blk_0_ffn_norm {eps = 1.000000e-06 : f32} : (tensor<4x8xf32>, !transformer.weight<8, f32>) -> tensor<4x8xf32>
    %blk_0_ffn_gate = transformer.weight "blk.0.ffn_gate.weight" : !transformer.weight<16x8, f32>
    %l0_gate = transformer.linear %l0_h_1, %blk_0_ffn_gate : (tensor<4x8xf32>, !transformer.weight<16x8, f32>) -> tensor<4x16xf32>
    %blk_0_ffn_up = transformer.weight "blk.0.ffn_up.weight" : !transformer.weight<16x8, f32>
    %l0_up = transformer.linear %l0_h_1, %blk_0_ffn_up : (tensor<4x8xf32>, !transformer.weight<16x8, f32>) -> tensor<4x16xf32>
    %l0_act = transformer.silu_mul %l0_gate, %l0_up : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
    %blk_0_ffn_down = transformer.weight "blk.0.ffn_down.weight" : !transformer.weight<8x16, f32>
    %l0_down = transformer.linear %l0_act, %blk_0_ffn_down : (tensor<4x16xf32>, !transformer.weight<8x16, f32>) -> tensor<4x8xf32>
    %l0_x_1 = transformer.add %l0_x, %l0_down : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
    %output_norm = transformer.weight "output_norm.weight" : !transformer.weight<8, f32>
    %h = transformer.rmsnorm %l0_x_1, %output_norm {eps = 1.000000e-06 : f32} : (tensor<4x8xf32>, !transformer.weight<8, f32>) -> tensor<4x8xf32>
    %logits = transformer.lm_head %h, %token_embd : (tensor<4x8xf32>, !transformer.weight<16x8, f32>) -> tensor<4x16xf32>
    %loss = transformer.cross_entropy %logits, %targets : (tensor<4x16xf32>, tensor<4xi32>) -> tensor<f32>
    func.return %loss : tensor<f32>
  }
}

// CHECK:      builtin.module attributes {ck.invariants = "{\22forward_ops\22: 21, \22backward_ops\22: 32, {{.*}}\22accumulations\22: [\22l0_h\22, \22l0_x\22, \22l0_h\22, \22l0_h\22, \22x\22, \22token_embd\22], \22unresolved\22: []}"}
// CHECK:      func.func @train_step(%tokens: tensor<4xi32>, %positions: tensor<4xi32>, %targets: tensor<4xi32>) -> (tensor<f32>, tensor<16x8xf32>,
// CHECK-SAME: ck.grads = ["token_embd.weight", "blk.0.attn_norm.weight", "blk.0.attn_q.weight"
// CHECK:        %loss, %d_logits = kernel.softmax_xent ins(%logits, %targets : tensor<4x16xf32>, tensor<4xi32>) -> tensor<f32>, tensor<4x16xf32>
// CHECK-NEXT:   %[[DH:.*]] = kernel.matmul_dx ins(%d_logits, %token_embd : tensor<4x16xf32>, !transformer.weight<16x8, f32>) -> tensor<4x8xf32>
// CHECK-NEXT:   %[[DE1:.*]] = kernel.matmul_dw ins(%d_logits, %h : tensor<4x16xf32>, tensor<4x8xf32>) -> tensor<16x8xf32>
// CHECK-NEXT:   %[[DX2:.*]], %d_output_norm = kernel.rmsnorm_bwd ins(%[[DH]], %l0_x_1, %output_norm
// CHECK:        kernel.silu_mul_bwd ins(%{{.*}}, %l0_gate, %l0_up
// CHECK:        %d_l0_x = kernel.add ins(%[[DX2]], %{{.*}} : tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK:        kernel.attention_bwd ins(%{{.*}}, %l0_q_2, %l0_k_2, %l0_v, %positions
// CHECK:        kernel.rope_bwd
// CHECK:        kernel.head_rmsnorm_bwd
// CHECK:        %[[DE2:.*]] = kernel.embedding_bwd ins(%d_x, %tokens : tensor<4x8xf32>, tensor<4xi32>) -> tensor<16x8xf32>
// The tied embedding's two gradients (lm head and lookup) are summed:
// CHECK-NEXT:   %d_token_embd = kernel.add ins(%[[DE1]], %[[DE2]] : tensor<16x8xf32>, tensor<16x8xf32>) -> tensor<16x8xf32>
// CHECK-NEXT:   func.return %loss, %d_token_embd, %d_blk_0_attn_norm,
