"""How the weekly top-k compares with the release-note highlights and with the largest PRs.

    python benchmarks/check_highlights.py --model models/vllm --labels notes.csv [--since 2026-01-01] [--k 24]

For every ISO week of the period with release-note labels: of the PRs the notes put in
Highlights (importance >= 8) and of those they name at all, how many the model's top-k catches,
next to a top-k by lines changed (size-only); and how many of the model's top-k are also among
the week's k largest PRs. Prints one row per week and the means.
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
    args = ap.parse_args()
    from scorer.features import compute_features
    from scorer.labels import load_labels
    from scorer.metrics import iso_week
    from scorer.records import load_prs
    from scorer.service import load_model, score_frame, taxonomy_for

    model, _ = load_model(args.model)
    prs = load_prs(args.prs or Path(args.data) / model.repo.split("/")[-1] / "prs.jsonl.gz")
    period = prs["merged_at"] >= pd.Timestamp(args.since, tz="UTC")
    if args.until:
        period &= prs["merged_at"] < pd.Timestamp(args.until, tz="UTC") + pd.Timedelta(days=1)
    feats = compute_features(prs, taxonomy_for(model, prs), wanted=period)
    scores, f = score_frame(prs, model, period, features=feats)
    scores["churn"] = f["la"].to_numpy() + f["ld"].to_numpy()
    labels = load_labels(args.labels)[["number", "importance", "tag:named"]].dropna()
    d = scores.rename(columns={"importance": "score"}).merge(labels.rename(columns={"importance": "label"}), on="number")
    d["week"] = iso_week(d["merged_at"])
    k, rows = args.k, []
    for week, g in d.groupby("week"):
        hi, named = g["label"] >= 8, g["tag:named"] == 1
        top_m = g.sort_values(["score", "number"], ascending=False).head(k)
        top_s = g.sort_values(["churn", "number"], ascending=False).head(k)
        rows.append({
            "week": week, "prs": len(g), "highlights": int(hi.sum()), "named": int(named.sum()),
            "model: highlights in top-k": int((top_m["label"] >= 8).sum()),
            "size: highlights in top-k": int((top_s["label"] >= 8).sum()),
            "model: named share of top-k": round(float((top_m["tag:named"] == 1).mean()), 2),
            "size: named share of top-k": round(float((top_s["tag:named"] == 1).mean()), 2),
            "top-k also among k largest": int(top_m["number"].isin(top_s["number"]).sum()),
        })
    t = pd.DataFrame(rows)
    pd.set_option("display.width", 200)
    print(t.to_string(index=False))
    hl = t["highlights"].sum()
    print(f"\nweeks: {len(t)}; PRs: {t['prs'].sum():,}; highlights: {hl}; top-k = {k}")
    print(f"highlights caught in the weekly top-{k}: model {t['model: highlights in top-k'].sum() / hl:.1%}, "
          f"size-only {t['size: highlights in top-k'].sum() / hl:.1%}")
    print(f"named share of the weekly top-{k}: model {t['model: named share of top-k'].mean():.1%}, "
          f"size-only {t['size: named share of top-k'].mean():.1%} (base rate {t['named'].sum() / t['prs'].sum():.1%})")
    print(f"model top-{k} that are also among the week's {k} largest PRs: "
          f"{t['top-k also among k largest'].sum() / (len(t) * k):.1%}")


if __name__ == "__main__":
    main()
