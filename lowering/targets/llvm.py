"""The `llvm` target: print simd-level IR as LLVM IR text (`ck-translate FILE -t llvm`).

The twin of the `c` target (c.py), translating the same module op by op, so a model can be
JIT-compiled with LLVM instead of built with a C compiler. Same input (func, scf, arith,
math, memref and the memory and simd dialects), same ABI, same arithmetic:

- ABI (as c.py's): a memref argument is a `ptr` followed by one `i64` per dynamic
  dimension; index is i64; f16 is `half`, bf16 its raw bits (`i16`, as C's uint16_t);
  public functions keep their symbol names (the runtime calls `ck_decode` & co.),
  private ones are `internal` and named as C names them; a body-less function is a
  `declare` (ck_barrier, ck_prof_begin/end: resolved from runtime_c at link/JIT time).
  A `llvm.noalias` argument is `noalias` (C's restrict).
- Vectors are LLVM vectors on every ISA (vector<16xf32> -> <16 x float>; the scalar ISA's
  vector<1xf32> is <1 x float>); simd ops in llvm_simd.py, memory ops in llvm_memory.py,
  the ported C prelude helpers (exp) in llvm_prelude.py.
- Arithmetic: no fast-math flags; every op rounds as the IR says (simd.fma is the only
  fused multiply-add). The C build compiles model.c with -ffp-contract=off (ck/build.py's
  CFLAGS), so model.c and this IR agree bit for bit; a C compiler left to contract a*b+c
  into FMAs (gcc's -std=gnu11 default) differs from both by a few ulps.
  `fp_contract=True` marks f32/f64 fadd/fsub/fmul of avx2/avx512 functions `contract`
  (LLVM then fuses where it sees fit: faster, but matching neither exactly).
  libm is called for exp/log/tanh/sin/cos/pow as C calls it (expf, ...), sqrt/fma/fabs/rint
  are LLVM intrinsics (correctly rounded, as libm's).
- Functions of an x86 ISA carry "target-cpu"="x86-64" and the "target-features" of the C
  build's -m flags (ISA_FEATURES; avx512 adds +avx512bf16 when `avx512bf16` is set, as
  ck/build.py adds -mavx512bf16 on CPUs that have it); scalar functions carry none.
  No triple or data layout: whoever compiles the text sets its target machine's.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO

import numpy as np
from ck.lowering.targets.c import (
    NOALIAS_ATTR,
    _isa_of,
    _short,
    bf16_bits,
    f16_bits,
    int_width,
    sanitize,
    where,
)
from xdsl.context import Context
from xdsl.dialects import arith, builtin, func, memref, scf
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import (
    BFloat16Type,
    DenseIntOrFPElementsAttr,
    Float16Type,
    Float32Type,
    Float64Type,
    FloatAttr,
    IndexType,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    NoneAttr,
    VectorType,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.utils.exceptions import DiagnosticException
from xdsl.utils.target import Target

ISA_FEATURES: dict[str, str] = {
    "avx512": "+avx512f,+avx512bw,+avx512vl,+avx512vnni,+fma,+f16c",
    "avx2": "+avx2,+fma,+f16c",
    "scalar": "",
}
"""LLVM target features of each ISA: the -m flags ck/build.py compiles model.c with."""
X86_CPU = "x86-64"
"""The base CPU of the C build (gcc's default -march): the features above are added to it."""


class LLVMEmitError(DiagnosticException):
    """The module holds something the LLVM target cannot translate (names the op and where)."""


def fail(op: Operation, msg: str) -> LLVMEmitError:
    return LLVMEmitError(f"LLVM target: {msg}\n  op: {_short(op)}\n  at: {where(op)}")


# ------------------------------------------------------------------ types & literals

_FLOAT_LL = {Float32Type: "float", Float64Type: "double", Float16Type: "half", BFloat16Type: "i16"}


def scalar_type(t: Attribute) -> str | None:
    """The LLVM type of a scalar (bf16: its raw bits, i16), else None."""
    if type(t) in _FLOAT_LL:
        return _FLOAT_LL[type(t)]
    w = int_width(t)
    return f"i{w}" if w is not None else None


def is_float(t: Attribute) -> bool:
    return isinstance(t, Float32Type | Float64Type | Float16Type)


def vec_type(lanes: int, elem: str) -> str:
    return f"<{lanes} x {elem}>"


def byte_size(t: Attribute) -> int:
    if isinstance(t, Float64Type):
        return 8
    if isinstance(t, Float16Type | BFloat16Type):
        return 2
    if isinstance(t, Float32Type):
        return 4
    w = int_width(t)
    return max(1, (w or 8) // 8)


def int_lit(value: int, width: int) -> str:
    if width == 1:
        return "true" if value & 1 else "false"
    value &= (1 << width) - 1
    if value >= 1 << (width - 1):
        value -= 1 << width
    return str(value)


def f32_lit(x: float) -> str:
    """An LLVM `float` literal of x rounded to f32 (hex of the exact double)."""
    with np.errstate(over="ignore"):
        v = float(np.float32(x))
    return f64_lit(v)


def f64_lit(x: float) -> str:
    if math.isnan(x):
        return "0x7FF8000000000000"
    return f"0x{struct.unpack('<Q', struct.pack('<d', x))[0]:016X}"


def float_lit(x: float, t: Attribute) -> str:
    if isinstance(t, Float32Type):
        return f32_lit(x)
    if isinstance(t, Float64Type):
        return f64_lit(x)
    if isinstance(t, Float16Type):
        return f"0xH{f16_bits(x):04X}"
    return int_lit(bf16_bits(x), 16)


def splat(ty: str, lit: str) -> str:
    """A constant of type `ty` (scalar or vector) with every lane `lit`."""
    if ty.startswith("<"):
        return f"splat ({ty.split(' x ', 1)[1][:-1]} {lit})"
    return lit


def abi_ext(t: Attribute) -> str:
    """The C ABI's extension attribute of a small integer argument or result (" signext" for
    int8_t/int16_t, " zeroext" for bool and bf16's uint16_t bits), as clang marks them."""
    if isinstance(t, BFloat16Type) or int_width(t) == 1:
        return " zeroext"
    if int_width(t) in (8, 16) and not isinstance(t, IndexType):
        return " signext"
    return ""


def elem_of(ty: str) -> str:
    return ty.split(" x ", 1)[1][:-1] if ty.startswith("<") else ty


def with_elem(ty: str, elem: str) -> str:
    """`ty` with its (lane) type replaced: <16 x float> -> <16 x i32>."""
    return f"{ty.split(' x ', 1)[0]} x {elem}>" if ty.startswith("<") else elem


def lanes_of(ty: str) -> int:
    return int(ty[1:].split(" x ", 1)[0]) if ty.startswith("<") else 1


_GLOBAL = re.compile(r"[A-Za-z$._][A-Za-z0-9$._]*$")


def global_ref(name: str) -> str:
    return f"@{name}" if _GLOBAL.match(name) else '@"' + name.replace('"', "\\22") + '"'


# ------------------------------------------------------------------ module level


@dataclass
class FuncInfo:
    op: func.FuncOp
    name: str
    isa: str | None


@dataclass
class MemrefInfo:
    ptr: str
    dims: list[int | str]  # per dimension: a static size, or the i64 operand holding it
    type: MemRefType


class ModuleEmitter:
    """Emits a whole module: functions, declarations, helpers, attribute groups."""

    def __init__(self, module: ModuleOp, default_isa: str | None, avx512bf16: bool, fp_contract: bool = False):
        self.module = module
        self.fp_contract = fp_contract
        self.default_isa = default_isa or None
        self.avx512bf16 = avx512bf16
        self.funcs: dict[str, FuncInfo] = {}
        self.declares: dict[str, str] = {}
        self.helpers: dict[str, str] = {}
        self.attr_groups: dict[str, int] = {}
        taken: set[str] = set()
        for op in module.ops:
            if not isinstance(op, func.FuncOp):
                raise fail(op, f"unsupported top-level op '{op.name}' (only func.func)")
            sym = op.sym_name.data
            public = op.sym_visibility is None or op.sym_visibility.data == "public"
            if op.is_declaration or public:  # ABI names, exactly as the C target keeps them
                name = sym
            else:
                name = sanitize(sym) or "fn"
                while name in taken:
                    name += "_"
            taken.add(name)
            self.funcs[sym] = FuncInfo(op, name, _isa_of(op, self.default_isa))

    def features(self, isa: str | None) -> str:
        feats = ISA_FEATURES.get(isa or "scalar", "")
        if isa == "avx512" and self.avx512bf16:
            feats += ",+avx512bf16"
        return feats

    def attrs(self, isa: str | None, extra: str = "") -> str:
        """`#N`: the attribute group of a function of `isa` (plus `extra` attributes)."""
        text = "nounwind"
        if isa in ("avx512", "avx2"):
            text += f' "target-cpu"="{X86_CPU}" "tune-cpu"="generic" "target-features"="{self.features(isa)}"'
        if extra:
            text = f"{extra} {text}"
        if text not in self.attr_groups:
            self.attr_groups[text] = len(self.attr_groups)
        return f"#{self.attr_groups[text]}"

    def declare(self, name: str, ret: str, args: Sequence[str]) -> str:
        """Declare an intrinsic or library function once; returns its `@name`."""
        ref = global_ref(name)
        if name not in self.declares:
            self.declares[name] = f"declare {ret} {ref}({', '.join(args)})"
        return ref

    def call(self, fe: FunctionEmitter, name: str, ret: str, args: Sequence[tuple[str, str]], hint: str) -> str:
        ref = self.declare(name, ret, [t for t, _ in args])
        return fe.inst(f"call {ret} {ref}({', '.join(f'{t} {v}' for t, v in args)})", hint)

    def value_type(self, t: Attribute, isa: str | None, where_op: Operation) -> str:
        s = scalar_type(t)
        if s is not None:
            return s
        if isinstance(t, VectorType):
            from ck.lowering.targets import llvm_simd

            try:
                return llvm_simd.vector_type(t, isa)
            except llvm_simd.SimdEmitError as e:
                raise fail(where_op, str(e)) from None
        if isinstance(t, MemRefType):
            return "ptr"
        raise fail(where_op, f"type {t} has no LLVM representation here")

    def params(self, info: FuncInfo, names: Sequence[tuple[str, list[str]]] | None) -> list[str]:
        f = info.op
        out: list[str] = []
        arg_attrs = f.arg_attrs.data if f.arg_attrs is not None else ()
        for i, t in enumerate(f.function_type.inputs.data):
            nm, dims = names[i] if names is not None else ("", [])
            if isinstance(t, MemRefType):
                if scalar_type(t.element_type) is None:
                    raise fail(f, f"memref element type {t.element_type} has no LLVM type")
                if not isinstance(t.layout, NoneAttr):
                    raise fail(f, f"memref {t} has a non-identity layout (only row-major)")
                attrs = arg_attrs[i].data if i < len(arg_attrs) else {}
                noalias = " noalias" if NOALIAS_ATTR in attrs else ""
                out.append(f"ptr{noalias}{' ' + nm if nm else ''}")
                n_dyn = sum(1 for d in t.get_shape() if d < 0)
                out += [f"i64{' ' + dims[k] if names is not None else ''}" for k in range(n_dyn)]
            else:
                out.append(f"{self.value_type(t, info.isa, f)}{abi_ext(t)}{' ' + nm if nm else ''}")
        return out

    def ret_type(self, info: FuncInfo) -> str:
        outs = info.op.function_type.outputs.data
        if len(outs) > 1:
            raise fail(info.op, "functions with more than one result are not supported")
        return self.value_type(outs[0], info.isa, info.op) if outs else "void"

    def ret_attr(self, info: FuncInfo) -> str:
        outs = info.op.function_type.outputs.data
        return abi_ext(outs[0]).strip() + " " if len(outs) == 1 and abi_ext(outs[0]) else ""

    def emit(self) -> str:
        bodies: list[str] = []
        for info in self.funcs.values():
            f = info.op
            if f.is_declaration:
                self.declares[info.name] = (
                    f"declare {self.ret_attr(info)}{self.ret_type(info)} {global_ref(info.name)}({', '.join(self.params(info, None))})"
                )
                continue
            bodies.append(FunctionEmitter(self, info).emit())
        name = self.module.sym_name.data if self.module.sym_name is not None else "an unnamed builtin.module"
        fns = [f"{i.name}{f' [{i.isa}]' if i.isa else ''}" for i in self.funcs.values() if not i.op.is_declaration]
        head = [
            f"; Generated by ck (the `llvm` target of ck-translate) from simd-level IR: {name}.",
            f"; Functions: {', '.join(fns) if fns else '(none)'}.",
            "; Do not edit: change the IR or the lowering and regenerate.",
        ]
        sections = ["\n".join(head), *bodies, *self.helpers.values()]
        if self.declares:
            sections.append("\n".join(sorted(self.declares.values())))
        if self.attr_groups:
            sections.append("\n".join(f"attributes #{n} = {{ {text} }}" for text, n in self.attr_groups.items()))
        return "\n\n".join(sections) + "\n"


# ------------------------------------------------------------------ one function

_LOCAL = re.compile(r"[^A-Za-z0-9_.]")


class FunctionEmitter:
    """Emits one func.func in SSA form; the simd/memory handlers call back into it."""

    def __init__(self, mod: ModuleEmitter, info: FuncInfo):
        self.mod = mod
        self.info = info
        self.isa = info.isa
        self.lines: list[str] = []
        self.allocas: list[str] = []
        self.vals: dict[SSAValue, str] = {}
        self.const_int: dict[SSAValue, int] = {}
        self.memrefs: dict[SSAValue, MemrefInfo] = {}
        self.taken: dict[str, int] = {}
        self.block = "entry"
        self.fp_flags = "contract " if mod.fp_contract and info.isa in ("avx512", "avx2") else ""

    # -- names, lines, blocks

    def fresh(self, hint: str | None, default: str = "v") -> str:
        base = _LOCAL.sub("_", hint or "") or default
        if base[0].isdigit():
            base = default + base
        n = self.taken.get(base, 0)
        self.taken[base] = n + 1
        return f"%{base}" if n == 0 else f"%{base}.{n}"

    def line(self, text: str) -> None:
        self.lines.append("  " + text)

    def inst(self, text: str, hint: str | None = None) -> str:
        name = self.fresh(hint, "t")
        self.line(f"{name} = {text}")
        return name

    def define(self, v: SSAValue, text: str) -> str:
        name = self.inst(text, v.name_hint)
        self.vals[v] = name
        return name

    def label(self, hint: str) -> str:
        return self.fresh(hint)[1:]

    def start(self, label: str) -> None:
        self.lines.append(f"{label}:")
        self.block = label

    def br(self, label: str) -> None:
        self.line(f"br label %{label}")

    # -- values

    def ty(self, v: SSAValue | Attribute, op: Operation | None = None) -> str:
        t = v.type if isinstance(v, SSAValue) else v
        where_op = op or (v.owner if isinstance(v, SSAValue) and isinstance(v.owner, Operation) else self.info.op)
        return self.mod.value_type(t, self.isa, where_op)

    def val(self, v: SSAValue) -> str:
        name = self.vals.get(v)
        if name is None:
            owner = v.owner
            op = owner if isinstance(owner, Operation) else self.info.op
            raise fail(op, f"a {v.type} value is used where the LLVM target has no value for it")
        return name

    def typed(self, v: SSAValue) -> str:
        return f"{self.ty(v)} {self.val(v)}"

    def memref(self, v: SSAValue, op: Operation) -> MemrefInfo:
        info = self.memrefs.get(v)
        if info is None:
            raise fail(op, "memrefs must be function arguments, allocas or memory-dialect views")
        return info

    def index(self, v: SSAValue) -> int | str:
        c = self.const_int.get(v)
        return c if c is not None else self.val(v)

    def imul(self, a: int | str, b: int | str) -> int | str:
        if isinstance(a, int) and isinstance(b, int):
            return a * b
        if a == 0 or b == 0:
            return 0
        if a == 1:
            return b
        if b == 1:
            return a
        return self.inst(f"mul nsw i64 {a}, {b}", "lin")

    def iadd(self, a: int | str, b: int | str) -> int | str:
        if isinstance(a, int) and isinstance(b, int):
            return a + b
        if a == 0:
            return b
        if b == 0:
            return a
        return self.inst(f"add nsw i64 {a}, {b}", "lin")

    def element(self, base: SSAValue, indices: Sequence[SSAValue], op: Operation) -> tuple[str, str]:
        """(pointer to base[indices] row-major, its element's LLVM type)."""
        info = self.memref(base, op)
        elem = scalar_type(info.type.element_type)
        assert elem is not None
        lin: int | str = 0
        for k, idx in enumerate(indices):
            if k:
                lin = self.imul(lin, info.dims[k])
            lin = self.iadd(lin, self.index(idx))
        if lin == 0:
            return info.ptr, elem
        return self.inst(f"getelementptr inbounds {elem}, ptr {info.ptr}, i64 {lin}", "p"), elem

    def call_helper(self, name: str, ret: str, args: Sequence[tuple[str, str]], hint: str) -> str:
        return self.mod.call(self, name, ret, args, hint)

    # -- function

    def emit(self) -> str:
        f = self.info.op
        block = f.body.block
        names: list[tuple[str, list[str]]] = []
        for i, arg in enumerate(block.args):
            nm = self.fresh(arg.name_hint, "arg")
            self.vals[arg] = nm
            dims: list[str] = []
            if isinstance(arg.type, MemRefType):
                all_dims: list[int | str] = []
                for d, size in enumerate(arg.type.get_shape()):
                    if size < 0:
                        dn = self.fresh(f"{nm[1:]}_d{d}")
                        dims.append(dn)
                        all_dims.append(dn)
                    else:
                        all_dims.append(size)
                self.memrefs[arg] = MemrefInfo(nm, all_dims, arg.type)
            elif scalar_type(arg.type) is None and not isinstance(arg.type, VectorType):
                raise fail(f, f"argument {i} has type {arg.type}, which has no LLVM type")
            names.append((nm, dims))
        params = self.mod.params(self.info, names)
        ret = self.mod.ret_type(self.info)
        private = f.sym_visibility is not None and f.sym_visibility.data == "private"
        self.start("entry")
        self.emit_block(block, None)
        link = "internal " if private else ""
        head = f"define {link}{self.mod.ret_attr(self.info)}{ret} {global_ref(self.info.name)}({', '.join(params)}) {self.mod.attrs(self.isa)} {{"
        body = [self.lines[0], *self.allocas, *self.lines[1:]]
        return "\n".join([head, *body, "}"])

    def emit_block(self, block: Block, on_yield: Callable[[scf.YieldOp], None] | None) -> None:
        for op in block.ops:
            if isinstance(op, scf.YieldOp):
                if on_yield is None:
                    raise fail(op, "scf.yield outside scf.for / scf.if")
                on_yield(op)
                continue
            self.emit_op(op)

    def emit_op(self, op: Operation) -> None:
        handler = _OP_HANDLERS.get(type(op))
        if handler is not None:
            handler(self, op)
            return
        if op.name.startswith("simd."):
            from ck.lowering.targets import llvm_simd

            try:
                llvm_simd.emit_simd_op(self, op)
            except llvm_simd.SimdEmitError as e:
                raise fail(op, str(e)) from None
            return
        raise fail(op, f"no LLVM lowering for '{op.name}'")


# ------------------------------------------------------------------ op handlers


def _func_return(fe: FunctionEmitter, op: func.ReturnOp) -> None:
    if len(op.arguments) > 1:
        raise fail(op, "returning more than one value is not supported")
    fe.line(f"ret {fe.typed(op.arguments[0])}" if op.arguments else "ret void")
    if op.next_op is not None:  # keep the rest of the block valid (unreachable) IR
        fe.start(fe.label("dead"))


def _func_call(fe: FunctionEmitter, op: func.CallOp) -> None:
    callee = fe.mod.funcs.get(op.callee.root_reference.data)
    if callee is None:
        raise fail(op, f"call to unknown function {op.callee}")
    if len(op.res) > 1:
        raise fail(op, "calls with more than one result are not supported")
    args: list[str] = []
    for v in op.arguments:
        if isinstance(v.type, MemRefType):
            info = fe.memref(v, op)
            args.append(f"ptr {info.ptr}")
            for d, size in zip(info.dims, info.type.get_shape(), strict=True):
                if size < 0:
                    args.append(f"i64 {d}")
        else:
            args.append(fe.typed(v))
    ret = fe.mod.ret_type(callee)
    text = f"call {ret} {global_ref(callee.name)}({', '.join(args)})"
    if op.res:
        fe.define(op.res[0], text)
    else:
        fe.line(text)


def _scf_for(fe: FunctionEmitter, op: scf.ForOp) -> None:
    lb, ub, step = fe.val(op.lb), fe.val(op.ub), fe.val(op.step)
    ity = fe.ty(op.lb, op)
    body = op.body.block
    iv, carried = body.args[0], body.args[1:]
    pre = fe.block
    head, loop, done = fe.label("for"), fe.label("body"), fe.label("done")
    inits = [fe.val(v) for v in op.iter_args]
    fe.br(head)
    fe.start(head)
    slot = len(fe.lines)
    fe.lines.extend([""] * (1 + len(carried)))
    i = fe.fresh(iv.name_hint, "i")
    fe.vals[iv] = i
    phis = []
    for res, arg in zip(op.res, carried, strict=True):
        name = fe.fresh(arg.name_hint or res.name_hint, "acc")
        fe.vals[arg] = fe.vals[res] = name
        phis.append(name)
    cond = fe.inst(f"icmp slt {ity} {i}, {ub}", "cont")
    fe.line(f"br i1 {cond}, label %{loop}, label %{done}")
    fe.start(loop)
    yielded: list[str] = []

    def on_yield(y: scf.YieldOp) -> None:
        yielded.extend(fe.val(v) for v in y.arguments)

    fe.emit_block(body, on_yield)
    nxt = fe.inst(f"add nsw {ity} {i}, {step}", f"{i[1:]}.next")
    latch = fe.block
    fe.br(head)
    fe.lines[slot] = f"  {i} = phi {ity} [ {lb}, %{pre} ], [ {nxt}, %{latch} ]"
    for k, (name, res) in enumerate(zip(phis, op.res, strict=True)):
        t = fe.ty(res, op)
        fe.lines[slot + 1 + k] = f"  {name} = phi {t} [ {inits[k]}, %{pre} ], [ {yielded[k]}, %{latch} ]"
    fe.start(done)


def _scf_if(fe: FunctionEmitter, op: scf.IfOp) -> None:
    cond = fe.val(op.cond)
    then, els, merge = fe.label("then"), fe.label("else"), fe.label("endif")
    has_else = bool(op.false_region.blocks) and (
        bool(op.output) or any(not isinstance(o, scf.YieldOp) for o in op.false_region.block.ops)
    )
    fe.line(f"br i1 {cond}, label %{then}, label %{els if has_else else merge}")
    incoming: list[tuple[list[str], str]] = []

    def on_yield(y: scf.YieldOp) -> None:
        incoming.append(([fe.val(v) for v in y.arguments], fe.block))

    fe.start(then)
    fe.emit_block(op.true_region.block, on_yield)
    if len(incoming) < 1:
        incoming.append(([], fe.block))
    fe.br(merge)
    if has_else:
        fe.start(els)
        fe.emit_block(op.false_region.block, on_yield)
        fe.br(merge)
    fe.start(merge)
    for k, res in enumerate(op.output):
        ins = ", ".join(f"[ {vals[k]}, %{blk} ]" for vals, blk in incoming)
        fe.define(res, f"phi {fe.ty(res, op)} {ins}")


# -- arith


def _constant(fe: FunctionEmitter, op: arith.ConstantOp) -> None:
    v, t = op.value, op.result.type
    if isinstance(v, IntegerAttr) and int_width(t) is not None:
        fe.const_int[op.result] = v.value.data
        fe.vals[op.result] = int_lit(v.value.data, int_width(t) or 64)
        return
    if isinstance(v, FloatAttr) and type(t) in _FLOAT_LL:
        fe.vals[op.result] = float_lit(v.value.data, t)
        return
    if isinstance(v, DenseIntOrFPElementsAttr) and isinstance(t, VectorType):
        ty = fe.ty(op.result)
        et = t.element_type
        raw = list(v.get_values())
        el = elem_of(ty)
        if type(et) in _FLOAT_LL:
            lits = [float_lit(float(x), et) for x in raw]
        else:
            lits = [int_lit(int(x), int_width(et) or 32) for x in raw]
        if v.is_splat():
            fe.vals[op.result] = splat(ty, lits[0])
        else:
            fe.vals[op.result] = "<" + ", ".join(f"{el} {x}" for x in lits) + ">"
        return
    raise fail(op, f"constant {v} of type {t} is not supported (scalars and dense vector constants)")


def _check_scalar(op: Operation) -> None:
    for v in (*op.operands, *op.results):
        if isinstance(v.type, VectorType | builtin.TensorType | MemRefType):
            raise fail(op, f"'{op.name}' on {v.type}: arith/math ops are emitted for scalars only "
                           "(vector math goes through simd ops)")


_INT_INST = {
    arith.AddiOp: "add", arith.SubiOp: "sub", arith.MuliOp: "mul", arith.DivSIOp: "sdiv",
    arith.DivUIOp: "udiv", arith.RemSIOp: "srem", arith.RemUIOp: "urem", arith.AndIOp: "and",
    arith.OrIOp: "or", arith.XOrIOp: "xor", arith.ShLIOp: "shl", arith.ShRSIOp: "ashr",
    arith.ShRUIOp: "lshr",
}
_INT_MINMAX = {arith.MinSIOp: "smin", arith.MaxSIOp: "smax", arith.MinUIOp: "umin", arith.MaxUIOp: "umax"}


def _int_binary(fe: FunctionEmitter, op: Operation) -> None:
    _check_scalar(op)
    t = op.results[0].type
    w = int_width(t)
    if w is None:
        raise fail(op, f"'{op.name}' on {t} is not supported")
    ty = f"i{w}"
    a, b = fe.val(op.operands[0]), fe.val(op.operands[1])
    kind = type(op)
    if w == 1:
        logic = {arith.AndIOp: "and", arith.OrIOp: "or", arith.XOrIOp: "xor", arith.AddiOp: "xor",
                 arith.SubiOp: "xor", arith.MuliOp: "and"}.get(kind)
        if logic is None:
            raise fail(op, f"'{op.name}' on i1 is not supported")
        fe.define(op.results[0], f"{logic} i1 {a}, {b}")
        return
    if kind in _INT_INST:
        inst = _INT_INST[kind]
        nsw = " nsw" if isinstance(t, IndexType) and kind in (arith.AddiOp, arith.SubiOp, arith.MuliOp) else ""
        fe.define(op.results[0], f"{inst}{nsw} {ty} {a}, {b}")
    elif kind in _INT_MINMAX:
        fe.define(op.results[0], _intrinsic_call(fe, f"llvm.{_INT_MINMAX[kind]}.{ty}", ty, [(ty, a), (ty, b)]))
    elif kind in (arith.FloorDivSIOp, arith.CeilDivSIOp):
        # q = a / b, moved one toward -inf (floor) or +inf (ceil) when inexact, as ck_floordivsi.
        q = fe.inst(f"sdiv {ty} {a}, {b}", "q")
        r = fe.inst(f"srem {ty} {a}, {b}", "r")
        inexact = fe.inst(f"icmp ne {ty} {r}, 0", "inexact")
        an = fe.inst(f"icmp slt {ty} {a}, 0", "aneg")
        bn = fe.inst(f"icmp slt {ty} {b}, 0", "bneg")
        signs = fe.inst(f"icmp {'ne' if kind is arith.FloorDivSIOp else 'eq'} i1 {an}, {bn}", "signs")
        adj = fe.inst(f"and i1 {inexact}, {signs}", "adjust")
        q2 = fe.inst(f"{'sub' if kind is arith.FloorDivSIOp else 'add'} {ty} {q}, 1", "q")
        fe.define(op.results[0], f"select i1 {adj}, {ty} {q2}, {ty} {q}")
    else:  # pragma: no cover - the table and the registration agree
        raise fail(op, f"no LLVM lowering for '{op.name}'")


def _intrinsic_call(fe: FunctionEmitter, name: str, ret: str, args: Sequence[tuple[str, str]]) -> str:
    """The text of a call (for fe.define)."""
    ref = fe.mod.declare(name, ret, [t for t, _ in args])
    return f"call {ret} {ref}({', '.join(f'{t} {v}' for t, v in args)})"


_CMPI = {0: "eq", 1: "ne", 2: "slt", 3: "sle", 4: "sgt", 5: "sge", 6: "ult", 7: "ule", 8: "ugt", 9: "uge"}
_CMPF = {0: "false", 1: "oeq", 2: "ogt", 3: "oge", 4: "olt", 5: "ole", 6: "one", 7: "ord", 8: "ueq",
         9: "ugt", 10: "uge", 11: "ult", 12: "ule", 13: "une", 14: "uno", 15: "true"}


def _cmpi(fe: FunctionEmitter, op: arith.CmpiOp) -> None:
    _check_scalar(op)
    fe.define(op.result, f"icmp {_CMPI[op.predicate.value.data]} {fe.typed(op.lhs)}, {fe.val(op.rhs)}")


def fval(fe: FunctionEmitter, v: SSAValue) -> tuple[str, str]:
    """(type, value) of a float operand for arithmetic (bf16 widened to float, exactly)."""
    if isinstance(v.type, BFloat16Type):
        return "float", bf16_to_f32(fe, "i16", fe.val(v))
    return fe.ty(v), fe.val(v)


def fres(fe: FunctionEmitter, t: Attribute, ty: str, value: str) -> str:
    """`value` (of float type `ty`) narrowed to `t` (bf16: round to nearest even bits)."""
    if isinstance(t, BFloat16Type):
        return f32_to_bf16(fe, ty, value)
    return value


def bf16_to_f32(fe: FunctionEmitter, ity: str, bits: str) -> str:
    """bf16 raw bits (i16 or <N x i16>) -> float, exactly (the bits move to the top half)."""
    i32 = with_elem(ity, "i32")
    w = fe.inst(f"zext {ity} {bits} to {i32}", "bf")
    s = fe.inst(f"shl {i32} {w}, {splat(i32, '16')}", "bf")
    return fe.inst(f"bitcast {i32} {s} to {with_elem(ity, 'float')}", "bf")


def f32_to_bf16(fe: FunctionEmitter, fty: str, x: str) -> str:
    """float (or <N x float>) -> bf16 raw bits: round to nearest even, NaN quieted (ck_f32_to_bf16)."""
    i32, i1 = with_elem(fty, "i32"), with_elem(fty, "i1")
    u = fe.inst(f"bitcast {fty} {x} to {i32}", "u")
    top = fe.inst(f"lshr {i32} {u}, {splat(i32, '16')}", "top")
    odd = fe.inst(f"and {i32} {top}, {splat(i32, '1')}", "odd")
    bias = fe.inst(f"add {i32} {odd}, {splat(i32, '32767')}", "bias")
    r = fe.inst(f"add {i32} {u}, {bias}", "r")
    r = fe.inst(f"lshr {i32} {r}, {splat(i32, '16')}", "r")
    nan = fe.inst(f"fcmp uno {fty} {x}, {x}", "nan")
    q = fe.inst(f"or {i32} {top}, {splat(i32, '64')}", "qnan")
    r = fe.inst(f"select {i1} {nan}, {i32} {q}, {i32} {r}", "r")
    return fe.inst(f"trunc {i32} {r} to {with_elem(fty, 'i16')}", "bf")


def _cmpf(fe: FunctionEmitter, op: arith.CmpfOp) -> None:
    _check_scalar(op)
    ty, a = fval(fe, op.lhs)
    _, b = fval(fe, op.rhs)
    fe.define(op.result, f"fcmp {_CMPF[op.predicate.value.data]} {ty} {a}, {b}")


def _select(fe: FunctionEmitter, op: arith.SelectOp) -> None:
    if isinstance(op.cond.type, VectorType) or isinstance(op.result.type, MemRefType):
        raise fail(op, f"arith.select on {op.result.type} is not supported")
    fe.define(op.result, f"select i1 {fe.val(op.cond)}, {fe.typed(op.lhs)}, {fe.typed(op.rhs)}")


def _float_binary(fe: FunctionEmitter, op: Operation) -> None:
    _check_scalar(op)
    t = op.results[0].type
    if type(t) not in _FLOAT_LL:
        raise fail(op, f"'{op.name}' on {t} is not supported")
    ty, a = fval(fe, op.operands[0])
    _, b = fval(fe, op.operands[1])
    kind = type(op)
    inst = {arith.AddfOp: "fadd", arith.SubfOp: "fsub", arith.MulfOp: "fmul", arith.DivfOp: "fdiv"}.get(kind)
    if inst is not None:
        flags = fe.fp_flags if inst != "fdiv" and isinstance(t, Float32Type | Float64Type) else ""
        r = fe.inst(f"{inst} {flags}{ty} {a}, {b}", op.results[0].name_hint)
    else:
        name = {arith.MaximumfOp: "maximum", arith.MinimumfOp: "minimum", arith.MaxnumfOp: "maxnum",
                arith.MinnumfOp: "minnum"}[kind]
        r = fe.inst(_intrinsic_call(fe, f"llvm.{name}.{_suffix(ty)}", ty, [(ty, a), (ty, b)]),
                    op.results[0].name_hint)
    fe.vals[op.results[0]] = fres(fe, t, ty, r)


def _suffix(ty: str) -> str:
    """Intrinsic type suffix: float -> f32, <16 x float> -> v16f32."""
    base = {"float": "f32", "double": "f64", "half": "f16"}.get(elem_of(ty), elem_of(ty))
    return f"v{lanes_of(ty)}{base}" if ty.startswith("<") else base


def _negf(fe: FunctionEmitter, op: arith.NegfOp) -> None:
    _check_scalar(op)
    if isinstance(op.result.type, BFloat16Type):
        fe.define(op.result, f"xor i16 {fe.val(op.operand)}, -32768")
    else:
        fe.define(op.result, f"fneg {fe.typed(op.operand)}")


def _cast(fe: FunctionEmitter, op: Operation) -> None:
    _check_scalar(op)
    src, dst = op.operands[0], op.results[0]
    st, dt = src.type, dst.type
    a = fe.val(src)
    sty, dty = fe.ty(src), fe.ty(dst)
    kind = type(op)
    sw, dw = int_width(st), int_width(dt)
    if kind in (arith.IndexCastOp, arith.ExtSIOp, arith.TruncIOp, arith.ExtUIOp):
        assert sw is not None and dw is not None
        if sw == dw:
            fe.vals[dst] = a
            return
        ext = "sext" if kind is not arith.ExtUIOp else "zext"
        fe.define(dst, f"{ext if dw > sw else 'trunc'} {sty} {a} to {dty}")
    elif kind in (arith.SIToFPOp, arith.UIToFPOp):
        conv = "sitofp" if kind is arith.SIToFPOp else "uitofp"
        if isinstance(dt, Float64Type | Float32Type):
            fe.define(dst, f"{conv} {sty} {a} to {dty}")
        else:  # via float, as C's (_Float16)(float)a and ck_f32_to_bf16((float)a)
            f = fe.inst(f"{conv} {sty} {a} to float", dst.name_hint)
            fe.vals[dst] = fe.inst(f"fptrunc float {f} to half", dst.name_hint) if isinstance(
                dt, Float16Type) else f32_to_bf16(fe, "float", f)
    elif kind in (arith.FPToSIOp, arith.FPToUIOp):
        if dw == 1:
            raise fail(op, f"'{op.name}' to i1 is not supported")
        fty, f = fval(fe, src)
        fe.define(dst, f"{'fptosi' if kind is arith.FPToSIOp else 'fptoui'} {fty} {f} to {dty}")
    elif kind is arith.ExtFOp:
        fty, f = fval(fe, src)
        fe.vals[dst] = f if fty == dty else fe.inst(f"fpext {fty} {f} to {dty}", dst.name_hint)
    elif kind is arith.TruncFOp:
        if isinstance(dt, BFloat16Type):
            if not isinstance(st, Float32Type):
                raise fail(op, f"arith.truncf {st} -> bf16 is not supported (only f32 -> bf16)")
            fe.vals[dst] = f32_to_bf16(fe, "float", a)
        else:
            fe.define(dst, f"fptrunc {sty} {a} to {dty}")
    elif kind is arith.BitcastOp:
        fe.vals[dst] = a if sty == dty else fe.inst(f"bitcast {sty} {a} to {dty}", dst.name_hint)
    else:  # pragma: no cover
        raise fail(op, f"no LLVM lowering for '{op.name}'")


# -- math

_LIBM = {mathd.ExpOp: "exp", mathd.LogOp: "log", mathd.TanhOp: "tanh", mathd.CosOp: "cos",
         mathd.SinOp: "sin", mathd.PowFOp: "pow"}
_MATH_INTRINSIC = {mathd.SqrtOp: "sqrt", mathd.AbsFOp: "fabs", mathd.FmaOp: "fma"}


def _math(fe: FunctionEmitter, op: Operation) -> None:
    _check_scalar(op)
    t = op.results[0].type
    if type(t) not in _FLOAT_LL:
        raise fail(op, f"'{op.name}' on {t} is not supported")
    args = [fval(fe, v) for v in op.operands]
    ty = args[0][0]
    if ty == "half":  # C computes _Float16 math in float (expf((float)h)) and rounds back
        args = [("float", fe.inst(f"fpext half {v} to float", "w")) for _, v in args]
    cty = args[0][0]
    kind = type(op)
    hint = op.results[0].name_hint
    if kind is mathd.RsqrtOp:
        s = fe.inst(_intrinsic_call(fe, f"llvm.sqrt.{_suffix(cty)}", cty, args), hint)
        r = fe.inst(f"fdiv {cty} {'1.0' if cty == 'double' else f32_lit(1.0)}, {s}", hint)
    elif kind in _MATH_INTRINSIC:
        r = fe.inst(_intrinsic_call(fe, f"llvm.{_MATH_INTRINSIC[kind]}.{_suffix(cty)}", cty, args), hint)
    else:
        name = _LIBM[kind] + ("" if cty == "double" else "f")
        r = fe.inst(_intrinsic_call(fe, name, cty, args), hint)
    if isinstance(t, Float16Type):
        r = fe.inst(f"fptrunc float {r} to half", hint)
    fe.vals[op.results[0]] = fres(fe, t, cty, r)


# -- memref


def _mem_load(fe: FunctionEmitter, op: memref.LoadOp) -> None:
    p, elem = fe.element(op.memref, op.indices, op)
    fe.define(op.res, f"load {elem}, ptr {p}, align {byte_size(op.res.type)}")


def _mem_store(fe: FunctionEmitter, op: memref.StoreOp) -> None:
    p, elem = fe.element(op.memref, op.indices, op)
    fe.line(f"store {elem} {fe.val(op.value)}, ptr {p}, align {byte_size(op.value.type)}")


def _mem_alloca(fe: FunctionEmitter, op: memref.AllocaOp) -> None:
    """A statically shaped scratch buffer: one entry-block alloca, 64-byte aligned (C's local
    array; in the entry block so a loop does not grow the stack)."""
    typ = op.memref.type
    assert isinstance(typ, MemRefType)
    shape = typ.get_shape()
    if any(d < 0 for d in shape) or op.dynamic_sizes:
        raise fail(op, f"memref.alloca needs a static shape, got {typ}")
    elem = scalar_type(typ.element_type)
    if elem is None:
        raise fail(op, f"memref element type {typ.element_type} has no LLVM type")
    name = fe.fresh(op.memref.name_hint, "buf")
    count = math.prod(shape) if shape else 1
    fe.allocas.append(f"  {name} = alloca [{count} x {elem}], align 64")
    fe.memrefs[op.memref] = MemrefInfo(name, list(shape), typ)


def _mem_dim(fe: FunctionEmitter, op: memref.DimOp) -> None:
    info = fe.memref(op.source, op)
    k = fe.const_int.get(op.index)
    if k is None or not 0 <= k < len(info.dims):
        raise fail(op, "memref.dim needs a constant, in-range dimension index")
    d = info.dims[k]
    if isinstance(d, int):
        fe.const_int[op.result] = d
    fe.vals[op.result] = str(d)


_OP_HANDLERS: dict[type[Operation], Callable[[FunctionEmitter, Operation], None]] = {
    func.ReturnOp: _func_return,
    func.CallOp: _func_call,
    scf.ForOp: _scf_for,
    scf.IfOp: _scf_if,
    arith.ConstantOp: _constant,
    arith.CmpiOp: _cmpi,
    arith.CmpfOp: _cmpf,
    arith.SelectOp: _select,
    arith.NegfOp: _negf,
    memref.LoadOp: _mem_load,
    memref.StoreOp: _mem_store,
    memref.DimOp: _mem_dim,
    memref.AllocaOp: _mem_alloca,
}  # type: ignore[assignment]
for _k in (*_INT_INST, *_INT_MINMAX, arith.FloorDivSIOp, arith.CeilDivSIOp):
    _OP_HANDLERS[_k] = _int_binary
for _k in (arith.AddfOp, arith.SubfOp, arith.MulfOp, arith.DivfOp, arith.MaximumfOp,
           arith.MinimumfOp, arith.MaxnumfOp, arith.MinnumfOp):
    _OP_HANDLERS[_k] = _float_binary
for _k in (arith.IndexCastOp, arith.SIToFPOp, arith.UIToFPOp, arith.FPToSIOp,
           arith.FPToUIOp, arith.ExtFOp, arith.TruncFOp, arith.ExtSIOp, arith.ExtUIOp,
           arith.TruncIOp, arith.BitcastOp):
    _OP_HANDLERS[_k] = _cast
for _k in (*_LIBM, *_MATH_INTRINSIC, mathd.RsqrtOp):
    _OP_HANDLERS[_k] = _math


def _register_memory() -> None:
    from ck.lowering.targets import llvm_memory

    _OP_HANDLERS.update(llvm_memory.HANDLERS)  # type: ignore[arg-type]


_register_memory()


# ------------------------------------------------------------------ entry points


def emit_llvm(module: ModuleOp, *, isa: str = "", runtime_header: str = "ck_runtime.h",
              avx512bf16: bool = False, fp_contract: bool = False) -> str:
    """LLVM IR text for a simd-level module. `isa` is for functions without simd.isa (as
    emit_c's); `runtime_header` is accepted for emit_c's signature and unused (runtime
    functions are declared from the IR); `avx512bf16`: simd.dot_bf16 as vdpbf16ps (the C
    build's -mavx512bf16), else the FMA sequence C uses without it; `fp_contract`: let LLVM
    fuse multiplies and adds (see the module docstring)."""
    del runtime_header
    return ModuleEmitter(module, isa, avx512bf16, fp_contract).emit()


@dataclass(frozen=True)
class LLVMTarget(Target):
    """`-t llvm`: LLVM IR text. Options: `isa` (for functions without simd.isa),
    `avx512bf16` (simd.dot_bf16 as the AVX512-BF16 instruction), `fp_contract`."""

    name = "llvm"
    isa: str = ""
    avx512bf16: bool = False
    fp_contract: bool = False

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        output.write(emit_llvm(module, isa=self.isa, avx512bf16=self.avx512bf16, fp_contract=self.fp_contract))


__all__ = ["ISA_FEATURES", "X86_CPU", "LLVMEmitError", "LLVMTarget", "emit_llvm"]
