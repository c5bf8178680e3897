"""Dialect -> dialect conversions and emitters (name -> lazy class)."""

import importlib
from collections.abc import Callable
from typing import Any


def _lazy(module: str, name: str) -> Callable[[], Any]:
    return lambda: getattr(importlib.import_module(module), name)


PASSES: dict[str, Callable[[], Any]] = {}
TARGETS: dict[str, Callable[[], Any]] = {}
