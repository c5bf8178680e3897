"""`ck train` and `ck demo`: train a small Qwen3 (or GPT-2) on a text file, export it as GGUF, run it.

The vocabulary is a byte-level BPE trained on the corpus with Hugging Face
`tokenizers`, pre-tokenized with Qwen2's split regex (GPT-2's own for `--arch gpt2`), so
the GGUF it is written into carries `tokenizer.ggml.pre = qwen2` (`gpt-2`) and every GGUF
runtime (ck's, llama.cpp's) reads it as it was trained.
"""

from __future__ import annotations

import argparse
import json
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import numpy as np

from ck.errors import CkError

QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
EOT = "<|endoftext|>"


ARCHS = ("qwen3", "gpt2")
QWEN3_SHAPE_DEFAULTS = {"hidden": 192, "kv_heads": 2}
"""--hidden and --kv-heads when not given (qwen3 only: GPT-2's MLP is 4 x dim, its kv heads its heads)."""


def train_tokenizer(text: str, vocab: int, folder: Path, arch: str = "qwen3") -> Path:
    """A byte-level BPE of `vocab` tokens trained on `text`, saved as tokenizer.json in `folder`:
    pre-tokenized as Qwen2's tokenizer is, or for `arch` gpt2 as GPT-2's (its ByteLevel regex)."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    if arch == "gpt2":
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    else:
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(QWEN2_SPLIT), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab, special_tokens=[EOT], show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator([text], trainer=trainer)
    folder.mkdir(parents=True, exist_ok=True)
    tok.save(str(folder / "tokenizer.json"))
    (folder / "tokenizer_config.json").write_text(json.dumps({"eos_token": EOT, "bos_token": None}))
    return folder


def _bar(fraction: float, step: int, loss: float, tps: float) -> str:
    done = min(30, int(30 * fraction))
    return f"\rck: train [{'#' * done}{'.' * (30 - done)}] step {step}  loss {loss:.4f}  {tps:,.0f} tok/s"


def train_on_text(text: str, out: Path, args: argparse.Namespace, log=print) -> Path:  # type: ignore[no-untyped-def]
    """Tokenizer, model, training loop, GGUF: returns the GGUF path."""
    import ck
    from ck.testing import hf_tokenizer_metadata

    if len(text) < 1000:
        raise CkError(f"the corpus is too small to train on ({len(text)} characters)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = train_tokenizer(text, args.vocab, Path(tmp), args.arch)
        from tokenizers import Tokenizer

        ids = np.asarray(Tokenizer.from_file(str(folder / "tokenizer.json")).encode(text).ids, dtype=np.int64)
        try:
            meta = hf_tokenizer_metadata(folder, vocab_size=args.vocab)
        except ValueError as e:  # --vocab below the byte-level alphabet
            raise CkError(f"--vocab {args.vocab}: {e}") from None
    vocab = meta.vocab_size
    log(f"ck: {len(text):,} characters -> {len(ids):,} tokens (vocabulary {vocab})")
    if len(ids) < args.seq + 2:
        raise CkError(f"the corpus has {len(ids)} tokens, fewer than --seq {args.seq} + 2")
    if args.arch == "gpt2":
        model = ck.models.gpt2_tiny(vocab=vocab, dim=args.dim, layers=args.layers, heads=args.heads,
                                    context_len=args.seq, seed=args.seed)
    else:
        model = ck.models.qwen3_tiny(vocab=vocab, dim=args.dim, layers=args.layers, hidden=args.hidden,
                                     heads=args.heads, kv_heads=args.kv_heads, context_len=args.seq, seed=args.seed)
    run = ck.compile(model, mode="train", batch=args.batch, seq=args.seq,
                     config=ck.CompileConfig(threads=args.threads, dtype=args.dtype))
    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    first = last = float("nan")
    step = reported = 0
    for step in range(1, args.steps + 1):
        starts = rng.integers(0, len(ids) - args.seq - 1, args.batch)
        window = np.stack([ids[s : s + args.seq + 1] for s in starts])
        last = run.step(window[:, :-1], window[:, 1:], lr=args.lr, weight_decay=args.weight_decay)
        if step == 1:
            first = last
        elapsed = time.perf_counter() - start
        fraction = max(step / args.steps, elapsed / args.seconds if args.seconds else 0.0)
        print(_bar(fraction, step, last, step * args.batch * args.seq / elapsed), end="", file=sys.stderr, flush=True)
        if int(10 * fraction) > reported:  # a line every tenth of the run: the loss visibly falls
            reported = int(10 * fraction)
            print(f"\nck: step {step}: loss {last:.4f}", file=sys.stderr, flush=True)
        if args.checkpoint and step % args.save_every == 0:
            run.save(args.checkpoint)
        if args.seconds and elapsed > args.seconds:
            break
    print(file=sys.stderr)
    log(f"ck: loss {first:.3f} -> {last:.3f} after {step} steps ({time.perf_counter() - start:.1f} s)")
    if args.checkpoint:
        run.save(args.checkpoint)
    run.save_gguf(out, tokenizer=meta)
    log(f"ck: wrote {out}")
    if getattr(args, "report", None):
        log(f"ck: wrote the report {run.report(args.report)}")
    return out


def add_train_arguments(p: argparse.ArgumentParser, steps: int, seconds: float | None) -> None:
    p.add_argument("--steps", type=int, default=steps, help=f"training steps (default {steps})")
    p.add_argument("--seconds", type=float, default=seconds, help="stop after this much training time")
    p.add_argument("--seq", type=int, default=64, help="tokens per sequence (default 64)")
    p.add_argument("--batch", type=int, default=8, help="sequences per step (default 8)")
    p.add_argument("--lr", type=float, default=3e-3, help="AdamW learning rate (default 3e-3)")
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--vocab", type=int, default=512, help="byte-level BPE vocabulary size (default 512)")
    p.add_argument("--arch", choices=ARCHS, default="qwen3",
                   help="the model: qwen3 (RMSNorm, SwiGLU, RoPE, grouped-query attention) or gpt2 (LayerNorm, "
                        "GELU, learned positions, full multi-head attention, MLP 4 x dim) (default qwen3)")
    p.add_argument("--dim", type=int, default=64)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--hidden", type=int, default=None, help="FFN width (qwen3; default 192)")
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--kv-heads", type=int, default=None, help="key/value heads (qwen3; default 2)")
    p.add_argument("-t", "--threads", type=int, default=2)
    p.add_argument("--dtype", choices=("f32", "bf16"), default="f32",
                   help="what the matmuls multiply: f32, or bf16 pairs (AVX-512 BF16; weights, gradients and "
                        "AdamW stay f32) (default f32)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--checkpoint", help="save a checkpoint (ck.load_run) here")
    p.add_argument("--save-every", type=int, default=100, help="steps between checkpoints")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    t = sub.add_parser("train", help="train a small Qwen3 (or GPT-2) on a text file and write it as GGUF",
                       description="Train a byte-level BPE vocabulary and a small Qwen3 (--arch gpt2: GPT-2) on TEXT with the "
                       "compiled training runtime (AdamW), then write OUT.gguf, which `ck run` loads.")
    t.add_argument("text", metavar="TEXT", help="a UTF-8 text file")
    t.add_argument("-o", "--output", default="trained.gguf", metavar="OUT.gguf")
    add_train_arguments(t, steps=300, seconds=None)
    from ck.report_cli import add_report_flag

    add_report_flag(t, also="; and the training: loss of every step, gradient norm per weight, invariants")
    t.set_defaults(func=cmd_train)
    d = sub.add_parser("demo", help="train on the Python standard library's sources, then generate (no download)",
                       description="Train a tiny model for about a minute on text every machine has (the Python "
                       "standard library's own .py files), save it as GGUF, and generate from it with ck run's engine.")
    d.add_argument("-o", "--output", default="ck-demo.gguf", metavar="OUT.gguf")
    d.add_argument("-p", "--prompt", default="def ", help="prompt for the generation (default 'def ')")
    d.add_argument("-n", "--n-predict", type=int, default=120)
    d.add_argument("--corpus-bytes", type=int, default=2_000_000, help="characters of stdlib source to read")
    add_train_arguments(d, steps=100000, seconds=60.0)
    d.set_defaults(func=cmd_demo)


def check_train_arguments(args: argparse.Namespace) -> None:
    """What can be checked before the tokenizer is trained and the step compiled: counts and
    the files the run will write."""
    from ck.report_cli import output_path
    from ck.runtime import check_threads

    for name, default in QWEN3_SHAPE_DEFAULTS.items():
        if args.arch == "gpt2" and getattr(args, name) is not None:
            flag = "--" + name.replace("_", "-")
            raise CkError(f"{flag} does not apply to --arch gpt2 (its MLP is 4 x --dim, its kv heads are --heads)")
        if getattr(args, name) is None:
            setattr(args, name, default)

    for flag, value in (("--steps", args.steps), ("--seq", args.seq), ("--batch", args.batch),
                        ("--save-every", args.save_every)):
        if value < 1:
            raise CkError(f"{flag} must be at least 1, got {value}")
    if args.seconds is not None and args.seconds <= 0:
        raise CkError(f"--seconds must be positive, got {args.seconds}")
    check_threads(args.threads, "-t/--threads")
    for flag, value in (("-o/--output", args.output), ("--checkpoint", args.checkpoint),
                        ("--report", getattr(args, "report", None))):
        if value is not None:
            output_path(value, flag)  # a bad path fails now, not after the training


def cmd_train(args: argparse.Namespace) -> int:
    path = Path(args.text)
    if not path.is_file():
        raise CkError(f"{path}: no such file")
    check_train_arguments(args)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise CkError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    train_on_text(text, Path(args.output), args, log=lambda m: print(m, file=sys.stderr))
    return 0


def stdlib_text(limit: int) -> str:
    """The Python standard library's own sources, in a fixed order, up to `limit` characters."""
    root = Path(sysconfig.get_paths()["stdlib"])
    parts, total = [], 0
    for f in sorted(root.glob("*.py")):
        try:
            chunk = f.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        parts.append(chunk)
        total += len(chunk)
        if total >= limit:
            break
    return "".join(parts)[:limit]


def cmd_demo(args: argparse.Namespace) -> int:
    import ck

    log = lambda m: print(m, file=sys.stderr)  # noqa: E731
    check_train_arguments(args)
    name = {"qwen3": "Qwen3", "gpt2": "GPT-2"}[args.arch]
    log(f"ck demo: training a tiny {name} on the Python standard library's sources (no download)")
    out = train_on_text(stdlib_text(args.corpus_bytes), Path(args.output), args, log=log)
    log(f"ck demo: generating from {out} with ck run's engine:\n")
    with ck.load(out, context_len=256, threads=args.threads) as m:
        print(args.prompt, end="", flush=True)
        for piece in m.generate(args.prompt, max_tokens=args.n_predict, temperature=0.8, top_k=40, seed=args.seed):
            print(piece, end="", flush=True)
    print()
    return 0
