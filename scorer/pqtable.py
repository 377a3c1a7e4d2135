"""scorer's own Parquet file of the canonical PR table: its format (schema metadata, one 64-bit
digest per row over the row's canonical JSON) and the `Table` read from it by column and by
merge-time range. Below both `records` (which writes and reads this format) and `table` (the
working copies in the cache), so each imports it and neither imports the other.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import ScorerError, first_line

# A repository is OWNER/NAME: letters, digits, '.', '_' and '-' (GitHub's and GitLab's names), the
# owner starting with a letter or digit, and neither part '.' or '..'. The name becomes a
# directory of every report: a slug like "demo/.." would write outside the output directory.
SLUG_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}/(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}")


def valid_slug(repo: object) -> bool:
    return isinstance(repo, str) and SLUG_RE.fullmatch(repo) is not None

META_KEY = b"scorer.table"
TABLE_FORMAT = 1
DIGEST = "_digest"
LIST_COLUMNS = ("files", "co_authors", "signed_off_by", "labels", "requested_reviewers")


def json_record(rec: dict) -> dict:
    """A canonical row as JSON values, as `save_prs` writes it and a row digest hashes it."""
    out = {}
    for k, v in rec.items():
        if isinstance(v, pd.Timestamp):
            out[k] = v.strftime("%Y-%m-%dT%H:%M:%SZ") if not pd.isna(v) else None
        elif v is pd.NaT or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            continue
        elif isinstance(v, np.integer):
            out[k] = int(v)
        elif isinstance(v, np.bool_):
            out[k] = bool(v)
        elif k == "files":
            out[k] = [{fk: fv for fk, fv in f.items() if not (fk == "previous_filename" and fv is None)} for f in v]
        else:
            out[k] = v
    return out


def row_digests(df: pd.DataFrame) -> np.ndarray:
    """One 64-bit digest per row of a canonical frame, over the row's JSON as `save_prs` writes it."""
    cols = [c for c in df.columns if c != DIGEST]
    out = np.empty(len(df), np.uint64)
    for i, rec in enumerate(df[cols].to_dict("records")):
        text = json.dumps(json_record(rec), ensure_ascii=False, sort_keys=True)
        out[i] = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")
    return out


def digest_of(digests: np.ndarray) -> str:
    """The hash of a set of rows: their digests sorted, so table order does not matter."""
    return hashlib.sha256(np.sort(np.asarray(digests, np.uint64)).astype("<u8").tobytes()).hexdigest()


def write_parquet(df: pd.DataFrame, tmp: Path) -> None:
    """A canonical frame as scorer's Parquet table (to a temporary path; the caller renames it)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    digests = row_digests(df)
    tb = pa.Table.from_pandas(df.drop(columns=[DIGEST], errors="ignore"), preserve_index=False)
    tb = tb.append_column(DIGEST, pa.array(digests, pa.uint64()))
    meta = {"format": TABLE_FORMAT, "rows": len(df), "digest": digest_of(digests)}
    tb = tb.replace_schema_metadata({**(tb.schema.metadata or {}), META_KEY: json.dumps(meta).encode()})
    # Row groups of a few thousand PRs: a time-range read skips the groups outside it.
    pq.write_table(tb, tmp, row_group_size=4096)


@dataclass
class Table:
    """A working table: `keys` (repo, number, merged_at and the row digest of every PR, newest
    first) is read at open; `read` reads whole rows, optionally of a merge-time range."""

    path: Path | None  # the Parquet file read (None: a frame held in memory, `--no-cache`)
    source: Path       # the table the user named
    keys: pd.DataFrame
    frame: pd.DataFrame | None = None
    cache_dir: Path | None = None  # where it came from (its snapshots go there too)

    @property
    def repos(self) -> list[str]:
        return sorted(self.keys["repo"].unique())

    def read(self, since: pd.Timestamp | None = None, until: pd.Timestamp | None = None,
             columns: list[str] | None = None) -> pd.DataFrame:
        """The canonical frame (as `records.load_prs` gives it) of the PRs merged in [since, until),
        optionally only some of its columns (a list column is the costly part of a read)."""
        import pyarrow.parquet as pq

        if self.frame is not None:
            m = pd.Series(True, index=self.frame.index)
            if since is not None:
                m &= self.frame["merged_at"] >= since
            if until is not None:
                m &= self.frame["merged_at"] < until
            return self.frame.loc[m, columns or list(self.frame.columns)].reset_index(drop=True)
        filters = []
        if since is not None:
            filters.append(("merged_at", ">=", since))
        if until is not None:
            filters.append(("merged_at", "<", until))
        try:
            tb = pq.read_table(self.path, filters=filters or None, columns=columns)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise ScorerError(f"cannot read Parquet ({first_line(exc)})", path=str(self.path)) from None
        return _frame(tb)


def _frame(tb) -> pd.DataFrame:
    """The canonical frame of an Arrow table scorer wrote: list columns as Python lists (the
    feature walk and the report read them as lists; Arrow would give arrays)."""
    lists = {c: tb.column(c).to_pylist() for c in LIST_COLUMNS if c in tb.column_names}
    keep = [c for c in tb.column_names if c not in lists and c != DIGEST]
    df = tb.select(keep).to_pandas()
    for c in tb.column_names:
        if c in lists:
            df.insert(tb.column_names.index(c), c, lists[c])
    return df


def _memory_table(df: pd.DataFrame, source: Path) -> Table:
    keys = df[["repo", "number", "merged_at"]].copy()
    keys[DIGEST] = row_digests(df)
    return Table(None, source, keys, frame=df)


def scorer_meta(path: Path) -> dict | None:
    """The metadata of a Parquet table scorer wrote, or None for any other file."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
    except Exception:  # not Parquet, or damaged: the full reader names the problem
        return None
    raw = meta.get(META_KEY)
    if raw is None:
        return None
    try:
        doc = json.loads(raw)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) and doc.get("format") == TABLE_FORMAT else None


def open_scorer_parquet(path: Path, allow_empty: bool = False) -> pd.DataFrame | None:
    """The whole canonical frame of a Parquet table scorer wrote; None for any other Parquet file."""
    meta = scorer_meta(path)
    if meta is None:
        return None
    if meta.get("rows") == 0 and allow_empty:
        return Table(path, path, pd.DataFrame()).read()
    return _open_scorer_parquet(path, path, meta).read()


def _open_scorer_parquet(path: Path, source: Path, meta: dict) -> Table:
    """Table-wide checks, vectorized, in place of validating each record again: the digests
    match the metadata, keys are present, positive and unique, and times are set."""
    import pyarrow.parquet as pq

    try:
        keys = pq.read_table(path, columns=["repo", "number", "merged_at", DIGEST]).to_pandas()
    except Exception as exc:
        raise ScorerError(f"cannot read Parquet ({first_line(exc)})", path=str(path)) from None
    if len(keys) != meta.get("rows") or digest_of(keys[DIGEST].to_numpy()) != meta.get("digest"):
        raise ScorerError("the table's rows do not match the digest scorer wrote with them (edited by another "
                          "tool?); re-import it with `scorer ingest file`", path=str(path))
    if keys[["repo", "number", "merged_at"]].isna().any().any() or (keys["number"] <= 0).any():
        raise ScorerError("a PR has no repository, number or merge time, or a non-positive number", path=str(path))
    bad = [r for r in keys["repo"].unique() if not valid_slug(r)]
    if bad:
        raise ScorerError(f"repository {str(bad[0])[:80]!r} is not OWNER/NAME", path=str(path), field="repo")
    if not _unique_keys(keys):
        dup = keys.loc[keys.duplicated(["repo", "number"]), "number"].iloc[0]
        raise ScorerError(f"PR #{dup} appears twice", path=str(path), field="number")
    if not len(keys):
        raise ScorerError("the file holds no PRs", path=str(path))
    return Table(path, source, keys)


def _unique_keys(keys: pd.DataFrame) -> bool:
    """Whether no (repo, number) repeats: one integer per key hashed, not a frame of pairs (8 ms
    for 130k rows, paid by every run on a table that size)."""
    codes, repos = pd.factorize(keys["repo"])
    numbers = keys["number"].to_numpy(np.int64)
    span = int(numbers.max()) + 1 if len(numbers) else 1
    if span > (1 << 62) // max(len(repos), 1):  # code * span + number would leave int64
        return not keys.duplicated(["repo", "number"]).any()
    return pd.Index(codes.astype(np.int64) * span + numbers).is_unique
