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
# The llvm target's exec tests (test/emit_llvm) run their Python drivers with this interpreter,
# and the avx512 ones only on a host that has the C build's avx512 features.
import sys  # noqa: E402

config.substitutions.append(("%python", sys.executable))
try:
    import llvmlite.binding as _llvm

    _llvm.initialize_native_target()
    _host = _llvm.get_host_cpu_features()
    if all(_host.get(f, False) for f in ("avx512f", "avx512bw", "avx512vl", "avx512vnni", "fma", "f16c")):
        config.available_features.add("host-avx512")
        if _host.get("avx512bf16", False):
            config.available_features.add("host-avx512bf16")
    if all(_host.get(f, False) for f in ("avx2", "fma", "f16c")):
        config.available_features.add("host-avx2")
except ImportError:
    pass
