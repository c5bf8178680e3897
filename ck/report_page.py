"""The page around `ck report`'s sections: one HTML document with its CSS and JS inline.

Nothing is fetched: no external script, stylesheet, font or image; the fonts are the
system's monospace and sans-serif. The script does two things:

- navigation: following an in-page link (`#k-...`, `#c-...`, `#tf-...`) opens every
  collapsed `<details>` around its target before the browser scrolls to it (`:target`),
  and marks it `.target`; the same on load and on `hashchange`;
- IR search (`#ir-search`): on Enter at once, on `input` after 150 ms of quiet, it
  searches the text of every IR block of `#ir` (open or closed, the link gutters left
  out), case-insensitively; wraps the hits in `<mark class="hit">` (the first 2,000),
  opens the blocks that hold them, scrolls to the first, and writes "N matches" into
  `#ir-search-count`. Enter again with the same text moves to the next hit.
"""

from __future__ import annotations

from html import escape

CSS = """
:root { --fg: #1d1d1f; --dim: #6e6e73; --bg: #fff; --panel: #f5f5f7; --line: #d2d2d7; --accent: #0a66c2;
        --warn: #b3261e; --hit: #ffe066; --target: #fff3bf; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 14px 24px; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { margin: 0 0 4px; font-size: 20px; }
nav { position: sticky; top: 0; z-index: 5; background: var(--bg); border-bottom: 1px solid var(--line); padding: 6px 24px;
      display: flex; gap: 14px; overflow-x: auto; white-space: nowrap; scrollbar-width: none; }
nav a { color: var(--accent); text-decoration: none; }
main { padding: 0 24px 48px; max-width: 1400px; }
section { margin-top: 28px; }
h2 { font-size: 18px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: var(--panel); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fallback td { background: #fdecea; }
table.kernels { font-size: 11px; width: 100%; }
table.kernels th, table.kernels td { padding: 2px 4px; }
table.kernels code { font-size: 10.5px; }
table.kernels td:nth-child(9) { white-space: nowrap; }
table.kernels td:nth-child(3), table.kernels td:nth-child(13) { min-width: 14ch; }
/* a table wider than the page scrolls sideways; shadows at the edges say there is more */
div.wide { overflow-x: auto; max-width: 100%; margin: 6px 0 12px;
  background: linear-gradient(to right, var(--bg) 30%, rgba(255,255,255,0)) left / 40px 100% no-repeat local,
              linear-gradient(to left, var(--bg) 30%, rgba(255,255,255,0)) right / 40px 100% no-repeat local,
              radial-gradient(farthest-side at 0 50%, rgba(0,0,0,.35), rgba(0,0,0,0)) left / 14px 100% no-repeat scroll,
              radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.35), rgba(0,0,0,0)) right / 14px 100% no-repeat scroll; }
.scroll-hint { display: none; }
div.wide > table { margin: 0; }
tr.fallback td:nth-child(3) { color: var(--warn); }
.dim { color: var(--dim); font-size: 12px; }
.warn { color: var(--warn); font-weight: 600; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
pre.ir { margin: 0; padding: 6px 8px; background: var(--panel); overflow-x: auto; white-space: pre; }
pre.spec { white-space: pre-wrap; word-break: break-all; background: var(--panel); padding: 8px; }
details { margin: 3px 0; }
details.ir-file > summary { font-weight: 600; }
details.ir-fn { margin-left: 16px; }
summary { cursor: pointer; }
summary .links { margin-left: 10px; }
summary code, #fallbacks code { overflow-wrap: anywhere; }
/* the link gutter: a fixed width (GUTTER characters in report_ir), so every code line starts in one column;
   links that do not fit are in the popup of a "+N" badge */
.gut { display: inline-block; width: 22ch; margin-right: 1ch; position: relative; white-space: nowrap;
       font-size: 11px; color: var(--dim); user-select: none; }
.gut a { margin-right: 0.5ch; }
.gut a, .links a { color: var(--accent); text-decoration: none; font-size: 11px; }
.links a { margin-right: 2px; }
.gut a:hover, .links a:hover { text-decoration: underline; }
.gut .more { padding: 0 0.4ch; border-radius: 3px; background: #e3ebf6; color: var(--accent); cursor: pointer; }
.gut .pop { display: none; position: absolute; left: 100%; top: -3px; z-index: 7; width: max-content; max-width: 52ch;
            white-space: normal; padding: 2px 6px; background: var(--bg); border: 1px solid var(--line);
            box-shadow: 0 2px 8px rgba(0, 0, 0, .18); }
.gut .more:hover .pop, .gut .more:focus .pop, .gut .more:focus-within .pop { display: block; }
.tf-op, .op { display: inline; }
:target, .target { background: var(--target); outline: 1px solid #f0c000; }
[id] { scroll-margin-top: 90px; }
mark.hit { background: var(--hit); padding: 0; }
mark.hit.current { background: #ff9f1c; }
#ir-controls { position: sticky; top: 34px; z-index: 4; background: var(--bg); padding: 6px 0;
               display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px; }
#ir-search { flex: 1 1 16em; min-width: 0; max-width: 420px; padding: 4px 8px; font: inherit; }
#ir-search-count { color: var(--dim); }
svg.chart { max-width: 100%; height: auto; display: block; margin: 6px 0 12px; }
svg.chart text { font: 11px system-ui, sans-serif; fill: var(--fg); }
svg.chart text.tick { fill: var(--dim); font-size: 10px; }
svg.chart text.val { fill: var(--dim); font-size: 10px; }
svg.chart .grid { stroke: #e5e5ea; stroke-width: 1; }
svg.chart .frame { fill: none; stroke: var(--line); }
.bar { display: flex; height: 26px; margin: 8px 0 6px; border: 1px solid var(--line); background: var(--bg); }
.bar > span { flex: 0 1 0; min-width: 3px; overflow: hidden; container-type: inline-size; }
.bar > span b { display: block; padding: 0 5px; font: 600 11px/26px system-ui, sans-serif; color: #fff; white-space: nowrap; }
@container (max-width: 44px) { .bar > span b { display: none; } }
.bar.share { height: 20px; }
.bar.share > span { flex: none; background: var(--warn); }
.bar.share b, .bar.share i { font: 11px/20px system-ui, sans-serif; white-space: nowrap; }
.bar.share i { padding: 0 6px; color: var(--fg); font-style: normal; overflow: hidden; text-overflow: ellipsis; }
svg.chart .roof { fill: none; stroke: var(--warn); stroke-width: 2; }
svg.chart .peak { fill: none; stroke-width: 2; }
svg.chart text.roof-label { font-size: 11px; fill: var(--warn); paint-order: stroke; stroke: var(--bg); stroke-width: 3px; }
dl.card { display: grid; grid-template-columns: fit-content(45%) minmax(0, 1fr); gap: 2px 16px; margin: 8px 0; }
dl.card dd { overflow-wrap: anywhere; }
@media (max-width: 480px) {  /* a phone: less padding, the nav on one line */
  header { padding: 10px 12px; } nav { padding: 6px 12px; gap: 10px; } main { padding: 0 12px 48px; }
  .scroll-hint { display: block; }
}
dl.card dt { color: var(--dim); }
dl.card dd { margin: 0; font-variant-numeric: tabular-nums; }
.legend span { display: inline-block; margin-right: 12px; font-size: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
"""

JS = r"""
(function () {
  "use strict";
  function openAround(el) {
    for (var d = el; d; d = d.parentElement) {
      if (d.tagName === "DETAILS") d.open = true;
    }
  }
  var lastTarget = null;
  function go(id, scroll) {
    if (!id) return;
    var el = document.getElementById(id);
    if (!el) return;
    openAround(el);
    if (lastTarget) lastTarget.classList.remove("target");
    el.classList.add("target");
    lastTarget = el;
    if (scroll) el.scrollIntoView({block: el.tagName === "DETAILS" ? "start" : "center"});
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest('a[href^="#"]') : null;
    if (!a) return;
    var id = decodeURIComponent(a.getAttribute("href").slice(1));
    var el = document.getElementById(id);
    if (!el) return;
    go(id, false);  /* open it before the browser follows the link (and sets :target) */
  });
  window.addEventListener("hashchange", function () { go(decodeURIComponent(location.hash.slice(1)), true); });

  var MAX_MARKS = 2000;
  var root, input, count, state = {query: null, marks: [], at: -1};
  function clearMarks() {
    var parents = new Set();
    var marks = root.querySelectorAll("mark.hit");
    for (var i = 0; i < marks.length; i++) {
      var m = marks[i], p = m.parentNode;
      p.replaceChild(document.createTextNode(m.textContent), m);
      parents.add(p);
    }
    parents.forEach(function (p) { p.normalize(); });
    state.marks = []; state.at = -1;
  }
  function textNodes() {
    var out = [], pres = root.querySelectorAll("pre");
    for (var i = 0; i < pres.length; i++) {
      var w = document.createTreeWalker(pres[i], NodeFilter.SHOW_TEXT, null);
      for (var n = w.nextNode(); n; n = w.nextNode()) {
        var p = n.parentElement;
        if (p && p.closest(".gut")) continue;
        out.push(n);
      }
    }
    return out;
  }
  function search(query) {
    clearMarks();
    state.query = query;
    if (!query) { count.textContent = ""; return; }
    var needle = query.toLowerCase(), total = 0, opened = new Set();
    var nodes = textNodes();
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i], text = node.data, lower = text.toLowerCase();
      var at = lower.indexOf(needle);
      if (at < 0) continue;
      var hits = [];
      while (at >= 0) { hits.push(at); total++; at = lower.indexOf(needle, at + needle.length); }
      if (state.marks.length >= MAX_MARKS) continue;
      var frag = document.createDocumentFragment(), pos = 0;
      for (var h = 0; h < hits.length && state.marks.length < MAX_MARKS; h++) {
        frag.appendChild(document.createTextNode(text.slice(pos, hits[h])));
        var mark = document.createElement("mark");
        mark.className = "hit";
        mark.textContent = text.slice(hits[h], hits[h] + needle.length);
        frag.appendChild(mark);
        state.marks.push(mark);
        pos = hits[h] + needle.length;
      }
      frag.appendChild(document.createTextNode(text.slice(pos)));
      var parent = node.parentNode;
      parent.replaceChild(frag, node);
      for (var d = parent; d && d !== root; d = d.parentElement) {
        if (d.tagName === "DETAILS" && !opened.has(d)) { d.open = true; opened.add(d); }
      }
    }
    count.textContent = total + (total === 1 ? " match" : " matches") +
      (total > state.marks.length ? " (the first " + state.marks.length + " marked)" : "");
    next();
  }
  function next() {
    if (!state.marks.length) return;
    if (state.at >= 0) state.marks[state.at].classList.remove("current");
    state.at = (state.at + 1) % state.marks.length;
    var m = state.marks[state.at];
    m.classList.add("current");
    m.scrollIntoView({block: "center"});
  }
  var timer = null;
  document.addEventListener("DOMContentLoaded", function () {
    root = document.getElementById("ir");
    input = document.getElementById("ir-search");
    count = document.getElementById("ir-search-count");
    if (root && input && count) {
      input.addEventListener("keydown", function (ev) {
        if (ev.key !== "Enter") return;
        ev.preventDefault();
        clearTimeout(timer);
        if (input.value === state.query && state.marks.length) next(); else search(input.value);
      });
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { if (input.value !== state.query) search(input.value); }, 150);
      });
    }
    if (location.hash) go(decodeURIComponent(location.hash.slice(1)), true);
  });
})();
"""


def page(title: str, subtitle: str, sections: list[tuple[str, str, str]]) -> str:
    """The document: `sections` are (id, heading, inner HTML), each a `<section id>` with an `<h2>`."""
    nav = "".join(f'<a href="#{sid}">{escape(head)}</a>' for sid, head, _ in sections)
    body = "".join(f'<section id="{sid}"><h2>{escape(head)}</h2>{inner}</section>' for sid, head, inner in sections)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style><script>{JS}</script></head>"
        f"<body><header><h1>{escape(title)}</h1><div class=\"dim\">{escape(subtitle)}</div></header>"
        f"<nav>{nav}</nav><main>{body}</main></body></html>\n"
    )
