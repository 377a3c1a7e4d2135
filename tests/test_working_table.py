"""The working table and history snapshots (#18): a week reads the week, and gives the same
features and reports as walking the whole history."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst
from click.testing import CliRunner

from scorer.cli import main
from scorer.errors import ScorerError
from scorer.features import compute_features
from scorer.records import load_prs, save_prs
from scorer.snapshot import SnapshotStore, state_at
from scorer.pqtable import DIGEST
from scorer.table import open_table
from scorer.taxonomy import load_taxonomy

from conftest import bench_file, examples

DEMO = Path(__file__).parents[1] / "training_data" / "demo" / "history.jsonl.gz"


def _weeks(prs: pd.DataFrame, n: int) -> list[pd.Timestamp]:
    """Week starts (16:00 UTC Sunday = Monday 00:00 Asia/Shanghai) over the table's last months."""
    last = prs["merged_at"].max().floor("D") - pd.Timedelta(days=8)
    return [last - pd.Timedelta(weeks=k) for k in (3 + n, 3, 1, 0, 1)]  # a week twice: the warm path


def _check_weeks(source: Path, repo: str, cache: Path, weeks: list[pd.Timestamp]) -> list[str]:
    """Features of each week via the table and the snapshot store equal a full walk, bit for bit;
    returns how each week's state was found."""
    prs = load_prs(source)
    tax = load_taxonomy(None, repo=repo)
    table = open_table(source, cache)
    store = SnapshotStore(cache, repo, tax)
    how = []
    for start in weeks:
        end = start + pd.Timedelta(days=7)
        hist = prs[prs["merged_at"] < end]
        full = compute_features(hist, tax, wanted=hist["merged_at"] >= start)
        found = store.find(table.keys, start)
        how.append("cold" if found is None else "exact" if found[1] == start else "advanced")
        st, rows = state_at(table, tax, start, store, start)
        week = rows[(rows["merged_at"] >= start) & (rows["merged_at"] < end)]
        fast = compute_features(week, tax, state=st)
        assert len(fast) == len(full) > 0
        pd.testing.assert_frame_equal(fast.reset_index(drop=True), full.reset_index(drop=True), check_exact=True)
    return how


def test_scorer_parquet_round_trips_without_revalidation(tmp_path):
    prs = load_prs(DEMO)
    out = tmp_path / "prs.parquet"
    save_prs(prs, out)
    meta = pq.read_schema(out).metadata
    assert b"scorer.table" in meta and DIGEST in pq.read_schema(out).names
    pd.testing.assert_frame_equal(load_prs(out), prs, check_exact=True)
    # A time-range read is the same rows as filtering the whole frame.
    t = prs["merged_at"].quantile(0.5)
    part = open_table(out).read(since=t)
    pd.testing.assert_frame_equal(part, prs[prs["merged_at"] >= t].reset_index(drop=True), check_exact=True)


def test_an_edited_scorer_parquet_is_refused(tmp_path):
    out = tmp_path / "prs.parquet"
    save_prs(load_prs(DEMO), out)
    tb = pq.read_table(out)
    rows = tb.to_pandas()
    rows.loc[3, DIGEST] = 12345  # another tool rewrote a row and its digest, keeping the metadata
    import pyarrow as pa
    pq.write_table(pa.Table.from_pandas(rows, preserve_index=False).replace_schema_metadata(tb.schema.metadata), out)
    with pytest.raises(ScorerError, match="digest"):
        load_prs(out)
    res = CliRunner().invoke(main, ["score", "--prs", str(out), "--model", "models/generic-importance",
                                    "--week", "2026-W28", "-o", str(tmp_path / "r")])
    assert res.exit_code == 2 and "digest" in res.output and "Traceback" not in res.output


def test_working_copy_is_made_once_and_follows_the_source(tmp_path):
    src = tmp_path / "prs.jsonl.gz"
    src.write_bytes(DEMO.read_bytes())
    cache = tmp_path / "cache"
    first = open_table(src, cache)
    assert first.path.parent == cache / "tables" and first.path.exists()
    mtime = first.path.stat().st_mtime_ns
    again = open_table(src, cache)
    assert again.path == first.path and again.path.stat().st_mtime_ns == mtime  # read, not rewritten
    prs = load_prs(src)
    save_prs(prs.iloc[5:], src)  # the source changes: a new copy replaces the old one
    changed = open_table(src, cache)
    assert changed.path != first.path and not first.path.exists() and len(changed.keys) == len(prs) - 5
    nocache = open_table(src, tmp_path / "unused", use_cache=False)
    assert nocache.path is None and not (tmp_path / "unused").exists()
    pd.testing.assert_frame_equal(nocache.read(), changed.read(), check_exact=True)


def test_snapshot_weeks_equal_a_full_walk_demo(tmp_path):
    how = _check_weeks(DEMO, "demo/engine", tmp_path, _weeks(load_prs(DEMO), 4))
    # The first week walks the history; each later one starts from the snapshot the one before it
    # left and walks only the PRs since; a week scored again starts from its own.
    assert how == ["cold", "advanced", "advanced", "advanced", "exact"]


def test_snapshot_weeks_equal_a_full_walk_vllm(tmp_path):
    src = bench_file("vllm", "prs.jsonl.gz")
    weeks = [pd.Timestamp("2026-03-01T16:00Z"), pd.Timestamp("2026-04-26T16:00Z"),
             pd.Timestamp("2026-05-03T16:00Z"), pd.Timestamp("2026-05-03T16:00Z")]
    assert _check_weeks(src, "vllm-project/vllm", tmp_path, weeks) == ["cold", "advanced", "advanced", "exact"]


def test_a_changed_history_or_a_damaged_snapshot_is_a_miss(tmp_path):
    prs = load_prs(DEMO)
    src = tmp_path / "prs.parquet"
    save_prs(prs, src)
    cache = tmp_path / "cache"
    start = _weeks(prs, 1)[3]
    assert _check_weeks(src, "demo/engine", cache, [start, start]) == ["cold", "exact"]
    # One old PR gains a file: the PRs before the cutoff are no longer the snapshot's.
    edited = prs.copy()
    i = int(edited.index[edited["merged_at"] < start - pd.Timedelta(days=30)][0])
    edited.at[i, "files"] = edited.at[i, "files"] + [{"filename": "engine/new.py", "status": "added",
                                                      "additions": 10, "deletions": 0, "binary": False,
                                                      "previous_filename": None}]
    save_prs(edited, src)
    assert _check_weeks(src, "demo/engine", cache, [start]) == ["cold"]
    # Damaged snapshot files are misses, and are replaced.
    for p in (cache / "history").rglob("*.json.gz"):
        p.write_bytes(gzip.compress(b'{"format": 1, "cutoff": "x"'))
    assert _check_weeks(src, "demo/engine", cache, [start, start]) == ["cold", "exact"]
    for p in (cache / "history").rglob("*.json.gz"):
        p.write_bytes(b"not gzip")
    assert _check_weeks(src, "demo/engine", cache, [start]) == ["cold"]


def test_score_with_and_without_the_cache_writes_the_same_report(tmp_path):
    runner = CliRunner()
    outs = []
    for k, extra in enumerate((["--cache-dir", str(tmp_path / "c")], ["--cache-dir", str(tmp_path / "c")],
                               ["--no-cache"])):
        out = tmp_path / f"r{k}"
        res = runner.invoke(main, ["score", "--prs", str(DEMO), "--model", "models/generic-importance",
                                   "--week", "2026-W28", "--lang", "en", "-o", str(out), *extra])
        assert res.exit_code == 0, res.output
        outs.append(out)
    for name in ("report.md", "report.json", "scores.csv"):
        got = [next(o.rglob(name)).read_bytes() for o in outs]
        assert got[0] == got[1] == got[2], name
    assert list((tmp_path / "c" / "history").rglob("*.json.gz"))
    assert os.environ["SCORER_CACHE_DIR"] != str(tmp_path / "c")


def test_a_week_from_the_table_equals_one_from_the_whole_history(tmp_path):
    """The table path reads eight weeks and takes the model vocabulary from the cache; its report
    context and scores equal score_week's over the whole history, also after the cached
    vocabulary is damaged or rows inside its year change."""
    from scorer.pipeline import score_week, week_from_table
    from scorer.score import load_model

    model_path = Path(__file__).parents[1] / "models" / "generic-importance"
    bundle = load_model(model_path)
    prs = load_prs(DEMO)
    src = tmp_path / "prs.parquet"
    save_prs(prs, src)
    cache = tmp_path / "cache"
    start = _weeks(prs, 1)[3]
    end = start + pd.Timedelta(days=7)

    def both() -> None:
        table = open_table(src, cache)
        whole = load_prs(src)
        want = score_week(whole, bundle, model_path, start, end, "2026-Wxx", lang="en")
        got = week_from_table(table, bundle, model_path, start, end, "2026-Wxx", use_cache=True, where=str(src),
                              lang="en")
        assert got.ctx == want.ctx
        pd.testing.assert_frame_equal(got.scores.reset_index(drop=True), want.scores.reset_index(drop=True),
                                      check_exact=True)

    both()
    both()  # warm: snapshot and vocabulary from the cache
    cached = list((cache / "derived" / "vocabulary").glob("*.json"))
    assert len(cached) == 1
    cached[0].write_bytes(b'{"broken": ')
    both()
    cached[0].write_text('{"x": 1}')
    both()
    # A PR inside the vocabulary's year gains a model file: a new key, a new vocabulary.
    edited = prs.copy()
    i = int(edited.loc[edited["merged_at"] < start - pd.Timedelta(days=70), "merged_at"].idxmax())
    edited.at[i, "files"] = edited.at[i, "files"] + [{"filename": "engine/models/brandnew.py", "status": "added",
                                                      "additions": 10, "deletions": 0, "binary": False,
                                                      "previous_filename": None}]
    save_prs(edited, src)
    both()
    assert len(list((cache / "derived" / "vocabulary").glob("*.json"))) == 2


def test_an_unwritable_cache_costs_the_speed_up_not_the_run(tmp_path):
    """A cache directory that cannot be made (here under a plain file, which stops root too) is
    one warning line on stderr; the report is the one --no-cache writes."""
    (tmp_path / "plain").write_text("not a directory")
    runner = CliRunner()
    outs = []
    for k, extra in enumerate((["--cache-dir", str(tmp_path / "plain" / "cache")], ["--no-cache"])):
        out = tmp_path / f"r{k}"
        res = runner.invoke(main, ["score", "--prs", str(DEMO), "--model", "models/generic-importance",
                                   "--week", "2026-W28", "--lang", "en", "-o", str(out), *extra])
        assert res.exit_code == 0, res.output
        outs.append((out, res.stderr))
    warned = [line for line in outs[0][1].splitlines() if line.startswith("warning:")]
    assert len(warned) == 1 and "cannot write the cache" in warned[0] and "plain" in warned[0]
    assert "warning" not in outs[1][1]
    for name in ("report.md", "report.json", "scores.csv"):
        assert next(outs[0][0].rglob(name)).read_bytes() == next(outs[1][0].rglob(name)).read_bytes(), name


def test_the_cache_keeps_the_most_recently_used_snapshots(tmp_path, monkeypatch):
    """A weekly cron adds a snapshot a week: the store keeps the KEEP_SNAPSHOTS most recently
    written or used, so the cache stays bounded and the week being re-run keeps its own."""
    import scorer.snapshot as snapshot

    monkeypatch.setattr(snapshot, "KEEP_SNAPSHOTS", 2)
    prs = load_prs(DEMO)
    src = tmp_path / "prs.parquet"
    save_prs(prs, src)
    cache = tmp_path / "cache"
    weeks = sorted(_weeks(prs, 6)[:4])
    # Oldest first: each week is found from the one before (advanced), and written.
    assert _check_weeks(src, "demo/engine", cache, weeks[:1]) == ["cold"]
    files = lambda: sorted((cache / "history").rglob("*.json.gz"))  # noqa: E731
    for w in weeks[1:]:
        _check_weeks(src, "demo/engine", cache, [w])
        assert len(files()) <= 2
    cutoffs = lambda: {int(f.name.split("-")[0]) for f in files()}  # noqa: E731
    assert cutoffs() == {int(w.timestamp()) for w in weeks[-2:]}
    # Re-using the older kept snapshot marks it used; an older week scored next (a backfill,
    # found cold and written) then pushes out the one not used since.
    assert _check_weeks(src, "demo/engine", cache, [weeks[-2]]) == ["exact"]
    assert _check_weeks(src, "demo/engine", cache, [weeks[1]]) == ["cold"]
    assert cutoffs() == {int(weeks[1].timestamp()), int(weeks[-2].timestamp())}


def test_a_snapshot_document_round_trips_the_state():
    """state_from_doc(state_doc(st)) holds what st holds from 90 days before the cutoff on:
    every counter, window, set and mapping, in the same key order (format 2 writes each path
    and author once and the mappings as [key indices, values])."""
    import orjson

    from scorer.features import history_state
    from scorer.snapshot import WINDOW, state_doc, state_from_doc

    prs = load_prs(DEMO)
    tax = load_taxonomy(None, repo="demo/engine")
    cutoff = prs["merged_at"].quantile(0.8).floor("s")
    secs = float((cutoff - pd.Timestamp(0, tz="UTC")).total_seconds())
    st = history_state(prs[prs["merged_at"] < cutoff], tax)
    back = state_from_doc(orjson.loads(orjson.dumps(state_doc(st, secs), option=orjson.OPT_SERIALIZE_NUMPY)))
    edge = secs - WINDOW
    for name in ("author_count", "file_changes", "file_size", "file_last", "file_authors", "author_modules",
                 "dirs_seen", "repos", "last_merged"):
        got, want = getattr(back, name), getattr(st, name)
        assert got == (dict(want) if isinstance(want, dict) else want), name
        if isinstance(want, dict):
            assert list(got) == list(want), name  # key order kept
    for name in ("author_times", "file_fixes", "file_touches", "term_times", "prefix_times", "file_recent"):
        want = {k: [x for x in dq if (x[0] if isinstance(x, tuple) else x) >= edge] for k, dq in getattr(st, name).items()}
        assert {k: list(v) for k, v in getattr(back, name).items()} == {k: v for k, v in want.items() if v}, name
    assert list(back.recent_prs) == [t for t in st.recent_prs if t >= edge]
    assert back.author_times or back.file_touches  # the demo's last 90 days are not empty


def test_a_malformed_snapshot_document_raises_what_find_treats_as_a_miss():
    from scorer.features import HistoryState
    from scorer.snapshot import state_doc, state_from_doc

    doc = state_doc(HistoryState(), 0.0)
    doc["paths"], doc["file_last"] = ["a.py"], [[0], [1.0]]
    assert state_from_doc(doc).file_last == {"a.py": 1.0}
    for bad in ([[-1], [1.0]], [[0, 0], [1.0]], [[5], [1.0]], [[0], 1.0], {"a.py": 1.0}, [[0], ["1.0"]],
                [[0], [True]], [[0.0], [1.0]], [["0"], [1.0]], [[0], [None]]):
        doc["file_last"] = bad
        with pytest.raises((ValueError, TypeError, IndexError, KeyError)):
            state_from_doc(doc)
    doc["file_last"] = [[0], [1.0]]
    for field, bad in (("paths", [1]), ("author_count", [[0], [1.5]]), ("authors", ["x", None]),
                       ("file_authors", [[0], [["0"]]]), ("file_touches", [[0], [[1.0, "x"]]]),
                       ("file_recent", [[0], ["1.0"]]), ("author_modules", [[], []]),
                       ("term_times", {"moe": ["x"]}), ("term_times", {"moe": 1.0}), ("prefix_times", []),
                       ("recent_prs", [1.0, {}]), ("dirs_seen", [["a"]]), ("repos", "demo/x"),
                       ("last_merged", "2026-01-01"), ("last_merged", False)):
        fixed = dict(doc, authors=["x"], author_modules=[[0], [{"engine": 1}]])
        assert state_from_doc(fixed).author_modules == {"x": {"engine": 1}}
        fixed[field] = bad
        if field == "author_modules":
            fixed[field] = [[0], [{"engine": "1"}]]
        with pytest.raises((ValueError, TypeError, IndexError, KeyError)):
            state_from_doc(fixed)


@settings(max_examples=examples(200))
@given(hst.lists(hst.tuples(hst.sampled_from(["a/b", "c/d", "e/f"]),
                          hst.one_of(hst.integers(1, 50), hst.integers(2**62 - 5, 2**63 - 1))), max_size=30))
def test_unique_keys_agrees_with_a_duplicated_check(pairs):
    from scorer.pqtable import _unique_keys

    keys = pd.DataFrame(pairs, columns=["repo", "number"]).astype({"number": "int64"})
    assert _unique_keys(keys) == (not keys.duplicated(["repo", "number"]).any())


def test_a_tampered_cache_cannot_change_a_report(tmp_path):
    """Cache entries prove scorer wrote them (scorer.cacheseal): an edited snapshot (counts +500,
    same name, valid gzip JSON), an edited working copy (a title changed, its `_digest` column and
    metadata kept), an edited vocabulary and a gzip bomb under a snapshot's name are misses, so the
    week equals the one scored without a cache; temporaries of killed runs are swept; the key is 0600."""
    import json
    import time
    import warnings

    import orjson
    import pyarrow as pa

    from scorer.cacheseal import MAGIC, TAG_LEN, gunzip_bounded, write_sealed
    from scorer.errors import CacheWarning
    from scorer.pipeline import score_period

    model = Path(__file__).parents[1] / "models" / "generic-importance"
    src = tmp_path / "prs.jsonl.gz"
    src.write_bytes(DEMO.read_bytes())
    cache = tmp_path / "cache"
    week = "2026-W29"

    def scores(use_cache: bool) -> pd.DataFrame:
        _, s, _ = score_period(src, model, tmp_path / ("out" if use_cache else "plain"), week=week, lang="en",
                               cache_dir=cache, use_cache=use_cache, formats=("json",))
        return s.reset_index(drop=True)

    plain = scores(False)
    pd.testing.assert_frame_equal(scores(True), plain)  # cold: writes the copy, a snapshot, the vocabulary
    assert oct((cache / "key").stat().st_mode & 0o777) == "0o600"
    snap = next((cache / "history").rglob("*.json.gz"))
    sealed = snap.read_bytes()
    doc = orjson.loads(gzip.decompress(sealed[len(MAGIC) + TAG_LEN:]))
    doc["author_count"][1] = [c + 500 for c in doc["author_count"][1]]
    forged = gzip.compress(orjson.dumps(doc))
    doc["author_count"][1] = [str(c) for c in doc["author_count"][1]]
    mistyped = gzip.compress(orjson.dumps(doc))  # sealed with the right key below: types still checked
    copy = next((cache / "tables").glob("*.parquet"))
    tb = pq.read_table(copy)
    titles = tb.column("title").to_pylist()
    tb = tb.set_column(tb.column_names.index("title"), "title", pa.array(["HACKED " + t for t in titles]))
    vocab = next((cache / "derived" / "vocabulary").glob("*.json"))
    for tamper in (lambda: snap.write_bytes(forged),                          # no seal at all
                   lambda: snap.write_bytes(sealed[:len(MAGIC) + TAG_LEN] + forged),  # the old seal, new bytes
                   lambda: snap.write_bytes(gzip.compress(b"0" * (8 << 20))),      # a bomb, unsealed: never inflated
                   lambda: write_sealed(cache, snap, mistyped),                    # counts as strings
                   lambda: pq.write_table(tb, copy),
                   lambda: vocab.write_bytes(json.dumps({"x": "FakeModel"}).encode())):
        tamper()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CacheWarning)
            got = scores(True)
        pd.testing.assert_frame_equal(got, plain)
        assert not any(str(t).startswith("HACKED") for t in got["title"])
    assert gunzip_bounded(gzip.compress(b"0" * (8 << 20)), 1 << 20) is None  # and a sealed one stops at the bound
    assert gunzip_bounded(gzip.compress(b"x" * 100), 1 << 20) == b"x" * 100
    old = snap.parent / f".{snap.name}.abc123.tmp"
    old.write_bytes(b"half a snapshot")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    fresh = snap.parent / f".{snap.name}.def456.tmp"
    fresh.write_bytes(b"being written")
    for p in (snap.parent).glob("*.json.gz"):
        p.unlink()
    scores(True)  # writes a snapshot again, sweeping what killed runs left
    assert not old.exists() and fresh.exists()
