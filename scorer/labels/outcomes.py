"""Outcome labels: bug-inducing (blamed by a fix within a window, from SZZ pairs) and reverted."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ScorerError, first_line, shown
from ..fileio import require_input
from .table import KEY, _finish

# ---------------------------------------------------------------- outcomes

REVERT_RE = re.compile(r'^Revert\s+"(?P<inner>.*)"\s*$', re.S)
PR_REF_RE = re.compile(r"#(\d+)")
SHA_RE = re.compile(r"\b(?:reverts? commit|This reverts commit)\s+([0-9a-f]{7,40})", re.I)


def find_reverts(prs: pd.DataFrame) -> pd.DataFrame:
    """Pairs (revert PR, reverted PR): by the `Revert "<title>"` title, a `#N` in it, or a commit sha in the body."""
    by_title: dict[str, list[tuple[pd.Timestamp, int]]] = {}
    for n, t, m in zip(prs["number"], prs["title"], prs["merged_at"]):
        by_title.setdefault(t.strip(), []).append((m, int(n)))
    by_sha = {s[:7]: int(n) for n, s in zip(prs["number"], prs["merge_commit_sha"]) if s}
    numbers = set(int(n) for n in prs["number"])
    rows = []
    for n, title, body, merged in zip(prs["number"], prs["title"], prs["body"], prs["merged_at"]):
        m = REVERT_RE.match(title.strip())
        if not m and not title.lower().startswith("revert"):
            continue
        target = None
        inner = m.group("inner").strip() if m else title
        ref = re.search(r"\(#(\d+)\)\s*$", inner)
        if ref and int(ref.group(1)) in numbers:
            target = int(ref.group(1))
        elif m:
            earlier = [num for t, num in sorted(by_title.get(inner, [])) if t < merged]
            target = earlier[-1] if earlier else None
        if target is None:
            refs = [int(x) for x in PR_REF_RE.findall(title) if int(x) in numbers and int(x) != n]
            target = refs[0] if refs else None
        if target is None and body:
            sm = SHA_RE.search(body)
            if sm and sm.group(1)[:7] in by_sha:
                target = by_sha[sm.group(1)[:7]]
        if target is not None and target != n:
            rows.append((int(n), merged, target))
    out = pd.DataFrame(rows, columns=["revert_pr", "revert_merged_at", "number"])
    out["revert_merged_at"] = pd.to_datetime(out["revert_merged_at"], utc=True)
    return out.astype({"revert_pr": "int64", "number": "int64"})


def load_szz_pairs(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    require_input(path)
    try:
        df = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ScorerError(f"cannot parse CSV ({first_line(exc, 'empty')})", path=str(path)) from None
    need = ["fix_pr", "fix_merged_at", "inducing_pr", "inducing_merged_at", "lines_blamed"]
    missing = [c for c in need if c not in df]
    if missing:
        raise ScorerError(f"missing columns {missing} (expected the szz_pairs.csv format)", path=str(path))
    for c in ("fix_pr", "inducing_pr", "lines_blamed"):
        bad = pd.to_numeric(df[c], errors="coerce").isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ScorerError(f"expected an integer, got {shown(df[c].iloc[i])}", path=str(path), line=i + 2, field=c)
        df[c] = df[c].astype("int64")
    for c in ("fix_merged_at", "inducing_merged_at"):
        ts = pd.to_datetime(df[c], utc=True, errors="coerce", format="ISO8601")
        if ts.isna().any():
            i = int(np.flatnonzero(ts.isna().to_numpy())[0])
            raise ScorerError(f"not an ISO 8601 timestamp: {shown(df[c].iloc[i])}", path=str(path), line=i + 2, field=c)
        df[c] = ts
    return df


def outcome_labels(prs: pd.DataFrame, pairs: pd.DataFrame | None = None, *, window_days: int = 90,
                   as_of: pd.Timestamp | None = None, min_lines: int = 1) -> pd.DataFrame:
    """`tag:bug-inducing` and `tag:reverted` as known on `as_of`.

    Rule: a PR is bug-inducing when bug-fix PRs merged within `window_days` after it (and by
    `as_of`) blamed at least `min_lines` of its lines in total (lines_blamed summed over fixes and
    files). It is reverted when a revert of it merged within the window and by `as_of`. A PR whose
    window is still open on `as_of` is left unlabeled (empty), not 0.
    """
    as_of = as_of if as_of is not None else prs["merged_at"].max()
    window = pd.Timedelta(days=window_days)
    out = prs[KEY + ["merged_at"]].copy()
    closed = (out["merged_at"] + window) <= as_of
    known = out["merged_at"] <= as_of
    if pairs is not None:
        p = pairs[(pairs["fix_merged_at"] <= as_of) & (pairs["fix_pr"] != pairs["inducing_pr"])]
        p = p[(p["fix_merged_at"] > p["inducing_merged_at"]) & (p["fix_merged_at"] - p["inducing_merged_at"] <= window)]
        blamed = p.groupby("inducing_pr")["lines_blamed"].sum()
        lines = out["number"].map(blamed).fillna(0)
        out["tag:bug-inducing"] = np.where(closed & known, (lines >= min_lines).astype(int), np.nan)
    rv = find_reverts(prs)
    rv = rv.merge(prs[["number", "merged_at"]], on="number")
    rv = rv[(rv["revert_merged_at"] <= as_of) & (rv["revert_merged_at"] - rv["merged_at"] <= window)]
    reverted = out["number"].isin(set(rv["number"]))
    out["tag:reverted"] = np.where(closed & known, reverted.astype(int), np.nan)
    # A revert seen before the window closes is already a fact: label it 1 early.
    out.loc[known & reverted, "tag:reverted"] = 1
    out = out[known].drop(columns="merged_at")
    return _finish(out, "outcomes")


def check_pairs_match(prs: pd.DataFrame, pairs: pd.DataFrame, path: str) -> int:
    """Pairs from another repository would label the wrong PRs; their merge times give them away."""
    merged = prs.set_index("number")["merged_at"]
    hit = pairs["inducing_pr"].isin(merged.index)
    if len(pairs) and not hit.any():
        raise ScorerError("none of the PR numbers in the pairs file is in the PR table (another repository?)",
                          path=path)
    known = pairs[hit]
    agree = (known["inducing_merged_at"] - known["inducing_pr"].map(merged)).abs() <= pd.Timedelta(days=1)
    if len(known) and agree.mean() < 0.5:
        raise ScorerError(f"only {agree.mean():.0%} of the pairs' inducing_merged_at agree with the PR table's "
                          "merge times (another repository?)", path=path)
    return int((~hit).sum())
