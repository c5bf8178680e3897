"""Training step time: ck's compiled runtime against PyTorch eager on the same tiny Qwen3 and batch.

    python bench/bench_train.py [--threads 2] [--steps 20]

Both run forward, backward and AdamW; the ratio is PyTorch time / ck time (higher is better
for ck). Not part of the test suite; run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch

import ck
import ck.testing


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seq", type=int, default=64)
    args = ap.parse_args()
    model = ck.models.qwen3_tiny(vocab=512, dim=64, layers=2, hidden=192, heads=4, kv_heads=2, context_len=args.seq)
    run = ck.compile(model, mode="train", batch=args.batch, seq=args.seq, config=ck.CompileConfig(threads=args.threads))
    import sys

    sys.path.insert(0, "test/python")
    from hf_oracle import hf_model

    torch.set_num_threads(args.threads)
    hf = hf_model(model.spec(), {ck.testing.hf_name(n): w for n, w in run.weights().items()})
    opt = torch.optim.AdamW(hf.parameters(), lr=3e-3)
    rng = np.random.default_rng(0)
    data = [(rng.integers(0, 512, (args.batch, args.seq)), rng.integers(0, 512, (args.batch, args.seq)))
            for _ in range(args.steps)]
    ours, theirs = [], []
    for tokens, targets in data:
        t0 = time.perf_counter()
        run.step(tokens, targets, lr=3e-3)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        opt.zero_grad()
        logits = hf(torch.tensor(tokens)).logits
        torch.nn.functional.cross_entropy(logits.reshape(-1, 512), torch.tensor(targets).reshape(-1)).backward()
        opt.step()
        theirs.append(time.perf_counter() - t0)
    a, b = statistics.median(ours[2:]), statistics.median(theirs[2:])
    print(f"batch {args.batch} x seq {args.seq}, {args.threads} threads: ck {a * 1e3:.1f} ms/step, "
          f"PyTorch eager {b * 1e3:.1f} ms/step, ratio PyTorch/ck = {b / a:.2f}")


if __name__ == "__main__":
    main()
