"""`ck-translate`: the ck-opt driver under another name, for emission (`-t c`, `-t llvm`).

Both tools register the same dialects, passes and targets (`ck.lowering.TARGETS`); this
one exists so a pipeline reads like MLIR's: `ck-opt ... | ck-translate -t c`.
"""

import warnings

from ck.tools.ck_opt import CkOptMain, run_driver


def main() -> None:
    warnings.filterwarnings("default", category=DeprecationWarning)
    run_driver(CkOptMain, "ck-translate: translate ck IR to an output format (`-t TARGET`)")
