"""lit configuration: FileCheck tests (*.mlir) under test/, run with `lit test`."""

import os

import lit.formats

config.name = "ck"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.excludes = ["Inputs", "data", "__pycache__", "build", ".git"]
config.environment["PATH"] = os.environ["PATH"]
for var in ("HOME", "PYTHONPATH", "CC", "TMPDIR"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
# Like xDSL's XDSL_ROUNDTRIP: print generic, parse it back, print custom, check.
config.substitutions.append(
    ("CK_ROUNDTRIP", "ck-opt %s --print-op-generic | ck-opt | filecheck %s")
)
