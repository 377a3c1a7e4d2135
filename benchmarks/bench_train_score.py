"""Load, featurize, train and score one week as the history grows: the vLLM history replicated
1x, 2x, 4x, 8x (copy k shifted k spans earlier and renumbered, its labels with it), so the week
scored (2026-W18, in the newest copy) stays the same while the history behind it grows.

    python benchmarks/bench_train_score.py [--data ../shared/data] [--scales 1,2,4,8] [--week 2026-W18]

Each scale runs in a fresh process (peak RSS is that process's). Prints seconds per step, the
ratio to the 1x figure measured in the same run, and each step's growth exponent (time ~ scale^k;
1.0 grows with the history, 0 is flat). Issue #18's targets: a week as a fresh `scorer score`
under 1.0 s at 1x and 1.5 s at 8x, in process under 0.3 s, the full 1x featurization under 5 s,
training under 15 s at 1x, peak memory under 1 GB at 4x, a flat week (exponent under 0.2).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS = ["load", "featurize", "train", "week", "week_cli", "peak_mb"]

CHILD = r"""
import json, resource, sys, time, tempfile
from pathlib import Path
from scorer.features import compute_features
from scorer.pipeline import score_period, train_bundle
from scorer.records import load_prs
from scorer.score import load_model
from scorer.taxonomy import load_taxonomy
table, labels, week = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
out = {}
t = time.perf_counter(); prs = load_prs(table); out["load"] = time.perf_counter() - t
t = time.perf_counter(); compute_features(prs, load_taxonomy("vllm", repo="vllm-project/vllm")); out["featurize"] = time.perf_counter() - t
tmp = Path(tempfile.mkdtemp())
t = time.perf_counter(); train_bundle(table, [labels], tmp / "m"); out["train"] = time.perf_counter() - t
model = load_model(tmp / "m")
score_period(table, tmp / "m", tmp / "r", week=week, prs=prs, model_bundle=model, formats=("md", "json"))
t = time.perf_counter()
score_period(table, tmp / "m", tmp / "r", week=week, prs=prs, model_bundle=model, formats=("md", "json"))
out["week"] = time.perf_counter() - t
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["bundle"] = str(tmp / "m")
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.environ.get("SCORER_BENCH_DATA", "../shared/data"))
    ap.add_argument("--scales", type=lambda v: [int(x) for x in v.split(",")], default=[1, 2, 4, 8])
    ap.add_argument("--week", default="2026-W18")
    args = ap.parse_args()
    data = Path(args.data) / "vllm"
    if not (data / "prs.jsonl.gz").exists():
        sys.exit(f"benchmark data not found under {data}")
    from scorer.labels import load_release_notes, load_szz_pairs, outcome_labels, release_note_labels, save_labels
    from scorer.labels import merge_labels
    from scorer.records import load_prs

    tmp = Path(tempfile.mkdtemp(prefix="bench-train-score-"))
    prs = load_prs(data / "prs.jsonl.gz")
    merged = merge_labels([outcome_labels(prs, load_szz_pairs(data / "szz_pairs.csv")),
                           release_note_labels(prs, load_release_notes(data / "release_notes.csv"))])
    save_labels(merged, tmp / "labels.csv")
    results = {}
    for k in args.scales:
        table, labels = _replicate(data / "prs.jsonl.gz", tmp / "labels.csv", k, tmp)
        res = subprocess.run([sys.executable, "-c", CHILD, str(table), str(labels), args.week],
                             capture_output=True, text=True)
        if res.returncode:
            sys.exit(res.stderr[-2000:])
        r = json.loads(res.stdout.strip().splitlines()[-1])
        cmd = [sys.executable, "-m", "scorer", "score", "--prs", str(table), "--model", r["bundle"], "--week", args.week,
               "--format", "md,json", "-o", str(tmp / f"cli{k}")]
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        r["week_cli"] = time.perf_counter() - t
        results[k] = r
        print(f"{k}x: " + ", ".join(f"{s} {r[s]:.2f}" for s in STEPS), flush=True)
    first = min(results)
    print(f"\n{'step':>10} " + " ".join(f"{str(k) + 'x':>14}" for k in results) + "  exponent")
    for s in STEPS:
        cells = " ".join(f"{results[k][s]:>7.2f} ({results[k][s] / results[first][s]:.1f}x)" for k in results)
        last = max(results)
        exp = math.log(results[last][s] / results[first][s]) / math.log(last / first) if last > first else float("nan")
        print(f"{s:>10} {cells}  {exp:.2f}")


if __name__ == "__main__":
    main()
