"""End-to-end latency of `scorer serve --github-checks` on loopback: a signed `pull_request`
webhook to a real server, and the completed check run at a fake GitHub (tests/fakegithub.py)
on 127.0.0.1. Both the webhook's answer and the check run's arrival are timed; figures are
medians and p95 over `--events` pushes, and the check run's latency is also printed as a ratio to
the webhook's answer measured in the same run.

    python benchmarks/bench_checks.py --model models/demo [--events 40] [--data training_data/demo/history.jsonl.gz]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import socket
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    import httpx
    import uvicorn

    from fakegithub import FakeGitHub, make_repo
    from scorer.checkrunner import CheckRunner, StaticToken, served_check_maker
    from scorer.checks import similar_index_for
    from scorer.ingest.github import GitHubClient
    from scorer.score import taxonomy_for
    from scorer.serve import create_app, server_config
    from scorer.served import load_served

    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", default=str(ROOT / "training_data" / "demo" / "history.jsonl.gz"))
    ap.add_argument("--szz-pairs", default=str(ROOT / "training_data" / "demo" / "szz_pairs.csv"))
    ap.add_argument("--events", type=int, default=40)
    args = ap.parse_args()

    repo = make_repo(owner="demo", name="engine", n_items=max(200, 10 * args.events))
    numbers = sorted(n for n, p in repo["pulls"].items() if p["merged_at"] is None)[: args.events]
    if len(numbers) < args.events:
        sys.exit(f"the fake repository has {len(numbers)} open PRs")
    token = "ghs_bench"
    fake = FakeGitHub(repo, token=token).start()
    os.environ["SCORER_WEBHOOK_SECRET"] = "bench"
    served = load_served(Path(args.model), Path(args.data), ledger=None)
    tax = taxonomy_for(served.model[0], ["demo/engine"])
    similar = similar_index_for(served.history, Path(args.szz_pairs), tax, "demo/engine")

    def factory(token=None):
        return GitHubClient(api_url=fake.url, token=token)

    runner = CheckRunner(served_check_maker(served, "en", None, similar), StaticToken(token), factory).start()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(server_config(create_app(served, checks=runner), "127.0.0.1", port))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    answer, complete = [], []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for n in numbers:
            pr = repo["pulls"][n]
            sha = hashlib.sha1(f"head{n}".encode()).hexdigest()
            event = {"action": "opened", "repository": {"full_name": "demo/engine"},
                     "pull_request": {**{k: v for k, v in pr.items() if not k.startswith("_")}, "head": {"sha": sha}}}
            pr["head"] = {"sha": sha}
            body = json.dumps(event).encode()
            headers = {"x-hub-signature-256": "sha256=" + hmac.new(b"bench", body, hashlib.sha256).hexdigest(),
                       "x-github-event": "pull_request", "x-github-delivery": str(uuid.uuid4()),
                       "content-type": "application/json"}
            t0 = time.perf_counter()
            r = client.post("/v1/github/webhook", content=body, headers=headers)
            answer.append(time.perf_counter() - t0)
            assert r.status_code == 200 and r.json().get("check_run") == "queued", r.text
            while not any(c["head_sha"] == sha and c.get("status") == "completed" for c in list(fake.check_runs.values())):
                if time.perf_counter() - t0 > 60:
                    sys.exit(f"no check run for #{n} after 60 s: {runner.counts}")
                time.sleep(0.002)
            complete.append(time.perf_counter() - t0)
    srv.should_exit = True
    runner.stop()
    fake.stop()

    def p95(xs):
        return sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)]

    a50, c50 = statistics.median(answer), statistics.median(complete)
    print(f"{len(numbers)} opened events, one at a time, loopback; check runs made: {runner.counts}")
    print(f"  webhook answered            median {a50 * 1000:7.1f} ms  p95 {p95(answer) * 1000:7.1f} ms  (baseline)")
    print(f"  completed check run at GitHub median {c50 * 1000:7.1f} ms  p95 {p95(complete) * 1000:7.1f} ms  "
          f"x{c50 / a50:.1f} the webhook's answer")


if __name__ == "__main__":
    main()
