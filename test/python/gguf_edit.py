"""Rewrite a GGUF file with one thing wrong, to test the importer's error messages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType, GGUFReader, GGUFValueType, GGUFWriter


def rewrite(
    src: Path,
    dst: Path,
    *,
    arch: str | None = None,
    drop: str | None = None,
    replace: dict[str, tuple[np.ndarray, GGMLQuantizationType]] | None = None,
    extra: dict[str, np.ndarray] | None = None,
) -> Path:
    """Copy `src` to `dst`, renaming the architecture, dropping or replacing tensors."""
    reader = GGUFReader(src)
    old_arch = reader.fields["general.architecture"].contents()
    new_arch = arch or old_arch
    writer = GGUFWriter(str(dst), new_arch)
    for key, field in reader.fields.items():
        if key.startswith("GGUF.") or key == "general.architecture":
            continue
        name = key.replace(f"{old_arch}.", f"{new_arch}.", 1)
        vtype = field.types[0]
        if vtype == GGUFValueType.ARRAY:
            writer.add_key_value(name, field.contents(), vtype, sub_type=field.types[-1])
        else:
            writer.add_key_value(name, field.contents(), vtype)
    for t in reader.tensors:
        if t.name == drop:
            continue
        if replace and t.name in replace:
            data, qtype = replace[t.name]
            writer.add_tensor(t.name, data, raw_dtype=qtype)
            continue
        writer.add_tensor(t.name, np.asarray(t.data), raw_dtype=GGMLQuantizationType(t.tensor_type))
    for name, data in (extra or {}).items():
        writer.add_tensor(name, data)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return dst


ModelEdit = Callable[[Path, Path], Path]
