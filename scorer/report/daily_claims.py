"""The daily report's sentences as claims, and the rows the checker re-derives them from.

The daily report is about items (issues and PRs) of one window: what was opened, closed and
merged in it, how much each is discussed, which platforms each touches, and, for the merged
PRs, what the model scored. A row per item carries exactly those properties, as of the window's
end; the claims (scorer.report.claims' kinds, plus `row` for one item's stated value and `stat`
for a mean, median or head count) say which rows a sentence is about.
"""

from __future__ import annotations

import re

import pandas as pd

from ..features import main_module
from ..prtext import classify_pr
from ..taxonomy import Taxonomy
from .claims import _c

CRASH_RE = re.compile(r"\b(crash\w*|segfault|segmentation|hang\w*|deadlock|oom|out of memory|nan|wrong output|"
                      r"regression|illegal memory|core dump\w*)\b", re.I)
BOT_RE = re.compile(r"\[bot\]$|-bot$|^bot-", re.I)


def _is_bot(author: str) -> bool:
    return bool(BOT_RE.search(author or ""))


def before(value, end: pd.Timestamp) -> bool:
    """Whether an event time is known and happened before the window's end."""
    return pd.notna(value) and value < end


def state_at(r, end: pd.Timestamp) -> str:
    """An item's state at the window's end, not when the table was fetched: a day's report says
    the same whether it is written that evening or a week later."""
    if r["kind"] == "pr" and before(r["merged_at"], end):
        return "merged"
    return "closed" if before(r["closed_at"], end) else "open"


def platforms_of(title: str, labels: list, files: list, tax: Taxonomy) -> set[str]:
    """The platforms an item touches: named as a word in its title or labels, or (a merged PR)
    owning one of its paths."""
    text = " ".join([str(title), *map(str, labels)])
    hits = {name for name in tax.platforms if re.search(rf"\b{re.escape(name)}\b", text, re.I)}
    return hits | {p for p in (tax.platform_of(f["filename"]) for f in files) if p in tax.platforms}


# Each count of the header and the appendix list it sums, by the event in the window.
EVENTS = {"new_issues": ("issue", "created"), "closed_issues": ("issue", "closed"), "new_prs": ("pr", "created"),
          "merged_prs": ("pr", "merged"), "closed_unmerged": ("pr", "closed_unmerged")}
MERGED = {"has": {"events": "merged"}}


def _event(key: str) -> dict:
    item, event = EVENTS[key]
    return {"is": {"item": item}, "has": {"events": event}}


def daily_claims(ctx: dict) -> list[dict]:
    """The claims of a daily report's sentences, from its context (report.json)."""
    out: list[dict] = []
    for key in EVENTS:
        _c(out, "count", f"counts.{key}", where=_event(key), value=ctx["counts"][key])
        _c(out, "prs", f"appendix.{key}", where=_event(key), prs=[i["number"] for i in ctx["appendix"][key]],
           complete=True)
        for i in ctx["appendix"][key]:
            _item_claims(out, f"appendix.{key}.{i['number']}", i)
    if ctx.get("empty", True):
        return out
    s = ctx["summary"]
    if s["avg_importance"] is not None:
        _c(out, "stat", "summary.avg_importance", stat="mean", column="importance", where=MERGED,
           value=s["avg_importance"], digits=1)
    for k in s["kinds"]:
        _c(out, "count", f"summary.kinds.{k['kind']}", where={**MERGED, "kind": k["kind"]}, value=k["count"])
    _c(out, "stat", "summary.contributors", stat="distinct", column="author", where={"is": {"bot": False}},
       value=s["contributors"])
    _c(out, "stat", "summary.bots", stat="distinct", column="author", where={"is": {"bot": True}}, value=s["bots"])
    _c(out, "count", "summary.open_bug_issues",
       where={"is": {"item": "issue", "state": "open"}, "has": {"events": "created", "labels": "bug"}},
       value=s["open_bug_issues"])
    for p in ctx["platforms"]:
        where = {"has": {"platforms": p["key"]}}
        _c(out, "count", f"platforms.{p['key']}", where=where, value=p["count"])
        _c(out, "prs", f"platforms.{p['key']}.entries", where=where, prs=[i["number"] for i in p["entries"]])
        _c(out, "name", f"platforms.{p['key']}.name", name=p["name"])
        for i in p["entries"]:
            _item_claims(out, f"platforms.{p['key']}.{i['number']}", i)
    if ctx["discussed"]:
        _c(out, "top", "discussed", column="comments", where={}, prs=[i["number"] for i in ctx["discussed"]])
        for i in ctx["discussed"]:
            _item_claims(out, f"discussed.{i['number']}", i)
    if ctx["notable"]:
        _c(out, "top", "notable", column="importance", where=MERGED, prs=[n["number"] for n in ctx["notable"]])
    for n in ctx["notable"]:
        nid = f"notable.{n['number']}"
        _c(out, "row", f"{nid}.importance", pr=n["number"], column="importance", value=n["importance"], digits=1)
        _c(out, "row", f"{nid}.kind", pr=n["number"], column="kind", value=n["kind_key"])
        _c(out, "row", f"{nid}.area", pr=n["number"], column="module", value=n["area_key"])
        _c(out, "name", f"{nid}.area.name", name=n["area"])
    if ctx["new_discussed"]:
        where = {"is": {"item": "pr", "merged_by_end": False}, "has": {"events": "created"}}
        _c(out, "top", "new_discussed", column="comments", where=where, prs=[i["number"] for i in ctx["new_discussed"]])
    crash = {"is": {"item": "issue", "crash": True}, "has": {"events": "created"}}
    if ctx["watch_issues"]:
        _c(out, "prs", "watch_issues", where=crash, prs=[i["number"] for i in ctx["watch_issues"]])
        _c(out, "top", "watch_issues.rank", column="comments", where=crash, prs=[i["number"] for i in ctx["watch_issues"]])
    for i in ctx["watch_issues"]:
        _item_claims(out, f"watch_issues.{i['number']}", i)
    if ctx["watch_merges"]:
        where = {**MERGED, "tag": "bug-inducing"}
        _c(out, "threshold", "watch_merges.threshold", tag="bug-inducing", value=ctx["bug_threshold"])
        _c(out, "top", "watch_merges", column="p:bug-inducing", where=where, prs=[m["number"] for m in ctx["watch_merges"]])
        for m in ctx["watch_merges"]:
            _c(out, "row", f"watch_merges.{m['number']}.p", pr=m["number"], column="p:bug-inducing", value=m["p"], digits=2)
    o = ctx["observations"]
    _c(out, "count", "observations.drafts", where={"is": {"item": "pr", "draft": True}, "has": {"events": "created"}},
       value=o["drafts"])
    if "reviewed" in o:
        r = o["reviewed"]
        _c(out, "count", "observations.reviewed", where={**MERGED, "is": {"reviews_known": True}}, value=r["merged"])
        _c(out, "count", "observations.approved", where={**MERGED, "is": {"approved": True}}, value=r["approved"])
        _c(out, "count", "observations.changes_requested", where={**MERGED, "is": {"changes_requested": True}},
           value=r["changes_requested"])
    if "median_hours_to_merge" in o:
        _c(out, "stat", "observations.median_hours_to_merge", stat="median", column="hours_to_merge", where=MERGED,
           value=o["median_hours_to_merge"], digits=1)
    return out


def _item_claims(out: list, cid: str, i: dict) -> None:
    """What a listed item's line states of it: its comment count, its state at the window's end,
    and the time of one of its events before that end."""
    _c(out, "row", f"{cid}.comments", pr=i["number"], column="comments", value=i["comments"])
    _c(out, "row", f"{cid}.state", pr=i["number"], column="state", value=i["state"])
    _c(out, "member", f"{cid}.time", pr=i["number"], column="times", value=i["time"])


def daily_rows(activity: pd.DataFrame, scores: pd.DataFrame, prs: pd.DataFrame, tax: Taxonomy,
               start: pd.Timestamp, end: pd.Timestamp, tz: str) -> dict[int, dict]:
    """One row per item with an event in [start, end): its events in the window and its state at
    the end, read from the activity table; a merged PR's scores (scores.csv), change kind, area
    and reviews from the PR table."""
    inside = lambda v: pd.notna(v) and start <= v < end  # noqa: E731
    pr_of = {int(r["number"]): r for r in prs.to_dict("records")}
    score_of = {int(r["number"]): r for r in scores.to_dict("records")}
    out: dict[int, dict] = {}
    for r in activity.to_dict("records"):
        events = {e for e, col in (("created", "created_at"), ("closed", "closed_at"), ("merged", "merged_at"))
                  if inside(r[col])}
        if r["kind"] == "pr":
            if inside(r["closed_at"]) and pd.isna(r["merged_at"]):
                events.add("closed_unmerged")
        if not events:
            continue
        n = int(r["number"])
        author = str(r["author"] or "")
        labels = [str(x) for x in r["labels"]]
        files = pr_of[n]["files"] if r["kind"] == "pr" and n in pr_of else []
        row = {"id": n, "number": n, "item": r["kind"], "title": str(r["title"]), "events": events,
               "comments": int(r["comments"]), "labels": labels, "author": author or None, "bot": _is_bot(author),
               "state": state_at(r, end),
               "times": {r[c].tz_convert(tz).strftime("%m-%d %H:%M") for c in ("created_at", "closed_at", "merged_at")
                         if before(r[c], end)},
               "merged_by_end": r["kind"] == "pr" and before(r["merged_at"], end),
               "draft": bool(r["draft"]) if pd.notna(r["draft"]) else False,
               "crash": bool(CRASH_RE.search(str(r["title"]))), "platforms": platforms_of(r["title"], labels, files, tax),
               "kind": None, "module": None, "importance": None, "tags": [], "files": files, "body": "",
               "highlight": False}
        if "merged" in events and n in score_of:
            s, p = score_of[n], pr_of.get(n, {})
            row.update({k: v for k, v in s.items() if k.startswith("p:")})
            row.update(importance=float(s["importance"]), kind=classify_pr(str(s["title"]), files),
                       module=main_module(files, tax),
                       tags=[t for t in str(s.get("tags") or "").split(";") if t and t != "nan"])
            approvals = p.get("approvals")
            known = approvals is not None and approvals == approvals
            row.update(reviews_known=known, approved=known and approvals > 0,
                       changes_requested=known and (p.get("changes_requested") or 0) > 0)
            created = pd.to_datetime(p.get("created_at"), utc=True) if p.get("created_at") is not None else None
            if created is not None and pd.notna(created):
                row["hours_to_merge"] = (p["merged_at"] - created).total_seconds() / 3600
        out[n] = row
    return out
