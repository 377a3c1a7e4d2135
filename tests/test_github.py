"""`scorer ingest github` against a real HTTP server on 127.0.0.1 (tests/fakegithub.py)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from fakegithub import FakeGitHub, expected, make_repo
from scorer.cli import main
from scorer.errors import ScorerError
from scorer.ingest.github import GitHubClient, ingest_github
from scorer.records import load_prs

SINCE, UNTIL = "2026-03-10", "2026-03-19"        # the CLI's --until is inclusive
WINDOW = ("2026-03-10T00:00:00Z", "2026-03-20T00:00:00Z")
TOKEN = "ghp_TESTSECRET0123456789abcdefABCDEF"


@pytest.fixture(scope="module")
def repo():
    return make_repo()


@pytest.fixture
def server(repo):
    fake = FakeGitHub(repo).start()
    yield fake
    fake.stop()


def run(fake, tmp_path, *extra, env=None, name="prs.jsonl"):
    args = ["ingest", "github", "acme/widget", "--since", SINCE, "--until", UNTIL, "--api-url", fake.url,
            "--cache", str(tmp_path / "cache"), "-o", str(tmp_path / name), "--activity",
            str(tmp_path / "activity.jsonl"), *extra]
    return CliRunner().invoke(main, args, env={"GITHUB_TOKEN": "", **(env or {})})


def test_recovers_every_pr_file_and_issue_then_serves_a_rerun_from_the_cache(server, repo, tmp_path):
    truth = expected(repo, *WINDOW)
    res = run(server, tmp_path)
    assert res.exit_code == 0, res.output
    prs = load_prs(tmp_path / "prs.jsonl")
    assert set(prs["number"]) == truth["merged"] and len(truth["merged"]) > 30
    for _, row in prs.iterrows():
        src = repo["pulls"][int(row["number"])]
        assert [f["filename"] for f in row["files"]] == [f["filename"] for f in src["_files"]]
        before_merge = [r for r in src["_reviews"] if r["submitted_at"] <= src["merged_at"]]
        assert row["additions"] == src["additions"] and row["reviews"] == len(before_merge)
        assert row["labels"] == [x["name"] for x in src["labels"]] and row["author"] == src["user"]["login"]
        assert row["approvals"] == sum(r["state"] == "APPROVED" for r in before_merge)
    assert repo["big_pr"] in truth["merged"]  # the 250-file PR: three pages of files, all recovered
    assert len(prs.set_index("number").loc[repo["big_pr"], "files"]) == 250
    act = pd.read_json(tmp_path / "activity.jsonl", lines=True)
    assert set(zip(act["kind"], act["number"])) == truth["activity"]
    assert set(act.loc[act["kind"] == "pr", "state"]) >= {"merged", "closed", "open"}
    first = dict(server.status_counts)
    assert first.get(304, 0) == 0 and first[200] > 100
    # The same window again: every answer is a 304 from the ETag cache, outputs identical.
    before = (tmp_path / "prs.jsonl").read_bytes(), (tmp_path / "activity.jsonl").read_bytes()
    server.status_counts.clear()
    res = run(server, tmp_path)
    assert res.exit_code == 0, res.output
    assert server.status_counts.get(200, 0) == 0 and server.status_counts[304] == first[200]
    assert "304 from the cache" in res.output
    assert ((tmp_path / "prs.jsonl").read_bytes(), (tmp_path / "activity.jsonl").read_bytes()) == before


def test_survives_faults_with_nothing_lost(server, repo, tmp_path):
    """A rate limit (wait for reset), a secondary limit (retry-after), a 502 and a dropped
    connection: all retried; the result equals a clean run's."""
    server.fault("/repos/acme/widget/pulls", "ratelimit", "502")
    server.fault("/repos/acme/widget/issues", "retry-after", "drop")
    server.fault(f"/repos/acme/widget/pulls/{min(expected(repo, *WINDOW)['merged'])}/files", "drop", "502")
    res = run(server, tmp_path)
    assert res.exit_code == 0, res.output
    assert "2 rate-limit waits" in res.output and "4 retried" in res.output
    assert set(load_prs(tmp_path / "prs.jsonl")["number"]) == expected(repo, *WINDOW)["merged"]


def test_interrupted_run_resumes_from_the_cache(server, repo, tmp_path):
    merged = sorted(expected(repo, *WINDOW)["merged"])
    victim = merged[len(merged) // 2]
    server.fault(f"/repos/acme/widget/pulls/{victim}/reviews", *["502"] * 5)
    res = run(server, tmp_path)
    assert res.exit_code == 2 and "server error 502" in res.output and "gave up after 5 tries" in res.output
    assert not (tmp_path / "prs.jsonl").exists() and not (tmp_path / "activity.jsonl").exists()
    fetched = server.status_counts[200]
    server.status_counts.clear()
    res = run(server, tmp_path)
    assert res.exit_code == 0, res.output
    # What the first run fetched comes back as 304s; only the rest is downloaded.
    assert server.status_counts[304] >= fetched - 2 and set(load_prs(tmp_path / "prs.jsonl")["number"]) == set(merged)


def test_token_never_written_anywhere(repo, tmp_path):
    fake = FakeGitHub(repo, token=TOKEN).start()
    try:
        res = run(fake, tmp_path, env={"GITHUB_TOKEN": TOKEN})
        assert res.exit_code == 0, res.output
        bad = run(fake, tmp_path / "bad", env={"GITHUB_TOKEN": TOKEN + "x"})
    finally:
        fake.stop()
    assert bad.exit_code == 2 and "401" in bad.output and "GITHUB_TOKEN" in bad.output
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) > 100  # outputs and the cache
    for blob in [p.read_bytes() for p in written] + [res.output.encode(), bad.output.encode()]:
        assert TOKEN.encode() not in blob and TOKEN[4:20].encode() not in blob


@pytest.mark.parametrize("case", ["unknown repo", "no token for private", "window", "proxy", "bad slug", "dot-dot slug"])
def test_bad_input_is_one_line_and_writes_nothing(server, tmp_path, case):
    args = {"unknown repo": ["ingest", "github", "acme/nope"], "no token for private": ["ingest", "github", "acme/nope"],
            "window": ["ingest", "github", "acme/widget"], "proxy": ["ingest", "github", "acme/widget"],
            "bad slug": ["ingest", "github", "not a slug"], "dot-dot slug": ["ingest", "github", "acme/.."]}[case]
    since, until = ("2026-03-20", "2026-03-10") if case == "window" else (SINCE, UNTIL)
    if case == "proxy":
        server.fault("/repos/acme/widget/pulls", "html")
    res = CliRunner().invoke(main, [*args, "--since", since, "--until", until, "--api-url", server.url, "--cache",
                                    str(tmp_path / "c"), "-o", str(tmp_path / "o.jsonl")], env={"GITHUB_TOKEN": ""})
    assert res.exit_code == 2, res.output
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "Traceback" not in res.output
    assert {"unknown repo": "404", "no token for private": "needs GITHUB_TOKEN", "window": "is not before",
            "proxy": "not JSON", "bad slug": "OWNER/NAME", "dot-dot slug": "OWNER/NAME"}[case] in lines[0]
    assert not (tmp_path / "o.jsonl").exists()


def test_client_pages_and_gives_up_on_a_dead_server(tmp_path):
    waits = []
    client = GitHubClient(api_url="http://127.0.0.1:9", max_tries=3, backoff_s=0.01, sleep=waits.append)
    with pytest.raises(ScorerError, match="connection failed .* gave up after 3 tries"):
        ingest_github(client, "acme/widget", pd.Timestamp("2026-03-10", tz="UTC"), pd.Timestamp("2026-03-11", tz="UTC"))
    assert waits == [0.01, 0.02]  # exponential backoff, bounded


def test_ingest_merge_joins_git_and_api_tables(tmp_path):
    from conftest import ROOT
    from scorer.records import save_prs

    api = load_prs(ROOT / "training_data" / "demo" / "history.jsonl.gz")
    extra = ["labels", "created_at", "closed_at", "state", "comments", "review_comments", "reviews", "approvals",
             "changes_requested", "requested_reviewers", "draft"]
    git = api.drop(columns=extra).assign(body="")
    save_prs(git.iloc[:3000], tmp_path / "git.jsonl.gz")
    save_prs(api.iloc[1000:], tmp_path / "api.jsonl.gz")
    res = CliRunner().invoke(main, ["ingest", "merge", str(tmp_path / "git.jsonl.gz"), str(tmp_path / "api.jsonl.gz"),
                                    "-o", str(tmp_path / "m.jsonl.gz")])
    assert res.exit_code == 0, res.output
    assert "2,000 with API fields, 1,000 from git only, 1,216 from the API only" in res.output
    m = load_prs(tmp_path / "m.jsonl.gz").set_index("number").sort_index()
    want = api.set_index("number").sort_index()
    matched = sorted(set(api["number"].iloc[1000:]) & set(api["number"].iloc[:3000]))
    assert (m.loc[matched, "comments"] == want.loc[matched, "comments"]).all()
    git_only = sorted(set(api["number"].iloc[:1000]))
    assert m.loc[git_only, "comments"].isna().all()
    assert len(m) == len(api)


def test_token_goes_only_to_the_api_origin_and_pages_stay_there(tmp_path):
    """A hostile API names another host (a second loopback host name) in its `Link` header, in a
    redirect and as an absolute URL: the token reaches only --api-url's origin, a next link off
    it or back to a page already read ends the run with one line."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: dict[str, list] = {"api": [], "other": []}

    def server(name, answer):
        class H(BaseHTTPRequestHandler):
            def do_GET(self):
                seen[name].append((self.path, self.headers.get("Authorization")))
                status, headers, body = answer(self.path)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return httpd

    other = server("other", lambda path: (200, {}, b"[]"))
    elsewhere = f"http://localhost:{other.server_address[1]}"  # another host name for the same machine

    def api_answer(path):
        if path.startswith("/away"):
            return 200, {"Link": f'<{elsewhere}/steal?page=2>; rel="next"'}, b"[1]"
        if path.startswith("/loop"):
            return 200, {"Link": f'<http://127.0.0.1:{api.server_address[1]}/loop>; rel="next"'}, b"[1]"
        if path.startswith("/redirect"):
            return 302, {"Location": f"{elsewhere}/redirected"}, b""
        return 200, {}, b"[]"

    api = server("api", api_answer)
    try:
        with GitHubClient(api_url=f"http://127.0.0.1:{api.server_address[1]}", token=TOKEN, max_tries=1) as client:
            with pytest.raises(ScorerError, match="another host"):
                list(client.pages("away"))
            with pytest.raises(ScorerError, match="already read"):
                list(client.pages("loop"))
            client.get("redirect")
            client.get(f"{elsewhere}/direct")
    finally:
        api.shutdown()
        other.shutdown()
    assert seen["api"] and all(auth == f"Bearer {TOKEN}" for _, auth in seen["api"])
    assert [p for p, _ in seen["other"]] == ["/redirected", "/direct"]  # never /steal
    assert all(auth is None for _, auth in seen["other"])


def _hostile(answer):
    """A GitHub-shaped server on 127.0.0.1 whose every answer `answer(handler, path)` writes."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            answer(self, self.path)

        def log_message(self, *a):
            pass
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def _send(h, status: int, body: bytes, **headers):
    h.send_response(status)
    for k, v in {"Content-Type": "application/json", "Content-Length": str(len(body)), **headers}.items():
        h.send_header(k.replace("_", "-"), v)
    h.end_headers()
    h.wfile.write(body)


@pytest.mark.parametrize("case", ["endless next", "slow drip", "retry-after 0", "reset in the past", "waits add up",
                                  "gzip bomb", "deep json"])
def test_a_hostile_api_ends_each_run_with_one_line(case):
    """Each of the client's former hangs, loops and tracebacks against a server of our own: the run
    ends with one ScorerError, waiting (through the injected sleep) only what its bounds allow."""
    import gzip as gz
    import time as t

    def answer(h, path):
        if case == "endless next":
            n = int(path.split("page=")[1]) if "page=" in path else 1
            _send(h, 200, b"[1]", Link=f'<{url}/items?page={n + 1}>; rel="next"')
        elif case == "slow drip":
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", "1000")
            h.end_headers()
            for _ in range(1000):
                h.wfile.write(b" ")
                h.wfile.flush()
                t.sleep(0.2)
        elif case == "retry-after 0":
            _send(h, 403, b'{"message": "secondary rate limit"}', Retry_After="0")
        elif case == "reset in the past":
            _send(h, 403, b'{"message": "rate limit"}', X_RateLimit_Remaining="0", X_RateLimit_Reset="1000")
        elif case == "waits add up":
            _send(h, 429, b'{"message": "slow down"}', Retry_After="100")
        elif case == "gzip bomb":
            _send(h, 200, gz.compress(b" " * (8 << 20)), Content_Encoding="gzip")
        elif case == "deep json":
            _send(h, 200, b"[" * 200_000 + b"]" * 200_000)

    httpd, url = _hostile(answer)
    waits: list[float] = []
    try:
        client = GitHubClient(api_url=url, max_pages=50, request_s=1.0, max_wait_s=250, max_page_bytes=1 << 20,
                              max_tries=3, backoff_s=0.01, sleep=waits.append)
        with client, pytest.raises(ScorerError) as err:
            list(client.pages("items"))
    finally:
        httpd.shutdown()
    msg = str(err.value)
    assert "\n" not in msg and "Traceback" not in msg
    assert {"endless next": "50 pages", "slow drip": "took over 1s", "retry-after 0": "still rate limited",
            "reset in the past": "still rate limited", "waits add up": "more than the 250s",
            "gzip bomb": "over 1 MB", "deep json": "nested too deeply"}[case] in msg, msg
    assert sum(waits) <= 250 and all(w >= 0 for w in waits)


@pytest.mark.parametrize("case,field", [
    ("number ten", "pull_request.number"), ("null item", "pull_request"), ("additions many", "pull_request.additions"),
    ("detail null", "pull_request"), ("detail list", "pull_request"), ("merged_at garbage", "pull_request.merged_at"),
    ("title dict", "pull_request.title"), ("user string", "pull_request.user"), ("labels dict", "pull_request.labels"),
    ("file without name", "file.filename"), ("updated_at garbage", "pull_request.updated_at"),
    ("files page cycle", None),
])
def test_malformed_api_fields_are_one_line_naming_url_and_field(case, field):
    """Each malformed field a hostile API sent ended in a traceback or was bent into the table
    ("{'a': 1}" as a title, "" as an author): now one line naming the URL and the field."""
    good = {"number": 1, "title": "Add x", "user": {"login": "dev"}, "labels": [], "created_at": "2026-03-10T01:00:00Z",
            "updated_at": "2026-03-12T01:00:00Z", "closed_at": "2026-03-11T01:00:00Z",
            "merged_at": "2026-03-11T01:00:00Z", "additions": 1, "deletions": 0, "changed_files": 1, "draft": False}
    listing, detail, files = [dict(good)], dict(good), [{"filename": "a.py", "status": "modified", "additions": 1,
                                                        "deletions": 0}]
    if case == "number ten":
        listing[0]["number"] = "ten"
    elif case == "null item":
        listing = [None]
    elif case == "additions many":
        detail["additions"] = "many"
    elif case == "detail null":
        detail = None
    elif case == "detail list":
        detail = [good]
    elif case == "merged_at garbage":
        detail["merged_at"] = "yesterday-ish"
    elif case == "title dict":
        detail["title"] = {"a": 1}
    elif case == "user string":
        detail["user"] = "dev"
    elif case == "labels dict":
        detail["labels"] = {"name": "bug"}
    elif case == "file without name":
        files = [{"status": "modified"}]
    elif case == "updated_at garbage":
        listing[0]["updated_at"] = detail["updated_at"] = "soon"

    def answer(h, path):
        route = path.split("?")[0]
        body = {"/repos/acme/widget/pulls": listing, "/repos/acme/widget/pulls/1": detail,
                "/repos/acme/widget/pulls/1/files": files}.get(route, [])
        extra = {}
        if case == "files page cycle" and route.endswith("/files"):  # page 2 names page 1 again
            page = 2 if "page=2" in path else 1
            extra["Link"] = f'<{url}/repos/acme/widget/pulls/1/files?page={3 - page}>; rel="next"'
        _send(h, 200, json.dumps(body).encode(), **extra)

    httpd, url = _hostile(answer)
    try:
        with GitHubClient(api_url=url, max_tries=1) as client, pytest.raises(ScorerError) as err:
            ingest_github(client, "acme/widget", pd.Timestamp("2026-03-10", tz="UTC"), pd.Timestamp("2026-03-20", tz="UTC"))
    finally:
        httpd.shutdown()
    msg = str(err.value)
    assert "\n" not in msg and "/repos/acme/widget/pulls" in msg, msg
    assert (f"field '{field}'" if field else "already read") in msg, msg
