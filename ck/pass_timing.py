"""passes.json: how long each pass of a build took and what the module held after it.

`ck report` draws the pipeline from it. A build hands `PassLog.on_pass` and
`PassLog.after_stage(...)` to `run_stages`; each entry is {"stage", "pass" (the pass's
name, as the recorded pipeline spells it), "spec" (the pass with its options), "seconds",
"ops" (op counts by op name of the whole module after the pass)}, in pipeline order.

A pass's time is the time from the end of the previous pass (or of the previous stage's
verification and artifacts) to its end, so it leaves out the verifier, the writing of
`<stage>.mlir` and this log's own counting. Counting every op is cheap: the simd module of a
28-layer 0.6B model holds about 10,000 ops (kernels are generated once per distinct shape),
a walk of about 10 ms.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass


def op_counts(module: ModuleOp) -> dict[str, int]:
    """How many ops of each name `module` holds (itself and func.func included), by name."""
    return dict(sorted(Counter(op.name for op in module.walk()).items()))


class PassLog:
    """Collects passes.json's entries from `run_stages`'s hooks."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self._since = time.perf_counter()

    def on_pass(self, stage: str, p: ModulePass, module: ModuleOp) -> None:
        seconds = time.perf_counter() - self._since
        self.entries.append({
            "stage": stage,
            "pass": p.name,
            "spec": str(p.pipeline_pass_spec(include_default=True)),
            "seconds": round(seconds, 6),
            "ops": op_counts(module),
        })
        self._since = time.perf_counter()

    def after_stage(
        self, keep: Callable[[str, ModuleOp], None] | None = None
    ) -> Callable[[str, ModuleOp], None]:
        """An `on_stage` hook that runs `keep` and then restarts the clock, so the next pass's
        time leaves out the verifier and what `keep` writes."""

        def hook(stage: str, module: ModuleOp) -> None:
            if keep is not None:
                keep(stage, module)
            self._since = time.perf_counter()

        return hook

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.entries, indent=1) + "\n")
