"""Token ids as the runtimes take them: integers, in the vocabulary, of the right rank.

A wrong type (floats, strings, bools, nesting of the wrong depth) raises TypeError; a
wrong value (negative, past the vocabulary) raises CkError; each message names the problem.
Nothing is rounded or converted: `[1.7, 2.9]` is an error, not `[1, 2]`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ck.errors import CkError


def _describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def _check_elements(values: list[Any] | tuple[Any, ...], name: str, where: str, depth: int) -> None:
    """Every leaf of nested lists/tuples is an int (not a bool); nesting no deeper than `depth`."""
    for i, v in enumerate(values):
        here = f"{where}[{i}]"
        if isinstance(v, (list, tuple, np.ndarray)):
            if depth <= 1:
                raise TypeError(f"{name}{here} is a {type(v).__name__}: {name} must be a flat list of integer "
                                "token ids")
            if isinstance(v, np.ndarray):
                _check_array_dtype(v, name)
            else:
                _check_elements(v, name, here, depth - 1)
        elif isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{name}{here} is {_describe(v)}: token ids must be integers")


def _check_array_dtype(a: np.ndarray, name: str) -> None:
    if a.dtype == np.bool_ or not np.issubdtype(a.dtype, np.integer):
        raise TypeError(f"{name} is a numpy array of {a.dtype}: token ids must be an integer array")


def _outside(bad: int, vocab: int, name: str) -> str:
    return f"token id {bad} is outside the vocabulary (0..{vocab - 1}){' (negative)' if bad < 0 else ''} in {name}"


def token_ids(ids: Any, vocab: int, name: str = "ids", ndims: tuple[int, ...] = (1,)) -> np.ndarray:
    """`ids` checked and as int64: Python ints (nested as deep as the largest of `ndims`) or an
    integer numpy array whose rank is in `ndims`, every id in 0..vocab-1."""
    if isinstance(ids, (str, bytes)):
        raise TypeError(f"{name} is a {type(ids).__name__} ({ids[:40]!r}): token ids must be integers "
                        "(encode text with the model's tokenizer, or pass it to generate)")
    if isinstance(ids, np.ndarray):
        a = ids
        _check_array_dtype(a, name)
    elif isinstance(ids, (list, tuple)):
        _check_elements(ids, name, "", max(ndims))
        try:
            a = np.asarray(ids)
        except ValueError:
            raise TypeError(f"{name} is ragged: its rows have different lengths") from None
        if a.size == 0:
            a = a.astype(np.int64)
        elif a.dtype == object:  # ints beyond int64
            bad = next(int(v) for v in a.reshape(-1) if not 0 <= int(v) < vocab)
            raise CkError(_outside(bad, vocab, name))
    else:
        raise TypeError(f"{name} is {_describe(ids)}: expected a list of integer token ids or an integer "
                        "numpy array")
    if a.ndim not in ndims:
        ranks = " or ".join(f"{n}-D" for n in ndims)
        raise TypeError(f"{name} must be {ranks}, got shape {list(a.shape)}")
    if a.size:
        bad_mask = (a < 0) | (a >= vocab)
        if bad_mask.any():
            raise CkError(_outside(int(a[bad_mask].reshape(-1)[0]), vocab, name))
    return a.astype(np.int64, copy=False)
