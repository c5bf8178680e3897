"""Reading a GGUF file: metadata, the tensor table and tensor data, with errors a user can act on.

Wraps PyPI `gguf`'s reader. Shapes are given in logical (PyTorch) order: GGUF
lists dimensions fastest-first, so a Linear weight [out, in] is stored as
ne = [in, out] and reported here as (out, in).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from gguf import GGMLQuantizationType, GGUFReader, GGUFValueType
from gguf.quants import dequantize

from ck.errors import GGUFError

# GGML storage types ck can run, by the name the IR uses.
SUPPORTED_DTYPES: dict[GGMLQuantizationType, str] = {
    GGMLQuantizationType.F32: "f32",
    GGMLQuantizationType.F16: "f16",
    GGMLQuantizationType.BF16: "bf16",
    GGMLQuantizationType.Q8_0: "q8_0",
}

GGUF_MAGIC = b"GGUF"


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


class GGUFFile:
    """An opened GGUF model file (memory-mapped; nothing is read until asked)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise GGUFError(f"{self.path}: no such file")
        if self.path.is_dir():
            raise GGUFError(f"{self.path}: is a directory, not a GGUF file")
        size = self.path.stat().st_size
        with open(self.path, "rb") as f:
            magic = f.read(4)
        if magic != GGUF_MAGIC:
            raise GGUFError(
                f"{self.path}: not a GGUF file (starts with {magic!r}, expected {GGUF_MAGIC!r})"
            )
        try:
            self._reader = GGUFReader(self.path)
        except (ValueError, IndexError, OverflowError, EOFError) as e:
            raise GGUFError(
                f"{self.path}: truncated or corrupt GGUF file ({size} bytes): {e}"
            ) from None
        self.tensors: dict[str, TensorInfo] = {}
        self._data: dict[str, np.ndarray] = {}
        for t in self._reader.tensors:
            info = TensorInfo(
                name=t.name,
                ggml_type=GGMLQuantizationType(t.tensor_type),
                shape=tuple(int(d) for d in reversed(t.shape.tolist())),
                offset=int(t.data_offset),
                n_bytes=int(t.n_bytes),
            )
            if info.offset + info.n_bytes > size:
                raise GGUFError(
                    f"{self.path}: truncated GGUF file: tensor '{t.name}' needs bytes up to "
                    f"{info.offset + info.n_bytes}, the file has {size}"
                )
            self.tensors[t.name] = info
            self._data[t.name] = t.data

    @cached_property
    def metadata(self) -> dict[str, Any]:
        """Every key-value pair, decoded to Python values (arrays as lists)."""
        out: dict[str, Any] = {}
        for key, field in self._reader.fields.items():
            if key.startswith("GGUF."):
                continue
            out[key] = _field_value(field)
        return out

    @property
    def architecture(self) -> str:
        arch = self.metadata.get("general.architecture")
        if not isinstance(arch, str):
            raise GGUFError(f"{self.path}: GGUF file has no general.architecture key")
        return arch

    def raw(self, name: str) -> np.ndarray:
        """The stored bytes/elements of a tensor, as the reader maps them."""
        return np.asarray(self._data[name])

    def tensor_f32(self, name: str) -> np.ndarray:
        """A tensor dequantized to float32, in logical shape."""
        info = self.tensors[name]
        data = self.raw(name)
        if info.ggml_type == GGMLQuantizationType.F32:
            arr = np.asarray(data, dtype=np.float32)
        elif info.ggml_type == GGMLQuantizationType.F16:
            arr = np.asarray(data, dtype=np.float16).astype(np.float32)
        else:
            arr = dequantize(data, info.ggml_type).astype(np.float32)
        return arr.reshape(info.shape)

    def digest(self) -> str:
        """sha256 of the whole file: metadata, tensor table and tensor data."""
        h = hashlib.sha256()
        with open(self.path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 22), b""):
                h.update(chunk)
        return h.hexdigest()


def _field_value(field: Any) -> Any:
    types = field.types
    if not types:
        return None
    if types[0] == GGUFValueType.ARRAY:
        return list(field.contents())
    return field.contents()
