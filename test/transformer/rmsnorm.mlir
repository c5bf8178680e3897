// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// transformer.rmsnorm: [T, D] with weight [D] and an f32 eps.

func.func @rmsnorm_dynamic(%x: tensor<?x1024xf32>) -> tensor<?x1024xf32> {
  %w = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<1024, f32>
  %y = transformer.rmsnorm %x, %w {eps = 1.0e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<1024, f32>) -> tensor<?x1024xf32>
  func.return %y : tensor<?x1024xf32>
}

// CHECK-LABEL: func.func @rmsnorm_dynamic
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<?x1024xf32>) -> tensor<?x1024xf32> {
// CHECK-NEXT:    %[[W:[a-z0-9_]+]] = transformer.weight "blk.0.attn_norm.weight" : !transformer.weight<1024, f32>
// CHECK-NEXT:    %[[Y:[a-z0-9_]+]] = transformer.rmsnorm %[[X]], %[[W]] {eps = 1.000000e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<1024, f32>) -> tensor<?x1024xf32>
// CHECK-NEXT:    func.return %[[Y]] : tensor<?x1024xf32>
// CHECK-NEXT:  }

// Static token count, Llama-style eps 1e-5, f16 weight as an argument.
func.func @rmsnorm_static(%x: tensor<8x2048xf32>, %w: !transformer.weight<2048, f16>) -> tensor<8x2048xf32> {
  %y = transformer.rmsnorm %x, %w {eps = 1.0e-05 : f32} : (tensor<8x2048xf32>, !transformer.weight<2048, f16>) -> tensor<8x2048xf32>
  func.return %y : tensor<8x2048xf32>
}

// CHECK-LABEL: func.func @rmsnorm_static
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<8x2048xf32>, %[[W:[a-z0-9_]+]]: !transformer.weight<2048, f16>) -> tensor<8x2048xf32> {
// CHECK-NEXT:    %[[Y:[a-z0-9_]+]] = transformer.rmsnorm %[[X]], %[[W]] {eps = 1.000000e-05 : f32} : (tensor<8x2048xf32>, !transformer.weight<2048, f16>) -> tensor<8x2048xf32>
// CHECK-NEXT:    func.return %[[Y]] : tensor<8x2048xf32>
// CHECK-NEXT:  }

// Final norm before the LM head (bf16 weight), chained on its own output.
func.func @rmsnorm_chain(%x: tensor<?x1024xf32>) -> tensor<?x1024xf32> {
  %w = transformer.weight "output_norm.weight" : !transformer.weight<1024, bf16>
  %y = transformer.rmsnorm %x, %w {eps = 1.0e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<1024, bf16>) -> tensor<?x1024xf32>
  %z = transformer.rmsnorm %y, %w {eps = 9.99999974e-06 : f32} : (tensor<?x1024xf32>, !transformer.weight<1024, bf16>) -> tensor<?x1024xf32>
  func.return %z : tensor<?x1024xf32>
}

// CHECK-LABEL: func.func @rmsnorm_chain
// CHECK-NEXT:    %[[W:[a-z0-9_]+]] = transformer.weight "output_norm.weight" : !transformer.weight<1024, bf16>
// CHECK-NEXT:    %[[Y:[a-z0-9_]+]] = transformer.rmsnorm %{{[a-z0-9_]+}}, %[[W]] {eps = 1.000000e-06 : f32}
// CHECK-NEXT:    %[[Z:[a-z0-9_]+]] = transformer.rmsnorm %[[Y]], %[[W]] {eps = 1.000000e-05 : f32}
// CHECK-NEXT:    func.return %[[Z]] : tensor<?x1024xf32>
