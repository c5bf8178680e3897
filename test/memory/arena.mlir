// RUN: ck-opt %s | ck-opt | filecheck %s
// RUN: CK_ROUNDTRIP

// One activation arena (64-byte aligned, as every slot offset) over an explicit
// base buffer, and memref views of it. Two slots may share bytes (%b and %c): the
// planner gives them disjoint lifetimes. A dynamic token dimension counts as one
// row for the size check, and its size is an index operand of the slot.

func.func @arena(%buf: memref<?xi8>, %page_buf: memref<1048576xi8>, %n: index) {
  %a = memory.arena %buf {size = 16384 : i64} : memref<?xi8>
  %b = memory.slot %a {offset = 0 : i64, size = 4096 : i64} : memref<4x256xf32>
  %c = memory.slot %a {offset = 0 : i64, size = 1024 : i64} : memref<4x64xf32>
  %q = memory.slot %a {offset = 4096 : i64, size = 256 : i64} : memref<4x64xi8>
  %d = memory.slot %a[%n] {offset = 8192 : i64, size = 8192 : i64} : memref<?x256xf32>
  %e = memory.slot %a[%n, %n] {offset = 8192 : i64, size = 8192 : i64} : memref<?x?xf32>
  %big = memory.arena %page_buf {size = 1048576 : i64} : memref<1048576xi8>
  %page = memory.slot %big {offset = 4096 : i64, size = 4096 : i64} : memref<1024xf32>
  func.return
}

// CHECK-LABEL: func.func @arena(%buf: memref<?xi8>, %page_buf: memref<1048576xi8>, %n: index)
// CHECK-NEXT:    %a = memory.arena %buf {size = 16384 : i64} : memref<?xi8>
// CHECK-NEXT:    %b = memory.slot %a {offset = 0 : i64, size = 4096 : i64} : memref<4x256xf32>
// CHECK-NEXT:    %c = memory.slot %a {offset = 0 : i64, size = 1024 : i64} : memref<4x64xf32>
// CHECK-NEXT:    %q = memory.slot %a {offset = 4096 : i64, size = 256 : i64} : memref<4x64xi8>
// CHECK-NEXT:    %d = memory.slot %a[%n] {offset = 8192 : i64, size = 8192 : i64} : memref<?x256xf32>
// CHECK-NEXT:    %e = memory.slot %a[%n, %n] {offset = 8192 : i64, size = 8192 : i64} : memref<?x?xf32>
// CHECK-NEXT:    %big = memory.arena %page_buf {size = 1048576 : i64} : memref<1048576xi8>
// CHECK-NEXT:    %page = memory.slot %big {offset = 4096 : i64, size = 4096 : i64} : memref<1024xf32>

// The token count read from the tokens buffer, as the planner does.
func.func @dim(%buf: memref<?xi8>, %tokens: memref<?xi32>) {
  %a = memory.arena %buf {size = 4096 : i64} : memref<?xi8>
  %zero = arith.constant 0 : index
  %n = memref.dim %tokens, %zero : memref<?xi32>
  %x = memory.slot %a[%n] {offset = 0 : i64, size = 4096 : i64} : memref<?x64xf32>
  func.return
}

// CHECK-LABEL: func.func @dim
// CHECK:         %n = memref.dim %tokens, %zero : memref<?xi32>
// CHECK-NEXT:    %x = memory.slot %a[%n] {offset = 0 : i64, size = 4096 : i64} : memref<?x64xf32>

// A slot of an arena passed in from outside: only the local checks apply.
func.func @external(%a: !memory.arena) -> memref<16xf32> {
  %s = memory.slot %a {offset = 1048576 : i64, size = 64 : i64} : memref<16xf32>
  func.return %s : memref<16xf32>
}

// CHECK-LABEL: func.func @external(%a: !memory.arena) -> memref<16xf32>
// CHECK-NEXT:    %s = memory.slot %a {offset = 1048576 : i64, size = 64 : i64} : memref<16xf32>

// Each thread's private arena, after the shared one: bytes [offset + tid * size,
// offset + (tid + 1) * size) of the same base buffer; its slots hold what a
// thread computes for itself (a replicated kernel's outputs).
func.func @thread_arena(%buf: memref<?xi8>, %tid: index) {
  %a = memory.arena %buf {size = 4096 : i64} : memref<?xi8>
  %mine = memory.thread_arena %buf, %tid {offset = 4096 : i64, size = 1024 : i64} : memref<?xi8>
  %h = memory.slot %mine {offset = 0 : i64, size = 256 : i64} : memref<1x64xf32>
  %hq = memory.slot %mine {offset = 256 : i64, size = 64 : i64} : memref<1x64xi8>
  func.return
}

// CHECK-LABEL: func.func @thread_arena(%buf: memref<?xi8>, %tid: index)
// CHECK-NEXT:    %a = memory.arena %buf {size = 4096 : i64} : memref<?xi8>
// CHECK-NEXT:    %mine = memory.thread_arena %buf, %tid {offset = 4096 : i64, size = 1024 : i64} : memref<?xi8>
// CHECK-NEXT:    %h = memory.slot %mine {offset = 0 : i64, size = 256 : i64} : memref<1x64xf32>
// CHECK-NEXT:    %hq = memory.slot %mine {offset = 256 : i64, size = 64 : i64} : memref<1x64xi8>
