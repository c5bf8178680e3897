"""Training tokens/s: ck's compiled training step against PyTorch eager on the same tiny Qwen3.

    python bench/bench_train.py [--rounds 5] [--steps 20] [--threads 1,2] [--dtypes f32,bf16]

The model: vocab 256, dim 128, 2 layers, FFN 256, 8 query / 4 kv heads; each step is
forward + backward + AdamW (lr 3e-3), on batches of seq 128 x batch 4 and seq 16 x batch 1.
PyTorch runs transformers' Qwen3ForCausalLM with the same initial weights and
torch.set_num_threads = ck's threads; ck runs once per --dtypes entry (CompileConfig.dtype:
f32, or bf16 matmul products), PyTorch in f32. Every measurement runs in its own fresh process
(a loaded runtime's spinning thread pool would steal cores from the other system), rounds
interleaved (ck, then PyTorch, per config and thread count); the table shows medians over
the rounds and the ratio ck / PyTorch (above 1: ck is faster). Not part of the test
suite; run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CONFIGS = [(128, 4), (16, 1)]  # (seq, batch)
MODEL = dict(vocab=256, dim=128, layers=2, hidden=256, heads=8, kv_heads=4)
WARMUP = 2


def batches(steps: int, seq: int, batch: int) -> list[tuple[object, object]]:
    import numpy as np

    rng = np.random.default_rng(0)
    return [(rng.integers(0, MODEL["vocab"], (batch, seq)), rng.integers(0, MODEL["vocab"], (batch, seq)))
            for _ in range(steps + WARMUP)]


def measure_ck(seq: int, batch: int, threads: int, steps: int, dtype: str = "f32") -> float:
    import ck

    model = ck.models.qwen3_tiny(**MODEL, context_len=seq)
    run = ck.compile(model, mode="train", batch=batch, seq=seq, config=ck.CompileConfig(threads=threads, dtype=dtype))
    data = batches(steps, seq, batch)
    for tokens, targets in data[:WARMUP]:
        run.step(tokens, targets, lr=3e-3)
    start = time.perf_counter()
    for tokens, targets in data[WARMUP:]:
        run.step(tokens, targets, lr=3e-3)
    return steps * seq * batch / (time.perf_counter() - start)


def measure_torch(seq: int, batch: int, threads: int, steps: int) -> float:
    import torch

    import ck
    import ck.testing

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "test" / "python"))
    from hf_oracle import hf_model

    torch.set_num_threads(threads)
    model = ck.models.qwen3_tiny(**MODEL, context_len=seq)
    weights = {ck.testing.hf_name(n): w for n, w in model.init_weights().items()}
    hf = hf_model(model.spec(), weights).train()
    opt = torch.optim.AdamW(hf.parameters(), lr=3e-3)

    def step(tokens: object, targets: object) -> None:
        opt.zero_grad()
        logits = hf(torch.tensor(tokens)).logits
        torch.nn.functional.cross_entropy(logits.reshape(-1, MODEL["vocab"]), torch.tensor(targets).reshape(-1)).backward()
        opt.step()

    data = batches(steps, seq, batch)
    for tokens, targets in data[:WARMUP]:
        step(tokens, targets)
    start = time.perf_counter()
    for tokens, targets in data[WARMUP:]:
        step(tokens, targets)
    return steps * seq * batch / (time.perf_counter() - start)


def worker(argv: list[str]) -> None:
    """One measurement: system is `torch` or `ck-<dtype>`."""
    system, seq, batch, threads, steps = argv[0], *map(int, argv[1:5])
    if system == "torch":
        rate = measure_torch(seq, batch, threads, steps)
    else:
        rate = measure_ck(seq, batch, threads, steps, system.removeprefix("ck-"))
    print(json.dumps({"tokens_per_s": rate}), flush=True)


def run_worker(system: str, seq: int, batch: int, threads: int, steps: int) -> float:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, __file__, "--worker", system, str(seq), str(batch), str(threads), str(steps)],
                          capture_output=True, text=True, check=False, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        sys.exit(f"bench_train: the {system} worker failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")
    return float(json.loads(lines[-1])["tokens_per_s"])


def main() -> None:
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--steps", type=int, default=20, help="timed steps per measurement (after 2 warm-up steps)")
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    ap.add_argument("--dtypes", default="f32,bf16", help="ck's CompileConfig.dtype values to measure (comma-separated)")
    args = ap.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    dtypes = args.dtypes.split(",")
    for dtype in dtypes:
        if dtype not in ("f32", "bf16"):
            sys.exit(f"bench_train: unknown dtype '{dtype}' in --dtypes (f32, bf16)")
    systems = [f"ck-{d}" for d in dtypes] + ["torch"]
    samples: dict[tuple[str, int, int, int], list[float]] = {}
    for r in range(args.rounds):
        for seq, batch in CONFIGS:
            for t in threads:
                for system in systems:
                    samples.setdefault((system, seq, batch, t), []).append(run_worker(system, seq, batch, t, args.steps))
                line = ", ".join(f"{s} {samples[(s, seq, batch, t)][-1]:,.0f}" for s in systems)
                print(f"round {r + 1}/{args.rounds} seq {seq} x batch {batch}, {t} threads: {line} tokens/s",
                      file=sys.stderr, flush=True)
    print("| config | threads | ck dtype | ck tokens/s | PyTorch eager (f32) tokens/s | ck / PyTorch |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    for seq, batch in CONFIGS:
        for t in threads:
            theirs = statistics.median(samples[("torch", seq, batch, t)])
            for dtype in dtypes:
                ours = statistics.median(samples[(f"ck-{dtype}", seq, batch, t)])
                print(f"| seq {seq} x batch {batch} | {t} | {dtype} | {ours:,.0f} | {theirs:,.0f} | {ours / theirs:.2f} |")
    print(f"\nmedians of {args.rounds} rounds of {args.steps} steps, each in a fresh process, rounds interleaved")


if __name__ == "__main__":
    main()
