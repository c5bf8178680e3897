// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Two 4-bit weights per byte, unpacked in registers: the low and the high half of each byte.
func.func @halves(%v: vector<64xi8>, %w: vector<4xi8>) attributes {simd.isa = #simd.isa<avx512>} {
  %lo = simd.nibbles %v {half = "low"} : vector<64xi8>
  %hi = simd.nibbles %v {half = "high"} : vector<64xi8>
  %s = simd.nibbles %w {half = "high"} : vector<4xi8>
  func.return
}
// CHECK-LABEL: func.func @halves(
// CHECK-NEXT:    %lo = simd.nibbles %v {half = "low"} : vector<64xi8>
// CHECK-NEXT:    %hi = simd.nibbles %v {half = "high"} : vector<64xi8>
// CHECK-NEXT:    %s = simd.nibbles %w {half = "high"} : vector<4xi8>
