"""The tuning table: the schedule `ck bench --tune` measured fastest for each matmul shape on
this machine, kept in the build cache and read by the `tuned-schedules` pass.

One JSON file per ISA and CPU model (`<cache>/tuning/<isa>-<cpu digest>.json`), so a cache
shared by two machines never gives one the other's winners:

    {"format": 1, "isa": "avx512", "cpu": "AMD EPYC 9R14", "method": "...",
     "shapes": {"gemm q8_0/rp16 (2048+512+512)x1024 t64 q8_0-in avx512":
                  {"schedule": {"rows": 32, "tokens": 6, "streams": 1, "dot": "f32"},
                   "default": {...}, "default_us": 812.4, "best_us": 731.0}, ...}}

A shape is what a schedule applies to (see `shape_key`): the same key means the same kernel
function, built from the same schedule.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ck.dialects import kernel as kn
from ck.errors import CkError

FORMAT = 1
KNOWN_PROPERTIES = {"w_dtype", "act_dtype", "epilogue", "quantize", "last_rows", "schedule", "split",
                    "operandSegmentSizes"}
"""Matmul properties `shape_key` spells out (or, schedule and segments, leaves out on purpose)."""


def shape_key(op: kn.GemvOp | kn.GemmOp, isa: str, max_tokens: int | None) -> str:
    """What a matmul's schedule applies to, readable: `gemm q8_0/rp16 (2048+512+512)x1024 t64
    q8_0-in avx512` (kind, weight dtype/layout, rows of each weight x K, tokens, input; then
    silu_mul, bias, q8_0-out, last_rows when present; the ISA). The input is the 8-bit
    activation dtype (q8_0, or q8_k for the k-quants) or f32. A dynamic token count is the
    prefill chunk (`max_tokens`), the count the tuner timed; unknown, it is `t?`."""
    from ck.dialects.memory import layout_of
    from ck.dialects.types import shape_of

    rows = [str(shape_of(w)[0]) for w in op.w]
    tokens = shape_of(op.x[0])[0]
    if tokens < 0:
        tokens = max_tokens if max_tokens is not None else "?"
    layouts = "+".join(sorted({layout_of(w) for w in op.w}))
    parts = [
        op.name.removeprefix("kernel."),
        f"{op.w_dtype.data}/{layouts}",
        f"({'+'.join(rows)})x{shape_of(op.w[0])[1]}" if len(rows) > 1 else f"{rows[0]}x{shape_of(op.w[0])[1]}",
        f"t{tokens}",
        f"{op.act_dtype.data}-in" if op.quantized_input else "f32-in",
    ]
    parts += [op.epilogue.data] if op.epilogue is not None else []
    parts += ["bias"] if op.bias else []
    parts += [f"{op.quantize.data}-out"] if op.quantize is not None else []
    parts += ["last_rows"] if op.last_rows is not None else []
    parts += [f"split={op.split.data}"] if op.split is not None and op.split.data != "rows" else []
    parts += [f"{k}={v}" for k, v in sorted(op.properties.items()) if k not in KNOWN_PROPERTIES]
    return " ".join([*parts, isa])


def schedule_fields(s: kn.ScheduleAttr) -> dict[str, Any]:
    return {"rows": s.rows.data, "tokens": s.tokens.data, "streams": s.streams.data, "dot": s.dot.data}


def schedule_text(s: kn.ScheduleAttr) -> str:
    """`32x6` (rows x tokens) for a register tile, `16x1 s4` with streams; `bf16` when it multiplies so."""
    text = f"{s.rows.data}x{s.tokens.data}" + (f" s{s.streams.data}" if s.streams.data != 1 else "")
    return text + (" bf16" if s.bf16 else "")


@dataclass(frozen=True)
class TunedShape:
    """One shape's winner, with the default it was measured against (microseconds per call)."""

    schedule: dict[str, Any]
    default: dict[str, Any]
    default_us: float
    best_us: float

    @property
    def attr(self) -> kn.ScheduleAttr:
        return kn.ScheduleAttr(int(self.schedule["rows"]), int(self.schedule["tokens"]), int(self.schedule["streams"]),
                               str(self.schedule.get("dot", "f32")))


@dataclass
class TuningTable:
    isa: str
    cpu: str
    method: str = ""
    shapes: dict[str, TunedShape] = field(default_factory=dict)

    @staticmethod
    def load(path: str | os.PathLike[str]) -> TuningTable:
        """The table in `path`; a CkError naming the file when it is not one."""
        try:
            data = json.loads(Path(path).read_text())
        except OSError as e:
            raise CkError(f"cannot read the tuning table {path}: {e.strerror}") from None
        except ValueError as e:
            raise CkError(f"the tuning table {path} is not JSON ({e}): delete it or run `ck bench --tune` again") from None
        try:
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
            shapes = {key: TunedShape(**entry) for key, entry in data["shapes"].items()}
            for entry in shapes.values():
                entry.attr.verify()
            return TuningTable(str(data["isa"]), str(data["cpu"]), str(data.get("method", "")), shapes)
        except Exception as e:  # a hand edit or an old ck: say which file, and what to do
            raise CkError(f"the tuning table {path} is not one this ck reads ({e}): delete it or run "
                          "`ck bench --tune` again") from None

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the table atomically (a build never reads half a table)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "isa": self.isa, "cpu": self.cpu, "method": self.method,
                "shapes": {key: vars(entry) for key, entry in sorted(self.shapes.items())}}
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=1) + "\n")
        os.replace(tmp, path)


@cache
def cpu_model() -> tuple[str, str]:
    """This CPU's model name and a digest of it with its feature flags (/proc/cpuinfo's first
    processor; the platform's name elsewhere)."""
    from ck.compiler import cpu_info

    fields = cpu_info()
    name = fields.get("model name") or platform.processor() or platform.machine()
    return name, hashlib.sha256(f"{name}\n{fields.get('flags', '')}".encode()).hexdigest()[:12]


def table_path(isa: str) -> Path:
    """Where this machine's table for `isa` lives in the build cache."""
    from ck.build import cache_root

    return cache_root() / "tuning" / f"{isa}-{cpu_model()[1]}.json"


def table_digest(path: str | os.PathLike[str]) -> str:
    """sha256 of the table's bytes: part of the build key, so a new table rebuilds."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
