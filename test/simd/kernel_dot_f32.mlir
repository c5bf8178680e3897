// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// f32 dot product of two 1024-vectors on avx512: two independent FMA chains
// (to hide FMA latency), added and reduced once at the end.
func.func @dot_f32_1024(%x: memref<1024xf32>, %y: memref<1024xf32>) -> f32 attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c1024 = arith.constant 1024 : index
  %zero = arith.constant 0.000000e+00 : f32
  %z = simd.broadcast %zero : f32 -> vector<16xf32>
  %acc:2 = scf.for %k = %c0 to %c1024 step %c32 iter_args(%a0 = %z, %a1 = %z) -> (vector<16xf32>, vector<16xf32>) {
    %k1 = arith.addi %k, %c16 : index
    %x0 = simd.load %x[%k] : memref<1024xf32> -> vector<16xf32>
    %y0 = simd.load %y[%k] : memref<1024xf32> -> vector<16xf32>
    %x1 = simd.load %x[%k1] : memref<1024xf32> -> vector<16xf32>
    %y1 = simd.load %y[%k1] : memref<1024xf32> -> vector<16xf32>
    %n0 = simd.fma %x0, %y0, %a0 : vector<16xf32>
    %n1 = simd.fma %x1, %y1, %a1 : vector<16xf32>
    scf.yield %n0, %n1 : vector<16xf32>, vector<16xf32>
  }
  %s = simd.add %acc#0, %acc#1 : vector<16xf32>
  %r = simd.reduce add %s : vector<16xf32> -> f32
  func.return %r : f32
}

// CHECK-LABEL: func.func @dot_f32_1024
// CHECK-SAME:    -> f32 attributes {simd.isa = #simd.isa<avx512>}
// CHECK:         %[[Z:.*]] = simd.broadcast %{{.*}} : f32 -> vector<16xf32>
// CHECK-NEXT:    %[[ACC0:[a-z0-9_]+]], %[[ACC1:[a-z0-9_]+]] = scf.for %[[K:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A0:[a-z0-9_]+]] = %[[Z]], %[[A1:[a-z0-9_]+]] = %[[Z]]) -> (vector<16xf32>, vector<16xf32>) {
// CHECK-NEXT:      %[[K1:.*]] = arith.addi %[[K]], %{{.*}} : index
// CHECK-NEXT:      %[[X0:.*]] = simd.load %x[%[[K]]] : memref<1024xf32> -> vector<16xf32>
// CHECK-NEXT:      %[[Y0:.*]] = simd.load %y[%[[K]]] : memref<1024xf32> -> vector<16xf32>
// CHECK-NEXT:      %[[X1:.*]] = simd.load %x[%[[K1]]] : memref<1024xf32> -> vector<16xf32>
// CHECK-NEXT:      %[[Y1:.*]] = simd.load %y[%[[K1]]] : memref<1024xf32> -> vector<16xf32>
// CHECK-NEXT:      %[[N0:.*]] = simd.fma %[[X0]], %[[Y0]], %[[A0]] : vector<16xf32>
// CHECK-NEXT:      %[[N1:.*]] = simd.fma %[[X1]], %[[Y1]], %[[A1]] : vector<16xf32>
// CHECK-NEXT:      scf.yield %[[N0]], %[[N1]] : vector<16xf32>, vector<16xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    %[[S:.*]] = simd.add %[[ACC0]], %[[ACC1]] : vector<16xf32>
// CHECK-NEXT:    %[[R:.*]] = simd.reduce add %[[S]] : vector<16xf32> -> f32
// CHECK-NEXT:    func.return %[[R]] : f32
