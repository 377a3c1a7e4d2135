"""Training, featurize+predict throughput and one-week scoring on the benchmark history.

    python benchmarks/bench_train_score.py [--data ../shared/data]

Prints wall times, PRs/s and peak RSS; the baseline of the same run is loading the table.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("SCORER_BENCH_DATA", "../shared/data"))
    args = ap.parse_args()
    data = Path(args.data) / "vllm"
    if not (data / "prs.jsonl.gz").exists():
        sys.exit(f"benchmark data not found under {data}")
    from scorer.pipeline import score_period, train_bundle
    from scorer.features import compute_features
    from scorer.labels import load_release_notes, load_szz_pairs, outcome_labels, release_note_labels, save_labels
    from scorer.records import load_prs
    from scorer.score import load_model, score_frame
    from scorer.taxonomy import load_taxonomy

    t = time.perf_counter(); prs = load_prs(data / "prs.jsonl.gz"); t_load = time.perf_counter() - t
    tax = load_taxonomy("vllm")
    t = time.perf_counter(); feats = compute_features(prs, tax); t_feat = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        save_labels(outcome_labels(prs, load_szz_pairs(data / "szz_pairs.csv")), tmp / "o.csv")
        save_labels(release_note_labels(prs, load_release_notes(data / "release_notes.csv")), tmp / "n.csv")
        t = time.perf_counter()
        train_bundle(data / "prs.jsonl.gz", [tmp / "o.csv", tmp / "n.csv"], tmp / "m")
        t_train = time.perf_counter() - t
        model, card = load_model(tmp / "m")
        t = time.perf_counter(); score_frame(prs, model, features=feats, tax=tax); t_pred = time.perf_counter() - t
        t = time.perf_counter()
        score_period(data / "prs.jsonl.gz", tmp / "m", tmp / "r", week="2026-W18")
        t_week = time.perf_counter() - t
        # The same job as a user runs it: a fresh process, so imports and unpickling count too.
        cmd = [sys.executable, "-m", "scorer", "score", "--prs", str(data / "prs.jsonl.gz"), "--model", str(tmp / "m"),
               "--week", "2026-W18", "-o", str(tmp / "r2")]
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        t_cli = time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import scorer.score"], check=True)
        t_import = time.perf_counter() - t
    n = len(prs)
    print(f"load table        : {t_load:.2f}s ({n:,} PRs) [baseline]")
    print(f"features (full)   : {t_feat:.2f}s = {n / t_feat:,.0f} PRs/s ({t_feat / t_load:.1f}x load; target < 20 s)")
    print(f"train (all labels): {t_train:.1f}s (target < 60 s)")
    print(f"predict           : {t_pred:.2f}s = {n / t_pred:,.0f} PRs/s after features (target > 20,000)")
    print(f"score one week    : {t_week:.2f}s incl. load, features, predict, md+html+json ({t_week / t_load:.1f}x load; target < 3 s)")
    print(f"score one week CLI: {t_cli:.2f}s in a fresh process (of which {t_import:.2f}s is starting Python and "
          f"importing lightgbm/scikit-learn; target < 3 s)")
    print(f"peak RSS          : {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
