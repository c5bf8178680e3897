"""The OpenAI wire format of `ck serve`: request bodies checked into typed requests, and the JSON
of responses, stream chunks and errors.

Requests are checked strictly, as OpenAI does: a field of the wrong type, a value out of range or
a field this server does not know is a 400 `invalid_request_error` naming the field, never a
silent default. Fields that change nothing here (`user`, `metadata`, `store`, `service_tier`,
`model`: there is one model) are accepted and ignored; features ck does not have (`tools`,
`logprobs`, `n` > 1, `echo`, ...) are refused when asked for.

Sampling defaults are OpenAI's, not `ck run`'s (llama.cpp's): temperature 1.0 and top_p 1.0,
with top-k and min-p off (top_k 0, min_p 0) unless the request sets llama.cpp's `top_k`/`min_p`;
presence and frequency penalties 0 over the last 64 tokens (`repeat_last_n`), repeat penalty off.
Temperature 0 is greedy: the argmax after the penalties, exactly what `ck run --temp 0` picks
(top_p 0 is greedy too). `seed` makes a sampled answer repeatable; without one each request draws
fresh entropy. `max_tokens` (or `max_completion_tokens`) defaults to the rest of the slot's context.
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from ck.errors import CkError
from ck.sampling import SamplingParams

ROLES = ("system", "developer", "user", "assistant")
MAX_STOPS = 4
REPEAT_LAST_N = 64  # llama.cpp's penalty window (llama-server's penalty_last_n default)


class ApiError(Exception):
    """An error answered as OpenAI answers it: an HTTP status and {"error": {...}}."""

    def __init__(self, status: int, message: str, type: str = "invalid_request_error",
                 code: str | None = None, param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.code, self.param = status, message, type, code, param

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.type, self.code, self.param)


def error_body(message: str, type: str, code: str | None = None, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


def invalid(message: str, param: str | None = None, code: str | None = None) -> ApiError:
    return ApiError(400, message, "invalid_request_error", code, param)


@dataclass(frozen=True)
class Generation:
    """What both endpoints share: how much to generate, how to sample, where to stop, how to answer."""

    params: SamplingParams
    max_tokens: int | None  # None: the rest of the context
    stop: tuple[str, ...] = ()
    stream: bool = False
    include_usage: bool = False


@dataclass(frozen=True)
class ChatRequest:
    messages: list[dict[str, str]]
    template_kwargs: dict[str, Any] = field(default_factory=dict)  # enable_thinking and the like
    generation: Generation = field(default_factory=lambda: Generation(SamplingParams(), None))


@dataclass(frozen=True)
class CompletionRequest:
    prompt: str | list[int]
    generation: Generation = field(default_factory=lambda: Generation(SamplingParams(), None))


# ---------------------------------------------------------------------------------- checking

_IGNORED = {"model", "user", "metadata", "store", "service_tier"}
_SAMPLING = {"max_tokens", "temperature", "top_p", "seed", "stop", "presence_penalty", "frequency_penalty",
             "n", "stream", "stream_options", "top_k", "min_p", "repeat_penalty", "repeat_last_n",
             "logprobs", "logit_bias"}
_CHAT = _IGNORED | _SAMPLING | {"messages", "max_completion_tokens", "chat_template_kwargs", "top_logprobs",
                                "tools", "tool_choice", "parallel_tool_calls", "response_format"}
_COMPLETION = _IGNORED | _SAMPLING | {"prompt", "echo", "suffix", "best_of"}


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: object) -> bool:
    return (isinstance(v, (int, float)) and not isinstance(v, bool)) and math.isfinite(v)


def _number(body: dict[str, Any], name: str, default: float, lo: float, hi: float) -> float:
    v = body.get(name)
    if v is None:
        return default
    if not _is_number(v):
        raise invalid(f"Invalid type for '{name}': expected a number, but got {_json_type(v)}.", name)
    if not lo <= v <= hi:
        raise invalid(f"Invalid '{name}': {v} is out of range: expected a value from {lo:g} to {hi:g}.", name)
    return float(v)


def _integer(body: dict[str, Any], name: str, lo: int, hi: int | None = None) -> int | None:
    v = body.get(name)
    if v is None:
        return None
    if not _is_int(v):
        raise invalid(f"Invalid type for '{name}': expected an integer, but got {_json_type(v)}.", name)
    if v < lo or (hi is not None and v > hi):
        bound = f"at least {lo}" if hi is None else f"from {lo} to {hi}"
        raise invalid(f"Invalid '{name}': {v} is out of range: expected an integer {bound}.", name)
    return v


def _json_type(v: object) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, float)):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "an array"
    return "an object"


def _check_fields(body: object, known: set[str]) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise invalid(f"The request body must be a JSON object, but got {_json_type(body)}.")
    for name in body:
        if name not in known:
            raise invalid(f"Unrecognized request argument supplied: {name}", name)
    model = body.get("model")
    if model is not None and not isinstance(model, str):
        raise invalid(f"Invalid type for 'model': expected a string, but got {_json_type(model)}.", "model")
    return body


def _refuse(body: dict[str, Any], name: str, allowed: tuple[object, ...], what: str) -> None:
    """A feature ck does not have: accepted only with a value that asks for nothing."""
    v = body.get(name)
    if v is not None and not any(type(v) is type(a) and v == a for a in allowed):
        raise invalid(f"'{name}' is not supported by this server ({what}).", name)


def _generation(body: dict[str, Any], max_name: str | None = None) -> Generation:
    """The sampling, length, stop and streaming fields both endpoints share."""
    n = _integer(body, "n", 1)
    if n is not None and n != 1:
        raise invalid(f"Invalid 'n': {n}: this server generates one choice per request (n must be 1).", "n")
    _refuse(body, "logprobs", (False, 0), "no log probabilities")
    _refuse(body, "logit_bias", ({},), "no logit bias")
    temperature = _number(body, "temperature", 1.0, 0.0, 2.0)
    top_p = _number(body, "top_p", 1.0, 0.0, 1.0)
    if top_p == 0:  # keeps only the most likely token
        temperature, top_p = 0.0, 1.0
    top_k = _integer(body, "top_k", 0)
    min_p = _number(body, "min_p", 0.0, 0.0, 1.0)
    if min_p >= 1:
        raise invalid("Invalid 'min_p': expected a value in [0, 1).", "min_p")
    repeat_penalty = _number(body, "repeat_penalty", 1.0, 0.0, math.inf)
    if repeat_penalty <= 0:
        raise invalid("Invalid 'repeat_penalty': expected a value > 0 (1 = off).", "repeat_penalty")
    repeat_last_n = _integer(body, "repeat_last_n", -1)
    seed = _integer(body, "seed", -1)
    try:
        params = SamplingParams(
                temperature=temperature, top_k=top_k or 0, top_p=top_p, min_p=min_p, repeat_penalty=repeat_penalty,
            repeat_last_n=REPEAT_LAST_N if repeat_last_n is None else repeat_last_n,
            seed=None if seed is None or seed == -1 else seed,
            presence_penalty=_number(body, "presence_penalty", 0.0, -2.0, 2.0),
            frequency_penalty=_number(body, "frequency_penalty", 0.0, -2.0, 2.0),
        )
    except CkError as e:  # a combination the ranges above let through
        raise invalid(str(e)) from None
    max_tokens = _integer(body, "max_tokens", 1)
    if max_name is not None and body.get(max_name) is not None:
        max_tokens = _integer(body, max_name, 1)
    stream = body.get("stream")
    if stream is not None and not isinstance(stream, bool):
        raise invalid(f"Invalid type for 'stream': expected a boolean, but got {_json_type(stream)}.", "stream")
    include_usage = False
    options = body.get("stream_options")
    if options is not None:
        if not stream:
            raise invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                          "stream_options")
        if not isinstance(options, dict) or set(options) - {"include_usage"}:
            raise invalid("Invalid 'stream_options': expected an object with 'include_usage'.", "stream_options")
        include_usage = options.get("include_usage")
        if include_usage is not None and not isinstance(include_usage, bool):
            raise invalid("Invalid type for 'stream_options.include_usage': expected a boolean.",
                          "stream_options.include_usage")
    return Generation(params, max_tokens, _stops(body.get("stop")), bool(stream), bool(include_usage))


def _stops(stop: object) -> tuple[str, ...]:
    if stop is None:
        return ()
    stops = [stop] if isinstance(stop, str) else stop
    if not isinstance(stops, list) or not all(isinstance(s, str) for s in stops):
        raise invalid("Invalid type for 'stop': expected a string or an array of strings.", "stop")
    if len(stops) > MAX_STOPS:
        raise invalid(f"Invalid 'stop': at most {MAX_STOPS} stop sequences, got {len(stops)}.", "stop")
    if any(not s for s in stops):
        raise invalid("Invalid 'stop': a stop sequence must not be empty.", "stop")
    return tuple(stops)


def _content(message: dict[str, Any], i: int) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if content is None and message.get("role") == "assistant":
        return ""
    if isinstance(content, list):
        texts = []
        for j, part in enumerate(content):
            if not isinstance(part, dict) or part.get("type") != "text" or not isinstance(part.get("text"), str):
                raise invalid(f"Invalid 'messages[{i}].content[{j}]': only text parts "
                              '({"type": "text", "text": ...}) are supported.', f"messages[{i}].content[{j}]")
            texts.append(part["text"])
        return "".join(texts)
    raise invalid(f"Invalid type for 'messages[{i}].content': expected a string or an array of text parts, "
                  f"but got {_json_type(content)}.", f"messages[{i}].content")


def parse_chat(body: object) -> ChatRequest:
    """Check a /v1/chat/completions body (400 ApiError naming the field otherwise)."""
    b = _check_fields(body, _CHAT)
    _refuse(b, "tools", ([],), "no tool calls")
    _refuse(b, "tool_choice", ("none", "auto"), "no tool calls")
    _refuse(b, "top_logprobs", (0,), "no log probabilities")
    _refuse(b, "parallel_tool_calls", (False, True), "no tool calls")
    fmt = b.get("response_format")
    if fmt is not None and fmt != {"type": "text"}:
        raise invalid("'response_format' other than {\"type\": \"text\"} is not supported by this server.",
                      "response_format")
    raw = b.get("messages")
    if raw is None:
        raise invalid("Missing required parameter: 'messages'.", "messages")
    if not isinstance(raw, list):
        raise invalid(f"Invalid type for 'messages': expected an array, but got {_json_type(raw)}.", "messages")
    if not raw:
        raise invalid("Invalid 'messages': empty array. Expected an array with minimum length 1.", "messages")
    messages = []
    for i, m in enumerate(raw):
        if not isinstance(m, dict):
            raise invalid(f"Invalid type for 'messages[{i}]': expected an object, but got {_json_type(m)}.",
                          f"messages[{i}]")
        role = m.get("role")
        if role not in ROLES:
            raise invalid(f"Invalid value for 'messages[{i}].role': {role!r}; supported roles are "
                          f"{', '.join(ROLES)}.", f"messages[{i}].role")
        extra = set(m) - {"role", "content", "name"}
        if extra:
            raise invalid(f"Unrecognized argument in 'messages[{i}]': {min(extra)}", f"messages[{i}]")
        messages.append({"role": "system" if role == "developer" else role, "content": _content(m, i)})
    kwargs = b.get("chat_template_kwargs")
    if kwargs is None:
        kwargs = {}
    if not isinstance(kwargs, dict):
        raise invalid("Invalid type for 'chat_template_kwargs': expected an object.", "chat_template_kwargs")
    reserved = {"messages", "add_generation_prompt", "tokenize", "bos_token", "eos_token", "tools"}
    for name in kwargs:
        if name in reserved:
            raise invalid(f"Invalid 'chat_template_kwargs': {name!r} is set by the server.", "chat_template_kwargs")
    thinking = kwargs.get("enable_thinking")
    if thinking is not None and not isinstance(thinking, bool):
        raise invalid("Invalid type for 'chat_template_kwargs.enable_thinking': expected a boolean.",
                      "chat_template_kwargs.enable_thinking")
    return ChatRequest(messages, dict(kwargs), _generation(b, "max_completion_tokens"))


def parse_completion(body: object) -> CompletionRequest:
    """Check a /v1/completions body (400 ApiError naming the field otherwise)."""
    b = _check_fields(body, _COMPLETION)
    _refuse(b, "echo", (False,), "no echo")
    _refuse(b, "suffix", ("",), "no suffix")
    _refuse(b, "best_of", (1,), "one choice per request")
    prompt = b.get("prompt")
    if prompt is None:
        raise invalid("Missing required parameter: 'prompt'.", "prompt")
    if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], str):
        prompt = prompt[0]
    if isinstance(prompt, list) and prompt and all(_is_int(t) for t in prompt):
        return CompletionRequest(list(prompt), _generation(b))
    if not isinstance(prompt, str):
        raise invalid("Invalid 'prompt': expected a string, an array of one string, or a non-empty array of "
                      "token ids.", "prompt")
    return CompletionRequest(prompt, _generation(b))


# ---------------------------------------------------------------------------------- responses

def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def usage(prompt_tokens: int, completion_tokens: int, cached_tokens: int) -> dict[str, Any]:
    return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": cached_tokens}}


@dataclass
class Reply:
    """The envelope every object of one response shares (id, created, model), and its builders."""

    chat: bool
    model: str
    id: str = ""
    created: int = 0

    def __post_init__(self) -> None:
        self.id = self.id or new_id("chatcmpl" if self.chat else "cmpl")
        self.created = self.created or int(time.time())

    def _object(self, kind: str, choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
        return {"id": self.id, "object": kind, "created": self.created, "model": self.model,
                "choices": choices, **extra}

    def complete(self, text: str, finish_reason: str, use: dict[str, Any]) -> dict[str, Any]:
        """The whole answer of a request without `stream`."""
        if self.chat:
            choice = {"index": 0, "message": {"role": "assistant", "content": text}, "logprobs": None,
                      "finish_reason": finish_reason}
            return self._object("chat.completion", [choice], usage=use)
        choice = {"index": 0, "text": text, "logprobs": None, "finish_reason": finish_reason}
        return self._object("text_completion", [choice], usage=use)

    def chunk(self, text: str | None, finish_reason: str | None = None, include_usage: bool = False,
              first: bool = False) -> dict[str, Any]:
        """One streamed piece: text (the first chat chunk carries the role), or the final finish_reason."""
        extra: dict[str, Any] = {"usage": None} if include_usage else {}
        if self.chat:
            delta: dict[str, Any] = {"role": "assistant", "content": ""} if first else {}
            if text is not None:
                delta["content"] = text
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            return self._object("chat.completion.chunk", [choice], **extra)
        choice = {"index": 0, "text": text or "", "logprobs": None, "finish_reason": finish_reason}
        return self._object("text_completion", [choice], **extra)

    def usage_chunk(self, use: dict[str, Any]) -> dict[str, Any]:
        """The last chunk with stream_options.include_usage: no choices, the usage."""
        return self._object("chat.completion.chunk" if self.chat else "text_completion", [], usage=use)
