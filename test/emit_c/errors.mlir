// What the C target cannot print is an error that names the op and where it is
// (function, enclosing ops, source location when the IR carries one), never
// silently dropped.
// RUN: ck-translate %s -t c --split-input-file --verify-diagnostics | filecheck %s

func.func @vec_arith(%a: vector<8xf32>) -> vector<8xf32> attributes {simd.isa = #simd.isa<avx2>} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%x = %a) -> (vector<8xf32>) {
    %y = arith.addf %x, %x : vector<8xf32>
    scf.yield %y : vector<8xf32>
  }
  func.return %r : vector<8xf32>
}
// CHECK:      C target: 'arith.addf' on vector<8xf32>: arith/math ops are emitted for scalars only (vector math goes through simd ops)
// CHECK-NEXT:   op: %y = arith.addf %x, %x : vector<8xf32>
// CHECK-NEXT:   at: in func @vec_arith, inside scf.for

// -----

func.func @alloc() {
  %m = memref.alloc() : memref<16xf32>
  func.return
}
// CHECK:      C target: no C lowering for 'memref.alloc'
// CHECK-NEXT:   op: %m = memref.alloc() : memref<16xf32>
// CHECK-NEXT:   at: in func @alloc

// -----

func.func @no_isa(%p: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %v = simd.load %p[%c0] : memref<16xf32> -> vector<16xf32>
  func.return
}
// CHECK:      C target: vector<16xf32> needs an ISA: put `simd.isa = #simd.isa<...>` on the function (or module), or pass `-t 'c{isa=avx2}'`
// CHECK-NEXT:   op: %v = simd.load %p[%c0] : memref<16xf32> -> vector<16xf32>
// CHECK-NEXT:   at: in func @no_isa

// -----

func.func @strided(%p: memref<4x4xf32, strided<[8, 1]>>) {
  func.return
}
// CHECK:      C target: memref memref<4x4xf32, strided<[8, 1]>> has a non-identity layout (only row-major)
// CHECK-NEXT:   op: func.func @strided
// CHECK-NEXT:   at: func @strided

// -----

func.func @two_results(%a: f32) -> (f32, f32) {
  func.return %a, %a : f32, f32
}
// CHECK: C target: functions with more than one result are not supported

// -----

module {
  func.func @ok() {
    func.return
  }
  module @inner {
  }
}
// CHECK:      C target: unsupported top-level op 'builtin.module' (only func.func)
// CHECK-NEXT:   op: builtin.module @inner {
// CHECK-NEXT:   at: at module level

// -----

func.func @erf(%x: f32) -> f32 {
  %y = math.erf %x : f32 loc("qwen3.mlir":12:5)
  func.return %y : f32
}
// CHECK:      C target: no C lowering for 'math.erf'
// CHECK-NEXT:   op: %y = math.erf %x : f32
// CHECK-NEXT:   at: qwen3.mlir:12:5, in func @erf

// -----

func.func @odd_lanes(%p: memref<16xf32>) attributes {simd.isa = #simd.isa<avx512>} {
  %c0 = arith.constant 0 : index
  %v = simd.load %p[%c0] : memref<16xf32> -> vector<3xf32>
  func.return
}
// CHECK:      C target: vector<3xf32>: the lane count must be a power of two
// CHECK-NEXT:   op: %v = simd.load %p[%c0] : memref<16xf32> -> vector<3xf32>

// -----

func.func @spin(%n: i32) {
  scf.while (%i = %n) : (i32) -> () {
    %z = arith.constant 0 : i32
    %c = arith.cmpi sgt, %i, %z : i32
    scf.condition(%c)
  } do {
    scf.yield %n : i32
  }
  func.return
}
// CHECK: C target: no C lowering for 'scf.while'

// -----

// Exported symbols are ABI: they keep their names, so they must be C identifiers.
func.func @"f.inner"(%u: i32) {
  func.return
}
// CHECK: C target: exported function @f.inner is not a usable C identifier

// -----

func.func @dynamic_scratch(%n: index) {
  %s = memref.alloca(%n) : memref<?xf32>
  func.return
}
// CHECK:      C target: memref.alloca needs a static shape, got memref<?xf32>
