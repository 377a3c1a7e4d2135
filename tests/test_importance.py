"""Importance on any repository: the generic features and bundle, the fallback when a repository has
no curation of its own, the weekly top-k metrics, and the highlight threshold's weekly spread."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import ROOT, bench_file
from scorer.bundle import verify_bundle
from scorer.cli import main
from scorer.features import GENERIC_FEATURES, NUMERIC_FEATURES, compute_features
from scorer.prtext import change_kind
from scorer.labels import load_labels, save_labels
from scorer.metrics import graded_gain, weekly_top_k
from scorer.records import load_prs
from scorer.score import load_model
from scorer.simulate import write_sample
from scorer.taxonomy import load_taxonomy

SHIPPED = ROOT / "models" / "generic-importance"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    d = tmp_path_factory.mktemp("imp")
    paths = write_sample(d / "s", weeks=30, seed=3, prs_per_week=60)
    labels = load_labels(paths["labels"])
    outcomes = d / "outcomes.csv"   # what a repository without release notes has: outcomes only
    save_labels(labels.drop(columns=["importance"]), outcomes)
    generic = d / "generic"
    res = CliRunner().invoke(main, ["train", "--prs", str(paths["prs"]), "--labels", str(paths["labels"]),
                                    "--features", "generic", "-o", str(generic)])
    assert res.exit_code == 0, res.output
    return paths["prs"], paths["labels"], outcomes, generic


def test_generic_features_do_not_depend_on_the_taxonomy():
    prs = load_prs(ROOT / "training_data" / "demo" / "history.jsonl.gz")
    own = compute_features(prs, load_taxonomy("demo-engine"))
    generic = compute_features(prs, load_taxonomy("default"))
    pd.testing.assert_frame_equal(own[GENERIC_FEATURES], generic[GENERIC_FEATURES])
    assert set(GENERIC_FEATURES) <= set(NUMERIC_FEATURES)
    # The taxonomy-specific columns do differ, so the equality above is not vacuous.
    assert not own["n_modules"].equals(generic["n_modules"])
    assert change_kind("[Model] Add Foo") == "model" and change_kind("Revert \"x\"") == "revert"


def test_generic_bundle_has_no_repository_tokens(sample):
    _, _, _, generic = sample
    model, card = load_model(generic)
    assert model.feature_set == "generic" and model.repo == "" and not model.tags_
    assert card["features"] == {"numeric": GENERIC_FEATURES, "text": []}
    names = list(model.preprocessor_.get_feature_names_out())
    assert names == [f"num__{c}" for c in GENERIC_FEATURES]


def test_train_without_importance_labels_uses_the_generic_bundle(sample, tmp_path):
    prs, _, outcomes, generic = sample
    bundle = tmp_path / "m"
    runner = CliRunner()
    res = runner.invoke(main, ["train", "--prs", str(prs), "--labels", str(outcomes), "--importance-model",
                               str(generic), "-o", str(bundle)])
    assert res.exit_code == 0, res.output
    assert "no importance labels; using the generic importance bundle" in res.output
    assert "highlight threshold" in res.output
    card = json.loads((bundle / "model_card.json").read_text())
    assert card["importance"]["source"] == "generic" and card["importance"]["generic_trained_on"] == ["demo/engine"]
    h = card["highlight"]
    assert h["share_target"] == 0.07 and 0 < h["weekly_share_min"] <= h["weekly_share_median"] <= h["weekly_share_max"]
    out = tmp_path / "r"
    res = runner.invoke(main, ["score", "--prs", str(prs), "--model", str(bundle), "--since", "2025-12-01",
                               "--until", "2025-12-07", "--lang", "en", "-o", str(out)])
    assert res.exit_code == 0, res.output
    [week_dir] = list((out / "engine").iterdir())
    scores = pd.read_csv(week_dir / "en" / "scores.csv")
    assert len(scores) > 20 and scores["importance"].notna().all() and scores["importance"].std() > 0.1
    text = (week_dir / "en" / "report.md").read_text()
    assert "nan" not in text.lower()
    report = json.loads((week_dir / "en" / "report.json").read_text())
    assert report["summary"]["avg_importance"] == pytest.approx(scores["importance"].mean(), abs=0.06)


def test_no_importance_and_no_generic_bundle_is_a_clear_error(sample, tmp_path):
    prs, _, outcomes, _ = sample
    res = CliRunner().invoke(main, ["train", "--prs", str(prs), "--labels", str(outcomes), "--importance-model",
                                    str(tmp_path / "nowhere"), "-o", str(tmp_path / "m")])
    assert res.exit_code == 2 and "no generic importance bundle" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "m").exists()


def test_a_bundle_without_importance_is_refused_not_reported_as_nan(sample, tmp_path):
    from scorer.bundle import save_bundle
    from scorer.train import PRScorer

    prs_path, _, outcomes, _ = sample
    prs = load_prs(prs_path)
    feats = compute_features(prs, load_taxonomy("demo-engine"))
    model = PRScorer(taxonomy="demo-engine", repo="demo/engine").fit(
        feats, load_labels(outcomes).drop(columns=["repo"]), prs["merged_at"])
    assert not model.has_importance and model.tags_  # a bundle as trained before the generic fallback
    save_bundle(model, {"library_versions": {}}, tmp_path / "old")
    res = CliRunner().invoke(main, ["score", "--prs", str(prs_path), "--model", str(tmp_path / "old"),
                                    "--since", "2025-12-01", "--until", "2025-12-07", "-o", str(tmp_path / "r")])
    assert res.exit_code == 2 and "no importance model" in res.output


def test_shipped_generic_bundle():
    """models/generic-importance: verified, small, repository-agnostic, with its model card."""
    if not (SHIPPED / "manifest.json").exists():
        pytest.fail("models/generic-importance is missing; build it with the README's command")
    verify_bundle(SHIPPED)
    size = sum(p.stat().st_size for p in SHIPPED.iterdir())
    assert size < 5 * 2**20
    model, card = load_model(SHIPPED)
    assert model.feature_set == "generic" and model.repo == "" and model.importance_ is not None
    assert card["trained_on"] == ["vllm-project/vllm"] and card["label_sources"] == ["release-notes"]
    assert card["features"]["text"] == [] and set(card["features"]["numeric"]) == set(GENERIC_FEATURES)
    for key in ("training_window", "data_sha256", "validation", "library_versions", "highlight"):
        assert card[key]


def test_weekly_top_k_ranks_every_pr_of_the_week():
    df = pd.DataFrame({"week": ["a"] * 5 + ["b"] * 3 + ["c"] * 4,
                       "s": [5, 4, 3, 2, 1, 3, 2, 1, 4, 3, 2, 1],
                       "y": [3, 9, 6, 9, 3, 9, 6, 3, np.nan, np.nan, 9, 3]})
    w = weekly_top_k(df, "s", "y", k=2).set_index("week")
    assert list(w.index) == ["a", "b"]  # week c is half unlabeled: left out
    assert w.loc["a", "highlights"] == 2 and w.loc["a", "hits"] == 1 and w.loc["b", "hits"] == 1
    assert graded_gain(np.array([9, 6, 3])).tolist() == [7.0, 1.0, 0.0]
    # Week b has its Highlight on top and the named PR second: a perfect graded ranking.
    assert w.loc["b", "ndcg"] == pytest.approx(1.0) and w.loc["a", "ndcg"] < 1.0


def test_vllm_ascend_newcomer_run(tmp_path):
    """The issue's run: a real repository with outcome labels only gets real importance and a full report."""
    prs = bench_file("vllm-ascend", "prs.jsonl.gz")
    pairs = bench_file("vllm-ascend", "szz_pairs.csv")
    runner = CliRunner()
    out = tmp_path / "outcomes.csv"
    assert runner.invoke(main, ["label", "outcomes", "--prs", str(prs), "--szz-pairs", str(pairs), "--as-of",
                                "2026-07-19", "-o", str(out)]).exit_code == 0
    res = runner.invoke(main, ["train", "--prs", str(prs), "--labels", str(out), "--since", "2025-10-01",
                               "--until", "2026-07-19", "-o", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    assert "using the generic importance bundle" in res.output
    res = runner.invoke(main, ["score", "--prs", str(prs), "--model", str(tmp_path / "m"), "--week", "2026-W30",
                               "-o", str(tmp_path / "r")])
    assert res.exit_code == 0, res.output
    d = tmp_path / "r" / "vllm-ascend" / "2026-W30" / "zh"
    scores = pd.read_csv(d / "scores.csv")
    assert len(scores) == 110 and scores["importance"].notna().all()
    assert 0.02 <= scores["highlight"].mean() <= 0.15   # about 7% highlighted, not 1 of 110
    text = (d / "report.md").read_text()
    assert "nan" not in text and "平均重要性" in text


def test_evaluating_a_generic_bundle_on_another_repository_is_no_overlap(sample, tmp_path):
    """The shipped bundle saw vLLM up to 2026-05; the demo repository's 2025 weeks are not its training data."""
    prs, labels, _, generic = sample
    runner = CliRunner()
    res = runner.invoke(main, ["evaluate", "--prs", str(prs), "--labels", str(labels), "--model", str(SHIPPED),
                               "--since", "2025-10-01", "-o", str(tmp_path / "e")])
    assert res.exit_code == 0, res.output
    assert "overlaps" not in res.output and "Highlights: recall@24" in res.output
    # The same repository's own generic bundle did see those weeks: refused without --allow-overlap.
    res = runner.invoke(main, ["evaluate", "--prs", str(prs), "--labels", str(labels), "--model", str(generic),
                               "--since", "2025-10-01", "-o", str(tmp_path / "e2")])
    assert res.exit_code == 2 and "--allow-overlap" in res.output


def _git_only(prs_path, out):
    """The same history as a git clone gives it: no API fields, empty bodies."""
    from scorer.records import save_prs

    prs = load_prs(prs_path)
    api = ["labels", "created_at", "closed_at", "state", "comments", "review_comments", "reviews", "approvals",
           "changes_requested", "requested_reviewers", "draft"]
    save_prs(prs.drop(columns=[c for c in api if c in prs]).assign(body=""), out)
    return out


def test_api_fields_are_absent_not_zero_and_help_on_held_out_weeks(tmp_path):
    from scorer.features import API_FEATURES

    shipped = ROOT / "training_data" / "demo" / "history.jsonl.gz"
    labels = ROOT / "training_data" / "demo" / "labels.csv"
    git = _git_only(shipped, tmp_path / "git.jsonl.gz")
    f_git = compute_features(load_prs(git), load_taxonomy("demo-engine"))
    f_api = compute_features(load_prs(shipped), load_taxonomy("demo-engine"))
    assert f_git[API_FEATURES].isna().all().all() and f_api[API_FEATURES].notna().all().all()
    runner, metrics = CliRunner(), {}
    for name, prs in (("api", shipped), ("git", git)):
        res = runner.invoke(main, ["train", "--prs", str(prs), "--labels", str(labels), "--until", "2026-04-30",
                                   "-o", str(tmp_path / name)])
        assert res.exit_code == 0, res.output
        res = runner.invoke(main, ["evaluate", "--prs", str(prs), "--labels", str(labels), "--model", str(tmp_path / name),
                                   "--since", "2026-05-01", "-o", str(tmp_path / f"ev_{name}")])
        assert res.exit_code == 0, res.output
        metrics[name] = json.loads((tmp_path / f"ev_{name}" / "metrics.json").read_text())
    assert json.loads((tmp_path / "api" / "model_card.json").read_text())["api_fields"] is True
    bug = {k: m["tags"]["bug-inducing"]["metrics"]["model"]["roc_auc"] for k, m in metrics.items()}
    spearman = {k: m["importance"]["metrics"]["model"]["spearman"] for k, m in metrics.items()}
    assert bug["api"] > bug["git"] + 0.03 and spearman["api"] > spearman["git"]
    # A bundle that learned from API fields refuses a table without them instead of guessing.
    res = runner.invoke(main, ["score", "--prs", str(git), "--model", str(tmp_path / "api"), "--week", "2026-W20",
                               "-o", str(tmp_path / "r")])
    assert res.exit_code == 2 and "trained with API fields" in res.output
