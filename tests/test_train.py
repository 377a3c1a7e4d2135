from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from scorer.bundle import load_bundle
from scorer.cli import main
from scorer.features import compute_features
from scorer.prtext import clean_title, normalize_prefix, title_prefixes, title_terms
from scorer.records import load_prs
from scorer.taxonomy import load_taxonomy
from conftest import bench_file


def test_prefix_normalisation():
    assert title_prefixes("[BugFix][ROCm] x") == ["bugfix", "rocm"]
    assert normalize_prefix("Bug Fix") == normalize_prefix("bugfix") == normalize_prefix("BugFix") == "bugfix"
    assert title_prefixes("no prefix") == []
    # A model family that shows only as a prefix still counts as a title term (the burst signal);
    # generic tags do not, and the separator after the tags is not part of the summary.
    assert "dsv4" in title_terms("[DSV4] Add knob to enable pre-attn gemm")
    assert title_terms("[Bugfix] Fix it") == []
    assert clean_title("[Bugfix][Compile]: Disable SP") == "Disable SP"


def test_features_are_point_in_time():
    prs = load_prs(bench_file("vllm-ascend", "prs.jsonl.gz"))
    tax = load_taxonomy("vllm-ascend")
    cut = prs["merged_at"].quantile(0.6)
    early = prs[prs["merged_at"] <= cut].reset_index(drop=True)
    f_early = compute_features(early, tax).set_index("number").sort_index()
    f_all = compute_features(prs, tax).set_index("number").loc[f_early.index]
    pd.testing.assert_frame_equal(f_early, f_all)
    # And history features really do carry history.
    assert f_all["exp"].max() > 50 and (f_all["nuc"] > 0).mean() > 0.5
    # Featurizing only some rows (what scoring a week does) gives those rows exactly.
    full = compute_features(prs, tax)
    for lo, hi in ((0.3, 0.32), (0.95, 1.0)):
        m = (prs["merged_at"] >= prs["merged_at"].quantile(lo)) & (prs["merged_at"] <= prs["merged_at"].quantile(hi))
        pd.testing.assert_frame_equal(compute_features(prs, tax, wanted=m), full[m.to_numpy()])


def test_train_predict_and_bundle_integrity(tmp_path, small_training):
    prs_path, labels_path = small_training
    bundle = tmp_path / "models" / "small"
    runner = CliRunner()
    res = runner.invoke(main, ["train", "--prs", str(prs_path), "--labels", str(labels_path), "-o", str(bundle)])
    assert res.exit_code == 0, res.output
    card = json.loads((bundle / "model_card.json").read_text())
    for key in ("training_window", "data_sha256", "features", "hyperparameters", "validation", "library_versions"):
        assert key in card
    assert "bug-inducing" in card["tags"] and card["rule_tags"]
    out = tmp_path / "scores.csv"
    res = runner.invoke(main, ["predict", "--prs", str(prs_path), "--model", str(bundle), "-o", str(out)])
    assert res.exit_code == 0, res.output
    scores = pd.read_csv(out)
    assert {"number", "importance", "p:bug-inducing", "tags"} <= set(scores.columns)
    assert scores["importance"].between(0, 10).all() and scores["p:bug-inducing"].between(0, 1).all()
    # Same input, same seed: same bytes, on any number of LightGBM threads (only the tree files'
    # [num_threads] line says how many fitted them).
    out2 = tmp_path / "scores2.csv"
    res = runner.invoke(main, ["train", "--prs", str(prs_path), "--labels", str(labels_path), "--threads", "2",
                               "-o", str(tmp_path / "b2")])
    assert res.exit_code == 0, res.output
    runner.invoke(main, ["predict", "--prs", str(prs_path), "--model", str(tmp_path / "b2"), "-o", str(out2)])
    assert out.read_bytes() == out2.read_bytes()
    assert (bundle / "model.json").read_bytes() == (tmp_path / "b2" / "model.json").read_bytes()
    trees = sorted(p.name for p in bundle.glob("*.txt"))
    assert trees and trees == sorted(p.name for p in (tmp_path / "b2").glob("*.txt"))
    for name in trees:
        one, two = (bundle / name).read_text(), (tmp_path / "b2" / name).read_text()
        assert "[num_threads: 2]" in two and "[num_threads: 1]" in one
        assert two.replace("[num_threads: 2]", "") == one.replace("[num_threads: 1]", "")
    # Tampering is refused (the manifest catches accidents; nothing in a bundle is code anyway).
    with open(bundle / "model.json", "ab") as fh:
        fh.write(b"x")
    res = runner.invoke(main, ["predict", "--prs", str(prs_path), "--model", str(bundle), "-o", str(out)])
    assert res.exit_code == 2 and "does not match its manifest" in res.output


def test_failed_training_keeps_previous_bundle(tmp_path, small_training):
    prs_path, labels_path = small_training
    bundle = tmp_path / "b"
    runner = CliRunner()
    assert runner.invoke(main, ["train", "--prs", str(prs_path), "--labels", str(labels_path), "-o", str(bundle)]).exit_code == 0
    before = (bundle / "manifest.json").read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text("repo,number,importance\nother/repo,1,5\n")
    res = runner.invoke(main, ["train", "--prs", str(prs_path), "--labels", str(bad), "-o", str(bundle)])
    assert res.exit_code == 2 and "no labels for" in res.output
    assert (bundle / "manifest.json").read_text() == before
    load_bundle(bundle)


def test_baseline_boosted_classifier_adds_only_what_the_baseline_misses():
    """The trees start from the logistic baseline: where the baseline column is the whole signal,
    early stopping keeps few rounds; where an interaction the baseline cannot express carries
    signal, the trees take more rounds and beat the baseline alone."""
    from scipy import sparse
    from scipy.special import expit
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.frozen import FrozenEstimator
    from sklearn.metrics import roc_auc_score

    from scorer.estimators import BaselineBoostedClassifier

    rng = np.random.default_rng(0)
    n = 6000
    size = rng.lognormal(3, 1.5, n)
    noise = rng.normal(size=(n, 5))
    flag_a, flag_b = rng.integers(0, 2, n), rng.integers(0, 2, n)
    X = sparse.csr_matrix(np.column_stack([size, noise, flag_a, flag_b]))
    logit_size = 1.2 * (np.log1p(size) - 3)
    y_plain = (rng.random(n) < expit(logit_size)).astype(int)
    y_inter = (rng.random(n) < expit(logit_size + 2.5 * (flag_a ^ flag_b) - 1.2)).astype(int)
    tr, te = slice(0, 4000), slice(4000, None)

    plain = BaselineBoostedClassifier(baseline_columns=(0,), random_state=0).fit(X[tr], y_plain[tr])
    inter = BaselineBoostedClassifier(baseline_columns=(0,), random_state=0).fit(X[tr], y_inter[tr])
    assert plain.rounds_ < 50 < inter.rounds_  # here: 1 vs 262
    base_only = inter.baseline_.decision_function(X[te][:, [0]].toarray())
    assert roc_auc_score(y_inter[te], inter.predict_proba(X[te])[:, 1]) > roc_auc_score(y_inter[te], base_only) + 0.02  # 0.806 vs 0.783
    # It plugs into scikit-learn's calibration like any classifier, and refitting is deterministic.
    cal = CalibratedClassifierCV(FrozenEstimator(inter), method="sigmoid").fit(X[te], y_inter[te])
    assert cal.predict_proba(X[te]).shape == (n - 4000, 2)
    again = BaselineBoostedClassifier(baseline_columns=(0,), random_state=0).fit(X[tr], y_inter[tr])
    np.testing.assert_array_equal(again.decision_function(X[te]), inter.decision_function(X[te]))


def test_isotonic_ends_are_smoothed_not_certain():
    from scorer.train import smoothed_ends

    p = np.array([0.0, 0.0, 0.0, 0.2, 0.5, 1.0, 1.0])
    y = np.array([0, 0, 0, 0, 1, 1, 1])
    lo, hi = smoothed_ends(y, p)
    assert lo == pytest.approx(1 / 5) and hi == pytest.approx(3 / 4)  # (0+1)/(3+2), (2+1)/(2+2)
    # A map that is already inside its smoothed range is left alone.
    assert smoothed_ends(np.array([0, 1, 0, 1]), np.array([0.4, 0.45, 0.5, 0.6])) == (0.4, 0.6)


def test_no_tag_probability_is_exactly_zero_or_one(tmp_path, small_training):
    prs_path, labels_path = small_training
    res = CliRunner().invoke(main, ["train", "--prs", str(prs_path), "--labels", str(labels_path), "-o", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    model, card = load_bundle(tmp_path / "m")
    prs = load_prs(prs_path)
    p = model.predict_tags(compute_features(prs, load_taxonomy("vllm-ascend")))
    for tag, probs in p.items():
        assert 0 < probs.min() and probs.max() < 1
        if card["tags"][tag]["calibration"] == "isotonic":  # its smoothed ends bound every prediction
            lo, hi = card["tags"][tag]["probability_range"]
            assert lo <= probs.min() + 1e-9 and probs.max() <= hi + 1e-9


def test_a_tag_threshold_makes_a_short_precise_list():
    """Decided tags are a triage list: at most 10% of the calibration slice and of every recent
    week, with precision at least twice the base rate; an uninformative tag is never decided."""
    from scorer.estimators import triage_threshold

    rng = np.random.default_rng(0)
    y = (rng.random(4000) < 0.2).astype(int)
    p = np.clip(0.2 + 0.35 * (y - 0.2) + rng.normal(0, 0.12, len(y)), 0, 1)
    thr = triage_threshold(y, p, 0.10, 2.0)
    decided = p >= thr
    assert 0 < decided.mean() <= 0.10 and y[decided].mean() >= 2 * y.mean()
    busy = np.full(100, 0.9)
    busy[:50] = 0.0  # a recent week whose PRs all score high
    thr_weeks = triage_threshold(y, p, 0.10, 2.0, weeks=[busy, p[:200]])
    assert thr_weeks is None or (busy >= thr_weeks).mean() <= 0.10
    assert thr_weeks is None or thr_weeks > thr
    assert triage_threshold(y, rng.random(len(y)), 0.10, 2.0) is None  # no lift: probabilities only
