"""ck.build_cache: the pieces that make a build directory safe to share and to trust.

- `publishing` / `publish`: every file of a build is written under a name of its own
  (`.NAME.<pid>.<random>.tmp`) and `os.replace`d into place, so a reader sees the old file or
  the new one, never half of one; the record (`build.json`, `train.json`) is published last.
- `build_lock`: one builder per build at a time (`fcntl.flock` on `<cache>/<key>.lock`); the
  others wait, saying so on stderr when it takes more than a moment, then reuse the build.
- `seal_record` / `check_entry`: the record lists the size and sha256 of every artifact and
  carries a digest of its own contents (`seal`: an edited value such as `context_len` is
  detected); `check_entry` verifies an entry before it is loaded. Every load: the seal, the
  size of every artifact and the sha256 of libmodel.so (or model.o). The other artifacts (weights.bump,
  the big one) are hashed again only when their file changed since they were last verified:
  `verified.json` keeps each file's (inode, size, mtime, ctime) as of its last good digest, and
  any write to a file moves its ctime, which no one can set back. `verified.json`'s mtime is
  also when the entry was last used (`ck cache list`).

None of this is security: anyone who can write the cache can write a consistent record.
It catches torn writes, truncation, disk-full leftovers and hand edits.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ALWAYS_HASHED = ("libmodel.so", "model.o")
"""Artifacts whose sha256 is checked on every load (small, and what runs)."""
VERIFIED = "verified.json"
WAIT_NOTICE = "ck: waiting for another process building this model"


def temporary_name(dest: Path) -> Path:
    """A name next to `dest` that no other writer (process or thread) uses."""
    return dest.with_name(f".{dest.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


@contextmanager
def publishing(dest: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `dest` atomically."""
    tmp = temporary_name(dest)
    try:
        yield tmp
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def publish(dest: Path, data: str | bytes) -> None:
    with publishing(dest) as tmp:
        if isinstance(data, str):
            tmp.write_text(data)
        else:
            tmp.write_bytes(data)


@contextmanager
def build_lock(path: Path, notice: str = WAIT_NOTICE, patience: float = 0.5) -> Iterator[None]:
    """Hold an exclusive flock on `path` (created if needed). A waiter prints `notice` once
    after `patience` seconds. A lock file unlinked while we waited (`ck cache clear`) is not
    a lock anymore: take the one now at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    start, told = time.monotonic(), False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() - start < patience:
                        time.sleep(0.02)
                        continue
                    if not told and notice:
                        print(notice, file=sys.stderr, flush=True)
                        told = True
                    fcntl.flock(fd, fcntl.LOCK_EX)
                    break
            try:
                current = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                current = False
        except BaseException:
            os.close(fd)
            raise
        if current:
            break
        os.close(fd)
    try:
        yield
    finally:
        os.close(fd)


@contextmanager
def try_lock(path: Path) -> Iterator[bool]:
    """Like `build_lock` without waiting: yields whether the lock was taken."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        yield True
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def _stamp(st: os.stat_result) -> list[int]:
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def seal_of(record: dict[str, Any]) -> str:
    """sha256 of the record without its seal (key order and spacing do not matter)."""
    body = {k: v for k, v in record.items() if k != "seal"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def seal_record(directory: Path, record: dict[str, Any], names: Iterable[str],
                known: dict[str, str] | None = None) -> dict[str, Any]:
    """`record` with `artifacts` (size and sha256 of each of `names` in `directory`; `known`
    digests are taken as given) and `seal`. Also notes the files as verified."""
    artifacts: dict[str, dict[str, Any]] = {}
    stamps: dict[str, list[Any]] = {}
    for name in dict.fromkeys(names):
        path = directory / name
        st = path.stat()
        digest = (known or {}).get(name) or file_digest(path)
        artifacts[name] = {"size": st.st_size, "sha256": digest}
        stamps[name] = [*_stamp(path.stat()), digest]
    out = {**record, "artifacts": artifacts}
    out["seal"] = seal_of(out)
    _write_verified(directory, stamps)
    return out


def _write_verified(directory: Path, stamps: dict[str, list[Any]]) -> None:
    try:
        publish(directory / VERIFIED, json.dumps(stamps) + "\n")
    except OSError:
        pass  # a read-only cache: verify again next time


def check_entry(directory: Path, record_name: str = "build.json") -> tuple[dict[str, Any] | None, str | None]:
    """(the record, None) when the entry in `directory` is whole; (None, None) when there is no
    entry; (None, what is wrong) when it is damaged."""
    try:
        text = (directory / record_name).read_text()
    except FileNotFoundError:
        return None, None
    except (OSError, UnicodeDecodeError) as e:
        return None, f"{record_name}: unreadable ({e})"
    try:
        record = json.loads(text)
    except ValueError:
        return None, f"{record_name}: not valid JSON"
    if not isinstance(record, dict):
        return None, f"{record_name}: not a JSON object"
    artifacts = record.get("artifacts")
    if "seal" not in record or not isinstance(artifacts, dict) or not artifacts:
        return None, f"{record_name}: no artifact digests (written by an older ck)"
    if record["seal"] != seal_of(record):
        return None, f"{record_name}: its contents do not match its seal (edited?)"
    try:
        verified = json.loads((directory / VERIFIED).read_text())
        if not isinstance(verified, dict):
            verified = {}
    except (OSError, ValueError):
        verified = {}
    stamps: dict[str, list[Any]] = {}
    rehashed = False
    for name, want in artifacts.items():
        path = directory / name
        try:
            st = path.stat()
        except OSError:
            return None, f"{name}: missing"
        if st.st_size != want["size"]:
            return None, f"{name}: size {st.st_size}, expected {want['size']}"
        stamp = [*_stamp(st), want["sha256"]]
        if name in ALWAYS_HASHED or verified.get(name) != stamp:
            if file_digest(path) != want["sha256"]:
                return None, f"{name}: sha256 differs from the one {record_name} recorded"
            rehashed = rehashed or name not in ALWAYS_HASHED
        stamps[name] = stamp
    if rehashed or not (directory / VERIFIED).exists():
        _write_verified(directory, stamps)
    else:
        try:
            os.utime(directory / VERIFIED)  # last used
        except OSError:
            pass
    return record, None


def damaged_notice(what: str, reason: str) -> None:
    print(f"ck: the cached build of {what} was damaged ({reason}); rebuilding", file=sys.stderr, flush=True)
