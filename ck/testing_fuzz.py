"""A GGUF mutation fuzzer: small valid files of every architecture and dtype, mutated
byte by byte and field by field, run through import and planning (no C compile).

A case passes when it ends normally or with a `CkError` whose message is one line; it
fails on any other exception, a message of several lines, a signal, a hang or an
allocation beyond a fixed budget (the seed files are a few kilobytes, so nothing they
justify comes near it). Every case is a pure function of (seed, index), so a failure is
reproduced by its index; failing inputs are written to a folder as well.

    python -m ck.testing_fuzz --cases 2000 --seed 0 --failures fuzz-failures

runs the cases in a worker process under an address-space limit and a per-case timer;
a worker that dies or hangs is replaced and the case it was running recorded.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import select
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ARCHS = ("qwen3", "qwen2", "llama", "gpt2")
DTYPES = ("f32", "f16", "bf16", "q8_0")
LOW_BIT_DTYPES = ("q4_0", "q4_1", "q5_0", "q5_1", "q4_k", "q5_k", "q6_k", "q4_k_m")
"""The 4- to 6-bit types and a mix of them, each on one architecture in turn (every architecture
gets legacy and k-quant blocks), 256 wide so that the k-quants' blocks of 256 fit every row."""
CASE_SECONDS = 10.0  # a case taking longer is a hang
MEMORY_BUDGET = 1 << 30  # address space a worker may grow by after its imports
ALIGN = 32

# GGUF value types
U8, I8, U16, I16, U32, I32, F32, BOOL, STRING, ARRAY, U64, I64, F64 = range(13)
SCALAR_FMT = {U8: "B", I8: "b", U16: "H", I16: "h", U32: "I", I32: "i", F32: "f", BOOL: "?",
              U64: "Q", I64: "q", F64: "d"}
INT_TYPES = (U8, I8, U16, I16, U32, I32, U64, I64)


# -- seed files --------------------------------------------------------------------------------

def seed_name(arch: str, dtype: str, tokenizer: bool = False) -> str:
    return f"{arch}-{dtype}{'-tok' if tokenizer else ''}.gguf"


SEEDS = [(arch, dtype, False) for arch in ARCHS for dtype in DTYPES] + [
    (ARCHS[i % len(ARCHS)], dtype, False) for i, dtype in enumerate(LOW_BIT_DTYPES)] + [
    ("qwen3", "q8_0", True), ("qwen2", "f16", True), ("llama", "bf16", True), ("gpt2", "q8_0", True)]


def write_seeds(folder: Path) -> list[Path]:
    """Tiny valid GGUFs (one layer, 32 wide or 256 for the 4- to 6-bit types, 2 heads, 1 kv head
    (gpt2: 2)): one per architecture and dtype without a vocabulary, and one per architecture with
    a byte-level one (vocab 260, `ck run` can prompt them)."""
    from ck.testing import ModelSpec, write_gguf

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for arch, dtype, tokenizer in SEEDS:
        path = folder / seed_name(arch, dtype, tokenizer)
        if not path.exists():
            dim = 256 if dtype in LOW_BIT_DTYPES else 32
            gpt2 = arch == "gpt2"
            spec = ModelSpec(arch=arch, dtype=dtype, vocab=260 if tokenizer else 64, dim=dim, layers=1,
                             ffn=4 * dim if gpt2 else 2 * dim, heads=2, kv_heads=2 if gpt2 else 1)
            write_gguf(path, spec, tokenizer=tokenizer)
        paths.append(path)
    return paths


# -- the file as fields ------------------------------------------------------------------------

@dataclass
class KV:
    key: str
    vtype: int
    payload: bytes  # the value's bytes after its type code


@dataclass
class Tensor:
    name: str
    dims: list[int]
    ttype: int
    offset: int


@dataclass
class Layout:
    """A little-endian GGUF file taken apart; `encode` puts it back together byte for byte."""

    version: int
    kvs: list[KV]
    tensors: list[Tensor]
    data: bytes  # from the aligned start of the tensor data
    n_kv: int | None = None  # header counts when mutated apart from the lists
    n_tensors: int | None = None

    def encode(self) -> bytes:
        out = bytearray(b"GGUF")
        out += struct.pack("<IQQ", self.version,
                           len(self.tensors) if self.n_tensors is None else self.n_tensors,
                           len(self.kvs) if self.n_kv is None else self.n_kv)
        for kv in self.kvs:
            out += _str(kv.key) + struct.pack("<I", kv.vtype) + kv.payload
        for t in self.tensors:
            out += _str(t.name) + struct.pack("<I", len(t.dims))
            out += b"".join(struct.pack("<Q", d) for d in t.dims)
            out += struct.pack("<IQ", t.ttype, t.offset)
        out += bytes(-len(out) % ALIGN)
        return bytes(out) + self.data

    def header_end(self) -> int:
        return len(self.encode()) - len(self.data)


def _str(s: str | bytes) -> bytes:
    b = s.encode() if isinstance(s, str) else s
    return struct.pack("<Q", len(b)) + b


def parse_layout(data: bytes) -> Layout:
    off = 4
    version, n_tensors, n_kv = struct.unpack_from("<IQQ", data, off)
    off += 20

    def string() -> str:
        nonlocal off
        (n,) = struct.unpack_from("<Q", data, off)
        s = data[off + 8 : off + 8 + n].decode()
        off += 8 + n
        return s

    def skip_value(vtype: int) -> None:
        nonlocal off
        if vtype == STRING:
            string()
        elif vtype == ARRAY:
            etype, count = struct.unpack_from("<IQ", data, off)
            off += 12
            for _ in range(count):
                skip_value(etype)
        else:
            off += struct.calcsize(SCALAR_FMT[vtype])

    kvs = []
    for _ in range(n_kv):
        key = string()
        (vtype,) = struct.unpack_from("<I", data, off)
        off += 4
        start = off
        skip_value(vtype)
        kvs.append(KV(key, vtype, data[start:off]))
    tensors = []
    for _ in range(n_tensors):
        name = string()
        (nd,) = struct.unpack_from("<I", data, off)
        dims = list(struct.unpack_from(f"<{nd}Q", data, off + 4))
        off += 4 + 8 * nd
        ttype, offset = struct.unpack_from("<IQ", data, off)
        off += 12
        tensors.append(Tensor(name, dims, ttype, offset))
    off += -off % ALIGN
    return Layout(version, kvs, tensors, data[off:])


# -- mutations ---------------------------------------------------------------------------------

def _boundary_ints(rng: random.Random, old: int | None = None) -> int:
    choices = [0, 1, -1, 2, 3, 7, 31, 33, 255, 256, 2**15, 2**16 - 1, 2**31 - 1, 2**31, 2**32 - 1, 2**32,
               2**53, 2**62, 2**63 - 1, 2**63, 2**64 - 1, -(2**31), -(2**63), rng.getrandbits(64)]
    if old is not None:
        choices += [old + 1, old - 1, old * 2, old // 2, old * 3, old + 32, -old]
    return rng.choice(choices)


def _wrap(value: int, fmt: str) -> int:
    bits = struct.calcsize(fmt) * 8
    value &= (1 << bits) - 1
    if fmt.islower() and value >= 1 << (bits - 1):  # signed
        value -= 1 << bits
    return value


def _encode_value(vtype: int, value: Any) -> bytes:
    if vtype == STRING:
        return _str(value)
    fmt = SCALAR_FMT[vtype]
    if vtype in INT_TYPES:
        value = _wrap(int(value), fmt)
    return struct.pack("<" + fmt, value)


def _any_value(rng: random.Random, vtype: int, old: Any = None) -> bytes:
    """A payload of type `vtype`: boundary numbers, odd floats, odd strings, odd arrays."""
    if vtype in INT_TYPES:
        return _encode_value(vtype, _boundary_ints(rng, old if isinstance(old, int) else None))
    if vtype in (F32, F64):
        v = rng.choice([0.0, -0.0, -1.0, 1.0, float("nan"), float("inf"), float("-inf"), 1e-45, 1e-300,
                        3.4e38, 1e300, 0.5, 32.0, 4096.0, 1e6, rng.uniform(-1e9, 1e9)])
        if vtype == F32 and math.isfinite(v) and abs(v) > 3.4e38:
            v = float("inf")
        return struct.pack("<" + SCALAR_FMT[vtype], v)
    if vtype == BOOL:
        return bytes([rng.choice([0, 1, 2, 255])])
    if vtype == STRING:
        s = rng.choice(["", "qwen3", "qwen2", "llama", "gemma3", "a\nb", "\x00", "é" * 3, "x" * 300,
                        "qwen3\n", "{i}", "blk.0.attn_q.weight"])
        return _str(s)
    etype = rng.choice([U32, I32, F32, STRING, U8, ARRAY, 13, 99])
    count = rng.choice([0, 1, 2, 3, 2**32, 2**62, 2**64 - 1])
    body = b"".join(_any_value(rng, etype) for _ in range(min(count, 3))) if etype in SCALAR_FMT or etype == STRING else b""
    return struct.pack("<IQ", etype, count) + body


def _decode_scalar(kv: KV) -> Any:
    if kv.vtype in SCALAR_FMT:
        try:
            return struct.unpack("<" + SCALAR_FMT[kv.vtype], kv.payload)[0]
        except struct.error:
            return None
    return None


def _mutate_kv(rng: random.Random, lay: Layout) -> str:
    if not lay.kvs:
        return "no kv"
    i = rng.randrange(len(lay.kvs))
    kv = lay.kvs[i]
    how = rng.choice(["value", "value", "value", "retype", "typecode", "drop", "dup", "swap_keys", "rename",
                      "array_count", "alignment", "arch"])
    if how == "array_count" and not (kv.vtype == ARRAY and len(kv.payload) >= 12):
        how = "retype"
    if how == "value" and kv.vtype not in SCALAR_FMT:
        how = "retype"
    if how == "value":
        kv.payload = _any_value(rng, kv.vtype, _decode_scalar(kv))
    elif how == "retype":
        old = _decode_scalar(kv)
        kv.vtype = rng.choice([U8, I8, U16, I16, U32, I32, F32, BOOL, STRING, ARRAY, U64, I64, F64])
        kv.payload = _any_value(rng, kv.vtype, old)
    elif how == "typecode":
        kv.vtype = rng.choice([*range(13), 13, 14, 255, 2**31, 2**32 - 1])
    elif how == "drop":
        del lay.kvs[i]
    elif how == "dup":
        lay.kvs.insert(rng.randrange(len(lay.kvs) + 1), KV(kv.key, kv.vtype, kv.payload))
    elif how == "swap_keys":
        other = lay.kvs[rng.randrange(len(lay.kvs))]
        kv.key, other.key = other.key, kv.key
    elif how == "rename":
        k = list(kv.key)
        if k:
            k[rng.randrange(len(k))] = rng.choice(["", ".", "\n", "x", "\x00", "é"])
        kv.key = "".join(k)
    elif how == "array_count":
        count = rng.choice([0, 1, 2**16, 2**32, 2**62, 2**64 - 1, rng.getrandbits(64)])
        kv.payload = kv.payload[:4] + struct.pack("<Q", count) + kv.payload[12:]
    elif how == "alignment":
        lay.kvs = [k for k in lay.kvs if k.key != "general.alignment"]
        vtype = rng.choice([U32, U32, U32, U64, I32, F32, STRING, U8])
        value = rng.choice([0, 1, 3, 7, 8, 16, 24, 64, 2**31, 2**32 - 1, -1])
        payload = _any_value(rng, vtype) if vtype in (F32, STRING) else _encode_value(vtype, value)
        lay.kvs.insert(rng.randrange(len(lay.kvs) + 1), KV("general.alignment", vtype, payload))
    elif how == "arch":
        for k in lay.kvs:
            if k.key == "general.architecture":
                k.payload = _any_value(rng, STRING)
    return f"kv {how} {kv.key!r}"


def _mutate_tensor(rng: random.Random, lay: Layout) -> str:
    if not lay.tensors:
        return "no tensor"
    i = rng.randrange(len(lay.tensors))
    t = lay.tensors[i]
    how = rng.choice(["dim", "dim", "dim", "ndims", "type", "type", "offset", "offset", "drop", "dup", "swap",
                      "rename"])
    if how == "dim" and t.dims:
        j = rng.randrange(len(t.dims))
        t.dims[j] = _boundary_ints(rng, t.dims[j]) & (2**64 - 1)
    elif how == "ndims":
        if t.dims and rng.random() < 0.5:
            t.dims.pop(rng.randrange(len(t.dims)))
        else:
            t.dims.insert(rng.randrange(len(t.dims) + 1), rng.choice([1, 1, 2, 32, 2**32, 2**63]))
    elif how == "type":
        t.ttype = rng.choice([0, 1, 2, 3, 6, 8, 10, 12, 14, 16, 24, 28, 29, 30, 31, 34, 39, 40, 99, 2**32 - 1])
    elif how == "offset":
        others = [o.offset for o in lay.tensors]
        t.offset = rng.choice([0, t.offset + 1, t.offset + 32, t.offset - 32, len(lay.data), len(lay.data) - 32,
                               2**63, 2**64 - 1, 2**64 - 32, rng.choice(others)]) & (2**64 - 1)
    elif how == "drop":
        del lay.tensors[i]
    elif how == "dup":
        lay.tensors.insert(rng.randrange(len(lay.tensors) + 1), Tensor(t.name, list(t.dims), t.ttype, t.offset))
    elif how == "swap":
        other = lay.tensors[rng.randrange(len(lay.tensors))]
        t.name, other.name = other.name, t.name
    else:
        n = list(t.name)
        n[rng.randrange(len(n))] = rng.choice(["", "1", "9", "\n", "x", "{i}"])
        t.name = "".join(n)
    return f"tensor {how} {t.name!r}"


def _mutate_header(rng: random.Random, lay: Layout) -> str:
    what = rng.choice(["n_kv", "n_tensors", "version"])
    if what == "version":
        lay.version = rng.choice([0, 1, 2, 4, 2**24 * 3, 2**32 - 1])
    else:
        n = len(lay.kvs) if what == "n_kv" else len(lay.tensors)
        value = rng.choice([0, n - 1, n + 1, n * 2, 2**32, 2**63, 2**64 - 1]) & (2**64 - 1)
        setattr(lay, what, value)
    return f"header {what}"


def _mutate_bytes(rng: random.Random, data: bytearray, header_end: int, data_only: bool) -> str:
    lo, hi = (header_end, len(data)) if data_only else (0, header_end if rng.random() < 0.8 else len(data))
    hi = min(hi, len(data))
    if hi <= lo:
        return "bytes none"
    pos = rng.randrange(lo, hi)
    how = rng.choice(["flip", "set", "int"] if data_only else
                     ["flip", "flip", "set", "int", "int", "truncate", "insert", "delete", "duplicate"])
    if how == "flip":
        for _ in range(rng.randint(1, 8)):
            p = rng.randrange(lo, hi)
            data[p] ^= 1 << rng.randrange(8)
    elif how == "set":
        data[pos] = rng.choice([0, 0xFF, 0x7F, 0x80, rng.randrange(256)])
    elif how == "int":
        width = rng.choice([4, 8, 2])
        value = _boundary_ints(rng) & ((1 << 8 * width) - 1)
        chunk = value.to_bytes(width, "little")
        if data_only and rng.random() < 0.5:  # non-finite floats in the weights
            chunk = rng.choice([b"\x00\x00\xc0\x7f", b"\x00\x00\x80\x7f", b"\x00\x7c", b"\xff\xff"])
        end = min(pos + len(chunk), hi)
        data[pos:end] = chunk[: end - pos]
    elif how == "truncate":
        del data[pos:]
    elif how == "insert":
        data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.choice([1, 4, 8, 17])))
    elif how == "delete":
        del data[pos : pos + rng.choice([1, 4, 8, 17])]
    else:
        n = rng.choice([4, 8, 16, 64])
        data[pos:pos] = data[pos : pos + n]
    return f"bytes {how} @{pos}"


@dataclass
class Case:
    index: int
    seed_file: str
    data: bytes
    steps: list[str] = field(default_factory=list)
    data_only: bool = False  # only tensor data changed: the file must still import cleanly


def make_case(seed: int, index: int, seeds: dict[str, bytes]) -> Case:
    """The `index`th case of run `seed`: a seed file with one to three mutations."""
    rng = random.Random(f"{seed}/{index}")
    name = rng.choice(sorted(seeds))
    original = seeds[name]
    lay = parse_layout(original)
    case = Case(index, name, original)
    if rng.random() < 0.08:
        case.data_only = True
        data = bytearray(original)
        for _ in range(rng.randint(1, 4)):
            case.steps.append(_mutate_bytes(rng, data, lay.header_end(), data_only=True))
        case.data = bytes(data)
        return case
    n_struct = rng.choice([0, 1, 1, 1, 2])
    for _ in range(n_struct):
        pick = rng.random()
        mutate = _mutate_kv if pick < 0.5 else _mutate_tensor if pick < 0.9 else _mutate_header
        case.steps.append(mutate(rng, lay))
    data = bytearray(lay.encode())
    n_bytes = rng.choice([0, 1, 1, 2]) if n_struct else rng.choice([1, 1, 2, 3])
    for _ in range(n_bytes):
        case.steps.append(_mutate_bytes(rng, data, lay.header_end(), data_only=False))
    case.data = bytes(data)
    return case


# -- running a case ----------------------------------------------------------------------------

class CaseTimeout(BaseException):
    """Raised by the per-case timer (a BaseException so that no `except Exception` eats it)."""


class Checker:
    """Runs a case through GGUFFile, import and the lowering to the memory stage. Planning is a
    function of the imported model alone, so it runs once per distinct (arch, hparams, tensor
    shapes and dtypes): a mutation of tensor data or of an unused key plans nothing new."""

    def __init__(self) -> None:
        from ck.compiler import CompileOptions

        self.options = CompileOptions(isa="avx2", context_len=64, max_tokens=8, act_dtype="q8_0")
        self.planned: dict[str, str] = {}

    def run(self, path: Path) -> tuple[str, str]:
        """("ok", ""), ("error", the one-line message) or ("fail", what went wrong)."""
        import traceback

        from ck.compiler import lowering_stages, run_stages
        from ck.errors import CkError
        from ck.gguf_file import GGUFFile
        from ck.importer import import_gguf

        try:
            imported = import_gguf(GGUFFile(path))
            m = imported.model
            key = repr((m.arch, sorted((k, repr(v)) for k, v in m.hparams.items()),
                        sorted((n, r.info.name, r.info.shape, r.info.dtype) for n, r in m.tensors.items())))
            if key not in self.planned:
                self.planned[key] = "running"
                run_stages(imported.module, lowering_stages(self.options, "memory")[1:])
                self.planned[key] = "ok"
            return "ok", ""
        except CkError as e:
            msg = str(e)
            if "\n" in msg or "\r" in msg or not msg.strip():
                return "fail", f"{type(e).__name__} of {len(msg.splitlines())} lines: {msg!r}"
            return "error", msg
        except CaseTimeout:
            return "fail", f"hang: no result within {CASE_SECONDS} s"
        except MemoryError:
            return "fail", "allocation beyond the memory budget (MemoryError)"
        except Exception:  # noqa: BLE001  (anything else reaching the user is the failure sought)
            return "fail", traceback.format_exc()


def worker(seed: int, start: int, end: int, seed_dir: Path) -> None:
    """Run cases [start, end) of `seed`, printing one JSON line per case."""
    import resource
    import signal

    seeds = {p.name: p.read_bytes() for p in sorted(seed_dir.glob("*.gguf"))}
    checker = Checker()
    import ck.importer  # noqa: F401  (imports before the limit: the budget is for the cases)
    from ck.compiler import lowering_stages, run_stages  # noqa: F401

    vm = _vm_bytes()
    if vm:
        resource.setrlimit(resource.RLIMIT_AS, (vm + MEMORY_BUDGET, resource.RLIM_INFINITY))

    def on_alarm(*_: Any) -> None:
        raise CaseTimeout

    signal.signal(signal.SIGALRM, on_alarm)
    with tempfile.TemporaryDirectory(prefix="ck-fuzz-") as tmp:
        path = Path(tmp) / "case.gguf"
        for i in range(start, end):
            case = make_case(seed, i, seeds)
            path.write_bytes(case.data)
            signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
            try:
                status, msg = checker.run(path)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if case.data_only and status != "ok":
                status, msg = "fail", f"only tensor data changed, yet: {msg}"
            print(json.dumps({"i": i, "status": status, "msg": msg, "data_only": case.data_only}), flush=True)


def _vm_bytes() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class Result:
    seed: int
    cases: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    clean_data_only: list[int] = field(default_factory=list)  # data-only cases that imported
    seconds: float = 0.0


def run_cases(seed: int, cases: int, seed_dir: Path, failures_dir: Path | None = None,
              start: int = 0, stall_seconds: float = 60.0, progress: bool = False) -> Result:
    """Run cases [start, start + cases) of `seed` in worker processes; a worker that dies or
    stays silent for `stall_seconds` is replaced and its case recorded as a failure."""
    seeds = {p.name: p.read_bytes() for p in sorted(seed_dir.glob("*.gguf"))}
    if not seeds:
        raise ValueError(f"no seed files (*.gguf) in {seed_dir}")
    result = Result(seed)
    t0 = time.monotonic()
    nxt, end = start, start + cases
    while nxt < end:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ck.testing_fuzz", "--worker", "--seed", str(seed), "--start", str(nxt),
             "--end", str(end), "--seeds", str(seed_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert proc.stdout is not None
        while True:
            ready, _, _ = select.select([proc.stdout], [], [], stall_seconds)
            line = proc.stdout.readline() if ready else None
            if not line:
                break
            rec = json.loads(line)
            nxt = rec["i"] + 1
            result.cases += 1
            result.counts[rec["status"]] = result.counts.get(rec["status"], 0) + 1
            if rec["status"] == "fail":
                _record(result, seed, rec, seeds, failures_dir)
            elif rec["data_only"]:
                result.clean_data_only.append(rec["i"])
            if progress and result.cases % 1000 == 0:
                rate = result.cases / (time.monotonic() - t0)
                print(f"{result.cases} cases, {rate:.0f}/s, {result.counts}", file=sys.stderr, flush=True)
        if proc.poll() is None:
            proc.kill()
            why = f"hang: worker silent for {stall_seconds} s"
        else:
            why = f"worker ended with status {proc.returncode}"
        proc.wait()
        err = proc.stderr.read() if proc.stderr else ""
        if nxt < end:  # the worker died on case `nxt`
            result.cases += 1
            result.counts["fail"] = result.counts.get("fail", 0) + 1
            _record(result, seed, {"i": nxt, "status": "fail", "msg": f"{why}: {err.strip()[-2000:]}"},
                    seeds, failures_dir)
            nxt += 1
    result.seconds = time.monotonic() - t0
    return result


def _record(result: Result, seed: int, rec: dict[str, Any], seeds: dict[str, bytes],
            failures_dir: Path | None) -> None:
    case = make_case(seed, rec["i"], seeds)
    rec = {**rec, "seed": seed, "seed_file": case.seed_file, "steps": case.steps}
    result.failures.append(rec)
    if failures_dir is not None:
        failures_dir.mkdir(parents=True, exist_ok=True)
        stem = failures_dir / f"seed{seed}-case{rec['i']}"
        stem.with_suffix(".gguf").write_bytes(case.data)
        stem.with_suffix(".txt").write_text(json.dumps(rec, indent=1) + "\n")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ck.testing_fuzz", description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--start", type=int, default=0, help="first case index (to rerun one case: --start I --cases 1)")
    p.add_argument("--seeds", type=Path, default=None, help="folder of seed files (written when absent)")
    p.add_argument("--failures", type=Path, default=Path("fuzz-failures"), help="where failing inputs go")
    p.add_argument("--check", type=Path, nargs="+", metavar="FILE",
                   help="run these files (e.g. recorded failures) through the checker, in this process")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--end", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        worker(args.seed, args.start, args.end, args.seeds)
        return 0
    if args.check:
        checker, failed = Checker(), 0
        for path in args.check:
            status, msg = checker.run(path)
            failed += status == "fail"
            print(f"{path}: {status}{': ' + msg if msg else ''}")
        return 1 if failed else 0
    with tempfile.TemporaryDirectory(prefix="ck-fuzz-seeds-") as tmp:
        seed_dir = args.seeds or Path(tmp)
        write_seeds(seed_dir)
        result = run_cases(args.seed, args.cases, seed_dir, args.failures, start=args.start, progress=True)
    for f in result.failures:
        print(f"case {f['i']} ({f['seed_file']}; {'; '.join(f['steps'])}): {f['msg'].strip().splitlines()[-1]}")
    print(f"{result.cases} cases in {result.seconds:.1f} s: {result.counts}")
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
