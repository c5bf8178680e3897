"""`ck-translate`: the opt driver with an emission target (`-t`/`--target`)."""

import argparse
import warnings

from ck.tools.ck_opt import CkOptMain, run_driver


class CkTranslateMain(CkOptMain):
    """Same driver as ck-opt; the C target arrives with the native-code issue."""

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)


def main() -> None:
    warnings.filterwarnings("default", category=DeprecationWarning)
    run_driver(CkTranslateMain, "ck-translate: translate ck IR to an output format (`-t TARGET`)")
