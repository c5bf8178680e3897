"""`ck run MODEL.gguf`: generate text, or chat, with llama.cpp's flag names.

Streams to stdout; speeds go to stderr at the end, as llama.cpp prints them.
"""

from __future__ import annotations

import argparse
import sys

from ck.cli import add_dtype_flags, add_tuning_flag
from ck.errors import CkError


def add_run_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    r = sub.add_parser(
        "run",
        help="generate text from a GGUF model (or chat with it)",
        description="Compile MODEL.gguf (cached after the first use) and generate text. With -p and no "
        "--chat: continue the prompt. With --chat (-cnv): apply the model's chat template; with -p "
        "that is one answer, without -p an interactive chat that keeps the conversation and the KV "
        "cache between turns (end with Ctrl-D or /exit). Flags follow llama.cpp's.",
    )
    r.add_argument("model", metavar="MODEL.gguf")
    r.add_argument("-p", "--prompt", help="the prompt (or, with --chat, the user message)")
    r.add_argument("-n", "--n-predict", type=int, default=-1, help="tokens to generate (-1: until end of text or a full context)")
    r.add_argument("-c", "--ctx-size", type=int, default=4096, help="context length (default 4096)")
    r.add_argument("-t", "--threads", type=int, default=None, help="threads (default: all cores, at most 8)")
    add_dtype_flags(r)
    add_tuning_flag(r)
    r.add_argument("--temp", type=float, default=0.8, help="temperature; 0 is greedy (default 0.8)")
    r.add_argument("--top-k", type=int, default=40, help="top-k sampling, 0 = off (default 40)")
    r.add_argument("--top-p", type=float, default=0.95, help="top-p sampling, 1.0 = off (default 0.95)")
    r.add_argument("--min-p", type=float, default=0.05, help="min-p sampling, 0.0 = off (default 0.05)")
    r.add_argument("--repeat-penalty", type=float, default=1.0, help="penalty for repeated tokens, 1.0 = off")
    r.add_argument("--repeat-last-n", type=int, default=64, help="tokens the penalty looks back at (-1: all)")
    r.add_argument("--seed", type=int, default=-1, help="random seed; -1 (default) picks a fresh one")
    r.add_argument("-cnv", "--conversation", "--chat", dest="chat", action="store_true",
                   help="chat: apply the model's chat template")
    r.add_argument("-sys", "--system-prompt", "--system", dest="system", help="system message for --chat")
    think = r.add_mutually_exclusive_group()
    think.add_argument("--think", dest="think", action="store_const", const=True, default=None,
                       help="let a thinking model reason first (enable_thinking=true)")
    think.add_argument("--no-think", dest="think", action="store_const", const=False,
                       help="ask a thinking model to answer directly (enable_thinking=false)")
    r.add_argument("--profile", nargs="?", const="", metavar="DIR",
                   help="run a profiling build (a timer around every kernel call) and write the generation's "
                   "profile.json, trace.json and profile.folded into DIR (default: the build directory); "
                   "see `ck profile`")
    from ck.cli import add_backend_flag
    from ck.report_cli import add_report_flag

    add_backend_flag(r)
    add_report_flag(r, also="; with --profile, the profile (time per layer and kernel, roofline)")
    r.set_defaults(func=cmd_run)


def _params(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from ck.sampling import SamplingParams

    return SamplingParams(temperature=args.temp, top_k=args.top_k, top_p=args.top_p, min_p=args.min_p,
                          repeat_penalty=args.repeat_penalty, repeat_last_n=args.repeat_last_n,
                          seed=None if args.seed == -1 else args.seed)


def _speeds(model) -> None:  # type: ignore[no-untyped-def]
    s = model.last_stats
    print(
        f"\nck: prompt {s.prompt_tokens} tokens, {s.prompt_tps:.1f} tokens/s | "
        f"generated {s.generated_tokens} tokens, {s.generation_tps:.1f} tokens/s",
        file=sys.stderr,
    )


def cmd_run(args: argparse.Namespace) -> int:
    import ck
    from ck.chat_session import ChatSession
    from ck.generate import GenerationStats, generate_text

    params = _params(args)
    if args.n_predict < -1:
        raise CkError(f"-n/--n-predict must be -1 or more, got {args.n_predict}")
    if args.system and not args.chat:
        raise CkError("-sys/--system-prompt needs --chat")
    if args.prompt is None and not args.chat:
        raise CkError("give a prompt with -p, or --chat for an interactive chat")
    if args.profile is not None and args.chat:
        raise CkError("--profile profiles one generation from -p; it does not go with --chat")
    from ck import report_cli

    report = report_cli.output_path(args.report) if args.report is not None else None
    ids = None
    if not args.chat:  # the tokenizer is in the GGUF: a prompt the context cannot hold fails before the compile
        from ck.tokenizer import Tokenizer

        ids = Tokenizer.from_gguf(args.model).encode(args.prompt)
        if len(ids) > args.ctx_size:
            raise CkError(f"the prompt is {len(ids)} tokens, longer than the context ({args.ctx_size}); "
                          "raise -c/--ctx-size")
    model = ck.load(args.model, context_len=args.ctx_size, threads=args.threads, progress=True,
                    act_dtype=args.act_dtype, kv_dtype=args.kv_dtype, tuned=not args.untuned,
                    profile=args.profile is not None, backend=args.backend)
    if report is not None and args.profile is None:
        report_cli.write(model.info.directory, report, gguf=args.model, threads=model.threads)
    tokenizer = model.tokenizer
    if args.chat:
        if tokenizer.chat_template is None:
            raise CkError(f"{args.model}: the GGUF file has no chat template (tokenizer.chat_template)")
        session = ChatSession(model, params, args.n_predict, args.system, args.think)
        if args.prompt is not None:
            for piece in session.reply(args.prompt):
                print(piece, end="", flush=True)
            print()
            _speeds(model)
            return 0
        return _interactive(session, model)
    limit = args.n_predict if args.n_predict >= 0 else args.ctx_size
    assert ids is not None
    model.last_stats = GenerationStats()

    def generate() -> None:
        print(args.prompt, end="", flush=True)
        for piece in generate_text(model, ids, params, limit, model.last_stats):
            print(piece, end="", flush=True)
        print()

    if args.profile is None:
        generate()
    else:
        from pathlib import Path

        from ck.profile_cli import profile_generation

        profile_generation(model, generate, len(ids), Path(args.profile or model.info.directory))
        if report is not None:
            report_cli.write(model.info.directory, report, gguf=args.model, threads=model.threads,
                             profile=Path(args.profile or model.info.directory) / "profile.json")
    _speeds(model)
    return 0


def _interactive(session, model) -> int:  # type: ignore[no-untyped-def]
    print("ck: chat mode; end with Ctrl-D or /exit", file=sys.stderr)
    while True:
        print("> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line or line.strip() == "/exit":
            print()
            return 0
        if not line.strip():
            continue
        for piece in session.reply(line.rstrip("\n")):
            print(piece, end="", flush=True)
        print()
        if model.last_stats.stop_reason == "context_full":
            return 0
