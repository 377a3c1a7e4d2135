"""Section 6, recommendations: what to review, each by a rule over the week's figures and naming
its PRs and areas."""

from __future__ import annotations

from collections import Counter

from ..week import WeekData, first_by, top_modules

BUG_REVIEW_P = 0.4  # a bug-inducing probability worth a first review


def build(w: WeekData, shown: list[dict], stated: dict[str, float], tag_probs: dict[str, float] | None,
          hw_note: dict | None) -> list[dict]:
    rows, ranked, records, facts, tax, li = w.rows, w.ranked, w.records, w.facts, w.tax, w.li
    # Recommendations by rule, each naming PRs and modules.
    recs = []
    no_tests = [r for r in ranked if r["highlight"] == 1 and "missing-tests" in r["tag_list"]]
    if len(no_tests) >= 2:
        recs.append({"rule": "tests", "prs": [int(r["number"]) for r in no_tests[:5]], "count": len(no_tests),
                     **_areas([r["module"] for r in no_tests], tax, li)})
    core = [r for r in ranked if "core-path" in r["tag_list"]]
    if len(core) >= 3:
        recs.append({"rule": "core", "prs": [int(r["number"]) for r in core[:5]], "count": len(core),
                     **_areas([r["module"] for r in core], tax, li)})
    dep = [int(r["number"]) for r in ranked if "dependency" in r["tag_list"]]
    if len(dep) >= 1:
        pins = [d for num in dep for d in facts[num]["deps"]]
        recs.append({"rule": "dependency", "prs": dep[:5], "count": len(dep), "deps": pins[:4]})
    if "p:bug-inducing" in rows:
        # The PRs the risk section counts under the tag (the bundle's threshold), or, when the
        # bundle decides no such tag, those at BUG_REVIEW_P or above: one count for one thing.
        at = (tag_probs or {}).get("bug-inducing")
        risky = first_by([r for r in ranked if ("bug-inducing" in r["tag_list"] if at is not None
                                                 else r["p:bug-inducing"] >= BUG_REVIEW_P)], lambda r: r["p:bug-inducing"])
        if len(risky):
            recs.append({"rule": "bug", "prs": [int(r["number"]) for r in risky[:5]], "count": len(risky),
                         "p": round(float(risky[0]["p:bug-inducing"]), 2),
                         "min_p": stated["bug-inducing"] if at is not None else BUG_REVIEW_P,
                         "decided": at is not None,
                         **_areas([r["module"] for r in risky], tax, li)})
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
    return recs


def _areas(modules: list[str], tax, li: int) -> dict:
    """The two areas most of a recommendation's PRs are in: names for the prose, ids for its claim."""
    ids = top_modules(modules)
    return {"modules": [tax.names(m)[li] for m in ids], "module_ids": ids}
