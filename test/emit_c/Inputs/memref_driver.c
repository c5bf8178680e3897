/* Driver for memref_exec.mlir: calls memref_abi.mlir's functions with
   pointer + dynamic sizes, as the C target's memref ABI says. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

void matvec(const float *w, int64_t w_d0, int64_t w_d1, const float *x, int64_t x_d0, float *y, int64_t y_d0);
float layouts(_Float16 *a, int64_t a_d1, float *s, bool *flags, int64_t *ix, int64_t ix_d0, const double *d,
              const uint16_t *g, int64_t g_d0, const int16_t *h, int64_t h_d1, const int64_t *l, int64_t i, int64_t j);

int main(void) {
  float w[3][5], x[5], y[3] = {-1, -1, -1};
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 5; ++k) w[r][k] = (float)(r * 5 + k);
  for (int k = 0; k < 5; ++k) x[k] = (float)k;
  matvec(&w[0][0], 3, 5, x, 5, y, 3);
  printf("matvec 3x5: %g %g %g\n", y[0], y[1], y[2]);

  enum { D1 = 3 };
  _Float16 a[2][D1][4];
  for (int p = 0; p < 2; ++p)
    for (int q = 0; q < D1; ++q)
      for (int t = 0; t < 4; ++t) a[p][q][t] = (_Float16)(p * 100 + q * 10 + t);
  float s = 1.0f;
  bool flags[8] = {false, true};
  int64_t ix[4] = {0, 0, 1, 0};
  double d[3] = {0, 0, 2.5};
  uint16_t g[4] = {0, 0x4000 /* 2.0 */, 0, 0};
  int16_t h[5][2] = {{0}};
  h[3][1] = -7;
  int64_t l[2] = {0, 100};
  /* i = 1, j = 2: v = a[1][2][3] = 123 -> a[1][0][0]; s = 1 + 123; k = ix[2] = 1;
     r = 124 + 2.5 + g[1] (2) + (h[3][1] + l[1] = 93) = 221.5 */
  float r = layouts(&a[0][0][0], D1, &s, flags, ix, 4, d, g, 4, &h[0][0], 2, l, 1, 2);
  printf("layouts: r=%g a[1][0][0]=%g s=%g flags[0]=%d ix[0]=%lld\n", r, (float)a[1][0][0], s, flags[0], (long long)ix[0]);
  return 0;
}
