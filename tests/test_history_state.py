"""A walked history state gives the same features as a full walk: the service featurizes a new
PR against one state instead of re-walking the whole history per request."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scorer.features import compute_features, history_state
from scorer.records import load_prs
from scorer.taxonomy import load_taxonomy

DEMO = Path(__file__).parents[1] / "training_data" / "demo" / "history.jsonl.gz"


def test_state_features_equal_a_full_walk():
    prs = load_prs(DEMO)
    tax = load_taxonomy(None, repo="demo/engine")
    order = prs.sort_values(["merged_at", "number"], kind="mergesort")
    history, new = order.iloc[:-40], order.iloc[-40:]
    st = history_state(history, tax)
    for k in range(0, 40, 3):  # newer PRs one at a time, each against the same (uncommitted) state
        row = new.iloc[[k]]
        fast = compute_features(row, tax, state=st, commit=False)
        table = pd.concat([history, row])
        full = compute_features(table, tax, wanted=table.index.isin(row.index))
        pd.testing.assert_frame_equal(fast.reset_index(drop=True), full.reset_index(drop=True))
