// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// Attention-row softmax over 128 scores on avx2: a max pass, then exp(x - max)
// with a running sum, then a scale pass. Exercises max/sub/exp/reduce/mul in loops.
func.func @softmax_128(%s: memref<128xf32>) attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c128 = arith.constant 128 : index
  %ninf = arith.constant -3.40282347e+38 : f32
  %zero = arith.constant 0.000000e+00 : f32
  %one = arith.constant 1.000000e+00 : f32
  %m0 = simd.broadcast %ninf : f32 -> vector<8xf32>
  %mv = scf.for %i = %c0 to %c128 step %c8 iter_args(%m = %m0) -> (vector<8xf32>) {
    %v = simd.load %s[%i] : memref<128xf32> -> vector<8xf32>
    %mx = simd.max %m, %v : vector<8xf32>
    scf.yield %mx : vector<8xf32>
  }
  %max = simd.reduce max %mv : vector<8xf32> -> f32
  %maxv = simd.broadcast %max : f32 -> vector<8xf32>
  %z = simd.broadcast %zero : f32 -> vector<8xf32>
  %sv = scf.for %i = %c0 to %c128 step %c8 iter_args(%acc = %z) -> (vector<8xf32>) {
    %v = simd.load %s[%i] : memref<128xf32> -> vector<8xf32>
    %d = simd.sub %v, %maxv : vector<8xf32>
    %e = simd.exp %d : vector<8xf32>
    simd.store %e, %s[%i] : vector<8xf32>, memref<128xf32>
    %n = simd.add %acc, %e : vector<8xf32>
    scf.yield %n : vector<8xf32>
  }
  %sum = simd.reduce add %sv : vector<8xf32> -> f32
  %inv = arith.divf %one, %sum : f32
  %invv = simd.broadcast %inv : f32 -> vector<8xf32>
  scf.for %i = %c0 to %c128 step %c8 {
    %v = simd.load %s[%i] : memref<128xf32> -> vector<8xf32>
    %p = simd.mul %v, %invv : vector<8xf32>
    simd.store %p, %s[%i] : vector<8xf32>, memref<128xf32>
  }
  func.return
}

// CHECK-LABEL: func.func @softmax_128
// CHECK-SAME:    attributes {simd.isa = #simd.isa<avx2>}
// CHECK:         %[[MV:[a-z0-9_]+]] = scf.for
// CHECK:           simd.max %{{.*}}, %{{.*}} : vector<8xf32>
// CHECK:         %[[MAX:[a-z0-9_]+]] = simd.reduce max %[[MV]] : vector<8xf32> -> f32
// CHECK-NEXT:    %[[MAXV:[a-z0-9_]+]] = simd.broadcast %[[MAX]] : f32 -> vector<8xf32>
// CHECK:         %[[SV:[a-z0-9_]+]] = scf.for
// CHECK:           %[[D:[a-z0-9_]+]] = simd.sub %{{.*}}, %[[MAXV]] : vector<8xf32>
// CHECK-NEXT:      %[[E:[a-z0-9_]+]] = simd.exp %[[D]] : vector<8xf32>
// CHECK-NEXT:      simd.store %[[E]], %s[%{{.*}}] : vector<8xf32>, memref<128xf32>
// CHECK:         simd.reduce add %[[SV]] : vector<8xf32> -> f32
// CHECK:         scf.for
// CHECK:           simd.mul %{{.*}}, %{{.*}} : vector<8xf32>
// CHECK-NEXT:      simd.store
