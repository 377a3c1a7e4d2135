"""The organisation report's sentences as claims. Its rows are every repository's scored PRs of
the week, each identified as `owner/name#number`; what each repository's section repeats of its
own report (counts, stories, risks, top PRs) is claimed again over that repository's rows, and a
shared topic's PRs must be the ones whose titles name it or that belong to a named story with
its key (prtext.names_key, org.named_stories)."""

from __future__ import annotations

from .claims import _c


def pr_id(repo: str, number: int) -> str:
    return f"{repo}#{int(number)}"


def org_claims(ctx: dict) -> list[dict]:
    out: list[dict] = []
    h = ctx["header"]
    _c(out, "count", "header.n_prs", where={}, value=h["n_prs"])
    _c(out, "count", "header.n_highlight", where={"highlight": True}, value=h["n_highlight"])
    _c(out, "stat", "header.n_repos", stat="distinct", column="repo", where={}, value=h["n_repos"])
    for r in ctx["repos"]:
        repo = r["repo"]
        mine = {"is": {"repo": repo}}
        rid = f"repos.{repo}"
        _c(out, "count", f"{rid}.n_prs", where=mine, value=r["n_prs"])
        _c(out, "count", f"{rid}.n_highlight", where={**mine, "highlight": True}, value=r["n_highlight"])
        for k in (r["summary"] or {}).get("kinds", []):
            _c(out, "count", f"{rid}.kinds.{k['kind']}", where={**mine, "kind": k["kind"]}, value=k["count"])
        for t in r["themes"]:
            _c(out, "count", f"{rid}.themes.{t['kind']}.{t['key']}", where={"in": [pr_id(repo, n) for n in t["numbers"]]},
               value=t["count"])
        for k in r["risks"]:
            _c(out, "count", f"{rid}.risks.{k['tag']}", where={**mine, "tag": k["tag"]}, value=k["count"])
        if r["top"]:
            _c(out, "top", f"{rid}.top", column="importance", where=mine, prs=[pr_id(repo, p["number"]) for p in r["top"]])
        for p in r["top"]:
            _c(out, "row", f"{rid}.top.{p['number']}.importance", pr=pr_id(repo, p["number"]), column="importance",
               value=p["importance"], digits=1)
            _c(out, "row", f"{rid}.top.{p['number']}.tags", pr=pr_id(repo, p["number"]), column="tags",
               value=sorted(p["tag_ids"]))
    for t in ctx["shared"]:
        for r in t["repos"]:
            where = {"is": {"repo": r["repo"]}, "topic": t["key"]}
            sid = f"shared.{t['key']}.{r['repo']}"
            _c(out, "count", sid, where=where, value=r["count"])
            _c(out, "prs", f"{sid}.prs", where=where, prs=[pr_id(r["repo"], n) for n in r["numbers"]])
        _c(out, "count", f"shared.{t['key']}.total", where={"topic": t["key"]}, value=t["total"])
        _c(out, "name", f"shared.{t['key']}.name", name=t["name"])
    if ctx["top"]:
        # Drawn from the repositories' own top tables (their highlighted PRs), as the prose says.
        pool = [pr_id(w["repo"], n) for w in ctx["repos"] for n in w.get("top_pool", [])]
        _c(out, "top", "top", column="importance", where={"in": pool},
           prs=[pr_id(p["repo"], p["number"]) for p in ctx["top"]])
    for p in ctx["top"]:
        _c(out, "row", f"top.{p['repo']}#{p['number']}.importance", pr=pr_id(p["repo"], p["number"]),
           column="importance", value=p["importance"], digits=1)
    return out
