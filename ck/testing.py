"""Small random-weight GGUF files written exactly as llama.cpp's converter writes them.

Weights are made in Hugging Face naming and layout (`model.layers.0.self_attn.q_proj.weight`,
[out, in]); `write_gguf` converts them the way `convert_hf_to_gguf.py` does: GGUF
tensor names, Llama's Q/K row permutation for its pairwise rope, every 2-D
`.weight` stored in the requested dtype and 1-D tensors in f32, the same metadata
keys. GPT-2 weights are in HF GPT-2's naming and its Conv1D layout ([in, out],
`transformer.h.0.attn.c_attn.weight`), transposed on write as the converter does.
Tests give the same HF tensors to transformers, so the importer is checked against an
independent implementation. Nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from gguf import GGMLQuantizationType, GGUFWriter, SpecialVocab, TokenType
from gguf.quants import QuantError, dequantize, quantize

ARCHITECTURES = ("qwen3", "qwen2", "llama", "gpt2")
DTYPES = {
    "f32": GGMLQuantizationType.F32,
    "f16": GGMLQuantizationType.F16,
    "bf16": GGMLQuantizationType.BF16,
    "q8_0": GGMLQuantizationType.Q8_0,
    # one type for every 2-D weight (llama-quantize --pure), llama.cpp's fallback where a row does not fit
    "q4_0": GGMLQuantizationType.Q4_0,
    "q4_1": GGMLQuantizationType.Q4_1,
    "q5_0": GGMLQuantizationType.Q5_0,
    "q5_1": GGMLQuantizationType.Q5_1,
    "q4_k": GGMLQuantizationType.Q4_K,
    "q5_k": GGMLQuantizationType.Q5_K,
    "q6_k": GGMLQuantizationType.Q6_K,
    # llama.cpp's mixes (ck.quant_mix); the value is the mix's default type
    "q4_k_s": GGMLQuantizationType.Q4_K,
    "q4_k_m": GGMLQuantizationType.Q4_K,
    "q5_k_s": GGMLQuantizationType.Q5_K,
    "q5_k_m": GGMLQuantizationType.Q5_K,
}
# general.file_type (llama_ftype). Single-type q4_k / q5_k files say Q4_K_S / Q5_K_S, the
# mixes closest to them (mostly Q4_K / Q5_K); q6_k is what llama.cpp's Q6_K file type holds
# apart from its output tensor rule.
FILE_TYPES = {"f32": 0, "f16": 1, "q8_0": 7, "bf16": 32, "q4_0": 2, "q4_1": 3, "q5_0": 8, "q5_1": 9,
              "q4_k": 14, "q5_k": 16, "q6_k": 18, "q4_k_s": 14, "q4_k_m": 15, "q5_k_s": 16, "q5_k_m": 17}
# dtypes laid out by ck.quant_mix under llama.cpp's file type of that name
QUANT_MIXES = {"q4_0": "Q4_0", "q4_1": "Q4_1", "q5_0": "Q5_0", "q5_1": "Q5_1", "q4_k": "Q4_K_S",
               "q5_k": "Q5_K_S", "q6_k": "Q6_K", "q4_k_s": "Q4_K_S", "q4_k_m": "Q4_K_M",
               "q5_k_s": "Q5_K_S", "q5_k_m": "Q5_K_M"}
PURE_DTYPES = ("q4_0", "q4_1", "q5_0", "q5_1", "q4_k", "q5_k", "q6_k")


@dataclass(frozen=True)
class ModelSpec:
    """Hyperparameters of a test model (the names of HF's config where one exists)."""

    arch: str = "qwen3"
    vocab: int = 320
    dim: int = 64
    layers: int = 2
    ffn: int = 128
    heads: int = 4
    kv_heads: int = 2
    head_dim: int | None = None  # default dim // heads
    rope_theta: float = 1e6
    rms_eps: float = 1e-6
    tied: bool = True
    bias: bool | None = None  # q/k/v biases; default: only qwen2 has them
    context_len: int = 4096
    dtype: str = "f32"
    layer_norm_eps: float = 1e-5  # gpt2: its LayerNorms' eps (HF's layer_norm_epsilon)

    def __post_init__(self) -> None:
        if self.arch not in ARCHITECTURES:
            raise ValueError(f"unknown arch '{self.arch}' (choose from {', '.join(ARCHITECTURES)})")
        if self.dtype not in DTYPES:
            raise ValueError(f"unknown dtype '{self.dtype}' (choose from {', '.join(DTYPES)})")
        for name in ("vocab", "dim", "layers", "ffn", "heads", "kv_heads", "context_len"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if self.heads % self.kv_heads:
            raise ValueError(f"heads ({self.heads}) must be a multiple of kv_heads ({self.kv_heads})")
        if self.head_dim is None and self.dim % self.heads:
            raise ValueError(f"dim ({self.dim}) is not a multiple of heads ({self.heads}): give head_dim")
        if self.arch == "gpt2":
            if self.kv_heads != self.heads or self.head_dim not in (None, self.dim // self.heads):
                raise ValueError(f"gpt2 has full multi-head attention: kv_heads ({self.kv_heads}) must equal "
                                 f"heads ({self.heads}) and head_dim must be dim / heads")
            if self.ffn != 4 * self.dim:
                raise ValueError(f"gpt2's feed-forward width is 4 * dim = {4 * self.dim} (the converter writes "
                                 f"that), got {self.ffn}")
            if self.has_bias is False:
                raise ValueError("gpt2 always has biases")
        elif self.hd % 2:
            raise ValueError(f"head_dim must be even for rope, got {self.hd}")

    @property
    def hd(self) -> int:
        return self.head_dim if self.head_dim is not None else self.dim // self.heads

    @property
    def has_bias(self) -> bool:
        return self.bias if self.bias is not None else self.arch in ("qwen2", "gpt2")

    def with_(self, **changes: Any) -> ModelSpec:
        return replace(self, **changes)


def random_hf_weights(spec: ModelSpec, seed: int = 0) -> dict[str, np.ndarray]:
    """HF-named float32 weights, scaled so activations stay O(1) through the layers."""
    rng = np.random.default_rng(seed)

    def linear(out: int, inp: int) -> np.ndarray:
        return (rng.standard_normal((out, inp)) / np.sqrt(inp)).astype(np.float32)

    def norm(n: int) -> np.ndarray:
        return (1.0 + 0.2 * rng.standard_normal(n)).astype(np.float32)

    def vec(n: int) -> np.ndarray:
        return (0.1 * rng.standard_normal(n)).astype(np.float32)

    if spec.arch == "gpt2":
        return _random_gpt2_weights(spec, linear, norm, vec, rng)
    d, hd = spec.dim, spec.hd
    qd, kvd = spec.heads * hd, spec.kv_heads * hd
    w: dict[str, np.ndarray] = {
        "model.embed_tokens.weight": rng.standard_normal((spec.vocab, d)).astype(np.float32),
        "model.norm.weight": norm(d),
    }
    if not spec.tied:
        w["lm_head.weight"] = linear(spec.vocab, d)
    for i in range(spec.layers):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = norm(d)
        w[p + "self_attn.q_proj.weight"] = linear(qd, d)
        w[p + "self_attn.k_proj.weight"] = linear(kvd, d)
        w[p + "self_attn.v_proj.weight"] = linear(kvd, d)
        if spec.has_bias:
            w[p + "self_attn.q_proj.bias"] = vec(qd)
            w[p + "self_attn.k_proj.bias"] = vec(kvd)
            w[p + "self_attn.v_proj.bias"] = vec(kvd)
        if spec.arch == "qwen3":
            w[p + "self_attn.q_norm.weight"] = norm(hd)
            w[p + "self_attn.k_norm.weight"] = norm(hd)
        w[p + "self_attn.o_proj.weight"] = linear(d, qd)
        if spec.has_bias and spec.arch == "llama":  # HF's attention_bias covers o_proj too
            w[p + "self_attn.o_proj.bias"] = vec(d)
        w[p + "post_attention_layernorm.weight"] = norm(d)
        w[p + "mlp.gate_proj.weight"] = linear(spec.ffn, d)
        w[p + "mlp.up_proj.weight"] = linear(spec.ffn, d)
        w[p + "mlp.down_proj.weight"] = linear(d, spec.ffn)
    return w


def _random_gpt2_weights(spec: ModelSpec, linear: Any, norm: Any, vec: Any, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """HF GPT-2 tensors: Conv1D weights [in, out] (transposed nn.Linear), every layer with biases."""
    d, ffn = spec.dim, spec.ffn
    w: dict[str, np.ndarray] = {
        "transformer.wte.weight": rng.standard_normal((spec.vocab, d)).astype(np.float32),
        "transformer.wpe.weight": (0.5 * rng.standard_normal((spec.context_len, d))).astype(np.float32),
        "transformer.ln_f.weight": norm(d),
        "transformer.ln_f.bias": vec(d),
    }
    if not spec.tied:
        w["lm_head.weight"] = linear(spec.vocab, d)
    for i in range(spec.layers):
        p = f"transformer.h.{i}."
        w[p + "ln_1.weight"], w[p + "ln_1.bias"] = norm(d), vec(d)
        w[p + "attn.c_attn.weight"], w[p + "attn.c_attn.bias"] = linear(3 * d, d).T.copy(), vec(3 * d)
        w[p + "attn.c_proj.weight"], w[p + "attn.c_proj.bias"] = linear(d, d).T.copy(), vec(d)
        w[p + "ln_2.weight"], w[p + "ln_2.bias"] = norm(d), vec(d)
        w[p + "mlp.c_fc.weight"], w[p + "mlp.c_fc.bias"] = linear(ffn, d).T.copy(), vec(ffn)
        w[p + "mlp.c_proj.weight"], w[p + "mlp.c_proj.bias"] = linear(d, ffn).T.copy(), vec(d)
    return w


_GPT2_LAYER_NAMES = {
    "ln_1.weight": "attn_norm.weight",
    "ln_1.bias": "attn_norm.bias",
    "attn.c_attn.weight": "attn_qkv.weight",
    "attn.c_attn.bias": "attn_qkv.bias",
    "attn.c_proj.weight": "attn_output.weight",
    "attn.c_proj.bias": "attn_output.bias",
    "ln_2.weight": "ffn_norm.weight",
    "ln_2.bias": "ffn_norm.bias",
    "mlp.c_fc.weight": "ffn_up.weight",
    "mlp.c_fc.bias": "ffn_up.bias",
    "mlp.c_proj.weight": "ffn_down.weight",
    "mlp.c_proj.bias": "ffn_down.bias",
}
_GPT2_GLOBAL_NAMES = {
    "transformer.wte.weight": "token_embd.weight",
    "transformer.wpe.weight": "position_embd.weight",
    "transformer.ln_f.weight": "output_norm.weight",
    "transformer.ln_f.bias": "output_norm.bias",
    "lm_head.weight": "output.weight",
}
GPT2_CONV1D = (".c_attn.weight", ".c_proj.weight", ".c_fc.weight")
"""HF GPT-2's Conv1D weights, stored [in, out]: the converter transposes them to [out, in]."""

_LAYER_NAMES = {
    "input_layernorm.weight": "attn_norm.weight",
    "self_attn.q_proj.weight": "attn_q.weight",
    "self_attn.k_proj.weight": "attn_k.weight",
    "self_attn.v_proj.weight": "attn_v.weight",
    "self_attn.q_proj.bias": "attn_q.bias",
    "self_attn.k_proj.bias": "attn_k.bias",
    "self_attn.v_proj.bias": "attn_v.bias",
    "self_attn.q_norm.weight": "attn_q_norm.weight",
    "self_attn.k_norm.weight": "attn_k_norm.weight",
    "self_attn.o_proj.weight": "attn_output.weight",
    "self_attn.o_proj.bias": "attn_output.bias",
    "post_attention_layernorm.weight": "ffn_norm.weight",
    "mlp.gate_proj.weight": "ffn_gate.weight",
    "mlp.up_proj.weight": "ffn_up.weight",
    "mlp.down_proj.weight": "ffn_down.weight",
}
_GLOBAL_NAMES = {
    "model.embed_tokens.weight": "token_embd.weight",
    "model.norm.weight": "output_norm.weight",
    "lm_head.weight": "output.weight",
}


def gguf_name(hf_name: str) -> str:
    """The GGUF tensor name llama.cpp's converter gives an HF tensor."""
    if hf_name in _GLOBAL_NAMES:
        return _GLOBAL_NAMES[hf_name]
    if hf_name in _GPT2_GLOBAL_NAMES:
        return _GPT2_GLOBAL_NAMES[hf_name]
    if hf_name.startswith("transformer.h."):
        layer, _, local = hf_name.removeprefix("transformer.h.").partition(".")
        if local in _GPT2_LAYER_NAMES:
            return f"blk.{layer}.{_GPT2_LAYER_NAMES[local]}"
        raise KeyError(f"no GGUF name for HF tensor '{hf_name}'")
    prefix, _, rest = hf_name.partition("model.layers.")
    layer, _, local = rest.partition(".")
    if prefix or local not in _LAYER_NAMES:
        raise KeyError(f"no GGUF name for HF tensor '{hf_name}'")
    return f"blk.{layer}.{_LAYER_NAMES[local]}"


def hf_name(gguf: str, arch: str = "qwen3") -> str:
    """The HF name of a GGUF tensor name (the inverse of `gguf_name`) in `arch`'s naming."""
    gpt2 = arch == "gpt2"
    global_names, layer_names = (_GPT2_GLOBAL_NAMES, _GPT2_LAYER_NAMES) if gpt2 else (_GLOBAL_NAMES, _LAYER_NAMES)
    for hf, g in global_names.items():
        if g == gguf:
            return hf
    head, _, local = gguf.partition(".")
    layer, _, rest = local.partition(".")
    for hf_local, g_local in layer_names.items():
        if head == "blk" and g_local == rest:
            return f"{'transformer.h' if gpt2 else 'model.layers'}.{layer}.{hf_local}"
    raise KeyError(f"no HF {'GPT-2 ' if gpt2 else ''}name for GGUF tensor '{gguf}'")


def hf_weights(arch: str, weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """GGUF-named [out, in] weights (what ck trains) in HF naming and layout: the inverse of
    the converter's renaming and of GPT-2's Conv1D transposition (Llama's permutation is
    not undone: ck's Llama models are not trained)."""
    out = {}
    for name, array in weights.items():
        hf = hf_name(name, arch)
        out[hf] = array.T.copy() if arch == "gpt2" and hf.endswith(GPT2_CONV1D) else array
    return out


def tied_gpt2(weights: dict[str, np.ndarray]) -> bool:
    """A GPT-2 given without its own lm_head (the converter then writes a token-table copy)."""
    return "transformer.wte.weight" in weights and "lm_head.weight" not in weights


def converted(spec: ModelSpec, hf: dict[str, np.ndarray]) -> list[tuple[str, str, np.ndarray]]:
    """(HF name, GGUF name, array as written) for every tensor the converter writes: Llama's
    Q/K rows permuted, GPT-2's Conv1D weights transposed to [out, in], and for a tied GPT-2
    an `output.weight` copy of the token embedding (as the converter wrote GPT-2 files until
    2025; llama.cpp reads files with or without it)."""
    out = []
    for name, array in hf.items():
        stored = array
        if spec.arch == "llama" and name.endswith(("q_proj.weight", "q_proj.bias")):
            stored = llama_permute(array, spec.heads)
        elif spec.arch == "llama" and name.endswith(("k_proj.weight", "k_proj.bias")):
            stored = llama_permute(array, spec.kv_heads)
        elif spec.arch == "gpt2" and name.endswith(GPT2_CONV1D):
            stored = np.ascontiguousarray(array.T)
        out.append((name, gguf_name(name), stored))
        if spec.arch == "gpt2" and spec.tied and name == "transformer.wte.weight":
            out.append(("lm_head.weight", "output.weight", array))
    return out


def llama_permute(w: np.ndarray, n_head: int) -> np.ndarray:
    """Reorder Q/K rows from HF's rotate-half layout to the pairwise layout of llama.cpp."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def storage_type(hf_name: str, array: np.ndarray, dtype: str) -> GGMLQuantizationType:
    """As the converter: every 2-D `.weight` in the output type, other tensors (and the
    learned position embedding, which the converter keeps in f32) f32.

    A q8_0 tensor whose rows are not a multiple of 32 falls back to f16, as the converter does.
    """
    if array.ndim != 2 or not hf_name.endswith(".weight") or hf_name == "transformer.wpe.weight":
        return GGMLQuantizationType.F32
    qtype = DTYPES[dtype]
    if qtype == GGMLQuantizationType.Q8_0 and array.shape[-1] % 32:
        return GGMLQuantizationType.F16
    return qtype


def storage_types(weights: dict[str, np.ndarray], dtype: str, arch: str = "qwen3",
                  heads: tuple[int, int] | None = None) -> dict[str, GGMLQuantizationType]:
    """The type of every HF tensor in a `dtype` file.

    f32/f16/bf16/q8_0 as the converter (`storage_type`); the 4-6 bit dtypes as llama-quantize
    lays them out from an f32 file (`ck.quant_mix`): q4_0 ... q6_k pure, with llama.cpp's
    fallback for rows their block does not divide; q4_k_s ... q5_k_m llama.cpp's mixes.
    `heads` (q heads, kv heads) only matters for llama.cpp's 70B rule (80-layer llama with GQA).
    """
    if dtype not in QUANT_MIXES:
        return {name: storage_type(name, array, dtype) for name, array in weights.items()}
    from ck.quant_mix import tensor_types

    names = {gguf_name(name): name for name in weights}
    n_layer = len({g.split(".")[1] for g in names if g.startswith("blk.")})
    n_head, n_head_kv = heads if heads is not None else (None, None)
    types = tensor_types(QUANT_MIXES[dtype], {g: weights[h].shape for g, h in names.items()}, n_layer,
                         pure=dtype in PURE_DTYPES, arch=arch, n_head=n_head, n_head_kv=n_head_kv)
    return {names[g]: t for g, t in types.items()}


def _encode(array: np.ndarray, qtype: GGMLQuantizationType) -> np.ndarray:
    from ck.ggml_quants import quantize_blocks, supported_types

    if qtype == GGMLQuantizationType.F32:
        return np.ascontiguousarray(array, dtype=np.float32)
    if qtype == GGMLQuantizationType.F16:
        return np.ascontiguousarray(array, dtype=np.float16)
    if qtype in supported_types():
        return quantize_blocks(array, qtype)
    try:
        return quantize(np.ascontiguousarray(array, dtype=np.float32), qtype)
    except QuantError as e:  # pragma: no cover - storage_type rules this out
        raise ValueError(str(e)) from None


def _decode(encoded: np.ndarray, qtype: GGMLQuantizationType, shape: tuple[int, ...]) -> np.ndarray:
    if qtype in (GGMLQuantizationType.F32, GGMLQuantizationType.F16):
        return encoded.astype(np.float32)
    return dequantize(encoded, qtype).astype(np.float32).reshape(shape)


def _as_written(weights: dict[str, np.ndarray], arch: str) -> dict[str, np.ndarray]:
    """Each HF tensor in the layout the converter writes its rows (GPT-2's Conv1D weights
    transposed to [out, in]); quantization blocks run along those rows."""
    return {name: np.ascontiguousarray(array.T) if arch == "gpt2" and name.endswith(GPT2_CONV1D) else array
            for name, array in weights.items()}


def as_stored(weights: dict[str, np.ndarray], dtype: str, arch: str = "qwen3",
              heads: tuple[int, int] | None = None) -> dict[str, np.ndarray]:
    """The HF weights rounded exactly as `write_gguf` stores them (for the oracle); GPT-2's
    Conv1D weights are rounded in the [out, in] layout they are written in. A tied GPT-2's
    `output.weight` copy may take another type in a k-quant mix (Q6_K beside a Q4_K token
    table); the returned weights are the token table's, so such a file is tested untied."""
    written = _as_written(weights, arch)
    copies = {"lm_head.weight": weights["transformer.wte.weight"]} if arch == "gpt2" and tied_gpt2(weights) else {}
    types = storage_types(written | copies, dtype, arch, heads)  # the types of the file write_gguf writes
    out = {}
    for name, array in written.items():
        rounded = _decode(_encode(array, types[name]), types[name], array.shape)
        out[name] = np.ascontiguousarray(rounded.T) if array is not weights[name] else rounded
    return out


def byte_tokenizer(vocab: int) -> tuple[list[str], list[int], list[str]]:
    """A synthetic byte-level BPE vocabulary: 256 byte symbols, pair merges, `<|endoftext|>` last."""
    if vocab < 257:
        raise ValueError(f"a byte-level tokenizer needs vocab >= 257, got {vocab}")
    symbols = [chr(c) for c in _byte_to_unicode()]
    tokens, merges = list(symbols), []
    # Merge k joins token k // 256 with byte symbol k % 256: pairs of bytes first, then
    # (pair + byte), and so on, so every merge makes a new, unique token for any vocab size.
    for k in range(vocab - 257):
        a, b = tokens[k // 256], symbols[k % 256]
        merges.append(f"{a} {b}")
        tokens.append(a + b)
    tokens.append("<|endoftext|>")
    types = [int(TokenType.NORMAL)] * (vocab - 1) + [int(TokenType.CONTROL)]
    return tokens, types, merges


def _byte_to_unicode() -> list[int]:
    """GPT-2's byte -> code point table, in the order tokenizers list it (printable bytes first)."""
    printable = [*range(0x21, 0x7F), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    return printable + [0x100 + n for n in range(256 - len(printable))]


# The pre-tokenizer regex of Qwen2/Qwen3's tokenizer.json (llama.cpp pre type "qwen2").
QWEN2_PRE_REGEX = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
_PRE_BY_REGEX = {QWEN2_PRE_REGEX: "qwen2"}


@dataclass(frozen=True)
class TokenizerMetadata:
    """The `tokenizer.*` keys of a GGUF file, as llama.cpp's converter writes them.

    `special_token_ids` maps gguf-py's names (bos, eos, unk, sep, pad, mask, ...) to ids and is
    written as `tokenizer.ggml.<name>_token_id` (pad -> padding_token_id); `add_special_token`
    maps the same names to the `tokenizer.ggml.add_<name>_token` booleans.
    """

    model: str
    pre: str | None
    tokens: list[str]
    token_types: list[int]
    merges: list[str] = field(default_factory=list)
    special_token_ids: dict[str, int] = field(default_factory=dict)
    add_special_token: dict[str, bool] = field(default_factory=dict)
    chat_template: str | None = None

    def __post_init__(self) -> None:
        if len(self.tokens) != len(self.token_types):
            raise ValueError(f"{len(self.tokens)} tokens but {len(self.token_types)} token types")

    @property
    def vocab_size(self) -> int:
        return len(self.tokens)

    def padded(self, vocab_size: int) -> TokenizerMetadata:
        """The same tokenizer with ids up to `vocab_size` filled by `[PAD{id}]` (UNUSED), as the converter does."""
        n = len(self.tokens)
        if vocab_size < n:
            raise ValueError(f"the tokenizer has {n} tokens, more than the model's vocab of {vocab_size}")
        if vocab_size == n:
            return self
        pads = range(n, vocab_size)
        return replace(
            self,
            tokens=[*self.tokens, *(f"[PAD{i}]" for i in pads)],
            token_types=[*self.token_types, *([int(TokenType.UNUSED)] * len(pads))],
        )

    def add_to(self, w: GGUFWriter) -> None:
        """Write the keys in the converter's order (model, pre, tokens, types, merges, ids, flags, template)."""
        w.add_tokenizer_model(self.model)
        if self.pre is not None:
            w.add_tokenizer_pre(self.pre)
        w.add_token_list(self.tokens)
        w.add_token_types(self.token_types)
        if self.merges:
            w.add_token_merges(self.merges)
        for typ, tid in self.special_token_ids.items():
            getattr(w, f"add_{typ}_token_id")(tid)
        for typ, value in self.add_special_token.items():
            getattr(w, f"add_add_{typ}_token")(value)
        if self.chat_template is not None:
            w.add_chat_template(self.chat_template)


def _looks_special(token: str) -> bool:
    """convert_hf_to_gguf's `does_token_look_special`: added tokens that become CONTROL though not `special`."""
    return (
        token in ("<pad>", "<mask>", "<2mass>", "[@BOS@]")
        or (token.startswith("<|") and token.endswith("|>"))
        or (token.startswith("<\uff5c") and token.endswith("\uff5c>"))
        or (token.startswith("<unused") and token.endswith(">"))
    )


def hf_tokenizer_metadata(
    folder: str | os.PathLike[str],
    *,
    vocab_size: int | None = None,
    bos_token_id: int | None = None,
    pre: str | None = None,
) -> TokenizerMetadata:
    """GGUF tokenizer metadata from a Hugging Face folder (tokenizer.json, tokenizer_config.json).

    Follows llama.cpp's `convert_hf_to_gguf.py` `_set_vocab_gpt2` (byte-level BPE only):
    tokens in id order padded to the model's vocab with `[PAD{id}]` (UNUSED); NORMAL for the
    BPE vocab, CONTROL for added tokens that are `special` or look special (`<|...|>`),
    USER_DEFINED for the other added tokens; merges, special ids, add_*_token flags and the
    chat template by gguf-py's own `SpecialVocab` (tokenizer_config first, then config.json).

    `vocab_size` and `bos_token_id` stand in for config.json's `vocab_size`/`bos_token_id`
    when the folder has none (Qwen3: 151936 and 151643). `pre` is the llama.cpp pre-tokenizer
    name; by default it is recognised from tokenizer.json's Split regex. (The converter hashes
    the ids of a check string instead; for Qwen2/Qwen3 both give "qwen2".) Added tokens are
    written as they are: the converter re-normalizes `normalized: false` ones through the HF
    tokenizer, which leaves Qwen's unchanged.
    """
    folder = Path(folder)
    tj_path = folder / "tokenizer.json"
    if not tj_path.is_file():
        raise ValueError(f"{folder}: no tokenizer.json")
    tj = json.loads(tj_path.read_text(encoding="utf-8"))
    config_path = folder / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
    model = tj.get("model", {})
    if model.get("type") != "BPE" or "ByteLevel" not in json.dumps(tj.get("pre_tokenizer")):
        raise ValueError(f"{tj_path}: only byte-level BPE tokenizers (GGUF model 'gpt2') are supported")
    if pre is None:
        pre = _detect_pre(tj, tj_path)

    reverse = {i: t for t, i in model["vocab"].items()}
    added = {a["id"]: a for a in tj.get("added_tokens", [])}
    for i, a in added.items():
        reverse[i] = a["content"]
    n_real = max(reverse) + 1
    if vocab_size is None:
        vocab_size = config.get("vocab_size", n_real)
    if vocab_size < n_real:
        raise ValueError(f"vocab_size {vocab_size} is smaller than the tokenizer's {n_real} ids")

    tokens: list[str] = []
    types: list[int] = []
    for i in range(vocab_size):
        token = reverse.get(i)
        if token is None:
            tokens.append(f"[PAD{i}]")
            types.append(int(TokenType.UNUSED))
            continue
        if i in added:
            if added[i].get("special") or _looks_special(token):
                types.append(int(TokenType.CONTROL))
            else:
                token = token.replace("\u2581", " ")  # the converter pre-normalizes user-defined spaces
                types.append(int(TokenType.USER_DEFINED))
        else:
            types.append(int(TokenType.NORMAL))
        tokens.append(token)

    sv = SpecialVocab(folder, load_merges=True, n_vocab=vocab_size)
    ids = dict(sv.special_token_ids)
    if bos_token_id is not None and "bos" not in ids:  # what config.json's bos_token_id would give
        ids["bos"] = bos_token_id
    template = sv.chat_template
    if template is not None and not isinstance(template, str):
        template = next((t["template"] for t in template if t.get("name") == "default"), None)
    return TokenizerMetadata(
        model="gpt2",
        pre=pre,
        tokens=tokens,
        token_types=types,
        merges=list(sv.merges),
        special_token_ids=ids,
        add_special_token=dict(sv.add_special_token),
        chat_template=template,
    )


def _detect_pre(tj: dict[str, Any], where: Path) -> str:
    pt = tj.get("pre_tokenizer") or {}
    if pt.get("type") == "ByteLevel" and pt.get("use_regex", True):  # GPT-2's: the regex built in
        return "gpt-2"
    for p in pt.get("pretokenizers", [pt]):
        if p.get("type") == "Split":
            regex = p.get("pattern", {}).get("Regex")
            if regex in _PRE_BY_REGEX:
                return _PRE_BY_REGEX[regex]
            raise ValueError(f"{where}: unknown pre-tokenizer regex {regex!r}; pass pre=...")
    raise ValueError(f"{where}: no Split pre-tokenizer to recognise; pass pre=...")


def _synthetic_tokenizer(spec: ModelSpec) -> TokenizerMetadata:
    tokens, types, merges = byte_tokenizer(spec.vocab)
    return TokenizerMetadata(
        model="gpt2",
        pre="gpt-2" if spec.arch == "gpt2" else "qwen2",  # what llama.cpp's converter names them
        tokens=tokens,
        token_types=types,
        merges=merges,
        special_token_ids={"eos": spec.vocab - 1, "bos": spec.vocab - 1},
        add_special_token={"bos": spec.arch == "llama"},
    )


def write_vocab_gguf(
    path: str | os.PathLike[str], metadata: TokenizerMetadata, arch: str = "qwen3"
) -> None:
    """A vocab-only GGUF (general.architecture and the tokenizer keys, no tensors), like
    llama.cpp's `models/ggml-vocab-*.gguf`."""
    w = GGUFWriter(os.fspath(path), arch)
    metadata.add_to(w)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def write_gguf(
    path: str | os.PathLike[str],
    spec: ModelSpec,
    weights: dict[str, np.ndarray] | None = None,
    seed: int = 0,
    tokenizer: bool | TokenizerMetadata | str | os.PathLike[str] = True,
    *,
    stored: bool = True,
    progress: bool = False,
) -> dict[str, np.ndarray]:
    """Write `spec` (with `weights` in HF naming, random when None) as a GGUF file.

    `tokenizer`: True writes a synthetic byte-level vocabulary of `spec.vocab` tokens (when
    vocab >= 257), False none; a `TokenizerMetadata` (or a Hugging Face tokenizer folder, read
    by `hf_tokenizer_metadata`) is written padded to `spec.vocab` with `[PAD{id}]` tokens, which
    must therefore be at least its token count (Qwen3: 151936).

    Returns the HF weights as stored (rounded to the storage dtype), which is what a
    reference implementation should run; with `stored=False`, nothing (big models). `progress`
    shows one line on stderr, tensor by tensor.
    """
    meta: TokenizerMetadata | None
    if isinstance(tokenizer, TokenizerMetadata):
        meta = tokenizer.padded(spec.vocab)
    elif isinstance(tokenizer, (str, os.PathLike)):
        meta = hf_tokenizer_metadata(tokenizer, vocab_size=spec.vocab)
    elif tokenizer and spec.vocab >= 257:
        meta = _synthetic_tokenizer(spec)
    else:
        meta = None
    hf = weights if weights is not None else random_hf_weights(spec, seed)
    a = spec.arch
    w = GGUFWriter(os.fspath(path), a)
    if a == "gpt2":
        _add_gpt2_keys(w, spec)
    else:
        _add_keys(w, spec)
    w.add_uint32("general.file_type", FILE_TYPES[spec.dtype])
    if meta is not None:
        meta.add_to(w)
    tensors = converted(spec, hf)
    types = storage_types({name: array for name, _, array in tensors}, spec.dtype, a, (spec.heads, spec.kv_heads))
    bar = _Progress(progress, len(tensors), f"writing {Path(path).name}")
    for name, gname, array in tensors:
        w.add_tensor(gname, _encode(array, types[name]), raw_dtype=types[name])
        bar.step(gname)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    bar.done()
    return as_stored(hf, spec.dtype, a, (spec.heads, spec.kv_heads)) if stored else {}


def _add_gpt2_keys(w: GGUFWriter, spec: ModelSpec) -> None:
    """GPT2Model.set_gguf_parameters: no head_count_kv, no rope, LayerNorm eps."""
    w.add_uint32("gpt2.block_count", spec.layers)
    w.add_uint32("gpt2.context_length", spec.context_len)
    w.add_uint32("gpt2.embedding_length", spec.dim)
    w.add_uint32("gpt2.feed_forward_length", 4 * spec.dim)
    w.add_uint32("gpt2.attention.head_count", spec.heads)
    w.add_float32("gpt2.attention.layer_norm_epsilon", spec.layer_norm_eps)


def _add_keys(w: GGUFWriter, spec: ModelSpec) -> None:
    """The hyperparameter keys of qwen3, qwen2 and llama files."""
    a = spec.arch
    w.add_uint32(f"{a}.block_count", spec.layers)
    w.add_uint32(f"{a}.context_length", spec.context_len)
    w.add_uint32(f"{a}.embedding_length", spec.dim)
    w.add_uint32(f"{a}.feed_forward_length", spec.ffn)
    w.add_uint32(f"{a}.attention.head_count", spec.heads)
    w.add_uint32(f"{a}.attention.head_count_kv", spec.kv_heads)
    w.add_float32(f"{a}.rope.freq_base", spec.rope_theta)
    w.add_float32(f"{a}.attention.layer_norm_rms_epsilon", spec.rms_eps)
    if spec.head_dim is not None or a == "qwen3":
        w.add_uint32(f"{a}.attention.key_length", spec.hd)
        w.add_uint32(f"{a}.attention.value_length", spec.hd)
    if a == "llama":
        w.add_uint32(f"{a}.rope.dimension_count", spec.hd)
        w.add_uint32(f"{a}.vocab_size", spec.vocab)


class _Progress:
    """One line on stderr that counts tensors, with the time so far (quantizing a 0.6B model takes a minute)."""

    def __init__(self, enabled: bool, total: int, what: str) -> None:
        self.enabled, self.total, self.count, self.what = enabled, total, 0, what
        self.start = time.perf_counter()

    def step(self, item: str) -> None:
        self.count += 1
        if self.enabled:
            width = 30
            filled = width * self.count // self.total
            print(f"\rck: {self.what} [{'#' * filled}{'.' * (width - filled)}] {self.count}/{self.total} "
                  f"{item:<28} {time.perf_counter() - self.start:6.1f}s", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.enabled:
            print(file=sys.stderr, flush=True)

