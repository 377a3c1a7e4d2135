"""Section 3, trends: each area's PRs this week against the weeks before, its hot files and tags,
and the areas rising and falling."""

from __future__ import annotations

from collections import Counter

from ...labels import tag_name
from ..week import CATCH_ALL, WeekData, pr_ref

TREND_PRS = 2  # the PRs a rising or falling area's paragraph names: its most important of the week
# File names too common to say which file they are without their directory.
GENERIC_NAMES = frozenset({"__init__.py", "utils.py", "config.py", "common.py", "base.py", "layer.py", "model.py",
                           "interface.py", "protocol.py", "serving.py", "manager.py", "scheduler.py", "registry.py",
                           "ops.py", "api.py", "main.py", "index.md", "README.md", "CMakeLists.txt", "setup.py",
                           "Dockerfile", "pipeline.yaml"})


def short_path(path: str) -> str:
    """A file as a reader names it: its name, with its directory when the name alone is ambiguous
    (`chat_utils.py`, `offloading/scheduler.py`); the full path stays on hover in HTML."""
    parts = path.split("/")
    return "/".join(parts[-2:]) if parts[-1] in GENERIC_NAMES and len(parts) > 1 else parts[-1]

MIN_TREND_PRS = 3  # fewer PRs in an area, and no real change: no bullet of its own


def build(w: WeekData) -> dict:
    """trends (every area, busiest first, `bullet` when it gets a line of its own), trends_rest (the
    others summed), rising and falling (at most three each)."""
    rows, tax, lang, li, files_of = w.rows, w.tax, w.lang, w.li, w.files_of
    trailing_modules, prev_modules, n_trailing_spans, has_prev = (w.trailing_modules, w.prev_modules,
                                                                   w.n_trailing_spans, w.has_prev)
    trailing = w.trailing_known
    # Module trends.
    trends = []
    for module, g in rows.groupby("module"):
        c = len(g)
        avg_prev = trailing_modules.get(module, 0) / n_trailing_spans
        mfiles = Counter()
        for num in g["number"]:
            for f in files_of[int(num)]:
                if tax.module_of(f["filename"]) == module:
                    mfiles[f["filename"]] += 1
        tmix = Counter(t for ts in g["tag_list"] for t in ts)
        trends.append({"module": module, "name": tax.names(module)[li], "count": c,
                       "prev": prev_modules.get(module, 0) if has_prev else None,
                       "avg_prev": round(avg_prev, 1) if trailing else None,
                       "change": round(c - round(avg_prev, 1), 1) if trailing else None,
                       "hot_files": [f for f, k in sorted(mfiles.items(), key=lambda kv: (-kv[1], kv[0]))[:3]],
                       "tags": [{"tag": t, "name": tag_name(t, lang), "count": k}
                                for t, k in sorted(tmix.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]})
    trends.sort(key=lambda t: (-t["count"], t["name"]))
    # A bullet only for an area with enough activity or a real change; the rest share one line.
    for t in trends:
        t["bullet"] = t["count"] >= MIN_TREND_PRS or (t["change"] is not None and abs(t["change"]) >= 2)
    minor = [t for t in trends if not t["bullet"]]
    trends_rest = {"modules": len(minor), "prs": int(sum(t["count"] for t in minor))}
    rising = [t for t in trends if t["module"] not in CATCH_ALL and t["change"] is not None and t["change"] >= 2 and t["count"] >= 1.5 * max(t["avg_prev"], 1)]
    falling = sorted([t for t in trends if t["module"] not in CATCH_ALL and t["change"] is not None and t["change"] <= -2],
                     key=lambda t: t["change"])
    # Modules active before but silent this week count as falling too.
    active = set(rows["module"])
    for module, k in trailing_modules.items():
        if module not in active and module not in CATCH_ALL and k / n_trailing_spans >= 2:
            falling.append({"module": module, "name": tax.names(module)[li], "count": 0,
                            "avg_prev": round(k / n_trailing_spans, 1), "change": -round(k / n_trailing_spans, 1)})

    rising, falling = rising[:3], falling[:3]
    # Each moving area's paragraph names what moved it: its most important PRs of the week.
    for t in rising + falling:
        t["prs"] = [pr_ref(r) for r in w.ranked if r["module"] == t["module"]][:TREND_PRS]
    for t in trends:
        t["hot_short"] = [short_path(f) for f in t["hot_files"]]
    return {"trends": trends, "trends_rest": trends_rest, "rising": rising, "falling": falling}
