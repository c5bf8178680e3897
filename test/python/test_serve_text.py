"""ck.serve_text.StopText: streamed pieces are whole characters, never part of a stop string, and
add up to the text cut before the first stop string, however the bytes are split into tokens."""

from __future__ import annotations

import random

import pytest

from ck.serve_text import StopText


class Bytes:
    """A stand-in tokenizer whose token ids index a list of byte strings."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = pieces

    def token_to_bytes(self, token: int) -> bytes:
        return self.pieces[token]


def run(pieces: list[bytes], stops: list[str]) -> tuple[list[str], bool]:
    text = StopText(Bytes(pieces), stops)  # type: ignore[arg-type]
    out = [text.push(i) for i in range(len(pieces))]
    out.append(text.finish())
    return out, text.stopped


def expected(full: str, stops: list[str]) -> tuple[str, bool]:
    hits = [full.index(s) for s in stops if s in full]
    return (full[: min(hits)], True) if hits else (full, False)


def random_split(data: bytes, rng: random.Random) -> list[bytes]:
    cuts = sorted(rng.sample(range(1, len(data)), min(len(data) - 1, rng.randint(0, 12))))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)])]


TEXTS = ["Hello world. The end is near, END of story.", "naïve café — 東京 ends here ### then more",
         "no stop string in here at all", "stop at the very start", "a\n\nUser: hi\nAssistant:"]
STOPS = [["END"], ["###", "東京"], ["zzz"], ["stop"], ["\nUser:", "\n\n"], ["é —", "x"]]


@pytest.mark.parametrize("seed", range(40))
def test_pieces_add_up_to_the_cut_text(seed: int) -> None:
    rng = random.Random(seed)
    full, stops = rng.choice(TEXTS), rng.choice(STOPS)
    out, stopped = run(random_split(full.encode(), rng), stops)
    # pieces only ever append, so equality means no piece held text past the cut (part of a stop string)
    assert ("".join(out), stopped) == expected(full, stops)
    assert all("\ufffd" not in piece for piece in out)  # no character split across pieces


def test_a_stop_split_over_tokens_is_held_back_then_dropped() -> None:
    out, stopped = run([b"one E", b"N", b"D two"], ["END"])
    assert out == ["one ", "", "", ""] and stopped


def test_a_held_back_prefix_that_is_not_a_stop_comes_out() -> None:
    out, stopped = run([b"one E", b"N", b"x"], ["END"])
    assert out == ["one ", "", "ENx", ""] and not stopped
    out, stopped = run([b"tail E"], ["END"])
    assert out == ["tail ", "E"] and not stopped  # finish() releases what never became a stop


def test_no_stops_streams_at_once() -> None:
    out, _ = run([b"a", b"\xc3", b"\xa9", b"b"], [])
    assert out == ["a", "", "\u00e9", "b", ""]
