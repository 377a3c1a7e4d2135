"""How the weekly top-k compares with the release-note Highlights, next to size-only and LApredict.

    python benchmarks/check_highlights.py --model models/vllm --labels notes.csv [--since 2026-03-23]
        [--until 2026-05-10] [--k 24] [--tz Asia/Shanghai] [--prs PRS]

Every PR of each week (in --tz, as the report's top table) is ranked; weeks less than 90%
labeled are left out. Prints, per week, the Highlights (importance >= 8) and how many of them
each scorer's top-k holds, then the pooled Highlights recall@k and the mean graded NDCG@k
(gains 7 / 1 / 0 for Highlights / named / not named), the same figures `scorer evaluate` prints.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pandas as pd


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("SCORER_BENCH_DATA", "../shared/data"))
    ap.add_argument("--model", required=True)
    ap.add_argument("--prs", default=None, help="PR table (default: <data>/<the bundle's repository>/prs.jsonl.gz)")
    ap.add_argument("--labels", required=True, help="release-note labels (scorer label release-notes)")
    ap.add_argument("--since", default="2026-01-01")
    ap.add_argument("--until", default=None)
    ap.add_argument("--k", type=int, default=24)
    ap.add_argument("--tz", default="Asia/Shanghai")
    args = ap.parse_args()
    from scorer.features import compute_features
    from scorer.labels import load_labels
    from scorer.metrics import highlights_recall, iso_week, weekly_top_k
    from scorer.records import load_prs
    from scorer.score import load_model, score_frame, taxonomy_for

    model, _ = load_model(args.model)
    prs = load_prs(args.prs or Path(args.data) / model.repo.split("/")[-1] / "prs.jsonl.gz")
    start = pd.Timestamp(args.since).tz_localize(args.tz)
    period = prs["merged_at"] >= start
    if args.until:
        period &= prs["merged_at"] < pd.Timestamp(args.until).tz_localize(args.tz) + pd.Timedelta(days=1)
    tax = taxonomy_for(model, prs)
    feats = compute_features(prs, tax, wanted=period)
    scores, f = score_frame(prs, model, period, features=feats, tax=tax)
    scores["size-only"] = f["la"].to_numpy() + f["ld"].to_numpy()
    scores["LApredict"] = f["la"].to_numpy()
    labels = load_labels(args.labels)[["number", "importance"]]
    d = scores.rename(columns={"importance": "model"}).merge(labels, on="number", how="left")
    d["week"] = iso_week(pd.to_datetime(d["merged_at"], utc=True), args.tz)
    k, table, summary = args.k, None, []
    for name in ("model", "size-only", "LApredict"):
        w = weekly_top_k(d, name, "importance", k)
        table = w[["week", "rows", "highlights"]].copy() if table is None else table
        table[f"{name} hits"] = w["hits"].to_numpy()
        summary.append(f"{name}: Highlights recall@{k} {highlights_recall(w):.3f} ({w['hits'].sum()} of "
                       f"{w['highlights'].sum()}), "
                       f"graded NDCG@{k} {w['ndcg'].mean():.3f}")
    pd.set_option("display.width", 200)
    print(table.to_string(index=False))
    print(f"\n{len(table)} weeks ({args.tz}), {table['rows'].sum():,} PRs, top-k = {k}")
    for line in summary:
        print(line)


if __name__ == "__main__":
    main()
