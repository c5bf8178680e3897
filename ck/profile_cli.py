"""`ck profile MODEL.gguf` and `ck run --profile`: where the time of prefill and decode goes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ck.cli import add_backend_flag, add_dtype_flags, add_tuning_flag
from ck.errors import CkError


def add_profile_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "profile",
        help="time every kernel call of prefill and decode (profile.json, trace.json, profile.folded)",
        description="Build MODEL.gguf with a timer around every kernel and barrier call (the "
        "instrument-kernels pass; cached like any build), measure this machine's read bandwidth and "
        "peak arithmetic, then run a warm-up round and ROUNDS rounds of a P-token prefill and N decode "
        "steps. Writes into DIR: profile.json (per kernel call site: op, layer, kernel, C function and "
        "line, calls, wall and per-thread time, bytes, flops, GB/s, GFLOP/s, share of the roofline; "
        "barrier waits per thread; the measured step times), trace.json (the last round, a track per "
        "thread, for Perfetto or chrome://tracing) and profile.folded (for flame graphs); prints the "
        "top kernels of each phase.",
    )
    p.add_argument("model", metavar="MODEL.gguf")
    p.add_argument("-p", "--n-prompt", type=int, default=128, help="prompt tokens per prefill (default 128; 0: none)")
    p.add_argument("-n", "--n-gen", type=int, default=64, help="decode steps per round (default 64; 0: none)")
    p.add_argument("-t", "--threads", type=int, default=None, help="threads (default: all cores, at most 8)")
    p.add_argument("-r", "--rounds", type=int, default=3, help="measured rounds after one warm-up (default 3)")
    p.add_argument("-o", "--output", metavar="DIR", help="where to write the profile (default: the build directory)")
    p.add_argument("-c", "--ctx-size", type=int, default=4096, help="context length (default 4096)")
    p.add_argument("-ub", "--ubatch-size", type=int, default=64, help="tokens per prefill call (default 64)")
    add_dtype_flags(p)
    add_tuning_flag(p)
    add_backend_flag(p)
    p.set_defaults(func=cmd_profile)


def cmd_profile(args: argparse.Namespace) -> int:
    from ck.build import build
    from ck.compiler import compile_options
    from ck.profiler import profile_build
    from ck.runtime import check_kv_memory, check_threads

    if not Path(args.model).exists():
        raise CkError(f"{args.model}: no such file")
    if args.rounds < 1:
        raise CkError(f"-r/--rounds must be at least 1, got {args.rounds}")
    threads = check_threads(args.threads, "-t/--threads")  # before the build
    options = compile_options(context_len=args.ctx_size, act_dtype=args.act_dtype, kv_dtype=args.kv_dtype,
                              max_tokens=args.ubatch_size, tuned=not args.untuned, profile=True,
                              backend=args.backend)
    check_kv_memory(args.model, options.context_len, options.kv_dtype)
    info = build(args.model, options, progress=True)
    out = Path(args.output) if args.output else Path(info.directory)
    profile_build(info, threads, args.n_prompt, args.n_gen, args.rounds, out, args.model)
    return 0


def profile_generation(model: Any, run: Any, prompt_tokens: int, out: Path) -> None:
    """`ck run --profile`: record the generation `run()` does on a profiling build's model, then
    write its profile (one round: the prompt's prefill and every decode step; decode_us is
    the mean step, sampling included, as `ck run` measures it)."""
    from ck.profiler import Steps, aggregate, build_sites, chunks, probed, record, write_profile

    sites = build_sites(model.info)
    prefill_jobs = chunks(prompt_tokens, model.info.max_tokens)

    def generate() -> list[list[int]]:
        run()  # a fresh sequence: one prefill, then a one-token forward per decode step
        decode = model.position - prompt_tokens
        return ([prefill_jobs] if prompt_tokens else []) + [[1]] * decode

    jobs = len(prefill_jobs) + model.context_len
    rec, machine = probed(model.info, model.threads, lambda: record(model, sites, jobs, generate))
    decode = len(rec.job_tokens) - len(prefill_jobs)
    stats = model.last_stats
    steps = Steps([stats.prompt_seconds] if prompt_tokens else [],
                  [stats.generation_seconds / decode] * decode if decode > 0 else [])
    profile = aggregate(sites, rec, machine, steps, prompt_tokens, decode, 1)
    write_profile(profile, sites, rec, 1, out, sys.stderr)
