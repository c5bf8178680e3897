"""The build cache can be trusted: concurrent builders, damaged entries, models rewritten in
place, `ck cache list/clear` (ck.build_cache, ck.cache_cli)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ck.build import build, cache_root
from ck.cli import main
from ck.compiler import CompileOptions, compile_options
from ck.runtime import Model, load
from ck.testing import ModelSpec, write_gguf

IDS = [1, 5, 9, 2]


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CK_CACHE_DIR", str(tmp_path / "cache"))


def logits(path: Path, **kw: object) -> np.ndarray:
    with load(path, context_len=32, threads=1, **kw) as model:  # type: ignore[arg-type]
        return model.logits(IDS)


LOAD_AND_SAVE = """
import sys, numpy as np, ck
with ck.load(sys.argv[1], context_len=32, threads=1) as m:
    np.save(sys.argv[2], m.logits([1, 5, 9, 2]))
"""


def test_concurrent_first_builds(tmp_path: Path) -> None:
    # two processes building the same model at once: one builds, the other waits and reuses it
    model = tmp_path / "m.gguf"
    write_gguf(model, ModelSpec(dtype="f32", vocab=8000, dim=512, layers=4, ffn=1024, heads=8, kv_heads=4))
    assert model.stat().st_size > 30 << 20  # tens of MB: writing the blob takes a while
    first: np.ndarray | None = None
    for round in range(5):
        env = {**os.environ, "CK_CACHE_DIR": str(tmp_path / f"cache{round}")}
        procs = [subprocess.Popen([sys.executable, "-c", LOAD_AND_SAVE, str(model), str(tmp_path / f"{round}-{i}.npy")],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for i in range(2)]
        for p in procs:
            _, err = p.communicate(timeout=600)
            assert p.returncode == 0, err
            assert "Traceback" not in err and "damaged" not in err, err
        a, b = (np.load(tmp_path / f"{round}-{i}.npy") for i in range(2))
        first = a if first is None else first
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, first)
        (entry,) = [p for p in (tmp_path / f"cache{round}").iterdir() if p.is_dir() and p.name != "weights"
                    and p.name != "weights-digests"]
        assert not list(entry.glob(".*.tmp"))


def _truncate(path: Path) -> None:
    path.chmod(0o644)
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)


def _torn_copy(path: Path) -> None:
    # a half-written copy (a new file: truncating the library this process has mapped would kill it)
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data[: len(data) // 2])


def _scribble(path: Path) -> None:
    path.chmod(0o644)
    with open(path, "r+b") as f:
        f.seek(path.stat().st_size // 3)
        f.write(np.random.default_rng(0).bytes(4096))


def _garble(path: Path) -> None:
    path.write_text(path.read_text()[:-40] + "#garbage")


def _edit_context(path: Path) -> None:
    record = json.loads(path.read_text())
    record["context_len"] *= 64  # forward would run past the KV cache
    path.write_text(json.dumps(record, indent=1))


DAMAGE = {
    "truncated libmodel.so": ("libmodel.so", _torn_copy, "libmodel.so: size"),
    "truncated weights.bump": ("weights.bump", _truncate, "weights.bump: size"),
    "random bytes in weights.bump": ("weights.bump", _scribble, "weights.bump: sha256 differs"),
    "garbled build.json": ("build.json", _garble, "build.json: not valid JSON"),
    "edited context_len": ("build.json", _edit_context, "build.json: its contents do not match its seal"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_entry_is_rebuilt(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name, damage, reason = DAMAGE[kind]
    model = tmp_path / "m.gguf"
    write_gguf(model, ModelSpec(dtype="q8_0"), seed=3)
    fresh = logits(model)
    info = build(model, compile_options(context_len=32))  # the build load() made
    damage(Path(info.directory) / name)
    capsys.readouterr()
    again = logits(model)
    err = capsys.readouterr().err
    assert f"ck: the cached build of {model} was damaged ({reason}" in err and "; rebuilding" in err
    assert err.count("\n") == 1
    np.testing.assert_array_equal(again, fresh)
    # rebuilt once, then trusted again without a notice
    np.testing.assert_array_equal(logits(model), fresh)
    assert capsys.readouterr().err == ""
    rebuilt = json.loads((Path(info.directory) / "build.json").read_text())
    assert rebuilt["context_len"] == 32


def test_an_older_record_without_digests_is_rebuilt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "m.gguf"
    write_gguf(model, ModelSpec())
    info = build(model, CompileOptions(context_len=32))
    record = json.loads((Path(info.directory) / "build.json").read_text())
    for key in ("artifacts", "seal", "options"):
        del record[key]
    (Path(info.directory) / "build.json").write_text(json.dumps(record))
    capsys.readouterr()
    build(model, CompileOptions(context_len=32))
    assert "no artifact digests" in capsys.readouterr().err


def test_gguf_rewritten_in_place_is_hashed_again(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    write_gguf(model, ModelSpec(), seed=1)
    before = logits(model)
    st = model.stat()
    write_gguf(model, ModelSpec(), seed=2)  # same shapes: same size
    os.utime(model, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert model.stat().st_size == st.st_size and model.stat().st_mtime_ns == st.st_mtime_ns
    after = logits(model)
    assert not np.array_equal(after, before)
    write_gguf(tmp_path / "other.gguf", ModelSpec(), seed=2)
    np.testing.assert_array_equal(after, logits(tmp_path / "other.gguf"))


def test_forced_rebuild_never_shows_a_torn_record(tmp_path: Path) -> None:
    # while a forced rebuild runs, a reader finds either no record (and waits for the builder's
    # lock) or a whole one
    model = tmp_path / "m.gguf"
    write_gguf(model, ModelSpec())
    info = build(model, CompileOptions(context_len=32))
    build(model, CompileOptions(context_len=32), force=True)
    directory = Path(info.directory)
    assert not list(directory.glob(".*.tmp"))
    record = json.loads((directory / "build.json").read_text())
    assert set(record["artifacts"]) >= {"libmodel.so", "weights.bump", "model.c", "layout.json", "passes.json"}
    with Model(build(model, CompileOptions(context_len=32)), 1, model) as m:
        assert m.context_len == 32


def test_cache_list_and_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_gguf(tmp_path / "a.gguf", ModelSpec(), seed=1)
    write_gguf(tmp_path / "b.gguf", ModelSpec(), seed=2)
    a = build(tmp_path / "a.gguf", CompileOptions(context_len=32))
    a64 = build(tmp_path / "a.gguf", CompileOptions(context_len=64))  # shares a's blob
    b = build(tmp_path / "b.gguf", CompileOptions(context_len=32))
    keys = {Path(i.directory).name: i for i in (a, a64, b)}
    capsys.readouterr()
    assert main(["cache", "list"]) == 0
    out = capsys.readouterr().out
    for key, info in keys.items():
        (line,) = [ln for ln in out.splitlines() if ln.startswith(key)]
        assert info.gguf in line and f"ctx {info.context_len}" in line and "last used" in line
    assert "3 builds" in out and "2 weight blobs" in out
    # a damaged entry is what a bare `clear` removes
    (Path(b.directory) / "build.json").write_text("{")
    assert main(["cache", "clear"]) == 0
    assert not Path(b.directory).exists() and Path(a.directory).exists()
    assert len(list((cache_root() / "weights").glob("*.bump"))) == 1  # b's blob went with it
    # by key prefix: a's blob stays while a64 links it
    assert main(["cache", "clear", Path(a.directory).name[:8]]) == 0
    assert not Path(a.directory).exists() and len(list((cache_root() / "weights").glob("*.bump"))) == 1
    assert main(["cache", "clear", "--all"]) == 0
    assert not Path(a64.directory).exists() and not list((cache_root() / "weights").glob("*.bump"))
    capsys.readouterr()
    assert main(["cache", "clear", "nosuchkey"]) == 1
    assert "matches no builds" in capsys.readouterr().err
    assert main(["cache", "list"]) == 0
