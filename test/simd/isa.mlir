// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// One kernel per ISA: each uses its full register width for f32.

func.func @axpy_avx512(%x: memref<?xf32>, %y: memref<?xf32>, %i: index, %a: f32) attributes {simd.isa = #simd.isa<avx512>} {
  %va = simd.broadcast %a : f32 -> vector<16xf32>
  %vx = simd.load %x[%i] : memref<?xf32> -> vector<16xf32>
  %vy = simd.load %y[%i] : memref<?xf32> -> vector<16xf32>
  %r = simd.fma %va, %vx, %vy : vector<16xf32>
  simd.store %r, %y[%i] : vector<16xf32>, memref<?xf32>
  func.return
}

// CHECK-LABEL: func.func @axpy_avx512
// CHECK-SAME:    attributes {simd.isa = #simd.isa<avx512>}
// CHECK:         simd.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>

func.func @axpy_avx2(%x: memref<?xf32>, %y: memref<?xf32>, %i: index, %a: f32) attributes {simd.isa = #simd.isa<avx2>} {
  %va = simd.broadcast %a : f32 -> vector<8xf32>
  %vx = simd.load %x[%i] : memref<?xf32> -> vector<8xf32>
  %vy = simd.load %y[%i] : memref<?xf32> -> vector<8xf32>
  %r = simd.fma %va, %vx, %vy : vector<8xf32>
  simd.store %r, %y[%i] : vector<8xf32>, memref<?xf32>
  func.return
}

// CHECK-LABEL: func.func @axpy_avx2
// CHECK-SAME:    attributes {simd.isa = #simd.isa<avx2>}
// CHECK:         simd.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<8xf32>

// scalar is one 32-bit lane: vector<1xf32>, or the 4 bytes of one dot_i8 step.
func.func @axpy_scalar(%x: memref<?xf32>, %y: memref<?xf32>, %i: index, %a: f32) attributes {simd.isa = #simd.isa<scalar>} {
  %va = simd.broadcast %a : f32 -> vector<1xf32>
  %vx = simd.load %x[%i] : memref<?xf32> -> vector<1xf32>
  %vy = simd.load %y[%i] : memref<?xf32> -> vector<1xf32>
  %r = simd.fma %va, %vx, %vy : vector<1xf32>
  simd.store %r, %y[%i] : vector<1xf32>, memref<?xf32>
  func.return
}

// CHECK-LABEL: func.func @axpy_scalar
// CHECK-SAME:    attributes {simd.isa = #simd.isa<scalar>}
// CHECK:         simd.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<1xf32>

// Narrower vectors than the register are allowed (a 256-bit f16 load feeding
// a 512-bit f32 convert is the normal case on avx512).
func.func @half_width_avx512(%h: memref<?xf16>, %i: index) -> vector<16xf32> attributes {simd.isa = #simd.isa<avx512>} {
  %v = simd.load %h[%i] : memref<?xf16> -> vector<16xf16>
  %f = simd.convert %v : vector<16xf16> -> vector<16xf32>
  func.return %f : vector<16xf32>
}

// CHECK-LABEL: func.func @half_width_avx512
// CHECK-SAME:    attributes {simd.isa = #simd.isa<avx512>}
// CHECK:         simd.convert %{{.*}} : vector<16xf16> -> vector<16xf32>

// The ISA may sit on any enclosing op, e.g. the module; the nearest one wins.
builtin.module attributes {simd.isa = #simd.isa<avx2>} {
  func.func @inner_override(%v: vector<16xf32>) -> vector<16xf32> attributes {simd.isa = #simd.isa<avx512>} {
    %r = simd.exp %v : vector<16xf32>
    func.return %r : vector<16xf32>
  }
  func.func @from_module(%v: vector<8xf32>) -> vector<8xf32> {
    %r = simd.exp %v : vector<8xf32>
    func.return %r : vector<8xf32>
  }
}

// CHECK:       builtin.module attributes {simd.isa = #simd.isa<avx2>}
// CHECK-LABEL: func.func @inner_override
// CHECK-SAME:    attributes {simd.isa = #simd.isa<avx512>}
// CHECK-NEXT:    simd.exp %{{.*}} : vector<16xf32>
// CHECK-LABEL: func.func @from_module
// CHECK-NEXT:    simd.exp %{{.*}} : vector<8xf32>
