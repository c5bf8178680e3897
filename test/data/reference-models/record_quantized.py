"""Record the llama.cpp-quantized reference models and their logits (run once, by hand).

Needs llama-cpp-python (0.3.36 was used), torch and transformers:

    python test/data/reference-models/record_quantized.py [q4_0 q4_1 ...]

For each file type: ck.testing writes a random f32 qwen3 model, llama.cpp's own quantizer
(`llama_model_quantize`, no imatrix, its standard mix) makes NAME.gguf from it; NAME.npz holds
24 token ids, llama.cpp's logits on NAME.gguf (f32 KV cache, flash attention off, all logits)
and transformers' (fp32, eager) on the weights gguf-py dequantizes from NAME.gguf.
"""

from __future__ import annotations

import ctypes
import json
import sys
import tempfile
from pathlib import Path

import llama_cpp
import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize

from ck.testing import ModelSpec, hf_name, write_gguf

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent / "python"))
from hf_oracle import hf_logits

# Rows of 256, so every k-quant applies without fallback. One layer keeps the four files under
# 2 MB; Q4_K_M / Q5_K_M still mix types (use_more_bits gives layer 0 of 1 a Q6_K attn_v and ffn_down).
SPEC = ModelSpec(arch="qwen3", vocab=320, dim=256, ffn=256, layers=1, heads=4, kv_heads=2, head_dim=64,
                 tied=False, rope_theta=1e6, rms_eps=1e-6)
FTYPES = {"q4_0": 2, "q4_1": 3, "q5_0": 8, "q5_1": 9, "q4_k_m": 15, "q5_k_m": 17, "q6_k": 18}
SEED = 7


def quantize(src: Path, dst: Path, ftype: int) -> None:
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype
    params.nthread = 2
    if llama_cpp.llama_model_quantize(str(src).encode(), str(dst).encode(), ctypes.byref(params)) != 0:
        raise RuntimeError(f"llama_model_quantize failed for ftype {ftype}")


def llama_cpp_logits(path: Path, ids: list[int]) -> np.ndarray:
    llm = llama_cpp.Llama(str(path), n_ctx=64, n_batch=64, logits_all=True, flash_attn=False,
                          type_k=llama_cpp.GGML_TYPE_F32, type_v=llama_cpp.GGML_TYPE_F32,
                          n_threads=2, seed=0, verbose=False)
    llm.eval(ids)
    return np.array(llm.scores[: len(ids)], dtype=np.float32)


def dequantized_hf_weights(path: Path) -> dict[str, np.ndarray]:
    out = {}
    for t in GGUFReader(path).tensors:
        shape = tuple(int(d) for d in reversed(t.shape))
        out[hf_name(t.name)] = dequantize(np.array(t.data), t.tensor_type).astype(np.float32).reshape(shape)
    return out


def main() -> None:
    llama_cpp.llama_backend_init()
    ids = np.random.default_rng(SEED).integers(0, SPEC.vocab, 24).tolist()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "f32.gguf"
        write_gguf(src, SPEC, seed=SEED)
        for dtype, ftype in FTYPES.items():
            if len(sys.argv) > 1 and dtype not in sys.argv[1:]:  # record only the named file types
                continue
            name = f"qwen3_small_{dtype}"
            gguf = HERE / f"{name}.gguf"
            quantize(src, gguf, ftype)
            ours = llama_cpp_logits(gguf, ids)
            theirs = hf_logits(SPEC, dequantized_hf_weights(gguf), ids)
            np.savez_compressed(HERE / f"{name}.npz", ids=np.array(ids, dtype=np.int64),
                                transformers_logits=theirs, llama_cpp_logits=ours)
            meta = {"arch": SPEC.arch, "dtype": dtype, "vocab": SPEC.vocab, "dim": SPEC.dim, "ffn": SPEC.ffn,
                    "layers": SPEC.layers, "heads": SPEC.heads, "kv": SPEC.kv_heads, "head_dim": SPEC.hd,
                    "theta": SPEC.rope_theta, "tied": SPEC.tied, "llama_ftype": ftype,
                    "tensor_types": {t.name: t.tensor_type.name for t in GGUFReader(gguf).tensors}}
            (HERE / f"{name}.json").write_text(json.dumps(meta) + "\n")
            diff = np.abs(ours - theirs)
            rel = np.linalg.norm(ours - theirs) / np.linalg.norm(theirs)
            same = (ours.argmax(-1) == theirs.argmax(-1)).mean()
            print(f"{name}: {gguf.stat().st_size} bytes; max abs {diff.max():.2g} / rel L2 {rel:.2g} / "
                  f"same argmax {same:.0%}")


if __name__ == "__main__":
    main()
