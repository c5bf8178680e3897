"""A loaded, idle model uses no CPU: the pool's workers sleep (futex) between jobs instead of
spinning, and wake for the next one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

import ck
from ck.testing import ModelSpec, write_gguf


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def test_an_idle_model_uses_no_cpu_and_wakes_for_the_next_call(tmp_path: Path) -> None:
    gguf = tmp_path / "m.gguf"
    write_gguf(gguf, ModelSpec())
    ids = [5, 17, 3, 250, 99]
    with ck.load(gguf, context_len=64, threads=2) as model:
        expected = model.logits(ids)
        after = model.forward([7])
        time.sleep(0.2)  # past the workers' spin: they are asleep now
        start_cpu, start = _cpu_seconds(), time.perf_counter()
        time.sleep(2.0)
        used = (_cpu_seconds() - start_cpu) / (time.perf_counter() - start)
        assert used < 0.01, f"an idle model used {used:.1%} of a core"
        for pause in (0.0, 0.001, 0.1):  # jobs that find the workers spinning, then asleep
            time.sleep(pause)
            assert np.array_equal(model.logits(ids), expected)
            assert np.array_equal(model.forward([7]), after)


def _rss_bytes() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def test_the_kv_cache_is_committed_as_it_is_used(tmp_path: Path) -> None:
    gguf = tmp_path / "m.gguf"
    write_gguf(gguf, ModelSpec())
    before = _rss_bytes()
    with ck.load(gguf, context_len=1 << 20, threads=2) as model:  # a 512 MiB KV cache
        assert model.info.kv_bytes == 512 << 20
        model.logits([5, 17, 3])
        grown = _rss_bytes() - before
        assert grown < 64 << 20, f"resident memory grew by {grown >> 20} MiB for a few tokens"
