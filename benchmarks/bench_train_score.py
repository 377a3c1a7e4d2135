"""Ingest, load, featurize, train and score one week as the history grows: the vLLM history
replicated 1x, 2x, 4x, 8x (copy k shifted k spans earlier and renumbered, its labels with it), so
the week scored (2026-W18, in the newest copy) stays the same while the history behind it grows.

    python benchmarks/bench_train_score.py [--data ../shared/data] [--scales 1,2,4,8] [--week 2026-W18]
                                           [--train-runs 5]

Every stage runs in a fresh process of its own, so each peak RSS is that stage's. Steps:

    load_jsonl   parse and validate the JSONL export (the import format; the old working format)
    to_parquet   write scorer's Parquet table from it (what `scorer ingest -o prs.parquet` ends with)
    load         read the Parquet table back (no per-record validation: its digests are checked)
    featurize    the point-in-time features of the whole history
    train        `train_bundle` on the Parquet table (--train-runs at 1x: min, max and spread)
    week_walk    one week in process over the whole loaded history (the path before #18)
    week_cold    one week in process from the working table, no snapshot yet (it writes one)
    week         the same, warm: the snapshot at the week's start and the cached vocabulary
    cli_cold     one week as a fresh `scorer score` process with an empty cache
    cli          the same, warm (median of 5), with Python's bytecode cache on as in any installed
                 Python (a sandbox setting PYTHONDONTWRITEBYTECODE=1 on a fresh checkout makes
                 every start recompile scorer's modules: about +0.1 s)
    py_floor     a fresh `python -c "import pandas, pyarrow"`: what any pandas CLI pays to start
    peak_*       peak RSS (MB) of the ingest, featurize, train and score processes

Prints seconds per step, the ratio to the 1x figure measured in the same run, each step's growth
exponent (time ~ scale^k; 1.0 grows with the history, 0 is flat), and the before/after ratios of
the same run (load_jsonl/load, week_walk/week). Issue #18's targets: a week as a fresh `scorer
score` under 1.0 s at 1x and 1.5 s at 8x, in process under 0.3 s, the full 1x featurization
under 5 s, training under 15 s at 1x with a spread under 1.5x, peak memory under 1 GB at 4x, a
flat week (exponent under 0.2).
"""

from __future__ import annotations

import argparse
import atexit
import gzip
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS = ["load_jsonl", "to_parquet", "load", "featurize", "train", "week_walk", "week_cold", "week", "cli_cold", "cli",
         "py_floor", "peak_ingest", "peak_featurize", "peak_train", "peak_score"]

CHILD = r"""
import json, os, resource, statistics, sys, time
from pathlib import Path
stage, table, parquet, labels, week, work = sys.argv[1:7]
table, parquet, labels, work = Path(table), Path(parquet), Path(labels), Path(work)
out = {}
def clock(name, fn):
    t = time.perf_counter(); r = fn(); out[name] = time.perf_counter() - t; return r
if stage == "ingest":
    from scorer.records import load_prs, save_prs
    prs = clock("load_jsonl", lambda: load_prs(table))
    clock("to_parquet", lambda: save_prs(prs, parquet))
elif stage == "featurize":
    from scorer.features import compute_features
    from scorer.records import load_prs
    from scorer.taxonomy import load_taxonomy
    prs = clock("load", lambda: load_prs(parquet))
    clock("featurize", lambda: compute_features(prs, load_taxonomy("vllm", repo="vllm-project/vllm")))
elif stage == "train":
    from scorer.pipeline import train_bundle
    clock("train", lambda: train_bundle(parquet, [labels], work / "m"))
elif stage == "score":
    from scorer.pipeline import score_period
    from scorer.records import load_prs
    from scorer.score import load_model
    model = load_model(work / "m")
    kw = dict(week=week, model_bundle=model, formats=("md", "json"), cache_dir=work / "cache-inproc")
    clock("week_cold", lambda: score_period(parquet, work / "m", work / "r", **kw))
    warm = []
    for _ in range(3):
        t = time.perf_counter(); score_period(parquet, work / "m", work / "r", **kw); warm.append(time.perf_counter() - t)
    out["week"] = statistics.median(warm)
    out["peak_score"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    prs = load_prs(parquet)
    walk = []
    for _ in range(2):
        t = time.perf_counter(); score_period(parquet, work / "m", work / "r", prs=prs, **kw); walk.append(time.perf_counter() - t)
    out["week_walk"] = min(walk)
if stage != "score":
    out["peak_" + stage] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def _replicate(src: Path, labels: Path, k: int, tmp: Path) -> tuple[Path, Path]:
    import pandas as pd

    rows = [json.loads(line) for line in gzip.open(src, "rt", encoding="utf-8")]
    times = [pd.Timestamp(r["merged_at"]) for r in rows]
    span = max(times) - min(times) + pd.Timedelta(days=1)
    table, lab = tmp / f"prs{k}x.jsonl.gz", tmp / f"labels{k}x.csv"
    with gzip.open(table, "wt", encoding="utf-8") as fh:
        for c in range(k):
            shift = span * c
            for r in rows:
                out = dict(r, number=r["number"] + c * 1_000_000)
                for f in ("merged_at", "authored_at", "created_at", "closed_at"):
                    if out.get(f):
                        out[f] = (pd.Timestamp(out[f]) - shift).strftime("%Y-%m-%dT%H:%M:%SZ")
                fh.write(json.dumps(out) + "\n")
    base = pd.read_csv(labels)
    pd.concat([base.assign(number=base["number"] + c * 1_000_000) for c in range(k)]).to_csv(lab, index=False)
    return table, lab


def _stage(stage: str, table: Path, parquet: Path, labels: Path, week: str, work: Path) -> dict:
    res = subprocess.run([sys.executable, "-c", CHILD, stage, str(table), str(parquet), str(labels), week, str(work)],
                         capture_output=True, text=True)
    if res.returncode:
        sys.exit(f"{stage} failed:\n{res.stderr[-2000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def _fresh(cmd: list[str], env: dict | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.environ.get("SCORER_BENCH_DATA", "../shared/data"))
    ap.add_argument("--scales", type=lambda v: [int(x) for x in v.split(",")], default=[1, 2, 4, 8])
    ap.add_argument("--week", default="2026-W18")
    ap.add_argument("--train-runs", type=int, default=5, help="training runs at the smallest scale (its spread)")
    args = ap.parse_args()
    data = Path(args.data) / "vllm"
    if not (data / "prs.jsonl.gz").exists():
        sys.exit(f"benchmark data not found under {data}")
    from scorer.labels import load_release_notes, load_szz_pairs, merge_labels, outcome_labels, release_note_labels
    from scorer.labels import save_labels
    from scorer.records import load_prs

    tmp = Path(tempfile.mkdtemp(prefix="bench-train-score-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)  # copies of the history: ~100 MB a run
    prs = load_prs(data / "prs.jsonl.gz")
    merged = merge_labels([outcome_labels(prs, load_szz_pairs(data / "szz_pairs.csv")),
                           release_note_labels(prs, load_release_notes(data / "release_notes.csv"))])
    save_labels(merged, tmp / "labels.csv")
    floor = [_fresh([sys.executable, "-c", "import pandas, pyarrow"]) for _ in range(3)]
    results, train_runs = {}, []
    for k in args.scales:
        table, labels = _replicate(data / "prs.jsonl.gz", tmp / "labels.csv", k, tmp)
        parquet, work = tmp / f"prs{k}x.parquet", tmp / f"work{k}"
        work.mkdir()
        r = {"py_floor": statistics.median(floor)}
        for stage in ("ingest", "featurize", "train", "score"):
            r.update(_stage(stage, table, parquet, labels, args.week, work))
        if k == min(args.scales):
            train_runs = [r["train"]] + [_stage("train", table, parquet, labels, args.week, work)["train"]
                                         for _ in range(args.train_runs - 1)]
        cmd = [sys.executable, "-m", "scorer", "score", "--prs", str(parquet), "--model", str(work / "m"),
               "--week", args.week, "--format", "md,json", "-o", str(work / "cli")]
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["SCORER_CACHE_DIR"] = str(work / "cache-cli")
        r["cli_cold"] = _fresh(cmd, env)
        r["cli"] = statistics.median(_fresh(cmd, env) for _ in range(5))
        results[k] = r
        print(f"{k}x: " + ", ".join(f"{s} {r[s]:.2f}" for s in STEPS), flush=True)
    first, last = min(results), max(results)
    print(f"\n{'step':>14} " + " ".join(f"{str(k) + 'x':>15}" for k in results) + "  exponent")
    for s in STEPS:
        cells = " ".join(f"{results[k][s]:>8.2f} ({results[k][s] / results[first][s]:.1f}x)" for k in results)
        exp = math.log(results[last][s] / results[first][s]) / math.log(last / first) if last > first else float("nan")
        print(f"{s:>14} {cells}  {exp:.2f}")
    print("\nbefore/after in this run (how many times faster):")
    for before, after in (("load_jsonl", "load"), ("week_walk", "week"), ("week_walk", "week_cold")):
        print(f"  {before}/{after}: " + ", ".join(f"{k}x {results[k][before] / results[k][after]:.1f}" for k in results))
    if len(train_runs) > 1:
        print(f"\ntraining at {first}x, {len(train_runs)} runs: " + ", ".join(f"{t:.1f}" for t in train_runs)
              + f" s; spread (max/min) {max(train_runs) / min(train_runs):.2f}x")
    print("\nfresh `scorer score` minus the interpreter+pandas floor: "
          + ", ".join(f"{k}x {results[k]['cli'] - results[k]['py_floor']:.2f} s" for k in results))


if __name__ == "__main__":
    main()
