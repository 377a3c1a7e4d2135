"""Section 4, risks: each risk tag's PRs, the concrete files, dependencies, platforms or modules
behind them, the threshold as stated, and the optimisations verified on one hardware only."""

from __future__ import annotations

from collections import Counter

from ...labels import NON_RISK_TAGS, tag_name
from ...taxonomy import Taxonomy
from ..week import WeekData, first_by, pr_ref, stated_threshold


def build(w: WeekData, tags_ranked: list[tuple[str, int]], tag_probs: dict[str, float] | None) -> dict:
    """risks (one per risk tag the week has, most tagged first), each decided tag's threshold as
    the report states it (`stated`), and the single-hardware note."""
    rows, ranked, tax, lang, li, files_of, facts = w.rows, w.ranked, w.tax, w.lang, w.li, w.files_of, w.facts
    # Risks, each with the concrete thing behind it.
    risks = []
    for tag, c in tags_ranked:
        if tag in NON_RISK_TAGS:
            continue
        g = [r for r in ranked if tag in r["tag_list"]]
        p = f"p:{tag}" if f"p:{tag}" in rows else None
        rep = first_by(g, lambda r: (r[p] if p else 1.0) * r["importance"])[:3]
        risks.append({"tag": tag, "name": tag_name(tag, lang), "count": int(c),
                      "source": "model" if p else "rule",
                      "prs": [pr_ref(r) for r in rep], "evidence": risk_evidence(tag, g, p, files_of, facts, tax, li)})
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

    return {"risks": risks, "stated": stated, "hardware_note": hw_note}


def risk_evidence(tag: str, g: list[dict], p: str | None, files_of: dict, facts: dict, tax: Taxonomy,
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
        out["modules"] = [{"name": tax.names(m)[li], "module": m, "prs": k}
                          for m, k in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
    if p and g:
        # Every PR tied at the top (an isotonic plateau gives several the same probability).
        top = max(round(float(r[p]), 4) for r in g)
        tied = [int(r["number"]) for r in first_by(g, lambda r: r[p]) if round(float(r[p]), 4) == top]
        out["max"] = {"numbers": tied, "number": tied[0], "p": round(top, 2)}
    return out
