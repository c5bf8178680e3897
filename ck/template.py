"""Architecture templates (templates/*.json): loading them and resolving them against a GGUF file.

A template says which hyperparameters an architecture has (the GGUF key of each,
with llama.cpp's default when the key is absent), which tensors it needs (shapes
as formulas of the hyperparameters) and the op order of the header, each layer
and the footer. Resolving checks every tensor *before* any IR is built.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ck.errors import GGUFError
from ck.formula import evaluate, free_names
from ck.gguf_file import SUPPORTED_DTYPES, GGUFFile, TensorInfo

INT_HPARAMS = ("n_vocab", "n_embd", "n_layer", "n_ff", "n_head", "n_head_kv", "head_dim", "n_rot", "context_length")


def supported_architectures() -> list[str]:
    files = resources.files("ck.templates").iterdir()
    return sorted(f.name.removesuffix(".json") for f in files if f.name.endswith(".json"))


@cache
def load_template(arch: str) -> dict[str, Any]:
    """The template of `arch`; an unknown architecture is an error listing the known ones."""
    if arch not in supported_architectures():
        raise GGUFError(
            f"unsupported architecture '{arch}' (supported: {', '.join(supported_architectures())})"
        )
    text = resources.files("ck.templates").joinpath(f"{arch}.json").read_text()
    return check_op_entries(json.loads(text), arch)


OP_ENTRY_KEYS = ("op", "args", "weights", "attrs", "out")
"""What an entry of a template's header, layer or footer may say (the importer reads each)."""


def check_op_entries(template: dict[str, Any], arch: str) -> dict[str, Any]:
    """`template`, once every op entry says only what the importer reads: a misspelt or stale key
    would otherwise be silently ignored."""
    for section in ("header", "layer", "footer"):
        for index, entry in enumerate(template[section]):
            if unknown := sorted(set(entry) - set(OP_ENTRY_KEYS)):
                raise GGUFError(f"template {arch}.json: {section}[{index}] has unknown key(s) {', '.join(unknown)} "
                                f"(an op entry has {', '.join(OP_ENTRY_KEYS)})")
    return template


@dataclass(frozen=True)
class ResolvedTensor:
    """A tensor the template asks for, as found in the file."""

    name: str  # the template's name with the layer filled in
    info: TensorInfo  # the stored tensor (for a tied output: token_embd's)


@dataclass(frozen=True)
class ResolvedModel:
    """A GGUF file checked against its architecture's template."""

    arch: str
    template: dict[str, Any]
    hparams: dict[str, int | float]
    tensors: dict[str, ResolvedTensor]  # by template name; absent optional tensors left out
    gguf: GGUFFile


def resolve(gguf: GGUFFile) -> ResolvedModel:
    arch = gguf.architecture
    template = load_template(arch)
    hparams = _resolve_hparams(template, gguf)
    tensors = _resolve_tensors(template, hparams, gguf)
    return ResolvedModel(arch, template, hparams, tensors, gguf)


def _resolve_hparams(template: dict[str, Any], gguf: GGUFFile) -> dict[str, int | float]:
    """The hyperparameters, each checked as soon as it is known (so a default formula never
    divides by a zero read from the file), then against each other. An error names the GGUF
    key (or the default) each bad value came from."""
    specs: dict[str, dict[str, Any]] = template["hparams"]
    values: dict[str, int | float] = {}
    source: dict[str, str] = {}  # where each value came from, for messages
    pending = dict(specs)
    while pending:
        progressed = False
        for name, spec in list(pending.items()):
            key = spec.get("key")
            if key is not None and key in gguf.metadata:
                values[name] = _number(gguf, key)
                source[name] = f"metadata key '{key}'"
            elif "tensor_dim" in spec:
                tname, dim = spec["tensor_dim"]
                if tname not in gguf.tensors:
                    raise GGUFError(f"{gguf.path}: missing tensor '{tname}' (needed for {name})")
                shape = gguf.tensors[tname].shape
                if dim >= len(shape):
                    raise GGUFError(f"{gguf.path}: tensor '{tname}' has shape {list(shape)}, with no dimension "
                                    f"{dim} to give {name}")
                values[name] = shape[dim]
                source[name] = f"dimension {dim} of tensor '{tname}'"
            elif "default" in spec:
                if not free_names(spec["default"]) <= values.keys():
                    continue
                try:
                    values[name] = evaluate(spec["default"], values)
                except (ArithmeticError, ValueError) as e:  # e.g. a math domain error
                    raise GGUFError(f"{gguf.path}: cannot compute {name} = {spec['default']} from "
                                    f"{_values(spec['default'], values)}: {e}") from None
                source[name] = f"{name} = {spec['default']}" + (f" (no key '{key}')" if key else "")
            else:
                raise GGUFError(f"{gguf.path}: missing metadata key '{key}' ({name})")
            _check_hparam(gguf, name, values, source[name])
            del pending[name]
            progressed = True
        if not progressed:
            raise GGUFError(f"template hyperparameters {sorted(pending)} depend on each other")
    _check_hparams_together(gguf, values, source)
    return values


MAX_FLOAT32 = 3.4028234663852886e38


def _check_hparam(gguf: GGUFFile, name: str, values: dict[str, int | float], source: str) -> None:
    """An integer hyperparameter is a positive integer; any other a positive finite float32."""
    value = values[name]
    if name in INT_HPARAMS:
        if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
            raise GGUFError(f"{gguf.path}: {name} = {value} (from {source}) must be an integer")
        values[name] = value = int(value)
        if value <= 0:
            raise GGUFError(f"{gguf.path}: hyperparameter {name} = {value} (from {source}) must be positive")
    elif not (0 < value <= MAX_FLOAT32 and _as_float32(value) > 0):  # NaN fails too; so does 1e-300 (0 in f32)
        raise GGUFError(
            f"{gguf.path}: hyperparameter {name} = {value} (from {source}) must be a positive finite float32"
        )


def _as_float32(value: float) -> float:
    """`value` rounded to float32, as the IR's f32 attributes hold it."""
    return struct.unpack("<f", struct.pack("<f", value))[0]


def _check_hparams_together(gguf: GGUFFile, values: dict[str, int | float], source: dict[str, str]) -> None:
    """What the attention and rope ops require of the hyperparameters together."""

    def say(name: str) -> str:
        return f"{name} = {values[name]} (from {source[name]})"

    if "n_head" in values and "n_head_kv" in values and values["n_head"] % values["n_head_kv"]:
        raise GGUFError(f"{gguf.path}: {say('n_head_kv')} does not divide {say('n_head')}")
    if "n_rot" in values and "head_dim" in values:
        n_rot, head_dim = values["n_rot"], values["head_dim"]
        if n_rot % 2 or n_rot > head_dim:
            raise GGUFError(f"{gguf.path}: {say('n_rot')} must be even and at most {say('head_dim')}")


def _values(formula: str | int | float, values: dict[str, int | float]) -> str:
    return ", ".join(f"{n} = {values[n]}" for n in sorted(free_names(formula))) or "nothing"


def _number(gguf: GGUFFile, key: str) -> int | float:
    value = gguf.metadata[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        text = repr(value)
        text = text if len(text) <= 60 else text[:57] + "..."
        raise GGUFError(f"{gguf.path}: metadata key '{key}' is {text}, expected a number")
    return value


def expand(name: str, layer: int | None) -> str:
    return name.replace("{i}", str(layer)) if layer is not None else name


def _expected_shape(spec: dict[str, Any], hparams: dict[str, int | float]) -> tuple[int, ...]:
    return tuple(int(evaluate(d, hparams)) for d in spec["shape"])


def _bias_patterns(template: dict[str, Any]) -> set[str]:
    """The tensors the template adds as a linear's bias (its second weight)."""
    entries = [*template["header"], *template["layer"], *template["footer"]]
    return {e["weights"][1] for e in entries if e["op"] == "linear" and len(e.get("weights", [])) > 1}


def _fmt(shape: tuple[int, ...]) -> str:
    return f"[{', '.join(map(str, shape))}] (GGUF ne [{', '.join(map(str, reversed(shape)))}])"


def _resolve_tensors(
    template: dict[str, Any], hparams: dict[str, int | float], gguf: GGUFFile
) -> dict[str, ResolvedTensor]:
    path = gguf.path
    for tname, why in template.get("unsupported_tensors", {}).items():
        if tname in gguf.tensors:
            raise GGUFError(f"{path}: {why}")
    out: dict[str, ResolvedTensor] = {}
    biases = _bias_patterns(template)
    for pattern, spec in template["tensors"].items():
        layers = range(int(hparams["n_layer"])) if "{i}" in pattern else [None]
        for layer in layers:
            name = expand(pattern, layer)
            expected = _expected_shape(spec, hparams)
            stored = name
            if name not in gguf.tensors:
                if spec.get("optional"):
                    continue
                if "absent_use" in spec:
                    stored = expand(spec["absent_use"], layer)
                else:
                    raise GGUFError(f"{path}: missing tensor '{name}', expected shape {_fmt(expected)}")
            info = gguf.tensors[stored]
            if info.shape != expected:
                raise GGUFError(
                    f"{path}: tensor '{stored}' has shape {_fmt(info.shape)}, "
                    f"expected {_fmt(expected)} from {spec['shape']}"
                )
            if info.dtype is None:
                raise GGUFError(
                    f"{path}: tensor '{stored}' has dtype {info.type_name}, which ck does not "
                    f"support (supported: {', '.join(SUPPORTED_DTYPES.values())})"
                )
            if info.dtype == "q8_0" and info.shape[-1] % 32:
                raise GGUFError(f"{path}: q8_0 tensor '{stored}' has a row length not a multiple of 32")
            if pattern in biases and info.dtype != "f32":
                raise GGUFError(
                    f"{path}: bias '{stored}' is stored as {info.dtype}; ck adds biases in f32 only "
                    f"(llama.cpp's converter stores every 1-D tensor as f32)"
                )
            out[name] = ResolvedTensor(name, info)
    used = {t.info.name for t in out.values()}
    extra = sorted(set(gguf.tensors) - used)
    if extra:
        raise GGUFError(
            f"{path}: unexpected tensor '{extra[0]}' ({len(extra)} in all) that the "
            f"{template['architecture']} template does not use"
        )
    return out
