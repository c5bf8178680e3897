"""The `kernel` dialect: which concrete kernel computes each step.

One op per kernel family, with dtype and variant fixed as typed properties (the
kernel registry picks them when lowering from `transformer`), so verifiers check
shapes and dtypes and passes match on op classes. Every op has two forms, as in
MLIR's linalg:

* value form, on builtin tensors, with results (what the lowering produces):

      %y = kernel.rmsnorm ins(%x, %w : tensor<?x64xf32>, !transformer.weight<64, f32>)
             {eps = 1.0e-06 : f32} -> tensor<?x64xf32>

* destination-passing form, on memrefs, no results, the outputs written into
  `outs(...)` buffers (what the memory level uses):

      kernel.rmsnorm ins(%x, %w : memref<4x64xf32>, !transformer.weight<64, f32>)
             outs(%y : memref<4x64xf32>) {eps = 1.0e-06 : f32}

Weights are `!transformer.weight` values (read-only, any storage dtype) in both
forms; trainable weights may instead be f32 tensors (value form) or memrefs
(destination-passing form). Activations are f32 and shaped [tokens, features];
the token dimension may be dynamic (`?`), and `?` matches any size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import ClassVar

from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    I64,
    Float32Type,
    IntAttr,
    FloatAttr,
    IntegerAttr,
    MemRefType,
    StringAttr,
    TensorType,
    UnitAttr,
    f16,
    f32,
    i8,
    i32,
)
from xdsl.ir import Attribute, Dialect, Operation, ParametrizedAttribute, SSAValue
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.irdl import (
    AttrSizedOperandSegments,
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_attr_definition,
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    prop_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.traits import EffectInstance, MemoryEffect, MemoryEffectKind
from xdsl.utils.exceptions import VerifyException

from ck.dialects.types import (
    K_QUANT_DTYPES,
    WEIGHT_DTYPES,
    check_seq_len,
    WeightType,
    dim_matches,
    expect_positive,
    expect_rank,
    expect_shape,
    fmt_shape,
    is_quantized,
    shape_of,
)

ACT_DTYPES = ("f32", "q8_0", "q8_k")
"""8-bit activations as llama.cpp quantizes them for the weight type's dot product: q8_0 (a
scale and a sum per block of 32) for q8_0 and the legacy 4/5-bit types, q8_k (a scale per
256, a sum per 16) for the k-quants; f32: no quantization."""
ACT_BLOCKS: dict[str, tuple[int, int]] = {"q8_0": (32, 32), "q8_k": (256, 16)}
"""Per 8-bit activation dtype: (values per scale, values per sum)."""
ACT_CHOICES = ("f32", "q8_0")
"""What a build asks for (CompileOptions.act_dtype, --act-dtype): f32, or q8_0 meaning 8-bit
activations in the form each weight dtype's dot product takes (matmul_act_dtype)."""
ROPE_STYLES = ("neox", "norm")
"""neox pairs element i with i + n_rot/2 (Qwen); norm pairs (2i, 2i+1) (Llama)."""
ATTENTION_VARIANTS = ("prefill", "decode", "batch")
"""prefill: T query tokens at once; decode: one token against the KV cache."""
Q8_BLOCK = 32
KV_DTYPES = ("f32", "f16")
"""Element types of the KV cache."""
SPLITS = ("tokens", "rows", "heads", "replicate")
"""How a kernel's work is divided among the runtime's threads (the `split` property):
tokens (rows of the activations), rows (of a weight: output features), heads (kv heads and
the query heads that read them), replicate (every thread computes everything, into
buffers of its own: no thread waits for another to read them)."""
EPILOGUES = ("silu_mul",)
"""What a matmul may apply to its outputs before storing them: silu_mul takes two weights
(gate, up) and writes silu(x gate^T) * (x up^T)."""

Activation = TensorType | MemRefType
Weight = WeightType | TensorType | MemRefType


# ----------------------------------------------------------------------------- helpers


def _int(attr: IntegerAttr) -> int:
    return attr.value.data


def _float(attr: FloatAttr) -> float:
    return attr.value.data


def _fmt(value: float) -> str:
    """An f32 property as written (0.1, not 0.10000000149011612)."""
    return f"{value:.7g}"


def _describe(what: str, value: SSAValue) -> str:
    """`what`, followed by the GGUF tensor name when the producer carries a `tensor_name`."""
    name = getattr(value.owner, "tensor_name", None)
    return f"{what} '{name.data}'" if isinstance(name, StringAttr) else what


def _typed(what: str, value: SSAValue, element: Attribute) -> None:
    typ = value.type
    if not isinstance(typ, TensorType | MemRefType) or typ.element_type != element:
        raise VerifyException(f"{what} must be a tensor or memref of {element}, got {typ}")


def _act(what: str, value: SSAValue, rank: int = 2) -> tuple[int, ...]:
    """An f32 activation of the given rank; returns its shape."""
    _typed(what, value, f32)
    return expect_rank(what, value, rank)


def _out(what: str, value: SSAValue, shape: Sequence[int], element: Attribute = f32) -> None:
    _typed(what, value, element)
    if not shape and shape_of(value):
        raise VerifyException(f"{what} must be a scalar (rank 0), got {value.type}")
    expect_shape(what, value, shape)


def _ids(what: str, value: SSAValue) -> int:
    """Token ids, positions or targets: i32 [T]; returns T."""
    _typed(what, value, i32)
    return expect_rank(what, value, 1)[0]


def _weight(what: str, value: SSAValue, rank: int) -> tuple[str, tuple[int, ...]]:
    """A weight operand: returns its storage dtype (f32 for a tensor/memref) and shape."""
    typ = value.type
    if isinstance(typ, WeightType):
        dtype = typ.storage
    elif isinstance(typ, TensorType | MemRefType) and typ.element_type == f32:
        dtype = "f32"
    else:
        raise VerifyException(
            f"{what} must be a !transformer.weight or an f32 tensor/memref, got {typ}"
        )
    shape = shape_of(value)
    if len(shape) != rank:
        raise VerifyException(
            f"{_describe(what, value)} must have rank {rank}, got shape {fmt_shape(shape)}"
        )
    return dtype, shape


def _weight_shape(what: str, value: SSAValue, expected: Sequence[int]) -> str:
    dtype, got = _weight(what, value, len(expected))
    if not all(map(dim_matches, got, expected)):
        raise VerifyException(
            f"{_describe(what, value)} has shape {fmt_shape(got)}, "
            f"expected {fmt_shape(expected)}"
        )
    return dtype


def _same_tokens(*values: tuple[str, SSAValue]) -> None:
    known = [(w, shape_of(v)[0]) for w, v in values if shape_of(v)[0] != DYNAMIC_INDEX]
    for w, t in known[1:]:
        if t != known[0][1]:
            raise VerifyException(f"{w} has {t} tokens but {known[0][0]} has {known[0][1]}")


def q8_names(base: str) -> tuple[str, str, str]:
    """The three outputs of a quantized activation `base`: int8 values, f32 block scales
    (fp16-rounded for q8_0), i32 sums of the values (per block of 32 for q8_0, per 16 for q8_k)."""
    return (f"{base}_q", f"{base}_scales", f"{base}_sums")


def _per(k: int, n: int) -> int:
    return DYNAMIC_INDEX if k == DYNAMIC_INDEX else k // n


def q8_types(t: int, k: int, dtype: str = "q8_0") -> list[Attribute]:
    """Value-form types of an 8-bit activation [t, k] (ACT_BLOCKS): q i8 [t, k], scales f32
    [t, k/32] and sums i32 [t, k/32] for q8_0; scales [t, k/256] and sums [t, k/16] for q8_k."""
    block, group = ACT_BLOCKS[dtype]
    return [TensorType(i8, [t, k]), _f32_tensor(t, _per(k, block)), TensorType(i32, [t, _per(k, group)])]


def _check_q8(base: str, q: SSAValue, scales: SSAValue, sums: SSAValue, tokens: int, k: int,
              dtype: str = "q8_0") -> None:
    """An 8-bit activation triple of `tokens` x `k` values (k a multiple of the dtype's block)."""
    block, group = ACT_BLOCKS[dtype]
    if k != DYNAMIC_INDEX and k % block:
        raise VerifyException(f"{base} has {k} features, not a multiple of the {dtype} block {block}")
    _out(f"{base}_q", q, (tokens, k), i8)
    _out(f"{base}_scales", scales, (tokens, _per(k, block)))
    _out(f"{base}_sums", sums, (tokens, _per(k, group)), i32)


def matmul_act_dtype(w_dtype: str) -> str:
    """The 8-bit activation dtype llama.cpp pairs with a block-quantized weight dtype."""
    return "q8_k" if w_dtype in K_QUANT_DTYPES else "q8_0"


def act_block(dtype: str) -> int:
    """Values per scale of an 8-bit activation dtype: a kernel writing one quantizes whole blocks."""
    return ACT_BLOCKS[dtype][0]


def _one_of(what: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise VerifyException(f"unknown {what} '{value}' (expected one of {', '.join(allowed)})")


def _positive_float(what: str, attr: FloatAttr) -> None:
    if not _float(attr) > 0:
        raise VerifyException(f"{what} must be positive, got {_fmt(_float(attr))}")


def _multiple_of_head_dim(what: str, width: int, head_dim: int) -> None:
    expect_positive("head_dim", head_dim)
    if width != DYNAMIC_INDEX and width % head_dim:
        raise VerifyException(f"{what} width {width} is not a multiple of head_dim {head_dim}")


def _f32_tensor(*shape: int) -> TensorType:
    return TensorType(f32, shape)


def _tokens(value: SSAValue) -> int:
    return shape_of(value)[0]


def _format(*ins: str, optional: str | None = None) -> str:
    """`ins(%a, %b[, %opt] : A, B[, O]) [outs(%y : Y)] {props} [-> results]`."""
    values = " `,` ".join(f"${n}" for n in ins)
    types = " `,` ".join(f"type(${n})" for n in ins)
    if optional:
        values += f" (`,` ${optional}^)?"
        types += f" (`,` type(${optional})^)?"
    return (
        f"`ins` `(` {values} `:` {types} `)`"
        " (`outs` `(` $outs^ `:` type($outs) `)`)? attr-dict (`->` type($res)^)?"
    )


_PROPS = (ParsePropInAttrDict(),)
_PROPS_AND_SEGMENTS = (AttrSizedOperandSegments(as_property=True), ParsePropInAttrDict())


# ----------------------------------------------------------------------------- schedule


SCHEDULE_FIELDS = ("rows", "tokens", "streams")
DOT_DTYPES = ("f32", "bf16")
"""What a schedule's products are computed in: f32 FMAs, or bf16 pairs (simd.dot_bf16)."""


@irdl_attr_definition
class ScheduleAttr(ParametrizedAttribute):
    """How a matmul's loop nest is blocked: `#kernel.schedule<rows = 32, tokens = 6, streams = 1>`.

    A register tile is `rows` output rows (a multiple of 16 for rp16 weights: whole row
    groups) by `tokens` tokens, all accumulated in registers over K (for the gradient
    matmuls, `rows` runs along the vectorized columns and `tokens` along the dimension whose
    scalars are broadcast: tokens of dx, rows of dw); with one token per
    tile, `streams` 16-row weight groups (counting each weight an epilogue reads) are
    walked in lock-step from far-apart places (more memory streams in flight when the
    weights come from DRAM, as in decode). With `dot = bf16` (printed only then) the f32
    operands are rounded to bf16 and packed into pairs along the reduced dimension, and the
    tile accumulates bf16 pair products in f32 (twice the multiply-adds per instruction).
    `choose-schedules` picks it from the kernel registry's cost model;
    `lower-kernel-to-simd` builds the micro-kernel it describes.
    """

    name = "kernel.schedule"
    rows: IntAttr
    tokens: IntAttr
    streams: IntAttr
    dot: StringAttr

    def __init__(self, rows: int, tokens: int, streams: int = 1, dot: str = "f32") -> None:
        super().__init__(IntAttr(rows), IntAttr(tokens), IntAttr(streams), StringAttr(dot))

    @property
    def bf16(self) -> bool:
        return self.dot.data == "bf16"

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> list[Attribute]:
        values: dict[str, int] = {}
        dot = "f32"

        def field() -> None:
            nonlocal dot
            key = parser.parse_identifier(" (rows, tokens, streams or dot)")
            if key == "dot":
                parser.parse_punctuation("=")
                dot = parser.parse_identifier(f" ({' or '.join(DOT_DTYPES)})")
                return
            if key not in SCHEDULE_FIELDS or key in values:
                parser.raise_error(f"expected one each of {', '.join(SCHEDULE_FIELDS)} in #kernel.schedule, got '{key}'")
            parser.parse_punctuation("=")
            values[key] = parser.parse_integer(allow_negative=False, allow_boolean=False)

        parser.parse_comma_separated_list(parser.Delimiter.ANGLE, field)
        missing = [k for k in SCHEDULE_FIELDS if k not in values]
        if missing:
            parser.raise_error(f"#kernel.schedule needs {', '.join(missing)}")
        return [*(IntAttr(values[k]) for k in SCHEDULE_FIELDS), StringAttr(dot)]

    def print_parameters(self, printer: Printer) -> None:
        dot = f", dot = {self.dot.data}" if self.bf16 else ""
        printer.print_string(f"<rows = {self.rows.data}, tokens = {self.tokens.data}, streams = {self.streams.data}{dot}>")

    def verify(self) -> None:
        for key in SCHEDULE_FIELDS:
            if getattr(self, key).data < 1:
                raise VerifyException(f"#kernel.schedule {key} must be at least 1, got {getattr(self, key).data}")
        if self.dot.data not in DOT_DTYPES:
            raise VerifyException(f"#kernel.schedule dot must be one of {', '.join(DOT_DTYPES)}, got '{self.dot.data}'")


# ----------------------------------------------------------------------------- base


class KernelEffects(MemoryEffect):
    """Value form: no side effects (dead kernels fold away). Destination-passing form:
    reads its memref inputs and writes its outs (and its UPDATED inputs, e.g. the KV
    caches of attention), so it is never deleted or reordered."""

    @classmethod
    def get_effects(cls, op: Operation) -> AbstractSet[EffectInstance] | None:
        if op.results:
            return set()
        assert isinstance(op, KernelOp)
        effects = {EffectInstance(MemoryEffectKind.WRITE, v) for v in op.outs}
        for name, v in op.named_inputs():
            if isinstance(v.type, MemRefType):
                effects.add(EffectInstance(MemoryEffectKind.READ, v))
                if name in op.UPDATED:
                    effects.add(EffectInstance(MemoryEffectKind.WRITE, v))
        return effects


class KernelOp(IRDLOperation):
    """Base of every kernel op: the input operands (declared by each op), then the
    `outs` buffers (destination-passing form) or the results (value form)."""

    OUTPUTS: ClassVar[tuple[str, ...]] = ("y",)
    """Names of the outputs, in order: results in value form, outs otherwise."""
    UPDATED: ClassVar[tuple[str, ...]] = ()
    """Input operands the kernel also writes in the destination-passing form (the KV
    caches of attention), so effects report a write on them."""

    SPLITS: ClassVar[tuple[str, ...]] = ("tokens", "replicate")
    """The `split` values the op's kernel implements."""

    outs = var_operand_def(MemRefType)
    res = var_result_def(TensorType)
    split = opt_prop_def(StringAttr)
    """How the work is divided among threads (SPLITS); the kernel's default when absent."""
    traits = traits_def(KernelEffects())
    irdl_options = _PROPS

    def output_names(self) -> tuple[str, ...]:
        """Names of the outputs, in order (OUTPUTS, unless the op's properties add some)."""
        return self.OUTPUTS

    @property
    def quantized_output(self) -> bool:
        """The op also writes its output `y` as an 8-bit activation (`quantize = "q8_0"` or "q8_k")."""
        return self.output_act_dtype is not None

    @property
    def output_act_dtype(self) -> str | None:
        """The 8-bit activation dtype `quantize` names (None without one)."""
        q = self.properties.get("quantize")
        return q.data if isinstance(q, StringAttr) and q.data in ACT_BLOCKS else None

    @property
    def output_block(self) -> int:
        """Output columns a thread writes in whole units of: the quantized output's block (1 without one)."""
        dtype = self.output_act_dtype
        return 1 if dtype is None else act_block(dtype)

    def _check_quantize(self, what: str, tokens: int, width: int) -> None:
        """`quantize` names q8_0 or q8_k; the y_q, y_scales, y_sums outputs fit a [tokens, width] y."""
        q = self.properties.get("quantize")
        if q is None:
            return
        assert isinstance(q, StringAttr)
        if q.data not in ACT_BLOCKS:
            raise VerifyException(f"quantize must be one of {', '.join(ACT_BLOCKS)}, got '{q.data}'")
        _check_q8(what, *(self.output(n) for n in q8_names("y")), tokens, width, q.data)

    def _build(
        self,
        ins: Sequence[SSAValue | Sequence[SSAValue]],
        properties: dict[str, Attribute],
        outs: Sequence[SSAValue],
        result_types: Sequence[Attribute] | None,
        infer: Callable[[], Sequence[Attribute]] | None = None,
    ) -> None:
        """Destination-passing form when `outs` is given, else value form with
        `result_types` (inferred by `infer` when omitted)."""
        if outs:
            types: Sequence[Attribute] = ()
        elif result_types is not None:
            types = result_types
        elif infer is not None:
            types = infer()
        else:
            raise ValueError(f"{self.name}: value form needs result_types")
        IRDLOperation.__init__(
            self, operands=[*ins, list(outs)], result_types=[list(types)], properties=properties
        )

    @property
    def is_destination_passing(self) -> bool:
        return not self.res

    @property
    def outputs(self) -> tuple[SSAValue, ...]:
        """The results (value form) or the outs buffers (destination-passing form)."""
        return tuple(self.res) if self.res else tuple(self.outs)

    def output(self, name: str) -> SSAValue:
        return self.outputs[self.output_names().index(name)]

    def named_inputs(self) -> Iterator[tuple[str, SSAValue]]:
        """(field name, value) of every input operand; outs excluded."""
        for name, _ in type(self).get_irdl_definition().operands:
            if name == "outs":
                continue
            value = getattr(self, name)
            if isinstance(value, SSAValue):
                yield name, value
            elif value is not None:
                yield from ((f"{name}[{i}]", v) for i, v in enumerate(value))

    def verify_(self) -> None:
        try:
            self._verify_form()
            if self.split is not None:
                _one_of(f"split for {self.name}", self.split.data, type(self).SPLITS)
            self.verify_kernel()
        except VerifyException as e:
            raise VerifyException(f"{self.name}: {e}") from e

    def _verify_form(self) -> None:
        n, names = len(self.output_names()), ", ".join(self.output_names())
        if self.res and self.outs:
            raise VerifyException(
                "has both results and outs(...): use the value form (tensors, results) "
                "or the destination-passing form (memrefs, outs)"
            )
        if not self.res and not self.outs:
            raise VerifyException(
                f"needs results (value form) or outs(...) (destination-passing form) for {names}"
            )
        if self.res:
            for name, v in self.named_inputs():
                if isinstance(v.type, MemRefType):
                    raise VerifyException(
                        f"operand '{name}' is a memref but the op returns results: "
                        "the value form takes tensors"
                    )
            if len(self.res) != n:
                raise VerifyException(f"expected {n} results ({names}), got {len(self.res)}")
        else:
            for name, v in self.named_inputs():
                if isinstance(v.type, TensorType):
                    raise VerifyException(
                        f"operand '{name}' is a tensor but the op writes outs(...): "
                        "the destination-passing form takes memrefs"
                    )
            if len(self.outs) != n:
                raise VerifyException(f"expected {n} outs ({names}), got {len(self.outs)}")

    def verify_kernel(self) -> None:
        """Shape and dtype checks of the op, on `self.output(name)`."""
        raise NotImplementedError


# ----------------------------------------------------------------------------- forward


class _MatmulOp(KernelOp):
    """y_i = x @ w_i^T (+ bias_i) for one or more weights w_i stored [N_i, K] (several
    weights reading one x: q|k|v as one matmul over their concatenated rows).

    `x` is f32 [T, K]; with act_dtype q8_0 or q8_k (the 8-bit form llama.cpp gives the
    weight type's dot product: q8_k for the k-quants) it is already the triple (x_q i8
    [T, K], x_scales f32, x_sums i32: see q8_types) from kernel.quantize_act. Outputs: one
    y per weight; with `epilogue = "silu_mul"` (two weights, gate then up) the single y =
    silu(x gate^T) * (x up^T); with `quantize` (one output) also y's 8-bit triple. `last_rows`:
    y holds only the last rows of the product (as many as y has; the lm head of prefill
    when only the last token's logits are wanted).

        %q, %k, %v = kernel.gemv ins(%hq, %hs, %hsum : ...) weights(%wq, %wk, %wv : ...)
                       {w_dtype = "q8_0", act_dtype = "q8_0"} -> ...
    """

    SPLITS: ClassVar[tuple[str, ...]] = ("rows",)
    x = var_operand_def(Activation)
    w = var_operand_def(Weight)
    bias = var_operand_def(Weight)
    w_dtype = prop_def(StringAttr)
    act_dtype = prop_def(StringAttr)
    epilogue = opt_prop_def(StringAttr)
    quantize = opt_prop_def(StringAttr)
    last_rows = opt_prop_def(UnitAttr)
    schedule = opt_prop_def(ScheduleAttr)
    irdl_options = _PROPS_AND_SEGMENTS
    assembly_format = (
        "`ins` `(` $x `:` type($x) `)` `weights` `(` $w `:` type($w) `)`"
        " (`bias` `(` $bias^ `:` type($bias) `)`)?"
        " (`outs` `(` $outs^ `:` type($outs) `)`)? attr-dict (`->` type($res)^)?"
    )
    SINGLE_ROW: ClassVar[bool] = False

    def __init__(
        self,
        x: SSAValue | Sequence[SSAValue],
        w: SSAValue | Sequence[SSAValue],
        w_dtype: str,
        act_dtype: str = "f32",
        bias: SSAValue | Sequence[SSAValue] | None = None,
        *,
        epilogue: str | None = None,
        quantize: str | None = None,
        last_rows: bool = False,
        split: str | None = None,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        xs = [x] if isinstance(x, SSAValue) else list(x)
        ws = [w] if isinstance(w, SSAValue) else list(w)
        bs = [] if bias is None else [bias] if isinstance(bias, SSAValue) else list(bias)
        props: dict[str, Attribute] = {"w_dtype": StringAttr(w_dtype), "act_dtype": StringAttr(act_dtype)}
        for key, value in (("epilogue", epilogue), ("quantize", quantize), ("split", split)):
            if value is not None:
                props[key] = StringAttr(value)
        if last_rows:
            props["last_rows"] = UnitAttr()

        def infer() -> list[Attribute]:
            t = DYNAMIC_INDEX if last_rows else _tokens(xs[0])
            widths = [shape_of(ws[0])[0]] if epilogue is not None else [shape_of(v)[0] for v in ws]
            types: list[Attribute] = [_f32_tensor(t, n) for n in widths]
            if quantize is not None:
                types += q8_types(t, widths[0], quantize)
            return types

        self._build([xs, ws, bs], props, outs, result_types, infer)

    def output_names(self) -> tuple[str, ...]:
        n = 1 if self.epilogue is not None else max(1, len(self.w))  # no weights: verify_kernel says so
        names = ("y",) if n == 1 else tuple(f"y_{i}" for i in range(n))
        return names + (q8_names("y") if self.quantized_output else ())

    def named_inputs(self) -> Iterator[tuple[str, SSAValue]]:
        xs = ("x",) if len(self.x) == 1 else q8_names("x")
        yield from zip(xs, self.x)
        for field in ("w", "bias"):
            values = getattr(self, field)
            yield from ((field if len(values) == 1 else f"{field}_{i}", v) for i, v in enumerate(values))

    @property
    def quantized_input(self) -> bool:
        """x comes as a q8_0 triple (x_q, x_scales, x_sums)."""
        return len(self.x) == 3

    def verify_kernel(self) -> None:
        w_dtype, act_dtype = self.w_dtype.data, self.act_dtype.data
        _one_of("w_dtype", w_dtype, tuple(WEIGHT_DTYPES))
        _one_of("act_dtype", act_dtype, ACT_DTYPES)
        if len(self.x) not in (1, 3):
            raise VerifyException(
                f"x must be one f32 activation or a q8_0 triple (q, scales, sums), got {len(self.x)} operands"
            )
        if self.quantized_input:
            if act_dtype not in ACT_BLOCKS:
                raise VerifyException(
                    f"an 8-bit input (x_q, x_scales, x_sums) needs act_dtype q8_0 or q8_k, got {act_dtype}"
                )
            t, k = expect_rank("x_q", self.x[0], 2)
            _check_q8("x", *self.x, t, k, act_dtype)
        else:
            t, k = _act("x", self.x[0])
        if self.SINGLE_ROW and not dim_matches(t, 1):
            raise VerifyException(
                f"x must have one row, got shape {fmt_shape((t, k))} (kernel.gemm takes several)"
            )
        if not self.w:
            raise VerifyException("needs at least one weight")
        rows: list[int] = []
        for i, w in enumerate(self.w):
            what = "w" if len(self.w) == 1 else f"w_{i}"
            storage, (n, k_w) = _weight(what, w, 2)
            if storage != w_dtype:
                raise VerifyException(
                    f"w_dtype {w_dtype} does not match the storage dtype {storage} of {_describe(what, w)}"
                )
            if not dim_matches(k, k_w):
                raise VerifyException(
                    f"{_describe(what, w)} has shape {fmt_shape((n, k_w))} ([N, K]) "
                    f"but x has {fmt_shape((k,))} features"
                )
            rows.append(n)
        if act_dtype != "f32" and not is_quantized(w_dtype):
            raise VerifyException(f"act_dtype {act_dtype} needs block-quantized weights, got w_dtype {w_dtype}")
        if act_dtype != "f32" and act_dtype != matmul_act_dtype(w_dtype):
            raise VerifyException(
                f"w_dtype {w_dtype} takes {matmul_act_dtype(w_dtype)} activations, got act_dtype {act_dtype}"
            )
        if self.bias and len(self.bias) != len(self.w):
            raise VerifyException(f"{len(self.bias)} biases for {len(self.w)} weights (give one per weight or none)")
        for i, (b, n) in enumerate(zip(self.bias, rows, strict=False)):
            what = "bias" if len(self.bias) == 1 else f"bias_{i}"
            if _weight_shape(what, b, (n,)) != "f32":
                raise VerifyException(f"{what} must be stored as f32, got {b.type}")
        out_t = DYNAMIC_INDEX if self.last_rows is not None else t
        if self.epilogue is not None:
            _one_of("epilogue", self.epilogue.data, EPILOGUES)
            if len(self.w) != 2 or rows[0] != rows[1]:
                raise VerifyException(
                    f"epilogue silu_mul takes two weights of the same shape (gate, up), got rows {rows}"
                )
            rows = rows[:1]
        if self.quantized_output and len(rows) != 1:
            raise VerifyException("quantize needs a single output (one weight, or the silu_mul epilogue)")
        if self.schedule is not None:
            tile = self.schedule.rows.data
            if self.SINGLE_ROW and self.schedule.tokens.data != 1:
                raise VerifyException(f"a gemv schedule has one token per tile, got {self.schedule.tokens.data}")
            for n in rows:
                if n % tile:
                    raise VerifyException(f"schedule rows {tile} do not divide the {n} rows of an output")
        for name, n in zip(self.output_names(), rows, strict=False):
            _out(name, self.output(name), (out_t, n))
        self._check_quantize("y", out_t, rows[0])


@irdl_op_definition
class GemvOp(_MatmulOp):
    """One-token matrix-vector product y[1, N] = x[1, K] @ w[N, K]^T (decode)."""

    name = "kernel.gemv"
    SINGLE_ROW: ClassVar[bool] = True


@irdl_op_definition
class GemmOp(_MatmulOp):
    """Matrix product y[T, N] = x[T, K] @ w[N, K]^T (prefill, training, lm head)."""

    name = "kernel.gemm"


@irdl_op_definition
class RMSNormOp(KernelOp):
    """y = x / sqrt(mean(x^2) + eps) * w over the feature dimension.

    With a `residual` operand the residual add is folded in: the op first forms
    sum = x + residual (an output: the residual stream goes on) and normalizes sum.
    With `quantize = "q8_0"` it also writes y as a q8_0 activation (y_q, y_scales, y_sums)
    for the matmuls that read it. Outputs: [sum], y, [y_q, y_scales, y_sums].
    """

    name = "kernel.rmsnorm"
    x = operand_def(Activation)
    w = operand_def(Weight)
    residual = opt_operand_def(Activation)
    eps = prop_def(FloatAttr[Float32Type])
    quantize = opt_prop_def(StringAttr)
    irdl_options = _PROPS_AND_SEGMENTS
    assembly_format = _format("x", "w", optional="residual")

    def __init__(
        self,
        x: SSAValue,
        w: SSAValue,
        eps: float,
        residual: SSAValue | None = None,
        *,
        quantize: str | None = None,
        split: str | None = None,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        props: dict[str, Attribute] = {"eps": FloatAttr(eps, f32)}
        if quantize is not None:
            props["quantize"] = StringAttr(quantize)
        if split is not None:
            props["split"] = StringAttr(split)

        def infer() -> list[Attribute]:
            t, d = shape_of(x)
            types = [x.type] * (2 if residual is not None else 1)
            return types + (q8_types(t, d, quantize) if quantize is not None else [])

        self._build([x, w, [residual] if residual is not None else []], props, outs, result_types, infer)

    def output_names(self) -> tuple[str, ...]:
        names = ("sum", "y") if self.residual is not None else ("y",)
        return names + (q8_names("y") if self.quantized_output else ())

    def verify_kernel(self) -> None:
        t, d = _act("x", self.x)
        _weight_shape("w", self.w, (d,))
        _positive_float("eps", self.eps)
        if self.residual is not None:
            _act("residual", self.residual)
            expect_shape("residual", self.residual, (t, d))
            _out("sum", self.output("sum"), (t, d))
        _out("y", self.output("y"), (t, d))
        self._check_quantize("y", t, d)


@irdl_op_definition
class HeadRMSNormOp(KernelOp):
    """QK-norm: RMSNorm of each head_dim slice of x, one shared weight [head_dim]."""

    name = "kernel.head_rmsnorm"
    x = operand_def(Activation)
    w = operand_def(Weight)
    head_dim = prop_def(IntegerAttr[I64])
    eps = prop_def(FloatAttr[Float32Type])
    assembly_format = _format("x", "w")

    def __init__(
        self,
        x: SSAValue,
        w: SSAValue,
        head_dim: int,
        eps: float,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        props: dict[str, Attribute] = {
            "head_dim": IntegerAttr(head_dim, 64),
            "eps": FloatAttr(eps, f32),
        }
        self._build([x, w], props, outs, result_types, lambda: [x.type])

    def verify_kernel(self) -> None:
        t, d = _act("x", self.x)
        hd = _int(self.head_dim)
        _multiple_of_head_dim("x", d, hd)
        _weight_shape("w", self.w, (hd,))
        _positive_float("eps", self.eps)
        _out("y", self.output("y"), (t, d))


class _RopeProps(KernelOp):
    """Rotation of the first n_rot dims of each head by position * theta^(-2i/n_rot)."""

    head_dim = prop_def(IntegerAttr[I64])
    n_rot = prop_def(IntegerAttr[I64])
    theta = prop_def(FloatAttr[Float32Type])
    style = prop_def(StringAttr)

    @staticmethod
    def rope_props(head_dim: int, n_rot: int, theta: float, style: str) -> dict[str, Attribute]:
        return {
            "head_dim": IntegerAttr(head_dim, 64),
            "n_rot": IntegerAttr(n_rot, 64),
            "theta": FloatAttr(theta, f32),
            "style": StringAttr(style),
        }

    def verify_rope(self, what: str, x: SSAValue, positions: SSAValue, out: str) -> None:
        t, d = _act(what, x)
        _ids("positions", positions)
        _same_tokens((what, x), ("positions", positions))
        hd, n_rot = _int(self.head_dim), _int(self.n_rot)
        _multiple_of_head_dim(what, d, hd)
        if n_rot <= 0 or n_rot > hd or n_rot % 2:
            raise VerifyException(f"n_rot must be even and in 1..head_dim ({hd}), got {n_rot}")
        _one_of("rope style", self.style.data, ROPE_STYLES)
        _positive_float("theta", self.theta)
        _out(out, self.output(out), (t, d))


@irdl_op_definition
class RopeOp(_RopeProps):
    """Rotary position embedding of x [T, heads * head_dim] at positions [T]."""

    name = "kernel.rope"
    x = operand_def(Activation)
    positions = operand_def(Activation)
    assembly_format = _format("x", "positions")

    def __init__(
        self,
        x: SSAValue,
        positions: SSAValue,
        head_dim: int,
        n_rot: int,
        theta: float,
        style: str,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        props = self.rope_props(head_dim, n_rot, theta, style)
        self._build([x, positions], props, outs, result_types, lambda: [x.type])

    def verify_kernel(self) -> None:
        self.verify_rope("x", self.x, self.positions, "y")


class _HeadsProps(KernelOp):
    """Grouped-query heads: q head h reads kv head h // (n_heads / n_kv_heads)."""

    n_heads = prop_def(IntegerAttr[I64])
    n_kv_heads = prop_def(IntegerAttr[I64])
    head_dim = prop_def(IntegerAttr[I64])
    scale = prop_def(FloatAttr[Float32Type])
    seq_len = opt_prop_def(IntegerAttr[I64])
    """Rows are a batch of sequences of seq_len tokens; attention stays within each."""

    @staticmethod
    def heads_props(
        n_heads: int, n_kv_heads: int, head_dim: int, scale: float
    ) -> dict[str, Attribute]:
        return {
            "n_heads": IntegerAttr(n_heads, 64),
            "n_kv_heads": IntegerAttr(n_kv_heads, 64),
            "head_dim": IntegerAttr(head_dim, 64),
            "scale": FloatAttr(scale, f32),
        }

    def verify_heads(
        self, q: SSAValue, k: SSAValue, v: SSAValue, positions: SSAValue
    ) -> tuple[int, int, int]:
        """Checks q, k, v, positions; returns (T, q width, kv width)."""
        hq, hkv, hd = _int(self.n_heads), _int(self.n_kv_heads), _int(self.head_dim)
        for what, n in (("n_heads", hq), ("n_kv_heads", hkv), ("head_dim", hd)):
            expect_positive(what, n)
        if hq % hkv:
            raise VerifyException(f"n_heads ({hq}) must be a multiple of n_kv_heads ({hkv})")
        _positive_float("scale", self.scale)
        t, dq = _act("q", q)
        for what, value in (("k", k), ("v", v)):
            _, width = _act(what, value)
            if not dim_matches(width, hkv * hd):
                raise VerifyException(
                    f"{what} has width {width}, expected n_kv_heads * head_dim = {hkv * hd}"
                )
        if not dim_matches(dq, hq * hd):
            raise VerifyException(f"q has width {dq}, expected n_heads * head_dim = {hq * hd}")
        _ids("positions", positions)
        _same_tokens(("q", q), ("k", k), ("v", v), ("positions", positions))
        check_seq_len(self, t)
        return t, hq * hd, hkv * hd


@irdl_op_definition
class AttentionOp(_HeadsProps):
    """Causal grouped-query attention of q [T, n_heads*head_dim] over k, v.

    With `kv_slot` the kernel writes k, v (the new tokens) into KV-cache slot
    `kv_slot` (the `layer` of the `memory.kv_cache` k/v pair at the memory level) and
    attends to every cached position up to each query's; `decode` is the one-token
    variant and always reads the cache. `batch` is one decode step of several
    sequences: row t is the next token of the sequence `slots[t]` (an i32 per row),
    whose own cache it appends to and reads, so its caches hold every sequence:
    [sequences, n_kv_heads, context_len, head_dim]. Attention here is always causal.

    In the value form the cache is implicit (named by kv_slot). In the
    destination-passing form with kv_slot the cache buffers are explicit operands,
    `cache(%k_cache, %v_cache : ...)`, each laid out per kv head, [n_kv_heads,
    context_len, head_dim] of f32 or f16, since the kernel reads them and stores the new
    rows into them:

        kernel.attention ins(%q, %k, %v, %pos : ...) cache(%kc, %vc : memref<2x128x16xf32>,
            memref<2x128x16xf32>) outs(%o : ...) {..., kv_slot = 0 : i64}

    With `quantize = "q8_0"` the output is also written as a q8_0 activation (y_q,
    y_scales, y_sums) for the matmul that reads it.
    """

    SPLITS: ClassVar[tuple[str, ...]] = ("heads",)
    name = "kernel.attention"
    UPDATED: ClassVar[tuple[str, ...]] = ("k_cache", "v_cache")
    q = operand_def(Activation)
    k = operand_def(Activation)
    v = operand_def(Activation)
    positions = operand_def(Activation)
    k_cache = opt_operand_def(MemRefType)
    v_cache = opt_operand_def(MemRefType)
    slots = opt_operand_def(Activation)
    variant = prop_def(StringAttr)
    kv_slot = opt_prop_def(IntegerAttr[I64])
    quantize = opt_prop_def(StringAttr)
    irdl_options = _PROPS_AND_SEGMENTS
    assembly_format = (
        "`ins` `(` $q `,` $k `,` $v `,` $positions `:`"
        " type($q) `,` type($k) `,` type($v) `,` type($positions) `)`"
        " (`cache` `(` $k_cache^ `,` $v_cache `:` type($k_cache) `,` type($v_cache) `)`)?"
        " (`slots` `(` $slots^ `:` type($slots) `)`)?"
        " (`outs` `(` $outs^ `:` type($outs) `)`)? attr-dict (`->` type($res)^)?"
    )

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
        variant: str = "prefill",
        kv_slot: int | None = None,
        *,
        quantize: str | None = None,
        split: str | None = None,
        k_cache: SSAValue | None = None,
        v_cache: SSAValue | None = None,
        slots: SSAValue | None = None,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        props = self.heads_props(n_heads, n_kv_heads, head_dim, scale)
        props["variant"] = StringAttr(variant)
        if kv_slot is not None:
            props["kv_slot"] = IntegerAttr(kv_slot, 64)
        for key, value in (("quantize", quantize), ("split", split)):
            if value is not None:
                props[key] = StringAttr(value)
        caches = [[c] if c is not None else [] for c in (k_cache, v_cache)]
        self._build(
            [q, k, v, positions, *caches, [slots] if slots is not None else []], props, outs, result_types,
            lambda: [q.type] + (q8_types(*shape_of(q), quantize) if quantize is not None else []),
        )

    def output_names(self) -> tuple[str, ...]:
        return ("y",) + (q8_names("y") if self.quantized_output else ())

    def _verify_form(self) -> None:
        # Before the generic form checks, which would only say "memref in the value form".
        if self.res and (self.k_cache is not None or self.v_cache is not None):
            raise VerifyException(
                "k_cache and v_cache belong to the destination-passing form: "
                "the value form's cache is implicit in kv_slot"
            )
        super()._verify_form()

    def verify_kernel(self) -> None:
        t, dq, dkv = self.verify_heads(self.q, self.k, self.v, self.positions)
        _one_of("attention variant", self.variant.data, ATTENTION_VARIANTS)
        if self.kv_slot is not None and _int(self.kv_slot) < 0:
            raise VerifyException(f"kv_slot must be non-negative, got {_int(self.kv_slot)}")
        if self.variant.data == "decode":
            if not dim_matches(t, 1):
                raise VerifyException(f"decode attention takes one query token, got {t}")
            if self.kv_slot is None:
                raise VerifyException("decode attention needs kv_slot (the KV cache it reads)")
        if (self.variant.data == "batch") != (self.slots is not None):
            raise VerifyException("batch attention (one token of each of several sequences) and the slots "
                                  "operand (the sequence of each row) go together")
        if self.slots is not None:
            if self.kv_slot is None:
                raise VerifyException("batch attention needs kv_slot (the KV caches it reads)")
            _ids("slots", self.slots)
            _same_tokens(("q", self.q), ("slots", self.slots))
        self._verify_caches()
        _out("y", self.output("y"), (t, dq))
        self._check_quantize("y", t, dq)

    def _verify_caches(self) -> None:
        """Destination-passing form with kv_slot: both caches, [n_kv_heads, C, head_dim] of
        f32 or f16, the same C and element type."""
        caches = (("k_cache", self.k_cache), ("v_cache", self.v_cache))
        given = [what for what, c in caches if c is not None]
        if len(given) == 1:
            missing = "v_cache" if given[0] == "k_cache" else "k_cache"
            raise VerifyException(f"{given[0]} needs {missing}: give both caches or neither")
        if not given:
            if self.is_destination_passing and self.kv_slot is not None:
                raise VerifyException(
                    "destination-passing attention with kv_slot needs k_cache and v_cache "
                    "(the KV-cache buffers it reads and appends to)"
                )
            return
        if self.kv_slot is None:
            raise VerifyException("k_cache and v_cache need kv_slot (the cache slot they hold)")
        hkv, hd = _int(self.n_kv_heads), _int(self.head_dim)
        batch = self.slots is not None  # one cache per sequence, in front
        for what, cache in caches:
            assert cache is not None
            typ = cache.type
            shape = shape_of(cache)
            per_sequence = shape[1:] if batch else shape
            if (
                not isinstance(typ, MemRefType)
                or typ.element_type not in (f32, f16)
                or len(per_sequence) != 3
                or (batch and shape[0] <= 0)
                or per_sequence[0] != hkv
                or per_sequence[2] != hd
            ):
                front = "S x " if batch else ""
                raise VerifyException(
                    f"{what} must be a memref<{front}{hkv} x C x {hd} x f32 or f16> "
                    f"({'sequences x ' if batch else ''}n_kv_heads x context_len x head_dim), got {typ}"
                )
        assert self.k_cache is not None and self.v_cache is not None
        if self.k_cache.type != self.v_cache.type:
            raise VerifyException(
                f"v_cache {self.v_cache.type} does not match k_cache {self.k_cache.type}"
            )


class _BinaryOp(KernelOp):
    """Elementwise over two [T, D] activations of the same shape."""

    LHS: ClassVar[str]
    RHS: ClassVar[str]

    def __init__(
        self,
        lhs: SSAValue,
        rhs: SSAValue,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        self._build([lhs, rhs], {}, outs, result_types, lambda: [lhs.type])

    def verify_kernel(self) -> None:
        lhs, rhs = self.operands[0], self.operands[1]
        t, d = _act(self.LHS, lhs)
        _act(self.RHS, rhs)
        expect_shape(self.RHS, rhs, (t, d))
        _out("y", self.output("y"), (t, d))


@irdl_op_definition
class SiluMulOp(_BinaryOp):
    """SwiGLU: y = silu(gate) * up."""

    name = "kernel.silu_mul"
    gate = operand_def(Activation)
    up = operand_def(Activation)
    LHS: ClassVar[str] = "gate"
    RHS: ClassVar[str] = "up"
    assembly_format = _format("gate", "up")



@irdl_op_definition
class AddOp(_BinaryOp):
    """Residual add: y = lhs + rhs."""

    name = "kernel.add"
    lhs = operand_def(Activation)
    rhs = operand_def(Activation)
    LHS: ClassVar[str] = "lhs"
    RHS: ClassVar[str] = "rhs"
    assembly_format = _format("lhs", "rhs")



@irdl_op_definition
class LayerNormOp(KernelOp):
    """y = (x - mean) / sqrt(var + eps) * w + b over the feature dimension (GPT-2)."""

    name = "kernel.layernorm"
    SPLITS: ClassVar[tuple[str, ...]] = ("tokens",)
    x = operand_def(Activation)
    w = operand_def(Weight)
    b = operand_def(Weight)
    eps = prop_def(FloatAttr[Float32Type])
    assembly_format = _format("x", "w", "b")

    def __init__(
        self,
        x: SSAValue,
        w: SSAValue,
        b: SSAValue,
        eps: float,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        self._build([x, w, b], {"eps": FloatAttr(eps, f32)}, outs, result_types, lambda: [x.type])

    def verify_kernel(self) -> None:
        t, d = _act("x", self.x)
        _weight_shape("w", self.w, (d,))
        _weight_shape("b", self.b, (d,))
        _positive_float("eps", self.eps)
        _out("y", self.output("y"), (t, d))


@irdl_op_definition
class GeluOp(KernelOp):
    """y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), computed as x * sigmoid(2 u)
    (the same function: 0.5 (1 + tanh u) = sigmoid(2u))."""

    name = "kernel.gelu"
    SPLITS: ClassVar[tuple[str, ...]] = ("tokens",)
    x = operand_def(Activation)
    assembly_format = _format("x")

    def __init__(
        self,
        x: SSAValue,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        self._build([x], {}, outs, result_types, lambda: [x.type])

    def verify_kernel(self) -> None:
        t, d = _act("x", self.x)
        _out("y", self.output("y"), (t, d))


def _check_columns(wide: int, offset: int, width: int) -> None:
    if offset < 0 or offset + width > wide:
        raise VerifyException(f"columns [{offset}, {offset + width}) are not within the {wide} of the wide operand")


@irdl_op_definition
class SliceOp(KernelOp):
    """y[T, W] = x[:, offset : offset + W]: a copy of some columns (q, k or v of a fused
    projection)."""

    name = "kernel.slice"
    SPLITS: ClassVar[tuple[str, ...]] = ("tokens",)
    x = operand_def(Activation)
    offset = prop_def(IntegerAttr[I64])
    assembly_format = _format("x")

    def __init__(
        self,
        x: SSAValue,
        offset: int,
        width: int,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        self._build([x], {"offset": IntegerAttr(offset, 64)}, outs, result_types,
                    lambda: [_f32_tensor(_tokens(x), width)])

    def verify_kernel(self) -> None:
        t, d = _act("x", self.x)
        y = self.output("y")
        _, w = _act("y", y)
        _check_columns(d, _int(self.offset), w)
        _out("y", y, (t, w))


@irdl_op_definition
class EmbeddingOp(KernelOp):
    """y[t] = dequantize(table[tokens[t]]) for a [V, D] table stored as w_dtype."""

    name = "kernel.embedding"
    tokens = operand_def(Activation)
    table = operand_def(Weight)
    w_dtype = prop_def(StringAttr)
    assembly_format = _format("tokens", "table")

    def __init__(
        self,
        tokens: SSAValue,
        table: SSAValue,
        w_dtype: str,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        self._build(
            [tokens, table],
            {"w_dtype": StringAttr(w_dtype)},
            outs,
            result_types,
            lambda: [_f32_tensor(_tokens(tokens), shape_of(table)[1])],
        )

    def verify_kernel(self) -> None:
        _one_of("w_dtype", self.w_dtype.data, tuple(WEIGHT_DTYPES))
        t = _ids("tokens", self.tokens)
        storage, (_, d) = _weight("table", self.table, 2)
        if storage != self.w_dtype.data:
            raise VerifyException(
                f"w_dtype {self.w_dtype.data} does not match the storage dtype {storage} "
                f"of {_describe('table', self.table)}"
            )
        _out("y", self.output("y"), (t, d))


@irdl_op_definition
class QuantizeActOp(KernelOp):
    """8-bit activations, as llama.cpp quantizes them before an int8 dot product.

    act_dtype q8_0 (the default): per block of 32, amax = max|x|, scale = fp16(amax / 127),
    q = round-to-nearest-even(x * 127 / amax) (the multiplier from the f32 amax, not from
    the rounded scale), and the block's sum of q. act_dtype q8_k (for the k-quants): per
    block of 256, iscale = 127 / amax, q = round-to-nearest-even(x * iscale), the f32 scale
    1 / iscale, and a sum of q per 16. The sums are what a kernel takes back from weights
    stored with an offset (unsigned w + 128) or with mins.

        %q, %s, %sums = kernel.quantize_act ins(%x : tensor<1x256xf32>) {act_dtype = "q8_k"}
                          -> tensor<1x256xi8>, tensor<1x1xf32>, tensor<1x16xi32>
    """

    name = "kernel.quantize_act"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("q", "scales", "sums")
    x = operand_def(Activation)
    act_dtype = opt_prop_def(StringAttr)
    assembly_format = _format("x")

    def __init__(
        self,
        x: SSAValue,
        act_dtype: str = "q8_0",
        *,
        split: str | None = None,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        props: dict[str, Attribute] = {} if split is None else {"split": StringAttr(split)}
        if act_dtype != "q8_0":
            props["act_dtype"] = StringAttr(act_dtype)
        self._build([x], props, outs, result_types, lambda: q8_types(*shape_of(x), act_dtype))

    @property
    def dtype(self) -> str:
        """The 8-bit activation dtype written (q8_0 unless act_dtype says q8_k)."""
        return "q8_0" if self.act_dtype is None else self.act_dtype.data

    def verify_kernel(self) -> None:
        _one_of("act_dtype", self.dtype, tuple(ACT_BLOCKS))
        t, k = _act("x", self.x)
        block, group = ACT_BLOCKS[self.dtype]
        if k != DYNAMIC_INDEX and k % block:
            raise VerifyException(f"x has {k} features, not a multiple of the {self.dtype} block {block}")
        _out("q", self.output("q"), (t, k), i8)
        _out("scales", self.output("scales"), (t, _per(k, block)))
        _out("sums", self.output("sums"), (t, _per(k, group)), i32)


@irdl_op_definition
class RopeTableOp(KernelOp):
    """The rotation table of the given positions, computed once per call and read by every
    rope: table[t, i] = cos(positions[t] * f_i) and table[t, n_rot/2 + i] = sin(...), with
    f_i = theta^(-2i / n_rot) for i < n_rot/2 (angles in double precision)."""

    name = "kernel.rope_table"
    positions = operand_def(Activation)
    n_rot = prop_def(IntegerAttr[I64])
    theta = prop_def(FloatAttr[Float32Type])
    assembly_format = _format("positions")

    def __init__(
        self,
        positions: SSAValue,
        n_rot: int,
        theta: float,
        *,
        split: str | None = None,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        props: dict[str, Attribute] = {"n_rot": IntegerAttr(n_rot, 64), "theta": FloatAttr(theta, f32)}
        if split is not None:
            props["split"] = StringAttr(split)
        self._build([positions], props, outs, result_types, lambda: [_f32_tensor(_tokens(positions), n_rot)])

    def verify_kernel(self) -> None:
        t = _ids("positions", self.positions)
        n_rot = _int(self.n_rot)
        if n_rot <= 0 or n_rot % 2:
            raise VerifyException(f"n_rot must be even and positive, got {n_rot}")
        _positive_float("theta", self.theta)
        _out("y", self.output("y"), (t, n_rot))


@irdl_op_definition
class RopeApplyOp(KernelOp):
    """Rotary embedding from a table (kernel.rope_table) of x [T, heads * head_dim]; with a
    `norm` weight [head_dim], each head is first RMS-normalized and scaled by it (Qwen3's
    QK-norm, eps required), so the two passes over q or k become one. With `inverse`, the
    rotation is by minus the angle: rope's gradient (kernel.rope_bwd) from the same table."""

    SPLITS: ClassVar[tuple[str, ...]] = ("tokens", "heads")
    name = "kernel.rope_apply"
    x = operand_def(Activation)
    table = operand_def(Activation)
    norm = opt_operand_def(Weight)
    head_dim = prop_def(IntegerAttr[I64])
    n_rot = prop_def(IntegerAttr[I64])
    style = prop_def(StringAttr)
    eps = opt_prop_def(FloatAttr[Float32Type])
    group = opt_prop_def(IntegerAttr[I64])
    """With split = heads: the heads a thread owns come in groups of this many (the query
    heads of one kv head), so the split matches attention's."""
    inverse = opt_prop_def(UnitAttr)
    irdl_options = _PROPS_AND_SEGMENTS
    assembly_format = _format("x", "table", optional="norm")

    def __init__(
        self,
        x: SSAValue,
        table: SSAValue,
        head_dim: int,
        n_rot: int,
        style: str,
        norm: SSAValue | None = None,
        eps: float | None = None,
        *,
        split: str | None = None,
        group: int | None = None,
        inverse: bool = False,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        props: dict[str, Attribute] = {
            "head_dim": IntegerAttr(head_dim, 64), "n_rot": IntegerAttr(n_rot, 64), "style": StringAttr(style),
        }
        if inverse:
            props["inverse"] = UnitAttr()
        if eps is not None:
            props["eps"] = FloatAttr(eps, f32)
        if split is not None:
            props["split"] = StringAttr(split)
        if group is not None:
            props["group"] = IntegerAttr(group, 64)
        self._build([x, table, [norm] if norm is not None else []], props, outs, result_types, lambda: [x.type])

    def verify_kernel(self) -> None:
        t, d = _act("x", self.x)
        hd, n_rot = _int(self.head_dim), _int(self.n_rot)
        _multiple_of_head_dim("x", d, hd)
        if n_rot <= 0 or n_rot > hd or n_rot % 2:
            raise VerifyException(f"n_rot must be even and in 1..head_dim ({hd}), got {n_rot}")
        _one_of("rope style", self.style.data, ROPE_STYLES)
        _act("table", self.table)
        expect_shape("table", self.table, (t, n_rot))
        if self.norm is not None:
            _weight_shape("norm", self.norm, (hd,))
            if self.eps is None:
                raise VerifyException("a norm weight needs eps")
            _positive_float("eps", self.eps)
        elif self.eps is not None:
            raise VerifyException("eps is only used with a norm weight")
        if self.group is not None and _int(self.group) <= 0:
            raise VerifyException(f"group must be positive, got {_int(self.group)}")
        if self.inverse is not None and self.norm is not None:
            raise VerifyException("an inverse rotation (a gradient) takes no norm weight")
        _out("y", self.output("y"), (t, d))


# ----------------------------------------------------------------------------- backward


@irdl_op_definition
class MatmulDxOp(KernelOp):
    """Input gradient of y = x @ w^T: dx[T, K] = dy[T, N] @ w[N, K]."""

    name = "kernel.matmul_dx"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("dx",)
    dy = operand_def(Activation)
    w = operand_def(Weight)
    schedule = opt_prop_def(ScheduleAttr)
    """Register tile: `rows` columns of dx (a multiple of the vector width) x `tokens` tokens."""
    assembly_format = _format("dy", "w")

    def __init__(
        self,
        dy: SSAValue,
        w: SSAValue,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        self._build(
            [dy, w], {}, outs, result_types, lambda: [_f32_tensor(_tokens(dy), shape_of(w)[1])]
        )

    def verify_kernel(self) -> None:
        t, n = _act("dy", self.dy)
        _, (n_w, k) = _weight("w", self.w, 2)
        if not dim_matches(n, n_w):
            raise VerifyException(
                f"{_describe('w', self.w)} has shape {fmt_shape((n_w, k))} ([N, K]) "
                f"but dy has {fmt_shape((n,))} features"
            )
        _out("dx", self.output("dx"), (t, k))


@irdl_op_definition
class MatmulDwOp(KernelOp):
    """Weight gradient of y = x @ w^T: dw[N, K] = dy[T, N]^T @ x[T, K]."""

    name = "kernel.matmul_dw"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("dw",)
    dy = operand_def(Activation)
    x = operand_def(Activation)
    schedule = opt_prop_def(ScheduleAttr)
    """Register tile: `rows` columns of dw (a multiple of the vector width) x `tokens` rows of dw."""
    assembly_format = _format("dy", "x")

    def __init__(
        self,
        dy: SSAValue,
        x: SSAValue,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        self._build(
            [dy, x],
            {},
            outs,
            result_types,
            lambda: [_f32_tensor(shape_of(dy)[1], shape_of(x)[1])],
        )

    def verify_kernel(self) -> None:
        _, n = _act("dy", self.dy)
        _, k = _act("x", self.x)
        _same_tokens(("dy", self.dy), ("x", self.x))
        _out("dw", self.output("dw"), (n, k))


@irdl_op_definition
class MatmulDbOp(KernelOp):
    """Bias gradient of y = x @ w^T + b: db[N] = sum over the tokens of dy[T, N] (every token
    added b, so every token's output gradient reaches it)."""

    name = "kernel.matmul_db"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("db",)
    SPLITS: ClassVar[tuple[str, ...]] = ("rows",)
    """Rows of db (columns of dy): each thread sums every token for its own rows."""
    dy = operand_def(Activation)
    assembly_format = _format("dy")

    def __init__(
        self,
        dy: SSAValue,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        self._build([dy], {}, outs, result_types, lambda: [_f32_tensor(shape_of(dy)[1])])

    def verify_kernel(self) -> None:
        _, n = _act("dy", self.dy)
        _out("db", self.output("db"), (n,))


@irdl_op_definition
class RMSNormBwdOp(KernelOp):
    """Gradients of y = rmsnorm(x) * w: dx [T, D] and dw [D] (summed over tokens)."""

    name = "kernel.rmsnorm_bwd"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("dx", "dw")
    dy = operand_def(Activation)
    x = operand_def(Activation)
    w = operand_def(Weight)
    eps = prop_def(FloatAttr[Float32Type])
    assembly_format = _format("dy", "x", "w")

    def __init__(
        self,
        dy: SSAValue,
        x: SSAValue,
        w: SSAValue,
        eps: float,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        props: dict[str, Attribute] = {"eps": FloatAttr(eps, f32)}
        self._build(
            [dy, x, w], props, outs, result_types, lambda: [x.type, _f32_tensor(*shape_of(w))]
        )

    def verify_kernel(self) -> None:
        t, d = _act("x", self.x)
        _act("dy", self.dy)
        expect_shape("dy", self.dy, (t, d))
        _weight_shape("w", self.w, (d,))
        _positive_float("eps", self.eps)
        _out("dx", self.output("dx"), (t, d))
        _out("dw", self.output("dw"), (d,))


@irdl_op_definition
class HeadRMSNormBwdOp(KernelOp):
    """Gradients of head_rmsnorm: dx [T, D] and dw [head_dim] (summed over tokens and heads)."""

    name = "kernel.head_rmsnorm_bwd"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("dx", "dw")
    dy = operand_def(Activation)
    x = operand_def(Activation)
    w = operand_def(Weight)
    head_dim = prop_def(IntegerAttr[I64])
    eps = prop_def(FloatAttr[Float32Type])
    assembly_format = _format("dy", "x", "w")

    def __init__(
        self,
        dy: SSAValue,
        x: SSAValue,
        w: SSAValue,
        head_dim: int,
        eps: float,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        props: dict[str, Attribute] = {
            "head_dim": IntegerAttr(head_dim, 64),
            "eps": FloatAttr(eps, f32),
        }
        self._build(
            [dy, x, w], props, outs, result_types, lambda: [x.type, _f32_tensor(head_dim)]
        )

    def verify_kernel(self) -> None:
        t, d = _act("x", self.x)
        _act("dy", self.dy)
        expect_shape("dy", self.dy, (t, d))
        hd = _int(self.head_dim)
        _multiple_of_head_dim("x", d, hd)
        _weight_shape("w", self.w, (hd,))
        _positive_float("eps", self.eps)
        _out("dx", self.output("dx"), (t, d))
        _out("dw", self.output("dw"), (hd,))


@irdl_op_definition
class RopeBwdOp(_RopeProps):
    """dx = rotation of dy by the negated angles (the transpose of rope)."""

    name = "kernel.rope_bwd"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("dx",)
    dy = operand_def(Activation)
    positions = operand_def(Activation)
    assembly_format = _format("dy", "positions")

    def __init__(
        self,
        dy: SSAValue,
        positions: SSAValue,
        head_dim: int,
        n_rot: int,
        theta: float,
        style: str,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        props = self.rope_props(head_dim, n_rot, theta, style)
        self._build([dy, positions], props, outs, result_types, lambda: [dy.type])

    def verify_kernel(self) -> None:
        self.verify_rope("dy", self.dy, self.positions, "dx")


@irdl_op_definition
class AttentionBwdOp(_HeadsProps):
    """Gradients of causal grouped-query attention (no KV cache): dq, dk, dv."""

    name = "kernel.attention_bwd"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("dq", "dk", "dv")
    dout = operand_def(Activation)
    q = operand_def(Activation)
    k = operand_def(Activation)
    v = operand_def(Activation)
    positions = operand_def(Activation)
    assembly_format = _format("dout", "q", "k", "v", "positions")

    def __init__(
        self,
        dout: SSAValue,
        q: SSAValue,
        k: SSAValue,
        v: SSAValue,
        positions: SSAValue,
        n_heads: int,
        n_kv_heads: int,
        head_dim: int,
        scale: float,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        props = self.heads_props(n_heads, n_kv_heads, head_dim, scale)
        self._build(
            [dout, q, k, v, positions], props, outs, result_types, lambda: [q.type, k.type, v.type]
        )

    def verify_kernel(self) -> None:
        t, dq, dkv = self.verify_heads(self.q, self.k, self.v, self.positions)
        _act("dout", self.dout)
        expect_shape("dout", self.dout, (t, dq))
        _out("dq", self.output("dq"), (t, dq))
        _out("dk", self.output("dk"), (t, dkv))
        _out("dv", self.output("dv"), (t, dkv))


@irdl_op_definition
class SiluMulBwdOp(KernelOp):
    """Gradients of y = silu(gate) * up: dgate, dup."""

    name = "kernel.silu_mul_bwd"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("dgate", "dup")
    dy = operand_def(Activation)
    gate = operand_def(Activation)
    up = operand_def(Activation)
    assembly_format = _format("dy", "gate", "up")

    def __init__(
        self,
        dy: SSAValue,
        gate: SSAValue,
        up: SSAValue,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        self._build([dy, gate, up], {}, outs, result_types, lambda: [gate.type, up.type])

    def verify_kernel(self) -> None:
        t, d = _act("dy", self.dy)
        for what, value in (("gate", self.gate), ("up", self.up)):
            _act(what, value)
            expect_shape(what, value, (t, d))
        _out("dgate", self.output("dgate"), (t, d))
        _out("dup", self.output("dup"), (t, d))


@irdl_op_definition
class LayerNormBwdOp(KernelOp):
    """Gradients of y = layernorm(x) * w + b: dx [T, D], dw and db [D] (summed over tokens)."""

    name = "kernel.layernorm_bwd"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("dx", "dw", "db")
    SPLITS: ClassVar[tuple[str, ...]] = ("tokens",)
    dy = operand_def(Activation)
    x = operand_def(Activation)
    w = operand_def(Weight)
    eps = prop_def(FloatAttr[Float32Type])
    assembly_format = _format("dy", "x", "w")

    def __init__(
        self,
        dy: SSAValue,
        x: SSAValue,
        w: SSAValue,
        eps: float,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        d = _f32_tensor(*shape_of(w))
        self._build([dy, x, w], {"eps": FloatAttr(eps, f32)}, outs, result_types, lambda: [x.type, d, d])

    def verify_kernel(self) -> None:
        t, d = _act("x", self.x)
        _act("dy", self.dy)
        expect_shape("dy", self.dy, (t, d))
        _weight_shape("w", self.w, (d,))
        _positive_float("eps", self.eps)
        _out("dx", self.output("dx"), (t, d))
        _out("dw", self.output("dw"), (d,))
        _out("db", self.output("db"), (d,))


@irdl_op_definition
class GeluBwdOp(KernelOp):
    """Gradient of y = gelu(x) (tanh form): dx = dy * gelu'(x)."""

    name = "kernel.gelu_bwd"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("dx",)
    SPLITS: ClassVar[tuple[str, ...]] = ("tokens",)
    dy = operand_def(Activation)
    x = operand_def(Activation)
    assembly_format = _format("dy", "x")

    def __init__(
        self,
        dy: SSAValue,
        x: SSAValue,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        self._build([dy, x], {}, outs, result_types, lambda: [x.type])

    def verify_kernel(self) -> None:
        t, d = _act("x", self.x)
        _act("dy", self.dy)
        expect_shape("dy", self.dy, (t, d))
        _out("dx", self.output("dx"), (t, d))


@irdl_op_definition
class SliceBwdOp(KernelOp):
    """Gradient of a column slice: dx[T, D] = dy in columns [offset, offset + W), 0 elsewhere
    (D read off the dx output)."""

    name = "kernel.slice_bwd"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("dx",)
    SPLITS: ClassVar[tuple[str, ...]] = ("tokens",)
    dy = operand_def(Activation)
    offset = prop_def(IntegerAttr[I64])
    assembly_format = _format("dy")

    def __init__(
        self,
        dy: SSAValue,
        offset: int,
        full_width: int,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        self._build([dy], {"offset": IntegerAttr(offset, 64)}, outs, result_types,
                    lambda: [_f32_tensor(_tokens(dy), full_width)])

    def verify_kernel(self) -> None:
        t, w = _act("dy", self.dy)
        dx = self.output("dx")
        _, d = _act("dx", dx)
        _check_columns(d, _int(self.offset), w)
        _out("dx", dx, (t, d))


@irdl_op_definition
class EmbeddingBwdOp(KernelOp):
    """dtable[V, D] = scatter-add of dy[t] into row tokens[t] of a zeroed table (a tied
    embedding's lm-head gradient is added to it by a kernel.add)."""

    name = "kernel.embedding_bwd"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("dtable",)
    dy = operand_def(Activation)
    tokens = operand_def(Activation)
    assembly_format = _format("dy", "tokens")

    def __init__(
        self,
        dy: SSAValue,
        tokens: SSAValue,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        self._build([dy, tokens], {}, outs, result_types)

    def verify_kernel(self) -> None:
        _, d = _act("dy", self.dy)
        _ids("tokens", self.tokens)
        _same_tokens(("dy", self.dy), ("tokens", self.tokens))
        dtable = self.output("dtable")
        _act("dtable", dtable)
        expect_shape("dtable", dtable, (shape_of(dtable)[0], d))


@irdl_op_definition
class SoftmaxXentOp(KernelOp):
    """Fused softmax + cross-entropy: loss = mean_t -log softmax(logits[t])[targets[t]]
    (rank-0 f32) and dlogits = (softmax(logits) - onehot(targets)) / T."""

    name = "kernel.softmax_xent"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("loss", "dlogits")
    logits = operand_def(Activation)
    targets = operand_def(Activation)
    assembly_format = _format("logits", "targets")

    def __init__(
        self,
        logits: SSAValue,
        targets: SSAValue,
        *,
        outs: Sequence[SSAValue] = (),
        result_types: Sequence[Attribute] | None = None,
    ) -> None:
        self._build(
            [logits, targets], {}, outs, result_types, lambda: [_f32_tensor(), logits.type]
        )

    def verify_kernel(self) -> None:
        t, v = _act("logits", self.logits)
        _ids("targets", self.targets)
        _same_tokens(("logits", self.logits), ("targets", self.targets))
        _out("loss", self.output("loss"), ())
        _out("dlogits", self.output("dlogits"), (t, v))


@irdl_op_definition
class AdamWOp(KernelOp):
    """One AdamW step, as torch.optim.AdamW (decoupled weight decay, bias-corrected
    moments):

        m = beta1 m + (1 - beta1) g ;  v = beta2 v + (1 - beta2) g^2
        param -= lr * (m / (1 - beta1^step) / (sqrt(v / (1 - beta2^step)) + eps)
                       + weight_decay * param)

    Every hyperparameter is an operand whose value comes at run time, so a compiled
    training step can change them per call without recompiling (a learning-rate
    schedule, say): `step` (1-based) is an i64 scalar; `lr`, `beta1`, `beta2`, `eps`
    and `weight_decay` are f32 scalars. Their values cannot be checked statically;
    the verifier checks their types. The value form returns the new param, m, v; the
    destination-passing form updates in place, so its outs must be the param, m and v
    operands themselves.
    """

    name = "kernel.adamw"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("param", "m", "v")
    HYPERPARAMETERS: ClassVar[tuple[str, ...]] = ("lr", "beta1", "beta2", "eps", "weight_decay")
    """The f32 scalar operands after `step`, in order."""
    param = operand_def(Activation)
    grad = operand_def(Activation)
    m = operand_def(Activation)
    v = operand_def(Activation)
    # unconstrained here so that the verifier reports a wrong type by operand name
    step = operand_def()
    lr = operand_def()
    beta1 = operand_def()
    beta2 = operand_def()
    eps = operand_def()
    weight_decay = operand_def()
    assembly_format = _format("param", "grad", "m", "v", "step", *HYPERPARAMETERS)

    def __init__(
        self,
        param: SSAValue,
        grad: SSAValue,
        m: SSAValue,
        v: SSAValue,
        step: SSAValue,
        lr: SSAValue,
        beta1: SSAValue,
        beta2: SSAValue,
        eps: SSAValue,
        weight_decay: SSAValue,
        *,
        in_place: bool = False,
    ) -> None:
        """`in_place=True` builds the destination-passing form (outs = param, m, v)."""
        outs = (param, m, v) if in_place else ()
        self._build(
            [param, grad, m, v, step, lr, beta1, beta2, eps, weight_decay],
            {},
            outs,
            None,
            lambda: [param.type, m.type, v.type],
        )

    def verify_kernel(self) -> None:
        from xdsl.dialects.builtin import i64  # local: the module's imports are shared

        shape = shape_of(self.param)
        state = (("param", self.param), ("grad", self.grad), ("m", self.m), ("v", self.v))
        for what, value in state:
            _typed(what, value, f32)
            expect_shape(what, value, shape)
        if self.step.type != i64:
            raise VerifyException(f"step must be an i64 scalar, got {self.step.type}")
        for what in self.HYPERPARAMETERS:
            typ = getattr(self, what).type
            if typ != f32:
                raise VerifyException(f"{what} must be an f32 scalar, got {typ}")
            if what in self.attributes:  # the old property syntax would be silently ignored
                raise VerifyException(
                    f"{what} is an operand (its value comes at run time), not an attribute"
                )
        if self.is_destination_passing:
            updated = (("param", self.param), ("m", self.m), ("v", self.v))
            for i, (what, operand) in enumerate(updated):
                if self.outs[i] != operand:
                    raise VerifyException(
                        f"outs[{i}] must be the {what} operand: adamw updates param, m, v in place"
                    )
        else:
            for what in self.OUTPUTS:
                _out(f"result {what}", self.output(what), shape)


Kernel = Dialect(
    "kernel",
    [
        GemvOp,
        GemmOp,
        RMSNormOp,
        HeadRMSNormOp,
        RopeOp,
        AttentionOp,
        SiluMulOp,
        AddOp,
        LayerNormOp,
        GeluOp,
        SliceOp,
        EmbeddingOp,
        QuantizeActOp,
        RopeTableOp,
        RopeApplyOp,
        MatmulDxOp,
        MatmulDwOp,
        MatmulDbOp,
        RMSNormBwdOp,
        HeadRMSNormBwdOp,
        RopeBwdOp,
        AttentionBwdOp,
        SiluMulBwdOp,
        LayerNormBwdOp,
        GeluBwdOp,
        SliceBwdOp,
        EmbeddingBwdOp,
        SoftmaxXentOp,
        AdamWOp,
    ],
    [ScheduleAttr],
)
