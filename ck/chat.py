"""Render a model's Jinja chat template into the prompt text, exactly as Hugging Face transformers does.

Chat templates (GGUF `tokenizer.chat_template`, HF `tokenizer_config.json`) are written against the
jinja2 environment that transformers builds in `transformers/utils/chat_template_utils.py`
(`_compile_jinja_template`, `render_jinja_template`). Any difference in that setup (whitespace
control, the `tojson` filter, the helper globals) changes the prompt bytes and therefore the model's
output, so this module copies it faithfully (checked against transformers 5.24.0 in
`test/python/test_chat.py`):

- `ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)` with the `loopcontrols`
  extension and a pass-through `{% generation %}` tag (transformers uses it for assistant masks);
- filter `tojson` = `json.dumps(x, ensure_ascii=False, indent, separators, sort_keys)` (jinja's own
  escapes `<`, `>`, `&`, `'` and sorts keys, which would change tool schemas);
- globals `raise_exception(msg)`, `strftime_now(fmt)` (local time), and restricted `dict`/`namespace`;
- template variables: `messages`, `tools`, `documents`, `add_generation_prompt`, then the special
  tokens and any extra keyword arguments (e.g. `enable_thinking`).

Like transformers, message keys whose value is None are dropped, `reasoning_content`/`thinking`/
`reasoning` are aliased to each other, and everything the template sees is copied to plain JSON types.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

import numpy as np

from ck.errors import CkError

__all__ = ["render_chat"]

# Names a message's reasoning may be given under; transformers fills `reasoning_content` and `thinking` from any.
_REASONING_FIELDS = ("reasoning_content", "thinking", "reasoning")
_MIN_JINJA = (3, 1, 6)  # transformers refuses older jinja2: known sandbox escapes


def render_chat(
    template: str,
    messages: list[dict],
    *,
    add_generation_prompt: bool = True,
    bos_token: str | None = None,
    eos_token: str | None = None,
    enable_thinking: bool | None = None,
    tools: list | None = None,
    documents: list | None = None,
    **kwargs: Any,
) -> str:
    """Return the prompt text `tokenizer.apply_chat_template(messages, tokenize=False, ...)` would give.

    `bos_token`/`eos_token` stand in for the tokenizer's special tokens that transformers passes to the
    template; None means "not passed" (undefined in the template), as for a tokenizer without that token.
    `enable_thinking=None` leaves the variable undefined so the template's own default applies.
    Extra keyword arguments become template variables. Raises CkError for bad messages, an invalid
    template, or a template that fails (e.g. calls `raise_exception`).
    """
    if not isinstance(template, str):
        raise CkError(f"chat template must be a string, got {type(template).__name__}")
    chat = _normalize_messages(messages)
    if tools is not None:
        if not isinstance(tools, (list, tuple)):
            raise CkError(f"tools must be a list of JSON-schema dicts, got {type(tools).__name__}")
        for i, tool in enumerate(tools):
            if not isinstance(tool, Mapping):
                raise CkError(f"tools[{i}] must be a JSON-schema dict, got {type(tool).__name__}")
    if documents is not None:
        if not isinstance(documents, (list, tuple)) or not all(isinstance(d, Mapping) for d in documents):
            raise CkError("documents must be a list of dicts with 'title' and 'text' keys")

    # transformers: template_kwargs = {**tokenizer.special_tokens_map, **kwargs}; only tokens that are set appear.
    variables: dict[str, Any] = {}
    if bos_token is not None:
        variables["bos_token"] = bos_token
    if eos_token is not None:
        variables["eos_token"] = eos_token
    variables.update(kwargs)
    if enable_thinking is not None:
        variables["enable_thinking"] = enable_thinking

    compiled = _compile(template)
    try:
        return compiled.render(
            messages=chat,
            tools=None if tools is None else _plain(list(tools)),  # transformers always builds a list
            documents=_plain(documents),
            add_generation_prompt=add_generation_prompt,
            **_plain(variables),
        )
    except Exception as e:  # the template is user input: any failure in it is the user's to fix
        raise CkError(f"chat template error: {_describe(e)}") from e


def _normalize_messages(messages: Any) -> list[dict]:
    """Check the messages and copy them the way transformers does before rendering."""
    if not isinstance(messages, (list, tuple)):
        raise CkError(f"messages must be a list of dicts, got {type(messages).__name__}")
    if not messages:
        raise CkError("messages is empty: a chat needs at least one message")
    chat = []
    for i, message in enumerate(messages):
        if not isinstance(message, Mapping):
            raise CkError(f"messages[{i}] must be a dict with 'role' and 'content', got {type(message).__name__}")
        for key in ("role", "content"):
            if key not in message:
                raise CkError(f"messages[{i}] has no {key!r} key")
            if not isinstance(message[key], str):
                raise CkError(f"messages[{i}][{key!r}] must be a string, got {type(message[key]).__name__}")
        # transformers drops None-valued keys: templates handle a missing key but may print "None".
        plain = _plain({k: v for k, v in message.items() if v is not None})
        reasoning = next((plain[k] for k in _REASONING_FIELDS if plain.get(k) is not None), None)
        if reasoning is not None:
            plain = {"thinking": reasoning, **plain, "reasoning_content": reasoning}
        chat.append(plain)
    return chat


def _plain(value: Any) -> Any:
    """Copy to plain JSON types, as transformers' `_plain_template_data` does.

    Rich objects carry methods the sandbox does not know are unsafe; the template never needs them,
    so anything else becomes an inert "<TypeName>" string.
    """
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, Mapping):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, np.generic):  # np.bool_(False) must stay falsy, not become a "<bool_>" string
        return _plain(value.item())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if callable(getattr(value, "model_dump", None)):  # pydantic models
        return _plain(value.model_dump())
    return f"<{type(value).__name__}>"


def _describe(e: Exception) -> str:
    """The template's own message, with the line for syntax errors."""
    import jinja2

    if isinstance(e, jinja2.TemplateSyntaxError):
        return f"line {e.lineno}: {e.message}"
    if isinstance(e, jinja2.TemplateError):
        return str(e.message if e.message is not None else e)
    return f"{type(e).__name__}: {e}"


@lru_cache(maxsize=64)
def _compile(template: str) -> Any:
    """Compile once per template string: parsing dominates the cost of a render."""
    env = _environment()
    try:
        return env.from_string(template)
    except Exception as e:
        raise CkError(f"invalid chat template: {_describe(e)}") from e


def _environment() -> Any:
    """Build the jinja2 environment exactly like transformers' `_compile_jinja_template`."""
    try:
        import jinja2
        import jinja2.ext
        import jinja2.nodes
        import jinja2.utils
        from jinja2.sandbox import ImmutableSandboxedEnvironment
    except ImportError as e:
        raise CkError("chat templates need jinja2>=3.1.6: pip install 'jinja2>=3.1.6'") from e
    version = tuple(int(p) for p in jinja2.__version__.split(".")[:3] if p.isdigit())
    if version < _MIN_JINJA:
        raise CkError(f"chat templates need jinja2>=3.1.6 (older ones have sandbox escapes), not {jinja2.__version__}")

    class GenerationTag(jinja2.ext.Extension):
        """`{% generation %}...{% endgeneration %}` marks assistant text for HF's masks; rendering keeps the body."""

        tags = {"generation"}

        def parse(self, parser: Any) -> Any:
            lineno = next(parser.stream).lineno
            body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
            return jinja2.nodes.CallBlock(self.call_method("_body"), [], [], body).set_lineno(lineno)

        def _body(self, caller: Any) -> str:
            return caller()

    def raise_exception(message: str) -> None:
        raise jinja2.exceptions.TemplateError(message)

    def tojson(
        x: Any, ensure_ascii: bool = False, indent: Any = None, separators: Any = None, sort_keys: bool = False
    ) -> str:
        # Not jinja's tojson: that one HTML-escapes and always sorts keys.
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format: str) -> str:
        return datetime.now().strftime(format)

    class TemplateDict:
        """`dict(...)` without exposing the dict type's attributes to the template."""

        def __call__(self, *args: Any, **kwargs: Any) -> dict:
            return dict(*args, **kwargs)

        def fromkeys(self, *args: Any, **kwargs: Any) -> dict:
            return dict.fromkeys(*args, **kwargs)

    class TemplateNamespace(jinja2.utils.Namespace):
        """`namespace(...)` that refuses underscore names, which could reach CPython internals."""

        def __init__(*args: Any, **kwargs: Any) -> None:
            self, args = args[0], args[1:]
            attrs = dict(*args, **kwargs)
            for name in attrs:
                TemplateNamespace._check_name(name)
            jinja2.utils.Namespace.__init__(self, attrs)

        def __setitem__(self, name: str, value: Any) -> None:
            TemplateNamespace._check_name(name)
            jinja2.utils.Namespace.__setitem__(self, name, value)

        @staticmethod
        def _check_name(name: Any) -> None:
            if isinstance(name, str) and name.startswith("_"):
                raise jinja2.exceptions.SecurityError(
                    f"Chat templates cannot store underscore-prefixed attributes on a namespace, but got {name!r}. "
                    "Please rename the attribute."
                )

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[GenerationTag, jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    env.globals["dict"] = TemplateDict()
    env.globals["namespace"] = TemplateNamespace
    return env
