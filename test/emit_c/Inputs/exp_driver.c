/* Driver for exp_exec.mlir: each generated exp_<isa>(x, x_d0, y, y_d0) against expf. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void exp_fn(const float *, int64_t, float *, int64_t);
exp_fn exp_avx512, exp_avx512x4, exp_avx2, exp_scalar;

enum { N = 1 << 21, NS = 16 };
static float x[N], y[4][N];

int main(void) {
  /* Uniform over [-87, 88] plus every float of a few narrow ranges (near 0, near ln 2). */
  for (int i = 0; i < N / 2; ++i) x[i] = -87.0f + 175.0f * ((float)i / (float)(N / 2 - 1));
  uint32_t bits = 0x3F317000u; /* ~ln 2 */
  for (int i = N / 2; i < 3 * N / 4; ++i, ++bits) memcpy(&x[i], &bits, 4);
  bits = 0x33000000u; /* tiny: e^x ~ 1 + x */
  for (int i = 3 * N / 4; i < N - NS; ++i, bits += 7) {
    memcpy(&x[i], &bits, 4);
    if (i & 1) x[i] = -x[i];
  }
  static const float special[NS] = {-INFINITY, INFINITY, NAN, 0.0f, -0.0f, 89.0f, 88.7f, -100.0f,
                                    -104.0f, -87.0f, 88.0f, 1.0f, -1.0f, 0.5f, 10.0f, -10.0f};
  memcpy(&x[N - NS], special, sizeof special);
  exp_fn *fns[4] = {exp_avx512, exp_avx512x4, exp_avx2, exp_scalar};
  const char *names[4] = {"avx512", "avx512x4", "avx2", "scalar"};
  for (int k = 0; k < 4; ++k) {
    fns[k](x, N, y[k], N);
    double worst = 0.0;
    for (int i = 0; i < N - NS; ++i) {
      double ref = expf(x[i]);
      double rel = fabs(y[k][i] - ref) / ref;
      if (!(rel <= worst)) worst = rel;
    }
    printf("%s: max rel err vs expf over [-87, 88] below 2e-7: %s", names[k], worst < 2e-7 ? "yes\n" : "NO");
    if (!(worst < 2e-7)) printf(" (%.3g)\n", worst);
    printf("%s:", names[k]);
    static const char *label[] = {"-inf", "inf", "nan", "0", "-0", "89", "88.7", "-100", "-104"};
    for (int s = 0; s < 9; ++s) printf(" exp(%s)=%.9g", label[s], y[k][N - NS + s]);
    printf("\n");
  }
  int same = !memcmp(y[0], y[1], sizeof y[0]) && !memcmp(y[0], y[2], sizeof y[0]) && !memcmp(y[0], y[3], sizeof y[0]);
  printf("bit-identical across ISAs: %s\n", same ? "yes" : "NO");
  return 0;
}
