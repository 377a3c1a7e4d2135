"""Section 1, the executive summary: the week's counts against the week before, its lead story,
new models, end-to-end gains, kinds, hot files, risk tags and rising areas."""

from __future__ import annotations

from ...labels import tag_name
from ..week import KIND_WORDS, WeekData


def build(w: WeekData, header: dict, shown: list[dict], risks: list[dict], rising: list[dict],
          tags_ranked: list[tuple[str, int]], kind_counts, hot_files: list[dict]) -> dict:
    rows, facts, lang, li = w.rows, w.facts, w.lang, w.li
    n, has_prev, prev = len(rows), w.has_prev, w.prev_count
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
        "prev_n_prs": prev if has_prev else None,
        "delta_prs": (n - prev) if has_prev else None,
        "rising": [t["name"] for t in rising[:3]],
    }

    return summary
