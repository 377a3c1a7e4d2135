"""`scorer serve` as users meet it: a real uvicorn server on 127.0.0.1 (a free port), called
over HTTP with httpx. Each endpoint, each error, webhook signatures and a tampered reload."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed (pip install -e '.[serve]')")
import httpx  # noqa: E402
import uvicorn  # noqa: E402

ROOT = Path(__file__).parents[1]
DEMO = ROOT / "training_data" / "demo"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    from scorer.pipeline import train_bundle

    out = tmp_path_factory.mktemp("m") / "demo"
    train_bundle(DEMO / "history.jsonl.gz", [DEMO / "labels.csv"], out, until="2026-06-30")
    return out


@pytest.fixture(scope="module")
def server(bundle, tmp_path_factory):
    from scorer.serve import create_app, load_served

    data = tmp_path_factory.mktemp("d") / "history.jsonl.gz"
    shutil.copy(DEMO / "history.jsonl.gz", data)
    served = load_served(bundle, data, ledger=data.parent / "ledger", monitor_report=data.parent / "monitor.json")
    port = _free_port()
    from scorer.serve import server_config

    srv = uvicorn.Server(server_config(create_app(served), "127.0.0.1", port))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "server did not start"
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        yield client, served, data
    srv.should_exit = True
    t.join(10)


def _pr(number: int = 99001, **kw) -> dict:
    with gzip.open(DEMO / "history.jsonl.gz", "rt", encoding="utf-8") as fh:
        rec = json.loads(fh.readline())
    rec.update({"number": number, "merged_at": "2026-07-27T12:00:00Z", **kw})
    return rec


def test_health_ready_model_metrics(server):
    client, served, _ = server
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz").json()
    assert r["model_id"] == served.model_id and r["history_prs"] == len(served.history)
    card = client.get("/v1/model").json()
    assert card["model_id"] == served.model_id and card["card"]["repo"] == "demo/engine"
    m = client.get("/metrics")
    assert m.status_code == 200 and "scorer_requests_total" in m.text and served.model_id in m.text


def test_score_one_and_many(server):
    client, served, _ = server
    one = client.post("/v1/score", json=_pr()).json()
    assert one["model_id"] == served.model_id and one["history"] == "known"
    res = one["results"][0]
    assert res["number"] == 99001 and 0 <= res["importance"] <= 10
    assert set(res["tags"]) == set(served.model[0].tags_) and res["reasons"]
    for t in res["tags"].values():
        assert 0 <= t["probability"] <= 1 and isinstance(t["decided"], bool)
    many = client.post("/v1/score", json=[_pr(99001), _pr(99002, title="[Bugfix] Fix scheduler crash")]).json()
    assert [r["number"] for r in many["results"]] == [99001, 99002]
    assert many["results"][0]["importance"] == res["importance"]  # same PR, same history, same score
    assert "scorer_scored_prs_total 3.0" in client.get("/metrics").text


def test_score_without_history_says_so(bundle):
    from scorer.pipeline import score_records
    from scorer.score import load_model

    out = score_records([_pr()], load_model(bundle))
    assert out["history"] == "unknown" and "exp" in out["unknown_features"]
    # Reasons never cite what the service could not know ("first PR of this author").
    assert not any("first PR" in r or "author" in r for r in out["results"][0]["reasons"]), out["results"][0]["reasons"]


@pytest.mark.parametrize("body,status,words", [
    (b"{not json", 422, "not valid JSON"),
    (json.dumps({**_pr(), "additions": "many"}).encode(), 422, "additions"),
    (json.dumps({**_pr(), "merged_at": None}).encode(), 422, "merged_at"),
    (json.dumps([]).encode(), 422, "1 to 1,000"),
    (json.dumps({**_pr(), "repo": "other/repo"}).encode(), 422, "trained for demo/engine"),
    (b"x" * (6 * 1024 * 1024), 413, "over"),
])
def test_score_errors(server, body, status, words):
    client, _, _ = server
    r = client.post("/v1/score", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    assert words in r.json()["error"] and "Traceback" not in r.text


def test_weekly_report_cached_and_404s(server):
    client, served, _ = server
    t0 = time.perf_counter()
    md = client.get("/v1/reports/2026-W30", params={"lang": "en", "format": "md"})
    cold = time.perf_counter() - t0
    assert md.status_code == 200 and md.text.startswith("# ") and "2026" in md.text
    t0 = time.perf_counter()
    again = client.get("/v1/reports/2026-W30", params={"lang": "en", "format": "md"})
    assert again.text == md.text and time.perf_counter() - t0 < cold
    js = client.get("/v1/reports/2026-W30", params={"format": "json"})
    assert js.status_code == 200 and js.json()["header"]["period"] == "2026-W30"
    assert "<html" in client.get("/v1/reports/2026-W30", params={"format": "html"}).text.lower()
    for week in ("2019-W01", "garbage"):
        r = client.get(f"/v1/reports/{week}")
        assert r.status_code == 404 and week in r.json()["error"]
    assert client.get("/v1/reports/2026-W30", params={"format": "pdf"}).status_code == 422


_DELIVERIES = iter(range(10**9))


def _signed(secret: str, payload: dict, delivery: str | None = None) -> tuple[bytes, dict]:
    body = json.dumps(payload).encode()
    sig = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"x-hub-signature-256": sig, "x-github-event": "pull_request", "content-type": "application/json",
                  "x-github-delivery": delivery or f"delivery-{next(_DELIVERIES)}"}


def _event(action: str, number: int, merged: bool, title: str = "[Feature] Add webhook scoring",
           updated_at: str = "2026-07-27T13:00:05Z") -> dict:
    pr = {"number": number, "title": title, "body": "", "user": {"login": "dev001"}, "updated_at": updated_at,
          "merged": merged, "merged_at": "2026-07-27T13:00:00Z" if merged else None,
          "created_at": "2026-07-26T10:00:00Z", "closed_at": "2026-07-27T13:00:00Z" if merged else None,
          "additions": 40, "deletions": 3, "changed_files": 2, "labels": [], "comments": 1, "review_comments": 0,
          "requested_reviewers": [], "draft": False, "merge_commit_sha": "ab" * 20}
    return {"action": action, "pull_request": pr, "repository": {"full_name": "demo/engine"}}


def test_webhook_signatures_and_merge_appends(server, monkeypatch):
    client, served, data = server
    monkeypatch.setenv("SCORER_WEBHOOK_SECRET", "s3cret")
    body, headers = _signed("s3cret", _event("opened", 99100, False))
    r = client.post("/v1/github/webhook", content=body, headers=headers)
    assert r.status_code == 200 and r.json()["appended"] is False and r.json()["results"][0]["number"] == 99100
    bad = dict(headers, **{"x-hub-signature-256": "sha256=" + "0" * 64})
    assert client.post("/v1/github/webhook", content=body, headers=bad).status_code == 401
    missing = {k: v for k, v in headers.items() if k != "x-hub-signature-256"}
    assert client.post("/v1/github/webhook", content=body, headers=missing).status_code == 401
    before = len(served.history)
    body, headers = _signed("s3cret", _event("closed", 99101, True))
    r = client.post("/v1/github/webhook", content=body, headers=headers)
    assert r.status_code == 200 and r.json()["appended"] is True
    assert len(served.history) == before + 1
    from scorer.records import load_prs

    assert 99101 in set(load_prs(data)["number"])  # persisted, atomically
    monkeypatch.delenv("SCORER_WEBHOOK_SECRET")
    assert client.post("/v1/github/webhook", content=body, headers=headers).status_code == 503


def test_replayed_and_older_webhooks_change_nothing(server, monkeypatch):
    """A signed event delivered twice is answered once and done once; an older closed+merged
    event replayed after a newer one (a renamed PR) leaves the newer row, in memory and on disk;
    an event without a delivery id is refused."""
    from scorer.records import load_prs

    client, served, data = server
    monkeypatch.setenv("SCORER_WEBHOOK_SECRET", "s3cret")
    old_body, old_headers = _signed("s3cret", _event("closed", 99200, True, "Old title", "2026-07-27T13:00:05Z"))
    new_body, new_headers = _signed("s3cret", _event("closed", 99200, True, "New title", "2026-07-28T09:00:00Z"))
    assert client.post("/v1/github/webhook", content=old_body, headers=old_headers).json()["appended"] is True
    assert client.post("/v1/github/webhook", content=new_body, headers=new_headers).json()["appended"] is True
    again = client.post("/v1/github/webhook", content=new_body, headers=new_headers)
    assert again.status_code == 200 and again.json() == {"duplicate": new_headers["x-github-delivery"], "appended": False}
    replay_body, replay_headers = _signed("s3cret", _event("closed", 99200, True, "Old title", "2026-07-27T13:00:05Z"))
    r = client.post("/v1/github/webhook", content=replay_body, headers=replay_headers)  # a fresh id, an old event
    assert r.status_code == 200 and r.json()["appended"] is False
    for table in (served.history, load_prs(data)):
        assert list(table.loc[table["number"] == 99200, "title"]) == ["New title"]
    no_id = {k: v for k, v in new_headers.items() if k != "x-github-delivery"}
    assert client.post("/v1/github/webhook", content=new_body, headers=no_id).status_code == 400


def test_reload_refuses_tampered_bundle_and_requires_token(server, bundle, tmp_path, monkeypatch):
    client, served, _ = server
    old = served.model_id
    bad = tmp_path / "bad"
    shutil.copytree(bundle, bad)
    (bad / "importance.txt").write_text("tree\nversion=v4\n")
    r = client.post("/v1/reload", json={"path": str(bad)})
    assert r.status_code == 422 and "still serving" in r.json()["error"]
    assert client.get("/v1/model").json()["model_id"] == old
    monkeypatch.setenv("SCORER_SERVICE_TOKEN", "tok")
    assert client.post("/v1/reload", json={"path": str(bundle)}).status_code == 401
    r = client.post("/v1/reload", json={"path": str(bundle)}, headers={"authorization": "Bearer tok"})
    assert r.status_code == 200 and r.json()["model_id"] == old  # the same bundle again
    assert client.post("/v1/reload", json={"nope": 1}, headers={"authorization": "Bearer tok"}).status_code == 422


def test_walked_state_scores_exactly_like_a_full_walk(server):
    """The service scores a new PR against its walked history state; the answer is the one a
    full walk of the history gives."""
    from scorer.pipeline import score_records

    client, served, _ = server
    assert served.state is not None
    pr = _pr(99300, merged_at="2026-08-10T09:00:00Z", title="[Perf] Faster fused MoE kernel")
    via_service = client.post("/v1/score", json=pr).json()
    full = score_records([pr], served.model, served.history)
    assert served.state.read_until > served.state.last_merged  # the fast path was taken
    assert via_service["results"] == full["results"]


def test_concurrent_reports_serve_their_own_language_and_leave_no_temporaries(server):
    """Mixed zh/en requests for the same weeks at once: every answer is 200 in the language asked
    for, and no render directory is left in the temp dir."""
    import tempfile
    from concurrent.futures import ThreadPoolExecutor

    client, served, _ = server
    served.reports.clear()
    before = set(Path(tempfile.gettempdir()).glob("scorer-serve-*"))
    jobs = [(week, lang) for week in ("2026-W28", "2026-W29", "2026-W30") for lang in ("zh", "en")] * 2
    base = str(client.base_url)

    def get(job):
        week, lang = job
        with httpx.Client(base_url=base, timeout=120) as c:
            r = c.get(f"/v1/reports/{week}", params={"lang": lang})
            return job, r.status_code, r.text

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(get, jobs))
    for (week, lang), status, text in answers:
        assert status == 200, (week, lang, text[:200])
        assert ("周报" in text) == (lang == "zh") and ("report" in text.splitlines()[0]) == (lang == "en")
    assert set(Path(tempfile.gettempdir()).glob("scorer-serve-*")) <= before


def test_limits_come_before_work(server, monkeypatch):
    """A reload without the token is refused before its body is read; a chunked body past the
    limit is refused as it streams; a week with a trailing newline is no week; no OpenAPI page."""
    import scorer.serve as serve

    client, _, _ = server
    monkeypatch.setenv("SCORER_SERVICE_TOKEN", "tok")
    assert client.post("/v1/reload", content=b"{" * 1000).status_code == 401
    monkeypatch.setattr(serve, "MAX_BODY", 1 << 16)

    def chunks():
        for _ in range(64):
            yield b" " * 4096

    r = client.post("/v1/score", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert client.get("/v1/reports/2026-W30%0A").status_code == 404
    assert client.get("/openapi.json").status_code == 404


@pytest.mark.parametrize("change", [
    lambda e: e.update(pull_request=[1]),
    lambda e: e["pull_request"].update(number="abc"),
    lambda e: e["pull_request"].pop("number"),
    lambda e: e["pull_request"].update(additions="many"),
    lambda e: e["pull_request"].update(user="dev001"),
    lambda e: e["pull_request"].update(labels={"name": "bug"}),
    lambda e: e["pull_request"].update(requested_reviewers=[1]),
    lambda e: e["pull_request"].update(title={"a": 1}),
])
def test_malformed_signed_webhooks_are_one_line_422s(server, monkeypatch, change):
    client, served, _ = server
    monkeypatch.setenv("SCORER_WEBHOOK_SECRET", "s3cret")
    before = len(served.history)
    event = _event("closed", 99400, True)
    change(event)
    body, headers = _signed("s3cret", event)
    r = client.post("/v1/github/webhook", content=body, headers=headers)
    assert r.status_code == 422 and "pull_request" in r.json()["error"], r.text
    assert len(served.history) == before


def test_silent_and_trickling_connections_are_closed(server, monkeypatch):
    """Connections that never send a whole request are closed after FIRST_REQUEST_S (here 1 s):
    1,100 of them held every descriptor and locked every client out."""
    import scorer.serve as serve

    client, _, _ = server
    port = int(str(client.base_url).rsplit(":", 1)[1].strip("/"))
    monkeypatch.setattr(serve, "FIRST_REQUEST_S", 1)
    silent, trickling = [], []
    for i in range(40):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        (silent if i % 2 else trickling).append(s)
    for s in trickling:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # headers never finished
    time.sleep(2.5)
    for s in silent + trickling:
        s.settimeout(5)
        assert s.recv(1024) == b""  # closed by the server
        s.close()
    assert client.get("/healthz").status_code == 200


def test_a_reload_that_takes_too_long_keeps_the_old_bundle(server, bundle, monkeypatch):
    """/v1/reload verifies the bundle on a worker thread with a time bound: past it the answer is
    a 422, the service keeps answering, and the slow verification never swaps the bundle in."""
    import scorer.serve as serve

    client, served, _ = server
    old = served.model_id
    real = serve.load_served

    def slow(path, data=None):
        time.sleep(2.0)
        fresh = real(path, data)
        fresh.model_id = "slow-one"
        return fresh

    monkeypatch.setattr(serve, "load_served", slow)
    monkeypatch.setattr(serve, "RELOAD_S", 0.5)
    r = client.post("/v1/reload", json={"path": str(bundle)})
    assert r.status_code == 422 and "took over" in r.json()["error"]
    assert client.get("/healthz").status_code == 200
    time.sleep(2.5)  # the verification thread has finished by now
    assert client.get("/v1/model").json()["model_id"] == old == served.model_id


def test_more_idle_connections_than_descriptors_lock_nobody_out(tmp_path):
    """The audit's case, as a deployment meets it: `scorer serve` in its own process with a
    256-descriptor limit and 400 connections that never send a byte. The server runs out of
    descriptors, closes the silent ones after FIRST_REQUEST_S, accepts again, and a client that
    arrived behind all 400 gets its answer (before: locked out until the clients gave up)."""
    import resource
    import subprocess
    import sys

    from scorer.serve import FIRST_REQUEST_S

    port = _free_port()
    limit = 256

    def low_fds() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "scorer.cli", "serve", "--model",
                             str(ROOT / "models" / "generic-importance"), "--port", str(port)],
                            cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, preexec_fn=low_fds)
    silent = []
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.time() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        for _ in range(400):
            silent.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        time.sleep(1.0)
        with pytest.raises(httpx.TimeoutException):  # every descriptor is taken: nobody gets in
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
        start = time.time()
        r = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=3 * FIRST_REQUEST_S + 10)
        assert r.status_code == 200 and time.time() - start < 3 * FIRST_REQUEST_S + 10
        assert proc.poll() is None
    finally:
        for s in silent:
            s.close()
        proc.terminate()
        proc.wait(10)
        log.close()


def test_scores_go_to_the_ledger_and_its_figures_to_metrics(server, monkeypatch):
    """/v1/score's results and merged PRs' webhook scores are appended to the prediction ledger
    (an open PR's are not: it has no outcome to check yet); /metrics counts them and exports the
    latest monitor report's figures, ignoring a report that is not one."""
    from scorer.ledger import read_ledger

    client, served, data = server
    client.post("/v1/score", json=[_pr(99501), _pr(99502)])
    monkeypatch.setenv("SCORER_WEBHOOK_SECRET", "s3cret")
    for action, number, merged in (("opened", 99503, False), ("closed", 99504, True)):
        body, headers = _signed("s3cret", _event(action, number, merged))
        assert client.post("/v1/github/webhook", content=body, headers=headers).status_code == 200
    rows = read_ledger(served.ledger)
    by = rows.groupby("number")["source"].first()
    assert by.get(99501) == "service" and by.get(99502) == "service" and by.get(99504) == "webhook"
    assert 99503 not in by.index
    assert rows[rows["number"] == 99504]["merged_at"].notna().all()
    m = client.get("/metrics").text
    assert 'scorer_ledger_appended_total{source="service"}' in m and 'scorer_ledger_appended_total{source="webhook"}' in m
    assert f'scorer_ledger_rows{{repo="demo/engine"}} {float(len(rows))}' in m
    report = {"tags": {"bug-inducing": {"bundles": {"ab" * 32: {"name": "demo", "realized": {"ece": 0.031, "ece_floor": 0.025,
                                                                                        "roc_auc": 0.81, "precision": 0.7},
                                                               "estimate": {"precision_estimate": 0.66}}}}},
              "alerts": [{"kind": "calibration"}, {"kind": "fixes_so_far"}, {"kind": "calibration"}]}
    served.monitor_report.write_text(json.dumps(report), encoding="utf-8")
    m = client.get("/metrics").text
    assert 'scorer_monitor_realized_ece{bundle="demo@abababababab",tag="bug-inducing"} 0.031' in m
    assert 'scorer_monitor_estimated_precision{bundle="demo@abababababab",tag="bug-inducing"} 0.66' in m
    assert 'scorer_monitor_alerts{kind="calibration"} 2.0' in m
    served.monitor_report.write_text('{"tags": {"x": {"bundles": {"h": {"realized": {"ece": "DROP TABLE"}}}}}, "alerts": 7',
                                     encoding="utf-8")
    m = client.get("/metrics")
    assert m.status_code == 200 and "scorer_monitor_realized_ece{" not in m.text
