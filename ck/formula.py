"""Arithmetic formulas over hyperparameters, as written in the architecture templates.

Templates say `"n_head * head_dim"` or `"1 / sqrt(head_dim)"`; this evaluates such a
string with nothing but numbers, names, + - * / // %, parentheses and sqrt, so a
template is data and never code.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Mapping

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_FUNCTIONS = {"sqrt": math.sqrt}


class FormulaError(ValueError):
    """A formula uses something other than arithmetic on known names."""


def evaluate(formula: str | int | float, names: Mapping[str, int | float]) -> int | float:
    """Value of `formula` with `names` bound; numbers pass through unchanged."""
    if isinstance(formula, (int, float)):
        return formula
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as e:
        raise FormulaError(f"cannot parse formula {formula!r}: {e.msg}") from None
    return _eval(tree.body, names, formula)


def free_names(formula: str | int | float) -> set[str]:
    """Names a formula refers to (so templates can be resolved in dependency order)."""
    if not isinstance(formula, str):
        return set()
    tree = ast.parse(formula, mode="eval")
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in _FUNCTIONS}


def _eval(node: ast.AST, names: Mapping[str, int | float], src: str) -> int | float:
    match node:
        case ast.Constant(value=int() | float() as v):
            return v
        case ast.Name(id=name) if name in names:
            return names[name]
        case ast.Name(id=name):
            raise FormulaError(f"unknown name {name!r} in formula {src!r}")
        case ast.BinOp(left=l, op=op, right=r) if type(op) in _BINARY:
            return _BINARY[type(op)](_eval(l, names, src), _eval(r, names, src))
        case ast.UnaryOp(op=ast.USub(), operand=x):
            return -_eval(x, names, src)
        case ast.Call(func=ast.Name(id=fn), args=[arg]) if fn in _FUNCTIONS:
            return _FUNCTIONS[fn](_eval(arg, names, src))
        case _:
            raise FormulaError(f"unsupported expression in formula {src!r}")
