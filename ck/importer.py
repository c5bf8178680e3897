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
    "linear": lambda a, w, _: tf.LinearOp(a[0], w[0], w[1] if len(w) > 1 else None),
    "head_rmsnorm": lambda a, w, at: tf.HeadRMSNormOp(a[0], w[0], at["head_dim"], at["eps"]),
    "rope": lambda a, _, at: tf.RopeOp(a[0], a[1], at["head_dim"], at["n_rot"], at["theta"], at["style"]),
    "attention": lambda a, _, at: tf.AttentionOp(
        a[0], a[1], a[2], a[3], at["n_heads"], at["n_kv_heads"], at["head_dim"], at["scale"], at.get("kv_slot")
    ),
    "add": lambda a, _, __: tf.AddOp(a[0], a[1]),
    "silu_mul": lambda a, _, __: tf.SiluMulOp(a[0], a[1]),
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


def _build(model: ResolvedModel, tokens: int) -> ModuleOp:
    template = model.template
    ids_type = TensorType(i32, [tokens])
    vocab = int(model.hparams["n_vocab"])
    block = Block(arg_types=[ids_type, ids_type])
    env: dict[str, SSAValue] = {}
    for name, arg in zip(template["inputs"], block.args, strict=True):
        arg.name_hint = name
        env[name] = arg
    builder = Builder(InsertPoint.at_end(block))
    weights: dict[str, SSAValue] = {}

    def weight(name: str) -> SSAValue:
        resolved = model.tensors[name]
        stored = resolved.info.name
        if stored not in weights:
            info = resolved.info
            assert info.dtype is not None  # checked by resolve()
            op = builder.insert(tf.WeightOp(stored, WeightType(info.shape, info.dtype)))
            op.result.name_hint = stored.replace(".weight", "").replace(".", "_")
            weights[stored] = op.result
        return weights[stored]

    def emit(entries: list[dict[str, Any]], layer: int | None) -> None:
        names = {**model.hparams, "i": layer if layer is not None else 0}
        for entry in entries:
            args = [env[a] for a in entry["args"]]
            ws = [
                weight(expand(w, layer))
                for w in entry.get("weights", [])
                if expand(w, layer) in model.tensors
            ]
            attrs = {
                k: v if k in STRING_ATTRS else evaluate(v, names)
                for k, v in entry.get("attrs", {}).items()
            }
            op = builder.insert(OP_BUILDERS[entry["op"]](args, ws, attrs))
            out = op.results[0]
            out.name_hint = entry["out"] if layer is None else f"l{layer}_{entry['out']}"
            env[entry["out"]] = out

    emit(template["header"], None)
    for layer in range(int(model.hparams["n_layer"])):
        emit(template["layer"], layer)
    emit(template["footer"], None)
    outputs = [env[o] for o in template["outputs"]]
    builder.insert(func.ReturnOp(*outputs))
    fn = func.FuncOp(
        "forward",
        ([ids_type, ids_type], [TensorType(tf.f32, [tokens, vocab])]),
        Region(block),
    )
    fn.attributes["ck.arch"] = tf.StringAttr(model.arch)
    module = ModuleOp([fn])
    module.verify()
    return module
