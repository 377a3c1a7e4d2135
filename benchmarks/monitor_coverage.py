"""Do `scorer monitor`'s open-window estimates hold once the outcomes arrive? For each bundle and
month wholly open on the first day and wholly closed on the second, the decided set's estimated
precision (with its 95% interval) next to its realized precision.

    python benchmarks/monitor_coverage.py --ledger LEDGER --prs ../shared/data/vllm/prs.jsonl.gz \
        --szz-pairs ../shared/data/vllm/szz_pairs.csv --early 2026-01-15 --late 2026-05-19

Prints one line per (bundle, month) and how many realized values fell inside their interval.
"""

from __future__ import annotations

import argparse

import pandas as pd

from scorer.labels.outcomes import load_szz_pairs, outcome_labels
from scorer.ledger import read_ledger
from scorer.monitor import first_fixes, monitor_frame
from scorer.records import load_prs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ledger", required=True)
    ap.add_argument("--prs", required=True)
    ap.add_argument("--szz-pairs", required=True)
    ap.add_argument("--early", required=True, help="the day the estimates are made")
    ap.add_argument("--late", required=True, help="a day at least 90 days later: the outcomes are known")
    ap.add_argument("--tag", default="bug-inducing")
    args = ap.parse_args()
    rows = read_ledger(args.ledger)
    prs, pairs = load_prs(args.prs), load_szz_pairs(args.szz_pairs)
    early, late = (pd.Timestamp(d, tz="UTC") for d in (args.early, args.late))
    rows = rows[rows["merged_at"] < early]  # the PRs the early look saw
    res = {}
    for name, day in (("early", early), ("late", late)):
        res[name] = monitor_frame(rows, outcome_labels(prs, pairs, as_of=day), day,
                                  blamed=first_fixes(pairs))["tags"][args.tag]["months"]
    late_by = {(e["bundle"], e["month"]): e for e in res["late"]}
    inside = total = 0
    print(f"{'bundle':<22} {'month':<8} {'PRs':>5} {'decided':>7}  estimate [95%]         realized  inside")
    for e in res["early"]:
        lt = late_by.get((e["bundle"], e["month"]))
        est = e.get("estimate")
        if not est or "realized" in e or not lt or "estimate" in lt or not est.get("decided"):
            continue  # only months wholly open early and wholly closed late: the same rows both times
        real = lt["realized"]
        ok = est["precision_lo"] <= real["precision"] <= est["precision_hi"]
        inside += ok
        total += 1
        print(f"{e['bundle_name']:<22} {e['month']:<8} {est['rows']:>5} {est['decided']:>7}  "
              f"{est['precision_estimate']:.2f} [{est['precision_lo']:.2f}, {est['precision_hi']:.2f}]   "
              f"{real['precision']:.2f}      {'yes' if ok else 'NO'}")
    print(f"{inside} of {total} realized precisions inside the interval estimated on {args.early}")


if __name__ == "__main__":
    main()
