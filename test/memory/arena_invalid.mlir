// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @arena_size(%buf: memref<?xi8>) {
  %a = memory.arena %buf {size = 0 : i64} : memref<?xi8>
  func.return
}
// CHECK: arena size must be positive, got 0

// -----

func.func @arena_base_element(%buf: memref<?xf32>) {
  %a = memory.arena %buf {size = 4096 : i64} : memref<?xf32>
  func.return
}
// CHECK: arena base must be a 1-D memref of i8, got memref<?xf32>

// -----

func.func @arena_base_rank(%buf: memref<64x64xi8>) {
  %a = memory.arena %buf {size = 4096 : i64} : memref<64x64xi8>
  func.return
}
// CHECK: arena base must be a 1-D memref of i8, got memref<64x64xi8>

// -----

func.func @arena_base_size(%buf: memref<2048xi8>) {
  %a = memory.arena %buf {size = 4096 : i64} : memref<2048xi8>
  func.return
}
// CHECK: arena base memref<2048xi8> has 2048 bytes, fewer than the arena size 4096

// -----

func.func @slot_offset(%a: !memory.arena) {
  %s = memory.slot %a {offset = 100 : i64, size = 4096 : i64} : memref<1024xf32>
  func.return
}
// CHECK: slot offset 100 is not a multiple of the alignment 64

// -----

func.func @slot_negative_offset(%a: !memory.arena) {
  %s = memory.slot %a {offset = -64 : i64, size = 4096 : i64} : memref<1024xf32>
  func.return
}
// CHECK: slot offset must be non-negative, got -64

// -----

func.func @slot_size(%a: !memory.arena) {
  %s = memory.slot %a {offset = 0 : i64, size = 1024 : i64} : memref<4x256xf32>
  func.return
}
// CHECK: slot size 1024 is smaller than the 4096 bytes of memref<4x256xf32>

// -----

func.func @slot_missing_size(%a: !memory.arena) {
  %s = memory.slot %a {offset = 0 : i64, size = 4096 : i64} : memref<?x64xf32>
  func.return
}
// CHECK: slot result memref<?x64xf32> has 1 dynamic dimension(s) but 0 size operand(s)

// -----

func.func @slot_extra_size(%a: !memory.arena, %n: index) {
  %s = memory.slot %a[%n, %n] {offset = 0 : i64, size = 4096 : i64} : memref<?x64xf32>
  func.return
}
// CHECK: slot result memref<?x64xf32> has 1 dynamic dimension(s) but 2 size operand(s)

// -----

func.func @slot_size_of_static(%a: !memory.arena, %n: index) {
  %s = memory.slot %a[%n] {offset = 0 : i64, size = 1024 : i64} : memref<4x64xf32>
  func.return
}
// CHECK: slot result memref<4x64xf32> has 0 dynamic dimension(s) but 1 size operand(s)

// -----

func.func @slot_past_arena(%buf: memref<?xi8>) {
  %a = memory.arena %buf {size = 4096 : i64} : memref<?xi8>
  %s = memory.slot %a {offset = 1024 : i64, size = 4096 : i64} : memref<4x256xf32>
  func.return
}
// CHECK: slot [offset 1024, size 4096] ends at byte 5120, past the arena size 4096

// -----

func.func @thread_arena_offset(%buf: memref<?xi8>, %tid: index) {
  %mine = memory.thread_arena %buf, %tid {offset = 4100 : i64, size = 1024 : i64} : memref<?xi8>
  func.return
}
// CHECK: thread_arena offset 4100 is not a multiple of the alignment 64

// -----

func.func @thread_arena_size(%buf: memref<?xi8>, %tid: index) {
  %mine = memory.thread_arena %buf, %tid {offset = 4096 : i64, size = 100 : i64} : memref<?xi8>
  func.return
}
// CHECK: thread_arena size 100 is not a multiple of the alignment 64

// -----

func.func @thread_arena_empty(%buf: memref<?xi8>, %tid: index) {
  %mine = memory.thread_arena %buf, %tid {offset = 4096 : i64, size = 0 : i64} : memref<?xi8>
  func.return
}
// CHECK: thread_arena size must be positive, got 0

// -----

func.func @thread_arena_base(%buf: memref<?xf32>, %tid: index) {
  %mine = memory.thread_arena %buf, %tid {offset = 4096 : i64, size = 256 : i64} : memref<?xf32>
  func.return
}
// CHECK: thread_arena base must be a 1-D memref of i8, got memref<?xf32>

// -----

func.func @slot_past_thread_arena(%buf: memref<?xi8>, %tid: index) {
  %mine = memory.thread_arena %buf, %tid {offset = 4096 : i64, size = 256 : i64} : memref<?xi8>
  %h = memory.slot %mine {offset = 64 : i64, size = 256 : i64} : memref<1x64xf32>
  func.return
}
// CHECK: slot [offset 64, size 256] ends at byte 320, past the thread arena size 256
