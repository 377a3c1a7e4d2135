"""Ingest an existing export file (JSONL/CSV/Parquet) into the canonical PR table."""

from __future__ import annotations

import os

import pandas as pd

from ..errors import ScorerError


def ingest_file(path: str | os.PathLike) -> pd.DataFrame:
    """Normalise an existing export (JSONL/CSV/Parquet) into the canonical table."""
    from ..records import find_duplicates, load_prs

    df = load_prs(path)
    dups = find_duplicates(df)
    if dups:
        raise ScorerError(f"duplicate PR numbers: {', '.join('#' + str(d) for d in dups[:10])}", path=str(path))
    return df


API_ONLY = ["labels", "created_at", "closed_at", "state", "comments", "review_comments", "reviews", "approvals",
            "changes_requested", "requested_reviewers", "draft"]


def merge_sources(git: pd.DataFrame, api: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """One table from a clone's history and an API export of the same repository: the clone's
    rows keep their exact diff (files, line counts, authors), the API adds what git lacks (labels,
    reviews, comments, times, and the description when the commit message had none). PRs only
    one side knows are kept as that side has them."""
    from ..records import COLUMNS, to_frame

    repos = set(git["repo"]) | set(api["repo"])
    if len(repos) != 1:
        raise ScorerError(f"the two tables hold different repositories: {', '.join(sorted(repos))}")
    extra = api.set_index("number")
    both = git["number"].isin(extra.index)
    out = git.copy()
    for col in API_ONLY:
        if col in extra:
            vals = out["number"].map(extra[col])
            out[col] = vals.where(both, out[col] if col in out else None)
    if "body" in extra:
        empty = out["body"].fillna("").str.strip() == ""
        out.loc[both & empty, "body"] = out.loc[both & empty, "number"].map(extra["body"])
    only_api = api[~api["number"].isin(git["number"])]
    merged = pd.concat([out, only_api], ignore_index=True) if len(only_api) else out
    records = []
    for rec in merged[[c for c in COLUMNS if c in merged]].to_dict("records"):
        records.append({k: v for k, v in rec.items()
                        if not (v is None or (isinstance(v, float) and v != v) or v is pd.NaT)})
    stats = {"matched": int(both.sum()), "git_only": int((~both).sum()), "api_only": int(len(only_api))}
    return to_frame(records), stats
