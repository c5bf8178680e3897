"""ck's four dialects, as lazy factories so tools start fast."""

import importlib
from collections.abc import Callable

from xdsl.ir import Dialect


def _lazy(module: str, name: str) -> Callable[[], Dialect]:
    return lambda: getattr(importlib.import_module(module), name)


DIALECTS: dict[str, Callable[[], Dialect]] = {
    "transformer": _lazy("ck.dialects.transformer", "Transformer"),
    "kernel": _lazy("ck.dialects.kernel", "Kernel"),
    "memory": _lazy("ck.dialects.memory", "Memory"),
    "simd": _lazy("ck.dialects.simd", "Simd"),
}
