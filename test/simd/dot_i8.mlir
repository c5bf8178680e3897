// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// vpdpbusd: acc[j] += sum_k u8(a[4j+k]) * s8(b[4j+k]). a is the unsigned
// operand (Q8_0 weights stored as q ^ 0x80), b the signed activation.
func.func @zmm(%acc: vector<16xi32>, %w: vector<64xi8>, %x: vector<64xi8>) -> vector<16xi32> attributes {simd.isa = #simd.isa<avx512>} {
  %r = simd.dot_i8 %acc, %w, %x : vector<16xi32>, vector<64xi8>, vector<64xi8>
  func.return %r : vector<16xi32>
}

// CHECK-LABEL: func.func @zmm
// CHECK-NEXT:    %[[R:.*]] = simd.dot_i8 %acc, %w, %x : vector<16xi32>, vector<64xi8>, vector<64xi8>
// CHECK-NEXT:    func.return %[[R]] : vector<16xi32>

// 256-bit form (AVX-VNNI / AVX512VL ymm) and a chain of two k-steps.
func.func @ymm_chain(%acc: vector<8xi32>, %w0: vector<32xi8>, %w1: vector<32xi8>, %x: vector<32xi8>) -> vector<8xi32> attributes {simd.isa = #simd.isa<avx2>} {
  %a0 = simd.dot_i8 %acc, %w0, %x : vector<8xi32>, vector<32xi8>, vector<32xi8>
  %a1 = simd.dot_i8 %a0, %w1, %x {step = 1 : i64} : vector<8xi32>, vector<32xi8>, vector<32xi8>
  func.return %a1 : vector<8xi32>
}

// CHECK-LABEL: func.func @ymm_chain
// CHECK-NEXT:    %[[A0:.*]] = simd.dot_i8 %acc, %w0, %x : vector<8xi32>, vector<32xi8>, vector<32xi8>
// CHECK-NEXT:    %[[A1:.*]] = simd.dot_i8 %[[A0]], %w1, %x {step = 1 : i64} : vector<8xi32>, vector<32xi8>, vector<32xi8>
// CHECK-NEXT:    func.return %[[A1]] : vector<8xi32>

// scalar: one i32 lane, the 4 bytes of one k-step.
func.func @scalar(%acc: vector<1xi32>, %w: vector<4xi8>, %x: vector<4xi8>) -> vector<1xi32> attributes {simd.isa = #simd.isa<scalar>} {
  %r = simd.dot_i8 %acc, %w, %x : vector<1xi32>, vector<4xi8>, vector<4xi8>
  func.return %r : vector<1xi32>
}

// CHECK-LABEL: func.func @scalar
// CHECK-NEXT:    simd.dot_i8 %acc, %w, %x : vector<1xi32>, vector<4xi8>, vector<4xi8>
