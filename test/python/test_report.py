"""`ck report`: the HTML report of a build, checked against sources it does not read the same way.

The model card's parameter count against gguf-py's GGUFReader; the transformer ops against
the module the importer builds; the provenance links against the `ck.origin` attributes
xDSL parses from kernel.mlir and memory.mlir and against model.c's function definitions;
the pass list against build.json's pipeline as xDSL parses it; the IR view's op counts
against passes.json's module walk. The page itself: every section, every in-page link
lands on an element, nothing outside the file is referenced. (test_report_browser.py
drives the same reports in a browser.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ck.testing import ModelSpec, write_gguf

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Dom(HTMLParser):
    """Every element with an id (tag, classes, the ids around it) and every link (href, classes,
    the ids around it); the `<section>`s with their headings and text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.ids: dict[str, dict[str, Any]] = {}
        self.links: list[dict[str, Any]] = []
        self.attrs: list[tuple[str, str, str]] = []  # (tag, name, value) of every attribute
        self.sections: dict[str, dict[str, Any]] = {}
        self.text_in: dict[str, list[str]] = {}
        self.feed(text)
        self.close()

    def _around(self) -> list[str]:
        return [i for _, i in self.stack if i]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for k, v in a.items():
            self.attrs.append((tag, k, v))
        ident = a.get("id")
        if ident:
            assert ident not in self.ids, f"two elements with id {ident!r}"
            self.ids[ident] = {"tag": tag, "class": a.get("class", "").split(), "around": self._around(), **a}
        if tag == "a":
            self.links.append({"href": a.get("href", ""), "class": a.get("class", "").split(),
                               "around": self._around()})
        if tag == "section":
            self.sections[a.get("id", "")] = {"h2": "", "text": 0, "svg": 0}
        if tag == "svg":
            for s in self._sections():
                self.sections[s]["svg"] += 1
        if tag not in VOID:
            self.stack.append((tag, ident))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for k, v in attrs:
            self.attrs.append((tag, k, v or ""))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def _sections(self) -> list[str]:
        return [i for t, i in self.stack if t == "section" and i]

    def handle_data(self, data: str) -> None:
        for s in self._sections():
            if self.stack and self.stack[-1][0] == "h2":
                self.sections[s]["h2"] += data
            else:
                self.sections[s]["text"] += len(data.strip())
        for i in self._around():
            self.text_in.setdefault(i, []).append(data)

    def links_in(self, ident: str) -> list[dict[str, Any]]:
        return [a for a in self.links if ident in a["around"]]

    def text(self, ident: str) -> str:
        return "".join(self.text_in.get(ident, []))


def _parse_mlir(path: Path) -> Any:
    from ck.dialects import DIALECTS
    from xdsl.context import Context
    from xdsl.dialects import get_all_dialects
    from xdsl.parser import Parser

    ctx = Context()
    for name, factory in {**get_all_dialects(), **DIALECTS}.items():
        ctx.register_dialect(name, factory)
    return Parser(ctx, path.read_text(), str(path)).parse_module()


def _function(module: Any, name: str) -> Any:
    from xdsl.dialects import func

    return next(op for op in module.ops if isinstance(op, func.FuncOp) and op.sym_name.data == name)


FFN = 196  # not a multiple of 8 or 16: the decode down projection (K = 196) takes the general kernel


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from ck.build import build
    from ck.compiler import compile_options
    from ck.report import write_report

    root = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CK_CACHE_DIR", str(root / "cache"))
        model = root / "tiny.gguf"
        write_gguf(model, ModelSpec(ffn=FFN))
        info = build(model, compile_options(context_len=256), directory=root / "build", force=True)
        html = write_report(info.directory, root / "report.html", gguf=model)
        text = html.read_text()
        yield {"root": root, "model": model, "dir": Path(info.directory), "info": info, "html": html, "text": text,
               "dom": Dom(text)}


@pytest.fixture(scope="module")
def profiled(built: dict[str, Any]) -> dict[str, Any]:
    """The same build's report with a profile.json made up for it (the contract of `ck profile`'s)."""
    from ck.report import write_report

    layout = json.loads((built["dir"] / "layout.json").read_text())
    kernels = []
    for site, call in enumerate(layout["functions"]["ck_decode"]["calls"]):
        kernels.append({"site": site, "op": "transformer.linear", "origin": "transformer.linear#7",
                        "layer": call["layer"], "kernel": "kernel.gemv", "c_function": "nope_not_a_function",
                        "c_line": 1, "phase": "decode", "calls": 10, "time_us": 5.0 + site,
                        "time_us_per_thread": [5.0 + site], "bytes": 1000 * (site + 1), "flops": 0 if site % 3 == 0
                        else 4000 * (site + 1), "gbps": 1.0, "gflops": 0.5 + site, "roofline": 0.1,
                        "peak": "int8" if site % 2 else "f32"})
    profile = {"machine": {"cpu": "test", "isa": "avx512", "threads": 1, "read_gbps": 20.0, "peak_gflops": 100.0,
                           "peak_int8_gops": 400.0, "peak_bf16_gflops": None},
               "steps": {"prompt_tokens": 8, "decode_steps": 5, "rounds": 2, "threads": 1, "prefill_us": 100.0,
                         "prefill_us_mean": 110.0, "decode_us": 50.0, "decode_us_mean": 55.0, "decode_kernel_us": 40.0,
                         "decode_kernel_us_mean": 42.0, "decode_barrier_wait_us_per_thread": [0.3]},
               "kernels": kernels,
               "barriers": [{"site": 99, "phase": "decode", "after": "wait", "calls": 10, "wait_us_per_thread": [3.0]}]}
    path = built["root"] / "profile.json"
    path.write_text(json.dumps(profile))
    html = write_report(built["dir"], built["root"] / "profiled.html", profile=path, gguf=built["model"])
    return {"profile": profile, "text": html.read_text(), "dom": Dom(html.read_text())}


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    import ck

    root = tmp_path_factory.mktemp("train-report")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CK_CACHE_DIR", str(root / "cache"))
        model = ck.models.qwen3_tiny(vocab=128, dim=32, layers=2, hidden=64, heads=2, kv_heads=1, context_len=16)
        run = ck.compile(model, mode="train", batch=2, seq=16)
        rng = np.random.default_rng(0)
        losses = []
        for _ in range(3):
            tokens = rng.integers(0, model.vocab, (2, 17))
            losses.append(run.step(tokens[:, :-1], tokens[:, 1:], lr=3e-3))
        html = run.report(root / "train.html")
        text = html.read_text()
        yield {"run": run, "dir": run.directory, "losses": losses, "text": text, "dom": Dom(text), "root": root}


SECTIONS = ("model", "pipeline", "ir", "memory", "kernels")


def _check_sections(dom: Dom, present: tuple[str, ...], absent: tuple[str, ...]) -> None:
    for name in present:
        assert name in dom.sections, f"no <section id={name!r}>"
        s = dom.sections[name]
        assert s["h2"].strip(), f"section {name!r} has no heading"
        assert s["text"] > 0 or s["svg"] > 0, f"section {name!r} is empty"
    for name in absent:
        assert name not in dom.sections, f"section {name!r} should not be there"


def test_sections(built: dict[str, Any], profiled: dict[str, Any], trained: dict[str, Any]) -> None:
    _check_sections(built["dom"], SECTIONS, ("profile", "training"))
    _check_sections(profiled["dom"], (*SECTIONS, "profile"), ("training",))
    _check_sections(trained["dom"], (*SECTIONS, "training"), ("profile",))


def test_parameter_count_is_gguf_readers(built: dict[str, Any]) -> None:
    from gguf import GGUFReader

    reader = GGUFReader(built["model"])
    expected = sum(int(np.prod(t.shape)) for t in reader.tensors)
    assert int(built["dom"].ids["model-params"]["data-value"]) == expected
    assert int(built["dom"].ids["model-bytes"]["data-value"]) == sum(int(t.n_bytes) for t in reader.tensors)


def test_training_parameter_count(trained: dict[str, Any]) -> None:
    weights = trained["run"].weights()
    assert int(trained["dom"].ids["model-params"]["data-value"]) == sum(w.size for w in weights.values())


def test_every_transformer_op_has_an_element(built: dict[str, Any]) -> None:
    from ck.importer import import_gguf

    forward = _function(import_gguf(built["model"]).module, "forward")
    ops = list(forward.body.block.ops)
    dom = built["dom"]
    for n, op in enumerate(ops):
        ident = f"tf-forward-{n}"
        assert ident in dom.ids, f"no element for op {n} ({op.name})"
        if op.name.startswith("transformer."):
            assert "tf-op" in dom.ids[ident]["class"], ident
            assert op.name in dom.text(ident), (ident, op.name, dom.text(ident)[:200])
    assert f"tf-forward-{len(ops)}" not in dom.ids


def test_links_land_on_elements(built: dict[str, Any], profiled: dict[str, Any], trained: dict[str, Any]) -> None:
    for report in (built, profiled, trained):
        dom = report["dom"]
        internal = [a["href"] for a in dom.links if a["href"].startswith("#")]
        assert len(internal) > 100
        dead = [h for h in internal if h[1:] not in dom.ids]
        assert dead == [], dead[:10]


def test_nothing_outside_the_file(built: dict[str, Any], profiled: dict[str, Any], trained: dict[str, Any]) -> None:
    for report in (built, profiled, trained):
        dom, text = report["dom"], report["text"]
        for tag, name, value in dom.attrs:
            if name in ("src", "href", "xlink:href", "action", "data", "poster", "srcset"):
                assert value.startswith("#"), (tag, name, value)
            assert not re.match(r"\s*(https?:)?//", value), (tag, name, value)
        assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=", text)
        assert "<link" not in text and "@import" not in text and "url(" not in text


def test_transformer_ops_link_to_what_they_became(built: dict[str, Any]) -> None:
    """Each tf-op's links go to kernel ops whose ck.origin names it, to the C function of its first
    decode call (defined in model.c), and every target links back."""
    dom, d = built["dom"], built["dir"]
    stages = {p: _parse_mlir(d / f) for p, f in (("k", "kernel.mlir"), ("m", "memory.mlir"), ("s", "simd.mlir"))}
    c_defined = set(re.findall(r"^static .*?\b(\w+)\(.*\) \{$", (d / "model.c").read_text(), re.MULTILINE))
    forward = _function(_parse_mlir(d / "transformer.mlir"), "forward")
    checked = 0
    for n, op in enumerate(forward.body.block.ops):
        if not op.name.startswith("transformer.") or op.name == "transformer.weight":
            continue
        ref = f"{op.name}#{n}"
        links = dom.links_in(f"tf-forward-{n}")
        to_c = [a["href"] for a in links if "to-c" in a["class"]]
        assert len(to_c) == 1 and to_c[0][3:] in c_defined, (ref, to_c)
        for prefix in ("k", "m", "s"):
            targets = [a["href"][1:] for a in links if a["href"].startswith(f"#{prefix}-")]
            expected = set()
            for entry in ("ck_decode", "ck_prefill"):
                for i, kop in enumerate(_function(stages[prefix], entry).body.block.ops):
                    origin = kop.attributes.get("ck.origin")
                    if origin is not None and ref in origin.data.split():
                        expected.add(f"{prefix}-{entry}-{i}")
            assert expected and set(targets) == expected, (ref, prefix, targets, expected)
            for t in targets:
                back = [a["href"] for a in dom.links_in(t) if "to-tf" in a["class"]]
                assert f"#tf-forward-{n}" in back, (t, back)
        c_back = [a["href"] for a in dom.links_in(to_c[0][1:]) if "to-tf" in a["class"]]
        assert f"#tf-forward-{n}" in c_back, (ref, to_c, c_back)
        checked += 1
    assert checked > 20


def test_c_function_is_the_first_decode_call(built: dict[str, Any]) -> None:
    """The to-c link of an op is the callee, in model.c's ck_decode, of its first kernel call: the
    k-th kernel call of simd.mlir's ck_decode is the k-th call statement of model.c's."""
    dom, d = built["dom"], built["dir"]
    from xdsl.dialects import func

    decode = _function(_parse_mlir(d / "simd.mlir"), "ck_decode")
    calls = [op for op in decode.body.block.ops if isinstance(op, func.CallOp)
             and op.callee.root_reference.data != "ck_barrier"]
    c_text = (d / "model.c").read_text()
    body = c_text[c_text.index("void ck_decode("):]
    body = body[:body.index("\n}\n")]
    c_calls = [m.group(1) for m in re.finditer(r"^  (\w+)\(.*\);$", body, re.MULTILINE) if m.group(1) != "ck_barrier"]
    assert len(c_calls) == len(calls)
    first: dict[int, str] = {}
    for call, c_name in zip(calls, c_calls, strict=True):
        for ref in call.attributes["ck.origin"].data.split():
            first.setdefault(int(ref.rpartition("#")[2]), c_name)
    for n, c_name in first.items():
        to_c = [a["href"] for a in dom.links_in(f"tf-forward-{n}") if "to-c" in a["class"]]
        assert to_c == [f"#c-{c_name}"], (n, to_c, c_name)


def test_pass_times_cover_the_pipeline(built: dict[str, Any]) -> None:
    from xdsl.utils.arg_spec import parse_pipeline

    pipeline = json.loads((built["dir"] / "build.json").read_text())["pipeline"]
    names = [spec.name for spec in parse_pipeline(pipeline)]
    passes = json.loads((built["dir"] / "passes.json").read_text())
    assert [e["pass"] for e in passes] == names
    assert all(e["seconds"] >= 0 for e in passes)
    assert built["dom"].text("pipeline-spec") == pipeline
    table = built["text"][built["text"].index('<table class="passes">'):]
    table = table[:table.index("</table>")]
    assert re.findall(r'<code title="[^"]*">([\w-]+)</code>', table) == names


def test_pass_op_counts_are_the_modules(built: dict[str, Any]) -> None:
    """passes.json counts ops by walking the module; the stage's printed file has the same ops."""
    from ck.report_ir import op_counts_text

    passes = json.loads((built["dir"] / "passes.json").read_text())
    last = {e["stage"]: e["ops"] for e in passes}
    for stage in ("kernel", "memory"):
        printed = op_counts_text((built["dir"] / f"{stage}.mlir").read_text())
        module = _parse_mlir(built["dir"] / f"{stage}.mlir")
        walked: dict[str, int] = {}
        for op in module.walk():
            walked[op.name] = walked.get(op.name, 0) + 1
        assert last[stage] == walked
        assert dict(printed) == walked  # no region at these levels, so no terminator left unprinted


def test_fallback_names_its_dimension(built: dict[str, Any]) -> None:
    if built["info"].isa == "scalar":
        pytest.skip("every scalar kernel has its ISA's width")
    lanes = {"avx512": 16, "avx2": 8}[built["info"].isa]
    text = built["text"]
    fallbacks = text[text.index('id="fallbacks"'):]
    fallbacks = fallbacks[:fallbacks.index("</ul>")]
    assert f"K={FFN} not a multiple of {lanes}" in fallbacks
    if lanes == 16:  # head_dim 16: rope rotates pairs (i, i + 8), half a vector
        assert "general kernel: n_rot/2=8 not a multiple of 16" in fallbacks


def test_memory_against_the_machine(built: dict[str, Any]) -> None:
    with open("/proc/meminfo") as f:
        total = next(int(line.split()[1]) * 1024 for line in f if line.startswith("MemTotal:"))
    memory = built["dom"].text("memory")
    assert f"{total:,} B" in memory
    layout = json.loads((built["dir"] / "layout.json").read_text())
    for key in ("weights_bytes", "kv_bytes", "arena_bytes"):
        assert f"{layout['totals'][key]:,}" in memory


def test_profile_charts(profiled: dict[str, Any]) -> None:
    from ck.report_charts import PEAK_COLORS, human

    text = profiled["text"]
    section = text[text.index('<section id="profile">'):]
    section = section[:section.index("</section>")]
    charts = re.findall(r'<svg class="chart"[^>]*aria-label="([^"]*)"', section)
    assert {"time per layer, decode", "time per kernel site", "roofline"} <= set(charts), charts
    assert "time per layer, prefill" not in charts  # the profile has no prefill kernels
    # time per layer is per decode step: the kernels' time over decode_steps x rounds
    kernels, steps = profiled["profile"]["kernels"], profiled["profile"]["steps"]
    layer0 = sum(k["time_us"] for k in kernels if k["layer"] == 0) / (steps["decode_steps"] * steps["rounds"])
    chart = section[section.index('aria-label="time per layer, decode"'):]
    assert f"<title>L0 gemv: {human(layer0, ' µs')}</title>" in chart[:chart.index("</svg>")]
    roofline = section[section.index('aria-label="roofline"'):]
    roofline = roofline[:roofline.index("</svg>")]
    placed = [k for k in kernels if k["flops"] > 0 and k["bytes"] > 0]
    assert roofline.count("<circle") == len(placed)
    for kind in ("f32", "int8"):  # a dot's color is the peak that bounds its kernel
        assert roofline.count(f'fill="{PEAK_COLORS[kind]}"') == sum(k["peak"] == kind for k in placed)
    assert "DRAM read bandwidth, measured: 20 GB/s" in roofline  # the slanted roof, labeled
    assert "f32 peak 100 GFLOP/s" in roofline and "int8 peak 400 GOP/s" in roofline  # a flat roof per kind
    assert "bf16 peak" not in roofline
    assert "can sit above it" in section  # the caption says why a dot may be above the bandwidth roof


def test_profile_labels(profiled: dict[str, Any]) -> None:
    shown = profiled["dom"].text("profile")
    for label in ("Read bandwidth (DRAM, measured)", "20 GB/s", "Peak int8 dot products", "400 GOP/s",
                  "Decode step (1 token)",
                  "50 µs measured (median of 10; mean 55 µs), kernels 40 µs (80%; mean 42 µs)", "Prefill (8 tokens)", "Barrier wait per thread, per decode step", "0.3 µs"):
        assert label in shown, label
    assert "Peak bf16 dot products" in shown and "not measured" in shown
    raw = set(profiled["profile"]["steps"]) | set(profiled["profile"]["machine"])
    assert [k for k in raw if k in shown and "_" in k] == []  # no raw JSON key as a label


def test_training_report(trained: dict[str, Any]) -> None:
    dom, text = trained["dom"], trained["text"]
    section = text[text.index('<section id="training">'):]
    loss = section[section.index('aria-label="loss curve"'):]
    loss = loss[:loss.index("</svg>")]
    assert loss.count("<circle") == len(trained["losses"]) == len(trained["run"].losses)
    assert trained["run"].losses == trained["losses"]
    inv = trained["run"].invariants()
    table = section[section.index('<table class="invariants">'):]
    for key in ("forward_ops", "backward_ops", "activation_grads"):
        assert re.search(rf"<td>{key.replace('_', ' ')}</td><td class=num>{inv[key]:,}</td>", table), key
    assert re.search(rf"<td>weight grads</td><td class=num>{len(inv['weight_grads'])}</td>", table)
    norms = section[section.index('aria-label="gradient norm per weight"'):]
    assert norms[:norms.index("</svg>")].count("<rect") == len(trained["run"].weights())
    autodiff = _function(_parse_mlir(trained["dir"] / "autodiff.mlir"), "ck_train_step")
    for n, op in enumerate(autodiff.body.block.ops):
        if op.name.startswith("transformer."):
            assert "tf-op" in dom.ids[f"tf-ck_train_step-{n}"]["class"]
    assert any("to-c" in a["class"] for a in dom.links_in("tf-ck_train_step-1"))


def test_losses_survive_a_checkpoint(trained: dict[str, Any]) -> None:
    import ck

    path = trained["root"] / "ckpt.npz"
    trained["run"].save(path)
    assert ck.load_run(path).losses == trained["run"].losses


def test_cli(built: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str],
             monkeypatch: pytest.MonkeyPatch) -> None:
    from ck.cli import main

    monkeypatch.setenv("CK_CACHE_DIR", str(built["root"] / "cache"))
    out = tmp_path / "r.html"
    assert main(["report", str(built["model"]), "-o", str(out), "-c", "256"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert '<section id="kernels">' in out.read_text()
    cases = [
        (["report", str(tmp_path / "none.gguf")], "none.gguf: no such file"),
        (["report", str(built["model"]), "-o", str(tmp_path / "no" / "r.html")], f"{tmp_path / 'no'} does not exist"),
        (["report", str(built["model"]), "--profile", str(tmp_path / "p.json")], "p.json: no such file"),
        (["compile", str(built["model"]), "--emit", "kernel", "--report"], "--report"),
    ]
    for argv, message in cases:
        assert main(argv) == 1, argv
        assert message in capsys.readouterr().err, argv
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert main(["report", str(built["model"]), "-o", str(out), "-c", "256", "--profile", str(bad)]) == 1
    assert "bad.json: not a profile.json" in capsys.readouterr().err


def test_compile_report_goes_into_the_build_directory(built: dict[str, Any], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from ck.cli import main

    monkeypatch.setenv("CK_CACHE_DIR", str(built["root"] / "cache"))
    assert main(["compile", str(built["model"]), "-o", str(tmp_path / "b"), "-c", "256", "--report"]) == 0
    assert (tmp_path / "b" / "report.html").is_file()


def test_report_size_is_modest(built: dict[str, Any]) -> None:
    """The IR is all there, once: the report is about the size of the artifacts it shows, not a multiple."""
    d = built["dir"]
    shown = sum((d / f).stat().st_size for f in ("transformer.mlir", "kernel.mlir", "memory.mlir", "simd.mlir",
                                                  "model.c"))
    size = built["html"].stat().st_size
    assert shown < size < 4 * shown + 500_000, (shown, size)
