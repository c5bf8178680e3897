"""The `transformer` dialect: what a transformer LLM computes, with value semantics.

Ops sit at the level of an architecture template (embedding, rmsnorm, layernorm,
linear, column slice, QK-norm, rope, attention, gelu, ...). Activations are builtin tensors shaped
[tokens, features] where the token dimension may be dynamic (`?`); weights are
`!transformer.weight` values produced by `transformer.weight`, which names the
GGUF tensor. Every verifier checks shapes, so a linear whose weight does not fit
its input fails here, not at run time.
"""

from __future__ import annotations

from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    I64,
    Float32Type,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    TensorType,
    f32,
    i32,
)
from xdsl.ir import Attribute, Dialect, Operation, SSAValue
from xdsl.irdl import (
    AttrSizedOperandSegments,
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from ck.dialects.types import (
    WeightType,
    check_seq_len,
    expect_positive,
    expect_rank,
    expect_shape,
    fmt_shape,
    shape_of,
)

ROPE_STYLES = ("neox", "norm")
"""neox pairs element i with i + n_rot/2 (Qwen); norm pairs (2i, 2i+1) (Llama)."""

_FORMAT = "operands attr-dict `:` functional-type(operands, results)"


def activation_type(tokens: int, features: int) -> TensorType:
    return TensorType(f32, [tokens, features])


def describe(value: SSAValue) -> str:
    """Name a weight operand by its GGUF tensor when it comes from transformer.weight."""
    owner = value.owner
    if isinstance(owner, WeightOp):
        return f" '{owner.tensor_name.data}'"
    return ""


def _int(attr: IntegerAttr) -> int:
    return attr.value.data


def _tokens(value: SSAValue) -> int:
    return shape_of(value)[0]


def _check_activation(what: str, value: SSAValue) -> tuple[int, int]:
    """An f32 tensor [tokens, features]: tokens may be dynamic, features may not."""
    typ = value.type
    if not isinstance(typ, TensorType) or not isinstance(typ.element_type, Float32Type):
        raise VerifyException(f"{what} must be an f32 tensor, got {typ}")
    t, f = expect_rank(what, value, 2)
    if f == DYNAMIC_INDEX:
        raise VerifyException(f"{what} must have a static feature dimension, got {typ}")
    return t, f


def _check_token_ids(what: str, value: SSAValue) -> int:
    typ = value.type
    if not isinstance(typ, TensorType) or typ.element_type != i32:
        raise VerifyException(f"{what} must be a tensor of i32, got {typ}")
    return expect_rank(what, value, 1)[0]


def _check_weight(what: str, value: SSAValue, shape: tuple[int, ...]) -> None:
    got = shape_of(value)
    if got != shape:
        raise VerifyException(
            f"{what}{describe(value)} has shape {fmt_shape(got)}, expected {fmt_shape(shape)}"
        )


def _check_same_tokens(*values: tuple[str, SSAValue]) -> int:
    """All operands agree on the token count; returns it (dynamic when none is known)."""
    known = [(w, _tokens(v)) for w, v in values if _tokens(v) != DYNAMIC_INDEX]
    for w, t in known[1:]:
        if t != known[0][1]:
            raise VerifyException(f"{w} has {t} tokens but {known[0][0]} has {known[0][1]}")
    return known[0][1] if known else DYNAMIC_INDEX


def _check_result(op: Operation, tokens: int, features: int) -> None:
    """The result is an f32 tensor [tokens, features], agreeing with the operands' tokens."""
    result = op.results[0]
    _check_activation("result", result)
    expect_shape("result", result, (tokens, features))


@irdl_op_definition
class WeightOp(IRDLOperation):
    """A weight tensor of the model file, by its GGUF name."""

    name = "transformer.weight"
    tensor_name = prop_def(StringAttr)
    result = result_def(WeightType)
    traits = traits_def(Pure())
    assembly_format = "$tensor_name attr-dict `:` type($result)"

    def __init__(self, tensor_name: str, typ: WeightType) -> None:
        super().__init__(properties={"tensor_name": StringAttr(tensor_name)}, result_types=[typ])

    def verify_(self) -> None:
        if not self.tensor_name.data:
            raise VerifyException("weight tensor_name must not be empty")


@irdl_op_definition
class EmbeddingOp(IRDLOperation):
    """x[t] = table[tokens[t]]: rows of the [vocab, dim] embedding table."""

    name = "transformer.embedding"
    tokens = operand_def(TensorType)
    table = operand_def(WeightType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = _FORMAT

    def __init__(self, tokens: SSAValue, table: SSAValue) -> None:
        dim = shape_of(table)[1]
        super().__init__(operands=[tokens, table], result_types=[activation_type(_tokens(tokens), dim)])

    def verify_(self) -> None:
        t = _check_token_ids("tokens", self.tokens)
        table = expect_rank("embedding table", self.table, 2)
        _check_result(self, t, table[1])


@irdl_op_definition
class RMSNormOp(IRDLOperation):
    """y = x / sqrt(mean(x^2) + eps) * weight, over the feature dimension."""

    name = "transformer.rmsnorm"
    input = operand_def(TensorType)
    weight = operand_def(WeightType)
    eps = prop_def(FloatAttr[Float32Type])
    output = result_def(TensorType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = _FORMAT

    def __init__(self, input: SSAValue, weight: SSAValue, eps: float) -> None:
        super().__init__(
            operands=[input, weight],
            result_types=[input.type],
            properties={"eps": FloatAttr(eps, f32)},
        )

    def verify_(self) -> None:
        t, d = _check_activation("input", self.input)
        _check_weight("rmsnorm weight", self.weight, (d,))
        if not self.eps.value.data > 0:
            raise VerifyException(f"eps must be positive, got {self.eps.value.data}")
        _check_result(self, t, d)


@irdl_op_definition
class LayerNormOp(IRDLOperation):
    """y = (x - mean(x)) / sqrt(var(x) + eps) * weight + bias, over the feature dimension
    (GPT-2's LayerNorm: biased variance, eps inside the square root)."""

    name = "transformer.layernorm"
    input = operand_def(TensorType)
    weight = operand_def(WeightType)
    bias = operand_def(WeightType)
    eps = prop_def(FloatAttr[Float32Type])
    output = result_def(TensorType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = _FORMAT

    def __init__(self, input: SSAValue, weight: SSAValue, bias: SSAValue, eps: float) -> None:
        super().__init__(
            operands=[input, weight, bias],
            result_types=[input.type],
            properties={"eps": FloatAttr(eps, f32)},
        )

    def verify_(self) -> None:
        t, d = _check_activation("input", self.input)
        _check_weight("layernorm weight", self.weight, (d,))
        _check_weight("layernorm bias", self.bias, (d,))
        if not self.eps.value.data > 0:
            raise VerifyException(f"eps must be positive, got {self.eps.value.data}")
        _check_result(self, t, d)


@irdl_op_definition
class SliceOp(IRDLOperation):
    """y = x[:, offset : offset + width]: one part of a fused projection (GPT-2's q, k, v
    out of attn_qkv), `width` read off the result type."""

    name = "transformer.slice"
    input = operand_def(TensorType)
    offset = prop_def(IntegerAttr[I64])
    output = result_def(TensorType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = _FORMAT

    def __init__(self, input: SSAValue, offset: int, width: int) -> None:
        super().__init__(
            operands=[input],
            result_types=[activation_type(_tokens(input), width)],
            properties={"offset": IntegerAttr(offset, 64)},
        )

    def verify_(self) -> None:
        t, d = _check_activation("input", self.input)
        _, width = _check_activation("result", self.output)
        offset = _int(self.offset)
        if offset < 0 or width <= 0 or offset + width > d:
            raise VerifyException(f"columns [{offset}, {offset + width}) are not within the input's {d}")
        _check_result(self, t, width)


@irdl_op_definition
class GeluOp(IRDLOperation):
    """y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))): GELU in the tanh form
    (transformers' `gelu_new`, GPT-2's MLP activation; ggml_gelu)."""

    name = "transformer.gelu"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = _FORMAT

    def __init__(self, input: SSAValue) -> None:
        super().__init__(operands=[input], result_types=[input.type])

    def verify_(self) -> None:
        t, d = _check_activation("input", self.input)
        _check_result(self, t, d)


@irdl_op_definition
class LinearOp(IRDLOperation):
    """y = x @ W^T (+ b), W stored [out, in]."""

    name = "transformer.linear"
    input = operand_def(TensorType)
    weight = operand_def(WeightType)
    bias = opt_operand_def(WeightType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    irdl_options = (AttrSizedOperandSegments(as_property=True),)
    assembly_format = (
        "$input `,` $weight (`bias` $bias^)? attr-dict `:` `(` type($input) `,` type($weight)"
        " (`,` type($bias)^)? `)` `->` type($output)"
    )

    def __init__(self, input: SSAValue, weight: SSAValue, bias: SSAValue | None = None) -> None:
        out = shape_of(weight)[0]
        super().__init__(
            operands=[input, weight, [bias] if bias is not None else []],
            result_types=[activation_type(_tokens(input), out)],
        )

    def verify_(self) -> None:
        t, d_in = _check_activation("input", self.input)
        w = expect_rank("linear weight", self.weight, 2)
        if w[1] != d_in:
            raise VerifyException(
                f"linear weight{describe(self.weight)} has shape {fmt_shape(w)} ([out, in]) "
                f"but the input has {d_in} features"
            )
        if self.bias is not None:
            _check_weight("linear bias", self.bias, (w[0],))
        _check_result(self, t, w[0])


@irdl_op_definition
class HeadRMSNormOp(IRDLOperation):
    """QK-norm: RMSNorm over each head's head_dim slice, with one shared weight [head_dim]."""

    name = "transformer.head_rmsnorm"
    input = operand_def(TensorType)
    weight = operand_def(WeightType)
    head_dim = prop_def(IntegerAttr[I64])
    eps = prop_def(FloatAttr[Float32Type])
    output = result_def(TensorType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = _FORMAT

    def __init__(self, input: SSAValue, weight: SSAValue, head_dim: int, eps: float) -> None:
        super().__init__(
            operands=[input, weight],
            result_types=[input.type],
            properties={"head_dim": IntegerAttr(head_dim, 64), "eps": FloatAttr(eps, f32)},
        )

    def verify_(self) -> None:
        t, d = _check_activation("input", self.input)
        hd = _int(self.head_dim)
        expect_positive("head_dim", hd)
        if d % hd:
            raise VerifyException(f"input width {d} is not a multiple of head_dim {hd}")
        _check_weight("head_rmsnorm weight", self.weight, (hd,))
        if not self.eps.value.data > 0:
            raise VerifyException(f"eps must be positive, got {self.eps.value.data}")
        _check_result(self, t, d)


@irdl_op_definition
class RopeOp(IRDLOperation):
    """Rotary position embedding of each head's first n_rot dims at the given positions."""

    name = "transformer.rope"
    input = operand_def(TensorType)
    positions = operand_def(TensorType)
    head_dim = prop_def(IntegerAttr[I64])
    n_rot = prop_def(IntegerAttr[I64])
    theta = prop_def(FloatAttr[Float32Type])
    style = prop_def(StringAttr)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = _FORMAT

    def __init__(
        self, input: SSAValue, positions: SSAValue, head_dim: int, n_rot: int, theta: float, style: str
    ) -> None:
        super().__init__(
            operands=[input, positions],
            result_types=[input.type],
            properties={
                "head_dim": IntegerAttr(head_dim, 64),
                "n_rot": IntegerAttr(n_rot, 64),
                "theta": FloatAttr(theta, f32),
                "style": StringAttr(style),
            },
        )

    def verify_(self) -> None:
        t, d = _check_activation("input", self.input)
        _check_token_ids("positions", self.positions)
        t = _check_same_tokens(("input", self.input), ("positions", self.positions))
        hd, n_rot = _int(self.head_dim), _int(self.n_rot)
        expect_positive("head_dim", hd)
        if d % hd:
            raise VerifyException(f"input width {d} is not a multiple of head_dim {hd}")
        if n_rot <= 0 or n_rot > hd or n_rot % 2:
            raise VerifyException(f"n_rot must be even and between 2 and head_dim ({hd}), got {n_rot}")
        if self.style.data not in ROPE_STYLES:
            raise VerifyException(
                f"unknown rope style '{self.style.data}' (expected one of {', '.join(ROPE_STYLES)})"
            )
        if not self.theta.value.data > 0:
            raise VerifyException(f"theta must be positive, got {self.theta.value.data}")
        _check_result(self, t, d)


@irdl_op_definition
class AttentionOp(IRDLOperation):
    """Causal grouped-query attention: q head h reads kv head h // (n_heads / n_kv_heads).

    `positions` are the absolute positions of the query tokens; with `kv_slot` set the
    op is bound to that KV-cache slot and attends to every earlier cached position.
    With `seq_len` L the rows are a batch of sequences of L tokens, one after another,
    and each row attends only within its own sequence (training batches).
    """

    name = "transformer.attention"
    q = operand_def(TensorType)
    k = operand_def(TensorType)
    v = operand_def(TensorType)
    positions = operand_def(TensorType)
    n_heads = prop_def(IntegerAttr[I64])
    n_kv_heads = prop_def(IntegerAttr[I64])
    head_dim = prop_def(IntegerAttr[I64])
    scale = prop_def(FloatAttr[Float32Type])
    kv_slot = opt_prop_def(IntegerAttr[I64])
    seq_len = opt_prop_def(IntegerAttr[I64])
    output = result_def(TensorType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = _FORMAT

    def __init__(
        self,
        q: SSAValue,
        k: SSAValue,
        v: SSAValue,
        positions: SSAValue,
        n_heads: int,
        n_kv_heads: int,
        head_dim: int,
        scale: float,
        kv_slot: int | None = None,
        seq_len: int | None = None,
    ) -> None:
        props: dict[str, Attribute] = {
            "n_heads": IntegerAttr(n_heads, 64),
            "n_kv_heads": IntegerAttr(n_kv_heads, 64),
            "head_dim": IntegerAttr(head_dim, 64),
            "scale": FloatAttr(scale, f32),
        }
        if kv_slot is not None:
            props["kv_slot"] = IntegerAttr(kv_slot, 64)
        if seq_len is not None:
            props["seq_len"] = IntegerAttr(seq_len, 64)
        super().__init__(
            operands=[q, k, v, positions], result_types=[q.type], properties=props
        )

    def verify_(self) -> None:
        hq, hkv, hd = _int(self.n_heads), _int(self.n_kv_heads), _int(self.head_dim)
        for what, n in (("n_heads", hq), ("n_kv_heads", hkv), ("head_dim", hd)):
            expect_positive(what, n)
        if hq % hkv:
            raise VerifyException(f"n_heads ({hq}) must be a multiple of n_kv_heads ({hkv})")
        t, dq = _check_activation("q", self.q)
        _, dk = _check_activation("k", self.k)
        _, dv = _check_activation("v", self.v)
        _check_token_ids("positions", self.positions)
        t = _check_same_tokens(("q", self.q), ("k", self.k), ("v", self.v), ("positions", self.positions))
        if dq != hq * hd:
            raise VerifyException(f"q has width {dq}, expected n_heads * head_dim = {hq * hd}")
        for what, width in (("k", dk), ("v", dv)):
            if width != hkv * hd:
                raise VerifyException(
                    f"{what} has width {width}, expected n_kv_heads * head_dim = {hkv * hd}"
                )
        if not self.scale.value.data > 0:
            raise VerifyException(f"scale must be positive, got {self.scale.value.data}")
        if self.kv_slot is not None and _int(self.kv_slot) < 0:
            raise VerifyException(f"kv_slot must be non-negative, got {_int(self.kv_slot)}")
        check_seq_len(self, t)
        _check_result(self, t, dq)


class _BinaryElementwise(IRDLOperation):
    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = _FORMAT

    def __init__(self, lhs: SSAValue, rhs: SSAValue) -> None:
        super().__init__(operands=[lhs, rhs], result_types=[lhs.type])

    def verify_(self) -> None:
        _, d = _check_activation("lhs", self.lhs)
        _, d_rhs = _check_activation("rhs", self.rhs)
        if d_rhs != d:
            raise VerifyException(f"rhs has {d_rhs} features but lhs has {d}")
        t = _check_same_tokens(("lhs", self.lhs), ("rhs", self.rhs))
        _check_result(self, t, d)


@irdl_op_definition
class AddOp(_BinaryElementwise):
    """Residual add: y = lhs + rhs."""

    name = "transformer.add"


@irdl_op_definition
class SiluMulOp(_BinaryElementwise):
    """SwiGLU gate: y = silu(lhs) * rhs with lhs the gate and rhs the up projection."""

    name = "transformer.silu_mul"


@irdl_op_definition
class LMHeadOp(IRDLOperation):
    """logits = x @ W^T with W the [vocab, dim] output matrix (or the tied embedding)."""

    name = "transformer.lm_head"
    input = operand_def(TensorType)
    weight = operand_def(WeightType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = _FORMAT

    def __init__(self, input: SSAValue, weight: SSAValue) -> None:
        vocab = shape_of(weight)[0]
        super().__init__(operands=[input, weight], result_types=[activation_type(_tokens(input), vocab)])

    def verify_(self) -> None:
        t, d = _check_activation("input", self.input)
        w = expect_rank("lm_head weight", self.weight, 2)
        if w[1] != d:
            raise VerifyException(
                f"lm_head weight{describe(self.weight)} has shape {fmt_shape(w)} ([vocab, dim]) "
                f"but the input has {d} features"
            )
        _check_result(self, t, w[0])


@irdl_op_definition
class CrossEntropyOp(IRDLOperation):
    """Mean over tokens of -log softmax(logits)[target]."""

    name = "transformer.cross_entropy"
    logits = operand_def(TensorType)
    targets = operand_def(TensorType)
    loss = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = _FORMAT

    def __init__(self, logits: SSAValue, targets: SSAValue) -> None:
        super().__init__(operands=[logits, targets], result_types=[TensorType(f32, [])])

    def verify_(self) -> None:
        _check_activation("logits", self.logits)
        _check_token_ids("targets", self.targets)
        _check_same_tokens(("logits", self.logits), ("targets", self.targets))
        loss = self.loss.type
        if not isinstance(loss, TensorType) or loss.get_shape() != () or loss.element_type != f32:
            raise VerifyException(f"loss must be a scalar tensor<f32>, got {loss}")


Transformer = Dialect(
    "transformer",
    [
        WeightOp,
        EmbeddingOp,
        RMSNormOp,
        LayerNormOp,
        LinearOp,
        SliceOp,
        HeadRMSNormOp,
        RopeOp,
        AttentionOp,
        AddOp,
        SiluMulOp,
        GeluOp,
        LMHeadOp,
        CrossEntropyOp,
    ],
    [WeightType],
)

