"""The `c` target: print simd-level IR as readable C (`ck-translate FILE -t c`).

One C function per `func.func`, one statement per op, variables named after the
SSA name hints (`%acc` -> `acc`), `ck.comment` attributes as `/* ... */` above
the statement. This is the only place in ck that produces C text.

Input: builtin.module of func (func/call/return), scf (for/if/yield), arith,
math and memref (load/store/dim) on scalars, and simd ops on builtin vectors
(lowered per ISA in c_simd.py; helpers in c_prelude.py). Anything else is an
error naming the op and where it is.

C ABI (other code relies on it):
- A memref argument (identity layout, row-major) is a pointer to its element type,
  followed by one `int64_t` per dynamic dimension, in dimension order, named
  `<arg>_d<dim>`. `memref<?x64xi8> %wq` -> `const int8_t *wq, int64_t wq_d0`. The
  pointer is `const` when neither the function nor any function it passes the
  pointer to stores through it, and `restrict` only when the argument carries the
  `llvm.noalias` unit attribute.
- Element types: f32 float, f64 double, f16 _Float16, bf16 uint16_t (raw bits),
  i1 bool, i8/i16/i32/i64 int8_t..int64_t, index int64_t.
- Vectors are passed and returned by value in their ISA's representation (c_simd.py).
- Public functions have external linkage, private ones are `static`. A body-less
  private `func.func` is a call into the hand-written runtime: an `extern`
  prototype is printed, unless it has the `ck.runtime_abi` unit attribute, in which
  case the runtime header (`runtime_header` option, default "ck_runtime.h")
  declares it and is included.

Integer semantics: iN add/sub/mul/shl wrap (computed in unsigned C types);
`index` arithmetic is plain int64_t arithmetic (assumed not to overflow, as C
array indexing).
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from io import StringIO
from typing import IO

from xdsl.context import Context
from xdsl.dialects import arith, builtin, func, memref, scf
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import (
    BFloat16Type,
    DenseIntOrFPElementsAttr,
    FileLineColLoc,
    Float16Type,
    Float32Type,
    Float64Type,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    ModuleOp,
    NoneAttr,
    Signedness,
    StringAttr,
    VectorType,
)
from xdsl.ir import Attribute, Block, OpResult, Operation, SSAValue
from xdsl.printer import Printer
from xdsl.utils.exceptions import DiagnosticException
from xdsl.utils.target import Target

from ck.dialects import simd
from ck.dialects.simd import RUNTIME_ABI_ATTR
from ck.lowering.provenance import COMMENT_ATTR
from ck.lowering.targets import c_memory, c_simd
from ck.lowering.targets.c_prelude import Prelude

NOALIAS_ATTR = "llvm.noalias"


class CEmitError(DiagnosticException):
    """The module holds something the C target cannot print (names the op and where)."""


# ------------------------------------------------------------------ naming

C_KEYWORDS = frozenset(
    """auto break case char const continue default do double else enum extern float for
    goto if inline int long register restrict return short signed sizeof static struct
    switch typedef union unsigned void volatile while _Bool _Complex _Imaginary _Alignas
    _Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local _Float16 asm typeof""".split()
)
# Names the generated code refers to (library functions, macros, types): a local
# with one of these names would shadow it.
C_RESERVED = C_KEYWORDS | frozenset(
    """bool true false main memcpy int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t
    uint64_t INT32_MIN INT64_MIN INT64_C INFINITY NAN signbit isnan isunordered islessgreater
    expf exp logf log sqrtf sqrt tanhf tanh cosf cos sinf sin powf pow fabsf fabs fmaf fma
    fmaxf fmax fminf fmin rintf rint errno""".split()
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")


def sanitize(hint: str) -> str:
    """A C identifier for an SSA name hint (never reserved, never starting `ck_`/`_`)."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", hint).lstrip("_")
    if not name:
        return ""
    if name[0].isdigit():
        name = "v" + name
    if name in C_RESERVED or name.startswith(("ck_", "_mm", "__")) or name.isupper():
        name += "_"  # ALL_CAPS could be a header macro (INT8_MAX, M_PI, ...)
    return name


# ------------------------------------------------------------------ errors


def _short(op: Operation) -> str:
    text = StringIO()
    try:
        Printer(stream=text).print_op(op)
        line = text.getvalue().strip().split("\n")[0]
    except Exception:  # noqa: BLE001 - describing the op must not fail
        line = op.name
    return line if len(line) <= 160 else line[:157] + "..."


def where(op: Operation) -> str:
    """Where `op` is: source location if known, else function and nesting path."""
    path: list[str] = []
    fn = None
    parent = op.parent_op()
    while parent is not None:
        if isinstance(parent, func.FuncOp):
            fn = parent
            break
        if not isinstance(parent, ModuleOp):
            path.append(parent.name)
        parent = parent.parent_op()
    parts = []
    loc = op.location
    if isinstance(loc, FileLineColLoc):
        parts.append(f"{loc.filename.data}:{loc.line.data}:{loc.column.data}")
    if isinstance(op, func.FuncOp):
        parts.append(f"func @{op.sym_name.data}")
    elif fn is not None:
        parts.append(f"in func @{fn.sym_name.data}")
    if path:
        parts.append("inside " + " > ".join(reversed(path)))
    return ", ".join(parts) or "at module level"


def fail(op: Operation, msg: str) -> CEmitError:
    return CEmitError(f"C target: {msg}\n  op: {_short(op)}\n  at: {where(op)}")


# ------------------------------------------------------------------ C types & literals

_FLOAT_C = {Float32Type: "float", Float64Type: "double", Float16Type: "_Float16", BFloat16Type: "uint16_t"}


def int_width(t: Attribute) -> int | None:
    """Bit width of a signless integer (index: 64), else None."""
    if isinstance(t, IndexType):
        return 64
    if isinstance(t, IntegerType) and t.signedness.data == Signedness.SIGNLESS:
        if t.width.data in (1, 8, 16, 32, 64):
            return t.width.data
    return None


def scalar_ctype(t: Attribute) -> str | None:
    if type(t) in _FLOAT_C:
        return _FLOAT_C[type(t)]
    w = int_width(t)
    if w == 1:
        return "bool"
    if w is not None:
        return f"int{w}_t"
    return None


def _utype(t: Attribute) -> str:
    return f"uint{int_width(t)}_t"


def int_literal(value: int, t: Attribute) -> str:
    w = int_width(t)
    assert w is not None
    if w == 1:
        return "true" if value & 1 else "false"
    value &= (1 << w) - 1
    if value >= 1 << (w - 1):
        value -= 1 << w
    if w == 64:
        if value == -(1 << 63):
            return "INT64_MIN"
        if not -(1 << 31) <= value < 1 << 31:
            return f"INT64_C({value})"
    if w == 32 and value == -(1 << 31):
        return "INT32_MIN"
    return str(value)


def _shortest_f32(x: float) -> str:
    packed = struct.pack("<f", x)
    for digits in range(1, 10):
        s = f"{x:.{digits}g}"
        try:
            if struct.pack("<f", float(s)) == packed:
                return repr(float(s))  # Python's style: 10.0, 0.1, 1e-06, 3.4028235e+38
        except OverflowError:  # rounded past FLT_MAX
            continue
    return repr(x)


def _c_float(s: str) -> str:
    """Make a decimal a C floating literal (needs '.' or an exponent)."""
    return s if any(c in s for c in ".en") else s + ".0"


def float_literal(x: float, t: Attribute) -> str:
    """A C expression of type `t` with exactly the value x (bf16: its raw bits)."""
    if isinstance(t, BFloat16Type):
        return f"(uint16_t)0x{bf16_bits(x):04X}"
    if math.isnan(x):
        body = "NAN"
    elif math.isinf(x):
        body = "INFINITY" if x > 0 else "-INFINITY"
    elif isinstance(t, Float64Type):
        return _c_float(repr(x))
    else:
        body = _c_float(_shortest_f32(x)) + "f"
    if isinstance(t, Float64Type):
        return f"(double){body}"
    if isinstance(t, Float16Type):
        return f"(_Float16){body}"
    return body


def f16_bits(x: float) -> int:
    return struct.unpack("<H", struct.pack("<e", x))[0]


def bf16_bits(x: float) -> int:
    """bf16 bits of x, rounded to nearest even (as ck_f32_to_bf16)."""
    u = struct.unpack("<I", struct.pack("<f", x))[0]
    if math.isnan(x):
        return (u >> 16) | 0x40
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16) & 0xFFFF


# ------------------------------------------------------------------ module level


@dataclass
class FuncInfo:
    op: func.FuncOp
    cname: str
    isa: str | None
    writes: set[int] = field(default_factory=set[int])


def _isa_of(op: Operation, default: str | None) -> str | None:
    own = op.attributes.get(simd.ISA_ATTR_NAME)
    if isinstance(own, simd.IsaAttr):
        return own.isa.data
    found = simd.enclosing_isa(op)
    return found[0].isa.data if found is not None else default


class ModuleEmitter:
    """Emits a whole module: header, includes, prelude, prototypes, functions."""

    def __init__(self, module: ModuleOp, default_isa: str | None, runtime_header: str):
        self.module = module
        self.default_isa = default_isa or None
        self.runtime_header = runtime_header
        self.prelude = Prelude()
        self.funcs: dict[str, FuncInfo] = {}
        taken: set[str] = set()
        for op in module.ops:
            if not isinstance(op, func.FuncOp):
                raise fail(op, f"unsupported top-level op '{op.name}' (only func.func)")
            sym = op.sym_name.data
            public = op.sym_visibility is None or op.sym_visibility.data == "public"
            if op.is_declaration or public:  # exported or runtime symbols keep their names: they are ABI
                if not _IDENT.match(sym) or sym in C_RESERVED:
                    what = "runtime" if op.is_declaration else "exported"
                    raise fail(op, f"{what} function @{sym} is not a usable C identifier")
                cname = sym
            else:
                cname = sanitize(sym) or "fn"
                while cname in taken:
                    cname += "_"
            taken.add(cname)
            self.funcs[sym] = FuncInfo(op, cname, _isa_of(op, self.default_isa))
        self.global_names = frozenset(taken)
        self._stores()

    def _stores(self) -> None:
        """Which memref arguments each function (transitively) writes through."""
        calls: dict[str, list[func.CallOp]] = {s: [] for s in self.funcs}
        for sym, info in self.funcs.items():
            if info.op.is_declaration:
                info.writes = {
                    i for i, t in enumerate(info.op.function_type.inputs.data) if isinstance(t, MemRefType)
                }
                continue
            args = list(info.op.body.block.args)
            for op in info.op.walk():
                base = None
                if isinstance(op, memref.StoreOp):
                    base = op.memref
                elif isinstance(op, simd.StoreOp):
                    base = op.base
                elif isinstance(op, func.CallOp):
                    calls[sym].append(op)
                if base is not None:
                    base = c_memory.root_buffer(base)
                if base is not None and base in args:
                    info.writes.add(args.index(base))
        changed = True
        while changed:
            changed = False
            for sym, info in self.funcs.items():
                if info.op.is_declaration:
                    continue
                args = list(info.op.body.block.args)
                for call in calls[sym]:
                    callee = self.funcs.get(call.callee.root_reference.data)
                    if callee is None:
                        raise fail(call, f"call to unknown function {call.callee}")
                    for j, operand in enumerate(call.arguments):
                        operand = c_memory.root_buffer(operand)
                        if j in callee.writes and operand in args:
                            i = args.index(operand)
                            if i not in info.writes:
                                info.writes.add(i)
                                changed = True

    def param_decls(self, info: FuncInfo, names: Sequence[tuple[str, list[str]]] | None) -> list[str]:
        """C parameter list; `names` gives (name, dynamic-dim names) per argument."""
        f = info.op
        out: list[str] = []
        arg_attrs = f.arg_attrs.data if f.arg_attrs is not None else ()
        for i, t in enumerate(f.function_type.inputs.data):
            nm, dims = (names[i] if names is not None else ("", []))
            sep = " " if nm else ""
            if isinstance(t, MemRefType):
                elem = scalar_ctype(t.element_type)
                if elem is None:
                    raise fail(f, f"memref element type {t.element_type} has no C type")
                if not isinstance(t.layout, NoneAttr):
                    raise fail(f, f"memref {t} has a non-identity layout (only row-major)")
                const = "" if i in info.writes else "const "
                attrs = arg_attrs[i].data if i < len(arg_attrs) else {}
                restrict = "restrict " if NOALIAS_ATTR in attrs else ""
                out.append(f"{const}{elem} *{restrict}{nm}".rstrip())
                n_dyn = sum(1 for d in t.get_shape() if d < 0)
                for k in range(n_dyn):
                    out.append(f"int64_t{sep}{dims[k] if names is not None else ''}")
            else:
                out.append(f"{self.value_ctype(t, info.isa, f)}{sep}{nm}")
        return out or ["void"]

    def value_ctype(self, t: Attribute, isa: str | None, where_op: Operation) -> str:
        c = scalar_ctype(t)
        if c is not None:
            return c
        if isinstance(t, VectorType):
            try:
                return c_simd.vec_repr(t, isa).ctype(self.prelude)
            except c_simd.SimdEmitError as e:
                raise fail(where_op, str(e)) from None
        raise fail(where_op, f"type {t} has no C representation here")

    def ret_ctype(self, info: FuncInfo) -> str:
        outs = info.op.function_type.outputs.data
        if len(outs) > 1:
            raise fail(info.op, "functions with more than one result are not supported")
        return self.value_ctype(outs[0], info.isa, info.op) if outs else "void"

    def emit(self) -> str:
        bodies: list[str] = []
        externs: list[str] = []
        forward: list[str] = []
        uses_runtime_header = False
        x86 = False
        defined: set[str] = set()
        called_before_def: set[str] = set()
        called: set[str] = set()
        for sym, info in self.funcs.items():
            if not info.op.is_declaration:
                for op in info.op.walk():
                    if isinstance(op, func.CallOp):
                        callee = op.callee.root_reference.data
                        called.add(callee)
                        if callee not in defined and not self.funcs[callee].op.is_declaration:
                            called_before_def.add(callee)
                defined.add(sym)
        for sym, info in self.funcs.items():
            f = info.op
            if info.isa in ("avx512", "avx2"):
                x86 = True
            if f.is_declaration:
                if RUNTIME_ABI_ATTR in f.attributes:
                    uses_runtime_header = True
                    continue
                proto = f"extern {self.ret_ctype(info)} {info.cname}({', '.join(self.param_decls(info, None))});"
                externs += _comment_lines(f, "") + [proto]
                continue
            fe = FunctionEmitter(self, info)
            text = fe.emit(static_unused=sym not in called)
            bodies.append(text)
            if sym in called_before_def:
                forward.append(fe.signature + ";")
        head = self._header(x86, uses_runtime_header)
        parts = head + self.prelude.render()
        if externs:
            parts += ["/* Runtime functions (hand-written C in runtime_c/). */", *externs, ""]
        if forward:
            parts += [*forward, ""]
        return "\n".join(parts) + "\n" + "\n\n".join(bodies) + ("\n" if bodies else "")

    def _header(self, x86: bool, runtime: bool) -> list[str]:
        mod = self.module
        name = mod.sym_name.data if mod.sym_name is not None else None
        what = f"module @{name}" if name else "an unnamed builtin.module"
        fns = [
            f"{info.cname}{f' [{info.isa}]' if info.isa else ''}"
            for info in self.funcs.values()
            if not info.op.is_declaration
        ]
        lines = [
            f"/* Generated by ck (the `c` target of ck-translate) from simd-level IR: {what}.",
            f"   Functions: {', '.join(fns) if fns else '(none)'}.",
            "   Do not edit: change the IR or the lowering and regenerate. */",
            "#include <math.h>",
            "#include <stdbool.h>",
            "#include <stdint.h>",
            "#include <string.h>",
        ]
        if x86:
            lines.append("#include <immintrin.h>")
        if runtime:
            lines.append(f'#include "{self.runtime_header}"')
        lines.append("")
        return lines


def _comment_lines(op: Operation, indent: str) -> list[str]:
    c = op.attributes.get(COMMENT_ATTR)
    if not isinstance(c, StringAttr):
        return []
    text = c.data.replace("*/", "* /")
    rows = text.split("\n")
    if len(rows) == 1:
        return [f"{indent}/* {rows[0]} */"]
    return [f"{indent}/* {rows[0]}", *(f"{indent}   {r}" for r in rows[1:-1]), f"{indent}   {rows[-1]} */"]


# ------------------------------------------------------------------ one function


_ATOM = re.compile(r"[A-Za-z_][A-Za-z0-9_.\[\]]*$|[0-9][0-9A-Za-z_.+]*$|INT64_C\(-?[0-9]+\)$")


@dataclass
class MemrefInfo:
    ptr: str
    dims: list[str]  # per dimension: a literal, or the name of the size parameter
    type: MemRefType


class FunctionEmitter:
    """Emits one func.func; the simd handlers (c_simd.py) call back into it."""

    def __init__(self, mod: ModuleEmitter, info: FuncInfo):
        self.mod = mod
        self.info = info
        self.prelude = mod.prelude
        self.lines: list[str] = []
        self.depth = 1
        self.names: dict[SSAValue, str] = {}
        self.variables: set[str] = set()
        self.scopes: list[set[str]] = [set()]
        self.read: set[str] = set()
        self.const_int: dict[SSAValue, int] = {}
        self.memrefs: dict[SSAValue, MemrefInfo] = {}
        self.counter = 0
        self.signature = ""

    # -- names and lines

    def _visible(self, name: str) -> bool:
        return name in self.mod.global_names or any(name in s for s in self.scopes)

    def new_name(self, hint: str | None, default: str = "v") -> str:
        base = sanitize(hint or "")
        if not base:
            base = f"{default}{self.counter}"
            self.counter += 1
        name, k = base, 1
        while self._visible(name):
            name = f"{base}_{k}"
            k += 1
        self.scopes[-1].add(name)
        return name

    def line(self, text: str) -> None:
        self.lines.append("  " * self.depth + text)

    def stmt(self, text: str) -> None:
        self.line(text)

    def open(self, head: str) -> None:
        self.line(head + " {")
        self.depth += 1
        self.scopes.append(set())

    def reopen(self, head: str) -> None:
        """`} head {`: end the current block and start the next (else branches)."""
        self.depth -= 1
        self.scopes[-1] = set()
        self.line("} " + head + " {")
        self.depth += 1

    def close(self, tail: str = "}") -> None:
        self.depth -= 1
        self.scopes.pop()
        self.line(tail)

    # -- values

    def ctype(self, v: SSAValue | Attribute, op: Operation | None = None) -> str:
        t = v.type if isinstance(v, SSAValue) else v
        where_op = op or (v.owner if isinstance(v, SSAValue) and isinstance(v.owner, Operation) else self.info.op)
        return self.mod.value_ctype(t, self.info.isa, where_op)

    def expr(self, v: SSAValue) -> str:
        name = self.names.get(v)
        if name is None:
            owner = v.owner
            op = owner if isinstance(owner, Operation) else self.info.op
            raise fail(op, f"a {v.type} value is used where the C target has no C value for it")
        self.read.add(name)
        return name

    def atom(self, v: SSAValue) -> str:
        e = self.expr(v)
        return e if _ATOM.match(e) else f"({e})"

    def define(self, v: SSAValue, rhs: str) -> str:
        name = self.new_name(v.name_hint)
        self.line(f"{self.ctype(v)} {name} = {rhs};")
        self.names[v] = name
        self.variables.add(name)
        return name

    def declare(self, v: SSAValue) -> str:
        name = self.new_name(v.name_hint)
        self.line(f"{self.ctype(v)} {name};")
        self.names[v] = name
        self.variables.add(name)
        return name

    def alias(self, v: SSAValue, expr: str) -> None:
        """`v` is the C expression `expr` (a literal or a parameter): no statement."""
        self.names[v] = expr

    def memref(self, v: SSAValue, op: Operation) -> MemrefInfo:
        info = self.memrefs.get(v)
        if info is None:
            raise fail(op, "memrefs must be function arguments (no alloc, subview or casts here)")
        return info

    def element(self, base: SSAValue, indices: Sequence[SSAValue], op: Operation) -> str:
        """`ptr[linear index]` for a row-major access."""
        info = self.memref(base, op)
        self.read.add(info.ptr)
        if not indices:
            return f"{info.ptr}[0]"
        lin, lin_c = self.expr(indices[0]), self.const_int.get(indices[0])
        for idx, dim in zip(indices[1:], info.dims[1:], strict=True):
            if not dim.isdigit():
                self.read.add(dim)
            if lin_c is not None and dim.isdigit():
                lin_c *= int(dim)
                lin = str(lin_c)
            elif lin_c == 0 or dim == "1":
                pass
            elif lin_c == 1:
                lin, lin_c = dim, None
            else:
                lin = f"{lin if _ATOM.match(lin) or ' * ' in lin and ' + ' not in lin else f'({lin})'} * {dim}"
                lin_c = None
            ic = self.const_int.get(idx)
            if ic == 0:
                continue
            if lin_c == 0:
                lin, lin_c = self.expr(idx), ic
            elif lin_c is not None and ic is not None:
                lin_c += ic
                lin = str(lin_c)
            else:
                lin = f"{lin} + {self.atom(idx)}"
                lin_c = None
        return f"{info.ptr}[{lin}]"

    # -- function

    def emit(self, static_unused: bool) -> str:
        f = self.info.op
        block = f.body.block
        names: list[tuple[str, list[str]]] = []
        for i, arg in enumerate(block.args):
            nm = self.new_name(arg.name_hint, "arg")
            self.names[arg] = nm
            self.variables.add(nm)
            dims: list[str] = []
            if isinstance(arg.type, MemRefType):
                all_dims: list[str] = []
                for d, size in enumerate(arg.type.get_shape()):
                    if size < 0:
                        dn = self.new_name(f"{nm}_d{d}")
                        dims.append(dn)
                        all_dims.append(dn)
                    else:
                        all_dims.append(str(size))
                self.memrefs[arg] = MemrefInfo(nm, all_dims, arg.type)
            elif scalar_ctype(arg.type) is None and not isinstance(arg.type, VectorType):
                raise fail(f, f"argument {i} has type {arg.type}, which has no C type")
            names.append((nm, dims))
        params = self.mod.param_decls(self.info, names)
        ret = self.mod.ret_ctype(self.info)
        private = f.sym_visibility is not None and f.sym_visibility.data == "private"
        storage = ""
        if private:
            storage = "__attribute__((unused)) static " if static_unused else "static "
        self.signature = f"{storage}{ret} {self.info.cname}({', '.join(params)})"
        self.emit_block(block, None)
        unused = []
        for nm, dims in names:
            for p in (nm, *dims):
                if p not in self.read:
                    unused.append(f"  (void){p};")
        out = _comment_lines(f, "") + [self.signature + " {"]
        return "\n".join(out + unused + self.lines + ["}"])

    def emit_block(self, block: Block, on_yield: Callable[[scf.YieldOp], None] | None) -> None:
        for op in block.ops:
            for c in _comment_lines(op, "  " * self.depth):
                self.lines.append(c)
            if isinstance(op, scf.YieldOp):
                if on_yield is None:
                    raise fail(op, "scf.yield outside scf.for / scf.if")
                on_yield(op)
                continue
            self.emit_op(op)
            for r in op.results:
                name = self.names.get(r)
                if name in self.variables and not self._read_later(r):
                    self.line(f"(void){name};")

    def _read_later(self, r: SSAValue) -> bool:
        """Is the C variable of result `r` read (by r's users, or as a loop-carried value)?"""
        if r.uses:
            return True
        owner = r.owner
        if isinstance(owner, scf.ForOp) and isinstance(r, OpResult):
            carried = owner.body.block.args[1 + r.index]
            return any(not isinstance(u.operation, scf.YieldOp) or u.index != r.index for u in carried.uses)
        return False

    def emit_op(self, op: Operation) -> None:
        handler = _OP_HANDLERS.get(type(op))
        if handler is not None:
            handler(self, op)
            return
        if op.name.startswith("simd."):
            try:
                c_simd.emit_simd_op(self, op, self.info.isa if self.info.isa else None)
            except c_simd.SimdEmitError as e:
                raise fail(op, str(e)) from None
            return
        raise fail(op, f"no C lowering for '{op.name}'")


# ------------------------------------------------------------------ op handlers


def _func_return(fe: FunctionEmitter, op: func.ReturnOp) -> None:
    if len(op.arguments) > 1:
        raise fail(op, "returning more than one value is not supported")
    if op.arguments:
        fe.line(f"return {fe.expr(op.arguments[0])};")
    elif op.parent_block() is not fe.info.op.body.block:
        fe.line("return;")


def _func_call(fe: FunctionEmitter, op: func.CallOp) -> None:
    callee = fe.mod.funcs.get(op.callee.root_reference.data)
    if callee is None:
        raise fail(op, f"call to unknown function {op.callee}")
    for v in (*op.arguments, *op.res):
        if isinstance(v.type, VectorType):
            ours = fe.mod.value_ctype(v.type, fe.info.isa, op)
            theirs = fe.mod.value_ctype(v.type, callee.isa, op)
            if ours != theirs:
                raise fail(op, f"{v.type} is {ours} here ({fe.info.isa}) but {theirs} in "
                               f"@{op.callee.root_reference.data} ({callee.isa})")
    args: list[str] = []
    for v in op.arguments:
        if isinstance(v.type, MemRefType):
            info = fe.memref(v, op)
            fe.read.add(info.ptr)
            args.append(info.ptr)
            for d, size in zip(info.dims, info.type.get_shape(), strict=True):
                if size < 0:
                    fe.read.add(d)
                    args.append(d)
        else:
            args.append(fe.expr(v))
    call = f"{callee.cname}({', '.join(args)})"
    if len(op.res) > 1:
        raise fail(op, "calls with more than one result are not supported")
    if op.res and op.res[0].uses:
        fe.define(op.res[0], call)
    else:
        fe.line(call + ";")


def _scf_for(fe: FunctionEmitter, op: scf.ForOp) -> None:
    lb, ub, step = fe.expr(op.lb), fe.atom(op.ub), fe.atom(op.step)
    body = op.body.block
    iv, carried = body.args[0], body.args[1:]
    vars_: list[str] = []
    for res, arg, init in zip(op.res, carried, op.iter_args, strict=True):
        name = fe.new_name(arg.name_hint or res.name_hint, "acc")
        fe.line(f"{fe.ctype(res, op)} {name} = {fe.expr(init)};")
        fe.names[res] = fe.names[arg] = name
        fe.variables.add(name)
        vars_.append(name)
    it = fe.ctype(iv, op)
    fe.scopes.append(set())  # the induction variable's scope
    i = fe.new_name(iv.name_hint, "i")
    fe.names[iv] = i
    inc = f"++{i}" if fe.const_int.get(op.step) == 1 else f"{i} += {step}"
    fe.line(f"for ({it} {i} = {lb}; {i} < {ub}; {inc}) {{")
    fe.depth += 1

    def on_yield(y: scf.YieldOp) -> None:
        _assign_parallel(fe, vars_, list(y.arguments))

    fe.emit_block(body, on_yield)
    fe.depth -= 1
    fe.scopes.pop()
    fe.line("}")


def _assign_parallel(fe: FunctionEmitter, targets: list[str], values: list[SSAValue]) -> None:
    """targets[i] = values[i] for all i at once (a value may be another target)."""
    moves = [(t, v) for t, v in zip(targets, values, strict=True) if fe.names.get(v) != t]
    sources = {fe.names.get(v) for _, v in moves}
    if any(t in sources for t, _ in moves):
        temps = []
        for t, v in moves:
            tmp = fe.new_name(f"next_{t}")
            fe.line(f"{fe.ctype(v)} {tmp} = {fe.expr(v)};")
            temps.append((t, tmp))
        for t, tmp in temps:
            fe.line(f"{t} = {tmp};")
        return
    for t, v in moves:
        fe.line(f"{t} = {fe.expr(v)};")


def _scf_if(fe: FunctionEmitter, op: scf.IfOp) -> None:
    cond = fe.expr(op.cond)
    vars_: list[str] = []
    for res in op.output:
        name = fe.declare(res)
        vars_.append(name)

    def on_yield(y: scf.YieldOp) -> None:
        for t, v in zip(vars_, y.arguments, strict=True):
            fe.line(f"{t} = {fe.expr(v)};")

    fe.open(f"if ({cond})")
    fe.emit_block(op.true_region.block, on_yield)
    if op.false_region.blocks:
        else_ops = list(op.false_region.block.ops)
        empty = all(isinstance(o, scf.YieldOp) and not o.arguments for o in else_ops)
        if not empty or any(COMMENT_ATTR in o.attributes for o in else_ops):
            fe.reopen("else")
            fe.emit_block(op.false_region.block, on_yield)
    fe.close()


# -- arith


def _constant(fe: FunctionEmitter, op: arith.ConstantOp) -> None:
    v, t = op.value, op.result.type
    if isinstance(v, IntegerAttr) and int_width(t) is not None:
        fe.const_int[op.result] = v.value.data
        fe.alias(op.result, int_literal(v.value.data, t))
        return
    if isinstance(v, FloatAttr) and type(t) in _FLOAT_C:
        fe.alias(op.result, float_literal(v.value.data, t))
        return
    if isinstance(v, DenseIntOrFPElementsAttr) and isinstance(t, VectorType):
        try:
            rep = c_simd.vec_repr(t, fe.info.isa)
        except c_simd.SimdEmitError as e:
            raise fail(op, str(e)) from None
        et = t.element_type
        raw = list(v.get_values())
        if isinstance(et, Float16Type) and rep.x86:
            vals = [f"0x{f16_bits(x):04X}" for x in raw]
        elif isinstance(et, BFloat16Type):
            vals = [f"0x{bf16_bits(x):04X}" for x in raw]
        elif type(et) in _FLOAT_C:
            vals = [float_literal(x, et) for x in raw]
        else:
            vals = [int_literal(int(x), et) for x in raw]
        splat = v.is_splat()
        name_hint = sanitize(op.result.name_hint or "") or "k"
        rhs = c_simd.vector_constant(fe, rep, vals[:1] if splat else vals, splat, name_hint)
        fe.define(op.result, rhs)
        return
    raise fail(op, f"constant {v} of type {t} is not supported (scalars and dense vector constants)")


def _check_scalar(op: Operation) -> None:
    for v in (*op.operands, *op.results):
        if isinstance(v.type, VectorType | builtin.TensorType | MemRefType):
            raise fail(op, f"'{op.name}' on {v.type}: arith/math ops are emitted for scalars only "
                           "(vector math goes through simd ops)")


def _int_binary(fe: FunctionEmitter, op: Operation) -> None:
    _check_scalar(op)
    t = op.results[0].type
    w = int_width(t)
    if w is None:
        raise fail(op, f"'{op.name}' on {t} is not supported")
    a, b = fe.atom(op.operands[0]), fe.atom(op.operands[1])
    st, ut = scalar_ctype(t), _utype(t)
    index = isinstance(t, IndexType)
    kind = type(op)
    if w == 1:
        logic = {arith.AndIOp: "&", arith.OrIOp: "|", arith.XOrIOp: "^", arith.AddiOp: "^",
                 arith.SubiOp: "^", arith.MuliOp: "&"}.get(kind)
        if logic is None:
            raise fail(op, f"'{op.name}' on i1 is not supported")
        fe.define(op.results[0], f"{a} {logic} {b}")
        return
    wrap = {arith.AddiOp: "+", arith.SubiOp: "-", arith.MuliOp: "*"}
    if kind in wrap:
        sym = wrap[kind]
        if index:
            rhs = f"{a} {sym} {b}"
        elif w <= 16:
            rhs = f"({st})({a} {sym} {b})"
        else:
            rhs = f"({st})(({ut}){a} {sym} ({ut}){b})"
    elif kind is arith.DivSIOp:
        rhs = f"{a} / {b}"
    elif kind is arith.RemSIOp:
        rhs = f"{a} % {b}"
    elif kind is arith.DivUIOp:
        rhs = f"({st})(({ut}){a} / ({ut}){b})"
    elif kind is arith.RemUIOp:
        rhs = f"({st})(({ut}){a} % ({ut}){b})"
    elif kind in (arith.FloorDivSIOp, arith.CeilDivSIOp):
        helper = fe.prelude.use("ck_floordivsi" if kind is arith.FloorDivSIOp else "ck_ceildivsi")
        rhs = f"{helper}({a}, {b})" if w == 64 else f"({st}){helper}({a}, {b})"
    elif kind is arith.MinSIOp:
        rhs = f"{a} < {b} ? {a} : {b}"
    elif kind is arith.MaxSIOp:
        rhs = f"{a} > {b} ? {a} : {b}"
    elif kind is arith.MinUIOp:
        rhs = f"({ut}){a} < ({ut}){b} ? {a} : {b}"
    elif kind is arith.MaxUIOp:
        rhs = f"({ut}){a} > ({ut}){b} ? {a} : {b}"
    elif kind in (arith.AndIOp, arith.OrIOp, arith.XOrIOp):
        sym = {arith.AndIOp: "&", arith.OrIOp: "|", arith.XOrIOp: "^"}[kind]
        rhs = f"{a} {sym} {b}" if w >= 32 else f"({st})({a} {sym} {b})"
    elif kind is arith.ShLIOp:
        rhs = f"({st})(({ut}){a} << {b})"
    elif kind is arith.ShRSIOp:
        rhs = f"{a} >> {b}"
    elif kind is arith.ShRUIOp:
        rhs = f"({st})(({ut}){a} >> {b})"
    else:  # pragma: no cover - table and handlers agree
        raise fail(op, f"no C lowering for '{op.name}'")
    fe.define(op.results[0], rhs)


_CMPI = {0: "==", 1: "!=", 2: "<", 3: "<=", 4: ">", 5: ">=", 6: "<", 7: "<=", 8: ">", 9: ">="}


def _cmpi(fe: FunctionEmitter, op: arith.CmpiOp) -> None:
    _check_scalar(op)
    p = op.predicate.value.data
    t = op.lhs.type
    a, b = fe.atom(op.lhs), fe.atom(op.rhs)
    if p >= 6 and int_width(t) != 1:
        ut = _utype(t)
        a, b = f"({ut}){a}", f"({ut}){b}"
    elif p >= 6:  # i1 unsigned: false < true
        pass
    elif int_width(t) == 1:  # i1 signed: true (-1) < false (0)
        a, b = f"-(int){a}", f"-(int){b}"
    fe.define(op.result, f"{a} {_CMPI[p]} {b}")


def _fval(fe: FunctionEmitter, v: SSAValue) -> str:
    """The value as a C float/double expression (bf16 widened)."""
    if isinstance(v.type, BFloat16Type):
        return f"{fe.prelude.use('ck_bf16_to_f32')}({fe.expr(v)})"
    return fe.atom(v)


def _fres(fe: FunctionEmitter, t: Attribute, rhs: str) -> str:
    """Narrow a float expression to type t (bf16: round to nearest even)."""
    if isinstance(t, BFloat16Type):
        return f"{fe.prelude.use('ck_f32_to_bf16')}({rhs})"
    if isinstance(t, Float16Type):
        return f"(_Float16)({rhs})"
    return rhs


def _cmpf(fe: FunctionEmitter, op: arith.CmpfOp) -> None:
    _check_scalar(op)
    p = op.predicate.value.data
    a, b = _fval(fe, op.lhs), _fval(fe, op.rhs)
    rhs = {
        0: "false",
        1: f"{a} == {b}",
        2: f"{a} > {b}",
        3: f"{a} >= {b}",
        4: f"{a} < {b}",
        5: f"{a} <= {b}",
        6: f"islessgreater({a}, {b})",
        7: f"!isunordered({a}, {b})",
        8: f"!islessgreater({a}, {b})",
        9: f"!({a} <= {b})",
        10: f"!({a} < {b})",
        11: f"!({a} >= {b})",
        12: f"!({a} > {b})",
        13: f"{a} != {b}",
        14: f"isunordered({a}, {b})",
        15: "true",
    }[p]
    fe.define(op.result, rhs)


def _select(fe: FunctionEmitter, op: arith.SelectOp) -> None:
    if isinstance(op.cond.type, VectorType) or isinstance(op.result.type, MemRefType):
        raise fail(op, f"arith.select on {op.result.type} is not supported")
    fe.define(op.result, f"{fe.atom(op.cond)} ? {fe.atom(op.lhs)} : {fe.atom(op.rhs)}")


def _float_binary(fe: FunctionEmitter, op: Operation) -> None:
    _check_scalar(op)
    t = op.results[0].type
    if type(t) not in _FLOAT_C:
        raise fail(op, f"'{op.name}' on {t} is not supported")
    a, b = _fval(fe, op.operands[0]), _fval(fe, op.operands[1])
    kind = type(op)
    sym = {arith.AddfOp: "+", arith.SubfOp: "-", arith.MulfOp: "*", arith.DivfOp: "/"}.get(kind)
    if sym is not None:
        rhs = f"{a} {sym} {b}"
        fe.define(op.results[0], _fres(fe, t, rhs) if isinstance(t, BFloat16Type) else rhs)
        return
    wide = isinstance(t, Float64Type)
    if kind in (arith.MaximumfOp, arith.MinimumfOp):
        base = "ck_maximum" if kind is arith.MaximumfOp else "ck_minimum"
        fn = fe.prelude.use(base if wide else base + "f")
    else:  # maxnumf / minnumf: the non-NaN operand
        fn = ("fmax" if kind is arith.MaxnumfOp else "fmin") + ("" if wide else "f")
    rhs = f"{fn}({a}, {b})"
    fe.define(op.results[0], rhs if isinstance(t, Float32Type | Float64Type) else _fres(fe, t, rhs))


def _negf(fe: FunctionEmitter, op: arith.NegfOp) -> None:
    _check_scalar(op)
    if isinstance(op.result.type, BFloat16Type):
        fe.define(op.result, f"(uint16_t)({fe.atom(op.operand)} ^ 0x8000u)")
    else:
        fe.define(op.result, f"-{fe.atom(op.operand)}")


def _cast(fe: FunctionEmitter, op: Operation) -> None:
    _check_scalar(op)
    src, dst = op.operands[0], op.results[0]
    st, dt = src.type, dst.type
    a = fe.atom(src)
    dct = scalar_ctype(dt)
    kind = type(op)
    sw, dw = int_width(st), int_width(dt)
    rhs: str | None = None
    if kind is arith.IndexCastOp or kind is arith.ExtSIOp or kind is arith.TruncIOp:
        if dw == 1:
            rhs = f"({a} & 1) != 0"
        elif sw == 1 and kind is not arith.TruncIOp:
            rhs = f"({dct})-(int){a}"  # i1 true is -1 when sign-extended
        else:
            rhs = f"({dct}){a}"
    elif kind is arith.ExtUIOp:
        if dw == 1:
            rhs = f"({a} & 1) != 0"
        elif sw == 1:
            rhs = f"({dct}){a}"
        else:
            rhs = f"({dct})({_utype(st)}){a}"
    elif kind is arith.SIToFPOp:
        wide = "double" if isinstance(dt, Float64Type) else "float"
        inner = f"({wide})-(int){a}" if sw == 1 else f"({wide}){a}"
        rhs = _fres(fe, dt, inner) if isinstance(dt, BFloat16Type | Float16Type) else inner
    elif kind is arith.UIToFPOp:
        wide = "double" if isinstance(dt, Float64Type) else "float"
        inner = f"({wide}){a}" if sw == 1 else f"({wide})({_utype(st)}){a}"
        rhs = _fres(fe, dt, inner) if isinstance(dt, BFloat16Type | Float16Type) else inner
    elif kind is arith.FPToSIOp or kind is arith.FPToUIOp:
        if dw == 1:
            raise fail(op, f"'{op.name}' to i1 is not supported")
        f = _fval(fe, src)
        rhs = f"({dct}){f}" if kind is arith.FPToSIOp else f"({dct})({_utype(dt)}){f}"
    elif kind is arith.ExtFOp:
        if isinstance(st, BFloat16Type):
            rhs = _fval(fe, src) if isinstance(dt, Float32Type) else f"({dct}){_fval(fe, src)}"
        else:
            rhs = f"({dct}){a}"
    elif kind is arith.TruncFOp:
        if isinstance(dt, BFloat16Type):
            if not isinstance(st, Float32Type):
                raise fail(op, f"arith.truncf {st} -> bf16 is not supported (only f32 -> bf16)")
            rhs = f"{fe.prelude.use('ck_f32_to_bf16')}({fe.expr(src)})"
        else:
            rhs = f"({dct}){a}"
    elif kind is arith.BitcastOp:
        if isinstance(st, BFloat16Type) or isinstance(dt, BFloat16Type):
            rhs = f"({dct}){a}"  # bf16 is already its raw bits
        else:
            src_c = fe.expr(src)
            if src_c not in fe.variables:  # a literal: bitcast a compound literal
                src_c = f"({scalar_ctype(st)}){{{src_c}}}"
            name = fe.declare(dst)
            fe.line(f"memcpy(&{name}, &{src_c}, sizeof {name});")
            return
    if rhs is None:  # pragma: no cover
        raise fail(op, f"no C lowering for '{op.name}'")
    fe.define(dst, rhs)


# -- math

_MATH_F32 = {
    mathd.ExpOp: "expf", mathd.LogOp: "logf", mathd.SqrtOp: "sqrtf", mathd.TanhOp: "tanhf",
    mathd.CosOp: "cosf", mathd.SinOp: "sinf", mathd.PowFOp: "powf", mathd.AbsFOp: "fabsf",
    mathd.FmaOp: "fmaf",
}


def _math(fe: FunctionEmitter, op: Operation) -> None:
    _check_scalar(op)
    t = op.results[0].type
    if type(t) not in _FLOAT_C:
        raise fail(op, f"'{op.name}' on {t} is not supported")
    wide = isinstance(t, Float64Type)
    args = [_fval(fe, v) for v in op.operands]
    if isinstance(op, mathd.RsqrtOp):
        rhs = f"1.0 / sqrt({args[0]})" if wide else f"1.0f / sqrtf({args[0]})"
    else:
        fn = _MATH_F32[type(op)]
        rhs = f"{fn[:-1] if wide else fn}({', '.join(args)})"
    fe.define(op.results[0], rhs if isinstance(t, Float32Type | Float64Type) else _fres(fe, t, rhs))


# -- memref


def _mem_load(fe: FunctionEmitter, op: memref.LoadOp) -> None:
    fe.define(op.res, fe.element(op.memref, op.indices, op))


def _mem_store(fe: FunctionEmitter, op: memref.StoreOp) -> None:
    fe.line(f"{fe.element(op.memref, op.indices, op)} = {fe.expr(op.value)};")


def _mem_alloca(fe: FunctionEmitter, op: memref.AllocaOp) -> None:
    """A statically shaped scratch buffer local to the function: a C array on the stack,
    64-byte aligned (one vector register)."""
    typ = op.memref.type
    assert isinstance(typ, MemRefType)
    shape = typ.get_shape()
    if any(d < 0 for d in shape) or op.dynamic_sizes:
        raise fail(op, f"memref.alloca needs a static shape, got {typ}")
    elem = scalar_ctype(typ.element_type)
    if elem is None:
        raise fail(op, f"memref element type {typ.element_type} has no C type")
    name = fe.new_name(op.memref.name_hint, "buf")
    count = math.prod(shape) if shape else 1
    fe.line(f"{elem} {name}[{count}] __attribute__((aligned(64)));")
    fe.memrefs[op.memref] = MemrefInfo(name, [str(d) for d in shape], typ)


def _mem_dim(fe: FunctionEmitter, op: memref.DimOp) -> None:
    info = fe.memref(op.source, op)
    k = fe.const_int.get(op.index)
    if k is None or not 0 <= k < len(info.dims):
        raise fail(op, "memref.dim needs a constant, in-range dimension index")
    fe.alias(op.result, info.dims[k])


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
for _k in (arith.AddiOp, arith.SubiOp, arith.MuliOp, arith.DivSIOp, arith.DivUIOp, arith.RemSIOp,
           arith.RemUIOp, arith.FloorDivSIOp, arith.CeilDivSIOp, arith.MinSIOp, arith.MaxSIOp,
           arith.MinUIOp, arith.MaxUIOp, arith.AndIOp, arith.OrIOp, arith.XOrIOp, arith.ShLIOp,
           arith.ShRSIOp, arith.ShRUIOp):
    _OP_HANDLERS[_k] = _int_binary
for _k in (arith.AddfOp, arith.SubfOp, arith.MulfOp, arith.DivfOp, arith.MaximumfOp,
           arith.MinimumfOp, arith.MaxnumfOp, arith.MinnumfOp):
    _OP_HANDLERS[_k] = _float_binary
for _k in (arith.IndexCastOp, arith.SIToFPOp, arith.UIToFPOp, arith.FPToSIOp,
           arith.FPToUIOp, arith.ExtFOp, arith.TruncFOp, arith.ExtSIOp, arith.ExtUIOp,
           arith.TruncIOp, arith.BitcastOp):
    _OP_HANDLERS[_k] = _cast
for _k in (*_MATH_F32, mathd.RsqrtOp):
    _OP_HANDLERS[_k] = _math
_OP_HANDLERS.update(c_memory.HANDLERS)  # type: ignore[arg-type]


# ------------------------------------------------------------------ entry points


def emit_c(module: ModuleOp, *, isa: str = "", runtime_header: str = "ck_runtime.h") -> str:
    """The C translation unit for a simd-level module."""
    return ModuleEmitter(module, isa, runtime_header).emit()


@dataclass(frozen=True)
class CTarget(Target):
    """`-t c`: C with intrinsics. Options: `isa` (for functions without simd.isa),
    `runtime_header` (included when a `ck.runtime_abi` function is declared)."""

    name = "c"
    isa: str = ""
    runtime_header: str = "ck_runtime.h"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        output.write(emit_c(module, isa=self.isa, runtime_header=self.runtime_header))


__all__ = ["CEmitError", "CTarget", "emit_c", "sanitize"]
