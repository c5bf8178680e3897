/* Stand-in for runtime_c's ABI header, for the emit_c lit tests. */
#include <stdint.h>
int32_t ck_thread_id(void);
void ck_parallel_barrier(int64_t phase);
