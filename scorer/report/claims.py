"""A report's sentences as claims a reader can check, and the checker that re-derives them.

Each figure or list a sentence states is a typed claim with its numbers, its PRs and the
predicate that must hold of the week's scored rows:

- count:  `value` PRs of the week satisfy `where` (a filter, below);
- prs:    every PR in `prs` is a PR of the week satisfying `where`;
- top:    `prs` are the PRs ranked first by `column` among those satisfying `where`; with
          `ties` the list names every PR tied at the top value, and `value` is that value;
- fact:   a measured change PR `pr` states (prtext.read_gains' rules, re-read independently);
- name:   a name in prose is a display name, never an internal key (a platform or module id);
- story:  a story is named by a real topic;
- threshold: the stated decision threshold counts the PRs the model tagged;
- member: one listed item's stated value is one of its values (an event time of a daily item);
- row:    one listed item's stated value (`column` of PR `pr`, rounded to `digits`);
- stat:   a mean or median of `column` over the rows satisfying `where` (rounded to
          `digits`), or how many distinct values it holds (contributors, repositories);
- compare: arithmetic on stated figures (a difference; the rising and falling rules);
- most:   the listed kinds, tags, files or areas are the most frequent among the matching rows;
- avg_before: an area's weekly average over the spans before the week;
- situation: a story's situation holds by its rule on its own rows;
- dep:    a PR matching `where` names the dependency and its version in its title;
- hardware: the PR's text names exactly this one hardware generation;
- track:  the model's track record (sections.track), re-derived from the prediction ledger and
          the outcome labels the checker is given.

A filter is a dict of conditions, all of which hold: `in` (a list of PR numbers), `tag`,
`kind` (the change kind, scorer.kinds), `highlight`, `p_at_least` ([column, value]),
`module` (main module area), `touches` (a file path), `one_hardware` (the PR's text names exactly
one hardware generation), `prev_week` (merged in the period before instead of this one),
`is` ({field: value} the row has), `has` ({field: member} the row's set or list holds),
`not_in` (a list of PR numbers the row is not in) and
`topic` (a title names the key, or the PR is in a named story with it) and `notice` (what users
will notice of the PR, prtext.notice_kind, is this kind; "any" for any).

Daily and organisation reports have their own claims (daily_claims, org_claims) over their own
rows (an item per issue or PR; a PR per repository, keyed `owner/name#number`), checked here.

`weekly_claims(ctx)` reads them off a report's context (report.json), so they can be re-read
from the file and compared; `check_weekly` re-derives each from the scored table (scores.csv),
the PR table and the bundle's taxonomy, and says what does not hold.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ..features import main_module
from ..prtext import classify_pr
from ..prtext import (BETTER, COMPONENT_RE, END_TO_END, METRIC_RES, MIN_TIMES, NOISE_PCT, names_a_topic, names_key,
                      read_hardware, sentences)
from ..taxonomy import Taxonomy
from .sections.notice import pr_notice
from .stories import MIN_STORY_PRS


TRACK_FIELDS = ("tag", "week", "weeks_ago", "prs", "decided", "known", "blamed", "blamed_pct", "expected_pct",
                "base_pct", "thresholds")


def _c(out: list, kind: str, cid: str, **kw) -> None:
    out.append({"id": cid, "kind": kind, **kw})


def weekly_claims(ctx: dict) -> list[dict]:
    """The claims of a weekly report's sentences, from its context."""
    out: list[dict] = []
    if ctx.get("empty", True):
        _c(out, "count", "header.n_prs", where={}, value=int(ctx["header"]["n_prs"]))
        return out
    s = ctx["summary"]
    _c(out, "count", "summary.n_prs", where={}, value=s["n_prs"])
    _c(out, "count", "summary.n_highlight", where={"highlight": True}, value=s["n_highlight"])
    _c(out, "stat", "summary.avg_importance", stat="mean", column="importance", where={}, value=s["avg_importance"],
       digits=1)
    if s.get("prev_n_prs") is not None:
        _c(out, "count", "summary.prev_n_prs", where={"prev_week": True}, value=s["prev_n_prs"])
        _c(out, "compare", "summary.delta_prs", rule="difference", a=s["n_prs"], b=s["prev_n_prs"], value=s["delta_prs"])
    _c(out, "most", "summary.kinds.rank", of="kind", where={}, names=[k["kind"] for k in s["kinds"]], limit=3)
    _c(out, "most", "summary.tags.rank", of="tags", where={}, names=[t["tag"] for t in s["tags"]], limit=3)
    _c(out, "most", "summary.hot_files.rank", of="code_files", where={}, names=[f["file"] for f in s["hot_files"]],
       limit=3, min=2)
    for k in s["kinds"]:
        _c(out, "count", f"summary.kinds.{k['kind']}", where={"kind": k["kind"]}, value=k["count"])
    for t in s["tags"]:
        _c(out, "count", f"summary.tags.{t['tag']}", where={"tag": t["tag"]}, value=t["count"])
    if s["new_models"]:
        _c(out, "prs", "summary.new_models", where={"kind": "model"}, prs=s["new_models"])
        _c(out, "count", "summary.new_models.count", where={"kind": "model"}, value=len(s["new_models"]))
    for f in s["hot_files"]:
        _c(out, "count", f"summary.hot_files.{f['file']}", where={"touches": f["file"]}, value=f["prs"])
    for i, g in enumerate(s["gains"]):
        _c(out, "fact", f"summary.gains.{i}", pr=g["number"], gain=_gain(g), lead=True)
    for t in ctx["themes"]:
        sid = f"themes.{t['kind']}.{t['key']}"
        members = {"in": t["numbers"]}
        _c(out, "story", sid, name=t["name"], story_kind=t["kind"], key=t["key"], prs=t["numbers"])
        _c(out, "count", f"{sid}.count", where=members, value=t["count"])
        if t["kind"] != "module":
            _c(out, "name", f"{sid}.name", name=t["name"])
        for k in t["kinds"]:
            _c(out, "count", f"{sid}.kinds.{k['kind']}", where={**members, "kind": k["kind"]}, value=k["count"])
        _c(out, "count", f"{sid}.fixes", where={**members, "kind": "fix"}, value=t["fixes"])
        _c(out, "most", f"{sid}.kinds.rank", of="kind", where=members, names=[k["kind"] for k in t["kinds"]], limit=3)
        _c(out, "situation", f"{sid}.situation", where=members, story_kind=t["kind"], key=t["key"],
           situation=t["situation"], weekly_before=t["weekly_before"], gains=bool(t["gains"]),
           spans=ctx.get("trailing_spans"))
        _c(out, "top", f"{sid}.prs", column="importance", where=members, prs=[p["number"] for p in t["prs"]])
        for p in t["prs"]:
            _pr_claims(out, f"{sid}.prs.{p['number']}", p)
        if t["new_models"]:
            _c(out, "prs", f"{sid}.new_models", where={**members, "kind": "model"}, prs=t["new_models"])
        if t["kind"] == "module" and t.get("elsewhere"):
            _c(out, "count", f"{sid}.module_total", where={"module": t["key"]}, value=t["module_total"])
        for i, g in enumerate(t["gains"]):
            _c(out, "fact", f"{sid}.gains.{i}", pr=g["number"], gain=_gain(g), lead=False)
    rest = ctx["themes_rest"]
    shown = sorted({n for t in ctx["themes"] for n in t["numbers"]})
    _c(out, "prs", "themes_rest.prs", where={"not_in": shown}, prs=rest["numbers"], complete=True)
    _c(out, "count", "themes_rest.count", where={"not_in": shown}, value=rest["prs"])
    for m in ctx["trends"]:
        if m["bullet"]:
            tid, area = f"trends.{m['module']}", {"module": m["module"]}
            _c(out, "count", tid, where=area, value=m["count"])
            _c(out, "name", f"{tid}.name", name=m["name"])
            if m["avg_prev"] is not None:
                _c(out, "avg_before", f"{tid}.avg_prev", module=m["module"], value=m["avg_prev"],
                   spans=ctx.get("trailing_spans"))
                _c(out, "compare", f"{tid}.change", rule="difference", a=m["count"], b=m["avg_prev"], value=m["change"])
            _c(out, "most", f"{tid}.hot_files", of="module_files", where=area, module=m["module"], names=m["hot_files"],
               limit=3)
            _c(out, "most", f"{tid}.tags.rank", of="tags", where=area, names=[t["tag"] for t in m["tags"]], limit=3)
            for t in m["tags"]:
                _c(out, "count", f"{tid}.tags.{t['tag']}", where={**area, "tag": t["tag"]}, value=t["count"])
    for way in ("rising", "falling"):
        for m in ctx[way]:
            _c(out, "name", f"trends.{way}.{m['module']}.name", name=m["name"])
            _c(out, "count", f"trends.{way}.{m['module']}", where={"module": m["module"]}, value=m["count"])
            _c(out, "avg_before", f"trends.{way}.{m['module']}.avg_prev", module=m["module"], value=m["avg_prev"],
               spans=ctx.get("trailing_spans"))
            _c(out, "compare", f"trends.{way}.{m['module']}.rule", rule=way, a=m["count"], b=m["avg_prev"],
               value=m["change"])
            if m.get("prs"):  # "the most important of the area's PRs"
                _c(out, "top", f"trends.{way}.{m['module']}.prs", column="importance", where={"module": m["module"]},
                   prs=[p["number"] for p in m["prs"]])
    for r in ctx["risks"]:
        rid = f"risks.{r['tag']}"
        _c(out, "count", rid, where={"tag": r["tag"]}, value=r["count"])
        _c(out, "prs", f"{rid}.prs", where={"tag": r["tag"]}, prs=[p["number"] for p in r["prs"]])
        if r.get("threshold") is not None:
            _c(out, "threshold", f"{rid}.threshold", tag=r["tag"], value=r["threshold"])
        e = r["evidence"]
        if e.get("max"):
            _c(out, "top", f"{rid}.max", column=f"p:{r['tag']}", where={"tag": r["tag"]}, prs=e["max"]["numbers"],
               ties=True, value=e["max"]["p"])
        for f in e.get("files", []):
            _c(out, "count", f"{rid}.files.{f['file']}", where={"tag": r["tag"], "touches": f["file"]}, value=f["prs"])
        for p in e.get("platforms", []):
            _c(out, "name", f"{rid}.platforms.{p['name']}", name=p["name"])
        for m in e.get("modules", []):
            _c(out, "count", f"{rid}.modules.{m['module']}", where={"tag": r["tag"], "module": m["module"]}, value=m["prs"])
        if e.get("modules"):
            _c(out, "most", f"{rid}.modules.rank", of="module", where={"tag": r["tag"]},
               names=[m["module"] for m in e["modules"]], limit=2)
        for d in e.get("deps", []):
            _c(out, "dep", f"{rid}.deps.{d['name']}", where={"tag": r["tag"]}, name=d["name"], version=d["version"])
    if ctx.get("hardware_note"):
        h = ctx["hardware_note"]
        _c(out, "prs", "risks.hardware_note", where={"kind": "performance", "one_hardware": True},
           prs=[p["number"] for p in h["prs"]])
        for p in h["prs"]:
            _c(out, "hardware", f"risks.hardware_note.{p['number']}", pr=p["number"], name=p["hardware"])
        _c(out, "count", "risks.hardware_note.count", where={"kind": "performance", "one_hardware": True}, value=h["count"])
    top = [p["number"] for p in ctx["top"]]
    if top:
        _c(out, "top", "top.table", column="importance", where={}, prs=top)
    for p in ctx["top"]:
        _pr_claims(out, f"top.{p['number']}", p)
        _c(out, "row", f"top.{p['number']}.tags", pr=p["number"], column="tags", value=sorted(p["tag_ids"]),
           left_out=[c["tag"] for c in ctx.get("top_common", [])])
    for c in ctx.get("top_common", []):
        _c(out, "count", f"top.common.{c['tag']}", where={"tag": c["tag"]}, value=c["count"])
        _c(out, "count", f"top.common.{c['tag']}.total", where={}, value=c["total"])
    if top and ctx["header"]["n_highlight"]:
        _c(out, "prs", "top.highlighted", where={"highlight": True}, prs=top)
    # What users will notice: each kind's list is every PR of the week the rule reads as that kind.
    notice = ctx.get("notice")
    if notice is not None:
        _c(out, "count", "notice.count", where={"notice": "any"}, value=sum(len(g["prs"]) for g in notice))
        for g in notice:
            _c(out, "prs", f"notice.{g['kind']}", where={"notice": g["kind"]}, prs=[p["number"] for p in g["prs"]],
               complete=True)
            for p in g["prs"]:
                for v in p.get("versions", []):
                    _c(out, "dep", f"notice.{g['kind']}.{p['number']}.{v['name']}", where={"in": [p["number"]]},
                       name=v["name"], version=v["version"])
    for i, r in enumerate(ctx["recommendations"]):
        rid = f"recommendations.{i}.{r['rule']}"
        where = _rec_filter(r, ctx)
        if where is None:
            continue
        _c(out, "prs", f"{rid}.prs", where=where, prs=r["prs"])
        _c(out, "count", f"{rid}.count", where=where, value=r["count"])
        if r["rule"] == "bug":
            _c(out, "top", f"{rid}.p", column="p:bug-inducing", where=where, prs=r["prs"][:1], ties=False,
               value=r["p"])
        for p in r.get("platforms", []):
            _c(out, "name", f"{rid}.platforms.{p}", name=p)
        if r.get("module_ids"):
            _c(out, "most", f"{rid}.modules", of="module", where=where, names=r["module_ids"], limit=2)
        for d in r.get("deps", []):
            _c(out, "dep", f"{rid}.deps.{d['name']}", where=where, name=d["name"], version=d["version"])
        for h in r.get("hardware", []):
            _c(out, "name", f"{rid}.hardware.{h}", name=h)
    if ctx.get("track"):  # the track record: re-derived from the ledger and the outcomes
        _c(out, "track", "track", **{k: ctx["track"][k] for k in TRACK_FIELDS})
    return out


def _pr_claims(out: list, cid: str, p: dict) -> None:
    """What a listed PR's line states of it: its importance (to 0.1), change kind and area."""
    _c(out, "row", f"{cid}.importance", pr=p["number"], column="importance", value=p["importance"], digits=1)
    _c(out, "row", f"{cid}.kind", pr=p["number"], column="kind", value=p["kind_id"])
    _c(out, "row", f"{cid}.module", pr=p["number"], column="module", value=p["module"])


def _gain(g: dict) -> dict:
    return {k: g[k] for k in ("text", "value", "unit", "metric", "direction", "scope", "source") if k in g}


def _rec_filter(r: dict, ctx: dict) -> dict | None:
    story = {t["name"]: t["numbers"] for t in ctx["themes"]}
    rule = r["rule"]
    if rule == "tests":
        return {"highlight": True, "tag": "missing-tests"}
    if rule in ("core", "dependency", "platform"):
        return {"tag": {"core": "core-path"}.get(rule, rule)}
    if rule == "bug":
        return {"tag": "bug-inducing"} if r.get("decided") else {"p_at_least": ["p:bug-inducing", r["min_p"]]}
    if rule == "fix_wave":
        return {"in": story[r["theme"]], "kind": "fix"}
    if rule == "story":
        return {"in": story[r["theme"]]}
    if rule == "hardware":
        return {"kind": "performance", "one_hardware": True}
    return None


# ---------------------------------------------------------------- the checker

@dataclass
class Week:
    """A week's scored rows as the checker reads them back, keyed by PR number."""
    rows: dict[int, dict]
    prev_count: int | None
    tax: Taxonomy
    thresholds: dict[str, float]
    internal_keys: frozenset[str]
    model_families: frozenset[str] = field(default_factory=frozenset)
    # The area (main module) of each PR merged in the trailing spans before the week, by how
    # many spans before it was merged (1 = the week before), and how many spans the table's
    # history covers before the week (at most 4): what "the weeks before" average over.
    before: list[tuple[int, str]] = field(default_factory=list)
    spans_known: int = 1
    # The track record re-derived from the prediction ledger and the outcomes (sections.track),
    # or why it could not be: a report that states one is checked against them.
    track: dict | None = None
    track_missing: str | None = None


@dataclass
class CheckResult:
    checked: Counter = field(default_factory=Counter)
    false: list[str] = field(default_factory=list)

    def add(self, other: "CheckResult") -> None:
        self.checked.update(other.checked)
        self.false.extend(other.false)


def _holds(row: dict, where: dict, week: Week) -> bool:
    if "in" in where and _id(row) not in where["in"]:
        return False
    if "not_in" in where and _id(row) in where["not_in"]:
        return False
    if any(row.get(k) != v for k, v in where.get("is", {}).items()):
        return False
    if any(v not in row.get(k, ()) for k, v in where.get("has", {}).items()):
        return False
    if "tag" in where and where["tag"] not in row["tags"]:
        return False
    if "kind" in where and row["kind"] != where["kind"]:
        return False
    if where.get("highlight") and not row["highlight"]:
        return False
    if "p_at_least" in where:
        col, v = where["p_at_least"]
        p = row.get(col)
        if p is None or not (p >= float(v)):
            return False
    if "module" in where and row["module"] != where["module"]:
        return False
    if where.get("one_hardware") and len(read_hardware(f"{row['title'][:800]}\n{row['body'][:20_000]}")) != 1:
        return False
    if "touches" in where and where["touches"] not in {f["filename"] for f in row["files"]}:
        return False
    if "topic" in where and not (names_key(row["title"], where["topic"]) or where["topic"] in row.get("stories", ())):
        return False
    if "notice" in where:
        if "notice" not in row:  # read once per row: the title, change kind and paths, by prtext's rule
            row["notice"] = pr_notice(row["title"], row["kind"], row["files"], week.tax)
        if row["notice"] is None or where["notice"] not in ("any", row["notice"]):
            return False
    return True


def _matching(where: dict, week: Week) -> list[dict]:
    return [r for r in week.rows.values() if _holds(r, where, week)]


def check_claims(claims: list[dict], week: Week) -> CheckResult:
    """Each claim against the week's rows: what does not hold, one line each."""
    res = CheckResult()
    for c in claims:
        res.checked[c["kind"]] += 1
        for key in ("in", "not_in"):  # a story's PRs: a set once per claim, not per row tested
            if key in c.get("where", {}):
                c = {**c, "where": {**c["where"], key: frozenset(c["where"][key])}}
        why = _check_one(c, week)
        if why:
            res.false.append(f"{c['id']} ({c['kind']}): {why}")
    return res


def _check_one(c: dict, week: Week) -> str | None:
    kind = c["kind"]
    if kind == "count":
        if c["where"].get("prev_week"):
            n = week.prev_count
            return None if n is None or n == c["value"] else f"states {c['value']}, the table has {n}"
        n = len(_matching(c["where"], week))
        return None if n == c["value"] else f"states {c['value']}, the scored rows give {n}"
    if kind == "prs":
        bad = [n for n in c["prs"] if n not in week.rows or not _holds(week.rows[n], c["where"], week)]
        if bad:
            return f"{', '.join(f'#{n}' for n in bad)} do not satisfy {_say(c['where'])}"
        if c.get("complete"):
            missing = sorted({_id(r) for r in _matching(c["where"], week)} - set(c["prs"]), key=str)
            return f"leaves out {', '.join(f'#{n}' for n in missing[:5])}" if missing else None
        return None
    if kind == "row":
        row = week.rows.get(c["pr"])
        if row is None:
            return "not an item of the report"
        have = row.get(c["column"])
        if c.get("left_out") and isinstance(have, (list, tuple, set, frozenset)):
            have = [t for t in have if t not in c["left_out"]]  # tags the table says it leaves out
        if "digits" in c and have is not None:
            have = round(float(have), c["digits"])
        if isinstance(c["value"], list) and isinstance(have, (list, tuple, set, frozenset)):
            have = sorted(have)
        return None if have == c["value"] else f"#{c['pr']}: states {c['column']} {c['value']!r}, the table has {have!r}"
    if kind == "member":
        row = week.rows.get(c["pr"])
        have = row.get(c["column"], ()) if row else ()
        return None if c["value"] in have else f"#{c['pr']}: {c['value']!r} is none of its {c['column']} ({sorted(have)})"
    if kind == "track":
        if week.track_missing:
            return week.track_missing
        got = {k: (week.track or {}).get(k) for k in TRACK_FIELDS}
        want = {k: c.get(k) for k in TRACK_FIELDS}
        return None if got == want else f"states {want}, the ledger and the outcomes give {got}"
    if kind == "stat":
        got = _stat(c, week)
        return None if got == c["value"] else f"states {c['value']!r}, the rows give {got!r}"
    if kind == "compare":
        return _check_compare(c)
    if kind == "most":
        return _check_most(c, week)
    if kind == "avg_before":
        return _check_avg_before(c, week)
    if kind == "situation":
        return _check_situation(c, week)
    if kind == "dep":
        named = [r for r in _matching(c["where"], week)
                 if _spelled(c["name"], r["title"]) and _spelled(c["version"], r["title"])]
        return None if named else f"no PR of {_say(c['where'])} names {c['name']} {c['version']} in its title"
    if kind == "hardware":
        row = week.rows.get(c["pr"])
        found = read_hardware(f"{row['title'][:800]}\n{row['body'][:20_000]}") if row else None
        return None if found == [c["name"]] else f"#{c['pr']} names {found}, not only {c['name']}"
    if kind == "top":
        return _check_top(c, week)
    if kind == "fact":
        row = week.rows.get(c["pr"])
        return "not a PR of the week" if row is None else check_gain(c["gain"], row["title"], row["body"], c["lead"])
    if kind == "name":
        return f"internal key {c['name']!r} in prose" if c["name"] in week.internal_keys else None
    if kind == "story":
        return _check_story(c, week)
    if kind == "threshold":
        exact = week.thresholds.get(c["tag"])
        if exact is None:
            return "the bundle decides no such tag"
        col = f"p:{c['tag']}"
        tagged = {r["number"] for r in week.rows.values() if c["tag"] in r["tags"]}
        above = {r["number"] for r in week.rows.values() if r.get(col) is not None and r[col] >= c["value"]}
        if abs(exact - c["value"]) >= 0.005:
            return f"states {c['value']}, the bundle's threshold is {exact:.4f}"
        if tagged != above:
            return f"p >= {c['value']} gives {len(above)} PRs, the model tagged {len(tagged)}"
        return None
    return f"unknown claim kind {kind!r}"


def _spelled(word: str, text: str) -> bool:
    """Whether the text spells the word, ignoring case and spaces (">= 1.2.0" spells ">=1.2.0")."""
    return re.sub(r"\s+", "", str(word)).lower() in re.sub(r"\s+", "", text).lower()


def _check_compare(c: dict) -> str | None:
    """Arithmetic a sentence states on figures checked elsewhere: a difference, or the rule that
    puts an area among the rising or falling ones (scorer.report.writer's thresholds)."""
    a, b, v = float(c["a"]), float(c["b"]), float(c["value"])
    if abs((a - b) - v) > 0.051:
        return f"states {v:g}, {a:g} - {b:g} is {a - b:g}"
    if c["rule"] == "rising" and not (v >= 2 and a >= 1.5 * max(b, 1)):
        return f"{a:g} PRs against {b:g} before is not a rise (needs +2 and 1.5x)"
    if c["rule"] == "falling" and not v <= -2:
        return f"a change of {v:g} is not a fall (needs -2)"
    return None


def _check_most(c: dict, week: Week) -> str | None:
    """The listed names are the most frequent among the matching rows, in order (ties by name),
    and none left out would qualify when fewer than `limit` are listed."""
    counts: Counter = Counter()
    for r in _matching(c["where"], week):
        if c["of"] == "kind":
            counts[r["kind"]] += 1
        elif c["of"] == "module":
            counts[r["module"]] += 1
        elif c["of"] == "tags":
            counts.update(r["tags"])
        elif c["of"] == "code_files":
            counts.update(f["filename"] for f in r["files"]
                          if not (week.tax.is_test(f["filename"]) or week.tax.is_doc(f["filename"])))
        elif c["of"] == "module_files":
            counts.update(f["filename"] for f in r["files"] if week.tax.module_of(f["filename"]) == c["module"])
        else:
            return f"unknown ranking {c['of']!r}"
    ranked = [k for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))) if n >= c.get("min", 1)]
    want = ranked[:c["limit"]] if len(c["names"]) < c["limit"] else ranked[:len(c["names"])]
    if list(c["names"]) != want:
        return f"lists {', '.join(map(str, c['names'])) or 'none'}; the most frequent are {', '.join(map(str, want)) or 'none'}"
    return None


def _avg_before(module: str, week: Week) -> float:
    return sum(1 for _, m in week.before if m == module) / week.spans_known


def _check_avg_before(c: dict, week: Week) -> str | None:
    if c.get("spans") != week.spans_known:
        return f"averages over {c.get('spans')} weeks, the table has {week.spans_known} before the week"
    got = round(_avg_before(c["module"], week), 1)
    return None if abs(got - float(c["value"])) < 1e-9 else f"states {c['value']}, the weeks before give {got}"


def _check_situation(c: dict, week: Week) -> str | None:
    """A story's situation holds by its rule on the story's own rows: a fix wave is at least 3
    fixes and 40% of it, a rise doubles the weekly count before and adds 3, a refactor or
    performance story is 40% refactors or performance changes. What named stories looked like
    in the 8 weeks before (the history the writer reads for "first" and "rising") is taken from
    the stated weekly figure; an area's is recounted."""
    rows = _matching(c["where"], week)
    kinds = Counter(r["kind"] for r in rows)
    count, fixes, before = len(rows), kinds.get("fix", 0), float(c["weekly_before"])
    if c["story_kind"] == "module":
        got = round(_avg_before(c["key"], week), 1)
        if abs(got - before) > 1e-9:
            return f"states {before:g} a week before, the weeks before give {got:g}"
    rules = {
        "first": c["story_kind"] != "module" and before == 0,
        "fix_wave": c["story_kind"] != "module" and fixes >= 3 and fixes >= 0.4 * count,
        "rising": count >= 2 * max(before - 0.05, 1) and count - before >= 3 - 0.05,
        "refactor": kinds.get("refactor", 0) >= 0.4 * count and kinds.get("refactor", 0) >= 2,
        "performance": kinds.get("performance", 0) >= 0.4 * count
        or (c["gains"] and kinds.get("performance", 0) >= 0.25 * count),
    }
    s = c["situation"]
    if s == "steady":  # then no other rule may hold (a rise counted against the stated figure's upper end)
        # A fix wave also needs the story to have shipped features (this week, or in the 8 weeks
        # before, which only the writer reads): only this week's make it certain.
        others = {**rules, "rising": count >= 2 * max(before + 0.05, 1) and count - before >= 3 + 0.05,
                  "fix_wave": rules["fix_wave"] and kinds.get("feature", 0) + kinds.get("model", 0) > 0}
        wrong = [k for k, holds in others.items() if holds]
        return f"said steady, but the rows make it {wrong[0]}" if wrong else None
    if s not in rules:
        return f"unknown situation {s!r}"
    return None if rules[s] else f"said {s}, but {count} PRs with {fixes} fixes and {before:g} a week before do not make it so"


def _stat(c: dict, week: Week):
    """A summary figure of the matching rows: their mean or median (rounded as stated), or how
    many distinct values they hold."""
    vals = [r.get(c["column"]) for r in _matching(c["where"], week)]
    vals = [v for v in vals if v is not None and v == v]
    if c["stat"] == "distinct":
        return len(set(vals))
    if not vals:
        return None
    series = pd.Series(vals, dtype=float)
    return round(float(series.mean() if c["stat"] == "mean" else series.median()), c.get("digits", 2))


def _say(where: dict) -> str:
    return ", ".join(f"{k}={v if k != 'in' else f'{len(v)} PRs'}" for k, v in where.items()) or "the week"


def _id(row: dict):
    """A row's key: its PR number, or `owner/name#number` in an organisation's rows."""
    return row.get("id", row["number"])


def _value(row: dict, column: str) -> float:
    v = row.get(column)
    return -math.inf if v is None or v != v else float(v)


def _check_top(c: dict, week: Week) -> str | None:
    pool = _matching(c["where"], week)
    col = c["column"]
    listed = [week.rows.get(n) for n in c["prs"]]
    if any(r is None or not _holds(r, c["where"], week) for r in listed):
        return f"a listed PR does not satisfy {_say(c['where'])}"
    if not pool:
        return "no PR to rank"
    best = max(_value(r, col) for r in pool)
    if c.get("ties"):
        tied = sorted((_id(r) for r in pool if _value(r, col) == best), key=str)
        if sorted(c["prs"], key=str) != tied:
            return f"names {len(c['prs'])} PR(s) at the top, {len(tied)} tie at {best:g} ({', '.join(f'#{n}' for n in tied)})"
    named = set(c["prs"])
    rest = [r for r in pool if _id(r) not in named]
    low = min((_value(r, col) for r in listed), default=-math.inf)
    above = [_id(r) for r in rest if _value(r, col) > low]
    if above:
        return f"#{above[0]} ranks above a listed PR by {col}"
    if "value" in c and abs(round(best, 2) - float(c["value"])) > 0.005:
        return f"states {c['value']}, the top value is {best:.4f}"
    return None


def check_gain(g: dict, title: str, body: str, lead: bool) -> str | None:
    """Whether the PR's title or one sentence of its description states this gain: the number
    with its unit, beside a word for the metric, not a shape, above the noise floor, in the
    stated direction; a figure leading the summary must be end-to-end, not a component's. What a
    gain is (metric words, floors, scope) is prtext's; finding it stated is this function's own
    reading of the text, not the writer's extractor."""
    if g.get("unit") == "%" and not abs(float(g.get("value", 0))) >= NOISE_PCT:
        return f"{g.get('text')} is below the {NOISE_PCT:g}% noise floor"
    if g.get("unit") == "x" and not float(g.get("value", 0)) >= MIN_TIMES:
        return f"{g.get('text')} is below {MIN_TIMES:g}x"
    metric = g.get("metric", "")
    if metric not in BETTER:
        return f"no measured metric ({metric!r})"
    if g.get("direction") != BETTER[metric]:
        return f"{metric} {'down' if g.get('direction') == 'down' else 'up'} is not an improvement"
    if lead and (metric not in END_TO_END or g.get("scope") != "e2e"):
        return "a component or unstated figure leads the summary"
    value = float(g.get("value", 0))
    names_metric = dict(METRIC_RES)[metric]
    for _, sentence in sentences(title, body):
        if g.get("unit") == "%":
            stated = {abs(float(x)) for x in re.findall(r"(?<![\w.])([+-]?\d+(?:\.\d+)?)\s*%", sentence)}
        else:  # a multiplier, not a shape (4 x 2048): no number right after the x
            stated = {float(x) for m in re.finditer(r"(?<![\w.])(\d+(?:\.\d+)?)(?:\s*[x×]?\s*[-–~]\s*(\d+(?:\.\d+)?))?"
                                                   r"\s*[x×](?![\w])(?!\s*\d)", sentence) for x in m.groups() if x}
        if not any(abs(v - value) < 1e-9 for v in stated):
            continue
        if not names_metric.search(sentence):
            continue
        if g.get("scope") == "e2e" and COMPONENT_RE.search(sentence):
            continue
        return None
    return f"{g.get('text')} is not stated as a measured {metric} change of this PR"


_GENERIC_WORDS = frozenset("""add adds added fix fixes fixed support update use remove make enable disable match allow
improve refactor bump move rename handle avoid check test tests docs doc misc other new""".split())


def _check_story(c: dict, week: Week) -> str | None:
    nums = c["prs"]
    if any(n not in week.rows for n in nums):
        return "lists a PR outside the week"
    name, kind = str(c["name"]), c["story_kind"]
    if kind == "module":
        names = week.tax.names(c["key"])
        return None if name in names else f"{name!r} is not the area's name"
    if kind == "platform":
        keys = {re.sub(r"[^a-z0-9]", "", k.lower()) for k in week.tax.platforms}
        return None if c["key"] in keys else f"{c['key']!r} is not a platform of the taxonomy"
    if name.lower() in _GENERIC_WORDS:
        return f"{name!r} is a generic word, not a topic"
    if kind == "model":
        return None if c["key"] in week.model_families else f"{name!r} is not a model family of the repository"
    kinds = Counter(week.rows[n]["kind"] for n in nums)
    if kinds.get("docs", 0) * 2 >= len(nums):
        return f"{name!r} names a burst of docs ({kinds['docs']} of {len(nums)} PRs)"
    if names_a_topic(name, [week.rows[n]["title"] for n in nums], MIN_STORY_PRS):
        return None
    return f"{name!r} is neither a named thing nor a prefix tag of {MIN_STORY_PRS} of its PRs"


def internal_keys(tax: Taxonomy) -> frozenset[str]:
    """Names prose must not use: platform keys and module ids where they differ from the names
    a reader sees (`other-hw`, `rocm`, `kv-cache`)."""
    keys = set(tax.platforms)
    for m in tax.modules:
        if m.id not in (m.zh, m.en):
            keys.add(m.id)
    return frozenset(keys)


def week_rows(scores, prs, tax: Taxonomy) -> dict[int, dict]:
    """The scored rows (scores.csv) joined with their PRs' files and descriptions."""
    files_of = {int(n): f for n, f in zip(prs["number"], prs["files"])}
    bodies = prs["body"] if "body" in prs.columns else [""] * len(prs)
    body_of = {int(n): str(b or "") for n, b in zip(prs["number"], bodies)}
    out = {}
    for r in scores.to_dict("records"):
        n = int(r["number"])
        files = files_of.get(n, [])
        tags = [t for t in str(r.get("tags") or "").split(";") if t and t != "nan"]
        out[n] = {**{k: v for k, v in r.items() if k.startswith("p:")}, "id": n, "number": n, "title": str(r["title"]),
                  "importance": float(r["importance"]), "highlight": bool(int(r.get("highlight", 0) or 0)),
                  "tags": tags, "files": files, "body": body_of.get(n, ""), "kind": classify_pr(str(r["title"]), files),
                  "module": main_module(files, tax)}
    return out
