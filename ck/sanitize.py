"""Sanitizer builds: `CK_SANITIZE=address,undefined` (ck/build.py's `sanitize_flags`).

A library built with AddressSanitizer can only be loaded into a process that started with
the ASan runtime first in its library list (a plain Python interpreter does not: dlopen
then aborts with "ASan runtime does not come first in initial library list"). So, before
a sanitizer build is loaded, `ensure_runtime` re-executes the process (`sys.orig_argv`)
with `LD_PRELOAD` set to the C compiler's libasan.so and `ASAN_OPTIONS=detect_leaks=0`
(Python itself leaks by design); `ck` (every subcommand), `ck.load` and `ck.compile` call
it. A process that cannot be started again (an interactive interpreter) gets an error
naming the environment to start it with. `environment()` is that environment, for
running a subprocess with it (test/python/test_sanitize.py). UndefinedBehaviorSanitizer
alone needs nothing of the sort.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from functools import cache

from ck.build import compiler, sanitizers
from ck.errors import CkError

REEXEC_MARK = "CK_SANITIZE_REEXEC"
"""Set in the re-executed process, so a runtime that still is not there is an error, not a loop."""


@cache
def asan_library() -> str:
    """The ASan runtime of the C compiler that builds libmodel.so (`cc -print-file-name=libasan.so`)."""
    cc = compiler()
    try:
        out = subprocess.run([*cc, "-print-file-name=libasan.so"], check=False, capture_output=True, text=True,
                             timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise CkError(f"CK_SANITIZE=address: cannot ask {' '.join(cc)} for its libasan.so ({e})") from None
    path = out.stdout.strip()
    if out.returncode != 0 or not os.path.isabs(path) or not os.path.exists(path):
        raise CkError(f"CK_SANITIZE=address: {' '.join(cc)} has no libasan.so (install its AddressSanitizer runtime)")
    return os.path.realpath(path)


def runtime_loaded() -> bool:
    """Whether the ASan runtime is in this process."""
    return hasattr(ctypes.CDLL(None), "__asan_init")


def environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """`base` (default os.environ) with the ASan runtime preloaded and leak detection off."""
    env = dict(os.environ if base is None else base)
    preload = env.get("LD_PRELOAD", "").split()
    lib = asan_library()
    if lib not in preload:
        env["LD_PRELOAD"] = " ".join([lib, *preload])
    options = env.get("ASAN_OPTIONS", "")
    if "detect_leaks" not in options:
        env["ASAN_OPTIONS"] = ":".join(o for o in (options, "detect_leaks=0") if o)
    return env


def ensure_runtime() -> None:
    """Before loading a library built under `$CK_SANITIZE`: with AddressSanitizer, make sure
    its runtime is loaded, re-executing this process with it preloaded when it is not."""
    if "address" not in sanitizers() or runtime_loaded():
        return
    env = environment()
    command = f"LD_PRELOAD={env['LD_PRELOAD']} ASAN_OPTIONS={env['ASAN_OPTIONS']}"
    argv = list(getattr(sys, "orig_argv", []))
    if os.environ.get(REEXEC_MARK) or not argv or sys.flags.interactive or not sys.argv or sys.argv[0] in ("", "-"):
        raise CkError(f"CK_SANITIZE=address: the AddressSanitizer runtime must be loaded before the library; "
                      f"start the process again with {command}")
    env[REEXEC_MARK] = "1"
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, *argv[1:]], env)
