"""Token ids to the text a client sees: whole UTF-8 characters, cut before the first stop string.

While streaming, text that could be the start of a stop string is held back until the next
tokens show whether it is one, so a client never receives part of a stop string, and what the
pieces add up to is exactly the non-streamed answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ck.generate import Utf8Stream

if TYPE_CHECKING:
    from ck.tokenizer import Tokenizer


class StopText:
    """Feed token ids with `push`, then `finish`; each returns the text that is now safe to send.
    `stopped` turns True once a stop string has matched (nothing more is returned after it)."""

    def __init__(self, tokenizer: Tokenizer, stops: Sequence[str] = ()) -> None:
        self.tokenizer = tokenizer
        self.stops = tuple(s for s in stops if s)
        self.utf8 = Utf8Stream()
        self.held = ""
        self.stopped = False

    def push(self, token: int) -> str:
        if self.stopped:
            return ""
        return self._feed(self.utf8.push(self.tokenizer.token_to_bytes(token)))

    def finish(self) -> str:
        """The rest, once generation has ended (a held-back tail that never became a stop string)."""
        if self.stopped:
            return ""
        text = self._feed(self.utf8.flush())
        text, self.held = text + self.held, ""
        return text

    def _feed(self, piece: str) -> str:
        text = self.held + piece
        hits = [i for i in (text.find(s) for s in self.stops) if i >= 0]
        if hits:
            self.stopped, self.held = True, ""
            return text[: min(hits)]
        keep = max((_overlap(text, s) for s in self.stops), default=0)
        self.held = text[len(text) - keep:] if keep else ""
        return text[: len(text) - keep]


def _overlap(text: str, stop: str) -> int:
    """The length of the longest end of `text` that is a proper beginning of `stop`."""
    for k in range(min(len(text), len(stop) - 1), 0, -1):
        if text.endswith(stop[:k]):
            return k
    return 0
