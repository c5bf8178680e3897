"""Time compiled kernel functions on buffers shaped like a real call's, the way a forward pass
meets them: weights from DRAM, activations in cache, one thread.

A kernel function takes its buffers (a pointer, then one int64 per dynamic dimension; a
weight as the views of its packed parts), then the thread id and count. Every buffer is made
with realistic contents (int8 quants, small positive fp16 scales, normal f32 values: no NaN,
infinity or subnormal to take a slow path). The weights come in as many copies as it takes
to exceed the last-level cache twice over, and every timed run cycles through all the
copies, so each call reads its weights from memory as a decode step does.
"""

from __future__ import annotations

import ctypes
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.dialects.builtin import MemRefType, bf16, f16, f32, i8, i32
from xdsl.ir import Attribute

from ck.dialects import kernel as kn
from ck.errors import CkError

MIN_ROTATE_BYTES = 64 << 20
"""Weight bytes one timed run cycles through, at least (twice the last-level cache when larger)."""
MAX_COPIES = 256
"""Copies of the weights, at most: weights under rotate_bytes() / 256 (256 KiB for 64 MiB; toy
models) stay in cache, where their calls, and the ~1 us a ctypes call adds to each, stay short."""
MIN_RUN_SECONDS = 2e-3
"""A timed run repeats its sweep over the copies until it lasts this long (timer resolution,
and the ~1 us of a ctypes call, become small against it)."""
NUMPY_TYPES: dict[Attribute, Any] = {f32: np.float32, f16: np.float16, bf16: np.uint16, i8: np.int8, i32: np.int32}


def last_level_cache_bytes() -> int:
    """The largest CPU cache Linux reports for cpu0 (0 when it reports none)."""
    sizes = [0]
    for path in Path("/sys/devices/system/cpu/cpu0/cache").glob("index*/size"):
        text = path.read_text().strip()
        scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
        digits = text.rstrip("KMG")
        if digits.isdigit():
            sizes.append(int(digits) * scale)
    return max(sizes)


def rotate_bytes() -> int:
    return max(MIN_ROTATE_BYTES, 2 * last_level_cache_bytes())


@dataclass
class KernelCalls:
    """The ctypes arguments of one call per weight copy, and the arrays they point into."""

    calls: list[tuple[Any, ...]]
    weight_bytes: int
    outs: list[np.ndarray]
    """The op's outputs, which every call writes."""
    arrays: list[np.ndarray] = field(default_factory=list)


def kernel_calls(op: kn.KernelOp, tokens: int, rng: np.random.Generator, rotate: int) -> KernelCalls:
    """Arguments for the kernel function of `op` (tid 0 of 1 thread) with `tokens` in every
    dynamic token dimension (one output row for a `last_rows` matmul, as generation asks for),
    and the weights in enough copies to fill `rotate` bytes."""
    from ck.lowering.kernels import kernel_args

    args = kernel_args(op)
    first_out = len(args) - len(op.outs)
    last_rows = getattr(op, "last_rows", None) is not None
    fixed: dict[int, tuple[Any, ...]] = {}  # argument -> its ctypes values, the same in every call
    weights: dict[int, np.ndarray] = {}  # argument -> a weight part, copied for every call
    arrays: list[np.ndarray] = []
    for i, arg in enumerate(args):
        if not isinstance(arg.type, MemRefType):
            raise CkError(f"cannot time {op.name}: argument {arg.name} is not a buffer ({arg.type})")
        rows = 1 if last_rows and i >= first_out else tokens
        declared = arg.type.get_shape()
        array = _contents(arg.name, arg.type.element_type, [rows if d < 0 else d for d in declared], rng)
        arrays.append(array)
        if arg.part is not None:
            weights[i] = array
        else:
            fixed[i] = (ctypes.c_void_p(array.ctypes.data), *(ctypes.c_int64(rows) for d in declared if d < 0))
    weight_bytes = sum(a.nbytes for a in weights.values())
    copies = max(1, min(MAX_COPIES, math.ceil(rotate / max(weight_bytes, 1))))
    calls: list[tuple[Any, ...]] = []
    for copy in range(copies):
        copied = {i: w if copy == 0 else w.copy() for i, w in weights.items()}
        arrays.extend(copied.values() if copy else ())
        values: list[Any] = []
        for i in range(len(args)):
            values.extend(fixed[i] if i in fixed else (ctypes.c_void_p(copied[i].ctypes.data),))
        calls.append((*values, ctypes.c_int64(0), ctypes.c_int64(1)))
    return KernelCalls(calls, weight_bytes, arrays[first_out:len(args)], arrays)


def _contents(name: str, element: Attribute, shape: list[int], rng: np.random.Generator) -> np.ndarray:
    """A buffer as a real call would see it."""
    if element not in NUMPY_TYPES:
        raise CkError(f"cannot time a kernel with a {element} buffer ({name})")
    size = int(np.prod(shape, dtype=np.int64))
    if element in (i8, i32):  # made in their own type: an lm head's quants are hundreds of MB
        high = 128 if element == i8 else 32 * 127
        values: np.ndarray = rng.integers(-high + 1, high, size, dtype=NUMPY_TYPES[element])
    elif name.endswith("scales"):
        values = rng.uniform(1e-3, 1e-2, size).astype(np.float32)
    else:
        values = rng.standard_normal(size, dtype=np.float32) * np.float32(0.5)
    if element == bf16:
        return (values.astype(np.float32).view(np.uint32) >> 16).astype(np.uint16).reshape(shape)
    return np.ascontiguousarray(values.astype(NUMPY_TYPES[element]).reshape(shape))


def time_functions(functions: list[Any], calls: KernelCalls, runs: int) -> list[list[float]]:
    """Seconds per call of each function over `runs` timed runs, interleaved: run r times every
    function once (in alternating order), so a change in the machine's load hits them alike."""
    for fn in functions:  # warm-up: page faults, instruction caches, frequency
        fn.restype = None
        _sweep(fn, calls.calls, 1)
    start = time.perf_counter()
    _sweep(functions[0], calls.calls, 1)
    sweeps = max(1, math.ceil(MIN_RUN_SECONDS / max(time.perf_counter() - start, 1e-9)))
    seconds: list[list[float]] = [[] for _ in functions]
    for r in range(runs):
        order = list(range(len(functions)))
        for i in order if r % 2 == 0 else reversed(order):
            start = time.perf_counter()
            _sweep(functions[i], calls.calls, sweeps)
            seconds[i].append((time.perf_counter() - start) / (sweeps * len(calls.calls)))
    return seconds


def _sweep(fn: Any, calls: list[tuple[Any, ...]], sweeps: int) -> None:
    for _ in range(sweeps):
        for args in calls:
            fn(*args)
