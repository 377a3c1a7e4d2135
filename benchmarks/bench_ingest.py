"""Ingest throughput of `scorer ingest git` against PyDriller on the same generated repository.

    python benchmarks/bench_ingest.py [--commits 5000] [--big 16700] [--pydriller-limit N]

Prints PRs/s for both, the ratio, the vLLM-sized (16.7k PRs) wall time and peak memory.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gitrepo import generate_repo  # noqa: E402


def run_scorer(repo: Path, out: Path) -> tuple[float, int, float]:
    t0 = time.perf_counter()
    # The child reports its own peak (git's own processes stay under ~150 MB and are not added).
    code = ("import resource, sys\nfrom scorer.cli import main\ntry:\n    main()\nexcept SystemExit as e:\n"
            "    print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n    raise")
    proc = subprocess.run([sys.executable, "-c", code, "ingest", "git", str(repo),
                           "--repo", "bench/repo", "-o", str(out), "--no-progress"], capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(proc.stderr)
    n = int(proc.stdout.split("wrote ")[1].split(" PRs")[0].replace(",", ""))
    peak = int(proc.stdout.split("PEAK ")[1].split()[0]) / 1024
    return dt, n, peak


def run_pydriller(repo: Path, limit: int | None) -> tuple[float, int]:
    from pydriller import Repository

    t0 = time.perf_counter()
    n = 0
    for commit in Repository(str(repo), only_in_branch="main", only_no_merge=False).traverse_commits():
        _ = [(m.filename, m.change_type, m.added_lines, m.deleted_lines) for m in commit.modified_files]
        n += 1
        if limit and n >= limit:
            break
    return time.perf_counter() - t0, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=5000)
    ap.add_argument("--big", type=int, default=16700, help="vLLM-sized history for the absolute target (0 to skip)")
    ap.add_argument("--pydriller-limit", type=int, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        repo = generate_repo(tmp / "repo", args.commits, seed=1)
        print(f"generated {args.commits:,} squash commits in {time.perf_counter() - t0:.1f}s")
        dt, n, peak = run_scorer(repo, tmp / "prs.jsonl.gz")
        print(f"scorer ingest git : {n:,} PRs in {dt:.2f}s = {n / dt:,.0f} PRs/s (peak RSS {peak:,.0f} MB)")
        pdt, pn = run_pydriller(repo, args.pydriller_limit)
        print(f"PyDriller         : {pn:,} commits in {pdt:.2f}s = {pn / pdt:,.0f} commits/s")
        print(f"ratio             : {(n / dt) / (pn / pdt):.1f}x PyDriller's rate (target >= 10x)")
        if args.big:
            big = generate_repo(tmp / "big", args.big, seed=2)
            dt, n, peak = run_scorer(big, tmp / "big.jsonl.gz")
            print(f"vLLM-sized        : {n:,} PRs in {dt:.1f}s (target < 30 s), peak RSS {peak:,.0f} MB (target < 1 GB)")


if __name__ == "__main__":
    main()
