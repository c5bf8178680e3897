"""`ck report MODEL.gguf -o report.html`, and the `--report` of compile, run and train."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ck.cli import add_backend_flag, add_dtype_flags, add_tuning_flag
from ck.errors import CkError

REPORT_HELP = ("one self-contained HTML file (no network) showing the build: model card, pipeline and pass "
               "times, every stage's IR linked op to op, memory plan, kernel table with fallbacks")


def add_report_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    r = sub.add_parser(
        "report",
        help="write an HTML report of a model's build (IR, memory, kernels, profile)",
        description="Build MODEL.gguf (cached, with the same flags as `ck compile`) and write "
        + REPORT_HELP + "; with --profile, the profile's time per layer and kernel and a roofline. "
        "Prints the report's path.",
    )
    r.add_argument("model", metavar="MODEL.gguf")
    r.add_argument("-o", "--output", default="report.html", metavar="FILE",
                   help="where to write the report (default report.html)")
    r.add_argument("--profile", metavar="profile.json",
                   help="a profile.json written by `ck profile` or `ck run --profile` (default: the build "
                   "directory's, when it has one)")
    r.add_argument("-c", "--ctx-size", type=int, default=4096, help="context length the KV cache holds (default 4096)")
    r.add_argument("-ub", "--ubatch-size", type=int, default=64, help="tokens per prefill call (default 64)")
    r.add_argument("--isa", choices=("avx512", "avx2", "scalar"), help="target ISA (default: this CPU's best)")
    r.add_argument("-t", "--threads", type=int, default=None,
                   help="threads the runtime would run, for the memory totals (each has a private arena)")
    add_dtype_flags(r)
    add_tuning_flag(r)
    add_backend_flag(r)
    r.set_defaults(func=cmd_report)


def add_report_flag(parser: argparse.ArgumentParser, default: str = "", also: str = "") -> None:
    """`--report FILE` for compile, run and train; `default`: FILE may be left out, and where
    the report then goes; `also`: what else that command's report shows."""
    parser.add_argument("--report", metavar="FILE", nargs="?" if default else None, const="" if default else None,
                        help=f"also write the build's HTML report to FILE{f' (default: {default})' if default else ''}"
                        f": {REPORT_HELP}{also}")


def output_path(path: str | Path, flag: str = "--report") -> Path:
    """Where a report goes, checked before any work: a file in a folder that exists."""
    out = Path(path)
    if out.is_dir():
        raise CkError(f"{flag} {out}: is a directory; give a file name (e.g. {out / 'report.html'})")
    if not out.parent.is_dir():
        raise CkError(f"{flag} {out}: the folder {out.parent} does not exist")
    return out


def write(directory: str | Path, out: str | Path, **kwargs: Any) -> Path:
    """Write the report of a build directory and say where it went."""
    from ck.report import write_report

    path = write_report(directory, out, **kwargs)
    print(f"ck: wrote the report {path}", file=sys.stderr)
    return path


def cmd_report(args: argparse.Namespace) -> int:
    from ck.build import build
    from ck.cli import _options

    if not Path(args.model).is_file():
        raise CkError(f"{args.model}: no such file")
    out = output_path(args.output, "-o/--output")
    if args.profile is not None and not Path(args.profile).is_file():
        raise CkError(f"--profile {args.profile}: no such file")
    if args.threads is not None and args.threads < 1:
        raise CkError(f"-t/--threads must be at least 1, got {args.threads}")
    info = build(args.model, _options(args), progress=None)
    path = write(info.directory, out, profile=args.profile, gguf=args.model, threads=args.threads)
    print(path)
    return 0
