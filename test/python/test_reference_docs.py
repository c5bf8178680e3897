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
