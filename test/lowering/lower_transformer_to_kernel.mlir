// RUN: ck-opt %s -p lower-transformer-to-kernel | filecheck %s
// RUN: ck-opt %s -p 'lower-transformer-to-kernel{act_dtype="q8_0"}' | filecheck %s --check-prefix=Q8
// One token: GEMV and decode attention; a chunk: GEMM and prefill attention.
// q8_0 weights take q8_0 activations only when asked. A prefill's lm head whose
// logits are returned computes only the last rows (last_rows).
// Each kernel names the transformer op it came from (`ck.origin`: the op's index in its
// function's body) and its layer (`ck.layer`, from a blk.N weight it reads).

func.func @decode(%tok: tensor<1xi32>, %pos: tensor<1xi32>) -> tensor<1x64xf32> {
  %e = transformer.weight "token_embd.weight" : !transformer.weight<256x64, q8_0>
  %n = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<64, f32>
  %wq = transformer.weight "blk.0.attn_q.weight" : !transformer.weight<64x64, q8_0>
  %bq = transformer.weight "blk.0.attn_q.bias" : !transformer.weight<64, f32>
  %wk = transformer.weight "blk.0.attn_k.weight" : !transformer.weight<32x64, f16>
  %x = transformer.embedding %tok, %e : (tensor<1xi32>, !transformer.weight<256x64, q8_0>) -> tensor<1x64xf32>
  %h = transformer.rmsnorm %x, %n {eps = 1.0e-06 : f32} : (tensor<1x64xf32>, !transformer.weight<64, f32>) -> tensor<1x64xf32>
  %q = transformer.linear %h, %wq bias %bq : (tensor<1x64xf32>, !transformer.weight<64x64, q8_0>, !transformer.weight<64, f32>) -> tensor<1x64xf32>
  %k = transformer.linear %h, %wk : (tensor<1x64xf32>, !transformer.weight<32x64, f16>) -> tensor<1x32xf32>
  %qr = transformer.rope %q, %pos {head_dim = 16 : i64, n_rot = 16 : i64, theta = 1.0e+06 : f32, style = "neox"} : (tensor<1x64xf32>, tensor<1xi32>) -> tensor<1x64xf32>
  %a = transformer.attention %qr, %k, %k, %pos {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 16 : i64, scale = 0.25 : f32, kv_slot = 0 : i64} : (tensor<1x64xf32>, tensor<1x32xf32>, tensor<1x32xf32>, tensor<1xi32>) -> tensor<1x64xf32>
  %r = transformer.add %x, %a : (tensor<1x64xf32>, tensor<1x64xf32>) -> tensor<1x64xf32>
  func.return %r : tensor<1x64xf32>
}

// CHECK-LABEL: func.func @decode
// CHECK:       %x = kernel.embedding ins(%tok, %e : tensor<1xi32>, !transformer.weight<256x64, q8_0>) {ck.origin = "transformer.embedding#5", w_dtype = "q8_0"} -> tensor<1x64xf32>
// CHECK-NEXT:  %h = kernel.rmsnorm ins(%x, %n : {{.*}}) {ck.origin = "transformer.rmsnorm#6", ck.layer = 0 : i64, eps = 1.000000e-06 : f32} -> tensor<1x64xf32>
// CHECK-NEXT:  %q = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wq : !transformer.weight<64x64, q8_0>) bias(%bq : !transformer.weight<64, f32>) {ck.origin = "transformer.linear#7", ck.layer = 0 : i64, w_dtype = "q8_0", act_dtype = "f32"} -> tensor<1x64xf32>
// CHECK-NEXT:  %k = kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wk : !transformer.weight<32x64, f16>) {ck.origin = "transformer.linear#8", ck.layer = 0 : i64, w_dtype = "f16", act_dtype = "f32"} -> tensor<1x32xf32>
// CHECK-NEXT:  %qr = kernel.rope ins(%q, %pos : {{.*}}) {ck.origin = "transformer.rope#9", head_dim = 16 : i64, n_rot = 16 : i64, theta = 1.000000e+06 : f32, style = "neox"}
// CHECK-NEXT:  %a = kernel.attention ins(%qr, %k, %k, %pos : {{.*}}) {ck.origin = "transformer.attention#10", {{.*}}variant = "decode", kv_slot = 0 : i64}
// CHECK-NEXT:  %r = kernel.add ins(%x, %a : tensor<1x64xf32>, tensor<1x64xf32>) {ck.origin = "transformer.add#11"} -> tensor<1x64xf32>
// CHECK-NOT:   transformer.{{(rmsnorm|linear|rope|attention|add)}}

// Q8:     kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wq : {{.*}}) bias(%bq : {{.*}}) {{{.*}}w_dtype = "q8_0", act_dtype = "q8_0"}
// Q8:     kernel.gemv ins(%h : tensor<1x64xf32>) weights(%wk : {{.*}}) {{{.*}}w_dtype = "f16", act_dtype = "f32"}

func.func @prefill(%tok: tensor<?xi32>, %pos: tensor<?xi32>) -> tensor<?x256xf32> {
  %e = transformer.weight "token_embd.weight" : !transformer.weight<256x64, f32>
  %x = transformer.embedding %tok, %e : (tensor<?xi32>, !transformer.weight<256x64, f32>) -> tensor<?x64xf32>
  %a = transformer.attention %x, %x, %x, %pos {n_heads = 4 : i64, n_kv_heads = 4 : i64, head_dim = 16 : i64, scale = 0.25 : f32, kv_slot = 3 : i64} : (tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?xi32>) -> tensor<?x64xf32>
  %s = transformer.silu_mul %x, %a : (tensor<?x64xf32>, tensor<?x64xf32>) -> tensor<?x64xf32>
  %l = transformer.lm_head %s, %e : (tensor<?x64xf32>, !transformer.weight<256x64, f32>) -> tensor<?x256xf32>
  func.return %l : tensor<?x256xf32>
}

// CHECK-LABEL: func.func @prefill
// CHECK:       %a = kernel.attention ins(%x, %x, %x, %pos : {{.*}}) {ck.origin = "transformer.attention#2", {{.*}}variant = "prefill", kv_slot = 3 : i64}
// CHECK-NEXT:  %s = kernel.silu_mul ins(%x, %a : {{.*}}) {ck.origin = "transformer.silu_mul#3"} -> tensor<?x64xf32>
// CHECK-NEXT:  %l = kernel.gemm ins(%s : tensor<?x64xf32>) weights(%e : !transformer.weight<256x64, f32>) {ck.origin = "transformer.lm_head#4", w_dtype = "f32", act_dtype = "f32", last_rows} -> tensor<?x256xf32>
