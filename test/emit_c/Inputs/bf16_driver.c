/* Driver for bf16_exec.mlir: pack(even, odd, out) and dot(acc, a, b, out) against C. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void pack(const float *, int64_t, const float *, int64_t, uint16_t *, int64_t);
void dot(const float *, int64_t, const uint16_t *, int64_t, const uint16_t *, int64_t, float *, int64_t);

enum { N = 65536, M = 4096 };
static float even[N], odd[N], acc[M], got[M];
static uint16_t out[2 * N], a[2 * M], b[2 * M];

static float from_bits(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static uint32_t bits_of(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static uint16_t to_bf16(float f) { /* round to nearest even; NaN quieted */
  uint32_t u = bits_of(f);
  if (f != f) return (uint16_t)((u >> 16) | 0x40);
  return (uint16_t)((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}
static float widen(uint16_t h) { return from_bits((uint32_t)h << 16); }

int main(void) {
  uint32_t state = 7u;
  for (int i = 0; i < N; ++i) {
    state = state * 1664525u + 1013904223u;
    even[i] = from_bits(state);
    state = state * 1664525u + 1013904223u;
    odd[i] = from_bits(state);
  }
  even[0] = from_bits(0x3F808000u), odd[0] = from_bits(0x3F818000u); /* ties: to even, both ways */
  even[1] = NAN, odd[1] = -INFINITY, even[2] = INFINITY, odd[2] = from_bits(0x7F800001u); /* signalling NaN */
  pack(even, N, odd, N, out, 2 * N);
  int wrong = 0;
  for (int i = 0; i < N; ++i) wrong += out[2 * i] != to_bf16(even[i]) || out[2 * i + 1] != to_bf16(odd[i]);
  int quiet = (out[2] & 0x40) && (out[5] & 0x40);
  printf("pack: %d wrong of %d (ties 0x3F808000->0x%04X 0x3F818000->0x%04X, nan quiet %s)\n", wrong, N, out[0], out[1],
         quiet ? "yes" : "no");

  for (int i = 0; i < M; ++i) { /* normal numbers of both signs and a spread of exponents */
    state = state * 1664525u + 1013904223u;
    acc[i] = ((float)(state >> 8) / 16777216.0f - 0.5f) * 8.0f;
    for (int k = 0; k < 2; ++k) {
      state = state * 1664525u + 1013904223u;
      a[2 * i + k] = to_bf16(ldexpf((float)(state >> 8) / 16777216.0f - 0.5f, (int)(state % 9) - 4));
      state = state * 1664525u + 1013904223u;
      b[2 * i + k] = to_bf16(ldexpf((float)(state >> 8) / 16777216.0f - 0.5f, (int)(state % 9) - 4));
    }
  }
  dot(acc, M, a, 2 * M, b, 2 * M, got, M);
  wrong = 0;
  for (int i = 0; i < M; ++i) {
    float want = (acc[i] + widen(a[2 * i + 1]) * widen(b[2 * i + 1])) + widen(a[2 * i]) * widen(b[2 * i]);
    wrong += bits_of(got[i]) != bits_of(want);
  }
  printf("dot: %d wrong of %d\n", wrong, M);
  return 0;
}
