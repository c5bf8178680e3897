// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

// Every error of WeightType.verify (ck_dialects/types.py) and of transformer.weight.
// A bad weight type is rejected while it is parsed, so only the message is printed.

func.func @weight_rank3(%w: !transformer.weight<2x3x128, f32>) {
  func.return
}
// CHECK: weight must be 1-D or 2-D, got shape 2x3x128

// -----

func.func @weight_rank0(%w: !transformer.weight<, f32>) {
  func.return
}
// CHECK: weight must be 1-D or 2-D, got shape scalar

// -----

func.func @weight_zero_dim() {
  %w = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<0x1024, f16>
  func.return
}
// CHECK: weight dimensions must be static and positive, got 0x1024

// -----

func.func @weight_zero_1d(%w: !transformer.weight<0, bf16>) {
  func.return
}
// CHECK: weight dimensions must be static and positive, got 0{{$}}

// -----

// A dynamic dimension is not allowed (printed as `?`).
func.func @weight_dynamic_dim(%w: !transformer.weight<?x1024, f32>) {
  func.return
}
// CHECK: weight dimensions must be static and positive, got ?x1024

// -----

// Same for the last dimension, on the result type of transformer.weight.
func.func @weight_dynamic_last_dim() {
  %w = transformer.weight "blk.0.ffn_up.weight" : !transformer.weight<3072x?, q8_0>
  func.return
}
// CHECK: weight dimensions must be static and positive, got 3072x?

// -----

func.func @weight_dynamic_1d(%w: !transformer.weight<?, bf16>) {
  func.return
}
// CHECK: weight dimensions must be static and positive, got ?{{$}}

// -----

func.func @weight_bad_dtype(%w: !transformer.weight<1024x1024, iq2_xs>) {
  func.return
}
// CHECK: unsupported weight dtype 'iq2_xs' (supported: f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q5_k, q6_k)

// -----

func.func @weight_bad_dtype_op() {
  %w = transformer.weight "output.weight" : !transformer.weight<151936x1024, f64>
  func.return
}
// CHECK: unsupported weight dtype 'f64' (supported: f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q5_k, q6_k)

// -----

func.func @weight_q8_0_1d(%w: !transformer.weight<100, q8_0>) {
  func.return
}
// CHECK: weight dtype q8_0 needs the last dimension to be a multiple of 32, got 100

// -----

// 2-D: only the last (input) dimension has to hold whole q8_0 blocks.
func.func @weight_q8_0_2d() {
  %w = transformer.weight "blk.0.attn_k.weight" : !transformer.weight<1024x48, q8_0>
  func.return
}
// CHECK: weight dtype q8_0 needs the last dimension to be a multiple of 32, got 48

// -----

func.func @weight_empty_name() {
  %w = transformer.weight "" : !transformer.weight<1024, f32>
  func.return
}
// CHECK: Operation does not verify: weight tensor_name must not be empty
