/* Driver for sqrt_exec.mlir: each generated sqrt_<isa>(x, x_d0, y, y_d0) against libm's sqrtf. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void sqrt_fn(const float *, int64_t, float *, int64_t);
sqrt_fn sqrt_avx512, sqrt_avx512x4, sqrt_avx2, sqrt_scalar;

enum { N = 1 << 20, NS = 16 };
static float x[N], y[N];

int main(void) {
  /* Every N-NS-th bit pattern of the non-negative floats (zero, subnormals, normals, inf, NaNs),
     the same patterns with the sign set (NaN but for -0), and a few special values. */
  for (int i = 0; i < N - NS; ++i) {
    uint32_t bits = (uint32_t)(((uint64_t)(i / 2) * 0x80000000u) / ((N - NS) / 2)) | (i & 1 ? 0x80000000u : 0u);
    memcpy(&x[i], &bits, 4);
  }
  static const float special[NS] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, -1.0f, 1.0f, 2.0f,
                                    4.0f, 0.25f, 1e-45f, 1.17549435e-38f, 3.40282347e+38f, 1e-8f, 0.999f, 1e8f};
  memcpy(&x[N - NS], special, sizeof special);
  sqrt_fn *fns[4] = {sqrt_avx512, sqrt_avx512x4, sqrt_avx2, sqrt_scalar};
  const char *names[4] = {"avx512", "avx512x4", "avx2", "scalar"};
  for (int k = 0; k < 4; ++k) {
    memset(y, 0, sizeof y);
    fns[k](x, N, y, N);
    int wrong = 0;
    for (int i = 0; i < N; ++i) {
      float want = sqrtf(x[i]);
      wrong += isnan(want) ? !isnan(y[i]) : memcmp(&want, &y[i], 4) != 0;
    }
    printf("%s: %d of %d differ from sqrtf;", names[k], wrong, N);
    static const char *label[] = {"0", "-0", "inf", "-inf", "nan", "-1", "1", "2", "4", "0.25"};
    for (int s = 0; s < 10; ++s) printf(" sqrt(%s)=%g", label[s], y[N - NS + s]);
    printf("\n");
  }
  return 0;
}
