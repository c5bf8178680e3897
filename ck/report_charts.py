"""SVG charts for `ck report`, written as strings: no plotting library, nothing fetched.

Each function returns one `<svg>` element (inline in the report's HTML) whose marks carry
a `<title>`, so hovering shows the exact value. Sizes are in CSS pixels; the SVGs scale down
with the page (`viewBox`, `max-width: 100%`). `parts` and `share` are one-line bars made of
HTML boxes instead, so that they fill the width of a narrow page and keep their text readable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _n(x: float) -> str:
    """A coordinate, short."""
    return f"{x:.1f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def human(value: float, unit: str = "") -> str:
    """1234567 -> '1.23M' (bytes: 'B' unit uses binary KiB/MiB/GiB)."""
    if unit == "B":
        for suffix, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
            if abs(value) >= scale:
                return f"{value / scale:.3g} {suffix}"
        return f"{value:.0f} B"
    for suffix, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(value) >= scale:
            return f"{value / scale:.3g}{suffix}{unit}"
    if value and abs(value) < 0.01:
        return f"{value:.2e}{unit}"
    return f"{value:.3g}{unit}"


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About `count` round tick values covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(count, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, t = [], start
    while t <= hi + step * 1e-9:
        if t >= lo - step * 1e-9:
            ticks.append(round(t, 12))
        t += step
    return ticks


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}">'
            + "".join(body) + "</svg>")


def _text(x: float, y: float, s: str, cls: str = "", anchor: str = "start", extra: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{c}{extra}>{escape(s)}</text>'


def hbars(items: Sequence[tuple[str, float]], unit: str = "", label: str = "", width: int = 760,
          log: bool = False, colors: Sequence[str] | None = None) -> str:
    """Horizontal bars, one per (label, value), in the given order; `log`: a log10 scale."""
    if not items:
        return ""
    row, left, right, top = 18, 260, 90, 6
    height = top * 2 + row * len(items)
    plot = width - left - right
    values = [max(v, 0.0) for _, v in items]
    if log:
        positive = [v for v in values if v > 0] or [1.0]
        lo = 10 ** math.floor(math.log10(min(positive)))
        hi = max(positive)
        span = math.log10(hi / lo) or 1.0
        scale = [plot * (math.log10(v / lo) / span if v > 0 else 0) for v in values]
    else:
        top_v = max(values) or 1.0
        scale = [plot * v / top_v for v in values]
    body = []
    for i, ((name, v), w) in enumerate(zip(items, scale, strict=True)):
        y = top + i * row
        fill = colors[i] if colors else color(0)
        short = name if len(name) <= 40 else name[:19] + "…" + name[-20:]
        body.append(_text(left - 6, y + 13, short, "lbl", "end"))
        body.append(f'<rect x="{left}" y="{y + 2}" width="{_n(max(w, 1))}" height="{row - 4}" fill="{fill}">'
                    f"<title>{escape(name)}: {escape(human(v, unit))}</title></rect>")
        body.append(_text(left + max(w, 1) + 4, y + 13, human(v, unit), "val"))
    return _svg(width, height, body, label)


def columns(categories: Sequence[str], series: dict[str, Sequence[float]], unit: str = "", label: str = "",
            width: int = 760, height: int = 260) -> str:
    """Vertical stacked columns: one per category, one colored segment per series."""
    if not categories or not series:
        return ""
    left, right, bottom = 64, 10, 40
    rows, x = [[]], left  # the legend, wrapped into rows of the chart's width
    for j, name in enumerate(series):
        w = 24 + 7 * len(name)
        if x + w > width - right and rows[-1]:
            rows.append([])
            x = left
        rows[-1].append((j, name, x))
        x += w
    top = 8 + 16 * len(rows)
    height += 16 * (len(rows) - 1)
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(vals[i] for vals in series.values()) for i in range(len(categories))]
    hi = max(totals) or 1.0
    ticks = nice_ticks(0, hi)
    if ticks[-1] < hi and len(ticks) > 1:  # a tick above the tallest column
        ticks.append(round(ticks[-1] + ticks[1] - ticks[0], 12))
    hi = max(ticks[-1], hi)
    step = plot_w / len(categories)
    bar = max(step * 0.75, 1.0)
    body = []
    for t in ticks:
        y = top + plot_h - plot_h * t / hi
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{_n(y)}" y2="{_n(y)}" class="grid"/>')
        body.append(_text(left - 4, y + 4, human(t, unit), "tick", "end"))
    every = max(1, math.ceil(len(categories) / 40))
    for i, cat in enumerate(categories):
        x = left + i * step + (step - bar) / 2
        base = top + plot_h
        for j, (name, vals) in enumerate(series.items()):
            h = plot_h * vals[i] / hi
            if h <= 0:
                continue
            base -= h
            body.append(f'<rect x="{_n(x)}" y="{_n(base)}" width="{_n(bar)}" height="{_n(h)}" fill="{color(j)}">'
                        f"<title>{escape(cat)} {escape(name)}: {escape(human(vals[i], unit))}</title></rect>")
        if i % every == 0:
            body.append(_text(x + bar / 2, top + plot_h + 14, cat, "tick", "middle"))
    for r, row in enumerate(rows):
        for j, name, x in row:
            body.append(f'<rect x="{_n(x)}" y="{6 + 16 * r}" width="10" height="10" fill="{color(j)}"/>')
            body.append(_text(x + 14, 15 + 16 * r, name, "tick"))
    return _svg(width, height, body, label)


def line(points: Sequence[tuple[float, float]], xlabel: str, ylabel: str, label: str = "",
         width: int = 760, height: int = 280) -> str:
    """A polyline over (x, y) points with axes and ticks (a dot per point when few)."""
    if not points:
        return ""
    left, right, top, bottom = 64, 16, 14, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    xt, yt = nice_ticks(min(xs), max(xs)), nice_ticks(min(ys), max(ys))
    x0, x1 = min(xt[0], min(xs)), max(xt[-1], max(xs))
    y0, y1 = min(yt[0], min(ys)), max(yt[-1], max(ys))
    fx = lambda x: left + plot_w * (x - x0) / ((x1 - x0) or 1)
    fy = lambda y: top + plot_h - plot_h * (y - y0) / ((y1 - y0) or 1)
    body = []
    for t in yt:
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{_n(fy(t))}" y2="{_n(fy(t))}" class="grid"/>')
        body.append(_text(left - 4, fy(t) + 4, human(t), "tick", "end"))
    for t in xt:
        body.append(_text(fx(t), top + plot_h + 14, human(t), "tick", "middle"))
    body.append(_text(left + plot_w / 2, height - 6, xlabel, "axis", "middle"))
    body.append(_text(12, top + plot_h / 2, ylabel, "axis", "middle",
                      f' transform="rotate(-90 12 {_n(top + plot_h / 2)})"'))
    path = " ".join(f"{_n(fx(x))},{_n(fy(y))}" for x, y in points)
    body.append(f'<polyline points="{path}" fill="none" stroke="{color(0)}" stroke-width="1.5"/>')
    if len(points) <= 200:
        for x, y in points:
            body.append(f'<circle cx="{_n(fx(x))}" cy="{_n(fy(y))}" r="2.5" fill="{color(0)}">'
                        f"<title>{escape(xlabel)} {human(x)}: {escape(ylabel)} {y:.5g}</title></circle>")
    return _svg(width, height, body, label)


def _log_ticks(lo: float, hi: float) -> list[float]:
    return [10.0 ** e for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)]


PEAK_COLORS = {"f32": PALETTE[0], "int8": PALETTE[1], "bf16": PALETTE[2]}


def roofline(points: Sequence[tuple[str, float, float, str]], read_gbps: float, peaks: dict[str, float],
             label: str = "roofline", width: int = 760, height: int = 400) -> str:
    """Log-log: arithmetic intensity (flop/byte) on x, GFLOP/s (GOP/s for int8) on y. The
    slanted roof is `read_gbps` (the measured DRAM read bandwidth), a flat roof per kind of
    arithmetic in `peaks` ("f32", "int8", "bf16" -> GFLOP/s), each labeled; a dot per (name,
    intensity, gflops, kind), colored by the kind of peak that bounds it."""
    pts = [(n, ai, g, k) for n, ai, g, k in points if ai > 0 and g > 0]
    peaks = {k: v for k, v in peaks.items() if v and v > 0}
    if not pts and not (read_gbps > 0 and peaks):
        return ""
    left, right, top, bottom = 70, 16, 14, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    ridges = [p / read_gbps for p in peaks.values()] if read_gbps > 0 else []
    ais = [p[1] for p in pts] + ([min(ridges) / 100, max(ridges) * 3] if ridges else [])
    gfs = [p[2] for p in pts] + list(peaks.values())
    xt, yt = _log_ticks(min(ais or [1.0]), max(ais or [1.0])), _log_ticks(min(gfs or [1.0]), max(gfs or [1.0]))
    lx0, lx1 = math.log10(xt[0]), math.log10(xt[-1])
    ly0, ly1 = math.log10(yt[0]), math.log10(yt[-1])
    fx = lambda x: left + plot_w * (math.log10(x) - lx0) / ((lx1 - lx0) or 1)
    fy = lambda y: top + plot_h - plot_h * (math.log10(y) - ly0) / ((ly1 - ly0) or 1)
    body = []
    for t in yt:
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{_n(fy(t))}" y2="{_n(fy(t))}" class="grid"/>')
        body.append(_text(left - 4, fy(t) + 4, f"{t:g}", "tick", "end"))
    for t in xt:
        body.append(f'<line x1="{_n(fx(t))}" x2="{_n(fx(t))}" y1="{top}" y2="{top + plot_h}" class="grid"/>')
        body.append(_text(fx(t), top + plot_h + 14, f"{t:g}", "tick", "middle"))
    body.append(_text(left + plot_w / 2, height - 6, "arithmetic intensity (flop per byte moved)", "axis", "middle"))
    body.append(_text(12, top + plot_h / 2, "GFLOP/s (int8: GOP/s)", "axis", "middle",
                      f' transform="rotate(-90 12 {_n(top + plot_h / 2)})"'))
    if read_gbps > 0:
        # the bandwidth roof, from the bottom of the plot (or its left edge) up to the highest peak
        x_a = max(xt[0], yt[0] / read_gbps)
        x_b = min(xt[-1], (max(peaks.values()) if peaks else yt[-1]) / read_gbps)
        if x_b > x_a:
            body.append(f'<line class="roof" x1="{_n(fx(x_a))}" y1="{_n(fy(x_a * read_gbps))}" x2="{_n(fx(x_b))}" '
                        f'y2="{_n(fy(x_b * read_gbps))}"><title>DRAM read bandwidth, measured: {read_gbps:.3g} GB/s'
                        "</title></line>")
            # its label, along the line, a third of the way up
            x_l = 10 ** (math.log10(x_a) + (math.log10(x_b) - math.log10(x_a)) / 3)
            px, py = fx(x_l), fy(x_l * read_gbps)
            angle = math.degrees(math.atan2(fy(x_b * read_gbps) - fy(x_a * read_gbps), fx(x_b) - fx(x_a)))
            body.append(_text(px, py - 6, f"DRAM read bandwidth, measured: {read_gbps:.3g} GB/s", "roof-label",
                              "middle", f' transform="rotate({angle:.1f} {_n(px)} {_n(py - 6)})"'))
    for kind, peak in sorted(peaks.items(), key=lambda kv: -kv[1]):
        x_r = max(peak / read_gbps, xt[0]) if read_gbps > 0 else xt[0]
        unit = "GOP/s" if kind == "int8" else "GFLOP/s"
        col = PEAK_COLORS.get(kind, PALETTE[3])
        body.append(f'<polyline class="peak" stroke="{col}" points="{_n(fx(x_r))},{_n(fy(peak))} '
                    f'{_n(width - right)},{_n(fy(peak))}"><title>{kind} peak: {peak:.4g} {unit}</title></polyline>')
        body.append(_text(width - right - 4, fy(peak) - 4, f"{kind} peak {peak:.4g} {unit}", "roof-label", "end",
                          f' style="fill:{col}"'))
    for name, ai, g, kind in pts:
        col = PEAK_COLORS.get(kind, PALETTE[3])
        body.append(f'<circle cx="{_n(fx(ai))}" cy="{_n(fy(g))}" r="3.5" fill="{col}" fill-opacity="0.8">'
                    f"<title>{escape(name)} ({escape(kind)}): {ai:.3g} flop/byte, {g:.3g} "
                    f"{'GOP/s' if kind == 'int8' else 'GFLOP/s'}</title></circle>")
    return _svg(width, height, body, label)


def live_ranges(buffers: Sequence[dict[str, object]], ops: int, arena: int, label: str,
                width: int = 760, height: int = 300) -> str:
    """Arena slots over op index: a rectangle per buffer from its first to its last op
    (x) at its offset, as tall as its size (y, bytes)."""
    if not buffers or arena <= 0:
        return ""
    left, right, top, bottom = 70, 10, 10, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    ops = max(ops, 1)
    fx = lambda x: left + plot_w * x / ops
    fy = lambda y: top + plot_h * y / arena
    body = []
    for t in nice_ticks(0, arena, 4):
        if t <= arena:
            body.append(f'<line x1="{left}" x2="{width - right}" y1="{_n(fy(t))}" y2="{_n(fy(t))}" class="grid"/>')
            body.append(_text(left - 4, fy(t) + 4, human(t, "B"), "tick", "end"))
    for t in nice_ticks(0, ops, 8):
        if t <= ops:
            body.append(_text(fx(t), top + plot_h + 14, f"{t:g}", "tick", "middle"))
    body.append(_text(left + plot_w / 2, height - 4, "op index in the entry function", "axis", "middle"))
    body.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" class="frame"/>')
    for i, b in enumerate(buffers):
        first, last = b["live"]  # type: ignore[misc]
        x, w = fx(first), max(fx(last + 1) - fx(first), 1.0)  # type: ignore[operator]
        y, h = fy(b["offset"]), max(fy(b["offset"] + b["size"]) - fy(b["offset"]), 1.0)  # type: ignore[operator]
        body.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{color(i)}" '
                    f'fill-opacity="0.75" stroke="#333" stroke-width="0.3"><title>{escape(str(b["name"]))}: '
                    f'{b["size"]} bytes at {b["offset"]}, live ops {first}..{last}</title></rect>')
    return _svg(width, height, body, label)


def parts(items: Sequence[tuple[str, float, str]], label: str, unit: str = "B") -> str:
    """One bar of a whole split into its parts, (name, value, color) left to right, each as
    wide as its share, but at least 3 px (the others shrink to make room); a part wide enough
    shows its share inside. HTML, not SVG: the bar fills the page's width at any size and its
    text keeps its size (see `.bar` in report_page)."""
    total = sum(max(v, 0.0) for _, v, _ in items)
    if total <= 0:
        return ""
    segs = []
    for name, v, fill in items:
        if v <= 0:
            continue
        pct = 100 * v / total
        share = f"{pct:.3g}%"
        segs.append(f'<span style="flex-grow:{v / total:.6g};background:{fill}" '
                    f'title="{escape(name)}: {escape(human(v, unit))}, {share} of the whole"><b>{share}</b></span>')
    return f'<div class="bar" role="img" aria-label="{escape(label)}">{"".join(segs)}</div>'


def share(part: float, whole: float, text: str, label: str) -> str:
    """A bar of `whole` with `part` filled from the left, at least 3 px wide so that a tiny
    share still shows, and `text` (which should say the share) beside the filled part. HTML."""
    if whole <= 0:
        return ""
    pct = 100 * min(max(part, 0.0), whole) / whole
    inside = pct > 60
    label = f"<b>{escape(text)}</b>" if inside else ""
    fill = f'<span style="width:max(3px,{pct:.6g}%)" title="{escape(text)}">{label}</span>'
    after = "" if inside else f"<i>{escape(text)}</i>"
    return f'<div class="bar share" role="img" aria-label="{escape(label)}">{fill}{after}</div>'


def strip(segments: Sequence[tuple[str, int, int, str]], total: int, label: str, width: int = 760,
          height: int = 34) -> str:
    """A horizontal strip of [offset, offset + size) segments over `total` bytes:
    (name, offset, size, color)."""
    if total <= 0:
        return ""
    body = [f'<rect x="0" y="0" width="{width}" height="{height}" class="frame"/>']
    for name, offset, size, fill in segments:
        x, w = width * offset / total, max(width * size / total, 0.5)
        body.append(f'<rect x="{_n(x)}" y="1" width="{_n(w)}" height="{height - 2}" fill="{fill}">'
                    f"<title>{escape(name)}: {size} bytes at {offset}</title></rect>")
    return _svg(width, height, body, label)
