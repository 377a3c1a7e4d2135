"""The report's change-kind classifier against the hand-labelled sample (labelling rule in
tests/fixtures/change_kind_labels.md)."""

import csv
import functools
import os
from collections import Counter
from pathlib import Path

import pytest

from scorer.prtext import KINDS, classify_change, classify_pr

FIXTURE = Path(__file__).parent / "fixtures" / "change_kind_labels.csv"
DATA = Path(os.environ.get("SCORER_BENCH_DATA", Path(__file__).parents[1].parent / "shared" / "data"))
NEEDS_DATA = pytest.mark.skipif(not (DATA / "vllm" / "prs.jsonl.gz").exists(),
                                reason=f"shared vLLM table not found under {DATA}")


@functools.lru_cache(maxsize=1)
def _labelled() -> list[dict]:
    """The hand labels (number, kind, split) with each PR's title and its first 40 paths, `+`
    before an added file, read from the shared vLLM table (the data stays in ../shared)."""
    from scorer.records import load_prs

    prs = load_prs(DATA / "vllm" / "prs.jsonl.gz").set_index("number")
    rows = []
    for r in csv.DictReader(FIXTURE.open(encoding="utf-8")):
        pr = prs.loc[int(r["number"])]
        files = " ".join(("+" if f["status"] == "added" else "") + f["filename"] for f in pr["files"][:40])
        rows.append({**r, "title": pr["title"], "files": files})
    return rows


def _rows(split: str) -> list[dict]:
    return [r for r in _labelled() if r["split"] == split]


def _predict(row: dict) -> str:
    files = row["files"].split()
    return classify_change(row["title"], [f.lstrip("+") for f in files], [f[1:] for f in files if f.startswith("+")])


@NEEDS_DATA
def test_sample_is_large_and_uses_every_kind_label_known():
    rows = _rows("dev") + _rows("heldout")
    assert len(rows) >= 300
    assert {r["kind"] for r in rows} <= set(KINDS)
    assert len({r["number"] for r in rows}) == len(rows)


@NEEDS_DATA
@pytest.mark.parametrize("split, floor", [("dev", 0.85), ("heldout", 0.78)])
def test_accuracy_on_hand_labels(split, floor):
    rows = _rows(split)
    hits = sum(_predict(r) == r["kind"] for r in rows)
    assert hits / len(rows) >= floor, f"{split}: {hits}/{len(rows)}"


def test_rule_order_examples():
    assert classify_change('Revert "[Bugfix] x"', ["vllm/a.py"]) == "revert"
    assert classify_change("[Bugfix] Fix wrong mock attribute", ["tests/test_a.py"]) == "tests"
    assert classify_change("[CI Bugfix] Pin `openai<1.100`", ["requirements/common.txt"]) == "dependency"
    assert classify_change("[Models] Cohere MoE", ["vllm/model_executor/models/registry.py", "docs/models/supported_models.md",
                                                   "vllm/model_executor/models/cohere_moe.py"],
                           ["vllm/model_executor/models/cohere_moe.py"]) == "model"
    assert classify_change("[Attention] Abstract the MLA prefill backends", ["vllm/attention/mla.py"]) == "refactor"
    assert classify_change("[Misc] fix typo in DCP comment", ["vllm/a.py"]) == "docs"
    assert classify_change("MiniMax-M2: add Eagle3 speculative decoding support",
                           ["vllm/model_executor/models/registry.py", "vllm/model_executor/models/minimax_m2.py"]) == "feature"


@NEEDS_DATA
def test_misc_under_ten_percent_of_vllm():
    from scorer.records import load_prs

    prs = load_prs(DATA / "vllm" / "prs.jsonl.gz")
    kinds = Counter(classify_pr(t, f) for t, f in zip(prs["title"], prs["files"]))
    assert kinds["misc"] / len(prs) < 0.10, kinds
