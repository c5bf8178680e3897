/* Driver for kernels_exec.mlir: Q8_0 GEMV groups and softmax against C references. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void gemv_fn(const int8_t *wq, int64_t wq_d0, const _Float16 *ws, int64_t ws_d0, const int8_t *xq,
                     const float *xd, const int32_t *xc, float *y, int64_t y_d0, int64_t g);
gemv_fn gemv_q8_0_rp16_group, gemv_q8_0_rp8_group;
void softmax_128(float *s);
void softmax_128_avx512(float *s);

enum { ROWS = 64, K = 1024, NB = K / 32 };
static int8_t wq_rows[ROWS][K];   /* Q8_0 quants per row */
static _Float16 wd[ROWS][NB];     /* per-block fp16 scales */
static int8_t xq[K];
static float xd[NB];
static int32_t xc[NB];
static int8_t packed[ROWS / 16 * NB * 8 * 64];
static _Float16 scales[ROWS / 16 * NB * 16];
static float ref[ROWS], y[ROWS];

/* Repack for R rows per group: wq[((g * NB + b) * 8 + s)][4R], byte 4r + kk = q ^ 0x80. */
static void pack(int R) {
  for (int g = 0; g < ROWS / R; ++g)
    for (int b = 0; b < NB; ++b) {
      for (int s = 0; s < 8; ++s)
        for (int r = 0; r < R; ++r)
          for (int kk = 0; kk < 4; ++kk)
            packed[((g * NB + b) * 8 + s) * 4 * R + 4 * r + kk] =
                (int8_t)(wq_rows[g * R + r][b * 32 + s * 4 + kk] ^ 0x80);
      for (int r = 0; r < R; ++r) scales[(g * NB + b) * R + r] = wd[g * R + r][b];
    }
}

static int run(gemv_fn *fn, int R) {
  pack(R);
  memset(y, 0, sizeof y);
  for (int g = 0; g < ROWS / R; ++g) fn(packed, ROWS / R * NB * 8, scales, ROWS / R * NB, xq, xd, xc, y, ROWS, g);
  int exact = 0;
  for (int r = 0; r < ROWS; ++r) exact += memcmp(&y[r], &ref[r], 4) == 0;
  return exact;
}

int main(void) {
  uint32_t seed = 7;
  for (int r = 0; r < ROWS; ++r) {
    for (int k = 0; k < K; ++k) {
      seed = seed * 1664525u + 1013904223u;
      int v = (int)(seed >> 24) - 128;
      wq_rows[r][k] = (int8_t)(v < -127 ? -127 : v); /* Q8_0 quants are in [-127, 127] */
    }
    for (int b = 0; b < NB; ++b) wd[r][b] = (_Float16)(0.001f * (float)(1 + (r * 7 + b * 3) % 17));
  }
  for (int k = 0; k < K; ++k) {
    seed = seed * 1664525u + 1013904223u;
    int v = (int)(seed >> 24) - 128;
    xq[k] = (int8_t)(v < -127 ? -127 : v);
  }
  xq[0] = 127, xq[1] = -127; /* extremes */
  for (int b = 0; b < NB; ++b) {
    xd[b] = 0.01f * (float)(b + 1);
    int32_t s = 0;
    for (int kk = 0; kk < 32; ++kk) s += xq[b * 32 + kk];
    xc[b] = -128 * s; /* cancels the +128 bias of the u8 weights */
  }
  /* Reference with the kernel's float steps: acc = fma((float)dot, (float)scale_w * d_x, acc). */
  for (int r = 0; r < ROWS; ++r) {
    float acc = 0.0f;
    for (int b = 0; b < NB; ++b) {
      int32_t dot = 0;
      for (int kk = 0; kk < 32; ++kk) dot += wq_rows[r][b * 32 + kk] * xq[b * 32 + kk];
      float scale = (float)wd[r][b] * xd[b];
      acc = fmaf((float)dot, scale, acc);
    }
    ref[r] = acc;
  }
  int e16 = run(gemv_q8_0_rp16_group, 16);
  printf("gemv rp16 avx512: %d rows, bit-exact: %d, y[0]=%.6g y[63]=%.6g\n", ROWS, e16, y[0], y[63]);
  int e8 = run(gemv_q8_0_rp8_group, 8);
  printf("gemv rp8 avx2: %d rows, bit-exact: %d, y[0]=%.6g y[63]=%.6g\n", ROWS, e8, y[0], y[63]);

  float s2[128], s5[128];
  double sref[128], mx = -INFINITY, sum = 0.0;
  for (int i = 0; i < 128; ++i) {
    s2[i] = s5[i] = 8.0f * sinf(0.3f * (float)i) - 0.01f * (float)i;
    mx = s2[i] > mx ? s2[i] : mx;
  }
  for (int i = 0; i < 128; ++i) sum += sref[i] = exp((double)s2[i] - mx);
  softmax_128(s2);
  softmax_128_avx512(s5);
  double worst2 = 0.0, worst5 = 0.0, t2 = 0.0, t5 = 0.0;
  for (int i = 0; i < 128; ++i) {
    double r = sref[i] / sum;
    worst2 = fmax(worst2, fabs(s2[i] - r) / r);
    worst5 = fmax(worst5, fabs(s5[i] - r) / r);
    t2 += s2[i], t5 += s5[i];
  }
  printf("softmax avx2: sum=%.6f max rel err vs expf reference < 1e-6: %s\n", t2, worst2 < 1e-6 ? "yes" : "NO");
  printf("softmax avx512: sum=%.6f max rel err vs expf reference < 1e-6: %s\n", t5, worst5 < 1e-6 ? "yes" : "NO");
  return 0;
}
