"""Section 5, the top table: the highlighted PRs (or the best ten), with their tags, story, facts
and the reasons the model gives."""

from __future__ import annotations

from collections.abc import Callable

from ...labels import tag_name
from ..week import WeekData, pr_ref, top_table


def build(w: WeekData, top_k: int | None, story_name: Callable, repo: str,
          reasons: dict[int, list[str]] | Callable[[], dict[int, list[str]]] | None) -> list[dict]:
    rows, records, facts, lang = w.rows, w.records, w.facts, w.lang
    # Top table.
    if callable(reasons):  # still being worked out (score_week): wait for it here
        reasons = reasons()
    top = []
    for r in (records[num] for num in top_table(rows, top_k)):
        num = int(r["number"])
        top.append({**pr_ref(r), "title": r["title_clean"], "tags": [tag_name(t, lang) for t in r["tag_list"]],
                    "tag_ids": list(r["tag_list"]),
                    "story": story_name(r["story"]), "facts": facts[num],
                    "reasons": (reasons or {}).get(num, []),
                    "url": f"https://github.com/{repo}/pull/{num}"})

    return top
