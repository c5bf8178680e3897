"""`ck bench MODEL.gguf`: prefill and decode tokens/s of the compiled runtime, beside llama.cpp if asked.

The output follows llama-bench (a markdown table; tests pp<P> and tg<N>). Every
measurement runs in a fresh worker process (`python -m ck.bench --worker ...`,
one JSON line on stdout): a runtime left loaded keeps its thread pool spinning
and would steal cores from whatever is measured next. Rounds are interleaved
(ck, then llama.cpp, for each test and thread count, round after round) so a
change in the machine's load hits both sides alike; the table shows the median
and the sample standard deviation over the rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ck.errors import CkError

if TYPE_CHECKING:
    from ck.build import BuildInfo
    from ck.compiler import CompileOptions
    from ck.tuner import TuneReport

LLAMA_INSTALL = 'CMAKE_ARGS="-DGGML_NATIVE=ON" pip install llama-cpp-python==0.3.36'
LLAMA_BATCH = 512  # n_batch = n_ubatch, as llama-bench runs llama.cpp
TOKEN_SEED = 0  # both engines see the same random token ids
CONTEXT_STEP = 512  # the default context is rounded up to this, so nearby runs share one ck build
GGML_TYPE_NAMES = {0: "f32", 1: "f16", 8: "q8_0", 30: "bf16"}


@dataclass(frozen=True)
class BenchTest:
    """One llama-bench test: "pp" (one prefill of `tokens` ids) or "tg" (`tokens` one-token decodes)."""

    kind: str
    tokens: int

    @property
    def name(self) -> str:
        return f"{self.kind}{self.tokens}"

    @staticmethod
    def parse(name: str) -> BenchTest:
        match = re.fullmatch(r"(pp|tg)([1-9][0-9]*)", name)
        if match is None:
            raise CkError(f"unknown test '{name}' (expected pp<P> or tg<N>)")
        return BenchTest(match[1], int(match[2]))


@dataclass(frozen=True)
class Measurement:
    """What one worker reports: tokens/s of one test, and (llama.cpp) the settings it ran with."""

    tokens_per_s: float
    settings: dict[str, Any]


# ---------------------------------------------------------------------------------------------
# The command


def add_bench_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`ck bench`, with llama-bench's flag names."""
    from ck.cli import add_backend_flag, add_dtype_flags, add_tuning_flag

    cores = os.cpu_count() or 1
    b = sub.add_parser(
        "bench",
        help="prefill and decode tokens/s of a GGUF model (llama-bench style), optionally against llama.cpp",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Measure the compiled runtime of MODEL.gguf like llama-bench: pp<P> is one prefill of P\n"
            "random token ids from position 0 (logits of the last token only), tg<N> is N one-token\n"
            "decodes from position 0. The table shows tokens/s as median ± sample standard deviation\n"
            "over the rounds, and for tg rows the weight bandwidth that speed implies (tok/s x the\n"
            "weight bytes one decode step reads / 1e9) and the share of the memory floor it reaches:\n"
            "each round also measures the machine's read bandwidth (ck_probe_read_gbps, in a fresh\n"
            "process), and the floor is that bandwidth / the bytes per token.\n"
            "\n"
            "Method: ck builds the model once up front (cached like `ck run`). Then every measurement\n"
            "runs in its own fresh Python process, which loads the model, makes one warm-up call of\n"
            "the same kind and times one test (a loaded runtime's thread pool spins and would steal\n"
            "cores from the next measurement). Rounds are interleaved: in each round, for each test\n"
            "and thread count, ck runs and then llama.cpp, so a change in load hits both.\n"
            "\n"
            "--vs-llama also runs llama.cpp, through llama-cpp-python, with llama-bench's settings:\n"
            f"n_batch = n_ubatch = {LLAMA_BATCH} (longer prompts go in chunks of n_batch), its default\n"
            "KV cache type (f16), flash attention as llama.cpp decides (auto), n_threads =\n"
            "n_threads_batch = the row's threads, n_ctx = ck's context length. llama-cpp-python is\n"
            f"not a dependency of ck; install it with (about 8 minutes):\n  {LLAMA_INSTALL}\n"
            "\n"
            "--tune first tunes the matmuls on this machine: for each distinct matmul shape of the\n"
            "model (kind, weight dtype and layout, rows x K, tokens: 1 for decode, the prefill chunk\n"
            "for prefill; input, epilogue, ISA) it builds the schedule the cost model picks and up to\n"
            "--tune-candidates others of the same micro-kernel (register tiles of other rows x tokens,\n"
            "other numbers of weight streams walked in lock-step), each alone in one shared library,\n"
            "and times them on one thread (tid 0 of 1) on realistic buffers, the weights cycled through\n"
            "copies larger than the CPU's caches so each call reads them from memory: the median of -r\n"
            "interleaved runs. A candidate faster than the cost model's by more than 2% wins. The\n"
            "winners go into this machine's tuning table in the build cache\n"
            "(~/.cache/ck/tuning/<isa>-<cpu>.json, or under $CK_CACHE_DIR), which every later build\n"
            "for this ISA (ck run, ck compile, ck.load) uses unless --untuned (ck.load(tuned=False)).\n"
            "The schedules only block the same arithmetic differently: a tuned build computes every\n"
            "output with the same operations in the same order, so its results are the same. Then the\n"
            "tests run on the tuned build (-p 0 -n 0: tune only). The table printed shows, per shape,\n"
            "the cost model's schedule and the winner (rows x tokens, s<N> streams) in microseconds."
        ),
    )
    b.add_argument("model", metavar="MODEL.gguf")
    b.add_argument("-t", "--threads", default=str(cores), metavar="T1,T2,...",
                   help=f"thread counts, comma separated (default: this machine's {cores} cores)")
    b.add_argument("-p", "--n-prompt", default="512", metavar="P1,P2,...",
                   help="prompt sizes of the prefill tests pp<P>, comma separated; 0 = none (default 512)")
    b.add_argument("-n", "--n-gen", default="128", metavar="N1,N2,...",
                   help="lengths of the decode tests tg<N>, comma separated; 0 = none (default 128)")
    b.add_argument("-r", "--repetitions", default="5", metavar="R",
                   help="rounds; every test runs once per round in a fresh process (default 5)")
    b.add_argument("-c", "--ctx-size", type=int, default=None, metavar="CTX",
                   help=f"context length of ck's build and llama.cpp's n_ctx (default: the longest test "
                   f"rounded up to a multiple of {CONTEXT_STEP})")
    b.add_argument("--vs-llama", action="store_true",
                   help="also run llama.cpp (llama-cpp-python) and show its tokens/s and ck/llama")
    b.add_argument("--isa", choices=("avx512", "avx2", "scalar"), help="ck's target ISA (default: this CPU's best)")
    b.add_argument("--tune", action="store_true",
                   help="first time candidate schedules of every matmul shape on this machine and keep the "
                   "fastest in its tuning table, which later builds use (see above)")
    b.add_argument("--tune-candidates", type=int, default=8, metavar="N",
                   help="with --tune: schedules timed per shape, the cost model's included (default 8)")
    add_dtype_flags(b)
    add_tuning_flag(b)
    add_backend_flag(b)
    b.set_defaults(func=cmd_bench)


def parse_counts(text: str, flag: str, allow_zero: bool) -> list[int]:
    """A comma list of whole numbers, in order, without repeats; zeros dropped when they mean "none"."""
    counts: list[int] = []
    for item in text.split(","):
        item = item.strip()
        if not item.isdigit():
            raise CkError(f"{flag}: '{text}' is not a comma-separated list of whole numbers")
        value = int(item)
        if value == 0 and not allow_zero:
            raise CkError(f"{flag}: every value must be at least 1, got 0")
        if value and value not in counts:
            counts.append(value)
    return counts


def cmd_bench(args: argparse.Namespace) -> int:
    threads = parse_counts(args.threads, "-t/--threads", allow_zero=False)
    prompts = parse_counts(args.n_prompt, "-p/--n-prompt", allow_zero=True)
    generations = parse_counts(args.n_gen, "-n/--n-gen", allow_zero=True)
    if not args.repetitions.strip().isdigit() or int(args.repetitions) < 1:
        raise CkError(f"-r/--repetitions: expected a number of rounds of at least 1, got '{args.repetitions}'")
    rounds = int(args.repetitions)
    tests = [BenchTest("pp", p) for p in prompts] + [BenchTest("tg", n) for n in generations]
    if not tests and not args.tune:
        raise CkError("nothing to measure: -p and -n are both 0")
    if args.tune_candidates < 1:
        raise CkError(f"--tune-candidates: expected at least 1, got {args.tune_candidates}")
    if not Path(args.model).is_file():
        raise CkError(f"{args.model}: no such file")
    longest = max((t.tokens for t in tests), default=1)
    ctx = args.ctx_size if args.ctx_size is not None else default_context(longest)
    if ctx < longest:
        raise CkError(f"-c/--ctx-size {ctx} is shorter than the longest test ({longest} tokens)")
    llama_version = _llama_version() if args.vs_llama else None

    if args.tune:
        _tune(args, ctx, rounds)
        if not tests:
            return 0
        print()
    info, build_seconds, cached = _build(args, ctx)
    engines = ["ck", "llama"] if args.vs_llama else ["ck"]
    samples: dict[tuple[str, BenchTest, int], list[float]] = {}
    bandwidth: dict[int, list[float]] = {}
    llama_settings: dict[str, Any] = {}
    for round_index in range(rounds):
        if generations:
            for t in threads:
                bandwidth.setdefault(t, []).append(_run_probe(args.model, t, info))
        for test in tests:
            for t in threads:
                speeds: list[str] = []
                for engine in engines:
                    m = run_worker(engine, args.model, test, t, info, ctx)
                    samples.setdefault((engine, test, t), []).append(m.tokens_per_s)
                    llama_settings = m.settings or llama_settings
                    speeds.append(f"{'llama.cpp' if engine == 'llama' else 'ck'} {m.tokens_per_s:.2f}")
                print(f"ck: round {round_index + 1}/{rounds} {test.name} t={t}: {', '.join(speeds)} tok/s",
                      file=sys.stderr, flush=True)

    read_gbps = {t: statistics.median(v) for t, v in bandwidth.items()}
    per_token = decode_bytes(info)
    print(_table(Path(args.model).name, tests, threads, samples, per_token, read_gbps, args.vs_llama))
    print()
    if read_gbps:
        probes = ", ".join(f"{g:.1f} GB/s with {t} thread{'s' if t > 1 else ''}" for t, g in read_gbps.items())
        print(f"memory: the machine reads {probes} (ck_probe_read_gbps, median of the rounds); a decode step "
              f"reads {per_token / 1e6:.1f} MB of weights, so its memory floor is (GB/s) / {per_token / 1e9:.4g} GB "
              "tok/s; 'floor' is the share of that floor a tg row reaches")
    how = "found in the cache" if cached else "built"
    print(f"ck: {how} in {build_seconds:.1f} s (isa {info.isa}, act {_act_dtype(args)}, kv {args.kv_dtype}, "
          f"context {info.context_len}, weights {info.weights_bytes / 1e6:.1f} MB); "
          f"GB/s = tg tok/s x weight bytes read per token / 1e9")
    print(f"ck: matmul schedules {_schedules_used(args, info)}")
    if args.vs_llama:
        s = llama_settings
        print(f"llama.cpp (llama-cpp-python {llama_version}): n_batch {s.get('n_batch')}, n_ubatch {s.get('n_ubatch')}, "
              f"KV cache {s.get('type_k')}/{s.get('type_v')}, flash attention {s.get('flash_attn')}, "
              f"n_ctx {s.get('n_ctx')}, n_threads = n_threads_batch = threads")
    print(f"median ± sample sd over {rounds} round{'s' if rounds != 1 else ''}; each measurement in a fresh "
          f"process after one warm-up call" + ("; rounds interleave ck and llama.cpp" if args.vs_llama else ""))
    return 0


def _act_dtype(args: argparse.Namespace) -> str:
    return args.act_dtype or "q8_0"


def _llama_version() -> str:
    """Fail early, in one line, when llama-cpp-python is missing: it is never a dependency of ck."""
    try:
        import llama_cpp
    except ImportError:
        raise CkError(f"--vs-llama needs llama-cpp-python, which is not installed; install it with "
                      f"{LLAMA_INSTALL} (builds in about 8 minutes)") from None
    return str(getattr(llama_cpp, "__version__", "?"))


def _tune(args: argparse.Namespace, ctx: int, runs: int) -> None:
    """`--tune`: time every shape's candidate schedules, update the table, print what won."""
    from ck.tuner import tune

    options = _options(args, ctx, tuned=False)
    print(f"ck: tuning the matmuls of {args.model} (isa {options.isa}, prefill chunk {options.max_tokens} tokens)",
          file=sys.stderr, flush=True)
    report = tune(args.model, options, runs=runs, max_candidates=args.tune_candidates,
                  progress=lambda line: print(f"ck: tuning: {line}", file=sys.stderr, flush=True))
    print(tuning_table(report))
    print()
    changed = sum(1 for t in report.timings if t.best != 0)
    print(f"ck: tuned {len(report.timings)} matmul shape{'s' if len(report.timings) != 1 else ''}, {changed} with a "
          f"schedule other than the cost model's ({report.single} more have a single schedule); "
          f"table: {report.table}")
    print(f"ck: timing: {report.method}")


def tuning_table(report: TuneReport) -> str:
    """Per shape: how many matmuls have it, the cost model's schedule and the winner, in us per call."""
    from ck.tuning_table import schedule_text

    rows = []
    for t in report.timings:
        best = t.best
        rows.append([t.key, str(t.uses), schedule_text(t.candidates[0]), f"{t.micros[0]:.2f}",
                     schedule_text(t.candidates[best]), f"{t.micros[best]:.2f}", f"{t.micros[0] / t.micros[best]:.2f}x"])
    header = ["matmul shape", "matmuls", "default", "us", "tuned", "us", "speedup"]
    return markdown_table(header, rows, left={0, 2, 4})


def _schedules_used(args: argparse.Namespace, info: BuildInfo) -> str:
    """What the benchmarked build's matmul schedules came from."""
    if info.tuning:
        return f"tuned on this machine (table {info.tuning})"
    if args.untuned:
        return "from the cost model (--untuned)"
    return "from the cost model (no tuning table for this machine and ISA: `ck bench --tune` makes one)"


def _options(args: argparse.Namespace, ctx: int, tuned: bool) -> CompileOptions:
    """The options ck.load would use for these flags and context (the tuner times untuned ones)."""
    from ck.compiler import compile_options

    return compile_options(context_len=ctx, isa=args.isa, act_dtype=args.act_dtype, kv_dtype=args.kv_dtype,
                           tuned=tuned, backend=args.backend)


def _build(args: argparse.Namespace, ctx: int) -> tuple[BuildInfo, float, bool]:
    """Build once, with the options ck.load would use; the workers only load this build."""
    from ck.build import build

    options = _options(args, ctx, tuned=not args.untuned)
    print(f"ck: building {args.model} (isa {options.isa}, context {ctx}) or finding it in the cache",
          file=sys.stderr, flush=True)
    start = time.time()
    info = build(args.model, options, progress=True)
    seconds = time.time() - start
    cached = (Path(info.directory) / "build.json").stat().st_mtime < start
    return info, seconds, cached


def default_context(tokens: int) -> int:
    """The context a run of `tokens` positions is built with when -c is not given."""
    return -(-tokens // CONTEXT_STEP) * CONTEXT_STEP


def run_worker(engine: str, model: str, test: BenchTest, threads: int, info: BuildInfo, ctx: int) -> Measurement:
    """One measurement in a fresh process (also bench/bench_pool_sleep.py's)."""
    who = "llama.cpp" if engine == "llama" else "ck"
    result = _worker_result([engine, model, "--test", test.name, "--threads", str(threads),
                             "--build-dir", info.directory, "--n-ctx", str(ctx)],
                            f"the {who} worker failed on {test.name} with {threads} threads")
    return Measurement(float(result["tokens_per_s"]), dict(result.get("settings", {})))


def _worker_result(worker_args: list[str], failure: str) -> dict[str, Any]:
    """Run `python -m ck.bench --worker <worker_args>` in a fresh process and return the JSON
    of its last `{` line; `failure` starts the error raised when it fails."""
    cmd = [sys.executable, "-m", "ck.bench", "--worker", *worker_args]
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True, env=worker_env())
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        last = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        raise CkError(f"{failure}: {last}")
    return dict(json.loads(lines[-1]))


def worker_env() -> dict[str, str]:
    """The environment of a worker: numpy's OpenBLAS kept to one thread, whose idle helper
    threads would otherwise spin beside the engine being measured (neither engine uses BLAS)."""
    return {**os.environ, "OPENBLAS_NUM_THREADS": "1"}


def _run_probe(model: str, threads: int, info: BuildInfo) -> float:
    """The machine's read bandwidth with `threads` threads, measured in a fresh process."""
    result = _worker_result(["probe", model, "--test", "tg1", "--threads", str(threads), "--build-dir", info.directory],
                            f"the bandwidth probe failed with {threads} threads")
    return float(result["tokens_per_s"])


def decode_bytes(info: BuildInfo) -> int:
    """Bytes of weights one decode step reads: all of them, except an untied token embedding,
    of which it reads one row."""
    layout = json.loads((Path(info.directory) / "layout.json").read_text())
    sizes = {w["name"]: int(w["size"]) for w in layout["weights"]}
    total = sum(sizes.values())
    if "output.weight" in sizes and "token_embd.weight" in sizes:
        total -= sizes["token_embd.weight"]
    return total


def probe_read_gbps(build_dir: str, threads: int) -> float:
    """ck_probe_read_gbps of the build's runtime library, over 512 MiB."""
    import ctypes

    from ck.build import BuildInfo, open_library

    info = BuildInfo(**json.loads((Path(build_dir) / "build.json").read_text()))
    lib = open_library(Path(build_dir), info.backend, info.isa, info.target)
    lib.ck_probe_read_gbps.restype = ctypes.c_double
    lib.ck_probe_read_gbps.argtypes = [ctypes.c_int32, ctypes.c_int64]
    gbps = float(lib.ck_probe_read_gbps(threads, 512 << 20))
    if gbps <= 0:
        raise CkError(f"the bandwidth probe could not run with {threads} threads")
    return gbps


def _median_sd(values: list[float]) -> tuple[float, float]:
    """Median and sample standard deviation (0 for a single round)."""
    return statistics.median(values), statistics.stdev(values) if len(values) > 1 else 0.0


def _table(
    model_name: str,
    tests: list[BenchTest],
    threads: list[int],
    samples: dict[tuple[str, BenchTest, int], list[float]],
    per_token: int,
    read_gbps: dict[int, float],
    vs_llama: bool,
) -> str:
    """The llama-bench style markdown table, one row per test and thread count."""
    header = ["model", "test", "threads", "ck t/s"]
    if vs_llama:
        header += ["llama.cpp t/s", "ck/llama"]
    header += ["ck GB/s", "floor"]
    rows: list[list[str]] = []
    for test in tests:
        for t in threads:
            ck_median, ck_sd = _median_sd(samples[("ck", test, t)])
            row = [model_name, test.name, str(t), f"{ck_median:.2f} ± {ck_sd:.2f}"]
            if vs_llama:
                llama_median, llama_sd = _median_sd(samples[("llama", test, t)])
                row += [f"{llama_median:.2f} ± {llama_sd:.2f}", f"{ck_median / llama_median:.2f}"]
            if test.kind == "tg":
                floor = read_gbps[t] * 1e9 / per_token if t in read_gbps else None
                row += [f"{ck_median * per_token / 1e9:.2f}", f"{100 * ck_median / floor:.0f}%" if floor else ""]
            else:
                row += ["", ""]
            rows.append(row)
    return markdown_table(header, rows, left={0, 1})


def markdown_table(header: list[str], rows: list[list[str]], left: set[int]) -> str:
    """A markdown table as llama-bench prints one: the `left` columns (text) aligned left,
    the others (numbers) right."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) if i in left else c.rjust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))) + " |"

    rule = "| " + " | ".join("-" * w if i in left else "-" * (w - 1) + ":" for i, w in enumerate(widths)) + " |"
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


# ---------------------------------------------------------------------------------------------
# The workers: one test, one engine, one fresh process


def random_ids(vocab: int, count: int) -> list[int]:
    """The same ids for ck and llama.cpp: a fixed seed, within the vocabulary."""
    import numpy as np

    return [int(i) for i in np.random.default_rng(TOKEN_SEED).integers(0, vocab, count)]


def measure_ck(model_path: str, build_dir: str, test: BenchTest, threads: int) -> Measurement:
    """Load the parent's build directly (never compile: a source edited since would change the
    cache key), warm up with one call of the same kind, then time the test."""
    from ck.build import BuildInfo
    from ck.runtime import Model

    info_file = Path(build_dir) / "build.json"
    if not info_file.exists():
        raise CkError(f"{build_dir}: no ck build there")
    info = BuildInfo(**json.loads(info_file.read_text()))
    with Model(info, threads, model_path) as model:
        ids = random_ids(model.vocab, test.tokens)
        if test.kind == "pp":
            model.forward(ids, logits="last")
            model.reset()
            start = time.perf_counter()
            model.forward(ids, logits="last")
            seconds = time.perf_counter() - start
        else:
            model.forward(ids[:1], logits="last")
            model.reset()
            start = time.perf_counter()
            for token in ids:
                model.forward([token], logits="last")
            seconds = time.perf_counter() - start
    return Measurement(test.tokens / seconds, {})


def measure_llama(model_path: str, test: BenchTest, threads: int, n_ctx: int) -> Measurement:
    """llama.cpp through llama-cpp-python's low-level API, set up as llama-bench sets it up."""
    import ctypes

    import llama_cpp

    log: list[str] = []

    @llama_cpp.llama_log_callback  # type: ignore[misc]
    def keep_log(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        log.append(text.decode("utf-8", "replace"))

    llama_cpp.llama_log_set(keep_log, ctypes.c_void_p(0))
    llama_cpp.llama_backend_init()
    model = llama_cpp.llama_model_load_from_file(model_path.encode(), llama_cpp.llama_model_default_params())
    if not model:
        raise CkError(f"llama.cpp cannot load {model_path}: {_last_log_line(log)}")
    params = llama_cpp.llama_context_default_params()
    params.n_ctx = n_ctx
    params.n_batch = params.n_ubatch = LLAMA_BATCH
    params.n_threads = params.n_threads_batch = threads
    ctx = llama_cpp.llama_init_from_model(model, params)
    if not ctx:
        raise CkError(f"llama.cpp cannot create a context: {_last_log_line(log)}")
    memory = llama_cpp.llama_get_memory(ctx)
    n_batch = int(llama_cpp.llama_n_batch(ctx))
    ids = random_ids(int(llama_cpp.llama_vocab_n_tokens(llama_cpp.llama_model_get_vocab(model))), test.tokens)
    # one batch per llama_decode: the prompt in n_batch chunks (as llama-bench), or one token
    step = n_batch if test.kind == "pp" else 1
    batches = [(llama_cpp.llama_token * len(chunk))(*chunk) for chunk in
               (ids[i:i + step] for i in range(0, len(ids), step))]

    def decode(tokens: ctypes.Array[ctypes.c_int32]) -> None:
        rc = llama_cpp.llama_decode(ctx, llama_cpp.llama_batch_get_one(tokens, len(tokens)))
        if rc != 0:
            raise CkError(f"llama_decode failed with code {rc}: {_last_log_line(log)}")

    decode(batches[0])  # warm-up: the same kind of call
    llama_cpp.llama_memory_clear(memory, True)
    start = time.perf_counter()
    for batch in batches:
        decode(batch)
    seconds = time.perf_counter() - start
    fa = re.search(r"Flash Attention (enabled|disabled)", "".join(log))
    fa_type = llama_cpp.llama_flash_attn_type_name(params.flash_attn_type).decode()
    settings = {
        "n_batch": n_batch,
        "n_ubatch": int(llama_cpp.llama_n_ubatch(ctx)),
        "n_ctx": int(llama_cpp.llama_n_ctx(ctx)),
        "type_k": GGML_TYPE_NAMES.get(params.type_k, str(params.type_k)),
        "type_v": GGML_TYPE_NAMES.get(params.type_v, str(params.type_v)),
        "flash_attn": f"{fa_type} ({fa[1]})" if fa else fa_type,
    }
    llama_cpp.llama_free(ctx)
    llama_cpp.llama_model_free(model)
    return Measurement(test.tokens / seconds, settings)


def _last_log_line(log: list[str]) -> str:
    lines = [line for line in "".join(log).splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no message"


def worker_main(argv: Sequence[str]) -> int:
    """`python -m ck.bench --worker ck|llama MODEL --test pp128 --threads 2 ...`: one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m ck.bench", description="one `ck bench` measurement")
    parser.add_argument("--worker", choices=("ck", "llama", "probe"), required=True)
    parser.add_argument("model")
    parser.add_argument("--test", required=True, help="pp<P> or tg<N>")
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--build-dir", help="the ck build to load (ck worker)")
    parser.add_argument("--n-ctx", type=int, default=4096, help="llama.cpp's context length (llama worker)")
    args = parser.parse_args(argv)
    try:
        test = BenchTest.parse(args.test)
        if args.worker in ("ck", "probe") and args.build_dir is None:
            raise CkError(f"the {args.worker} worker needs --build-dir")
        if args.worker == "probe":  # reported in the tokens_per_s field: GB/s
            result = Measurement(probe_read_gbps(args.build_dir, args.threads), {})
        elif args.worker == "ck":
            result = measure_ck(args.model, args.build_dir, test, args.threads)
        else:
            result = measure_llama(args.model, test, args.threads, args.n_ctx)
    except CkError as e:
        print(f"ck: error: {e}", file=sys.stderr)
        return 1
    print(json.dumps({"engine": args.worker, "test": test.name, "threads": args.threads,
                      "tokens_per_s": result.tokens_per_s, "settings": result.settings}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(worker_main(sys.argv[1:]))
