"""The command-line tools: --help, and `ck compile --emit transformer | ck-opt` as an identity."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ck.testing import ModelSpec, write_gguf


def run(*cmd: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("tool", ["ck", "ck-opt", "ck-translate"])
def test_help(tool: str) -> None:
    proc = run(tool, "--help")
    assert proc.returncode == 0
    assert f"usage: {tool}" in proc.stdout


def test_ck_subcommand_help_explains_emit() -> None:
    proc = run("ck", "compile", "--help")
    assert proc.returncode == 0 and "--emit" in proc.stdout and "transformer" in proc.stdout


@pytest.mark.parametrize("spec", [ModelSpec(), ModelSpec(arch="qwen2", tied=False), ModelSpec(arch="llama", dtype="q8_0")],
                         ids=["qwen3", "qwen2", "llama_q8_0"])
def test_emit_transformer_round_trips_through_ck_opt(spec: ModelSpec, tmp_path: Path) -> None:
    write_gguf(tmp_path / "m.gguf", spec)
    emitted = run("ck", "compile", str(tmp_path / "m.gguf"), "--emit", "transformer", "-o", "-")
    assert emitted.returncode == 0, emitted.stderr
    assert emitted.stdout.count("transformer.attention") == spec.layers
    once = run("ck-opt", stdin=emitted.stdout)
    assert once.returncode == 0, once.stderr
    assert once.stdout == emitted.stdout
    twice = run("ck-opt", "--print-op-generic", stdin=once.stdout)
    back = run("ck-opt", stdin=twice.stdout)
    assert back.stdout == emitted.stdout


def test_emit_to_file(tmp_path: Path) -> None:
    write_gguf(tmp_path / "m.gguf", ModelSpec())
    proc = run("ck", "compile", str(tmp_path / "m.gguf"), "--emit", "transformer", "-o", str(tmp_path / "m.mlir"))
    assert proc.returncode == 0 and proc.stdout == ""
    text = (tmp_path / "m.mlir").read_text()
    assert 'transformer.weight "blk.1.ffn_down.weight" : !transformer.weight<64x128, f32>' in text
    # tied output: the lm_head reads the embedding table
    assert "transformer.lm_head %h, %token_embd" in text


def test_make_model_rejects_bad_shapes(tmp_path: Path) -> None:
    proc = run("ck", "make-model", str(tmp_path / "m.gguf"), "--heads", "3", "--kv-heads", "2")
    assert proc.returncode != 0 and "multiple of kv_heads" in proc.stderr and "Traceback" not in proc.stderr


def test_dump_passes_writes_the_ir_after_every_pass(tmp_path: Path) -> None:
    """One file per pass of the recorded pipeline, in its order; the first is the module as
    imported (--emit transformer), the last the simd module (--emit simd)."""
    from xdsl.utils.arg_spec import parse_pipeline

    from ck.compiler import compile_options, pipeline_spec

    write_gguf(tmp_path / "m.gguf", ModelSpec(dtype="q8_0"))
    flags = ["-c", "64", "--untuned"]
    proc = run("ck", "compile", str(tmp_path / "m.gguf"), "--dump-passes", str(tmp_path / "dump"), *flags)
    assert proc.returncode == 0, proc.stderr
    files = sorted(p.name for p in (tmp_path / "dump").iterdir())
    passes = [spec.name for spec in parse_pipeline(pipeline_spec(compile_options(context_len=64, tuned=False)))]
    assert files == ["00-import.mlir"] + [f"{i:02d}-{name}.mlir" for i, name in enumerate(passes, start=1)]
    for stage, file in (("transformer", files[0]), ("simd", files[-1])):
        emitted = run("ck", "compile", str(tmp_path / "m.gguf"), "--emit", stage, *flags)
        assert emitted.stdout == (tmp_path / "dump" / file).read_text(), stage
    (tmp_path / "file").write_text("")
    proc = run("ck", "compile", str(tmp_path / "m.gguf"), "--dump-passes", str(tmp_path / "file"))
    assert proc.returncode == 1 and "exists and is not a directory" in proc.stderr and "Traceback" not in proc.stderr
