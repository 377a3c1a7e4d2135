"""The organisation report: one week of several repositories. Each repository keeps its own
report (its own bundle, taxonomy and point-in-time history); this one gathers them: a section
per repository, the stories found in more than one repository that week, and one top table
across all of them. Python picks every figure; the templates only render.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator

from ..prtext import STOPWORDS, title_terms
from ..prtext import names_key
from .org_claims import org_claims
from .stories import norm
from .render import cjk_spacing, md_to_html, report_env
from .week import TOP_TABLE_ROWS, display_term

NAMED_KINDS = ("model", "platform", "burst")  # stories that name a thing another repository can share
MIN_SHARED_PRS = 2  # a topic shared across repositories needs this many PRs in each
# How a title spells a name rather than a word: a digit, a capital after the first letter
# (DeepSeek, vLLM, MLA, Qwen3, MXFP4); a capitalised first letter alone is only a sentence start.
NAME_RE = re.compile(r"\d|^.+[A-Z]")


def named_stories(themes: list[dict]) -> Iterator[tuple[str, str, list[int]]]:
    """(normalized key, name, PR numbers) of a report's named stories (a model family, a platform,
    a burst): what another repository can share. The organisation report and its checker (which
    reads the themes back from a repository's report.json) both take them from here."""
    for t in themes:
        if t.get("kind") in NAMED_KINDS:
            yield norm(str(t["key"])), t["name"], t.get("numbers", [])


def shared_topics(weeks: list, titles: dict[str, list[tuple[int, str]]]) -> list[dict]:
    """Topics of the week in two or more repositories: named stories with the same key (a model
    family, a platform, a burst term), then content words of titles that at least MIN_SHARED_PRS
    PRs of each repository use and that some title spells as a name (capitals or digits: Qwen3,
    DeepSeek, MXFP4), biggest first."""
    members: dict[tuple[str, str], set[int]] = defaultdict(set)  # (repository, key) -> its named story's PRs
    names: dict[str, Counter] = defaultdict(Counter)
    for w in weeks:
        for key, name, numbers in named_stories(w.ctx.get("themes", [])):
            members[(w.repo, key)] |= set(numbers)
            names[key][name] += 1
    candidates = {key for _, key in members}
    all_titles = [t for rows in titles.values() for _, t in rows]
    own_names = {norm(part) for w in weeks for part in re.split(r"[/-]", w.repo)} | {norm(w.repo.split("/")[-1]) for w in weeks}
    for repo, rows in titles.items():
        per_term: dict[str, set[int]] = defaultdict(set)
        for num, title in rows:
            for term in title_terms(title):
                if term not in STOPWORDS and not term.isdigit():
                    per_term[norm(term)].add(num)
        candidates |= {key for key, nums in per_term.items() if len(nums) >= MIN_SHARED_PRS}
    # A topic's PRs in a repository are the ones its titles name (prtext.names_key: "qwen3" in
    # "add Dflash support for Qwen3.5", so one PR links a named story of one repository to
    # another) and the members of a named story with that key, nothing else: a reader can
    # recount them from the titles and the stories.
    out = []
    for key in sorted(candidates):
        by_repo = {repo: {num for num, title in rows if names_key(title, key)} | members.get((repo, key), set())
                   for repo, rows in titles.items()}
        repos = {r: nums for r, nums in by_repo.items() if nums and (len(nums) >= MIN_SHARED_PRS or names[key])}
        if names[key] and sum(len(n) for n in repos.values()) < MIN_SHARED_PRS + 1:
            continue
        if len(repos) < 2:
            continue
        name = names[key].most_common(1)[0][0] if names[key] else display_term(key, all_titles)
        if not names[key] and (not NAME_RE.search(name) or key in own_names):
            continue  # a common word (Attention, Performance) or the project's own name, not a topic
        out.append({"key": key, "name": name, "total": sum(len(n) for n in repos.values()),
                    "repos": [{"repo": r, "count": len(n), "numbers": sorted(n, reverse=True)[:5]}
                              for r, n in sorted(repos.items())]})
    out.sort(key=lambda t: (-t["total"], t["key"]))
    # A topic whose key contains another kept one's (qwen3 and qwen3-next) is folded into it.
    kept: list[dict] = []
    for t in out:
        if not any(t["key"] in k["key"] or k["key"] in t["key"] for k in kept):
            kept.append(t)
    return kept[:6]


def _all_tags(p: dict, lang: str) -> dict:
    """A top row with every tag: a repository's report leaves its week's common rule tags out of
    the rows and counts them under its table; the organisation's tables have no such note."""
    left = p.get("tags_left_out") or []
    if not left:
        return p
    from ..labels import tag_name

    return {**p, "tags": p["tags"] + [tag_name(t, lang) for t in left], "tag_ids": sorted(p["tag_ids"] + left),
            "tags_left_out": []}


def build_org_context(weeks: list, titles: dict[str, list[tuple[int, str]]], *, org: str, lang: str,
                      top_k: int | None) -> dict:
    """Every figure of the organisation report (its report.json), from the repositories' own
    report contexts (pipeline.WeekScores) and each repository's titles of the week."""
    weeks = sorted(weeks, key=lambda w: (-w.ctx["header"]["n_prs"], w.repo))
    first = weeks[0].ctx["header"]
    repos = []
    for w in weeks:
        h, s = w.ctx["header"], w.ctx.get("summary") or {}
        repos.append({"repo": w.repo, "display_name": h["display_name"], "n_prs": h["n_prs"],
                      "n_highlight": h["n_highlight"], "model": h["model"], "empty": w.ctx["empty"],
                      "summary": s, "themes": w.ctx.get("themes", [])[:4], "risks": w.ctx.get("risks", [])[:3],
                      "top": [_all_tags(p, lang) for p in w.ctx.get("top", [])[:5]],
                      "top_pool": [int(p["number"]) for p in w.ctx.get("top", [])]})
    top = [{**_all_tags(p, lang), "repo": w.repo, "display_name": w.ctx["header"]["display_name"]}
           for w in weeks for p in w.ctx.get("top", [])]
    top.sort(key=lambda p: (-p["importance"], p["repo"], -p["number"]))
    header = {"org": org, "period": first["period"], "year": first["year"], "week": first["week"],
              "date_range": first["date_range"], "start": first["start"], "end": first["end"], "tz": first["tz"],
              "n_prs": sum(r["n_prs"] for r in repos), "n_highlight": sum(r["n_highlight"] for r in repos),
              "n_repos": len(repos)}
    ctx = {"lang": lang, "kind": "organisation", "header": header, "repos": repos,
           "shared": shared_topics(weeks, titles), "top": top[:max(top_k or 0, TOP_TABLE_ROWS)]}
    ctx["claims"] = org_claims(ctx)
    return ctx


def render_org_markdown(ctx: dict) -> str:
    md = report_env(ctx["lang"]).get_template("org.md.j2").render(**ctx).rstrip("\n") + "\n"
    return cjk_spacing(md) if ctx["lang"] == "zh" else md


def render_org_html(ctx: dict, md: str) -> str:
    return report_env(ctx["lang"]).get_template("org.html.j2").render(ctx=ctx, body=md_to_html(md))
