"""Models authored from Python: `ck.models.qwen3_tiny(...)`, `ck.models.qwen2_tiny(...)` and
`ck.models.gpt2_tiny(...)`, small Qwen3, Qwen2 and GPT-2 models to train.

A model here is hyperparameters plus an initializer: it expands the same template
(`templates/qwen3.json`, `qwen2.json`, `gpt2.json`) a GGUF file of its architecture does,
with GGUF tensor names, so its weights can be exported to a GGUF that `ck.load` runs.
One class serves every architecture: they differ only in the template (Qwen2 has q/k/v
biases and no QK-norm; GPT-2 has LayerNorms, a fused q|k|v projection, biases everywhere
and a learned position embedding), which decides the tensors, the ops and the export.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from ck.errors import CkError
from ck.importer import WeightRef, build_module
from ck.template import expand, load_template

if TYPE_CHECKING:
    from ck.testing import ModelSpec

INITS = ("xavier_uniform", "normal")
ARCHITECTURES = ("qwen3", "qwen2", "gpt2")
"""The templates a model authored here may expand."""


@dataclass(frozen=True)
class TinyModel:
    """Hyperparameters of a small model of architecture `arch` (names as in
    `ck.models.qwen3_tiny` / `qwen2_tiny`, whose name prefixes its errors)."""

    vocab: int
    dim: int
    layers: int
    hidden: int
    heads: int
    kv_heads: int
    context_len: int
    init: str = "xavier_uniform"
    seed: int = 0
    head_dim: int | None = None
    rope_theta: float = 1e6
    rms_eps: float = 1e-6
    tie_embeddings: bool = True
    arch: str = "qwen3"
    layer_norm_eps: float = 1e-5  # gpt2's LayerNorms

    def __post_init__(self) -> None:
        if self.arch not in ARCHITECTURES:
            raise CkError(f"ck.models: unknown arch '{self.arch}' (choose from {', '.join(ARCHITECTURES)})")
        for name in ("vocab", "dim", "layers", "hidden", "heads", "kv_heads", "context_len"):
            value = getattr(self, name)
            if not isinstance(value, int) or value <= 0:
                raise CkError(f"{self.arch}_tiny: {name} must be a positive integer, got {value!r}")
        if self.heads % self.kv_heads:
            raise CkError(
                f"{self.arch}_tiny: heads ({self.heads}) must be a multiple of kv_heads ({self.kv_heads})"
            )
        if self.head_dim is None and self.dim % self.heads:
            raise CkError(
                f"{self.arch}_tiny: dim ({self.dim}) is not a multiple of heads ({self.heads}); give head_dim"
            )
        if self.arch == "gpt2":
            if self.kv_heads != self.heads or self.hd * self.heads != self.dim:
                raise CkError("gpt2_tiny: full multi-head attention: kv_heads = heads, head_dim = dim / heads")
        elif self.hd % 2:
            raise CkError(f"{self.arch}_tiny: head_dim must be even (rope pairs), got {self.hd}")
        if self.init not in INITS:
            raise CkError(f"{self.arch}_tiny: unknown init '{self.init}' (choose from {', '.join(INITS)})")
        if not self.rope_theta > 0 or not self.rms_eps > 0 or not self.layer_norm_eps > 0:
            raise CkError(f"{self.arch}_tiny: rope_theta, rms_eps and layer_norm_eps must be positive")

    @property
    def hd(self) -> int:
        return self.head_dim if self.head_dim is not None else self.dim // self.heads

    @property
    def hparams(self) -> dict[str, int | float]:
        """The template's hyperparameters, as the importer resolves them from a GGUF file."""
        return {
            "n_vocab": self.vocab, "n_embd": self.dim, "n_layer": self.layers, "n_ff": self.hidden,
            "n_head": self.heads, "n_head_kv": self.kv_heads, "head_dim": self.hd, "n_rot": self.hd,
            "rms_eps": self.rms_eps, "rope_theta": self.rope_theta, "attn_scale": 1 / math.sqrt(self.hd),
            "context_length": self.context_len, "norm_eps": self.layer_norm_eps,
        }

    def tensor_shapes(self) -> dict[str, tuple[int, ...]]:
        """Every trainable tensor by GGUF name, shape [out, in]; no output.weight when tied."""
        from ck.formula import evaluate

        shapes: dict[str, tuple[int, ...]] = {}
        for pattern, spec in load_template(self.arch)["tensors"].items():
            if pattern == "output.weight" and self.tie_embeddings:
                continue
            layers = range(self.layers) if "{i}" in pattern else [None]
            for layer in layers:
                shapes[expand(pattern, layer)] = tuple(int(evaluate(d, self.hparams)) for d in spec["shape"])
        return shapes

    def init_weights(self) -> dict[str, np.ndarray]:
        """Initial float32 weights: matrices (and GPT-2's position table) by `init`, norm weights
        one, biases zero."""
        rng = np.random.default_rng(self.seed)
        out: dict[str, np.ndarray] = {}
        for name, shape in self.tensor_shapes().items():
            if name.endswith(".bias"):
                out[name] = np.zeros(shape, dtype=np.float32)
            elif len(shape) == 1:
                out[name] = np.ones(shape, dtype=np.float32)
            elif self.init == "xavier_uniform":
                bound = math.sqrt(6.0 / (shape[0] + shape[1]))
                out[name] = rng.uniform(-bound, bound, shape).astype(np.float32)
            else:
                out[name] = (0.02 * rng.standard_normal(shape)).astype(np.float32)
        return out

    def spec(self) -> ModelSpec:
        """The same model as a `ck.testing.ModelSpec` (for writing it as GGUF)."""
        from ck.testing import ModelSpec

        return ModelSpec(arch=self.arch, vocab=self.vocab, dim=self.dim, layers=self.layers, ffn=self.hidden,
                         heads=self.heads, kv_heads=self.kv_heads, rope_theta=self.rope_theta,
                         rms_eps=self.rms_eps, tied=self.tie_embeddings, context_len=self.context_len,
                         layer_norm_eps=self.layer_norm_eps, head_dim=None if self.arch == "gpt2" else self.hd)

    def refs(self) -> dict[str, WeightRef]:
        refs = {n: WeightRef(n, s, "f32") for n, s in self.tensor_shapes().items()}
        if self.tie_embeddings:
            refs["output.weight"] = WeightRef("token_embd.weight", (self.vocab, self.dim), "f32")
        return refs

    def train_module(self, seq: int, batch: int = 1) -> ModuleOp:
        """`@train_step(tokens, positions, targets) -> loss` over `batch` sequences of `seq`
        tokens, laid out row after row (the loss is the mean over all of them)."""
        return build_module(load_template(self.arch), self.hparams, self.refs(), seq, loss=True,
                            batch=batch)

    def forward_module(self, tokens: int) -> ModuleOp:
        return build_module(load_template(self.arch), self.hparams, self.refs(), tokens)


Qwen3Tiny = TinyModel
"""The class's first name, from when it had one architecture: `ck.train` and older code import it."""


def qwen3_tiny(
    vocab: int,
    dim: int,
    layers: int,
    hidden: int,
    heads: int,
    kv_heads: int,
    context_len: int,
    init: str = "xavier_uniform",
    seed: int = 0,
    head_dim: int | None = None,
    rope_theta: float = 1e6,
    rms_eps: float = 1e-6,
    tie_embeddings: bool = True,
) -> TinyModel:
    """A small Qwen3 to train: `hidden` is the FFN width, `head_dim` defaults to dim / heads,
    embeddings are tied like Qwen3-0.6B (`tie_embeddings=False` adds `output.weight`)."""
    return TinyModel(vocab, dim, layers, hidden, heads, kv_heads, context_len, init, seed, head_dim,
                     rope_theta, rms_eps, tie_embeddings, arch="qwen3")


def qwen2_tiny(
    vocab: int,
    dim: int,
    layers: int,
    hidden: int,
    heads: int,
    kv_heads: int,
    context_len: int,
    init: str = "xavier_uniform",
    seed: int = 0,
    head_dim: int | None = None,
    rope_theta: float = 1e6,
    rms_eps: float = 1e-6,
    tie_embeddings: bool = True,
) -> TinyModel:
    """A small Qwen2 to train, with the arguments of `qwen3_tiny`: q/k/v projections with
    biases (trainable weights `blk.N.attn_{q,k,v}.bias`, initialized to zero, where torch's
    nn.Linear draws them at random: zero is a fine start, and `set_weights` sets others), no
    QK-norm; exported by `save_gguf` as a qwen2 GGUF."""
    return TinyModel(vocab, dim, layers, hidden, heads, kv_heads, context_len, init, seed, head_dim,
                     rope_theta, rms_eps, tie_embeddings, arch="qwen2")


def gpt2_tiny(
    vocab: int,
    dim: int,
    layers: int,
    heads: int,
    context_len: int,
    init: str = "xavier_uniform",
    seed: int = 0,
    layer_norm_eps: float = 1e-5,
    tie_embeddings: bool = True,
) -> TinyModel:
    """A small GPT-2 to train, with the arguments of `qwen3_tiny` that GPT-2 has: the MLP is
    4 * dim wide and attention full multi-head (kv_heads = heads, head_dim = dim / heads); the
    position table [context_len, dim] is a trained weight (`position_embd.weight`), LayerNorm
    weights start at one and every bias at zero. Embeddings are tied as in GPT-2;
    `save_gguf` exports a gpt2 GGUF as llama.cpp's converter writes one."""
    return TinyModel(vocab, dim, layers, 4 * dim, heads, heads, context_len, init, seed, None,
                     tie_embeddings=tie_embeddings, arch="gpt2", layer_norm_eps=layer_norm_eps)
