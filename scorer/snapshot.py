"""History snapshots: the feature walk's state as of a cutoff, kept so a week costs the week.

Point-in-time features read a state built from every PR merged before (per author, file and
title term counters and merge times). Scoring one week used to re-walk the whole history for it.
A snapshot is that state at a cutoff (a week's start), stored as plain JSON: loading it runs no
code, and a damaged or foreign file is only a cache miss. The next run starts from the newest
valid snapshot at or before its period, walks the PRs between, and featurizes only its own.

A snapshot is valid for a table when the PRs merged before its cutoff are exactly those it
walked: its file name holds the hash of their row digests (`table.digest_of`), recomputed from
the table's key columns in milliseconds. It is also keyed by the repository, the taxonomy's
content and scorer's version, since the state depends on all three. Time windows older than the
longest one any feature reads (90 days before the cutoff) are dropped, so a snapshot's size
follows the repository's files and authors, not its age.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
import math
import os
import re
from collections import Counter, defaultdict, deque
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .features import DAY, HistoryState, history_state, merge_seconds
from .fileio import atomic_write_bytes
from .table import DIGEST, Table, cache_unwritable, digest_of

SNAPSHOT_FORMAT = 1
WINDOW = 90 * DAY   # the longest time window a feature reads (rexp, fixes90, act90)
MAX_CANDIDATES = 8  # snapshots tried per lookup, newest first
KEEP_SNAPSHOTS = 16  # per repository and taxonomy: the most recently written or used (~1 MB each for vLLM)
KEEP_DERIVED = 64    # per kind of derived document (a few kB each)
_NAME_RE = re.compile(r"^(\d{10,12})-([0-9a-f]{64})\.json\.gz$")

_TIMES = ("author_times", "file_fixes", "file_touches", "term_times", "prefix_times")
_COUNTERS = ("author_count", "file_changes", "file_size")


def state_doc(st: HistoryState, cutoff: float) -> dict:
    """The state as plain data, windows trimmed to what reads at or after `cutoff` can count."""
    edge = cutoff - WINDOW
    doc: dict = {"format": SNAPSHOT_FORMAT, "cutoff": cutoff, "repos": sorted(st.repos),
                 "last_merged": st.last_merged if math.isfinite(st.last_merged) else None}
    for name in _COUNTERS:
        doc[name] = dict(getattr(st, name))
    for name in _TIMES:
        kept = {k: [t for t in dq if t >= edge] for k, dq in getattr(st, name).items()}
        doc[name] = {k: v for k, v in kept.items() if v}
    doc["file_recent"] = {k: v for k, v in ((k, [[t, n] for t, n in dq if t >= edge])
                                            for k, dq in st.file_recent.items()) if v}
    doc["recent_prs"] = [t for t in st.recent_prs if t >= edge]
    doc["author_modules"] = {a: dict(c) for a, c in st.author_modules.items()}
    doc["file_authors"] = {f: sorted(a) for f, a in st.file_authors.items()}
    doc["file_last"] = dict(st.file_last)
    doc["dirs_seen"] = sorted(st.dirs_seen)
    return doc


def state_from_doc(doc: dict) -> HistoryState:
    """Rebuild a HistoryState from `state_doc` output. JSON gives the values their types already;
    a malformed document raises KeyError/TypeError/ValueError, which the caller treats as a miss."""
    if doc.get("format") != SNAPSHOT_FORMAT:
        raise ValueError("snapshot format")
    st = HistoryState()
    for name in _COUNTERS:
        getattr(st, name).update(_mapping(doc[name]))
    for name in _TIMES:
        getattr(st, name).update((k, deque(v)) for k, v in _mapping(doc[name]).items())
    st.file_recent.update((k, deque(map(tuple, v))) for k, v in _mapping(doc["file_recent"]).items())
    st.recent_prs = deque(doc["recent_prs"])
    st.author_modules.update((a, Counter(_mapping(c))) for a, c in _mapping(doc["author_modules"]).items())
    st.file_authors.update((f, set(a)) for f, a in _mapping(doc["file_authors"]).items())
    st.file_last = dict(_mapping(doc["file_last"]))
    st.dirs_seen = set(doc["dirs_seen"])
    st.last_merged = -np.inf if doc["last_merged"] is None else float(doc["last_merged"])
    st.repos = set(doc["repos"])
    return st


@contextmanager
def gc_paused():
    """A state is ~100k containers without reference cycles: building it with the collector on
    triggers full collections that walk every object the process holds (the loaded model, the
    frames), which took longer than the build itself. A week's scoring (rows read as Python
    lists, the report's look-back) is the same kind of work: bounded, and freed by reference
    counting when it ends."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _mapping(d) -> dict:
    if not isinstance(d, dict):
        raise TypeError("snapshot field is not a mapping")
    return d


def _seconds(ts: pd.Timestamp) -> float:
    return float((ts - pd.Timestamp(0, tz="UTC")).total_seconds())


class SnapshotStore:
    """Snapshots of one repository's state under one taxonomy, in `root/history/`."""

    def __init__(self, root: Path, repo: str, tax) -> None:
        key = hashlib.sha256(json.dumps([SNAPSHOT_FORMAT, __version__, repo, tax.digest]).encode()).hexdigest()
        self.root = Path(root)
        self.dir = self.root / "history" / key[:32]

    def _prefix(self, keys: pd.DataFrame, cutoff: pd.Timestamp) -> str:
        return digest_of(keys.loc[keys["merged_at"] < cutoff, DIGEST].to_numpy())

    def find(self, keys: pd.DataFrame, start: pd.Timestamp) -> tuple[HistoryState, pd.Timestamp] | None:
        """The newest valid snapshot with a cutoff at or before `start`, or None."""
        try:
            names = [m for m in (_NAME_RE.match(p.name) for p in self.dir.iterdir()) if m]
        except OSError:
            return None
        limit = _seconds(start)
        tried = 0
        for m in sorted(names, key=lambda m: -int(m.group(1))):
            cutoff_s = int(m.group(1))
            if cutoff_s > limit:
                continue
            tried += 1
            if tried > MAX_CANDIDATES:
                break
            cutoff = pd.Timestamp(cutoff_s, unit="s", tz="UTC")
            if self._prefix(keys, cutoff) != m.group(2):
                continue
            try:
                with gc_paused():
                    doc = json.loads(gzip.decompress((self.dir / m.string).read_bytes()))
                    if doc["cutoff"] != cutoff_s:
                        continue
                    st = state_from_doc(doc)
                _touch(self.dir / m.string)
                return st, cutoff
            except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError, gzip.BadGzipFile):
                continue  # a damaged snapshot is a miss
        return None

    def save(self, st: HistoryState, keys: pd.DataFrame, cutoff: pd.Timestamp) -> Path | None:
        """Write the state at `cutoff` (it must hold exactly the PRs of `keys` merged before it);
        None when the directory cannot be written (a warning; the run goes on)."""
        seconds = int(_seconds(cutoff))
        if seconds != _seconds(cutoff):
            raise ValueError("a snapshot's cutoff is a whole second")
        data = json.dumps(state_doc(st, seconds), ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False).encode("utf-8")
        path = self.dir / f"{seconds}-{self._prefix(keys, cutoff)}.json.gz"
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, gzip.compress(data, compresslevel=1, mtime=0))
        except OSError as exc:
            cache_unwritable(self.root, exc)
            return None
        _keep_newest(self.dir, "*.json.gz", KEEP_SNAPSHOTS)
        return path


class DerivedCache:
    """Small JSON documents derived from a set of table rows, named by a hash of what they derive
    from (the rows' digests, the repository, scorer's version and a kind), in `root/derived/`.
    Like a snapshot, a damaged or unreadable document is a miss and loading one runs no code."""

    def __init__(self, root: Path, kind: str) -> None:
        self.root = Path(root)
        self.dir = self.root / "derived" / kind

    def _path(self, key: list) -> Path:
        return self.dir / (hashlib.sha256(json.dumps([__version__, *key]).encode()).hexdigest()[:40] + ".json")

    def get(self, key: list) -> object | None:
        try:
            doc = json.loads(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None
        _touch(self._path(key))
        return doc

    def put(self, key: list, doc: object) -> None:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self._path(key), json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        except OSError as exc:
            cache_unwritable(self.root, exc)
            return
        _keep_newest(self.dir, "*.json", KEEP_DERIVED)


def _touch(path: Path) -> None:
    """Mark a cache file used, so pruning keeps it (best effort: a read-only cache still reads)."""
    try:
        os.utime(path)
    except OSError:
        pass


def _keep_newest(directory: Path, pattern: str, keep: int) -> None:
    """Bound a cache directory: a weekly cron adds a snapshot a week, so without this the cache
    grows forever. The least recently written or used files go first; another process's file
    vanishing meanwhile is fine (a miss for it, at worst)."""
    try:
        files = []
        for p in directory.glob(pattern):
            try:
                files.append((p.stat().st_mtime_ns, p.name, p))
            except OSError:
                continue
        for _, _, p in sorted(files, reverse=True)[keep:]:
            p.unlink(missing_ok=True)
    except OSError:
        pass


def state_at(table: Table, tax, start: pd.Timestamp, store: SnapshotStore | None,
             read_since: pd.Timestamp, read_until: pd.Timestamp | None = None) -> tuple[HistoryState, pd.DataFrame]:
    """The history state as of `start` and the table's rows merged from `read_since` (or from the
    snapshot's cutoff, when earlier) up to `read_until` (or the table's end): what scoring a
    period starting at `start` reads. Uses and refreshes the snapshot store when given."""
    found = store.find(table.keys, start) if store is not None else None
    if found is None:
        rows = table.read(until=read_until)
        older = rows[rows["merged_at"] < start]
        st = history_state(older, tax, recent_from=_seconds(start) - WINDOW)
    else:
        st, cutoff = found
        rows = table.read(since=min(cutoff, read_since), until=read_until)
        between = rows[(rows["merged_at"] >= cutoff) & (rows["merged_at"] < start)]
        if len(between):
            history_state(between, tax, state=st)
    if store is not None and (found is None or found[1] < start) and start == start.floor("s"):
        store.save(st, table.keys, start)
    return st, rows
