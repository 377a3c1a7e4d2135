"""The working table: a PR table as scorer itself writes it, in Parquet, read by column and by time.

A JSONL or CSV table is an import/export format: every run would re-parse and re-validate each
record (a second for vLLM's 16.7k PRs, growing with the history). A Parquet table written by
`save_prs` carries, in its schema metadata, that scorer validated it, and one 64-bit digest per
row over the row's canonical JSON (column `_digest`). Reading it skips per-record validation
(the file's own types hold, and table-wide checks run vectorized), can read only some columns,
and only the rows merged in a time range, which is what scoring one week needs.

`open_table` gives any supported table this shape: a scorer-written Parquet file is used as it
is; any other table is validated once and its working copy is kept in the cache directory, keyed
by the source's path, size and modification time (as make and git's index do), so the next run
reads the copy.

The row digests let a history snapshot (`scorer.snapshot`) prove cheaply that the PRs before its
cutoff are still the ones it walked: the digests of those rows hash to the snapshot's key.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import CacheWarning, ScorerError, first_line
from .fileio import atomic_path

META_KEY = b"scorer.table"
TABLE_FORMAT = 1
DIGEST = "_digest"
LIST_COLUMNS = ("files", "co_authors", "signed_off_by", "labels", "requested_reviewers")


_UNWRITABLE: set[Path] = set()  # cache roots already warned about in this process


def cache_unwritable(root: Path, exc: OSError) -> None:
    """A cache is an optimisation: a directory that cannot be written (read-only home, full disk)
    costs the run its speed-up, not its result. One warning line per cache root, then carry on."""
    if Path(root) in _UNWRITABLE:
        return
    _UNWRITABLE.add(Path(root))
    warnings.warn(f"{root}: cannot write the cache ({exc.strerror or exc}); this run keeps nothing "
                  "(choose another --cache-dir, or --no-cache)", CacheWarning, stacklevel=2)


def cache_root(cache_dir: str | os.PathLike | None = None) -> Path:
    """Where scorer keeps working copies and history snapshots: the option, else SCORER_CACHE_DIR,
    else ~/.cache/scorer (XDG_CACHE_HOME when set)."""
    if cache_dir:
        return Path(cache_dir)
    if os.environ.get("SCORER_CACHE_DIR"):
        return Path(os.environ["SCORER_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "scorer"


def row_digests(df: pd.DataFrame) -> np.ndarray:
    """One 64-bit digest per row of a canonical frame, over the row's JSON as `save_prs` writes it."""
    from .records import _jsonable

    cols = [c for c in df.columns if c != DIGEST]
    out = np.empty(len(df), np.uint64)
    for i, rec in enumerate(df[cols].to_dict("records")):
        text = json.dumps(_jsonable(rec), ensure_ascii=False, sort_keys=True)
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


def _working_copy_path(source: Path, root: Path) -> Path:
    st = source.stat()
    ident = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:24]
    return root / "tables" / f"{ident}-{st.st_size}-{st.st_mtime_ns}.parquet"


def open_table(path: str | os.PathLike, cache_dir: str | os.PathLike | None = None, use_cache: bool = True) -> Table:
    """Any supported PR table as a working table (see the module's docstring)."""
    table = _open(Path(path), cache_dir, use_cache)
    table.cache_dir = Path(cache_dir) if cache_dir else None
    return table


def _open(path: Path, cache_dir: str | os.PathLike | None, use_cache: bool) -> Table:
    from .records import load_prs, save_prs, table_format

    source = Path(path)
    if not source.exists():
        raise ScorerError("no such file", path=str(source))
    if table_format(source) == "parquet":
        meta = scorer_meta(source)
        if meta is not None:
            return _open_scorer_parquet(source, source, meta)
    copy = _working_copy_path(source, cache_root(cache_dir)) if use_cache else None
    if copy is not None and copy.exists():
        meta = scorer_meta(copy)
        if meta is not None:
            try:
                return _open_scorer_parquet(copy, source, meta)
            except ScorerError:
                pass  # a damaged copy is made again below
    df = load_prs(source)  # validated, record by record, once
    if copy is None:
        return _memory_table(df, source)
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        for old in copy.parent.glob(copy.name.split("-")[0] + "-*.parquet"):
            old.unlink(missing_ok=True)  # earlier versions of the same source
        save_prs(df, copy)
    except OSError as exc:
        cache_unwritable(cache_root(cache_dir), exc)
        return _memory_table(df, source)
    return _open_scorer_parquet(copy, source, scorer_meta(copy) or {})
