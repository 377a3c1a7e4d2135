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
