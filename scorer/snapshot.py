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

import gzip
import hashlib
import json
import math
import os
import re
from collections import Counter, deque
from itertools import chain
from pathlib import Path

import numpy as np
import orjson
import pandas as pd

from . import __version__
from .features import DAY, HistoryState, history_state
from .cacheseal import distrust, gunzip_bounded, read_sealed, write_sealed
from .gcpolicy import gc_paused
from .pqtable import DIGEST, Table, digest_of
from .table import cache_unwritable

SNAPSHOT_FORMAT = 2  # 2: paths and authors written once, mappings as [key indices, values]
WINDOW = 90 * DAY   # the longest time window a feature reads (rexp, fixes90, act90)
MAX_CANDIDATES = 8  # snapshots tried per lookup, newest first
KEEP_SNAPSHOTS = 16  # per repository and taxonomy: the most recently written or used (~1 MB each for vLLM)
KEEP_DERIVED = 64    # per kind of derived document (a few kB each)
_NAME_RE = re.compile(r"^(\d{10,12})-([0-9a-f]{64})\.json\.gz$")
MAX_SNAPSHOT_BYTES = 256 << 20  # inflated; vLLM's is ~2 MB, a gzip bomb under a snapshot's name stops here
MAX_DERIVED_BYTES = 16 << 20

def state_doc(st: HistoryState, cutoff: float) -> dict:
    """The state as plain data, windows trimmed to what reads at or after `cutoff` can count.

    Laid out for loading: every file path and author name is written once (`paths`, `authors`)
    and each per-file or per-author mapping is a pair [indices of its keys, its values], in the
    mapping's own order. Six mappings share vLLM's ~7.5k paths: written as keys of six objects,
    they made a 3.8 MB document whose parsing was most of a warm week's snapshot load; as
    indices, it is half the size and parses in a third of the time."""
    edge = cutoff - WINDOW
    paths: dict[str, int] = {}
    authors: dict[str, int] = {}

    def keyed(mapping: dict, index: dict[str, int], value=lambda v: v) -> list:
        return [[index.setdefault(k, len(index)) for k in mapping], [value(v) for v in mapping.values()]]

    def windowed(mapping: dict) -> dict:
        kept = ((k, [t for t in dq if t >= edge]) for k, dq in mapping.items())
        return {k: v for k, v in kept if v}

    recent = {k: v for k, v in ((k, [x for t, n in dq if t >= edge for x in (t, n)])
                                for k, dq in st.file_recent.items()) if v}
    doc: dict = {"format": SNAPSHOT_FORMAT, "cutoff": cutoff, "repos": sorted(st.repos),
                 "last_merged": st.last_merged if math.isfinite(st.last_merged) else None,
                 "file_changes": keyed(st.file_changes, paths), "file_size": keyed(st.file_size, paths),
                 "file_last": keyed(st.file_last, paths),
                 "file_authors": keyed(st.file_authors, paths,
                                       lambda a: sorted(authors.setdefault(x, len(authors)) for x in a)),
                 "file_fixes": keyed(windowed(st.file_fixes), paths),
                 "file_touches": keyed(windowed(st.file_touches), paths),
                 "file_recent": keyed(recent, paths),  # [t, n, t, n, ...] per file
                 "author_count": keyed(st.author_count, authors),
                 "author_times": keyed(windowed(st.author_times), authors),
                 "author_modules": keyed({a: dict(c) for a, c in st.author_modules.items()}, authors),
                 "term_times": windowed(st.term_times), "prefix_times": windowed(st.prefix_times),
                 "recent_prs": [t for t in st.recent_prs if t >= edge], "dirs_seen": sorted(st.dirs_seen)}
    doc["paths"], doc["authors"] = list(paths), list(authors)
    return doc


def state_from_doc(doc: dict) -> HistoryState:
    """Rebuild a HistoryState from `state_doc` output, checking every value's type on the way:
    a sealed entry is still only data, and a string where a count belongs would crash the
    feature walk far from here. A malformed document raises TypeError/ValueError/KeyError/
    IndexError, which the caller treats as a miss."""
    if doc.get("format") != SNAPSHOT_FORMAT:
        raise ValueError("snapshot format")
    paths, authors = _strings(doc["paths"]), _strings(doc["authors"])

    def pairs(name: str, names: list, check) -> zip:
        keys, values = _list(doc[name])
        _numbers(keys, ints=True)
        if len(keys) != len(_list(values)) or (keys and min(keys) < 0):
            raise ValueError(f"snapshot field {name}")
        check(values)
        return zip([names[i] for i in keys], values)

    ints = lambda v: _numbers(v, ints=True)  # noqa: E731

    def each(check):
        """Check a list of lists as one flat list (one pass in C, not a call per file)."""
        def run(values: list) -> None:
            if not set(map(type, values)) <= {list}:
                raise TypeError("snapshot field holds a non-list")
            check(list(chain.from_iterable(values)))
        return run

    st = HistoryState()
    st.file_changes.update(dict(pairs("file_changes", paths, ints)))
    st.file_size.update(dict(pairs("file_size", paths, ints)))
    st.file_last = dict(pairs("file_last", paths, _numbers))
    st.file_authors.update((f, set(map(authors.__getitem__, a)))
                           for f, a in pairs("file_authors", paths, each(ints)))
    st.file_fixes.update((f, deque(v)) for f, v in pairs("file_fixes", paths, each(_numbers)))
    st.file_touches.update((f, deque(v)) for f, v in pairs("file_touches", paths, each(_numbers)))
    st.file_recent.update((f, deque(zip(v[::2], v[1::2]))) for f, v in pairs("file_recent", paths, each(_numbers)))
    st.author_count.update(dict(pairs("author_count", authors, ints)))
    st.author_times.update((a, deque(v)) for a, v in pairs("author_times", authors, each(_numbers)))
    st.author_modules.update((a, Counter(c)) for a, c in pairs("author_modules", authors, _each_counts))
    for name in ("term_times", "prefix_times"):
        times = _mapping(doc[name])
        _strings(list(times))
        each(_numbers)(list(times.values()))
        getattr(st, name).update((k, deque(v)) for k, v in times.items())
    st.recent_prs = deque(_numbers(doc["recent_prs"]))
    st.dirs_seen = set(_strings(doc["dirs_seen"]))
    last = doc["last_merged"]
    st.last_merged = -np.inf if last is None else _numbers([last])[0]
    st.repos = set(_strings(doc["repos"]))
    return st


def _mapping(d) -> dict:
    if not isinstance(d, dict):
        raise TypeError("snapshot field is not a mapping")
    return d


def _list(v) -> list:
    if not isinstance(v, list):
        raise TypeError("snapshot field is not a list")
    return v


_INT, _NUM = {int}, {int, float}


def _numbers(v, ints: bool = False) -> list:
    """`v` when it is a list of finite-or-not JSON numbers (booleans are not numbers here)."""
    if not set(map(type, _list(v))) <= (_INT if ints else _NUM):
        raise TypeError("snapshot field holds a non-number")
    return v


def _strings(v) -> list:
    if not set(map(type, _list(v))) <= {str}:
        raise TypeError("snapshot field holds a non-string")
    return v


def _each_counts(values: list) -> None:
    """Each value a mapping of names to whole counts (an author's modules)."""
    if not set(map(type, values)) <= {dict}:
        raise TypeError("snapshot field holds a non-mapping")
    _strings(list(chain.from_iterable(values)))
    _numbers(list(chain.from_iterable(d.values() for d in values)), ints=True)


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
                data = read_sealed(self.root, self.dir / m.string, MAX_SNAPSHOT_BYTES)
                data = gunzip_bounded(data, MAX_SNAPSHOT_BYTES) if data is not None else None
                if data is None:
                    continue  # not sealed by this cache, or inflating past the bound: a miss
                with gc_paused():
                    doc = orjson.loads(data)
                    if doc["cutoff"] != cutoff_s:
                        continue
                    st = state_from_doc(doc)
                _touch(self.dir / m.string)
                return st, cutoff
            except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError, AttributeError,
                    RecursionError, gzip.BadGzipFile):
                distrust(self.root, (self.dir / m.string).relative_to(self.root).as_posix())  # sealed, yet not a state this scorer writes: a miss
                continue
        return None

    def save(self, st: HistoryState, keys: pd.DataFrame, cutoff: pd.Timestamp) -> Path | None:
        """Write the state at `cutoff` (it must hold exactly the PRs of `keys` merged before it);
        None when the directory cannot be written (a warning; the run goes on)."""
        seconds = int(_seconds(cutoff))
        if seconds != _seconds(cutoff):
            raise ValueError("a snapshot's cutoff is a whole second")
        data = orjson.dumps(state_doc(st, seconds), option=orjson.OPT_SERIALIZE_NUMPY)  # times are numpy floats
        path = self.dir / f"{seconds}-{self._prefix(keys, cutoff)}.json.gz"
        try:
            if not write_sealed(self.root, path, gzip.compress(data, compresslevel=1, mtime=0)):
                return None
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
        path = self._path(key)
        data = read_sealed(self.root, path, MAX_DERIVED_BYTES)
        try:
            doc = json.loads(data) if data is not None else None
        except (ValueError, RecursionError):
            return None
        if doc is not None:
            _touch(path)
        return doc

    def put(self, key: list, doc: object) -> None:
        try:
            if not write_sealed(self.root, self._path(key), json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")):
                return
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
