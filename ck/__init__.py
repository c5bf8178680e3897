"""ck: a compiler that turns transformer LLMs stored as GGUF into native CPU runtimes.

    m = ck.load("model.gguf", context_len=1024, threads=2)
    m.logits([1, 2, 3])  # float32 [3, vocab]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from ck.errors import CkError, GGUFError  # no imports of its own: `import ck` stays fast

if TYPE_CHECKING:
    from ck import models
    from ck.runtime import Model, load
    from ck.tokenizer import Tokenizer
    from ck.train import CompileConfig, TrainRun, compile, load_run

__all__ = [
    "CkError", "CompileConfig", "GGUFError", "Model", "Tokenizer", "TrainRun", "__version__", "compile", "load",
    "load_run", "models",
]


def __getattr__(name: str) -> Any:
    """Import the runtime lazily: `import ck` stays fast for the tools."""
    if name in ("load", "Model"):
        from ck import runtime

        return getattr(runtime, name)
    if name in ("compile", "CompileConfig", "TrainRun", "load_run"):
        from ck import train

        return getattr(train, name)
    if name == "Tokenizer":
        from ck.tokenizer import Tokenizer

        return Tokenizer
    if name == "models":
        import ck.models

        return ck.models
    raise AttributeError(f"module 'ck' has no attribute {name!r}")
