"""The rolling importance benchmark (`scorer backtest --importance`, scorer/backtest.py): origins on
a grid and a shifted grid in the report's zone, labels as known at each origin from release dates,
weekly tops of model, size and LApredict scored against the Highlights, the sign test, and a cache
that retrains only the origins whose inputs changed."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import bench_file
from scorer.backtest import grid_origins, origin_labels, sign_test, summarize, week_tops
from scorer.cli import main


def test_origins_are_local_mondays_on_two_grids():
    start, end = pd.Timestamp("2026-01-01", tz="UTC"), pd.Timestamp("2026-06-01", tz="UTC")
    origins = grid_origins(start, end, pd.Timedelta(weeks=6), pd.Timedelta(weeks=6), "Asia/Shanghai")
    a = [o for o in origins if o.grid == "A"]
    b = [o for o in origins if o.grid == "B"]
    assert [o.name for o in a] == ["2026-01-05", "2026-02-16", "2026-03-30"]  # 05-11 + 6w passes the end
    assert [o.name for o in b] == ["2026-01-26", "2026-03-09", "2026-04-20"]  # half a step (3 weeks) later
    for o in origins:
        local = o.start.tz_convert("Asia/Shanghai")
        assert local.weekday() == 0 and local.hour == 0 and o.end - o.start == pd.Timedelta(weeks=6) and o.end <= end
    assert b[1].start == pd.Timestamp("2026-03-08 16:00", tz="UTC")  # Monday 00:00 in Shanghai
    assert [o.grid for o in grid_origins(start, end, pd.Timedelta(weeks=6), pd.Timedelta(weeks=6), "UTC",
                                         shifted=False)] == ["A"] * 3
    with pytest.raises(Exception, match="no origin fits"):
        grid_origins(start, start + pd.Timedelta(days=20), pd.Timedelta(weeks=6), pd.Timedelta(weeks=6), "UTC")


def _week(week: str, n: int, highlights: list[int], model: list[float], size: list[float]) -> pd.DataFrame:
    imp = np.full(n, 3.0)
    imp[highlights] = 9.0
    return pd.DataFrame({"week": week, "number": np.arange(n) + 1000 * int(week[-2:]), "importance": imp,
                         "model": model, "size": size, "LApredict": size})


def test_weekly_tops_pool_hits_over_highlights_and_the_sign_test_pairs_them():
    n = 30
    rng = np.arange(n, dtype=float)
    # Week 1: Highlights 0 and 1, ranked first by the model and last by size. Week 2: one
    # Highlight (5), ranked last by the model and first by size. Week 3 is 5/30 unlabeled: left out.
    w1 = _week("2026-W01", n, [0, 1], model=list(100 - rng), size=list(rng))
    w2 = _week("2026-W02", n, [5], model=list(np.where(rng == 5, -1.0, 100 - rng)),
               size=list(np.where(rng == 5, 1000.0, rng)))
    w3 = _week("2026-W03", n, [0], model=list(100 - rng), size=list(rng)).assign(
        importance=lambda d: np.where(d.index < 5, np.nan, d["importance"]))
    weeks, hls = week_tops(pd.concat([w1, w2, w3], ignore_index=True))
    assert sorted(weeks["week"].unique()) == ["2026-W01", "2026-W02"]
    s = summarize(weeks, hls)
    assert s["highlights"] == 3 and s["weeks"] == 2
    assert s["model recall@24"] == pytest.approx(2 / 3) and s["size recall@24"] == pytest.approx(1 / 3)
    assert s["model recall@10"] == pytest.approx(2 / 3) and s["size recall@10"] == pytest.approx(1 / 3)
    assert s["sign"]["only_model"] == 2 and s["sign"]["only_size"] == 1
    assert s["sign"]["p"] == pytest.approx(1.0)  # 2 against 1 is chance
    t = sign_test(pd.Series([True] * 12 + [False]), pd.Series([False] * 12 + [True]))
    assert (t["only_model"], t["only_size"]) == (12, 1) and t["p"] == pytest.approx(0.0034, abs=1e-4)


def test_labels_at_an_origin_come_from_the_releases_out_by_then():
    """A PR named by a release dated after the origin is not labeled at that origin; one merged in
    a window whose release came out before it is (highlighted 9, named 6 or, unnamed, 3)."""
    t0 = pd.Timestamp("2026-01-01", tz="UTC")
    prs = pd.DataFrame({"repo": "a/b", "number": range(1, 301),
                        "merged_at": [t0 - pd.Timedelta(days=15) + pd.Timedelta(hours=6 * i) for i in range(1, 301)]})

    def release(name, day, numbers, highlight=()):
        return [{"release": name, "release_date": t0 + pd.Timedelta(days=day), "section": "Features",
                 "highlight": int(n in highlight), "pr_number": n, "partial": 0, "backport": 0} for n in numbers]

    notes = pd.DataFrame(release("v0.9.0", 0, range(1, 56)) + release("v1.0.0", 20, range(60, 121), highlight=(62,))
                         + release("v1.1.0", 45, range(150, 211)))
    at = origin_labels(prs, None, notes, t0 + pd.Timedelta(days=30), pd.Timedelta(days=90), pd.Timedelta(days=35))
    got = at.set_index("number")["importance"]
    assert got[62] == 9 and got[70] == 6 and got[130] == 3  # 130: merged in v1.0.0's window, not named
    assert 150 not in got.index or np.isnan(got[150])  # named by v1.1.0, out after the origin
    later = origin_labels(prs, None, notes, t0 + pd.Timedelta(days=50), pd.Timedelta(days=90), pd.Timedelta(days=35))
    assert later.set_index("number")["importance"][150] == 6


def test_the_vllm_rolling_benchmark_and_its_cache(tmp_path):
    """Two origins of vLLM's 2026 grid: the pooled figures are the per-week hits summed, a re-run
    reads every origin from the cache with identical output, and a longer run trains only its new
    origin."""
    prs = bench_file("vllm", "prs.jsonl.gz")
    notes = bench_file("vllm", "release_notes.csv")
    cache = tmp_path / "cache"
    args = ["backtest", "--importance", "--prs", str(prs), "--notes", str(notes), "--start", "2026-02-02",
            "--end", "2026-04-12", "--every", "6w", "--span", "3w", "--no-shifted", "--cache-dir", str(cache)]
    first = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "r1")])
    assert first.exit_code == 0, first.output
    assert "2 origins" in first.output and "0 from the cache" in first.output
    doc = json.loads((tmp_path / "r1" / "rolling.json").read_text())
    pooled, origins = doc["pooled"]["A"], doc["origins"]
    hits = sum(w["hits@24"] for o in origins for w in o["weeks"] if w["scorer"] == "model")
    total = sum(w["highlights"] for o in origins for w in o["weeks"] if w["scorer"] == "model")
    assert total >= 20 and pooled["model recall@24"] == pytest.approx(hits / total)
    assert pooled["highlights"] == total == len([h for o in origins for h in o["highlights"]])
    assert 0.5 < pooled["model AUC named"] <= 1 and 0.5 < pooled["size AUC named"] < 1  # both rank "named"
    table = pd.read_csv(tmp_path / "r1" / "rolling.csv")
    assert list(table["origin"]) == ["2026-02-02", "2026-03-16"]
    assert (tmp_path / "r1" / "rolling.png").read_bytes()[:4] == b"\x89PNG"
    md = (tmp_path / "r1" / "rolling.md").read_text()
    assert "sign test p" in md and "2026-03-16" in md

    again = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "r2")])
    assert again.exit_code == 0 and "2 from the cache" in again.output, again.output
    assert (tmp_path / "r2" / "rolling.json").read_bytes() == (tmp_path / "r1" / "rolling.json").read_bytes()

    early = CliRunner().invoke(main, [*args[:args.index("--start")], "--start", "2025-04-07", "--end", "2025-05-20",
                                      *args[args.index("--every"):], "-o", str(tmp_path / "early")])
    assert early.exit_code == 0, early.output  # before vLLM's first notes: the origin says so, the run goes on
    note = pd.read_csv(tmp_path / "early" / "rolling.csv")["note"].iloc[0]
    assert note == "not trained: 0 importance labels were known then (50 needed)"
    # Three weeks more history tested: the two origins come from the cache, only the new one trains.
    args[args.index("2026-04-12")] = "2026-05-20"
    third = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "r3")])
    assert third.exit_code == 0, third.output
    assert "3 origins" in third.output and "2 from the cache" in third.output, third.output


def test_the_benchmark_needs_importance_labels(tmp_path):
    from pathlib import Path

    demo = Path(__file__).parents[1] / "training_data" / "demo" / "history.jsonl.gz"
    res = CliRunner().invoke(main, ["backtest", "--importance", "--prs", str(demo), "--start", "2026-01-01",
                                    "--end", "2026-06-01", "-o", str(tmp_path / "r")])
    assert res.exit_code == 2 and "needs --notes" in res.output
    res = CliRunner().invoke(main, ["backtest", "--prs", str(demo), "--start", "2026-01-01", "--end", "2026-06-01",
                                    "-o", str(tmp_path / "r")])
    assert res.exit_code == 2 and "--labels is required" in res.output


def test_a_generic_model_per_origin_from_another_repositorys_curation(tmp_path):
    """vllm-ascend's weeks ranked by a generic model trained at each origin on vLLM's PRs and the
    vLLM releases out by then: the way the generic bundle serves a repository without notes."""
    asc, asc_notes = bench_file("vllm-ascend", "prs.jsonl.gz"), bench_file("vllm-ascend", "release_notes.md")
    vllm, vllm_notes = bench_file("vllm", "prs.jsonl.gz"), bench_file("vllm", "release_notes.csv")
    args = ["backtest", "--importance", "--prs", str(asc), "--notes", str(asc_notes), "--importance-from", str(vllm),
            "--importance-notes", str(vllm_notes), "--start", "2026-03-02", "--end", "2026-03-23", "--every", "3w",
            "--no-shifted", "--cache-dir", str(tmp_path / "c"), "-o", str(tmp_path / "r")]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert "1 origins" in res.output
    md = (tmp_path / "r" / "rolling.md").read_text()
    assert "generic model trained per origin on vllm-project/vllm's curation" in md
    doc = json.loads((tmp_path / "r" / "rolling.json").read_text())
    assert doc["pooled"]["A"]["highlights"] > 0
    alone = CliRunner().invoke(main, [a for a in args if a != str(vllm_notes) and a != "--importance-notes"])
    assert alone.exit_code == 2 and "go together" in alone.output
