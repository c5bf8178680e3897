// RUN: ck-opt %s -p fuse-residual-norm | filecheck %s
// The residual add folds into the rmsnorm that reads its sum: the fused rmsnorm
// takes the add's operands (x, then the residual as third operand) and writes
// both the sum (the residual stream goes on) and the normalized y. The fused op
// goes where the add was; the norm weight moves up to it.

func.func @layer(%x: tensor<1x64xf32>, %o: tensor<1x64xf32>) -> (tensor<1x64xf32>, tensor<1x64xf32>) {
  %x2 = kernel.add ins(%x, %o : tensor<1x64xf32>, tensor<1x64xf32>) -> tensor<1x64xf32>
  %w = transformer.weight "blk.0.ffn_norm.weight" : !transformer.weight<64, f32>
  %h = kernel.rmsnorm ins(%x2, %w : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32} -> tensor<1x64xf32>
  func.return %x2, %h : tensor<1x64xf32>, tensor<1x64xf32>
}

// CHECK-LABEL: func.func @layer
// CHECK-NEXT:    %w = transformer.weight "blk.0.ffn_norm.weight" : !transformer.weight<64, f32>
// CHECK-NEXT:    %x2, %h = kernel.rmsnorm ins(%x, %w, %o : tensor<1x64xf32>, !transformer.weight<64, f32>, tensor<1x64xf32>) {eps = 1.000000e-06 : f32} -> tensor<1x64xf32>, tensor<1x64xf32>
// CHECK-NEXT:    func.return %x2, %h : tensor<1x64xf32>, tensor<1x64xf32>
// CHECK-NOT:     kernel.add

// The sum read by a second norm: that one reads the fused op's sum.
func.func @two_norms(%x: tensor<?x64xf32>, %o: tensor<?x64xf32>, %w: !transformer.weight<64, f32>, %w2: !transformer.weight<64, f32>) -> (tensor<?x64xf32>, tensor<?x64xf32>) {
  %x2 = kernel.add ins(%x, %o : tensor<?x64xf32>, tensor<?x64xf32>) -> tensor<?x64xf32>
  %h = kernel.rmsnorm ins(%x2, %w : tensor<?x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32} -> tensor<?x64xf32>
  %h2 = kernel.rmsnorm ins(%x2, %w2 : tensor<?x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-05 : f32} -> tensor<?x64xf32>
  func.return %h, %h2 : tensor<?x64xf32>, tensor<?x64xf32>
}

// CHECK-LABEL: func.func @two_norms
// CHECK-NEXT:    %x2, %h = kernel.rmsnorm ins(%x, %w, %o : tensor<?x64xf32>, !transformer.weight<64, f32>, tensor<?x64xf32>) {eps = 1.000000e-06 : f32} -> tensor<?x64xf32>, tensor<?x64xf32>
// CHECK-NEXT:    %h2 = kernel.rmsnorm ins(%x2, %w2 : tensor<?x64xf32>, !transformer.weight<64, f32>) {eps = 1.000000e-05 : f32} -> tensor<?x64xf32>
// CHECK-NEXT:    func.return %h, %h2

// Left alone: a norm of something else than an add, and a norm already quantizing
// its output.
func.func @not_an_add(%x: tensor<1x64xf32>, %g: tensor<1x64xf32>, %w: !transformer.weight<64, f32>) -> tensor<1x64xf32> {
  %s = kernel.silu_mul ins(%x, %g : tensor<1x64xf32>, tensor<1x64xf32>) -> tensor<1x64xf32>
  %h = kernel.rmsnorm ins(%s, %w : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32} -> tensor<1x64xf32>
  func.return %h : tensor<1x64xf32>
}

// CHECK-LABEL: func.func @not_an_add
// CHECK-NEXT:    %s = kernel.silu_mul
// CHECK-NEXT:    %h = kernel.rmsnorm ins(%s, %w : tensor<1x64xf32>, !transformer.weight<64, f32>)

func.func @quantized(%x: tensor<1x64xf32>, %o: tensor<1x64xf32>, %w: !transformer.weight<64, f32>) -> (tensor<1x64xf32>, tensor<1x64xi8>) {
  %x2 = kernel.add ins(%x, %o : tensor<1x64xf32>, tensor<1x64xf32>) -> tensor<1x64xf32>
  %h, %hq, %hs, %hsum = kernel.rmsnorm ins(%x2, %w : tensor<1x64xf32>, !transformer.weight<64, f32>) {eps = 1.0e-06 : f32, quantize = "q8_0"} -> tensor<1x64xf32>, tensor<1x64xi8>, tensor<1x2xf32>, tensor<1x2xi32>
  func.return %h, %hq : tensor<1x64xf32>, tensor<1x64xi8>
}

// CHECK-LABEL: func.func @quantized
// CHECK-NEXT:    %x2 = kernel.add ins(%x, %o : tensor<1x64xf32>, tensor<1x64xf32>) -> tensor<1x64xf32>
// CHECK-NEXT:    %h, %hq, %hs, %hsum = kernel.rmsnorm ins(%x2, %w : {{.*}}) {eps = 1.000000e-06 : f32, quantize = "q8_0"}
