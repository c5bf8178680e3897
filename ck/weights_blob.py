"""weights.bump: the model's weights packed at the offsets memory-level IR records.

Each `memory.weight` names a GGUF tensor, an offset, a packed type and a layout; the
parts of the packed layout (`memory.weight_parts`) are written from the GGUF bytes:
dense dtypes as stored, 1-D weights as f32, q8_0 in the `rows` layout as all row scales
(fp16) then all int8 quants, in the `rp16` layout as groups of 16 rows interleaved for
int8 dot products (quants stored as q + 128); the 4- to 6-bit block types unpacked to f32
scales (and mins) and int8 quants (`ck.block_quants`), in either layout.
"""

from __future__ import annotations

import os

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from ck.block_quants import affine_rp16, unpack_affine
from ck.dialects import memory as mem
from ck.dialects.types import AFFINE_DTYPES, WeightType
from ck.gguf_file import GGUFFile


def packed_parts(gguf: GGUFFile, name: str, typ: WeightType, layout: str = "rows") -> dict[str, np.ndarray]:
    """The arrays of each part of `name` packed as `typ` in `layout`."""
    info = gguf.tensors[name]
    if typ.storage == "q8_0":
        n, k = typ.get_shape()
        nb = k // 32
        blocks = np.asarray(gguf.raw(name), dtype=np.uint8).reshape(n, nb, 34)
        scales = blocks[:, :, :2].copy().view(np.float16).reshape(n, nb)
        quants = blocks[:, :, 2:].copy().view(np.int8).reshape(n, k)
        if layout == "rp16":
            return rp16(scales, quants)
        return {"scales": scales, "quants": quants}
    if typ.storage in AFFINE_DTYPES:
        parts = unpack_affine(np.asarray(gguf.raw(name)), typ.storage, *typ.get_shape())
        return affine_rp16(parts, typ.storage) if layout == "rp16" else parts
    if typ.storage == info.dtype and info.dtype in ("f16", "bf16"):
        raw = np.asarray(gguf.raw(name))
        return {"data": raw.view(np.uint16 if info.dtype == "bf16" else np.float16).reshape(typ.get_shape())}
    return {"data": gguf.tensor_f32(name).astype(np.float32)}


def rp16(scales: np.ndarray, quants: np.ndarray) -> dict[str, np.ndarray]:
    """q8_0 rows (scales [N, K/32] fp16, quants [N, K] int8) in the rp16 layout: scales
    [N/16, K/32, 16]; quants [N/16, K/32, 512] as [k-step of 4][row of 16][4 bytes], + 128."""
    n, k = quants.shape
    g, nb = n // 16, k // 32
    s = scales.reshape(g, 16, nb).transpose(0, 2, 1)
    q = quants.reshape(g, 16, nb, 8, 4).transpose(0, 2, 3, 1, 4).reshape(g, nb, 512)
    return {"scales": np.ascontiguousarray(s), "quants": np.ascontiguousarray(q.view(np.uint8) ^ np.uint8(0x80))}


def placed_weights(module: ModuleOp) -> dict[int, mem.WeightOp]:
    """The `memory.weight` ops by offset (decode and prefill share each weight's bytes)."""
    placed: dict[int, mem.WeightOp] = {}
    for op in module.walk():
        if isinstance(op, mem.WeightOp):
            placed.setdefault(op.offset.value.data, op)
    return placed


def blob_bytes(module: ModuleOp) -> int:
    """Size of weights.bump for `module`: the end of the last weight, aligned."""
    ends = (o.offset.value.data + o.size.value.data for o in module.walk() if isinstance(o, mem.WeightOp))
    return mem.align(max(ends, default=0))


def placement(module: ModuleOp) -> list[tuple[str, int, int, str, str]]:
    """What decides the blob's bytes besides the GGUF: each weight's tensor, offset, size,
    layout and packed type. Two modules with the same placement get the same blob."""
    return sorted(
        {
            (op.tensor_name.data, op.offset.value.data, op.size.value.data, op.layout_name, str(op.result.type))
            for op in module.walk()
            if isinstance(op, mem.WeightOp)
        }
    )


def write_weights(module: ModuleOp, gguf: GGUFFile, path: str | os.PathLike[str]) -> int:
    """Write weights.bump for `module` (after plan-memory), atomically; returns its size in bytes."""
    placed = placed_weights(module)
    blob = np.zeros(blob_bytes(module), dtype=np.uint8)
    for offset, op in placed.items():
        typ = op.result.type
        assert isinstance(typ, WeightType)
        arrays = packed_parts(gguf, op.tensor_name.data, typ, op.layout_name)
        for part, (part_offset, _) in mem.weight_parts(typ, op.layout_name).items():
            data = np.ascontiguousarray(arrays[part]).view(np.uint8).reshape(-1)
            start = offset + part_offset
            blob[start : start + data.size] = data
    from pathlib import Path

    from ck.build_cache import publishing

    with publishing(Path(path)) as tmp:  # a name of its own: two builds may write the same shared blob
        blob.tofile(tmp)
    return int(blob.size)
