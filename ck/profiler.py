"""`ck profile`: run a profiling build and say where each microsecond of prefill and decode goes.

The build (`CompileOptions(profile=True)`) brackets every kernel and barrier call with the
runtime's clock (`instrument-kernels`); `sites.json` says what each call site is. This module
attaches a log to the session, runs prefill of P tokens and N decode steps a few rounds,
and turns the per-thread records into:

- `profile.json`: `machine` (read_gbps and peak_gflops from built-in probes, run before and
  after the profile: the higher), `steps`
  (prefill_us: median of one prefill of P tokens; decode_us: median of one decode step),
  `kernels` (one entry per kernel call site: time_us is the wall time from the call's start
  on its first thread to its end on its last, summed over calls; time_us_per_thread each
  thread's own; bytes and flops from the kernel registry's cost; roofline: the time this
  machine's limits allow for that work over the time it took), `barriers` (wait per thread);
- `trace.json`: the last round in Chrome's trace-event format, one track per thread;
- `profile.folded`: `layer;op;kernel microseconds` lines for flame graphs (the layer frame
  names the phase: `decode layer 3`, `prefill header`);
- a table of the top kernels, like `perf report`.
"""

from __future__ import annotations

import ctypes
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, TypeVar

import numpy as np

from ck.build import BuildInfo
from ck.errors import CkError
from ck.profile_sites import Site, read_sites

RECORD_FIELDS = 4  # ck_prof_record: site, job, start_ns, end_ns
PEAK_KIND_CODES = {"f32": 0, "int8": 1, "bf16": 2}
T = TypeVar("T")


@dataclass
class Machine:
    """What this machine can do, measured by the runtime's probes with the run's thread count."""

    threads: int
    read_gbps: float
    peak_gflops: float
    peak_int8_gops: float | None
    peak_bf16_gflops: float | None
    cpu: str
    isa: str

    def peak(self, kind: str) -> float:
        """GFLOP/s (or GOP/s) of the arithmetic a kernel runs on; f32 where the kind is missing."""
        value = {"int8": self.peak_int8_gops, "bf16": self.peak_bf16_gflops}.get(kind)
        return value if value else self.peak_gflops

    def best(self, other: Machine) -> Machine:
        """The higher of two probes' numbers: what the machine can do, on a host whose speed
        moves while a profile runs (the probes run before and after it)."""

        def top(a: float | None, b: float | None) -> float | None:
            return None if a is None and b is None else max(x for x in (a, b) if x is not None)

        return Machine(self.threads, max(self.read_gbps, other.read_gbps), max(self.peak_gflops, other.peak_gflops),
                       top(self.peak_int8_gops, other.peak_int8_gops), top(self.peak_bf16_gflops, other.peak_bf16_gflops),
                       self.cpu, self.isa)

    def as_json(self) -> dict[str, Any]:
        return {
            "cpu": self.cpu, "isa": self.isa, "threads": self.threads, "read_gbps": round(self.read_gbps, 3),
            "peak_gflops": round(self.peak_gflops, 3),
            "peak_int8_gops": None if self.peak_int8_gops is None else round(self.peak_int8_gops, 3),
            "peak_bf16_gflops": None if self.peak_bf16_gflops is None else round(self.peak_bf16_gflops, 3),
        }


def probed(info: BuildInfo, threads: int, run: Callable[[], T]) -> tuple[T, Machine]:
    """`run()` between two probes of the machine, and the higher numbers of the two (the host's
    speed moves while a profile runs)."""
    before = probe_machine(info, threads)
    result = run()
    return result, before.best(probe_machine(info, threads))


def probe_machine(info: BuildInfo, threads: int) -> Machine:
    """Read bandwidth over 512 MiB and peak arithmetic over 0.2 s of each kind, on `threads` threads
    (with the build's runtime: libmodel.so, or JIT-compiled model.o)."""
    from ck.build import open_library
    from ck.compiler import cpu_info

    isa = info.isa
    lib = open_library(Path(info.directory), info.backend, info.isa, info.target)
    lib.ck_probe_read_gbps.restype = ctypes.c_double
    lib.ck_probe_read_gbps.argtypes = [ctypes.c_int32, ctypes.c_int64]
    lib.ck_probe_peak_gflops.restype = ctypes.c_double
    lib.ck_probe_peak_gflops.argtypes = [ctypes.c_int32, ctypes.c_int32, ctypes.c_double]
    gbps = float(lib.ck_probe_read_gbps(threads, 512 << 20))
    peaks = {k: float(lib.ck_probe_peak_gflops(threads, code, 0.2)) for k, code in PEAK_KIND_CODES.items()}
    if gbps <= 0 or peaks["f32"] <= 0:
        raise CkError(f"the machine probes could not run with {threads} threads")
    return Machine(
        threads, gbps, peaks["f32"], peaks["int8"] if peaks["int8"] > 0 else None,
        peaks["bf16"] if peaks["bf16"] > 0 else None, cpu_info().get("model name", ""), isa,
    )


@dataclass
class Recording:
    """The raw records of a profiled run, and what each job was."""

    threads: int
    records: list[np.ndarray]  # per thread: [n, 4] int64 (site, job, start_ns, end_ns)
    job_tokens: list[int]  # tokens of each job, by job number
    job_steps: list[int]  # the step (one prefill, or one decode step) each job belongs to


class ProfileLog:
    """A log attached to a model's session: every thread's records of every timed call."""

    def __init__(self, model: Any, capacity: int) -> None:
        self.model = model
        self.threads = model.threads
        self.capacity = capacity
        self.records = np.zeros((self.threads * capacity, RECORD_FIELDS), dtype=np.int64)
        self.counts = np.zeros(2 * self.threads, dtype=np.int64)
        lib = model._lib
        lib.ck_profile_attach.restype = ctypes.c_int64
        lib.ck_profile_attach.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p]
        self._lib = lib

    def __enter__(self) -> ProfileLog:
        self._lib.ck_profile_attach(self.model._handle(), self.records.ctypes.data_as(ctypes.c_void_p),
                                    self.capacity, self.counts.ctypes.data_as(ctypes.c_void_p))
        return self

    def __exit__(self, *exc: object) -> None:
        self.jobs = int(self._lib.ck_profile_attach(self.model._handle(), None, 0, None))

    def per_thread(self) -> list[np.ndarray]:
        return [self.records[t * self.capacity : t * self.capacity + int(self.counts[t])].copy()
                for t in range(self.threads)]

    @property
    def dropped(self) -> int:
        return int(self.counts[self.threads :].sum())

    def recording(self, steps: list[list[int]]) -> Recording:
        """The records, once detached, with the jobs of each step (their token counts)."""
        tokens = [t for step in steps for t in step]
        if self.jobs != len(tokens):
            raise CkError(f"the runtime ran {self.jobs} jobs, expected {len(tokens)}")
        if self.dropped:
            raise CkError(f"the profile log dropped {self.dropped} records")
        return Recording(self.threads, self.per_thread(), tokens,
                         [i for i, step in enumerate(steps) for _ in step])


@dataclass
class Steps:
    prefill_s: list[float] = field(default_factory=list)
    decode_s: list[float] = field(default_factory=list)


def chunks(tokens: int, max_tokens: int) -> list[int]:
    """How the runtime splits a forward of `tokens` tokens into jobs."""
    return [min(max_tokens, tokens - done) for done in range(0, tokens, max_tokens)]


def sites_per_job(sites: list[Site]) -> int:
    """Records one thread writes in one job at most: the sites of the largest entry point."""
    return max((sum(1 for s in sites if s.function == f) for f in {s.function for s in sites}), default=1)


def record(model: Any, sites: list[Site], jobs: int, body: Callable[[], list[list[int]]]) -> Recording:
    """Run `body` (at most `jobs` jobs of the pool) with a log attached; body returns, for each
    step it ran (a prefill, a decode step), the tokens of each of its jobs."""
    with ProfileLog(model, max(1, jobs * sites_per_job(sites))) as log:
        steps = body()
    return log.recording(steps)


def run_rounds(model: Any, sites: list[Site], prompt: int, decode: int, rounds: int) -> tuple[Recording, Steps]:
    """One warm-up round unrecorded, then `rounds` rounds of (reset, prefill `prompt` tokens,
    `decode` decode steps), every step timed from Python and every call by the log."""
    rng = np.random.default_rng(0)
    ids = [int(i) for i in rng.integers(0, model.vocab, prompt + decode)]
    prefill_jobs = chunks(prompt, model.info.max_tokens)

    def one_round(steps: Steps | None) -> None:
        model.reset()
        start = time.perf_counter()
        if prompt:
            model.forward(ids[:prompt], logits="last")
        if steps is not None and prompt:
            steps.prefill_s.append(time.perf_counter() - start)
        for token in ids[prompt:]:
            start = time.perf_counter()
            model.forward([token], logits="last")
            if steps is not None:
                steps.decode_s.append(time.perf_counter() - start)

    one_round(None)
    steps = Steps()

    def body() -> list[list[int]]:
        for _ in range(rounds):
            one_round(steps)
        return (([prefill_jobs] if prompt else []) + [[1]] * decode) * rounds

    return record(model, sites, rounds * (len(prefill_jobs) + decode), body), steps


def _us(ns: float) -> float:
    return round(float(ns) / 1000.0, 3)


def aggregate(sites: list[Site], rec: Recording, machine: Machine, steps: Steps,
              prompt: int, decode: int, rounds: int) -> dict[str, Any]:
    """profile.json from the records: per site, calls, wall and per-thread times, cost, speed."""
    n_sites = len(sites)
    busy = np.zeros((rec.threads, n_sites))
    for t, r in enumerate(rec.records):
        if r.size == 0:
            continue
        np.add.at(busy[t], r[:, 0], (r[:, 3] - r[:, 2]).astype(np.float64))
    every = np.concatenate([r for r in rec.records if r.size] or [np.zeros((0, 4), np.int64)])
    per_step: dict[str, dict[int, float]] = {"prefill": defaultdict(float), "decode": defaultdict(float)}
    wall = np.zeros(n_sites)
    calls = np.zeros(n_sites, dtype=np.int64)
    tokens_done = np.zeros(n_sites, dtype=np.int64)
    if every.size:
        key = every[:, 1] * n_sites + every[:, 0]
        order = np.argsort(key, kind="stable")
        key, every = key[order], every[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        lo = np.minimum.reduceat(every[:, 2], starts)
        hi = np.maximum.reduceat(every[:, 3], starts)
        site_of = every[starts, 0]
        job_of = every[starts, 1]
        np.add.at(wall, site_of, (hi - lo).astype(np.float64))
        np.add.at(calls, site_of, 1)
        np.add.at(tokens_done, site_of, np.asarray(rec.job_tokens)[job_of])
        for site, job, ns in zip(site_of.tolist(), job_of.tolist(), (hi - lo).tolist(), strict=True):
            if sites[site].kind == "kernel" and sites[site].phase in per_step:
                per_step[sites[site].phase][rec.job_steps[job]] += ns
    kernels, barriers = [], []
    for s in sites:
        i = s.site
        if s.kind == "barrier":
            barriers.append({
                "site": i, "phase": s.phase, "c_line": s.c_line, "after": s.comment, "calls": int(calls[i]),
                "wait_us_per_thread": [_us(busy[t, i]) for t in range(rec.threads)],
            })
            continue
        n = int(calls[i])
        bytes_, flops = s.bytes * n + s.bytes_per_token * int(tokens_done[i]), s.flops * n + s.flops_per_token * int(tokens_done[i])
        seconds = wall[i] * 1e-9
        limit = max(bytes_ / (machine.read_gbps * 1e9), flops / (machine.peak(s.peak) * 1e9))
        kernels.append({
            "site": i, "op": s.op, "origin": s.origin, "layer": s.layer, "kernel": s.kernel,
            "c_function": s.c_function, "c_line": s.c_line, "phase": s.phase, "calls": n,
            "time_us": _us(wall[i]), "time_us_per_thread": [_us(busy[t, i]) for t in range(rec.threads)],
            "bytes": int(bytes_), "flops": int(flops),
            "gbps": round(bytes_ / seconds / 1e9, 3) if seconds > 0 else 0.0,
            "gflops": round(flops / seconds / 1e9, 3) if seconds > 0 else 0.0,
            "roofline": round(limit / seconds, 4) if seconds > 0 else 0.0,
            "peak": s.peak, "comment": s.comment,
        })
    return {
        "machine": machine.as_json(),
        "steps": step_summary(barriers, steps, per_step, prompt, decode, rounds, rec.threads),
        "kernels": kernels,
        "barriers": barriers,
    }


def step_summary(barriers: list[dict[str, Any]], steps: Steps,
                 per_step: dict[str, dict[int, float]], prompt: int, decode: int, rounds: int,
                 threads: int) -> dict[str, Any]:
    """The measured step times (median, and mean), what the kernels' times add up to in a step
    (the median over steps of each step's sum, and the mean), and barrier waits per step."""
    out: dict[str, Any] = {"prompt_tokens": prompt, "decode_steps": decode, "rounds": rounds, "threads": threads}
    for phase, measured, per_round in (("prefill", steps.prefill_s, 1), ("decode", steps.decode_s, decode)):
        runs = rounds * per_round
        sums = list(per_step[phase].values())
        out[f"{phase}_us"] = round(statistics.median(measured) * 1e6, 3) if measured else None
        out[f"{phase}_us_mean"] = round(statistics.fmean(measured) * 1e6, 3) if measured else None
        out[f"{phase}_kernel_us"] = round(statistics.median(sums) / 1000.0, 3) if sums else None
        out[f"{phase}_kernel_us_mean"] = round(statistics.fmean(sums) / 1000.0, 3) if sums else None
        out[f"{phase}_barrier_wait_us_per_thread"] = [
            round(sum(b["wait_us_per_thread"][t] for b in barriers if b["phase"] == phase) / runs, 3) if runs else None
            for t in range(threads)
        ]
    return out


def folded(kernels: list[dict[str, Any]]) -> str:
    """`layer;op;kernel microseconds`: the layer frame says the phase and the layer (or header/footer)."""
    totals: dict[str, float] = defaultdict(float)
    for k in kernels:
        where = f"layer {k['layer']}" if k["layer"] is not None else ("footer" if "lm_head" in k["op"] else "header")
        op = k["op"] or k["kernel"]
        totals[f"{k['phase']} {where};{op};{k['c_function']}"] += k["time_us"]
    return "".join(f"{stack} {round(us)}\n" for stack, us in sorted(totals.items()) if round(us) > 0)


def trace(sites: list[Site], rec: Recording, rounds: int) -> dict[str, Any]:
    """The last round as Chrome trace events (Perfetto, chrome://tracing): a track per thread."""
    jobs_per_round = len(rec.job_tokens) // rounds if rounds else 0
    first_job = len(rec.job_tokens) - jobs_per_round
    events: list[dict[str, Any]] = []
    starts = [r[r[:, 1] >= first_job, 2].min() for r in rec.records if r.size and (r[:, 1] >= first_job).any()]
    origin = min(starts) if starts else 0
    for t, r in enumerate(rec.records):
        events.append({"name": "thread_name", "ph": "M", "pid": 1, "tid": t, "args": {"name": f"ck thread {t}"}})
        for site, job, start, end in r[r[:, 1] >= first_job] if r.size else []:
            s = sites[int(site)]
            events.append({
                "name": s.comment or s.callee, "cat": f"{s.phase},{s.kind}", "ph": "X", "pid": 1, "tid": t,
                "ts": (int(start) - origin) / 1000.0, "dur": (int(end) - int(start)) / 1000.0,
                "args": {"site": s.site, "kernel": s.kernel, "op": s.op, "layer": s.layer,
                         "c_function": s.c_function, "c_line": s.c_line, "job": int(job)},
            })
    return {"traceEvents": events, "displayTimeUnit": "ns"}


def top_table(profile: dict[str, Any], limit: int = 12, out: TextIO = sys.stdout) -> None:
    """Per phase, the kernel functions that took the most time (summed over their call sites),
    like `perf report`: share, time per step, GB/s, GFLOP/s and the share of the roofline."""
    steps = profile["steps"]
    for phase, runs in (("prefill", steps["rounds"]), ("decode", steps["rounds"] * steps["decode_steps"])):
        rows = [k for k in profile["kernels"] if k["phase"] == phase and k["calls"]]
        if not rows or not runs:
            continue
        by_fn: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for k in rows:
            agg = by_fn[k["c_function"]]
            for key in ("time_us", "bytes", "flops"):
                agg[key] += k[key]
            agg["sites"] += 1
            agg["limit_us"] += k["roofline"] * k["time_us"]
        total = sum(a["time_us"] for a in by_fn.values())
        measured, kernel_us = steps[f"{phase}_us"], steps[f"{phase}_kernel_us"]
        print(f"\n{phase}: {measured:.1f} us per {'prefill' if phase == 'prefill' else 'step'} measured (median), "
              f"its kernels {kernel_us:.1f} us ({kernel_us / measured * 100:.1f}%)", file=out)
        print(f"{'share':>7} {'us/step':>9} {'sites':>5} {'GB/s':>7} {'GFLOP/s':>8} {'roofline':>8}  function", file=out)
        for fn, a in sorted(by_fn.items(), key=lambda kv: -kv[1]["time_us"])[:limit]:
            seconds = a["time_us"] * 1e-6
            print(f"{a['time_us'] / total * 100:6.1f}% {a['time_us'] / runs:9.1f} {int(a['sites']):5d} "
                  f"{a['bytes'] / seconds / 1e9:7.1f} {a['flops'] / seconds / 1e9:8.1f} "
                  f"{a['limit_us'] / a['time_us'] * 100:7.1f}%  {fn}", file=out)


def profile_build(info: BuildInfo, threads: int, prompt: int, decode: int, rounds: int, out_dir: Path,
                  model_path: str | None = None, table: TextIO | None = sys.stdout) -> dict[str, Any]:
    """Run a profiling build and write profile.json, trace.json and profile.folded into `out_dir`."""
    from ck.runtime import Model

    if prompt < 0 or decode < 0 or rounds < 1 or prompt + decode == 0:
        raise CkError(f"nothing to profile: -p {prompt}, -n {decode}, rounds {rounds}")
    if prompt + decode > info.context_len:
        raise CkError(f"-p {prompt} + -n {decode} tokens do not fit the context of {info.context_len}")
    sites = build_sites(info)

    def run() -> tuple[Recording, Steps]:
        with Model(info, threads, model_path) as model:
            return run_rounds(model, sites, prompt, decode, rounds)

    (rec, steps), machine = probed(info, threads, run)
    profile = aggregate(sites, rec, machine, steps, prompt, decode, rounds)
    write_profile(profile, sites, rec, rounds, out_dir, table)
    return profile


def build_sites(info: BuildInfo) -> list[Site]:
    if not info.profile:
        raise CkError(f"{info.directory} is not a profiling build (compile with profile=True)")
    return read_sites(json.loads((Path(info.directory) / "sites.json").read_text()))


def write_profile(profile: dict[str, Any], sites: list[Site], rec: Recording, rounds: int, out_dir: Path,
                  table: TextIO | None = sys.stdout) -> None:
    """profile.json, trace.json and profile.folded into `out_dir`, and the top-kernel table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "profile.json").write_text(json.dumps(profile, indent=1) + "\n")
    (out_dir / "trace.json").write_text(json.dumps(trace(sites, rec, rounds)))
    (out_dir / "profile.folded").write_text(folded(profile["kernels"]))
    if table is not None:
        top_table(profile, out=table)
        print(f"\nck: wrote {out_dir / 'profile.json'}, trace.json (Perfetto, chrome://tracing) and "
              f"profile.folded (flame graphs)", file=table)
