"""`ck-opt`: xdsl-opt with ck's dialects and passes registered, used like mlir-opt.

A pass (or the verifier after it, or an output target) that fails prints one line naming
the input, the pass and what went wrong, and ck-opt exits with 1 (a parse error prints
xDSL's diagnostic, which points at the place); `--verbose` adds the Python traceback. `ck-opt --help` lists ck's passes with their options.
"""

from __future__ import annotations

import argparse
import sys
import traceback
import warnings
from typing import NoReturn

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.utils.exceptions import DiagnosticException, ParseError
from xdsl.xdsl_opt_main import xDSLOptMain

from ck.dialects import DIALECTS
from ck.lowering import PASSES as LOWERING_PASSES
from ck.lowering import TARGETS
from ck.passes import PASSES


class StepFailed(Exception):
    """A pass or target raised: which one, and the exception."""

    def __init__(self, what: str, error: BaseException) -> None:
        super().__init__(what)
        self.what, self.error = what, error


def summary(error: BaseException) -> str:
    """One line for `error`: its message's most telling line, or where an assertion failed."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    verify = [line for line in lines if "does not verify" in line]
    if verify:
        return verify[0].strip("|- ")
    if lines:
        return lines[0]
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" at {frame.filename}:{frame.lineno}" if frame else ""
    return f"{type(error).__name__}{where}"


def pass_help() -> str:
    """ck's passes, one per line, with their options and defaults (the `-p` syntax)."""
    lines = ["ck passes (-p 'name{option=value ...}', comma-separated):"]
    for name, factory in sorted({**PASSES, **LOWERING_PASSES}.items()):
        cls = factory()
        doc = (sys.modules[cls.__module__].__doc__ or "").strip().split("\n\n")[0]  # its first paragraph
        first = " ".join(doc.split(":", 1)[-1].split())
        lines.append(f"  {cls().pipeline_pass_spec(include_default=True)}")
        if first:
            lines.append(f"      {first}")
    return "\n".join(lines)


class CkOptMain(xDSLOptMain):
    """The opt driver: parse, run `-p` passes (verifying after each), print."""

    def register_all_dialects(self) -> None:
        super().register_all_dialects()
        for name, factory in DIALECTS.items():
            self.ctx.register_dialect(name, factory)

    def register_all_passes(self) -> None:
        super().register_all_passes()
        for name, factory in {**PASSES, **LOWERING_PASSES}.items():
            self.register_pass(name, factory)

    def register_all_targets(self) -> None:
        super().register_all_targets()
        self.available_targets.update(TARGETS)

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)
        arg_parser.add_argument("--verbose", action="store_true",
                                help="when a pass or target fails, print the Python traceback too")
        prog = arg_parser.prog

        def error(message: str) -> NoReturn:  # one line, not the usage of every xDSL flag
            arg_parser.exit(2, f"{prog}: error: {message} (see {prog} --help)\n")

        arg_parser.error = error  # type: ignore[method-assign]
        if {"-h", "--help"} & set(sys.argv[1:]):  # listing the passes imports them all: only for --help
            arg_parser.formatter_class = argparse.RawDescriptionHelpFormatter
            arg_parser.epilog = pass_help()

    def apply_passes(self, prog: ModuleOp) -> None:
        """The pipeline, remembering which pass runs (the verifier after a pass counts as it)."""
        original = self.pipeline.callback
        running: list[ModulePass | None] = [self.pipeline.passes[0] if self.pipeline.passes else None]

        def track(previous: ModulePass | None, module: ModuleOp, following: ModulePass | None) -> None:
            running[0] = previous or running[0]
            if original is not None:
                original(previous, module, following)
            running[0] = following

        try:
            PassPipeline(self.pipeline.passes, track).apply(self.ctx, prog)
        except Exception as e:
            if self.reraise(e):
                raise
            raise StepFailed(f"pass '{running[0].name}'" if running[0] else "the verifier", e) from e

    def output_resulting_program(self, prog: ModuleOp) -> str:
        try:
            return super().output_resulting_program(prog)
        except Exception as e:
            if self.reraise(e):
                raise
            raise StepFailed(f"target '{self.args.target}'", e) from e

    def reraise(self, error: Exception) -> bool:
        """Whether `error` goes on as it is: with --verbose, or as a diagnostic --verify-diagnostics prints."""
        return self.args.verbose or (self.args.verify_diagnostics and isinstance(error, DiagnosticException))

    def run(self) -> None:
        try:
            super().run()
        except StepFailed as failed:
            self.fail(f"{failed.what} failed: {summary(failed.error)}")
        except ParseError as e:  # xDSL's diagnostic already names the place and points at it
            if self.args.verbose:
                raise
            print(str(e), file=sys.stderr)
            sys.exit(1)

    def fail(self, message: str) -> NoReturn:
        source = self.args.input_file or "<stdin>"
        print(f"{sys.argv[0].rsplit('/', 1)[-1]}: {source}: {message}", file=sys.stderr)
        sys.exit(1)


def run_driver(driver: type[CkOptMain], description: str) -> None:
    """Build the driver and run it; a file that cannot be read or written, an input that is not
    MLIR or an unknown pass is one line on stderr and exit status 1 (--verbose: the traceback)."""
    prog = sys.argv[0].rsplit("/", 1)[-1]
    try:
        driver(description=description).run()
    except OSError as e:
        if "--verbose" in sys.argv[1:] or not e.filename:
            raise
        print(f"{prog}: error: {e.filename}: {e.strerror}", file=sys.stderr)
        sys.exit(1)
    except ValueError as e:  # xDSL's: an unknown -p pass, an input file extension without a frontend
        if "--verbose" in sys.argv[1:]:
            raise
        message = str(e)
        if message.startswith("Unrecognized file extension"):
            message += f" ({prog} reads MLIR: a .mlir file or stdin; `ck compile MODEL.gguf --emit STAGE` prints a model's)"
        print(f"{prog}: error: {message}", file=sys.stderr)
        sys.exit(1)


def main() -> None:
    warnings.filterwarnings("default", category=DeprecationWarning)
    run_driver(CkOptMain, "ck-opt: run ck and xDSL passes on MLIR files (stdin when no file)")
