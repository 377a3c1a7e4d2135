"""A GitHub check run for a pull request: scorer's verdict where the review happens.

What a check run says:
- a one-line title: the importance and the decided risk tags;
- a summary in the repository's report language. It gives the calibrated probabilities with
  how they were calibrated, the recommended review level with the rule behind it, the reasons
  in words, the riskiest files, and up to five similar merged PRs that were later blamed by a
  fix, with links.

The conclusion is `neutral`, or `action_required` when a risk probability reaches the gate the
maintainers set (`--gate`), so that the check can act as a soft gate.

The similar PRs come from `SimilarIndex`, built once from the history in memory. It holds the
merged PRs blamed by a fix, with the files and modules each touched. It answers point in time,
like every feature: a past PR counts only if it merged before the PR asked about and its
blaming fix had merged by then too.

Posting follows GitHub's rules: one check run named `scorer` per head SHA. A run that exists
for the SHA is updated, never duplicated. A write that may have happened (a 5xx answer, a
dropped connection) is retried only after looking up what exists.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from .errors import ScorerError

CHECK_NAME = "scorer"
SHA_RE = re.compile(r"^[0-9a-f]{40}$")
REF_RE = re.compile(r"^(?P<repo>[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100})#(?P<number>[1-9][0-9]{0,9})$")
MAX_SIMILAR = 5
MODULE_WEIGHT = 0.5  # a shared module counts half a shared file
MAX_INDEXED_FILES = 100  # blamed PRs touching more files are sweeping changes, not like anything
TEMPLATES = Path(__file__).parent / "report" / "templates" / "eval"


def parse_ref(ref: str) -> tuple[str, int]:
    """OWNER/NAME#N as given on the command line."""
    m = REF_RE.match(ref.strip())
    if not m or any(part in (".", "..") for part in m.group("repo").split("/")):
        raise ScorerError(f"expected OWNER/NAME#NUMBER, like vllm-project/vllm#40860; got {ref[:120]!r}")
    return m.group("repo"), int(m.group("number"))


@dataclass
class SimilarIndex:
    """Past merged PRs later blamed by a fix, by file and module, for `query`."""
    repo: str
    entries: list[dict] = field(default_factory=list)
    by_file: dict[str, list[int]] = field(default_factory=dict)
    by_module: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, history: pd.DataFrame, blamed: pd.DataFrame | None, tax, repo: str) -> "SimilarIndex":
        """`blamed`: each blamed PR's first blaming fix (scorer.monitor.first_fixes)."""
        index = cls(repo)
        if blamed is None or history is None or not len(history):
            return index
        fixed = blamed.drop_duplicates("number").set_index("number")["first_fix_at"]
        rows = history[history["number"].isin(fixed.index) & (history["repo"] == repo)]
        for num, title, merged, files in zip(rows["number"], rows["title"], rows["merged_at"], rows["files"]):
            index.add(int(num), str(title), merged, fixed[num], [f["filename"] for f in files], tax)
        return index

    def add(self, number: int, title: str, merged_at, blamed_at, paths: list[str], tax) -> None:
        """One blamed PR joins the index (a merged PR whose blame arrives later is added then).
        A sweeping change (over MAX_INDEXED_FILES files: a formatter, a typing update) is left
        out: a fix blames it for lines it only touched."""
        if len(paths) > MAX_INDEXED_FILES:
            return
        files = _source_files(paths, tax)
        modules = frozenset(tax.info(p).module for p in paths) - {"other"}
        i = len(self.entries)
        self.entries.append({"number": number, "title": title, "merged_at": pd.Timestamp(merged_at),
                             "blamed_at": pd.Timestamp(blamed_at), "files": files, "modules": modules})
        for f in files:
            self.by_file.setdefault(f, []).append(i)
        for m in modules:
            self.by_module.setdefault(m, []).append(i)

    def query(self, paths: list[str], at: pd.Timestamp, tax, k: int = MAX_SIMILAR, exclude: int | None = None) -> list[dict]:
        """The k nearest blamed PRs by shared files (Jaccard) plus half their shared modules'
        Jaccard. Only PRs merged before `at` and blamed by `at` count."""
        files = _source_files(paths, tax)
        modules = frozenset(tax.info(p).module for p in paths) - {"other"}
        at = pd.Timestamp(at)
        candidates = {i for f in files for i in self.by_file.get(f, ())}
        candidates |= {i for m in modules for i in self.by_module.get(m, ())}
        scored = []
        for i in candidates:
            e = self.entries[i]
            if e["number"] == exclude or not (e["merged_at"] < at and e["blamed_at"] <= at):
                continue
            fj = len(files & e["files"]) / len(files | e["files"]) if files | e["files"] else 0.0
            mj = len(modules & e["modules"]) / len(modules | e["modules"]) if modules | e["modules"] else 0.0
            score = fj + MODULE_WEIGHT * mj
            if score > 0:
                scored.append((-score, -e["merged_at"].value, e["number"], e, fj, sorted(files & e["files"])))
        scored.sort(key=lambda t: t[:3])
        return [{"number": e["number"], "title": e["title"], "url": f"https://github.com/{self.repo}/pull/{e['number']}",
                 "similarity": round(-s, 3), "shared_files": shared[:3], "merged_at": f"{e['merged_at']:%Y-%m-%d}",
                 "blamed_at": f"{e['blamed_at']:%Y-%m-%d}"} for s, _, _, e, _, shared in scored[:k]]


def _source_files(paths: list[str], tax) -> frozenset:
    """The paths a fix can blame (source code, not tests or docs); all of them when none is."""
    src = frozenset(p for p in paths if tax.info(p).source and not tax.info(p).test)
    return src or frozenset(paths)


# ---------------------------------------------------------------- the verdict

def review_level(tags: dict, card: dict) -> dict:
    """The recommended review level and the rule that chose it. A decided risk tag (p at or
    above its threshold) asks for two reviewers. A risk probability of at least twice the tag's
    base rate asks for a reviewer who knows the module. Anything else gets a standard review."""
    from .labels import NON_RISK_TAGS

    base = {t: v.get("base_rate") for t, v in ((card.get("validation") or {}).get("tags") or {}).items()
            if isinstance(v, dict)}
    risks = {t: v for t, v in tags.items() if t not in NON_RISK_TAGS}
    decided = sorted(t for t, v in risks.items() if v.get("decided"))
    if decided:
        return {"level": "high", "tags": decided}
    elevated = sorted(t for t, v in risks.items() if isinstance(base.get(t), (int, float)) and base[t] > 0
                      and v["probability"] >= 2 * base[t])
    if elevated:
        return {"level": "elevated", "tags": elevated}
    return {"level": "standard", "tags": []}


def risky_files(record: dict, tax, n: int = 5) -> list[dict]:
    """The PR's files a reviewer should read first: core and interface paths, then by lines changed."""
    out = []
    for f in record.get("files") or []:
        info = tax.info(f["filename"])
        lines = (f.get("additions") or 0) + (f.get("deletions") or 0)
        out.append({"path": f["filename"], "lines": int(lines), "core": bool(info.core), "interface": bool(info.interface)})
    out.sort(key=lambda f: (-(f["core"] or f["interface"]), -f["lines"], f["path"]))
    return out[:n]


def build_check(result: dict, record: dict, card: dict, similar: list[dict], tax, *, lang: str = "en",
                head_sha: str, gate: float | None = None, model_id: str = "") -> dict:
    """The check run's body (POST /repos/{owner}/{repo}/check-runs) for one scored PR."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from .labels import NON_RISK_TAGS, tag_name

    if not SHA_RE.match(head_sha or ""):
        raise ScorerError("the pull request's head SHA is not 40 hex digits", field="head.sha")
    tags = result["tags"]
    level = review_level(tags, card)
    level["names"] = [tag_name(t, lang) for t in level["tags"]]
    risks = {t: v for t, v in tags.items() if t not in NON_RISK_TAGS}
    gated = sorted(t for t, v in risks.items() if gate is not None and v["probability"] >= gate)
    valid = (card.get("validation") or {}).get("tags") or {}
    probs = [{"tag": t, "name": tag_name(t, lang), "p": v["probability"], "threshold": v["threshold"],
              "decided": v["decided"], "calibration": (valid.get(t) or {}).get("calibration", ""),
              "rows": (valid.get(t) or {}).get("calibration_rows") or (valid.get(t) or {}).get("rows"),
              "ece": (valid.get(t) or {}).get("ece"), "range": (valid.get(t) or {}).get("probability_range"),
              "base_rate": (valid.get(t) or {}).get("base_rate")} for t, v in risks.items()]
    decided = [p["name"] for p in probs if p["decided"]]
    if lang == "zh":
        title = f"重要性 {result['importance']:.1f}" + (f" · {'、'.join(decided)}" if decided else " · 未判定风险")
    else:
        title = f"importance {result['importance']:.1f}" + (f" · {', '.join(decided)}" if decided else " · no risk decided")
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined, autoescape=False,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    ctx = {"lang": lang, "result": result, "probs": probs, "level": level, "similar": similar,
           "files": risky_files(record, tax), "gate": gate, "gated": gated, "model_id": model_id,
           "reasons": result.get("reasons") or []}
    summary = env.get_template("check.md.j2").render(**ctx).strip() + "\n"
    return {"name": CHECK_NAME, "head_sha": head_sha, "status": "completed",
            "conclusion": "action_required" if gated else "neutral",
            "output": {"title": title[:255], "summary": summary[:65_000]}}


# ---------------------------------------------------------------- GitHub

def fetch_pull(client, repo: str, number: int) -> tuple[dict, list[dict], str]:
    """The PR's record (canonical fields, its files) and head SHA, from the API."""
    from .ingest.github import FILES_CAP, check_item, pr_record

    detail, _ = client.get(f"/repos/{repo}/pulls/{number}")
    if not isinstance(detail, dict):
        raise ScorerError(f"GET /repos/{repo}/pulls/{number}: expected a JSON object")
    head = detail.get("head")
    sha = head.get("sha") if isinstance(head, dict) else None
    if not isinstance(sha, str) or not SHA_RE.match(sha):
        raise ScorerError(f"GET /repos/{repo}/pulls/{number}: head.sha is missing or not 40 hex digits",
                          field="head.sha")
    check_item(detail, f"/repos/{repo}/pulls/{number}", "pull_request")
    files: list[dict] = []
    for page in client.pages(f"/repos/{repo}/pulls/{number}/files", {"per_page": 100}):
        files += [check_item(f, f"/repos/{repo}/pulls/{number}/files", "file") for f in page]
        if len(files) >= FILES_CAP:
            break
    detail = dict(detail)
    if not detail.get("merged_at"):  # open: scored as if it merged now, as the webhook does
        detail["merged_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return pr_record(repo, detail, files[:FILES_CAP], []), files, sha


@dataclass
class Posted:
    check_run_id: int
    action: str  # "created" or "updated"


def post_check(client, repo: str, body: dict, tries: int = 5, sleep: Callable[[float], None] = time.sleep) -> Posted:
    """Create the head SHA's check run, or update the one that exists (a redelivered event, a
    re-run): never two runs for one SHA. A write that may have happened is retried after
    looking again."""
    from .ingest.github import RetryableWrite

    sha = body["head_sha"]
    for attempt in range(1, tries + 1):
        try:
            listing, _ = client.get(f"/repos/{repo}/commits/{sha}/check-runs", {"check_name": CHECK_NAME})
            runs = listing.get("check_runs") if isinstance(listing, dict) else None
            if not isinstance(runs, list):
                raise ScorerError(f"GET /repos/{repo}/commits/{sha}/check-runs: expected check_runs")
            ours = [r for r in runs if isinstance(r, dict) and r.get("name") == CHECK_NAME
                    and isinstance(r.get("id"), int) and not isinstance(r.get("id"), bool)]
            if ours:
                run_id = min(r["id"] for r in ours)
                client.write("PATCH", f"/repos/{repo}/check-runs/{run_id}",
                             {k: v for k, v in body.items() if k != "head_sha"})
                return Posted(run_id, "updated")
            made = client.write("POST", f"/repos/{repo}/check-runs", body)
            run_id = made.get("id") if isinstance(made, dict) else None
            if not isinstance(run_id, int) or isinstance(run_id, bool):
                raise ScorerError(f"POST /repos/{repo}/check-runs: the answer has no check run id")
            return Posted(run_id, "created")
        except RetryableWrite:
            if attempt == tries:
                raise
            sleep(min(0.5 * 2 ** (attempt - 1), 30.0))
    raise AssertionError("unreachable")


@dataclass
class CheckOutcome:
    """What `scorer check` computed (and posted)."""
    repo: str
    number: int
    body: dict
    result: dict
    posted: Posted | None = None


def similar_index_for(history: pd.DataFrame | None, pairs_path: Path | None, tax, repo: str) -> SimilarIndex:
    from .labels.outcomes import load_szz_pairs
    from .monitor import first_fixes

    if history is None or pairs_path is None:
        return SimilarIndex(repo)
    return SimilarIndex.build(history, first_fixes(load_szz_pairs(pairs_path)), tax, repo)
