"""Small random-weight GGUF files written exactly as llama.cpp's converter writes them.

Weights are made in Hugging Face naming and layout (`model.layers.0.self_attn.q_proj.weight`,
[out, in]); `write_gguf` converts them the way `convert_hf_to_gguf.py` does: GGUF
tensor names, Llama's Q/K row permutation for its pairwise rope, every 2-D
`.weight` stored in the requested dtype and 1-D tensors in f32, the same metadata
keys. Tests give the same HF tensors to transformers, so the importer is checked
against an independent implementation. Nothing is downloaded.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
from gguf import GGMLQuantizationType, GGUFWriter, TokenType
from gguf.quants import QuantError, dequantize, quantize

ARCHITECTURES = ("qwen3", "qwen2", "llama")
DTYPES = {
    "f32": GGMLQuantizationType.F32,
    "f16": GGMLQuantizationType.F16,
    "bf16": GGMLQuantizationType.BF16,
    "q8_0": GGMLQuantizationType.Q8_0,
}
FILE_TYPES = {"f32": 0, "f16": 1, "q8_0": 7, "bf16": 32}  # general.file_type (llama_ftype)


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
        if self.hd % 2:
            raise ValueError(f"head_dim must be even for rope, got {self.hd}")

    @property
    def hd(self) -> int:
        return self.head_dim if self.head_dim is not None else self.dim // self.heads

    @property
    def has_bias(self) -> bool:
        return self.bias if self.bias is not None else self.arch == "qwen2"

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
    prefix, _, rest = hf_name.partition("model.layers.")
    layer, _, local = rest.partition(".")
    if prefix or local not in _LAYER_NAMES:
        raise KeyError(f"no GGUF name for HF tensor '{hf_name}'")
    return f"blk.{layer}.{_LAYER_NAMES[local]}"


def llama_permute(w: np.ndarray, n_head: int) -> np.ndarray:
    """Reorder Q/K rows from HF's rotate-half layout to the pairwise layout of llama.cpp."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def storage_type(hf_name: str, array: np.ndarray, dtype: str) -> GGMLQuantizationType:
    """As the converter: every 2-D `.weight` in the output type, other tensors f32.

    A q8_0 tensor whose rows are not a multiple of 32 falls back to f16, as the converter does.
    """
    if array.ndim != 2 or not hf_name.endswith(".weight"):
        return GGMLQuantizationType.F32
    qtype = DTYPES[dtype]
    if qtype == GGMLQuantizationType.Q8_0 and array.shape[-1] % 32:
        return GGMLQuantizationType.F16
    return qtype


def _encode(array: np.ndarray, qtype: GGMLQuantizationType) -> np.ndarray:
    if qtype == GGMLQuantizationType.F32:
        return np.ascontiguousarray(array, dtype=np.float32)
    if qtype == GGMLQuantizationType.F16:
        return np.ascontiguousarray(array, dtype=np.float16)
    try:
        return quantize(np.ascontiguousarray(array, dtype=np.float32), qtype)
    except QuantError as e:  # pragma: no cover - storage_type rules this out
        raise ValueError(str(e)) from None


def as_stored(weights: dict[str, np.ndarray], dtype: str) -> dict[str, np.ndarray]:
    """The HF weights rounded exactly as `write_gguf` stores them (for the oracle)."""
    out = {}
    for name, array in weights.items():
        qtype = storage_type(name, array, dtype)
        encoded = _encode(array, qtype)
        if qtype in (GGMLQuantizationType.F32, GGMLQuantizationType.F16):
            out[name] = encoded.astype(np.float32)
        else:
            out[name] = dequantize(encoded, qtype).astype(np.float32).reshape(array.shape)
    return out


def byte_tokenizer(vocab: int) -> tuple[list[str], list[int], list[str]]:
    """A synthetic byte-level BPE vocabulary: 256 byte symbols, pair merges, `<|endoftext|>` last."""
    if vocab < 257:
        raise ValueError(f"a byte-level tokenizer needs vocab >= 257, got {vocab}")
    symbols = [chr(c) for c in _byte_to_unicode()]
    tokens, merges = list(symbols), []
    for k in range(vocab - 257):
        a, b = symbols[k // 256], symbols[k % 256]
        merges.append(f"{a} {b}")
        tokens.append(a + b)
    tokens.append("<|endoftext|>")
    types = [int(TokenType.NORMAL)] * (vocab - 1) + [int(TokenType.CONTROL)]
    return tokens, types, merges


def _byte_to_unicode() -> list[int]:
    """GPT-2's byte -> code point table, in the order tokenizers list it (printable bytes first)."""
    printable = [*range(0x21, 0x7F), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    return printable + [0x100 + n for n in range(256 - len(printable))]


def write_gguf(
    path: str | os.PathLike[str],
    spec: ModelSpec,
    weights: dict[str, np.ndarray] | None = None,
    seed: int = 0,
    tokenizer: bool = True,
) -> dict[str, np.ndarray]:
    """Write `spec` (with `weights` in HF naming, random when None) as a GGUF file.

    Returns the HF weights as stored (rounded to the storage dtype), which is what a
    reference implementation should run.
    """
    hf = weights if weights is not None else random_hf_weights(spec, seed)
    a = spec.arch
    w = GGUFWriter(os.fspath(path), a)
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
    w.add_uint32("general.file_type", FILE_TYPES[spec.dtype])
    if tokenizer and spec.vocab >= 257:
        tokens, types, merges = byte_tokenizer(spec.vocab)
        w.add_string("tokenizer.ggml.model", "gpt2")
        w.add_string("tokenizer.ggml.pre", "qwen2")
        w.add_array("tokenizer.ggml.tokens", tokens)
        w.add_array("tokenizer.ggml.token_type", types)
        w.add_array("tokenizer.ggml.merges", merges)
        w.add_uint32("tokenizer.ggml.eos_token_id", spec.vocab - 1)
        w.add_uint32("tokenizer.ggml.bos_token_id", spec.vocab - 1)
        w.add_bool("tokenizer.ggml.add_bos_token", a == "llama")
    for name, array in hf.items():
        stored = array
        if a == "llama" and name.endswith(("q_proj.weight", "q_proj.bias")):
            stored = llama_permute(array, spec.heads)
        elif a == "llama" and name.endswith(("k_proj.weight", "k_proj.bias")):
            stored = llama_permute(array, spec.kv_heads)
        qtype = storage_type(name, array, spec.dtype)
        w.add_tensor(gguf_name(name), _encode(stored, qtype), raw_dtype=qtype)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return as_stored(hf, spec.dtype)


def spec_dict(spec: ModelSpec) -> dict[str, Any]:
    return asdict(spec)
