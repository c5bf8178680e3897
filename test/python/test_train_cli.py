"""`ck train` and `ck demo` end to end: the loss falls, the GGUF loads, text comes out."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

import ck
from ck.compiler import detect_isa
from ck.tokenizer import Tokenizer
from ck.train_cli import stdlib_text

SMALL = ["--dim", "32", "--layers", "1", "--hidden", "64", "--heads", "2", "--kv-heads", "1", "--seq", "16",
         "--batch", "4", "-t", "2"]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "CK_CACHE_DIR": str(tmp_path / "cache")}


def losses(stderr: str) -> tuple[float, float]:
    m = re.search(r"loss ([\d.]+) -> ([\d.]+) after", stderr)
    assert m, stderr
    return float(m.group(1)), float(m.group(2))


def test_train_writes_a_gguf_that_ck_run_loads(tmp_path: Path, env: dict[str, str]) -> None:
    (tmp_path / "corpus.txt").write_text(stdlib_text(150_000))
    proc = subprocess.run(["ck", "train", str(tmp_path / "corpus.txt"), "-o", str(tmp_path / "m.gguf"), "--steps", "60",
                           "--checkpoint", str(tmp_path / "ckpt.npz"), "--save-every", "30", *SMALL],
                          capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr
    first, last = losses(proc.stderr)
    assert last < first - 0.5
    tok = Tokenizer.from_gguf(tmp_path / "m.gguf")
    assert tok.vocab_size == 512 and tok.decode(tok.encode("def f(x):\n    return x")) == "def f(x):\n    return x"
    assert (tmp_path / "ckpt.npz").exists() and ck.load_run(tmp_path / "ckpt.npz").step_count == 60
    run = subprocess.run(["ck", "run", str(tmp_path / "m.gguf"), "-p", "import ", "-n", "8", "--temp", "0", "-c", "32"],
                         capture_output=True, text=True, timeout=600, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("import ")


def test_train_gpt2(tmp_path: Path, env: dict[str, str]) -> None:
    """--arch gpt2: a GPT-2 with GPT-2's pre-tokenizer; the loss falls, ck run loads the file."""
    (tmp_path / "corpus.txt").write_text(stdlib_text(100_000))
    small = ["--dim", "32", "--layers", "1", "--heads", "2", "--seq", "16", "--batch", "4", "-t", "2"]
    proc = subprocess.run(["ck", "train", str(tmp_path / "corpus.txt"), "--arch", "gpt2", "-o", str(tmp_path / "g.gguf"),
                           "--steps", "40", *small], capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr
    first, last = losses(proc.stderr)
    assert last < first - 0.5
    tok = Tokenizer.from_gguf(tmp_path / "g.gguf")
    assert tok.pre == "gpt-2"
    run = subprocess.run(["ck", "run", str(tmp_path / "g.gguf"), "-p", "import ", "-n", "4", "--temp", "0", "-c", "16"],
                         capture_output=True, text=True, timeout=600, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("import ")
    proc = subprocess.run(["ck", "train", str(tmp_path / "corpus.txt"), "--arch", "gpt2", "--hidden", "64"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode != 0 and "--hidden does not apply to --arch gpt2" in proc.stderr


def test_train_errors(tmp_path: Path, env: dict[str, str]) -> None:
    proc = subprocess.run(["ck", "train", str(tmp_path / "none.txt")], capture_output=True, text=True, env=env)
    assert proc.returncode != 0 and "no such file" in proc.stderr and "Traceback" not in proc.stderr
    (tmp_path / "tiny.txt").write_text("too short")
    proc = subprocess.run(["ck", "train", str(tmp_path / "tiny.txt")], capture_output=True, text=True, env=env)
    assert proc.returncode != 0 and "too small" in proc.stderr
    proc = subprocess.run(["ck", "train", str(tmp_path / "tiny.txt"), "--dtype", "f16"], capture_output=True, text=True,
                          env=env)
    assert proc.returncode != 0 and "invalid choice: 'f16'" in proc.stderr


def test_demo(tmp_path: Path, env: dict[str, str]) -> None:
    """The demo trains and generates; with --dtype bf16 where the avx512 kernels run (else f32)."""
    dtype = ["--dtype", "bf16"] if detect_isa() == "avx512" else []
    proc = subprocess.run(["ck", "demo", "-o", str(tmp_path / "demo.gguf"), "--seconds", "4", "--corpus-bytes", "200000",
                           "-n", "30", *SMALL, *dtype], capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr
    first, last = losses(proc.stderr)
    assert last < first
    assert proc.stdout.startswith("def ") and len(proc.stdout) > 10


def test_llama_cpp_loads_the_trained_gguf(tmp_path: Path) -> None:
    """Checked where llama-cpp-python is installed (it is not a dependency)."""
    llama_cpp = pytest.importorskip("llama_cpp")
    model = ck.models.qwen3_tiny(vocab=300, dim=32, layers=1, hidden=64, heads=2, kv_heads=1, context_len=16)
    os.environ.setdefault("CK_CACHE_DIR", str(tmp_path / "cache"))
    ck.compile(model, mode="train", seq=8).save_gguf(tmp_path / "m.gguf")
    llm = llama_cpp.Llama(model_path=str(tmp_path / "m.gguf"), n_ctx=16, verbose=False)
    assert llm.n_vocab() == 300
