"""ck.llvm_jit: run a model with no C compiler, JIT-compiled by LLVM (llvmlite's MCJIT).

The llvm backend (`CompileOptions(backend="llvm")`) links the model's LLVM IR (model.ll, from
`ck-translate -t llvm`) with the runtime's (runtime_c/ck_runtime.ll, ck/runtime_ll.py),
optimizes the whole at -O3 for this CPU (llvmlite's host triple, CPU name and features) and
compiles it to one object file, model.o, which the build keeps (sealed in build.json like
libmodel.so). Loading maps model.o into an MCJIT engine, so a cached build is not compiled
again, and `JitLibrary` then looks like a `ctypes.CDLL`: its attributes are ctypes function
pointers on which `.argtypes`/`.restype` are set (NativeSession in ck/runtime.py uses either).

Two things a static linker would do are done here: the runtime's weak references to entry
points the model does not define (`#pragma weak ck_train_step` in an inference build) become
null pointers before linking, since MCJIT's RuntimeDyld fails every external symbol of an
object that has an unresolved weak one; and the C library's symbols are looked up in libc and
libm, checked before the object is compiled (an unresolved one would be a null call).
"""

from __future__ import annotations

import ctypes
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ck.errors import CkError

ISA_FEATURES: dict[str, tuple[str, ...]] = {
    "avx512": ("avx512f", "avx512bw", "avx512vl", "avx512vnni", "fma", "f16c"),
    "avx2": ("avx2", "fma", "f16c"),
    "scalar": (),
}
"""The LLVM CPU features each ISA's kernels use (ck.compiler.detect_isa asks /proc/cpuinfo the same)."""
SYSTEM_LIBRARIES = ("libc.so.6", "libm.so.6")
"""Where the runtime's and kernels' external functions (pthread, mmap, expf, ...) come from."""
WEAK_DECLARATION = re.compile(r"^declare extern_weak [^@]*@([A-Za-z_][A-Za-z0-9_]*)\(.*$", re.MULTILINE)


@functools.cache
def _llvm() -> Any:
    """llvmlite.binding with the native target initialized and the C libraries searchable."""
    try:
        import llvmlite.binding as llvm
    except ImportError as e:
        raise CkError(f"the llvm backend needs llvmlite (pip install llvmlite): {e}") from None
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    for name in SYSTEM_LIBRARIES:
        try:
            llvm.load_library_permanently(name)
        except RuntimeError as e:
            raise CkError(f"the llvm backend cannot load {name}: {e}") from None
    return llvm


@dataclass(frozen=True)
class HostTarget:
    """What model.o is compiled for: this machine, as LLVM sees it."""

    triple: str
    cpu: str
    features: str
    llvm: str

    @property
    def description(self) -> str:
        """One string that changes when model.o would (part of the build key and build.json)."""
        return f"{self.triple} {self.cpu} {self.features} LLVM {self.llvm}"


@functools.cache
def host_target() -> HostTarget:
    llvm = _llvm()
    version = ".".join(str(v) for v in llvm.llvm_version_info)
    return HostTarget(llvm.get_process_triple(), llvm.get_host_cpu_name(), llvm.get_host_cpu_features().flatten(),
                      version)


def host_features() -> frozenset[str]:
    """The CPU features LLVM finds on this machine (those it marks +)."""
    return frozenset(f[1:] for f in host_target().features.split(",") if f.startswith("+"))


def check_host_isa(isa: str) -> None:
    """Refuse a build whose kernels use instructions this CPU lacks (they would fault)."""
    if not host_target().triple.startswith("x86_64"):
        raise CkError(f"the llvm backend runs on x86-64; this machine is {host_target().triple}")
    missing = [f for f in ISA_FEATURES[isa] if f not in host_features()]
    if missing:
        raise CkError(f"this CPU ({host_target().cpu}) lacks {', '.join(missing)}, which the {isa} kernels use; "
                      "build for another ISA (isa=/--isa avx2 or scalar)")


def _target_machine() -> Any:
    llvm = _llvm()
    host = host_target()
    target = llvm.Target.from_triple(host.triple)
    return target.create_target_machine(cpu=host.cpu, features=host.features, opt=3, reloc="pic",
                                        codemodel="small")


def runtime_ir(defined: set[str]) -> str:
    """runtime_c/ck_runtime.ll with each weak reference to a function not in `defined` made a
    null pointer (what the static linker makes of an undefined weak symbol), so the runtime's
    `if (!ck_decode_batch)` sees null."""
    from ck.runtime_ll import runtime_ll_path

    path = runtime_ll_path()
    try:
        text = path.read_text()
    except OSError as e:
        raise CkError(f"the llvm backend needs {path}: {e.strerror} (python -m ck.runtime_ll writes it)") from None
    for name in WEAK_DECLARATION.findall(text):
        if name not in defined:
            text = re.sub(rf"^declare extern_weak [^@]*@{name}\(.*\n", "", text, flags=re.MULTILINE)
            text = re.sub(rf"@{name}\b", "null", text)
    return text


def _parse(text: str, what: str) -> Any:
    llvm = _llvm()
    try:
        module = llvm.parse_assembly(text)
        module.verify()
    except RuntimeError as e:
        raise CkError(f"{what}: not valid LLVM IR: {str(e).strip().splitlines()[0] if str(e).strip() else e}") from None
    module.name = what
    return module


def check_externals(module: Any) -> None:
    """Every function the linked module calls but does not define must be in the C libraries."""
    llvm = _llvm()
    missing = [f.name for f in module.functions
               if f.is_declaration and not f.name.startswith("llvm.") and llvm.address_of_symbol(f.name) is None]
    if missing:
        raise CkError(f"the JIT-compiled model calls {', '.join(sorted(missing))}, which neither the runtime nor "
                      f"{' / '.join(SYSTEM_LIBRARIES)} define")


def compile_object(model_ir: str, isa: str, what: str = "model.ll") -> bytes:
    """model.o: `model_ir` linked with the runtime, optimized at -O3 and compiled for this CPU."""
    llvm = _llvm()
    check_host_isa(isa)
    module = _parse(model_ir, what)
    defined = {f.name for f in module.functions if not f.is_declaration}
    module.link_in(_parse(runtime_ir(defined), "ck_runtime.ll"))
    machine = _target_machine()
    module.triple = machine.triple
    module.data_layout = str(machine.target_data)
    check_externals(module)
    builder = llvm.create_pass_builder(machine, llvm.create_pipeline_tuning_options(speed_level=3))
    builder.getModulePassManager().run(module, builder)
    return bytes(machine.emit_object(module))


class JitFunction(ctypes._CFuncPtr):  # type: ignore[misc,name-defined]
    """A function of the JIT-compiled code, like a `ctypes.CDLL`'s (cdecl, returns int until
    `.restype` says otherwise); it keeps its library, and so the compiled code, alive."""

    _flags_ = ctypes._FUNCFLAG_CDECL  # type: ignore[attr-defined]
    _restype_ = ctypes.c_int
    _library: JitLibrary


class JitLibrary:
    """model.o in an MCJIT engine, used as a ctypes.CDLL: `lib.ck_open.restype = ...`."""

    def __init__(self, engine: Any, path: Path) -> None:
        self._engine = engine
        self._path = path

    def __getattr__(self, name: str) -> JitFunction:
        if name.startswith("_"):
            raise AttributeError(name)
        address = self._engine.get_function_address(name)
        if not address:
            raise AttributeError(f"{self._path}: no function {name}")
        function = JitFunction(address)
        function._library = self
        setattr(self, name, function)  # as a CDLL does: the same object, with its argtypes, next time
        return function

    def __repr__(self) -> str:
        return f"<JitLibrary {self._path}>"


def load_object(path: Path, isa: str, target: str) -> JitLibrary:
    """Map model.o (compiled for `target`, a `HostTarget.description`) into a new engine."""
    llvm = _llvm()
    check_host_isa(isa)
    if target != host_target().description:
        raise CkError(f"{path} was compiled for another CPU or LLVM ({target}); this is "
                      f"{host_target().description}: rebuild it (--force-compile, or ck.load(..., force_compile=True))")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise CkError(f"cannot read {path}: {e.strerror}") from None
    machine = _target_machine()
    empty = llvm.parse_assembly("")
    empty.triple = machine.triple
    engine = llvm.create_mcjit_compiler(empty, machine)
    engine.add_object_file(llvm.ObjectFileRef.from_data(data))
    engine.finalize_object()
    return JitLibrary(engine, path)
