"""`scorer ingest github` against the test suite's fake GitHub on 127.0.0.1: wall time to ingest
~1,000 PRs, requests per PR, and a re-run from the ETag cache (the baseline it is compared with).

    python benchmarks/bench_github.py [--items 1700]

Loopback has no network latency: the figures are the client's own cost per request. On the real
API multiply the request count by the round trip (~0.2-0.5 s) and mind the rate limit (5,000 an
hour with a token).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=1700, help="issues + PRs in the fake repository (60%% PRs)")
    args = ap.parse_args()
    from fakegithub import FakeGitHub, make_repo

    from scorer.ingest.github import GitHubClient, ingest_github

    repo = make_repo(n_items=args.items, big_pr_files=250)
    fake = FakeGitHub(repo).start()
    since, until = pd.Timestamp("2026-02-01", tz="UTC"), pd.Timestamp("2026-05-01", tz="UTC")
    try:
        with tempfile.TemporaryDirectory() as cache:
            runs = []
            for label in ("cold", "cached"):
                fake.status_counts.clear()
                t = time.perf_counter()
                with GitHubClient(api_url=fake.url, cache_dir=cache) as client:
                    res = ingest_github(client, "acme/widget", since, until)
                runs.append((label, time.perf_counter() - t, res, dict(fake.status_counts)))
    finally:
        fake.stop()
    n_prs = len(repo["pulls"])
    cold = runs[0]
    print(f"fake repository: {n_prs:,} PRs ({len(cold[2].prs):,} merged), {len(repo['issues']):,} issues")
    for label, secs, res, counts in runs:
        req = res.stats["requests"]
        print(f"{label:6s}: {secs:6.2f}s, {req:,} requests ({counts.get(200, 0):,} x 200, {counts.get(304, 0):,} x 304), "
              f"{req / n_prs:.2f} requests per PR, {n_prs / secs:,.0f} PRs/s")
    print(f"cached re-run / cold run: {runs[1][1] / runs[0][1]:.2f}x the time, "
          f"{runs[1][3].get(200, 0)} requests counted against the rate limit (cold: {runs[0][3].get(200, 0):,})")


if __name__ == "__main__":
    main()
