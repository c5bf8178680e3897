// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Horizontal reductions: a row sum (dot product tail) and a row max (softmax).
func.func @reductions(%v: vector<16xf32>, %c: vector<16xi32>) -> (f32, f32, i32, i32) attributes {simd.isa = #simd.isa<avx512>} {
  %sum = simd.reduce add %v : vector<16xf32> -> f32
  %max = simd.reduce max %v : vector<16xf32> -> f32
  %isum = simd.reduce add %c : vector<16xi32> -> i32
  %imax = simd.reduce max %c : vector<16xi32> -> i32
  func.return %sum, %max, %isum, %imax : f32, f32, i32, i32
}

// CHECK-LABEL: func.func @reductions
// CHECK-NEXT:    %[[SUM:.*]] = simd.reduce add %v : vector<16xf32> -> f32
// CHECK-NEXT:    %[[MAX:.*]] = simd.reduce max %v : vector<16xf32> -> f32
// CHECK-NEXT:    %[[ISUM:.*]] = simd.reduce add %c : vector<16xi32> -> i32
// CHECK-NEXT:    %[[IMAX:.*]] = simd.reduce max %c : vector<16xi32> -> i32
// CHECK-NEXT:    func.return %[[SUM]], %[[MAX]], %[[ISUM]], %[[IMAX]] : f32, f32, i32, i32

func.func @avx2_sum(%v: vector<8xf32>) -> f32 attributes {simd.isa = #simd.isa<avx2>} {
  %s = simd.reduce add %v {note = "row 0"} : vector<8xf32> -> f32
  func.return %s : f32
}

// CHECK-LABEL: func.func @avx2_sum
// CHECK-NEXT:    simd.reduce add %v {note = "row 0"} : vector<8xf32> -> f32
