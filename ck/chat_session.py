"""A chat that keeps its conversation and its KV cache between turns.

Each turn renders the whole conversation with the GGUF's chat template, keeps the
cached tokens the new rendering starts with, and feeds only the rest; a template
that rewrites history (Qwen3 drops old reasoning) costs a partial re-prefill,
never a wrong cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ck.generate import GenerationStats, generate_tokens, text_pieces

if TYPE_CHECKING:
    from ck.runtime import Model
    from ck.sampling import SamplingParams


@dataclass
class ChatSession:
    model: Model
    params: SamplingParams
    max_tokens: int = -1  # -1: until the end of generation or a full context
    system: str | None = None
    enable_thinking: bool | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)
    cached: list[int] = field(default_factory=list)  # the tokens the KV cache holds, in order

    def __post_init__(self) -> None:
        if self.system:
            self.messages.append({"role": "system", "content": self.system})
        self.model.reset()

    def reply(self, user: str) -> Iterator[str]:
        """Add a user turn and stream the assistant's answer (recorded in `messages`)."""
        self.messages.append({"role": "user", "content": user})
        tok = self.model.tokenizer
        text = tok.apply_chat_template(self.messages, add_generation_prompt=True, enable_thinking=self.enable_thinking)
        full = tok.encode(text)
        keep = 0
        while keep < min(len(full), len(self.cached)) and full[keep] == self.cached[keep]:
            keep += 1
        keep = min(keep, len(full) - 1)  # always feed at least one token to get logits
        self.model.rewind(keep)
        self.cached = full[:keep]
        limit = self.max_tokens if self.max_tokens >= 0 else self.model.context_len
        answer: list[int] = []
        self.model.last_stats = stats = GenerationStats()

        def tokens() -> Iterator[int]:
            for token in generate_tokens(self.model, full[keep:], self.params, limit, stats, self.cached):
                answer.append(token)
                yield token

        yield from text_pieces(tok, tokens())
        self.cached = full + answer  # what the cache now holds (the end-of-turn token was not fed)
        self.messages.append({"role": "assistant", "content": tok.decode(answer)})
