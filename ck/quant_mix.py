"""Which ggml type each tensor gets in llama.cpp's quantization mixes (`llama-quantize` without imatrix).

Follows `llama_tensor_get_type` and `tensor_type_fallback` in llama.cpp's `src/llama-quant.cpp`
for dense qwen2/qwen3/llama models and the file types below, so test models are laid out as
llama.cpp lays out the files people download:

- only 2-D tensors whose names end in `weight` (and not `_norm.weight`) are quantized; the
  others keep their type (f32 in ck's test files);
- `output.weight`, and `token_embd.weight` when there is no output.weight (tied), become Q6_K
  (Q8_0 when the file type is Q8_0, or when the row is not a multiple of the type's block);
- Q4_K_M / Q5_K_M: `attn_v` and `ffn_down` of the layers `use_more_bits` picks become Q6_K;
  Q4_K_S: `attn_v` of layers 0-3 and `ffn_down` of the first n_layer/8 layers become Q5_K;
- llama with 80 layers and grouped-query attention (llama.cpp's 70B type): Q4_K attn_v -> Q5_K;
- `pure` (llama-quantize --pure) skips all of that: every quantizable tensor gets the default type;
- last, a row length that is not a multiple of the type's block falls back: Q4_K -> Q5_0,
  Q5_K -> Q5_1, Q6_K -> Q8_0, and to F16 when the fallback's 32-wide block does not fit either
  (the 32-wide types go straight to F16).

Layer order: llama.cpp counts attn_v / ffn_down tensors in file order sorted by layer, which for
a dense model is the layer index in the tensor's name.
"""

from __future__ import annotations

import re

from gguf import GGMLQuantizationType as T
from gguf.constants import GGML_QUANT_SIZES

# llama_ftype numbers (llama.h) -> the default tensor type (llama_ftype_get_default_type)
FTYPES: dict[str, tuple[int, T]] = {
    "Q4_0": (2, T.Q4_0),
    "Q4_1": (3, T.Q4_1),
    "Q8_0": (7, T.Q8_0),
    "Q5_0": (8, T.Q5_0),
    "Q5_1": (9, T.Q5_1),
    "Q4_K_S": (14, T.Q4_K),
    "Q4_K_M": (15, T.Q4_K),
    "Q5_K_S": (16, T.Q5_K),
    "Q5_K_M": (17, T.Q5_K),
    "Q6_K": (18, T.Q6_K),
}

_FALLBACK = {T.Q4_K: T.Q5_0, T.Q5_K: T.Q5_1, T.Q6_K: T.Q8_0}
_LAYER = re.compile(r"blk\.(\d+)\.")


def use_more_bits(i_layer: int, n_layer: int) -> bool:
    """llama.cpp's choice of layers that get more bits: the first and last eighth, and every third between."""
    return i_layer < n_layer // 8 or i_layer >= 7 * n_layer // 8 or (i_layer - n_layer // 8) % 3 == 2


def quantizable(name: str, shape: tuple[int, ...]) -> bool:
    """`tensor_allows_quantization` for the tensors of a dense qwen2/qwen3/llama/gpt2 model
    (a learned position embedding stays as it is)."""
    return (len(shape) >= 2 and name.endswith("weight") and "_norm.weight" not in name
            and name != "position_embd.weight")


def fallback_type(qtype: T, row: int) -> T:
    """`tensor_type_fallback`: a type whose block divides `row`."""
    if row % GGML_QUANT_SIZES[qtype][0] == 0:
        return qtype
    qtype = _FALLBACK.get(qtype, T.F16)
    return qtype if row % GGML_QUANT_SIZES[qtype][0] == 0 else T.F16


def tensor_types(
    ftype: str,
    tensors: dict[str, tuple[int, ...]],
    n_layer: int,
    *,
    pure: bool = False,
    arch: str = "qwen3",
    n_head: int | None = None,
    n_head_kv: int | None = None,
    unquantized: T = T.F32,
) -> dict[str, T]:
    """The ggml type of every tensor (GGUF names) in llama.cpp's `ftype` mix ("Q4_K_M", ...).

    `tensors` maps names to numpy shapes (the row, GGUF's ne[0], is the last axis). Tensors
    llama.cpp does not quantize get `unquantized`, the type they have in the source file.
    """
    if ftype not in FTYPES:
        raise ValueError(f"unknown file type '{ftype}' (choose from {', '.join(FTYPES)})")
    default = FTYPES[ftype][1]
    tied = "output.weight" not in tensors
    is_70b = arch == "llama" and n_layer == 80 and n_head is not None and n_head != n_head_kv
    out: dict[str, T] = {}
    for name, shape in tensors.items():
        if not quantizable(name, shape):
            out[name] = unquantized
            continue
        row = shape[-1]
        qtype = default
        if not pure:
            qtype = _mix_type(ftype, default, name, row, n_layer, tied, is_70b)
        out[name] = fallback_type(qtype, row)
    return out


def _mix_type(ftype: str, qtype: T, name: str, row: int, n_layer: int, tied: bool, is_70b: bool) -> T:
    """`llama_tensor_get_type_impl`, reduced to the file types of `FTYPES` and dense models."""
    match = _LAYER.match(name)
    layer = int(match.group(1)) if match else -1
    if name == "output.weight" or (tied and name == "token_embd.weight"):
        if row % GGML_QUANT_SIZES[qtype][0]:
            return T.Q8_0
        return qtype if qtype == T.Q8_0 else T.Q6_K
    if name.endswith(("attn_v.weight", "attn_qkv.weight")):  # a fused q|k|v counts as attn_v
        if ftype in ("Q4_K_M", "Q5_K_M") and use_more_bits(layer, n_layer):
            qtype = T.Q6_K
        elif ftype == "Q4_K_S" and layer < 4:
            qtype = T.Q5_K
        if is_70b and qtype == T.Q4_K:
            qtype = T.Q5_K
        return qtype
    if "ffn_down" in name:
        if ftype in ("Q4_K_M", "Q5_K_M") and use_more_bits(layer, n_layer):
            return T.Q6_K
        if ftype == "Q4_K_S" and layer < n_layer // 8:
            return T.Q5_K
    return qtype
