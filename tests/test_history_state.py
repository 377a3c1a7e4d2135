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


def _variants(rec: dict, k: int) -> dict:
    """A record as a client may send it: API fields absent or null, offsets and fractions in
    the timestamps, no optional lists."""
    rec = {**rec, "files": [dict(f) for f in rec["files"]]}
    if k % 4 == 1:
        for f in ("comments", "reviews", "labels", "created_at", "co_authors", "signed_off_by", "body"):
            rec.pop(f, None)
    elif k % 4 == 2:
        rec["comments"] = None
        rec["created_at"] = "2020-01-01T08:00:00.123457+08:00"  # before the merge by years
        rec["merged_at"] = rec["merged_at"].replace("Z", ".3+00:00")
    elif k % 4 == 3:
        rec["line_counts_known"] = False
        rec["created_at"] = "2100-01-01T00:00:00Z"  # after the merge: hours open clip to 0
    return rec


def test_feature_rows_from_records_equal_a_full_walk():
    """The service's DataFrame-free path: validated records straight to feature rows."""
    import gzip
    import json

    from scorer.features import feature_rows
    from scorer.records import to_frame, validate_record

    prs = load_prs(DEMO)
    tax = load_taxonomy(None, repo="demo/engine")
    with gzip.open(DEMO, "rt", encoding="utf-8") as fh:
        raw = {r["number"]: r for r in map(json.loads, fh)}
    order = prs.sort_values(["merged_at", "number"], kind="mergesort")
    history, newest = order.iloc[:-40], order.iloc[-40:]
    st = history_state(history, tax)
    for k in range(40):
        rec = validate_record(_variants(raw[int(newest["number"].iloc[k])], k), "request", 1)
        (fast,) = feature_rows([rec], tax, st)
        table = pd.concat([history, to_frame([rec])], ignore_index=True)
        full = compute_features(table, tax, wanted=table.index == len(table) - 1)
        assert list(fast) == list(full.columns)
        pd.testing.assert_frame_equal(pd.DataFrame([fast], columns=full.columns).astype(full.dtypes),
                                      full.reset_index(drop=True), check_exact=True)
