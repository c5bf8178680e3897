"""ck.tokenizer on the real Qwen3 tokenizer, stored in GGUF the way llama.cpp's converter stores it.

Ground truth: test/data/qwen3-tokenizer/cases.jsonl (ids from HF tokenizers, checked against
llama.cpp's llama-tokenize) and llama_divergences.jsonl (where llama.cpp differs from HF, the
llama.cpp ids are the target). HF `tokenizers` is the oracle for extra strings.
"""

from __future__ import annotations

import json
import struct
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DATA

from ck.errors import CkError, GGUFError
from ck.gguf_file import GGUFFile
from ck.testing import (
    ModelSpec,
    TokenizerMetadata,
    hf_tokenizer_metadata,
    write_gguf,
    write_vocab_gguf,
)
from ck.tokenizer import Tokenizer, read_gguf_metadata

TOKDIR = DATA / "qwen3-tokenizer"
QWEN3_VOCAB = 151936


def read_jsonl(path: Path) -> list[dict]:
    # split on "\n" only: str.splitlines() would also cut at U+2028, U+0085... inside the JSON strings
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


CASES = read_jsonl(TOKDIR / "cases.jsonl")
DIVERGENCES = read_jsonl(TOKDIR / "llama_divergences.jsonl")
LLAMA_IDS = {d["text"]: d["llama_ids"] for d in DIVERGENCES}

EXTRA = [
    "Hello 世界! Привет, мир. مرحبا بالعالم 🌍👋🏽",
    "12345 and 3.14159, 1,000,000 — ١٢٣ ½ ²",
    "I'm sure you'll see they've said it's what I'd do; WE'RE DONE. don't",
    "line one\nline two\r\n\n\n  indented\tTab\n\n",
    "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
    "<think>\nreasoning here\n</think>\n\n<tool_call>{\"name\": \"f\"}</tool_call>",
    "a<|endoftext|>b<|fim_prefix|>c<|fim_suffix|>d<|fim_middle|>",
    "<|im_start|<|im_end|>|>< |im_start|>",
    "def f(x):\n    return x ** 2  # square\n",
    "   leading and trailing spaces   ",
    "ＡＢＣ１２３ full-width, 한국어 텍스트, ภาษาไทย",
]


@pytest.fixture(scope="module")
def meta() -> TokenizerMetadata:
    return hf_tokenizer_metadata(TOKDIR, vocab_size=QWEN3_VOCAB, bos_token_id=151643)


@pytest.fixture(scope="module")
def vocab_gguf(meta: TokenizerMetadata, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("vocab") / "ggml-vocab-qwen3.gguf"
    write_vocab_gguf(path, meta)
    return path


@pytest.fixture(scope="module")
def tok(vocab_gguf: Path) -> Tokenizer:
    return Tokenizer.from_gguf(vocab_gguf)


@pytest.fixture(scope="module")
def hf():
    tokenizers = pytest.importorskip("tokenizers")
    return tokenizers.Tokenizer.from_file(str(TOKDIR / "tokenizer.json"))


# ------------------------------------------------------------------ metadata written


def test_metadata_as_converter_writes_it(meta: TokenizerMetadata) -> None:
    assert (meta.model, meta.pre) == ("gpt2", "qwen2")
    assert len(meta.tokens) == len(meta.token_types) == QWEN3_VOCAB
    counts = Counter(meta.token_types)
    assert counts == {1: 151643, 3: 20, 4: 6, 5: 267}
    user_defined = {meta.tokens[i] for i, t in enumerate(meta.token_types) if t == 4}
    assert user_defined == {"<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>", "<think>", "</think>"}
    assert meta.tokens[151659] == "<|fim_prefix|>" and meta.token_types[151659] == 3  # special=false, looks special
    assert meta.tokens[151643] == "<|endoftext|>" and meta.token_types[151643] == 3
    assert meta.tokens[151669] == "[PAD151669]" and meta.tokens[-1] == "[PAD151935]"
    assert meta.tokens[1879] == "Ġworld" and meta.tokens[128247] == "</s>" and meta.token_types[128247] == 1
    assert len(meta.merges) == 151387 and meta.merges[0] == "Ġ Ġ"
    assert all(m.count(" ") == 1 for m in meta.merges)
    assert meta.special_token_ids == {"eos": 151645, "pad": 151643, "bos": 151643}
    assert meta.add_special_token == {"bos": False}
    config = json.loads((TOKDIR / "tokenizer_config.json").read_text(encoding="utf-8"))
    assert meta.chat_template == config["chat_template"]


def test_vocab_only_file(vocab_gguf: Path) -> None:
    md = read_gguf_metadata(vocab_gguf)
    assert md["general.architecture"] == "qwen3"
    assert set(md) == {
        "general.architecture", "tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.ggml.tokens",
        "tokenizer.ggml.token_type", "tokenizer.ggml.merges", "tokenizer.ggml.eos_token_id",
        "tokenizer.ggml.padding_token_id", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.add_bos_token",
        "tokenizer.chat_template",
    }
    assert (md["tokenizer.ggml.bos_token_id"], md["tokenizer.ggml.eos_token_id"]) == (151643, 151645)
    assert md["tokenizer.ggml.padding_token_id"] == 151643 and md["tokenizer.ggml.add_bos_token"] is False
    with open(vocab_gguf, "rb") as f:
        _magic, _version, n_tensors = struct.unpack("<4sIQ", f.read(16))
    assert n_tensors == 0


def test_fast_reader_equals_gguf_file(tiny_qwen3: Path) -> None:
    assert read_gguf_metadata(tiny_qwen3) == GGUFFile(tiny_qwen3).metadata


# ------------------------------------------------------------------ encoding


def test_every_case_encodes_to_recorded_ids(tok: Tokenizer) -> None:
    assert len(CASES) == 340
    wrong = []
    for case in CASES:
        want = LLAMA_IDS.get(case["text"], case["ids"])
        got = tok.encode(case["text"])
        if got != want:
            wrong.append((case["tag"], case["text"][:60], got[:12], want[:12]))
    assert not wrong, f"{len(wrong)} cases differ, e.g. {wrong[:3]}"


def test_every_case_round_trips(tok: Tokenizer) -> None:
    bad = [c["text"][:60] for c in CASES if tok.decode(tok.encode(c["text"])) != c["text"]]
    assert not bad


@pytest.mark.parametrize("d", DIVERGENCES, ids=lambda d: f"{d['reason']}:{d['text']!r}")
def test_follows_llama_cpp_where_hf_differs(tok: Tokenizer, d: dict) -> None:
    ids = tok.encode(d["text"])
    assert ids == d["llama_ids"] != d["hf_ids"]
    assert tok.decode(ids) == d["text"]  # no NFC: the original text comes back


def test_agrees_with_hf_tokenizers(tok: Tokenizer, hf) -> None:
    for text in EXTRA:
        assert tok.encode(text) == hf.encode(text).ids, text
        assert tok.decode(tok.encode(text)) == text


def test_digits_contractions_whitespace(tok: Tokenizer) -> None:
    assert tok.encode("12345") == [16, 17, 18, 19, 20]  # one digit per token
    assert tok.encode("I'm") == [40, 2776]
    assert tok.encode("Hello world") == [9707, 1879]
    assert tok.encode("") == []


def test_special_tokens(tok: Tokenizer) -> None:
    assert tok.encode("<|im_start|>") == [151644]
    assert tok.encode("<|im_start|>user\nhi<|im_end|>") == [151644, 872, 198, 6023, 151645]
    assert tok.encode("<think>") == [151667]
    # parse_special=False: CONTROL tokens are plain text, USER_DEFINED ones still match (llama.cpp)
    plain = tok.encode("<|im_start|>", parse_special=False)
    assert len(plain) > 1 and 151644 not in plain
    assert tok.decode(plain) == "<|im_start|>"
    assert tok.encode("<think>x</think>", parse_special=False) == [151667, 87, 151668]


def test_no_bos_for_qwen(tok: Tokenizer) -> None:
    assert tok.add_bos is False
    assert tok.encode("hi")[0] != tok.bos_id


def test_special_ids_and_eog(tok: Tokenizer) -> None:
    assert tok.vocab_size == QWEN3_VOCAB
    assert (tok.bos_id, tok.eos_id, tok.eot_id, tok.pad_id) == (151643, 151645, 151645, 151643)
    assert tok.eog_ids == {151643, 151645, 151662, 151663, 151664, 128247}
    assert tok.is_eog(151645) and not tok.is_eog(151644)
    assert Counter(tok.token_types) == {1: 151643, 3: 20, 4: 6, 5: 267}  # as stored in the file
    assert tok.chat_template is not None and "<|im_start|>" in tok.chat_template


# ------------------------------------------------------------------ decoding


def test_bytes_and_partial_utf8(tok: Tokenizer) -> None:
    text = "🫠é中"
    ids = tok.encode(text)
    assert ids[:3] == [9284, 104, 254]
    assert tok.decode_bytes(ids) == text.encode("utf-8")
    assert b"".join(tok.token_to_bytes(i) for i in ids) == text.encode("utf-8")
    first = tok.token_to_bytes(ids[0])
    assert first == b"\xf0\x9f"  # 🫠 is split over 3 tokens: a streamer must hold bytes back
    assert tok.decode(ids[:1]) == "\ufffd"
    assert tok.token_to_bytes(151645) == b"<|im_end|>"
    assert tok.token_to_bytes(151645, skip_special=True) == b""
    assert tok.decode([151644, 9707, 151645], skip_special=True) == "Hello"
    assert tok.token_to_bytes(151700) == b""  # [PAD151700]: UNUSED renders nothing
    with pytest.raises(CkError, match="out of range"):
        tok.decode([QWEN3_VOCAB])


def test_chat_template(tok: Tokenizer) -> None:
    pytest.importorskip("jinja2")
    messages = [{"role": "user", "content": "Hi"}]
    text = tok.apply_chat_template(messages, enable_thinking=False)
    assert text == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"
    assert tok.apply_chat_template(messages, enable_thinking=False, tokenize=True) == tok.encode(text)
    assert tok.apply_chat_template(messages, add_generation_prompt=False) == "<|im_start|>user\nHi<|im_end|>\n"


# ------------------------------------------------------------------ files and errors


def test_full_model_file(meta: TokenizerMetadata, tok: Tokenizer, tmp_path: Path) -> None:
    spec = ModelSpec(arch="qwen3", vocab=QWEN3_VOCAB, dim=32, layers=1, ffn=64, heads=2, kv_heads=1)
    start = time.perf_counter()
    write_gguf(tmp_path / "tiny.gguf", spec, tokenizer=meta)
    assert time.perf_counter() - start < 5
    model_tok = Tokenizer.from_gguf(tmp_path / "tiny.gguf")
    assert model_tok.vocab_size == QWEN3_VOCAB
    assert model_tok.eog_ids == tok.eog_ids
    for text in EXTRA:
        assert model_tok.encode(text) == tok.encode(text)
    # the unpadded tokenizer is padded to the model's vocab; a smaller vocab is refused
    unpadded = hf_tokenizer_metadata(TOKDIR, vocab_size=151669, bos_token_id=151643)
    assert unpadded.padded(QWEN3_VOCAB).tokens == meta.tokens
    with pytest.raises(ValueError, match="more than the model's vocab"):
        write_gguf(tmp_path / "small.gguf", spec.with_(vocab=1000), tokenizer=unpadded)


def test_synthetic_tokenizer_still_written(tiny_qwen3: Path, tmp_path: Path) -> None:
    t = Tokenizer.from_gguf(tiny_qwen3)
    assert t.vocab_size == 320 and t.eos_id == 319 and t.eog_ids == {319}
    assert t.decode(t.encode("hello, wörld\n")) == "hello, wörld\n"
    assert t.encode("<|endoftext|>") == [319]
    t2 = Tokenizer.from_gguf(GGUFFile(tiny_qwen3))  # an opened GGUFFile works too
    assert t2.encode("abc") == t.encode("abc")
    write_gguf(tmp_path / "none.gguf", ModelSpec(), tokenizer=False)
    with pytest.raises(CkError, match="no tokenizer"):
        Tokenizer.from_gguf(tmp_path / "none.gguf")


def small_meta() -> TokenizerMetadata:
    from ck.testing import _synthetic_tokenizer

    return _synthetic_tokenizer(ModelSpec())


@pytest.mark.parametrize(
    "change, message",
    [
        ({"pre": "llama-bpe"}, r"unsupported pre-tokenizer 'llama-bpe' \(supported: qwen2"),
        ({"pre": None}, r"no pre-tokenizer .*supported: qwen2"),
        ({"model": "llama"}, r"unsupported tokenizer model 'llama' \(supported: gpt2"),
    ],
)
def test_unsupported_tokenizers(change: dict, message: str, tmp_path: Path) -> None:
    path = tmp_path / "vocab.gguf"
    write_vocab_gguf(path, replace(small_meta(), **change))
    with pytest.raises(CkError, match=message):
        Tokenizer.from_gguf(path)


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(GGUFError, match="no such file"):
        Tokenizer.from_gguf(tmp_path / "missing.gguf")
    (tmp_path / "text.gguf").write_text("hello")
    with pytest.raises(GGUFError, match="not a GGUF file"):
        Tokenizer.from_gguf(tmp_path / "text.gguf")
    write_vocab_gguf(tmp_path / "v.gguf", small_meta())
    data = (tmp_path / "v.gguf").read_bytes()
    (tmp_path / "cut.gguf").write_bytes(data[: len(data) // 2])
    with pytest.raises(GGUFError, match="truncated or corrupt") as err:
        Tokenizer.from_gguf(tmp_path / "cut.gguf")
    assert "\n" not in str(err.value)


# ------------------------------------------------------------------ GPT-2's pre-tokenizer

GPT2_TEXTS = [
    *[t for t in EXTRA if "<|" not in t],
    "a  b   c\t\td \n\n e  ",  # whitespace runs: the last space of a run goes with the next word
    "x\n\ny", " \u00a0 nbsp\u3000ideographic",
    "don't DON'T 'S 's 're've'll'd'm",  # GPT-2's contractions are lower-case only
    "2024-12-01 v3.14 ½½ 一二三",
    "<|endoftext|> hello<|endoftext|>",
]


@pytest.fixture(scope="module")
def gpt2_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small byte-level BPE trained here the way GPT-2's is built (ByteLevel pre-tokenizer
    with its own regex, `<|endoftext|>` its one special token), saved as tokenizer.json."""
    tokenizers = pytest.importorskip("tokenizers")
    from tokenizers import decoders, models, pre_tokenizers, trainers

    t = tokenizers.Tokenizer(models.BPE())
    t.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    t.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=700, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    corpus = [*GPT2_TEXTS, *EXTRA, *(c["text"] for c in CASES[:400])] * 3
    t.train_from_iterator(corpus, trainer)
    folder = tmp_path_factory.mktemp("gpt2-tokenizer")
    t.save(str(folder / "tokenizer.json"))
    return folder


def test_gpt2_pre_tokenizer_agrees_with_hf(gpt2_folder: Path, tmp_path: Path) -> None:
    import tokenizers

    meta = hf_tokenizer_metadata(gpt2_folder)
    assert meta.pre == "gpt-2"  # recognised from tokenizer.json's ByteLevel pre-tokenizer, as the converter names it
    write_vocab_gguf(tmp_path / "gpt2-vocab.gguf", meta, arch="gpt2")
    tok = Tokenizer.from_gguf(tmp_path / "gpt2-vocab.gguf")
    hf = tokenizers.Tokenizer.from_file(str(gpt2_folder / "tokenizer.json"))
    for text in GPT2_TEXTS:
        assert tok.encode(text) == hf.encode(text).ids, text
        assert tok.decode(tok.encode(text)) == text
