/* Driver for arith_exec.mlir. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int32_t add_wrap(int32_t, int32_t);
int64_t mul_wrap64(int64_t, int64_t);
int32_t floordiv(int32_t, int32_t);
int64_t ceildiv(int64_t, int64_t);
void unsigned_ops(int32_t, int32_t *);
void small_ints(int8_t, int64_t, int32_t *);
void bools(int32_t *);
void cmpf_all(float, float, int8_t *);
float maxmin(float, float, bool);
uint16_t bf16_mul(uint16_t, uint16_t);
uint16_t bf16_round(float);
uint16_t bf16_neg(uint16_t);
void casts(int32_t, float, float *, int32_t *);
int64_t select_index(bool, int64_t);

int main(void) {
  printf("add_wrap(2147483647, 1) = %d\n", add_wrap(INT32_MAX, 1));
  printf("mul_wrap64(4611686018427387904, 4) = %lld\n", (long long)mul_wrap64(INT64_C(4611686018427387904), 4));
  printf("floordiv: -7/2=%d 7/-2=%d 7/2=%d -8/2=%d\n", floordiv(-7, 2), floordiv(7, -2), floordiv(7, 2), floordiv(-8, 2));
  printf("ceildiv: -7/2=%lld 7/2=%lld 7/-2=%lld 8/2=%lld\n", (long long)ceildiv(-7, 2), (long long)ceildiv(7, 2),
         (long long)ceildiv(7, -2), (long long)ceildiv(8, 2));
  int32_t u[6];
  unsigned_ops(-1, u);
  printf("divui(-1, 2) = %d remui(-1, 10) = %d shrui(-1, 28) = %d shrsi(-16, 2) = %d minui(-1, 1) = %d maxui(-1, 1) = %d\n",
         u[0], u[1], u[2], u[3], u[4], u[5]);
  int32_t s[4];
  small_ints(-127, INT64_C(0x1234567890), s);
  printf("shli(i8 -127 << 1) = %d extsi(i8 -1) = %d extui(i8 -1) = %d trunci(0x1234567890) = 0x%X\n", s[0], s[1], s[2], (unsigned)s[3]);
  int32_t bo[4];
  bools(bo);
  printf("i1: extui(true) = %d extsi(true) = %d cmpi slt(true, false) = %d cmpi ult(true, false) = %d\n", bo[0], bo[1], bo[2], bo[3]);
  int8_t c[16];
  float args[4][2] = {{NAN, 1.0f}, {2.0f, 1.0f}, {1.0f, 1.0f}, {-INFINITY, INFINITY}};
  for (int k = 0; k < 4; ++k) {
    cmpf_all(args[k][0], args[k][1], c);
    printf("cmpf(%g, %g) = ", args[k][0], args[k][1]);
    for (int p = 0; p < 16; ++p) printf("%d", c[p]);
    printf("\n");
  }
  printf("maximumf(nan, 1) = %g minimumf(1, nan) = %g maximumf(-0, 0) = %g minimumf(0, -0) = %g maximumf(-3, 2) = %g\n",
         fabsf(maxmin(NAN, 1.0f, true)), fabsf(maxmin(1.0f, NAN, false)), maxmin(-0.0f, 0.0f, true),
         maxmin(0.0f, -0.0f, false), maxmin(-3.0f, 2.0f, true));
  printf("bf16: 1.00390625 * 1 -> 0x%04X, 1.01171875 -> 0x%04X, -x -> 0x%04X\n",
         bf16_mul(bf16_round(1.0f), bf16_round(1.0f)) == 0x3F80 ? bf16_round(1.00390625f) : 0xDEAD,
         bf16_round(1.01171875f), bf16_neg(bf16_round(1.01171875f)));
  float o[5];
  int32_t bits[1];
  casts(-1, -2.75f, o, bits);
  printf("casts: sitofp(-1) = %g uitofp(-1) = %.0f fptosi(-2.75) = %g bitcast(1.0) = 0x%08X f16(0.1) = %.9g\n",
         o[0], o[1], o[2], (unsigned)bits[0], o[3]);
  printf("select/index: %lld %lld %lld\n", (long long)select_index(true, 0), (long long)select_index(false, 0),
         (long long)select_index(true, 35));
  return 0;
}
