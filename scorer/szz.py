"""B-SZZ from a clone: which earlier PRs a bug-fix PR's changed lines came from.

For each fix PR (title reads as a bug fix, not a revert) and each source file it modified
(tests, docs, examples and benchmarks skipped), the lines the fix deleted or changed are
blamed with ``git blame -w`` at the fix's first parent; each blamed commit is mapped to the PR
whose merge commit it is. Output: the pairs format of ``szz_pairs.csv``.

Known limits (documented for users): lines only added by the fix blame nothing; refactorings
and whitespace-insensitive moves can blame the wrong PR; commits made outside a PR (direct
pushes) blame no PR; a fix that touches only tests is not a fix here. Published studies find
about half of B-SZZ links to be noise, which is why the outcome labels use a window and weights.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from .errors import ScorerError
from .taxonomy import Taxonomy

FIX_RE = re.compile(r"(\[\s*bug\s*fix\s*\]|\[\s*fix\s*\]|\bfix(es|ed|ing)?\b|\bbug\b|\bhotfix\b|\bcrash\b|\bregression\b)", re.I)
HUNK_RE = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", re.M)
SKIP_RE = re.compile(r"(^|/)(tests?|docs?|examples?|benchmarks?)/|\.md$|\.rst$|\.txt$")
PAIR_COLUMNS = ["fix_pr", "fix_merged_at", "inducing_pr", "inducing_merged_at", "file", "lines_blamed"]


def is_fix_title(title: str) -> bool:
    return bool(FIX_RE.search(title)) and not title.lower().startswith("revert")


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True)


def deleted_ranges(repo: Path, parent: str, commit: str, path: str) -> list[tuple[int, int]]:
    """(start, count) of the old-side lines a commit deleted or changed in one file."""
    proc = _run(repo, "diff", "-w", "-U0", "--no-color", "--no-ext-diff", parent, commit, "--", path)
    if proc.returncode != 0:
        return []
    out = []
    for m in HUNK_RE.finditer(proc.stdout.decode("utf-8", "replace")):
        start, count = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
        if count > 0:
            out.append((start, count))
    return out


def blame_lines(repo: Path, parent: str, path: str, ranges: list[tuple[int, int]]) -> dict[str, int]:
    """Blamed commit -> number of lines, over the given old-side ranges."""
    if not ranges:
        return {}
    args = ["blame", "-w", "--porcelain", parent]
    for start, count in ranges:
        args += ["-L", f"{start},+{count}"]
    proc = _run(repo, *args, "--", path)
    if proc.returncode != 0:
        return {}
    counts: dict[str, int] = {}
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split(" ")
        if len(parts) >= 3 and len(parts[0]) == 40 and all(c in "0123456789abcdef" for c in parts[0]) \
                and parts[1].isdigit():
            counts[parts[0]] = counts.get(parts[0], 0) + 1
    return counts


def szz_pairs(repo: str | Path, prs: pd.DataFrame, tax: Taxonomy | None = None,
              show_progress: bool | None = None) -> pd.DataFrame:
    repo = Path(repo)
    if _run(repo, "rev-parse", "--git-dir").returncode != 0:
        raise ScorerError("not a git repository", path=str(repo))
    sha_to_pr = {s: (int(n), m) for s, n, m in zip(prs["merge_commit_sha"], prs["number"], prs["merged_at"]) if s}
    if not sha_to_pr:
        raise ScorerError("the PR table has no merge_commit_sha values to map blamed commits to PRs")
    present = _run(repo, "cat-file", "-e", f"{next(iter(sha_to_pr))}^{{commit}}")
    if present.returncode != 0:
        raise ScorerError("the PR table's merge commits are not in this clone (another repository?)", path=str(repo))
    fixes = prs[prs["title"].map(is_fix_title) & (prs["merge_commit_sha"] != "")]
    rows = []
    for rec in tqdm(fixes.to_dict("records"), desc="szz", unit="fix", disable=True if show_progress is False else None):
        sha = rec["merge_commit_sha"]
        parent = f"{sha}^1"
        for f in rec["files"]:
            path = f["filename"]
            if f["status"] != "modified" and f["status"] != "renamed":
                continue
            if SKIP_RE.search(path) or (tax is not None and (tax.is_test(path) or tax.is_doc(path))):
                continue
            old_path = f.get("previous_filename") or path
            ranges = deleted_ranges(repo, parent, sha, path) if f["status"] == "modified" else \
                deleted_ranges(repo, parent, sha, old_path)
            for blamed, n in blame_lines(repo, parent, old_path, ranges).items():
                hit = sha_to_pr.get(blamed)
                if hit is None or hit[0] == rec["number"]:
                    continue
                rows.append({"fix_pr": int(rec["number"]), "fix_merged_at": rec["merged_at"],
                             "inducing_pr": hit[0], "inducing_merged_at": hit[1], "file": path, "lines_blamed": n})
    out = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    for c in ("fix_merged_at", "inducing_merged_at"):
        out[c] = pd.to_datetime(out[c], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return out.sort_values(["fix_merged_at", "fix_pr", "inducing_pr", "file"], ascending=[False, False, True, True],
                           kind="mergesort").reset_index(drop=True)
