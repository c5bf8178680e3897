// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// transformer.weight and !transformer.weight<SHAPE, DTYPE> for every storage
// dtype, 1-D and 2-D, Qwen3-0.6B shapes (hidden 1024, ffn 3072, vocab 151936).

func.func @weights_by_dtype() {
  %embd = transformer.weight "token_embd.weight" : !transformer.weight<151936x1024, q8_0>
  %norm = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<1024, f32>
  %q = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<2048x1024, f16>
  %k = transformer.weight "blk.0.attn_k.weight" : !transformer.weight<1024x1024, bf16>
  %gate = transformer.weight "blk.0.ffn_gate.weight" : !transformer.weight<3072x1024, f32>
  %down = transformer.weight "blk.0.ffn_down.weight" : !transformer.weight<1024x3072, q8_0>
  %qn = transformer.weight "blk.0.attn_q_norm.weight" : !transformer.weight<128, f16>
  %kn = transformer.weight "blk.0.attn_k_norm.weight" : !transformer.weight<128, bf16>
  %qb = transformer.weight "blk.0.attn_q.bias" : !transformer.weight<2048, q8_0>
  func.return
}

// CHECK-LABEL: func.func @weights_by_dtype() {
// CHECK-NEXT:    %embd = transformer.weight "token_embd.weight" : !transformer.weight<151936x1024, q8_0>
// CHECK-NEXT:    %norm = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<1024, f32>
// CHECK-NEXT:    %q = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<2048x1024, f16>
// CHECK-NEXT:    %k = transformer.weight "blk.0.attn_k.weight" : !transformer.weight<1024x1024, bf16>
// CHECK-NEXT:    %gate = transformer.weight "blk.0.ffn_gate.weight" : !transformer.weight<3072x1024, f32>
// CHECK-NEXT:    %down = transformer.weight "blk.0.ffn_down.weight" : !transformer.weight<1024x3072, q8_0>
// CHECK-NEXT:    %qn = transformer.weight "blk.0.attn_q_norm.weight" : !transformer.weight<128, f16>
// CHECK-NEXT:    %kn = transformer.weight "blk.0.attn_k_norm.weight" : !transformer.weight<128, bf16>
// CHECK-NEXT:    %qb = transformer.weight "blk.0.attn_q.bias" : !transformer.weight<2048, q8_0>
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// The weight type as a function argument and result (no transformer.weight op),
// smallest legal shapes: one element for the plain dtypes, one q8_0 block.
func.func @weight_args(%a: !transformer.weight<1, f32>, %b: !transformer.weight<1x1, f16>, %c: !transformer.weight<7x3, bf16>, %d: !transformer.weight<1x32, q8_0>) -> !transformer.weight<1x32, q8_0> {
  func.return %d : !transformer.weight<1x32, q8_0>
}

// CHECK-LABEL: func.func @weight_args
// CHECK-SAME:    (%[[A:[a-z0-9_]+]]: !transformer.weight<1, f32>, %[[B:[a-z0-9_]+]]: !transformer.weight<1x1, f16>,
// CHECK-SAME:     %[[C:[a-z0-9_]+]]: !transformer.weight<7x3, bf16>, %[[D:[a-z0-9_]+]]: !transformer.weight<1x32, q8_0>)
// CHECK-SAME:    -> !transformer.weight<1x32, q8_0> {
// CHECK-NEXT:    func.return %[[D]] : !transformer.weight<1x32, q8_0>
// CHECK-NEXT:  }

// Extra (discardable) attributes survive next to the tensor name.
func.func @weight_discardable_attr() {
  %w = transformer.weight "output.weight" {ck.tied = "token_embd.weight"} : !transformer.weight<151936x1024, bf16>
  func.return
}

// CHECK-LABEL: func.func @weight_discardable_attr() {
// CHECK-NEXT:    %w = transformer.weight "output.weight" {ck.tied = "token_embd.weight"} : !transformer.weight<151936x1024, bf16>
// CHECK-NEXT:    func.return
