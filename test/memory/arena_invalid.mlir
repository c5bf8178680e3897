// RUN: ck-opt %s --verify-diagnostics --split-input-file | filecheck %s

func.func @arena_size() {
  %a = memory.arena {size = 0 : i64}
  func.return
}
// CHECK: arena size must be positive, got 0

// -----

func.func @arena_alignment() {
  %a = memory.arena {size = 4096 : i64, alignment = 32 : i64}
  func.return
}
// CHECK: arena alignment must be a power of two >= 64, got 32

// -----

func.func @slot_alignment_pow2(%a: !memory.arena) {
  %s = memory.slot %a {offset = 0 : i64, size = 4096 : i64, alignment = 48 : i64} : memref<1024xf32>
  func.return
}
// CHECK: slot alignment must be a power of two >= the element size (4 bytes), got 48

// -----

func.func @slot_alignment_element(%a: !memory.arena) {
  %s = memory.slot %a {offset = 0 : i64, size = 64 : i64, alignment = 4 : i64} : memref<8xf64>
  func.return
}
// CHECK: slot alignment must be a power of two >= the element size (8 bytes), got 4

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

func.func @slot_past_arena() {
  %a = memory.arena {size = 4096 : i64}
  %s = memory.slot %a {offset = 1024 : i64, size = 4096 : i64} : memref<4x256xf32>
  func.return
}
// CHECK: slot [offset 1024, size 4096] ends at byte 5120, past the arena size 4096

// -----

func.func @slot_over_aligned() {
  %a = memory.arena {size = 8192 : i64}
  %s = memory.slot %a {offset = 0 : i64, size = 4096 : i64, alignment = 128 : i64} : memref<4x256xf32>
  func.return
}
// CHECK: slot alignment 128 exceeds the arena alignment 64
