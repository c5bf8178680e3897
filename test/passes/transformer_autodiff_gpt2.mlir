// RUN: ck-opt %s -p transformer-autodiff | filecheck %s
// GPT-2's ops and their VJPs: layernorm gives dx, dw and db (kernel.layernorm_bwd), gelu its
// dx (kernel.gelu_bwd), and each column slice a zero gradient as wide as the fused projection
// with its columns filled (kernel.slice_bwd), summed into the projection's gradient.

builtin.module {
  func.func @train_step(%tokens: tensor<4xi32>, %positions: tensor<4xi32>, %targets: tensor<4xi32>) -> tensor<f32> {
    %token_embd = transformer.weight "token_embd.weight" : !transformer.weight<16x8, f32>
    %x = transformer.embedding %tokens, %token_embd : (tensor<4xi32>, !transformer.weight<16x8, f32>) -> tensor<4x8xf32>
    %nw = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<8, f32>
    %nb = transformer.weight "blk.0.attn_norm.bias" : !transformer.weight<8, f32>
    %h = transformer.layernorm %x, %nw, %nb {eps = 1.0e-05 : f32} : (tensor<4x8xf32>, !transformer.weight<8, f32>, !transformer.weight<8, f32>) -> tensor<4x8xf32>
    %wqkv = transformer.weight "blk.0.attn_qkv.weight" : !transformer.weight<24x8, f32>
    %qkv = transformer.linear %h, %wqkv : (tensor<4x8xf32>, !transformer.weight<24x8, f32>) -> tensor<4x24xf32>
    %q = transformer.slice %qkv {offset = 0 : i64} : (tensor<4x24xf32>) -> tensor<4x8xf32>
    %v = transformer.slice %qkv {offset = 16 : i64} : (tensor<4x24xf32>) -> tensor<4x8xf32>
    %a = transformer.gelu %q : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %s = transformer.add %a, %v : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
    %logits = transformer.lm_head %s, %token_embd : (tensor<4x8xf32>, !transformer.weight<16x8, f32>) -> tensor<4x16xf32>
    %loss = transformer.cross_entropy %logits, %targets : (tensor<4x16xf32>, tensor<4xi32>) -> tensor<f32>
    func.return %loss : tensor<f32>
  }
}

// CHECK:      func.func @train_step(%tokens: tensor<4xi32>, %positions: tensor<4xi32>, %targets: tensor<4xi32>) -> (tensor<f32>, tensor<16x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<24x8xf32>)
// CHECK-SAME: ck.grads = ["token_embd.weight", "blk.0.attn_norm.weight", "blk.0.attn_norm.bias", "blk.0.attn_qkv.weight"]
// CHECK:        %loss, %d_logits = kernel.softmax_xent
// CHECK-NEXT:   %[[DS:.*]] = kernel.matmul_dx ins(%d_logits, %token_embd
// CHECK-NEXT:   kernel.matmul_dw ins(%d_logits, %s
// CHECK-NEXT:   %[[DA:.*]] = kernel.gelu_bwd ins(%[[DS]], %q : tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT:   %[[DV:.*]] = kernel.slice_bwd ins(%[[DS]] : tensor<4x8xf32>) {offset = 16 : i64} -> tensor<4x24xf32>
// CHECK-NEXT:   %[[DQ:.*]] = kernel.slice_bwd ins(%[[DA]] : tensor<4x8xf32>) {offset = 0 : i64} -> tensor<4x24xf32>
// CHECK-NEXT:   %[[DQKV:.*]] = kernel.add ins(%[[DV]], %[[DQ]] : tensor<4x24xf32>, tensor<4x24xf32>) -> tensor<4x24xf32>
// CHECK-NEXT:   %[[DH:.*]] = kernel.matmul_dx ins(%[[DQKV]], %wqkv
// CHECK-NEXT:   %d_blk_0_attn_qkv = kernel.matmul_dw ins(%[[DQKV]], %h
// CHECK-NEXT:   %[[DX:.*]], %d_blk_0_attn_norm, %d_blk_0_attn_norm_bias = kernel.layernorm_bwd ins(%[[DH]], %x, %nw : tensor<4x8xf32>, tensor<4x8xf32>, !transformer.weight<8, f32>) {eps = 1.000000e-05 : f32} -> tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>
// CHECK:        func.return %loss, %d_token_embd, %d_blk_0_attn_norm, %d_blk_0_attn_norm_bias, %d_blk_0_attn_qkv
