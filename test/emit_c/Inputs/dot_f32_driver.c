/* Driver for dot_f32_exec.mlir: the generated dot_<isa>(x, x_d0, y) against a plain loop. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

float dot_avx512(const float *x, int64_t x_d0, const float *y);
float dot_avx2(const float *x, int64_t x_d0, const float *y);
float dot_scalar(const float *x, int64_t x_d0, const float *y);

static float x[4096], y[4096];

int main(void) {
  static const int64_t sizes[] = {1024, 4096};
  for (int t = 0; t < 2; ++t) {
    int64_t n = sizes[t];
    float ref = 0.0f;
    for (int64_t i = 0; i < n; ++i) {
      x[i] = (float)(i % 7) - 3.0f;
      y[i] = (float)((i * 5) % 11) - 5.0f;
      ref += x[i] * y[i];
    }
    printf("n=%lld ref=%.0f\n", (long long)n, ref);
    float got[3] = {dot_avx512(x, n, y), dot_avx2(x, n, y), dot_scalar(x, n, y)};
    const char *isa[3] = {"avx512", "avx2", "scalar"};
    for (int k = 0; k < 3; ++k) printf("%s %.0f %s\n", isa[k], got[k], got[k] == ref ? "ok" : "MISMATCH");
  }
  /* Non-integer data: orders differ, so compare with a tolerance. */
  double ref = 0.0;
  for (int i = 0; i < 4096; ++i) {
    x[i] = sinf((float)i * 0.37f);
    y[i] = cosf((float)i * 0.11f);
    ref += (double)x[i] * y[i];
  }
  float got[3] = {dot_avx512(x, 4096, y), dot_avx2(x, 4096, y), dot_scalar(x, 4096, y)};
  int ok = 1;
  for (int k = 0; k < 3; ++k) ok &= fabs(got[k] - ref) <= 1e-5 * fabs(ref) + 1e-3;
  printf("fractional: %s\n", ok ? "avx512 avx2 scalar within 1e-5 of ref" : "MISMATCH");
  return 0;
}
