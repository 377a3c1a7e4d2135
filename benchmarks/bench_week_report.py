"""Where one week's report goes: the phases of `scorer score` on vLLM 2026-W18, in-process.

    python benchmarks/bench_week_report.py --model DIR [--data ../shared/data] [--repeat 3]

Prints each phase's median wall time and its ratio to opening the working table (the baseline
measured in the same run), and the reasons step for the rows the report shows against every row.
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
    with tempfile.TemporaryDirectory() as tmp:
        for reasons in ("shown", "all"):
            for _ in range(args.repeat):
                t = time.perf_counter()
                pipeline.score_period(prs_path, Path(args.model), Path(tmp), week=args.week, tz="Asia/Shanghai",
                                      reasons_for=reasons)
                times.setdefault(f"score_period ({reasons})", []).append(time.perf_counter() - t)
            times[f"explain ({reasons})"] = times.pop("explain")
    base = statistics.median(times["open_table"])
    print(f"{args.week}, {args.repeat} runs each; ratios against open_table = {base:.3f}s")
    for name, values in times.items():
        m = statistics.median(values)
        print(f"  {name:<24} {m:7.3f}s  x{m / base:5.2f}")


if __name__ == "__main__":
    main()
