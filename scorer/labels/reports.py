"""Importance from past weekly reports, as people save them (Markdown or copied page text)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ..errors import ScorerError
from ..fileio import require_input
from .table import KEY, _finish

# ---------------------------------------------------------------- past reports

TABLE_HEAD_RE = re.compile(r"(重要性|importance|score|评分)", re.I)
ROW_PR_RE = re.compile(r"\[?#(\d+)\]?")
MAX_PR = 2**53  # the canonical table's bound on PR numbers
SLUG_RE = re.compile(r"github\.com/([\w.-]+/[\w.-]+)/pull/\d+|(?:仓库|Repository|repo)\s*[:：]\s*`?([\w.-]+/[\w.-]+)`?", re.I)
# A page copied as plain text names the repository on a line of its own ("vllm-project/vllm").
SLUG_LINE_RE = re.compile(r"^\s*`?([A-Za-z0-9][\w.-]*/[\w.-]+)`?\s*$")


def _cells(line: str) -> list[str] | None:
    """A table row's cells: a Markdown row (`| a | b |`) or a tab-separated line (a table copied
    from a web page); None for any other line."""
    stripped = line.strip()
    if stripped.startswith("|"):
        return [c.strip() for c in stripped.strip("|").split("|")]
    if "\t" in line:
        cells = [c.strip() for c in line.split("\t")]
        return cells if len([c for c in cells if c]) >= 2 else None
    return None


def _report_repo(text: str, repo: str | None, path: str) -> str:
    m = SLUG_RE.search(text)
    named = next((g for g in m.groups() if g), None) if m else None
    if named is None:
        named = next((m.group(1) for m in map(SLUG_LINE_RE.match, text.splitlines()[:20]) if m), None)
    if repo and named and named.lower() != repo.lower():
        raise ScorerError(f"the report names {named}, not {repo} (--repo)", path=path)
    if repo or named:
        return repo or named
    raise ScorerError("cannot tell the repository (no 'Repository: owner/name' line, slug line or PR link); "
                      "pass --repo OWNER/NAME", path=path)


def parse_report(text: str, path: str, repo: str | None = None) -> pd.DataFrame:
    """Importance from a report's top-PR table; every other PR the report names is `mentioned`.

    Reads reports as people save them: the Markdown scorer (or an LLM) wrote, or the plain text
    copied from a report web page, where headings lose their `#`, the repository stands alone on
    a line and the top-PR table arrives as tab-separated lines (`PR #<TAB>重要性<TAB>摘要`, then
    `#40860<TAB>9.5<TAB>...`). `repo` names the repository when the file does not.
    """
    repo = _report_repo(text, repo, path)
    lines = text.splitlines()
    table: dict[int, float] = {}
    in_table, col_pr, col_imp = False, None, None
    for i, line in enumerate(lines):
        cells = _cells(line)
        if cells is None:
            in_table = False
            continue
        if not in_table and TABLE_HEAD_RE.search(line) and any("PR" in c.upper() for c in cells):
            col_imp = next(j for j, c in enumerate(cells) if TABLE_HEAD_RE.search(c))
            col_pr = next(j for j, c in enumerate(cells) if "PR" in c.upper() or c in ("#", "编号"))
            in_table = True
            continue
        if in_table and set("".join(cells)) <= set("-: "):
            continue
        if in_table and col_pr is not None and col_imp is not None and len(cells) > max(col_pr, col_imp):
            m = ROW_PR_RE.search(cells[col_pr])
            try:
                score = float(re.sub(r"[^\d.]", "", cells[col_imp]) or "nan")
            except ValueError:
                score = float("nan")
            if m and not np.isnan(score):
                if not 0 <= score <= 10:
                    raise ScorerError(f"importance {score} is outside 0-10", path=path, line=i + 1)
                if len(m.group(1)) > 16 or not 0 < int(m.group(1)) < MAX_PR:
                    raise ScorerError(f"#{m.group(1)[:20]} is not a PR number", path=path, line=i + 1)
                table[int(m.group(1))] = score
    if not table:
        raise ScorerError("no top-PR table with an importance column found (a Markdown table or tab-separated "
                          "lines under a 'PR / importance' header)", path=path)
    mentioned = {int(n) for n in re.findall(r"#(\d{2,15})\b", text)} - set(table)
    rows = [{"repo": repo, "number": n, "importance": s, "mentioned": 1} for n, s in table.items()]
    rows += [{"repo": repo, "number": n, "importance": np.nan, "mentioned": 1} for n in sorted(mentioned)]
    return pd.DataFrame(rows)


def report_labels(paths: Sequence[str | Path], repo: str | None = None) -> pd.DataFrame:
    """Importance labels from past reports. Positives only: a PR a report does not name stays
    unlabeled (not "unimportant"), and a merely mentioned PR has no importance."""
    frames = []
    for p in paths:
        p = Path(p)
        require_input(p)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScorerError(f"cannot read the report ({exc.__class__.__name__})", path=str(p)) from None
        frames.append(parse_report(text, str(p), repo))
    df = pd.concat(frames, ignore_index=True)
    # A PR in several reports: its highest importance (it was a top PR at least once).
    df = df.groupby(KEY, as_index=False).agg(importance=("importance", "max"), mentioned=("mentioned", "max"))
    df["mentioned"] = df["mentioned"].astype("Int8")
    return _finish(df, "report")
