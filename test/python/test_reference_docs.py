"""The generated references in docs/ are what the code says today (run
`python -m ck.tools.gen_reference_docs` after changing a pass)."""

from __future__ import annotations

from ck.tools.gen_reference_docs import DOCS, FILES, main


def test_committed_references_are_up_to_date() -> None:
    for name, render in FILES.items():
        assert (DOCS / name).read_text(encoding="utf-8") == render(), f"docs/{name} is stale"
    assert main(["--check"]) == 0


def test_every_pass_is_documented_with_its_options_and_lit_tests() -> None:
    from ck.lowering import PASSES as LOWERING_PASSES
    from ck.passes import PASSES

    text = FILES["passes.md"]()
    for name in {**PASSES, **LOWERING_PASSES}:
        section = text.split(f"## `{name}`", 1)[1].split("\n## ", 1)[0]
        assert "Lit tests: `test/" in section, name  # every pass has a lit test that runs it
    assert "| `context_len` | `int` | `4096` |" in text  # plan-memory's option and default


def test_every_op_is_documented_with_its_fields_and_a_lit_example() -> None:
    from ck.dialects import kernel, memory, simd, transformer

    text = FILES["dialects.md"]()
    for dialect in (transformer.Transformer, kernel.Kernel, memory.Memory, simd.Simd):
        for op in dialect.operations:
            section = text.split(f"### `{op.name}`\n", 1)[1].split("\n### ", 1)[0]
            definition = op.get_irdl_definition()
            for name, _ in [*definition.operands, *definition.results]:
                assert f"| `{name}` |" in section, (op.name, name)
            for name in definition.properties:
                assert name.endswith("SegmentSizes") or f"| property | `{name}` |" in section, (op.name, name)
            assert "```mlir\n" in section, f"{op.name}: no lit test shows it"  # every op is exercised by lit
    gemv = text.split("### `kernel.gemv`\n", 1)[1].split("\n### ", 1)[0]
    assert "| property | `w_dtype` | `string` | required |" in gemv
    assert "| property | `schedule` | `kernel.schedule` | optional |" in gemv
    assert "| property | `eps` | `float` of `f32` | required |" in text
