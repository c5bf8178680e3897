"""Hugging Face transformers models built offline from a ck.testing spec and HF-named weights."""

from __future__ import annotations

import numpy as np
import torch
import transformers

from ck.testing import ModelSpec


def hf_model(spec: ModelSpec, weights: dict[str, np.ndarray]) -> torch.nn.Module:
    """The transformers model (fp32, eager attention) for `spec`, loaded with `weights`."""
    if spec.arch == "gpt2":
        return _load(spec, transformers.GPT2LMHeadModel, transformers.GPT2Config(
            vocab_size=spec.vocab, n_positions=spec.context_len, n_embd=spec.dim, n_layer=spec.layers,
            n_head=spec.heads, n_inner=spec.ffn, activation_function="gelu_new",
            layer_norm_epsilon=spec.layer_norm_eps, bos_token_id=spec.vocab - 1, eos_token_id=spec.vocab - 1, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
            tie_word_embeddings=spec.tied, attn_implementation="eager", torch_dtype=torch.float32,
        ), weights)
    common = dict(
        vocab_size=spec.vocab,
        hidden_size=spec.dim,
        intermediate_size=spec.ffn,
        num_hidden_layers=spec.layers,
        num_attention_heads=spec.heads,
        num_key_value_heads=spec.kv_heads,
        head_dim=spec.hd,
        rms_norm_eps=spec.rms_eps,
        rope_theta=spec.rope_theta,
        max_position_embeddings=spec.context_len,
        tie_word_embeddings=spec.tied,
        attn_implementation="eager",
        torch_dtype=torch.float32,
    )
    if spec.arch == "qwen3":
        config = transformers.Qwen3Config(attention_bias=False, **common)
        cls = transformers.Qwen3ForCausalLM
    elif spec.arch == "qwen2":
        config = transformers.Qwen2Config(**common)
        cls = transformers.Qwen2ForCausalLM
    else:
        config = transformers.LlamaConfig(attention_bias=spec.has_bias, mlp_bias=False, **common)
        cls = transformers.LlamaForCausalLM
    return _load(spec, cls, config, weights)


def _load(spec: ModelSpec, cls: type, config: object, weights: dict[str, np.ndarray]) -> torch.nn.Module:
    torch.manual_seed(0)
    model = cls(config).eval()
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in weights.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if not (spec.tied and m == "lm_head.weight")]
    assert not missing and not unexpected, (missing, unexpected)
    return model


def hf_logits(spec: ModelSpec, weights: dict[str, np.ndarray], ids: list[int]) -> np.ndarray:
    model = hf_model(spec, weights)
    with torch.no_grad():
        out = model(torch.tensor([ids], dtype=torch.long)).logits[0]
    return out.float().numpy()
