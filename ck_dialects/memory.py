"""The `memory` dialect: where every byte lives.

A compiled runtime owns three storage areas, and every buffer a kernel touches is
a view of one of them. Each area is an explicit base buffer operand (any 1-D
memref of i8, typically a function argument), so the C emitter turns every view
into `base + offset` with no hidden globals:

* the activation arena, one 64-byte-aligned scratch allocation
  (`memory.arena %buf`), cut into `memory.slot` views; the planner picks the
  offsets by liveness, so slots whose lifetimes do not overlap share bytes;
* per thread, a private part of the arena (`memory.thread_arena %buf, %tid`), for
  what every thread computes for itself (a replicated kernel's outputs), so no
  thread waits for another to read it;
* the weight blob weights.bump, mmapped read-only: each GGUF tensor packed at a
  64-aligned offset (`memory.weight %blob`), in the layout its kernels want
  (`layout`: rows, or rp16 for q8_0 weights read by int8 dot products; see
  `weight_parts`), whose parts `memory.weight_view` exposes as typed memrefs;
* the KV buffer, which outlives a call: one K and one V region per layer
  (`memory.kv_cache %kv`), each [kv heads][positions][head_dim].

Kernels at this level are in destination-passing form and read and write these
views. `layout.json` is printed from the offsets and sizes here.

    %a = memory.arena %buf {size = 16384 : i64} : memref<?xi8>
    %s = memory.slot %a[%n] {offset = 0 : i64, size = 4096 : i64} : memref<?x64xf32>
    %p = memory.thread_arena %buf, %tid {offset = 16384 : i64, size = 4096 : i64} : memref<?xi8>
    %w = memory.weight %blob "blk.0.attn_q.weight" {offset = 0 : i64, size = 8704 : i64} : !transformer.weight<128x64, q8_0>
    %q = memory.weight_view %w {part = "quants"} : !transformer.weight<128x64, q8_0> -> memref<128x64xi8>
    %k = memory.kv_cache %kv {layer = 0 : i64, kind = "k", offset = 0 : i64} : memref<2x128x32xf32>

The types of `%blob` and `%kv` are not printed: they are taken from their
definitions, which must come first (function arguments do).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    I64,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    StringAttr,
    bf16,
    f16,
    f32,
    i8,
)
from xdsl.ir import Attribute, Dialect, ParametrizedAttribute, SSAValue, TypeAttribute
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_attr_definition,
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.irdl.declarative_assembly_format import (
    CustomDirective,
    OperandVariable,
    ParsingState,
    PrintingState,
    TypeDirective,
    irdl_custom_directive,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from ck.dialects.types import (
    AFFINE_DTYPES,
    AFFINE_MINS,
    K_QUANT_DTYPES,
    WEIGHT_DTYPES,
    WeightType,
    fmt_shape,
    is_quantized,
)

ALIGNMENT = 64
"""Bytes: arena, weight, weight-part and KV-cache offsets are multiples of this (one
cache line, one AVX-512 vector)."""
BLOCK_BYTES: dict[str, int] = {
    "f32": 4, "f16": 2, "bf16": 2, "q8_0": 34,
    "q4_0": 18, "q4_1": 20, "q5_0": 22, "q5_1": 24, "q4_k": 144, "q5_k": 176, "q6_k": 210,
}
"""Storage bytes in GGUF of one block of WEIGHT_DTYPES[dtype] weights (Q8_0: fp16 scale + 32 int8)."""
KV_KINDS = ("k", "v")
WEIGHT_LAYOUTS = ("rows", "rp16")
"""rows: row after row (block types split into all row scales, [mins,] then all quants).
rp16: a block type repacked for int8 dot products over 16 rows at once (see weight_parts)."""
RP16_ROWS = 16
"""Rows per group of the rp16 layout: one 512-bit int8 dot product covers 16 rows x 4 k."""
RP16_NIBBLE_DTYPES = frozenset({"q4_0", "q4_1", "q4_k"})
"""4-bit types whose rp16 quants keep two weights per byte (unpacked in registers)."""


def rp16_offset(dtype: str) -> int:
    """What the rp16 bytes add to each weight's integer q, so that the unsigned operand of
    an int8 dot product holds it: 128 (bytes q ^ 0x80), 8 for q4_0's nibbles (q + 8 in
    0..15), 0 for q4_1's and q4_k's (q already 0..15). Kernels start each block's sum at
    -offset * sum(x_q) to take it back."""
    if dtype in RP16_NIBBLE_DTYPES:
        return 8 if dtype == "q4_0" else 0
    return 128


_DENSE: dict[str, Attribute] = {"f32": f32, "f16": f16, "bf16": bf16}
"""Element type of the single `data` part of a dense weight dtype."""


def align(n: int, a: int = ALIGNMENT) -> int:
    """n rounded up to a multiple of a."""
    return -(-n // a) * a


def layout_problem(typ: WeightType, layout: str) -> str | None:
    """Why `typ` cannot be packed in `layout` (None when it can)."""
    if layout not in WEIGHT_LAYOUTS:
        return f"unknown weight layout '{layout}' (expected one of {', '.join(WEIGHT_LAYOUTS)})"
    if layout == "rp16":
        shape = typ.get_shape()
        if not is_quantized(typ.storage) or len(shape) != 2:
            return f"rp16 packs 2-D block-quantized weights, not {fmt_shape(shape)} {typ.storage}"
        if shape[0] % RP16_ROWS:
            return f"rp16 needs rows in groups of {RP16_ROWS}, and {shape[0]} rows are not"
    return None


def weight_parts(typ: WeightType, layout: str = "rows") -> dict[str, tuple[int, MemRefType]]:
    """The packed layout of a weight in weights.bump: each part's byte offset inside
    the weight and its typed view. The one definition the planner, the blob writer,
    layout.json and the C emitter share.

    Dense dtypes have one part, `data`, shaped like the weight. Q8_0 (2-D only), in
    the `rows` layout, is split so kernels read contiguous arrays: `scales` (fp16, one
    per block of 32, all rows) then `quants` (int8, all rows), each 64-byte aligned.
    In the `rp16` layout, rows go in groups of 16 and each block of 32 k-values of a
    group is 16 fp16 scales (`scales`: [N/16, K/32, 16]) and 512 quant bytes
    (`quants`: [N/16, K/32, 512]) ordered [k-step of 4][row 0..15][4 bytes], stored
    unsigned (q + 128, i.e. q ^ 0x80): one 64-byte load is 16 rows x 4 k-values, the
    operand of one `vpdpbusd`, whose 16 i32 lanes are the 16 rows.
    """
    shape, dtype = typ.get_shape(), typ.storage
    problem = layout_problem(typ, layout)
    if problem is not None:
        raise VerifyException(problem)
    if dtype in _DENSE:
        return {"data": (0, MemRefType(_DENSE[dtype], shape))}
    if is_quantized(dtype) and len(shape) != 2:
        raise VerifyException(f"{dtype} weights are packed as 2-D rows of blocks, got shape {fmt_shape(shape)}")
    if dtype == "q8_0":
        n, k = shape
        blocks = k // WEIGHT_DTYPES["q8_0"]
        if layout == "rp16":
            groups = n // RP16_ROWS
            return {
                "scales": (0, MemRefType(f16, [groups, blocks, RP16_ROWS])),
                "quants": (align(n * blocks * 2), MemRefType(i8, [groups, blocks, RP16_ROWS * 32])),
            }
        return {
            "scales": (0, MemRefType(f16, [n, blocks])),
            "quants": (align(n * blocks * 2), MemRefType(i8, [n, k])),
        }
    if dtype in AFFINE_DTYPES:
        return _affine_parts(dtype, *shape, layout)
    raise VerifyException(
        f"unsupported weight dtype '{dtype}' (supported: {', '.join(WEIGHT_DTYPES)})"
    )


def _affine_parts(dtype: str, n: int, k: int, layout: str) -> dict[str, tuple[int, MemRefType]]:
    """An affine block type (w = scale * q + min) unpacked: f32 `scales` (one per
    AFFINE_DTYPES[dtype] weights), f32 `mins` (one per 32, for the types that have them)
    and one int8 `quants` byte per weight; in rows, or in rp16 groups as q8_0 (quants +
    rp16_offset). The 4-bit types' rp16 quants hold two weights per byte: [N/16, K/32, 256],
    byte s * 64 + j holding byte j of k-step s in its low half and of k-step s + 4 in its high.
    The k-quants keep their integer scales in rp16 (int8 `scales` and `mins`, one f32 `d` and
    `dmin` per 256): a kernel multiplies them out (exact in f32), reading 4x fewer scale bytes."""
    group = AFFINE_DTYPES[dtype]
    integer_scales = layout == "rp16" and dtype in K_QUANT_DTYPES
    if layout == "rp16":
        g = n // RP16_ROWS
        per_block = 256 if dtype in RP16_NIBBLE_DTYPES else 512
        shapes = {"d": [g, k // 256, RP16_ROWS], "dmin": [g, k // 256, RP16_ROWS], "scales": [g, k // group, RP16_ROWS],
                  "mins": [g, k // 32, RP16_ROWS], "quants": [g, k // 32, per_block]}
    else:
        shapes = {"scales": [n, k // group], "mins": [n, k // 32], "quants": [n, k]}
    dropped = set() if integer_scales else {"d", "dmin"}
    if dtype not in AFFINE_MINS:
        dropped |= {"dmin", "mins"}
    parts, offset = {}, 0
    for part, shape in shapes.items():
        if part in dropped:
            continue
        element = f32 if part in ("d", "dmin") or (part != "quants" and not integer_scales) else i8
        view = MemRefType(element, shape)
        parts[part] = (offset, view)
        offset = align(offset + memref_bytes(view))
    return parts


def weight_bytes(typ: WeightType, layout: str = "rows") -> int:
    """Bytes the packed weight occupies in weights.bump: the end of its last part."""
    return max(offset + memref_bytes(view) for offset, view in weight_parts(typ, layout).values())


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


def _base_bytes(what: str, base: SSAValue) -> int | None:
    """Checks that `base` is a 1-D memref of i8; returns its static size (None if `?`)."""
    typ = base.type
    if not (
        isinstance(typ, MemRefType) and typ.element_type == i8 and len(typ.get_shape()) == 1
    ):
        raise VerifyException(f"{what} must be a 1-D memref of i8, got {typ}")
    n = typ.get_shape()[0]
    return None if n == DYNAMIC_INDEX else n


def _fits(what: str, base_what: str, base: SSAValue, offset: int, size: int) -> None:
    """[offset, offset + size) lies inside `base` when its size is static."""
    n = _base_bytes(base_what, base)
    if n is not None and offset + size > n:
        raise VerifyException(
            f"{what} [offset {offset}, size {size}] ends at byte {offset + size}, "
            f"past the {n} bytes of the {base_what} {base.type}"
        )


@irdl_custom_directive
class BaseBuffer(CustomDirective):
    """A base buffer operand printed without its type (`%blob`, not `%blob : memref<?xi8>`):
    the type is that of its definition, which must come first."""

    operand: OperandVariable
    operand_type: TypeDirective

    def parse(self, parser: Parser, state: ParsingState) -> None:
        unresolved = parser.parse_unresolved_operand("base buffer operand expected")
        values = parser.ssa_values.get(unresolved.operand_name)
        if values is None or unresolved.index >= len(values):
            parser.raise_error(
                f"base buffer %{unresolved.operand_name} must be defined before use "
                "(its type is not printed)",
                unresolved.span,
            )
        self.operand.set(state, unresolved)
        self.operand_type.set(state, (values[unresolved.index].type,))

    def print(self, printer: Printer, state: PrintingState, op: IRDLOperation) -> None:
        state.print_whitespace(printer)
        printer.print_ssa_value(self.operand.get(op))
        state.should_emit_space = True
        state.last_was_punctuation = False


@irdl_attr_definition
class ArenaType(ParametrizedAttribute, TypeAttribute):
    """The activation arena, `!memory.arena`: slots are views into it."""

    name = "memory.arena"


@irdl_op_definition
class ArenaOp(IRDLOperation):
    """The one activation arena of a runtime: the first `size` bytes of `base`, which
    sits at an ALIGNMENT-byte (64) address (the runtime allocates it so)."""

    name = "memory.arena"
    base = operand_def(MemRefType)
    size = prop_def(IntegerAttr[I64])
    arena = result_def(ArenaType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$base attr-dict `:` type($base)"

    def __init__(self, base: SSAValue, size: int) -> None:
        super().__init__(
            operands=[base],
            properties={"size": _i64(size)},
            result_types=[ArenaType()],
        )

    def verify_(self) -> None:
        size = _int(self.size)
        _positive("arena size", size)
        n = _base_bytes("arena base", self.base)
        if n is not None and n < size:
            raise VerifyException(
                f"arena base {self.base.type} has {n} bytes, fewer than the arena size {size}"
            )


@irdl_op_definition
class ThreadArenaOp(IRDLOperation):
    """This thread's private arena: bytes [offset + tid * size, offset + (tid + 1) * size)
    of `base`. Every thread of the pool has one, after the shared arena; slots cut from
    it hold what each thread computes for itself, so no other thread reads or writes them
    (the runtime allocates offset + threads * size bytes)."""

    name = "memory.thread_arena"
    base = operand_def(MemRefType)
    tid = operand_def(IndexType)
    offset = prop_def(IntegerAttr[I64])
    size = prop_def(IntegerAttr[I64])
    arena = result_def(ArenaType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$base `,` $tid attr-dict `:` type($base)"

    def __init__(self, base: SSAValue, tid: SSAValue, offset: int, size: int) -> None:
        super().__init__(
            operands=[base, tid],
            properties={"offset": _i64(offset), "size": _i64(size)},
            result_types=[ArenaType()],
        )

    def verify_(self) -> None:
        _aligned("thread_arena offset", _int(self.offset), ALIGNMENT)
        _aligned("thread_arena size", _int(self.size), ALIGNMENT)
        _positive("thread_arena size", _int(self.size))
        _base_bytes("thread_arena base", self.base)


@irdl_op_definition
class SlotOp(IRDLOperation):
    """A memref view of `size` bytes of the arena, at byte `offset` (a multiple of ALIGNMENT,
    64); `dynamic_sizes` give the `?` dimensions of the view, in order (the emitter needs
    them for strides)."""

    name = "memory.slot"
    arena = operand_def(ArenaType)
    dynamic_sizes = var_operand_def(IndexType)
    offset = prop_def(IntegerAttr[I64])
    size = prop_def(IntegerAttr[I64])
    result = result_def(MemRefType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$arena (`[` $dynamic_sizes^ `]`)? attr-dict `:` type($result)"

    def __init__(
        self,
        arena: SSAValue,
        offset: int,
        size: int,
        typ: MemRefType,
        dynamic_sizes: Sequence[SSAValue] = (),
    ) -> None:
        super().__init__(
            operands=[arena, list(dynamic_sizes)],
            properties={"offset": _i64(offset), "size": _i64(size)},
            result_types=[typ],
        )

    def verify_(self) -> None:
        typ = self.result.type
        assert isinstance(typ, MemRefType)
        dynamic = sum(d == DYNAMIC_INDEX for d in typ.get_shape())
        if dynamic != len(self.dynamic_sizes):
            raise VerifyException(
                f"slot result {typ} has {dynamic} dynamic dimension(s) but "
                f"{len(self.dynamic_sizes)} size operand(s)"
            )
        offset, size = _int(self.offset), _int(self.size)
        _aligned("slot offset", offset, ALIGNMENT)
        needed = memref_bytes(typ)
        if size < needed:
            raise VerifyException(
                f"slot size {size} is smaller than the {needed} bytes of {typ}"
            )
        arena = self.arena.owner
        if isinstance(arena, ThreadArenaOp) and offset + size > _int(arena.size):
            raise VerifyException(
                f"slot [offset {offset}, size {size}] ends at byte {offset + size}, "
                f"past the thread arena size {_int(arena.size)}"
            )
        if isinstance(arena, ArenaOp) and offset + size > _int(arena.size):
            raise VerifyException(
                f"slot [offset {offset}, size {size}] ends at byte {offset + size}, "
                f"past the arena size {_int(arena.size)}"
            )


@irdl_op_definition
class WeightOp(IRDLOperation):
    """A weight packed in the blob (weights.bump): the GGUF tensor `tensor_name` at
    byte `offset`, `size` = weight_bytes bytes in the weight_parts `layout` (rows when
    absent; `select-weight-layouts` picks the one its kernels want)."""

    name = "memory.weight"
    blob = operand_def(MemRefType)
    tensor_name = prop_def(StringAttr)
    offset = prop_def(IntegerAttr[I64])
    size = prop_def(IntegerAttr[I64])
    layout = opt_prop_def(StringAttr)
    result = result_def(WeightType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    custom_directives = (BaseBuffer,)
    assembly_format = (
        "custom<BaseBuffer>($blob, type($blob)) $tensor_name attr-dict `:` type($result)"
    )

    def __init__(self, blob: SSAValue, tensor_name: str, offset: int, typ: WeightType, layout: str = "rows") -> None:
        props: dict[str, Attribute] = {
            "tensor_name": StringAttr(tensor_name),
            "offset": _i64(offset),
            "size": _i64(weight_bytes(typ, layout)),
        }
        if layout != "rows":
            props["layout"] = StringAttr(layout)
        super().__init__(operands=[blob], properties=props, result_types=[typ])

    @property
    def layout_name(self) -> str:
        return self.layout.data if self.layout is not None else "rows"

    def verify_(self) -> None:
        if not self.tensor_name.data:
            raise VerifyException("weight tensor_name must not be empty")
        name = f"weight '{self.tensor_name.data}'"
        offset, size = _int(self.offset), _int(self.size)
        _aligned(f"{name} offset", offset, ALIGNMENT)
        typ = self.result.type
        assert isinstance(typ, WeightType)
        if is_quantized(typ.storage) and len(typ.get_shape()) != 2:
            raise VerifyException(
                f"{name} is {typ.storage}, which is packed as 2-D rows of blocks, "
                f"but has shape {fmt_shape(typ.get_shape())}"
            )
        problem = layout_problem(typ, self.layout_name)
        if problem is not None:
            raise VerifyException(f"{name}: {problem}")
        expected = weight_bytes(typ, self.layout_name)
        if size != expected:
            raise VerifyException(
                f"{name} size {size} does not match the {expected} bytes "
                f"of {fmt_shape(typ.get_shape())} {typ.storage} in the {self.layout_name} layout"
            )
        _fits(name, "weight blob", self.blob, offset, size)


@irdl_op_definition
class WeightViewOp(IRDLOperation):
    """A typed memref view of one part of a packed weight (weight_parts), e.g. the int8
    quants of a Q8_0 weight: what a kernel's C code indexes."""

    name = "memory.weight_view"
    weight = operand_def(WeightType)
    part = prop_def(StringAttr)
    result = result_def(MemRefType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$weight attr-dict `:` type($weight) `->` type($result)"

    def __init__(self, weight: SSAValue, part: str) -> None:
        typ = weight.type
        assert isinstance(typ, WeightType)
        parts = weight_parts(typ, layout_of(weight))
        if part not in parts:
            raise ValueError(f"no part '{part}' in {typ} (parts: {', '.join(parts)})")
        super().__init__(
            operands=[weight],
            properties={"part": StringAttr(part)},
            result_types=[parts[part][1]],
        )

    def verify_(self) -> None:
        typ = self.weight.type
        assert isinstance(typ, WeightType)
        parts = weight_parts(typ, layout_of(self.weight))
        part = self.part.data
        if part not in parts:
            raise VerifyException(
                f"weight_view part '{part}' does not exist for {typ.storage} weights "
                f"(parts: {', '.join(parts)})"
            )
        expected = parts[part][1]
        if self.result.type != expected:
            raise VerifyException(
                f"weight_view result must be {expected} (part '{part}' of {typ}), "
                f"got {self.result.type}"
            )


@irdl_op_definition
class KVCacheOp(IRDLOperation):
    """The K or V cache of one layer, laid out per kv head: [heads][context_len][head_dim]
    of f32 or f16 (the result type says which), at byte `offset` of the KV buffer `base`
    (which, unlike the arena, persists between calls). One head's keys are contiguous, so
    attention over a head streams them.

    A model serving several sequences at once keeps `sequences` such caches side by side
    in the region (each `stride` bytes: its size, aligned). With a `slot` operand the view
    is the cache of sequence `slot` (an entry point working on one sequence); with a 4-D
    result [sequences][heads][context_len][head_dim] it is all of them (a batched step,
    whose rows each name their sequence)."""

    name = "memory.kv_cache"
    base = operand_def(MemRefType)
    slot = opt_operand_def(IndexType)
    layer = prop_def(IntegerAttr[I64])
    kind = prop_def(StringAttr)
    offset = prop_def(IntegerAttr[I64])
    result = result_def(MemRefType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    custom_directives = (BaseBuffer,)
    assembly_format = "custom<BaseBuffer>($base, type($base)) (`[` $slot^ `]`)? attr-dict `:` type($result)"

    def __init__(
        self, base: SSAValue, layer: int, kind: str, heads: int, context_len: int, head_dim: int, offset: int,
        dtype: Attribute = f32, slot: SSAValue | None = None, sequences: int | None = None,
    ) -> None:
        shape = [heads, context_len, head_dim] if sequences is None else [sequences, heads, context_len, head_dim]
        super().__init__(
            operands=[base, [slot] if slot is not None else []],
            properties={"layer": _i64(layer), "kind": StringAttr(kind), "offset": _i64(offset)},
            result_types=[MemRefType(dtype, shape)],
        )

    @staticmethod
    def stride(heads: int, context_len: int, head_dim: int, dtype: Attribute) -> int:
        """Bytes from one sequence's cache to the next: one cache, aligned."""
        return align(heads * context_len * head_dim * element_bytes(dtype))

    def verify_(self) -> None:
        _non_negative("kv_cache layer", _int(self.layer))
        if self.kind.data not in KV_KINDS:
            raise VerifyException(f"kv_cache kind must be k or v, got '{self.kind.data}'")
        offset = _int(self.offset)
        _aligned("kv_cache offset", offset, ALIGNMENT)
        typ = self.result.type
        assert isinstance(typ, MemRefType)
        shape = typ.get_shape()
        if len(shape) not in (3, 4) or any(d <= 0 for d in shape) or typ.element_type not in (f32, f16):
            raise VerifyException(
                "kv_cache result must be a static memref<[sequences x] heads x context_len x head_dim x f32 "
                f"or f16>, got {typ}"
            )
        what = f"kv_cache {self.kind.data} of layer {_int(self.layer)}"
        if len(shape) == 4:
            if self.slot is not None:
                raise VerifyException(f"{what}: a view of every sequence (4-D) takes no slot")
            one = memref_bytes(MemRefType(typ.element_type, shape[1:]))
            if one % ALIGNMENT:
                raise VerifyException(
                    f"{what}: one sequence's cache is {one} bytes, not a multiple of {ALIGNMENT}: the sequences "
                    "would not sit back to back"
                )
        if self.slot is None:
            _fits(what, "kv_cache base", self.base, offset, memref_bytes(typ))


def layout_of(weight: SSAValue) -> str:
    """The packed layout of a weight value: its memory.weight's layout (rows otherwise)."""
    owner = weight.owner
    return owner.layout_name if isinstance(owner, WeightOp) else "rows"


Memory = Dialect("memory", [ArenaOp, ThreadArenaOp, SlotOp, WeightOp, WeightViewOp, KVCacheOp], [ArenaType])
