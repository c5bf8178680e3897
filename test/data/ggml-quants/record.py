"""Record what llama.cpp's own quantizer makes of ck.testing's f32 files (run once, by hand).

Needs llama-cpp-python (0.3.36 was used); CI only reads what this writes:
- quants.npz: `input`, an f32 [64, 256] matrix whose rows include edge cases, and for each
  type (Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K) the bytes llama.cpp stored for it;
- mixes.json: the type llama.cpp gave every tensor of three small qwen3 models, per file type
  (with and without --pure): `tensors` lists the names, each entry of `types` their types in
  that order. A file type llama.cpp refuses for a model (no fallback for its rows) is missing.

    python test/data/ggml-quants/record.py
"""

from __future__ import annotations

import ctypes
import json
import tempfile
from pathlib import Path

import llama_cpp
import numpy as np
from gguf import GGUFReader

from ck.testing import ModelSpec, random_hf_weights, write_gguf

HERE = Path(__file__).parent
# llama_ftype numbers; with pure=True the *_S ftypes give plain Q4_K / Q5_K everywhere
PURE_FTYPES = {"Q4_0": 2, "Q4_1": 3, "Q5_0": 8, "Q5_1": 9, "Q4_K": 14, "Q5_K": 16, "Q6_K": 18}
MIX_FTYPES = {"Q4_0": 2, "Q4_1": 3, "Q8_0": 7, "Q5_0": 8, "Q5_1": 9, "Q4_K_S": 14, "Q4_K_M": 15,
              "Q5_K_S": 16, "Q5_K_M": 17, "Q6_K": 18}
# widths multiple of 256 and 8 layers, so use_more_bits shows; the third has rows of 128 and 80
MIX_MODELS = {
    "qwen3_8l_untied": ModelSpec(vocab=320, dim=256, ffn=512, layers=8, heads=4, kv_heads=2, head_dim=64, tied=False),
    "qwen3_8l_tied": ModelSpec(vocab=320, dim=256, ffn=512, layers=8, heads=4, kv_heads=2, head_dim=64, tied=True),
    "qwen3_odd_rows": ModelSpec(vocab=320, dim=128, ffn=80, layers=2, heads=2, kv_heads=1, head_dim=64, tied=False),
}


def edge_case_matrix(seed: int = 0) -> np.ndarray:
    """[64, 256]: all zeros, constants, one huge outlier, one sign only, tiny and small values, ..."""
    rng = np.random.default_rng(seed)
    m = rng.standard_normal((64, 256)).astype(np.float32) * 0.05
    m[0] = 0
    m[1] = 0.37
    m[2] = -0.37
    m[3, 77] = 1000.0
    m[4] = -np.abs(m[4])
    m[5] = np.abs(m[5])
    m[6] *= 1e-30  # below fp16's range: the scales round to 0
    m[7] *= 1e-4
    m[8] = rng.integers(-3, 4, 256)
    m[9] = np.where(rng.random(256) < 0.9, 0, m[9])
    m[10, :32] = 0  # one zero sub-block in an otherwise normal row
    m[11] = rng.standard_t(2, 256) * 0.05  # heavy tails
    m[12] = rng.standard_normal(256) * 100
    m[13, ::2] = 0.5
    m[13, 1::2] = -0.5
    return m


def quantize(src: Path, dst: Path, ftype: int, pure: bool) -> None:
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype
    params.pure = pure
    params.nthread = 2
    rc = llama_cpp.llama_model_quantize(str(src).encode(), str(dst).encode(), ctypes.byref(params))
    if rc != 0:
        raise RuntimeError(f"llama_model_quantize failed ({rc}) for ftype {ftype}")


def tensor_types(path: Path) -> dict[str, str]:
    return {t.name: t.tensor_type.name for t in GGUFReader(path).tensors}


def main() -> None:
    llama_cpp.llama_backend_init()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        spec = ModelSpec(vocab=320, dim=256, ffn=256, layers=1, heads=4, kv_heads=1, head_dim=64, tied=True)
        weights = random_hf_weights(spec)
        matrix = edge_case_matrix()
        weights["model.layers.0.self_attn.k_proj.weight"] = matrix
        src = tmpdir / "f32.gguf"
        write_gguf(src, spec, weights)
        arrays = {"input": matrix}
        for name, ftype in PURE_FTYPES.items():
            dst = tmpdir / f"{name}.gguf"
            quantize(src, dst, ftype, pure=True)
            (t,) = [t for t in GGUFReader(dst).tensors if t.name == "blk.0.attn_k.weight"]
            assert t.tensor_type.name == name, (name, t.tensor_type.name)
            arrays[name] = np.array(t.data, dtype=np.uint8)
        np.savez_compressed(HERE / "quants.npz", **arrays)

        mixes: dict[str, object] = {"llama_cpp_python": llama_cpp.__version__, "models": {}}
        for model, spec in MIX_MODELS.items():
            src = tmpdir / f"{model}.gguf"
            write_gguf(src, spec)
            names = [t.name for t in GGUFReader(src).tensors]
            entry: dict[str, object] = {"spec": {k: getattr(spec, k) for k in (
                "vocab", "dim", "ffn", "layers", "heads", "kv_heads", "head_dim", "tied")},
                "tensors": " ".join(names), "types": {}}
            for ftype_name, ftype in MIX_FTYPES.items():
                for pure in (False, True):
                    dst = tmpdir / f"{model}-{ftype_name}-{pure}.gguf"
                    try:
                        quantize(src, dst, ftype, pure)
                    except RuntimeError:
                        continue  # no fallback in llama.cpp for this ftype and these rows
                    key = ftype_name + ("-pure" if pure else "")
                    types = tensor_types(dst)
                    entry["types"][key] = " ".join(types[n] for n in names)  # type: ignore[index]
            mixes["models"][model] = entry  # type: ignore[index]
        (HERE / "mixes.json").write_text(json.dumps(mixes, indent=1) + "\n")


if __name__ == "__main__":
    main()
