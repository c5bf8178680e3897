"""hf://OWNER/REPO/FILE.gguf works wherever a model path does, through huggingface_hub's cache and
offline mode. The cache here is written by the test itself (the Hub's layout: a snapshot per
commit, refs/main naming it), with HF_HUB_OFFLINE=1: nothing is downloaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import ck
from ck.hub import parse
from ck.testing import ModelSpec, write_gguf

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture()
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A Hub cache holding tiny-org/tiny-model's tiny.gguf, offline."""
    repo = tmp_path / "hub" / "models--tiny-org--tiny-model"
    snapshot = repo / "snapshots" / COMMIT
    snapshot.mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(COMMIT)
    write_gguf(snapshot / "tiny.gguf", ModelSpec(dtype="q8_0"))
    env = {"HF_HUB_CACHE": str(tmp_path / "hub"), "HF_HUB_OFFLINE": "1", "CK_CACHE_DIR": str(tmp_path / "ck")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return {**os.environ, **env, "local": str(snapshot / "tiny.gguf")}


def test_references_parse() -> None:
    assert parse("hf://Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf") == ("Qwen/Qwen3-0.6B-GGUF", "Qwen3-0.6B-Q8_0.gguf", None)
    assert parse("hf://o/r@v1.0/sub/f.gguf") == ("o/r", "sub/f.gguf", "v1.0")
    with pytest.raises(ck.CkError, match="a Hub reference is hf://OWNER/REPO/FILE.gguf"):
        parse("hf://just-a-repo/f.gguf")


LOAD_BOTH = """
import sys, numpy as np, ck
ids = [5, 17, 3]
with ck.load("hf://tiny-org/tiny-model/tiny.gguf", context_len=32, threads=1) as from_hub, \\
        ck.load(sys.argv[1], context_len=32, threads=1) as local:
    sys.exit(0 if np.array_equal(from_hub.logits(ids), local.logits(ids)) else 3)
"""


def test_load_and_run_from_the_hub_cache_offline(hub: dict[str, str]) -> None:
    # in fresh processes: huggingface_hub reads HF_HUB_CACHE and HF_HUB_OFFLINE when it is first imported
    load = subprocess.run([sys.executable, "-c", LOAD_BOTH, hub["local"]], capture_output=True, text=True, env=hub,
                          timeout=300)
    assert load.returncode == 0, load.stderr
    run = ["ck", "run", "-p", "hello", "-n", "6", "-c", "32", "-t", "1", "--temp", "0"]
    by_ref = subprocess.run([*run[:2], "hf://tiny-org/tiny-model/tiny.gguf", *run[2:]], capture_output=True, text=True,
                            env=hub, timeout=300)
    by_path = subprocess.run([*run[:2], hub["local"], *run[2:]], capture_output=True, text=True, env=hub, timeout=300)
    assert by_ref.returncode == 0, by_ref.stderr
    assert by_ref.stdout == by_path.stdout and by_ref.stdout.strip()


def test_a_file_missing_offline_is_one_line(hub: dict[str, str]) -> None:
    proc = subprocess.run(["ck", "run", "hf://tiny-org/tiny-model/other.gguf", "-p", "hi", "-n", "2"],
                          capture_output=True, text=True, env=hub, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "ck: error: hf://tiny-org/tiny-model/other.gguf: not in the Hugging Face cache and HF_HUB_OFFLINE is set, "
        "so it was not downloaded"
    ]
    tokenizer = subprocess.run([sys.executable, "-c", "import ck; ck.Tokenizer.from_gguf('hf://tiny-org/other-model/t.gguf')"],
                               capture_output=True, text=True, env=hub, timeout=120)
    assert "ck.errors.CkError: hf://tiny-org/other-model/t.gguf: not in the Hugging Face cache" in tokenizer.stderr
