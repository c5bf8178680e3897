"""`ck serve` end to end on a tiny random-weight qwen3 that carries the real Qwen3 tokenizer and
chat template: the official `openai` client gets `ck run`'s greedy text, concurrent clients each
get their single-client answer, a client that goes away frees its slot, and bad requests get
OpenAI's errors while the server keeps serving.

Servers run in this process (uvicorn in a thread, port 0) over an Engine of a model loaded once
per slot count; one test starts `ck serve` itself. `ck run` as a subprocess is the oracle.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
import uvicorn
from conftest import DATA

import ck
from ck.serve_app import make_app
from ck.serve_engine import Engine
from ck.testing import ModelSpec, hf_tokenizer_metadata, write_gguf

CTX = 4096
KEY = "sk-test-key"
THREADS = 2
NO_THINK = {"chat_template_kwargs": {"enable_thinking": False}}
CHAT = "/v1/chat/completions"
COMPLETIONS = "/v1/completions"
TIMEOUT = 60.0  # seconds any one request may take before the test fails (they take milliseconds)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """One build cache for this module's `ck run`/`ck serve` subprocesses and its in-process loads."""
    cache = str(tmp_path_factory.mktemp("cache"))
    old = os.environ.get("CK_CACHE_DIR")
    os.environ["CK_CACHE_DIR"] = cache
    yield {**os.environ, "CK_CACHE_DIR": cache}
    if old is None:
        del os.environ["CK_CACHE_DIR"]
    else:
        os.environ["CK_CACHE_DIR"] = old


@pytest.fixture(scope="module")
def gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Untied output and 2 layers, so that greedy answers differ from prompt to prompt (a tied
    1-layer random model repeats the prompt's last token)."""
    path = tmp_path_factory.mktemp("model") / "tiny-qwen3.gguf"
    meta = hf_tokenizer_metadata(DATA / "qwen3-tokenizer", vocab_size=151936, bos_token_id=151643)
    spec = ModelSpec(arch="qwen3", vocab=151936, dim=32, layers=2, ffn=64, heads=2, kv_heads=1, head_dim=16,
                     tied=False)
    write_gguf(path, spec, tokenizer=meta, seed=2)
    return path


def ck_run(gguf: Path, env: dict[str, str], *args: str) -> str:
    """`ck run`'s generated text: stdout without the echoed prompt (plain prompts) and the final newline."""
    proc = subprocess.run(["ck", "run", str(gguf), "-c", str(CTX), "-t", str(THREADS), "--temp", "0", *args],
                          capture_output=True, text=True, timeout=300, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.endswith("\n")
    return proc.stdout[:-1]


class Served:
    """make_app over an Engine of `model`, on uvicorn in a thread, at http://127.0.0.1:port."""

    def __init__(self, model: ck.Model, name: str, queue: int = 64, api_key: str | None = KEY) -> None:
        self.engine = Engine(model, queue)
        self.api_key = api_key
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(make_app(self.engine, name, api_key), log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + TIMEOUT
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.01)
        self.base = f"http://127.0.0.1:{self.port}"

    def client(self, **kw: Any) -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.base}/v1", api_key=self.api_key or "none", timeout=TIMEOUT,
                             max_retries=0, **kw)

    def request(self, method: str, path: str, body: object = None, raw: bytes | None = None,
                key: str | None = "default") -> tuple[int, Any]:
        """Status and decoded JSON (or text) of one plain HTTP request."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        headers = {"Content-Type": "application/json"}
        key = self.api_key if key == "default" else key
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        data = raw if raw is not None else None if body is None else json.dumps(body).encode()
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode()
        finally:
            conn.close()
        if resp.getheader("content-type", "").startswith("application/json"):
            return resp.status, json.loads(text)
        return resp.status, text

    def metrics(self) -> dict[str, float]:
        status, text = self.request("GET", "/metrics")
        assert status == 200
        return parse_metrics(text)

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(TIMEOUT)
        self.engine.close()


def parse_metrics(text: str) -> dict[str, float]:
    """Samples of the Prometheus text format by name (with labels), checking every metric has
    its # HELP and # TYPE lines first."""
    samples: dict[str, float] = {}
    described: set[str] = set()
    for line in text.splitlines():
        if line.startswith(("# HELP ", "# TYPE ")):
            described.add(line.split()[2])
            continue
        m = re.fullmatch(r"([a-z_]+)(\{[^}]*\})? (\S+)", line)
        assert m, f"not a sample line: {line!r}"
        assert m.group(1) in described, f"{m.group(1)} has no # HELP/# TYPE"
        samples[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return samples


class Stream:
    """A streamed request read event by event over its own connection, closed at will."""

    def __init__(self, served: Served, path: str, body: dict[str, Any]) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=TIMEOUT)
        self.conn.request("POST", path, body=json.dumps({**body, "stream": True}).encode(),
                          headers={"Content-Type": "application/json", "Authorization": f"Bearer {served.api_key}"})
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200, self.resp.read()

    def event(self) -> Any:
        """The next `data:` payload, decoded (the string "[DONE]" at the end)."""
        while True:
            line = self.resp.fp.readline()
            assert line, "the stream ended without [DONE]"
            if line.startswith(b"data: "):
                data = line[6:].strip().decode()
                return data if data == "[DONE]" else json.loads(data)

    def close(self) -> None:
        """Go away mid-stream, as a client that gives up does: the connection is closed."""
        self.resp.close()
        self.conn.close()


@pytest.fixture(scope="module")
def model2(gguf: Path, env: dict[str, str]) -> Iterator[ck.Model]:
    model = ck.load(gguf, context_len=CTX, threads=THREADS, slots=2)
    yield model
    model.close()


@pytest.fixture(scope="module")
def model1(gguf: Path, env: dict[str, str]) -> Iterator[ck.Model]:
    model = ck.load(gguf, context_len=CTX, threads=THREADS, slots=1)
    yield model
    model.close()


@pytest.fixture(scope="module")
def two_slots(model2: ck.Model, gguf: Path) -> Iterator[Served]:
    served = Served(model2, gguf.name)
    yield served
    served.close()


@pytest.fixture(scope="module")
def one_slot(model1: ck.Model, gguf: Path) -> Iterator[Served]:
    """-np 1 with room for one waiting request (a second one waiting is answered 503)."""
    served = Served(model1, gguf.name, queue=1)
    yield served
    served.close()


# ------------------------------------------------------------------------ the same text as ck run

CHATS = ["Hi", "Tell me a story about a cat."]
PROMPTS = ["Once upon a time", "The capital of France is"]
N = 16


@pytest.mark.parametrize("message", CHATS)
def test_chat_equals_ck_run(two_slots: Served, gguf: Path, env: dict[str, str], message: str) -> None:
    want = ck_run(gguf, env, "--chat", "--no-think", "-p", message, "-n", str(N))
    client = two_slots.client()
    messages = [{"role": "user", "content": message}]
    reply = client.chat.completions.create(model=gguf.name, messages=messages, temperature=0, max_tokens=N,
                                           extra_body=NO_THINK)
    assert reply.choices[0].message.content == want
    assert reply.choices[0].message.role == "assistant"
    assert reply.choices[0].finish_reason == "length"  # random weights: N tokens without an end token
    assert reply.usage.completion_tokens == N
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + N
    chunks = list(client.chat.completions.create(model=gguf.name, messages=messages, temperature=0, max_tokens=N,
                                                 extra_body=NO_THINK, stream=True,
                                                 stream_options={"include_usage": True}))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == want
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "length"
    assert not chunks[-1].choices and chunks[-1].usage.completion_tokens == N
    assert len({c.id for c in chunks}) == 1 and chunks[0].object == "chat.completion.chunk"


@pytest.mark.parametrize("prompt", PROMPTS)
def test_completion_equals_ck_run(two_slots: Served, gguf: Path, env: dict[str, str], prompt: str) -> None:
    stdout = ck_run(gguf, env, "-p", prompt, "-n", str(N))
    assert stdout.startswith(prompt)  # ck run echoes the prompt
    want = stdout[len(prompt):]
    client = two_slots.client()
    reply = client.completions.create(model=gguf.name, prompt=prompt, temperature=0, max_tokens=N)
    assert reply.choices[0].text == want and reply.object == "text_completion"
    assert reply.usage.completion_tokens == N
    streamed = client.completions.create(model=gguf.name, prompt=prompt, temperature=0, max_tokens=N, stream=True)
    assert "".join(c.choices[0].text for c in streamed) == want
    ids = two_slots.engine.model.tokenizer.encode(prompt)  # a prompt of token ids is the same prompt
    assert client.completions.create(model=gguf.name, prompt=ids, temperature=0, max_tokens=N).choices[0].text == want


def test_stop_strings_cut_the_text(two_slots: Served, gguf: Path, env: dict[str, str]) -> None:
    """The answer ends before the first occurrence of a stop string, streamed or not."""
    full = ck_run(gguf, env, "-p", PROMPTS[0], "-n", str(N))[len(PROMPTS[0]):]
    stop = full[len(full) // 2: len(full) // 2 + 3]
    want = full[: full.index(stop)]
    client = two_slots.client()
    reply = client.completions.create(model=gguf.name, prompt=PROMPTS[0], temperature=0, max_tokens=N, stop=[stop])
    assert (reply.choices[0].text, reply.choices[0].finish_reason) == (want, "stop")
    streamed = list(client.completions.create(model=gguf.name, prompt=PROMPTS[0], temperature=0, max_tokens=N,
                                              stop=stop, stream=True))
    assert "".join(c.choices[0].text for c in streamed) == want
    assert streamed[-1].choices[0].finish_reason == "stop"


def test_models_and_health(two_slots: Served, gguf: Path) -> None:
    models = two_slots.client().models.list()
    assert [m.id for m in models.data] == [gguf.name]
    assert two_slots.request("GET", "/health", key=None) == (200, {"status": "ok", "slots_idle": 2, "slots_busy": 0,
                                                                   "queue_depth": 0})


# ------------------------------------------------------------------------ load

def test_concurrent_clients_get_their_single_client_answers(two_slots: Served, gguf: Path) -> None:
    """8 clients x 5 requests on 2 slots: every answer is the one that prompt gets alone."""
    prompts = [f"Request number {i} asks about {w}" for i, w in enumerate(
        ["rivers", "engines", "music", "stars", "bread", "chess", "rain", "glass"])]
    client = two_slots.client()
    alone = {p: client.completions.create(model=gguf.name, prompt=p, temperature=0, max_tokens=24).choices[0].text
             for p in prompts}
    assert len(set(alone.values())) == len(prompts)  # the prompts lead to different answers
    before = two_slots.metrics()

    def one_client(i: int) -> list[str]:
        c = two_slots.client()
        out = []
        for r in range(5):
            p = prompts[(i + r) % len(prompts)]
            if r % 2:
                chunks = c.completions.create(model=gguf.name, prompt=p, temperature=0, max_tokens=24, stream=True)
                out.append("".join(ch.choices[0].text for ch in chunks))
            else:
                out.append(c.completions.create(model=gguf.name, prompt=p, temperature=0, max_tokens=24)
                           .choices[0].text)
        return out

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one_client, range(8), timeout=TIMEOUT))
    for i, out in enumerate(results):
        assert out == [alone[prompts[(i + r) % len(prompts)]] for r in range(5)]
    after = two_slots.metrics()
    assert after["ck_slots_busy"] == 0 and after["ck_queue_depth"] == 0 and after["ck_slots_total"] == 2
    ok = 'ck_requests_total{endpoint="/v1/completions",status="200"}'
    assert after[ok] - before[ok] == 40
    assert after["ck_generated_tokens_total"] - before["ck_generated_tokens_total"] == 40 * 24


# ------------------------------------------------------------------------ a client that goes away

LONG = {"prompt": PROMPTS[0], "temperature": 0, "max_tokens": CTX - 100}


def wait_idle(served: Served) -> None:
    deadline = time.monotonic() + TIMEOUT
    while True:
        _, health = served.request("GET", "/health")
        if health["slots_busy"] == 0 and health["queue_depth"] == 0:
            return
        assert time.monotonic() < deadline, f"the server stayed busy: {health}"
        time.sleep(0.01)


@pytest.fixture(scope="module")
def long_seconds(one_slot: Served, gguf: Path) -> float:
    """How long LONG takes when its client stays: it runs to max_tokens (no end-of-generation token)."""
    t0 = time.monotonic()
    reply = one_slot.client().completions.create(model=gguf.name, prompt=PROMPTS[0], temperature=0,
                                                 max_tokens=LONG["max_tokens"])
    assert reply.choices[0].finish_reason == "length" and reply.usage.completion_tokens == LONG["max_tokens"]
    return time.monotonic() - t0


def leave_before_the_answer(served: Served, body: dict[str, Any]) -> None:
    """Send a request without `stream` and hang up once it is generating."""
    generated = served.metrics()["ck_generated_tokens_total"]
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=TIMEOUT)
    conn.request("POST", COMPLETIONS, body=json.dumps(body).encode(),
                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {served.api_key}"})
    deadline = time.monotonic() + TIMEOUT
    while served.metrics()["ck_generated_tokens_total"] == generated:
        assert time.monotonic() < deadline, "the request did not start"
        time.sleep(0.001)
    conn.close()


@pytest.mark.parametrize("stream", [True, False])
def test_a_client_gone_frees_its_slot(one_slot: Served, gguf: Path, long_seconds: float, stream: bool) -> None:
    before = one_slot.metrics()
    if stream:
        long = Stream(one_slot, COMPLETIONS, LONG)
        long.event(), long.event()
        long.close()
    else:
        leave_before_the_answer(one_slot, LONG)
    t0 = time.monotonic()
    # -np 1: this request can start only once the first one has left the slot
    short = one_slot.client().chat.completions.create(model=gguf.name, messages=[{"role": "user", "content": "Hi"}],
                                                      temperature=0, max_tokens=4, extra_body=NO_THINK)
    assert short.usage.completion_tokens == 4
    waited = time.monotonic() - t0
    after = one_slot.metrics()
    assert after["ck_requests_cancelled_total"] - before["ck_requests_cancelled_total"] == 1
    gone = after["ck_generated_tokens_total"] - before["ck_generated_tokens_total"] - 4
    assert 2 <= gone < LONG["max_tokens"] // 2, f"the abandoned stream went on for {gone} tokens"
    assert after["ck_slots_busy"] == 0
    assert waited < long_seconds / 2, \
        f"the next request waited {waited:.2f} s (the whole long one takes {long_seconds:.2f} s)"


# ------------------------------------------------------------------------ bad requests

HI = [{"role": "user", "content": "Hi"}]


def assert_error(answer: tuple[int, Any], status: int, type: str = "invalid_request_error",
                 code: str | None = None, param: str | None = None) -> None:
    got, body = answer
    assert got == status, body
    assert set(body) == {"error"} and isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert body["error"]["type"] == type
    assert body["error"]["code"] == code
    if param is not None:
        assert body["error"]["param"] == param


@pytest.mark.parametrize("path,body,param", [
    (CHAT, {"messages": []}, "messages"),
    (CHAT, {}, "messages"),
    (CHAT, {"messages": "Hi"}, "messages"),
    (CHAT, {"messages": [{"role": "robot", "content": "Hi"}]}, "messages[0].role"),
    (CHAT, {"messages": [{"role": "user", "content": 7}]}, "messages[0].content"),
    (CHAT, {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]},
     "messages[0].content[0]"),
    (CHAT, {"messages": HI, "temperature": "hot"}, "temperature"),
    (CHAT, {"messages": HI, "temperature": 2.5}, "temperature"),
    (CHAT, {"messages": HI, "top_p": 1.5}, "top_p"),
    (CHAT, {"messages": HI, "max_tokens": 0}, "max_tokens"),
    (CHAT, {"messages": HI, "max_tokens": 3.5}, "max_tokens"),
    (CHAT, {"messages": HI, "n": 2}, "n"),
    (CHAT, {"messages": HI, "stream": "yes"}, "stream"),
    (CHAT, {"messages": HI, "stream_options": {"include_usage": True}}, "stream_options"),
    (CHAT, {"messages": HI, "stop": ["a", "b", "c", "d", "e"]}, "stop"),
    (CHAT, {"messages": HI, "stop": 5}, "stop"),
    (CHAT, {"messages": HI, "presence_penalty": 3}, "presence_penalty"),
    (CHAT, {"messages": HI, "seed": "x"}, "seed"),
    (CHAT, {"messages": HI, "tools": [{"type": "function"}]}, "tools"),
    (CHAT, {"messages": HI, "chat_template_kwargs": {"enable_thinking": "no"}}, "chat_template_kwargs.enable_thinking"),
    (CHAT, {"messages": HI, "temprature": 0}, "temprature"),
    (COMPLETIONS, {"prompt": 5}, "prompt"),
    (COMPLETIONS, {"prompt": ["a", "b"]}, "prompt"),
    (COMPLETIONS, {"prompt": [1, 151936]}, "prompt"),
    (COMPLETIONS, {"prompt": "x", "frequency_penalty": None, "echo": True}, "echo"),
])
def test_bad_fields_are_400(one_slot: Served, path: str, body: dict[str, Any], param: str) -> None:
    assert_error(one_slot.request("POST", path, body), 400, param=param)


def test_bad_requests_get_openai_errors_and_the_server_keeps_serving(one_slot: Served, gguf: Path) -> None:
    assert_error(one_slot.request("POST", CHAT, raw=b'{"messages": [}'), 400)
    assert_error(one_slot.request("POST", CHAT, raw=b"\xff\xfe"), 400)
    assert_error(one_slot.request("POST", CHAT, raw=b"[1, 2]"), 400)
    too_long = {"prompt": [100] * (CTX + 1), "max_tokens": 1}
    assert_error(one_slot.request("POST", COMPLETIONS, too_long), 400, code="context_length_exceeded", param="prompt")
    assert_error(one_slot.request("POST", CHAT, {"messages": HI}, key=None), 401, code="invalid_api_key")
    assert_error(one_slot.request("POST", CHAT, {"messages": HI}, key="sk-wrong"), 401, code="invalid_api_key")
    assert_error(one_slot.request("GET", "/metrics", key="sk-wrong"), 401, code="invalid_api_key")
    assert_error(one_slot.request("GET", "/v1/nothing"), 404, code="unknown_url")
    assert_error(one_slot.request("GET", CHAT), 405)
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{one_slot.base}/v1", api_key="sk-wrong", max_retries=0).models.list()
    assert one_slot.request("GET", "/health", key=None)[0] == 200  # /health needs no key
    ok = one_slot.client().chat.completions.create(model=gguf.name, messages=HI, temperature=0, max_tokens=3)
    assert ok.usage.completion_tokens == 3
    m = one_slot.metrics()
    assert m['ck_requests_total{endpoint="/v1/chat/completions",status="401"}'] >= 2
    assert m['ck_requests_total{endpoint="/v1/completions",status="400"}'] >= 1


def test_a_full_queue_is_503(one_slot: Served, gguf: Path) -> None:
    """-np 1 --queue 1: one request generating and one waiting; a third is turned away."""
    running = Stream(one_slot, COMPLETIONS, LONG)
    running.event()  # it holds the slot
    waiting = Stream(one_slot, COMPLETIONS, LONG)  # its headers came back: it is queued
    try:
        assert one_slot.request("GET", "/health")[1]["queue_depth"] == 1
        assert_error(one_slot.request("POST", CHAT, {"messages": HI, "max_tokens": 1}), 503, "server_error",
                     "server_busy")
        with pytest.raises(openai.InternalServerError) as e:
            one_slot.client().completions.create(model=gguf.name, prompt="Hi", max_tokens=1)
        assert e.value.status_code == 503
    finally:
        running.close()
        waiting.close()
    wait_idle(one_slot)
    ok = one_slot.client().completions.create(model=gguf.name, prompt="Hi", temperature=0, max_tokens=2)
    assert ok.usage.completion_tokens == 2


# ------------------------------------------------------------------------ the command

def test_ck_serve_command(gguf: Path, env: dict[str, str]) -> None:
    """`ck serve` prints where it listens, answers like `ck run`, and stops on SIGINT."""
    want = ck_run(gguf, env, "--chat", "--no-think", "-p", CHATS[0], "-n", "8")
    proc = subprocess.Popen(["ck", "serve", str(gguf), "--port", "0", "-c", str(CTX), "-t", str(THREADS),
                             "-np", "1", "--api-key", KEY], stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stderr is not None
        line = ""
        deadline = time.monotonic() + 300
        while "serving" not in line:  # progress lines of the compile come first
            line = proc.stderr.readline()
            assert line and time.monotonic() < deadline, "ck serve did not start"
        m = re.search(r"ck: serving (\S+) on http://127\.0\.0\.1:(\d+) \(1 slots, ctx 4096\)", line)
        assert m and m.group(1) == gguf.name, line
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{m.group(2)}/v1", api_key=KEY, timeout=TIMEOUT,
                               max_retries=0)
        reply = client.chat.completions.create(model=gguf.name, messages=[{"role": "user", "content": CHATS[0]}],
                                               temperature=0, max_tokens=8, extra_body=NO_THINK)
        assert reply.choices[0].message.content == want
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode in (0, 130)


def test_ck_serve_help_explains_the_flags() -> None:
    out = subprocess.run(["ck", "serve", "--help"], capture_output=True, text=True, timeout=60,
                         check=True).stdout
    for flag in ("--host", "--port", "-c", "--ctx-size", "-t", "--threads", "-np", "--parallel", "--queue",
                 "--api-key", "--kv-dtype", "--untuned", "EACH slot"):
        assert flag in out
