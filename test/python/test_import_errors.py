"""Bad input: one line on stderr naming the problem, a non-zero exit, no traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from gguf import GGMLQuantizationType
from gguf_edit import rewrite


def run_compile(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["ck", "compile", str(path), "--emit", "transformer"], capture_output=True, text=True, timeout=120
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def test_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(run_compile(tmp_path / "nope.gguf"), "nope.gguf", "no such file")


def test_not_a_gguf_file(tmp_path: Path) -> None:
    path = tmp_path / "model.gguf"
    path.write_text("this is a text file, not a model\n")
    assert_one_line_error(run_compile(path), "not a GGUF file")


@pytest.mark.parametrize("keep", [200, -100])
def test_truncated_file(tiny_qwen3: Path, tmp_path: Path, keep: int) -> None:
    data = tiny_qwen3.read_bytes()
    path = tmp_path / "cut.gguf"
    path.write_bytes(data[:keep])
    assert_one_line_error(run_compile(path), "truncated")


def test_missing_tensor_is_named_with_its_shape(tiny_qwen3: Path, tmp_path: Path) -> None:
    bad = rewrite(tiny_qwen3, tmp_path / "bad.gguf", drop="blk.1.ffn_up.weight")
    assert_one_line_error(run_compile(bad), "missing tensor 'blk.1.ffn_up.weight'", "[128, 64]")


def test_tensor_of_the_wrong_shape(tiny_qwen3: Path, tmp_path: Path) -> None:
    wrong = np.zeros((48, 64), dtype=np.float32)  # attn_q should be [64, 64] (4 heads x 16)
    bad = rewrite(tiny_qwen3, tmp_path / "bad.gguf",
                  replace={"blk.0.attn_q.weight": (wrong, GGMLQuantizationType.F32)})
    assert_one_line_error(run_compile(bad), "'blk.0.attn_q.weight'", "[48, 64]", "expected [64, 64]")


def test_unsupported_architecture_lists_the_supported_ones(tiny_qwen3: Path, tmp_path: Path) -> None:
    bad = rewrite(tiny_qwen3, tmp_path / "bad.gguf", arch="gemma3")
    assert_one_line_error(run_compile(bad), "unsupported architecture 'gemma3'", "llama, qwen2, qwen3")


def test_unsupported_dtype(tiny_qwen3: Path, tmp_path: Path) -> None:
    iq4 = np.zeros((64, 64 // 32 * 18), dtype=np.uint8)  # IQ4_NL: blocks of 32 in 18 bytes
    bad = rewrite(tiny_qwen3, tmp_path / "bad.gguf",
                  replace={"blk.0.attn_q.weight": (iq4, GGMLQuantizationType.IQ4_NL)})
    assert_one_line_error(run_compile(bad), "'blk.0.attn_q.weight'", "iq4_nl",
                          "f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q5_k, q6_k")


def test_unexpected_tensor(tiny_qwen3: Path, tmp_path: Path) -> None:
    bad = rewrite(tiny_qwen3, tmp_path / "bad.gguf", extra={"blk.0.mystery.weight": np.ones(4, np.float32)})
    assert_one_line_error(run_compile(bad), "unexpected tensor 'blk.0.mystery.weight'")


def test_verbose_shows_the_traceback(tmp_path: Path) -> None:
    path = tmp_path / "model.gguf"
    path.write_text("not a model")
    proc = subprocess.run(["ck", "--verbose", "compile", str(path), "--emit", "transformer"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "Traceback" in proc.stderr and "not a GGUF file" in proc.stderr


def test_a_template_op_entry_says_only_what_the_importer_reads() -> None:
    from ck.errors import GGUFError
    from ck.template import check_op_entries, load_template, supported_architectures

    for arch in supported_architectures():
        load_template(arch)  # the shipped templates pass
    bad = {"header": [], "layer": [{"op": "add", "args": ["x", "y"], "out": "x", "step": "residual"}], "footer": []}
    with pytest.raises(GGUFError, match=r"template toy.json: layer\[0\] has unknown key\(s\) step"):
        check_op_entries(bad, "toy")
