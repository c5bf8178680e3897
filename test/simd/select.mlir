// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// A causal mask over 16 keys: the score where the key's position is at most the query's, else -inf.
func.func @causal_mask(%kpos: vector<16xi32>, %p: vector<16xi32>, %s: vector<16xf32>, %ninf: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %le = simd.select sle %kpos, %p, %s, %ninf : vector<16xi32>, vector<16xf32>
  %lt = simd.select slt %kpos, %p, %s, %ninf {note = "strictly before"} : vector<16xi32>, vector<16xf32>
  func.return %le, %lt : vector<16xf32>, vector<16xf32>
}

// CHECK-LABEL: func.func @causal_mask
// CHECK-NEXT:    %[[LE:.*]] = simd.select sle %kpos, %p, %s, %ninf : vector<16xi32>, vector<16xf32>
// CHECK-NEXT:    %[[LT:.*]] = simd.select slt %kpos, %p, %s, %ninf {note = "strictly before"} : vector<16xi32>, vector<16xf32>
// CHECK-NEXT:    func.return %[[LE]], %[[LT]] : vector<16xf32>, vector<16xf32>
