"""The model's track record, a section of the weekly report ("模型表现 / How the model has done"):
the PRs the model decided likely bug-inducing WEEKS_AGO weeks before this report, as the
prediction ledger recorded them then, and how many have since been blamed by a fix, beside what
their probabilities expected.

Only predictions made before this report's period are counted (a later bundle re-scoring that
week would know its outcomes), each PR's earliest; the outcomes are the labels known now.
WEEKS_AGO is 14 so that every PR of that week has had its whole 90-day window."""

from __future__ import annotations

import pandas as pd

from ...ledger import earliest
from ...metrics import iso_week

WEEKS_AGO = 14
TAG = "bug-inducing"


def build(ledger_rows: pd.DataFrame | None, labels: pd.DataFrame | None, start: pd.Timestamp, tz: str,
          repo: str, weeks_ago: int = WEEKS_AGO, tag: str = TAG) -> dict | None:
    """The section's figures, or None when the ledger holds no decided prediction of that week
    or the outcomes of none of them are known."""
    if ledger_rows is None or labels is None or f"tag:{tag}" not in labels:
        return None
    lo = start - pd.Timedelta(weeks=weeks_ago)
    hi = lo + pd.Timedelta(weeks=1)
    r = ledger_rows[(ledger_rows["repo"] == repo) & (ledger_rows["tag"] == tag) & ledger_rows["merged_at"].notna()
                    & (ledger_rows["merged_at"] >= lo) & (ledger_rows["merged_at"] < hi)
                    & (ledger_rows["predicted_at"] < start)]
    if r.empty:
        return None
    r = earliest(r)
    decided = r[r["decided"]]
    lab = labels.drop_duplicates("number").set_index("number")[f"tag:{tag}"]
    y = decided["number"].map(lab)
    known = decided[y.notna().to_numpy()]
    if known.empty:
        return None
    yk = y.dropna().astype(int)
    blamed = int(yk.sum())
    all_y = r["number"].map(lab).dropna()
    week = iso_week(pd.Series([lo + pd.Timedelta(days=3)]), tz).iloc[0]
    return {"tag": tag, "week": str(week), "weeks_ago": weeks_ago, "prs": int(len(r)), "decided": int(len(decided)),
            "known": int(len(known)), "blamed": blamed, "blamed_pct": round(100 * blamed / len(known)),
            "expected_pct": round(100 * float(known["p"].mean())),
            "base_pct": round(100 * float(all_y.mean())) if len(all_y) else None,
            "thresholds": sorted({round(float(t), 2) for t in known["threshold"].dropna()}),
            "bundles": sorted(set(known["bundle"]))}
