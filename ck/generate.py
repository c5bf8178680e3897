"""Text generation on a compiled model: prefill the prompt, then sample token by token.

Pieces of text are yielded as soon as they are complete UTF-8 (a character split
across tokens is held back until its last byte arrives). Generation stops at an
end-of-generation token of the GGUF (the set llama.cpp builds), after
`max_tokens`, or when the context is full — the last with a message on stderr and
`stop_reason == "context_full"`, not an exception.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ck.errors import CkError

if TYPE_CHECKING:
    from ck.runtime import Model
    from ck.sampling import SamplingParams
    from ck.tokenizer import Tokenizer


@dataclass
class GenerationStats:
    """What the last `generate` did, for llama.cpp-style speed lines."""

    prompt_tokens: int = 0
    prompt_seconds: float = 0.0
    generated_tokens: int = 0
    generation_seconds: float = 0.0
    stop_reason: str = ""  # eog | max_tokens | context_full

    @property
    def prompt_tps(self) -> float:
        return self.prompt_tokens / self.prompt_seconds if self.prompt_seconds > 0 else 0.0

    @property
    def generation_tps(self) -> float:
        return self.generated_tokens / self.generation_seconds if self.generation_seconds > 0 else 0.0


class Utf8Stream:
    """Accumulates bytes and releases the longest prefix that is complete UTF-8."""

    def __init__(self) -> None:
        self.pending = b""

    def push(self, data: bytes) -> str:
        self.pending += data
        cut = len(self.pending)
        # walk back over a trailing incomplete sequence (at most 3 bytes)
        for back in range(1, min(4, len(self.pending)) + 1):
            byte = self.pending[-back]
            if byte & 0xC0 == 0x80:  # continuation byte: keep looking for the lead
                continue
            if byte & 0x80:  # a lead byte: how long should its sequence be?
                need = 2 if byte & 0xE0 == 0xC0 else 3 if byte & 0xF0 == 0xE0 else 4
                if back < need:
                    cut = len(self.pending) - back
            break
        text = self.pending[:cut].decode("utf-8", errors="replace")
        self.pending = self.pending[cut:]
        return text

    def flush(self) -> str:
        text = self.pending.decode("utf-8", errors="replace")
        self.pending = b""
        return text


def generate_tokens(
    model: Model,
    prompt_ids: Sequence[int],
    params: SamplingParams,
    max_tokens: int,
    stats: GenerationStats,
    history: Sequence[int] = (),
) -> Iterator[int]:
    """Feed `prompt_ids` at the model's current position, then yield sampled tokens."""
    from ck.sampling import Sampler

    if max_tokens < 0:
        raise CkError(f"max_tokens must be >= 0, got {max_tokens}")
    tokenizer = model.tokenizer
    room = model.context_len - model.position
    if len(prompt_ids) > room:
        raise CkError(
            f"the prompt is {len(prompt_ids)} tokens, longer than the context left "
            f"({room} of {model.context_len}); raise -c/--ctx-size"
        )
    if not prompt_ids:
        raise CkError("the prompt is empty: nothing to continue from")
    sampler = Sampler(params)
    seen = [*history, *prompt_ids]
    t0 = time.perf_counter()
    logits = model.forward(prompt_ids, logits="last")[-1]
    stats.prompt_tokens, stats.prompt_seconds = len(prompt_ids), time.perf_counter() - t0
    t0 = time.perf_counter()
    stats.stop_reason = "max_tokens"
    eog = set(tokenizer.eog_ids)
    for _ in range(max_tokens):
        token = sampler.sample(logits, seen)
        if token in eog:
            stats.stop_reason = "eog"
            break
        stats.generated_tokens += 1
        yield token
        seen.append(token)
        if model.position >= model.context_len:
            stats.stop_reason = "context_full"
            print(f"\nck: the context is full ({model.context_len} tokens): generation stopped", file=sys.stderr)
            break
        logits = model.forward([token], logits="last")[-1]
    stats.generation_seconds = time.perf_counter() - t0


def text_pieces(tokenizer: Tokenizer, tokens: Iterable[int]) -> Iterator[str]:
    """Decode a token stream into text pieces that are whole characters."""
    stream = Utf8Stream()
    for token in tokens:
        piece = stream.push(tokenizer.token_to_bytes(token))
        if piece:
            yield piece
    tail = stream.flush()
    if tail:
        yield tail


def generate_text(
    model: Model,
    prompt_ids: Sequence[int],
    params: SamplingParams,
    max_tokens: int,
    stats: GenerationStats,
    history: Sequence[int] = (),
) -> Iterator[str]:
    """`generate_tokens`, decoded to text pieces that are whole characters."""
    return text_pieces(model.tokenizer, generate_tokens(model, prompt_ids, params, max_tokens, stats, history))
