"""Several repositories: tables loaded together, each featurized on its own history and scored by
its own bundle, one organisation report; the Dask engine gives the local engine's results."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import unclaimed_numbers

from scorer.cli import main
from scorer.pipeline import score_org

ROOT = Path(__file__).parents[1]
DEMO = ROOT / "training_data" / "demo" / "history.jsonl.gz"
GENERIC = ROOT / "models" / "generic-importance"
WEEK = "2026-W30"


@pytest.fixture(scope="module")
def two_repos(tmp_path_factory) -> list[Path]:
    """The demo history and a second repository: the same PRs renamed, shifted by a day and
    renumbered, with one model family's titles kept in both."""
    tmp = tmp_path_factory.mktemp("org")
    rows = [json.loads(line) for line in gzip.open(DEMO, "rt", encoding="utf-8")]
    other = []
    for r in rows:
        t = pd.Timestamp(r["merged_at"]) + pd.Timedelta(days=1)
        other.append({**r, "repo": "demo/plugin", "number": r["number"] + 50_000,
                      "merged_at": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "authored_at": t.strftime("%Y-%m-%dT%H:%M:%SZ")})
    a, b = tmp / "engine.jsonl", tmp / "plugin.jsonl"
    a.write_text("".join(json.dumps(r) + "\n" for r in rows))
    b.write_text("".join(json.dumps(r) + "\n" for r in other))
    return [a, b]


def test_org_report_has_a_section_per_repo_and_shared_topics(two_repos, tmp_path):
    ctx, scores, written = score_org(two_repos, [GENERIC], tmp_path, org="demo", week=WEEK, lang="en")
    assert [r["repo"] for r in ctx["repos"]] == sorted(r["repo"] for r in ctx["repos"])  # equal sizes: by name
    assert {r["repo"] for r in ctx["repos"]} == {"demo/engine", "demo/plugin"}
    assert set(scores["repo"]) == {"demo/engine", "demo/plugin"}
    assert ctx["header"]["n_prs"] == len(scores) == sum(r["n_prs"] for r in ctx["repos"])
    # The second repository repeats the first's titles, so every shared topic is in both.
    assert ctx["shared"] and all(len(t["repos"]) == 2 for t in ctx["shared"])
    top = [p["importance"] for p in ctx["top"]]
    assert top == sorted(top, reverse=True) and {p["repo"] for p in ctx["top"]} == {"demo/engine", "demo/plugin"}
    out = tmp_path / "demo" / WEEK / "en"
    md = (out / "report.md").read_text()
    assert "## Demo Engine" in md or "demo/engine" in md
    assert md.count("\n## ") >= 4  # shared topics, two repositories, the top table
    for repo in ("engine", "plugin"):
        assert (out / repo / "report.md").exists() and (out / repo / "scores.csv").exists()
    assert json.loads((out / "report.json").read_text())["kind"] == "organisation"


def test_each_repo_is_featurized_on_its_own_history(two_repos, tmp_path):
    """A repository's scores in the organisation run equal its scores run alone: no history
    feature saw the other repository's PRs."""
    from scorer.pipeline import score_period

    ctx, scores, _ = score_org(two_repos, [GENERIC], tmp_path / "org", org="demo", week=WEEK, lang="en")
    _, alone, _ = score_period(two_repos[1], GENERIC, tmp_path / "alone", week=WEEK, lang="en")
    mine = scores[scores["repo"] == "demo/plugin"].drop(columns=["repo"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, alone.reset_index(drop=True))


def test_org_weeks_from_the_cache_equal_whole_walks(two_repos, tmp_path):
    """With the cache, each one-repository table is scored from its working table and history
    snapshot (twice: cold, then warm); without, each history is walked whole. Same reports."""
    runs = {}
    for name, kw in (("cold", {"cache_dir": tmp_path / "c"}), ("warm", {"cache_dir": tmp_path / "c"}),
                     ("none", {"use_cache": False})):
        runs[name] = score_org(two_repos, [GENERIC], tmp_path / name, org="demo", week=WEEK, lang="en", **kw)
    assert len(list((tmp_path / "c" / "history").rglob("*.json.gz"))) == 2  # a snapshot per repository
    for name in ("cold", "warm"):
        assert runs[name][0] == runs["none"][0]
        pd.testing.assert_frame_equal(runs[name][1], runs["none"][1])
        for f in ("report.md", "report.json", "scores.csv", "engine/report.md", "plugin/report.json"):
            a = (tmp_path / name / "demo" / WEEK / "en" / f).read_bytes()
            assert a == (tmp_path / "none" / "demo" / WEEK / "en" / f).read_bytes(), (name, f)


def test_dask_engine_reproduces_the_local_engine(two_repos, tmp_path):
    pytest.importorskip("distributed", reason="the dask extra is not installed (pip install -e '.[dask]')")
    from scorer.engine import dask_client

    local = score_org(two_repos, [GENERIC], tmp_path / "local", org="demo", week=WEEK, lang="zh")
    with dask_client(workers=2) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        dist = score_org(two_repos, [GENERIC], tmp_path / "dask", org="demo", week=WEEK, lang="zh", engine="dask",
                         client=client)
    assert local[0] == dist[0]
    pd.testing.assert_frame_equal(local[1], dist[1])
    for name in ("report.md", "report.json", "scores.csv", "engine/report.md", "plugin/scores.csv"):
        a = (tmp_path / "local" / "demo" / WEEK / "zh" / name).read_bytes()
        assert a == (tmp_path / "dask" / "demo" / WEEK / "zh" / name).read_bytes(), name


def test_org_cli_errors_are_one_line(two_repos, tmp_path):
    runner = CliRunner()
    base = ["score", "--prs", str(two_repos[0]), "--prs", str(two_repos[1]), "--model", str(GENERIC), "--week", WEEK,
            "-o", str(tmp_path)]
    r = runner.invoke(main, base)
    assert r.exit_code == 2 and "--org" in r.output
    r = runner.invoke(main, base + ["--org", "../etc"])
    assert r.exit_code == 2 and "--org" in r.output
    r = runner.invoke(main, ["score", "--prs", str(two_repos[0]), "--prs", str(two_repos[0]), "--model", str(GENERIC),
                             "--org", "demo", "--week", WEEK, "-o", str(tmp_path)])
    assert r.exit_code == 2 and "given twice" in r.output
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(two_repos[0].read_bytes())
    r = runner.invoke(main, ["score", "--prs", str(two_repos[0]), "--prs", str(copy), "--model", str(GENERIC),
                             "--org", "demo", "--week", WEEK, "-o", str(tmp_path)])
    assert r.exit_code == 2 and "demo/engine is also in" in r.output
    r = runner.invoke(main, base + ["--org", "demo", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"])
    assert r.exit_code == 2 and ("scheduler" in r.output or "dask extra" in r.output)
    assert not (tmp_path / "demo").exists()


def test_one_bundle_trained_on_two_repositories(two_repos, tmp_path):
    """`scorer train --prs A --prs B`: one bundle, each repository featurized with its own history;
    it names both, scores either, refuses a third, and the organisation run picks it for both."""
    from scorer.score import load_model

    labels = pd.read_csv(ROOT / "training_data" / "demo" / "labels.csv")
    other = labels.assign(repo="demo/plugin", number=labels["number"] + 50_000)
    pd.concat([labels, other]).to_csv(tmp_path / "labels.csv", index=False)
    r = CliRunner().invoke(main, ["train", "--prs", str(two_repos[0]), "--prs", str(two_repos[1]),
                                  "--labels", str(tmp_path / "labels.csv"), "--until", "2026-06-30",
                                  "-o", str(tmp_path / "both")])
    assert r.exit_code == 0, r.output
    model, card = load_model(tmp_path / "both")
    assert card["trained_on"] == ["demo/engine", "demo/plugin"] and model.repos_ == ("demo/engine", "demo/plugin")
    assert card["rows"]["labeled"] > len(labels)  # more than one repository's labels can give: both counted
    ctx, scores, _ = score_org(two_repos, [GENERIC, tmp_path / "both"], tmp_path / "out", org="demo", week=WEEK,
                               lang="en")
    assert {r["model"] for r in ctx["repos"]} == {"both"}  # its own bundle before the generic one
    assert scores["p:bug-inducing"].notna().all()
    third = tmp_path / "third.jsonl"
    third.write_text(two_repos[0].read_text().replace('"demo/engine"', '"demo/third"'))
    r = CliRunner().invoke(main, ["score", "--prs", str(third), "--model", str(tmp_path / "both"), "--week", WEEK,
                                  "-o", str(tmp_path / "x")])
    assert r.exit_code == 2 and "trained for demo/engine, demo/plugin" in r.output


def test_dask_featurized_training_gives_the_same_bundle(two_repos, tmp_path):
    """train --engine dask featurizes each repository on a worker; the fit runs in the client, so
    the bundle's files are the local engine's, byte for byte."""
    pytest.importorskip("distributed", reason="the dask extra is not installed (pip install -e '.[dask]')")
    from scorer.engine import dask_client
    from scorer.pipeline import train_bundle

    labels = pd.read_csv(ROOT / "training_data" / "demo" / "labels.csv")
    pd.concat([labels, labels.assign(repo="demo/plugin", number=labels["number"] + 50_000)]).to_csv(
        tmp_path / "labels.csv", index=False)
    train_bundle(two_repos, [tmp_path / "labels.csv"], tmp_path / "local" / "b", until="2026-06-30")
    with dask_client(workers=2) as client:
        train_bundle(two_repos, [tmp_path / "labels.csv"], tmp_path / "dask" / "b", until="2026-06-30",
                     engine="dask", client=client)
    local, dist = tmp_path / "local" / "b", tmp_path / "dask" / "b"
    names = sorted(p.name for p in local.iterdir())
    assert names == sorted(p.name for p in dist.iterdir())
    for name in names:
        assert (local / name).read_bytes() == (dist / name).read_bytes(), name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_org_html_in_headless_chromium(two_repos, lang, tmp_path):
    """The organisation page is self-contained, opens without console messages and paints text."""
    from conftest import open_in_chromium

    score_org(two_repos, [GENERIC], tmp_path, org="demo", week=WEEK, lang=lang, formats=("html",))
    page = tmp_path / "demo" / WEEK / lang / "report.html"
    html = page.read_text(encoding="utf-8")
    assert html.count("<table>") >= 3 and "demo/engine" in html and "demo/plugin" in html
    pixels = open_in_chromium(page, tmp_path / "page.png")
    assert (pixels < 100).sum() > 5000  # text and table rules painted, not a blank page


def test_org_report_claims_hold_and_a_shared_topic_miscount_is_caught(two_repos, tmp_path):
    """`scorer check-report` on an organisation report: its own claims and each repository's
    report beside it hold; a shared topic that lists a PR whose title does not name it, or a
    changed count, is caught."""
    from scorer.pipeline import check_reports
    from scorer.report.org_claims import org_claims

    score_org(two_repos, [GENERIC], tmp_path, org="demo", week=WEEK, lang="zh")
    out = tmp_path / "demo" / WEEK / "zh"
    results = check_reports([out], two_repos, [GENERIC])
    assert len(results) == 3 and all(not r.false for _, r in results), [r.false for _, r in results]
    assert all(unclaimed_numbers(d) == [] for d, _ in results), [unclaimed_numbers(d) for d, _ in results]
    org = dict(results)[out]
    assert org.checked["count"] >= 6 and org.checked["top"] >= 2 and org.checked["prs"] >= 2
    ctx = json.loads((out / "report.json").read_text(encoding="utf-8"))
    ctx.pop("claims")
    topic = ctx["shared"][0]
    scores = pd.read_csv(out / "scores.csv")
    mine = scores[scores["repo"] == topic["repos"][0]["repo"]]
    stranger = int(next(n for n, t in zip(mine["number"], mine["title"]) if topic["key"] not in t.lower().replace(" ", "")))
    topic["repos"][0]["numbers"].append(stranger)
    topic["repos"][0]["count"] += 1
    ctx["claims"] = org_claims(ctx)
    (out / "report.json").write_text(json.dumps(ctx, ensure_ascii=False), encoding="utf-8")
    res = CliRunner().invoke(main, ["check-report", str(out / "report.json").rsplit("/", 1)[0], "--prs", str(two_repos[0]),
                                    "--prs", str(two_repos[1]), "--model", str(GENERIC)])
    assert res.exit_code == 1, res.output
    assert f"#{stranger} do not satisfy" in res.output and "(count): states" in res.output
