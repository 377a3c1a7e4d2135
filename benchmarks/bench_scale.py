"""Scaling of the organisation weekly job across repositories: the vLLM history copied into
1, 4 and 16 synthetic repositories (the same PRs under another repository name), scored for one
week as one organisation report, on the local engine and on Dask LocalClusters of 1 and 2
workers. Each repository is featurized on its own whole history and scored by the generic bundle.

    python benchmarks/bench_scale.py [--data ../shared/data] [--scales 1,4,16] [--week 2026-W18]

Prints wall time, the growth exponent of time with the number of repositories (1.0 is linear),
the client's peak RSS, each Dask worker's peak RSS, and local/Dask speed-ups as ratios measured
in the same run.
"""

from __future__ import annotations

import argparse
import atexit
import gzip
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _copies(src: Path, n: int, out: Path) -> list[Path]:
    """`n` tables, each the vLLM history under its own repository name."""
    text = gzip.open(src, "rt", encoding="utf-8").read()
    paths = []
    for k in range(n):
        p = out / f"repo{k:02d}.jsonl.gz"
        if not p.exists():
            with gzip.open(p, "wt", encoding="utf-8") as fh:
                fh.write(text.replace('"vllm-project/vllm"', f'"bench/repo{k:02d}"'))
        paths.append(p)
    return paths


def _run(paths: list[Path], engine: str, workers: int, week: str, out: Path) -> tuple[float, float, list[float]]:
    """One organisation run in a fresh process: (seconds, the process's peak RSS MB, worker peaks)."""
    code = f"""
import json, resource, time, sys
from pathlib import Path
from scorer.pipeline import score_org
from scorer.engine import dask_client
paths = [Path(p) for p in {[str(p) for p in paths]!r}]
t = time.perf_counter()
workers = []
if {engine!r} == "dask":
    with dask_client(workers={workers}) as client:
        t = time.perf_counter()
        score_org(paths, [Path({str(ROOT / 'models' / 'generic-importance')!r})], Path({str(out)!r}), org="bench",
                  week={week!r}, lang="en", engine="dask", client=client, formats=("json",))
        wall = time.perf_counter() - t
        workers = list(client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024).values())
else:
    score_org(paths, [Path({str(ROOT / 'models' / 'generic-importance')!r})], Path({str(out)!r}), org="bench",
              week={week!r}, lang="en", formats=("json",))
    wall = time.perf_counter() - t
print(json.dumps([wall, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, workers]))
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    import json

    return tuple(json.loads(res.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.environ.get("SCORER_BENCH_DATA", "../shared/data"))
    ap.add_argument("--scales", type=lambda v: [int(x) for x in v.split(",")], default=[1, 4, 16])
    ap.add_argument("--week", default="2026-W18")
    args = ap.parse_args()
    src = Path(args.data) / "vllm" / "prs.jsonl.gz"
    if not src.exists():
        sys.exit(f"benchmark data not found: {src}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)  # copies of the history: ~100 MB a run
    rows = {}
    print(f"{'repos':>5} {'engine':>10} {'seconds':>8} {'client MB':>9} {'worker MB':>12} {'vs local':>8}")
    for n in args.scales:
        paths = _copies(src, n, tmp)
        for engine, workers in (("local", 0), ("dask", 1), ("dask", 2)):
            wall, rss, wrss = _run(paths, engine, workers, args.week, tmp / "out")
            rows[(n, engine, workers)] = wall
            label = engine if engine == "local" else f"dask x{workers}"
            ratio = rows[(n, "local", 0)] / wall
            print(f"{n:>5} {label:>10} {wall:>8.1f} {rss:>9.0f} {'/'.join(f'{w:.0f}' for w in wrss) or '-':>12} "
                  f"{ratio:>7.2f}x")
    lo, hi = min(args.scales), max(args.scales)
    if hi > lo:
        for engine, workers in (("local", 0), ("dask", 1), ("dask", 2)):
            k = math.log(rows[(hi, engine, workers)] / rows[(lo, engine, workers)]) / math.log(hi / lo)
            print(f"growth exponent {engine}{'' if not workers else f' x{workers}'} ({lo} -> {hi} repositories): {k:.2f}")


if __name__ == "__main__":
    main()
