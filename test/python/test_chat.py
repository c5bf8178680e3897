"""ck.chat.render_chat must give byte-identical prompts to transformers' apply_chat_template.

The oracle is a PreTrainedTokenizerFast built offline from the real Qwen3 tokenizer files; the
real Qwen3 template covers thinking/history/tool handling, and small custom templates cover the
parts of the jinja2 setup Qwen3 does not touch (tojson options, whitespace control, globals).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from ck.chat import _compile, render_chat
from ck.errors import CkError

transformers = pytest.importorskip("transformers")
jinja2 = pytest.importorskip("jinja2")

TOKENIZER_DIR = Path(__file__).parents[1] / "data" / "qwen3-tokenizer"
EOS, PAD = "<|im_end|>", "<|endoftext|>"


@pytest.fixture(scope="module")
def qwen3_template() -> str:
    path = TOKENIZER_DIR / "tokenizer_config.json"
    if not path.exists():
        pytest.skip(f"no Qwen3 tokenizer data at {TOKENIZER_DIR}")
    return json.loads(path.read_text(encoding="utf-8"))["chat_template"]


@pytest.fixture(scope="module")
def hf_tok(qwen3_template: str):
    """Built once per module: loading tokenizer.json takes about a second."""
    return transformers.PreTrainedTokenizerFast(
        tokenizer_file=str(TOKENIZER_DIR / "tokenizer.json"),
        chat_template=qwen3_template,
        eos_token=EOS,
        pad_token=PAD,
    )


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Météo actuelle <en direct> & prévisions — 天气 'now'",
        "parameters": {
            "type": "object",
            "properties": {
                "location": {"type": "string", "description": "City, e.g. \"Zürich\""},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1},
            },
            "required": ["location"],
        },
    },
}

CONVERSATIONS = {
    "single_user": [{"role": "user", "content": "Hello!"}],
    "system_user": [
        {"role": "system", "content": "You are a terse assistant."},
        {"role": "user", "content": "What is 2+2?"},
    ],
    "multi_turn_with_think": [
        {"role": "system", "content": "Be helpful."},
        {"role": "user", "content": "Name a prime."},
        {"role": "assistant", "content": "<think>\nSmall primes: 2, 3, 5.\n</think>\n\nTwo."},
        {"role": "user", "content": "Another one, in 中文 please 🙂"},
        {"role": "assistant", "content": "<think>\nThree is prime.\n</think>\n\n三。"},
        {"role": "user", "content": "  Thanks\n\n"},
    ],
    # The last assistant turn comes after the last user query, so its reasoning is kept.
    "ends_with_assistant_think": [
        {"role": "user", "content": "Think, then answer: 3*3?"},
        {"role": "assistant", "content": "<think>\n3*3 = 9\n</think>\n\n9"},
    ],
    "reasoning_content_key": [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello", "reasoning_content": "greet back"},
        {"role": "user", "content": "bye"},
        {"role": "assistant", "content": "bye!", "thinking": "say bye"},
    ],
    "tool_round_trip": [
        {"role": "system", "content": "You can call tools."},
        {"role": "user", "content": "Weather in Zürich?"},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": {"location": "Zürich", "unit": "celsius"}},
                },
                {"type": "function", "function": {"name": "get_weather", "arguments": '{"location": "Bern"}'}},
            ],
        },
        {"role": "tool", "content": '{"temp": 21, "sky": "☀"}'},
        {"role": "tool", "content": '{"temp": 19}'},
        {"role": "assistant", "content": "21 °C in Zürich, 19 °C in Bern."},
        {"role": "user", "content": "<tool_response>\nnot really a tool\n</tool_response>"},
    ],
    "none_valued_keys": [
        {"role": "user", "content": "x", "name": None},
        {"role": "assistant", "content": "y", "tool_calls": None, "reasoning_content": None},
    ],
}

SETTINGS = [(agp, think) for agp in (True, False) for think in (True, False, None)]


def _hf(tok, messages, *, add_generation_prompt, enable_thinking=None, tools=None, template=None, **kw) -> str:
    if enable_thinking is not None:
        kw["enable_thinking"] = enable_thinking
    return tok.apply_chat_template(
        messages, tokenize=False, add_generation_prompt=add_generation_prompt, tools=tools,
        chat_template=template, **kw,
    )


def _ck(template, messages, *, add_generation_prompt, enable_thinking=None, tools=None, **kw) -> str:
    # The HF tokenizer passes its special tokens (eos, pad) as template variables; so do we.
    return render_chat(
        template, messages, add_generation_prompt=add_generation_prompt, enable_thinking=enable_thinking,
        tools=tools, eos_token=EOS, pad_token=PAD, **kw,
    )


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
@pytest.mark.parametrize("add_generation_prompt,enable_thinking", SETTINGS)
def test_qwen3_matches_transformers(hf_tok, qwen3_template, name, add_generation_prompt, enable_thinking):
    messages = CONVERSATIONS[name]
    before = copy.deepcopy(messages)
    want = _hf(hf_tok, messages, add_generation_prompt=add_generation_prompt, enable_thinking=enable_thinking)
    got = _ck(qwen3_template, messages, add_generation_prompt=add_generation_prompt, enable_thinking=enable_thinking)
    assert got == want
    assert messages == before  # the caller's messages are not modified


@pytest.mark.parametrize("name", ["single_user", "system_user", "tool_round_trip"])
@pytest.mark.parametrize("add_generation_prompt,enable_thinking", SETTINGS)
def test_qwen3_with_tools_matches_transformers(hf_tok, qwen3_template, name, add_generation_prompt, enable_thinking):
    tools = [WEATHER_TOOL, {"type": "function", "function": {"name": "noop", "parameters": {}}}]
    messages = CONVERSATIONS[name]
    kw = dict(add_generation_prompt=add_generation_prompt, enable_thinking=enable_thinking, tools=tools)
    got = _ck(qwen3_template, messages, **kw)
    assert got == _hf(hf_tok, messages, **kw)
    assert "Météo actuelle <en direct> & prévisions" in got  # tojson keeps non-ASCII and <>&


def test_qwen3_known_shapes(qwen3_template):
    """Spot checks that do not depend on transformers' output, so a shared bug cannot hide."""
    user = [{"role": "user", "content": "hi"}]
    assert render_chat(qwen3_template, user) == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"
    assert render_chat(qwen3_template, user, enable_thinking=False).endswith(
        "<|im_start|>assistant\n<think>\n\n</think>\n\n"
    )
    assert render_chat(qwen3_template, user, enable_thinking=True) == render_chat(qwen3_template, user)
    assert render_chat(qwen3_template, user, add_generation_prompt=False) == "<|im_start|>user\nhi<|im_end|>\n"
    history = render_chat(qwen3_template, CONVERSATIONS["multi_turn_with_think"])
    assert "<think>" not in history and "Small primes" not in history  # reasoning stripped from history
    assert "<|im_start|>assistant\nTwo.<|im_end|>" in history


# Templates exercising the environment setup: each must render exactly as transformers renders it.
CUSTOM_TEMPLATES = {
    "tojson_defaults": "{{ tools | tojson }}|{{ messages[0] | tojson }}",
    "tojson_options": (
        "{{ tools[0] | tojson(indent=2) }}\n{{ tools[0] | tojson(sort_keys=true) }}\n"
        "{{ tools[0] | tojson(separators=(',', ':')) }}\n{{ tools[0] | tojson(ensure_ascii=true) }}"
    ),
    "whitespace_control": (
        "{% for m in messages %}\n    {% if m.role == 'user' %}\n  [{{ m.content }}]\n    {% endif %}\n{% endfor %}\n"
        "  {%+ if true %}kept indent{% endif %}\nend\n"
    ),
    "loopcontrols": "{% for m in messages %}{% if loop.index0 == 1 %}{% continue %}{% endif %}"
    "{% if loop.index0 == 3 %}{% break %}{% endif %}{{ m.role }};{% endfor %}",
    "namespace_and_dict": "{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}{% endfor %}"
    "{{ ns.n }}{% set d = dict(a=1, b=[2]) %}{{ d | tojson }}{{ dict.fromkeys(['x'], 0) | tojson }}",
    "special_tokens_and_kwargs": "{{ bos_token is defined }}/{{ eos_token }}/{{ pad_token }}/"
    "{{ custom_flag }}/{{ enable_thinking is defined }}/{{ documents is none }}/{{ tools is none }}",
    "generation_tag": "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}"
    "<{{ m.content }}>{% endgeneration %}{% else %}{{ m.content }}{% endif %}{% endfor %}",
    "strftime_now": "{{ strftime_now('%Y') }} {{ add_generation_prompt }}",
    "undefined_is_empty": "[{{ messages[0].nope }}][{{ no_such_var }}]{{ messages[0].role | upper }}",
    "keep_trailing_newline_default": "{{ messages | length }}\n",
    "message_keys": "{% for m in messages %}{{ m.keys() | list | sort | join(',') }};{% endfor %}",
}


@pytest.mark.parametrize("conversation", ["multi_turn_with_think", "reasoning_content_key", "none_valued_keys"])
@pytest.mark.parametrize("name", sorted(CUSTOM_TEMPLATES))
def test_environment_matches_transformers(hf_tok, name, conversation):
    template = CUSTOM_TEMPLATES[name]
    messages = CONVERSATIONS[conversation]
    tools = [WEATHER_TOOL]
    kw = dict(custom_flag="on")
    want = _hf(hf_tok, messages, add_generation_prompt=True, tools=tools, template=template, **kw)
    got = _ck(template, messages, add_generation_prompt=True, tools=tools, **kw)
    assert got == want


def test_template_raise_exception(hf_tok):
    template = (
        "{% if messages[0].role != 'system' %}{{ raise_exception('Conversation must start with system') }}{% endif %}"
    )
    with pytest.raises(jinja2.TemplateError, match="Conversation must start with system"):
        _hf(hf_tok, CONVERSATIONS["single_user"], add_generation_prompt=True, template=template)
    with pytest.raises(CkError, match="Conversation must start with system"):
        render_chat(template, CONVERSATIONS["single_user"])


@pytest.mark.parametrize(
    "template,match",
    [
        ("{% for m in messages %}{{ m.content }}", r"invalid chat template: line 1: .*endfor"),
        ("{{ messages[0].content }\n}", r"invalid chat template: line 1"),
        ("{% generation %}x", r"invalid chat template: .*endgeneration"),
    ],
)
def test_invalid_template(template, match):
    with pytest.raises(CkError, match=match):
        render_chat(template, CONVERSATIONS["single_user"])


@pytest.mark.parametrize(
    "template,match",
    [
        ("{{ messages[0].content.__class__.__name__ }}", r"chat template error: .*unsafe"),  # sandboxed
        ("{% set ns = namespace(_x=1) %}", r"chat template error: .*underscore"),
        ("{{ messages.append(1) }}", r"chat template error: .*unsafe"),  # immutable sandbox
        ("{{ messages[0].content + 1 }}", r"chat template error: TypeError"),
        ("{{ nothing.here }}", r"chat template error: 'nothing' is undefined"),
    ],
)
def test_template_runtime_errors(template, match):
    with pytest.raises(CkError, match=match):
        render_chat(template, CONVERSATIONS["single_user"])


@pytest.mark.parametrize(
    "messages,match",
    [
        ({"role": "user", "content": "hi"}, r"messages must be a list of dicts, got dict"),
        ("hi", r"messages must be a list"),
        ([], r"messages is empty"),
        (["hi"], r"messages\[0\] must be a dict"),
        ([{"content": "hi"}], r"messages\[0\] has no 'role' key"),
        ([{"role": "user", "content": "a"}, {"role": "user"}], r"messages\[1\] has no 'content' key"),
        ([{"role": "user", "content": None}], r"messages\[0\]\['content'\] must be a string, got NoneType"),
        ([{"role": 1, "content": "x"}], r"messages\[0\]\['role'\] must be a string, got int"),
        ([{"role": "user", "content": [{"type": "text", "text": "x"}]}], r"\['content'\] must be a string, got list"),
    ],
)
def test_bad_messages(qwen3_template, messages, match):
    with pytest.raises(CkError, match=match):
        render_chat(qwen3_template, messages)


def test_bad_arguments(qwen3_template):
    user = CONVERSATIONS["single_user"]
    with pytest.raises(CkError, match="tools must be a list"):
        render_chat(qwen3_template, user, tools=WEATHER_TOOL)  # a dict, not a list of them
    with pytest.raises(CkError, match=r"tools\[1\] must be a JSON-schema dict, got function"):
        render_chat(qwen3_template, user, tools=[WEATHER_TOOL, lambda: None])
    with pytest.raises(CkError, match="documents must be a list"):
        render_chat(qwen3_template, user, documents=["text"])
    with pytest.raises(CkError, match="chat template must be a string, got NoneType"):
        render_chat(None, user)  # type: ignore[arg-type]


def test_compiled_templates_are_cached():
    template = "{{ messages[0].content }}!"
    render_chat(template, CONVERSATIONS["single_user"])
    hits = _compile.cache_info().hits
    assert render_chat(template, CONVERSATIONS["single_user"]) == "Hello!!"
    assert _compile.cache_info().hits == hits + 1
