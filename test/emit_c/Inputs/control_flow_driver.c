/* Driver for control_flow_exec.mlir (functions from control_flow.mlir). */
#include <stdint.h>
#include <stdio.h>

int64_t fib(int64_t);
float swap_keep(int64_t, float, float, float);
int32_t branches(int32_t *, int64_t, int32_t, int32_t);
void nest(int32_t, int32_t, float *);

int main(void) {
  printf("fib:");
  for (int i = 0; i <= 10; ++i) printf(" %lld", (long long)fib(i));
  printf("\nswap_keep:");
  /* step 2: n = 1, 2 run once (p, q swapped), n = 3, 4 twice (swapped back) */
  for (int n = 0; n <= 4; ++n) printf(" n=%d -> %g", n, swap_keep(n, 1.0f, 6.0f, 2.0f));
  int32_t m[7] = {-5, 0, 2, 3, 5, 6, 20};
  int32_t total = branches(m, 7, 1, 6); /* sum of m clamped to [1, 6] */
  printf("\nbranches: total=%d m=", total);
  for (int i = 0; i < 7; ++i) printf(" %d", m[i]);
  float out[64];
  nest(10, 3, out);
  int all = 1;
  for (int i = 0; i < 64; ++i) all &= out[i] == 4.0f;
  printf("\nnest: n=10 step=3 -> %.1f everywhere: %s\n", out[0], all ? "yes" : "no");
  return 0;
}
