// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Elementwise ops: one type after the colon covers every operand and the result.
func.func @f32_ops(%a: vector<16xf32>, %b: vector<16xf32>, %c: vector<16xf32>) -> vector<16xf32> attributes {simd.isa = #simd.isa<avx512>} {
  %add = simd.add %a, %b : vector<16xf32>
  %sub = simd.sub %add, %b : vector<16xf32>
  %mul = simd.mul %sub, %c : vector<16xf32>
  %max = simd.max %mul, %a : vector<16xf32>
  %fma = simd.fma %max, %b, %c : vector<16xf32>
  %exp = simd.exp %fma : vector<16xf32>
  %div = simd.div %exp, %c : vector<16xf32>
  func.return %div : vector<16xf32>
}

// CHECK-LABEL: func.func @f32_ops
// CHECK-NEXT:    %[[ADD:.*]] = simd.add %a, %b : vector<16xf32>
// CHECK-NEXT:    %[[SUB:.*]] = simd.sub %[[ADD]], %b : vector<16xf32>
// CHECK-NEXT:    %[[MUL:.*]] = simd.mul %[[SUB]], %c : vector<16xf32>
// CHECK-NEXT:    %[[MAX:.*]] = simd.max %[[MUL]], %a : vector<16xf32>
// CHECK-NEXT:    %[[FMA:.*]] = simd.fma %[[MAX]], %b, %c : vector<16xf32>
// CHECK-NEXT:    %[[EXP:.*]] = simd.exp %[[FMA]] : vector<16xf32>
// CHECK-NEXT:    %[[DIV:.*]] = simd.div %[[EXP]], %c : vector<16xf32>
// CHECK-NEXT:    func.return %[[DIV]] : vector<16xf32>

// i32 lanes: the int8 dot-product accumulators and their compensation terms.
func.func @i32_ops(%a: vector<16xi32>, %b: vector<16xi32>) -> vector<16xi32> {
  %add = simd.add %a, %b : vector<16xi32>
  %sub = simd.sub %add, %b : vector<16xi32>
  %mul = simd.mul %sub, %b : vector<16xi32>
  %max = simd.max %mul, %a : vector<16xi32>
  func.return %max : vector<16xi32>
}

// CHECK-LABEL: func.func @i32_ops
// CHECK-NEXT:    simd.add %a, %b : vector<16xi32>
// CHECK-NEXT:    simd.sub %{{.*}}, %b : vector<16xi32>
// CHECK-NEXT:    simd.mul %{{.*}}, %b : vector<16xi32>
// CHECK-NEXT:    simd.max %{{.*}}, %a : vector<16xi32>

// avx2 width and extra attributes.
func.func @avx2_attrs(%a: vector<8xf32>, %b: vector<8xf32>) -> vector<8xf32> attributes {simd.isa = #simd.isa<avx2>} {
  %m = simd.mul %a, %b {tag = "scale"} : vector<8xf32>
  func.return %m : vector<8xf32>
}

// CHECK-LABEL: func.func @avx2_attrs
// CHECK-NEXT:    simd.mul %a, %b {tag = "scale"} : vector<8xf32>
