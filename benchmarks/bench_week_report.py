"""Where one week's report goes: the phases of `scorer score` on vLLM 2026-W18, in-process.

    python benchmarks/bench_week_report.py --model DIR [--data ../shared/data] [--repeat 3]

Prints each phase's median wall time and its ratio to opening the working table (the baseline
measured in the same run), the reasons step for the rows the report shows against every row,
and what appending the week to the prediction ledger costs (a ledger holding the month's
earlier weeks, as a weekly run finds it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("SCORER_BENCH_DATA", "../shared/data"))
    ap.add_argument("--model", required=True, help="a bundle trained on the vLLM table")
    ap.add_argument("--week", default="2026-W18")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    prs_path = Path(args.data) / "vllm" / "prs.jsonl.gz"
    if not prs_path.exists():
        sys.exit(f"benchmark data not found: {prs_path}")
    import scorer.pipeline as pipeline
    import scorer.report.render as render
    import scorer.report.writer as writer
    import scorer.score as service
    import scorer.table as table

    times: dict[str, list[float]] = {}

    def timed(mod, name, label=None):
        orig = getattr(mod, name)

        def run(*a, **k):
            t = time.perf_counter()
            out = orig(*a, **k)
            times.setdefault(label or name, []).append(time.perf_counter() - t)
            return out
        setattr(mod, name, run)

    # score_period imports these at call time, so the patched names are the ones it calls.
    timed(table, "open_table")
    timed(pipeline, "week_from_table")
    timed(service, "explain")
    timed(writer, "build_context")
    timed(render, "write_report")
    import scorer.ledger as ledger

    timed(ledger, "record_scores", "ledger write")
    with tempfile.TemporaryDirectory() as tmp:
        # The ledger a weekly cron keeps: the month's earlier weeks already in it, this week new.
        import shutil

        base = Path(tmp) / "ledger-base"
        year, wk = args.week.split("-W")
        for back in (3, 2, 1):
            pipeline.score_period(prs_path, Path(args.model), Path(tmp), week=f"{year}-W{int(wk) - back:02d}",
                                  tz="Asia/Shanghai", ledger=base)
        times.clear()
        for k in range(args.repeat):
            run_ledger = Path(tmp) / f"ledger-{k}"
            shutil.copytree(base, run_ledger)
            t = time.perf_counter()
            pipeline.score_period(prs_path, Path(args.model), Path(tmp), week=args.week, tz="Asia/Shanghai",
                                  ledger=run_ledger)
            times.setdefault("score_period (ledger)", []).append(time.perf_counter() - t)
        ledger_s = statistics.median(times.pop("ledger write"))
        with_ledger = statistics.median(times.pop("score_period (ledger)"))
        for key in list(times):
            times.pop(key)
        for reasons in ("shown", "all"):
            for _ in range(args.repeat):
                t = time.perf_counter()
                pipeline.score_period(prs_path, Path(args.model), Path(tmp), week=args.week, tz="Asia/Shanghai",
                                      reasons_for=reasons)
                times.setdefault(f"score_period ({reasons})", []).append(time.perf_counter() - t)
            times[f"explain ({reasons})"] = times.pop("explain")
    times.pop("ledger write", None)  # the runs above passed no ledger: nothing written
    base = statistics.median(times["open_table"])
    print(f"{args.week}, {args.repeat} runs each; ratios against open_table = {base:.3f}s")
    for name, values in times.items():
        m = statistics.median(values)
        print(f"  {name:<24} {m:7.3f}s  x{m / base:5.2f}")
    print(f"ledger: appending the week's predictions takes {ledger_s * 1000:.1f} ms, "
          f"x{ledger_s / base:.2f} of open_table and {ledger_s / with_ledger:.1%} of the week with it "
          f"({with_ledger:.3f}s)")


if __name__ == "__main__":
    main()
