"""What sleeping idle workers cost decode: `ck bench`'s tg<N> measurement of the runtime as it
is (a thread waiting at a job's start or end spins CK_SPIN_BEFORE_SLEEP_NS, then sleeps on a
futex) against the same build linked with the runtime as it was before the futex sleep (the
pool's rendezvous a plain barrier: spin, then sched_yield forever), at 1 and 2 threads.

At 1 thread the two runtimes run the same code (the rendezvous returns at once), so those rows
are an A/A check of this host's noise. Each measurement runs in a fresh process (`python -m
ck.bench --worker`, through `ck bench`'s own ck.bench.run_worker), the runtimes interleaved
round by round (in alternating order). The table shows medians of --rounds and the median of
the per-round ratios (each pair measured back to back, which cancels slow drifts of the host).

    python bench/bench_pool_sleep.py MODEL.gguf -n 128 --rounds 11
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import statistics
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ck.build import BuildInfo

RENDEZVOUS = re.compile(r"(static void rendezvous\(ck_barrier_state \*b\) \{\n).*?\n\}\n", re.S)


def spinning_runtime(into: Path) -> Path:
    """runtime_c with the rendezvous body replaced by barrier_wait (the runtime before the futex)."""
    from ck.compiler import package_dir

    runtime = Path(package_dir("runtime_c"))
    source, found = RENDEZVOUS.subn(r"\1    barrier_wait(b);\n}\n", (runtime / "ck_runtime.c").read_text())
    if found != 1:
        raise SystemExit("runtime_c/ck_runtime.c: no `static void rendezvous(ck_barrier_state *b)` to replace")
    into.mkdir()
    (into / "ck_runtime.c").write_text(source)
    (into / "ck_runtime.h").write_text((runtime / "ck_runtime.h").read_text())
    return into


def spinning_build(info: BuildInfo, into: Path) -> BuildInfo:
    """A copy of the build (weights linked, not copied) whose libmodel.so has the spinning runtime."""
    from ck.build import compile_library

    into.mkdir()
    for item in Path(info.directory).iterdir():
        if item.name not in ("libmodel.so", "build.json"):
            (into / item.name).symlink_to(item)
    compile_library(into, info.isa, spinning_runtime(into / "runtime_c"))
    spinning = dataclasses.replace(info, directory=str(into))
    (into / "build.json").write_text(json.dumps(dataclasses.asdict(spinning)))  # what the worker loads
    return spinning


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("-n", "--n-gen", type=int, default=128, help="decode steps per measurement (tg<N>)")
    parser.add_argument("-t", "--threads", default="1,2", help="thread counts, comma separated (default 1,2)")
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--tuned", action="store_true", help="use this machine's tuning table (default: untuned)")
    args = parser.parse_args()
    from ck.bench import BenchTest, default_context, run_worker
    from ck.build import build
    from ck.compiler import compile_options

    ctx = default_context(args.n_gen)
    test = BenchTest("tg", args.n_gen)
    info = build(args.model, compile_options(context_len=ctx, tuned=args.tuned, backend="c"), progress=True)
    threads = [int(t) for t in args.threads.split(",")]
    with tempfile.TemporaryDirectory(prefix="ck-pool-sleep-") as tmp:
        builds = {"sleeps": info, "spins": spinning_build(info, Path(tmp) / "b")}
        speeds: dict[tuple[str, int], list[float]] = {(v, t): [] for v in builds for t in threads}
        for r in range(args.rounds):
            for t in threads:
                for variant, variant_info in list(builds.items())[:: 1 if r % 2 == 0 else -1]:  # ABBA order
                    speeds[variant, t].append(run_worker("ck", args.model, test, t, variant_info, ctx).tokens_per_s)
            print(f"round {r + 1}/{args.rounds}: " + ", ".join(
                f"t={t} {speeds['sleeps', t][-1]:.2f} vs {speeds['spins', t][-1]:.2f}" for t in threads), file=sys.stderr)
    print(f"| threads | sleeps tg{args.n_gen} tok/s | spins tg{args.n_gen} tok/s | ratio of medians | median of ratios |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for t in threads:
        a, b = speeds["sleeps", t], speeds["spins", t]
        paired = statistics.median(x / y for x, y in zip(a, b))
        print(f"| {t} | {statistics.median(a):.2f} | {statistics.median(b):.2f} | "
              f"{statistics.median(a) / statistics.median(b):.3f} | {paired:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
