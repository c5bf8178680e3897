"""The HTTP side of `ck serve`: an OpenAI-compatible Starlette app over a generation `Engine`.

Endpoints: POST /v1/chat/completions and /v1/completions (streamed as server-sent events with
`stream`), GET /v1/models, /health and /metrics (Prometheus text). Every answer that is not a 2xx
is OpenAI's error object, and nothing a client sends can stop the server: every handler catches
everything, a bug answers 500 with its message.

A request's job is cancelled (its slot freed at the engine's next step) as soon as the client goes
away, streamed or not, and whenever its handler ends for any reason, so a slot never keeps
generating for nobody. The protocol itself (fields, defaults, JSON shapes) is ck.serve_protocol.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import hmac
import json
import sys
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from ck.errors import CkError
from ck.serve_engine import FINISH_CANCELLED, QueueFull
from ck.serve_protocol import (
    ApiError,
    ChatRequest,
    CompletionRequest,
    Generation,
    Reply,
    error_body,
    invalid,
    parse_chat,
    parse_completion,
    usage,
)
from ck.serve_text import StopText

if TYPE_CHECKING:
    from ck.serve_engine import Engine, Job

Handler = Callable[[Request], Awaitable[Response]]


def make_app(engine: Engine, model_name: str, api_key: str | None = None) -> Starlette:
    """The app serving `engine`'s model as `model_name`; with `api_key`, every endpoint but /health
    wants `Authorization: Bearer <api_key>`."""
    api = _Api(engine, model_name, api_key)
    routes = [
        Route("/v1/chat/completions", api.endpoint("/v1/chat/completions", api.chat), methods=["POST"]),
        Route("/v1/completions", api.endpoint("/v1/completions", api.completions), methods=["POST"]),
        Route("/v1/models", api.endpoint("/v1/models", api.models), methods=["GET"]),
        Route("/v1/models/{model:path}", api.endpoint("/v1/models", api.model), methods=["GET"]),
        Route("/health", api.endpoint("/health", api.health, auth=False), methods=["GET"]),
        Route("/metrics", api.endpoint("/metrics", api.metrics), methods=["GET"]),
    ]
    handlers = {HTTPException: api.http_error, Exception: api.crash}
    return Starlette(routes=routes, exception_handlers=handlers)  # type: ignore[arg-type]


def _json(body: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status)


def _sse(body: dict[str, Any]) -> str:
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


async def _until_disconnect(receive: Receive, job: Job) -> None:
    """Cancel `job` once the client has gone (the request body has been read already)."""
    while (await receive())["type"] != "http.disconnect":
        pass
    job.cancel()


class _JobStream(StreamingResponse):
    """A streamed answer that cancels its job when the client disconnects and when it ends, also
    when it never started (a client gone before the first byte)."""

    def __init__(self, content: AsyncIterator[str], job: Job) -> None:
        super().__init__(content, media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
        self.job = job

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        watch = asyncio.create_task(_until_disconnect(receive, self.job))
        try:
            await self.stream_response(send)
        finally:
            watch.cancel()
            self.job.cancel()


class _Api:
    def __init__(self, engine: Engine, model_name: str, api_key: str | None) -> None:
        self.engine = engine
        self.model_name = model_name
        self.api_key = api_key
        self.requests: collections.Counter[tuple[str, int]] = collections.Counter()

    # -- every endpoint: authorization, errors, counting

    def endpoint(self, name: str, handler: Handler, auth: bool = True) -> Handler:
        @functools.wraps(handler)
        async def run(request: Request) -> Response:
            status = 500
            try:
                if auth:
                    self._authorize(request)
                response = await handler(request)
                status = response.status_code
                return response
            except ApiError as e:
                status = e.status
                return _json(e.body(), e.status)
            except Exception as e:  # noqa: BLE001 -- the server outlives its bugs
                return self._internal(e)
            finally:
                self.requests[(name, status)] += 1
        return run

    def _authorize(self, request: Request) -> None:
        if self.api_key is None:
            return
        header = request.headers.get("authorization", "")
        scheme, _, key = header.partition(" ")
        if not header:
            raise ApiError(401, "You didn't provide an API key. You need to provide your API key in an "
                           "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                           code="invalid_api_key")
        if scheme.lower() != "bearer" or not hmac.compare_digest(key.strip().encode(), self.api_key.encode()):
            raise ApiError(401, "Incorrect API key provided.", code="invalid_api_key")

    def _internal(self, e: BaseException) -> JSONResponse:
        traceback.print_exception(e, file=sys.stderr)
        return _json(error_body(f"internal error: {type(e).__name__}: {e}", "server_error"), 500)

    async def http_error(self, request: Request, exc: Exception) -> Response:
        """Starlette's own errors (an unknown route, a wrong method) in OpenAI's shape."""
        assert isinstance(exc, HTTPException)
        self.requests[("other", exc.status_code)] += 1
        if exc.status_code == 404:
            message = f"Unknown request URL: {request.method} {request.url.path}."
        else:
            message = f"{exc.detail}: {request.method} {request.url.path}."
        return _json(error_body(message, "invalid_request_error", "unknown_url" if exc.status_code == 404 else None),
                     exc.status_code)

    async def crash(self, request: Request, exc: Exception) -> Response:
        self.requests[("other", 500)] += 1
        return self._internal(exc)

    # -- generation

    async def _body(self, request: Request) -> object:
        raw = await request.body()
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as e:
            raise invalid(f"We could not parse the JSON body of your request ({e}). The OpenAI API expects "
                          "a JSON payload.") from None

    async def chat(self, request: Request) -> Response:
        req: ChatRequest = parse_chat(await self._body(request))
        tok = self.engine.model.tokenizer
        try:
            text = tok.apply_chat_template(req.messages, add_generation_prompt=True, **req.template_kwargs)
        except CkError as e:  # no template in the GGUF, or the template refused the conversation
            raise invalid(f"cannot apply the chat template: {e}", "messages") from None
        assert isinstance(text, str)
        return await self._generate(request, tok.encode(text), req.generation, Reply(True, self.model_name))

    async def completions(self, request: Request) -> Response:
        req: CompletionRequest = parse_completion(await self._body(request))
        if isinstance(req.prompt, str):
            ids = self.engine.model.tokenizer.encode(req.prompt)
        else:
            vocab = self.engine.model.vocab
            bad = next((t for t in req.prompt if not 0 <= t < vocab), None)
            if bad is not None:
                raise invalid(f"Invalid 'prompt': token id {bad} is outside the vocabulary [0, {vocab}).", "prompt")
            ids = req.prompt
        return await self._generate(request, ids, req.generation, Reply(False, self.model_name))

    def _submit(self, ids: list[int], gen: Generation, param: str) -> Job:
        context = self.engine.model.context_len
        try:
            return self.engine.submit(ids, context if gen.max_tokens is None else gen.max_tokens, gen.params)
        except QueueFull as e:
            raise ApiError(503, str(e), "server_error", "server_busy") from None
        except CkError as e:
            code = "context_length_exceeded" if len(ids) > context else None
            raise invalid(str(e), param, code) from None

    async def _generate(self, request: Request, ids: list[int], gen: Generation, reply: Reply) -> Response:
        job = self._submit(ids, gen, "messages" if reply.chat else "prompt")
        text = StopText(self.engine.model.tokenizer, gen.stop)
        if gen.stream:
            return _JobStream(self._events(job, text, gen, reply), job)
        watch = asyncio.create_task(_until_disconnect(request.receive, job))
        parts, count = [], 0
        try:
            async for token in job.tokens():
                count += 1
                parts.append(text.push(token))
                if text.stopped:
                    break
            parts.append(text.finish())
        finally:
            watch.cancel()
            job.cancel()
        reason = _finish_reason(job, text)
        return _json(reply.complete("".join(parts), reason, usage(job.prompt_tokens, count, job.cached_tokens)))

    async def _events(self, job: Job, text: StopText, gen: Generation, reply: Reply) -> AsyncIterator[str]:
        """The server-sent events of a streamed answer, ending with `data: [DONE]`."""
        count = 0
        try:
            if reply.chat:
                yield _sse(reply.chunk(None, include_usage=gen.include_usage, first=True))
            async for token in job.tokens():
                count += 1
                piece = text.push(token)
                if piece:
                    yield _sse(reply.chunk(piece, include_usage=gen.include_usage))
                if text.stopped:
                    break
            piece = text.finish()
            if piece:
                yield _sse(reply.chunk(piece, include_usage=gen.include_usage))
            if job.finish_reason == FINISH_CANCELLED and not text.stopped:
                return  # the client went away (or the server is closing): nobody to tell
            yield _sse(reply.chunk(None, _finish_reason(job, text), include_usage=gen.include_usage))
            if gen.include_usage:
                yield _sse(reply.usage_chunk(usage(job.prompt_tokens, count, job.cached_tokens)))
            yield "data: [DONE]\n\n"
        except Exception as e:  # noqa: BLE001 -- the status is sent: the error goes into the stream, as OpenAI does
            traceback.print_exception(e, file=sys.stderr)
            yield _sse(error_body(f"internal error: {type(e).__name__}: {e}", "server_error"))
        finally:
            job.cancel()

    # -- information

    async def models(self, request: Request) -> Response:
        return _json({"object": "list", "data": [self._model_object()]})

    async def model(self, request: Request) -> Response:
        name = request.path_params["model"]
        if name != self.model_name:
            raise ApiError(404, f"The model '{name}' does not exist (this server has '{self.model_name}').",
                           code="model_not_found", param="model")
        return _json(self._model_object())

    def _model_object(self) -> dict[str, Any]:
        return {"id": self.model_name, "object": "model", "created": 0, "owned_by": "ck",
                "context_length": self.engine.model.context_len}

    async def health(self, request: Request) -> Response:
        s = self.engine.stats
        return _json({"status": "ok", "slots_idle": s.slots_total - s.slots_busy, "slots_busy": s.slots_busy,
                      "queue_depth": s.queue_depth})

    async def metrics(self, request: Request) -> Response:
        return PlainTextResponse(self._exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")

    def _exposition(self) -> str:
        """The Prometheus text format: # HELP and # TYPE, then the samples, of each metric."""
        s = self.engine.stats
        lines: list[str] = []

        def metric(name: str, kind: str, help: str, samples: list[tuple[str, float]]) -> None:
            lines.extend([f"# HELP {name} {help}", f"# TYPE {name} {kind}"])
            lines.extend(f"{name}{labels} {value:g}" if isinstance(value, float) else f"{name}{labels} {value}"
                         for labels, value in samples)

        metric("ck_requests_total", "counter", "HTTP requests answered, by endpoint and status.",
               [(f'{{endpoint="{e}",status="{c}"}}', n) for (e, c), n in sorted(self.requests.items())])
        metric("ck_requests_cancelled_total", "counter", "Generations ended early (client gone or a stop string).",
               [("", s.requests_cancelled)])
        metric("ck_prompt_tokens_total", "counter", "Prompt tokens of started generations.",
               [("", s.prompt_tokens_total)])
        metric("ck_prompt_tokens_cached_total", "counter", "Prompt tokens a slot already held (not prefilled).",
               [("", s.prompt_tokens_cached_total)])
        metric("ck_generated_tokens_total", "counter", "Tokens generated.", [("", s.generated_tokens_total)])
        metric("ck_tokens_per_second", "gauge", "Generated tokens per second over the last decode steps.",
               [("", float(s.tokens_per_second()))])
        metric("ck_queue_depth", "gauge", "Requests waiting for a slot.", [("", s.queue_depth)])
        metric("ck_slots_busy", "gauge", "Slots generating now.", [("", s.slots_busy)])
        metric("ck_slots_total", "gauge", "Slots (sequences generated at once).", [("", s.slots_total)])
        return "\n".join(lines) + "\n"


def _finish_reason(job: Job, text: StopText) -> str:
    """OpenAI's finish_reason: "stop" (end of generation or a stop string) or "length"."""
    if text.stopped:
        return "stop"
    return "length" if job.finish_reason == "length" else "stop"
