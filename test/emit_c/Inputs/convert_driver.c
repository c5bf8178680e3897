/* Driver for convert_exec.mlir: cvt_<isa>(h, hf, hh, b, bf, bb, f, fh, fb, fq, fi, fif, q, qf). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { N = 65536 };
typedef void cvt_fn(const _Float16 *, float *, _Float16 *, const uint16_t *, float *, uint16_t *,
                    const float *, _Float16 *, uint16_t *, int8_t *, int32_t *, float *,
                    const int8_t *, float *);
cvt_fn cvt_avx512, cvt_avx512x4, cvt_avx2, cvt_scalar;

static _Float16 h[N], hh[N], fh[N];
static uint16_t b[N], bb[N], fb[N];
static float hf[N], bf[N], f[N], fif[N], qf[N];
static int8_t fq[N], q[N];
static int32_t fi[N];

static uint32_t fbits(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static float bitsf(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }
static uint16_t hbits(_Float16 x) { uint16_t u; memcpy(&u, &x, 2); return u; }
static int hnan(uint16_t u) { return (u & 0x7C00) == 0x7C00 && (u & 0x3FF); }
static int bnan(uint16_t u) { return (u & 0x7F80) == 0x7F80 && (u & 0x7F); }

static uint16_t ref_bf16(float x) { /* round to nearest even */
  uint32_t u = fbits(x);
  return (uint16_t)((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}
static int8_t ref_i8(float x) {
  if (x != x) return -128;
  if (x >= 127.0f) return 127;
  if (x <= -128.0f) return -128;
  return (int8_t)rintf(x);
}
static int32_t ref_i32(float x) {
  if (!(x >= -2147483648.0f && x < 2147483648.0f)) return INT32_MIN;
  return (int32_t)rintf(x);
}

static const float special[] = {2.5f, -2.5f, 3.5f, 127.5f, -128.5f, 1e10f, NAN, -3.5f, 3e9f,
                                1.00390625f /* 1 + 2^-8: tie, even */, 1.01171875f /* 1 + 3*2^-8: tie, odd */,
                                -0.0f, INFINITY, -INFINITY, 65520.0f, 65519.0f, 5.96e-8f, 2.98e-8f,
                                1e-40f, -1e-45f, 2147483520.0f, -2147483648.0f, 2147483648.0f, -2147483904.0f};
enum { NSPEC = sizeof special / sizeof special[0] };

int main(void) {
  uint32_t seed = 2024;
  for (int i = 0; i < N; ++i) {
    uint16_t u = (uint16_t)i;
    memcpy(&h[i], &u, 2);
    b[i] = u;
    q[i] = (int8_t)(i & 255);
    seed = seed * 1664525u + 1013904223u;
    uint32_t r = seed;
    switch (i & 3) {
      case 0: f[i] = bitsf(r); break;                                  /* any bits */
      case 1: f[i] = bitsf((r & 0xFFFF0000u) | 0x8000u); break;        /* bf16 ties */
      case 2: f[i] = bitsf((r & 0x807FE000u) | (((r >> 8) % 40 + 100) << 23) | 0x1000u); break; /* f16 range, ties */
      default: f[i] = ((float)(int32_t)r) / 16777216.0f * 300.0f; break; /* [-300, 300] */
    }
  }
  memcpy(f, special, sizeof special);
  cvt_fn *fns[4] = {cvt_avx512, cvt_avx512x4, cvt_avx2, cvt_scalar};
  const char *names[4] = {"avx512", "avx512x4", "avx2", "scalar"};
  for (int k = 0; k < 4; ++k) {
    memset(hf, 0xA5, sizeof hf); memset(bf, 0xA5, sizeof bf);
    fns[k](h, hf, hh, b, bf, bb, f, fh, fb, fq, fi, fif, q, qf);
    int bad[10] = {0};
    for (int i = 0; i < N; ++i) {
      uint16_t hu = (uint16_t)i;
      float hr = (float)h[i];
      bad[0] += hnan(hu) ? !isnan(hf[i]) : fbits(hf[i]) != fbits(hr);
      bad[1] += hnan(hu) ? !hnan(hbits(hh[i])) : hbits(hh[i]) != hu;
      bad[2] += fbits(bf[i]) != ((uint32_t)hu << 16);
      bad[3] += bnan(hu) ? !bnan(bb[i]) : bb[i] != hu;
      _Float16 fr = (_Float16)f[i];
      bad[4] += isnan(f[i]) ? !hnan(hbits(fh[i])) : hbits(fh[i]) != hbits(fr);
      bad[5] += isnan(f[i]) ? !bnan(fb[i]) : fb[i] != ref_bf16(f[i]);
      bad[6] += fq[i] != ref_i8(f[i]);
      bad[7] += fi[i] != ref_i32(f[i]);
      bad[8] += fbits(fif[i]) != fbits((float)fi[i]);
      bad[9] += fbits(qf[i]) != fbits((float)q[i]);
    }
    printf("%s: f16->f32 %d f16 round trip %d bf16->f32 %d bf16 round trip %d f32->f16 %d f32->bf16 %d "
           "f32->i8 %d f32->i32 %d i32->f32 %d i8->f32 %d bad lanes\n",
           names[k], bad[0], bad[1], bad[2], bad[3], bad[4], bad[5], bad[6], bad[7], bad[8], bad[9]);
    printf("%s: 2.5->%d -2.5->%d 3.5->%d 127.5->%d -128.5->%d 1e10->%d nan->%d | i32: 2.5->%d -3.5->%d "
           "nan->%d 3e9->%d | bf16(1+2^-8)=0x%04X bf16(1+3*2^-8)=0x%04X\n",
           names[k], fq[0], fq[1], fq[2], fq[3], fq[4], fq[5], fq[6], fi[0], fi[7], fi[6], fi[8],
           fb[9], fb[10]);
  }
  return 0;
}
