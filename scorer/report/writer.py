"""The weekly report's context (report.json): every figure and chosen sentence, in plain data.
`build_context` reads the week once (scorer.report.week) and composes the sections, one module
each under scorer.report.sections: summary, stories, trends, risks, the top table and the
recommendations; the claims (scorer.report.claims) are read off the result. The templates only
render it (scorer.report.render).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pandas as pd

from ..taxonomy import Taxonomy
from .claims import weekly_claims
from .sections import notice, recommendations, risks, summary, themes, top, trends
from .week import BUG_WINDOW_DAYS, STORY_WEEKS, hot_files, read_week, tag_ranking


def build_context(scores: pd.DataFrame, prs: pd.DataFrame, tax: Taxonomy, *, start: pd.Timestamp,
                  end: pd.Timestamp, period: str, tz: str, lang: str, model_name: str, model_version: str,
                  highlight_at: float, top_k: int | None,
                  reasons: dict[int, list[str]] | Callable[[], dict[int, list[str]]] | None = None,
                  tag_probs: dict[str, float] | None = None, first_merged: pd.Timestamp | None = None,
                  vocab: dict[str, str] | None = None, track: dict | None = None) -> dict:
    """Every figure and chosen sentence of the report, in plain data (this is report.json).

    `prs` must hold the PRs merged from `context_since(start, end, vocab is not None)` to `end`
    (the whole table will do); `first_merged` is the table's first merge time when `prs` holds
    only that window; `vocab` is `model_vocabulary` of the year before `end` (vocab_window),
    when the caller has it (a cache) and `prs` does not reach that far."""
    # The look-back's titles are read by several passes: as Python strings once, not through an
    # Arrow-backed column's per-item iterator each time (same values either way).
    prs = prs.astype({c: object for c in ("title", "body") if c in prs.columns and prs[c].dtype != object})
    repo = str(prs["repo"].iloc[0]) if len(prs) else ""
    w = read_week(scores, prs, tax, start=start, end=end, lang=lang, highlight_at=highlight_at, top_k=top_k,
                  first_merged=first_merged)
    local_end = end - pd.Timedelta(seconds=1)
    header = {
        "display_name": tax.display_name or repo.split("/")[-1], "repo": repo, "period": period,
        "year": int(start.isocalendar()[0]), "week": int(start.isocalendar()[1]) if period.count("-W") else None,
        "date_range": f"{start:%m/%d} - {local_end:%m/%d}", "start": f"{start:%Y-%m-%d}", "end": f"{local_end:%Y-%m-%d}",
        "tz": tz, "n_prs": len(w.rows), "n_highlight": int(w.rows["highlight"].sum()), "model": model_name,
        "model_version": model_version,
    }
    ctx: dict = {"lang": lang, "header": header,
                 "highlighted": [int(x) for x in w.rows.loc[w.rows["highlight"] == 1, "number"]]}
    if not len(w.rows):
        ctx["empty"] = True
        ctx["claims"] = weekly_claims(ctx)
        return ctx
    ctx["empty"] = False
    stories = themes.build(w, vocab)  # names each PR's story and writes its summary: first
    shown = stories["shown"]
    tr = trends.build(w)
    tags_ranked = tag_ranking(w)
    rk = risks.build(w, tags_ranked, tag_probs)
    ctx.update({
        "summary": summary.build(w, header, shown, rk["risks"], tr["rising"], tags_ranked, Counter(w.rows["kind_id"]),
                                 hot_files(w)),
        "themes": shown, "themes_rest": stories["rest"], **tr, "risks": rk["risks"], "hardware_note": rk["hardware_note"],
        "top_common": (common := top.common_rule_tags(w)),
        "top": top.build(w, top_k, stories["story_name"], repo, reasons, common),
        "notice": notice.build(w, repo),
        "track": track,  # the model's track record (sections.track), when the ledger and the outcomes are given
        "recommendations": recommendations.build(w, shown, rk["stated"], tag_probs, rk["hardware_note"]),
        "has_prev": w.has_prev, "story_weeks": STORY_WEEKS, "trailing_spans": w.n_trailing_spans,
        "bug_window_days": BUG_WINDOW_DAYS,
        "charts": {"themes": [(t["name"], t["count"]) for t in shown],
                   "importance": [round(float(x), 1) for x in w.rows["importance"]],
                   "risks": [(r["name"], r["count"]) for r in rk["risks"]]},
    })
    ctx["claims"] = weekly_claims(ctx)
    return ctx
