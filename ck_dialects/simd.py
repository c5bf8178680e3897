"""The `simd` dialect: how each distinct kernel runs on a target ISA.

A kernel at this level is an ordinary `func.func` (loops from `scf`, buffers
from `memref`, index math from `arith`) whose inner work is done by `simd` ops
on builtin 1-D vectors such as `vector<16xf32>`. The function names its target
with `attributes {simd.isa = #simd.isa<avx512>}`; every simd op inside checks
that its vectors fit that ISA's registers, so a lowering that picks the wrong
width fails here, not in the C compiler.

Each op maps to one instruction (or a short fixed sequence) on x86: `fma` is
`vfmadd231ps`, `dot_i8` is `vpdpbusd`, `convert` is `vcvtph2ps`/`vcvtdq2ps`/...,
`reduce` is the usual shuffle tree. The element types are restricted to what
the kernels (docs/kernels.md) need (f32, f16, bf16, i32, i8), so the C
emitter has a closed set to cover.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from xdsl.dialects.builtin import (
    BFloat16Type,
    Float16Type,
    Float32Type,
    IndexType,
    IntegerType,
    MemRefType,
    Signedness,
    StringAttr,
    VectorType,
)
from xdsl.dialects.utils import EnumAttribute
from xdsl.ir import (
    Attribute,
    Dialect,
    Operation,
    ParametrizedAttribute,
    SpacedOpaqueSyntaxAttribute,
    SSAValue,
)
from xdsl.irdl import (
    IRDLOperation,
    attr_def,
    irdl_attr_definition,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.parser import AttrParser, Parser
from xdsl.printer import Printer
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.str_enum import StrEnum

ISA_BITS: dict[str, int] = {"avx512": 512, "avx2": 256, "scalar": 32}
"""Register width per ISA. `scalar` is one 32-bit lane: one f32 or i32 (or the
four bytes one scalar dot_i8 step consumes), so vector<1xf32> is its only f32 vector."""

def unknown_isa(isa: str) -> str | None:
    """Why `isa` is not an ISA simd knows (the message every option check uses), or None."""
    return None if isa in ISA_BITS else f"unknown isa '{isa}' (choose from {', '.join(ISA_BITS)})"


ISA_ATTR_NAME = "simd.isa"
"""The attribute key under which a function (or any enclosing op) names its ISA."""

RUNTIME_ABI_ATTR = "ck.runtime_abi"
"""A unit attribute on a function declaration: the runtime defines it (runtime_c/ck_runtime.h),
so the C target includes that header instead of printing a prototype."""

ELEMENT_TYPES = ("f32", "f16", "bf16", "i32", "i8")
"""Element types a simd vector may have (the set the C emitter must cover)."""

CONVERSIONS = {
    ("f16", "f32"),
    ("f32", "f16"),
    ("bf16", "f32"),
    ("f32", "bf16"),
    ("i8", "f32"),
    ("f32", "i8"),
    ("i32", "f32"),
    ("f32", "i32"),
}
"""(from, to) element pairs simd.convert supports."""


def element_name(typ: Attribute) -> str:
    """Short name of a scalar type: f32, f16, bf16, i32, i8 (else its printed form)."""
    if isinstance(typ, Float32Type):
        return "f32"
    if isinstance(typ, Float16Type):
        return "f16"
    if isinstance(typ, BFloat16Type):
        return "bf16"
    if isinstance(typ, IntegerType):
        return f"i{typ.width.data}" if typ.signedness.data == Signedness.SIGNLESS else str(typ)
    return str(typ)


def element_bits(typ: Attribute) -> int:
    """Bit width of a scalar element type (verifiers check the type before asking)."""
    if isinstance(typ, Float32Type):
        return 32
    if isinstance(typ, Float16Type | BFloat16Type):
        return 16
    if isinstance(typ, IntegerType):
        return typ.width.data
    raise ValueError(f"simd has no bit width for element type {typ}")


@irdl_attr_definition
class IsaAttr(ParametrizedAttribute):
    """Target ISA of a kernel: `#simd.isa<avx512>`, `#simd.isa<avx2>`, `#simd.isa<scalar>`.

    avx512 means the Zen 4 / Ice Lake feature set (F, BW, VL, VNNI, BF16); avx2
    means AVX2 + FMA + F16C.
    """

    name = "simd.isa"
    isa: StringAttr

    def __init__(self, isa: str) -> None:
        super().__init__(StringAttr(isa))

    @property
    def vector_bits(self) -> int:
        return ISA_BITS[self.isa.data]

    def lanes(self, element_type: Attribute) -> int:
        """How many elements of `element_type` one register holds (at least 1)."""
        return max(1, self.vector_bits // element_bits(element_type))

    def vector_type(self, element_type: Attribute) -> VectorType:
        """The full-register vector of `element_type`, e.g. vector<16xf32> on avx512."""
        return VectorType(element_type, [self.lanes(element_type)])

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> list[Attribute]:
        parser.parse_punctuation("<", " in #simd.isa")
        isa = parser.parse_identifier(" (ISA name)")
        parser.parse_punctuation(">", " at end of #simd.isa")
        return [StringAttr(isa)]

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string(f"<{self.isa.data}>")

    def verify(self) -> None:
        if self.isa.data not in ISA_BITS:
            raise VerifyException(
                f"unknown ISA '{self.isa.data}' in #simd.isa (valid: {', '.join(ISA_BITS)})"
            )


def enclosing_isa(op: Operation) -> tuple[IsaAttr, Operation] | None:
    """The nearest `simd.isa` attribute on an op around `op`, with the op carrying it."""
    parent = op.parent_op()
    while parent is not None:
        attr = parent.attributes.get(ISA_ATTR_NAME)
        if attr is not None:
            if not isinstance(attr, IsaAttr):
                raise VerifyException(
                    f"attribute {ISA_ATTR_NAME} of the enclosing {parent.name} must be "
                    f"a #simd.isa<...>, got {attr}"
                )
            return attr, parent
        parent = parent.parent_op()
    return None


def _describe(op: Operation) -> str:
    sym = op.attributes.get("sym_name") or op.properties.get("sym_name")
    return f"{op.name} @{sym.data}" if isinstance(sym, StringAttr) else op.name


def vector_of(what: str, value: SSAValue | Attribute) -> tuple[int, Attribute]:
    """(lanes, element type) of a 1-D fixed-width vector, or an error naming `what`."""
    typ = value.type if isinstance(value, SSAValue) else value
    if (
        not isinstance(typ, VectorType)
        or typ.get_num_dims() != 1
        or typ.get_num_scalable_dims() != 0
    ):
        raise VerifyException(f"{what} must be a 1-D fixed-width vector, got {typ}")
    return typ.get_shape()[0], typ.element_type


def expect_element(op: Operation, what: str, typ: Attribute, allowed: Sequence[str]) -> str:
    """Check an element type is in `allowed`; return its short name."""
    name = element_name(typ)
    if name not in allowed:
        raise VerifyException(
            f"{what} has element type {typ}; {op.name} supports {', '.join(allowed)}"
        )
    return name


class SimdOp(IRDLOperation):
    """Checks shared by every simd op: 1-D vectors that fit the enclosing ISA."""

    def vector_values(self) -> list[tuple[str, SSAValue]]:
        """The (name, value) pairs whose vector types must fit the ISA's registers."""
        defs = type(self).get_irdl_definition()
        named = [(name, getattr(self, name)) for name, _ in defs.operands]
        named += [(name, getattr(self, name)) for name, _ in defs.results]
        return [
            (n, v) for n, v in named if isinstance(v, SSAValue) and isinstance(v.type, VectorType)
        ]

    def verify_isa(self) -> None:
        found = enclosing_isa(self)
        if found is None:
            return
        isa, owner = found
        for what, value in self.vector_values():
            lanes, elem = vector_of(what, value)
            if lanes > isa.lanes(elem):
                cap = isa.lanes(elem)
                raise VerifyException(
                    f"{what} {value.type} has {lanes} lanes, more than the "
                    f"{cap} {elem} lane{'s' if cap > 1 else ''} of {isa} "
                    f"({ISA_ATTR_NAME} of the enclosing {_describe(owner)})"
                )

    def verify_(self) -> None:
        self.verify_simd()
        self.verify_isa()

    def verify_simd(self) -> None:
        """Op-specific checks; runs before the ISA check."""


class _ResultLikeFirstOp(SimdOp):
    """Custom syntax `simd.op %a, %b {attrs} : types` for ops whose result has the
    type of their first operand, so only operand types are written.

    With SHARED_TYPE one type covers every operand (`simd.add %a, %b : vector<16xf32>`),
    otherwise each operand's type is listed in order.
    """

    SHARED_TYPE: ClassVar[bool] = True

    @classmethod
    def parse(cls, parser: Parser) -> _ResultLikeFirstOp:
        pos = parser.pos
        args = parser.parse_comma_separated_list(
            parser.Delimiter.NONE, parser.parse_unresolved_operand
        )
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        if cls.SHARED_TYPE:
            types = [parser.parse_type()] * len(args)
        else:
            types = parser.parse_comma_separated_list(parser.Delimiter.NONE, parser.parse_type)
        operands = parser.resolve_operands(args, types, pos)
        op = cls.create(operands=operands, result_types=[types[0]])
        op.attributes.update(attrs)
        return op

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_list(self.operands, printer.print_operand)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        types = [o.type for o in self.operands]
        printer.print_list(types[:1] if self.SHARED_TYPE else types, printer.print_attribute)


class _SameTypeOp(_ResultLikeFirstOp):
    """Elementwise op whose operands and result all have one vector type."""

    ELEMENTS: ClassVar[Sequence[str]] = ("f32", "i32")
    result = result_def(VectorType)
    traits = traits_def(Pure())

    def __init__(self, *operands: SSAValue) -> None:
        super().__init__(operands=list(operands), result_types=[operands[0].type])

    def verify_simd(self) -> None:
        defs = type(self).get_irdl_definition()
        first_name = defs.operands[0][0]
        first = self.operands[0].type
        _, elem = vector_of(first_name, self.operands[0])
        expect_element(self, first_name, elem, self.ELEMENTS)
        for (name, _), value in zip(defs.operands[1:], self.operands[1:], strict=True):
            if value.type != first:
                raise VerifyException(
                    f"{name} has type {value.type}, expected {first} (the type of {first_name})"
                )
        if self.result.type != first:
            raise VerifyException(
                f"result has type {self.result.type}, expected {first} (the type of {first_name})"
            )


@irdl_op_definition
class LoadOp(SimdOp):
    """Load consecutive elements base[i0, ..., ik + 0 .. lanes-1] into a vector.

    One index per memref dimension; the vector runs along the last dimension.
    """

    name = "simd.load"
    base = operand_def(MemRefType)
    indices = var_operand_def(IndexType)
    result = result_def(VectorType)
    assembly_format = "$base `[` $indices `]` attr-dict `:` type($base) `->` type($result)"

    def __init__(self, base: SSAValue, indices: Sequence[SSAValue], result_type: VectorType) -> None:
        super().__init__(operands=[base, indices], result_types=[result_type])

    def verify_simd(self) -> None:
        _check_access(self, "result", self.result, self.base, self.indices)


@irdl_op_definition
class StoreOp(SimdOp):
    """Store a vector to consecutive elements base[i0, ..., ik + 0 .. lanes-1]."""

    name = "simd.store"
    value = operand_def(VectorType)
    base = operand_def(MemRefType)
    indices = var_operand_def(IndexType)
    assembly_format = (
        "$value `,` $base `[` $indices `]` attr-dict `:` type($value) `,` type($base)"
    )

    def __init__(self, value: SSAValue, base: SSAValue, indices: Sequence[SSAValue]) -> None:
        super().__init__(operands=[value, base, indices])

    def verify_simd(self) -> None:
        _check_access(self, "value", self.value, self.base, self.indices)


def _check_access(
    op: Operation, what: str, vector: SSAValue, base: SSAValue, indices: Sequence[SSAValue]
) -> None:
    lanes, elem = vector_of(what, vector)
    expect_element(op, what, elem, ELEMENT_TYPES)
    memref = base.type
    assert isinstance(memref, MemRefType)
    shape = memref.get_shape()
    if not shape:
        raise VerifyException(f"base {memref} has rank 0; a vector runs along a last dimension")
    if len(indices) != len(shape):
        raise VerifyException(
            f"base {memref} has rank {len(shape)} but {len(indices)} "
            f"{'index was' if len(indices) == 1 else 'indices were'} given (one per dimension)"
        )
    if memref.element_type != elem:
        raise VerifyException(
            f"{what} element type {elem} does not match the element type "
            f"{memref.element_type} of base {memref}"
        )
    if shape[-1] >= 0 and lanes > shape[-1]:
        raise VerifyException(
            f"{what} {vector.type} has {lanes} lanes but the last dimension of base "
            f"{memref} has only {shape[-1]} elements"
        )


@irdl_op_definition
class BroadcastOp(SimdOp):
    """Replicate a scalar into every lane (`vbroadcastss`, `set1`).

    The source may also be a short vector whose lane count divides the result's:
    it is repeated as a group, e.g. the 4 activation bytes of one dot_i8 k-step
    (vector<4xi8> -> vector<64xi8>, a `{1to16}` dword broadcast).
    """

    name = "simd.broadcast"
    source = operand_def()
    result = result_def(VectorType)
    traits = traits_def(Pure())
    assembly_format = "$source attr-dict `:` type($source) `->` type($result)"

    def __init__(self, source: SSAValue, result_type: VectorType) -> None:
        super().__init__(operands=[source], result_types=[result_type])

    def verify_simd(self) -> None:
        lanes, elem = vector_of("result", self.result)
        expect_element(self, "result", elem, ELEMENT_TYPES)
        src = self.source.type
        if isinstance(src, VectorType):
            group, src_elem = vector_of("source", self.source)
            if group == 0 or lanes % group:
                raise VerifyException(
                    f"source {src} has {group} lanes, which does not divide the "
                    f"{lanes} lanes of result {self.result.type}"
                )
        else:
            src_elem = src
        if src_elem != elem:
            raise VerifyException(
                f"source element type {src_elem} does not match the element type "
                f"{elem} of result {self.result.type}"
            )


@irdl_op_definition
class AddOp(_SameTypeOp):
    """lhs + rhs per lane (f32 or wrapping i32)."""

    name = "simd.add"
    lhs = operand_def(VectorType)
    rhs = operand_def(VectorType)


@irdl_op_definition
class SubOp(_SameTypeOp):
    """lhs - rhs per lane."""

    name = "simd.sub"
    lhs = operand_def(VectorType)
    rhs = operand_def(VectorType)


@irdl_op_definition
class MulOp(_SameTypeOp):
    """lhs * rhs per lane (i32 keeps the low 32 bits, as vpmulld)."""

    name = "simd.mul"
    lhs = operand_def(VectorType)
    rhs = operand_def(VectorType)


@irdl_op_definition
class DivOp(_SameTypeOp):
    """lhs / rhs per lane, correctly rounded (`vdivps`)."""

    name = "simd.div"
    ELEMENTS: ClassVar[Sequence[str]] = ("f32",)
    lhs = operand_def(VectorType)
    rhs = operand_def(VectorType)


@irdl_op_definition
class MaxOp(_SameTypeOp):
    """max(lhs, rhs) per lane (i32 signed); the running max of a softmax or argmax."""

    name = "simd.max"
    lhs = operand_def(VectorType)
    rhs = operand_def(VectorType)


@irdl_op_definition
class FmaOp(_SameTypeOp):
    """a * b + c per lane with one rounding (`vfmadd231ps`): c is the accumulator."""

    name = "simd.fma"
    ELEMENTS: ClassVar[Sequence[str]] = ("f32",)
    a = operand_def(VectorType)
    b = operand_def(VectorType)
    c = operand_def(VectorType)


@irdl_op_definition
class ExpOp(_SameTypeOp):
    """e^x per lane, for softmax and SiLU; the emitter inlines a polynomial, not libm."""

    name = "simd.exp"
    ELEMENTS: ClassVar[Sequence[str]] = ("f32",)
    source = operand_def(VectorType)


@irdl_op_definition
class SqrtOp(_SameTypeOp):
    """The square root per lane, correctly rounded (`vsqrtps`, as C's sqrtf): AdamW's denominator."""

    name = "simd.sqrt"
    ELEMENTS: ClassVar[Sequence[str]] = ("f32",)
    source = operand_def(VectorType)


class ReduceKind(StrEnum):
    ADD = "add"
    MAX = "max"


@irdl_attr_definition
class ReduceKindAttr(EnumAttribute[ReduceKind], SpacedOpaqueSyntaxAttribute):
    """How simd.reduce combines lanes: `add` or `max`."""

    name = "simd.reduce_kind"


@irdl_op_definition
class ReduceOp(SimdOp):
    """Horizontal add or max of all lanes into one scalar of the element type.

    The f32 add order is the emitter's pairwise tree (halve the vector until one
    lane is left), not lane 0 + lane 1 + ...
    """

    name = "simd.reduce"
    kind = prop_def(ReduceKindAttr)
    source = operand_def(VectorType)
    result = result_def()
    traits = traits_def(Pure())
    assembly_format = "$kind $source attr-dict `:` type($source) `->` type($result)"

    def __init__(self, kind: str, source: SSAValue) -> None:
        _, elem = vector_of("source", source)
        super().__init__(
            operands=[source],
            result_types=[elem],
            properties={"kind": ReduceKindAttr(ReduceKind(kind))},
        )

    def verify_simd(self) -> None:
        _, elem = vector_of("source", self.source)
        expect_element(self, "source", elem, ("f32", "i32"))
        if self.result.type != elem:
            raise VerifyException(
                f"result type {self.result.type} does not match the element type "
                f"{elem} of source {self.source.type}"
            )


class _DotOp(_ResultLikeFirstOp):
    """Dot-product-accumulate: each lane of `acc` plus the products of a GROUP of narrow
    lanes of `a` and `b` (printed with each operand's type)."""

    SHARED_TYPE: ClassVar[bool] = False
    ACC: ClassVar[str]
    NARROW: ClassVar[str]
    GROUP: ClassVar[int]
    UNIT: ClassVar[str]
    """What one group is, for messages: `4 bytes`, `a bf16 pair`."""
    acc = operand_def(VectorType)
    a = operand_def(VectorType)
    b = operand_def(VectorType)
    result = result_def(VectorType)
    traits = traits_def(Pure())

    def __init__(self, acc: SSAValue, a: SSAValue, b: SSAValue) -> None:
        super().__init__(operands=[acc, a, b], result_types=[acc.type])

    def verify_simd(self) -> None:
        lanes, elem = vector_of("acc", self.acc)
        expect_element(self, "acc", elem, (self.ACC,))
        self.verify_lanes(lanes)
        for what, value in (("a", self.a), ("b", self.b)):
            n, e = vector_of(what, value)
            expect_element(self, what, e, (self.NARROW,))
            if n != self.GROUP * lanes:
                raise VerifyException(
                    f"{what} {value.type} has {n} lanes, expected {self.GROUP} x {lanes} = {self.GROUP * lanes} "
                    f"({self.UNIT} per {self.ACC} lane of acc {self.acc.type})"
                )
        if self.result.type != self.acc.type:
            raise VerifyException(
                f"result has type {self.result.type}, expected {self.acc.type} (the type of acc)"
            )

    def verify_lanes(self, lanes: int) -> None:
        """Op-specific limits on acc's lane count."""


@irdl_op_definition
class DotI8Op(_DotOp):
    """int8 dot-product-accumulate, as `vpdpbusd`: for each i32 lane j,

        result[j] = acc[j] + sum_{k<4} zext(a[4j+k]) * sext(b[4j+k])

    `a` is read as UNSIGNED bytes (u8, e.g. Q8_0 weights stored as q ^ 0x80) and
    `b` as signed int8; the i32 sum wraps, it does not saturate. With a = w + 128
    the caller starts acc at -128 * sum(b) to get sum(w * b) exactly.
    Printed `simd.dot_i8 %acc, %a, %b : vector<16xi32>, vector<64xi8>, vector<64xi8>`.
    """

    name = "simd.dot_i8"
    ACC: ClassVar[str] = "i32"
    NARROW: ClassVar[str] = "i8"
    GROUP: ClassVar[int] = 4
    UNIT: ClassVar[str] = "4 bytes"


NIBBLE_HALVES = ("low", "high")


@irdl_op_definition
class NibblesOp(_ResultLikeFirstOp):
    """One 4-bit half of every byte, as a byte 0..15: `low` is b & 0x0F, `high` is b >> 4
    (logical). Weights stored two per byte (the 4-bit types in rp16) unpack in registers
    into the unsigned operand of `simd.dot_i8`.
    Printed `simd.nibbles %v {half = "high"} : vector<64xi8>`.
    """

    name = "simd.nibbles"
    source = operand_def(VectorType)
    half = attr_def(StringAttr)
    result = result_def(VectorType)
    traits = traits_def(Pure())

    def __init__(self, source: SSAValue, half: str) -> None:
        super().__init__(operands=[source], result_types=[source.type], attributes={"half": StringAttr(half)})

    def verify_simd(self) -> None:
        _, elem = vector_of("source", self.source)
        expect_element(self, "source", elem, ("i8",))
        if self.half.data not in NIBBLE_HALVES:
            raise VerifyException(f"half must be one of {', '.join(NIBBLE_HALVES)}, got '{self.half.data}'")
        if self.result.type != self.source.type:
            raise VerifyException(f"result has type {self.result.type}, expected {self.source.type} (the type of source)")


def _require_avx512(op: Operation) -> None:
    """bf16 dot products and pair packing exist on avx512 only (vdpbf16ps)."""
    found = enclosing_isa(op)
    if found is not None and found[0].isa.data != "avx512":
        raise VerifyException(f"{op.name} needs avx512 (vdpbf16ps), the enclosing ISA is {found[0]}")


@irdl_op_definition
class DotBf16Op(_DotOp):
    """bf16 pair dot-product-accumulate, as `vdpbf16ps`: for each f32 lane j,

        result[j] = (acc[j] + a[2j+1] * b[2j+1]) + a[2j] * b[2j]

    each product exact in f32 (8-bit significands), each sum rounded to nearest even
    (the hardware also treats denormal inputs and results as zero). Twice the multiply-adds
    of an f32 FMA per instruction: the matmuls of bf16 training use it with one operand a
    broadcast pair of activations and the other a pair-interleaved weight panel.
    Printed `simd.dot_bf16 %acc, %a, %b : vector<16xf32>, vector<32xbf16>, vector<32xbf16>`.
    """

    name = "simd.dot_bf16"
    ACC: ClassVar[str] = "f32"
    NARROW: ClassVar[str] = "bf16"
    GROUP: ClassVar[int] = 2
    UNIT: ClassVar[str] = "a bf16 pair"

    def verify_lanes(self, lanes: int) -> None:
        if lanes != 16:
            raise VerifyException(f"acc {self.acc.type} must have 16 lanes (one zmm register)")

    def verify_simd(self) -> None:
        super().verify_simd()
        _require_avx512(self)


@irdl_op_definition
class PackBf16Op(SimdOp):
    """Two f32 vectors rounded to bf16 (nearest even, as simd.convert) and interleaved lane
    by lane: result[2j] = bf16(even[j]), result[2j+1] = bf16(odd[j]), the pair layout
    simd.dot_bf16 reads (e.g. rows k and k+1 of a weight panel).
    Printed `simd.pack_bf16 %even, %odd : vector<16xf32> -> vector<32xbf16>`.
    """

    name = "simd.pack_bf16"
    even = operand_def(VectorType)
    odd = operand_def(VectorType)
    result = result_def(VectorType)
    traits = traits_def(Pure())
    assembly_format = "$even `,` $odd attr-dict `:` type($even) `,` type($odd) `->` type($result)"

    def __init__(self, even: SSAValue, odd: SSAValue) -> None:
        lanes, _ = vector_of("even", even)
        super().__init__(operands=[even, odd], result_types=[VectorType(BFloat16Type(), [2 * lanes])])

    def verify_simd(self) -> None:
        lanes, elem = vector_of("even", self.even)
        expect_element(self, "even", elem, ("f32",))
        if lanes != 16:
            raise VerifyException(f"even {self.even.type} must have 16 lanes (one zmm register)")
        if self.odd.type != self.even.type:
            raise VerifyException(f"odd has type {self.odd.type}, expected {self.even.type} (the type of even)")
        n, res = vector_of("result", self.result)
        expect_element(self, "result", res, ("bf16",))
        if n != 2 * lanes:
            raise VerifyException(f"result {self.result.type} has {n} lanes, expected 2 x {lanes} = {2 * lanes}")
        _require_avx512(self)


class SelectPredicate(StrEnum):
    SLT = "slt"
    SLE = "sle"


@irdl_attr_definition
class SelectPredicateAttr(EnumAttribute[SelectPredicate], SpacedOpaqueSyntaxAttribute):
    """How simd.select compares its i32 lanes: signed `slt` (<) or `sle` (<=)."""

    name = "simd.select_predicate"


@irdl_op_definition
class SelectOp(SimdOp):
    """Lane-wise choice by a signed i32 comparison:

        result[i] = (lhs[i] PRED rhs[i]) ? on_true[i] : on_false[i]

    e.g. a causal mask over 16 keys at once (`key position sle query position`, else
    -inf). On avx512 a compare into a mask register and a masked blend; on avx2 a
    `vpcmpgtd` and a `vblendvps`.
    Printed `simd.select sle %l, %r, %a, %b : vector<16xi32>, vector<16xf32>`.
    """

    name = "simd.select"
    predicate = prop_def(SelectPredicateAttr)
    lhs = operand_def(VectorType)
    rhs = operand_def(VectorType)
    on_true = operand_def(VectorType)
    on_false = operand_def(VectorType)
    result = result_def(VectorType)
    traits = traits_def(Pure())

    @classmethod
    def parse(cls, parser: Parser) -> SelectOp:
        pos = parser.pos
        predicate = parser.parse_identifier(" (the predicate: slt or sle)")
        if predicate not in set(SelectPredicate):
            parser.raise_error(f"unknown simd.select predicate '{predicate}' (choose from slt, sle)", pos)
        args = parser.parse_comma_separated_list(parser.Delimiter.NONE, parser.parse_unresolved_operand)
        if len(args) != 4:
            parser.raise_error(f"simd.select takes 4 operands (lhs, rhs, on_true, on_false), got {len(args)}", pos)
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        compare = parser.parse_type()
        parser.parse_punctuation(",")
        value = parser.parse_type()
        operands = parser.resolve_operands(args, [compare, compare, value, value], pos)
        op = cls(predicate, *operands)
        op.attributes.update(attrs)
        return op

    def print(self, printer: Printer) -> None:
        printer.print_string(f" {self.predicate.data.value} ")
        printer.print_list(self.operands, printer.print_operand)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_list([self.lhs.type, self.on_true.type], printer.print_attribute)

    def __init__(self, predicate: str, lhs: SSAValue, rhs: SSAValue, on_true: SSAValue, on_false: SSAValue) -> None:
        super().__init__(
            operands=[lhs, rhs, on_true, on_false],
            result_types=[on_true.type],
            properties={"predicate": SelectPredicateAttr(SelectPredicate(predicate))},
        )

    def verify_simd(self) -> None:
        lanes, elem = vector_of("lhs", self.lhs)
        expect_element(self, "lhs", elem, ("i32",))
        if self.rhs.type != self.lhs.type:
            raise VerifyException(f"rhs has type {self.rhs.type}, expected {self.lhs.type} (the type of lhs)")
        n, value_elem = vector_of("on_true", self.on_true)
        expect_element(self, "on_true", value_elem, ("f32",))
        if n != lanes:
            raise VerifyException(
                f"on_true {self.on_true.type} has {n} lanes but lhs {self.lhs.type} has {lanes}"
            )
        for what, value in (("on_false", self.on_false), ("result", self.result)):
            if value.type != self.on_true.type:
                raise VerifyException(
                    f"{what} has type {value.type}, expected {self.on_true.type} (the type of on_true)"
                )


@irdl_op_definition
class ConvertOp(SimdOp):
    """Change the element type lane by lane, keeping the lane count.

    f16/bf16 <-> f32 (`vcvtph2ps`, `vcvtneps2bf16`, ...), i32 <-> f32 and i8 <-> f32
    (i8 is signed). Float -> int rounds to nearest even (`vcvtps2dq`); f32 -> i8
    then saturates to [-128, 127] (`vpmovsdb`); f32 -> f16/bf16 rounds to nearest even.
    """

    name = "simd.convert"
    source = operand_def(VectorType)
    result = result_def(VectorType)
    traits = traits_def(Pure())
    assembly_format = "$source attr-dict `:` type($source) `->` type($result)"

    def __init__(self, source: SSAValue, result_type: VectorType) -> None:
        super().__init__(operands=[source], result_types=[result_type])

    def verify_simd(self) -> None:
        n_src, src = vector_of("source", self.source)
        n_res, res = vector_of("result", self.result)
        if n_src != n_res:
            raise VerifyException(
                f"result {self.result.type} has {n_res} lanes but source "
                f"{self.source.type} has {n_src}"
            )
        pair = (element_name(src), element_name(res))
        if pair not in CONVERSIONS:
            raise VerifyException(
                f"unsupported conversion {src} -> {res} (source {self.source.type}, "
                f"result {self.result.type}); supported: f16, bf16, i8, i32 <-> f32"
            )


Simd = Dialect(
    "simd",
    [
        LoadOp,
        StoreOp,
        BroadcastOp,
        AddOp,
        SubOp,
        MulOp,
        DivOp,
        MaxOp,
        FmaOp,
        ExpOp,
        SqrtOp,
        ReduceOp,
        DotI8Op,
        NibblesOp,
        ConvertOp,
        SelectOp,
        DotBf16Op,
        PackBf16Op,
    ],
    [IsaAttr, ReduceKindAttr, SelectPredicateAttr],
)
