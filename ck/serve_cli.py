"""`ck serve MODEL.gguf`: an OpenAI-compatible HTTP server (llama-server's flag names).

Loads the model with -np slots of -c tokens each, starts the generation engine and serves
ck.serve_app on uvicorn until Ctrl-C or SIGTERM. The listening socket is bound before the
"serving" line is printed, so the line's port (also with --port 0: a free one) is ready.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path

from ck.cli import add_backend_flag, add_dtype_flags, add_tuning_flag
from ck.errors import CkError


def add_serve_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    s = sub.add_parser(
        "serve",
        help="serve a GGUF model over an OpenAI-compatible HTTP API",
        description="Compile MODEL.gguf (cached after the first use) and serve it over HTTP with OpenAI's "
        "API: POST /v1/chat/completions and /v1/completions (streamed with \"stream\": true), GET /v1/models, "
        "/health and /metrics (Prometheus). -np slots generate at once, batched into one decode step; "
        "more requests wait in a queue of --queue. Sampling follows the request with OpenAI's defaults "
        "(temperature 1, top_p 1); temperature 0 is greedy, the same text as `ck run --temp 0`. "
        "Flags follow llama-server's.",
    )
    s.add_argument("model", metavar="MODEL.gguf")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    s.add_argument("--port", type=int, default=8080, help="TCP port (default 8080; 0 picks a free one)")
    s.add_argument("-c", "--ctx-size", type=int, default=4096,
                   help="context length of EACH slot: prompt and answer together (default 4096)")
    s.add_argument("-t", "--threads", type=int, default=None, help="threads (default: all cores, at most 8)")
    s.add_argument("-np", "--parallel", dest="n_parallel", type=int, default=1,
                   help="slots: requests generated at the same time, each with its own KV cache (default 1)")
    s.add_argument("--queue", type=int, default=64,
                   help="requests that may wait for a slot; one more is answered 503 (default 64)")
    s.add_argument("--api-key", default=None,
                   help="require `Authorization: Bearer KEY` on every endpoint but /health (default: open)")
    s.add_argument("--isa", choices=("avx512", "avx2", "scalar"), help="target ISA (default: this CPU's best)")
    add_dtype_flags(s)
    add_tuning_flag(s)
    add_backend_flag(s)
    s.set_defaults(func=cmd_serve)


def _listen(host: str, port: int) -> socket.socket:
    """The bound listening socket (IPv6 when `host` is an IPv6 address)."""
    if not 0 <= port <= 65535:
        raise CkError(f"--port must be from 0 to 65535, got {port}")
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as e:
        raise CkError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    import ck
    from ck.serve_app import make_app
    from ck.serve_engine import Engine

    if args.n_parallel < 1:
        raise CkError(f"-np/--parallel must be at least 1, got {args.n_parallel}")
    if args.queue < 0:
        raise CkError(f"--queue must be 0 or more, got {args.queue}")
    if args.api_key is not None and not args.api_key:
        raise CkError("--api-key must not be empty")
    sock = _listen(args.host, args.port)  # a port in use fails before the compile
    model = ck.load(args.model, context_len=args.ctx_size, threads=args.threads, progress=True, isa=args.isa,
                    act_dtype=args.act_dtype, kv_dtype=args.kv_dtype, tuned=not args.untuned,
                    slots=args.n_parallel, backend=args.backend)
    engine = Engine(model, args.queue)
    try:
        name = Path(args.model).name
        app = make_app(engine, name, args.api_key)
        config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=5)
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        print(f"ck: serving {name} on http://{shown}:{port} ({model.slots} slots, ctx {model.context_len})",
              file=sys.stderr, flush=True)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        engine.close()
        model.close()
        sock.close()
    return 0
