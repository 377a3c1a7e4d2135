"""How far can the importance features go? The rolling benchmark's origins trained three ways,
so a shortfall is put where it belongs:

- point-in-time: every PR before the origin, labels from the releases dated before it (what
  `scorer backtest --importance` measures, and what a user gets);
- hindsight labels: the same PRs, labeled by every release note known today (what label lag costs);
- both sides: every PR outside the test weeks and `--gap` around them, labeled by every release
  note (no point-in-time rule at all: near the most these features and labels can say).

    python benchmarks/importance_ceiling.py --prs ../shared/data/vllm/prs.jsonl.gz \
        --notes ../shared/data/vllm/release_notes.csv --start 2025-07-07 --end 2026-06-08

Prints pooled Highlights recall@10/@24 and the AUC of "named" per grid and training rule, with
size's as the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from scorer.backtest import grid_origins, named_auc, origin_labels, run_origin, summarize
from scorer.features import compute_features
from scorer.labels import load_release_notes, release_note_labels
from scorer.pipeline import load_taxonomy_for, parse_date, parse_span
from scorer.records import check_single_repo, load_prs

RULES = ("point-in-time", "hindsight labels", "both sides")


def _rows(prs: pd.DataFrame, mask: pd.Series, labels: pd.DataFrame) -> pd.DataFrame:
    """Every training PR as a row, its importance where the notes say it (as `scorer backtest`
    passes them: the text vocabulary is learned from every row, importance only where known)."""
    rows = pd.DataFrame({"number": prs.loc[mask, "number"].to_numpy()})
    return rows.merge(labels[["number", "importance"]], on="number", how="left")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--prs", type=Path, required=True, help="PR table")
    ap.add_argument("--notes", type=Path, required=True, help="release notes (CSV or changelog Markdown)")
    ap.add_argument("--start", required=True, help="first origin")
    ap.add_argument("--end", required=True, help="last day tested")
    ap.add_argument("--every", default="6w", help="span between origins and weeks tested after each")
    ap.add_argument("--tz", default="Asia/Shanghai", help="time zone of the weeks")
    ap.add_argument("--gap", default="14d", help="'both sides': PRs this close to the test weeks are left out")
    a = ap.parse_args()

    prs = load_prs(a.prs)
    repo = check_single_repo(prs, str(a.prs))
    tax = load_taxonomy_for(None, repo)
    notes = load_release_notes(a.notes, repo=repo)
    feats = compute_features(prs, tax)
    today = release_note_labels(prs, notes)[["number", "importance"]]
    test_importance = today.set_index("number")["importance"]
    every, gap = parse_span(a.every, "--every"), parse_span(a.gap, "--gap")
    origins = grid_origins(parse_date(a.start, "--start"), parse_date(a.end, "--end") + pd.Timedelta(days=1),
                           every, every, a.tz, True)
    results: dict[tuple[str, str], list[dict]] = {}
    for o in origins:
        window = (prs["merged_at"] >= o.start) & (prs["merged_at"] < o.end)
        if not (window & prs["number"].map(test_importance).ge(8)).any():
            continue  # no labeled Highlight to find
        before = prs["merged_at"] < o.start
        outside = (prs["merged_at"] < o.start - gap) | (prs["merged_at"] >= o.end + gap)
        known_then = origin_labels(prs, None, notes, o.start, pd.Timedelta(days=90), pd.Timedelta(days=35))
        runs = {"point-in-time": (before, _rows(prs, before, known_then)),
                "hindsight labels": (before, _rows(prs, before, today)),
                "both sides": (outside, _rows(prs, outside, today))}
        for rule, (mask, labels) in runs.items():
            doc = run_origin(prs, feats, labels, test_importance, tax, o, a.tz, train_mask=mask)
            results.setdefault((o.grid, rule), []).append(doc)
            print(f"{o.grid} {o.name} {rule}: trained on {int(mask.sum()):,} PRs", flush=True)
    print(f"\n{repo}: Highlights recall in the weekly top 10 / 24 and AUC of 'named', pooled per grid")
    print("| grid | training rule | origins | highlights | model r@10 | model r@24 | size r@10 | size r@24 | "
          "model AUC named | size AUC named |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (grid, rule), docs in sorted(results.items(), key=lambda kv: (kv[0][0], RULES.index(kv[0][1]))):
        weeks = pd.DataFrame([w for d in docs for w in d["weeks"]])
        highlights = pd.DataFrame([h for d in docs for h in d["highlights"]])
        s = summarize(weeks, highlights)
        auc = named_auc(pd.DataFrame({c: [v for d in docs for v in d["labeled"][c]] for c in docs[0]["labeled"]}))
        print(f"| {grid} | {rule} | {len(docs)} | {s['highlights']} | {s['model recall@10']:.3f} | "
              f"{s['model recall@24']:.3f} | {s['size recall@10']:.3f} | {s['size recall@24']:.3f} | "
              f"{auc['model']:.3f} | {auc['size']:.3f} |")


if __name__ == "__main__":
    main()
