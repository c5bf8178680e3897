"""Reading a GGUF file: metadata, the tensor table and tensor data, with errors a user can act on.

A small reader of our own over a memory map, rather than gguf-py's GGUFReader,
which builds a numpy view per string and takes ~8 s to open a file carrying the
151,936-token Qwen3 vocabulary (this takes ~0.2 s). gguf-py still dequantizes.
Shapes are given in logical (PyTorch) order: GGUF lists dimensions fastest-first,
so a Linear weight [out, in] is stored as ne = [in, out] and reported as (out, in).
"""

from __future__ import annotations

import hashlib
import math
import mmap
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from gguf import GGML_QUANT_SIZES, GGMLQuantizationType
from gguf.quants import dequantize

from ck.errors import GGUFError

# GGML storage types ck can run, by the name the IR uses.
SUPPORTED_DTYPES: dict[GGMLQuantizationType, str] = {
    GGMLQuantizationType.F32: "f32",
    GGMLQuantizationType.F16: "f16",
    GGMLQuantizationType.BF16: "bf16",
    GGMLQuantizationType.Q8_0: "q8_0",
    GGMLQuantizationType.Q4_0: "q4_0",
    GGMLQuantizationType.Q4_1: "q4_1",
    GGMLQuantizationType.Q5_0: "q5_0",
    GGMLQuantizationType.Q5_1: "q5_1",
    GGMLQuantizationType.Q4_K: "q4_k",
    GGMLQuantizationType.Q5_K: "q5_k",
    GGMLQuantizationType.Q6_K: "q6_k",
}

GGUF_MAGIC = b"GGUF"
DEFAULT_ALIGNMENT = 32  # general.alignment when absent
MAX_DIMS = 4  # GGML_MAX_DIMS

_SCALAR = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
_STRING, _ARRAY = 8, 9


@dataclass(frozen=True)
class TensorInfo:
    """One entry of the tensor table."""

    name: str
    ggml_type: GGMLQuantizationType
    shape: tuple[int, ...]  # logical order: [out, in] for a matrix
    offset: int  # absolute byte offset of the data in the file
    n_bytes: int

    @property
    def type_name(self) -> str:
        return self.ggml_type.name.lower()

    @property
    def dtype(self) -> str | None:
        """ck's name of the storage dtype, or None when ck cannot run it."""
        return SUPPORTED_DTYPES.get(self.ggml_type)


class _Cursor:
    """Reads GGUF values from a buffer, checking every read stays inside the file."""

    def __init__(self, buf: mmap.mmap, size: int, endian: str) -> None:
        self.buf, self.size, self.e, self.off = buf, size, endian, 0
        self.u64, self.u32 = struct.Struct(endian + "Q"), struct.Struct(endian + "I")

    def take(self, st: struct.Struct) -> tuple[Any, ...]:
        if self.off + st.size > self.size:
            raise ValueError(f"reading {st.size} bytes at offset {self.off} runs past the end")
        values = st.unpack_from(self.buf, self.off)
        self.off += st.size
        return values

    def uint64(self) -> int:
        return int(self.take(self.u64)[0])

    def uint32(self) -> int:
        return int(self.take(self.u32)[0])

    def string(self) -> str:
        n = self.uint64()
        end = self.off + n
        if end > self.size:
            raise ValueError(f"a string of {n} bytes at offset {self.off} runs past the end")
        text = self.buf[self.off : end].decode("utf-8")
        self.off = end
        return text

    def value(self, key: str) -> Any:
        vtype = self.uint32()
        if vtype == _ARRAY:
            etype, count = self.uint32(), self.uint64()
            if etype == _STRING:  # each string takes at least its 8-byte length: the loop is bounded
                return [self.string() for _ in range(count)]
            if etype in _SCALAR:
                n_bytes = count * struct.calcsize(_SCALAR[etype])
                if self.off + n_bytes > self.size:
                    raise ValueError(f"key '{key}': an array of {count} values at offset {self.off} runs past the end")
                return list(self.take(struct.Struct(f"{self.e}{count}{_SCALAR[etype]}")))
            raise ValueError(f"key '{key}': unsupported array element type {etype}")
        if vtype == _STRING:
            return self.string()
        if vtype in _SCALAR:
            return self.take(struct.Struct(self.e + _SCALAR[vtype]))[0]
        raise ValueError(f"key '{key}': unknown value type {vtype}")


def _open_checked(path: Path) -> None:
    if not path.exists():
        raise GGUFError(f"{path}: no such file")
    if path.is_dir():
        raise GGUFError(f"{path}: is a directory, not a GGUF file")
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic != GGUF_MAGIC:
        raise GGUFError(f"{path}: not a GGUF file (starts with {magic!r}, expected {GGUF_MAGIC!r})")


def _parse(path: Path, with_tensors: bool) -> tuple[dict[str, Any], dict[str, TensorInfo]]:
    _open_checked(path)
    size = path.stat().st_size
    try:
        with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            (version,) = struct.unpack_from("<I", buf, 4)
            endian = "<" if version & 0xFFFF else ">"  # big-endian files read as version << 24
            cur = _Cursor(buf, size, endian)
            cur.off = 4
            version = cur.uint32()
            if version not in (2, 3):
                raise ValueError(f"unsupported GGUF version {version}")
            n_tensors, n_kv = cur.uint64(), cur.uint64()
            metadata = {}
            for _ in range(n_kv):  # every entry takes at least 12 bytes: the loop is bounded by the file
                key = cur.string()
                if key in metadata:
                    raise GGUFError(f"{path}: metadata key '{key}' appears twice")
                metadata[key] = cur.value(key)
            tensors: dict[str, TensorInfo] = {}
            if not with_tensors:
                return metadata, tensors
            table = []
            for _ in range(n_tensors):
                name = cur.string()
                n_dims = cur.uint32()
                if n_dims > MAX_DIMS:
                    raise GGUFError(f"{path}: tensor '{name}' has {n_dims} dimensions (GGUF allows at most {MAX_DIMS})")
                dims = [cur.uint64() for _ in range(n_dims)]
                table.append((name, dims, cur.uint32(), cur.uint64()))
            alignment = _alignment(path, metadata)
            data_start = -(-cur.off // alignment) * alignment
    except (struct.error, ValueError, UnicodeDecodeError, OverflowError, IndexError) as e:
        raise GGUFError(f"{path}: truncated or corrupt GGUF file ({size} bytes): {e}") from None
    for name, dims, type_id, rel in table:
        if name in tensors:
            raise GGUFError(f"{path}: tensor '{name}' appears twice in the tensor table")
        tensors[name] = _tensor_info(path, size, name, dims, type_id, data_start, rel, alignment)
    return metadata, tensors


def _alignment(path: Path, metadata: dict[str, Any]) -> int:
    """general.alignment: a power of two (llama.cpp's rule), 32 when absent."""
    value = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0 or value & (value - 1):
        raise GGUFError(f"{path}: general.alignment = {value!r} must be a power of two")
    return value


def _tensor_info(
    path: Path, size: int, name: str, dims: list[int], type_id: int, data_start: int, rel: int, alignment: int
) -> TensorInfo:
    """One tensor table entry, checked: its type is known, its rows fill whole blocks, its data
    is aligned and lies inside the file. Sizes are Python ints, so a product cannot wrap around."""
    try:
        ggml_type = GGMLQuantizationType(type_id)
    except ValueError:
        raise GGUFError(f"{path}: tensor '{name}' has an unknown GGML type {type_id}") from None
    if ggml_type not in GGML_QUANT_SIZES:
        raise GGUFError(f"{path}: tensor '{name}' has GGML type {ggml_type.name}, which has no storage size")
    block, type_size = GGML_QUANT_SIZES[ggml_type]
    if dims and dims[0] % block:
        raise GGUFError(f"{path}: tensor '{name}' rows of {dims[0]} do not fill {ggml_type.name} blocks")
    n_bytes = math.prod(dims) // block * type_size
    if rel % alignment:
        raise GGUFError(f"{path}: tensor '{name}' data offset {rel} is not a multiple of general.alignment {alignment}")
    if data_start + rel + n_bytes > size:
        shape = " x ".join(map(str, reversed(dims)))
        raise GGUFError(
            f"{path}: truncated GGUF file: tensor '{name}' ({shape} {ggml_type.name}) needs bytes up to "
            f"{data_start + rel + n_bytes}, the file has {size}"
        )
    return TensorInfo(name, ggml_type, tuple(reversed(dims)), data_start + rel, n_bytes)


def read_gguf_metadata(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The key-value metadata of a GGUF file (no tensor table): enough for a tokenizer."""
    return _parse(Path(path), with_tensors=False)[0]


class GGUFFile:
    """An opened GGUF model file (memory-mapped; tensor data is read only when asked)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.metadata, self.tensors = _parse(self.path, with_tensors=True)
        self._map: np.memmap | None = None

    @property
    def architecture(self) -> str:
        arch = self.metadata.get("general.architecture")
        if not isinstance(arch, str):
            raise GGUFError(f"{self.path}: GGUF file has no general.architecture key")
        return arch

    def raw(self, name: str) -> np.ndarray:
        """The stored data of a tensor: f32/f16 as such in logical shape, others as bytes per row."""
        info = self.tensors[name]
        if self._map is None:
            self._map = np.memmap(self.path, dtype=np.uint8, mode="r")
        data = self._map[info.offset : info.offset + info.n_bytes]
        if info.ggml_type == GGMLQuantizationType.F32:
            return data.view(np.float32).reshape(info.shape)
        if info.ggml_type == GGMLQuantizationType.F16:
            return data.view(np.float16).reshape(info.shape)
        rows = int(np.prod(info.shape[:-1], dtype=np.int64)) if len(info.shape) > 1 else 1
        return data.reshape(rows, -1)

    def tensor_f32(self, name: str) -> np.ndarray:
        """A tensor dequantized to float32, in logical shape."""
        info = self.tensors[name]
        data = self.raw(name)
        if info.ggml_type in (GGMLQuantizationType.F32, GGMLQuantizationType.F16):
            return np.asarray(data, dtype=np.float32).reshape(info.shape)
        return dequantize(np.asarray(data), info.ggml_type).astype(np.float32).reshape(info.shape)

    def digest(self) -> str:
        """sha256 of the whole file: metadata, tensor table and tensor data."""
        h = hashlib.sha256()
        with open(self.path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 22), b""):
                h.update(chunk)
        return h.hexdigest()
