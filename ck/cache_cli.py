"""`ck cache list` and `ck cache clear`: what the build cache holds, and removing it."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from ck.errors import CkError

DESCRIPTION = """\
The build cache ($CK_CACHE_DIR, default ~/.cache/ck) holds one directory per build, named by
its key (a digest of the GGUF file, the compile options, the C compiler and ck's sources;
training builds start with train-), and weights/, the weight blobs that builds with the same
weight placement share by hard links. Every load checks its build first (sizes, digests, the
record's own seal) and rebuilds a damaged one.
"""

LIST_HELP = "one line per build: key, model, size on disk, options, last used (oldest first)"
CLEAR_HELP = """\
remove builds: the KEYs given (a unique prefix is enough), every build with --all, or, with
neither, only what is not a usable build (unfinished or damaged directories, leftover
temporary files); then the weight blobs no remaining build links to. A build being built
right now is left alone."""


def add_cache_parser(sub: Any) -> None:
    p = sub.add_parser("cache", help="list or clear the build cache", description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    lst = actions.add_parser("list", help=LIST_HELP, description=DESCRIPTION + "\n" + LIST_HELP + ".",
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    lst.set_defaults(func=cmd_cache_list)
    clear = actions.add_parser("clear", help="remove builds and unused weight blobs",
                               description=DESCRIPTION + "\n" + CLEAR_HELP,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    clear.add_argument("keys", nargs="*", metavar="KEY", help="builds to remove (as `ck cache list` shows them)")
    clear.add_argument("--all", action="store_true", help="remove every build, every blob and the digest index")
    clear.set_defaults(func=cmd_cache_clear)


def _entries(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir()
                  if p.is_dir() and p.name not in ("weights", "weights-digests", "locks"))


def _record(entry: Path) -> dict[str, Any] | None:
    for name in ("build.json", "train.json"):
        try:
            record = json.loads((entry / name).read_text())
        except (OSError, ValueError):
            continue
        if isinstance(record, dict):
            return record
    return None


def _size(entry: Path) -> tuple[int, int]:
    """(bytes of its own files, bytes of the weight blob it shares with other builds)."""
    own = shared = 0
    for f in entry.iterdir():
        try:
            st = f.stat()
        except OSError:
            continue
        if f.name == "weights.bump" and (st.st_nlink > 1 or f.is_symlink()):
            shared += st.st_size
        else:
            own += st.st_size
    return own, shared


def _human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def _summary(record: dict[str, Any]) -> str:
    if "invariants" in record and "gguf" not in record:
        return "training build"
    o = record.get("options") or {}
    parts = [f"isa {record.get('isa', o.get('isa', '?'))}", f"ctx {record.get('context_len', '?')}",
             f"ub {record.get('max_tokens', '?')}"]
    if o.get("kv_dtype") and o["kv_dtype"] != "f32":
        parts.append(f"kv {o['kv_dtype']}")
    if o.get("act_dtype"):
        parts.append(f"act {o['act_dtype']}")
    if record.get("tuning"):
        parts.append("tuned")
    if record.get("profile"):
        parts.append("profile")
    return ", ".join(parts)


def _last_used(entry: Path) -> float:
    for name in ("verified.json", "build.json", "train.json"):
        try:
            return (entry / name).stat().st_mtime
        except OSError:
            continue
    return entry.stat().st_mtime


def cmd_cache_list(args: argparse.Namespace) -> int:
    from ck.build import cache_root

    root = cache_root()
    entries = sorted(_entries(root), key=_last_used)
    if not entries:
        print(f"the build cache {root} is empty", file=sys.stderr)
        return 0
    total = 0
    for entry in entries:
        record = _record(entry)
        own, shared = _size(entry)
        total += own
        size = _human(own) + (f" + {_human(shared)} shared weights" if shared else "")
        model = "(training)" if record is not None and "gguf" not in record else (record or {}).get("gguf", "?")
        summary = _summary(record) if record is not None else "unfinished or damaged"
        used = time.strftime("%Y-%m-%d %H:%M", time.localtime(_last_used(entry)))
        print(f"{entry.name}  {model}  {size}  [{summary}]  last used {used}")
    blobs = [b for b in (root / "weights").glob("*.bump")] if (root / "weights").is_dir() else []
    blob_bytes = sum(b.stat().st_size for b in blobs)
    print(f"{len(entries)} builds, {_human(total)} of their own; {len(blobs)} weight blobs, {_human(blob_bytes)} "
          f"(in {root})")
    return 0


def _remove(entry: Path, root: Path) -> bool:
    """Remove one build unless it is being built; True if removed."""
    from ck.build_cache import try_lock

    lock = root / f"{entry.name}.lock"
    with try_lock(lock) as taken:
        if not taken:
            print(f"ck: {entry.name} is being built right now; left alone", file=sys.stderr)
            return False
        shutil.rmtree(entry, ignore_errors=True)
        lock.unlink(missing_ok=True)
    return True


def _unused_blobs(root: Path) -> list[Path]:
    """Blobs no build links to: one hard link left (its own) and no symlink pointing at it."""
    weights = root / "weights"
    if not weights.is_dir():
        return []
    linked = set()
    for entry in _entries(root):
        w = entry / "weights.bump"
        if w.is_symlink():
            linked.add(w.resolve())
    return [b for b in weights.glob("*.bump") if b.stat().st_nlink <= 1 and b.resolve() not in linked]


def cmd_cache_clear(args: argparse.Namespace) -> int:
    from ck.build import cache_root
    from ck.build_cache import check_entry

    root = cache_root()
    entries = _entries(root)
    if args.all and args.keys:
        raise CkError("ck cache clear: give KEYs or --all, not both")
    if args.all:
        chosen = entries
    elif args.keys:
        chosen = []
        for key in args.keys:
            match = [e for e in entries if e.name.startswith(key)]
            if len(match) != 1:
                raise CkError(f"ck cache clear: {key!r} matches {len(match) or 'no'} builds"
                              + (f" ({', '.join(e.name for e in match)})" if match else "; see `ck cache list`"))
            chosen += match
    else:
        chosen = [e for e in entries
                  if check_entry(e, "train.json" if e.name.startswith("train-") else "build.json")[0] is None]
    removed = sum(_remove(e, root) for e in chosen)
    if root.is_dir():  # temporaries of writers that died
        for tmp in root.rglob(".*.tmp"):
            if time.time() - tmp.stat().st_mtime > 3600:
                tmp.unlink(missing_ok=True)
    blobs = _unused_blobs(root)
    freed = 0
    for blob in blobs:
        freed += blob.stat().st_size
        blob.unlink(missing_ok=True)
        (root / "weights-digests" / f"{blob.stem}.sha256").unlink(missing_ok=True)
    if args.all:
        (root / "digests.json").unlink(missing_ok=True)
    print(f"removed {removed} builds and {len(blobs)} unused weight blobs ({_human(freed)}) from {root}",
          file=sys.stderr)
    return 0
