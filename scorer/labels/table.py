"""The labels table: one row per PR (`repo, number`), an optional `importance` (0-10), one
`tag:<name>` column per tag (1, 0, or empty = unlabeled), an optional `mentioned` flag and
`source`; loading, saving, merging and summarising it, and the tags' display names."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from ..errors import ScorerError, first_line, shown
from ..fileio import atomic_path, require_input

# Display names of every tag scorer knows, (zh, en). Rule tags first.
TAG_NAMES: dict[str, tuple[str, str]] = {
    "core-path": ("核心路径变更", "Core path change"),
    "missing-tests": ("缺少测试覆盖", "Missing test coverage"),
    "dependency": ("依赖变更", "Dependency change"),
    "platform": ("平台兼容性", "Platform compatibility"),
    "interface": ("接口变更", "Interface change"),
    "bug-inducing": ("潜在缺陷引入", "Likely bug-inducing"),
    "reverted": ("回滚风险", "Revert risk"),
    "named": ("发布说明候选", "Release-note candidate"),
}
NON_RISK_TAGS = frozenset({"named"})
RULE_TAGS = ("core-path", "missing-tests", "dependency", "platform", "interface")
KEY = ["repo", "number"]


def tag_name(tag: str, lang: str = "zh") -> str:
    zh, en = TAG_NAMES.get(tag, (tag, tag))
    return zh if lang == "zh" else en


def tag_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c.startswith("tag:")]


def _finish(df: pd.DataFrame, source: str) -> pd.DataFrame:
    for c in tag_columns(df):
        df[c] = df[c].astype("Int8")
    if "importance" in df:
        df["importance"] = df["importance"].astype("float64")
    df["source"] = source
    cols = KEY + [c for c in ("importance", "mentioned") if c in df] + sorted(tag_columns(df)) + ["source"]
    return df[cols].sort_values(KEY, kind="mergesort").reset_index(drop=True)



# ---------------------------------------------------------------- the table

def save_labels(df: pd.DataFrame, path: str | Path) -> None:
    path = Path(path)
    with atomic_path(path) as tmp:
        if path.suffix.lower() == ".parquet":
            df.to_parquet(tmp, index=False)
        else:
            df.to_csv(tmp, index=False)


def load_labels(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    require_input(path)
    try:
        df = pd.read_parquet(path) if path.suffix.lower() == ".parquet" else pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ScorerError(f"cannot parse labels ({first_line(exc, 'empty file')})",
                          path=str(path)) from None
    except Exception as exc:  # pyarrow raises several types (OSError among them) for a damaged file
        raise ScorerError(f"cannot read {'Parquet' if path.suffix.lower() == '.parquet' else 'labels'} "
                          f"({first_line(exc)})", path=str(path)) from None
    missing = [c for c in KEY if c not in df]
    if missing:
        raise ScorerError(f"missing columns {missing} (a labels table needs repo, number)", path=str(path))
    num = pd.to_numeric(df["number"], errors="coerce")
    bad = num.isna() | (num <= 0) | (num > 2**53) | (num % 1 != 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ScorerError(f"expected a positive whole PR number, got {shown(df['number'].iloc[i])}", path=str(path),
                          line=i + 2, field="number")
    df["number"] = num.astype("int64")
    if "importance" in df:
        imp = pd.to_numeric(df["importance"], errors="coerce")
        bad = (imp.isna() & df["importance"].notna()) | (imp < 0) | (imp > 10)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ScorerError(f"importance must be a number in 0-10, got {shown(df['importance'].iloc[i])}",
                              path=str(path), line=i + 2, field="importance")
        df["importance"] = imp
    for c in tag_columns(df) + (["mentioned"] if "mentioned" in df else []):
        v = pd.to_numeric(df[c], errors="coerce")
        bad = (v.isna() & df[c].notna()) | ~(v.isin([0, 1]) | v.isna())
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ScorerError(f"a tag is 0, 1 or empty, got {shown(df[c].iloc[i])}", path=str(path), line=i + 2, field=c)
        df[c] = v.astype("Int8")
    if "source" not in df:
        df["source"] = path.stem
    dup = df.duplicated(KEY)
    if dup.any():
        raise ScorerError(f"PR #{int(df.loc[dup, 'number'].iloc[0])} appears twice", path=str(path))
    return df


def merge_labels(tables: Iterable[pd.DataFrame], on_conflict: str = "error") -> pd.DataFrame:
    """Merge label tables on (repo, number). Differing values for one cell are a conflict: an error
    by default, or resolved by `on_conflict` = "first" (earlier table wins) / "max"."""
    merged: pd.DataFrame | None = None
    for t in tables:
        t = t.copy()
        if merged is None:
            merged = t
            continue
        both = merged.merge(t, on=KEY, how="outer", suffixes=("", "__new"), indicator=False)
        for c in [c for c in t.columns if c not in KEY]:
            new = f"{c}__new"
            if new not in both:
                continue
            if c == "source":
                both[c] = [("+".join(dict.fromkeys(str(x) for x in (a, b) if isinstance(x, str))))
                           for a, b in zip(both[c], both[new])]
            else:
                a, b = both[c], both[new]
                clash = a.notna() & b.notna() & (a.astype("float64") != b.astype("float64"))
                if clash.any():
                    if on_conflict == "error":
                        nums = both.loc[clash, "number"].astype(int).tolist()
                        raise ScorerError(f"conflicting '{c}' for {len(nums)} PRs (e.g. "
                                          f"{', '.join('#' + str(n) for n in nums[:5])}); "
                                          "choose --on-conflict first or max")
                    if on_conflict == "max":
                        a = a.where(~clash, np.maximum(a.astype("float64"), b.astype("float64")))
                both[c] = a.where(a.notna(), b)
            both = both.drop(columns=new)
        merged = both
    if merged is None:
        raise ScorerError("no label tables given")
    for c in tag_columns(merged) + (["mentioned"] if "mentioned" in merged else []):
        merged[c] = pd.to_numeric(merged[c]).astype("Int8")
    return merged.sort_values(KEY, kind="mergesort").reset_index(drop=True)


def summarize_labels(df: pd.DataFrame) -> list[str]:
    """Headline lines: rows, and per column how many are labeled and the positive rate."""
    lines = [f"{len(df):,} PRs"]
    if "importance" in df and df["importance"].notna().any():
        vc = df["importance"].value_counts().sort_index()
        lines.append("importance: " + ", ".join(f"{k:g}: {v:,}" for k, v in vc.items()))
    for c in tag_columns(df):
        lab = df[c].notna().sum()
        pos = int((df[c] == 1).sum())
        rate = pos / lab if lab else float("nan")
        lines.append(f"{c}: {pos:,} of {lab:,} labeled ({rate:.1%})")
    return lines
