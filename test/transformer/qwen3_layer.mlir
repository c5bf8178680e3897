// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// One whole Qwen3-0.6B forward pass with a single decoder layer: every op of the
// dialect chained the way the GGUF importer emits them.

func.func @qwen3_one_layer(%tokens: tensor<?xi32>, %pos: tensor<?xi32>, %targets: tensor<?xi32>) -> (tensor<?x151936xf32>, tensor<f32>) {
  %embd = transformer.weight "token_embd.weight" : !transformer.weight<151936x1024, q8_0>
  %x = transformer.embedding %tokens, %embd : (tensor<?xi32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x1024xf32>
  %attn_norm = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<1024, f32>
  %xn = transformer.rmsnorm %x, %attn_norm {eps = 1.0e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<1024, f32>) -> tensor<?x1024xf32>
  %wq = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<2048x1024, q8_0>
  %wk = transformer.weight "blk.0.attn_k.weight" : !transformer.weight<1024x1024, q8_0>
  %wv = transformer.weight "blk.0.attn_v.weight" : !transformer.weight<1024x1024, q8_0>
  %q = transformer.linear %xn, %wq : (tensor<?x1024xf32>, !transformer.weight<2048x1024, q8_0>) -> tensor<?x2048xf32>
  %k = transformer.linear %xn, %wk : (tensor<?x1024xf32>, !transformer.weight<1024x1024, q8_0>) -> tensor<?x1024xf32>
  %v = transformer.linear %xn, %wv : (tensor<?x1024xf32>, !transformer.weight<1024x1024, q8_0>) -> tensor<?x1024xf32>
  %q_norm = transformer.weight "blk.0.attn_q_norm.weight" : !transformer.weight<128, f32>
  %k_norm = transformer.weight "blk.0.attn_k_norm.weight" : !transformer.weight<128, f32>
  %qn = transformer.head_rmsnorm %q, %q_norm {head_dim = 128 : i64, eps = 1.0e-06 : f32} : (tensor<?x2048xf32>, !transformer.weight<128, f32>) -> tensor<?x2048xf32>
  %kn = transformer.head_rmsnorm %k, %k_norm {head_dim = 128 : i64, eps = 1.0e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<128, f32>) -> tensor<?x1024xf32>
  %qr = transformer.rope %qn, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x2048xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  %kr = transformer.rope %kn, %pos {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x1024xf32>
  %att = transformer.attention %qr, %kr, %v, %pos {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32, kv_slot = 0 : i64} : (tensor<?x2048xf32>, tensor<?x1024xf32>, tensor<?x1024xf32>, tensor<?xi32>) -> tensor<?x2048xf32>
  %wo = transformer.weight "blk.0.attn_output.weight" : !transformer.weight<1024x2048, q8_0>
  %o = transformer.linear %att, %wo : (tensor<?x2048xf32>, !transformer.weight<1024x2048, q8_0>) -> tensor<?x1024xf32>
  %h = transformer.add %x, %o : (tensor<?x1024xf32>, tensor<?x1024xf32>) -> tensor<?x1024xf32>
  %ffn_norm = transformer.weight "blk.0.ffn_norm.weight" : !transformer.weight<1024, f32>
  %hn = transformer.rmsnorm %h, %ffn_norm {eps = 1.0e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<1024, f32>) -> tensor<?x1024xf32>
  %wg = transformer.weight "blk.0.ffn_gate.weight" : !transformer.weight<3072x1024, q8_0>
  %wu = transformer.weight "blk.0.ffn_up.weight" : !transformer.weight<3072x1024, q8_0>
  %wd = transformer.weight "blk.0.ffn_down.weight" : !transformer.weight<1024x3072, q8_0>
  %g = transformer.linear %hn, %wg : (tensor<?x1024xf32>, !transformer.weight<3072x1024, q8_0>) -> tensor<?x3072xf32>
  %u = transformer.linear %hn, %wu : (tensor<?x1024xf32>, !transformer.weight<3072x1024, q8_0>) -> tensor<?x3072xf32>
  %gu = transformer.silu_mul %g, %u : (tensor<?x3072xf32>, tensor<?x3072xf32>) -> tensor<?x3072xf32>
  %d = transformer.linear %gu, %wd : (tensor<?x3072xf32>, !transformer.weight<1024x3072, q8_0>) -> tensor<?x1024xf32>
  %y = transformer.add %h, %d : (tensor<?x1024xf32>, tensor<?x1024xf32>) -> tensor<?x1024xf32>
  %out_norm = transformer.weight "output_norm.weight" : !transformer.weight<1024, f32>
  %yn = transformer.rmsnorm %y, %out_norm {eps = 1.0e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<1024, f32>) -> tensor<?x1024xf32>
  %logits = transformer.lm_head %yn, %embd : (tensor<?x1024xf32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x151936xf32>
  %loss = transformer.cross_entropy %logits, %targets : (tensor<?x151936xf32>, tensor<?xi32>) -> tensor<f32>
  func.return %logits, %loss : tensor<?x151936xf32>, tensor<f32>
}

// CHECK-LABEL: func.func @qwen3_one_layer
// CHECK-SAME:    (%[[TOK:[a-z0-9_]+]]: tensor<?xi32>, %[[POS:[a-z0-9_]+]]: tensor<?xi32>, %[[TGT:[a-z0-9_]+]]: tensor<?xi32>)
// CHECK-NEXT:    %[[EMBD:[a-z0-9_]+]] = transformer.weight "token_embd.weight"
// CHECK-NEXT:    %[[X:[a-z0-9_]+]] = transformer.embedding %[[TOK]], %[[EMBD]]
// CHECK-NEXT:    %[[AN:[a-z0-9_]+]] = transformer.weight "blk.0.attn_norm.weight"
// CHECK-NEXT:    %[[XN:[a-z0-9_]+]] = transformer.rmsnorm %[[X]], %[[AN]] {eps = 1.000000e-06 : f32}
// CHECK-NEXT:    %[[WQ:[a-z0-9_]+]] = transformer.weight "blk.0.attn_q.weight"
// CHECK-NEXT:    %[[WK:[a-z0-9_]+]] = transformer.weight "blk.0.attn_k.weight"
// CHECK-NEXT:    %[[WV:[a-z0-9_]+]] = transformer.weight "blk.0.attn_v.weight"
// CHECK-NEXT:    %[[Q:[a-z0-9_]+]] = transformer.linear %[[XN]], %[[WQ]] :
// CHECK-NEXT:    %[[K:[a-z0-9_]+]] = transformer.linear %[[XN]], %[[WK]] :
// CHECK-NEXT:    %[[V:[a-z0-9_]+]] = transformer.linear %[[XN]], %[[WV]] :
// CHECK-NEXT:    %[[QNW:[a-z0-9_]+]] = transformer.weight "blk.0.attn_q_norm.weight"
// CHECK-NEXT:    %[[KNW:[a-z0-9_]+]] = transformer.weight "blk.0.attn_k_norm.weight"
// CHECK-NEXT:    %[[QN:[a-z0-9_]+]] = transformer.head_rmsnorm %[[Q]], %[[QNW]] {head_dim = 128 : i64, eps = 1.000000e-06 : f32}
// CHECK-NEXT:    %[[KN:[a-z0-9_]+]] = transformer.head_rmsnorm %[[K]], %[[KNW]] {head_dim = 128 : i64, eps = 1.000000e-06 : f32}
// CHECK-NEXT:    %[[QR:[a-z0-9_]+]] = transformer.rope %[[QN]], %[[POS]] {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.000000e+06 : f32, style = "neox"}
// CHECK-NEXT:    %[[KR:[a-z0-9_]+]] = transformer.rope %[[KN]], %[[POS]] {head_dim = 128 : i64, n_rot = 128 : i64, theta = 1.000000e+06 : f32, style = "neox"}
// CHECK-NEXT:    %[[ATT:[a-z0-9_]+]] = transformer.attention %[[QR]], %[[KR]], %[[V]], %[[POS]] {n_heads = 16 : i64, n_kv_heads = 8 : i64, head_dim = 128 : i64, scale = 0.0883883461 : f32, kv_slot = 0 : i64}
// CHECK-NEXT:    %[[WO:[a-z0-9_]+]] = transformer.weight "blk.0.attn_output.weight" : !transformer.weight<1024x2048, q8_0>
// CHECK-NEXT:    %[[O:[a-z0-9_]+]] = transformer.linear %[[ATT]], %[[WO]] :
// CHECK-NEXT:    %[[H:[a-z0-9_]+]] = transformer.add %[[X]], %[[O]] :
// CHECK-NEXT:    %[[FN:[a-z0-9_]+]] = transformer.weight "blk.0.ffn_norm.weight"
// CHECK-NEXT:    %[[HN:[a-z0-9_]+]] = transformer.rmsnorm %[[H]], %[[FN]]
// CHECK-NEXT:    %[[WG:[a-z0-9_]+]] = transformer.weight "blk.0.ffn_gate.weight"
// CHECK-NEXT:    %[[WU:[a-z0-9_]+]] = transformer.weight "blk.0.ffn_up.weight"
// CHECK-NEXT:    %[[WD:[a-z0-9_]+]] = transformer.weight "blk.0.ffn_down.weight"
// CHECK-NEXT:    %[[G:[a-z0-9_]+]] = transformer.linear %[[HN]], %[[WG]] :
// CHECK-NEXT:    %[[U:[a-z0-9_]+]] = transformer.linear %[[HN]], %[[WU]] :
// CHECK-NEXT:    %[[GU:[a-z0-9_]+]] = transformer.silu_mul %[[G]], %[[U]] :
// CHECK-NEXT:    %[[D:[a-z0-9_]+]] = transformer.linear %[[GU]], %[[WD]] :
// CHECK-NEXT:    %[[Y:[a-z0-9_]+]] = transformer.add %[[H]], %[[D]] :
// CHECK-NEXT:    %[[ON:[a-z0-9_]+]] = transformer.weight "output_norm.weight"
// CHECK-NEXT:    %[[YN:[a-z0-9_]+]] = transformer.rmsnorm %[[Y]], %[[ON]]
// CHECK-NEXT:    %[[LOGITS:[a-z0-9_]+]] = transformer.lm_head %[[YN]], %[[EMBD]] : (tensor<?x1024xf32>, !transformer.weight<151936x1024, q8_0>) -> tensor<?x151936xf32>
// CHECK-NEXT:    %[[LOSS:[a-z0-9_]+]] = transformer.cross_entropy %[[LOGITS]], %[[TGT]] : (tensor<?x151936xf32>, tensor<?xi32>) -> tensor<f32>
// CHECK-NEXT:    func.return %[[LOGITS]], %[[LOSS]] : tensor<?x151936xf32>, tensor<f32>
// CHECK-NEXT:  }
