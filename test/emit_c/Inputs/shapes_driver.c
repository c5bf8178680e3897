/* Driver for shapes_exec.mlir. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void red_fn(const float *, const int32_t *, float *, int32_t *);
red_fn red_avx512, red_avx2, red_scalar;
void bcast_avx512(const int8_t *, const float *, int8_t *, float *);
void bcast_avx2(const int8_t *, const float *, int8_t *, float *);
void bcast_scalar(const int8_t *, int8_t *, int8_t);
void const_avx512(float *, int32_t *, _Float16 *);
void const_avx2(float *, int32_t *);
void const_scalar(float *, int8_t *);

/* The order simd.reduce documents: lane i += lane i + n/2 while n halves. */
static float tree(const float *x, int n) {
  float t[16];
  memcpy(t, x, sizeof(float) * n);
  for (int w = n / 2; w >= 1; w /= 2)
    for (int i = 0; i < w; ++i) t[i] = t[i] + t[i + w];
  return t[0];
}
static int32_t iadd(const int32_t *x, int n) {
  uint32_t s = 0;
  for (int i = 0; i < n; ++i) s += (uint32_t)x[i];
  return (int32_t)s;
}
static int32_t imax(const int32_t *x, int n) {
  int32_t m = x[0];
  for (int i = 1; i < n; ++i) m = x[i] > m ? x[i] : m;
  return m;
}
static const char *same(float a, float b) { return memcmp(&a, &b, 4) ? "WRONG" : "tree"; }
static const char *ok(int c) { return c ? "ok" : "WRONG"; }

int main(void) {
  static const float x[16] = {1e8f, 3.0f, -1e8f, 0.3f, 7.5f, -2.25f, 1e-3f, 4e7f,
                              -4e7f, 1.7f, 0.1f, 9.0f, 5e6f, -3.0f, 11.0f, -5e6f};
  static const int32_t xi[16] = {INT32_MAX, 1, 2, 3, -7, 100, INT32_MIN, 5, 6, -6, 9, 10, 11, -12, 13, -14};
  float out[8];
  int32_t outi[8];
  red_avx512(x, xi, out, outi);
  printf("reduce avx512: add16 %s add8 %s add4 %s add2 %s add1 %s max16 %s | i32 add16 %d max16 %d add8 %s add4 %s max2 %s\n",
         same(out[0], tree(x, 16)), same(out[2], tree(x, 8)), same(out[3], tree(x, 4)),
         same(out[4], tree(x, 2)), same(out[5], x[0]), ok(out[1] == 1e8f), outi[0], outi[1],
         ok(outi[2] == iadd(xi, 8)), ok(outi[3] == iadd(xi, 4)), ok(outi[4] == imax(xi, 2)));
  red_avx2(x, xi, out, outi);
  printf("reduce avx2: add8 %s add4 %s add2 %s max8 %s | i32 add8 %s max8 %s add4 %s\n",
         same(out[0], tree(x, 8)), same(out[2], tree(x, 4)), same(out[3], tree(x, 2)),
         ok(out[1] == 1e8f), ok(outi[0] == iadd(xi, 8)), ok(outi[1] == imax(xi, 8)), ok(outi[2] == iadd(xi, 4)));
  red_scalar(x, xi, out, outi);
  printf("reduce scalar: add1 %s max1 %s | i32 add1 %s\n", same(out[0], x[0]), ok(out[1] == x[0]), ok(outi[0] == xi[0]));
  float seq = 0.0f;
  for (int i = 0; i < 16; ++i) seq += x[i];
  printf("tree order differs from a left-to-right sum: %s\n", seq != tree(x, 16) ? "yes" : "no");

  int8_t q[64];
  float f[16];
  for (int i = 0; i < 64; ++i) q[i] = (int8_t)(i * 37 - 100);
  for (int i = 0; i < 16; ++i) f[i] = (float)i + 0.5f;
  int8_t oq[4][64];
  float of[4][16];
  static const int ig[4] = {4, 8, 2, 16}, fg[4] = {2, 4, 8, 1};
  for (int isa = 0; isa < 2; ++isa) {
    int nb = isa ? 32 : 64, nf = isa ? 8 : 16;
    memset(oq, 0, sizeof oq);
    memset(of, 0, sizeof of);
    (isa ? bcast_avx2 : bcast_avx512)(q, f, &oq[0][0], &of[0][0]);
    int good_i = 1, good_f = 1;
    for (int r = 0; r < 4; ++r) {
      for (int i = 0; i < 64; ++i) good_i &= oq[r][i] == (i < nb ? q[i % ig[r]] : 0);
      if (isa && r == 2) continue; /* avx2 has no 8-float group into 8 lanes */
      for (int i = 0; i < 16; ++i) good_f &= of[r][i] == (i < nf ? f[i % fg[r]] : 0.0f);
    }
    printf("broadcast %s: i8 groups 4 8 2 16 %s, f32 groups %s %s\n", isa ? "avx2" : "avx512", ok(good_i),
           isa ? "2 4 1" : "2 4 8 1", ok(good_f));
  }
  memset(oq, 0, sizeof oq);
  bcast_scalar(q, &oq[0][0], -7);
  int good = 1;
  for (int i = 0; i < 4; ++i) good &= oq[0][i] == q[i % 2] && oq[1][i] == q[0];
  printf("broadcast scalar: i8 groups 2 1 %s, scalar i8 %s\n", ok(good),
         ok(oq[2][0] == -7 && oq[2][3] == -7 && oq[0][4] == 0));

  float o[16];
  int32_t oi[16];
  _Float16 oh[16];
  uint16_t hb[16];
  const_avx512(o, oi, oh);
  memcpy(hb, oh, sizeof hb);
  printf("constants avx512: %g %g %g %g | i32 %d %d %d | f16 0x%04X 0x%04X\n", o[0], o[1], o[2], o[15],
         oi[0], oi[1], oi[15], hb[0], hb[15]);
  const_avx2(o, oi);
  printf("constants avx2: %g %g %g %g | i32 %d %d %d\n", o[0], o[1], o[2], o[7], oi[0], oi[1], oi[7]);
  int8_t c4[4];
  const_scalar(o, c4);
  printf("constants scalar: %g | i8 %d %d %d %d\n", o[0], c4[0], c4[1], c4[2], c4[3]);
  return 0;
}
