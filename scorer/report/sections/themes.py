"""Section 2, the week's stories: which PRs tell one story (scorer.report.stories finds the named
things), what situation each story is in (first appearance, fix wave, rising, refactor,
performance), and which are shown."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pandas as pd

from ...prtext import PREFIX_ALIASES, STOPWORDS, classify_pr, names_a_topic
from ...taxonomy import Taxonomy
from ..render import report_env
from ..zhtitle import rewrite
from ..stories import (MIN_STORY_PRS, acronym_aliases, assign_stories, contains_any, display_names,
                       key_prefixes, model_vocabulary, norm, pr_entities, versioned_prefix)
from ..week import (KIND_WORDS, MAX_STORIES, STORY_WEEKS, WeekData, display_term, look_back_terms, platform_display,
                    pr_ref, vocab_window)


def build(w: WeekData, vocab: dict[str, str] | None) -> dict:
    """The week's stories: each PR's named story (a model family, a platform, a bursting topic, else
    its area) and its one-line summary, set on `w.rows`/`w.records`; returns the stories shown
    (named ones first, at most half the headings, then the busiest areas), the rest summed, and
    how a story key reads in prose."""
    rows, prs, tax, lang, li = w.rows, w.prs, w.tax, w.lang, w.li
    start, end, files_of, facts = w.start, w.end, w.files_of, w.facts
    zh = lang == "zh"
    wanted = set(w.files_of)
    trailing_modules, n_trailing_spans = w.trailing_modules, w.n_trailing_spans
    platform_names = platform_spellings(prs.loc[prs["merged_at"] >= start - pd.Timedelta(weeks=STORY_WEEKS), "title"], tax)
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
    bursts = [b for b in burst_themes(rows, prs, start)
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
            return display_term(k, list(rows["title"]))
        return tax.names(k)[li]

    rows["story"] = [story_of[int(x)] for x in rows["number"]]
    rows["entity"] = [names.get(title_family[int(x)], "") for x in rows["number"]]
    summary_tpl = report_env(lang).get_template("pr_summary.j2")
    # The week's rows as plain dicts, in ranked order, for every per-PR pass below: a filter or
    # sort of the frame costs ~1 ms however few rows it has.
    records = {int(r["number"]): r for r in rows.to_dict("records")}
    for num, r in records.items():
        zh_title = rewrite(r["title"], tax.glossary) if zh else None
        r["summary"] = re.sub(r"\s+", " ", summary_tpl.render(
            kind=r["kind_id"], title=r["title_clean"], area=r["area"], entity=r["entity"], facts=facts[num],
            zh_title=zh_title.text if zh_title and zh_title.fitted else None)).strip()
    rows["summary"] = [r["summary"] for r in records.values()]

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
        stories.append(story(g, key, story_name(key), zh, facts, churn_of, past_ents, past_feature, module_counts,
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
    w.rows, w.records = rows, records
    return {"shown": shown, "rest": stories_rest, "story_name": story_name}


def burst_themes(period_rows: pd.DataFrame, history: pd.DataFrame, start: pd.Timestamp, weeks: int = 8,
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
    out = [t for t in out if re.search(r"[A-Z0-9]", display_term(t["term"], titles))]
    kept: list[dict] = []
    for t in out:
        if not any(t["term"] in k["term"] or k["term"] in t["term"] for k in kept):
            kept.append(t)
    return kept[:3]


def burst_is_topic(term: str, prs: list[tuple[str, str]]) -> bool:
    """Whether a bursting title term can name a story (`prs`: (title, kind) of the week's PRs whose
    titles use it): a topic by prtext.names_a_topic, and not a burst of docs edits (a docs week)."""
    if not prs or sum(k == "docs" for _, k in prs) * 2 >= len(prs):
        return False
    titles = [t for t, _ in prs]
    return names_a_topic(display_term(term, titles), titles, MIN_STORY_PRS)


def platform_spellings(titles: pd.Series, tax: Taxonomy) -> dict[str, str]:
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


def story(g: list[dict], key: tuple[str, str], name: str, zh: bool, facts: dict, churn_of: dict[int, int],
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
           "prs": [pr_ref(r) for r in g[:3]],
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
