"""Prefill and decode speed of a compiled model (tokens/s), e.g. for a Qwen3-0.6B-shaped q8_0 file.

    python bench/bench_decode.py MODEL.gguf --threads 1 2
    python bench/bench_decode.py --make-qwen3-0.6b --layers 28 --threads 2   # random weights, real shapes

Numbers depend on the machine's load; run it a few times. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

import ck
from ck.testing import ModelSpec, write_gguf


def qwen3_0_6b(layers: int) -> ModelSpec:
    return ModelSpec(arch="qwen3", vocab=151936, dim=1024, layers=layers, ffn=3072, heads=16, kv_heads=8,
                     head_dim=128, dtype="q8_0", tied=True, context_len=40960)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", nargs="?", help="a GGUF file")
    ap.add_argument("--make-qwen3-0.6b", dest="make_qwen3", action="store_true",
                    help="write a random Qwen3-0.6B-shaped q8_0 model")
    ap.add_argument("--layers", type=int, default=28)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--prompt", type=int, default=128, help="prefill tokens")
    ap.add_argument("--decode", type=int, default=32, help="decoded tokens")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if args.model is None and not args.make_qwen3:
        ap.error("give a GGUF file or --make-qwen3-0.6b")
    path = Path(args.model) if args.model else Path(tempfile.mkdtemp()) / "qwen3-0.6b-shaped-q8_0.gguf"
    if args.model is None:
        print(f"writing {path} ({args.layers} layers)...")
        write_gguf(path, qwen3_0_6b(args.layers), tokenizer=False)
    ctx = args.prompt + args.decode + 8
    for threads in args.threads:
        with ck.load(path, context_len=ctx, threads=threads, progress=True) as m:
            ids = np.random.default_rng(0).integers(0, m.vocab, args.prompt + args.decode).tolist()
            pp, tg = [], []
            for _ in range(args.repeat):
                m.reset()
                t0 = time.perf_counter()
                m.forward(ids[: args.prompt])
                t1 = time.perf_counter()
                for t in ids[args.prompt:]:
                    m.forward([t])
                t2 = time.perf_counter()
                pp.append(args.prompt / (t1 - t0))
                tg.append(args.decode / (t2 - t1))
            print(f"threads {threads}: prefill {statistics.median(pp):8.1f} tok/s   decode {statistics.median(tg):6.1f} tok/s"
                  f"   (isa {m.info.isa}, median of {args.repeat})")


if __name__ == "__main__":
    main()
