"""Shared fixtures: paths to test data and small GGUF models written by ck.testing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))  # hf_oracle, gguf_edit

DATA = HERE.parent / "data"
REFERENCE_MODELS = DATA / "reference-models"


@pytest.fixture
def tiny_qwen3(tmp_path: Path) -> Path:
    from ck.testing import ModelSpec, write_gguf

    path = tmp_path / "tiny.gguf"
    write_gguf(path, ModelSpec())
    return path
