"""The compiler driver: GGUF -> transformer -> kernel -> memory -> simd -> C, one stage at a time.

Like MLIR's Toy, each stage is a point you can stop at (`ck compile --emit STAGE`);
`lower` applies the passes in order and hands back the module of the stage asked for.
"""

from __future__ import annotations

import functools
import io
import os
import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from ck.dialects import kernel as kn
from ck.dialects.simd import unknown_isa
from ck.errors import CkError
from ck.gguf_file import GGUFFile

STAGES = ("transformer", "kernel", "memory", "simd", "c")
DECODE, PREFILL, DECODE_BATCH = "ck_decode", "ck_prefill", "ck_decode_batch"  # entry points (runtime_c/ck_runtime.h)


@functools.cache
def cpu_info() -> dict[str, str]:
    """The fields /proc/cpuinfo gives the first processor (model name, flags, ...); empty
    where there is no such file."""
    fields: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    return fields


def mem_total() -> int | None:
    """The machine's memory in bytes (MemTotal of /proc/meminfo), or None where it cannot be read."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def cpu_flags() -> frozenset[str]:
    """The feature flags of this x86 CPU, empty elsewhere."""
    if platform.machine() not in ("x86_64", "AMD64"):
        return frozenset()
    return frozenset(cpu_info().get("flags", "").split())


def detect_isa() -> str:
    """The widest ISA this CPU runs: avx512 needs F, BW, VL, VNNI; avx2 needs FMA and F16C."""
    have = cpu_flags()
    if not have:
        return "scalar"
    if {"avx512f", "avx512bw", "avx512vl", "avx512_vnni", "fma", "f16c"} <= have:
        return "avx512"
    if {"avx2", "fma", "f16c"} <= have:
        return "avx2"
    return "scalar"


@dataclass(frozen=True)
class CompileOptions:
    """Everything that changes the generated code (and so the build cache key)."""

    isa: str = field(default_factory=detect_isa)
    context_len: int = 4096
    max_tokens: int = 64
    act_dtype: str = "f32"
    kv_dtype: str = "f32"
    tuning: str = ""
    """A tuning table (`ck bench --tune`) whose schedules the matmuls take; "": the cost model's."""
    profile: bool = False
    """A profiling build: `instrument-kernels` times every kernel and barrier call (`ck profile`)."""
    slots: int = 1
    """Sequences held at once, each with its own KV cache; above 1 the build also has the batched
    decode step (`batch-decode`) that `ck serve` runs them through."""
    backend: str = "c"
    """How the simd-level module becomes machine code: "c" (model.c compiled by $CC into
    libmodel.so) or "llvm" (model.ll JIT-compiled by llvmlite, no C compiler needed)."""

    def __post_init__(self) -> None:
        if problem := unknown_isa(self.isa):
            raise CkError(problem)
        if self.context_len < 1:
            raise CkError(f"context length must be positive, got {self.context_len}")
        if self.max_tokens < 1:
            raise CkError(f"max_tokens must be positive, got {self.max_tokens}")
        if isinstance(self.slots, bool) or not isinstance(self.slots, int) or not 1 <= self.slots <= self.max_tokens:
            raise CkError(f"slots must be an integer from 1 to max_tokens ({self.max_tokens}), got {self.slots!r}")
        if self.act_dtype not in kn.ACT_CHOICES:
            raise CkError(f"unknown act_dtype '{self.act_dtype}' (choose from {', '.join(kn.ACT_CHOICES)})")
        if self.kv_dtype not in kn.KV_DTYPES:
            raise CkError(f"unknown kv_dtype '{self.kv_dtype}' (choose from {', '.join(kn.KV_DTYPES)})")
        if self.tuning and not os.path.isfile(self.tuning):
            raise CkError(f"tuning table {self.tuning}: no such file")
        if self.backend not in ("c", "llvm"):
            raise CkError(f"unknown backend '{self.backend}' (choose from c, llvm)")


def compile_options(
    context_len: int = 4096, isa: str | None = None, act_dtype: str | None = None, kv_dtype: str = "f32",
    max_tokens: int = 64, tuned: bool = True, profile: bool = False, slots: int = 1, backend: str | None = None,
) -> CompileOptions:
    """CompileOptions from the public API's arguments: isa None is this CPU's best,
    act_dtype None is q8_0 (which only block-quantized weights use); tuned: this machine's tuning
    table for the ISA, when `ck bench --tune` has written one; backend None is "c", or
    "llvm" when there is no C compiler (ck.build.resolve_backend)."""
    from ck.build import resolve_backend
    from ck.tuning_table import table_path

    isa = isa or detect_isa()
    table = table_path(isa) if tuned else None
    return CompileOptions(
        isa=isa, context_len=context_len, max_tokens=max_tokens,
        act_dtype=act_dtype or "q8_0", kv_dtype=kv_dtype,
        tuning=str(table) if table is not None and table.is_file() else "", profile=profile, slots=slots,
        backend=resolve_backend(backend),
    )


def stage_passes(stage: str, options: CompileOptions) -> list[ModulePass]:
    """The passes that take the previous stage's module to `stage`."""
    from ck.lowering.lower_kernel_to_simd import LowerKernelToSimdPass
    from ck.lowering.lower_transformer_to_kernel import LowerTransformerToKernelPass
    from ck.lowering.plan_memory import PlanMemoryPass
    from ck.passes.batch_decode import BatchDecodePass
    from ck.passes.choose_schedules import ChooseSchedulesPass
    from ck.passes.fuse_matmuls import FuseMatmulsPass
    from ck.passes.fuse_qk_norm_rope import FuseQkNormRopePass
    from ck.passes.fuse_quantize import FuseQuantizePass
    from ck.passes.fuse_residual_norm import FuseResidualNormPass
    from ck.passes.fuse_swiglu import FuseSwigluPass
    from ck.passes.instrument_kernels import InstrumentKernelsPass
    from ck.passes.plan_threads import PlanThreadsPass
    from ck.passes.quantize_activations import QuantizeActivationsPass
    from ck.passes.remove_barriers import RemoveBarriersPass
    from ck.passes.rope_table import RopeTablePass
    from ck.passes.select_weight_layouts import SelectWeightLayoutsPass
    from ck.passes.specialize_seq_len import SpecializeSeqLenPass
    from ck.passes.tuned_schedules import TunedSchedulesPass

    return {
        "transformer": [],
        "kernel": [
            SpecializeSeqLenPass(decode=DECODE, prefill=PREFILL),
            LowerTransformerToKernelPass(isa=options.isa, act_dtype=options.act_dtype),
            FuseSwigluPass(),
            FuseMatmulsPass(),
            FuseResidualNormPass(),
            RopeTablePass(),
            FuseQkNormRopePass(),
            QuantizeActivationsPass(),
            FuseQuantizePass(),
            *([BatchDecodePass(source=PREFILL, batch=DECODE_BATCH)] if options.slots > 1 else []),
            PlanThreadsPass(),
        ],
        "memory": [
            PlanMemoryPass(context_len=options.context_len, max_tokens=options.max_tokens, kv_dtype=options.kv_dtype,
                           slots=options.slots),
            SelectWeightLayoutsPass(),
            *([TunedSchedulesPass(table=options.tuning, isa=options.isa)] if options.tuning else []),
            ChooseSchedulesPass(isa=options.isa),
        ],
        "simd": [LowerKernelToSimdPass(isa=options.isa), RemoveBarriersPass(),
                 *([InstrumentKernelsPass()] if options.profile else [])],
        "c": [],
    }[stage]


def pipeline_text(passes: Sequence[ModulePass]) -> str:
    """The `ck-opt -p` pipeline that applies `passes` in order.

    Printed by xDSL from the very pass objects a build applies (every option, defaults
    included, so the record does not depend on a later change of a default), and parsed
    back here: a pass whose options do not survive the round trip would make the
    recorded pipeline lie, so it is an error rather than a silent difference.
    """
    from xdsl.utils.arg_spec import parse_pipeline

    text = ",".join(str(p.pipeline_pass_spec(include_default=True)) for p in passes)
    parsed = list(parse_pipeline(text))
    if len(parsed) != len(passes) or any(
        type(p).from_pass_spec(spec) != p for p, spec in zip(passes, parsed, strict=True)
    ):
        raise CkError(f"the pass pipeline does not parse back to the passes it was printed from: {text}")
    return text


def pipeline_spec(options: CompileOptions) -> str:
    """The `ck-opt -p` pipeline that takes transformer.mlir to the simd module `lower` builds."""
    built = STAGES[1 : STAGES.index("simd") + 1]  # what build() lowers through before emitting C
    return pipeline_text([p for stage in built for p in stage_passes(stage, options)])


def run_stages(
    module: ModuleOp,
    stages: Sequence[tuple[str, Sequence[ModulePass]]],
    on_stage: Callable[[str, ModuleOp], None] | None = None,
    on_pass: Callable[[str, ModulePass, ModuleOp], None] | None = None,
) -> ModuleOp:
    """Apply each stage's passes in order, verifying after each stage; `on_stage` sees each
    stage's module, `on_pass` the module after every pass (stage, pass, module)."""
    ctx = Context()
    for stage, passes in stages:
        for p in passes:
            p.apply(ctx, module)
            if on_pass is not None:
                on_pass(stage, p, module)
        module.verify()
        if on_stage is not None:
            on_stage(stage, module)
    return module


def lowering_stages(options: CompileOptions, until: str = "simd") -> list[tuple[str, list[ModulePass]]]:
    """The stages (and their passes) that take an imported model down to `until`."""
    if until not in STAGES:
        raise CkError(f"unknown stage '{until}' (choose from {', '.join(STAGES)})")
    return [(stage, stage_passes(stage, options)) for stage in STAGES[: STAGES.index(until) + 1]]


def lower(
    gguf: GGUFFile,
    options: CompileOptions,
    until: str = "simd",
    on_stage: Callable[[str, ModuleOp], None] | None = None,
    on_pass: Callable[[str, ModulePass, ModuleOp], None] | None = None,
) -> ModuleOp:
    """Import `gguf` and lower it stage by stage up to `until`; `on_stage` sees each module,
    `on_pass` the module after every pass (as in `run_stages`)."""
    from ck.importer import import_gguf

    stages = lowering_stages(options, until)
    return run_stages(import_gguf(gguf).module, stages, on_stage, on_pass)


def emit_c(module: ModuleOp) -> str:
    """model.c from a simd-level module (the `c` target of ck-translate)."""
    from ck.lowering.targets.c import CTarget

    out = io.StringIO()
    CTarget().emit(Context(), module, out)
    return out.getvalue()


def emit_llvm(module: ModuleOp, isa: str, avx512bf16: bool) -> str:
    """model.ll from a simd-level module (the `llvm` target of ck-translate): the same ABI and
    symbols as model.c; `isa` for functions without simd.isa, `avx512bf16` as the C build's
    -mavx512bf16 (simd.dot_bf16 as vdpbf16ps)."""
    try:
        from ck.lowering.targets.llvm import emit_llvm as emit
    except ImportError as e:
        raise CkError(f"the llvm backend needs the LLVM IR emitter (ck.lowering.targets.llvm): {e}") from None
    return emit(module, isa=isa, avx512bf16=avx512bf16)  # type: ignore[no-any-return]


def mlir_text(module: ModuleOp) -> str:
    """The module as ck-opt prints it."""
    from xdsl.targets.mlir import MLIRTarget

    out = io.StringIO()
    MLIRTarget().emit(Context(), module, out)
    return out.getvalue()


def package_dir(name: str) -> str:
    """Folder of an installed ck subpackage (templates, runtime_c)."""
    import importlib

    module = importlib.import_module(f"ck.{name}")
    return os.path.dirname(module.__file__ or "")
