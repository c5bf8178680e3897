"""A context too long for the attention kernel's score rows on the stack: the kernel takes its
online-softmax pass instead (it crashed the process at 1M positions before), and computes the
same logits as a short context, against transformers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

import ck
from ck.lowering.kernels.attention import SCORES_STACK_BYTES
from ck.testing import ModelSpec, write_gguf
from hf_oracle import hf_logits

IDS = [5, 17, 3, 250, 99, 1, 42, 8, 7, 300, 12]


def test_a_long_context_takes_the_online_softmax_pass(tmp_path: Path) -> None:
    gguf = tmp_path / "m.gguf"
    weights = write_gguf(gguf, ModelSpec())
    context = SCORES_STACK_BYTES // 4 + 64  # one score row of it no longer fits
    model = ck.load(gguf, context_len=context, threads=2, act_dtype="f32")
    layout = json.loads((Path(model.info.directory) / "layout.json").read_text())
    attention = [k["variant"] for k in layout["kernels"] if k["kernel"] == "kernel.attention"]
    assert attention and all("would not fit the stack" in v for v in attention)
    expected = hf_logits(ModelSpec(), weights, IDS)
    logits = model.logits(IDS)
    assert np.abs(logits - expected).max() < 1e-4
    step = model.forward([9])  # decode at position len(IDS), same kernel shape
    assert np.abs(step[0] - hf_logits(ModelSpec(), weights, [*IDS, 9])[-1]).max() < 1e-4
