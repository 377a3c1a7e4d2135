"""GitHub check runs (scorer/checks.py): what scorer posts on a pull request, against a fake
GitHub on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from fakegithub import FakeGitHub, make_repo
from scorer.checks import SimilarIndex, parse_ref, post_check
from scorer.cli import main
from scorer.errors import ScorerError
from scorer.taxonomy import load_taxonomy

ROOT = Path(__file__).parents[1]
DEMO = ROOT / "training_data" / "demo"
SHA = "ab" * 20
TOKEN = "ghs_fake_token_for_tests"


@pytest.fixture
def github():
    repo = make_repo(owner="demo", name="engine", n_items=60)
    number = min(n for n, p in repo["pulls"].items() if p["merged_at"] is None)
    pr = repo["pulls"][number]
    pr["head"] = {"sha": SHA, "ref": "feature"}
    pr["title"] = "[Bugfix] Handle preemption in the scheduler"
    pr["_files"] = [{"sha": "0" * 40, "filename": "engine/core/scheduler.py", "status": "modified", "additions": 40,
                     "deletions": 12, "changes": 52, "patch": "@@"},
                    {"sha": "1" * 40, "filename": "engine/core/block_pool.py", "status": "modified", "additions": 5,
                     "deletions": 1, "changes": 6, "patch": "@@"}]
    pr.update(additions=45, deletions=13, changed_files=2)
    fake = FakeGitHub(repo, token=TOKEN).start()
    yield fake, number
    fake.stop()


def run(args, env=None):
    return CliRunner().invoke(main, args, env=env or {})


def test_a_dry_run_prints_the_check_run(scored, github, monkeypatch):
    fake, number = github
    _, bundle, _ = scored
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    base = ["check", f"demo/engine#{number}", "--model", str(bundle), "--data", str(DEMO / "history.jsonl.gz"),
            "--szz-pairs", str(DEMO / "szz_pairs.csv"), "--api-url", fake.url]
    res = run(base + ["--lang", "en"], env={"GITHUB_TOKEN": TOKEN})
    assert res.exit_code == 0, res.output
    out = res.output
    assert out.startswith("# importance ") and "Recommended review:" in out and "Calibrated probabilities" in out
    assert "`engine/core/scheduler.py` (52 lines" in out
    assert "Similar PRs that were later blamed by a fix" in out and "https://github.com/demo/engine/pull/" in out
    assert out.rstrip().endswith("conclusion: neutral") and not fake.check_runs  # a dry run posts nothing
    zh = run(base, env={"GITHUB_TOKEN": TOKEN})
    assert zh.exit_code == 0 and "建议的评审级别" in zh.output and "之后被缺陷修复追溯的相似 PR" in zh.output
    doc = json.loads(run(base + ["--format", "json", "--gate", "0.0"], env={"GITHUB_TOKEN": TOKEN}).output)
    assert doc["check_run"]["head_sha"] == SHA and doc["check_run"]["name"] == "scorer"
    assert doc["check_run"]["conclusion"] == "action_required"  # every probability reaches a gate of 0
    assert TOKEN not in res.output + zh.output + json.dumps(doc)


def test_posting_creates_one_run_per_head_sha_and_updates_it_after(scored, github):
    fake, number = github
    _, bundle, _ = scored
    base = ["check", f"demo/engine#{number}", "--model", str(bundle), "--api-url", fake.url, "--post"]
    res = run(base, env={"GITHUB_TOKEN": ""})
    assert res.exit_code == 2 and "GITHUB_TOKEN" in res.output
    first = run(base + ["--lang", "en"], env={"GITHUB_TOKEN": TOKEN})
    assert first.exit_code == 0, first.output
    assert "created on " + SHA[:12] in first.output
    again = run(base + ["--lang", "en"], env={"GITHUB_TOKEN": TOKEN})  # a redelivered event, a re-run
    assert again.exit_code == 0 and "updated on" in again.output
    assert len(fake.check_runs) == 1
    (only,) = fake.check_runs.values()
    assert only["head_sha"] == SHA and only["status"] == "completed" and only["updates"] == 1
    assert only["output"]["title"].startswith("importance ") and only["conclusion"] == "neutral"
    assert all(auth == f"Bearer {TOKEN}" for _, _, auth in fake.writes)


def test_a_lost_answer_is_looked_up_not_written_twice(github):
    """A POST that created the run but whose answer was lost (a 502), and a secondary rate limit:
    the run is found and updated, and there is still one."""
    from scorer.ingest.github import GitHubClient

    fake, number = github
    fake.fault("/repos/demo/engine/check-runs", "retry-after", "write-then-502")
    body = {"name": "scorer", "head_sha": SHA, "status": "completed", "conclusion": "neutral",
            "output": {"title": "t", "summary": "s"}}
    waits = []
    with GitHubClient(api_url=fake.url, token=TOKEN, sleep=waits.append) as client:
        posted = post_check(client, "demo/engine", body, sleep=waits.append)
    assert posted.action == "updated" and len(fake.check_runs) == 1
    assert list(fake.check_runs.values())[0]["updates"] == 1
    assert waits and waits[0] >= 1  # the rate limit was waited out
    with GitHubClient(api_url=fake.url, token=TOKEN, sleep=waits.append) as client:
        fake.fault("/repos/demo/engine/commits", "502", "502", "502", "502", "502")
        with pytest.raises(ScorerError, match="server error 502"):
            post_check(client, "demo/engine", body, sleep=waits.append)


def test_similar_prs_are_point_in_time():
    tax = load_taxonomy("demo-engine")
    index = SimilarIndex("demo/engine")
    t = pd.Timestamp("2026-03-01", tz="UTC")
    index.add(1, "old bug", t - pd.Timedelta(days=60), t - pd.Timedelta(days=30), ["engine/core/scheduler.py"], tax)
    index.add(2, "blamed later", t - pd.Timedelta(days=20), t + pd.Timedelta(days=5), ["engine/core/scheduler.py"], tax)
    index.add(3, "merged later", t + pd.Timedelta(days=1), t + pd.Timedelta(days=9), ["engine/core/scheduler.py"], tax)
    index.add(4, "same module", t - pd.Timedelta(days=90), t - pd.Timedelta(days=80), ["engine/core/engine.py"], tax)
    index.add(5, "elsewhere", t - pd.Timedelta(days=90), t - pd.Timedelta(days=80), ["docs/faq.md"], tax)
    got = index.query(["engine/core/scheduler.py"], t, tax)
    assert [g["number"] for g in got] == [1, 4]  # #2 was blamed after, #3 merged after, #5 shares nothing
    assert got[0]["similarity"] > got[1]["similarity"] and got[0]["shared_files"] == ["engine/core/scheduler.py"]
    later = index.query(["engine/core/scheduler.py"], t + pd.Timedelta(days=10), tax)
    assert [g["number"] for g in later][:3] == [3, 2, 1]  # ties by recency


@pytest.mark.parametrize("ref", ["vllm", "a/b#0", "a/b#x", "../x#1", "a/b/c#1", "a/b#12345678901"])
def test_refs_are_owner_name_number(ref):
    with pytest.raises(ScorerError, match="OWNER/NAME#NUMBER"):
        parse_ref(ref)
    assert parse_ref("vllm-project/vllm#40860") == ("vllm-project/vllm", 40860)
