"""Types and checks shared by the four ck dialects.

The weight type lives here because a weight keeps its identity (logical shape,
storage dtype) from the transformer level down to the memory level: kernels and
the weight blob refer to the same `!transformer.weight<...>` values.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import DYNAMIC_INDEX, ArrayAttr, IntAttr, ShapedType, StringAttr
from xdsl.ir import Attribute, Operation, ParametrizedAttribute, SSAValue, TypeAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

# Storage dtypes a weight may have, with the number of weights per storage block
# (the last logical dimension must be a multiple of it).
WEIGHT_DTYPES: dict[str, int] = {
    "f32": 1, "f16": 1, "bf16": 1, "q8_0": 32,
    "q4_0": 32, "q4_1": 32, "q5_0": 32, "q5_1": 32, "q4_k": 256, "q5_k": 256, "q6_k": 256,
}
AFFINE_DTYPES: dict[str, int] = {"q4_0": 32, "q4_1": 32, "q5_0": 32, "q5_1": 32, "q4_k": 32, "q5_k": 32, "q6_k": 16}
"""The block types ck unpacks to w = scale * q + min (q a small signed integer), with the
number of weights that share one scale (and one min)."""
AFFINE_MINS = frozenset({"q4_1", "q5_1", "q4_k", "q5_k"})
"""Affine dtypes whose blocks carry a min (w = scale * q + min; the others: w = scale * q)."""
K_QUANT_DTYPES = frozenset({"q4_k", "q5_k", "q6_k"})
"""Super-blocks of 256 with integer sub-block scales (and mins) times an fp16 d (and dmin);
their dot products read activations quantized per 256 (q8_k), as llama.cpp's do."""


def is_quantized(dtype: str) -> bool:
    """Block-quantized storage: 2-D only, read by int8 dot products over 8-bit activations."""
    return dtype == "q8_0" or dtype in AFFINE_DTYPES


@irdl_attr_definition
class WeightType(ParametrizedAttribute, TypeAttribute):
    """A GGUF weight tensor: logical shape [out, in] (PyTorch order) and storage dtype.

    Printed as `!transformer.weight<128x64, q8_0>`.
    """

    name = "transformer.weight"
    shape: ArrayAttr[IntAttr]
    dtype: StringAttr

    def __init__(self, shape: Sequence[int], dtype: str) -> None:
        super().__init__(ArrayAttr([IntAttr(d) for d in shape]), StringAttr(dtype))

    def get_shape(self) -> tuple[int, ...]:
        return tuple(d.data for d in self.shape.data)

    @property
    def storage(self) -> str:
        return self.dtype.data

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> list[Attribute]:
        parser.parse_punctuation("<", " in weight type")
        dims = parser.parse_dimension_list()
        parser.parse_punctuation(",", " between weight shape and storage dtype")
        dtype = parser.parse_identifier(" (weight storage dtype)")
        parser.parse_punctuation(">", " at end of weight type")
        return [ArrayAttr([IntAttr(d) for d in dims]), StringAttr(dtype)]

    def print_parameters(self, printer: Printer) -> None:
        dims = "x".join(str(d) for d in self.get_shape())
        printer.print_string(f"<{dims}, {self.storage}>")

    def verify(self) -> None:
        shape = self.get_shape()
        if not shape or len(shape) > 2:
            raise VerifyException(f"weight must be 1-D or 2-D, got shape {fmt_shape(shape)}")
        if any(d <= 0 for d in shape):
            raise VerifyException(f"weight dimensions must be static and positive, got {fmt_shape(shape)}")
        if self.storage not in WEIGHT_DTYPES:
            raise VerifyException(
                f"unsupported weight dtype '{self.storage}' "
                f"(supported: {', '.join(WEIGHT_DTYPES)})"
            )
        block = WEIGHT_DTYPES[self.storage]
        if shape[-1] % block:
            raise VerifyException(
                f"weight dtype {self.storage} needs the last dimension to be a multiple "
                f"of {block}, got {shape[-1]}"
            )


def shape_of(value: SSAValue | Attribute) -> tuple[int, ...]:
    """Logical shape of a tensor, memref, vector or weight value (or of its type)."""
    typ = value.type if isinstance(value, SSAValue) else value
    if isinstance(typ, WeightType):
        return typ.get_shape()
    if isinstance(typ, ShapedType):
        return tuple(typ.get_shape())
    raise VerifyException(f"expected a shaped value, got {typ}")


def dim_matches(a: int, b: int) -> bool:
    """Two dimensions agree when equal or when either is dynamic (`?`)."""
    return a == b or a == DYNAMIC_INDEX or b == DYNAMIC_INDEX


def fmt_shape(shape: Sequence[int]) -> str:
    """`4x?x128` as MLIR writes shapes; `scalar` for rank 0."""
    if not shape:
        return "scalar"
    return "x".join("?" if d == DYNAMIC_INDEX else str(d) for d in shape)


def expect_shape(what: str, value: SSAValue, expected: Sequence[int]) -> None:
    """Raise a VerifyException naming `what` when `value`'s shape differs."""
    got = shape_of(value)
    if len(got) != len(expected) or not all(map(dim_matches, got, expected)):
        raise VerifyException(
            f"{what} has shape {fmt_shape(got)}, expected {fmt_shape(expected)}"
        )


def expect_rank(what: str, value: SSAValue, rank: int) -> tuple[int, ...]:
    got = shape_of(value)
    if len(got) != rank:
        raise VerifyException(f"{what} must have rank {rank}, got shape {fmt_shape(got)}")
    return got


def expect_positive(what: str, value: int) -> None:
    if value <= 0:
        raise VerifyException(f"{what} must be positive, got {value}")


def check_seq_len(op: Operation, tokens: int) -> None:
    """An attention's `seq_len` (rows holding a batch of sequences) is positive, divides the
    rows, and is not combined with a KV cache slot."""
    seq_len = op.properties.get("seq_len")
    if seq_len is None:
        return
    length = seq_len.value.data  # type: ignore[attr-defined]
    if length <= 0:
        raise VerifyException(f"seq_len must be positive, got {length}")
    if op.properties.get("kv_slot") is not None:
        raise VerifyException("seq_len (a batch of sequences) cannot be used with a kv_slot")
    if tokens != DYNAMIC_INDEX and tokens % length:
        raise VerifyException(f"{tokens} rows are not a whole number of sequences of seq_len {length}")
