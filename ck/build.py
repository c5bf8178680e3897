"""ck.build: lower a GGUF model to C, compile libmodel.so, and keep every artifact.

The build directory is keyed by a digest of the GGUF file (metadata, tensor table
and tensor data: two files with the same shapes but other weights never share a
weights.bump), the C compiler's version, the compile options and ck's own
sources. Any change rebuilds; `force=True` rebuilds anyway. Kept there:
`transformer.mlir`, `kernel.mlir`, `memory.mlir`, `simd.mlir`, `model.c`,
`layout.json`, `weights.bump`, `libmodel.so` (with the llvm backend, `model.ll` and `model.o`
instead: ck/llvm_jit.py), `build.json` (which records the
`ck-opt -p` pipeline that reproduces `model.c` from `transformer.mlir`), `passes.json` (each
pass's run time and op counts, `ck/pass_timing.py`) and, when this
machine has a tuning table (`ck bench --tune`), `tuning.json`: the copy of it the pipeline
reads. The table's digest is part of the key, so a new table rebuilds.

weights.bump does not depend on most options (context length, KV dtype, ...): it is
keyed apart, by the GGUF's digest and the weights' placement in the blob, written once
under `cache_root()/weights/` and hard-linked into every build directory that places
the weights the same way, so a build with another `-c` does not write the blob again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from xdsl.dialects.builtin import ModuleOp

from ck.build_cache import (build_lock, check_entry, damaged_notice, file_digest, publish, publishing, seal_record,
                            temporary_name)
from ck.compiler import CompileOptions, cpu_flags, emit_c, lower, mlir_text, package_dir, pipeline_spec
from ck.errors import CkError
from ck.gguf_file import GGUFFile
from ck.pass_timing import PassLog
from ck.profile_sites import KernelCost, kernel_costs, site_table, sites_json
from ck.tuning_table import table_digest

ISA_FLAGS = {
    "avx512": ["-mavx512f", "-mavx512bw", "-mavx512vl", "-mavx512vnni", "-mfma", "-mf16c"],
    "avx2": ["-mavx2", "-mfma", "-mf16c"],
    "scalar": [],
}
CFLAGS = ["-O3", "-std=gnu11", "-ffp-contract=off", "-fPIC", "-shared", "-pthread", "-Wall", "-Wextra", "-Werror"]
"""-ffp-contract=off: model.c rounds every operation as the simd IR says (a kernel that wants a fused
multiply-add asks for simd.fma), instead of gcc fusing a * b + c where it sees fit; so the C and the
llvm backend, two lowerings of one IR, agree bit for bit (measured: no cost in decode or prefill)."""


SANITIZERS = ("address", "undefined")
BACKENDS = ("c", "llvm")
"""c: model.c compiled by $CC into libmodel.so; llvm: model.ll JIT-compiled by llvmlite into model.o."""


def sanitizers() -> list[str]:
    """The sanitizers `$CK_SANITIZE` asks for (comma-separated, of `SANITIZERS`; empty: none)."""
    names = sorted({s.strip() for s in os.environ.get("CK_SANITIZE", "").split(",") if s.strip()})
    if unknown := [s for s in names if s not in SANITIZERS]:
        raise CkError(f"CK_SANITIZE: unknown sanitizer {', '.join(unknown)} (choose from {', '.join(SANITIZERS)})")
    return names


def sanitize_flags() -> list[str]:
    """The compiler flags of a `$CK_SANITIZE` build: model.c and runtime_c instrumented, the first
    error fatal, and `CK_SANITIZE` defined so runtime_c allocates every buffer at its exact size.
    -O1 -g1 (after CFLAGS' -O3): an instrumented tiny model compiles in seconds, not half a minute,
    and a report names the lines of model.c."""
    names = sanitizers()
    if not names:
        return []
    return [f"-fsanitize={','.join(names)}", "-fno-omit-frame-pointer", "-fno-sanitize-recover=all", "-O1", "-g1",
            "-DCK_SANITIZE"]


def isa_flags(isa: str) -> list[str]:
    """The compiler flags of `isa`'s kernels on this machine: with avx512, AVX512-BF16 too when
    the CPU has it (simd.dot_bf16 then compiles to vdpbf16ps; without it, its FMA path)."""
    extra = ["-mavx512bf16"] if isa == "avx512" and "avx512_bf16" in cpu_flags() else []
    return ISA_FLAGS[isa] + extra


@dataclass(frozen=True)
class BuildInfo:
    """What a build directory holds; `build.json` keeps it."""

    directory: str
    gguf: str
    arena_bytes: int
    private_bytes: int
    weights_bytes: int
    kv_bytes: int
    context_len: int
    max_tokens: int
    vocab: int
    isa: str
    slots: int = 1
    """Sequences the build holds at once (each with its KV cache: kv_bytes counts them all)."""
    pipeline: str = ""
    """`ck-opt transformer.mlir -p PIPELINE | ck-translate -t c` prints model.c."""
    tuning: str = ""
    """The tuning table the matmul schedules came from (the build's copy, which the pipeline
    reads), or "" when they are the cost model's."""
    profile: bool = False
    """A profiling build (`instrument-kernels`): `sites.json` says what each timed call is."""
    options: dict[str, Any] = field(default_factory=dict)
    """The compile options (`ck cache list` summarizes them)."""
    artifacts: dict[str, Any] = field(default_factory=dict)
    """Size and sha256 of every artifact, checked before a cached build is loaded (ck.build_cache)."""
    seal: str = ""
    """sha256 of the rest of build.json: an edited value (context_len, ...) is not trusted."""
    backend: str = "c"
    """How the code was compiled: "c" (libmodel.so) or "llvm" (model.ll -> model.o, ck/llvm_jit.py)."""
    target: str = ""
    """llvm: the CPU, features and LLVM model.o was compiled for (ck.llvm_jit.HostTarget.description)."""

    @property
    def library(self) -> Path:
        """The compiled code the runtime loads: libmodel.so, or model.o with the llvm backend."""
        return Path(self.directory) / CODE[self.backend]

    @property
    def weights(self) -> Path:
        return Path(self.directory) / "weights.bump"


CODE = {"c": "libmodel.so", "llvm": "model.o"}
"""The file each backend's runtime is loaded from."""


def compiler() -> list[str]:
    return shlex.split(os.environ.get("CC", "cc"))


@cache
def c_compiler_works(cc: tuple[str, ...]) -> bool:
    """Whether `cc --version` runs (`CC=false` is no compiler); asked once per process."""
    try:
        compiler_version(cc)
    except CkError:
        return False
    return True


@cache
def _announce_llvm(cc: tuple[str, ...]) -> None:
    print(f"ck: no C compiler found (CC={os.environ.get('CC', 'cc')}): using the llvm backend", file=sys.stderr,
          flush=True)


def resolve_backend(backend: str | None) -> str:
    """The backend to build with: `backend` when given; None is "c" when $CC (or cc) runs, else
    "llvm", said once on stderr."""
    if backend is not None:
        if backend not in BACKENDS:
            raise CkError(f"unknown backend '{backend}' (choose from {', '.join(BACKENDS)})")
        return backend
    cc = tuple(compiler())
    if c_compiler_works(cc):
        return "c"
    _announce_llvm(cc)
    return "llvm"


def avx512bf16(isa: str) -> bool:
    """Whether simd.dot_bf16 compiles to vdpbf16ps (this CPU has AVX512-BF16), as isa_flags decides."""
    return "-mavx512bf16" in isa_flags(isa)


def toolchain(backend: str, isa: str) -> dict[str, Any]:
    """What compiles the code, for the build key: the C compiler and its flags, or the LLVM and
    CPU model.o is compiled for (model.o only runs where it was compiled)."""
    if backend == "llvm":
        from ck.llvm_jit import host_target

        if sanitizers():
            raise CkError("CK_SANITIZE needs the C backend (the llvm backend's runtime has no sanitizers)")
        return {"llvm": host_target().description, "avx512bf16": avx512bf16(isa)}
    cc = tuple(compiler())
    return {"cc": compiler_version(cc), "cc_command": list(cc), "cflags": CFLAGS + isa_flags(isa) + sanitize_flags()}


@cache
def compiler_version(cc: tuple[str, ...]) -> str:
    try:
        out = subprocess.run([*cc, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise CkError(f"no C compiler: cannot run {' '.join(cc)} ({e}); set $CC") from None
    if out.returncode != 0:
        raise CkError(f"C compiler {' '.join(cc)} failed to report its version: {out.stderr.strip()}")
    return out.stdout.splitlines()[0] if out.stdout else ""


@cache
def sources_digest() -> str:
    """Digest of ck's own code, so a changed compiler never reuses an old build."""
    root = Path(package_dir("templates")).parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".c", ".h", ".ll", ".json") and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def gguf_digest(gguf: GGUFFile) -> str:
    """sha256 of the file, remembered by (path, size, mtime, inode, ctime) so a big model is
    hashed once; a file rewritten in place moves its ctime (which cannot be set back) and is
    hashed again."""
    stat = gguf.path.stat()
    index = cache_root() / "digests.json"
    key = f"{gguf.path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}:{stat.st_ctime_ns}"
    try:
        known = json.loads(index.read_text())
    except (OSError, ValueError):
        known = {}
    if key not in known:
        known[key] = gguf.digest()
        index.parent.mkdir(parents=True, exist_ok=True)
        publish(index, json.dumps(known))
    return known[key]


def cache_root() -> Path:
    return Path(os.environ.get("CK_CACHE_DIR", Path.home() / ".cache" / "ck"))


def build_key(gguf: GGUFFile, options: CompileOptions) -> str:
    parts = {
        "gguf": gguf_digest(gguf),
        **toolchain(options.backend, options.isa),
        "options": asdict(options),
        "tuning": table_digest(options.tuning) if options.tuning else "",
        "ck": sources_digest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:20]


class Progress:
    """One line on stderr per stage, with the time it took (only when stderr is a terminal or asked)."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled, self.total, self.done = enabled, total, 0
        self.start = time.perf_counter()

    def step(self, what: str) -> None:
        self.done += 1
        if self.enabled:
            bar = "#" * self.done + "." * (self.total - self.done)
            elapsed = time.perf_counter() - self.start
            end = "\n" if self.done == self.total else ""
            print(f"\rck: compiling [{bar}] {self.done}/{self.total} {what:<24} {elapsed:6.1f}s", end=end,
                  file=sys.stderr, flush=True)


def build(
    path: str | os.PathLike[str],
    options: CompileOptions | None = None,
    directory: str | os.PathLike[str] | None = None,
    force: bool = False,
    progress: bool | None = None,
) -> BuildInfo:
    """Build (or find in the cache) the native runtime of a GGUF model.

    A cached build is checked before it is reused (`ck.build_cache.check_entry`); a damaged
    one is rebuilt, with a notice on stderr. One process builds a given key at a time: the
    others wait for it and reuse its build."""
    options = options or CompileOptions()
    gguf = GGUFFile(path)
    toolchain(options.backend, options.isa)  # a backend that cannot build here fails before any work
    if directory is not None:
        out = Path(directory)
        lock = cache_root() / "locks" / f"{hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:20]}.lock"
        with build_lock(lock, "ck: waiting for another process building into this directory"):
            return _build_into(out, gguf, options, progress)
    key = build_key(gguf, options)
    out = cache_root() / key
    if not force:
        info = cached_build(out)
        if info is not None:
            return info
    with build_lock(cache_root() / f"{key}.lock"):
        if not force:  # another process may have built it while we waited
            record, damage = check_entry(out)
            if record is not None:
                return _info(record, out)
            if damage is not None:
                damaged_notice(str(gguf.path), damage)
        return _build_into(out, gguf, options, progress)


def cached_build(out: Path) -> BuildInfo | None:
    """The build in `out` when it is there and whole, else None."""
    record, _ = check_entry(out)
    return _info(record, out) if record is not None else None


def _info(record: dict[str, Any], out: Path) -> BuildInfo:
    return BuildInfo(**{**record, "directory": str(out)})


def _build_into(out: Path, gguf: GGUFFile, options: CompileOptions, progress: bool | None) -> BuildInfo:
    """Build into `out`, publishing each file atomically and build.json last."""
    from ck.layout import layout_json

    out.mkdir(parents=True, exist_ok=True)
    (out / "build.json").unlink(missing_ok=True)  # readers wait for the new one rather than mix two builds
    recorded_options = asdict(options)
    options = keep_tuning_table(options, out)
    show = sys.stderr.isatty() if progress is None else progress
    bar = Progress(show, 7)
    written = ["tuning.json"] if options.tuning else []

    costs: dict[str, list[KernelCost]] = {}

    def keep(stage: str, module: ModuleOp) -> None:
        publish(out / f"{stage}.mlir", mlir_text(module))
        written.append(f"{stage}.mlir")
        if options.profile and stage == "memory":
            costs.update(kernel_costs(module))
        bar.step(stage)

    passes = PassLog()
    module = lower(gguf, options, until="simd", on_stage=passes.after_stage(keep), on_pass=passes.on_pass)
    with publishing(out / "passes.json") as tmp:
        passes.write(tmp)
    model_c = emit_c(module)
    publish(out / "model.c", model_c)
    written += ["passes.json", "model.c"]
    if options.profile:
        sites = site_table(costs, module, model_c)
        publish(out / "sites.json", json.dumps(sites_json(sites), indent=1) + "\n")
        written.append("sites.json")
    bar.step("model.c")
    choices = json.loads(module.attributes["ck.kernels"].data)  # type: ignore[union-attr]
    layout = layout_json(module, choices)
    publish(out / "layout.json", json.dumps(layout, indent=1) + "\n")
    weights_digest = link_weights(module, gguf, out / "weights.bump")[1]
    bar.step("weights.bump")
    code = compile_code(out, module, options.isa, options.backend)
    bar.step(CODE[options.backend])
    written += ["layout.json", "weights.bump", *code]
    totals = layout["totals"]
    info = BuildInfo(
        directory=str(out),
        gguf=str(gguf.path),
        arena_bytes=totals["arena_bytes"],
        private_bytes=totals["private_bytes"],
        weights_bytes=totals["weights_bytes"],
        kv_bytes=totals["kv_bytes"],
        context_len=totals["context_len"],
        max_tokens=totals["max_tokens"],
        vocab=_vocab(module),
        isa=options.isa,
        slots=totals["slots"],
        pipeline=pipeline_spec(options),
        tuning=options.tuning,
        profile=options.profile,
        options=recorded_options,
        backend=options.backend,
        target=code_target(options.backend),
    )
    record = seal_record(out, asdict(info), written, {"weights.bump": weights_digest})
    publish(out / "build.json", json.dumps(record, indent=1) + "\n")
    return _info(record, out)


def keep_tuning_table(options: CompileOptions, out: Path) -> CompileOptions:
    """The options with their tuning table copied into the build directory (`tuning.json`):
    the recorded pipeline reads that copy, so it still reproduces model.c after a new
    `ck bench --tune` rewrites the machine's table."""
    if not options.tuning:
        return options
    copy = out / "tuning.json"
    if not (copy.exists() and copy.samefile(options.tuning)):
        with publishing(copy) as tmp:
            shutil.copyfile(options.tuning, tmp)
    return replace(options, tuning=str(copy))


def weights_key(module: ModuleOp, gguf: GGUFFile) -> str:
    """Key of the weight blob: the GGUF's bytes, where each weight goes and how it is packed
    (the same placement means the same bytes), and the packing code itself."""
    from ck.dialects import memory as mem
    from ck.weights_blob import blob_bytes, placement

    packer = hashlib.sha256()
    for source in (Path(__file__).with_name("weights_blob.py"), Path(mem.__file__ or "")):
        packer.update(source.read_bytes())
    parts = {
        "gguf": gguf_digest(gguf),
        "bytes": blob_bytes(module),
        "weights": placement(module),
        "packer": packer.hexdigest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:20]


def link_weights(module: ModuleOp, gguf: GGUFFile, dest: Path) -> tuple[Path, str]:
    """Make `dest` the shared blob for `module`'s placement, writing the blob only when no
    build has yet or the one there is not the one written (a hard link; a symlink where the
    cache is on another file system). Returns the blob and its sha256, which is kept in
    `weights-digests/` when the blob is written and checked (1 s for 600 MB) before it is reused."""
    from ck.weights_blob import blob_bytes, write_weights

    key = weights_key(module, gguf)
    shared = cache_root() / "weights" / f"{key}.bump"
    record = cache_root() / "weights-digests" / f"{key}.sha256"
    digest = ""
    try:
        if shared.stat().st_size == blob_bytes(module):  # a truncated blob is written again
            digest = record.read_text().strip()
            if file_digest(shared) != digest:
                digest = ""
    except OSError:
        digest = ""
    if not digest:
        shared.parent.mkdir(parents=True, exist_ok=True)
        record.parent.mkdir(parents=True, exist_ok=True)
        write_weights(module, gguf, shared)
        shared.chmod(0o444)  # shared by hard links: writing through one build would change them all
        digest = file_digest(shared)
        publish(record, digest + "\n")
    try:
        if dest.samefile(shared):
            return shared, digest
    except OSError:
        pass
    tmp = temporary_name(dest)
    try:
        try:
            os.link(shared, tmp)
        except FileNotFoundError:  # `ck cache clear` removed the blob meanwhile: write it again
            return link_weights(module, gguf, dest)
        except OSError:
            os.symlink(shared.resolve(), tmp)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return shared, digest


def _vocab(module: ModuleOp) -> int:
    from xdsl.dialects import func

    for fn in module.ops:
        if isinstance(fn, func.FuncOp) and fn.sym_name.data.endswith("decode"):
            logits = fn.function_type.inputs.data[2]
            return int(logits.get_shape()[-1])  # type: ignore[attr-defined]
    raise CkError("no decode entry point in the lowered module")


def code_target(backend: str) -> str:
    """What the build's code runs on: with llvm, the host model.o is compiled for; "" with C."""
    if backend != "llvm":
        return ""
    from ck.llvm_jit import host_target

    return host_target().description


def compile_code(out: Path, module: ModuleOp, isa: str, backend: str) -> list[str]:
    """Compile the simd-level `module` (whose model.c is in `out`) with `backend`; returns the
    artifacts written: libmodel.so, or model.ll and model.o (each published atomically)."""
    if backend == "c":
        compile_library(out, isa)
        return ["libmodel.so"]
    from ck.compiler import emit_llvm
    from ck.llvm_jit import compile_object

    model_ll = emit_llvm(module, isa, avx512bf16(isa))
    publish(out / "model.ll", model_ll)
    publish(out / "model.o", compile_object(model_ll, isa, str(out / "model.ll")))
    return ["model.ll", "model.o"]


def open_library(directory: Path, backend: str, isa: str, target: str) -> Any:
    """The build's code, loaded: a ctypes.CDLL of libmodel.so, or (llvm) model.o in an MCJIT
    engine that is used the same way (ck.llvm_jit.JitLibrary). Keep it as long as its sessions."""
    import ctypes

    if backend == "llvm":
        from ck.llvm_jit import load_object

        return load_object(directory / CODE[backend], isa, target)
    return ctypes.CDLL(str(directory / CODE[backend]))


def compile_library(out: Path, isa: str, runtime: Path | None = None) -> None:
    """`out/model.c` + the runtime (runtime_c, or a variant of it in `runtime`, which
    bench/bench_pool_sleep.py compares) -> `out/libmodel.so` (written atomically)."""
    runtime = runtime or Path(package_dir("runtime_c"))
    tmp = temporary_name(out / "libmodel.so")
    cmd = [
        *compiler(), *CFLAGS, *isa_flags(isa), *sanitize_flags(), f"-I{runtime}",
        str(out / "model.c"), str(runtime / "ck_runtime.c"), "-o", str(tmp), "-lm",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise CkError(f"the C compiler failed on {out / 'model.c'}:\n{proc.stderr.strip()}")
    try:
        os.replace(tmp, out / "libmodel.so")
    finally:
        tmp.unlink(missing_ok=True)

