/* Driver for select_exec.mlir: each generated select_<isa>(l, r, a, b, le, lt) against C. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void select_fn(const int32_t *, int64_t, const int32_t *, int64_t, const float *, int64_t, const float *,
                       int64_t, float *, int64_t, float *, int64_t);
select_fn select_avx512, select_avx512x8, select_avx2, select_avx2x4, select_scalar;

enum { N = 4096 };
static int32_t l[N], r[N];
static float a[N], b[N], le[N], lt[N];

static int same(float x, float y) { return memcmp(&x, &y, sizeof x) == 0; }

int main(void) {
  uint32_t state = 12345u;
  for (int i = 0; i < N; ++i) {
    state = state * 1664525u + 1013904223u;
    int32_t x = (int32_t)(state >> 8) % 7 - 3; /* small, so equal pairs are common */
    state = state * 1664525u + 1013904223u;
    int32_t y = (int32_t)(state >> 8) % 7 - 3;
    if (i % 64 == 5) x = INT32_MIN;
    if (i % 64 == 9) y = INT32_MIN;
    if (i % 64 == 17) x = INT32_MAX;
    if (i % 64 == 33) y = INT32_MAX;
    l[i] = x, r[i] = y;
    a[i] = (float)i + 0.5f;
    b[i] = i % 3 ? -INFINITY : NAN;
  }
  select_fn *fns[5] = {select_avx512, select_avx512x8, select_avx2, select_avx2x4, select_scalar};
  const char *names[5] = {"avx512", "avx512x8", "avx2", "avx2x4", "scalar"};
  for (int k = 0; k < 5; ++k) {
    memset(le, 0, sizeof le);
    memset(lt, 0, sizeof lt);
    fns[k](l, N, r, N, a, N, b, N, le, N, lt, N);
    int bad_le = 0, bad_lt = 0;
    for (int i = 0; i < N; ++i) {
      bad_le += !same(le[i], l[i] <= r[i] ? a[i] : b[i]);
      bad_lt += !same(lt[i], l[i] < r[i] ? a[i] : b[i]);
    }
    printf("%s: sle %d slt %d wrong lanes of %d\n", names[k], bad_le, bad_lt, N);
  }
  return 0;
}
