"""`ck-opt`: xdsl-opt with ck's dialects and passes registered, used like mlir-opt."""

import warnings

from xdsl.xdsl_opt_main import xDSLOptMain

from ck.dialects import DIALECTS
from ck.lowering import PASSES as LOWERING_PASSES
from ck.lowering import TARGETS
from ck.passes import PASSES


class CkOptMain(xDSLOptMain):
    """The opt driver: parse, run `-p` passes (verifying after each), print."""

    def register_all_dialects(self) -> None:
        super().register_all_dialects()
        for name, factory in DIALECTS.items():
            self.ctx.register_dialect(name, factory)

    def register_all_passes(self) -> None:
        super().register_all_passes()
        for name, factory in {**PASSES, **LOWERING_PASSES}.items():
            self.register_pass(name, factory)

    def register_all_targets(self) -> None:
        super().register_all_targets()
        self.available_targets.update(TARGETS)


def main() -> None:
    warnings.filterwarnings("default", category=DeprecationWarning)
    CkOptMain(description="ck-opt: run ck and xDSL passes on MLIR files (stdin when no file)").run()
