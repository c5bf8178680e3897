// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @silu_mul_shapes(%g: tensor<?x256xf32>, %u: tensor<?x128xf32>) {
  %0 = kernel.silu_mul ins(%g, %u : tensor<?x256xf32>, tensor<?x128xf32>) -> tensor<?x256xf32>
  func.return
}
// CHECK: kernel.silu_mul: up has shape ?x128, expected ?x256

// -----

func.func @add_dtype(%x: tensor<4x64xf32>, %r: tensor<4x64xf16>) {
  %0 = kernel.add ins(%x, %r : tensor<4x64xf32>, tensor<4x64xf16>) -> tensor<4x64xf32>
  func.return
}
// CHECK: kernel.add: rhs must be a tensor or memref of f32, got tensor<4x64xf16>

// -----

func.func @embedding_dtype(%tok: tensor<?xi32>) {
  %t = transformer.weight "token_embd.weight" : !transformer.weight<256x64, q8_0>
  %0 = kernel.embedding ins(%tok, %t : tensor<?xi32>, !transformer.weight<256x64, q8_0>) {w_dtype = "f16"} -> tensor<?x64xf32>
  func.return
}
// CHECK: kernel.embedding: w_dtype f16 does not match the storage dtype q8_0 of table 'token_embd.weight'

// -----

func.func @embedding_tokens(%tok: tensor<?xf32>, %t: !transformer.weight<256x64, f32>) {
  %0 = kernel.embedding ins(%tok, %t : tensor<?xf32>, !transformer.weight<256x64, f32>) {w_dtype = "f32"} -> tensor<?x64xf32>
  func.return
}
// CHECK: kernel.embedding: tokens must be a tensor or memref of i32, got tensor<?xf32>

// -----

func.func @quantize_block(%x: tensor<?x48xf32>) {
  %0, %1, %2 = kernel.quantize_act ins(%x : tensor<?x48xf32>) -> tensor<?x48xi8>, tensor<?x1xf32>, tensor<?x1xi32>
  func.return
}
// CHECK: kernel.quantize_act: x has 48 features, not a multiple of the q8_0 block 32

// -----

func.func @quantize_scales(%x: tensor<?x64xf32>) {
  %0, %1, %2 = kernel.quantize_act ins(%x : tensor<?x64xf32>) -> tensor<?x64xi8>, tensor<?x64xf32>, tensor<?x2xi32>
  func.return
}
// CHECK: kernel.quantize_act: scales has shape ?x64, expected ?x2

// -----

func.func @quantize_q_dtype(%x: tensor<?x64xf32>) {
  %0, %1, %2 = kernel.quantize_act ins(%x : tensor<?x64xf32>) -> tensor<?x64xf32>, tensor<?x2xf32>, tensor<?x2xi32>
  func.return
}
// CHECK: kernel.quantize_act: q must be a tensor or memref of i8, got tensor<?x64xf32>

// -----

func.func @quantize_sums_dtype(%x: tensor<?x64xf32>) {
  %0, %1, %2 = kernel.quantize_act ins(%x : tensor<?x64xf32>) -> tensor<?x64xi8>, tensor<?x2xf32>, tensor<?x2xf32>
  func.return
}
// CHECK: kernel.quantize_act: sums must be a tensor or memref of i32, got tensor<?x2xf32>

// -----

func.func @quantize_sums_shape(%x: tensor<?x64xf32>) {
  %0, %1, %2 = kernel.quantize_act ins(%x : tensor<?x64xf32>) -> tensor<?x64xi8>, tensor<?x2xf32>, tensor<?x64xi32>
  func.return
}
// CHECK: kernel.quantize_act: sums has shape ?x64, expected ?x2

// -----

// Kernels without a split of their own divide their tokens or are replicated.
func.func @quantize_split(%x: tensor<1x64xf32>) {
  %0, %1, %2 = kernel.quantize_act ins(%x : tensor<1x64xf32>) {split = "rows"} -> tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
  func.return
}
// CHECK: kernel.quantize_act: unknown split for kernel.quantize_act 'rows' (expected one of tokens, replicate)

// -----

func.func @embedding_split(%tok: tensor<1xi32>, %t: !transformer.weight<256x64, f32>) {
  %0 = kernel.embedding ins(%tok, %t : tensor<1xi32>, !transformer.weight<256x64, f32>) {w_dtype = "f32", split = "threads"} -> tensor<1x64xf32>
  func.return
}
// CHECK: kernel.embedding: unknown split for kernel.embedding 'threads' (expected one of tokens, replicate)
