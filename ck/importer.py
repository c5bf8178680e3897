"""GGUF -> transformer dialect: expand the architecture template into one flat op list.

Every layer is unrolled and every weight is a `transformer.weight` op naming its
GGUF tensor, placed just before its first use so each layer reads top to bottom.
The file is fully checked (template.resolve) before the first op is built.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import DYNAMIC_INDEX, ModuleOp, TensorType, i32
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.rewriter import InsertPoint

from ck.dialects import transformer as tf
from ck.dialects.types import WeightType
from ck.formula import evaluate
from ck.gguf_file import GGUFFile
from ck.template import ResolvedModel, expand, resolve

STRING_ATTRS = {"style"}  # template attributes taken literally, not as formulas

OpBuilder = Callable[[list[SSAValue], list[SSAValue], dict[str, Any]], Operation]

OP_BUILDERS: dict[str, OpBuilder] = {
    "embedding": lambda a, w, _: tf.EmbeddingOp(a[0], w[0]),
    "rmsnorm": lambda a, w, at: tf.RMSNormOp(a[0], w[0], at["eps"]),
    "layernorm": lambda a, w, at: tf.LayerNormOp(a[0], w[0], w[1], at["eps"]),
    "slice": lambda a, _, at: tf.SliceOp(a[0], at["offset"], at["width"]),
    "linear": lambda a, w, _: tf.LinearOp(a[0], w[0], w[1] if len(w) > 1 else None),
    "head_rmsnorm": lambda a, w, at: tf.HeadRMSNormOp(a[0], w[0], at["head_dim"], at["eps"]),
    "rope": lambda a, _, at: tf.RopeOp(a[0], a[1], at["head_dim"], at["n_rot"], at["theta"], at["style"]),
    "attention": lambda a, _, at: tf.AttentionOp(
        a[0], a[1], a[2], a[3], at["n_heads"], at["n_kv_heads"], at["head_dim"], at["scale"], at.get("kv_slot"),
        at.get("seq_len"),
    ),
    "add": lambda a, _, __: tf.AddOp(a[0], a[1]),
    "silu_mul": lambda a, _, __: tf.SiluMulOp(a[0], a[1]),
    "gelu": lambda a, _, __: tf.GeluOp(a[0]),
    "lm_head": lambda a, w, _: tf.LMHeadOp(a[0], w[0]),
}


@dataclass
class ImportedModel:
    """The transformer-level module of a GGUF file, with what it was built from."""

    module: ModuleOp
    model: ResolvedModel

    @property
    def hparams(self) -> dict[str, int | float]:
        return self.model.hparams

    @property
    def gguf(self) -> GGUFFile:
        return self.model.gguf


def import_gguf(source: str | os.PathLike[str] | GGUFFile, tokens: int = DYNAMIC_INDEX) -> ImportedModel:
    """Check a GGUF file against its template and build `func.func @forward(tokens, positions)`.

    `tokens` fixes the sequence length of the IR (dynamic `?` by default).
    """
    gguf = source if isinstance(source, GGUFFile) else GGUFFile(source)
    model = resolve(gguf)
    return ImportedModel(_build(model, tokens), model)


@dataclass(frozen=True)
class WeightRef:
    """A tensor a template op reads: the stored tensor's name (for a tied output, the
    embedding's), its logical shape and storage dtype."""

    stored: str
    shape: tuple[int, ...]
    dtype: str


def _build(model: ResolvedModel, tokens: int) -> ModuleOp:
    refs = {}
    for name, resolved in model.tensors.items():
        info = resolved.info
        assert info.dtype is not None  # checked by resolve()
        refs[name] = WeightRef(info.name, info.shape, info.dtype)
    return build_module(model.template, model.hparams, refs, tokens)


def build_module(
    template: dict[str, Any],
    hparams: dict[str, int | float],
    tensors: dict[str, WeightRef],
    tokens: int,
    loss: bool = False,
    batch: int = 1,
) -> ModuleOp:
    """Expand `template` into `func.func @forward(tokens, positions) -> logits`.

    With `loss`, the function is `@train_step(tokens, positions, targets) -> loss`: the
    forward pass over `batch` sequences of `tokens` tokens laid out row after row
    (attention stays within each sequence), followed by the mean cross-entropy of the
    logits against `targets`.
    """
    ids_type = TensorType(i32, [tokens * batch if loss else tokens])
    vocab = int(hparams["n_vocab"])
    inputs = [*template["inputs"], *(["targets"] if loss else [])]
    block = Block(arg_types=[ids_type] * len(inputs))
    env: dict[str, SSAValue] = {}
    for name, arg in zip(inputs, block.args, strict=True):
        arg.name_hint = name
        env[name] = arg
    builder = Builder(InsertPoint.at_end(block))
    weights: dict[str, SSAValue] = {}

    def weight(name: str) -> SSAValue:
        ref = tensors[name]
        if ref.stored not in weights:
            op = builder.insert(tf.WeightOp(ref.stored, WeightType(ref.shape, ref.dtype)))
            op.result.name_hint = ref.stored.replace(".weight", "").replace(".", "_")
            weights[ref.stored] = op.result
        return weights[ref.stored]

    def emit(entries: list[dict[str, Any]], layer: int | None) -> None:
        names = {**hparams, "i": layer if layer is not None else 0}
        for entry in entries:
            args = [env[a] for a in entry["args"]]
            ws = [weight(expand(w, layer)) for w in entry.get("weights", []) if expand(w, layer) in tensors]
            attrs = {
                k: v if k in STRING_ATTRS else evaluate(v, names)
                for k, v in entry.get("attrs", {}).items()
            }
            if loss and entry["op"] == "attention":  # training: no KV cache; each sequence of the batch alone
                attrs.pop("kv_slot", None)
                attrs["seq_len"] = tokens
            op = builder.insert(OP_BUILDERS[entry["op"]](args, ws, attrs))
            out = op.results[0]
            out.name_hint = entry["out"] if layer is None else f"l{layer}_{entry['out']}"
            env[entry["out"]] = out

    emit(template["header"], None)
    for layer in range(int(hparams["n_layer"])):
        emit(template["layer"], layer)
    emit(template["footer"], None)
    (logits,) = [env[o] for o in template["outputs"]]
    if loss:
        ce = builder.insert(tf.CrossEntropyOp(logits, env["targets"]))
        ce.loss.name_hint = "loss"
        builder.insert(func.ReturnOp(ce.loss))
        signature = ([ids_type] * 3, [ce.loss.type])
    else:
        builder.insert(func.ReturnOp(logits))
        signature = ([ids_type, ids_type], [TensorType(tf.f32, [tokens, vocab])])  # one sequence
    fn = func.FuncOp("train_step" if loss else "forward", signature, Region(block))
    module = ModuleOp([fn])
    module.verify()
    return module
