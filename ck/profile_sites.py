"""The call sites of a profiling build: what each timed call is, costs, and where it is in model.c.

`instrument-kernels` numbers every kernel and barrier call of the entry points; the
runtime's records carry only that number. This table, written at build time as
`sites.json` beside model.c, says for each number which entry point (phase) it is in,
which kernel op it was and the transformer op(s) behind it (`ck.origin`), its layer,
the C function and the line of the call in model.c, and the kernel registry's cost of
one call (bytes moved and flops, linear in the call's token count: `bytes + bytes_per_token
* tokens`, the same for flops, with the fixed-shape decode's at tokens = 1).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, StringAttr

from ck.dialects import kernel as kn
from ck.errors import CkError

PHASES = {"ck_decode": "decode", "ck_prefill": "prefill", "ck_decode_batch": "batch", "ck_train_step": "train",
          "ck_adamw_step": "adamw"}
PEAK_KINDS = ("f32", "int8", "bf16")
_CALL = re.compile(r"^\s*([A-Za-z_]\w*)\(")


@dataclass(frozen=True)
class KernelCost:
    """One kernel op's cost as a function of the tokens of the call, and which peak bounds it."""

    kernel: str
    bytes: int
    bytes_per_token: int
    flops: int
    flops_per_token: int
    peak: str  # one of PEAK_KINDS


@dataclass(frozen=True)
class Site:
    site: int
    phase: str
    function: str  # the entry point
    kind: str  # "kernel" or "barrier"
    kernel: str  # kernel op name ("" for a barrier)
    callee: str  # the simd-level function called
    comment: str
    origin: str  # space-separated transformer.<op>#<N>
    layer: int | None
    c_function: str
    c_line: int
    bytes: int
    bytes_per_token: int
    flops: int
    flops_per_token: int
    peak: str

    @property
    def op(self) -> str:
        """The transformer op(s) this call computes, by name (`transformer.add+transformer.rmsnorm`)."""
        names = [ref.partition("#")[0] for ref in self.origin.split()]
        return "+".join(dict.fromkeys(names))

    def cost(self, tokens: int) -> tuple[int, int]:
        """(bytes, flops) of one call over `tokens` tokens."""
        return self.bytes + self.bytes_per_token * tokens, self.flops + self.flops_per_token * tokens


def peak_kind(op: kn.KernelOp) -> str:
    """The arithmetic a kernel's inner loop runs on: 8-bit dot products when it reads 8-bit
    (q8_0, q8_k) activations, bf16 pair products when its schedule says so, else f32 FMAs."""
    act = op.properties.get("act_dtype")
    if isinstance(act, StringAttr) and act.data in kn.ACT_BLOCKS:
        return "int8"
    schedule = op.properties.get("schedule")
    if schedule is not None and getattr(schedule, "dot", None) is not None and str(schedule.dot.data) == "bf16":
        return "bf16"
    return "f32"


def kernel_costs(module: ModuleOp) -> dict[str, list[KernelCost]]:
    """Each entry point's kernel ops, in order, with the registry's cost (from the memory-level
    module, where the kernels still are ops)."""
    from ck.lowering.kernel_registry import KERNELS

    out: dict[str, list[KernelCost]] = {}
    for fn in module.ops:
        if not isinstance(fn, func.FuncOp) or fn.is_declaration:
            continue
        costs: list[KernelCost] = []
        for op in fn.body.block.ops:
            if not isinstance(op, kn.KernelOp):
                continue
            info = KERNELS.get(type(op))
            if info is None:
                raise CkError(f"the kernel registry has no cost for {op.name}")
            one, two = info.cost(op, 1), info.cost(op, 2)
            costs.append(KernelCost(op.name, 2 * one.bytes - two.bytes, two.bytes - one.bytes,
                                    2 * one.flops - two.flops, two.flops - one.flops, peak_kind(op)))
        out[fn.sym_name.data] = costs
    return out


def call_lines(model_c: str) -> dict[int, tuple[str, int]]:
    """site -> (C function called, 1-based line of the call) in model.c: the call right after
    the site's `ck_prof_begin(N, ...)`."""
    lines = model_c.splitlines()
    begin = re.compile(r"^\s*ck_prof_begin\((\d+),")
    found: dict[int, tuple[str, int]] = {}
    for i, line in enumerate(lines):
        if (m := begin.match(line)) is None:
            continue
        for j in range(i + 1, len(lines)):
            if (call := _CALL.match(lines[j])) and not lines[j].lstrip().startswith("/*"):
                found[int(m.group(1))] = (call.group(1), j + 1)
                break
    return found


def site_table(costs: dict[str, list[KernelCost]], module: ModuleOp, model_c: str) -> list[Site]:
    """The sites of an instrumented simd-level module, matched in order with the memory-level
    kernels they were lowered from."""
    from ck.lowering.lower_kernel_to_simd import KERNEL_ATTR
    from ck.lowering.provenance import layer_of, origin_refs
    from ck.lowering.provenance import COMMENT_ATTR
    from ck.passes.instrument_kernels import SITE_ATTR

    lines = call_lines(model_c)
    sites: list[Site] = []
    for fn in module.ops:
        if not isinstance(fn, func.FuncOp) or fn.is_declaration:
            continue
        name = fn.sym_name.data
        kernels = iter(costs.get(name, []))
        for call in fn.body.block.ops:
            if not isinstance(call, func.CallOp) or not isinstance(number := call.attributes.get(SITE_ATTR), IntegerAttr):
                continue
            site = number.value.data
            if site not in lines:
                raise CkError(f"model.c has no call for profiling site {site} (@{name})")
            c_function, c_line = lines[site]
            comment = call.attributes.get(COMMENT_ATTR)
            kernel = call.attributes.get(KERNEL_ATTR)
            if isinstance(kernel, StringAttr):
                cost = next(kernels, None)
                if cost is None or cost.kernel != kernel.data:
                    raise CkError(f"profiling site {site} in @{name} calls {kernel.data}, but the kernels of the "
                                  f"memory-level @{name} do not match in order ({cost.kernel if cost else 'none left'})")
                numbers = (cost.bytes, cost.bytes_per_token, cost.flops, cost.flops_per_token, cost.peak)
            else:
                numbers = (0, 0, 0, 0, "f32")
            sites.append(Site(
                site, PHASES.get(name, name), name, "kernel" if isinstance(kernel, StringAttr) else "barrier",
                kernel.data if isinstance(kernel, StringAttr) else "", call.callee.root_reference.data,
                comment.data if isinstance(comment, StringAttr) else "", " ".join(origin_refs(call)),
                layer_of(call), c_function, c_line, *numbers,
            ))
    if sorted(s.site for s in sites) != list(range(len(sites))):
        raise CkError("the profiling sites are not numbered 0..n-1")
    return sorted(sites, key=lambda s: s.site)


def sites_json(sites: list[Site]) -> list[dict[str, Any]]:
    return [asdict(s) for s in sites]


def read_sites(data: list[dict[str, Any]]) -> list[Site]:
    return [Site(**d) for d in data]
