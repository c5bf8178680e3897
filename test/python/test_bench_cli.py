"""`ck bench` end to end on a tiny q8_0 model: the llama-bench table, one-line errors, and --vs-llama."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ck.testing import ModelSpec, write_gguf


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def private_cache(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One cache for the module (the tiny model is built once), never the user's."""
    monkeypatch.setenv("CK_CACHE_DIR", str(cache_dir))


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("model") / "m.gguf"
    write_gguf(path, ModelSpec(dtype="q8_0", tied=False))
    return path


def bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ck", "bench", *args], check=False, capture_output=True, text=True, timeout=300)


def table_rows(stdout: str) -> dict[str, dict[str, str]]:
    """The markdown table's rows by test name, each a {column: cell} dict."""
    lines = [line for line in stdout.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = [dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")))) for line in lines[2:]]
    return {row["test"]: row for row in rows}


def median(cell: str) -> float:
    """The median of a "median ± sd" cell."""
    return float(cell.split("±")[0])


def test_table_has_a_row_per_test(model: Path) -> None:
    proc = bench(str(model), "-t", "1", "-p", "8", "-n", "4", "-r", "2")
    assert proc.returncode == 0, proc.stderr
    rows = table_rows(proc.stdout)
    assert set(rows) == {"pp8", "tg4"}
    for row in rows.values():
        assert row["model"] == "m.gguf" and row["threads"] == "1"
        assert median(row["ck t/s"]) > 0
    assert float(rows["tg4"]["ck GB/s"]) > 0 and rows["pp8"]["ck GB/s"] == ""
    assert "ck: built in" in proc.stdout or "ck: found in the cache in" in proc.stdout
    assert "over 2 rounds" in proc.stdout


@pytest.mark.parametrize("flags", [["-t", "0"], ["-p", "x"], ["-n", "4,-1"], ["-r", "0"], ["-p", "0", "-n", "0"]],
                         ids=["threads_zero", "prompt_not_a_number", "negative_gen", "no_rounds", "nothing"])
def test_bad_values_are_one_error_line(model: Path, flags: list[str]) -> None:
    proc = bench(str(model), *flags)
    assert proc.returncode == 1
    assert proc.stderr.startswith("ck: error: ") and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert proc.stdout == ""


def test_missing_model_is_one_error_line(tmp_path: Path) -> None:
    proc = bench(str(tmp_path / "none.gguf"), "-p", "8", "-n", "4")
    assert proc.returncode == 1 and proc.stderr == f"ck: error: {tmp_path / 'none.gguf'}: no such file\n"


def test_help_explains_the_method() -> None:
    proc = bench("--help")
    assert proc.returncode == 0
    for words in ("fresh Python process", "interleaved", "--vs-llama", "--act-dtype", "--kv-dtype", "llama-cpp-python"):
        assert words in proc.stdout, words


def test_vs_llama_adds_llama_and_ratio_columns(model: Path) -> None:
    pytest.importorskip("llama_cpp")
    proc = bench(str(model), "-t", "1", "-p", "8", "-n", "4", "-r", "1", "--vs-llama")
    assert proc.returncode == 0, proc.stderr
    rows = table_rows(proc.stdout)
    assert set(rows) == {"pp8", "tg4"}
    for row in rows.values():
        assert median(row["llama.cpp t/s"]) > 0 and float(row["ck/llama"]) > 0
    assert "n_batch 512" in proc.stdout and "KV cache f16/f16" in proc.stdout


def test_vs_llama_without_llama_cpp_says_how_to_install_it(model: Path) -> None:
    hide_llama = ("import sys; sys.modules['llama_cpp'] = None; from ck.cli import main; "
                  f"sys.exit(main(['bench', {str(model)!r}, '-p', '8', '-n', '4', '--vs-llama']))")
    proc = subprocess.run([sys.executable, "-c", hide_llama], check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and 'CMAKE_ARGS="-DGGML_NATIVE=ON" pip install llama-cpp-python==0.3.36' in proc.stderr
