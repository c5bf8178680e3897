/* Driver for dot_i8_exec.mlir / dot_i8_avx2_novnni_exec.mlir: each generated
   dot_i8_<isa>(acc, acc_d0, a, a_d0, b, b_d0, out, out_d0) against a scalar reference. */
#include <stdint.h>
#include <stdio.h>

typedef void dot_fn(const int32_t *, int64_t, const int8_t *, int64_t, const int8_t *, int64_t,
                    int32_t *, int64_t);
dot_fn dot_i8_avx2;
#ifndef ONLY_AVX2
dot_fn dot_i8_avx512, dot_i8_scalar;
#endif

enum { N = 1024 };
static int32_t acc[N], out[N], ref[N];
static int8_t a[4 * N], b[4 * N];

static void set_lane(int j, int32_t c, uint8_t av, int8_t bv) {
  acc[j] = c;
  for (int k = 0; k < 4; ++k) a[4 * j + k] = (int8_t)av, b[4 * j + k] = bv;
}

static void run(const char *name, dot_fn *fn) {
  for (int j = 0; j < N; ++j) out[j] = 0x5A5A5A5A;
  fn(acc, N, a, 4 * N, b, 4 * N, out, N);
  int bad = 0;
  for (int j = 0; j < N; ++j) bad += out[j] != ref[j];
  printf("%s: lane0=%d lane1=%d lane2=%d lane3=%d mismatches=%d of %d\n", name, out[0], out[1],
         out[2], out[3], bad, N);
}

int main(void) {
  static const uint8_t ua[] = {0, 1, 2, 127, 128, 129, 200, 254, 255};
  static const int8_t sb[] = {-128, -127, -1, 0, 1, 2, 100, 126, 127};
  static const int32_t sacc[] = {0, 1, -1, 123456, INT32_MAX, INT32_MIN, INT32_MAX - 1000, INT32_MIN + 1000};
  uint32_t seed = 12345;
  for (int j = 0; j < N; ++j) {
    acc[j] = sacc[j % 8];
    for (int k = 0; k < 4; ++k) {
      seed = seed * 1664525u + 1013904223u;
      a[4 * j + k] = (int8_t)ua[(seed >> 8) % 9];
      b[4 * j + k] = sb[(seed >> 16) % 9];
    }
  }
  set_lane(0, 0, 255, -128);              /* 4 * 255 * -128 */
  set_lane(1, 0, 255, 127);               /* 4 * 255 * 127 */
  set_lane(2, INT32_MAX, 255, 127);       /* wraps past INT32_MAX */
  set_lane(3, INT32_MIN, 255, -128);      /* wraps past INT32_MIN */
  for (int j = 0; j < N; ++j) {
    uint32_t s = (uint32_t)acc[j];
    for (int k = 0; k < 4; ++k) s += (uint32_t)((int32_t)(uint8_t)a[4 * j + k] * (int32_t)b[4 * j + k]);
    ref[j] = (int32_t)s;
  }
#ifndef ONLY_AVX2
  run("avx512", dot_i8_avx512);
#endif
  run("avx2", dot_i8_avx2);
#ifndef ONLY_AVX2
  run("scalar", dot_i8_scalar);
#endif
  return 0;
}
