"""scorer monitor: the ledger's predictions against outcomes known later (scorer/monitor.py)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from scorer.cli import main
from scorer.evaluate import evaluate_frame
from scorer.features import compute_features
from scorer.labels.outcomes import outcome_labels
from scorer.ledger import BundleId, append, prediction_rows, read_ledger
from scorer.monitor import RECENT_WEEKS, first_fixes, monitor_frame
from scorer.score import score_frame
from scorer.simulate import simulate
from scorer.taxonomy import load_taxonomy
from scorer.train import PRScorer

START = pd.Timestamp("2025-06-02", tz="UTC")
SHIFT_WEEK = 44


def week(w: int) -> pd.Timestamp:
    return START + pd.Timedelta(weeks=w)


def world(shift_week: int | None, seed: int = 7):
    """64 simulated weeks (the bug process shifted from `shift_week` on), a bundle trained on
    what was known at week 30, and the ledger rows of its predictions for weeks 30..63."""
    pairs: list = []
    prs, lab = simulate(weeks=64, seed=seed, pairs=pairs, shift_week=shift_week, shift_logit=1.0, api=False,
                        prs_per_week=120)
    pairs = pd.DataFrame(pairs)
    for c in ("fix_merged_at", "inducing_merged_at"):
        pairs[c] = pd.to_datetime(pairs[c], utc=True)
    tax = load_taxonomy("demo-engine")
    feats = compute_features(prs, tax)
    known = outcome_labels(prs, pairs, as_of=week(30))
    known["importance"] = lab.set_index("number").loc[known["number"], "importance"].to_numpy()
    train = prs["merged_at"] < week(30)
    model = PRScorer(taxonomy=tax.name, repo="demo/engine", seed=0, min_lift=1.2, min_precision=0.2).fit(  # a decided tag
        feats[train], known[known["number"].isin(prs.loc[train, "number"])], prs.loc[train, "merged_at"])
    scores, _ = score_frame(prs, model, prs["merged_at"] >= week(30), features=feats, tax=tax)
    rows = prediction_rows(scores, "demo/engine", "weeks 30-63", BundleId("demo", "a" * 64),
                           {t: m.threshold for t, m in model.tags_.items()}, source="backtest",
                           predicted_at=week(30))
    return prs, pairs, feats, model, scores, rows


@pytest.fixture(scope="module")
def shifted():
    return world(SHIFT_WEEK)


@pytest.fixture(scope="module")
def steady():
    return world(None)


def test_realized_figures_equal_evaluate_on_the_same_rows(steady):
    prs, pairs, feats, model, scores, rows = steady
    as_of = week(64)
    labels = outcome_labels(prs, pairs, as_of=as_of)
    got = monitor_frame(rows, labels, as_of)["tags"]["bug-inducing"]["bundles"]["a" * 64]["realized"]
    # The same rows through scorer evaluate's function: the PRs whose window had closed.
    closed = scores[pd.to_datetime(scores["merged_at"], utc=True) + pd.Timedelta(days=90) <= as_of]
    data = closed[["number", "merged_at"]].merge(labels[["number", "tag:bug-inducing"]], on="number")
    data = data.assign(**{"p:bug-inducing": closed["p:bug-inducing"].to_numpy(), "la": 1.0, "churn": 1.0,
                          "importance_pred": 5.0})
    data = data[data["tag:bug-inducing"].notna()]
    ev = evaluate_frame(data, data, ["bug-inducing"], thresholds={"bug-inducing": model.tags_["bug-inducing"].threshold})
    m, d = ev["tags"]["bug-inducing"]["metrics"]["model"], ev["tags"]["bug-inducing"]["decided"]
    assert got["rows"] == m["rows"] > 1000
    for k in ("ece", "ece_floor", "brier", "roc_auc", "positives", "base_rate"):
        assert got[k] == pytest.approx(m[k], rel=1e-12, abs=1e-12), k
    assert got["decided"] == d["decided"] and got["precision"] == pytest.approx(d["precision"])


def test_open_window_estimates_hold_once_the_labels_arrive(steady):
    """Months still open at week 40 are estimated; at week 64 their windows have closed, and the
    realized precision of each month's decided set lies in the interval estimated before."""
    prs, pairs, feats, model, scores, rows = steady
    rows = rows[rows["merged_at"] < week(40)]  # the PRs scored by week 40: all still open then
    early = monitor_frame(rows, outcome_labels(prs, pairs, as_of=week(40)), week(40))["tags"]["bug-inducing"]
    late = monitor_frame(rows, outcome_labels(prs, pairs, as_of=week(64)), week(64))["tags"]["bug-inducing"]
    months = {e["month"]: e for e in late["months"]}
    pairs_checked = [(early["bundles"]["a" * 64], late["bundles"]["a" * 64])]
    pairs_checked += [(e, months[e["month"]]) for e in early["months"]]
    checked = 0
    for e, lt in pairs_checked:
        est, real = e["estimate"], lt["realized"]
        assert "realized" not in e and "estimate" not in lt  # open then, closed now, the same rows
        assert real["rows"] == est["rows"] and est["decided"] == real["decided"]
        if est["decided"]:
            assert est["precision_lo"] <= real["precision"] <= est["precision_hi"], (est, real)
            checked += 1
    assert checked >= 3


def first_alert(world_rows, kinds=("fixes_so_far", "calibration")) -> int | None:
    prs, pairs, feats, model, scores, rows = world_rows
    blamed = first_fixes(pairs)
    for w in range(31, 64):
        res = monitor_frame(rows, outcome_labels(prs, pairs, as_of=week(w)), week(w), blamed=blamed)
        if any(a["kind"] in kinds for a in res["alerts"]):
            return w
    return None


def test_drift_is_flagged_within_six_weeks_of_a_shift_and_not_before(shifted, steady):
    w = first_alert(shifted)
    assert w is not None and SHIFT_WEEK < w <= SHIFT_WEEK + 6, w
    assert RECENT_WEEKS == 6
    assert first_alert(steady) is None  # the same world without the shift: no alarm in 33 weekly looks


def test_monitor_cli_writes_reports_and_names_the_retraining(shifted, tmp_path):
    prs, pairs, feats, model, scores, rows = shifted
    from scorer.records import save_prs
    from scorer.simulate import write_pairs

    append(tmp_path / "ledger", rows)
    save_prs(prs, tmp_path / "prs.jsonl.gz")
    write_pairs([{**r, "fix_merged_at": f"{r['fix_merged_at']:%Y-%m-%dT%H:%M:%SZ}",
                  "inducing_merged_at": f"{r['inducing_merged_at']:%Y-%m-%dT%H:%M:%SZ}"}
                 for r in pairs.to_dict("records")], tmp_path / "pairs.csv")
    for lang in ("zh", "en"):
        res = CliRunner().invoke(main, ["monitor", "--ledger", str(tmp_path / "ledger"), "--prs", str(tmp_path / "prs.jsonl.gz"),
                                        "--szz-pairs", str(tmp_path / "pairs.csv"), "--as-of", f"{week(50):%Y-%m-%d}",
                                        "--lang", lang, "-o", str(tmp_path / lang)])
        assert res.exit_code == 0, res.output
        md = (tmp_path / lang / "monitor.md").read_text(encoding="utf-8")
        assert "scorer train --prs PRS --labels outcomes.csv --until" in md
        assert ("漂移" if lang == "zh" else "Drift") in md
        doc = json.loads((tmp_path / lang / "monitor.json").read_text(encoding="utf-8"))
        assert any(a["kind"] == "fixes_so_far" for a in doc["alerts"])
        assert (tmp_path / lang / "monitor.html").exists() and list((tmp_path / lang).glob("reliability_*.png"))
    assert "drift: " in res.output and "fixes_so_far bug-inducing" in res.output
    # no outcomes given: one line, exit 2
    res = CliRunner().invoke(main, ["monitor", "--ledger", str(tmp_path / "ledger"), "-o", str(tmp_path / "x")])
    assert res.exit_code == 2 and "give the outcomes" in res.output
    assert read_ledger(tmp_path / "ledger")["number"].nunique() == len(scores)


def test_backtest_writes_each_span_as_its_origin_predicted_it(tmp_path):
    from scorer.simulate import write_sample

    paths = write_sample(tmp_path / "sample", weeks=40, seed=5, prs_per_week=60)
    res = CliRunner().invoke(main, ["backtest", "--prs", str(paths["prs"]), "--labels", str(paths["labels"]),
                                    "--start", "2025-12-01", "--end", "2026-01-25", "--retrain-every", "4w",
                                    "--ledger", str(tmp_path / "ledger"), "-o", str(tmp_path / "bt")])
    assert res.exit_code == 0, res.output
    got = read_ledger(tmp_path / "ledger")
    assert (got["source"] == "backtest").all()
    origins = sorted(got["bundle"].unique())
    assert origins == ["backtest-2025-12-01", "backtest-2025-12-29"] and got["bundle_hash"].nunique() == 2
    for name, g in got.groupby("bundle"):
        origin = pd.Timestamp(name.split("-", 1)[1], tz="UTC")
        assert (g["predicted_at"] == origin).all()
        assert g["merged_at"].min() >= origin and g["merged_at"].max() < origin + pd.Timedelta(weeks=4)
    assert not got.duplicated(["number", "tag"]).any()  # each PR by the one origin whose span holds it
    res = CliRunner().invoke(main, ["backtest", "--prs", str(paths["prs"]), "--labels", str(paths["labels"]),
                                    "--start", "2025-12-15", "--end", "2026-02-10", "--retrain-every", "month",
                                    "--ledger", str(tmp_path / "monthly"), "-o", str(tmp_path / "btm")])
    assert res.exit_code == 0, res.output
    got = read_ledger(tmp_path / "monthly")
    spans = got.groupby("bundle")["merged_at"].agg(["min", "max"])
    assert list(spans.index) == ["backtest-2025-12-15", "backtest-2026-01-01", "backtest-2026-02-01"]
    assert spans.loc["backtest-2026-01-01", "min"] >= pd.Timestamp("2026-01-01", tz="UTC")
    assert spans.loc["backtest-2026-01-01", "max"] < pd.Timestamp("2026-02-01", tz="UTC")
    assert spans.loc["backtest-2026-02-01", "max"] < pd.Timestamp("2026-02-11", tz="UTC")  # --end is the last day
    res = CliRunner().invoke(main, ["backtest", "--importance", "--prs", str(paths["prs"]), "--start", "2025-12-01",
                                    "--end", "2026-01-25", "--ledger", str(tmp_path / "l2"), "-o", str(tmp_path / "x")])
    assert res.exit_code == 2 and "leave out --importance" in res.output


def test_a_decided_set_below_the_cards_promise_is_said(steady):
    prs, pairs, feats, model, scores, rows = steady
    as_of = week(43)
    labels = outcome_labels(prs, pairs, as_of=as_of)
    open_rows = rows[rows["merged_at"] < as_of]
    est = monitor_frame(open_rows, labels, as_of)["tags"]["bug-inducing"]["bundles"]["a" * 64]["estimate"]
    assert est["decided"] >= 10
    kept = monitor_frame(open_rows, labels, as_of, promised={"a" * 64: {"bug-inducing": est["precision_hi"] + 0.01}})
    assert [a["kind"] for a in kept["alerts"]] == ["promise"]
    assert kept["alerts"][0]["promised"] == pytest.approx(est["precision_hi"] + 0.01)
    fine = monitor_frame(open_rows, labels, as_of, promised={"a" * 64: {"bug-inducing": est["precision_lo"]}})
    assert fine["alerts"] == []
    card = model.report_["tags"]["bug-inducing"]  # what `scorer train` writes into the card
    assert 0 < card["decided_share"] <= 0.1 and 0 < card["decided_precision"] <= 1


def test_track_record_counts_the_decisions_made_then():
    from scorer.report.sections.track import build

    start = pd.Timestamp("2026-05-04", tz="UTC")  # a Monday; 14 weeks earlier is 2026-W05
    then = start - pd.Timedelta(weeks=14)
    sc = pd.DataFrame({"number": range(1, 11), "merged_at": [then + pd.Timedelta(hours=5 * i) for i in range(10)],
                       "importance": 5.0, "p:bug-inducing": [0.9, 0.8, 0.7, 0.65, 0.2, 0.1, 0.1, 0.1, 0.3, 0.2]})
    made_then = prediction_rows(sc, "o/r", "2026-W05", BundleId("old", "a" * 64), {"bug-inducing": 0.6},
                                source="score", predicted_at=then + pd.Timedelta(days=7))
    hindsight = prediction_rows(sc.assign(**{"p:bug-inducing": 0.99}), "o/r", "2026-W05", BundleId("new", "b" * 64),
                                {"bug-inducing": 0.6}, source="backtest", predicted_at=start + pd.Timedelta(days=1))
    labels = pd.DataFrame({"number": range(1, 11), "tag:bug-inducing": [1, 1, 0, pd.NA, 0, 0, 1, 0, 0, 0]})
    t = build(pd.concat([made_then, hindsight]), labels, start, "UTC", "o/r")
    assert t["week"] == "2026-W05" and t["weeks_ago"] == 14 and t["bundles"] == ["old"]
    assert (t["prs"], t["decided"], t["known"], t["blamed"]) == (10, 4, 3, 2)  # #4's outcome is not known yet
    assert t["blamed_pct"] == 67 and t["expected_pct"] == 80 and t["base_pct"] == 33 and t["thresholds"] == [0.6]
    assert build(hindsight, labels, start, "UTC", "o/r") is None  # made after the report's week began: not a record


def test_weekly_report_states_a_checked_track_record(scored, tmp_path):
    from scorer.score import load_model, score_frame
    from scorer.records import load_prs

    paths, bundle, _ = scored
    prs = load_prs(paths["prs"])
    model, _card = load_model(bundle)
    week23 = (prs["merged_at"] >= "2025-06-02") & (prs["merged_at"] < "2025-06-09")
    sc, _ = score_frame(prs, model, week23)
    ledger = tmp_path / "ledger"
    append(ledger, prediction_rows(sc, "demo/engine", "2025-W23", BundleId("then", "c" * 64),
                                   {t: m.threshold for t, m in model.tags_.items()}, source="score",
                                   predicted_at=pd.Timestamp("2025-06-09", tz="UTC")))
    for lang, heading in (("zh", "## 模型表现"), ("en", "## How the model has done")):
        res = CliRunner().invoke(main, ["score", "--prs", str(paths["prs"]), "--model", str(bundle), "--week", "2025-W37",
                                        "--lang", lang, "--ledger", str(ledger), "--outcomes", str(paths["labels"]),
                                        "-o", str(tmp_path / "r")])
        assert res.exit_code == 0, res.output
        out = tmp_path / "r" / "engine" / "2025-W37" / lang
        md = (out / "report.md").read_text(encoding="utf-8")
        assert heading in md and "2025-W23" in md
        from conftest import unclaimed_numbers

        assert unclaimed_numbers(out) == []
        check = ["check-report", str(out), "--prs", str(paths["prs"]), "--model", str(bundle)]
        res = CliRunner().invoke(main, check + ["--ledger", str(ledger), "--outcomes", str(paths["labels"])])
        assert res.exit_code == 0 and "track 1" in res.output, res.output
        res = CliRunner().invoke(main, check)
        assert res.exit_code == 1 and "give --ledger and --outcomes" in res.output
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    doc["track"]["blamed"] += 1
    for c in doc["claims"]:
        if c["kind"] == "track":
            c["blamed"] += 1
    (out / "report.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    res = CliRunner().invoke(main, check + ["--ledger", str(ledger), "--outcomes", str(paths["labels"])])
    assert res.exit_code == 1 and "the ledger and the outcomes give" in res.output
    res = CliRunner().invoke(main, ["score", "--prs", str(paths["prs"]), "--model", str(bundle), "--week", "2025-W37",
                                    "--no-ledger", "--outcomes", str(paths["labels"]), "-o", str(tmp_path / "x")])
    assert res.exit_code == 2 and "give --ledger" in res.output


def test_recorded_importance_is_held_to_the_release_notes_published_since(steady):
    from scorer.metrics import highlights_recall, iso_week, weekly_top_k

    prs, pairs, feats, model, scores, rows = steady
    _, lab = simulate(weeks=64, seed=7, api=False, prs_per_week=120)  # the same history's importance labels
    res = monitor_frame(rows, outcome_labels(prs, pairs, as_of=week(64)), week(64), notes=lab, tz="UTC")
    imp = res["importance"]
    one = rows.drop_duplicates("number").merge(lab[["number", "importance"]].rename(columns={"importance": "label"}),
                                               on="number")
    weekly = weekly_top_k(one.assign(week=iso_week(one["merged_at"], "UTC")), "importance", "label", 24)
    assert imp["weeks"] == len(weekly) > 20 and imp["highlights"] == weekly["highlights"].sum() > 0
    assert imp["recall"] == pytest.approx(highlights_recall(weekly))
    assert sum(m["hits"] for m in imp["months"]) == imp["hits"]
