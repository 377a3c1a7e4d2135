"""Write every weekly report of a span of weeks and check each with `scorer check-report`'s
function: the number of claims checked by kind, and every false one.

    python benchmarks/check_reports.py --prs ../shared/data/vllm/prs.jsonl.gz --model models/vllm \
        --from 2025-W01 --to 2026-W20 --lang zh,en -o /tmp/checked/vllm

Prints one line per false claim and a summary; exits 1 when any claim is false.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from scorer.errors import ScorerError
from scorer.pipeline import check_report_dir, open_check_sources, score_period
from scorer.report.week import period_from_week
from scorer.score import load_model


def weeks(first: str, last: str) -> list[str]:
    """The ISO weeks from `first` to `last`, both included (parsed and checked as `--week` is)."""
    day, end = (period_from_week(w, "UTC")[0] for w in (first, last))
    out = []
    while day <= end:
        iy, iw, _ = day.isocalendar()
        out.append(f"{iy}-W{iw:02d}")
        day += pd.Timedelta(days=7)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--prs", type=Path, required=True, help="PR table")
    ap.add_argument("--model", type=Path, required=True, help="bundle directory")
    ap.add_argument("--from", dest="first", required=True, help="first ISO week, e.g. 2025-W01")
    ap.add_argument("--to", dest="last", required=True, help="last ISO week, e.g. 2026-W20")
    ap.add_argument("--lang", default="zh,en", help="languages, comma-separated")
    ap.add_argument("--tz", default="Asia/Shanghai", help="time zone of the weeks")
    ap.add_argument("-o", "--output", type=Path, required=True, help="where the reports are written")
    a = ap.parse_args()
    bundle = load_model(a.model)
    sources = open_check_sources([a.prs], [a.model])
    checked: Counter = Counter()
    false: list[str] = []
    n = skipped = 0
    t0 = time.perf_counter()
    for week in weeks(a.first, a.last):
        for lang in a.lang.split(","):
            out = a.output / lang
            try:
                ctx, _, written = score_period(a.prs, a.model, out, week=week, lang=lang, model_bundle=bundle,
                                               formats=("md", "json"))
            except ScorerError as exc:
                print(f"{week} {lang}: not scored ({exc})", file=sys.stderr)
                skipped += 1
                continue
            res = check_report_dir(written[0].parent, sources)
            checked.update(res.checked)
            false += [f"{week} {lang}: {x}" for x in res.false]
            n += 1
    for line in false:
        print(line)
    kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(checked.items()))
    print(f"{n} reports ({skipped} weeks not scored) in {time.perf_counter() - t0:.0f} s: "
          f"{sum(checked.values()):,} claims checked ({kinds}); {len(false)} false")
    return 1 if false else 0


if __name__ == "__main__":
    sys.exit(main())
