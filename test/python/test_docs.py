"""The repository explains itself: nothing in it points at a file outside it, and every link
between its documents lands on a file that exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEXT_SUFFIXES = {".py", ".md", ".mlir", ".toml", ".c", ".h", ".ll", ".cfg", ".json", ".sh", ""}
SKIPPED_DIRS = {".git", "__pycache__", "Output", "ck.egg-info", "build", ".pytest_cache"}
# Notes kept beside the repository by its authors, and absolute paths of one machine (spelled
# in pieces so that this file does not match itself).
OUTSIDE = [re.compile(p) for p in (r"ARCHITECTURE" r"\.md", r"cpu-" r"kernels\.md", r"xdsl-" r"primer",
                                   r"gguf-" r"conventions", r"\.\./" r"shared", r"/work" r"/")]


def _repository_text_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*"):
        if any(part in SKIPPED_DIRS for part in path.relative_to(ROOT).parts) or not path.is_file():
            continue
        if path.suffix in TEXT_SUFFIXES and path.stat().st_size < 2_000_000:
            files.append(path)
    return files


def test_nothing_refers_to_files_outside_the_repository() -> None:
    hits = []
    for path in _repository_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if any(p.search(line) for p in OUTSIDE):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert not hits, "\n".join(hits)


def test_docs_are_there_and_their_links_land() -> None:
    docs = ROOT / "docs"
    for name in ("architecture.md", "contributing.md", "kernels.md", "gguf.md", "testing.md",
                 "dialects.md", "passes.md"):
        assert (docs / name).is_file(), f"docs/{name} is missing"
    broken = []
    for page in [*docs.glob("*.md"), ROOT / "README.md"]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken, "\n".join(broken)


def test_every_docs_page_named_in_the_repository_exists() -> None:
    missing = set()
    for path in _repository_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for name in re.findall(r"\bdocs/([\w-]+\.md)\b", text):
            if not (ROOT / "docs" / name).is_file():
                missing.add(f"{path.relative_to(ROOT)} names docs/{name}")
    assert not missing, "\n".join(sorted(missing))
