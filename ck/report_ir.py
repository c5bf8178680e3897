"""The IR views of `ck report`: every stage's text, and the links between stages.

The build's artifacts are read as text, not parsed back into xDSL: the report is about
what the files say, and reading the 28 layers of a 0.6B model this way takes
milliseconds. The printed form is regular: a function is `  func.func [private] @name(`
at two spaces, its body's ops start at four (an op with regions continues on deeper lines
until its closing brace), and `  }` ends it. Op N of a function is its N-th body-level op,
counting every op (weights, return) as the `ck.origin` references do.

Provenance: every kernel op of kernel.mlir and memory.mlir, and every kernel call of an
entry function in simd.mlir, carries `ck.origin = "transformer.<op>#<N> ..."` (the ops of
the transformer-level function it computes: `@forward` of transformer.mlir, or the train
entry of autodiff.mlir). model.c prints the entry functions' kernel calls in the same
order as simd.mlir, one `<c_name>(...);` line each, so the k-th kernel call of an entry
function in simd.mlir is the k-th in model.c, and that gives each simd function its C name.
From these the report links a transformer op to every kernel op, simd call and C function
it became, and each of those back.

Anchors (element ids): `tf-<func>-<N>` transformer op N of <func>; `k-<func>-<i>`,
`m-<func>-<i>`, `s-<func>-<i>`: op i of <func> in kernel.mlir, memory.mlir, simd.mlir;
`sf-<c_name>` a kernel function in simd.mlir; `c-<c_name>` a kernel function in model.c;
`cc-<func>-<k>` the k-th kernel call of <func> in model.c.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html import escape

FUNC_RE = re.compile(r'^  func\.func (?:(private|public|nested) )?@("(?:[^"\\]|\\.)*"|[A-Za-z_$.][\w$.\-]*)')
OP_RE = re.compile(r'^\s*(?:%[^=]*?= )?"?([A-Za-z_][\w$]*\.[\w$.]+)"?(?=[\s(<{@:"]|$)')
ORIGIN_RE = re.compile(r'ck\.origin = "([^"]*)"')
LAYER_RE = re.compile(r"ck\.layer = (-?\d+)")
KERNEL_RE = re.compile(r'ck\.kernel = "([^"]*)"')
COMMENT_RE = re.compile(r'ck\.comment = "((?:[^"\\]|\\.)*)"')
CALLEE_RE = re.compile(r'func\.call @("(?:[^"\\]|\\.)*"|[A-Za-z_$.][\w$.\-]*)\(')
REF_RE = re.compile(r"^transformer\.([\w.]+)#(\d+)$")
RESULT_RE = re.compile(r"%([\w$.\-]+)")
RESULTS_RE = re.compile(r"^\s*(%[^=\"]*?) = ")
C_FUNC_RE = re.compile(r"^(static\s+)?(?:inline\s+)?[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\(.*\)\s*\{\s*$")
C_CALL_RE = re.compile(r"^  ([A-Za-z_]\w*)\(.*\);\s*$")
BARRIER = "ck_barrier"
SHORT = {"ck_decode": "d", "ck_prefill": "p", "ck_decode_batch": "b", "ck_train_step": "t", "ck_adamw_step": "a"}


def _unquote(sym: str) -> str:
    return sym[1:-1].replace('\\"', '"') if sym.startswith('"') else sym


def op_counts_text(text: str) -> Counter[str]:
    """Printed ops by name (builtin.module and func.func included). The printer leaves out
    terminators without operands (an empty scf.yield, a bare func.return is kept)."""
    counts: Counter[str] = Counter()
    for line in text.splitlines():
        m = OP_RE.match(line)
        if m:
            counts[m.group(1)] += 1
    return counts


@dataclass
class IROp:
    index: int
    first: int  # line numbers in the file, 0-based, inclusive
    last: int
    name: str
    text: str  # the first line

    def attr(self, pattern: re.Pattern[str]) -> str | None:
        m = pattern.search(self.text)
        return m.group(1) if m else None

    @property
    def origins(self) -> list[int]:
        """The transformer op indices of `ck.origin`."""
        refs = (self.attr(ORIGIN_RE) or "").split()
        return [int(m.group(2)) for r in refs if (m := REF_RE.match(r))]

    @property
    def layer(self) -> int | None:
        v = self.attr(LAYER_RE)
        return int(v) if v is not None else None

    @property
    def callee(self) -> str | None:
        v = self.attr(CALLEE_RE)
        return _unquote(v) if v is not None else None

    @property
    def results(self) -> list[str]:
        m = RESULTS_RE.match(self.text)
        return RESULT_RE.findall(m.group(1)) if m else []

    @property
    def operands(self) -> list[str]:
        m = RESULTS_RE.match(self.text)
        return RESULT_RE.findall(self.text[m.end():] if m else self.text)


@dataclass
class IRFunc:
    symbol: str
    private: bool
    first: int
    last: int
    ops: list[IROp] = field(default_factory=list)

    @property
    def declaration(self) -> bool:
        return self.first == self.last

    @property
    def entry(self) -> bool:
        return not self.private and not self.declaration


@dataclass
class IRFile:
    name: str
    lines: list[str]
    functions: list[IRFunc]

    def function(self, symbol: str) -> IRFunc | None:
        return next((f for f in self.functions if f.symbol == symbol), None)

    @property
    def entries(self) -> list[IRFunc]:
        return [f for f in self.functions if f.entry]


def parse_mlir(name: str, text: str) -> IRFile:
    lines = text.splitlines()
    functions: list[IRFunc] = []
    i = 0
    while i < len(lines):
        m = FUNC_RE.match(lines[i])
        if not m:
            i += 1
            continue
        fn = IRFunc(_unquote(m.group(2)), m.group(1) == "private", i, i)
        functions.append(fn)
        if not lines[i].rstrip().endswith("{"):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j] != "  }":
            line = lines[j]
            if line.startswith("    ") and len(line) > 4 and line[4] not in " }^)":
                op = OP_RE.match(line)
                fn.ops.append(IROp(len(fn.ops), j, j, op.group(1) if op else "", line))
            elif fn.ops:
                fn.ops[-1].last = j
            j += 1
        fn.last = j
        i = j + 1
    return IRFile(name, lines, functions)


@dataclass
class CFunc:
    name: str
    static: bool
    first: int
    last: int
    calls: list[tuple[int, str]] = field(default_factory=list)  # (line, callee) of kernel calls


@dataclass
class CFile:
    lines: list[str]
    functions: list[CFunc]

    def function(self, name: str) -> CFunc | None:
        return next((f for f in self.functions if f.name == name), None)


def parse_c(text: str) -> CFile:
    lines = text.splitlines()
    functions: list[CFunc] = []
    i = 0
    while i < len(lines):
        m = C_FUNC_RE.match(lines[i])
        if not m:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j] != "}":
            j += 1
        functions.append(CFunc(m.group(2), bool(m.group(1)), i, j))
        i = j + 1
    defined = {f.name for f in functions if f.static}
    for fn in functions:
        if fn.static:
            continue
        for k in range(fn.first + 1, fn.last):
            m = C_CALL_RE.match(lines[k])
            if m and m.group(1) in defined:
                fn.calls.append((k, m.group(1)))
    return CFile(lines, functions)


@dataclass
class Target:
    anchor: str
    label: str
    title: str
    cls: str


@dataclass
class Links:
    """Where each transformer op went, and which transformer ops each anchor came from."""

    tf_func: str
    forward: dict[int, list[Target]] = field(default_factory=dict)
    c_function: dict[int, str] = field(default_factory=dict)  # tf op -> c name of its first kernel
    back: dict[str, list[int]] = field(default_factory=dict)  # anchor -> tf op indices
    c_names: dict[str, str] = field(default_factory=dict)  # simd symbol -> C name
    c_calls: dict[tuple[str, int], str] = field(default_factory=dict)  # (entry, simd op index) -> cc anchor

    def add(self, n: int, target: Target) -> None:
        self.forward.setdefault(n, []).append(target)
        self.back.setdefault(target.anchor, [])
        if n not in self.back[target.anchor]:
            self.back[target.anchor].append(n)


def _fn_short(fn: str) -> str:
    return SHORT.get(fn, fn)


def link(tf: IRFile, tf_func: str, kernel: IRFile | None, memory: IRFile | None, simd: IRFile | None,
         c: CFile | None) -> Links:
    """The provenance links of a build (see the module docstring)."""
    links = Links(tf_func)
    for stage, prefix, cls in ((kernel, "k", "to-k"), (memory, "m", "to-m")):
        if stage is None:
            continue
        for fn in stage.entries:
            for op in fn.ops:
                for n in op.origins:
                    links.add(n, Target(f"{prefix}-{fn.symbol}-{op.index}", f"{prefix}{_fn_short(fn.symbol)}",
                                        f"{op.name} in @{fn.symbol} of {stage.name}", cls))
    if simd is None:
        return links
    c_entries = {f.name: f for f in c.functions if not f.static} if c is not None else {}
    for fn in simd.entries:
        calls = [op for op in fn.ops if op.name == "func.call" and op.callee != BARRIER]
        c_fn = c_entries.get(fn.symbol)
        c_calls = c_fn.calls if c_fn is not None and len(c_fn.calls) == len(calls) else []
        for k, op in enumerate(calls):
            if c_calls:
                links.c_names.setdefault(op.callee or "", c_calls[k][1])
                links.c_calls[(fn.symbol, op.index)] = f"cc-{fn.symbol}-{k}"
    for fn in simd.entries:
        for op in fn.ops:
            if op.name != "func.call" or op.callee == BARRIER:
                continue
            cname = links.c_names.get(op.callee or "")
            kernel_name = op.attr(KERNEL_RE) or "call"
            for n in op.origins:
                links.add(n, Target(f"s-{fn.symbol}-{op.index}", f"s{_fn_short(fn.symbol)}",
                                    f"{kernel_name} call in @{fn.symbol} of simd.mlir", "to-s"))
                if cname is not None:
                    cc = links.c_calls.get((fn.symbol, op.index))
                    if cc is not None:
                        links.add(n, Target(cc, f"c{_fn_short(fn.symbol)}", f"the call in {fn.symbol}() of model.c",
                                            "to-cc"))
                    links.back.setdefault(f"c-{cname}", [])
                    links.back.setdefault(f"sf-{cname}", [])
                    for anchor in (f"c-{cname}", f"sf-{cname}"):
                        if n not in links.back[anchor]:
                            links.back[anchor].append(n)
    # the C function of each op: of its first kernel call, in the decode function when there is one
    entries = sorted(simd.entries, key=lambda f: (f.symbol != "ck_decode", 0))
    for fn in entries:
        for op in fn.ops:
            if op.name != "func.call" or op.callee == BARRIER:
                continue
            cname = links.c_names.get(op.callee or "")
            if cname is None:
                continue
            for n in op.origins:
                links.c_function.setdefault(n, cname)
    _weights_follow_readers(tf, tf_func, links)
    return links


def _weights_follow_readers(tf: IRFile, tf_func: str, links: Links) -> None:
    """A transformer op with no kernel of its own (a weight) links to the kernels of the ops
    that read its result."""
    fn = tf.function(tf_func)
    if fn is None:
        return
    readers: dict[str, list[int]] = {}
    for op in fn.ops:
        for v in op.operands:
            readers.setdefault(v, []).append(op.index)
    for op in fn.ops:
        if op.index in links.forward or not op.name.startswith("transformer."):
            continue
        for v in op.results:
            for r in readers.get(v, []):
                for t in links.forward.get(r, []):
                    links.forward.setdefault(op.index, []).append(
                        Target(t.anchor, t.label, f"{t.title} (reads this weight)", t.cls))
                if op.index not in links.c_function and r in links.c_function:
                    links.c_function[op.index] = links.c_function[r]


# ---------------------------------------------------------------------------------- rendering


GUTTER = 22  # the link gutter's width in characters (`.gut` in report_page has the same)
TAG_RE = re.compile(r"<[^>]*>")


def _gutter(links: list[str]) -> str:
    """The links in front of a line, in a gutter of fixed width so that every line's code starts
    in one column: the links that fit, then a `+N` badge whose popup (on hover, focus or a tap)
    holds the rest. Each link costs its label and half a character of space. A label seen
    before on the line (a second kernel op in the same function) goes after the others, so the
    gutter shows one link of each kind first."""
    labels = [TAG_RE.sub("", a) for a in links]
    first = [i for i, t in enumerate(labels) if t not in labels[:i]]
    order = first + [i for i in range(len(links)) if i not in set(first)]
    links, labels = [links[i] for i in order], [labels[i] for i in order]
    cost = [len(t) + 0.5 for t in labels]
    shown = len(links)
    if sum(cost) > GUTTER:
        room, shown, used = GUTTER - len(f"+{len(links)}") - 1, 0, 0.0
        while shown < len(links) and used + cost[shown] <= room:
            used += cost[shown]
            shown += 1
    rest = links[shown:]
    more = (f'<span class="more" tabindex="0" title="{len(rest)} more links">+{len(rest)}'
            f'<span class="pop">{" ".join(rest)}</span></span>') if rest else ""
    return f'<span class="gut">{"".join(links[:shown])}{more}</span>'


def _back_links(links: Links, anchor: str, tf: IRFile | None) -> list[str]:
    ops = tf.function(links.tf_func).ops if tf is not None and tf.function(links.tf_func) else []
    out = []
    for n in links.back.get(anchor, []):
        title = f"{ops[n].name}#{n}" if n < len(ops) else f"#{n}"
        out.append(f'<a class="to-tf" href="#tf-{escape(links.tf_func)}-{n}" title="{escape(title)}">#{n}</a>')
    return out


def render_tf(tf: IRFile, links: Links | None) -> str:
    """The transformer-level file, each body op of the linked function a `tf-op` line."""
    out = []
    for block in _blocks(tf):
        if isinstance(block, str):
            out.append(f"<pre class='ir top'>{escape(block)}</pre>")
            continue
        fn = block
        linked = links is not None and fn.symbol == links.tf_func
        body = [escape(tf.lines[fn.first]) + "\n"] if not linked else [
            _gutter([]) + escape(tf.lines[fn.first]) + "\n"]
        for op in fn.ops:
            text = escape("\n".join(tf.lines[op.first:op.last + 1]))
            if not linked:
                body.append(text + "\n")
                continue
            assert links is not None
            targets = links.forward.get(op.index, [])
            gut = []
            cname = links.c_function.get(op.index)
            if cname:
                gut.append(f'<a class="to-c" href="#c-{escape(cname)}" title="C function {escape(cname)}">C</a>')
            seen = set()
            for t in targets:
                if t.anchor in seen or t.cls == "to-cc":
                    continue
                seen.add(t.anchor)
                gut.append(f'<a class="{t.cls}" href="#{escape(t.anchor)}" title="{escape(t.title)}">'
                           f"{escape(t.label)}</a>")
            cls = "tf-op" if op.name.startswith("transformer.") else "op"
            body.append(f'<span class="{cls}" id="tf-{escape(fn.symbol)}-{op.index}" data-n="{op.index}">'
                        f"{_gutter(gut)}{text}</span>\n")
        tail = tf.lines[fn.ops[-1].last + 1 if fn.ops else fn.first + 1:fn.last + 1]
        body.append("\n".join((_gutter([]) if linked else "") + escape(t) for t in tail))
        out.append(_fn_details(fn.symbol, len(fn.ops), "".join(body), linked))
    return "".join(out)


def render_stage(ir: IRFile, prefix: str, links: Links | None, tf: IRFile | None) -> str:
    """kernel.mlir / memory.mlir / simd.mlir: entry functions with an anchor and back links
    per kernel op (call); simd kernel functions as `sf-<c_name>` blocks."""
    out = []
    for block in _blocks(ir):
        if isinstance(block, str):
            out.append(f"<pre class='ir top'>{escape(block)}</pre>")
            continue
        fn = block
        if not fn.entry:
            text = escape("\n".join(ir.lines[fn.first:fn.last + 1]))
            cname = links.c_names.get(fn.symbol) if links is not None and prefix == "s" else None
            if cname is None:
                out.append(_fn_details(fn.symbol, len(fn.ops), text, False))
                continue
            assert links is not None
            head = [f'<a class="to-c" href="#c-{escape(cname)}" title="C function {escape(cname)}">C</a>',
                    *_back_links(links, f"sf-{cname}", tf)]
            out.append(_fn_details(fn.symbol, len(fn.ops), text, False, anchor=f"sf-{cname}", head=head))
            continue
        body = [_gutter([]) + escape(ir.lines[fn.first]) + "\n"]
        for op in fn.ops:
            text = escape("\n".join(ir.lines[op.first:op.last + 1]))
            anchor = f"{prefix}-{fn.symbol}-{op.index}"
            back = _back_links(links, anchor, tf) if links is not None else []
            if prefix == "s" and links is not None and op.name == "func.call" and op.callee != BARRIER:
                cname = links.c_names.get(op.callee or "")
                if cname is not None:
                    back.append(f'<a class="to-sf" href="#sf-{escape(cname)}" title="the simd function">fn</a>')
                cc = links.c_calls.get((fn.symbol, op.index))
                if cc is not None:
                    back.append(f'<a class="to-cc" href="#{cc}" title="the call in model.c">C</a>')
            if back or op.origins:
                body.append(f'<span class="op" id="{escape(anchor)}">{_gutter(back)}{text}</span>\n')
            else:
                body.append(_gutter([]) + text + "\n")
        tail = ir.lines[(fn.ops[-1].last + 1) if fn.ops else fn.first + 1:fn.last + 1]
        body.append("".join(_gutter([]) + escape(t) + "\n" for t in tail))
        out.append(_fn_details(fn.symbol, len(fn.ops), "".join(body), True))
    return "".join(out)


def render_c(c: CFile, links: Links | None, tf: IRFile | None) -> str:
    """model.c: each function a block; kernel functions are `c-<c_name>`, entry functions'
    kernel calls `cc-<func>-<k>`, each with links back to its transformer ops."""
    out = []
    pos = 0
    by_cc: dict[str, list[str]] = {}
    if links is not None:
        for (fn_sym, op_index), cc in links.c_calls.items():
            by_cc[cc] = [f"s-{fn_sym}-{op_index}"]
    for fn in c.functions:
        if fn.first > pos:
            out.append(f"<pre class='ir top'>{escape(chr(10).join(c.lines[pos:fn.first]))}</pre>")
        pos = fn.last + 1
        if fn.static:
            text = escape("\n".join(c.lines[fn.first:fn.last + 1]))
            head = _back_links(links, f"c-{fn.name}", tf) if links is not None else []
            if links is not None and f"sf-{fn.name}" in links.back:
                head.insert(0, f'<a class="to-sf" href="#sf-{escape(fn.name)}" title="the simd function">simd</a>')
            out.append(_fn_details(fn.name, fn.last - fn.first + 1, text, False, anchor=f"c-{fn.name}", head=head,
                                   unit="lines"))
            continue
        body = []
        calls = dict(fn.calls)
        k = 0
        for i in range(fn.first, fn.last + 1):
            text = escape(c.lines[i])
            if i in calls:
                anchor = f"cc-{fn.name}-{k}"
                k += 1
                back = []
                if links is not None:
                    simd_anchor = by_cc.get(anchor, [None])[0]
                    if simd_anchor is not None:
                        back = _back_links(links, simd_anchor, tf)
                        back.append(f'<a class="to-s" href="#{escape(simd_anchor)}" title="the simd call">s</a>')
                    back.append(f'<a class="to-c" href="#c-{escape(calls[i])}" title="the kernel function">fn</a>')
                body.append(f'<span class="op" id="{escape(anchor)}">{_gutter(back)}{text}</span>\n')
            else:
                body.append(_gutter([]) + text + "\n")
        out.append(_fn_details(fn.name, fn.last - fn.first + 1, "".join(body), True, unit="lines"))
    if pos < len(c.lines):
        out.append(f"<pre class='ir top'>{escape(chr(10).join(c.lines[pos:]))}</pre>")
    return "".join(out)


def _blocks(ir: IRFile) -> list[str | IRFunc]:
    """The file as top-level text runs and functions, in order."""
    blocks: list[str | IRFunc] = []
    pos = 0
    for fn in ir.functions:
        if fn.first > pos:
            blocks.append("\n".join(ir.lines[pos:fn.first]))
        blocks.append(fn)
        pos = fn.last + 1
    if pos < len(ir.lines):
        blocks.append("\n".join(ir.lines[pos:]))
    return blocks


def _fn_details(symbol: str, count: int, body: str, gutter: bool, anchor: str | None = None,
                head: list[str] | None = None, unit: str = "ops") -> str:
    ident = f' id="{escape(anchor)}"' if anchor else ""
    links = f'<span class="links">{" ".join(head)}</span>' if head else ""
    cls = "ir gut-on" if gutter else "ir"
    return (f'<details class="ir-fn"{ident}><summary><code>@{escape(symbol)}</code> '
            f'<span class="dim">{count} {unit}</span>{links}</summary><pre class="{cls}">{body}</pre></details>')
