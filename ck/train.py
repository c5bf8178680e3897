"""Training a model authored from Python: `ck.compile(model, mode="train")` -> a `TrainRun`.

The training step is compiled like inference: `model.train_module` (forward + loss)
-> `transformer-autodiff` (backward) -> kernels -> memory (a gradient buffer laid out
like the weights; `append-adamw` adds the optimizer) -> simd -> C -> libmodel.so with
`ck_train_step` and `ck_adamw_step` entry points. It is one `ck-opt` pipeline, recorded
in the build directory's train.json: `ck-opt transformer.mlir -p PIPELINE | ck-translate
-t c` prints its model.c again. The weights live in the runtime's memory (initialised
from `weights.bump`); the run reads and writes them, and the gradients, through numpy views.
The build directory also keeps `layout.json` and `passes.json`, as an inference build does.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.passes import ModulePass

from ck.build import cache_root, code_target, compile_code, resolve_backend, sources_digest, toolchain
from ck.build_cache import build_lock, check_entry, damaged_notice, publish, publishing, seal_record
from ck.compiler import detect_isa, emit_c, mlir_text, pipeline_text, run_stages
from ck.dialects import memory as mem
from ck.dialects.kernel import DOT_DTYPES
from ck.dialects.simd import unknown_isa
from ck.errors import CkError
from ck.models import Qwen3Tiny
from ck.pass_timing import PassLog
from ck.passes.append_adamw import weight_layout
from ck.runtime import NativeSession, SessionConfig

TRAIN_ENTRY = "ck_train_step"  # runtime_c/ck_runtime.h


@dataclass(frozen=True)
class CompileConfig:
    """How the runtime is generated; every field changes the generated code or how it runs.

    isa: the vector ISA of the kernels (avx512, avx2, scalar; None, the default: this CPU's
    widest); vectorize=False is shorthand for isa="scalar" (an explicit other isa with it is an
    error), and after construction `isa` holds the ISA the kernels use; threads: the size of
    the runtime's pool;
    pack_weights: the weights, gradients and AdamW moments are one packed f32 blob that
    a single AdamW kernel updates end to end (True), or each weight is updated by its
    own AdamW kernel on its own view (False); dtype: what the matmuls multiply, "f32", or
    "bf16": weights and activations rounded to bf16 and multiplied in pairs (AVX-512 BF16
    dot products, avx512 only), summed in f32; master weights, gradients and AdamW state
    stay f32 either way. backend: "c" (model.c compiled by $CC into libmodel.so), "llvm" (model.ll
    JIT-compiled by llvmlite, no C compiler needed), or None: "c" when $CC (or cc) runs, else "llvm".
    """

    isa: str | None = None
    threads: int = 1
    vectorize: bool = True
    pack_weights: bool = True
    dtype: str = "f32"
    backend: str | None = None

    def __post_init__(self) -> None:
        if not self.vectorize and self.isa not in (None, "scalar"):
            raise CkError(f"CompileConfig: vectorize=False is shorthand for isa='scalar', "
                          f"which conflicts with isa='{self.isa}' (pass one or the other)")
        object.__setattr__(self, "isa", "scalar" if not self.vectorize else self.isa or detect_isa())
        if problem := unknown_isa(self.isa):
            raise CkError(f"CompileConfig: {problem}")
        if self.threads < 1:
            raise CkError(f"CompileConfig: threads must be at least 1, got {self.threads}")
        if self.dtype not in DOT_DTYPES:
            raise CkError(f"CompileConfig: unknown dtype '{self.dtype}' (choose from {', '.join(DOT_DTYPES)})")
        if self.dtype == "bf16" and self.isa != "avx512":
            raise CkError(f"CompileConfig: dtype='bf16' needs the avx512 kernels (bf16 dot products), "
                          f"got isa '{self.isa}'{' (vectorize=False)' if not self.vectorize else ''}")
        if self.backend not in (None, "c", "llvm"):
            raise CkError(f"CompileConfig: unknown backend '{self.backend}' (choose from c, llvm)")


TRAIN_STAGES = ("transformer", "autodiff", "kernel", "memory", "simd")
"""The modules a training build keeps (`<stage>.mlir`): as authored, with its backward, then lowered."""


def train_stages(seq: int, batch: int, isa: str, pack_weights: bool = True,
                 dtype: str = "f32") -> list[tuple[str, list[ModulePass]]]:
    """The passes that take the authored training module to each of `TRAIN_STAGES`, in order."""
    from ck.lowering.lower_kernel_to_simd import LowerKernelToSimdPass
    from ck.lowering.lower_transformer_to_kernel import LowerTransformerToKernelPass
    from ck.lowering.plan_memory import PlanMemoryPass
    from ck.passes.append_adamw import AppendAdamWPass
    from ck.passes.choose_schedules import ChooseSchedulesPass
    from ck.passes.fuse_matmuls import FuseMatmulsPass
    from ck.passes.fuse_residual_norm import FuseResidualNormPass
    from ck.passes.remove_barriers import RemoveBarriersPass
    from ck.passes.rope_table import RopeTablePass
    from ck.passes.transformer_autodiff import TransformerAutodiffPass

    passes: dict[str, list[ModulePass]] = {
        "transformer": [],
        "autodiff": [TransformerAutodiffPass(entry=TRAIN_ENTRY)],
        "kernel": [LowerTransformerToKernelPass(isa=isa), FuseMatmulsPass(), FuseResidualNormPass(), RopeTablePass()],
        # the optimizer joins once plan-memory has placed the weights it updates
        "memory": [PlanMemoryPass(context_len=seq, max_tokens=seq * batch), ChooseSchedulesPass(isa=isa, dot=dtype),
                   AppendAdamWPass(pack_weights=pack_weights)],
        "simd": [LowerKernelToSimdPass(isa=isa), RemoveBarriersPass()],
    }
    return [(stage, passes[stage]) for stage in TRAIN_STAGES]


def authored_module(model: Qwen3Tiny, seq: int, batch: int = 1) -> ModuleOp:
    """The training module as authored (forward + loss), its entry named for the runtime."""
    module = model.train_module(seq, batch)
    (fn,) = module.ops
    fn.sym_name = StringAttr(TRAIN_ENTRY)  # type: ignore[attr-defined]
    return module


class TrainRun(NativeSession):
    """A compiled training runtime: weights, gradients, forward_backward."""

    def __init__(self, model: Qwen3Tiny, batch: int, seq: int, config: CompileConfig) -> None:
        if batch < 1:
            raise CkError(f"batch must be at least 1, got {batch}")
        if not 1 <= seq <= model.context_len:
            raise CkError(f"seq must be in 1..context_len ({model.context_len}), got {seq}")
        self.model, self.batch, self.seq, self.config = model, batch, seq, config
        self.directory = self._build()
        info = json.loads((self.directory / "train.json").read_text())
        self.layout: dict[str, tuple[int, tuple[int, ...]]] = {
            k: (v[0], tuple(v[1])) for k, v in info["weights"].items()
        }
        self._invariants: dict[str, Any] = info["invariants"]
        self._weights_bytes = info["weights_bytes"]
        config_c = SessionConfig(str(self.directory / "weights.bump").encode(), self._weights_bytes,
                                 info["arena_bytes"], info.get("private_bytes", 0), 0, seq, seq * batch, model.vocab,
                                 config.threads, 1, 1)
        lib = self._open(self.directory, info.get("backend", "c"), config.isa, info.get("target", ""), config_c,
                         "training runtime")
        lib.ck_train.restype = ctypes.c_int
        lib.ck_train.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p]
        lib.ck_adamw.restype = ctypes.c_int
        lib.ck_adamw.argtypes = [ctypes.c_void_p, ctypes.c_int64, *[ctypes.c_float] * 5]
        for fn in (lib.ck_weights, lib.ck_grads, lib.ck_adam_m, lib.ck_adam_v):
            fn.restype = ctypes.c_void_p
            fn.argtypes = [ctypes.c_void_p]
        n = self._weights_bytes // 4
        self._w = np.ctypeslib.as_array(ctypes.cast(lib.ck_weights(self._session), ctypes.POINTER(ctypes.c_float)), (n,))
        self._g = np.ctypeslib.as_array(ctypes.cast(lib.ck_grads(self._session), ctypes.POINTER(ctypes.c_float)), (n,))
        self._m = np.ctypeslib.as_array(ctypes.cast(lib.ck_adam_m(self._session), ctypes.POINTER(ctypes.c_float)), (n,))
        self._v = np.ctypeslib.as_array(ctypes.cast(lib.ck_adam_v(self._session), ctypes.POINTER(ctypes.c_float)), (n,))
        self._has_grads = False  # the gradient buffer holds the last forward_backward's
        self.step_count = 0  # AdamW steps taken (torch's `step` state)
        self.losses: list[float] = []  # the loss of every `step`, in order (`report` draws them)

    @property
    def backend(self) -> str:
        """The backend the run is built with: the config's, or (None) c when there is a C compiler, else llvm."""
        return resolve_backend(self.config.backend)

    def _key(self) -> str:
        parts = {"model": asdict(self.model), "seq": self.seq, "batch": self.batch, "isa": self.config.isa,
                 "pack_weights": self.config.pack_weights, "dtype": self.config.dtype, "backend": self.backend,
                 **toolchain(self.backend, self.config.isa), "ck": sources_digest(), "mode": "train"}
        return "train-" + hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:20]

    def _build(self) -> Path:
        """The cached build (checked as ck.build's are, ck.build_cache), or a new one: one
        process builds it while the others wait."""
        key = self._key()
        out = cache_root() / key
        if check_entry(out, "train.json")[0] is not None:
            return out
        with build_lock(cache_root() / f"{key}.lock"):
            record, damage = check_entry(out, "train.json")
            if record is not None:
                return out
            if damage is not None:
                damaged_notice(f"a training run ({out.name})", damage)
            self._build_into(out)
        return out

    def _build_into(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "train.json").unlink(missing_ok=True)
        isa = self.config.isa
        written: list[str] = []

        def keep(stage: str, module: ModuleOp) -> None:
            publish(out / f"{stage}.mlir", mlir_text(module))
            written.append(f"{stage}.mlir")

        stages = train_stages(self.seq, self.batch, isa, self.config.pack_weights, self.config.dtype)
        passes = PassLog()
        module = run_stages(authored_module(self.model, self.seq, self.batch), stages, passes.after_stage(keep),
                            passes.on_pass)
        with publishing(out / "passes.json") as tmp:
            passes.write(tmp)
        publish(out / "model.c", emit_c(module))
        from ck.layout import layout_json

        choices = json.loads(module.attributes["ck.kernels"].data)  # type: ignore[union-attr]
        publish(out / "layout.json", json.dumps(layout_json(module, choices), indent=1) + "\n")
        layout = weight_layout(module)
        size = module.attributes["ck.weights_bytes"].value.data  # type: ignore[union-attr]
        blob = np.zeros(mem.align(size) // 4, dtype=np.float32)
        for name, array in self.model.init_weights().items():
            offset, shape = layout[name]
            blob[offset // 4 : offset // 4 + array.size] = array.reshape(-1)
        with publishing(out / "weights.bump") as tmp:
            blob.tofile(tmp)
        invariants = json.loads(module.attributes["ck.invariants"].data)  # type: ignore[union-attr]
        publish(out / "invariants.json", json.dumps(invariants, indent=1) + "\n")
        code = compile_code(out, module, isa, self.backend)
        written += ["passes.json", "model.c", "layout.json", "weights.bump", "invariants.json", *code]
        arena = module.attributes["ck.arena_bytes"].value.data  # type: ignore[union-attr]
        private = module.attributes["ck.private_bytes"].value.data  # type: ignore[union-attr]
        record = seal_record(out, {
            "weights": {k: [v[0], list(v[1])] for k, v in layout.items()},
            "weights_bytes": int(blob.size * 4), "arena_bytes": arena, "private_bytes": private,
            "invariants": invariants,
            # ck-opt transformer.mlir -p PIPELINE | ck-translate -t c prints model.c
            "pipeline": pipeline_text([p for _, passes in stages for p in passes]),
            "backend": self.backend, "target": code_target(self.backend),
        }, written)
        publish(out / "train.json", json.dumps(record, indent=1) + "\n")

    # ------------------------------------------------------------------ weights and gradients

    def _view(self, flat: np.ndarray, name: str) -> np.ndarray:
        offset, shape = self.layout[name]
        n = int(np.prod(shape))
        return flat[offset // 4 : offset // 4 + n].reshape(shape)

    def weights(self) -> dict[str, np.ndarray]:
        """Every trainable weight by GGUF name, numpy [out, in] (copies)."""
        return {name: self._view(self._w, name).copy() for name in self.layout}

    def set_weights(self, weights: dict[str, np.ndarray]) -> None:
        """Overwrite some or all weights (names and shapes as `weights()`)."""
        for name, value in weights.items():
            if name not in self.layout:
                raise CkError(f"set_weights: unknown weight '{name}' (known: {', '.join(self.layout)})")
            array = np.asarray(value, dtype=np.float32)
            view = self._view(self._w, name)
            if array.shape != view.shape:
                raise CkError(f"set_weights: '{name}' has shape {array.shape}, expected {view.shape}")
            view[...] = array

    def grads(self) -> dict[str, np.ndarray]:
        """The gradients of the last forward_backward, same names and shapes as `weights()`."""
        if not self._has_grads:
            raise CkError("no gradients yet: call forward_backward first")
        return {name: self._view(self._g, name).copy() for name in self.layout}

    def invariants(self) -> dict[str, Any]:
        return dict(self._invariants)

    def _check_batch(self, name: str, array: Any) -> np.ndarray:
        """Integer ids (Python ints or an integer array; 1-D for one sequence) of shape [batch, seq]:
        a wrong type is a TypeError, a wrong shape or an id outside the vocabulary a CkError."""
        from ck.token_ids import token_ids

        a = token_ids(array, self.model.vocab, name, ndims=(1, 2))
        if a.ndim == 1:
            a = a[None, :]
        if a.shape != (self.batch, self.seq):
            raise CkError(f"{name} must have shape [batch, seq] = [{self.batch}, {self.seq}], got {list(a.shape)}")
        return np.ascontiguousarray(a, dtype=np.int32)

    def forward_backward(self, tokens: Any, targets: Any) -> float:
        """Mean cross-entropy over the batch; fills `grads()` with its gradients."""
        toks, tgts = self._check_batch("tokens", tokens), self._check_batch("targets", targets)
        loss = ctypes.c_float()
        # the whole batch is one compiled step: rows of sequences, the loss and gradients their mean
        rc = self._lib.ck_train(self._session, toks.ctypes.data_as(ctypes.c_void_p),
                                tgts.ctypes.data_as(ctypes.c_void_p), toks.size, ctypes.byref(loss))
        if rc != 0:
            raise CkError(f"the training runtime failed with code {rc}")
        self._has_grads = True  # grads() copies them out when asked (AdamW only reads the buffer)
        return float(loss.value)

    def step(self, tokens: Any, targets: Any, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
             eps: float = 1e-8, weight_decay: float = 0.01) -> float:
        """forward_backward, then one AdamW update (torch.optim.AdamW semantics); the loss before it."""
        b1, b2 = betas
        for what, ok in (("lr", lr >= 0), ("betas[0]", 0 <= b1 < 1), ("betas[1]", 0 <= b2 < 1), ("eps", eps >= 0),
                         ("weight_decay", weight_decay >= 0)):
            if not ok:
                raise CkError(f"step: invalid {what} ({dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)})")
        loss = self.forward_backward(tokens, targets)
        self.losses.append(loss)
        self.step_count += 1
        rc = self._lib.ck_adamw(self._session, self.step_count, lr, b1, b2, eps, weight_decay)
        if rc != 0:
            raise CkError(f"the AdamW update failed with code {rc}")
        return loss

    def report(self, path: str | os.PathLike[str], profile: str | os.PathLike[str] | None = None) -> Path:
        """One self-contained HTML file showing this run's build (ck/report.py): the model, the
        pipeline, every stage's IR, memory, kernels, and the training: the loss of every `step`,
        the gradient norm of every weight (when a forward_backward has run) and the invariants."""
        from ck.report import write_report

        grads = self.grads() if self._has_grads else {}
        training = {
            "model": asdict(self.model), "batch": self.batch, "seq": self.seq, "config": asdict(self.config),
            "steps": self.step_count, "losses": list(self.losses),
            "grad_norms": {name: float(np.linalg.norm(g)) for name, g in grads.items()},
            "invariants": self.invariants(),
        }
        return write_report(self.directory, path, profile=profile, training=training)

    def save_gguf(self, path: str | os.PathLike[str], tokenizer: Any = True) -> None:
        """The weights as a GGUF file of the model's architecture (qwen3, qwen2 or gpt2, f32) that
        `ck.load` and llama.cpp read.

        `tokenizer`: True for the synthetic byte-level vocabulary (when vocab >= 257), a
        `ck.testing.TokenizerMetadata` (e.g. trained by `ck train`), or False for none.
        """
        from ck.testing import hf_weights, write_gguf

        weights = hf_weights(self.model.arch, self.weights())
        write_gguf(path, self.model.spec(), weights=weights, tokenizer=tokenizer)

    def save(self, path: str | os.PathLike[str]) -> None:
        """A checkpoint: model, shapes, weights, AdamW moments and step (numpy .npz)."""
        arrays = {f"w/{n}": a for n, a in self.weights().items()}
        arrays.update({f"m/{n}": self._view(self._m, n).copy() for n in self.layout})
        arrays.update({f"v/{n}": self._view(self._v, n).copy() for n in self.layout})
        meta = {"model": asdict(self.model), "batch": self.batch, "seq": self.seq, "step": self.step_count,
                "config": asdict(self.config), "losses": self.losses}
        with open(path, "wb") as f:
            np.savez(f, __meta__=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8), **arrays)

    def _restore(self, data: Any) -> None:
        self.set_weights({n: data[f"w/{n}"] for n in self.layout})
        for n in self.layout:
            self._view(self._m, n)[...] = data[f"m/{n}"]
            self._view(self._v, n)[...] = data[f"v/{n}"]


def load_run(path: str | os.PathLike[str], config: CompileConfig | None = None) -> TrainRun:
    """A TrainRun from a checkpoint written by `TrainRun.save`: weights, moments and step."""
    try:
        data = np.load(path)
        meta = json.loads(bytes(data["__meta__"]).decode())
    except (OSError, ValueError, KeyError) as e:
        raise CkError(f"{path}: not a ck checkpoint ({e})") from None
    saved = dict(meta["config"])
    if not saved.get("vectorize", True):  # a checkpoint from before vectorize=False set isa to "scalar"
        saved["isa"] = "scalar"
    run = TrainRun(Qwen3Tiny(**meta["model"]), meta["batch"], meta["seq"], config or CompileConfig(**saved))
    run._restore(data)
    run.step_count = meta["step"]
    run.losses = [float(x) for x in meta.get("losses", [])]
    return run


def compile(model: Qwen3Tiny, mode: str = "train", batch: int = 1, seq: int | None = None,
            config: CompileConfig | None = None) -> TrainRun:
    """Compile `model` for training (`mode="train"`)."""
    if mode != "train":
        raise CkError(f"ck.compile: unknown mode '{mode}' (models authored in Python compile with mode='train'; "
                      "GGUF files run with ck.load)")
    if not isinstance(model, Qwen3Tiny):
        raise CkError(f"ck.compile: expected a model from ck.models (e.g. qwen3_tiny), got {type(model).__name__}")
    return TrainRun(model, batch, seq if seq is not None else model.context_len, config or CompileConfig())
