"""Aggregate decode speed of parallel streams: what batched decode steps buy `ck serve`.

Two measurements, each in fresh processes (a loaded runtime would take cores from the next
one), the stream counts interleaved round by round, medians of --rounds:

- `steps`: the model loaded with --slots sequences, each prefilled with a short prompt,
  then -n decode steps of S streams at once (`Model.decode_batch`; one stream is the plain
  one-token step). Aggregate tokens/s = S x steps / time.
- `http`: `ck serve -np --slots` in a subprocess and S concurrent streaming clients of
  /v1/completions (greedy, max_tokens -n); aggregate tokens/s = the completion tokens the
  server reports / the wall time from the first request to the last answer. Includes
  prefill, HTTP, sampling and the engine's Python.

    python bench/bench_serve.py MODEL.gguf -t 2 -n 64 --streams 1 2 4 --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request


def steps_worker(model_path: str, threads: int, slots: int, context: int, streams: int, steps: int) -> float:
    """Aggregate tokens/s of `steps` decode steps of `streams` sequences at once."""
    import numpy as np

    import ck

    with ck.load(model_path, context_len=context, threads=threads, slots=slots, progress=False) as model:
        rng = np.random.default_rng(0)
        rows = list(range(streams))
        for s in rows:
            model.forward(rng.integers(0, model.vocab, 16), logits="last", slot=s)
        tokens = rng.integers(0, model.vocab, (steps + 4, streams))
        for i in range(4):  # warm-up
            model.decode_batch(rows, tokens[i])
        start = time.perf_counter()
        for i in range(4, steps + 4):
            model.decode_batch(rows, tokens[i])
        return streams * steps / (time.perf_counter() - start)


def _post(url: str, body: dict) -> dict:
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.loads(r.read())


def http_round(base: str, streams: int, n_gen: int, round_index: int) -> float:
    """Aggregate completion tokens/s of `streams` concurrent greedy requests."""
    counts: list[int] = []
    errors: list[BaseException] = []

    def client(i: int) -> None:
        try:
            answer = _post(f"{base}/v1/completions", {
                "prompt": f"Request {round_index}-{i}: tell me about the number {i * 7 + round_index}.",
                "max_tokens": n_gen, "temperature": 0, "stream": False,
            })
            counts.append(int(answer["usage"]["completion_tokens"]))
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(streams)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if errors:
        raise errors[0]
    print(f"  {streams} streams: {sum(counts)} tokens ({counts}) in {wall:.2f} s", file=sys.stderr)
    return sum(counts) / wall


def run_http(args: argparse.Namespace) -> dict[int, list[float]]:
    results: dict[int, list[float]] = {s: [] for s in args.streams}
    for r in range(args.rounds):
        for streams in args.streams:  # a fresh server per measurement
            proc = subprocess.Popen(
                [sys.executable, "-m", "ck.cli", "serve", args.model, "--port", "0", "-np", str(args.slots),
                 "-t", str(args.threads), "-c", str(args.context)],
                stderr=subprocess.PIPE, text=True,
            )
            try:
                assert proc.stderr is not None
                base = None
                for line in proc.stderr:
                    if m := re.search(r"serving .* on (http://\S+)", line):
                        base = m.group(1)
                        break
                if base is None:
                    raise RuntimeError("ck serve did not start")
                http_round(base, streams, 8, -1)  # warm-up
                results[streams].append(http_round(base, streams, args.n_gen, r))
            finally:
                proc.terminate()
                proc.wait()
    return results


def run_steps(args: argparse.Namespace) -> dict[int, list[float]]:
    results: dict[int, list[float]] = {s: [] for s in args.streams}
    for _ in range(args.rounds):
        for streams in args.streams:
            out = subprocess.run(
                [sys.executable, __file__, args.model, "--worker", str(streams), "-t", str(args.threads),
                 "-n", str(args.n_gen), "--slots", str(args.slots), "-c", str(args.context)],
                capture_output=True, text=True, check=True,
            )
            results[streams].append(float(out.stdout.strip().splitlines()[-1]))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("-t", "--threads", type=int, default=2)
    parser.add_argument("-n", "--n-gen", type=int, default=64, help="decode steps (tokens per stream)")
    parser.add_argument("-c", "--context", type=int, default=512, help="context of each slot")
    parser.add_argument("--slots", type=int, default=4, help="slots the model is built with (ck serve -np)")
    parser.add_argument("--streams", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mode", choices=("steps", "http", "both"), default="both")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        print(steps_worker(args.model, args.threads, args.slots, args.context, args.worker, args.n_gen))
        return 0
    if max(args.streams) > args.slots:
        parser.error(f"--streams up to {max(args.streams)} need --slots >= that")
    import ck

    ck.load(args.model, context_len=args.context, threads=1, slots=args.slots, progress=True).close()  # build once
    modes = ("steps", "http") if args.mode == "both" else (args.mode,)
    report = {}
    for mode in modes:
        results = run_steps(args) if mode == "steps" else run_http(args)
        base = statistics.median(results[min(args.streams)])
        print(f"\n{mode}: aggregate decode tokens/s, {args.threads} threads, medians of {args.rounds} "
              f"(cpus: {os.cpu_count()})")
        print(f"{'streams':>8} {'tok/s':>9} {'x one':>7}   rounds")
        for s in args.streams:
            med = statistics.median(results[s])
            print(f"{s:>8} {med:9.1f} {med / base:7.2f}   {' '.join(f'{v:.1f}' for v in results[s])}")
        report[mode] = {s: results[s] for s in args.streams}
    return 0


if __name__ == "__main__":
    sys.exit(main())
