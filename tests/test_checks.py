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


def _app_key():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


def _signed_event(secret: str, action: str, pr: dict, sha: str, installation: int = 77):
    import hashlib
    import hmac
    import uuid

    event = {"action": action, "installation": {"id": installation},
             "repository": {"full_name": "demo/engine"},
             "pull_request": {**{k: v for k, v in pr.items() if not k.startswith("_")}, "head": {"sha": sha},
                              "merged": False}}
    body = json.dumps(event).encode()
    sig = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"x-hub-signature-256": sig, "x-github-event": "pull_request", "x-github-delivery": str(uuid.uuid4()),
                  "content-type": "application/json"}


def test_the_service_posts_one_check_run_per_push(scored, github, monkeypatch, tmp_path):
    """Signed webhooks to a real server: `opened` makes exactly one completed check run, a
    redelivery changes nothing, `synchronize` to a new SHA makes a second; a 502 burst and a
    secondary rate limit delay the run but do not lose it; the webhook answers within 1 s
    throughout; the App's JWT goes only to the token exchange and the installation token,
    cached, to the rest."""
    import socket
    import threading
    import time

    import httpx
    import uvicorn

    from scorer.checkrunner import CheckRunner, credentials_from_env, served_check_maker
    from scorer.ingest.github import GitHubClient
    from scorer.serve import create_app, server_config
    from scorer.served import load_served

    fake, number = github
    _, bundle, _ = scored
    private, public = _app_key()
    fake.token = None
    fake.app = ("4242", public)
    monkeypatch.setenv("GITHUB_APP_ID", "4242")
    monkeypatch.setenv("GITHUB_APP_PRIVATE_KEY", private)
    monkeypatch.setenv("SCORER_WEBHOOK_SECRET", "s3cret")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)

    def factory(token=None):
        return GitHubClient(api_url=fake.url, token=token, max_wait_s=60)

    served = load_served(bundle, DEMO / "history.jsonl.gz", ledger=None)
    runner = CheckRunner(served_check_maker(served, "en", 0.99, None), credentials_from_env(fake.url, factory),
                         factory).start()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(server_config(create_app(served, checks=runner), "127.0.0.1", port))
    threading.Thread(target=srv.run, daemon=True).start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    pr = fake.repo["pulls"][number]
    answered = []

    def deliver(client, action, sha):
        body, headers = _signed_event("s3cret", action, pr, sha)
        t = time.perf_counter()
        r = client.post("/v1/github/webhook", content=body, headers=headers)
        answered.append(time.perf_counter() - t)
        assert r.status_code == 200, r.text
        return r.json(), body, headers

    def wait_for(pred, what):
        end = time.time() + 60
        while time.time() < end:
            if pred():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}: {fake.check_runs} {runner.counts}")

    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            fake.fault("/repos/demo/engine/check-runs", "502", "502", "retry-after", "write-then-502")
            doc, body, headers = deliver(client, "opened", SHA)
            assert doc["check_run"] == "queued"
            wait_for(lambda: runner.counts["created"] + runner.counts["updated"] >= 1 and not runner.pending,
                     "the first check run")
            runs = [r for r in fake.check_runs.values() if r["head_sha"] == SHA]
            assert len(runs) == 1 and runs[0]["status"] == "completed" and runs[0]["conclusion"] == "neutral"
            assert runs[0]["output"]["title"].startswith("importance ") and "Recommended review" in runs[0]["output"]["summary"]
            assert not fake.faults["/repos/demo/engine/check-runs"] and fake.status_counts[502] >= 3  # all met
            again = client.post("/v1/github/webhook", content=body, headers=headers)  # GitHub redelivers
            assert again.json().get("duplicate")
            doc, _, _ = deliver(client, "opened", SHA)  # the same push, a fresh delivery id
            wait_for(lambda: not runner.pending and runner.counts["updated"] >= 1, "the update")
            assert len([r for r in fake.check_runs.values() if r["head_sha"] == SHA]) == 1
            new_sha = "cd" * 20
            deliver(client, "synchronize", new_sha)
            wait_for(lambda: any(r["head_sha"] == new_sha for r in fake.check_runs.values()) and not runner.pending,
                     "the new push's run")
            assert len(fake.check_runs) == 2
            assert "scorer_check_runs_total" in client.get("/metrics").text
            # `scorer check` prints the summary the service posted (same bundle, history, language and gate)
            pr["head"] = {"sha": new_sha}
            res = CliRunner().invoke(main, ["check", f"demo/engine#{number}", "--model", str(bundle), "--data",
                                            str(DEMO / "history.jsonl.gz"), "--lang", "en", "--gate", "0.99",
                                            "--format", "json", "--api-url", fake.url],
                                     env={"GITHUB_TOKEN": next(iter(fake.installation_tokens))})
            assert res.exit_code == 0, res.output
            posted = next(r for r in fake.check_runs.values() if r["head_sha"] == new_sha)
            assert json.loads(res.output)["check_run"]["output"] == posted["output"]
    finally:
        srv.should_exit = True
        runner.stop()
    assert max(answered) < 1.0, answered
    exchanges = [(p, a) for m, p, a in fake.writes if p.endswith("/access_tokens")]
    assert len(exchanges) == 1 and len(fake.installation_tokens) == 1  # cached until it expires
    token = next(iter(fake.installation_tokens))
    assert all(a == f"Bearer {token}" for m, p, a in fake.writes if not p.endswith("/access_tokens"))
    assert sum(not p.endswith("/access_tokens") for m, p, a in fake.writes) >= 3
    assert all(a != f"Bearer {token}" for p, a in exchanges)


def test_the_runner_waits_out_an_outage_and_bounds_its_queue(monkeypatch):
    """An outage longer than one post's own retries puts the job back with a growing delay (the
    run is late, not lost); a full queue refuses new work at once; one job per head SHA waits."""
    import time

    import scorer.checkrunner as cr
    from scorer.checkrunner import CheckRunner, Job, StaticToken
    from scorer.ingest.github import RetryableWrite

    monkeypatch.setattr(cr, "RETRY_BASE_S", 0.01)
    calls = []

    class Client:
        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    def make(job, client):
        calls.append(job.attempts)
        if len(calls) < 3:
            raise RetryableWrite("POST /repos/o/r/check-runs: server error 503")
        return {"head_sha": job.head_sha}

    monkeypatch.setattr("scorer.checks.post_check", lambda client, repo, body, sleep=None: type(
        "P", (), {"action": "created", "check_run_id": 1})())
    runner = CheckRunner(make, StaticToken("t"), lambda token=None: Client(), sleep=lambda s: None, max_queue=2)
    assert runner.submit(Job("o/r", 1, "a" * 40, None)) == "queued"
    assert runner.submit(Job("o/r", 1, "a" * 40, None)) == "pending"
    assert runner.submit(Job("o/r", 2, "b" * 40, None)) == "queued"
    assert runner.submit(Job("o/r", 3, "c" * 40, None)) == "refused"
    runner.start()
    end = time.time() + 10
    while (runner.pending or runner.counts["created"] < 2) and time.time() < end:
        time.sleep(0.02)
    runner.stop()
    assert runner.counts["created"] == 2 and runner.counts["retried"] == 2 and runner.counts["refused"] == 1
    assert sorted(calls) == [0, 0, 1, 1]  # each job failed once (the outage), then went through on its retry


def test_from_table_says_what_the_check_would_have_said(scored):
    """A merged PR of the table, scored against the history before it, with no network."""
    _, bundle, _ = scored
    res = run(["check", "demo/engine#2000", "--from-table", "--data", str(DEMO / "history.jsonl.gz"),
               "--szz-pairs", str(DEMO / "szz_pairs.csv"), "--model", str(bundle), "--lang", "en", "--format", "json"])
    if res.exit_code == 2 and "not a merged PR" in res.output:
        from scorer.records import load_prs

        number = int(load_prs(DEMO / "history.jsonl.gz")["number"].iloc[-1])
        res = run(["check", f"demo/engine#{number}", "--from-table", "--data", str(DEMO / "history.jsonl.gz"),
                   "--szz-pairs", str(DEMO / "szz_pairs.csv"), "--model", str(bundle), "--lang", "en", "--format",
                   "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["check_run"]["name"] == "scorer" and doc["check_run"]["output"]["summary"]
    assert run(["check", "demo/engine#1", "--from-table", "--model", str(bundle)]).exit_code == 2
    assert "posts nothing" in run(["check", "demo/engine#1", "--from-table", "--post", "--data",
                                   str(DEMO / "history.jsonl.gz"), "--model", str(bundle)],
                                  env={"GITHUB_TOKEN": "x"}).output


def test_no_token_leaves_for_another_host(github):
    """A files listing whose next page is on another host: the walk stops there with one line,
    and the other host never sees a request, let alone the token."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    import threading

    from scorer.checks import fetch_pull
    from scorer.ingest.github import GitHubClient

    seen = []

    class Evil(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            seen.append(self.headers.get("Authorization"))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *a):
            pass

    evil = ThreadingHTTPServer(("127.0.0.1", 0), Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    fake, number = github
    fake.repo["pulls"][number]["_files"] *= 60  # more than one page
    real_url = fake.url
    fake.url = f"http://127.0.0.1:{evil.server_address[1]}"  # the Link headers now point there
    try:
        with GitHubClient(api_url=real_url, token=TOKEN) as client:
            with pytest.raises(ScorerError, match="another host"):
                fetch_pull(client, "demo/engine", number)
    finally:
        fake.url = real_url
        evil.shutdown()
    assert seen == []
