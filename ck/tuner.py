"""`ck bench --tune`: time the candidate schedules of every distinct matmul shape of a model on
this machine and keep the fastest in its tuning table, which later builds read.

The model is lowered to the memory level as a build would lower it, but with the cost model's
schedules only (no table). Each distinct shape (`shape_key`) with more than one candidate
(`schedule_candidates`: the cost model's micro-kernel, blocked other ways) has every candidate
built alone, by the same kernel builder `lower-kernel-to-simd` uses, into one shared library
(C from the C target, compiled like libmodel.so), and timed on one thread (tid 0 of 1) on
realistic buffers (ck/kernel_timing.py): the median of several interleaved runs. A candidate
replaces the cost model's choice only when it is faster by more than `MIN_GAIN` (less is
within the noise of a machine doing other things).
"""

from __future__ import annotations

import ctypes
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, StringAttr

from ck.compiler import CompileOptions, detect_isa
from ck.dialects import kernel as kn
from ck.errors import CkError
from ck.kernel_timing import kernel_calls, rotate_bytes, time_functions
from ck.tuning_table import TunedShape, TuningTable, cpu_model, schedule_fields, shape_key, table_path

MIN_GAIN = 0.02
"""How much faster than the cost model's schedule a candidate must be to replace it."""
ISA_ORDER = ("scalar", "avx2", "avx512")


@dataclass(frozen=True)
class ShapeTiming:
    """The candidates of one shape and their median microseconds per call (the default first)."""

    key: str
    uses: int
    """Matmuls of the model with this shape (each decode or prefill call runs each once)."""
    candidates: list[kn.ScheduleAttr]
    micros: list[float]

    @property
    def best(self) -> int:
        """Index of the winner: the fastest, if it beats the default by more than MIN_GAIN."""
        fastest = min(range(len(self.micros)), key=self.micros.__getitem__)
        return fastest if self.micros[fastest] < self.micros[0] * (1 - MIN_GAIN) else 0


@dataclass(frozen=True)
class TuneReport:
    table: Path
    timings: list[ShapeTiming]
    single: int
    """Shapes with only the cost model's schedule (nothing to time)."""
    method: str


def tune(
    path: str | Path,
    options: CompileOptions,
    runs: int = 5,
    max_candidates: int = 8,
    progress: Callable[[str], None] | None = None,
) -> TuneReport:
    """Tune every matmul shape of the GGUF model at `path` built with `options` (its ISA, its
    prefill chunk `max_tokens`) and merge the winners into this machine's table."""
    from ck.compiler import lower
    from ck.gguf_file import GGUFFile

    if runs < 1 or max_candidates < 1:
        raise CkError(f"tuning needs at least one run and one candidate, got runs={runs}, candidates={max_candidates}")
    if ISA_ORDER.index(options.isa) > ISA_ORDER.index(detect_isa()):
        raise CkError(f"cannot tune {options.isa} kernels on this CPU (it runs {detect_isa()} at most)")
    say = progress or (lambda line: None)
    module = lower(GGUFFile(path), replace(options, tuning=""), until="memory")
    shapes, uses = distinct_shapes(module, options.isa)
    tuned = {key: candidates[:max_candidates] for key, (op, candidates) in shapes.items() if len(candidates) > 1}
    total = sum(len(c) for c in tuned.values())
    say(f"building {total} candidate kernels for {len(tuned)} matmul shapes")
    rotate = rotate_bytes()
    method = (f"one thread (tid 0 of 1); median of {runs} interleaved runs per candidate; each run cycles "
              f"through copies of the weights filling {rotate >> 20} MiB (at most 256 copies), so calls read "
              f"them from memory as a forward pass does; a dynamic token count is the prefill chunk "
              f"({options.max_tokens} tokens; last_rows matmuls: 1 output row)")
    timings: list[ShapeTiming] = []
    with tempfile.TemporaryDirectory(prefix="ck-tune-") as tmp:
        lib = candidate_library(Path(tmp), [(shapes[key][0], cands) for key, cands in tuned.items()], options.isa)
        rng = np.random.default_rng(0)
        for i, (key, candidates) in enumerate(tuned.items()):
            say(f"[{i + 1}/{len(tuned)}] {key}: {len(candidates)} schedules")
            op = shapes[key][0]
            tokens = _tokens(op, options.max_tokens)
            calls = kernel_calls(op, tokens, rng, rotate)
            functions = [getattr(lib, candidate_function(i, j)) for j in range(len(candidates))]
            seconds = time_functions(functions, calls, runs)
            timings.append(ShapeTiming(key, uses[key], candidates, [statistics.median(s) * 1e6 for s in seconds]))
    table_file = table_path(options.isa)
    table = TuningTable.load(table_file) if table_file.exists() else TuningTable(options.isa, cpu_model()[0])
    table.method = method
    for t in timings:
        best = t.best
        table.shapes[t.key] = TunedShape(schedule_fields(t.candidates[best]), schedule_fields(t.candidates[0]),
                                         round(t.micros[0], 3), round(t.micros[best], 3))
    table.save(table_file)
    return TuneReport(table_file, timings, len(shapes) - len(tuned), method)


def distinct_shapes(
    module: ModuleOp, isa: str
) -> tuple[dict[str, tuple[kn.GemvOp | kn.GemmOp, list[kn.ScheduleAttr]]], dict[str, int]]:
    """The first matmul of each shape in a memory-level module with its candidates, and how
    many matmuls have each shape."""
    from ck.lowering.schedule_candidates import schedule_candidates

    chunk = module.attributes.get("ck.max_tokens")
    max_tokens = chunk.value.data if isinstance(chunk, IntegerAttr) else None
    shapes: dict[str, tuple[kn.GemvOp | kn.GemmOp, list[kn.ScheduleAttr]]] = {}
    uses: dict[str, int] = {}
    for op in module.walk():
        if isinstance(op, kn.GemvOp | kn.GemmOp):
            key = shape_key(op, isa, max_tokens)
            uses[key] = uses.get(key, 0) + 1
            if key not in shapes:
                shapes[key] = (op, schedule_candidates(op, isa))
    return shapes, uses


def _tokens(op: kn.GemvOp | kn.GemmOp, max_tokens: int) -> int:
    from ck.dialects.types import shape_of

    t = shape_of(op.x[0])[0]
    return max_tokens if t < 0 else t


def candidate_function(shape: int, candidate: int) -> str:
    return f"ck_tune_{shape}_{candidate}"


def candidate_library(
    out: Path, shapes: list[tuple[kn.GemvOp | kn.GemmOp, list[kn.ScheduleAttr]]], isa: str
) -> ctypes.CDLL:
    """One exported function per (shape, candidate), built by the matmul builder
    `lower-kernel-to-simd` uses, emitted by the C target and compiled as libmodel.so is."""
    from ck.build import compile_library
    from ck.compiler import emit_c
    from ck.lowering.kernels import BUILDERS

    functions = []
    for i, (op, candidates) in enumerate(shapes):
        default = op.schedule
        for j, schedule in enumerate(candidates):
            op.properties["schedule"] = schedule
            op.verify()
            fn, _ = BUILDERS[type(op)][1](op, candidate_function(i, j), isa, f"tuning candidate {j} of shape {i}")
            fn.sym_visibility = StringAttr("public")
            functions.append(fn)
        if default is not None:
            op.properties["schedule"] = default
    (out / "model.c").write_text(emit_c(ModuleOp(functions)))
    compile_library(out, isa)
    return ctypes.CDLL(str(out / "libmodel.so"))
