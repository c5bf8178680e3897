/* Driver for nibbles_exec.mlir: each generated split_<isa>(src, lo, hi) on every byte value,
   against (b & 15, b >> 4) computed here. */
#include <stdint.h>
#include <stdio.h>

typedef void split_fn(const int8_t *, int8_t *, int8_t *);
split_fn split_avx512, split_avx2, split_scalar;

static void run(const char *name, split_fn *fn) {
  int8_t src[256], lo[256], hi[256];
  for (int i = 0; i < 256; ++i) src[i] = (int8_t)(uint8_t)i, lo[i] = hi[i] = -1;
  fn(src, lo, hi);
  int bad = 0;
  for (int i = 0; i < 256; ++i) bad += lo[i] != (i & 15) || hi[i] != (i >> 4);
  printf(bad ? "%s: %d mismatches\n" : "%s ok\n", name, bad);
}

int main(void) {
  run("avx512", split_avx512);
  run("avx2", split_avx2);
  run("scalar", split_scalar);
  return 0;
}
