// RUN: ck-opt %s -p fuse-quantize | filecheck %s
// A kernel.quantize_act folds into the kernel producing its input when that kernel
// can write the q8_0 form itself (rmsnorm's y, attention when the query heads of
// one kv head are whole 32-blocks, a matmul with a single output whose rows are
// whole blocks): the producer gets quantize = "q8_0" and three more outputs (y_q,
// y_scales, y_sums), which the matmuls then read.

func.func @ffn(%x: tensor<1x64xf32>, %n: !transformer.weight<64, f32>, %wg: !transformer.weight<64x64, q8_0>, %wu: !transformer.weight<64x64, q8_0>, %wd: !transformer.weight<64x64, q8_0>) -> (tensor<1x64xf32>, tensor<1x64xf32>) {
  %h = kernel.rmsnorm ins(%x, %n : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32} -> tensor<1x64xf32>
  %h_q, %h_scales, %h_sums = kernel.quantize_act ins(%h : tensor<1x64xf32>) -> tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
  %a = kernel.gemv ins(%h_q, %h_scales, %h_sums : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>) weights(%wg, %wu : !transformer.weight<64x64, q8_0>, !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0", epilogue = "silu_mul"} -> tensor<1x64xf32>
  %a_q, %a_scales, %a_sums = kernel.quantize_act ins(%a : tensor<1x64xf32>) -> tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
  %y = kernel.gemv ins(%a_q, %a_scales, %a_sums : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>) weights(%wd : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
  func.return %y, %h : tensor<1x64xf32>, tensor<1x64xf32>
}

// CHECK-LABEL: func.func @ffn
// CHECK-NEXT:    %h, %h_q, %h_scales, %h_sums = kernel.rmsnorm ins(%x, %n : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.000000e-06 : f32, quantize = "q8_0"} -> tensor<1x64xf32>, tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
// CHECK-NEXT:    %a, %a_q, %a_scales, %a_sums = kernel.gemv ins(%h_q, %h_scales, %h_sums : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>) weights(%wg, %wu : !transformer.weight<64x64, q8_0>, !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0", epilogue = "silu_mul", quantize = "q8_0"} -> tensor<1x64xf32>, tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
// CHECK-NEXT:    %y = kernel.gemv ins(%a_q, %a_scales, %a_sums : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>) weights(%wd : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
// CHECK-NEXT:    func.return %y, %h
// CHECK-NOT:     kernel.quantize_act

// Attention: 2 query heads of 32 per kv head are whole blocks.
func.func @attn(%q: tensor<1x128xf32>, %k: tensor<1x64xf32>, %v: tensor<1x64xf32>, %pos: tensor<1xi32>, %wo: !transformer.weight<64x128, q8_0>) -> tensor<1x64xf32> {
  %o = kernel.attention ins(%q, %k, %v, %pos : tensor<1x128xf32>, tensor<1x64xf32>, tensor<1x64xf32>, tensor<1xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64} -> tensor<1x128xf32>
  %o_q, %o_scales, %o_sums = kernel.quantize_act ins(%o : tensor<1x128xf32>) -> tensor<1x128xi8>, tensor<1x4xf32>, tensor<1x4xi32>
  %y = kernel.gemv ins(%o_q, %o_scales, %o_sums : tensor<1x128xi8>, tensor<1x4xf32>, tensor<1x4xi32>) weights(%wo : !transformer.weight<64x128, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
  func.return %y : tensor<1x64xf32>
}

// CHECK-LABEL: func.func @attn
// CHECK-NEXT:    %o, %o_q, %o_scales, %o_sums = kernel.attention ins(%q, %k, %v, %pos : {{.*}}) {{{.*}}kv_slot = 0 : i64, quantize = "q8_0"} -> tensor<1x128xf32>, tensor<1x128xi8>, tensor<1x4xf32>, tensor<1x4xi32>
// CHECK-NEXT:    %y = kernel.gemv ins(%o_q, %o_scales, %o_sums : {{.*}}) weights(%wo : !transformer.weight<64x128, q8_0>)
// CHECK-NEXT:    func.return %y

// Left alone: attention with one head of 16 per kv head (not a whole block), a
// rmsnorm's sum (the norm quantizes only its y, which it does here), and a
// matmul with two outputs.

func.func @attn16(%q: tensor<1x32xf32>, %k: tensor<1x32xf32>, %v: tensor<1x32xf32>, %pos: tensor<1xi32>, %wo: !transformer.weight<32x32, q8_0>) -> tensor<1x32xf32> {
  %o = kernel.attention ins(%q, %k, %v, %pos : tensor<1x32xf32>, tensor<1x32xf32>, tensor<1x32xf32>, tensor<1xi32>) {n_heads = 2 : i64, n_kv_heads = 2 : i64, head_dim = 16 : i64, scale = 0.25 : f32, variant = "decode", kv_slot = 0 : i64} -> tensor<1x32xf32>
  %o_q, %o_scales, %o_sums = kernel.quantize_act ins(%o : tensor<1x32xf32>) -> tensor<1x32xi8>, tensor<1x1xf32>, tensor<1x1xi32>
  %y = kernel.gemv ins(%o_q, %o_scales, %o_sums : tensor<1x32xi8>, tensor<1x1xf32>, tensor<1x1xi32>) weights(%wo : !transformer.weight<32x32, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x32xf32>
  func.return %y : tensor<1x32xf32>
}

// CHECK-LABEL: func.func @attn16
// CHECK-NEXT:    %o = kernel.attention ins({{.*}}) {{{.*}}kv_slot = 0 : i64} -> tensor<1x32xf32>
// CHECK-NEXT:    %o_q, %o_scales, %o_sums = kernel.quantize_act ins(%o : tensor<1x32xf32>)

func.func @residual(%x: tensor<1x64xf32>, %r: tensor<1x64xf32>, %n: !transformer.weight<64, f32>, %wq: !transformer.weight<64x64, q8_0>) -> (tensor<1x64xf32>, tensor<1x64xf32>) {
  %s, %h = kernel.rmsnorm ins(%x, %n, %r : tensor<1x64xf32>, !transformer.weight<64, f32>, tensor<1x64xf32>) {eps = 1.0e-06 : f32} -> tensor<1x64xf32>, tensor<1x64xf32>
  %s_q, %s_scales, %s_sums = kernel.quantize_act ins(%s : tensor<1x64xf32>) -> tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
  %h_q, %h_scales, %h_sums = kernel.quantize_act ins(%h : tensor<1x64xf32>) -> tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
  %y = kernel.gemv ins(%h_q, %h_scales, %h_sums : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>) weights(%wq : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
  %y2 = kernel.gemv ins(%s_q, %s_scales, %s_sums : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>) weights(%wq : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
  func.return %y, %y2 : tensor<1x64xf32>, tensor<1x64xf32>
}

// CHECK-LABEL: func.func @residual
// CHECK-NEXT:    %s, %h, %h_q, %h_scales, %h_sums = kernel.rmsnorm ins(%x, %n, %r : tensor<1x64xf32>, !transformer.weight<64, f32>, tensor<1x64xf32>) {eps = 1.000000e-06 : f32, quantize = "q8_0"} -> tensor<1x64xf32>, tensor<1x64xf32>, tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
// CHECK-NEXT:    %s_q, %s_scales, %s_sums = kernel.quantize_act ins(%s : tensor<1x64xf32>)
// CHECK-NEXT:    %y = kernel.gemv ins(%h_q, %h_scales, %h_sums
// CHECK-NEXT:    %y2 = kernel.gemv ins(%s_q, %s_scales, %s_sums

func.func @two_outputs(%x: tensor<1x64xf32>, %w2: !transformer.weight<64x64, q8_0>, %w3: !transformer.weight<32x64, q8_0>, %w4: !transformer.weight<64x64, q8_0>) -> (tensor<1x64xf32>, tensor<1x32xf32>) {
  %a, %b = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%w2, %w3 : !transformer.weight<64x64, q8_0>, !transformer.weight<32x64, q8_0>) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<1x64xf32>, tensor<1x32xf32>
  %a_q, %a_s, %a_m = kernel.quantize_act ins(%a : tensor<1x64xf32>) -> tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
  %y = kernel.gemv ins(%a_q, %a_s, %a_m : tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>) weights(%w4 : !transformer.weight<64x64, q8_0>) {w_dtype = "q8_0", act_dtype = "q8_0"} -> tensor<1x64xf32>
  func.return %y, %b : tensor<1x64xf32>, tensor<1x32xf32>
}

// CHECK-LABEL: func.func @two_outputs
// CHECK-NEXT:    %a, %b = kernel.gemv ins(%x : tensor<1x64xf32>) weights(%w2, %w3 : {{.*}}) {w_dtype = "q8_0", act_dtype = "f32"} -> tensor<1x64xf32>, tensor<1x32xf32>
// CHECK-NEXT:    %a_q, %a_s, %a_m = kernel.quantize_act ins(%a : tensor<1x64xf32>)
