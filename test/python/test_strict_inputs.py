"""Issue 11: token ids are integers and nothing else (TypeError for a wrong type, CkError for a
wrong value, each naming the problem); what needs no compile is checked before the compile; the
CLIs say what went wrong in one line; every public name README.md mentions exists."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ck
from ck.errors import CkError
from ck.testing import ModelSpec, write_gguf

ROOT = Path(__file__).resolve().parents[2]
VOCAB = ModelSpec().vocab

BAD_TYPES = [
    ([1.7, 2.9], r"ids\[0\] is float 1\.7: token ids must be integers"),
    (["1", "2"], r"ids\[0\] is str '1'"),
    ([[1], [2]], r"ids\[0\] is a list: ids must be a flat list"),
    ([True, False], r"ids\[0\] is bool True"),
    ([1, True], r"ids\[1\] is bool True"),
    ([1, None], r"ids\[1\] is NoneType"),
    ("hello", r"ids is a str \('hello'\)"),
    (7, r"ids is int 7: expected a list of integer token ids"),
    (np.array([[1, 2]]), r"ids must be 1-D, got shape \[1, 2\]"),
    (np.array([1.0, 2.0]), r"numpy array of float64"),
    (np.array([True]), r"numpy array of bool"),
]
BAD_VALUES = [
    ([1, VOCAB], rf"token id {VOCAB} is outside the vocabulary \(0\.\.{VOCAB - 1}\)"),
    ([-1], r"token id -1 is outside the vocabulary .*\(negative\)"),
    (np.array([3, -2], dtype=np.int16), r"token id -2 is outside the vocabulary"),
    ([2**70], r"token id 1180591620717411303424 is outside the vocabulary"),
]


def _named(message: str, name: str, old: str = "ids") -> str:
    """`message` about the argument called `name` (the words "token ids" stay)."""
    return re.sub(rf"(?<!token )\b{old}\b", name, message)


def built(cache: Path) -> bool:
    """Whether anything was compiled into the cache (IR, C, a library)."""
    return cache.exists() and any(p.suffix in (".mlir", ".c", ".so") for p in cache.rglob("*"))


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("strict")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CK_CACHE_DIR", str(root / "cache"))
        yield root


@pytest.fixture(scope="module")
def model(cache: Path):  # type: ignore[no-untyped-def]
    write_gguf(cache / "tiny.gguf", ModelSpec())
    with ck.load(cache / "tiny.gguf", context_len=32, threads=1) as m:
        yield m


@pytest.mark.parametrize("ids,message", BAD_TYPES, ids=[repr(b)[:24] for b, _ in BAD_TYPES])
def test_wrong_types_are_type_errors(model: ck.Model, ids: object, message: str) -> None:
    for call in (model.logits, model.forward):
        with pytest.raises(TypeError, match=message):
            call(ids)
    if not isinstance(ids, str):  # a str prompt is text
        with pytest.raises(TypeError, match=_named(message, "prompt")):
            model.generate(ids, max_tokens=1)
    assert model.position == 0  # nothing was fed


@pytest.mark.parametrize("ids,message", BAD_VALUES, ids=[repr(b)[:24] for b, _ in BAD_VALUES])
def test_ids_outside_the_vocabulary_are_ck_errors(model: ck.Model, ids: object, message: str) -> None:
    with pytest.raises(CkError, match=message):
        model.logits(ids)
    with pytest.raises(ck.CkError, match=_named(message, "prompt")):
        model.generate(ids, max_tokens=1)


def test_integers_of_every_kind_are_taken(model: ck.Model) -> None:
    expected = model.logits([1, 2, 3])
    for ids in ((1, 2, 3), np.array([1, 2, 3]), np.array([1, 2, 3], dtype=np.uint8),
                [np.int64(1), np.int32(2), 3]):
        assert np.array_equal(model.logits(ids), expected)
    assert model.logits([]).shape == (0, VOCAB)


def test_training_tokens_and_targets_are_checked() -> None:
    run = ck.compile(ck.models.qwen3_tiny(vocab=64, dim=32, layers=1, hidden=64, heads=2, kv_heads=1,
                                          context_len=8), batch=2, seq=4)
    good = np.arange(8).reshape(2, 4)
    assert np.isfinite(run.forward_backward(good, good))
    assert run.forward_backward(good.tolist(), good.astype(np.int32)) == run.forward_backward(good, good)
    for bad, message in [
        (good.astype(np.float32), "tokens is a numpy array of float32"),
        (good.tolist()[:1] + [[1.5, 2, 3, 4]], r"tokens\[1\]\[0\] is float 1\.5"),
        ([["1", "2", "3", "4"]] * 2, r"tokens\[0\]\[0\] is str"),
        (good.astype(bool), "tokens is a numpy array of bool"),
        (good[None], r"tokens must be 1-D or 2-D, got shape \[1, 2, 4\]"),
    ]:
        with pytest.raises(TypeError, match=message):
            run.step(bad, good)
        with pytest.raises(TypeError, match=_named(message, "targets", "tokens")):
            run.forward_backward(good, bad)
    with pytest.raises(CkError, match=r"token id 64 is outside the vocabulary \(0\.\.63\) in targets"):
        run.step(good, good + 60)
    with pytest.raises(CkError, match=r"tokens must have shape \[batch, seq\] = \[2, 4\], got \[1, 4\]"):
        run.step(good[:1], good)
    assert run.step_count == 0


def test_the_public_names_are_exported() -> None:
    for name in ("CkError", "GGUFError", "Tokenizer", "load", "Model", "compile", "CompileConfig", "load_run",
                 "TrainRun", "models"):
        assert hasattr(ck, name), name
        assert name in ck.__all__, name
    assert issubclass(ck.GGUFError, ck.CkError)
    assert callable(ck.Tokenizer.from_gguf)
    assert callable(ck.models.qwen3_tiny) and callable(ck.models.qwen2_tiny)
    for name in ("logits", "forward", "generate", "reset", "position", "tokenizer"):
        assert hasattr(ck.Model, name), name
    for name in ("step", "forward_backward", "save_gguf", "grads", "invariants", "save", "report"):
        assert hasattr(ck.TrainRun, name), name


def _code_blocks(text: str) -> str:
    """The fenced code blocks of a markdown text, string literals blanked (a file name is not a name)."""
    code = "\n".join(re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE))
    return re.sub(r"\"[^\"\n]*\"|'[^'\n]*'", '""', code)


def test_every_name_readme_uses_exists() -> None:
    code = _code_blocks((ROOT / "README.md").read_text())
    names = set(re.findall(r"(?<![\w.])ck((?:\.[A-Za-z_]\w*)+)", code))
    methods = {("Model", n) for n in re.findall(r"(?<![\w.])m\.([A-Za-z_]\w*)", code)}
    methods |= {("TrainRun", n) for n in re.findall(r"(?<![\w.])run\.([A-Za-z_]\w*)", code)}
    assert {".load", ".Tokenizer.from_gguf", ".CkError", ".models.qwen3_tiny", ".compile"} <= names
    assert {("Model", "logits"), ("Model", "generate"), ("TrainRun", "step"), ("TrainRun", "report")} <= methods
    for dotted in sorted(names):
        obj: object = ck
        for part in dotted.strip(".").split("."):
            assert hasattr(obj, part), f"README.md mentions ck{dotted}, but {part!r} is missing"
            obj = getattr(obj, part)
    for cls, name in sorted(methods):
        assert hasattr(getattr(ck, cls), name), f"README.md mentions {cls}.{name}, which does not exist"


def test_import_ck_stays_light() -> None:
    code = "import sys, ck; ck.CkError; ck.GGUFError; print(sorted(m for m in ('numpy', 'xdsl', 'ck.runtime') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ---------------------------------------------------------------- checks before the compile


def test_threads_are_checked_before_the_compile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))
    write_gguf(tmp_path / "m.gguf", ModelSpec())
    with pytest.raises(CkError, match="threads must be at least 1, got 0"):
        ck.load(tmp_path / "m.gguf", threads=0)
    with pytest.raises(TypeError, match="threads must be an integer, got float 2.0"):
        ck.load(tmp_path / "m.gguf", threads=2.0)  # type: ignore[arg-type]
    assert not built(tmp_path / "cache")
    from ck.runtime import check_threads

    assert check_threads((os.cpu_count() or 1) + 1) == (os.cpu_count() or 1) + 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ck: warning: threads") and "cores" in err


def test_a_kv_cache_larger_than_memory_is_refused_before_the_compile(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from ck.compiler import mem_total

    total = mem_total()
    if total is None:
        pytest.skip("no /proc/meminfo")
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))
    spec = ModelSpec()  # 2 layers x 2 kv heads x 16 head_dim: 256 bytes a position in f32
    write_gguf(tmp_path / "m.gguf", spec)
    ctx = total // 256 + 1
    with pytest.raises(CkError, match=rf"KV cache of a {ctx}-token context needs .*2 x 2 layers x 2 kv heads x "
                       rf"16 head_dim x {ctx} x 4 bytes of f32\), more than this machine's memory"):
        ck.load(tmp_path / "m.gguf", context_len=ctx)
    assert not built(tmp_path / "cache")


# ---------------------------------------------------------------- one-line CLI errors


def _ck(*args: str, cwd: Path, tool: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m ck.cli ARGS`, or the installed `tool` script (its name is in its messages)."""
    env = {**os.environ, "CK_CACHE_DIR": str(cwd / "cache")}
    command = [sys.executable, "-m", "ck.cli"]
    if tool is not None:
        script = shutil.which(tool) or pytest.skip(f"{tool} is not on PATH")
        command = [script]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300,
                          check=False)


def _one_line(proc: subprocess.CompletedProcess[str], prefix: str, *words: str) -> str:
    assert proc.returncode != 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(prefix), proc.stderr
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    write_gguf(tmp_path / "tiny.gguf", ModelSpec())
    (tmp_path / "a-file").write_text("x")
    return tmp_path


@pytest.mark.parametrize("args,words", [
    (("compile", "tiny.gguf", "-o", "a-file"), ("a-file", "exists and is not a directory")),
    (("make-model", "no-such-dir/x.gguf"), ("cannot write no-such-dir/x.gguf",)),
    (("run", "tiny.gguf", "-p", "hello there, a prompt", "-c", "2"), ("the prompt is", "longer than the context (2)")),
    (("run", "tiny.gguf", "-p", "hi", "-t", "0"), ("threads must be at least 1, got 0",)),
    (("run", "tiny.gguf", "-p", "hi", "-c", str(2**40)), ("KV cache", "MemTotal")),
    (("compile", "tiny.gguf", "-c", str(2**40)), ("KV cache", "MemTotal")),
    (("profile", "tiny.gguf", "-t", "0"), ("-t/--threads must be at least 1",)),
    (("train", "a-file", "--steps", "0"), ("--steps must be at least 1",)),
    (("train", "a-file", "-o", "no-such-dir/out.gguf"), ("-o/--output", "no-such-dir does not exist")),
    (("train", "a-file", "--checkpoint", "no-such-dir/c.npz"), ("--checkpoint",)),
], ids=lambda v: "_".join(v)[:40] if isinstance(v, tuple) else None)
def test_cli_errors_are_one_line_and_compile_nothing(workdir: Path, args: tuple[str, ...],
                                                     words: tuple[str, ...]) -> None:
    _one_line(_ck(*args, cwd=workdir), "ck: error:", *words)
    assert not built(workdir / "cache")


def test_an_internal_error_is_one_line_that_says_so(tmp_path: Path) -> None:
    code = ("import sys, ck.cli\n"
            "def boom(args): raise KeyError('oops')\n"
            "ck.cli.cmd_make_model = boom\n"
            "sys.exit(ck.cli.main(sys.argv[1:]))\n")
    (tmp_path / "boom.py").write_text(code)
    run = lambda *a: subprocess.run([sys.executable, "boom.py", *a], capture_output=True, text=True,
                                    cwd=tmp_path, check=False)
    line = _one_line(run("make-model", "x.gguf"), "ck: error: internal error: KeyError: 'oops'", "--verbose")
    assert "bug" in line
    verbose = run("--verbose", "make-model", "x.gguf")
    assert "Traceback" in verbose.stderr and verbose.stderr.strip().splitlines()[-1].startswith("ck: error:")


@pytest.mark.parametrize("args,words", [
    (("-t", "no-such-target", "in.mlir"), ("invalid choice: 'no-such-target'",)),
    (("-t", "c", "missing.mlir"), ("missing.mlir: No such file or directory",)),
    (("-t", "c", "tiny.gguf"), ("Unrecognized file extension 'gguf'", "ck compile")),
    (("-t", "c", "-p", "no-such-pass", "in.mlir"), ("Unrecognized passes", "no-such-pass")),
    (("-t", "c", "in.mlir", "-o", "no-such-dir/out.c"), ("no-such-dir/out.c: No such file or directory",)),
])
def test_ck_translate_errors_are_one_line(workdir: Path, args: tuple[str, ...], words: tuple[str, ...]) -> None:
    (workdir / "in.mlir").write_text("builtin.module {}\n")
    _one_line(_ck(*args, cwd=workdir, tool="ck-translate"), "ck-translate: error:", *words)
