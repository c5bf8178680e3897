"""The `memory` dialect: where every byte lives.

A compiled runtime owns three storage areas, and every buffer a kernel touches is
a view of one of them:

* the activation arena, one 64-byte-aligned scratch allocation (`memory.arena`),
  cut into `memory.slot` views; the planner picks the offsets by liveness, so
  slots whose lifetimes do not overlap share bytes;
* the weight blob `weights.bump`, mmapped read-only: each GGUF tensor packed at a
  64-aligned offset (`memory.weight`);
* the KV cache, which outlives a call: one K and one V region per layer
  (`memory.kv_cache`), at offsets in the runtime's KV buffer.

Kernels at this level are in destination-passing form and read and write these
views. `layout.json` is printed from the offsets and sizes here.
"""

from __future__ import annotations

import math

from xdsl.dialects.builtin import (
    I64,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    StringAttr,
    f32,
)
from xdsl.ir import Attribute, Dialect, ParametrizedAttribute, SSAValue, TypeAttribute
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_attr_definition,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from ck.dialects.types import WEIGHT_DTYPES, WeightType, fmt_shape

ALIGNMENT = 64
"""Bytes: arena, weight and KV-cache offsets are multiples of this (one cache line,
one AVX-512 vector)."""
BLOCK_BYTES: dict[str, int] = {"f32": 4, "f16": 2, "bf16": 2, "q8_0": 34}
"""Storage bytes of one block of WEIGHT_DTYPES[dtype] weights (Q8_0: fp16 scale + 32 int8)."""
KV_KINDS = ("k", "v")


def weight_bytes(typ: WeightType) -> int:
    """Bytes the weight occupies in weights.bump."""
    return math.prod(typ.get_shape()) // WEIGHT_DTYPES[typ.storage] * BLOCK_BYTES[typ.storage]


def element_bytes(element: Attribute) -> int:
    """Bytes of one element of a memref (i1 and i4 round up to a byte)."""
    if isinstance(element, IndexType):
        return 8
    if isinstance(element, IntegerType):
        return max(1, (element.width.data + 7) // 8)
    bitwidth = getattr(element, "bitwidth", None)
    if isinstance(bitwidth, int):
        return max(1, bitwidth // 8)
    raise VerifyException(f"unsupported memref element type {element}")


def memref_bytes(typ: MemRefType) -> int:
    """Bytes of a dense memref; dynamic dimensions count as 1 (a lower bound)."""
    return math.prod(max(d, 1) for d in typ.get_shape()) * element_bytes(typ.element_type)


def _int(attr: IntegerAttr) -> int:
    return attr.value.data


def _non_negative(what: str, value: int) -> None:
    if value < 0:
        raise VerifyException(f"{what} must be non-negative, got {value}")


def _positive(what: str, value: int) -> None:
    if value <= 0:
        raise VerifyException(f"{what} must be positive, got {value}")


def _aligned(what: str, offset: int, alignment: int) -> None:
    _non_negative(what, offset)
    if offset % alignment:
        raise VerifyException(f"{what} {offset} is not a multiple of the alignment {alignment}")


def _i64(value: int) -> IntegerAttr:
    return IntegerAttr(value, 64)


@irdl_attr_definition
class ArenaType(ParametrizedAttribute, TypeAttribute):
    """The activation arena, `!memory.arena`: slots are views into it."""

    name = "memory.arena"


@irdl_op_definition
class ArenaOp(IRDLOperation):
    """The one activation arena of a runtime: `size` bytes at an `alignment`-byte address."""

    name = "memory.arena"
    size = prop_def(IntegerAttr[I64])
    alignment = prop_def(IntegerAttr[I64], default_value=_i64(ALIGNMENT))
    arena = result_def(ArenaType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "attr-dict"

    def __init__(self, size: int, alignment: int = ALIGNMENT) -> None:
        super().__init__(
            properties={"size": _i64(size), "alignment": _i64(alignment)},
            result_types=[ArenaType()],
        )

    def verify_(self) -> None:
        _positive("arena size", _int(self.size))
        alignment = _int(self.alignment)
        if alignment < ALIGNMENT or alignment & (alignment - 1):
            raise VerifyException(
                f"arena alignment must be a power of two >= {ALIGNMENT}, got {alignment}"
            )


@irdl_op_definition
class SlotOp(IRDLOperation):
    """A memref view of `size` bytes of the arena, at byte `offset`."""

    name = "memory.slot"
    arena = operand_def(ArenaType)
    offset = prop_def(IntegerAttr[I64])
    size = prop_def(IntegerAttr[I64])
    alignment = prop_def(IntegerAttr[I64], default_value=_i64(ALIGNMENT))
    result = result_def(MemRefType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$arena attr-dict `:` type($result)"

    def __init__(
        self, arena: SSAValue, offset: int, size: int, typ: MemRefType, alignment: int = ALIGNMENT
    ) -> None:
        super().__init__(
            operands=[arena],
            properties={"offset": _i64(offset), "size": _i64(size), "alignment": _i64(alignment)},
            result_types=[typ],
        )

    def verify_(self) -> None:
        typ = self.result.type
        assert isinstance(typ, MemRefType)
        offset, size, alignment = _int(self.offset), _int(self.size), _int(self.alignment)
        elt = element_bytes(typ.element_type)
        if alignment < elt or alignment & (alignment - 1):
            raise VerifyException(
                f"slot alignment must be a power of two >= the element size ({elt} bytes), "
                f"got {alignment}"
            )
        _aligned("slot offset", offset, alignment)
        needed = memref_bytes(typ)
        if size < needed:
            raise VerifyException(
                f"slot size {size} is smaller than the {needed} bytes of {typ}"
            )
        arena = self.arena.owner
        if isinstance(arena, ArenaOp):
            if alignment > _int(arena.alignment):
                raise VerifyException(
                    f"slot alignment {alignment} exceeds the arena alignment "
                    f"{_int(arena.alignment)}"
                )
            if offset + size > _int(arena.size):
                raise VerifyException(
                    f"slot [offset {offset}, size {size}] ends at byte {offset + size}, "
                    f"past the arena size {_int(arena.size)}"
                )


@irdl_op_definition
class WeightOp(IRDLOperation):
    """A weight packed in weights.bump: the GGUF tensor `tensor_name` at byte `offset`."""

    name = "memory.weight"
    tensor_name = prop_def(StringAttr)
    offset = prop_def(IntegerAttr[I64])
    size = prop_def(IntegerAttr[I64])
    result = result_def(WeightType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$tensor_name attr-dict `:` type($result)"

    def __init__(self, tensor_name: str, offset: int, typ: WeightType) -> None:
        super().__init__(
            properties={
                "tensor_name": StringAttr(tensor_name),
                "offset": _i64(offset),
                "size": _i64(weight_bytes(typ)),
            },
            result_types=[typ],
        )

    def verify_(self) -> None:
        if not self.tensor_name.data:
            raise VerifyException("weight tensor_name must not be empty")
        name = f"weight '{self.tensor_name.data}'"
        _aligned(f"{name} offset", _int(self.offset), ALIGNMENT)
        typ = self.result.type
        assert isinstance(typ, WeightType)
        if _int(self.size) != weight_bytes(typ):
            raise VerifyException(
                f"{name} size {_int(self.size)} does not match the {weight_bytes(typ)} bytes "
                f"of {fmt_shape(typ.get_shape())} {typ.storage}"
            )


@irdl_op_definition
class KVCacheOp(IRDLOperation):
    """The K or V cache of one layer: context_len rows of `width` f32 (n_kv_heads * head_dim),
    at byte `offset` of the runtime's KV buffer (which, unlike the arena, persists
    between calls)."""

    name = "memory.kv_cache"
    layer = prop_def(IntegerAttr[I64])
    kind = prop_def(StringAttr)
    context_len = prop_def(IntegerAttr[I64])
    width = prop_def(IntegerAttr[I64])
    offset = prop_def(IntegerAttr[I64])
    result = result_def(MemRefType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "attr-dict `:` type($result)"

    def __init__(self, layer: int, kind: str, context_len: int, width: int, offset: int) -> None:
        super().__init__(
            properties={
                "layer": _i64(layer),
                "kind": StringAttr(kind),
                "context_len": _i64(context_len),
                "width": _i64(width),
                "offset": _i64(offset),
            },
            result_types=[MemRefType(f32, [context_len, width])],
        )

    def verify_(self) -> None:
        _non_negative("kv_cache layer", _int(self.layer))
        if self.kind.data not in KV_KINDS:
            raise VerifyException(f"kv_cache kind must be k or v, got '{self.kind.data}'")
        ctx, width = _int(self.context_len), _int(self.width)
        _positive("kv_cache context_len", ctx)
        _positive("kv_cache width", width)
        _aligned("kv_cache offset", _int(self.offset), ALIGNMENT)
        expected = MemRefType(f32, [ctx, width])
        if self.result.type != expected:
            raise VerifyException(
                f"kv_cache result must be {expected} (context_len x width x f32), "
                f"got {self.result.type}"
            )


Memory = Dialect("memory", [ArenaOp, SlotOp, WeightOp, KVCacheOp], [ArenaType])
