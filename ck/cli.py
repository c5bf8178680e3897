"""The `ck` command: compile a GGUF model (stopping at any IR stage) and make test models."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from typing import TextIO

from ck.errors import CkError

EMIT_STAGES = ("transformer",)  # later stages (kernel, memory, simd, c) arrive with native code


def _open_output(path: str) -> TextIO:
    if path == "-":
        return sys.stdout
    try:
        return open(path, "w")
    except OSError as e:
        raise CkError(f"cannot write {path}: {e.strerror}") from None


def cmd_compile(args: argparse.Namespace) -> int:
    from xdsl.context import Context
    from xdsl.targets.mlir import MLIRTarget

    from ck.importer import import_gguf

    if args.emit is None:
        raise CkError(
            "building a native runtime is not available yet; "
            f"use --emit {{{','.join(EMIT_STAGES)}}} to print an IR stage"
        )
    imported = import_gguf(args.model)
    out = _open_output(args.output or "-")
    try:
        # The same printer as ck-opt, so `ck compile --emit ... | ck-opt` is an identity.
        MLIRTarget().emit(Context(), imported.module, out)
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def cmd_make_model(args: argparse.Namespace) -> int:
    from ck.testing import ModelSpec, write_gguf

    try:
        spec = ModelSpec(
            arch=args.arch,
            vocab=args.vocab,
            dim=args.dim,
            layers=args.layers,
            ffn=args.ffn,
            heads=args.heads,
            kv_heads=args.kv_heads,
            head_dim=args.head_dim,
            rope_theta=args.rope_theta,
            rms_eps=args.rms_eps,
            tied=not args.untied,
            bias=args.bias,
            context_len=args.ctx_size,
            dtype=args.dtype,
        )
    except ValueError as e:
        raise CkError(str(e)) from None
    write_gguf(args.output, spec, seed=args.seed, tokenizer=not args.no_tokenizer)
    print(f"wrote {args.output}: {spec.arch} {spec.dtype}, {spec.layers} layers, dim {spec.dim}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ck",
        description="ck compiles a transformer LLM stored as GGUF into a native CPU runtime, "
        "through the transformer, kernel, memory and simd dialects.",
    )
    parser.add_argument("--verbose", action="store_true", help="show the Python traceback of errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    c = sub.add_parser(
        "compile",
        help="import a GGUF model and print an IR stage",
        description="Import MODEL.gguf through its architecture template. With --emit STAGE, "
        "stop at that stage and print its IR (like MLIR Toy's --emit).",
    )
    c.add_argument("model", metavar="MODEL.gguf", help="the GGUF model file")
    c.add_argument("--emit", choices=EMIT_STAGES, help="stop at this stage and print its IR")
    c.add_argument("-o", "--output", metavar="FILE", help="with --emit: write the IR here ('-' is stdout, the default)")
    c.set_defaults(func=cmd_compile)

    m = sub.add_parser(
        "make-model",
        help="write a small random-weight GGUF model (as llama.cpp's converter would)",
        description="Write a random-weight test model with the tensor names, dimension order and "
        "metadata keys of llama.cpp's converter. Nothing is downloaded.",
    )
    m.add_argument("output", metavar="OUT.gguf")
    m.add_argument("--arch", default="qwen3", choices=("qwen3", "qwen2", "llama"))
    m.add_argument("--dtype", default="f32", choices=("f32", "f16", "bf16", "q8_0"), help="storage of 2-D weights")
    m.add_argument("--vocab", type=int, default=320)
    m.add_argument("--dim", type=int, default=64, help="embedding width")
    m.add_argument("--layers", type=int, default=2)
    m.add_argument("--ffn", type=int, default=128, help="feed-forward width")
    m.add_argument("--heads", type=int, default=4)
    m.add_argument("--kv-heads", type=int, default=2)
    m.add_argument("--head-dim", type=int, default=None, help="default: dim / heads")
    m.add_argument("--rope-theta", type=float, default=1e6)
    m.add_argument("--rms-eps", type=float, default=1e-6)
    m.add_argument("-c", "--ctx-size", type=int, default=4096, help="context length written to the metadata")
    m.add_argument("--untied", action="store_true", help="write a separate output.weight")
    m.add_argument("--bias", action=argparse.BooleanOptionalAction, default=None, help="q/k/v biases (default: qwen2 only)")
    m.add_argument("--no-tokenizer", action="store_true", help="leave out the tokenizer metadata")
    m.add_argument("--seed", type=int, default=0)
    m.set_defaults(func=cmd_make_model)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CkError as e:
        if args.verbose:
            traceback.print_exc()
        print(f"ck: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ck: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
