"""The Python side of a compiled model: load libmodel.so (or, with the llvm backend, model.o
JIT-compiled: ck/llvm_jit.py) and run it through ctypes."""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import numpy as np

from ck.build import BuildInfo, build, open_library
from ck.compiler import compile_options, mem_total
from ck.errors import CkError
from ck.generate import GenerationStats
from ck.token_ids import token_ids

if TYPE_CHECKING:
    from ck.tokenizer import Tokenizer

CK_OK, CK_ERR_CONTEXT_FULL = 0, 1


class SessionConfig(ctypes.Structure):
    """runtime_c's ck_config."""

    _fields_ = [
        ("weights_path", ctypes.c_char_p),
        ("weights_bytes", ctypes.c_int64),
        ("arena_bytes", ctypes.c_int64),
        ("private_bytes", ctypes.c_int64),
        ("kv_bytes", ctypes.c_int64),
        ("context_len", ctypes.c_int64),
        ("max_tokens", ctypes.c_int64),
        ("vocab", ctypes.c_int64),
        ("threads", ctypes.c_int32),
        ("training", ctypes.c_int32),
        ("slots", ctypes.c_int64),
    ]


class NativeSession:
    """A ck_session of a loaded libmodel.so (or JIT-compiled model.o): opened once, closed once
    (also as a context manager). The library (for model.o, the MCJIT engine holding the code)
    lives as long as the session."""

    _lib: Any
    _session: int | None = None

    def _open(self, directory: Path, backend: str, isa: str, target: str, config: SessionConfig, what: str) -> Any:
        if backend == "c":
            from ck.sanitize import ensure_runtime

            ensure_runtime()  # a $CK_SANITIZE=address build needs the ASan runtime loaded first
        self._lib = lib = open_library(directory, backend, isa, target)
        lib.ck_open.restype = ctypes.c_void_p
        lib.ck_open.argtypes = [ctypes.POINTER(SessionConfig), ctypes.c_char_p, ctypes.c_size_t]
        lib.ck_close.argtypes = [ctypes.c_void_p]
        self._config = config
        err = ctypes.create_string_buffer(512)
        handle = lib.ck_open(ctypes.byref(config), err, len(err))
        if not handle:
            raise CkError(f"cannot start the {what}: {err.value.decode()}")
        self._session = handle
        return lib

    def close(self) -> None:
        if self._session is not None:
            self._lib.ck_close(self._session)
            self._session = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Model(NativeSession):
    """A compiled model with its KV cache: `logits`, `forward`, `reset`, `position`."""

    def __init__(self, info: BuildInfo, threads: int, path: str | os.PathLike[str] | None = None) -> None:
        if threads < 1:
            raise CkError(f"threads must be at least 1, got {threads}")
        self.info = info
        self.path = Path(path) if path is not None else Path(info.gguf)
        self._tokenizer: Tokenizer | None = None
        self.last_stats = GenerationStats()
        self.vocab = info.vocab
        self.context_len = info.context_len
        config = SessionConfig(
            str(info.weights).encode(), info.weights_bytes, info.arena_bytes, info.private_bytes, info.kv_bytes,
            info.context_len, info.max_tokens, info.vocab, threads, 0, info.slots,
        )
        lib = self._open(Path(info.directory), info.backend, info.isa, info.target, config, "runtime")
        lib.ck_forward_slot.restype = ctypes.c_int
        lib.ck_forward_slot.argtypes = [ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p, ctypes.c_int64,
                                        ctypes.c_void_p, ctypes.c_int32]
        lib.ck_position_slot.restype = ctypes.c_int64
        lib.ck_position_slot.argtypes = [ctypes.c_void_p, ctypes.c_int64]
        lib.ck_set_position_slot.restype = ctypes.c_int
        lib.ck_set_position_slot.argtypes = [ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64]
        lib.ck_decode_slots.restype = ctypes.c_int
        lib.ck_decode_slots.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64,
                                        ctypes.c_void_p]
        self.threads = threads

    @property
    def position(self) -> int:
        """How many tokens the KV cache (of slot 0) holds."""
        return self.position_of(0)

    def position_of(self, slot: int) -> int:
        """How many tokens the KV cache of sequence `slot` holds."""
        self._check_slot(slot)
        return int(self._lib.ck_position_slot(self._handle(), slot))

    def _handle(self) -> int:
        if self._session is None:
            raise CkError("the model is closed")
        return self._session

    def reset(self, slot: int = 0) -> None:
        """Start a new sequence (the KV cache is overwritten from position 0)."""
        self.rewind(0, slot)

    def rewind(self, position: int, slot: int = 0) -> None:
        """Keep the first `position` tokens of the cache (of sequence `slot`) and forget the rest."""
        self._check_slot(slot)
        if self._lib.ck_set_position_slot(self._handle(), slot, position) != CK_OK:
            raise CkError(f"cannot rewind to position {position} (the cache holds {self.position_of(slot)})")

    @property
    def tokenizer(self) -> Tokenizer:
        """The tokenizer stored in the GGUF file."""
        if self._tokenizer is None:
            from ck.tokenizer import Tokenizer

            self._tokenizer = Tokenizer.from_gguf(self.path)
        return self._tokenizer

    def generate(
        self,
        prompt: str | Sequence[int] | np.ndarray,
        max_tokens: int = 128,
        temperature: float = 0.8,
        top_k: int = 40,
        top_p: float = 0.95,
        min_p: float = 0.05,
        repeat_penalty: float = 1.0,
        repeat_last_n: int = 64,
        seed: int | None = None,
        keep_context: bool = False,
    ) -> Iterator[str]:
        """Yield the text generated after `prompt` (text, or token ids), piece by piece.

        A fresh sequence unless `keep_context`, which continues after what the cache
        holds. Stops at an end-of-generation token, after `max_tokens`, or when the
        context is full (with a message); `last_stats` then says which and how fast.
        """
        from ck.generate import generate_text
        from ck.sampling import SamplingParams

        params = SamplingParams(temperature=temperature, top_k=top_k, top_p=top_p, min_p=min_p,
                                repeat_penalty=repeat_penalty, repeat_last_n=repeat_last_n, seed=seed)
        if isinstance(prompt, str):
            ids = self.tokenizer.encode(prompt)
        else:
            ids = token_ids(prompt, self.vocab, "prompt").tolist()
        if not keep_context:
            self.reset()
        self.last_stats = GenerationStats()
        return generate_text(self, ids, params, max_tokens, self.last_stats)

    def forward(self, ids: Sequence[int] | np.ndarray, logits: str = "all", slot: int = 0) -> np.ndarray:
        """Append `ids` (Python ints or a 1-D integer numpy array; anything else is a TypeError,
        an id outside the vocabulary a CkError) at the current position and return logits as float32: with
        logits="all" (the default) those of every id, [len(ids), vocab]; with "last" only
        those of the last id, [1, vocab] (the lm head then runs on that one token)."""
        if logits not in ("all", "last"):
            raise CkError(f"logits must be 'all' or 'last', got {logits!r}")
        self._check_slot(slot)
        tokens = token_ids(ids, self.vocab)
        if self.position_of(slot) + tokens.size > self.context_len:
            raise CkError(
                f"context is full: {self.position_of(slot)} tokens + {tokens.size} new > context_len {self.context_len}"
            )
        last = logits == "last"
        if last and tokens.size == 0:
            raise CkError('logits="last" needs at least one id')
        ids32 = np.ascontiguousarray(tokens, dtype=np.int32)
        out = np.empty((1 if last else tokens.size, self.vocab), dtype=np.float32)
        if tokens.size == 0:
            return out
        rc = self._lib.ck_forward_slot(
            self._handle(), slot, ids32.ctypes.data_as(ctypes.c_void_p), tokens.size,
            out.ctypes.data_as(ctypes.c_void_p), 1 if last else 0,
        )
        if rc == CK_ERR_CONTEXT_FULL:
            raise CkError(f"context is full (context_len {self.context_len})")
        if rc != CK_OK:
            raise CkError(f"the runtime failed with code {rc}")
        return out

    @property
    def slots(self) -> int:
        """How many sequences (KV caches) the model holds at once (`ck.load(slots=...)`)."""
        return self.info.slots

    def _check_slot(self, slot: int) -> None:
        if isinstance(slot, bool) or not isinstance(slot, int) or not 0 <= slot < self.slots:
            raise CkError(f"slot must be an integer in [0, {self.slots}), got {slot!r}")

    def decode_batch(self, slots: Sequence[int], tokens: Sequence[int]) -> np.ndarray:
        """One decode step of several sequences at once: token i is appended to slot slots[i]
        (each slot at most once) and the logits [len(slots), vocab] come back row by row."""
        if len(slots) != len(tokens):
            raise CkError(f"decode_batch: {len(slots)} slots but {len(tokens)} tokens")
        for s in slots:
            self._check_slot(s)
        if len(set(slots)) != len(slots):
            raise CkError(f"decode_batch: a slot appears twice in {list(slots)}")
        ids = token_ids(tokens, self.vocab)
        out = np.empty((len(slots), self.vocab), dtype=np.float32)
        if not len(slots):
            return out
        for s in slots:
            if self.position_of(s) >= self.context_len:
                raise CkError(f"the context of slot {s} is full (context_len {self.context_len})")
        ids32 = np.ascontiguousarray(ids, dtype=np.int32)
        slots32 = np.ascontiguousarray(slots, dtype=np.int32)
        rc = self._lib.ck_decode_slots(self._handle(), slots32.ctypes.data_as(ctypes.c_void_p),
                                       ids32.ctypes.data_as(ctypes.c_void_p), len(slots),
                                       out.ctypes.data_as(ctypes.c_void_p))
        if rc != CK_OK:
            raise CkError(f"the runtime failed with code {rc}")
        return out

    def logits(self, ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """Logits of a fresh sequence at positions 0..len(ids)-1 (resets the cache)."""
        self.reset()
        return self.forward(ids)


def load(
    path: str | os.PathLike[str],
    context_len: int = 4096,
    threads: int | None = None,
    isa: str | None = None,
    force_compile: bool = False,
    progress: bool | None = None,
    act_dtype: str | None = None,
    kv_dtype: str = "f32",
    tuned: bool = True,
    profile: bool = False,
    slots: int = 1,
    backend: str | None = None,
) -> Model:
    """Import, lower, build (cached) and load a GGUF model (a path, or hf://OWNER/REPO/FILE.gguf).

    act_dtype: how matmuls over block-quantized weights (q8_0, q4_0, q4_1, q5_0, q5_1,
    q4_k, q5_k, q6_k) see their activations. "q8_0" quantizes them to 8 bits as llama.cpp
    does for each weight type (a scale per block of 32 for q8_0 and q4_0 .. q5_1, a scale
    per 256 with sums per 16, q8_k, for the k-quants) and uses int8 dot products; "f32" keeps
    them in f32 (exact up to summation order, slower); None (the default) means q8_0, which
    only ever applies to block-quantized weights: f32, f16 and bf16 weights always see f32
    activations. kv_dtype: the KV cache's element type, "f32" or "f16" (half the
    memory and bandwidth at long contexts). tuned: the matmuls take the schedules `ck bench
    --tune` measured fastest on this machine, when it has (same results, other blocking);
    False keeps the cost model's. profile: a profiling build, a timer around every kernel
    call (what `ck profile` runs; see ck.profiler). slots: how many sequences the model
    holds at once, each with its own KV cache of context_len (forward(..., slot=i)); above 1
    the build also has a batched decode step (decode_batch), which `ck serve -np` uses.
    backend: "c" (model.c compiled by $CC into libmodel.so), "llvm" (model.ll JIT-compiled by
    llvmlite: no C compiler needed), or None: "c" when $CC (or cc) runs, else "llvm" (said once
    on stderr).
    """
    from ck.hub import resolve

    path = resolve(path)  # hf://OWNER/REPO/FILE.gguf: the Hub cache's copy (downloaded unless offline)
    if not Path(path).exists():
        raise CkError(f"{path}: no such file")
    threads = check_threads(threads)
    options = compile_options(context_len=context_len, isa=isa, act_dtype=act_dtype, kv_dtype=kv_dtype, tuned=tuned,
                              profile=profile, slots=slots, backend=backend)
    check_kv_memory(path, options.context_len, options.kv_dtype, options.slots)
    info = build(path, options, force=force_compile, progress=progress)
    return Model(info, threads, path)


def check_threads(threads: int | None, flag: str = "threads") -> int:
    """The thread count to run with (None: the cores, at most 8); below 1 is an error, more than
    the machine's cores a one-line warning on stderr. Checked before anything is compiled."""
    if threads is None:
        return min(os.cpu_count() or 1, 8)
    if isinstance(threads, bool) or not isinstance(threads, int):
        raise TypeError(f"{flag} must be an integer, got {type(threads).__name__} {threads!r}")
    if threads < 1:
        raise CkError(f"{flag} must be at least 1, got {threads}")
    cores = os.cpu_count()
    if cores is not None and threads > cores:
        print(f"ck: warning: {flag} {threads} is more than this machine's {cores} cores; the threads will "
              "take turns on them", file=sys.stderr)
    return threads


def check_kv_memory(path: str | os.PathLike[str], context_len: int, kv_dtype: str, slots: int = 1) -> None:
    """Refuse, before compiling, a context longer than the model's learned position embedding
    (GPT-2: positions past its rows have no embedding), or whose KV caches (keys and values of
    every layer: 2 x layers x kv_heads x head_dim x context x bytes, for each of `slots`
    sequences) would not fit in the machine's memory."""
    from ck.dialects.kernel import KV_DTYPES
    from ck.dialects.memory import BLOCK_BYTES
    from ck.gguf_file import GGUFFile
    from ck.template import resolve

    model = resolve(GGUFFile(path))
    positions = model.tensors.get("position_embd.weight")
    if positions is not None and context_len > positions.info.shape[0]:
        raise CkError(f"context length {context_len} is more than the {positions.info.shape[0]} positions of "
                      f"{path}'s learned position embedding; lower -c/--ctx-size")
    total = mem_total()
    if total is None or kv_dtype not in KV_DTYPES:
        return
    element = BLOCK_BYTES[kv_dtype]  # f32 and f16 are blocks of one element

    hp = model.hparams
    layers, kv_heads, head_dim = int(hp["n_layer"]), int(hp["n_head_kv"]), int(hp["head_dim"])
    kv = 2 * layers * kv_heads * head_dim * context_len * element * slots
    if kv > total:
        each = f" x {slots} slots" if slots > 1 else ""
        raise CkError(
            f"the KV cache of a {context_len}-token context needs {kv / 2**30:.1f} GiB "
            f"(2 x {layers} layers x {kv_heads} kv heads x {head_dim} head_dim x {context_len} x "
            f"{element} bytes of {kv_dtype}{each}), more than this machine's memory "
            f"({total / 2**30:.1f} GiB MemTotal); lower -c/--ctx-size"
            + (" or use --kv-dtype f16" if kv_dtype == "f32" and kv // 2 <= total else "")
        )
