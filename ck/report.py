"""`ck report`: one self-contained HTML file that shows a build.

A build directory holds everything the compiler decided, but as a dozen files (the IR
of every stage, model.c, layout.json, passes.json, build.json or train.json): the report
puts them on one page you can read in a browser, offline, and send to someone. It is
one file with its CSS, JS and SVG inline; nothing is fetched from a network. Sections:

- model: the model card (metadata, hyperparameters, every tensor's dtype, shape,
  elements and bytes; parameter and byte totals);
- pipeline: the `ck-opt` pipeline the build records, each stage's op counts and each
  pass's run time and op counts (passes.json);
- ir: every stage's IR and model.c, collapsed, searchable, each transformer op linked to
  the kernel ops, simd calls and C function it became, and back (`ck/report_ir.py`);
- memory: the build's parts against each other (weights, KV cache, arenas) and against
  this machine's memory, the arena's slots over op index, the weight blob, the KV cache;
- kernels: every generated kernel with its shapes, dtypes, ISA, weight layout, vector
  width, schedule, and every fallback with its reason;
- profile (when a profile.json is given or in the build directory): the machine and the
  step times, time per layer per decode step and per prefill, time per kernel, a roofline
  (the measured DRAM read bandwidth and the peak of each kind of arithmetic);
- training (training builds): loss curve, gradient norm per weight, the invariants.

DOM contract (a browser test relies on it; change it only with that test):
- `<section id="model">`, `<section id="pipeline">`, `<section id="ir">`,
  `<section id="memory">`, `<section id="kernels">`, `<section id="profile">` (only with a
  profile), `<section id="training">` (only for a training build); each has an `<h2>` and
  non-empty content. `<dd id="model-params" data-value="N">` is the parameter count,
  `<pre id="pipeline-spec">` the recorded pipeline.
- IR search: `<input id="ir-search">`; Enter (at once) and the `input` event (after 150 ms)
  mark the hits in every IR block with `<mark class="hit">`, open the `<details>` around
  them, and write "N matches" (a number, then text) into `<span id="ir-search-count">`.
- Each transformer op of the transformer-level function (`@forward` of transformer.mlir;
  for training the train entry of autodiff.mlir) is an element `id="tf-<func>-<N>"` of class
  `tf-op` (N: its index among all ops of the function body; non-transformer ops such as
  func.return get the id with class `op`). When it became kernels it holds `<a class="to-c"
  href="#c-<c_name>">` (the C function of its first kernel call, in ck_decode when there is
  one), `<a class="to-k" href="#k-<func>-<i>">` per kernel op of kernel.mlir, `<a
  class="to-m" href="#m-...">` per memory.mlir op and `<a class="to-s" href="#s-<func>-<i>">`
  per simd call. A weight links to the kernels of the ops that read it.
- Link targets: `k-`, `m-`, `s-<func>-<i>` (op i of <func> in kernel.mlir, memory.mlir,
  simd.mlir), `sf-<c_name>` (a kernel function of simd.mlir), `c-<c_name>` (a kernel function
  of model.c, the `<details>` that holds it), `cc-<func>-<k>` (the k-th kernel call of an
  entry function of model.c). Each holds `<a class="to-tf" href="#tf-<func>-<N>">` back to
  every transformer op it came from. Following a link opens the `<details>` around the
  target, which gets `:target` and class `target`.
- No external resources, no network requests, no console errors.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import Any

from ck import report_charts as charts
from ck.compiler import mem_total
from ck.errors import CkError
from ck.report_ir import (
    BARRIER,
    KERNEL_RE,
    IRFile,
    Links,
    link,
    op_counts_text,
    parse_c,
    parse_mlir,
    render_c,
    render_stage,
    render_tf,
)
from ck.report_page import page

INFERENCE_STAGES = ("transformer", "kernel", "memory", "simd")
TRAIN_STAGES = ("transformer", "autodiff", "kernel", "memory", "simd")
ISA_LANES = {"avx512": 16, "avx2": 8, "scalar": 1}
TOP_KERNELS = 25


def write_report(
    build_dir: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    profile: str | os.PathLike[str] | dict[str, Any] | None = None,
    training: dict[str, Any] | None = None,
    gguf: str | os.PathLike[str] | None = None,
    threads: int | None = None,
) -> Path:
    """Write the report of the build in `build_dir` to `out_path` and return its path.

    `profile`: a profile.json (path or its contents); by default the build directory's
    profile.json when there is one. `training`: what only a live TrainRun knows (losses,
    gradient norms, the model's config; `TrainRun.report` passes it). `gguf`: the model file
    when it is not where build.json says; `threads`: how many threads the runtime runs
    (each has a private arena).
    """
    build = Build.read(Path(build_dir))
    prof = _load_profile(profile, build.directory)
    out = Path(out_path)
    sections = [
        ("model", "Model", model_section(build, gguf, training)),
        ("pipeline", "Pipeline", pipeline_section(build)),
        ("ir", "IR", ir_section(build)),
        ("memory", "Memory", memory_section(build, threads, training)),
        ("kernels", "Kernels", kernels_section(build)),
    ]
    if prof is not None:
        sections.append(("profile", "Profile", profile_section(build, prof)))
    if build.training:
        sections.append(("training", "Training", training_section(build, training)))
    subtitle = f"{build.kind} build in {build.directory} · ISA {build.isa}"
    html = page(f"ck report: {build.title(gguf)}", subtitle, sections)
    try:
        tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as e:
        raise CkError(f"cannot write the report to {out}: {e.strerror}") from None
    return out


# ------------------------------------------------------------------------------ the build


class Build:
    """The artifacts of one build directory, read once."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.training = (directory / "train.json").is_file() and not (directory / "build.json").is_file()
        self.kind = "training" if self.training else "inference"
        self.info: dict[str, Any] = _json(directory / ("train.json" if self.training else "build.json"))
        self.stages = TRAIN_STAGES if self.training else INFERENCE_STAGES
        self.passes: list[dict[str, Any]] | None = _json(directory / "passes.json", None)
        self.layout: dict[str, Any] | None = _json(directory / "layout.json", None)
        self.texts = {s: _text(directory / f"{s}.mlir") for s in self.stages}
        self.c_text = _text(directory / "model.c")
        self.ir = {s: parse_mlir(f"{s}.mlir", t) for s, t in self.texts.items() if t is not None}
        self.c = parse_c(self.c_text) if self.c_text is not None else None
        self.tf_stage = "autodiff" if self.training else "transformer"
        tf = self.ir.get(self.tf_stage)
        self.tf_func = _tf_function(tf, self.training)
        self.links: Links | None = None
        if tf is not None and self.tf_func:
            self.links = link(tf, self.tf_func, self.ir.get("kernel"), self.ir.get("memory"), self.ir.get("simd"),
                              self.c)

    @classmethod
    def read(cls, directory: Path) -> Build:
        if not directory.is_dir():
            raise CkError(f"{directory}: no such build directory")
        if not (directory / "build.json").is_file() and not (directory / "train.json").is_file():
            raise CkError(f"{directory}: not a ck build directory (no build.json or train.json)")
        return cls(directory)

    @property
    def pipeline(self) -> str:
        return str(self.info.get("pipeline", ""))

    @property
    def isa(self) -> str:
        if "isa" in self.info:
            return str(self.info["isa"])
        m = re.search(r'lower-kernel-to-simd\{isa="(\w+)"', self.pipeline)
        return m.group(1) if m else "?"

    def title(self, gguf: str | os.PathLike[str] | None) -> str:
        if self.training:
            return "training step"
        return Path(str(gguf or self.info.get("gguf", "model"))).name


def _tf_function(tf: IRFile | None, training: bool) -> str:
    if tf is None:
        return ""
    if not training and tf.function("forward") is not None:
        return "forward"
    entries = tf.entries
    return entries[0].symbol if entries else ""


def _json(path: Path, default: Any = ...) -> Any:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        if default is ...:
            raise CkError(f"{path}: missing from the build directory") from None
        return default
    except (OSError, ValueError) as e:
        raise CkError(f"{path}: cannot read it as JSON ({e})") from None


def _text(path: Path) -> str | None:
    try:
        return path.read_text()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise CkError(f"{path}: cannot read it ({e.strerror})") from None


def _load_profile(profile: str | os.PathLike[str] | dict[str, Any] | None, directory: Path) -> dict[str, Any] | None:
    if isinstance(profile, dict):
        data, where = profile, "the profile"
    else:
        path = Path(profile) if profile is not None else directory / "profile.json"
        if profile is None and not path.is_file():
            return None
        if not path.is_file():
            raise CkError(f"{path}: no such profile")
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as e:
            raise CkError(f"{path}: not a profile.json ({e})") from None
        where = str(path)
    if not isinstance(data, dict) or not isinstance(data.get("kernels", []), list):
        raise CkError(f"{where}: not a profile.json (expected an object with a 'kernels' list)")
    return data


# ------------------------------------------------------------------------------ small HTML helpers


def table(head: Sequence[str], rows: Iterable[Sequence[Any]], numeric: Sequence[int] = (), cls: str = "",
          row_classes: Sequence[str] | None = None, raw: Sequence[int] = (), wrap: bool = True) -> str:
    """A table; cells are escaped unless their column is in `raw` (already HTML); `wrap`: in a
    box that scrolls sideways when the table is wider than the page (a narrow screen)."""
    num = set(numeric)
    th = "".join(f'<th{" class=num" if i in num else ""}>{escape(h)}</th>' for i, h in enumerate(head))
    body = []
    for r, row in enumerate(rows):
        rc = f' class="{row_classes[r]}"' if row_classes and row_classes[r] else ""
        cells = "".join(
            f'<td{" class=num" if i in num else ""}>{c if i in raw else escape(_fmt(c))}</td>' for i, c in enumerate(row)
        )
        body.append(f"<tr{rc}>{cells}</tr>")
    c = f' class="{cls}"' if cls else ""
    html = f"<table{c}><thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    return f'<div class="wide">{html}</div>' if wrap else html


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:.4g}"
    if v is None:
        return "—"
    return str(v)


def card(items: Sequence[tuple[str, Any] | tuple[str, Any, str]]) -> str:
    """A definition list; a third element is the `<dd>`'s id (its data-value is the raw value)."""
    out = []
    for item in items:
        key, value = item[0], item[1]
        ident = f' id="{item[2]}" data-value="{escape(str(value))}"' if len(item) > 2 else ""
        out.append(f"<dt>{escape(key)}</dt><dd{ident}>{escape(_fmt(value))}</dd>")
    return f'<dl class="card">{"".join(out)}</dl>'


def collapsed(summary: str, inner: str, open_: bool = False) -> str:
    return f"<details{' open' if open_ else ''}><summary>{summary}</summary>{inner}</details>"


def legend(items: Sequence[tuple[str, str]]) -> str:
    return '<div class="legend">' + "".join(f'<span><i style="background:{c}"></i>{escape(n)}</span>'
                                           for n, c in items) + "</div>"


def _percent(p: float) -> str:
    """A share in percent with two significant digits when small, never rounded to zero: 0.00045%, 4.41%, 100%."""
    if p == 0:
        return "0%"
    if p < 1:
        return f"{p:.{1 - math.floor(math.log10(p))}f}%"
    return f"{p:.3g}%" if p < 100 else f"{p:.0f}%"


def bytes_(n: float) -> str:
    return f"{int(n):,} B ({charts.human(n, 'B')})"


# ------------------------------------------------------------------------------ model


def _meta_value(v: Any) -> str:
    if isinstance(v, list):
        head = ", ".join(repr(x) if isinstance(x, str) else str(x) for x in v[:4])
        return f"array of {len(v):,} [{head}{', …' if len(v) > 4 else ''}]"
    if isinstance(v, str) and len(v) > 160:
        return f"{v[:160]}… ({len(v):,} characters)"
    return str(v)


def model_section(build: Build, gguf: str | os.PathLike[str] | None, training: dict[str, Any] | None) -> str:
    if build.training:
        return _training_model(build, training)
    from ck.gguf_file import GGUFFile

    path = Path(str(gguf or build.info.get("gguf", "")))
    try:
        g = GGUFFile(path)
    except CkError:
        g = None
    if g is None:
        return _model_from_layout(build, path)
    meta = g.metadata
    arch = str(meta.get("general.architecture", "?"))
    tensors = sorted(g.tensors.values(), key=lambda t: t.offset)
    params = sum(math.prod(t.shape) for t in tensors)
    nbytes = sum(t.n_bytes for t in tensors)

    def key(name: str) -> Any:
        return meta.get(f"{arch}.{name}")

    tokens = meta.get("tokenizer.ggml.tokens")
    head = card([
        ("file", str(path)),
        ("architecture", arch),
        ("name", meta.get("general.name", "—")),
        ("layers", key("block_count")),
        ("embedding width", key("embedding_length")),
        ("feed-forward width", key("feed_forward_length")),
        ("attention heads", key("attention.head_count")),
        ("KV heads", key("attention.head_count_kv")),
        ("head dim", key("attention.key_length")),
        ("context length (trained)", key("context_length")),
        ("rope theta", key("rope.freq_base")),
        ("vocabulary", len(tokens) if isinstance(tokens, list) else build.info.get("vocab")),
        ("tensors", len(tensors)),
        ("parameters", params, "model-params"),
        ("tensor bytes", nbytes, "model-bytes"),
    ])
    by_dtype: dict[str, list[int]] = {}
    for t in tensors:
        row = by_dtype.setdefault(t.type_name, [0, 0, 0])
        row[0] += 1
        row[1] += math.prod(t.shape)
        row[2] += t.n_bytes
    dtypes = table(["dtype", "tensors", "parameters", "bytes"], [[k, *v] for k, v in sorted(by_dtype.items())],
                   numeric=(1, 2, 3))
    rows = [[t.name, t.type_name, "×".join(map(str, t.shape)), math.prod(t.shape), t.n_bytes] for t in tensors]
    tensor_table = table(["tensor", "dtype", "shape", "elements", "bytes"], rows, numeric=(3, 4))
    metadata = table(["key", "value"], [[k, _meta_value(v)] for k, v in sorted(meta.items())])
    return (head + "<h3>By dtype</h3>" + dtypes
            + collapsed(f"Every tensor ({len(tensors)})", tensor_table)
            + collapsed(f"GGUF metadata ({len(meta)} keys)", metadata)
            + _build_card(build))


def _model_from_layout(build: Build, path: Path) -> str:
    weights = (build.layout or {}).get("weights", [])
    params = sum(math.prod(w["shape"]) for w in weights)
    rows = [[w["name"], w["dtype"], "×".join(map(str, w["shape"])), math.prod(w["shape"]), w["size"]] for w in weights]
    return (f'<p class="warn">{escape(str(path))} is not readable: the card below comes from layout.json '
            "(the weights as the blob holds them).</p>"
            + card([("tensors", len(weights)), ("parameters", params, "model-params"),
                    ("blob bytes", sum(w["size"] for w in weights), "model-bytes")])
            + collapsed(f"Every weight ({len(weights)})",
                        table(["weight", "dtype", "shape", "elements", "bytes in the blob"], rows, numeric=(3, 4)))
            + _build_card(build))


def _training_model(build: Build, training: dict[str, Any] | None) -> str:
    weights = build.info.get("weights", {})
    params = sum(math.prod(shape) for _, shape in weights.values())
    model = (training or {}).get("model", {})
    items: list[Any] = [("mode", "training (forward, loss, backward, AdamW)")]
    items += [(k.replace("_", " "), v) for k, v in model.items()]
    if training:
        items += [("batch", training.get("batch")), ("sequence", training.get("seq"))]
    items += [("weights", len(weights)), ("parameters", params, "model-params"),
              ("weight bytes (f32)", params * 4, "model-bytes")]
    rows = [[n, "f32", "×".join(map(str, shape)), math.prod(shape), math.prod(shape) * 4, off]
            for n, (off, shape) in sorted(weights.items(), key=lambda kv: kv[1][0])]
    config = (training or {}).get("config")
    return (card(items)
            + (("<h3>Compile config</h3>" + card(list(config.items()))) if config else "")
            + collapsed(f"Every weight ({len(weights)})",
                        table(["weight", "dtype", "shape", "elements", "bytes", "offset"], rows, numeric=(3, 4, 5)))
            + _build_card(build))


def _build_card(build: Build) -> str:
    info = build.info
    items: list[Any] = [("build directory", str(build.directory)), ("ISA", build.isa)]
    for k in ("context_len", "max_tokens", "vocab", "weights_bytes", "arena_bytes", "private_bytes", "kv_bytes",
              "tuning"):
        if k in info and info[k] != "":
            items.append((k.replace("_", " "), info[k]))
    return "<h3>Build</h3>" + card(items)


# ------------------------------------------------------------------------------ pipeline


def _dialect_counts(ops: dict[str, int]) -> Counter[str]:
    c: Counter[str] = Counter()
    for name, n in ops.items():
        c[name.split(".", 1)[0]] += n
    return c


def stage_op_counts(build: Build) -> dict[str, dict[str, int]]:
    """Ops by name of each stage's module: after the stage's last pass (passes.json), else as printed."""
    counts: dict[str, dict[str, int]] = {}
    for stage in build.stages:
        after = [e for e in build.passes or [] if e.get("stage") == stage]
        if after:
            counts[stage] = dict(after[-1]["ops"])
        elif build.texts.get(stage) is not None:
            counts[stage] = dict(op_counts_text(build.texts[stage] or ""))
    return counts


def pipeline_section(build: Build) -> str:
    out = [("<p>The pipeline the build records: <code>ck-opt DIR/transformer.mlir -p \"$PIPELINE\" | "
            "ck-translate -t c</code> prints model.c again.</p>"),
           f'<pre class="spec" id="pipeline-spec">{escape(build.pipeline) or "(not recorded)"}</pre>']
    counts = stage_op_counts(build)
    rows = []
    for stage in build.stages:
        if stage not in counts:
            continue
        ops = counts[stage]
        top = ", ".join(f"{n} {k}" for k, n in Counter(ops).most_common(6))
        size = len(build.texts.get(stage) or "")
        rows.append([stage, f"{stage}.mlir", size, sum(ops.values()), top])
    if build.c_text is not None:
        rows.append(["c", "model.c", len(build.c_text), None, f"{len(build.c.functions) if build.c else 0} functions"])
    out.append("<h3>Stages</h3>" + table(["stage", "file", "bytes", "ops", "most frequent ops"], rows, numeric=(2, 3)))
    dialects: dict[str, list[float]] = {}
    staged = [s for s in build.stages if s in counts]
    per_stage = [_dialect_counts(counts[s]) for s in staged]
    for d in sorted({d for c in per_stage for d in c}):
        dialects[d] = [float(c.get(d, 0)) for c in per_stage]
    out.append("<p class=dim>Ops per stage by dialect</p>" + charts.columns(staged, dialects, label="ops per stage"))
    if not build.passes:
        out.append('<p class="warn">This build has no passes.json (it was made before ck recorded pass times): '
                   "rebuild it (e.g. --force-compile) to see each pass.</p>")
        return "".join(out)
    rows, prev = [], counts.get(build.stages[0], {})
    for i, e in enumerate(build.passes):
        ops = e["ops"]
        delta = Counter(ops)
        delta.subtract(prev)
        changes = sorted(((k, v) for k, v in delta.items() if v), key=lambda kv: -abs(kv[1]))
        change = ", ".join(f"{v:+d} {k}" for k, v in changes[:5]) + (" …" if len(changes) > 5 else "")
        rows.append([i + 1, e["stage"], f'<code title="{escape(e.get("spec", e["pass"]))}">{escape(e["pass"])}</code>',
                     e["seconds"] * 1000, sum(ops.values()), sum(ops.values()) - sum(prev.values()), change or "—"])
        prev = ops
    total = sum(e["seconds"] for e in build.passes)
    out.append(f"<h3>Passes</h3><p>{len(build.passes)} passes, {total:.3f} s in all (each pass's time leaves out "
               "the verifier and the writing of the stage's file).</p>")
    out.append(charts.hbars([(f'{e["stage"]}: {e["pass"]}', e["seconds"] * 1000) for e in build.passes],
                            unit=" ms", label="run time per pass"))
    out.append(table(["#", "stage", "pass", "ms", "ops after", "Δ ops", "changed ops"], rows,
                     numeric=(0, 3, 4, 5), raw=(2,), cls="passes"))
    return "".join(out)


# ------------------------------------------------------------------------------ IR


def ir_section(build: Build) -> str:
    out = [('<div id="ir-controls"><input id="ir-search" type="search" autocomplete="off" '
            'placeholder="search all stages (Enter: next hit)" '
            'title="Search every stage\'s IR and model.c as you type; Enter searches at once, and again moves to '
            'the next hit" aria-label="search the IR">'
            '<span id="ir-search-count"></span></div>'),
           ("<p class=dim>Each file and function is collapsed; search opens what holds a hit. In the gutter of "
           f"{escape(build.tf_stage)}.mlir's <code>@{escape(build.tf_func)}</code>, <b>C</b> goes to the C function an "
           "op became (its first kernel), <b>k</b>, <b>m</b>, <b>s</b> to its kernel ops in kernel.mlir and "
           "memory.mlir and its calls in simd.mlir, the second letter naming the function (d: ck_decode, "
           "p: ck_prefill, b: ck_decode_batch, t: ck_train_step, a: ck_adamw_step); <b>#N</b> goes back to transformer op N; a "
           "<b>+N</b> badge holds the links that do not fit in the gutter (hover or tap it).</p>")]
    if build.links is not None and not build.links.back:
        out.append('<p class="warn">This build carries no provenance (ck.origin): the stages are shown without '
                   "links.</p>")
    tf = build.ir.get(build.tf_stage)
    for stage in build.stages:
        ir = build.ir.get(stage)
        if ir is None:
            continue
        text = build.texts[stage] or ""
        if stage == build.tf_stage:
            inner = render_tf(ir, build.links)
        elif stage in ("kernel", "memory", "simd"):
            inner = render_stage(ir, stage[0] if stage != "simd" else "s", build.links, tf)
        else:
            inner = render_tf(ir, None)
        out.append(_file_block(f"{stage}.mlir", stage, text, inner))
    if build.c is not None and build.c_text is not None:
        out.append(_file_block("model.c", "c", build.c_text, render_c(build.c, build.links, tf)))
    return "".join(out)


def _file_block(name: str, stage: str, text: str, inner: str) -> str:
    lines = text.count("\n")
    return (f'<details class="ir-file" id="ir-{stage}"><summary><code>{escape(name)}</code> '
            f'<span class="dim">{lines:,} lines, {charts.human(len(text), "B")}</span></summary>{inner}</details>')


# ------------------------------------------------------------------------------ memory


def memory_section(build: Build, threads: int | None, training: dict[str, Any] | None) -> str:
    layout = build.layout
    if layout is None:
        return ('<p class="warn">This build has no layout.json (a training build made before ck wrote one): '
                "rebuild it to see the memory plan.</p>")
    totals = layout["totals"]
    if threads is None and build.training:
        threads = int(((training or {}).get("config") or {}).get("threads", 1))
    nthreads = threads or 1
    out = []
    parts: list[tuple[str, int, str]] = []
    if build.training:
        w = int(build.info.get("weights_bytes", totals["weights_bytes"]))
        parts += [("weights (f32)", w, charts.color(0)), ("gradients", w, charts.color(1)),
                  ("AdamW m", w, charts.color(2)), ("AdamW v", w, charts.color(3))]
    else:
        parts += [("weights (mapped)", int(totals["weights_bytes"]), charts.color(0)),
                  ("KV cache", int(totals["kv_bytes"]), charts.color(1))]
    parts += [("shared arena", int(totals["arena_bytes"]), charts.color(4)),
              (f"private arenas ({nthreads} thread{'s' if nthreads > 1 else ''})",
               int(totals["private_bytes"]) * nthreads, charts.color(5))]
    used = sum(p[1] for p in parts)
    machine = mem_total()

    def pct(n: float, whole: float | None) -> str:
        return _percent(100 * n / whole) if whole else "—"

    rows = [[name, size, pct(size, used), pct(size, machine)] for name, size, _ in parts]
    rows.append(["total", used, "100%", pct(used, machine)])
    out.append(f"<h3>Totals</h3><p>The build needs {bytes_(used)}: its parts against each other (a part too "
               "small to see is drawn wider than its share so that it shows; the table has the exact numbers).</p>")
    if threads is None and not build.training:
        out.append("<p class=dim>Each runtime thread has a private arena; shown for one thread.</p>")
    out.append(charts.parts([(n, float(v), c) for n, v, c in parts], "the build's memory by part")
               + legend([(f"{n}: {charts.human(v, 'B')}", c) for n, v, c in parts]))
    out.append(table(["", "bytes", "of the build", "of the machine"], rows, numeric=(1, 2, 3)))
    if machine:
        share = f"the build: {charts.human(used, 'B')} of {charts.human(machine, 'B')}, {pct(used, machine)}"
        out.append(f"<p>This machine has {bytes_(machine)} of memory (MemTotal, /proc/meminfo); the build needs "
                   f"{pct(used, machine)} of it"
                   + (" (the bar below draws it wider than that so that it shows)" if used / machine * 760 < 3 else "")
                   + ".</p>" + charts.share(used, machine, share, "the build against the machine's memory"))
    else:
        out.append("<p>This machine's memory is unknown (no /proc/meminfo).</p>")
    out.append(_arena_views(build, layout))
    out.append(_weight_map(layout))
    if layout.get("kv_cache"):
        out.append(_kv_cache(layout))
    return "".join(out)


def _arena_views(build: Build, layout: dict[str, Any]) -> str:
    out = [("<h3>Arena slots over op index</h3><p class=dim>Each rectangle is a buffer: from the op that first "
            "touches it to the last (x), at its offset and as tall as its size (y). Slots are reused once a buffer "
            "is dead; private slots are per thread.</p>")]
    simd = build.ir.get("simd")
    for name, fn in layout["functions"].items():
        ops = len(simd.function(name).ops) if simd is not None and simd.function(name) is not None else 0
        live = [b for b in fn["buffers"] if b.get("live")]
        ops = max([ops] + [b["live"][1] + 1 for b in live])
        shared = [b for b in live if not b["private"]]
        private = [b for b in live if b["private"]]
        priv_size = max([b["offset"] + b["size"] for b in private], default=0)
        # the chart's scale: the arena, or the end of its last buffer where layout.json puts one past it
        end = max([fn["arena_bytes"]] + [b["offset"] + b["size"] for b in shared])
        past = f' <span class="warn">(its buffers reach {bytes_(end)})</span>' if end > fn["arena_bytes"] else ""
        out.append(f"<h3><code>@{escape(name)}</code>: {len(fn['buffers'])} buffers, shared arena "
                   f"{bytes_(fn['arena_bytes'])}{past}</h3>")
        if shared:
            out.append(charts.live_ranges(shared, ops, max(end, 1), f"{name} shared arena"))
        if private:
            out.append(f"<p class=dim>private arena ({bytes_(priv_size)} used per thread)</p>"
                       + charts.live_ranges(private, ops, max(priv_size, 1), f"{name} private arena"))
        rows = [[b["name"], "private" if b["private"] else "shared", b["offset"], b["size"],
                 f'{b["live"][0]}..{b["live"][1]}' if b.get("live") else "—", b.get("producer")] for b in fn["buffers"]]
        out.append(collapsed(f"buffers of @{escape(name)}", table(["buffer", "arena", "offset", "bytes", "live ops",
                                                                   "producer"], rows, numeric=(2, 3))))
    return "".join(out)


def _weight_kind(name: str) -> str:
    if name.startswith("blk."):
        tail = name.split(".", 2)[2]
        if "norm" in tail:
            return "norms"
        return "attention" if tail.startswith("attn") else "feed-forward"
    return "embedding / head"


def _weight_map(layout: dict[str, Any]) -> str:
    weights = layout.get("weights", [])
    if not weights:
        return ""
    total = layout["totals"]["weights_bytes"]
    kinds = ["embedding / head", "attention", "feed-forward", "norms"]
    colors = {k: charts.color(i) for i, k in enumerate(kinds)}
    segs = [(f'{w["name"]} ({w["dtype"]}, {w["layout"]})', w["offset"], w["size"], colors[_weight_kind(w["name"])])
            for w in weights]
    layouts = Counter(w["layout"] for w in weights)
    kept = [w for w in weights if w.get("layout_reason")]
    rows = [[w["name"], w["dtype"], "×".join(map(str, w["shape"])), w["offset"], w["size"], w["layout"],
             w.get("layout_reason", "")] for w in weights]
    return ("<h3>Weight blob</h3>"
            f"<p>{len(weights)} weights in {bytes_(total)} (weights.bump, mapped read-only); layouts: "
            + ", ".join(f"{n} {k}" for k, n in layouts.most_common())
            + (f'; <span class="warn">{len(kept)} kept the rows layout</span> (reasons in the table and under Kernels)'
               if kept else "") + ".</p>"
            + charts.strip(segs, total, "weight blob", height=40) + legend([(k, colors[k]) for k in kinds])
            + collapsed(f"every weight ({len(weights)})", table(
                ["weight", "dtype", "shape", "offset", "bytes", "layout", "why not the kernel's first choice"], rows,
                numeric=(3, 4))))


def _kv_cache(layout: dict[str, Any]) -> str:
    kv = layout["kv_cache"]
    total = layout["totals"]["kv_bytes"]
    first = kv[0]
    segs = [(f'layer {r["layer"]} {r["kind"]}', r["offset"], r["size"], charts.color(r["layer"] % 10)) for r in kv]
    rows = [[r["layer"], r["kind"], r["offset"], r["size"], "×".join(map(str, r["shape"])), r["dtype"]] for r in kv]
    return ("<h3>KV cache</h3>"
            f"<p>{len(kv)} regions (K and V per layer), {bytes_(total)}; each [{', '.join(first['dims'])}] = "
            f"{'×'.join(map(str, first['shape']))} of {escape(first['dtype'])} for a context of "
            f"{layout['totals']['context_len']:,} tokens.</p>"
            + charts.strip(segs, total, "KV cache", height=24)
            + collapsed(f"every region ({len(kv)})", table(["layer", "kind", "offset", "bytes", "shape", "dtype"], rows,
                                                            numeric=(0, 2, 3))))


# ------------------------------------------------------------------------------ kernels


def _attr_dict(line: str) -> dict[str, str]:
    """The trailing `{...}` attribute dictionary of an op line, as text values."""
    m = re.search(r"\{([^{}]*)\}\s*$", line)
    if not m:
        return {}
    out, depth, start, quote, text = {}, 0, 0, False, m.group(1)
    items = []
    for i, ch in enumerate(text):
        if ch == '"' and (i == 0 or text[i - 1] != "\\"):
            quote = not quote
        elif not quote and ch in "<[(":
            depth += 1
        elif not quote and ch in ">])":
            depth -= 1
        elif not quote and depth == 0 and ch == ",":
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    for item in items:
        k, eq, v = item.strip().partition(" = ")
        if k:
            out[k] = v.strip().strip('"') if eq else "true"
    return out


def _lanes(variant: str) -> int | None:
    m = re.search(r"(\d+) lanes", variant)
    if m:
        return int(m.group(1))
    if re.match(r"(rp16 gather, )?scalar\b", variant):
        return 1
    return None


def kernel_rows(build: Build) -> list[dict[str, Any]]:
    """One row per generated kernel function: what it is and how it was built."""
    layout = build.layout or {}
    simd, memory = build.ir.get("simd"), build.ir.get("memory")
    weights = {w["name"]: w for w in layout.get("weights", [])}
    c_names = build.links.c_names if build.links is not None else {}
    rows: dict[str, dict[str, Any]] = {}
    for choice in layout.get("kernels", []):
        rows[choice["function"]] = {**choice, "calls": Counter(), "layers": set(), "weights": {}, "attrs": {},
                                    "c_name": c_names.get(choice["function"])}
    if simd is not None:
        for fn in simd.functions:
            if fn.symbol in rows:
                head = simd.lines[fn.first]
                rows[fn.symbol]["isa"] = (re.search(r"simd\.isa = #simd\.isa<(\w+)>", head) or [None, build.isa])[1]
                args = re.findall(r"%(\w+): (memref<[^>]*>)", head)
                rows[fn.symbol]["shapes"] = [f"{n} {t[7:-1]}" for n, t in args]
        for fn in simd.entries:
            calls = [op for op in fn.ops if op.name == "func.call" and op.callee != BARRIER]
            mfn = memory.function(fn.symbol) if memory is not None else None
            kops = [op for op in mfn.ops if op.name.startswith("kernel.")] if mfn is not None else []
            tensor = {}
            for op in mfn.ops if mfn is not None else []:
                if op.name == "memory.weight":
                    m = re.search(r'memory\.weight %[\w$.\-]+ "([^"]+)"', op.text)
                    if m and op.results:
                        tensor[op.results[0]] = m.group(1)
            paired = len(kops) == len(calls) and all(
                (call.attr(KERNEL_RE) or kop.name) == kop.name for call, kop in zip(calls, kops, strict=True))
            for k, call in enumerate(calls):
                row = rows.get(call.callee or "")
                if row is None:
                    continue
                row["calls"][fn.symbol] += 1
                if call.layer is not None:
                    row["layers"].add(call.layer)
                if paired:
                    kop = kops[k]
                    row["attrs"] = row["attrs"] or {k2: v for k2, v in _attr_dict(kop.text).items()
                                                    if not k2.startswith("ck.")}
                    for v in kop.operands:
                        if v in tensor and tensor[v] in weights:
                            row["weights"][tensor[v]] = weights[tensor[v]]
    for row in rows.values():
        isa = row.get("isa", build.isa)
        row["lanes"] = _lanes(row["variant"])
        row["fallbacks"] = _fallbacks(row, ISA_LANES.get(isa, 1))
    return list(rows.values())


def _fallbacks(row: dict[str, Any], isa_lanes: int) -> list[str]:
    """Why a kernel is not the fast one for its ISA: a general kernel and the dimension that
    forced it (the variant's "(general: K=196 not a multiple of 16)"; "(scalar: ...)" for one
    that is scalar by design), narrower vectors than the ISA's, weights that kept the rows layout."""
    out = []
    variant = row["variant"]
    general = re.findall(r"\((general|scalar): ([^)]*)\)", variant)
    out += [f"{kind} kernel: {why}" for kind, why in general]
    m = re.search(r"(\d+) lanes", variant)
    if m and int(m.group(1)) < isa_lanes and not general:
        out.append(f"{m.group(1)} of {isa_lanes} lanes")
    reasons: dict[str, list[str]] = {}
    for name, w in row["weights"].items():
        if w.get("layout_reason"):
            reasons.setdefault(w["layout_reason"], []).append(name)
    for reason, names in reasons.items():
        who = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        out.append(f"{who} kept the rows layout: {reason}")
    return out


def _schedule(row: dict[str, Any]) -> str:
    sched = row["attrs"].get("schedule", "")
    m = re.match(r"#kernel\.schedule<(.*)>$", sched)
    if m:
        return m.group(1)
    m = re.search(r"register tile [^,]*", row["variant"])
    return m.group(0) if m else "—"


def kernels_section(build: Build) -> str:
    rows = kernel_rows(build)
    if not rows:
        return "<p class=warn>This build records no kernel table (layout.json).</p>"
    falls = [r for r in rows if r["fallbacks"]]
    out = [(f"<p>{len(rows)} kernel functions (one per distinct kernel, shape, dtype and ISA; the layers share "
            f"them). {len(falls)} {'is' if len(falls) == 1 else 'are'} not the fast kernel for "
            f"{escape(build.isa)}:</p>")]
    if falls:
        items = []
        for r in falls:
            link_ = _c_link(r)
            items.append(f"<li>{link_} <span class=dim>({escape(r['kernel'])})</span>: "
                         + "; ".join(f'<span class="warn">{escape(f)}</span>' for f in r["fallbacks"]) + "</li>")
        out.append(f'<ul id="fallbacks">{"".join(items)}</ul>')
    else:
        out.append('<p id="fallbacks">None: every kernel has the ISA\'s full vector width and every weight its '
                   "kernel's first layout.</p>")
    table_rows, classes = [], []
    for r in rows:
        layouts = sorted({w["layout"] for w in r["weights"].values()})
        dtype = ", ".join(f"{k} {v}" for k, v in r["attrs"].items() if k.endswith("dtype")) or "—"
        calls = ", ".join(f"{n} in {fn}" for fn, n in r["calls"].items())
        layers = sorted(r["layers"])
        table_rows.append([
            _c_link(r, breakable=True), escape(r["kernel"].removeprefix("kernel.")),
            "<br>".join(escape(f) for f in r["fallbacks"]) or "—",
            escape(str(r["lanes"]) if r["lanes"] is not None else "—"), escape(", ".join(layouts) or "—"),
            escape(_schedule(r)), escape(dtype), escape(r.get("isa", build.isa)),
            "<br>".join(f"<code>{escape(a)}</code>" for a in r.get("shapes", [])),
            escape(r["attrs"].get("split", "—")), escape(calls or "—"),
            escape(f"{layers[0]}..{layers[-1]}" if layers else "—"), escape(r["variant"]),
        ])
        classes.append("fallback" if r["fallbacks"] else "")
    out.append('<p class="dim scroll-hint">The table scrolls sideways.</p>')
    out.append(table(["function", "kernel op", "fallback", "lanes", "weight layout", "schedule", "dtype", "ISA",
                      "shapes", "split", "calls", "layers", "variant"], table_rows, raw=tuple(range(13)),
                     row_classes=classes, cls="kernels", wrap=True))
    return "".join(out)


def _c_link(row: dict[str, Any], breakable: bool = False) -> str:
    """The kernel's C name, a link to its function in model.c; `breakable`: it may wrap after an
    underscore (in the kernel table's narrow column)."""
    name = row.get("c_name")
    text = escape(name or row["function"])
    if breakable:
        text = text.replace("_", "_<wbr>")
    if name:
        return f'<a href="#c-{escape(name)}"><code>{text}</code></a>'
    return f"<code>{text}</code>"


# ------------------------------------------------------------------------------ profile


def _num(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return 0.0


def _duration(us: float) -> str:
    """Microseconds, in the unit that reads best: 15.1 µs, 245 ms, 1.2 s."""
    if us >= 1e6:
        return f"{us / 1e6:.3g} s"
    if us >= 1e3:
        return f"{us / 1e3:.4g} ms"
    return f"{us:.3g} µs"


MACHINE_FIELDS = (  # profile.json's machine: key, label, unit
    ("cpu", "CPU", ""), ("isa", "ISA", ""), ("threads", "threads", ""),
    ("read_gbps", "Read bandwidth (DRAM, measured)", "GB/s"),
    ("peak_gflops", "Peak f32 arithmetic (FMA)", "GFLOP/s"),
    ("peak_int8_gops", "Peak int8 dot products", "GOP/s"),
    ("peak_bf16_gflops", "Peak bf16 dot products", "GFLOP/s"),
)
PEAK_KEYS = {"f32": "peak_gflops", "int8": "peak_int8_gops", "bf16": "peak_bf16_gflops"}


def _machine_card(machine: dict[str, Any]) -> str:
    items: list[Any] = []
    for key, label, unit in MACHINE_FIELDS:
        if key not in machine:
            continue
        v = machine[key]
        if v is None:
            items.append((label, "not measured"))
        elif unit:
            items.append((label, f"{_num(v):.4g} {unit}"))
        else:
            items.append((label, v))
    known = {k for k, _, _ in MACHINE_FIELDS}
    items += [(k.replace("_", " "), v) for k, v in machine.items() if k not in known]
    return card(items)


def _runs(steps: dict[str, Any], kernels: list[dict[str, Any]], phase: str) -> int:
    """How many times the profile ran a phase: prefills (rounds), decode steps (steps x rounds);
    without those numbers, the most calls of one of the phase's sites."""
    rounds = steps.get("rounds")
    if isinstance(rounds, int) and rounds > 0:
        if phase == "prefill":
            return rounds
        if phase == "decode" and isinstance(steps.get("decode_steps"), int) and steps["decode_steps"] > 0:
            return rounds * steps["decode_steps"]
    return max([int(_num(k.get("calls"))) for k in kernels if k.get("phase") == phase] or [1]) or 1


def _steps_card(steps: dict[str, Any], kernels: list[dict[str, Any]]) -> str:
    items: list[Any] = []
    shown = {"prompt_tokens", "decode_steps", "rounds", "threads"}
    prompt = steps.get("prompt_tokens")
    for phase, what in (("prefill", f"Prefill ({prompt} tokens)" if prompt else "Prefill"),
                        ("decode", "Decode step (1 token)")):
        measured, kernel_us = steps.get(f"{phase}_us"), steps.get(f"{phase}_kernel_us")
        mean, kernel_mean = steps.get(f"{phase}_us_mean"), steps.get(f"{phase}_kernel_us_mean")
        shown |= {f"{phase}_us", f"{phase}_kernel_us", f"{phase}_us_mean", f"{phase}_kernel_us_mean"}
        if measured is None and kernel_us is None:
            continue
        runs = _runs(steps, kernels, phase)
        parts = []
        if measured is not None:
            parts.append(f"{_duration(_num(measured))} measured (median of {runs:,}"
                         + (f"; mean {_duration(_num(mean))})" if mean is not None else ")"))
        if kernel_us is not None:
            notes = [f"{100 * _num(kernel_us) / _num(measured):.0f}%"] if measured else []
            notes += [f"mean {_duration(_num(kernel_mean))}"] if kernel_mean is not None else []
            parts.append(f"kernels {_duration(_num(kernel_us))}" + (f" ({'; '.join(notes)})" if notes else ""))
        if measured:
            tokens = _num(prompt) if phase == "prefill" else 1.0
            if tokens > 0:
                parts.append(f"{tokens / (_num(measured) * 1e-6):,.0f} tokens/s")
        items.append((what, ", ".join(parts)))
    for phase, what in (("prefill", "per prefill"), ("decode", "per decode step")):
        waits = steps.get(f"{phase}_barrier_wait_us_per_thread")
        shown.add(f"{phase}_barrier_wait_us_per_thread")
        if isinstance(waits, list) and waits:
            items.append((f"Barrier wait per thread, {what}",
                          ", ".join(_duration(_num(w)) if w is not None else "—" for w in waits)))
    run = []
    if isinstance(steps.get("rounds"), int):
        run.append(f"{steps['rounds']} round{'s' if steps['rounds'] != 1 else ''}"
                   + (f" of a {prompt}-token prefill" if prompt else "")
                   + (f" and {steps['decode_steps']} decode steps" if steps.get("decode_steps") else ""))
    if steps.get("threads"):
        run.append(f"{steps['threads']} thread{'s' if steps['threads'] != 1 else ''}")
    if run:
        items.append(("Run", ", ".join(run)))
    items += [(k.replace("_", " "), v) for k, v in steps.items() if k not in shown]
    return (card(items) + "<p class=dim>Measured: the wall time of a whole step (prefill, or one decode step). "
            "Kernels: what the kernel calls of a step add up to, each from its start on its first thread to its "
            "end on its last (the median over steps; barrier waits and the time between calls left out).</p>")


def profile_section(build: Build, prof: dict[str, Any]) -> str:
    kernels = [k for k in prof.get("kernels", []) if isinstance(k, dict)]
    machine = prof.get("machine", {}) or {}
    steps = prof.get("steps", {}) or {}
    out = []
    if machine:
        out.append("<h3>Machine</h3>" + _machine_card(machine))
    if steps:
        out.append("<h3>Steps</h3>" + _steps_card(steps, kernels))
    if not kernels:
        return "".join(out) or "<p>The profile holds no kernel times.</p>"
    phases = [p for p in ("decode", "prefill") if any(k.get("phase") == p for k in kernels)]
    phases += list(dict.fromkeys(str(k.get("phase", "?")) for k in kernels if k.get("phase") not in phases))
    layers = sorted({k["layer"] for k in kernels if isinstance(k.get("layer"), int)})
    cats = ["other"] * any(not isinstance(k.get("layer"), int) for k in kernels) + [f"L{n}" for n in layers]
    by_op: Counter[str] = Counter()
    for k in kernels:
        by_op[str(k.get("kernel", "?")).removeprefix("kernel.")] += _num(k.get("time_us"))
    ops = [op for op, _ in by_op.most_common()]  # one order (and color) per kernel op in every chart
    out.append("<h3>Time per layer</h3><p class=dim>Per step, by kernel op: decode per decode step (one token), "
               "prefill per prefill; “other” is the kernels outside the layers (embedding, rope table, final "
               "norm, head).</p>")
    for phase in phases:
        runs = _runs(steps, kernels, phase)
        series = {op: [0.0] * len(cats) for op in ops}
        for k in kernels:
            if str(k.get("phase", "?")) != phase:
                continue
            layer = k.get("layer")
            col = cats.index(f"L{layer}" if isinstance(layer, int) else "other")
            series[str(k.get("kernel", "?")).removeprefix("kernel.")][col] += _num(k.get("time_us")) / runs
        what = {"decode": "µs per decode step", "prefill": "µs per prefill"}.get(phase, f"µs per {phase} call")
        per = {"decode": "decode steps", "prefill": "prefills"}.get(phase, "runs")
        out.append(f"<p><b>{escape(phase.capitalize())}</b> <span class=dim>{what}: the kernels' time over the "
                   f"profile's {runs:,} {per}, divided by {runs:,}</span></p>"
                   + charts.columns(cats, series, unit=" µs", label=f"time per layer, {phase}"))
    ranked = sorted(kernels, key=lambda k: -_num(k.get("time_us")))
    total = sum(_num(k.get("time_us")) for k in kernels) or 1.0
    runs_text = ", ".join(f"{_runs(steps, kernels, p):,} " + {"decode": "decode steps", "prefill": "prefills"}
                          .get(p, f"{p} runs") for p in phases)
    out.append(f"<h3>Time per kernel</h3><p class=dim>The {min(TOP_KERNELS, len(ranked))} slowest call sites of "
               f"{len(ranked)}: µs summed over the whole profile ({escape(runs_text)}).</p>")
    out.append(charts.hbars([(_site_label(k), _num(k.get("time_us"))) for k in ranked[:TOP_KERNELS]], unit=" µs",
                            label="time per kernel site"))
    by_kind: Counter[str] = Counter()
    for k in kernels:
        by_kind[f'{k.get("phase", "?")}: {k.get("kernel", "?")}'] += _num(k.get("time_us"))
    out.append("<p class=dim>By kernel op and phase (µs summed over the whole profile)</p>"
               + charts.hbars(by_kind.most_common(), unit=" µs", label="time per kernel op"))
    read_gbps = _num(machine.get("read_gbps"))
    points = []
    for k in kernels:
        flops, nbytes = _num(k.get("flops")), _num(k.get("bytes"))
        gflops = _num(k.get("gflops")) or (flops / (_num(k.get("time_us")) * 1e3) if _num(k.get("time_us")) else 0.0)
        if flops > 0 and nbytes > 0 and gflops > 0:
            points.append((_site_label(k), flops / nbytes, gflops, str(k.get("peak") or "f32")))
    # the peak of each kind of arithmetic the kernels run on (f32 alone when no kernel is placed)
    kinds = sorted({p[3] for p in points} or {"f32"}, key=lambda kd: (list(PEAK_KEYS) + [kd]).index(kd))
    peaks = {kd: _num(machine.get(PEAK_KEYS[kd])) for kd in kinds
             if kd in PEAK_KEYS and _num(machine.get(PEAK_KEYS[kd])) > 0}
    out.append("<h3>Roofline</h3>")
    if points or (read_gbps > 0 and peaks):
        roofs = "; ".join(f"{kd} {v:.4g} {'GOP/s' if kd == 'int8' else 'GFLOP/s'}" for kd, v in peaks.items())
        out.append(f"<p class=dim>A dot per kernel call site: its flops per byte (x) and the rate it ran at (y). "
                   f"The slanted roof is the DRAM read bandwidth this machine measured ({read_gbps:.3g} GB/s): a "
                   "kernel whose data stays in cache (small weights, activations, the KV cache of a short context) "
                   "can sit above it. The flat roofs are the measured peaks of each kind of arithmetic"
                   + (f" ({escape(roofs)})" if roofs else "")
                   + "; a dot's color is the kind that bounds its kernel (int8 dot products count an int8 "
                   "multiply-add as two ops).</p>"
                   + charts.roofline(points, read_gbps, peaks)
                   + legend([(f"{kd} kernels", charts.PEAK_COLORS.get(kd, charts.color(3))) for kd in kinds]))
    else:
        out.append("<p>The profile gives no flops and bytes to place the kernels.</p>")
    out.append(_barriers(prof.get("barriers") or [], {p: _runs(steps, kernels, p) for p in phases}))
    call_anchor = _call_anchors(build)
    rows = []
    for k in ranked[:200]:
        c_fn = str(k.get("c_function", ""))
        c_cell = f'<a class="to-c" href="#c-{escape(c_fn)}"><code>{escape(c_fn)}</code></a>' if c_fn and build.c and \
            build.c.function(c_fn) else escape(c_fn or "—")
        line = k.get("c_line")
        if isinstance(line, int) and line in call_anchor:
            c_cell += f' <a href="#{call_anchor[line]}" title="the call in model.c">line {line}</a>'
        rows.append([escape(_fmt(k.get("site"))), escape(str(k.get("phase", ""))), escape(_fmt(k.get("layer"))),
                     _op_link(build, str(k.get("origin") or k.get("op", ""))), escape(str(k.get("kernel", ""))),
                     c_cell, escape(_fmt(k.get("calls"))), escape(_fmt(_num(k.get("time_us")))),
                     f"{100 * _num(k.get('time_us')) / total:.1f}%", escape(_fmt(k.get("gbps"))),
                     escape(_fmt(k.get("gflops"))), escape(str(k.get("peak") or "—")),
                     escape(f"{100 * _num(k.get('roofline')):.3g}%" if k.get("roofline") is not None else "—")])
    out.append(collapsed(f"the {len(rows)} slowest sites", table(
        ["site", "phase", "layer", "op", "kernel", "C function", "calls", "µs (all calls)", "share", "GB/s",
         "GFLOP/s (int8: GOP/s)", "peak", "of the roofline's bound"], rows, numeric=(0, 2, 6, 7, 8, 9, 10, 12),
        raw=tuple(range(13)))))
    return "".join(out)


def _barriers(barriers: list[Any], runs: dict[str, int]) -> str:
    """Each thread's wait at the barriers per step of each phase (`runs`: how many steps the
    profile ran of it), and the barrier sites."""
    waits: dict[str, list[float]] = {}
    rows = []
    for b in barriers:
        if not isinstance(b, dict):
            continue
        per_thread = [_num(w) for w in b.get("wait_us_per_thread", [])]
        total = waits.setdefault(str(b.get("phase", "?")), [])
        total.extend([0.0] * (len(per_thread) - len(total)))
        for i, w in enumerate(per_thread):
            total[i] += w
        rows.append([b.get("site"), b.get("phase"), b.get("after", ""), b.get("calls"),
                     ", ".join(f"{w:,.1f}" for w in per_thread)])
    if not rows:
        return ""
    items = [(f"{phase}: thread {i}", w / runs.get(phase, 1)) for phase, ws in waits.items() for i, w in enumerate(ws)]
    return ("<h3>Barrier waits</h3><p class=dim>µs each thread waited at the barriers in a step: per decode step, "
            "per prefill.</p>"
            + charts.hbars(items, unit=" µs", label="barrier wait per thread")
            + collapsed(f"every barrier ({len(rows)})", table(
                ["site", "phase", "after", "calls", "µs waited per thread, over the whole profile"], rows,
                numeric=(0, 3))))


def _call_anchors(build: Build) -> dict[int, str]:
    """model.c line (1-based) of each entry function's kernel call -> its `cc-` anchor."""
    out = {}
    for fn in build.c.functions if build.c is not None else []:
        for k, (line, _) in enumerate(fn.calls):
            out[line + 1] = f"cc-{fn.name}-{k}"
    return out


def _site_label(k: dict[str, Any]) -> str:
    layer = k.get("layer")
    where = f"L{layer}" if isinstance(layer, int) else "—"
    return f'{k.get("phase", "?")} {where} {k.get("kernel", "?")} #{k.get("site", "?")}'


def _op_link(build: Build, op: str) -> str:
    """A profile's `op` ("transformer.linear#7 ...") as links to the transformer ops."""
    out = []
    for ref in op.split():
        m = re.match(r"^transformer\.[\w.]+#(\d+)$", ref)
        if m and build.tf_func:
            out.append(f'<a class="to-tf" href="#tf-{escape(build.tf_func)}-{m.group(1)}">{escape(ref)}</a>')
        else:
            out.append(escape(ref))
    return " ".join(out) or "—"


# ------------------------------------------------------------------------------ training


def training_section(build: Build, training: dict[str, Any] | None) -> str:
    training = training or {}
    out = []
    losses = [float(x) for x in training.get("losses", [])]
    if losses:
        out.append(f"<h3>Loss</h3><p>{len(losses)} steps: {losses[0]:.4f} → {losses[-1]:.4f} "
                   f"(lowest {min(losses):.4f}).</p>")
        out.append(charts.line([(i + 1, v) for i, v in enumerate(losses)], "step", "loss", "loss curve"))
    else:
        out.append("<p>No loss history: the report of a live run (<code>run.report(path)</code> or "
                   "<code>ck train --report</code>) draws the loss of every step.</p>")
    norms = training.get("grad_norms") or {}
    if norms:
        out.append("<h3>Gradient norms</h3><p class=dim>The L2 norm of each weight's gradient after the last "
                   "forward_backward (log scale).</p>"
                   + charts.hbars(list(norms.items()), label="gradient norm per weight", log=True))
    inv = training.get("invariants") or _json(build.directory / "invariants.json", None) \
        or build.info.get("invariants") or {}
    if inv:
        rows = []
        for key in ("forward_ops", "backward_ops", "weight_grads", "activation_grads", "accumulations", "unresolved"):
            v = inv.get(key)
            if isinstance(v, list):
                shown = ", ".join(map(str, v[:12])) + (f", … ({len(v)})" if len(v) > 12 else "")
                rows.append([key.replace("_", " "), len(v), shown or "—"])
            elif v is not None:
                rows.append([key.replace("_", " "), v, ""])
        unresolved = inv.get("unresolved") or []
        out.append("<h3>Invariants</h3><p>What <code>transformer-autodiff</code> built: ops of the forward and "
                   "backward, which weights got a gradient, how many activations did, where gradients were "
                   "summed, and what stayed unresolved"
                   + (f' (<span class="warn">{len(unresolved)} unresolved</span>)' if unresolved else " (nothing)")
                   + ".</p>" + table(["invariant", "count", "which"], rows, numeric=(1,), cls="invariants"))
    return "".join(out) or "<p>No training data.</p>"
