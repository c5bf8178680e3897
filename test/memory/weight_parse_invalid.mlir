// RUN: not ck-opt %s 2>&1 | filecheck %s

// The type of a base buffer is not printed, so the buffer must be defined first.
func.func @undefined_blob() {
  %w = memory.weight %blob "blk.0.attn_norm.weight" {offset = 0 : i64, size = 256 : i64} : !transformer.weight<64, f32>
  func.return
}
// CHECK: base buffer %blob must be defined before use (its type is not printed)
