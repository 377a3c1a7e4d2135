"""Section 5, the top table: the highlighted PRs (or the best ten), with their tags, story, facts
and the reasons the model gives."""

from __future__ import annotations

from collections.abc import Callable

from collections import Counter

from ...labels import RULE_TAGS, tag_name
from ..week import WeekData, pr_ref, top_table

# A rule tag on more than this share of the week's PRs says nothing about one PR: the table leaves
# it out of the rows and says how many it fired on ("missing tests" on 77 of 174 vLLM PRs in W18).
COMMON_RULE_SHARE = 0.25


def common_rule_tags(w: WeekData) -> list[dict]:
    """The rule tags too common this week to mark single PRs, with their counts, most first."""
    total = len(w.ranked)
    counts = Counter(t for r in w.ranked for t in r["tag_list"] if t in RULE_TAGS)
    return [{"tag": t, "name": tag_name(t, w.lang), "count": int(c), "total": total}
            for t, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if total and c > COMMON_RULE_SHARE * total]


def build(w: WeekData, top_k: int | None, story_name: Callable, repo: str,
          reasons: dict[int, list[str]] | Callable[[], dict[int, list[str]]] | None,
          common: list[dict] = ()) -> list[dict]:
    """The table's rows; a row's tags leave out the week's `common` rule tags."""
    rows, records, facts, lang = w.rows, w.records, w.facts, w.lang
    hidden = {c["tag"] for c in common}
    # Top table.
    if callable(reasons):  # still being worked out (score_week): wait for it here
        reasons = reasons()
    top = []
    for r in (records[num] for num in top_table(rows, top_k)):
        num = int(r["number"])
        shown = [t for t in r["tag_list"] if t not in hidden]
        top.append({**pr_ref(r), "title": r["title_clean"], "tags": [tag_name(t, lang) for t in shown],
                    "tag_ids": shown, "tags_left_out": sorted(set(r["tag_list"]) & hidden),
                    "story": story_name(r["story"]), "facts": facts[num],
                    "reasons": (reasons or {}).get(num, []),
                    "url": f"https://github.com/{repo}/pull/{num}"})

    return top
