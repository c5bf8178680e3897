"""`plan-memory`: give every value a place — kernel (value form) -> memory dialect.

For each entry function:
* the signature becomes destination-passing: (tokens, positions, logits out, arena,
  weights blob, KV buffer, the sequence whose KV cache to use, thread id, thread count);
  the batched decode step (`ck.batch`, from batch-decode) takes (tokens, positions, slots,
  logits out, arena, weights, KV buffer, thread id, thread count), each row naming its
  sequence; a training function (with
  `ck.grads`, from transformer-autodiff) gets (tokens, positions, targets, loss out,
  arena, weights, gradient buffer, thread id, thread count), each weight's gradient
  written at that weight's offset. Every thread of the runtime's pool runs the function;
* every activation gets a `memory.slot` of the arena, sized for `max_tokens`; slots
  whose live ranges do not overlap share bytes (first fit, 64-byte aligned). The
  outputs of a kernel with `split = "replicate"` (each thread computes all of it) go to
  the calling thread's private arena (`memory.thread_arena`, after the shared one);
* every weight becomes a `memory.weight` at its offset in weights.bump, packed as the
  kernels want it (`weight_parts`); 1-D weights (norms, biases) are packed as f32;
* every attention bound to a `kv_slot` reads and writes that layer's
  `memory.kv_cache` K/V regions, [kv heads][context_len][head_dim] of `kv_dtype`,
  `slots` of them per region (one per sequence; the batched step sees them all);
* kernels are rebuilt in destination-passing form, writing into their slots (the
  last one straight into `logits`).
The offsets are the same in every function, so decode and prefill share the blob,
the KV cache and the arena.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import arith, func, memref
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    DenseArrayBase,
    IndexType,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    TensorType,
    f16,
    f32,
    i8,
    i32,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from ck.dialects import kernel as kn
from ck.dialects import memory as mem
from ck.dialects import transformer as tf
from ck.dialects.types import WeightType, shape_of
from ck.passes.batch_decode import BATCH_ATTR

BYTES = MemRefType(i8, [DYNAMIC_INDEX])
INDEX = IndexType()
INPUT_NAMES = ("tokens", "positions", "targets")  # entry inputs, in order (the ABI of runtime_c)
BATCH_INPUT_NAMES = ("tokens", "positions", "slots")  # the batched decode step's (batch-decode)


def packed_type(typ: WeightType) -> WeightType:
    """The type a weight has in weights.bump: 1-D weights are packed as f32."""
    if len(typ.get_shape()) == 1 and typ.storage != "f32":
        return WeightType(typ.get_shape(), "f32")
    return typ


@dataclass
class WeightPlan:
    """Offsets of the weights in weights.bump, shared by every function: each weight, in the
    order first seen, at the next aligned offset after the one before. `owner` is the pass
    placing them (plan-memory, then select-weight-layouts with the chosen layouts)."""

    owner: str = "plan-memory"
    offsets: dict[str, tuple[int, WeightType]] = field(default_factory=dict)
    layouts: dict[str, str] = field(default_factory=dict)
    size: int = 0

    def place(self, name: str, typ: WeightType, layout: str = "rows") -> tuple[int, WeightType]:
        packed = packed_type(typ)
        if name not in self.offsets:
            self.offsets[name], self.layouts[name] = (self.size, packed), layout
            self.size = mem.align(self.size + mem.weight_bytes(packed, layout))
        offset, known = self.offsets[name]
        if known != packed:
            raise PassFailedException(f"{self.owner}: weight '{name}' has types {known} and {packed}")
        if self.layouts[name] != layout:
            raise PassFailedException(f"{self.owner}: weight '{name}' has layouts {self.layouts[name]} and {layout}")
        return offset, known


@dataclass
class KVPlan:
    """One K and one V region per kv_slot in the KV buffer, each holding `sequences` caches
    [heads][context_len][head_dim] back to back (memory.kv_cache's stride apart)."""

    context_len: int
    dtype: str = "f32"
    sequences: int = 1
    regions: dict[tuple[int, str], tuple[int, tuple[int, int]]] = field(default_factory=dict)
    size: int = 0

    @property
    def element(self) -> Attribute:
        return f16 if self.dtype == "f16" else f32

    def place(self, slot: int, kind: str, heads: int, head_dim: int) -> int:
        key = (slot, kind)
        if key not in self.regions:
            self.regions[key] = (self.size, (heads, head_dim))
            stride = mem.KVCacheOp.stride(heads, self.context_len, head_dim, self.element)
            self.size = mem.align(self.size + self.sequences * stride)
        offset, known = self.regions[key]
        if known != (heads, head_dim):
            raise PassFailedException(
                f"plan-memory: kv_slot {slot} used with (heads, head_dim) {known} and {(heads, head_dim)}"
            )
        return offset


def _memref(typ: Attribute) -> MemRefType:
    assert isinstance(typ, TensorType)
    return MemRefType(typ.element_type, typ.get_shape())


def _slot_bytes(typ: MemRefType, max_tokens: int) -> int:
    dims = [max_tokens if d == DYNAMIC_INDEX else d for d in typ.get_shape()]
    n = 1
    for d in dims:
        n *= d
    return mem.align(n * mem.element_bytes(typ.element_type))


class FirstFit:
    """First-fit allocator over byte ranges; frees return ranges for reuse, at once or, with
    `defer`, only at the next `release` (the next point where all threads meet)."""

    def __init__(self) -> None:
        self.used: list[tuple[int, int]] = []  # sorted (offset, size)
        self.peak = 0
        self.deferred: list[tuple[int, int]] = []

    def defer(self, offset: int, size: int) -> None:
        self.deferred.append((offset, size))

    def release(self) -> None:
        for offset, size in self.deferred:
            self.free(offset, size)
        self.deferred = []

    def alloc(self, size: int) -> int:
        offset = 0
        for start, length in self.used:
            if start - offset >= size:
                break
            offset = max(offset, mem.align(start + length))
        self.used.append((offset, size))
        self.used.sort()
        self.peak = max(self.peak, offset + size)
        return offset

    def free(self, offset: int, size: int) -> None:
        self.used.remove((offset, size))


def to_destination_passing(
    op: kn.KernelOp, env: dict[SSAValue, SSAValue], outs: list[SSAValue], extra: dict[str, SSAValue] | None = None
) -> kn.KernelOp:
    """Rebuild `op` in destination-passing form: its inputs mapped through `env`, operand
    fields named in `extra` set (the KV caches of attention), and `outs`."""
    flat: list[SSAValue] = []
    sizes: list[int] = []
    for name, _ in type(op).get_irdl_definition().operands:
        value = getattr(op, name)
        if name == "outs":
            group = list(outs)
        elif extra and name in extra:
            group = [extra[name]]
        elif value is None:
            group = []
        elif isinstance(value, SSAValue):
            group = [env[value]]
        else:
            group = [env[v] for v in value]
        flat.extend(group)
        sizes.append(len(group))
    props = dict(op.properties)
    if "operandSegmentSizes" in props:
        props["operandSegmentSizes"] = DenseArrayBase.from_list(i32, sizes)
    return type(op).create(operands=flat, result_types=[], properties=props, attributes=dict(op.attributes))


@dataclass
class SyncTracker:
    """Where the threads will have to meet: before a kernel that reads a shared value
    written since the last such point by a kernel that split its work differently (a
    matmul's rows read whole by the next matmul, say). Up to there another thread may
    still read a buffer this thread is done with, so a freed slot is reused only after
    the next sync point: slot reuse then never forces a barrier that the data flow did
    not already need (`remove-barriers` checks the bytes themselves)."""

    def __init__(self) -> None:
        self.fresh: dict[SSAValue, tuple[str, int]] = {}  # shared values written since the last sync

    @staticmethod
    def signature(op: kn.KernelOp) -> tuple[str, int]:
        split = op.split.data if op.split is not None else "default"
        units = op.properties["n_kv_heads"].value.data if "n_kv_heads" in op.properties else 0  # type: ignore[attr-defined]
        if isinstance(op, kn.RopeApplyOp) and op.group is not None:
            units = shape_of(op.x)[-1] // op.head_dim.value.data // op.group.value.data
        return split, units

    def is_sync(self, op: kn.KernelOp) -> bool:
        mine = self.signature(op)
        for v in op.operands:
            written = self.fresh.get(v)
            if written is None:
                continue
            if written[0] == "default" or mine[0] == "default" or written != mine or mine[0] not in ("heads", "tokens"):
                return True
        return False

    def wrote(self, op: kn.KernelOp) -> None:
        if op.split is None or op.split.data != "replicate":
            for r in op.results:
                self.fresh[r] = self.signature(op)

    def sync(self) -> None:
        self.fresh = {}


@dataclass
class FunctionPlanner:
    fn: func.FuncOp
    weights: WeightPlan
    kv: KVPlan
    max_tokens: int
    slots: list[tuple[str, int, int]] = field(default_factory=list)
    private_bytes: int = 0

    def run(self) -> func.FuncOp:
        fn = self.fn
        old_block = fn.body.block
        in_types = [_memref(a.type) for a in old_block.args]
        outputs = fn.function_type.outputs.data
        grad_names = [a.data for a in fn.attributes["ck.grads"].data] if "ck.grads" in fn.attributes else None  # type: ignore[attr-defined]
        batch = BATCH_ATTR in fn.attributes
        inputs = list(BATCH_INPUT_NAMES if batch else INPUT_NAMES[: len(in_types)])
        if grad_names is None:  # inference: logits out, and a KV cache (one sequence's, or with ck.batch all)
            names = [*inputs, "logits", "arena_buf", "weights", "kv", *([] if batch else ["kv_slot"])]
        else:  # training (after transformer-autodiff): the loss out, and a gradient buffer laid out like the weights
            names = [*inputs, "loss", "arena_buf", "weights", "grads_buf"]
        names += ["tid", "nth"]
        block = Block(arg_types=[*in_types, _memref(outputs[0]), BYTES, BYTES, BYTES, *[INDEX] * (len(names) - len(in_types) - 4)])
        for arg, name in zip(block.args, names, strict=True):
            arg.name_hint = name
        n_in = len(in_types)
        tokens = block.args[0]
        primary, arena_buf, blob, third = block.args[n_in : n_in + 4]
        tid = block.args[-2]
        kv_slot = block.args[n_in + 4] if grad_names is None and not batch else None
        kv_buf = third if grad_names is None else None
        env: dict[SSAValue, SSAValue] = dict(zip(old_block.args, block.args[:n_in], strict=True))

        def add(op: Operation) -> Operation:
            block.add_op(op)
            return op

        arena = add(mem.ArenaOp(arena_buf, 1))
        arena.results[0].name_hint = "arena"
        private: mem.ThreadArenaOp | None = None
        if any(isinstance(o, kn.KernelOp) and o.split is not None and o.split.data == "replicate" for o in old_block.ops):
            private = add(mem.ThreadArenaOp(arena_buf, tid, 0, mem.ALIGNMENT))
            private.results[0].name_hint = "mine"
        grads_arena = None
        if grad_names is not None:
            grads_arena = add(mem.ArenaOp(third, 1))
            grads_arena.results[0].name_hint = "grads"
        n_tokens: SSAValue | None = None
        if shape_of(tokens)[0] == DYNAMIC_INDEX:
            zero = add(arith.ConstantOp(IntegerAttr(0, IndexType())))
            dim = add(memref.DimOp(tokens, zero.results[0]))
            dim.results[0].name_hint = "n"
            n_tokens = dim.results[0]

        ops = list(old_block.ops)
        returned = ops[-1]
        assert isinstance(returned, func.ReturnOp)
        last_use: dict[SSAValue, int] = {}
        for i, op in enumerate(ops):
            for v in op.operands:
                last_use[v] = i
        grad_of = dict(zip(returned.operands[1:], grad_names or [], strict=True))
        allocator, private_allocator = FirstFit(), FirstFit()
        live: dict[SSAValue, tuple[FirstFit, int, int]] = {}
        kv_views: dict[tuple[int, str], SSAValue] = {}
        syncs = SyncTracker()

        for i, op in enumerate(ops):
            if isinstance(op, tf.WeightOp):
                offset, typ = self.weights.place(op.tensor_name.data, op.result.type)
                w = add(mem.WeightOp(blob, op.tensor_name.data, offset, typ))
                w.results[0].name_hint = op.result.name_hint
                env[op.result] = w.results[0]
                continue
            if isinstance(op, func.ReturnOp):
                add(func.ReturnOp())
                continue
            if not isinstance(op, kn.KernelOp):
                raise PassFailedException(f"plan-memory: cannot place {op.name}: lower to kernels first")
            if syncs.is_sync(op):
                syncs.sync()
                allocator.release()
            syncs.wrote(op)
            outs = []
            for r in op.results:
                if returned.operands and r is returned.operands[0]:
                    outs.append(primary)
                    continue
                if r in grad_of:  # a weight's gradient: at the weight's offset in the gradient buffer
                    assert grads_arena is not None
                    offset, wtyp = self.weights.offsets[grad_of[r]]
                    typ = _memref(r.type)
                    slot = add(mem.SlotOp(grads_arena.results[0], offset, mem.weight_bytes(wtyp), typ))
                    slot.results[0].name_hint = r.name_hint
                    outs.append(slot.results[0])
                    continue
                typ = _memref(r.type)
                size = _slot_bytes(typ, self.max_tokens)
                mine = op.split is not None and op.split.data == "replicate"
                pool = private_allocator if mine else allocator
                offset = pool.alloc(size)
                dyn = [n_tokens] if typ.get_shape() and typ.get_shape()[0] == DYNAMIC_INDEX else []
                if dyn and n_tokens is None:
                    raise PassFailedException("plan-memory: dynamic result in a function with static tokens")
                where = private.results[0] if mine and private is not None else arena.results[0]
                slot = add(mem.SlotOp(where, offset, size, typ, dynamic_sizes=dyn))
                slot.results[0].name_hint = r.name_hint
                self.slots.append((r.name_hint or "tmp", offset, size))
                live[r] = (pool, offset, size)
                outs.append(slot.results[0])
            extra: dict[str, SSAValue] = {}
            if isinstance(op, kn.AttentionOp) and op.kv_slot is not None:
                if kv_buf is None:
                    raise PassFailedException("plan-memory: a training function cannot use a KV cache")
                layer = op.kv_slot.value.data
                heads, head_dim = op.n_kv_heads.value.data, op.head_dim.value.data
                for kind in ("k", "v"):
                    if (layer, kind) not in kv_views:
                        offset = self.kv.place(layer, kind, heads, head_dim)
                        view = add(mem.KVCacheOp(kv_buf, layer, kind, heads, self.kv.context_len, head_dim, offset,
                                                 self.kv.element, slot=kv_slot,
                                                 sequences=self.kv.sequences if batch else None))
                        view.results[0].name_hint = f"l{layer}_{kind}_cache"
                        kv_views[(layer, kind)] = view.results[0]
                extra = {"k_cache": kv_views[(layer, "k")], "v_cache": kv_views[(layer, "v")]}
            add(to_destination_passing(op, env, outs, extra))
            for r, o in zip(op.results, outs, strict=True):
                env[r] = o
            # free what dies here (after the op: outputs never alias inputs)
            # (shared slots come back at the next sync point: another thread may still read them)
            for v in set(op.operands):
                if v in live and last_use.get(v) == i:
                    pool, offset, size = live.pop(v)
                    (pool.free if pool is private_allocator else pool.defer)(offset, size)
            for r in op.results:  # results nobody reads
                if r in live and r not in last_use:
                    pool, offset, size = live.pop(r)
                    (pool.free if pool is private_allocator else pool.defer)(offset, size)

        shared = max(allocator.peak, mem.ALIGNMENT)
        arena.properties["size"] = IntegerAttr(shared, 64)
        if private is not None:
            self.private_bytes = mem.align(max(private_allocator.peak, mem.ALIGNMENT))
            private.properties["size"] = IntegerAttr(self.private_bytes, 64)
        if grads_arena is not None:
            grads_arena.properties["size"] = IntegerAttr(max(self.weights.size, mem.ALIGNMENT), 64)
        new_fn = func.FuncOp(
            fn.sym_name.data,
            ([a.type for a in block.args], []),
            Region(block),
        )
        new_fn.attributes.update(fn.attributes)
        return new_fn


@dataclass(frozen=True)
class PlanMemoryPass(ModulePass):
    name = "plan-memory"

    context_len: int = 4096
    max_tokens: int = 64
    kv_dtype: str = "f32"
    slots: int = 1

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.context_len <= 0 or self.max_tokens <= 0 or self.slots <= 0:
            raise PassFailedException("plan-memory: context_len, max_tokens and slots must be positive")
        if self.kv_dtype not in kn.KV_DTYPES:
            raise PassFailedException(
                f"plan-memory: unknown kv_dtype '{self.kv_dtype}' (choose from {', '.join(kn.KV_DTYPES)})"
            )
        weights, kv = WeightPlan(), KVPlan(self.context_len, self.kv_dtype, self.slots)
        planners = []
        for fn in [f for f in op.ops if isinstance(f, func.FuncOp) and not f.is_declaration]:
            planner = FunctionPlanner(fn, weights, kv, self.max_tokens)
            new_fn = planner.run()
            op.body.block.insert_op_before(new_fn, fn)
            fn.detach()
            fn.erase()
            planners.append((planner, new_fn))
        # every function's private arenas start after the largest shared arena: one layout for all
        arena = max((_arena_size(f) for _, f in planners), default=0)
        private = max((p.private_bytes for p, _ in planners), default=0)
        for _, new_fn in planners:
            for o in new_fn.walk():
                if isinstance(o, mem.ThreadArenaOp):
                    o.properties["offset"] = IntegerAttr(arena, 64)
                    o.properties["size"] = IntegerAttr(private, 64)
        op.attributes["ck.arena_bytes"] = IntegerAttr(arena, 64)
        op.attributes["ck.private_bytes"] = IntegerAttr(private, 64)
        op.attributes["ck.weights_bytes"] = IntegerAttr(weights.size, 64)
        op.attributes["ck.kv_bytes"] = IntegerAttr(kv.size, 64)
        op.attributes["ck.context_len"] = IntegerAttr(self.context_len, 64)
        op.attributes["ck.max_tokens"] = IntegerAttr(self.max_tokens, 64)
        op.attributes["ck.slots"] = IntegerAttr(self.slots, 64)


def _arena_size(fn: func.FuncOp) -> int:
    for o in fn.walk():
        if isinstance(o, mem.ArenaOp):
            return o.size.value.data
    return 0
