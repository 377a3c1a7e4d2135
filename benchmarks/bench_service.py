"""Load benchmark of `scorer serve` on loopback: single-PR scoring requests from an httpx async
loop against a real server process; throughput, p50/p95/p99 latency, errors, server RSS at the
start and the end (memory flat?) and its peak; a week's report cold vs cached. Latencies are also
printed as ratios to GET /healthz measured in the same run (the HTTP floor of this machine).

    python benchmarks/bench_service.py [--requests 10000] [--concurrency 1,2,4] [--threads N] [--model DIR] [--data PRS]

Targets (issue #16): p99 under 50 ms for a single PR on 2 cores, 0 errors over 10,000 requests,
memory flat across the run. Each concurrency level is a closed loop of that many clients; past
the cores, latency is mostly queueing (each level prints the server's own time per request).
"""

from __future__ import annotations

import argparse
import atexit
import asyncio
import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).parents[1]
DEMO = ROOT / "training_data" / "demo"


def _rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident set of a process, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _server_totals(metrics: str, route: str) -> tuple[float, float]:
    """(seconds, requests) the server has spent on `route`, from its Prometheus latency histogram."""
    total = {"_sum": 0.0, "_count": 0.0}
    for line in metrics.splitlines():
        for part in total:
            if line.startswith(f"scorer_request_seconds{part}{{") and f'route="{route}"' in line:
                total[part] = float(line.rsplit(" ", 1)[1])
    return total["_sum"], total["_count"]


def _pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


async def _load(base: str, path: str, bodies: list[bytes] | None, n: int, concurrency: int) -> tuple[list[float], int, float]:
    lat: list[float] = []
    errors = 0
    it = iter(range(n))

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        for i in it:
            t0 = time.perf_counter()
            if bodies is None:
                r = await client.get(path)
            else:
                r = await client.post(path, content=bodies[i % len(bodies)], headers={"content-type": "application/json"})
            lat.append(time.perf_counter() - t0)
            errors += r.status_code != 200

    t0 = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return lat, errors, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--concurrency", type=lambda v: [int(x) for x in v.split(",")], default=[1, 2, 4],
                    help="comma-separated levels (concurrent clients), each run for --requests requests")
    ap.add_argument("--threads", type=int, default=None, help="scorer serve --threads (default: its own)")
    ap.add_argument("--model", type=Path, default=None, help="bundle (default: train the demo bundle)")
    ap.add_argument("--data", type=Path, default=DEMO / "history.jsonl.gz")
    ap.add_argument("--week", default="2026-W30")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-service-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)  # copies of the history: ~100 MB a run
    model = args.model
    if model is None:
        from scorer.pipeline import train_bundle

        model = tmp / "demo"
        train_bundle(DEMO / "history.jsonl.gz", [DEMO / "labels.csv"], model, until="2026-06-30")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "scorer", "serve", "--model", str(model), "--data", str(args.data),
                             "--port", str(port)] + (["--threads", str(args.threads)] if args.threads else []),
                            stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        with gzip.open(args.data, "rt", encoding="utf-8") as fh:
            rows = [json.loads(line) for _, line in zip(range(50), fh)]
        # New PRs, merged after the served history (what the webhook and CI integrations send).
        last = max(json.loads(line)["merged_at"] for line in gzip.open(args.data, "rt", encoding="utf-8"))
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.mktime(time.strptime(last[:19], "%Y-%m-%dT%H:%M:%S")) + 86400))
        bodies = [json.dumps({**r, "number": 10_000_000 + i, "merged_at": when}).encode() for i, r in enumerate(rows)]
        asyncio.run(_load(base, "/v1/score", bodies, 50, 2))  # warm-up
        rss0, _ = _rss_mb(proc.pid)
        print(f"single-PR scoring: {args.requests:,} requests per concurrency level, history {args.data.name}, "
              f"server threads {args.threads or os.cpu_count()}, {os.cpu_count()} cores (the load generator shares them)")
        print(f"{'conc.':>5} {'req/s':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'server ms':>9} "
              f"{'p99/healthz p50':>15}  target p99 < 50 ms")
        total_errors, before = 0, _server_totals(httpx.get(base + "/metrics").text, "/v1/score")
        for conc in args.concurrency:
            floor, ferr, _ = asyncio.run(_load(base, "/healthz", None, min(args.requests, 1000), conc))
            lat, errors, wall = asyncio.run(_load(base, "/v1/score", bodies, args.requests, conc))
            after = _server_totals(httpx.get(base + "/metrics").text, "/v1/score")
            server = (after[0] - before[0]) / max(after[1] - before[1], 1)
            before = after
            total_errors += errors + ferr
            p50, p95, p99 = (_pct(lat, q) * 1000 for q in (0.5, 0.95, 0.99))
            print(f"{conc:>5} {len(lat) / wall:>6,.0f} {errors:>6} {p50:>7.1f} {p95:>7.1f} {p99:>7.1f} {server * 1000:>9.1f} "
                  f"{p99 / (_pct(floor, 0.5) * 1000):>14.0f}x  {'met' if p99 < 50 and not errors else 'NOT met'}")
        rss1, peak = _rss_mb(proc.pid)
        t0 = time.perf_counter()
        cold = httpx.get(f"{base}/v1/reports/{args.week}?lang=en&format=md", timeout=300)
        t_cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        warm = httpx.get(f"{base}/v1/reports/{args.week}?lang=en&format=md", timeout=300)
        t_warm = time.perf_counter() - t0
        print(f"errors over {args.requests * len(args.concurrency):,} scoring requests: {total_errors}")
        print("server ms: the server's own mean time per scoring request (its latency histogram); the rest of a "
              "request's latency is loopback, queueing and the client")
        print(f"server RSS {rss0:.0f} MB after warm-up, {rss1:.0f} MB after the runs ({rss1 / rss0:.2f}x), peak {peak:.0f} MB")
        print(f"weekly report {args.week}: cold {t_cold * 1000:.0f} ms ({cold.status_code}), cached "
              f"{t_warm * 1000:.1f} ms ({warm.status_code}); cached/cold {t_warm / t_cold:.3f}")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
