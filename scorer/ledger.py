"""The prediction ledger: every score scorer gives, kept as it was given.

Outcomes arrive up to 90 days after a merge, and a retrained bundle would re-score history
with hindsight; so each run appends what it predicted then (importance, each tag's probability,
its decision and threshold) with the bundle that said it. `scorer monitor` later joins these
rows with the outcomes known by then.

Layout: `<ledger>/<owner>__<name>/<YYYY-MM>.parquet`, one file per repository and month of
merge (month of prediction for PRs not merged yet), one row per PR, bundle and tag. A file is
rewritten whole through a temporary sibling (readers see the old file or the new one), under
an exclusive lock per file so two writers never lose each other's rows. A row's key is
(repo, number, tag, bundle hash): scoring a week again with the same bundle adds nothing (the
first prediction stands: it is the one made before anybody knew); another bundle adds its own.

What is read back is checked like input: the columns and their types, sizes, values in range.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from .errors import ScorerError
from .fileio import atomic_path

COLUMNS = ["repo", "number", "period", "merged_at", "bundle", "bundle_hash", "predicted_at", "source",
           "importance", "tag", "p", "decided", "threshold"]
KEY = ["repo", "number", "tag", "bundle_hash"]
SOURCES = frozenset({"score", "org", "service", "webhook", "backtest", "demo"})
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_ROWS = 20_000_000
_REPO_RE = re.compile(r"^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")
_MONTH_RE = re.compile(r"^\d{4}-\d{2}\.parquet$")
_HASH_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class BundleId:
    """Which bundle said it: the directory's name for people, the manifest's hash for machines
    (two bundles of one name trained apart differ in hash)."""
    name: str
    hash: str


def bundle_id(path: str | os.PathLike) -> BundleId:
    """The bundle's identity from its manifest (which lists every file's hash, so it changes
    with any file). Call it after load_bundle verified the manifest."""
    from .bundle import manifest_hash

    path = Path(path)
    return BundleId(path.resolve().name[:100] or "bundle", manifest_hash(path))


def model_id(model, name: str) -> BundleId:
    """The identity of a model never saved as a bundle (a backtest's, retrained at each origin):
    the hash of its document and tree texts, as a saved bundle's would list them."""
    from .modelio import dumps, to_document

    texts: dict[str, str] = {}
    doc = to_document(model, lambda n, text: texts.__setitem__(n, text))
    h = hashlib.sha256(dumps(doc).encode())
    for n in sorted(texts):
        h.update(n.encode() + b"\0" + texts[n].encode() + b"\0")
    return BundleId(name[:100], h.hexdigest())


def default_dir(cache_dir: str | os.PathLike | None = None) -> Path:
    """Beside scorer's cache (scorer.table.cache_root): `<cache>/ledger`."""
    from .table import cache_root

    return cache_root(cache_dir) / "ledger"


class DefaultLedger(type(Path())):
    """The ledger beside the cache, which nobody asked for by name: when it cannot be written
    the run goes on with a warning, as it does without its cache (a --ledger DIR given is an
    output like any other: failing to write it fails the run)."""


def resolve_dir(ledger: str | os.PathLike | None, no_ledger: bool,
                cache_dir: str | os.PathLike | None = None, use_cache: bool = True) -> Path | None:
    """--ledger DIR / --no-ledger: the directory a run appends to, or None. Without --ledger the
    ledger lives in the cache directory, so --no-cache (keep nothing on disk) keeps none."""
    if no_ledger and ledger is not None:
        raise ScorerError("give --ledger DIR or --no-ledger, not both")
    if no_ledger or (ledger is None and not use_cache):
        return None
    return Path(ledger) if ledger is not None else DefaultLedger(default_dir(cache_dir))


def prediction_rows(scores: pd.DataFrame, repo: str, period: str, bundle: BundleId,
                    thresholds: dict[str, float | None], *, source: str,
                    predicted_at: pd.Timestamp | None = None) -> pd.DataFrame:
    """The ledger rows of one scored table (scorer.score.score_frame's columns: number,
    merged_at, importance, p:<tag>): one per PR and tag, or one per PR with an empty tag when
    the bundle has no tag model."""
    if source not in SOURCES:
        raise ValueError(f"unknown ledger source {source!r}")
    at = pd.Timestamp.now(tz="UTC") if predicted_at is None else pd.Timestamp(predicted_at).tz_convert("UTC")
    n = len(scores)
    base = pd.DataFrame({
        "repo": np.full(n, repo, dtype=object),
        "number": scores["number"].to_numpy("int64"),
        "period": np.full(n, period, dtype=object),
        "merged_at": pd.to_datetime(scores["merged_at"], utc=True).to_numpy() if "merged_at" in scores
        else np.full(n, np.datetime64("NaT")),
        "bundle": np.full(n, bundle.name, dtype=object),
        "bundle_hash": np.full(n, bundle.hash, dtype=object),
        "predicted_at": np.full(n, at.to_datetime64()),
        "source": np.full(n, source, dtype=object),
        "importance": scores["importance"].to_numpy(float) if "importance" in scores else np.full(n, np.nan),
    })
    tags = [c[2:] for c in scores.columns if c.startswith("p:")]
    parts = []
    for tag in tags or [""]:
        p = scores[f"p:{tag}"].to_numpy(float) if tag else np.full(n, np.nan)
        thr = thresholds.get(tag) if tag else None
        parts.append(base.assign(tag=tag, p=p, threshold=np.nan if thr is None else float(thr),
                                 decided=(p >= thr) if thr is not None else np.zeros(n, bool)))
    out = pd.concat(parts, ignore_index=True)[COLUMNS]
    out["merged_at"] = pd.to_datetime(out["merged_at"], utc=True)
    out["predicted_at"] = pd.to_datetime(out["predicted_at"], utc=True)
    return out


def _partition(ledger: Path, repo: str, month: str) -> Path:
    if not _REPO_RE.match(repo) or repo.split("/")[0] in (".", "..") or repo.split("/")[1] in (".", ".."):
        raise ScorerError(f"not a repository name: {repo[:100]!r}", field="repo")
    return ledger / repo.replace("/", "__") / f"{month}.parquet"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `<file>.lock` while one writer reads, merges and replaces the file."""
    import fcntl

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path.with_name(f".{path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise ScorerError(f"cannot write the ledger ({exc.strerror or exc})", path=str(path.parent)) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def append(ledger: str | os.PathLike, rows: pd.DataFrame) -> int:
    """Add `rows` (prediction_rows) to the ledger; returns how many were new."""
    if rows.empty:
        return 0
    ledger = Path(ledger)
    when = rows["merged_at"].fillna(rows["predicted_at"])
    months = when.dt.strftime("%Y-%m")
    added = 0
    for (repo, month), part in rows.groupby([rows["repo"], months], sort=True):
        path = _partition(ledger, str(repo), str(month))
        with _locked(path):
            old = read_file(path) if path.exists() else None
            merged = part if old is None else pd.concat([old, part], ignore_index=True)
            merged = merged.drop_duplicates(KEY, keep="first")
            new = len(merged) - (0 if old is None else len(old))
            if new == 0:
                continue
            merged = merged.sort_values(["number", "tag", "predicted_at", "bundle_hash"], kind="mergesort")
            with atomic_path(path) as tmp:
                merged.reset_index(drop=True).to_parquet(tmp, index=False)
            added += new
    return added


def read_file(path: Path) -> pd.DataFrame:
    """One ledger file, checked: a file scorer wrote may still have been damaged or replaced."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScorerError(f"the ledger file is {size:,} bytes, over the {MAX_FILE_BYTES:,} limit", path=str(path))
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(path).metadata
        if meta.num_rows > MAX_ROWS:
            raise ScorerError(f"the ledger file holds {meta.num_rows:,} rows, over the {MAX_ROWS:,} limit",
                              path=str(path))
        df = pd.read_parquet(path)
    except ScorerError:
        raise
    except OSError as exc:
        raise ScorerError(f"cannot read the ledger file ({exc.strerror or exc})", path=str(path)) from None
    except Exception as exc:  # pyarrow raises its own types for a damaged file
        raise ScorerError(f"not a readable ledger file ({type(exc).__name__})", path=str(path)) from None
    return _checked(df, path)


def _checked(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ScorerError(f"the ledger file lacks the columns {', '.join(missing)}", path=str(path))
    df = df[COLUMNS].copy()

    def bad(field: str, why: str):
        return ScorerError(f"the ledger file has {why}", path=str(path), field=field)

    # These columns hold a few distinct values (one repository, a few bundles): check those.
    values = {c: df[c].unique() for c in ("repo", "period", "bundle", "bundle_hash", "source", "tag")}
    for c, vs in values.items():
        if not all(isinstance(v, str) and len(v) <= 200 for v in vs):
            raise bad(c, "a value that is not text of at most 200 characters")
    if not all(_REPO_RE.match(v) for v in values["repo"]):
        raise bad("repo", "a value that is not owner/name")
    if not all(_HASH_RE.match(v) for v in values["bundle_hash"]):
        raise bad("bundle_hash", "a value that is not a sha256")
    if not set(values["source"]) <= SOURCES:
        raise bad("source", "an unknown source")
    try:
        df["number"] = df["number"].astype("int64")
        for c in ("importance", "p", "threshold"):
            df[c] = df[c].astype(float)
        df["decided"] = df["decided"].astype(bool)
        for c in ("merged_at", "predicted_at"):
            df[c] = pd.to_datetime(df[c], utc=True)
    except (TypeError, ValueError, OverflowError):
        raise bad("number", "a value of the wrong type") from None
    if (df["number"] <= 0).any():
        raise bad("number", "a PR number below 1")
    p = df["p"].to_numpy()
    if ((p < 0) | (p > 1)).any():
        raise bad("p", "a probability outside [0, 1]")
    imp = df["importance"].to_numpy()
    if ((imp < 0) | (imp > 10)).any():
        raise bad("importance", "an importance outside [0, 10]")
    if df["predicted_at"].isna().any():
        raise bad("predicted_at", "a row without its time of prediction")
    if df.duplicated(KEY).any():
        raise bad("number", "the same prediction twice")
    return df


def earliest(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per PR: the first prediction made of it (the one made before anybody knew; ties
    by bundle hash, so the choice is deterministic)."""
    return rows.sort_values(["predicted_at", "bundle_hash"], kind="mergesort").drop_duplicates("number", keep="first")


def read_ledger(ledger: str | os.PathLike, repo: str | None = None, missing_ok: bool = False) -> pd.DataFrame:
    """Every row of the ledger (of one repository), checked file by file. With `missing_ok`, a
    ledger not written yet (or holding nothing of `repo`) is an empty table, not an error."""
    ledger = Path(ledger)
    if not ledger.is_dir():
        if missing_ok:
            return pd.DataFrame(columns=COLUMNS)
        raise ScorerError("no ledger here (score a week first, or give --ledger)", path=str(ledger))
    dirs = [ledger / repo.replace("/", "__")] if repo else sorted(p for p in ledger.iterdir() if p.is_dir())
    frames = []
    for d in dirs:
        if not d.is_dir():
            continue
        for f in sorted(d.iterdir()):
            if _MONTH_RE.match(f.name) and f.is_file() and not f.is_symlink():
                part = read_file(f)
                if (part["repo"].str.replace("/", "__") != d.name).any():
                    raise ScorerError("the ledger file holds another repository's rows", path=str(f))
                frames.append(part)
    if not frames:
        if missing_ok:
            return pd.DataFrame(columns=COLUMNS)
        raise ScorerError(f"the ledger holds no predictions{' for ' + repo if repo else ''}", path=str(ledger))
    return pd.concat(frames, ignore_index=True)


def thresholds_of(model) -> dict[str, float | None]:
    return {t: m.threshold for t, m in getattr(model, "tags_", {}).items()}


def record_scores(ledger: str | os.PathLike | None, scores: pd.DataFrame, repo: str, period: str,
                  bundle_path: str | os.PathLike, thresholds: dict[str, float | None], *, source: str,
                  predicted_at: pd.Timestamp | None = None) -> int:
    """Append one scored table's predictions (nothing when `ledger` is None: --no-ledger)."""
    if ledger is None or scores is None or not len(scores):
        return 0
    rows = prediction_rows(scores, repo, period, bundle_id(bundle_path), thresholds, source=source,
                           predicted_at=predicted_at)
    if not isinstance(ledger, DefaultLedger):
        return append(ledger, rows)
    try:
        return append(ledger, rows)
    except ScorerError as exc:
        import warnings

        from .errors import CacheWarning

        if not (ledger.parent.is_dir() and os.access(ledger.parent, os.W_OK)):
            return 0  # the cache directory itself is unusable: its warning said this run keeps nothing

        warnings.warn(f"{exc}; this run's predictions are not recorded (choose --ledger DIR, or --no-ledger)",
                      CacheWarning, stacklevel=2)
        return 0
