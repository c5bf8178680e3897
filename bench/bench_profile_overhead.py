"""What a profiling build costs: decode (and prefill) speed of the plain build against the
profiling build, with its log attached (what `ck profile` runs) and without.

Each measurement runs in a fresh process (a loaded runtime's spinning threads would steal
cores from the next), the builds interleaved round by round; medians of --rounds.

    python bench/bench_profile_overhead.py MODEL.gguf -t 2 -p 128 -n 64 --rounds 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

VARIANTS = ("plain", "profiled", "profiled+log")


def worker(build_dir: str, threads: int, prompt: int, decode: int, log: bool) -> dict[str, float]:
    """Prefill `prompt` tokens then `decode` steps (after a warm-up of each), timed."""
    import numpy as np

    from ck.build import BuildInfo
    from ck.profiler import ProfileLog, build_sites, sites_per_job
    from ck.runtime import Model

    info = BuildInfo(**json.loads((Path(build_dir) / "build.json").read_text()))
    with Model(info, threads) as model:
        ids = [int(i) for i in np.random.default_rng(0).integers(0, model.vocab, prompt + decode)]
        model.forward(ids[:prompt], logits="last")  # warm-up
        model.reset()
        jobs = 2 * (prompt // info.max_tokens + 1 + decode)
        log_ctx = ProfileLog(model, jobs * sites_per_job(build_sites(info))) if log else None
        if log_ctx is not None:
            log_ctx.__enter__()
        start = time.perf_counter()
        model.forward(ids[:prompt], logits="last")
        prefill = time.perf_counter() - start
        start = time.perf_counter()
        for token in ids[prompt:]:
            model.forward([token], logits="last")
        gen = time.perf_counter() - start
        if log_ctx is not None:
            log_ctx.__exit__()
    return {"pp_tps": prompt / prefill, "tg_tps": decode / gen}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", nargs="?")
    parser.add_argument("-t", "--threads", type=int, default=2)
    parser.add_argument("-p", "--n-prompt", type=int, default=128)
    parser.add_argument("-n", "--n-gen", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--worker", nargs=2, metavar=("BUILD_DIR", "LOG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], args.threads, args.n_prompt, args.n_gen, args.worker[1] == "1")))
        return 0
    if not args.model:
        parser.error("MODEL.gguf is required")
    from ck.build import build
    from ck.compiler import compile_options

    builds = {
        "plain": build(args.model, compile_options(), progress=True).directory,
        "profiled": build(args.model, compile_options(profile=True), progress=True).directory,
    }
    results: dict[str, list[dict[str, float]]] = {v: [] for v in VARIANTS}
    for r in range(args.rounds):
        for variant in VARIANTS:
            build_dir = builds["plain" if variant == "plain" else "profiled"]
            cmd = [sys.executable, __file__, "-t", str(args.threads), "-p", str(args.n_prompt), "-n", str(args.n_gen),
                   "--worker", build_dir, "1" if variant == "profiled+log" else "0"]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True,
                                 env={**__import__("os").environ, "OPENBLAS_NUM_THREADS": "1"})
            results[variant].append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    base = {k: statistics.median(x[k] for x in results["plain"]) for k in ("pp_tps", "tg_tps")}
    print(f"| build | pp{args.n_prompt} tok/s | tg{args.n_gen} tok/s | tg vs plain |")
    print("|---|---|---|---|")
    for variant in VARIANTS:
        pp = statistics.median(x["pp_tps"] for x in results[variant])
        tg = statistics.median(x["tg_tps"] for x in results[variant])
        print(f"| {variant} | {pp:.2f} | {tg:.2f} | {tg / base['tg_tps']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
