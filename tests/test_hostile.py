"""Hostile input, as a careful user and as an attacker would try it: every case ends in exit
code 2 with one line on stderr, no traceback, no hang, and nothing written where the output
was asked for. Plus property-based tests over the loaders and bounds on pathological globs."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DEMO = ROOT / "training_data" / "demo"
GENERIC = ROOT / "models" / "generic-importance"


def _rows() -> list[dict]:
    with gzip.open(DEMO / "history.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for _, line in zip(range(400), fh)]


def _table(path: Path, rows: list[dict] | None = None, raw: str | None = None) -> Path:
    path.write_text(raw if raw is not None else "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _with(i: int, **changes) -> list[dict]:
    rows = _rows()
    rows[i] = {**rows[i], **changes}
    return rows


def _cases(d: Path) -> list[tuple[str, list[str], Path | None]]:
    """(name, argv, output path that must not appear)."""
    good = _table(d / "good.jsonl", _rows())
    out = d / "out"
    r = _rows()
    dup = r + [r[0]]
    mixed = [dict(x) for x in r]
    mixed[5]["repo"] = "other/repo"
    deep = '{"repo": "demo/engine", "number": 1, "title": ' + "[" * 50000 + "]" * 50000 + "}\n"
    tables = {
        "number 10**30": _with(3, number=10**30),
        "number 2**63": _with(3, number=2**63),
        "number -4": _with(3, number=-4),
        "number 1003.5": _with(3, number=1003.5),
        "additions -5": _with(3, additions=-5),
        "deletions -1": _with(3, deletions=-1),
        "changed_files -3": _with(3, changed_files=-3),
        "file additions -2": _with(3, files=[{**_rows()[3]["files"][0], "additions": -2}]),
        "merged_at year 1": _with(3, merged_at="0001-01-01T00:00:00Z"),
        "merged_at year 9999": _with(3, merged_at="9999-12-31T00:00:00Z"),
        "merged_at garbage": _with(3, merged_at="yesterday"),
        "title not text": _with(3, title={"a": 1}),
        "files not a list": _with(3, files="x.py"),
        "duplicated number": dup,
    }
    cases: list[tuple[str, list[str], Path | None]] = []
    for name, rows in tables.items():
        p = _table(d / f"t{len(cases)}.jsonl", rows)
        cases.append((f"predict: {name}", ["predict", "--prs", str(p), "--model", str(GENERIC), "-o", str(out / "p.csv")], out))
        cases.append((f"ingest file: {name}", ["ingest", "file", str(p), "-o", str(out / "i.jsonl")], out))
    raw = {
        "deep nesting": deep,
        "lone surrogate": json.dumps(_rows()[0]).replace('"title": "', '"title": "\\ud800', 1) + "\n",
        "not json": "{nope\n",
        "empty": "",
        "binary": "\x00\x01\x02garbage\n",
    }
    for name, text in raw.items():
        p = _table(d / f"r{len(cases)}.jsonl", raw=text)
        cases.append((f"predict: {name}", ["predict", "--prs", str(p), "--model", str(GENERIC), "-o", str(out / "p.csv")], out))
        cases.append((f"ingest file: {name}", ["ingest", "file", str(p), "-o", str(out / "i.jsonl")], out))
    gz = d / "trunc.jsonl.gz"
    gz.write_bytes(gzip.compress(good.read_bytes())[:200])
    cases.append(("predict: truncated gzip", ["predict", "--prs", str(gz), "--model", str(GENERIC), "-o", str(out / "p.csv")], out))
    # A repository slug from the data names the report's directory: "demo/.." would write
    # <out>/2026-W30, replacing a user directory of that name.
    escape = _table(d / "escape.jsonl", [{**x, "repo": "demo/.."} for x in r])
    cases.append(("score: repo demo/..", ["score", "--prs", str(escape), "--model", str(GENERIC), "--week", "2026-W30",
                                         "-o", str(out / "reports")], out))
    mp = _table(d / "mixed.jsonl", mixed)
    cases.append(("score: mixed repositories", ["score", "--prs", str(mp), "--model", str(GENERIC), "--week", "2026-W30",
                                                "-o", str(out)], out))
    # Labels.
    lab = d / "labels"
    lab.mkdir()
    for name, text in {"number 1003.5": "repo,number,importance\ndemo/engine,1003.5,5\n",
                       "number 1e30": "repo,number,importance\ndemo/engine,1e30,5\n",
                       "importance 11": "repo,number,importance\ndemo/engine,1003,11\n",
                       "not utf-8": "repo,number,importance\ndemo/engine,1003,5\n\udcff"}.items():
        p = lab / f"l{len(cases)}.csv"
        p.write_bytes(text.encode("utf-8", "surrogateescape"))
        cases.append((f"train labels: {name}", ["train", "--prs", str(good), "--labels", str(p), "-o", str(out / "m")], out))
    fake = lab / "x.parquet"
    fake.write_text("not parquet")
    cases.append(("train labels: fake parquet", ["train", "--prs", str(good), "--labels", str(fake), "-o", str(out / "m")], out))
    notes = lab / "notes.md"
    notes.write_bytes(b"# v1\n\xff\xfe bad\n")
    cases.append(("label release-notes: not utf-8", ["label", "release-notes", "--prs", str(good), "--notes", str(notes),
                                                     "-o", str(out / "n.csv")], out))
    cases.append(("label report: not utf-8", ["label", "report", str(notes), "--repo", "demo/engine", "-o", str(out / "n.csv")], out))
    huge = lab / "huge.md"
    huge.write_text("| PR | importance |\n|---|---|\n| #" + "9" * 40 + " | 8 |\n", encoding="utf-8")
    cases.append(("label report: a 40-digit PR number", ["label", "report", str(huge), "--repo", "demo/engine",
                                                         "-o", str(out / "n.csv")], out))
    # A FIFO or a device where a file is expected: reading it would block or never end.
    fifo = d / "fifo.jsonl"
    os.mkfifo(fifo)
    cases.append(("predict: a FIFO as the table", ["predict", "--prs", str(fifo), "--model", str(GENERIC), "-o",
                                                   str(out / "p.csv")], out))
    cases.append(("train: /dev/zero as labels", ["train", "--prs", str(good), "--labels", "/dev/zero", "-o",
                                                 str(out / "m")], out))
    cases.append(("train: a FIFO as the taxonomy", ["train", "--prs", str(good), "--labels", str(DEMO / "labels.csv"),
                                                    "--taxonomy", str(fifo.with_suffix(".yaml")), "-o", str(out / "m")], out))
    os.mkfifo(fifo.with_suffix(".yaml"))
    # Options.
    labels = DEMO / "labels.csv"
    opt = [
        ("backtest --retrain-every 0w", ["backtest", "--prs", str(good), "--labels", str(labels), "--start", "2026-06-01",
                                         "--end", "2026-07-01", "--retrain-every", "0w", "-o", str(out)]),
        ("evaluate --bins 0", ["evaluate", "--prs", str(good), "--labels", str(labels), "--model", str(GENERIC),
                               "--since", "2026-07-01", "--until", "2026-07-20", "--bins", "0", "-o", str(out)]),
        ("evaluate --highlight-k 0", ["evaluate", "--prs", str(good), "--labels", str(labels), "--model", str(GENERIC),
                                      "--since", "2026-07-01", "--until", "2026-07-20", "--highlight-k", "0", "-o", str(out)]),
        ("evaluate --highlight-at nan", ["evaluate", "--prs", str(good), "--labels", str(labels), "--model", str(GENERIC),
                                         "--since", "2026-07-01", "--until", "2026-07-20", "--highlight-at", "nan", "-o", str(out)]),
        ("score --top-k 0", ["score", "--prs", str(good), "--model", str(GENERIC), "--week", "2026-W30", "--top-k", "0", "-o", str(out)]),
        ("score --top-k -3", ["score", "--prs", str(good), "--model", str(GENERIC), "--week", "2026-W30", "--top-k", "-3", "-o", str(out)]),
        ("score --highlight-at nan", ["score", "--prs", str(good), "--model", str(GENERIC), "--week", "2026-W30",
                                      "--highlight-at", "nan", "-o", str(out)]),
        ("score --week with --since", ["score", "--prs", str(good), "--model", str(GENERIC), "--week", "2026-W30",
                                       "--since", "2026-07-01", "--until", "2026-07-07", "-o", str(out)]),
        ("score --week 2026-W60", ["score", "--prs", str(good), "--model", str(GENERIC), "--week", "2026-W60", "-o", str(out)]),
        ("score --tz Mars/Base", ["score", "--prs", str(good), "--model", str(GENERIC), "--week", "2026-W30", "--tz", "Mars/Base", "-o", str(out)]),
        ("label outcomes --window-days -5", ["label", "outcomes", "--prs", str(good), "--window-days", "-5", "-o", str(out / "o.csv")]),
        ("simulate --prs-per-week -5", ["simulate", "--prs-per-week", "-5", "-o", str(out / "s")]),
        ("simulate --start garbage", ["simulate", "--start", "garbage", "-o", str(out / "s")]),
        ("simulate --weeks 0", ["simulate", "--weeks", "0", "-o", str(out / "s")]),
        ("train --since after --until", ["train", "--prs", str(good), "--labels", str(labels), "--since", "2026-07-01",
                                         "--until", "2026-06-01", "-o", str(out / "m")]),
        ("ingest git --since garbage", ["ingest", "git", str(ROOT), "--repo", "a/b", "--since", "garbage", "-o", str(out / "g.jsonl")]),
        ("ingest git --since after --until", ["ingest", "git", str(ROOT), "--repo", "a/b", "--since", "2026-02-01",
                                              "--until", "2026-01-01", "-o", str(out / "g.jsonl")]),
        ("demo --holdout-weeks 1000", ["demo", "--holdout-weeks", "1000", "-o", str(out / "reports"), "--models-dir", str(out / "models")]),
    ]
    cases += [(n, a, out) for n, a in opt]
    # Writes that cannot happen.
    for name, target in {"read-only filesystem": "/proc/scorer-o5.jsonl", "under a file": str(good) + "/x.jsonl"}.items():
        cases.append((f"ingest file -o {name}", ["ingest", "file", str(good), "-o", target], None))
        cases.append((f"predict -o {name}", ["predict", "--prs", str(good), "--model", str(GENERIC), "-o", target], None))
    cases.append(("score -o read-only filesystem", ["score", "--prs", str(good), "--model", str(GENERIC), "--week", "2026-W30",
                                                    "-o", "/proc/scorer-reports"], None))
    # Bundles.
    for name, make in {
        "manifest is a list": lambda b: (b / "manifest.json").write_text("[]"),
        "manifest is a directory": lambda b: ((b / "manifest.json").unlink(), (b / "manifest.json").mkdir()),
        "card is not an object": lambda b: _recard(b, "[1, 2]"),
        "card is not JSON": lambda b: _recard(b, "{"),
        "tree file is a directory": lambda b: ((b / "importance.txt").unlink(), (b / "importance.txt").mkdir()),
    }.items():
        import shutil

        b = d / f"bundle{len(cases)}"
        shutil.copytree(GENERIC, b)
        make(b)
        cases.append((f"predict: bundle {name}", ["predict", "--prs", str(good), "--model", str(b), "-o", str(out / "p.csv")], out))
    return cases


def _recard(b: Path, text: str) -> None:
    from scorer.fileio import sha256_file

    (b / "model_card.json").write_text(text)
    m = json.loads((b / "manifest.json").read_text())
    m["files"]["model_card.json"] = sha256_file(b / "model_card.json")
    (b / "manifest.json").write_text(json.dumps(m))


def test_hostile_cli_sweep(tmp_path):
    """Each case in a fresh process: exit 2, one line on stderr, no traceback, no output, < 60 s."""
    cases = _cases(tmp_path)
    failures = []
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for name, argv, out in cases:
        t = time.perf_counter()
        try:
            run = subprocess.run([sys.executable, "-m", "scorer.cli", *argv], capture_output=True, text=True,
                                 timeout=60, env=env, cwd=tmp_path)
        except subprocess.TimeoutExpired:
            failures.append(f"{name}: hangs")
            continue
        err = [line for line in run.stderr.splitlines() if line.strip()]
        problems = []
        if run.returncode != 2:
            problems.append(f"exit {run.returncode}")
        if "Traceback" in run.stderr:
            problems.append("traceback")
        elif len(err) != 1:
            problems.append(f"{len(err)} stderr lines")
        if out is not None and out.exists() and any(out.rglob("*")):
            problems.append("wrote output")
        if problems:
            failures.append(f"{name}: {', '.join(problems)}: {(err or [''])[-1][:160]}")
        if out is not None and out.exists():
            import shutil
            shutil.rmtree(out)
        assert time.perf_counter() - t < 60
    print(f"{len(cases)} hostile cases, {len(cases) - len(failures)} clean")
    assert not failures, f"{len(failures)} of {len(cases)} cases:\n" + "\n".join(failures)


def test_titles_cannot_inject_markup_or_bloat_reports(tmp_path):
    """A title with a script tag, NUL and control bytes, and a 1 MB title: the Markdown shows
    them as text, stripped and capped; the HTML has no script element."""
    from click.testing import CliRunner

    from scorer.cli import main

    rows = _rows()
    week = [r for r in rows if r["merged_at"] >= "2026-07-20"]
    assert len(week) > 3
    week[0]["title"] = "[Bugfix] <script>alert(1)</script>\x00\x07\x1b[31m red"
    week[1]["title"] = "Huge " + "x" * 1_000_000
    p = _table(tmp_path / "t.jsonl", rows)
    res = CliRunner().invoke(main, ["score", "--prs", str(p), "--model", str(GENERIC), "--week", "2026-W30",
                                    "--top-k", "500", "--tz", "UTC", "-o", str(tmp_path / "r")])
    assert res.exit_code == 0, res.output
    out = tmp_path / "r" / "engine" / "2026-W30" / "zh"
    md = (out / "report.md").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    import re

    assert not re.search(r"(?<!\\)<script", md) and "\\<script>" in md
    assert not any(ch in md for ch in "\x00\x07\x1b")
    assert "<script" not in html.lower() and "&lt;script&gt;" in html
    for f in ("report.md", "report.html", "report.json"):
        assert (out / f).stat().st_size < 300_000, f


def test_report_directories_stay_under_the_output(tmp_path):
    """Every part of a report's path is one plain directory name, whatever the data says."""
    from scorer.errors import ScorerError
    from scorer.pipeline import report_dir

    assert report_dir(tmp_path, "engine", "2026-W30", "zh") == tmp_path / "engine" / "2026-W30" / "zh"
    for bad in ("..", ".", "a/b", "", "x\\y"):
        with pytest.raises(ScorerError, match="cannot name a report directory"):
            report_dir(tmp_path, bad, "2026-W30", "zh")
