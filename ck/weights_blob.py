"""weights.bump: the model's weights packed at the offsets memory-level IR records.

Each `memory.weight` names a GGUF tensor, an offset and a packed type; the parts of
the packed layout (`memory.weight_parts`) are written from the GGUF bytes: dense
dtypes as stored, q8_0 as all row scales (fp16) then all int8 quants, 1-D weights
as f32.
"""

from __future__ import annotations

import os

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from ck.dialects import memory as mem
from ck.dialects.types import WeightType
from ck.gguf_file import GGUFFile


def packed_parts(gguf: GGUFFile, name: str, typ: WeightType) -> dict[str, np.ndarray]:
    """The arrays of each part of `name` packed as `typ`."""
    info = gguf.tensors[name]
    if typ.storage == "q8_0":
        n, k = typ.get_shape()
        blocks = np.asarray(gguf.raw(name), dtype=np.uint8).reshape(n, k // 32, 34)
        scales = blocks[:, :, :2].copy().view(np.float16).reshape(n, k // 32)
        quants = blocks[:, :, 2:].copy().view(np.int8).reshape(n, k)
        return {"scales": scales, "quants": quants}
    if typ.storage == info.dtype and info.dtype in ("f16", "bf16"):
        raw = np.asarray(gguf.raw(name))
        return {"data": raw.view(np.uint16 if info.dtype == "bf16" else np.float16).reshape(typ.get_shape())}
    return {"data": gguf.tensor_f32(name).astype(np.float32)}


def write_weights(module: ModuleOp, gguf: GGUFFile, path: str | os.PathLike[str]) -> int:
    """Write weights.bump for `module` (after plan-memory); returns its size in bytes."""
    size = 0
    placed: dict[int, mem.WeightOp] = {}
    for op in module.walk():
        if isinstance(op, mem.WeightOp):
            placed.setdefault(op.offset.value.data, op)
            size = max(size, op.offset.value.data + op.size.value.data)
    blob = np.zeros(mem.align(size), dtype=np.uint8)
    for offset, op in placed.items():
        typ = op.result.type
        assert isinstance(typ, WeightType)
        arrays = packed_parts(gguf, op.tensor_name.data, typ)
        for part, (part_offset, _) in mem.weight_parts(typ).items():
            data = np.ascontiguousarray(arrays[part]).view(np.uint8).reshape(-1)
            start = offset + part_offset
            blob[start : start + data.size] = data
    tmp = f"{os.fspath(path)}.tmp"
    blob.tofile(tmp)
    os.replace(tmp, path)
    return int(blob.size)
