/* ck runtime: weights mapping, arena and KV cache, the thread pool and barrier.
 * No model math here: the kernels and their order are generated into model.c. */
#define _GNU_SOURCE
#include "ck_runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CK_ALIGN 64

/* A library has the entry points of its mode only: inference or training. */
#pragma weak ck_decode
#pragma weak ck_prefill
#pragma weak ck_decode_batch
#pragma weak ck_train_step
#pragma weak ck_adamw_step
#define CK_SPINS_BEFORE_YIELD 4096
/* At a job's start and end a thread spins this long, then sleeps on the futex. Longer than the
 * gap between two calls from Python (sampling, detokenizing: tens to hundreds of us), so the
 * workers of a decode loop never sleep: at 50 us they slept on almost every step of a small
 * model (two futex calls per token under strace) and the wake-up sat on its critical path. */
#define CK_SPIN_BEFORE_SLEEP_NS 2000000

/* A sense-reversing barrier: spin with a pause, then yield the core (between kernels), or
 * sleep in the kernel (between jobs: see rendezvous). */
typedef struct ck_barrier_state {
    _Atomic int32_t arrived;
    _Atomic int32_t sense;
    int32_t count;
    _Atomic int32_t sleepers; /* threads asleep on `sense` (rendezvous) */
} ck_barrier_state;

static inline void cpu_relax(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
}

static void barrier_wait(ck_barrier_state *b) {
    if (b->count <= 1) return;
    int32_t sense = atomic_load_explicit(&b->sense, memory_order_relaxed);
    if (atomic_fetch_add_explicit(&b->arrived, 1, memory_order_acq_rel) == b->count - 1) {
        atomic_store_explicit(&b->arrived, 0, memory_order_relaxed);
        atomic_store_explicit(&b->sense, !sense, memory_order_release);
        return;
    }
    for (int spins = 0; atomic_load_explicit(&b->sense, memory_order_acquire) == sense; spins++) {
        if (spins < CK_SPINS_BEFORE_YIELD) {
            cpu_relax();
        } else {
            sched_yield();
        }
    }
}

int64_t ck_now_ns(void);

/* The pool's rendezvous at the start and end of every job: as barrier_wait, but a thread that
 * has spun for CK_SPIN_BEFORE_SLEEP_NS sleeps on a futex until the last one arrives, so the
 * workers of a loaded, idle model use no CPU (they used to spin and yield forever). The last
 * arriver flips the sense, then wakes the sleepers if any: both sides use sequentially
 * consistent operations, so either it sees a sleeper or the sleeper sees the new sense. */
static void rendezvous(ck_barrier_state *b) {
    if (b->count <= 1) return;
    int32_t sense = atomic_load_explicit(&b->sense, memory_order_relaxed);
    if (atomic_fetch_add_explicit(&b->arrived, 1, memory_order_acq_rel) == b->count - 1) {
        atomic_store_explicit(&b->arrived, 0, memory_order_relaxed);
        atomic_store(&b->sense, !sense);
        if (atomic_load(&b->sleepers) > 0)
            syscall(SYS_futex, (int32_t *)&b->sense, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
        return;
    }
    int64_t start = ck_now_ns();
    for (int spins = 1; atomic_load_explicit(&b->sense, memory_order_acquire) == sense; spins++) {
        if (spins % 64 == 0 && ck_now_ns() - start > CK_SPIN_BEFORE_SLEEP_NS) {
            atomic_fetch_add(&b->sleepers, 1);
            while (atomic_load(&b->sense) == sense)
                syscall(SYS_futex, (int32_t *)&b->sense, FUTEX_WAIT_PRIVATE, sense, NULL, NULL, 0);
            atomic_fetch_sub(&b->sleepers, 1);
            return;
        }
        cpu_relax();
    }
}

/* What a pool thread needs while it runs a job (run_job sets it up on its stack): the barrier its
 * kernels meet at and its part of the profile log. Found through a pthread key rather than
 * _Thread_local: the runtime is also JIT-compiled from LLVM IR (ck_runtime.ll, ck/llvm_jit.py),
 * and MCJIT cannot allocate thread-local storage. A lookup costs a few ns per kernel call. Each
 * copy of the runtime (each libmodel.so, each JIT-compiled model) holds its key only while it has
 * open sessions: a process has 1024 keys, and a test run loads many more models than that. */
typedef struct thread_state thread_state;

static pthread_mutex_t state_key_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t state_key;
static _Atomic int64_t sessions_open; /* state_key exists while > 0 */

/* Called by ck_open: 0, or the error of pthread_key_create. */
static int retain_state_key(void) {
    pthread_mutex_lock(&state_key_lock);
    int rc = atomic_load(&sessions_open) == 0 ? pthread_key_create(&state_key, NULL) : 0;
    if (rc == 0) atomic_fetch_add(&sessions_open, 1);
    pthread_mutex_unlock(&state_key_lock);
    return rc;
}

static void release_state_key(void) {
    pthread_mutex_lock(&state_key_lock);
    if (atomic_fetch_sub(&sessions_open, 1) == 1) pthread_key_delete(state_key);
    pthread_mutex_unlock(&state_key_lock);
}

/* This thread's job state; NULL outside a job (a kernel called on its own, as ck bench --tune does). */
static thread_state *current_state(void) {
    return atomic_load(&sessions_open) > 0 ? pthread_getspecific(state_key) : NULL;
}

/* One unit of work for the pool: a decode or prefill call over a chunk of tokens. */
typedef struct ck_job {
    const int32_t *tokens;
    const int32_t *positions;
    const int32_t *targets; /* training only */
    const int32_t *slots;   /* a batched decode step: the sequence of each token */
    int64_t kv_slot;        /* otherwise the sequence whose KV cache the call uses */
    float *out;             /* logits, or the loss */
    int64_t n;
    int64_t n_logits;       /* prefill: logits of the last n_logits tokens (0 .. n) */
    int64_t adam_step;      /* > 0: an AdamW update instead of a forward pass */
    float adam[5];          /* lr, beta1, beta2, eps, weight_decay */
} ck_job;

struct ck_session {
    ck_config cfg;
    int8_t *weights;
    size_t weights_mapped; /* bytes of the weights' mapping (a multiple of CK_HUGE_PAGE) */
    size_t kv_mapped;
    int8_t *arena;
    int64_t arena_total; /* shared arena + threads x private part */
    int8_t *kv;
    int8_t *grads;
    int8_t *adam_m;
    int8_t *adam_v;
    int32_t *positions;
    int64_t *position; /* per sequence: how many tokens its KV cache holds */
    /* pool */
    pthread_t *workers;
    ck_barrier_state barrier;   /* used by the kernels */
    ck_barrier_state dispatch;  /* start and end of a job */
    ck_job job;
    _Atomic int32_t stop;
    /* profiling (ck_profile_attach) */
    ck_prof_record *prof_records;
    int64_t prof_capacity;
    int64_t *prof_counts;
    int64_t prof_jobs;
    int32_t holds_state_key; /* retain_state_key succeeded: ck_close releases it */
};

/* This thread's part of the attached profile log, set for each job by run_job. */
typedef struct prof_log {
    ck_prof_record *records;
    int64_t capacity;
    int64_t *count;
    int64_t *dropped;
    int64_t job;
    int64_t start; /* of the call in progress: sites never nest */
} prof_log;

struct thread_state {
    ck_barrier_state *barrier;
    prof_log log;
};

void ck_barrier(void) {
    thread_state *t = current_state();
    if (t) barrier_wait(t->barrier);
}

void ck_prof_begin(int64_t site, int64_t tid) {
    (void)site;
    (void)tid;
    thread_state *t = current_state();
    if (t) t->log.start = ck_now_ns();
}

void ck_prof_end(int64_t site, int64_t tid) {
    int64_t end = ck_now_ns();
    (void)tid;
    thread_state *t = current_state();
    if (!t || !t->log.records) return;
    prof_log *log = &t->log;
    if (*log->count < log->capacity) {
        log->records[(*log->count)++] = (ck_prof_record){site, log->job, log->start, end};
    } else {
        (*log->dropped)++;
    }
}

int64_t ck_profile_attach(ck_session *s, ck_prof_record *records, int64_t capacity, int64_t *counts) {
    int64_t jobs = s->prof_jobs;
    s->prof_records = capacity > 0 ? records : NULL;
    s->prof_capacity = capacity;
    s->prof_counts = counts;
    s->prof_jobs = 0;
    if (s->prof_records) memset(counts, 0, sizeof(int64_t) * 2 * (size_t)s->cfg.threads);
    return jobs;
}

int64_t ck_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void run_job(ck_session *s, int64_t tid) {
    const ck_job *j = &s->job;
    int64_t nth = s->cfg.threads;
    thread_state state = {&s->barrier, {NULL, 0, NULL, NULL, 0, 0}};
    if (s->prof_records) {
        state.log = (prof_log){s->prof_records + tid * s->prof_capacity, s->prof_capacity, &s->prof_counts[tid],
                               &s->prof_counts[nth + tid], s->prof_jobs, 0};
    }
    pthread_setspecific(state_key, &state);
    int64_t wb = s->cfg.weights_bytes;
    if (j->adam_step > 0) {
        ck_adamw_step(s->weights, wb, s->grads, wb, s->adam_m, wb, s->adam_v, wb, j->adam_step, j->adam[0],
                      j->adam[1], j->adam[2], j->adam[3], j->adam[4], tid, nth);
    } else if (j->targets) {
        ck_train_step(j->tokens, j->positions, j->targets, j->out, s->arena, s->arena_total, s->weights,
                      s->cfg.weights_bytes, s->grads, s->cfg.weights_bytes, tid, nth);
    } else if (j->slots) {
        ck_decode_batch(j->tokens, j->n, j->positions, j->n, j->slots, j->n, j->out, j->n, s->arena, s->arena_total,
                        s->weights, s->cfg.weights_bytes, s->kv, s->cfg.kv_bytes, tid, nth);
    } else if (j->n == 1) {
        ck_decode(j->tokens, j->positions, j->out, s->arena, s->arena_total, s->weights,
                  s->cfg.weights_bytes, s->kv, s->cfg.kv_bytes, j->kv_slot, tid, nth);
    } else {
        ck_prefill(j->tokens, j->n, j->positions, j->n, j->out, j->n_logits, s->arena, s->arena_total,
                   s->weights, s->cfg.weights_bytes, s->kv, s->cfg.kv_bytes, j->kv_slot, tid, nth);
    }
    pthread_setspecific(state_key, NULL); /* `state` ends with this frame */
}

typedef struct worker_arg {
    ck_session *s;
    int64_t tid;
} worker_arg;

static void *worker_main(void *p) {
    worker_arg a = *(worker_arg *)p;
    free(p);
    for (;;) {
        rendezvous(&a.s->dispatch); /* wait for a job */
        if (atomic_load(&a.s->stop)) return NULL;
        run_job(a.s, a.tid);
        rendezvous(&a.s->dispatch); /* job done */
    }
}

#ifndef CK_SANITIZE
#define CK_HUGE_PAGE ((size_t)2 << 20)

/* Zeroed memory in whole 2 MiB pages, with transparent huge pages asked for: a decode step
 * streams all the weights (and, at long contexts, the KV cache), and one TLB entry per 2 MiB
 * instead of per 4 KiB keeps the page walks out of the way (measured here: ~10% more
 * tokens/s than mapping weights.bump from the page cache). NULL when out of memory. */
static void *alloc_huge(size_t bytes, size_t *mapped) {
    size_t size = (bytes + CK_HUGE_PAGE - 1) / CK_HUGE_PAGE * CK_HUGE_PAGE;
    if (size == 0) size = CK_HUGE_PAGE;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    madvise(p, size, MADV_HUGEPAGE);
    *mapped = size;
    return p;
}

static void *alloc_zeroed(size_t bytes) {
    void *p = NULL;
    size_t rounded = (bytes + CK_ALIGN - 1) / CK_ALIGN * CK_ALIGN;
    if (posix_memalign(&p, CK_ALIGN, rounded ? rounded : CK_ALIGN)) return NULL;
    memset(p, 0, rounded ? rounded : CK_ALIGN);
    return p;
}

static void free_huge(void *p, size_t mapped) { munmap(p, mapped); }
#else
/* A sanitizer build ($CK_SANITIZE, ck/build.py): every buffer is exactly the bytes asked for,
 * from the sanitizer's malloc, so AddressSanitizer's redzone starts right after its last byte;
 * no rounding to a 64-byte line or a 2 MiB page hides an overrun. */
static void *alloc_zeroed(size_t bytes) {
    void *p = NULL;
    if (posix_memalign(&p, CK_ALIGN, bytes ? bytes : 1)) return NULL;
    memset(p, 0, bytes);
    return p;
}

static void *alloc_huge(size_t bytes, size_t *mapped) {
    *mapped = bytes;
    return alloc_zeroed(bytes);
}

static void free_huge(void *p, size_t mapped) {
    (void)mapped;
    free(p);
}
#endif

ck_session *ck_open(const ck_config *config, char *err, size_t err_len) {
    if (config->threads < 1 || config->context_len < 1 || config->max_tokens < 1 || config->slots < 1) {
        snprintf(err, err_len, "threads, context_len, max_tokens and slots must be positive");
        return NULL;
    }
    if (config->training ? !(ck_train_step && ck_adamw_step) : !(ck_decode && ck_prefill)) {
        snprintf(err, err_len, "this libmodel.so was not compiled for %s", config->training ? "training" : "inference");
        return NULL;
    }
    if (config->slots > 1 && (!ck_decode_batch || config->slots > config->max_tokens)) {
        snprintf(err, err_len, "this libmodel.so was not compiled for %lld sequences", (long long)config->slots);
        return NULL;
    }
    ck_session *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    s->cfg = *config;
    int fd = open(config->weights_path, O_RDONLY);
    if (fd < 0) {
        snprintf(err, err_len, "cannot open %s: %s", config->weights_path, strerror(errno));
        free(s);
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) || st.st_size < config->weights_bytes) {
        snprintf(err, err_len, "%s holds %lld bytes, expected %lld", config->weights_path,
                 (long long)st.st_size, (long long)config->weights_bytes);
        close(fd);
        free(s);
        return NULL;
    }
#ifdef CK_SANITIZE
    st.st_size = (off_t)config->weights_bytes; /* read no more than the weights: past them is a redzone */
#endif
    /* the weights are read into memory of the process's own (training updates them there,
     * never in the file), in huge pages */
    int8_t *w = alloc_huge((size_t)st.st_size, &s->weights_mapped);
    if (!w) {
        snprintf(err, err_len, "cannot allocate %lld bytes for the weights of %s", (long long)st.st_size,
                 config->weights_path);
        close(fd);
        free(s);
        return NULL;
    }
    for (size_t done = 0; done < (size_t)st.st_size;) {
        ssize_t got = pread(fd, w + done, (size_t)st.st_size - done, (off_t)done);
        if (got <= 0) {
            snprintf(err, err_len, "cannot read %s: %s", config->weights_path, got < 0 ? strerror(errno) : "file shrank");
            free_huge(w, s->weights_mapped);
            close(fd);
            free(s);
            return NULL;
        }
        done += (size_t)got;
    }
    close(fd);
    s->weights = w;
    s->arena_total = config->arena_bytes + (int64_t)config->threads * config->private_bytes;
    s->arena = alloc_zeroed((size_t)s->arena_total);
    s->kv = alloc_huge((size_t)config->kv_bytes, &s->kv_mapped);
    s->positions = alloc_zeroed((size_t)config->max_tokens * sizeof(int32_t));
    s->position = alloc_zeroed((size_t)config->slots * sizeof(int64_t));
    if (config->training) {
        s->grads = alloc_zeroed((size_t)config->weights_bytes);
        s->adam_m = alloc_zeroed((size_t)config->weights_bytes);
        s->adam_v = alloc_zeroed((size_t)config->weights_bytes);
    }
    if (!s->arena || !s->kv || !s->positions || !s->position || (config->training && !(s->grads && s->adam_m && s->adam_v))) {
        snprintf(err, err_len, "cannot allocate %lld bytes of arena and %lld of KV cache",
                 (long long)s->arena_total, (long long)config->kv_bytes);
        ck_close(s);
        return NULL;
    }
    s->barrier.count = config->threads;
    s->dispatch.count = config->threads;
    s->workers = calloc((size_t)config->threads, sizeof(pthread_t));
    /* Kernels keep scratch on the stack (packed panels, score rows: up to a few MiB, see the
       kernel builders' limits); give the workers as much as a main thread has, whatever
       RLIMIT_STACK says (glibc falls back to 2 MiB when it is unlimited). */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, (size_t)16 << 20);
    for (int64_t t = 1; t < config->threads; t++) {
        worker_arg *a = malloc(sizeof *a);
        a->s = s;
        a->tid = t;
        if (pthread_create(&s->workers[t], &attr, worker_main, a)) {
            snprintf(err, err_len, "cannot start thread %lld", (long long)t);
            free(a);
            s->cfg.threads = (int32_t)t; /* only join what started */
            s->dispatch.count = (int32_t)t;
            pthread_attr_destroy(&attr);
            ck_close(s);
            return NULL;
        }
    }
    pthread_attr_destroy(&attr);
    if (retain_state_key()) {
        snprintf(err, err_len, "cannot create a thread key (pthread_key_create)");
        ck_close(s);
        return NULL;
    }
    s->holds_state_key = 1;
    return s;
}

/* Runs s->job on every thread of the pool, this one as thread 0. */
static void run_pool(ck_session *s) {
    rendezvous(&s->dispatch); /* release the workers */
    run_job(s, 0);
    rendezvous(&s->dispatch); /* wait for them */
    s->prof_jobs++;
}

/* Runs one chunk (n <= max_tokens) of sequence `slot` on every thread of the pool; logits of its
 * last n_logits tokens. */
static void run_chunk(ck_session *s, int64_t slot, const int32_t *ids, int64_t n, float *logits, int64_t n_logits) {
    for (int64_t i = 0; i < n; i++) s->positions[i] = (int32_t)(s->position[slot] + i);
    s->job = (ck_job){.tokens = ids, .positions = s->positions, .out = logits, .n = n, .n_logits = n_logits,
                      .kv_slot = slot};
    run_pool(s);
    s->position[slot] += n;
}

int ck_forward_slot(ck_session *s, int64_t slot, const int32_t *ids, int64_t n, float *logits, int32_t last_only) {
    if (slot < 0 || slot >= s->cfg.slots || n < 0 || (n > 0 && (!ids || !logits))) return CK_ERR_BAD_ARGUMENT;
    if (s->position[slot] + n > s->cfg.context_len) return CK_ERR_CONTEXT_FULL;
    for (int64_t done = 0; done < n;) {
        int64_t chunk = n - done < s->cfg.max_tokens ? n - done : s->cfg.max_tokens;
        int64_t n_logits = chunk;
        float *out = logits + done * s->cfg.vocab;
        if (last_only) { /* only the very last token's logits, into logits[0] */
            n_logits = done + chunk == n ? 1 : 0;
            out = logits;
        }
        run_chunk(s, slot, ids + done, chunk, out, n_logits);
        done += chunk;
    }
    return CK_OK;
}

int ck_forward(ck_session *s, const int32_t *ids, int64_t n, float *logits, int32_t last_only) {
    return ck_forward_slot(s, 0, ids, n, logits, last_only);
}

int ck_decode_slots(ck_session *s, const int32_t *slots, const int32_t *ids, int64_t n, float *logits) {
    if (n < 1 || n > s->cfg.slots || !slots || !ids || !logits) return CK_ERR_BAD_ARGUMENT;
    for (int64_t i = 0; i < n; i++) {
        if (slots[i] < 0 || slots[i] >= s->cfg.slots) return CK_ERR_BAD_ARGUMENT;
        for (int64_t k = 0; k < i; k++)
            if (slots[k] == slots[i]) return CK_ERR_BAD_ARGUMENT; /* two rows would write one cache row */
        if (s->position[slots[i]] >= s->cfg.context_len) return CK_ERR_CONTEXT_FULL;
    }
    if (n == 1 || !ck_decode_batch) return ck_forward_slot(s, slots[0], ids, 1, logits, 0);
    for (int64_t i = 0; i < n; i++) s->positions[i] = (int32_t)s->position[slots[i]];
    s->job = (ck_job){.tokens = ids, .positions = s->positions, .slots = slots, .out = logits, .n = n};
    run_pool(s);
    for (int64_t i = 0; i < n; i++) s->position[slots[i]]++;
    return CK_OK;
}

int ck_train(ck_session *s, const int32_t *tokens, const int32_t *targets, int64_t n, float *loss) {
    if (!s->cfg.training || n < 1 || n > s->cfg.max_tokens || !tokens || !targets || !loss) return CK_ERR_BAD_ARGUMENT;
    /* rows hold a batch of sequences of context_len tokens each */
    for (int64_t i = 0; i < n; i++) s->positions[i] = (int32_t)(i % s->cfg.context_len);
    s->job = (ck_job){.tokens = tokens, .positions = s->positions, .targets = targets, .out = loss, .n = n};
    run_pool(s);
    return CK_OK;
}

int ck_adamw(ck_session *s, int64_t step, float lr, float beta1, float beta2, float eps, float weight_decay) {
    if (!s->cfg.training || step < 1) return CK_ERR_BAD_ARGUMENT;
    s->job = (ck_job){.adam_step = step, .adam = {lr, beta1, beta2, eps, weight_decay}};
    run_pool(s);
    return CK_OK;
}

int8_t *ck_weights(ck_session *s) { return s->weights; }

int8_t *ck_adam_m(ck_session *s) { return s->adam_m; }

int8_t *ck_adam_v(ck_session *s) { return s->adam_v; }

int8_t *ck_grads(ck_session *s) { return s->grads; }

void ck_reset(ck_session *s) { s->position[0] = 0; }

int ck_set_position_slot(ck_session *s, int64_t slot, int64_t position) {
    if (slot < 0 || slot >= s->cfg.slots || position < 0 || position > s->position[slot]) return CK_ERR_BAD_ARGUMENT;
    s->position[slot] = position; /* later tokens overwrite the cache rows past it */
    return CK_OK;
}

int ck_set_position(ck_session *s, int64_t position) { return ck_set_position_slot(s, 0, position); }

int64_t ck_position_slot(const ck_session *s, int64_t slot) {
    return slot >= 0 && slot < s->cfg.slots ? s->position[slot] : -1;
}

int64_t ck_position(const ck_session *s) { return s->position[0]; }

void ck_close(ck_session *s) {
    if (!s) return;
    if (s->workers) {
        atomic_store(&s->stop, 1);
        if (s->cfg.threads > 1) rendezvous(&s->dispatch);
        for (int64_t t = 1; t < s->cfg.threads; t++) pthread_join(s->workers[t], NULL);
        free(s->workers);
    }
    if (s->weights) free_huge((void *)s->weights, s->weights_mapped);
    free(s->grads);
    free(s->adam_m);
    free(s->adam_v);
    free(s->arena);
    if (s->kv) free_huge(s->kv, s->kv_mapped);
    free(s->positions);
    free(s->position);
    if (s->holds_state_key) release_state_key();
    free(s);
}

/* ---- the read-bandwidth probe ------------------------------------------------ */

typedef struct probe_arg {
    const uint64_t *data;
    size_t words;     /* this thread's share */
    int streams;      /* sequential streams walked in lock-step */
    uint64_t sum;     /* kept so the reads are not optimized away */
    ck_barrier_state *start;
    double seconds;
} probe_arg;

/* 64 bytes at a time (one AVX-512 load, or what the target has): with scalar loads the loop,
 * not the memory, would set the pace on a fast host. */
typedef uint64_t probe_vec __attribute__((vector_size(64), aligned(8)));

static void *probe_read(void *p) {
    probe_arg *a = p;
    size_t part = a->words / (size_t)a->streams;
    probe_vec x0 = {0}, x1 = {0}, x2 = {0}, x3 = {0};
    barrier_wait(a->start);
    int64_t t0 = ck_now_ns();
    if (a->streams == 1) {
        const uint64_t *s0 = a->data;
        for (size_t i = 0; i + 32 <= part; i += 32) {
            x0 += *(const probe_vec *)(s0 + i);
            x1 += *(const probe_vec *)(s0 + i + 8);
            x2 += *(const probe_vec *)(s0 + i + 16);
            x3 += *(const probe_vec *)(s0 + i + 24);
        }
    } else {
        const uint64_t *s0 = a->data, *s1 = s0 + part, *s2 = s1 + part, *s3 = s2 + part;
        for (size_t i = 0; i < part; i += 8) {
            x0 += *(const probe_vec *)(s0 + i);
            x1 += *(const probe_vec *)(s1 + i);
            x2 += *(const probe_vec *)(s2 + i);
            x3 += *(const probe_vec *)(s3 + i);
        }
    }
    a->seconds = (double)(ck_now_ns() - t0) * 1e-9;
    probe_vec x = x0 ^ x1 ^ x2 ^ x3;
    uint64_t sum = 0;
    for (int l = 0; l < 8; l++) sum ^= x[l];
    a->sum = sum;
    return NULL;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median over 5 passes of `threads` threads each reading its share with `streams` streams. */
static double probe_passes(const uint64_t *data, size_t words, int32_t threads, int streams) {
    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    probe_arg *args = calloc((size_t)threads, sizeof *args);
    ck_barrier_state start = {0, 0, threads, 0};
    double passes[5];
    volatile uint64_t sink = 0;
    size_t share = words / (size_t)threads / 128 * 128; /* whole groups of 4 vectors per stream */
    for (int pass = 0; pass < 5; pass++) {
        for (int32_t t = 0; t < threads; t++) {
            args[t] = (probe_arg){data + share * (size_t)t, share, streams, 0, &start, 0.0};
            pthread_create(&ids[t], NULL, probe_read, &args[t]);
        }
        double slowest = 0.0;
        for (int32_t t = 0; t < threads; t++) {
            pthread_join(ids[t], NULL);
            sink ^= args[t].sum;
            if (args[t].seconds > slowest) slowest = args[t].seconds;
        }
        passes[pass] = (double)(share * (size_t)threads * 8) / slowest / 1e9;
    }
    (void)sink;
    free(ids);
    free(args);
    qsort(passes, 5, sizeof passes[0], compare_doubles);
    return passes[2];
}

double ck_probe_read_gbps(int32_t threads, int64_t bytes) {
    if (threads < 1 || bytes < (int64_t)threads * 4096) return -1.0;
    size_t words = (size_t)bytes / 8, mapped = 0;
    uint64_t *data = alloc_huge(words * 8, &mapped); /* huge pages, as the weights */
    if (!data) return -1.0;
    uint64_t x = 0x9E3779B97F4A7C15ull; /* random bytes: no zero page or merged page to cheat with */
    for (size_t i = 0; i < words; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        data[i] = x;
    }
    /* one stream per thread, and four in lock-step: the faster is what the machine can do */
    double one = probe_passes(data, words, threads, 1), four = probe_passes(data, words, threads, 4);
    free_huge(data, mapped);
    return one > four ? one : four;
}

/* ---- the peak-arithmetic probe ------------------------------------------------ */

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { PEAK_F32 = 0, PEAK_INT8 = 1, PEAK_BF16 = 2, PEAK_CHAINS = 12, PEAK_BLOCK = 1 << 14 };

typedef struct peak_arg {
    int32_t kind;
    double seconds;
    ck_barrier_state *start;
    double ops;     /* done by this thread */
    double elapsed; /* its wall time */
    float sink;
} peak_arg;

/* PEAK_BLOCK rounds of PEAK_CHAINS independent multiply-adds (enough chains to cover the
 * latency of two FMA ports); returns the operations done. */
static double peak_block(int32_t kind, float *sink) {
#if defined(__AVX512F__)
    if (kind == PEAK_F32) {
        __m512 acc[PEAK_CHAINS], b = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
        for (int i = 0; i < PEAK_CHAINS; i++) acc[i] = _mm512_set1_ps((float)i);
        for (int r = 0; r < PEAK_BLOCK; r++)
            for (int i = 0; i < PEAK_CHAINS; i++) acc[i] = _mm512_fmadd_ps(acc[i], b, c);
        for (int i = 1; i < PEAK_CHAINS; i++) acc[0] = _mm512_add_ps(acc[0], acc[i]);
        *sink += _mm512_reduce_add_ps(acc[0]);
        return 2.0 * 16 * PEAK_CHAINS * PEAK_BLOCK;
    }
#if defined(__AVX512VNNI__)
    if (kind == PEAK_INT8) {
        __m512i acc[PEAK_CHAINS], a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(-2);
        for (int i = 0; i < PEAK_CHAINS; i++) acc[i] = _mm512_set1_epi32(i);
        for (int r = 0; r < PEAK_BLOCK; r++)
            for (int i = 0; i < PEAK_CHAINS; i++) acc[i] = _mm512_dpbusd_epi32(acc[i], a, b);
        for (int i = 1; i < PEAK_CHAINS; i++) acc[0] = _mm512_add_epi32(acc[0], acc[i]);
        *sink += (float)_mm512_reduce_add_epi32(acc[0]);
        return 2.0 * 64 * PEAK_CHAINS * PEAK_BLOCK;
    }
#endif
#if defined(__AVX512BF16__)
    if (kind == PEAK_BF16) {
        __m512 acc[PEAK_CHAINS];
        __m512bh a = (__m512bh)_mm512_set1_epi16(0x3f80), b = (__m512bh)_mm512_set1_epi16(0x3380);
        for (int i = 0; i < PEAK_CHAINS; i++) acc[i] = _mm512_set1_ps((float)i);
        for (int r = 0; r < PEAK_BLOCK; r++)
            for (int i = 0; i < PEAK_CHAINS; i++) acc[i] = _mm512_dpbf16_ps(acc[i], a, b);
        for (int i = 1; i < PEAK_CHAINS; i++) acc[0] = _mm512_add_ps(acc[0], acc[i]);
        *sink += _mm512_reduce_add_ps(acc[0]);
        return 2.0 * 32 * PEAK_CHAINS * PEAK_BLOCK;
    }
#endif
#else
    if (kind == PEAK_F32) { /* the widest vectors the compiler targets here */
        typedef float v8f __attribute__((vector_size(32)));
        v8f acc[PEAK_CHAINS], b = {0}, c = {0};
        b += 0.999999f;
        c += 1e-7f;
        for (int i = 0; i < PEAK_CHAINS; i++) acc[i] = b * (float)i;
        for (int r = 0; r < PEAK_BLOCK; r++)
            for (int i = 0; i < PEAK_CHAINS; i++) acc[i] = acc[i] * b + c;
        for (int i = 1; i < PEAK_CHAINS; i++) acc[0] += acc[i];
        for (int l = 0; l < 8; l++) *sink += acc[0][l];
        return 2.0 * 8 * PEAK_CHAINS * PEAK_BLOCK;
    }
#endif
    (void)sink;
    return -1.0;
}

static void *peak_run(void *p) {
    peak_arg *a = p;
    barrier_wait(a->start);
    int64_t t0 = ck_now_ns(), limit = t0 + (int64_t)(a->seconds * 1e9), now = t0;
    do {
        a->ops += peak_block(a->kind, &a->sink);
        now = ck_now_ns();
    } while (now < limit);
    a->elapsed = (double)(now - t0) * 1e-9;
    return NULL;
}

double ck_probe_peak_gflops(int32_t threads, int32_t kind, double seconds) {
    float sink = 0.0f;
    if (threads < 1 || seconds <= 0.0 || peak_block(kind, &sink) < 0.0) return -1.0;
    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    peak_arg *args = calloc((size_t)threads, sizeof *args);
    ck_barrier_state start = {0, 0, threads, 0};
    for (int32_t t = 0; t < threads; t++) {
        args[t] = (peak_arg){kind, seconds, &start, 0.0, 0.0, 0.0f};
        pthread_create(&ids[t], NULL, peak_run, &args[t]);
    }
    double ops = 0.0, slowest = 0.0;
    for (int32_t t = 0; t < threads; t++) {
        pthread_join(ids[t], NULL);
        ops += args[t].ops;
        if (args[t].elapsed > slowest) slowest = args[t].elapsed;
        sink += args[t].sink;
    }
    free(ids);
    free(args);
    volatile float keep = sink;
    (void)keep;
    return ops / slowest / 1e9;
}
