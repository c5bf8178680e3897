"""`lower-kernel-to-simd`: every kernel becomes a call to a generated simd-level function.

One function per distinct (kernel, shapes, dtype, ISA): the 28 identical layers of
a model call the same few functions. Weights are passed as typed views of their
packed parts (`memory.weight_view`). Entry functions run on every thread of the
runtime's pool (SPMD): they take the thread id and count, each kernel splits its
outer loop by them, and a barrier (`ck_barrier`, from runtime_c) follows every
kernel. Each call says which kernel op it was (`ck.kernel`) and, from it, which transformer
op (`ck.origin`, `ck.layer`). Which variant each kernel got (vector lanes, or the general kernel when a
shape does not fit) is recorded in the module's `ck.kernels` attribute, for
layout.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, StringAttr, UnitAttr
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.utils.exceptions import PassFailedException

from ck.dialects import kernel as kn
from ck.dialects import memory as mem
from ck.dialects import simd
from ck.dialects.types import WeightType, shape_of
from ck.lowering.kernels.builder import INDEX
from ck.lowering.kernels import BUILDERS, kernel_args, kernel_name
from ck.lowering.provenance import COMMENT_ATTR, layer_of, origin_refs, set_provenance

BARRIER = "ck_barrier"
KERNEL_ATTR = "ck.kernel"  # on each kernel call: the kernel op it was
CODE_NEUTRAL = ("operandSegmentSizes", "kv_slot")  # properties that do not change a kernel's code


def comment_for(op: kn.KernelOp, kind: str) -> str:
    """`blk.3 attn_q: gemv q8_0 2048x1024`, `blk.3 attn_q+attn_k+attn_v: gemv q8_0
    (2048+512+512)x1024` for fused weights, or `l3_h: rmsnorm 1024` for activations."""
    matrices = [
        (v.owner, v.type) for _, v in op.named_inputs()
        if isinstance(v.owner, mem.WeightOp) and isinstance(v.type, WeightType) and len(v.type.get_shape()) == 2
    ]
    if matrices:
        names = [w.tensor_name.data.removesuffix(".weight") for w, _ in matrices]
        head = names[0].rpartition(".")[0]
        tails = [n.rpartition(".")[2] if n.rpartition(".")[0] == head else n for n in names]
        label = f"{head} {'+'.join(tails)}" if head else "+".join(tails)
        rows = [str(t.get_shape()[0]) for _, t in matrices]
        shape = f"{rows[0]}x{matrices[0][1].get_shape()[1]}" if len(rows) == 1 else f"({'+'.join(rows)})x{matrices[0][1].get_shape()[1]}"
        return f"{label}: {kind} {matrices[0][1].storage} {shape}"
    out = op.outs[0].name_hint or "out"
    return f"{out}: {kind} {'x'.join('n' if d < 0 else str(d) for d in shape_of(op.outs[0]))}"


@dataclass
class Generated:
    """The kernel functions made so far, by structural key."""

    isa: str
    by_key: dict[tuple[str, ...], str] = field(default_factory=dict)
    functions: list[func.FuncOp] = field(default_factory=list)
    choices: list[dict[str, str]] = field(default_factory=list)

    def function_for(self, op: kn.KernelOp, kind: str, comment: str) -> str:
        args = kernel_args(op)
        props = tuple(f"{k}={v}" for k, v in sorted(op.properties.items()) if k not in CODE_NEUTRAL)
        key = (op.name, *(str(a.type) for a in args), *props)
        if key in self.by_key:
            return self.by_key[key]
        base = kernel_name(op, kind, self.isa)
        name, n = base, 1
        taken = set(self.by_key.values())
        while name in taken:
            n += 1
            name = f"{base}_v{n}"
        fn, variant = BUILDERS[type(op)][1](op, name, self.isa, f"{kind}: {comment.split(': ', 1)[-1]}")
        self.by_key[key] = name
        self.functions.append(fn)
        self.choices.append({"function": name, "kernel": op.name, "variant": variant})
        return name


@dataclass(frozen=True)
class LowerKernelToSimdPass(ModulePass):
    name = "lower-kernel-to-simd"

    isa: str = "avx512"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if problem := simd.unknown_isa(self.isa):
            raise PassFailedException(f"lower-kernel-to-simd: {problem}")
        generated = Generated(self.isa)
        entries = [f for f in op.ops if isinstance(f, func.FuncOp) and not f.is_declaration]
        for fn in entries:
            self._lower_entry(fn, generated)
        barrier = func.FuncOp.external(BARRIER, [], [])
        barrier.attributes[simd.RUNTIME_ABI_ATTR] = UnitAttr()
        block = op.body.block
        first = block.first_op
        for new in [barrier, *generated.functions]:
            if first is None:
                block.add_op(new)
            else:
                block.insert_op_before(new, first)
        op.attributes["ck.kernels"] = StringAttr(json.dumps(generated.choices))

    def _lower_entry(self, fn: func.FuncOp, generated: Generated) -> None:
        block = fn.body.block
        if len(block.args) < 2 or block.args[-1].type != INDEX or block.args[-2].type != INDEX:
            raise PassFailedException(
                f"lower-kernel-to-simd: @{fn.sym_name.data} has no thread id and count arguments: run plan-memory first"
            )
        tid, nth = block.args[-2], block.args[-1]
        views: dict[tuple[SSAValue, str], SSAValue] = {}
        for kop in list(block.ops):
            if not isinstance(kop, kn.KernelOp):
                continue
            if not kop.is_destination_passing:
                raise PassFailedException(f"lower-kernel-to-simd: {kop.name} is not placed in memory: run plan-memory first")
            if type(kop) not in BUILDERS:
                raise PassFailedException(f"lower-kernel-to-simd: no simd kernel for {kop.name}")
            kind = BUILDERS[type(kop)][0]
            comment = comment_for(kop, kind)
            callee = generated.function_for(kop, kind, comment)
            operands: list[SSAValue] = []
            for arg in kernel_args(kop):
                if arg.part is None:
                    operands.append(arg.value)
                    continue
                key = (arg.value, arg.part)
                if key not in views:
                    view = mem.WeightViewOp(arg.value, arg.part)
                    view.results[0].name_hint = f"{arg.value.name_hint or 'w'}_{arg.part}"
                    Rewriter.insert_op(view, InsertPoint.before(kop))
                    views[key] = view.results[0]
                operands.append(views[key])
            call = func.CallOp(callee, [*operands, tid, nth], [])
            call.attributes[COMMENT_ATTR] = StringAttr(comment)
            call.attributes[KERNEL_ATTR] = StringAttr(kop.name)
            set_provenance(call, origin_refs(kop), layer_of(kop))
            Rewriter.insert_op(call, InsertPoint.before(kop))
            Rewriter.insert_op(func.CallOp(BARRIER, [], []), InsertPoint.before(kop))
            Rewriter.erase_op(kop)
