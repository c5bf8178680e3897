"""Redo a build by hand from what it recorded: `ck-opt transformer.mlir -p PIPELINE | ck-translate -t c`."""

from __future__ import annotations

import subprocess
from pathlib import Path


def replay_pipeline(mlir: Path, pipeline: str, scratch: Path) -> bytes:
    """The C that ck-opt and ck-translate print from `mlir` with `pipeline`, as separate
    processes in a pipe (asserting both succeed); ck-opt's errors go to a file in `scratch`,
    since an unread pipe could fill and stall it."""
    err_path = scratch / "ck-opt.err"
    with open(err_path, "wb") as err:
        opt = subprocess.Popen(["ck-opt", str(mlir), "-p", pipeline], stdout=subprocess.PIPE, stderr=err)
        assert opt.stdout is not None
        translate = subprocess.run(["ck-translate", "-t", "c"], stdin=opt.stdout, capture_output=True,
                                   timeout=600, check=False)
        opt.stdout.close()
        assert opt.wait(timeout=600) == 0, err_path.read_text()
    assert translate.returncode == 0, translate.stderr.decode()
    return translate.stdout
