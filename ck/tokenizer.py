r"""The tokenizer stored in a GGUF file: text -> token ids -> text, as llama.cpp does it.

Supported: `tokenizer.ggml.model == "gpt2"` (byte-level BPE) with the pre-tokenizer named by
`tokenizer.ggml.pre`; implemented are llama.cpp's pre types QWEN2 (GGUF names `qwen2`,
`deepseek-r1-qwen`, `kormo`, `f2llmv2`), used by Qwen2/Qwen2.5/Qwen3, and GPT2 (`gpt-2`, GPT-2's
own). Anything else is a CkError naming what is supported.

Encoding follows llama.cpp's `llama_tokenize(vocab, text, add_special, parse_special)`
(`src/llama-vocab.cpp`):

1. Special-token partition: the CONTROL, USER_DEFINED and UNKNOWN tokens are found in the
   text as literal strings, longest first (each token splits all remaining text fragments
   before the next, shorter one is looked for). With `parse_special=False` the CONTROL and
   UNKNOWN ones are skipped but USER_DEFINED ones (`<think>`, `<tool_call>`) are still matched.
2. Each remaining fragment is split by the pre-tokenizer regex, each piece is mapped to GPT-2's
   byte-level alphabet and merged by BPE rank (lowest rank first, leftmost first on ties, one
   merge at a time, like llama.cpp's and HF's priority queue).
3. BOS is added in front only when `tokenizer.ggml.add_bos_token` is true (Qwen: false), EOS at
   the end only when `tokenizer.ggml.add_eos_token` is true.

Differences from Hugging Face `tokenizers` on the same tokenizer.json, both llama.cpp's:
- No normalizer. HF's Qwen tokenizer applies NFC first; the GGUF file does not record a
  normalizer and llama.cpp does not normalize. So non-NFC text (`e` + U+0301, U+212B ANGSTROM
  SIGN, ...) gives other ids than HF, and decode returns the original, un-normalized text.
- Token types are adjusted at load time as llama.cpp does (see `_llama_attrs`): tokens spelled
  like an end-of-generation token become CONTROL. In Qwen's vocab the ordinary BPE token 128247
  is spelled `</s>`, so the text `</s>` encodes to [128247] here (and in llama.cpp), but to
  [522, 82, 29] in HF. `token_types` reports the types as stored in the file.
- Unicode classes (`\p{L}`, `\p{N}`, `\s`) come from the `regex` package (Unicode 17.0). HF
  tokenizers 0.23.3 (Oniguruma) knows Unicode 16.0, so characters first assigned in 17.0
  (e.g. U+10EC6) can split differently there; llama.cpp uses its own generated tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from heapq import heapify, heappop, heappush
from itertools import chain
from typing import TYPE_CHECKING, Any

import regex

from ck.errors import CkError
from ck.gguf_file import read_gguf_metadata

if TYPE_CHECKING:
    from ck.gguf_file import GGUFFile

__all__ = ["Tokenizer", "read_gguf_metadata", "SUPPORTED_MODELS", "SUPPORTED_PRE"]

# GGUF token types (gguf-py TokenType, llama.cpp llama_token_type).
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6

# llama.cpp's pre-tokenizer regex for pre type QWEN2: tokenizer.json's regex with the
# case-insensitive contractions written out (so `'ſ` or `'K` (Kelvin) are not contractions).
QWEN2_PATTERN = (
    r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
    r"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
# llama.cpp's pre type GPT2 (GPT-2's own byte-level regex). llama.cpp writes it without the final
# `|\s+` but splits the whitespace it leaves unmatched the same way (its hand-written GPT-2
# splitter), which is what HF's ByteLevel pre-tokenizer's `\s+(?!\S)|\s+` does.
GPT2_PATTERN = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
# GGUF `tokenizer.ggml.pre` names -> regex: llama.cpp's pre type QWEN2 (qwen2 .. f2llmv2) and
# GPT2 (gpt-2, what its converter writes for GPT-2).
SUPPORTED_PRE: dict[str, str] = {
    "qwen2": QWEN2_PATTERN,
    "deepseek-r1-qwen": QWEN2_PATTERN,
    "kormo": QWEN2_PATTERN,
    "f2llmv2": QWEN2_PATTERN,
    "gpt-2": GPT2_PATTERN,
}
SUPPORTED_MODELS = ("gpt2",)

# Spellings llama.cpp (src/llama-vocab.cpp, `llama_vocab::impl::load`) looks for when the GGUF
# file does not give the id, in llama.cpp's order. llama.cpp walks an unordered_map and takes the
# first token it meets; we take the first spelling of the list that exists (for Qwen: EOT =
# `<|im_end|>` 151645, which is what llama.cpp picks).
EOT_SPELLINGS = (
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>",
    "<EOT>", "_<EOT>", "[EOT]", "<end_of_utterance>",
)
EOM_SPELLINGS = ("<|eom_id|>",)
FIM_SPELLINGS = {
    "fim_pre": ("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<PRE>", "<|code_prefix|>", "<|prefix|>"),
    "fim_suf": ("<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<SUF>", "<|code_suffix|>", "<|suffix|>"),
    "fim_mid": ("<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<MID>", "<|code_middle|>", "<|middle|>"),
    "fim_pad": ("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"),
    "fim_rep": ("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"),
    "fim_sep": ("<|file_sep|>",),
}
# Every token spelled like this ends generation (llama.cpp's EOG list, same source). `</s>` is on
# it for paddleocr; on Qwen's vocab it catches the ordinary token 128247.
EOG_SPELLINGS = (
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
    "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
    "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
)
# gpt-oss: llama.cpp always renders these, as USER_DEFINED.
_FORCED_USER_DEFINED = ("<|channel|>", "<|message|>", "<|start|>", "<|constrain|>")


def _bytes_to_unicode() -> list[str]:
    """GPT-2's byte -> character table (llama.cpp `unicode_byte_to_utf8_map`)."""
    printable = [*range(0x21, 0x7F), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    table = [""] * 256
    n = 0
    for b in range(256):
        if b in printable:
            table[b] = chr(b)
        else:
            table[b] = chr(0x100 + n)
            n += 1
    return table


_BYTE_TO_CHAR = _bytes_to_unicode()
# latin-1 character (= one byte) -> byte-level character, and back.
_TO_BYTELEVEL = str.maketrans({chr(b): c for b, c in enumerate(_BYTE_TO_CHAR)})
_FROM_BYTELEVEL = str.maketrans({c: chr(b) for b, c in enumerate(_BYTE_TO_CHAR)})
_BYTELEVEL_CHARS = frozenset(_BYTE_TO_CHAR)


class Tokenizer:
    """Byte-level BPE tokenizer read from GGUF metadata (see the module docstring)."""

    def __init__(self, metadata: dict[str, Any], source: str = "GGUF metadata", cache_size: int = 1 << 16) -> None:
        self.source = source
        model = metadata.get("tokenizer.ggml.model")
        if model is None:
            raise CkError(f"{source}: no tokenizer in the file (no tokenizer.ggml.model key)")
        if model not in SUPPORTED_MODELS:
            raise CkError(
                f"{source}: unsupported tokenizer model '{model}' "
                f"(supported: {', '.join(SUPPORTED_MODELS)}, byte-level BPE)"
            )
        pre = metadata.get("tokenizer.ggml.pre")
        if pre not in SUPPORTED_PRE:
            what = f"unsupported pre-tokenizer '{pre}'"
            if pre is None:
                what = "no pre-tokenizer (tokenizer.ggml.pre missing)"
            raise CkError(f"{source}: {what} (supported: {', '.join(SUPPORTED_PRE)})")
        self.model: str = model
        self.pre: str = pre

        tokens = metadata.get("tokenizer.ggml.tokens")
        if not isinstance(tokens, list) or not tokens:
            raise CkError(f"{source}: tokenizer.ggml.tokens is missing or empty")
        n = len(tokens)
        types = metadata.get("tokenizer.ggml.token_type")
        if types is None:
            types = [NORMAL] * n
        elif len(types) < n:
            raise CkError(f"{source}: {len(types)} token types for {n} tokens")
        merges = metadata.get("tokenizer.ggml.merges")
        if merges is None:
            raise CkError(f"{source}: gpt2 tokenizer without tokenizer.ggml.merges")

        self._tokens: list[str] = [t if t else f"[EMPTY_{i}]" for i, t in enumerate(tokens)]
        self.token_types: list[int] = [int(t) for t in types[:n]]
        self._vocab: dict[str, int] = {t: i for i, t in enumerate(self._tokens)}  # last id wins, as llama.cpp
        ranks: dict[tuple[str, str], int] = {}
        for rank, m in enumerate(merges):
            pos = m.find(" ", 1)
            if pos > 0:
                ranks.setdefault((m[:pos], m[pos + 1 :]), rank)  # first one wins (std::map::emplace)
        self._ranks = ranks

        def special_id(key: str) -> int | None:
            v = metadata.get(f"tokenizer.ggml.{key}_token_id")
            return int(v) if isinstance(v, int) and 0 <= v < n else None

        self.bos_id: int | None = special_id("bos")
        self.eos_id: int | None = special_id("eos")
        self.pad_id: int | None = special_id("padding")
        self.add_bos: bool = bool(metadata.get("tokenizer.ggml.add_bos_token", False))
        self.add_eos: bool = bool(metadata.get("tokenizer.ggml.add_eos_token", False))
        template = metadata.get("tokenizer.chat_template")
        self.chat_template: str | None = template if isinstance(template, str) else None

        given = {k: special_id(k) for k in ("eot", "eom", *FIM_SPELLINGS)}
        self._attrs, found, self.eog_ids = _llama_attrs(self._tokens, self.token_types, self._vocab, given, self.eos_id)
        self.eot_id: int | None = found["eot"]
        self.eom_id: int | None = found["eom"]
        self.fim_ids: dict[str, int | None] = {k: found[k] for k in FIM_SPELLINGS}

        # llama.cpp's special-token cache: CONTROL, USER_DEFINED and UNKNOWN tokens, longest first.
        specials = [i for i, a in enumerate(self._attrs) if a & (_ATTR_CONTROL | _ATTR_USER_DEFINED | _ATTR_UNKNOWN)]
        specials.sort(key=lambda i: (-len(self._tokens[i].encode("utf-8")), i))
        self._specials: list[tuple[str, int, bool]] = [
            (self._tokens[i], i, bool(self._attrs[i] & (_ATTR_CONTROL | _ATTR_UNKNOWN))) for i in specials
        ]
        self._split = regex.compile(SUPPORTED_PRE[pre]).findall
        self._piece_ids = lru_cache(maxsize=cache_size)(self._bpe_piece)
        self._bytes_cache: dict[int, bytes] = {}

    # ----------------------------------------------------------------- loading

    @classmethod
    def from_gguf(cls, path: str | os.PathLike[str] | GGUFFile) -> Tokenizer:
        """The tokenizer of a GGUF file (a model, or a vocab-only file like llama.cpp's ggml-vocab-*.gguf;
        a path may be an hf://OWNER/REPO/FILE.gguf reference, see ck.hub).

        Given a path, only the metadata section is read (fast, see `read_gguf_metadata`); an
        already opened `ck.gguf_file.GGUFFile` is used as it is.
        """
        if isinstance(path, (str, os.PathLike)):
            from ck.hub import resolve

            path = resolve(path)  # hf://OWNER/REPO/FILE.gguf: the Hub cache's copy
            return cls(read_gguf_metadata(path), source=os.fspath(path))
        return cls(path.metadata, source=str(path.path))

    # ---------------------------------------------------------------- properties

    @property
    def vocab_size(self) -> int:
        return len(self._tokens)

    @property
    def tokens(self) -> list[str]:
        """Token texts as stored in the file (byte-level form for BPE tokens)."""
        return self._tokens

    def token_to_id(self, text: str) -> int | None:
        """The id of the token spelled `text` as stored (byte-level form: `Ġworld`), or None."""
        return self._vocab.get(text)

    def is_eog(self, token: int) -> bool:
        return token in self.eog_ids

    # ----------------------------------------------------------------- encoding

    def encode(self, text: str, add_special: bool = True, parse_special: bool = True) -> list[int]:
        """Token ids of `text` (llama.cpp `llama_tokenize(text, add_special, parse_special)`).

        `add_special` adds BOS/EOS only where the file's add_bos_token/add_eos_token say so.
        `parse_special=True` turns the text of special tokens (`<|im_start|>`) into their ids;
        with False only USER_DEFINED tokens (`<think>`) are, CONTROL ones are encoded as text.
        No Unicode normalization is applied (llama.cpp does none; HF's Qwen tokenizer applies NFC).
        """
        if not isinstance(text, str):
            raise CkError(f"encode() takes a str, got {type(text).__name__}")
        ids: list[int] = []
        if add_special and self.add_bos and self.bos_id is not None:
            ids.append(self.bos_id)
        piece_ids, split = self._piece_ids, self._split
        for frag in self._partition(text, parse_special):
            if isinstance(frag, int):
                ids.append(frag)
            else:
                ids.extend(chain.from_iterable(map(piece_ids, split(frag))))
        if add_special and self.add_eos and self.eos_id is not None:
            ids.append(self.eos_id)
        return ids

    def _partition(self, text: str, parse_special: bool) -> list[str | int]:
        """Split `text` at special tokens (llama.cpp `tokenizer_st_partition`): a list of str and ids."""
        frags: list[str | int] = [text] if text else []
        for tok, tid, control in self._specials:
            if control and not parse_special:
                continue
            if tok not in text:
                continue
            out: list[str | int] = []
            for frag in frags:
                if isinstance(frag, int) or tok not in frag:
                    out.append(frag)
                    continue
                parts = frag.split(tok)
                for k, part in enumerate(parts):
                    if k:
                        out.append(tid)
                    if part:
                        out.append(part)
            frags = out
        return frags

    def _bpe_piece(self, piece: str) -> tuple[int, ...]:
        """BPE of one pre-tokenized piece (cached by `_piece_ids`)."""
        try:
            raw = piece.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: a Python str that is not valid Unicode text
            raw = piece.encode("utf-8", "replace")
        word = raw.decode("latin-1").translate(_TO_BYTELEVEL)
        vocab = self._vocab
        if len(word) == 1:
            tid = vocab.get(word)
            return (tid,) if tid is not None else ()
        syms = self._merge(word)
        out: list[int] = []
        for s in syms:
            tid = vocab.get(s)
            if tid is not None:
                out.append(tid)
            else:  # llama.cpp: fall back to the symbol's single characters that are tokens
                out.extend(vocab[c] for c in s if c in vocab)
        return tuple(out)

    def _merge(self, word: str) -> list[str]:
        """Merge the characters of `word` by rank: lowest rank first, leftmost on ties, one at a time."""
        ranks = self._ranks
        syms = list(word)
        n = len(syms)
        nxt = list(range(1, n + 1))
        nxt[-1] = -1
        prv = list(range(-1, n - 1))
        heap = []
        for i in range(n - 1):
            r = ranks.get((syms[i], syms[i + 1]))
            if r is not None:
                heap.append((r, i, syms[i], syms[i + 1]))
        if not heap:
            return syms
        heapify(heap)
        while heap:
            _, i, a, b = heappop(heap)
            j = nxt[i]
            # stale entry: either side has merged since (symbols only grow, so equality is enough)
            if j < 0 or syms[i] != a or syms[j] != b:
                continue
            merged = a + b
            syms[i] = merged
            syms[j] = ""
            k = nxt[j]
            nxt[i] = k
            if k >= 0:
                prv[k] = i
                r = ranks.get((merged, syms[k]))
                if r is not None:
                    heappush(heap, (r, i, merged, syms[k]))
            p = prv[i]
            if p >= 0:
                r = ranks.get((syms[p], merged))
                if r is not None:
                    heappush(heap, (r, p, syms[p], merged))
        return [s for s in syms if s]

    # ----------------------------------------------------------------- decoding

    def token_to_bytes(self, token: int, skip_special: bool = False) -> bytes:
        """The bytes a token stands for (llama.cpp `token_to_piece`; may be part of a UTF-8 character).

        BPE tokens are mapped back from the byte-level alphabet; CONTROL and USER_DEFINED tokens
        give their text (CONTROL ones nothing when `skip_special`); UNUSED/padding tokens nothing.
        """
        token = int(token)
        attr = self._attr(token)
        if skip_special and attr & _ATTR_CONTROL:
            return b""
        cached = self._bytes_cache.get(token)
        if cached is not None:
            return cached
        text = self._tokens[token]
        if attr & (_ATTR_CONTROL | _ATTR_UNKNOWN | _ATTR_USER_DEFINED):
            out = text.encode("utf-8")
        elif attr & _ATTR_NORMAL:
            out = _bytelevel_to_bytes(text)
        else:
            out = b""
        self._bytes_cache[token] = out
        return out

    def decode_bytes(self, ids: Iterable[int], skip_special: bool = False) -> bytes:
        """The concatenated bytes of `ids` (for streaming: hold back an incomplete UTF-8 tail)."""
        return b"".join([self.token_to_bytes(t, skip_special) for t in ids])

    def decode(self, ids: Iterable[int], skip_special: bool = False) -> str:
        """The text of `ids`: bytes joined first, then UTF-8 decoded with errors='replace'.

        Special tokens are rendered as their text (`<|im_end|>`) unless `skip_special`.
        No clean-up of spaces (llama.cpp's clean_spaces is off for qwen2), so
        `decode(encode(text)) == text` for any text.
        """
        return self.decode_bytes(ids, skip_special).decode("utf-8", errors="replace")

    def _attr(self, token: int) -> int:
        if not 0 <= token < len(self._tokens):
            raise CkError(f"token id {token} is out of range (vocab size {len(self._tokens)})")
        return self._attrs[token]

    # ------------------------------------------------------------------- chat

    def apply_chat_template(
        self,
        messages: Sequence[dict[str, Any]],
        add_generation_prompt: bool = True,
        enable_thinking: bool | None = None,
        tokenize: bool = False,
        **kwargs: Any,
    ) -> str | list[int]:
        """Render `messages` with the file's `tokenizer.chat_template` (ck.chat.render_chat).

        Like llama.cpp, the template sees `bos_token`/`eos_token` as the texts of the file's BOS and
        EOS tokens. Returns the prompt text, or its ids (`encode`, special tokens parsed) when `tokenize`.
        """
        if self.chat_template is None:
            raise CkError(f"{self.source}: the GGUF file has no chat template (tokenizer.chat_template)")
        from ck.chat import render_chat

        text = render_chat(
            self.chat_template,
            list(messages),
            add_generation_prompt=add_generation_prompt,
            bos_token=self._tokens[self.bos_id] if self.bos_id is not None else None,
            eos_token=self._tokens[self.eos_id] if self.eos_id is not None else None,
            enable_thinking=enable_thinking,
            **kwargs,
        )
        return self.encode(text) if tokenize else text

    def __repr__(self) -> str:
        return (
            f"Tokenizer({self.model}/{self.pre}, {self.vocab_size} tokens, bos={self.bos_id}, "
            f"eos={self.eos_id}, eog={sorted(self.eog_ids)})"
        )


# llama_token_attr bits (llama.h).
_ATTR_UNKNOWN, _ATTR_UNUSED, _ATTR_NORMAL, _ATTR_CONTROL, _ATTR_USER_DEFINED, _ATTR_BYTE = 2, 4, 8, 16, 32, 64
_TYPE_TO_ATTR = {
    NORMAL: _ATTR_NORMAL,
    UNKNOWN: _ATTR_UNKNOWN,
    CONTROL: _ATTR_CONTROL,
    USER_DEFINED: _ATTR_USER_DEFINED,
    UNUSED: _ATTR_UNUSED,
    BYTE: _ATTR_BYTE,
}


def _llama_attrs(
    tokens: list[str],
    types: list[int],
    vocab: dict[str, int],
    given: dict[str, int | None],
    eos: int | None,
) -> tuple[list[int], dict[str, int | None], frozenset[int]]:
    """Token attributes, EOT/EOM/FIM ids and the EOG set as llama.cpp derives them at load time.

    - EOT/EOM/FIM ids come from the file's `*_token_id` keys, else from the spellings above; a token
      picked by spelling that is not CONTROL becomes CONTROL.
    - EOG = {fim_pad, fim_rep, fim_sep} + every token spelled as in EOG_SPELLINGS (made CONTROL)
      + eos, eot, eom. Then llama.cpp's two workarounds: drop `<|end|>` when `<|return|>` and
      `<|call|>` (or `<|calls|>` and `<|flush|>`) are EOG; drop `</s>` when `<|tool_response>` is.
    For Qwen3 this gives EOT 151645 and EOG {151643, 151645, 151662, 151663, 151664, 128247}.
    (llama.cpp defaults a missing gpt2 bos/eos key to id 11; we leave it None.)
    """
    attrs = [_TYPE_TO_ATTR.get(t, 0) for t in types]
    found = dict(given)

    def pick(name: str, spellings: Iterable[str]) -> None:
        if found[name] is not None:
            return
        for s in spellings:
            tid = vocab.get(s)
            if tid is not None:
                found[name] = tid
                attrs[tid] |= _ATTR_CONTROL
                return

    pick("eot", EOT_SPELLINGS)
    pick("eom", EOM_SPELLINGS)
    for name, spellings in FIM_SPELLINGS.items():
        pick(name, spellings)

    eog: set[int] = {found[k] for k in ("fim_pad", "fim_rep", "fim_sep") if found[k] is not None}
    for s in EOG_SPELLINGS:
        tid = vocab.get(s)
        if tid is not None:
            eog.add(tid)
            attrs[tid] |= _ATTR_CONTROL
    for s in _FORCED_USER_DEFINED:
        tid = vocab.get(s)
        if tid is not None:
            attrs[tid] = _ATTR_USER_DEFINED
    eog.update(t for t in (eos, found["eot"], found["eom"]) if t is not None)

    texts = {tokens[t]: t for t in eog}
    if "<|end|>" in texts and (
        ("<|return|>" in texts and ("<|call|>" in texts or "<|calls|>" in texts))
        or (("<|call|>" in texts or "<|calls|>" in texts) and "<|flush|>" in texts)
    ):
        eog.discard(texts["<|end|>"])
        attrs[texts["<|end|>"]] = _ATTR_USER_DEFINED
    if "<|tool_response>" in texts and "</s>" in texts:
        eog.discard(texts["</s>"])
        attrs[texts["</s>"]] = _ATTR_NORMAL
    return attrs, found, frozenset(eog)


def _bytelevel_to_bytes(text: str) -> bytes:
    try:
        return text.translate(_FROM_BYTELEVEL).encode("latin-1")
    except UnicodeEncodeError:  # a character outside the byte alphabet: keep it as UTF-8
        return b"".join(
            c.translate(_FROM_BYTELEVEL).encode("latin-1") if c in _BYTELEVEL_CHARS else c.encode("utf-8")
            for c in text
        )
