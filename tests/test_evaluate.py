from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sklearn import metrics as skm

from scorer.cli import main
from scorer.metrics import ece, ece_floor, mce, ndcg_at_k, probability_metrics, reliability_table, weekly_ranking
from scorer.simulate import write_sample


def test_ece_hand_cases():
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 1, 200_000)
    y = (rng.uniform(0, 1, len(p)) < p).astype(int)
    assert ece(y, p) < 0.01  # perfectly calibrated
    y = np.zeros(1000, int)
    y[:100] = 1
    assert ece(y, np.full(1000, 0.9)) == pytest.approx(0.8)
    assert mce(y, np.full(1000, 0.9)) == pytest.approx(0.8)


def test_ece_floor_is_the_noise_of_a_calibrated_predictor():
    # A constant, calibrated predictor is one bin: the floor is E|mean(y) - p| of a binomial mean,
    # which for n=400, p=0.2 is sqrt(2/pi) * sqrt(p(1-p)/n) ~ 0.016 (normal approximation).
    p = np.full(400, 0.2)
    assert ece_floor(p, draws=2000) == pytest.approx(np.sqrt(2 / np.pi) * np.sqrt(0.2 * 0.8 / 400), rel=0.08)
    assert ece_floor(np.full(400, 0.0)) == 0.0  # certain outcomes leave no noise
    rng = np.random.default_rng(3)
    q = rng.uniform(0, 1, 20_000)
    assert ece_floor(q) < 0.01  # many rows: the floor vanishes
    assert ece_floor(q[:500]) > ece_floor(q)  # fewer rows: more noise


def test_metrics_agree_with_sklearn():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 500)
    p = np.clip(y * 0.3 + rng.uniform(0, 0.7, 500), 0.01, 0.99)
    m = probability_metrics(y, p)
    assert m["roc_auc"] == pytest.approx(skm.roc_auc_score(y, p))
    assert m["average_precision"] == pytest.approx(skm.average_precision_score(y, p))
    assert m["brier"] == pytest.approx(skm.brier_score_loss(y, p))
    assert m["log_loss"] == pytest.approx(skm.log_loss(y, p))
    t = reliability_table(y, p, 10)
    assert t["count"].sum() == 500 and len(t) == 10 and (t["lo"] <= t["observed"]).all()


def test_ndcg_and_recall():
    assert ndcg_at_k([9, 6, 3], [3, 2, 1], 2) == pytest.approx(1.0)
    assert ndcg_at_k([3, 6, 9], [3, 2, 1], 3) < 1.0
    df = pd.DataFrame({"week": ["a"] * 4, "s": [4, 3, 2, 1], "y": [9, 3, 9, 3]})
    w = weekly_ranking(df, "s", "y", k=2)
    assert w.loc[0, "recall"] == 0.5


def test_evaluate_command_and_overlap(tmp_path):
    paths = write_sample(tmp_path / "s", weeks=20, seed=5, prs_per_week=50)
    bundle = tmp_path / "m"
    runner = CliRunner()
    assert runner.invoke(main, ["train", "--prs", str(paths["prs"]), "--labels", str(paths["labels"]), "--until",
                                "2025-09-14", "-o", str(bundle)]).exit_code == 0
    out = tmp_path / "eval"
    args = ["evaluate", "--prs", str(paths["prs"]), "--labels", str(paths["labels"]), "--model", str(bundle), "-o", str(out)]
    res = runner.invoke(main, args + ["--since", "2025-09-01"])
    assert res.exit_code == 2 and "--allow-overlap" in res.output
    res = runner.invoke(main, args + ["--since", "2025-09-15"])
    assert res.exit_code == 0, res.output
    m = json.loads((out / "metrics.json").read_text())
    bug = m["tags"]["bug-inducing"]["metrics"]
    assert set(bug) == {"model", "LApredict", "size-only", "base rate"}
    assert bug["base rate"]["roc_auc"] == pytest.approx(0.5)
    for png in ("reliability_bug-inducing.png", "importance_calibration.png"):
        assert (out / png).stat().st_size > 5000
    assert "LApredict" in (out / "evaluation.md").read_text()
    res = runner.invoke(main, args + ["--since", "2025-09-01", "--allow-overlap"])
    assert res.exit_code == 0 and "overlaps" in res.output
    assert json.loads((out / "metrics.json").read_text())["overlap"] is True
    bt = tmp_path / "bt"
    res = runner.invoke(main, ["backtest", "--prs", str(paths["prs"]), "--labels", str(paths["labels"]), "--start",
                               "2025-08-04", "--end", "2025-10-12", "--retrain-every", "4w", "--window", "all",
                               "--horizon", "14d", "-o", str(bt)])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(bt / "backtest.csv")
    assert len(table) >= 2 and "importance spearman" in table
    assert (bt / "backtest.png").stat().st_size > 5000


def test_simulation_is_reproducible_and_shipped_sample_matches(tmp_path):
    from pathlib import Path
    a = write_sample(tmp_path / "a")
    shipped = Path(__file__).resolve().parents[1] / "training_data" / "demo"
    for key in ("prs", "labels", "taxonomy", "activity"):
        assert a[key].read_bytes() == (shipped / a[key].name).read_bytes(), f"{key} differs from the shipped sample"
    total = sum((shipped / n).stat().st_size for n in ("history.jsonl.gz", "labels.csv", "taxonomy.yaml",
                                                       "activity.jsonl.gz"))
    assert total < 5 * 1024 * 1024


def test_demo_runs(tmp_path):
    res = CliRunner().invoke(main, ["demo", "-o", str(tmp_path / "out"), "--models-dir", str(tmp_path / "models")])
    assert res.exit_code == 0, res.output
    assert "top 5 PRs" in res.output and "ECE" in res.output
    assert (tmp_path / "models" / "demo" / "manifest.json").exists()
    assert list((tmp_path / "out").glob("engine/*/zh/report.md"))
    # the demo's prediction ledger (two backtest origins and the demo bundle) and its track record
    assert "monitor  : " in res.output and "from 3 bundles" in res.output
    mon = json.loads((tmp_path / "out" / "monitor" / "monitor.json").read_text(encoding="utf-8"))
    bug = mon["tags"]["bug-inducing"]["months"]
    assert any("realized" in e for e in bug) and any("estimate" in e for e in bug)


def test_installed_console_script(tmp_path):
    """The README's `scorer` command exists in the environment pip installed into (CI: a fresh venv)."""
    import shutil
    import subprocess
    import sys

    script = Path(sys.executable).parent / "scorer"
    exe = str(script) if script.exists() else shutil.which("scorer")
    if exe is None:
        pytest.skip("the package is not pip-installed in this environment (no `scorer` script)")
    out = subprocess.run([exe, "demo", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "Example" in out.stdout, out.stdout + out.stderr
    # The executable's exit (cli.run, which skips the collector's last pass) keeps click's exit codes.
    bad = subprocess.run([exe, "score", "--prs", str(tmp_path / "none.parquet"),
                          "--model", str(Path(__file__).parents[1] / "models" / "generic-importance"),
                          "--week", "2026-W18", "-o", str(tmp_path / "r")], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "none.parquet" in bad.stderr, bad.stderr


def test_backtest_table_formatting():
    from scorer.evaluate import backtest_summary, markdown_table

    t = pd.DataFrame({"origin": ["2025-01-01", "2025-01-29"], "test_rows": [1200, 801],
                      "bug-inducing auc": [0.81234, np.nan]})
    md = markdown_table(backtest_summary(t)).splitlines()
    assert md[0] == "| origin | test_rows | bug-inducing auc |"
    assert md[2] == "| 2025-01-01 | 1,200 | 0.812 |" and md[3] == "| 2025-01-29 | 801 | – |"
    assert md[4] == "| mean | 1,000 | 0.812 |"  # a mean of counts stays a count; gaps are skipped


def test_backtest_reports_the_decided_set_per_origin(tmp_path):
    """Each origin's decided bug-inducing set on the span after it, counted on that span's labels."""
    paths = write_sample(tmp_path / "s", weeks=30, seed=5, prs_per_week=80)
    bt = tmp_path / "bt"
    res = CliRunner().invoke(main, ["backtest", "--prs", str(paths["prs"]), "--labels", str(paths["labels"]), "--start",
                                    "2025-08-04", "--end", "2025-10-12", "--retrain-every", "4w", "--window", "all",
                                    "--horizon", "14d", "-o", str(bt)])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(bt / "backtest.csv")
    decided = table.dropna(subset=["bug-inducing decided"])
    assert len(decided) >= 2
    labels = pd.read_csv(paths["labels"])
    prs = pd.read_json(paths["prs"], lines=True)
    for _, r in decided.iterrows():
        assert 0 < r["bug-inducing decided true"] <= r["bug-inducing decided"] <= r["bug-inducing labeled"]
        assert r["bug-inducing decided share"] == pytest.approx(r["bug-inducing decided"] / r["bug-inducing labeled"])
        assert r["bug-inducing precision"] == pytest.approx(r["bug-inducing decided true"] / r["bug-inducing decided"])
        # the base rate is that of the span's labeled rows
        start = pd.Timestamp(r["origin"], tz="UTC")
        span = prs[(pd.to_datetime(prs["merged_at"], utc=True) >= start)
                   & (pd.to_datetime(prs["merged_at"], utc=True) < start + pd.Timedelta(weeks=4))]
        lab = labels[labels["number"].isin(span["number"])]["tag:bug-inducing"].dropna()
        assert len(lab) == r["bug-inducing labeled"] and lab.mean() == pytest.approx(r["bug-inducing base rate"])
    assert "bug-inducing week share max" in (bt / "backtest.md").read_text()


def test_backtest_pools_decided_sets_by_counts():
    """The mean row of a decided tag pools its origins' counts (precision = decided true / decided,
    not a mean of precisions) and keeps the largest weekly share: a triage list is judged by its
    worst week."""
    from scorer.evaluate import backtest_summary

    t = pd.DataFrame({"origin": ["2025-01-01", "2025-01-29"], "bug-inducing decided": [10, 30],
                      "bug-inducing decided true": [9, 15], "bug-inducing labeled": [200, 300],
                      "bug-inducing decided share": [0.05, 0.10], "bug-inducing week share max": [0.07, 0.12],
                      "bug-inducing precision": [0.9, 0.5], "bug-inducing base rate": [0.2, 0.1]})
    mean = backtest_summary(t).iloc[-1]
    assert mean["bug-inducing precision"] == pytest.approx(24 / 40)
    assert mean["bug-inducing decided share"] == pytest.approx(40 / 500)
    assert mean["bug-inducing base rate"] == pytest.approx((40 + 30) / 500)
    assert mean["bug-inducing week share max"] == pytest.approx(0.12)


def test_regression_metrics_of_a_constant_baseline():
    from scorer.metrics import regression_metrics

    y = np.array([3.0, 6.0, 9.0, 3.0])
    m = regression_metrics(y, np.full(4, 5.25))
    assert m["mae"] == pytest.approx(skm.mean_absolute_error(y, np.full(4, 5.25)))
    assert m["rmse"] == pytest.approx(np.sqrt(skm.mean_squared_error(y, np.full(4, 5.25))))
    assert np.isnan(m["spearman"]) and np.isnan(m["kendall"])


def test_no_metric_on_a_column_without_negatives():
    """A positives-only tag (9 reverts of 9 labeled rows) gets a warning, not an ECE of 0.987."""
    from scorer.evaluate import evaluate_frame

    rng = np.random.default_rng(0)
    n = 200
    data = pd.DataFrame({"number": range(n), "merged_at": pd.date_range("2026-01-01", periods=n, freq="h", tz="UTC"),
                         "la": rng.integers(1, 500, n).astype(float), "churn": rng.integers(1, 900, n).astype(float),
                         "p:reverted": rng.uniform(0, 0.05, n), "p:bug-inducing": rng.uniform(0, 1, n)})
    data["tag:reverted"] = pd.array([1] * 9 + [pd.NA] * (n - 9), dtype="Int8")
    data["tag:bug-inducing"] = pd.array((rng.uniform(0, 1, n) < data["p:bug-inducing"]).astype(int), dtype="Int8")
    res = evaluate_frame(data, data, ["reverted", "bug-inducing"])
    assert "reverted" not in res["tags"] and "bug-inducing" in res["tags"]
    assert any("tag:reverted: all 9 labeled rows are positive" in w for w in res["warnings"])
