"""Encode throughput of ck.tokenizer (MB/s of UTF-8 input), on Python's standard-library sources.

    python bench/bench_tokenizer.py                      # the Qwen3 tokenizer in test/data/qwen3-tokenizer
    python bench/bench_tokenizer.py MODEL.gguf --mb 8    # the tokenizer of any GGUF file

"cold" is the first pass over the text (empty word cache), "warm" a second pass over the same
text with the cache the first pass filled. With --hf, HF `tokenizers` (Rust) is timed on the same text
for scale (single-threaded). Numbers depend on the machine's load. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import sysconfig
import tempfile
import time
from pathlib import Path

from ck.tokenizer import Tokenizer

DATA = Path(__file__).resolve().parents[1] / "test" / "data" / "qwen3-tokenizer"


def stdlib_text(mb: float) -> str:
    """At least `mb` MB of the standard library's .py sources, in a fixed order."""
    root = Path(sysconfig.get_paths()["stdlib"])
    parts, size = [], 0
    for path in sorted(root.rglob("*.py")):
        if "site-packages" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        parts.append(text)
        size += len(text.encode("utf-8"))
        if size >= mb * 1e6:
            break
    return "".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", nargs="?", help="a GGUF file with a tokenizer (default: the Qwen3 test tokenizer)")
    ap.add_argument("--mb", type=float, default=4.0, help="MB of text to encode")
    ap.add_argument("--hf", action="store_true", help="also time HF tokenizers on the same text")
    args = ap.parse_args()

    if args.model:
        path = Path(args.model)
    else:
        from ck.testing import hf_tokenizer_metadata, write_vocab_gguf

        path = Path(tempfile.mkdtemp()) / "qwen3-vocab.gguf"
        write_vocab_gguf(path, hf_tokenizer_metadata(DATA, vocab_size=151936, bos_token_id=151643))

    text = stdlib_text(args.mb)
    n_bytes = len(text.encode("utf-8"))
    t0 = time.perf_counter()
    tok = Tokenizer.from_gguf(path)
    load = time.perf_counter() - t0
    print(f"tokenizer: {tok}")
    print(f"load: {load:.2f} s;  text: {n_bytes / 1e6:.2f} MB of stdlib .py sources")

    t0 = time.perf_counter()
    ids = tok.encode(text)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    ids2 = tok.encode(text)
    warm = time.perf_counter() - t0
    assert ids == ids2
    print(f"encode cold: {n_bytes / 1e6 / cold:.2f} MB/s ({len(ids)} tokens, {len(ids) / cold / 1e3:.0f}k tokens/s)")
    print(f"encode warm: {n_bytes / 1e6 / warm:.2f} MB/s")
    t0 = time.perf_counter()
    out = tok.decode(ids)
    dec = time.perf_counter() - t0
    assert out == text
    print(f"decode:      {n_bytes / 1e6 / dec:.2f} MB/s")

    if args.hf:
        os.environ.setdefault("RAYON_NUM_THREADS", "1")
        from tokenizers import Tokenizer as HFTokenizer

        hf = HFTokenizer.from_file(str(DATA / "tokenizer.json"))
        t0 = time.perf_counter()
        hf_ids = hf.encode(text).ids
        t = time.perf_counter() - t0
        print(f"HF tokenizers encode: {n_bytes / 1e6 / t:.2f} MB/s (same ids: {hf_ids == ids})")


if __name__ == "__main__":
    main()
