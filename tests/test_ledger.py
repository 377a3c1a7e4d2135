"""The prediction ledger (scorer/ledger.py): what scorer score records, kept as it was said."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from scorer.cli import main
from scorer.errors import ScorerError
from scorer.ledger import BundleId, append, bundle_id, prediction_rows, read_file, read_ledger


def scores(n: int = 30, seed: int = 0, start: str = "2026-03-02") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"number": np.arange(100, 100 + n), "title": "t", "author": "a",
                         "merged_at": pd.Timestamp(start, tz="UTC") + pd.to_timedelta(np.arange(n) * 3, unit="D"),
                         "importance": rng.uniform(0, 10, n), "p:bug-inducing": rng.uniform(0, 1, n),
                         "p:reverted": rng.uniform(0, 0.1, n)})


def rows(bundle: str = "a", **kw) -> pd.DataFrame:
    return prediction_rows(scores(**kw), "org/repo", "2026-W10", BundleId("b", bundle * 64),
                           {"bug-inducing": 0.6, "reverted": None}, source="score",
                           predicted_at=pd.Timestamp("2026-03-09", tz="UTC"))


def test_rows_say_each_tag_its_probability_and_decision():
    r = rows()
    assert len(r) == 60 and set(r["tag"]) == {"bug-inducing", "reverted"}
    bug = r[r["tag"] == "bug-inducing"]
    assert (bug["decided"] == (bug["p"] >= 0.6)).all() and (bug["threshold"] == 0.6).all()
    rev = r[r["tag"] == "reverted"]
    assert not rev["decided"].any() and rev["threshold"].isna().all()


def test_a_rerun_adds_nothing_and_another_bundle_adds_its_own(tmp_path):
    assert append(tmp_path, rows()) == 60
    files = sorted(p.name for p in (tmp_path / "org__repo").glob("*.parquet"))
    assert files == ["2026-03.parquet", "2026-04.parquet", "2026-05.parquet"]  # by month of merge
    before = {p: p.read_bytes() for p in (tmp_path / "org__repo").glob("*.parquet")}
    assert append(tmp_path, rows(seed=1)) == 0  # the same week, the same bundle: the first prediction stands
    assert {p: p.read_bytes() for p in before} == before
    assert append(tmp_path, rows(bundle="b", seed=1)) == 60
    got = read_ledger(tmp_path)
    assert len(got) == 120 and got.groupby("bundle_hash").size().tolist() == [60, 60]
    first = got[got["bundle_hash"] == "a" * 64].sort_values(["number", "tag"])["p"].to_numpy()
    assert np.allclose(first, rows().sort_values(["number", "tag"])["p"].to_numpy())


def test_a_failed_write_leaves_the_ledger_as_it_was(tmp_path, monkeypatch):
    append(tmp_path, rows())
    path = tmp_path / "org__repo" / "2026-03.parquet"
    before = path.read_bytes()

    def broken(self, target, *a, **k):
        open(target, "wb").write(b"PAR1 half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", broken)
    with pytest.raises(ScorerError, match="No space left|cannot write"):
        append(tmp_path, rows(bundle="c"))
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("damage, field", [
    (lambda df: df.assign(p=df["p"] + 2), "'p'"),
    (lambda df: df.assign(importance=-1.0), "'importance'"),
    (lambda df: df.assign(bundle_hash="not-a-hash"), "'bundle_hash'"),
    (lambda df: df.assign(repo="../../etc"), "'repo'"),
    (lambda df: df.assign(source="curl | sh"), "'source'"),
    (lambda df: pd.concat([df, df]), "same prediction twice"),
    (lambda df: df.drop(columns="threshold"), "lacks the columns threshold"),
])
def test_what_is_read_back_is_checked_like_input(tmp_path, damage, field):
    append(tmp_path, rows())
    path = tmp_path / "org__repo" / "2026-03.parquet"
    damage(pd.read_parquet(path)).to_parquet(path, index=False)
    with pytest.raises(ScorerError) as err:
        read_ledger(tmp_path)
    assert str(path) in str(err.value) and field in str(err.value)


def test_a_damaged_file_is_one_line_naming_it(tmp_path):
    append(tmp_path, rows())
    path = tmp_path / "org__repo" / "2026-03.parquet"
    path.write_bytes(b"PAR1" + b"\0" * 100)
    with pytest.raises(ScorerError) as err:
        read_file(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_score_records_the_week_once(scored, tmp_path):
    paths, bundle, _ = scored
    ledger = tmp_path / "ledger"
    args = ["score", "--prs", str(paths["prs"]), "--model", str(bundle), "--week", "2025-W37", "--format", "json",
            "-o", str(tmp_path / "out"), "--ledger", str(ledger)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert f"ledger {ledger}: " in res.output and "new predictions" in res.output
    got = read_ledger(ledger)
    week = pd.read_csv(tmp_path / "out" / "engine" / "2025-W37" / "zh" / "scores.csv")
    assert set(got["number"]) == set(week["number"]) and set(got["period"]) == {"2025-W37"}
    assert (got["bundle_hash"] == bundle_id(bundle).hash).all() and (got["source"] == "score").all()
    card = json.loads((bundle / "model_card.json").read_text())
    for tag, t in card["tags"].items():
        g = got[got["tag"] == tag]
        if t["threshold"] is not None:
            assert (g["decided"] == (g["p"] >= t["threshold"])).all()
    merged = week.set_index("number")
    for _, r in got[got["tag"] == "bug-inducing"].iterrows():
        assert r["p"] == pytest.approx(merged.loc[r["number"], "p:bug-inducing"], abs=1e-4)
    res = CliRunner().invoke(main, args)  # the same week again: nothing added
    assert res.exit_code == 0 and len(read_ledger(ledger)) == len(got)
    assert "0 new predictions (this week and bundle were recorded before)" in res.output
    res = CliRunner().invoke(main, args[:-2] + ["--no-ledger", "-o", str(tmp_path / "out2")])
    assert res.exit_code == 0 and "ledger" not in res.output
    res = CliRunner().invoke(main, args + ["--no-ledger"])
    assert res.exit_code == 2 and "not both" in res.output
