"""`ck report`'s HTML in a real browser: headless Chromium (Debian's `chromium`) driven by Playwright.

Each report is opened from file:// as a reader opens it. Checked: no console error, no page error
and no request for anything but file:// (the report is one self-contained file); every section
present with a heading and content; the IR search marks, opens and counts the hits of an op, on
typing and on Enter; a transformer op's link lands on the C function its first kernel became and
back, and every link between the two views has a target; the rendered page is not blank. Three
reports: an inference build, the same with a profile, and a training run.

It needs `chromium` on PATH and playwright (the test extra). Outside CI it skips without them;
under CI (CI=true) it fails instead: .ci/run installs both.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ck.testing import ModelSpec, write_gguf

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SECTIONS = ("model", "pipeline", "ir", "memory", "kernels")
VIEWPORT = {"width": 1280, "height": 800}


def _missing(what: str) -> None:
    message = f"{what}: the browser test of ck report's HTML needs it (.ci/run installs it)"
    if CI:
        pytest.fail(f"{message}; under CI it must run, not skip", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None:
        _missing("playwright is not installed (pip install -e '.[test]')")
    executable = shutil.which("chromium")
    if executable is None:
        _missing("chromium is not on PATH (apt-get install chromium)")
    with sync_playwright() as pw:
        # root (CI) needs --no-sandbox; Playwright passes it already unless chromium_sandbox=True
        chromium = pw.chromium.launch(executable_path=executable, args=["--no-sandbox", "--headless=new"])
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {**os.environ, "CK_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}


def _ck(env: dict[str, str], *args: str) -> None:
    proc = subprocess.run(["ck", *args], capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, f"ck {' '.join(args)}: {proc.stderr}"


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("model") / "tiny.gguf"
    write_gguf(path, ModelSpec(vocab=256, dim=64, layers=2, ffn=128, heads=4, kv_heads=2))
    return path


@pytest.fixture(scope="module")
def inference_report(model: Path, env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    html = tmp_path_factory.mktemp("report") / "report.html"
    _ck(env, "report", str(model), "-o", str(html))
    return html


@pytest.fixture(scope="module")
def profile_report(model: Path, env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("profile")
    _ck(env, "profile", str(model), "-p", "8", "-n", "4", "-r", "1", "-t", "1", "-o", str(out))
    _ck(env, "report", str(model), "--profile", str(out / "profile.json"), "-o", str(out / "report.html"))
    return out / "report.html"


@pytest.fixture(scope="module")
def training_report(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    import ck

    html = tmp_path_factory.mktemp("train-report") / "report.html"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CK_CACHE_DIR", env["CK_CACHE_DIR"])
        tiny = ck.models.qwen3_tiny(vocab=256, dim=64, layers=2, hidden=128, heads=4, kv_heads=2, context_len=64)
        run = ck.compile(tiny, mode="train", batch=2, seq=16)
        rng = np.random.default_rng(0)
        for _ in range(4):
            tokens = rng.integers(0, tiny.vocab, (2, 16))
            run.step(tokens, np.roll(tokens, -1, axis=1), lr=3e-3)
        run.report(html)
    return html


# each report: its fixture, the sections it must have and those it must not
REPORTS = {"inference": ("inference_report", SECTIONS, ("profile", "training")),
           "profile": ("profile_report", (*SECTIONS, "profile"), ("training",)),
           "training": ("training_report", (*SECTIONS, "training"), ("profile",))}


@dataclass
class Opened:
    """A report open in a fresh browser context, with everything that went wrong while it was."""

    page: Any
    present: tuple[str, ...]
    absent: tuple[str, ...]
    problems: list[str] = field(default_factory=list)


@pytest.fixture(params=list(REPORTS))
def report(request: pytest.FixtureRequest, browser: Any) -> Iterator[Opened]:
    fixture, present, absent = REPORTS[request.param]
    html = request.getfixturevalue(fixture)
    assert html.is_file()
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    opened = Opened(context.new_page(), present, absent)
    problems = opened.problems

    def on_console(msg: Any) -> None:
        if msg.type == "error":
            loc = msg.location
            problems.append(f"console error: {msg.text} ({loc.get('url', '')}:{loc.get('lineNumber', '')})")

    def on_request(req: Any) -> None:
        if not req.url.startswith(("file:", "data:", "blob:", "about:")):
            problems.append(f"request for {req.url} (the report must not load anything)")

    opened.page.on("console", on_console)
    opened.page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.page.on("request", on_request)
    opened.page.on("requestfailed", lambda req: problems.append(f"failed request: {req.url}"))
    opened.page.goto(html.as_uri(), wait_until="load")
    yield opened
    context.close()


def _section_content(page: Any, name: str) -> dict[str, Any] | None:
    """The section's heading and what it shows besides it: rendered text, or graphics that take space."""
    return page.evaluate(
        """id => {
            const s = document.querySelector(`section#${id}`);
            if (!s) return null;
            const h2 = s.querySelector(':scope > h2');
            const heading = h2 ? h2.innerText.trim() : '';  // innerText: rendered text only
            return {count: document.querySelectorAll(`section#${id}`).length,
                    heading: heading || null,
                    text: s.innerText.trim().replace(heading, '').trim().length,
                    graphics: [...s.querySelectorAll('svg, canvas, img')]
                        .filter(g => g.getBoundingClientRect().height > 0).length};
        }""", name)


def _check_sections(page: Any, present: tuple[str, ...], absent: tuple[str, ...]) -> None:
    for name in present:
        content = _section_content(page, name)
        assert content is not None, f"no <section id={name!r}>"
        assert content["count"] == 1, f"{content['count']} sections with id {name!r}"
        assert content["heading"], f"section {name!r} has no <h2> with text"
        assert content["text"] > 0 or content["graphics"] > 0, f"section {name!r} shows nothing but its heading"
    for name in absent:
        assert _section_content(page, name) is None, f"section {name!r} where there should be none"


def test_loads_without_errors_or_requests(report: Opened) -> None:
    report.page.wait_for_timeout(200)  # let scripts run after load
    assert report.problems == []


def test_every_section_present_and_not_empty(report: Opened) -> None:
    _check_sections(report.page, report.present, report.absent)
    assert report.problems == []


def _search_count(page: Any) -> int:
    try:  # the `input` event searches after a short pause
        page.wait_for_function(r"() => /^\s*\d+\D/.test(document.getElementById('ir-search-count').textContent)",
                               timeout=5000)
    except Exception:
        pass
    text = page.locator("#ir-search-count").text_content() or ""
    match = re.match(r"\s*(\d+)\D", text)
    assert match, f"#ir-search-count says {text!r}, not a number followed by text"
    return int(match.group(1))


def _check_hits(page: Any, query: str) -> int:
    count = _search_count(page)
    hits = page.locator("mark.hit")
    assert count > 0, f"the IR search found no {query}"
    assert hits.count() > 0, f"#ir-search-count says {count} but no <mark class=hit> is on the page"
    texts = {t.lower() for t in hits.all_text_contents()}
    assert texts == {query.lower()}, f"the marks hold {sorted(texts)}, not {query!r}"
    first = hits.first
    assert first.evaluate("m => { for (let d = m.closest('details'); d; d = d.parentElement.closest('details'))"
                          " if (!d.open) return false; return true; }"), "a hit stays inside a closed <details>"
    assert first.is_visible(), "the first hit is not visible"
    return count


def test_ir_search_marks_and_counts_an_op(report: Opened) -> None:
    page = report.page
    box = page.locator("#ir-search")
    box.fill("transformer.rmsnorm")  # typing fires `input`
    rmsnorm = _check_hits(page, "transformer.rmsnorm")
    # Enter alone: set the value without firing `input`, then press Enter
    box.evaluate("(e, q) => { e.value = q; }", "transformer.attention")
    box.press("Enter")
    attention = _check_hits(page, "transformer.attention")
    # the tiny model has 2 layers: one attention each, a norm before attention and the MLP each, and the final norm
    assert rmsnorm >= 5 and attention >= 2, (rmsnorm, attention)
    assert report.problems == []


def _reveal(element: Any) -> None:
    """Open the closed <details> around `element` by clicking their summaries, outermost first, as a reader would."""
    while not element.is_visible():
        summary = element.locator("xpath=ancestor::details[not(@open)][last()]/summary")
        assert summary.count() == 1, "the element is hidden, and not by a closed <details>"
        summary.click()


def _follow(page: Any, link: Any) -> Any:
    """Click `link` (an in-page #id link) and return its target, once the page shows it."""
    href = link.get_attribute("href") or ""
    _reveal(link)
    link.click()
    page.wait_for_function("h => location.hash === h", arg=href, timeout=5000)
    target = page.locator(f'[id="{href[1:]}"]')
    assert target.count() == 1, f"{target.count()} elements with id {href[1:]!r}"
    # in the viewport, its top not under the sticky bars: what is drawn at its top left is the target
    shown = ("id => { const e = document.getElementById(id), r = e.getBoundingClientRect();"
             " if (r.height <= 0 || r.top < 0 || r.top >= window.innerHeight) return false;"
             " const at = document.elementFromPoint(r.left + 4, r.top + 4); return !!at && e.contains(at); }")
    try:  # a smooth scroll takes a moment
        page.wait_for_function(shown, arg=href[1:], timeout=3000)
    except Exception:
        pass
    box = target.bounding_box()
    assert page.evaluate(shown, href[1:]), (
        f"after following {href}, its target is not in view at the top of the window ({box}, viewport {VIEWPORT})")
    return target


def test_transformer_op_links_to_its_c_function_and_back(report: Opened) -> None:
    page = report.page
    assert page.locator(".tf-op a.to-c").count() > 0, "no transformer op links to C (.tf-op a.to-c)"
    op = page.locator(".tf-op", has_text=" = transformer.rmsnorm ").first
    op_id = op.get_attribute("id") or ""
    assert re.fullmatch(r"tf-[\w.$-]+-\d+", op_id), f"transformer op id {op_id!r} is not tf-<func>-<N>"
    link = op.locator("a.to-c")
    assert link.count() == 1, f"{op_id} (a transformer.rmsnorm) has {link.count()} links to C"
    href = link.get_attribute("href") or ""
    assert re.fullmatch(r"#c-\w+", href), f"the link's href is {href!r}, not #c-<c_name>"
    c_name = href.removeprefix("#c-")
    assert "rmsnorm" in c_name, f"transformer.rmsnorm links to the C function {c_name}"
    target = _follow(page, link)
    assert re.search(rf"\b{c_name}\s*\(", target.text_content() or ""), f"{href} does not show the C function {c_name}"
    back = target.locator(f'a.to-tf[href="#{op_id}"]')
    assert back.count() > 0, f"{href} has no link back to {op_id} (a.to-tf)"
    assert _follow(page, back.first).get_attribute("id") == op_id
    assert report.problems == []


def test_links_between_transformer_ops_and_c_have_targets(report: Opened) -> None:
    found = report.page.evaluate(
        """() => {
            const dead = [], counts = {};
            for (const [cls, prefix] of [['to-c', 'c-'], ['to-tf', 'tf-']]) {
                const links = [...document.querySelectorAll(`a.${cls}`)];
                counts[cls] = links.length;
                for (const a of links) {
                    const h = a.getAttribute('href') || '';
                    if (!h.startsWith('#' + prefix) || !document.getElementById(h.slice(1))) dead.push(`${cls} ${h}`);
                }
            }
            return {dead, counts};
        }""")
    assert found["counts"]["to-c"] > 0 and found["counts"]["to-tf"] > 0, found["counts"]
    assert found["dead"] == [], f"links without a target: {found['dead'][:10]}"
    assert report.problems == []


def _layout(page: Any) -> dict[str, Any]:
    """What overflows sideways, whether the search box's placeholder fits, and where each IR line's code starts."""
    return page.evaluate(
        """() => {
            const doc = document.documentElement, box = document.getElementById('ir-search');
            const kernels = document.querySelector('table.kernels');
            const style = getComputedStyle(box), ctx = document.createElement('canvas').getContext('2d');
            ctx.font = `${style.fontSize} ${style.fontFamily}`;
            const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            const ragged = [];  // IR blocks whose gutters end at more than one x: their code does not line up
            for (const pre of document.querySelectorAll('#ir pre.gut-on')) {
                const ends = new Set([...pre.querySelectorAll(':scope > .gut, :scope > span > .gut')]
                    .map(g => Math.round(g.getBoundingClientRect().right)));
                const name = pre.closest('details').querySelector('code').textContent;
                if (ends.size > 1) ragged.push(`${name}: ${[...ends]}`);
            }
            return {page: [doc.scrollWidth, doc.clientWidth],
                    kernels: kernels ? [kernels.parentElement.scrollWidth, kernels.parentElement.clientWidth] : null,
                    placeholder: [Math.ceil(ctx.measureText(box.placeholder).width), Math.floor(room)], ragged};
        }""")


def test_layout_fits_the_page(report: Opened) -> None:
    page = report.page
    page.evaluate("document.querySelectorAll('#ir details').forEach(d => { d.open = true; })")
    wide = _layout(page)
    assert wide["ragged"] == [], f"code lines that do not start in one column (gutter ends): {wide['ragged'][:5]}"
    assert wide["page"][0] <= wide["page"][1], f"the page is wider than the window: {wide['page']}"
    assert wide["kernels"] and wide["kernels"][0] <= wide["kernels"][1], f"the kernel table does not fit: {wide}"
    page.set_viewport_size({"width": 360, "height": 800})  # a phone
    narrow = _layout(page)
    assert narrow["page"][0] <= narrow["page"][1], f"the page is wider than a 360 px window: {narrow['page']}"
    assert narrow["placeholder"][0] <= narrow["placeholder"][1], f"the search placeholder is cut off: {narrow}"
    assert report.problems == []


def _png_pixels(png: bytes) -> np.ndarray:
    """The pixels of an 8-bit, non-interlaced RGB(A) or grey PNG (what Chromium writes), as [h, w, channels]."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(png):
        (length,), kind = struct.unpack(">I", png[pos:pos + 4]), png[pos + 4:pos + 8]
        data = png[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", data)
        elif kind == b"IDAT":
            idat.append(data)
    assert header is not None, "PNG without IHDR"
    width, height, depth, color, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(color)
    assert depth == 8 and channels and not interlace, f"unexpected PNG format {header}"
    stride = width * channels
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8).reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        kind, row = raw[y, 0], raw[y, 1:]
        if kind == 0:
            cur = row.copy()
        elif kind == 1:  # Sub: a running sum per channel
            cur = (np.cumsum(row.reshape(width, channels), axis=0, dtype=np.uint64) % 256).astype(np.uint8).ravel()
        elif kind == 2:  # Up
            cur = row + prev
        else:  # Average, Paeth: sequential along the row
            cur_l, up, filt = [0] * stride, prev.tolist(), row.tolist()
            for i in range(stride):
                left = cur_l[i - channels] if i >= channels else 0
                if kind == 3:
                    cur_l[i] = (filt[i] + ((left + up[i]) >> 1)) & 255
                else:
                    upleft = up[i - channels] if i >= channels else 0
                    p = left + up[i] - upleft
                    pa, pb, pc = abs(p - left), abs(p - up[i]), abs(p - upleft)
                    pred = left if pa <= pb and pa <= pc else up[i] if pb <= pc else upleft
                    cur_l[i] = (filt[i] + pred) & 255
            cur = np.array(cur_l, dtype=np.uint8)
        out[y] = cur
        prev = cur
    return out.reshape(height, width, channels)


def _check_not_blank(png: bytes) -> None:
    pixels = _png_pixels(png)[..., :3].astype(np.int32)
    assert pixels.shape[:2] == (VIEWPORT["height"], VIEWPORT["width"]), pixels.shape
    colours = pixels.reshape(-1, 3)
    values, counts = np.unique(colours[:, 0] * 65536 + colours[:, 1] * 256 + colours[:, 2], return_counts=True)
    background_share = counts.max() / counts.sum()
    std = float(pixels.std())
    assert std > 5, f"the screenshot is blank (pixel std {std:.2f})"
    assert len(values) > 16, f"the screenshot has only {len(values)} colours"
    assert background_share < 0.99, f"{background_share:.1%} of the screenshot is one colour"


def test_screenshot_is_not_blank(report: Opened, tmp_path: Path) -> None:
    png = report.page.screenshot()
    (tmp_path / "report.png").write_bytes(png)  # kept with pytest's temporary files for a look
    _check_not_blank(png)
    assert report.problems == []


def test_png_decoder_reads_every_filter() -> None:
    """The decoder above against rows written with each PNG filter by hand."""
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, size=(5, 7, 3), dtype=np.uint8)
    rows = []
    prev = np.zeros(21, dtype=np.int32)
    for y, kind in enumerate((0, 1, 2, 3, 4)):
        cur = image[y].astype(np.int32).ravel()
        left = np.concatenate([np.zeros(3, np.int32), cur[:-3]])
        upleft = np.concatenate([np.zeros(3, np.int32), prev[:-3]])
        if kind == 0:
            pred = np.zeros_like(cur)
        elif kind == 1:
            pred = left
        elif kind == 2:
            pred = prev
        elif kind == 3:
            pred = (left + prev) // 2
        else:
            p = left + prev - upleft
            pa, pb, pc = abs(p - left), abs(p - prev), abs(p - upleft)
            pred = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, prev, upleft))
        rows.append(bytes([kind]) + ((cur - pred) % 256).astype(np.uint8).tobytes())
        prev = cur

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 7, 5, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))
    assert np.array_equal(_png_pixels(png), image)
