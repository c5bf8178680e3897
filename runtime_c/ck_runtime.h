/* ck runtime ABI: what libmodel.so exports to its host (the Python binding, or C).
 *
 * The model math lives in the generated model.c; this header and ck_runtime.c only
 * hold what is not model math: mapping weights.bump, the activation arena and KV
 * cache, a persistent thread pool with a barrier, and timers.
 */
#ifndef CK_RUNTIME_H
#define CK_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- entry points generated into model.c (ABI fixed by plan-memory) ----------
 * Every thread of the pool calls the entry with its id; kernels split their
 * outer loops by (tid, nth) and synchronise with ck_barrier(). Memref arguments
 * are passed as a pointer followed by one int64_t per dynamic dimension. */
void ck_decode(const int32_t *tokens, const int32_t *positions, float *logits,
               int8_t *arena, int64_t arena_size, const int8_t *weights, int64_t weights_size,
               int8_t *kv, int64_t kv_size, int64_t kv_slot, int64_t tid, int64_t nth);
void ck_prefill(const int32_t *tokens, int64_t n_tokens, const int32_t *positions, int64_t n_positions,
                float *logits, int64_t n_logits, int8_t *arena, int64_t arena_size,
                const int8_t *weights, int64_t weights_size, int8_t *kv, int64_t kv_size,
                int64_t kv_slot, int64_t tid, int64_t nth);
/* One decode step of several sequences (generated when the model holds more than one, the
 * batch-decode pass): token i is the next one of sequence slots[i], at positions[i]. `kv_slot`
 * above is the sequence whose KV cache a one-sequence call uses. */
void ck_decode_batch(const int32_t *tokens, int64_t n_tokens, const int32_t *positions, int64_t n_positions,
                     const int32_t *slots, int64_t n_slots, float *logits, int64_t n_logits, int8_t *arena,
                     int64_t arena_size, const int8_t *weights, int64_t weights_size, int8_t *kv, int64_t kv_size,
                     int64_t tid, int64_t nth);

/* A training step over one sequence (generated for models compiled with mode="train"):
 * writes the mean cross-entropy into *loss and every weight's gradient into `grads`,
 * laid out like `weights`. */
void ck_train_step(const int32_t *tokens, const int32_t *positions, const int32_t *targets, float *loss,
                   int8_t *arena, int64_t arena_size, const int8_t *weights, int64_t weights_size,
                   int8_t *grads, int64_t grads_size, int64_t tid, int64_t nth);

/* One AdamW update of every weight from `grads` (torch.optim.AdamW semantics), with the
 * moments m and v (laid out like the weights); hyperparameters come at run time. */
void ck_adamw_step(int8_t *weights, int64_t weights_size, const int8_t *grads, int64_t grads_size,
                   int8_t *m, int64_t m_size, int8_t *v, int64_t v_size, int64_t step, float lr,
                   float beta1, float beta2, float eps, float weight_decay, int64_t tid, int64_t nth);

/* Called by generated code between kernels: all threads of the current pool meet. */
void ck_barrier(void);

/* ---- the session API ------------------------------------------------------- */
typedef struct ck_session ck_session;

typedef struct ck_config {
    const char *weights_path; /* weights.bump, mapped read-only */
    int64_t weights_bytes;    /* its expected size */
    int64_t arena_bytes;      /* activation arena shared by the threads */
    int64_t private_bytes;    /* per thread, after the shared arena: what each thread computes for itself */
    int64_t kv_bytes;         /* KV caches for context_len positions, of every sequence */
    int64_t context_len;      /* positions the KV cache holds */
    int64_t max_tokens;       /* tokens one prefill call may take (arena sized for it) */
    int64_t vocab;            /* logits per token */
    int32_t threads;          /* pool size, >= 1 */
    int32_t training;         /* 1: weights writable in memory, a gradient buffer, ck_train_step */
    int64_t slots;            /* sequences held at once (each its KV cache and position), >= 1 */
} ck_config;

/* Error codes of ck_forward. */
enum { CK_OK = 0, CK_ERR_CONTEXT_FULL = 1, CK_ERR_BAD_ARGUMENT = 2 };

/* Opens a session; on failure returns NULL and writes a message into err. */
ck_session *ck_open(const ck_config *config, char *err, size_t err_len);
/* Appends n tokens at the current position and writes their logits [n, vocab], or with
 * last_only only the last token's [1, vocab] (the lm head then runs on that token alone). */
int ck_forward(ck_session *s, const int32_t *ids, int64_t n, float *logits, int32_t last_only);
void ck_reset(ck_session *s);
/* Keeps the first `position` cached tokens and drops the rest (position <= current). */
int ck_set_position(ck_session *s, int64_t position);
int64_t ck_position(const ck_session *s);
/* The same for sequence `slot` of a session holding several (the calls above are slot 0's). */
int ck_forward_slot(ck_session *s, int64_t slot, const int32_t *ids, int64_t n, float *logits, int32_t last_only);
int ck_set_position_slot(ck_session *s, int64_t slot, int64_t position);
int64_t ck_position_slot(const ck_session *s, int64_t slot);
/* One decode step of n different sequences at once: ids[i] is appended to sequence slots[i],
 * and logits[i] ([n, vocab]) are its next-token logits, bit for bit those ck_forward_slot would
 * give (the batched step sums every row in the one-token step's order). */
int ck_decode_slots(ck_session *s, const int32_t *slots, const int32_t *ids, int64_t n, float *logits);
void ck_close(ck_session *s);
/* Training sessions: n tokens (a batch of sequences of context_len tokens, row after row) with
 * their targets -> the mean loss, and its gradients in ck_grads(). */
int ck_train(ck_session *s, const int32_t *tokens, const int32_t *targets, int64_t n, float *loss);
/* AdamW on the weights from the last ck_train's gradients; step counts from 1. */
int ck_adamw(ck_session *s, int64_t step, float lr, float beta1, float beta2, float eps, float weight_decay);
int8_t *ck_weights(ck_session *s);
int8_t *ck_grads(ck_session *s);
int8_t *ck_adam_m(ck_session *s);
int8_t *ck_adam_v(ck_session *s);

/* Monotonic clock in nanoseconds (for profiling). */
int64_t ck_now_ns(void);

/* ---- profiling builds (the `instrument-kernels` pass) ------------------------
 * The generated entry points bracket every kernel and barrier call (a *site*) with
 * ck_prof_begin/ck_prof_end; while a log is attached, each thread appends one record
 * per call to its own part of it. Plain builds never call these. */
void ck_prof_begin(int64_t site, int64_t tid);
void ck_prof_end(int64_t site, int64_t tid);

/* One timed call: its site, the job it ran in (jobs, i.e. one forward chunk, training
 * step or AdamW update of the whole pool, count from 0 at attach), start and end. */
typedef struct ck_prof_record {
    int64_t site;
    int64_t job;
    int64_t start_ns;
    int64_t end_ns;
} ck_prof_record;

/* Attaches a log: thread t writes records[t * capacity ...] and counts them in counts[t]
 * (it stops at capacity, counting what it dropped in counts[threads + t]); NULL records
 * detaches. Returns the number of jobs run since the last attach. */
int64_t ck_profile_attach(ck_session *s, ck_prof_record *records, int64_t capacity, int64_t *counts);

/* The machine's peak arithmetic in GFLOP/s (1e9 per second) on `threads` threads, over
 * `seconds`: kind 0 f32 FMA (2 flops each), 1 int8 dot products as the q8_0 kernels do
 * them (vpdpbusd where there is VNNI; 2 ops per multiply-add), 2 bf16 pair products
 * (vdpbf16ps where there is AVX512-BF16). Returns < 0 when the kind does not exist here. */
double ck_probe_peak_gflops(int32_t threads, int32_t kind, double seconds);

/* The machine's read bandwidth in GB/s (1e9 bytes/s): `threads` threads each stream their
 * share of a `bytes` buffer of random data in huge pages (as the runtime holds the weights),
 * as one sequential stream per thread and as four walked in lock-step (as the generated
 * matmuls walk weights); the faster median of 5 passes. The denominator
 * of a decode step's memory floor (bytes it must read / this). Returns < 0 on failure. */
double ck_probe_read_gbps(int32_t threads, int64_t bytes);

#ifdef __cplusplus
}
#endif
#endif
