// What the llvm target cannot translate is an error naming the op and where it is (function,
// enclosing ops, source location), as the C target's (test/emit_c/errors.mlir, the same
// inputs). One difference: @"f.inner" is a valid LLVM symbol, so it is translated.
// RUN: ck-translate %S/../emit_c/errors.mlir -t llvm --split-input-file --verify-diagnostics | filecheck %s

// CHECK:      LLVM target: 'arith.addf' on vector<8xf32>: arith/math ops are emitted for scalars only (vector math goes through simd ops)
// CHECK-NEXT:   op: %y = arith.addf %x, %x : vector<8xf32>
// CHECK-NEXT:   at: in func @vec_arith, inside scf.for
// CHECK:      LLVM target: no LLVM lowering for 'memref.alloc'
// CHECK-NEXT:   op: %m = memref.alloc() : memref<16xf32>
// CHECK-NEXT:   at: in func @alloc
// CHECK:      LLVM target: vector<16xf32> needs an ISA: put `simd.isa = #simd.isa<...>` on the function (or module), or pass `-t 'llvm{isa=avx2}'`
// CHECK-NEXT:   op: %v = simd.load %p[%c0] : memref<16xf32> -> vector<16xf32>
// CHECK:      LLVM target: memref memref<4x4xf32, strided<[8, 1]>> has a non-identity layout (only row-major)
// CHECK:      LLVM target: functions with more than one result are not supported
// CHECK:      LLVM target: unsupported top-level op 'builtin.module' (only func.func)
// CHECK:      LLVM target: no LLVM lowering for 'math.erf'
// CHECK-NEXT:   op: %y = math.erf %x : f32
// CHECK-NEXT:   at: qwen3.mlir:12:5, in func @erf
// CHECK:      LLVM target: vector<3xf32>: the lane count must be a power of two
// CHECK:      LLVM target: no LLVM lowering for 'scf.while'
// CHECK-NEXT:   op: scf.while (%i = %n) : (i32) -> () {
// CHECK-NEXT:   at: in func @spin
// CHECK:      define void @f.inner(i32 %u)
// CHECK:      LLVM target: memref.alloca needs a static shape, got memref<?xf32>
