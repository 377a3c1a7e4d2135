from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from scorer.bundle import load_bundle
from scorer.cli import main
from scorer.errors import ScorerError
from scorer.features import clean_title, compute_features, normalize_prefix, title_prefixes, title_terms
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
    # Same input, same seed: same bytes.
    out2 = tmp_path / "scores2.csv"
    runner.invoke(main, ["train", "--prs", str(prs_path), "--labels", str(labels_path), "-o", str(tmp_path / "b2")])
    runner.invoke(main, ["predict", "--prs", str(prs_path), "--model", str(tmp_path / "b2"), "-o", str(out2)])
    assert out.read_bytes() == out2.read_bytes()
    # Tampering is refused before unpickling.
    with open(bundle / "model.joblib", "ab") as fh:
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
