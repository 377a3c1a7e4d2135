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
import os
import warnings
from pathlib import Path


from .cacheseal import seal_file, sealed_file_ok
from .errors import CacheWarning, ScorerError
from .fileio import atomic_write_bytes, require_input, sweep_temporaries
from .pqtable import (Table, _memory_table, _open_scorer_parquet, scorer_meta)


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
    require_input(source)
    if table_format(source) == "parquet":
        meta = scorer_meta(source)
        if meta is not None:
            return _open_scorer_parquet(source, source, meta)
    root = cache_root(cache_dir)
    copy = _working_copy_path(source, root) if use_cache else None
    # The copy is used only when its sidecar tag says this cache wrote these very bytes: its
    # `_digest` column and metadata alone could be kept by an editor who changed the rows.
    if copy is not None and copy.exists():
        meta = scorer_meta(copy)
        if meta is not None and sealed_file_ok(root, copy, copy.with_name(copy.name + ".mac")):
            try:
                return _open_scorer_parquet(copy, source, meta)
            except ScorerError:
                pass  # a damaged copy is made again below
    df = load_prs(source)  # validated, record by record, once
    if copy is None:
        return _memory_table(df, source)
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        sweep_temporaries(copy.parent)
        for old in copy.parent.glob(copy.name.split("-")[0] + "-*.parquet*"):
            old.unlink(missing_ok=True)  # earlier versions of the same source, and their tags
        save_prs(df, copy)
        tag = seal_file(root, copy)
        if tag is None:
            copy.unlink(missing_ok=True)
            return _memory_table(df, source)
        atomic_write_bytes(copy.with_name(copy.name + ".mac"), tag)
    except OSError as exc:
        cache_unwritable(root, exc)
        return _memory_table(df, source)
    return _open_scorer_parquet(copy, source, scorer_meta(copy) or {})
