"""`transformer-autodiff`: derive the backward pass of a training function.

Input: `@train_step(tokens, positions, targets) -> loss`, a forward pass ending in
`transformer.cross_entropy`. The pass replaces the loss by `kernel.softmax_xent`
(which also yields d loss / d logits), then walks the forward ops in reverse and
appends, for each, the backward kernels of its VJP rule (`VJP_RULES`, one per
transformer op). A value used several times (the residual stream, a tied
embedding) gets its gradients summed by explicit `kernel.add` ops. Forward values
the backward reads are marked `ck.saved` (plan-memory keeps them alive anyway; the
mark is for the reader). The function then returns the loss and the gradient of
every weight, named in its `ck.grads` attribute; the module's `ck.invariants`
(JSON) counts what was derived. An op without a rule is listed as unresolved and
the pass fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ArrayAttr, FunctionType, ModuleOp, StringAttr, TensorType, UnitAttr, f32
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.utils.exceptions import PassFailedException

from ck.dialects import kernel as kn
from ck.dialects import transformer as tf
from ck.dialects.types import shape_of


def _int(attr: object) -> int:
    return attr.value.data  # type: ignore[attr-defined]


def _float(attr: object) -> float:
    return attr.value.data  # type: ignore[attr-defined]


@dataclass
class Backward:
    """The backward ops being appended, and the gradients found so far."""

    insert_before: Operation
    grads: dict[SSAValue, SSAValue] = field(default_factory=dict)
    accumulations: list[str] = field(default_factory=list)
    ops: int = 0

    def emit(self, op: Operation) -> Operation:
        Rewriter.insert_op(op, InsertPoint.before(self.insert_before))
        self.ops += 1
        return op

    def add_grad(self, value: SSAValue, grad: SSAValue) -> None:
        """Record d loss / d value, summing with an earlier contribution if there is one."""
        if value not in self.grads:
            self.grads[value] = grad
            return
        total = self.emit(kn.AddOp(self.grads[value], grad)).results[0]
        name = value.name_hint or (value.owner.tensor_name.data if isinstance(value.owner, tf.WeightOp) else "?")
        total.name_hint = f"d_{name}"
        self.accumulations.append(name)
        self.grads[value] = total


def _saved(*values: SSAValue) -> None:
    for v in values:
        if isinstance(v.owner, Operation) and not isinstance(v.owner, tf.WeightOp):
            v.owner.attributes["ck.saved"] = UnitAttr()


def vjp_linear(op: tf.LinearOp, dy: SSAValue, b: Backward) -> None:
    _saved(op.input)
    b.add_grad(op.input, b.emit(kn.MatmulDxOp(dy, op.weight)).results[0])
    b.add_grad(op.weight, b.emit(kn.MatmulDwOp(dy, op.input)).results[0])
    if op.bias is not None:  # y = x w^T + b: db sums dy over the tokens
        b.add_grad(op.bias, b.emit(kn.MatmulDbOp(dy)).results[0])


def vjp_lm_head(op: tf.LMHeadOp, dy: SSAValue, b: Backward) -> None:
    _saved(op.input)
    b.add_grad(op.input, b.emit(kn.MatmulDxOp(dy, op.weight)).results[0])
    b.add_grad(op.weight, b.emit(kn.MatmulDwOp(dy, op.input)).results[0])


def vjp_rmsnorm(op: tf.RMSNormOp, dy: SSAValue, b: Backward) -> None:
    _saved(op.input)
    bwd = b.emit(kn.RMSNormBwdOp(dy, op.input, op.weight, _float(op.eps)))
    b.add_grad(op.input, bwd.results[0])
    b.add_grad(op.weight, bwd.results[1])


def vjp_layernorm(op: tf.LayerNormOp, dy: SSAValue, b: Backward) -> None:
    _saved(op.input)
    bwd = b.emit(kn.LayerNormBwdOp(dy, op.input, op.weight, _float(op.eps)))
    b.add_grad(op.input, bwd.results[0])
    b.add_grad(op.weight, bwd.results[1])
    b.add_grad(op.bias, bwd.results[2])


def vjp_gelu(op: tf.GeluOp, dy: SSAValue, b: Backward) -> None:
    _saved(op.input)
    b.add_grad(op.input, b.emit(kn.GeluBwdOp(dy, op.input)).results[0])


def vjp_slice(op: tf.SliceOp, dy: SSAValue, b: Backward) -> None:
    """dy into the slice's columns of a zero gradient as wide as the input (the q, k and v
    slices of one projection then sum into its gradient)."""
    full = shape_of(op.input)[1]
    b.add_grad(op.input, b.emit(kn.SliceBwdOp(dy, _int(op.offset), full)).results[0])


def vjp_head_rmsnorm(op: tf.HeadRMSNormOp, dy: SSAValue, b: Backward) -> None:
    _saved(op.input)
    bwd = b.emit(kn.HeadRMSNormBwdOp(dy, op.input, op.weight, _int(op.head_dim), _float(op.eps)))
    b.add_grad(op.input, bwd.results[0])
    b.add_grad(op.weight, bwd.results[1])


def vjp_rope(op: tf.RopeOp, dy: SSAValue, b: Backward) -> None:
    bwd = b.emit(kn.RopeBwdOp(dy, op.positions, _int(op.head_dim), _int(op.n_rot), _float(op.theta), op.style.data))
    b.add_grad(op.input, bwd.results[0])


def vjp_attention(op: tf.AttentionOp, dy: SSAValue, b: Backward) -> None:
    _saved(op.q, op.k, op.v)
    bwd_op = kn.AttentionBwdOp(dy, op.q, op.k, op.v, op.positions, _int(op.n_heads), _int(op.n_kv_heads),
                               _int(op.head_dim), _float(op.scale))
    if op.seq_len is not None:
        bwd_op.properties["seq_len"] = op.seq_len
    bwd = b.emit(bwd_op)
    for value, grad in zip((op.q, op.k, op.v), bwd.results, strict=True):
        b.add_grad(value, grad)


def vjp_add(op: tf.AddOp, dy: SSAValue, b: Backward) -> None:
    b.add_grad(op.lhs, dy)
    b.add_grad(op.rhs, dy)


def vjp_silu_mul(op: tf.SiluMulOp, dy: SSAValue, b: Backward) -> None:
    _saved(op.lhs, op.rhs)
    bwd = b.emit(kn.SiluMulBwdOp(dy, op.lhs, op.rhs))
    b.add_grad(op.lhs, bwd.results[0])
    b.add_grad(op.rhs, bwd.results[1])


def vjp_embedding(op: tf.EmbeddingOp, dy: SSAValue, b: Backward) -> None:
    table = TensorType(f32, shape_of(op.table))
    b.add_grad(op.table, b.emit(kn.EmbeddingBwdOp(dy, op.tokens, result_types=[table])).results[0])


VJP_RULES: dict[type[Operation], Callable[..., None]] = {
    tf.LinearOp: vjp_linear,
    tf.LMHeadOp: vjp_lm_head,
    tf.RMSNormOp: vjp_rmsnorm,
    tf.LayerNormOp: vjp_layernorm,
    tf.GeluOp: vjp_gelu,
    tf.SliceOp: vjp_slice,
    tf.HeadRMSNormOp: vjp_head_rmsnorm,
    tf.RopeOp: vjp_rope,
    tf.AttentionOp: vjp_attention,
    tf.AddOp: vjp_add,
    tf.SiluMulOp: vjp_silu_mul,
    tf.EmbeddingOp: vjp_embedding,
}


def differentiate(fn: func.FuncOp) -> dict[str, object]:
    """Append the backward pass to `fn` (in place); returns its invariants."""
    block = fn.body.block
    ret = block.last_op
    if not isinstance(ret, func.ReturnOp) or len(ret.arguments) != 1:
        raise PassFailedException(f"transformer-autodiff: @{fn.sym_name.data} must return the loss alone")
    ce = ret.arguments[0].owner
    if not isinstance(ce, tf.CrossEntropyOp):
        raise PassFailedException(
            f"transformer-autodiff: @{fn.sym_name.data} must return a transformer.cross_entropy loss"
        )
    forward = [op for op in block.ops if op is not ret and not isinstance(op, tf.WeightOp)]
    xent = kn.SoftmaxXentOp(ce.logits, ce.targets)
    xent.results[0].name_hint, xent.results[1].name_hint = "loss", "d_logits"
    Rewriter.insert_op(xent, InsertPoint.before(ce))
    ce.loss.replace_all_uses_with(xent.results[0])
    Rewriter.erase_op(ce)
    _saved(xent.logits)

    b = Backward(ret)
    b.grads[xent.logits] = xent.results[1]
    unresolved: list[str] = []
    for op in reversed(forward):
        if isinstance(op, tf.CrossEntropyOp):
            continue
        dy = b.grads.get(op.results[0]) if op.results else None
        if dy is None:
            continue  # nothing downstream depends on it
        rule = VJP_RULES.get(type(op))
        if rule is None:
            unresolved.append(op.name)
            continue
        try:
            rule(op, dy, b)
        except NotImplementedError as e:
            unresolved.append(str(e))
    weight_ops = [op for op in block.ops if isinstance(op, tf.WeightOp)]
    names, grads = [], []
    for w in weight_ops:
        g = b.grads.get(w.result)
        if g is not None:
            g.name_hint = "d_" + w.tensor_name.data.removesuffix(".weight").replace(".", "_")
            names.append(w.tensor_name.data)
            grads.append(g)
    new_ret = func.ReturnOp(xent.results[0], *grads)
    Rewriter.replace_op(ret, new_ret)
    fn.function_type = FunctionType.from_lists(list(fn.function_type.inputs.data), [v.type for v in new_ret.arguments])
    fn.attributes["ck.grads"] = ArrayAttr([StringAttr(n) for n in names])
    weight_values = {w.result for w in weight_ops}
    invariants: dict[str, object] = {
        "forward_ops": len(forward),
        "backward_ops": b.ops,
        "weight_grads": names,
        "activation_grads": sum(1 for v in b.grads if v not in weight_values),
        "accumulations": b.accumulations,
        "unresolved": unresolved,
    }
    return invariants


@dataclass(frozen=True)
class TransformerAutodiffPass(ModulePass):
    name = "transformer-autodiff"

    entry: str = "train_step"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        fns = [f for f in op.ops if isinstance(f, func.FuncOp) and f.sym_name.data == self.entry]
        if not fns:
            raise PassFailedException(f"transformer-autodiff: no function @{self.entry}")
        invariants = differentiate(fns[0])
        op.attributes["ck.invariants"] = StringAttr(json.dumps(invariants))
        if invariants["unresolved"]:
            raise PassFailedException(
                "transformer-autodiff: no VJP rule for " + ", ".join(map(str, invariants["unresolved"]))
            )
