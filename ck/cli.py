"""The `ck` command: compile a GGUF model (stopping at any IR stage), run or benchmark it, and make test models."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ck.errors import CkError

if TYPE_CHECKING:
    from xdsl.dialects.builtin import ModuleOp
    from xdsl.passes import ModulePass

    from ck.compiler import CompileOptions

EMIT_STAGES = ("transformer", "kernel", "memory", "simd", "c", "llvm")
# ck.testing.DTYPES, spelled out so building the parser does not import gguf
MAKE_MODEL_DTYPES = ("f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q4_k", "q5_k", "q6_k",
                     "q4_k_s", "q4_k_m", "q5_k_s", "q5_k_m")


def _open_output(path: str) -> TextIO:
    if path == "-":
        return sys.stdout
    try:
        return open(path, "w")
    except OSError as e:
        raise CkError(f"cannot write {path}: {e.strerror}") from None


def add_dtype_flags(parser: argparse.ArgumentParser) -> None:
    """--act-dtype and --kv-dtype, shared by compile, run and bench (ck.load's act_dtype and kv_dtype)."""
    parser.add_argument("--act-dtype", choices=("q8_0", "f32"), default=None,
                        help="activations of matmuls over block-quantized weights (q8_0, q4_0 .. q6_k): q8_0 (default: quantized to 8 bits as llama.cpp "
                        "does for each weight type, per 32 or, for the k-quants, per 256; int8 dot products) or f32 (exact, slower)")
    parser.add_argument("--kv-dtype", choices=("f32", "f16"), default="f32",
                        help="element type of the KV cache: f32 (default) or f16 (half the memory and "
                        "bandwidth at long contexts)")


def add_backend_flag(parser: argparse.ArgumentParser) -> None:
    """--backend, shared by compile, run, bench, serve, profile and report (ck.load's backend)."""
    parser.add_argument("--backend", choices=("c", "llvm"), default=None,
                        help="how the code is compiled: c (model.c by $CC into libmodel.so) or llvm (model.ll "
                        "JIT-compiled by llvmlite, no C compiler needed); default: c, or llvm when there is no "
                        "C compiler")


def add_tuning_flag(parser: argparse.ArgumentParser) -> None:
    """--untuned, shared by compile, run and bench (ck.load's tuned=False)."""
    parser.add_argument("--untuned", action="store_true",
                        help="give the matmuls the cost model's schedules even where `ck bench --tune` has "
                        "tuned them on this machine (same results, other blocking)")


def _options(args: argparse.Namespace) -> CompileOptions:
    """The options ck.load would use for the same flags, so `ck compile` fills the cache `ck run` reads."""
    from ck.compiler import compile_options

    return compile_options(context_len=args.ctx_size, isa=args.isa, act_dtype=args.act_dtype,
                           kv_dtype=args.kv_dtype, max_tokens=args.ubatch_size, tuned=not args.untuned,
                           backend=args.backend)


def dump_passes(model: str, options: CompileOptions, out: Path) -> int:
    """DIR/00-import.mlir (the transformer module as imported), then NN-<pass>.mlir after every
    pass down to the simd level, as mlir-opt's -mlir-print-ir-after-all would show them."""
    from ck.compiler import lowering_stages, mlir_text, run_stages
    from ck.importer import import_gguf

    if out.exists() and not out.is_dir():
        raise CkError(f"--dump-passes: {out} exists and is not a directory")
    stages = lowering_stages(options, "simd")
    module = import_gguf(model).module
    out.mkdir(parents=True, exist_ok=True)
    (out / "00-import.mlir").write_text(mlir_text(module))
    count = 0

    def write(stage: str, p: ModulePass, module: ModuleOp) -> None:
        nonlocal count
        count += 1
        (out / f"{count:02d}-{p.name}.mlir").write_text(mlir_text(module))

    run_stages(module, stages, on_pass=write)
    print(f"wrote the IR as imported and after each of {count} passes to {out}/", file=sys.stderr)
    return 0


def cmd_compile(args: argparse.Namespace) -> int:
    from ck.compiler import emit_c, emit_llvm, lower, mlir_text
    from ck.gguf_file import GGUFFile

    options = _options(args)
    if args.report is not None and (args.emit is not None or args.dump_passes is not None):
        raise CkError("--report shows a build: it does not go with --emit or --dump-passes")
    if args.report:
        from ck.report_cli import output_path

        output_path(args.report)  # a bad path fails before the build
    if args.dump_passes is not None:
        return dump_passes(args.model, options, Path(args.dump_passes))
    if args.emit is None:
        from ck.build import build
        from ck.runtime import check_kv_memory

        if args.output is not None and Path(args.output).exists() and not Path(args.output).is_dir():
            raise CkError(f"-o/--output {args.output}: exists and is not a directory (without --emit, -o names "
                          "the build directory)")
        if not Path(args.model).exists():
            raise CkError(f"{args.model}: no such file")
        check_kv_memory(args.model, options.context_len, options.kv_dtype)
        info = build(args.model, options, directory=args.output, force=args.force_compile or args.output is not None)
        print(f"built {info.library} (weights {info.weights_bytes} bytes, arena {info.arena_bytes}, "
              f"KV cache {info.kv_bytes})", file=sys.stderr)
        if args.report is not None:
            from ck.report_cli import write

            write(info.directory, args.report or Path(info.directory) / "report.html", gguf=args.model)
        return 0
    if args.emit == "transformer":
        from ck.importer import import_gguf

        text = mlir_text(import_gguf(args.model).module)
    else:
        module = lower(GGUFFile(args.model), options, until="simd" if args.emit in ("c", "llvm") else args.emit)
        if args.emit == "c":
            text = emit_c(module)
        elif args.emit == "llvm":
            from ck.build import avx512bf16

            text = emit_llvm(module, options.isa, avx512bf16(options.isa))
        else:
            text = mlir_text(module)
    out = _open_output(args.output or "-")
    try:
        out.write(text)
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def cmd_make_model(args: argparse.Namespace) -> int:
    from ck.testing import ModelSpec, write_gguf

    gpt2 = args.arch == "gpt2"  # full multi-head attention, a 4 * dim MLP
    try:
        spec = ModelSpec(
            arch=args.arch,
            vocab=args.vocab,
            dim=args.dim,
            layers=args.layers,
            ffn=args.ffn if args.ffn is not None else (4 * args.dim if gpt2 else 128),
            heads=args.heads,
            kv_heads=args.kv_heads if args.kv_heads is not None else (args.heads if gpt2 else 2),
            head_dim=args.head_dim,
            rope_theta=args.rope_theta,
            rms_eps=args.rms_eps,
            layer_norm_eps=args.layer_norm_eps,
            tied=not args.untied,
            bias=args.bias,
            context_len=args.ctx_size,
            dtype=args.dtype,
        )
    except ValueError as e:
        raise CkError(str(e)) from None
    tokenizer: object = not args.no_tokenizer
    if args.tokenizer:
        from dataclasses import replace

        from ck.testing import hf_tokenizer_metadata

        try:
            meta = hf_tokenizer_metadata(args.tokenizer)
        except (OSError, ValueError, KeyError) as e:
            raise CkError(f"{args.tokenizer}: not a Hugging Face tokenizer folder ({e})") from None
        spec = replace(spec, vocab=max(spec.vocab, len(meta.tokens)))
        tokenizer = meta
    try:
        write_gguf(args.output, spec, seed=args.seed, tokenizer=tokenizer,  # type: ignore[arg-type]
                   stored=False, progress=sys.stderr.isatty())
    except OSError as e:
        raise CkError(f"cannot write {args.output}: {e.strerror}") from None
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
        help="compile a GGUF model into libmodel.so with its artifacts (or print one stage with --emit)",
        description="Import MODEL.gguf and lower it through the transformer, kernel, memory and simd "
        "dialects to C, then build libmodel.so with its artifacts (IR per stage, layout.json, model.c, "
        "weights.bump). With --emit STAGE, stop at that stage and print it (like MLIR Toy's --emit).",
    )
    c.add_argument("model", metavar="MODEL.gguf", help="the GGUF model file")
    c.add_argument("--emit", choices=EMIT_STAGES,
                   help="stop at this stage and print its IR (c: the generated model.c; llvm: model.ll)")
    c.add_argument("-o", "--output", metavar="FILE|DIR",
                   help="with --emit: write the IR here ('-' is stdout, the default); "
                   "without: the build directory (default: the cache, ~/.cache/ck or $CK_CACHE_DIR)")
    c.add_argument("-c", "--ctx-size", type=int, default=4096, help="context length the KV cache holds (default 4096)")
    c.add_argument("-ub", "--ubatch-size", type=int, default=64, help="tokens per prefill call (default 64)")
    c.add_argument("--isa", choices=("avx512", "avx2", "scalar"), help="target ISA (default: this CPU's best)")
    add_dtype_flags(c)
    add_tuning_flag(c)
    add_backend_flag(c)
    c.add_argument("--force-compile", action="store_true", help="rebuild even when the cache has this build")
    c.add_argument("--dump-passes", metavar="DIR",
                   help="instead of building: write the IR as imported (00-import.mlir) and after every pass "
                   "(NN-<pass>.mlir, in pipeline order, down to the simd level) into DIR")
    from ck.report_cli import add_report_flag

    add_report_flag(c, default="report.html in the build directory")
    c.set_defaults(func=cmd_compile)

    from ck.bench import add_bench_parser
    from ck.profile_cli import add_profile_parser
    from ck.report_cli import add_report_parser
    from ck.run_cli import add_run_parser
    from ck.train_cli import add_parsers as add_train_parsers

    add_run_parser(sub)
    add_bench_parser(sub)
    add_profile_parser(sub)
    add_report_parser(sub)
    add_train_parsers(sub)
    from ck.cache_cli import add_cache_parser
    add_cache_parser(sub)
    from ck.serve_cli import add_serve_parser
    add_serve_parser(sub)

    m = sub.add_parser(
        "make-model",
        help="write a small random-weight GGUF model (as llama.cpp's converter would)",
        description="Write a random-weight test model with the tensor names, dimension order and "
        "metadata keys of llama.cpp's converter. Nothing is downloaded.",
    )
    m.add_argument("output", metavar="OUT.gguf")
    m.add_argument("--arch", default="qwen3", choices=("qwen3", "qwen2", "llama", "gpt2"))
    m.add_argument("--dtype", default="f32", choices=MAKE_MODEL_DTYPES, metavar="DTYPE",
                   help="storage of 2-D weights: f32 (default), f16, bf16 or q8_0 as llama.cpp's converter "
                   "writes them (q8_0: f16 where a row is not a multiple of 32); q4_0, q4_1, q5_0, q5_1, q4_k, "
                   "q5_k, q6_k: that type for every 2-D weight, as llama-quantize --pure from an f32 file, "
                   "with its fallback where the row does not fit the block (q4_k -> q5_0, q5_k -> q5_1, "
                   "q6_k -> q8_0, else f16); q4_k_s, q4_k_m, q5_k_s, q5_k_m: llama-quantize's mixes "
                   "(more bits for output, some attn_v and ffn_down). Bit-identical to llama.cpp's "
                   "quantizer without imatrix; 1-D tensors stay f32")
    m.add_argument("--vocab", type=int, default=320)
    m.add_argument("--dim", type=int, default=64, help="embedding width")
    m.add_argument("--layers", type=int, default=2)
    m.add_argument("--ffn", type=int, default=None, help="feed-forward width (default 128; gpt2: 4 * dim)")
    m.add_argument("--heads", type=int, default=4)
    m.add_argument("--kv-heads", type=int, default=None, help="default 2 (gpt2: heads)")
    m.add_argument("--head-dim", type=int, default=None, help="default: dim / heads")
    m.add_argument("--rope-theta", type=float, default=1e6)
    m.add_argument("--rms-eps", type=float, default=1e-6)
    m.add_argument("--layer-norm-eps", type=float, default=1e-5, help="gpt2's LayerNorm eps")
    m.add_argument("-c", "--ctx-size", type=int, default=4096, help="context length written to the metadata")
    m.add_argument("--untied", action="store_true",
                   help="write a separate output.weight (gpt2 without it: output.weight is a copy of token_embd)")
    m.add_argument("--bias", action=argparse.BooleanOptionalAction, default=None, help="q/k/v biases (default: qwen2 only)")
    m.add_argument("--no-tokenizer", action="store_true", help="leave out the tokenizer metadata")
    m.add_argument("--tokenizer", metavar="DIR",
                   help="carry a Hugging Face tokenizer (tokenizer.json + tokenizer_config.json in DIR) "
                   "instead of a synthetic byte-level one; --vocab grows to fit it")
    m.add_argument("--seed", type=int, default=0)
    m.set_defaults(func=cmd_make_model)
    return parser


def unexpected(e: BaseException) -> str:
    """One line for an exception that is not a CkError: a file the user named that cannot be
    read or written, or else a bug in ck, said to be one (the traceback is behind --verbose)."""
    if isinstance(e, OSError) and e.filename and e.strerror:
        return f"{e.filename}: {e.strerror}"
    message = " ".join(str(e).split())
    if len(message) > 300:
        message = message[:297] + "..."
    return (f"internal error: {type(e).__name__}: {message} (a bug in ck: run with --verbose for the traceback, "
            "and please report it)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if argv is None:  # the `ck` command: under $CK_SANITIZE=address, start again with the ASan runtime
            from ck.sanitize import ensure_runtime

            ensure_runtime()
        if isinstance(getattr(args, "model", None), str):  # hf://OWNER/REPO/FILE.gguf: the Hub cache's copy
            from ck.hub import resolve

            args.model = str(resolve(args.model))
        return int(args.func(args))
    except CkError as e:
        if args.verbose:
            traceback.print_exc()
        print(f"ck: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ck: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 -- one line, said to be a bug, instead of a traceback
        if args.verbose:
            traceback.print_exc()
        print(f"ck: error: {unexpected(e)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
