// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Grouped-query attention, 4 query heads over 2 KV heads of head_dim 32:
// prefill without and with a KV-cache slot, and one-token decode. In the value
// form the cache is implicit in kv_slot; in the destination-passing form with a
// kv_slot the cache buffers are operands, cache(%kc, %vc : ...), read and appended to,
// each laid out per kv head: [n_kv_heads, context_len, head_dim] of f32 or f16.

func.func @prefill(%q: tensor<?x128xf32>, %k: tensor<?x64xf32>, %v: tensor<?x64xf32>, %pos: tensor<?xi32>) {
  %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<?x128xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "prefill"} -> tensor<?x128xf32>
  %1 = kernel.attention ins(%q, %k, %v, %pos : tensor<?x128xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "prefill", kv_slot = 3 : i64} -> tensor<?x128xf32>
  func.return
}

// CHECK-LABEL: func.func @prefill
// CHECK-NEXT:    %0 = kernel.attention ins(%q, %k, %v, %pos : tensor<?x128xf32>, tensor<?x64xf32>, tensor<?x64xf32>, tensor<?xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "prefill"} -> tensor<?x128xf32>
// CHECK-NEXT:    %1 = kernel.attention ins({{.*}}) {{{.*}}variant = "prefill", kv_slot = 3 : i64} -> tensor<?x128xf32>

func.func @decode(%q: memref<1x128xf32>, %k: memref<1x64xf32>, %v: memref<1x64xf32>, %pos: memref<1xi32>, %kc: memref<2x128x32xf32>, %vc: memref<2x128x32xf32>, %out: memref<1x128xf32>) {
  kernel.attention ins(%q, %k, %v, %pos : memref<1x128xf32>, memref<1x64xf32>, memref<1x64xf32>, memref<1xi32>) cache(%kc, %vc : memref<2x128x32xf32>, memref<2x128x32xf32>) outs(%out : memref<1x128xf32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64}
  func.return
}

// CHECK-LABEL: func.func @decode
// CHECK-NEXT:    kernel.attention ins(%q, %k, %v, %pos : memref<1x128xf32>, memref<1x64xf32>, memref<1x64xf32>, memref<1xi32>) cache(%kc, %vc : memref<2x128x32xf32>, memref<2x128x32xf32>) outs(%out : memref<1x128xf32>) {{{.*}}variant = "decode", kv_slot = 0 : i64}

// Destination-passing prefill: with a kv_slot through the caches (here f16),
// without one on its own k, v.
func.func @prefill_dps(%q: memref<?x128xf32>, %k: memref<?x64xf32>, %v: memref<?x64xf32>, %pos: memref<?xi32>, %kc: memref<2x4096x32xf16>, %vc: memref<2x4096x32xf16>, %out: memref<?x128xf32>) {
  kernel.attention ins(%q, %k, %v, %pos : memref<?x128xf32>, memref<?x64xf32>, memref<?x64xf32>, memref<?xi32>) cache(%kc, %vc : memref<2x4096x32xf16>, memref<2x4096x32xf16>) outs(%out : memref<?x128xf32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "prefill", kv_slot = 1 : i64}
  kernel.attention ins(%q, %k, %v, %pos : memref<?x128xf32>, memref<?x64xf32>, memref<?x64xf32>, memref<?xi32>) outs(%out : memref<?x128xf32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "prefill"}
  func.return
}

// CHECK-LABEL: func.func @prefill_dps
// CHECK-NEXT:    kernel.attention ins(%q, %k, %v, %pos : memref<?x128xf32>, memref<?x64xf32>, memref<?x64xf32>, memref<?xi32>) cache(%kc, %vc : memref<2x4096x32xf16>, memref<2x4096x32xf16>) outs(%out : memref<?x128xf32>) {{{.*}}variant = "prefill", kv_slot = 1 : i64}
// CHECK-NEXT:    kernel.attention ins(%q, %k, %v, %pos : memref<?x128xf32>, memref<?x64xf32>, memref<?x64xf32>, memref<?xi32>) outs(%out : memref<?x128xf32>) {{{.*}}variant = "prefill"}

// With quantize = "q8_0" the output is also written as a q8_0 activation
// (y_q, y_scales, y_sums) for the matmul that reads it; split = "heads" divides
// the kv heads among the threads.
func.func @decode_quantized(%q: tensor<1x128xf32>, %k: tensor<1x64xf32>, %v: tensor<1x64xf32>, %pos: tensor<1xi32>) {
  %o, %o_q, %o_s, %o_sum = kernel.attention ins(%q, %k, %v, %pos : tensor<1x128xf32>, tensor<1x64xf32>, tensor<1x64xf32>, tensor<1xi32>) {n_heads = 4 : i64, n_kv_heads = 2 : i64, head_dim = 32 : i64, scale = 0.176776692 : f32, variant = "decode", kv_slot = 0 : i64, quantize = "q8_0", split = "heads"} -> tensor<1x128xf32>, tensor<1x128xi8>, tensor<1x4xf32>, tensor<1x4xi32>
  func.return
}

// CHECK-LABEL: func.func @decode_quantized
// CHECK-NEXT:    %o, %o_q, %o_s, %o_sum = kernel.attention ins(%q, %k, %v, %pos : {{.*}}) {{{.*}}variant = "decode", kv_slot = 0 : i64, quantize = "q8_0", split = "heads"} -> tensor<1x128xf32>, tensor<1x128xi8>, tensor<1x4xf32>, tensor<1x4xi32>
