"""Report writer. Python computes every figure and picks every sentence by rule; the Jinja2
templates in ``templates/{zh,en}/`` (one per section) only render them. The same input gives
the same report, byte for byte.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, ModuleLoader, StrictUndefined

from ..errors import ScorerError
from ..features import main_module
from ..prtext import PREFIX_ALIASES, STOPWORDS, title_terms
from ..prtext import classify_pr
from ..fileio import atomic_dir, json_safe
from ..labels import NON_RISK_TAGS, outcome_labels, tag_name
from ..taxonomy import Taxonomy
from ..prtext import extract_facts, names_a_topic
from .claims import weekly_claims
from .stories import (MIN_STORY_PRS, acronym_aliases, assign_stories, cached_if_short, contains_any, display_names,
                      key_prefixes, model_vocabulary, norm, pr_entities, summary_title, versioned_prefix)

TEMPLATES = Path(__file__).parent / "templates"
COMPILED = Path(__file__).parent / "compiled"  # the templates as Python modules (python -m scorer.report.precompile)
SECTIONS = ["header", "summary", "themes", "trends", "risks", "top", "recommendations"]
TOP_TABLE_ROWS = 30  # the top table shows at most this many highlighted PRs (or --top-k)
MIN_TREND_PRS = 3  # fewer PRs in an area, and no real change: no bullet of its own
KIND_WORDS = {
    "fix": ("修复", "fix"), "feature": ("新功能", "feature"), "model": ("新模型", "new model"),
    "performance": ("性能优化", "performance"), "refactor": ("重构", "refactor"), "docs": ("文档", "docs"),
    "ci": ("CI/构建", "CI/build"), "tests": ("测试", "tests"), "misc": ("杂项", "misc"), "revert": ("回滚", "revert"),
    "dependency": ("依赖", "dependency"),
}


# ---------------------------------------------------------------- period

def period_from_week(week: str, tz: str) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    m = re.fullmatch(r"(\d{4})-W(\d{1,2})", week.strip())
    if not m:
        raise ScorerError(f"--week must look like 2026-W18, got {week!r}")
    try:
        monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        raise ScorerError(f"{week!r} is not a week of {m.group(1)}") from None
    start = pd.Timestamp(monday).tz_localize(tz)
    return start, start + pd.Timedelta(days=7), f"{int(m.group(1))}-W{int(m.group(2)):02d}"


def period_from_dates(since: str, until: str, tz: str) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    try:
        start = pd.Timestamp(since).tz_localize(tz)
        end = pd.Timestamp(until).tz_localize(tz) + pd.Timedelta(days=1)
    except (ValueError, TypeError):
        raise ScorerError(f"--since/--until must be dates like 2026-04-27, got {since!r} / {until!r}") from None
    if end <= start:
        raise ScorerError("--until is before --since")
    return start, end, f"{since}_{until}"


# ---------------------------------------------------------------- figures

def _burst_themes(period_rows: pd.DataFrame, history: pd.DataFrame, start: pd.Timestamp, weeks: int = 8,
                  min_count: int = 3, min_ratio: float = 3.0) -> list[dict]:
    """Named things many titles mention this week far more than in the trailing weeks."""
    now = Counter(t for title in period_rows["title"] for t in look_back_terms(title))
    past_rows = history[(history["merged_at"] < start) & (history["merged_at"] >= start - pd.Timedelta(weeks=weeks))]
    past = Counter(t for title in past_rows["title"] for t in look_back_terms(title))
    out = []
    for term, n in sorted(now.items(), key=lambda kv: (-kv[1], kv[0])):
        base = past.get(term, 0) / weeks
        ratio = (n + 1) / (base + 1)
        if n >= min_count and ratio >= min_ratio and term not in STOPWORDS and not term.isdigit():
            out.append({"term": term, "count": n, "baseline": round(base, 2), "ratio": round(ratio, 1)})
    # A term that is a variant of a stronger one (qwen3 vs qwen3-next) is folded into it.
    # Only named things: a term some title spells with capitals or digits (DeepSeek, Qwen3, MXFP4).
    titles = list(period_rows["title"])
    out = [t for t in out if re.search(r"[A-Z0-9]", _display_term(t["term"], titles))]
    kept: list[dict] = []
    for t in out:
        if not any(t["term"] in k["term"] or k["term"] in t["term"] for k in kept):
            kept.append(t)
    return kept[:3]


@cached_if_short(400, 1 << 14)
def look_back_terms(title: str) -> tuple[str, ...]:
    """title_terms of a title a report reads. Each report counts the terms of its 8 weeks of
    look-back titles, and consecutive weeks (a backfill, the service) share 7 of them."""
    return tuple(title_terms(title))


def _display_term(term: str, titles: list[str]) -> str:
    """The spelling the titles use most (DeepSeek, not deepseek)."""
    spellings = Counter(w for t in titles for w in re.findall(r"[A-Za-z][\w.-]*", t) if w.lower() == term)
    return spellings.most_common(1)[0][0] if spellings else term


def _ranked(scores: pd.DataFrame, highlight_at: float, top_k: int | None) -> pd.DataFrame:
    """A week's rows best first (importance, then the latest merged, then the highest number)
    with their `highlight` flag: the first `top_k`, else those at or above `highlight_at`."""
    rows = scores.sort_values(["importance", "merged_at", "number"], ascending=False, kind="mergesort")
    if top_k:
        flags = np.zeros(len(rows), np.int64)
        flags[:top_k] = 1
    else:
        flags = (rows["importance"] >= highlight_at).to_numpy().astype(np.int64)
    return rows.assign(highlight=flags)


def _top_table(rows: pd.DataFrame, top_k: int | None) -> list[int]:
    """The PRs the top table shows, best first, of `_ranked` rows: the highlighted ones (at most
    TOP_TABLE_ROWS, or top_k when larger), else the best ten."""
    hl = rows[rows["highlight"] == 1]
    return [int(x) for x in (hl.head(max(top_k or 0, TOP_TABLE_ROWS)) if len(hl) else rows.head(10))["number"]]


def top_table_numbers(scores: pd.DataFrame, highlight_at: float, top_k: int | None) -> list[int]:
    """The PRs a week's report shows in its top table: the ones whose reasons it prints."""
    return _top_table(_ranked(scores, highlight_at, top_k), top_k)


def _pr_ref(row: dict) -> dict:
    return {"number": int(row["number"]), "importance": round(float(row["importance"]), 1),
            "summary": row["summary"], "kind": row["kind"], "area": row["area"], "kind_id": row["kind_id"],
            "module": row["module"]}


def build_context(scores: pd.DataFrame, prs: pd.DataFrame, tax: Taxonomy, *, start: pd.Timestamp,
                  end: pd.Timestamp, period: str, tz: str, lang: str, model_name: str, model_version: str,
                  highlight_at: float, top_k: int | None,
                  reasons: dict[int, list[str]] | Callable[[], dict[int, list[str]]] | None = None,
                  tag_probs: dict[str, float] | None = None, first_merged: pd.Timestamp | None = None,
                  vocab: dict[str, str] | None = None) -> dict:
    """Every figure and chosen sentence of the report, in plain data (this is report.json).

    `prs` must hold the PRs merged from `context_since(start, end, vocab is not None)` to `end`
    (the whole table will do); `first_merged` is the table's first merge time when `prs` holds
    only that window; `vocab` is `model_vocabulary` of the year before `end` (vocab_window),
    when the caller has it (a cache) and `prs` does not reach that far."""
    zh = lang == "zh"
    li = 0 if zh else 1
    # The look-back's titles are read by several passes below: as Python strings once, not
    # through an Arrow-backed column's per-item iterator each time (same values either way).
    prs = prs.astype({c: object for c in ("title", "body") if c in prs.columns and prs[c].dtype != object})
    repo = str(prs["repo"].iloc[0]) if len(prs) else ""
    display = tax.display_name or repo.split("/")[-1]
    rows = scores.copy()
    wanted = set(rows["number"].astype(int))
    files_of = {int(n): f for n, f in zip(prs["number"], prs["files"]) if int(n) in wanted}
    bodies = prs["body"] if "body" in prs.columns else pd.Series("", index=prs.index)
    body_of = {int(n): str(b or "") for n, b in zip(prs["number"], bodies) if int(n) in wanted}
    rows["title_clean"] = rows["title"].map(summary_title)
    rows["kind_id"] = [classify_pr(t, files_of[int(n)]) for t, n in zip(rows["title"], rows["number"])]
    rows["kind"] = rows["kind_id"].map(lambda k: KIND_WORDS[k][li])
    rows["module"] = [main_module(files_of[int(n)], tax) for n in rows["number"]]
    rows["area"] = rows["module"].map(lambda m: tax.names(m)[li])
    rows["tag_list"] = rows["tags"].map(lambda s: [t for t in s.split(";") if t])
    rows = _ranked(rows, highlight_at, top_k)
    n = len(rows)
    local_end = end - pd.Timedelta(seconds=1)
    header = {
        "display_name": display, "repo": repo, "period": period, "year": int(start.isocalendar()[0]),
        "week": int(start.isocalendar()[1]) if period.count("-W") else None,
        "date_range": f"{start:%m/%d} - {local_end:%m/%d}", "start": f"{start:%Y-%m-%d}", "end": f"{local_end:%Y-%m-%d}",
        "tz": tz, "n_prs": n, "n_highlight": int(rows["highlight"].sum()), "model": model_name,
        "model_version": model_version,
    }
    ctx: dict = {"lang": lang, "header": header,
                 "highlighted": [int(x) for x in rows.loc[rows["highlight"] == 1, "number"]]}
    if n == 0:
        ctx["empty"] = True
        ctx["claims"] = weekly_claims(ctx)
        return ctx
    ctx["empty"] = False

    # Previous weeks from the same table.
    span = end - start
    prev = prs[(prs["merged_at"] >= start - span) & (prs["merged_at"] < start)]
    trailing = prs[(prs["merged_at"] >= start - 4 * span) & (prs["merged_at"] < start)]
    has_prev = len(prev) > 0
    prev_modules = Counter(main_module(f, tax) for f in prev["files"])
    trailing_modules = Counter(main_module(f, tax) for f in trailing["files"])
    first = prs["merged_at"].min() if first_merged is None else first_merged
    n_trailing_spans = max(1, min(4, int(((start - first) / span)))) if len(trailing) else 1

    # Facts and named things of each PR; stories.
    facts = {num: extract_facts(t, body_of[num], files_of[num], tax) for num, t in zip(rows["number"].astype(int), rows["title"])}
    platform_names = _platform_spellings(prs.loc[prs["merged_at"] >= start - pd.Timedelta(weeks=STORY_WEEKS), "title"], tax)
    for f in facts.values():
        f["platforms"] = [platform_names.get(norm(p)) or platform_display(p, li) for p in f["platforms"]]
    known = prs[prs["merged_at"] < end]
    lookback = known[known["merged_at"] >= start - pd.Timedelta(weeks=STORY_WEEKS)]
    if vocab is None:
        vocab = model_vocabulary(known[known["merged_at"] >= vocab_window(end)])
    aliases = acronym_aliases(lookback["title"], vocab)
    versioned = versioned_prefix(vocab)
    platform_keys = {norm(p) for p in tax.platforms}
    starts, path_fams = key_prefixes(vocab, aliases), {}
    ents = {num: pr_entities(t, files_of[num], vocab, aliases, platform_keys, versioned, starts, path_fams)
            for num, t in zip(rows["number"].astype(int), rows["title"])}
    bursts = [b for b in _burst_themes(rows, prs, start)
              if norm(b["term"]) not in vocab and norm(b["term"]) not in aliases and norm(b["term"]) not in platform_keys
              and burst_is_topic(b["term"], [(t, k) for t, k in zip(rows["title"], rows["kind_id"])
                                             if b["term"] in look_back_terms(t)])]
    burst_of = {int(num): [b["term"] for b in bursts if b["term"] in look_back_terms(t)]
                for num, t in zip(rows["number"], rows["title"])}
    story_of = assign_stories(rows, ents, burst_of)
    # The named thing a PR's summary speaks of: the first model family its title names.
    title_family = {}
    for num, t in zip(rows["number"].astype(int), rows["title"]):
        fams = [k for kind, k in pr_entities(t, [], vocab, aliases, platform_keys, starts=starts) if kind == "model"]
        title_family[num] = fams[0] if fams else ""
    # How the titles spell the model stories and those families (one pass: each key's spelling
    # depends on no other key).
    names = display_names(lookback["title"], {k for kind, k in story_of.values() if kind == "model"}
                          | {k for k in title_family.values() if k}, vocab)

    def story_name(key: tuple[str, str]) -> str:
        kind, k = key
        if kind == "model":
            return names.get(k, k)
        if kind == "platform":
            return platform_names.get(k) or platform_display(k, li)
        if kind == "burst":
            return _display_term(k, list(rows["title"]))
        return tax.names(k)[li]

    rows["story"] = [story_of[int(x)] for x in rows["number"]]
    rows["entity"] = [names.get(title_family[int(x)], "") for x in rows["number"]]
    env = _env(lang)
    summary_tpl = env.get_template("pr_summary.j2")
    # The week's rows as plain dicts, in ranked order, for every per-PR pass below: a filter or
    # sort of the frame costs ~1 ms however few rows it has.
    records = {int(r["number"]): r for r in rows.to_dict("records")}
    for num, r in records.items():
        r["summary"] = re.sub(r"\s+", " ", summary_tpl.render(kind=r["kind_id"], title=r["title_clean"], area=r["area"],
                                                            entity=r["entity"], facts=facts[num])).strip()
    rows["summary"] = [r["summary"] for r in records.values()]
    ranked = list(records.values())

    # History of each named story, for its situation (first appearance, rising, fix wave).
    past = lookback[lookback["merged_at"] < start]
    past_ents: Counter = Counter()
    past_feature: set = set()
    # Only PRs whose title or paths spell one of this week's named stories can count for it.
    story_keys = {k for kind, k in story_of.values() if kind in ("model", "platform")}
    spellings = story_keys | {a for a, k in aliases.items() if k in story_keys} | {
        k for k, fam in vocab.items() if fam in story_keys} | {a for a, k in PREFIX_ALIASES.items() if k in story_keys}
    spells_one, path_spells = contains_any(spellings), {}
    named = {e for e in story_of.values() if e[0] in ("model", "platform")}

    def spelled(title: str, files: list[dict]) -> bool:
        # pr_entities reads a name within the title or within one path, so those are tested one
        # by one; the look-back's PRs touch the same paths again and again.
        if spells_one(norm(title)):
            return True
        for x in files:
            hit = path_spells.get(x["filename"])
            if hit is None:
                hit = path_spells[x["filename"]] = spells_one(norm(x["filename"]))
            if hit:
                return True
        return False

    for t, f in zip(past["title"], past["files"]):
        if not spelled(t, f):
            continue
        found = set(pr_entities(t, f, vocab, aliases, platform_keys, versioned, starts, path_fams)) & named
        for e in found:
            past_ents[e] += 1
        if found - past_feature and classify_pr(t, f) in ("feature", "model", "performance"):
            past_feature |= found
    for b in bursts:  # a burst term's own trailing count
        past_ents[("burst", b["term"])] = round(b["baseline"] * 8)
    module_counts = Counter(rows["module"])

    stories = []
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in records.values():
        groups[r["story"]].append(r)
    churn_of = {int(n): int(a or 0) + int(d or 0) for n, a, d in zip(prs["number"], prs["additions"], prs["deletions"])
                if int(n) in wanted}
    for key, g in groups.items():
        stories.append(_story(g, key, story_name(key), zh, facts, churn_of, past_ents, past_feature, module_counts,
                              trailing_modules, n_trailing_spans))
    # Named stories first (at most half the headings), then the busiest areas.
    named = sorted([t for t in stories if t["kind"] != "module"], key=lambda t: (-t["count"], -t["score"], t["name"]))
    areas = sorted([t for t in stories if t["kind"] == "module" and t["count"] >= 2], key=lambda t: (-t["count"], -t["score"], t["name"]))
    shown = named[:MAX_STORIES // 2]
    shown += areas[:MAX_STORIES - len(shown)]
    shown = shown or stories[:3]
    rest = [t for t in stories if t not in shown]
    stories_rest = {"stories": len(rest), "prs": int(sum(t["count"] for t in rest)),
                    "numbers": sorted(n for t in rest for n in t["numbers"])}

    # Files and tags.
    files = Counter()
    for num in rows["number"]:
        for f in files_of[int(num)]:
            if not (tax.is_test(f["filename"]) or tax.is_doc(f["filename"])):
                files[f["filename"]] += 1
    hot_files = [{"file": f, "prs": c} for f, c in sorted(files.items(), key=lambda kv: (-kv[1], kv[0]))[:5] if c > 1]
    tag_counts = Counter(t for ts in rows["tag_list"] for t in ts)
    tags_ranked = sorted(tag_counts.items(), key=lambda kv: (-kv[1], kv[0]))
    kind_counts = Counter(rows["kind_id"])

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
                       "avg_prev": round(avg_prev, 1) if len(trailing) else None,
                       "change": round(c - round(avg_prev, 1), 1) if len(trailing) else None,
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

    # Risks, each with the concrete thing behind it.
    risks = []
    for tag, c in tags_ranked:
        if tag in NON_RISK_TAGS:
            continue
        g = [r for r in ranked if tag in r["tag_list"]]
        p = f"p:{tag}" if f"p:{tag}" in rows else None
        rep = _first_by(g, lambda r: (r[p] if p else 1.0) * r["importance"])[:3]
        risks.append({"tag": tag, "name": tag_name(tag, lang), "count": int(c),
                      "source": "model" if p else "rule",
                      "prs": [_pr_ref(r) for r in rep], "evidence": _risk_evidence(tag, g, p, files_of, facts, tax, li)})
    # Each decided tag's threshold as the report states it (the risk section and the recommendations).
    stated = {t: stated_threshold(thr, [x[f"p:{t}"] for x in ranked]) for t, thr in (tag_probs or {}).items()
              if f"p:{t}" in rows}
    if tag_probs:
        for r in risks:
            r["threshold"] = stated.get(r["tag"])
    # Optimisations whose titles name one hardware generation only: verified there, maybe nowhere else.
    single_hw = [r for r in ranked
                 if r["kind_id"] == "performance" and len(facts[int(r["number"])]["hardware"]) == 1]
    hw_note = {"count": len(single_hw), "prs": [{"number": int(r["number"]), "hardware": facts[int(r["number"])]["hardware"][0]}
                                               for r in single_hw[:4]]} if single_hw else None

    # Top table.
    if callable(reasons):  # still being worked out (score_week): wait for it here
        reasons = reasons()
    top = []
    for r in (records[num] for num in _top_table(rows, top_k)):
        num = int(r["number"])
        top.append({**_pr_ref(r), "title": r["title_clean"], "tags": [tag_name(t, lang) for t in r["tag_list"]],
                    "tag_ids": list(r["tag_list"]),
                    "story": story_name(r["story"]), "facts": facts[num],
                    "reasons": (reasons or {}).get(num, []),
                    "url": f"https://github.com/{repo}/pull/{num}"})

    # Summary figures.
    risk_top = risks[0] if risks else None
    summary = {
        "n_prs": n, "n_highlight": header["n_highlight"], "avg_importance": round(float(rows["importance"].round(1).mean()), 1),
        "kinds": [{"kind": k, "name": KIND_WORDS[k][li], "count": c}
                  for k, c in sorted(kind_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]],
        "tags": [{"tag": t, "name": tag_name(t, lang), "count": c} for t, c in tags_ranked[:3]],
        "hot_files": hot_files[:3],
        "top_risk": {"name": risk_top["name"], "count": risk_top["count"]} if risk_top else None,
        "themes": [t["name"] for t in shown[:3]],
        "lead": {"name": shown[0]["name"], "count": shown[0]["count"], "situation": shown[0]["situation"]} if shown else None,
        "gains": [{"number": num, **g} for num in rows["number"].astype(int) for g in facts[num]["gains"]
                  if g["scope"] == "e2e"][:3],
        "new_models": [int(x) for x in rows.loc[rows["kind_id"] == "model", "number"]],
        "prev_n_prs": len(prev) if has_prev else None,
        "delta_prs": (n - len(prev)) if has_prev else None,
        "rising": [t["name"] for t in rising[:3]],
    }

    # Recommendations by rule, each naming PRs and modules.
    recs = []
    no_tests = [r for r in ranked if r["highlight"] == 1 and "missing-tests" in r["tag_list"]]
    if len(no_tests) >= 2:
        recs.append({"rule": "tests", "prs": [int(r["number"]) for r in no_tests[:5]], "count": len(no_tests),
                     "modules": _top_names([r["module"] for r in no_tests], tax, li)})
    core = [r for r in ranked if "core-path" in r["tag_list"]]
    if len(core) >= 3:
        recs.append({"rule": "core", "prs": [int(r["number"]) for r in core[:5]], "count": len(core),
                     "modules": _top_names([r["module"] for r in core], tax, li)})
    dep = [int(r["number"]) for r in ranked if "dependency" in r["tag_list"]]
    if len(dep) >= 1:
        pins = [d for num in dep for d in facts[num]["deps"]]
        recs.append({"rule": "dependency", "prs": dep[:5], "count": len(dep), "deps": pins[:4]})
    if "p:bug-inducing" in rows:
        # The PRs the risk section counts under the tag (the bundle's threshold), or, when the
        # bundle decides no such tag, those at BUG_REVIEW_P or above: one count for one thing.
        at = (tag_probs or {}).get("bug-inducing")
        risky = _first_by([r for r in ranked if ("bug-inducing" in r["tag_list"] if at is not None
                                                 else r["p:bug-inducing"] >= BUG_REVIEW_P)], lambda r: r["p:bug-inducing"])
        if len(risky):
            recs.append({"rule": "bug", "prs": [int(r["number"]) for r in risky[:5]], "count": len(risky),
                         "p": round(float(risky[0]["p:bug-inducing"]), 2),
                         "min_p": stated["bug-inducing"] if at is not None else BUG_REVIEW_P,
                         "decided": at is not None,
                         "modules": _top_names([r["module"] for r in risky], tax, li)})
    plat = [int(r["number"]) for r in ranked if "platform" in r["tag_list"]]
    if len(plat) >= 3:
        plats = Counter(p for num in plat for p in facts[num]["platforms"])
        recs.append({"rule": "platform", "prs": plat[:5], "count": len(plat),
                     "platforms": [p for p, _ in sorted(plats.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]})
    for t in shown:
        if t["situation"] == "fix_wave":
            fixes = [num for num in t["numbers"] if records[num]["kind_id"] == "fix"]
            recs.append({"rule": "fix_wave", "prs": fixes[:5], "count": len(fixes), "theme": t["name"]})
    lead = shown[0] if shown else None
    if lead and lead["kind"] != "module" and lead["count"] >= 5 and lead["situation"] != "fix_wave":
        recs.append({"rule": "story", "prs": [p["number"] for p in lead["prs"]], "count": lead["count"], "theme": lead["name"]})
    if hw_note:
        recs.append({"rule": "hardware", "prs": [p["number"] for p in hw_note["prs"]], "count": hw_note["count"],
                     "hardware": sorted({p["hardware"] for p in hw_note["prs"]})})

    ctx.update({"summary": summary, "themes": shown, "themes_rest": stories_rest, "trends": trends, "trends_rest": trends_rest,
                "rising": rising[:3], "falling": falling[:3], "risks": risks, "hardware_note": hw_note,
                "top": top, "recommendations": recs, "has_prev": has_prev, "story_weeks": STORY_WEEKS,
                "trailing_spans": n_trailing_spans,
                "bug_window_days": BUG_WINDOW_DAYS,
                "charts": {"themes": [(t["name"], t["count"]) for t in shown],
                           "importance": [round(float(x), 1) for x in rows["importance"]],
                           "risks": [(r["name"], r["count"]) for r in risks]}})
    ctx["claims"] = weekly_claims(ctx)
    return ctx


BUG_WINDOW_DAYS = inspect.signature(outcome_labels).parameters["window_days"].default  # what p:bug-inducing means
BUG_REVIEW_P = 0.4  # a bug-inducing probability worth a first review
def context_since(start: pd.Timestamp, end: pd.Timestamp, have_vocab: bool = False) -> pd.Timestamp:
    """The earliest merge time build_context reads: the trailing periods, the stories' look-back
    and (unless the caller gives the vocabulary) the model vocabulary's year."""
    since = min(start - 4 * (end - start), start - pd.Timedelta(weeks=STORY_WEEKS))
    return since if have_vocab else min(since, vocab_window(end))


def vocab_window(end: pd.Timestamp) -> pd.Timestamp:
    """The first merge time `model_vocabulary` reads for a report ending at `end`."""
    return end - pd.Timedelta(weeks=VOCAB_WEEKS)


VOCAB_WEEKS = 52  # model families are those whose files the last year's PRs touched
STORY_WEEKS = 8    # how far back a story's history (first appearance, aliases, spellings) looks
MAX_STORIES = 8    # stories with a section-2 heading; the rest are summed in one line


def stated_threshold(threshold: float, probs: list[float]) -> float:
    """The threshold as a report states it: rounded to 2 decimals, or to more when a PR of the week
    lies between the rounded and the exact value (then "p >= 0.29" would count a PR the model did
    not tag, or leave out one it did)."""
    for digits in (2, 3, 4, 6):
        shown = round(float(threshold), digits)
        lo, hi = sorted((shown, float(threshold)))
        if not any(lo <= float(p) < hi for p in probs if p == p):
            return shown
    return float(threshold)


CATCH_ALL = frozenset({"other", "root"})  # the area of paths no module claims: never a direction of its own
PLATFORM_WORDS = {"otherhw": ("其他硬件", "other hardware"), "cuda": ("CUDA", "CUDA"), "rocm": ("ROCm", "ROCm"),
                  "xpu": ("XPU", "XPU"), "cpu": ("CPU", "CPU"), "tpu": ("TPU", "TPU"), "npu": ("NPU", "NPU"),
                  "hpu": ("HPU", "HPU"), "neuron": ("Neuron", "Neuron"), "ascend": ("Ascend", "Ascend")}


def platform_display(key: str, li: int) -> str:
    """A taxonomy's platform key as prose names it: `rocm` -> ROCm, `other-hw` -> other hardware;
    a key of a user's taxonomy reads as words (`habana-gaudi` -> Habana Gaudi, `ipu` -> IPU)."""
    if norm(key) in PLATFORM_WORDS:
        return PLATFORM_WORDS[norm(key)][li]
    words = [w for w in re.split(r"[-_\s]+", key) if w]
    return " ".join(w.upper() if len(w) <= 4 and w.isalnum() else w[:1].upper() + w[1:] for w in words) or key


def burst_is_topic(term: str, prs: list[tuple[str, str]]) -> bool:
    """Whether a bursting title term can name a story (`prs`: (title, kind) of the week's PRs whose
    titles use it): a topic by prtext.names_a_topic, and not a burst of docs edits (a docs week)."""
    if not prs or sum(k == "docs" for _, k in prs) * 2 >= len(prs):
        return False
    titles = [t for t, _ in prs]
    return names_a_topic(_display_term(term, titles), titles, MIN_STORY_PRS)


def _top_names(modules: list[str], tax: Taxonomy, li: int, k: int = 2) -> list[str]:
    return [tax.names(m)[li] for m, _ in sorted(Counter(modules).items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def _platform_spellings(titles: pd.Series, tax: Taxonomy) -> dict[str, str]:
    """How titles spell each platform of the taxonomy (`ROCm`, `XPU`), most used first."""
    seen: dict[str, Counter] = defaultdict(Counter)
    keys = {norm(p): p for p in tax.platforms}
    spells_one = contains_any(keys)  # a word's norm is part of its title's: most titles name none
    for t in titles:
        if not spells_one(norm(t)):
            continue
        for w in re.findall(r"[A-Za-z][\w-]*", t):
            if norm(w) in keys:
                seen[norm(w)][w] += 1
    return {k: sorted(seen[k].items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for k in keys if seen[k]}


def _first_by(rows: list[dict], key: Callable[[dict], float]) -> list[dict]:
    """`rows` by `key` then number, both descending, a missing (NaN) key last: a frame's
    sort_values([key, "number"], ascending=False), over plain rows."""
    def order(r: dict) -> tuple:
        v = float(key(r))
        return (math.isnan(v), -v if not math.isnan(v) else 0.0, -int(r["number"]))
    return sorted(rows, key=order)


def _risk_evidence(tag: str, g: list[dict], p: str | None, files_of: dict, facts: dict, tax: Taxonomy,
                   li: int) -> dict:
    """The concrete files, dependencies, platforms or modules behind a risk tag's PRs (`g`, the
    week's rows with the tag; `p`, its probability column when the model predicts it)."""
    nums = [int(r["number"]) for r in g]
    out: dict = {}
    if tag in ("core-path", "interface", "bug-inducing"):
        test = {"core-path": lambda p: tax.info(p).core, "interface": lambda p: tax.info(p).interface,
                "bug-inducing": lambda p: tax.info(p).source}[tag]
        c = Counter(f["filename"] for num in nums for f in files_of[num] if test(f["filename"]))
        out["files"] = [{"file": f, "prs": k} for f, k in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
    if tag == "dependency":
        out["deps"] = [d for num in nums for d in facts[num]["deps"]][:3]
        c = Counter(p for num in nums for p in {f["filename"] for f in files_of[num] if tax.info(f["filename"]).dependency})
        out["files"] = [{"file": f, "prs": k} for f, k in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
    if tag == "platform":
        c = Counter(p for num in nums for p in facts[num]["platforms"])
        out["platforms"] = [{"name": p, "prs": k} for p, k in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
        hw = Counter(h for num in nums for h in facts[num]["hardware"])
        out["hardware"] = [h for h, _ in sorted(hw.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
    if tag == "missing-tests":
        c = Counter(r["module"] for r in g)
        out["modules"] = [{"name": tax.names(m)[li], "prs": k} for m, k in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
    if p and g:
        # Every PR tied at the top (an isotonic plateau gives several the same probability).
        top = max(round(float(r[p]), 4) for r in g)
        tied = [int(r["number"]) for r in _first_by(g, lambda r: r[p]) if round(float(r[p]), 4) == top]
        out["max"] = {"numbers": tied, "number": tied[0], "p": round(top, 2)}
    return out


def _story(g: list[dict], key: tuple[str, str], name: str, zh: bool, facts: dict, churn_of: dict[int, int],
           past_ents: Counter, past_feature: set, module_counts: Counter, trailing_modules: Counter,
           n_trailing_spans: int) -> dict:
    kind, k = key
    g = sorted(g, key=lambda r: (-r["importance"], -int(r["number"])))
    nums = [int(r["number"]) for r in g]
    kinds = Counter(r["kind_id"] for r in g)
    count = len(g)
    fixes = kinds.get("fix", 0)
    if kind == "module":
        before = trailing_modules.get(k, 0) / n_trailing_spans
    else:
        before = past_ents.get(key, 0) / STORY_WEEKS
    gains = [{"number": num, **x} for num in nums for x in facts[num]["gains"]][:3]
    hardware = sorted({h for num in nums for h in facts[num]["hardware"]})[:4]
    churn = sum(churn_of.get(num, 0) for num in nums)
    refactors = kinds.get("refactor", 0)
    if kind != "module" and past_ents.get(key, 0) == 0:
        situation = "first"
    elif kind != "module" and fixes >= 3 and fixes >= 0.4 * count and (key in past_feature or kinds.get("feature", 0) + kinds.get("model", 0) > 0):
        situation = "fix_wave"
    elif count >= 2 * max(before, 1) and count - before >= 3:
        situation = "rising"
    elif refactors >= 0.4 * count and refactors >= 2:
        situation = "refactor"
    elif kinds.get("performance", 0) >= 0.4 * count or (gains and kinds.get("performance", 0) >= 0.25 * count):
        situation = "performance"
    else:
        situation = "steady"
    out = {"name": name, "kind": kind, "key": k, "count": count,
           "score": round(float(sum(r["importance"] for r in g[:3])), 3),
           "prs": [_pr_ref(r) for r in g[:3]],
           "numbers": nums,
           "kinds": [{"kind": kk, "name": KIND_WORDS[kk][0 if zh else 1], "count": c}
                     for kk, c in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:3]],
           "fixes": fixes, "situation": situation, "weekly_before": round(before, 1), "lines": churn,
           "gains": gains, "hardware": hardware,
           "new_models": [int(r["number"]) for r in g if r["kind_id"] == "model"]}
    if kind == "module":
        out["module_total"] = module_counts.get(k, count)
        out["elsewhere"] = out["module_total"] - count
    return out


# ---------------------------------------------------------------- charts and writing

def _charts(ctx: dict) -> dict[str, dict]:
    """Geometry of the page's three SVG charts; the templates draw them and write their captions."""
    out: dict[str, dict] = {}
    for key in ("themes", "risks"):
        data = ctx["charts"][key]
        top = max((c for _, c in data), default=0) or 1
        label_w, bar_w = 170, 200
        out[key] = {"kind": "bar", "caption": f"{key}_chart", "width": label_w + bar_w + 40,
                    "height": 24 * max(len(data), 1) + 6, "label_w": label_w,
                    "bars": [{"label": name if len(name) <= 24 else name[:23] + "…", "value": c,
                              "y": 3 + 24 * i, "w": round(bar_w * c / top, 1)} for i, (name, c) in enumerate(data)]}
    counts, edges = np.histogram(ctx["charts"]["importance"], bins=20, range=(0, 10))
    width, height, left, top_y, base = 420, 200, 40, 10, 166
    step = (width - left - 10) / len(counts)
    peak = int(counts.max()) if len(counts) and counts.max() > 0 else 1
    ystep = max(1, math.ceil(peak / 4))
    out["importance"] = {
        "kind": "hist", "caption": "importance_chart", "width": width, "height": height,
        "base": base, "top": top_y, "left": left, "max": peak,
        "bars": [{"x": round(left + i * step + 1, 1), "w": round(step - 2, 1),
                  "h": round((base - top_y) * c / peak, 1), "y": round(base - (base - top_y) * c / peak, 1),
                  "value": int(c), "label": f"{edges[i]:g}-{edges[i + 1]:g}"} for i, c in enumerate(counts)],
        "ticks": [{"x": round(left + i * 2 * step, 1), "label": str(i)} for i in range(0, 11)],
        "yticks": [{"y": round(base - (base - top_y) * v / peak, 1), "label": str(v)} for v in range(0, peak + 1, ystep)],
    }
    return out


CJK = "\u3400-\u4dbf\u4e00-\u9fff"
CJK_PUNCT = "，。、；：！？（）「」『』《》"


def cjk_spacing(text: str) -> str:
    """Chinese typesetting: a space between CJK and Latin letters, digits or `#`, none after CJK
    punctuation. Code spans and link targets are left as they are."""
    parts = re.split(r"(`[^`\n]*`|\]\([^)\s]*\))", text)
    for i in range(0, len(parts), 2):
        t = parts[i]
        t = re.sub(rf"([{CJK}])([A-Za-z0-9#\[`])", r"\1 \2", t)
        t = re.sub(rf"([A-Za-z0-9%\)\]`])([{CJK}])", r"\1 \2", t)
        t = re.sub(rf"([{CJK_PUNCT}]) +", r"\1", t)
        parts[i] = t
    out = "".join(parts)
    # A code span or a link next to CJK text gets its space too.
    out = re.sub(rf"([{CJK}])(`[^`\n]*`)", r"\1 \2", out)
    return re.sub(rf"(`[^`\n]*`|\]\([^)\s]*\))([{CJK}])", r"\1 \2", out)


def templates_digest() -> str:
    """The hash of every template's name and text: what a precompiled set must have been built from."""
    h = hashlib.sha256()
    for p in sorted(TEMPLATES.rglob("*.j2")):
        h.update(p.relative_to(TEMPLATES).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def precompiled_dirs(lang: str) -> list[Path] | None:
    """The precompiled templates of `lang` and those all languages share, when they were built
    from these templates by this Jinja version; None otherwise (the templates are then compiled
    from source, as always)."""
    dirs = [COMPILED / lang, COMPILED / "common"]
    current = {"jinja2": jinja2.__version__, "templates": templates_digest()}
    for d in dirs:
        try:
            if json.loads((d / "manifest.json").read_text(encoding="utf-8")) != current:
                return None
        except (OSError, ValueError):
            return None
    return dirs


@functools.lru_cache(maxsize=4)
def _env(lang: str, precompiled: bool = True) -> Environment:
    """One Jinja environment per language: templates compile once per process, or not at all
    when the package's precompiled modules match them (compiling a report's dozen templates took
    60 ms of every fresh `scorer score`). The modules are the package's own code, generated by
    `python -m scorer.report.precompile`; nothing is compiled into or loaded from a cache."""
    source = FileSystemLoader([str(TEMPLATES / lang), str(TEMPLATES)])
    built = precompiled_dirs(lang) if precompiled else None
    env = Environment(loader=ChoiceLoader([ModuleLoader([str(d) for d in built]), source]) if built else source,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      autoescape=False)
    env.filters["signed"] = lambda v: f"{v:+g}" if isinstance(v, (int, float)) else str(v)
    env.filters["plain"] = lambda text: str(text).replace("\\<", "<")  # Markdown's escaped `<`, for HTML
    env.filters["prlist"] = lambda nums: ", ".join(f"#{n}" for n in nums)
    # English plurals: {{ n | plural("PR") }} gives "1 PR", "3 PRs".
    # A paragraph written over several template lines, joined into one (no space between
    # Chinese sentences, one space between English ones).
    env.filters["oneline"] = lambda text: re.sub(r" {2,}", " ", ("" if lang == "zh" else " ").join(
        line.strip() for line in str(text).splitlines() if line.strip()))
    env.filters["plural"] = lambda n, word, many=None: f"{n} {word if n == 1 else (many or word + 's')}"
    env.filters["gain"] = lambda g: say_gain(g, lang)
    return env


GAIN_WORDS = {"throughput": ("吞吐", "throughput"), "ttft": ("TTFT", "TTFT"), "tpot": ("TPOT", "TPOT"),
              "itl": ("ITL", "ITL"), "latency": ("延迟", "latency"), "memory": ("内存占用", "memory"),
              "speedup": ("速度", "speed"), "e2e": ("端到端性能", "end-to-end performance")}


def say_gain(g: dict, lang: str) -> str:
    """A measured gain with its metric, direction and unit: 吞吐提升 13%, latency down 6.19%."""
    zh, en = GAIN_WORDS.get(g.get("metric", ""), ("性能", "performance"))
    up = g.get("direction", "up") == "up"
    part = g.get("scope") == "component"
    if lang == "zh":
        return f"{zh}{'提升' if up else '降低'} {g['text']}" + (" (组件级基准)" if part else "")
    return f"{en} {'up' if up else 'down'} {g['text']}" + (" (component benchmark)" if part else "")


def _sections(ctx: dict) -> list[tuple[str, str]]:
    """(section name, its Markdown) in the report's order."""
    env = _env(ctx["lang"])
    names = ["header", "empty"] if ctx["empty"] else SECTIONS
    out = [(s, env.get_template(f"{s}.md.j2").render(**ctx).rstrip("\n") + "\n") for s in names]
    if ctx["lang"] == "zh":
        out = [(s, cjk_spacing(md)) for s, md in out]
    return out


def render_markdown(ctx: dict) -> str:
    return "\n".join(md for _, md in _sections(ctx))


# Which chart sits beside which section of the page.
CHART_OF = {"themes": "themes", "top": "importance", "risks": "risks"}


def render_html(ctx: dict, sections: list[tuple[str, str]] | None = None) -> str:
    """The reader's page: headline cards, each section with its chart beside it, the top table
    with tag chips and each PR's reasons on demand. Same figures as report.md and report.json."""
    env = _env(ctx["lang"])
    charts = _charts(ctx) if not ctx["empty"] else {}
    parts = []
    for name, md in sections or _sections(ctx):
        html = (env.get_template("top.html.j2").render(ctx=ctx, heading=_md_to_html(md.split("\n", 1)[0]))
                if name == "top" else _md_to_html(md))
        parts.append({"name": name, "html": html, "chart": charts.get(CHART_OF.get(name, ""))})
    return env.get_template("report.html.j2").render(ctx=ctx, sections=parts)


def _md_to_html(md: str) -> str:
    """The small Markdown subset the templates emit: headings, paragraphs, lists, tables, links, code."""
    import html as h

    def inline(s: str) -> str:
        s = h.escape(s.replace("\\<", "<"), quote=False)
        s = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', s)
        s = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", s)
        return re.sub(r"`([^`]+)`", r"<code>\1</code>", s)

    out, lines, i = [], md.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        m = re.match(r"^(#{1,6})\s+(.*)", line)
        if m:
            lvl = len(m.group(1))
            out.append(f"<h{lvl}>{inline(m.group(2))}</h{lvl}>")
            i += 1
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
                i += 1
            body = [r for r in rows[1:] if not set("".join(r)) <= set("-: ")]
            out.append("<table><thead><tr>" + "".join(f"<th>{inline(c)}</th>" for c in rows[0]) + "</tr></thead><tbody>"
                       + "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in r) + "</tr>" for r in body)
                       + "</tbody></table>")
        elif re.match(r"^(\d+\.|-)\s", line):
            tag = "ol" if line[0].isdigit() else "ul"
            items = []
            while i < len(lines) and re.match(r"^(\d+\.|-)\s", lines[i]):
                items.append(re.sub(r"^(\d+\.|-)\s+", "", lines[i]))
                i += 1
            out.append(f"<{tag}>" + "".join(f"<li>{inline(x)}</li>" for x in items) + f"</{tag}>")
        else:
            para = []
            while i < len(lines) and lines[i].strip() and not re.match(r"^(#|\||-\s|\d+\.\s)", lines[i]):
                para.append(lines[i])
                i += 1
            out.append(f"<p>{inline(' '.join(para))}</p>")
    return "\n".join(out)


def write_report(ctx: dict, scores_writer, out_dir: Path, formats: list[str]) -> list[Path]:
    """Write scores.csv and the requested formats into `out_dir`, all or nothing."""
    sections = _sections(ctx)
    md = "\n".join(text for _, text in sections)
    with atomic_dir(out_dir) as tmp:
        scores_writer(tmp / "scores.csv")
        return [out_dir / "scores.csv"] + write_formats(tmp, out_dir, ctx, md, lambda: render_html(ctx, sections), formats)


def write_formats(tmp: Path, out_dir: Path, ctx: dict, md: str, html, formats: list[str]) -> list[Path]:
    """report.md / report.html / report.json of one report into `tmp` (the directory being built
    for `out_dir`); `html` renders the page only when it is asked for. Returns the final paths."""
    texts = {"md": lambda: md, "html": html,
             "json": lambda: json.dumps(json_safe(ctx, 6), indent=2, ensure_ascii=False) + "\n"}
    written = []
    for fmt in ("md", "html", "json"):
        if fmt in formats:
            (tmp / f"report.{fmt}").write_text(texts[fmt](), encoding="utf-8")
            written.append(out_dir / f"report.{fmt}")
    return written
