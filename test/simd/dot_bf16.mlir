// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// One k-pair step of a bf16 matmul: a weight panel's rows k and k+1 packed into pairs,
// an activation pair broadcast to every lane, one vdpbf16ps.
func.func @bf16_step(%w0: vector<16xf32>, %w1: vector<16xf32>, %x: vector<32xbf16>, %acc: vector<16xf32>) -> vector<16xf32> attributes {simd.isa = #simd.isa<avx512>} {
  %w = simd.pack_bf16 %w0, %w1 : vector<16xf32>, vector<16xf32> -> vector<32xbf16>
  %r = simd.dot_bf16 %acc, %x, %w : vector<16xf32>, vector<32xbf16>, vector<32xbf16>
  func.return %r : vector<16xf32>
}

// CHECK-LABEL: func.func @bf16_step
// CHECK-NEXT:    %[[W:.*]] = simd.pack_bf16 %w0, %w1 : vector<16xf32>, vector<16xf32> -> vector<32xbf16>
// CHECK-NEXT:    %[[R:.*]] = simd.dot_bf16 %acc, %x, %[[W]] : vector<16xf32>, vector<32xbf16>, vector<32xbf16>
// CHECK-NEXT:    func.return %[[R]] : vector<16xf32>
