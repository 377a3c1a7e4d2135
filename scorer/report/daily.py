"""The daily (any-window) activity report: what was opened, merged and closed, what is discussed,
what to watch. Figures are computed here once, by rule; the templates in
``templates/daily/{zh,en}.md.j2`` only render them, and report.json holds the same context.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from ..features import main_module
from ..prtext import classify_pr
from .stories import report_text, summary_title
from ..fileio import atomic_dir
from ..taxonomy import Taxonomy
from .daily_claims import CRASH_RE, _is_bot, before, daily_claims, platforms_of, state_at
from .render import cjk_spacing, md_to_html, report_env, write_formats
from .week import BUG_WINDOW_DAYS, KIND_WORDS, platform_display
from .zhtitle import rewrite

TOP = 5


def _item(r, tz: str, end: pd.Timestamp, col: str | None = None) -> dict:
    """One listed issue or PR; its time is `col` (the event the list is about), else its latest
    event before the window's end."""
    if col is None:
        col = next((c for c in ("merged_at", "closed_at") if before(r[c], end)), "created_at")
    when = r[col]
    return {"kind": r["kind"], "number": int(r["number"]), "title": report_text(str(r["title"])),
            "labels": [report_text(x, 60) for x in r["labels"]], "author": report_text(str(r["author"] or ""), 60),
            "bot": _is_bot(str(r["author"] or "")), "url": str(r["url"] or ""),
            "comments": int(r["comments"]), "state": state_at(r, end),
            "time": when.tz_convert(tz).strftime("%m-%d %H:%M")}


def _platform_hits(act: pd.DataFrame, prs: pd.DataFrame, tax: Taxonomy) -> dict[str, list[int]]:
    """Items that touch each platform of the taxonomy: by label or title word, or (merged PRs) by path."""
    files_of = dict(zip(prs["number"].astype(int), prs["files"])) if len(prs) else {}
    out: dict[str, list[int]] = {name: [] for name in tax.platforms}
    for _, r in act.iterrows():
        n = int(r["number"])
        files = files_of.get(n, []) if r["kind"] == "pr" else []
        for name in platforms_of(r["title"], r["labels"], files, tax):
            out[name].append(n)
    return {name: sorted(set(nums)) for name, nums in out.items()}


def build_daily_context(activity: pd.DataFrame, scores: pd.DataFrame, prs: pd.DataFrame, tax: Taxonomy, *,
                        start: pd.Timestamp, end: pd.Timestamp, period: str, tz: str, lang: str, repo: str,
                        model_name: str = "", model_version: str = "", bug_threshold: float | None = None) -> dict:
    """Every figure of the daily report for the window [start, end).

    `activity` is the activity table; `scores` the scored PRs merged in the window (number,
    importance, p:<tag>, tags); `prs` the canonical rows of those PRs (files, API fields).
    """
    zh = lang == "zh"
    inside = lambda col: activity[col].notna() & (activity[col] >= start) & (activity[col] < end)  # noqa: E731
    issues, pulls = activity["kind"] == "issue", activity["kind"] == "pr"
    sets = {
        "new_issues": activity[issues & inside("created_at")],
        "closed_issues": activity[issues & inside("closed_at")],
        "new_prs": activity[pulls & inside("created_at")],
        "merged_prs": activity[pulls & inside("merged_at")],
        "closed_unmerged": activity[pulls & inside("closed_at") & activity["merged_at"].isna()],
    }
    sets = {k: v.sort_values(["created_at" if k.startswith("new") else "closed_at", "number"], kind="mergesort")
            for k, v in sets.items()}
    counts = {k: int(len(v)) for k, v in sets.items()}
    window = activity[inside("created_at") | inside("closed_at") | inside("merged_at")]
    display = tax.display_name or repo.split("/")[-1]
    header = {"display_name": display, "repo": repo, "period": period, "tz": tz,
              "start": start.tz_convert(tz).strftime("%Y-%m-%d %H:%M"),
              "end": (end - pd.Timedelta(seconds=1)).tz_convert(tz).strftime("%Y-%m-%d %H:%M"),
              "model_name": model_name, "model_version": model_version, **counts}
    ctx: dict = {"lang": lang, "header": header, "counts": counts, "empty": window.empty}
    event = {"new_issues": "created_at", "closed_issues": "closed_at", "new_prs": "created_at",
             "merged_prs": "merged_at", "closed_unmerged": "closed_at"}
    ctx["appendix"] = {k: [_item(r, tz, end, event[k]) for _, r in v.iterrows()] for k, v in sets.items()}
    if window.empty:  # a short valid report: the header, its zero counts and an empty appendix
        ctx["claims"] = daily_claims(ctx)
        return ctx

    # Merged PRs: importance, kind and area from the scores and the canonical rows.
    merged = scores.merge(prs[["number", "files"]], on="number", how="left") if len(scores) else scores
    notable = []
    for _, r in merged.sort_values(["importance", "number"], ascending=[False, False], kind="mergesort").head(TOP).iterrows():
        files = r["files"] if isinstance(r["files"], list) else []
        kind = classify_pr(str(r["title"]), files)
        area = main_module(files, tax)
        zh_title = rewrite(str(r["title"]), tax.glossary) if zh else None
        notable.append({"number": int(r["number"]), "title": summary_title(str(r["title"])),
                        "summary": zh_title.text if zh_title is not None and zh_title.fitted else None,
                        "importance": round(float(r["importance"]), 1),
                        "kind": KIND_WORDS[kind][0 if zh else 1], "area": tax.names(area)[0 if zh else 1],
                        "kind_key": kind, "area_key": area,
                        "url": f"https://github.com/{repo}/pull/{int(r['number'])}"})
    kinds = Counter(classify_pr(str(t), f if isinstance(f, list) else []) for t, f in zip(merged["title"], merged["files"])) \
        if len(merged) else Counter()
    ctx["notable"] = notable
    new_open = sets["new_prs"][[not before(m, end) for m in sets["new_prs"]["merged_at"]]]
    ctx["new_discussed"] = [_item(r, tz, end) for _, r in
                            new_open.sort_values(["comments", "number"], ascending=[False, False], kind="mergesort")
                            .head(3).iterrows() if r["comments"] > 0]

    # Status summary figures.
    humans = sorted({a for a in window["author"].astype(str) if a and not _is_bot(a)})
    bots = sorted({a for a in window["author"].astype(str) if a and _is_bot(a)})
    ctx["summary"] = {
        "avg_importance": round(float(merged["importance"].round(1).mean()), 1) if len(merged) else None,
        "kinds": [{"name": KIND_WORDS[k][0 if zh else 1], "kind": k, "count": c}
                  for k, c in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:3]],
        "contributors": len(humans), "bots": len(bots),
        "open_bug_issues": int(sum("bug" in r["labels"] for _, r in sets["new_issues"].iterrows()
                                   if not before(r["closed_at"], end))),
    }

    # Platforms and ecosystem.
    hits = _platform_hits(window, prs, tax)
    by_number = {int(r["number"]): r for _, r in window.iterrows()}
    ctx["platforms"] = [{"name": platform_display(name, 0 if zh else 1), "key": name, "count": len(nums),
                         "entries": [_item(by_number[n], tz, end) for n in nums[:TOP]]}
                        for name, nums in hits.items() if nums]

    # Most discussed (comment counts as the API reported them).
    disc = window.sort_values(["comments", "number"], ascending=[False, False], kind="mergesort")
    ctx["discussed"] = [_item(r, tz, end) for _, r in disc.head(TOP).iterrows() if r["comments"] > 0]

    # Watch items: bug reports with crash words, and merges the model rates likely bug-inducing.
    new = sets["new_issues"]
    crash = new[[bool(CRASH_RE.search(str(t))) for t in new["title"]]] if len(new) else new
    ctx["watch_issues"] = [_item(r, tz, end) for _, r in
                           crash.sort_values(["comments", "number"], ascending=[False, False], kind="mergesort")
                           .head(TOP).iterrows()]
    risky = []
    if len(merged) and "p:bug-inducing" in merged and bug_threshold is not None:
        rk = merged[merged["p:bug-inducing"] >= bug_threshold].sort_values(["p:bug-inducing", "number"],
                                                                            ascending=[False, False], kind="mergesort")
        risky = [{"number": int(r["number"]), "title": summary_title(str(r["title"])),
                  "p": round(float(r["p:bug-inducing"]), 2), "url": f"https://github.com/{repo}/pull/{int(r['number'])}"}
                 for _, r in rk.head(TOP).iterrows()]
    ctx["watch_merges"] = risky
    ctx["bug_threshold"] = None if bug_threshold is None else round(float(bug_threshold), 2)
    ctx["bug_window_days"] = BUG_WINDOW_DAYS

    # Activity observations: who took part, and how merged PRs were reviewed (when the table knows).
    obs = {"contributors": len(humans), "bots": len(bots), "drafts": int(sets["new_prs"]["draft"].fillna(False).astype(bool).sum())}
    rows = prs[prs["number"].isin(merged["number"])] if len(merged) else prs.iloc[:0]
    if "approvals" in rows and rows["approvals"].notna().any():
        known = rows[rows["approvals"].notna()]
        obs["reviewed"] = {"merged": int(len(known)), "approved": int((known["approvals"] > 0).sum()),
                           "changes_requested": int((known["changes_requested"].fillna(0) > 0).sum())}
    if "created_at" in rows and rows["created_at"].notna().any():
        hours = (rows["merged_at"] - pd.to_datetime(rows["created_at"], utc=True)).dt.total_seconds() / 3600
        obs["median_hours_to_merge"] = round(float(hours.median()), 1)
    ctx["observations"] = obs
    ctx["claims"] = daily_claims(ctx)
    return ctx


def render_daily_markdown(ctx: dict) -> str:
    md = report_env(ctx["lang"]).get_template(f"daily/daily_{ctx['lang']}.md.j2").render(**ctx)
    return cjk_spacing(md) if ctx["lang"] == "zh" else md


def write_daily_report(ctx: dict, out_dir: Path, formats: list[str], scores: pd.DataFrame | None = None) -> list[Path]:
    """report.md / report.html / report.json in `out_dir`, all or nothing, and with `scores` the
    merged PRs' scores.csv the report's claims are checked against."""
    from ..score import write_scores_csv

    md = render_daily_markdown(ctx)
    html = lambda: report_env(ctx["lang"]).get_template("report.html.j2").render(
        ctx=ctx, sections=[{"name": "body", "html": md_to_html(md), "chart": None}])  # noqa: E731
    with atomic_dir(out_dir) as tmp:
        written = []
        if scores is not None:
            write_scores_csv(scores, tmp / "scores.csv")
            written.append(out_dir / "scores.csv")
        return written + write_formats(tmp, out_dir, ctx, md, html, formats)
