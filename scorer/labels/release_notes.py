"""Importance from release notes: the curated CSV or a Markdown changelog, and release windows."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ScorerError, first_line
from ..fileio import require_input
from .table import KEY, _finish

# ---------------------------------------------------------------- release notes

DEFAULT_NOTE_SCORES = {"highlight": 9.0, "named": 6.0, "unnamed": 3.0}
NOTE_COLUMNS = ["release", "release_date", "section", "highlight", "pr_number", "partial", "backport"]
# A release name in a heading: v0.23.0, v0.23.0rc1, 1.2, v0.7.3.post1, 2.0.0-rc.2, v1.0.0b3.
RELEASE_RE = re.compile(r"\bv?\d+\.\d+(?:\.\d+)*(?:[-.]?(?:rc|a|b|alpha|beta|post|dev)\.?\d*)?\b", re.I)
PRERELEASE_RE = re.compile(r"(rc|a|b|alpha|beta|dev)\.?\d*$", re.I)
# Dates as changelogs write them: 2026-08-16, 2026.08.16, 2026/08/16.
NOTE_DATE_RE = re.compile(r"\b(\d{4})[-./](\d{1,2})[-./](\d{1,2})\b")
LINK_RE = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
PULL_URL_RE = re.compile(r"github\.com/([\w.-]+/[\w.-]+)/pull/(\d{1,15})\b", re.I)  # a PR number has at most 15 digits
BARE_REF_RE = re.compile(r"(?<![\w/&])#(\d{2,15})\b")
# Sections that name problems or people rather than changes.
SKIP_SECTION_RE = re.compile(r"known issue|contributor|acknowledg", re.I)


def load_release_notes(path: str | Path, repo: str | None = None) -> pd.DataFrame:
    """The curated CSV (`release, release_date, section, highlight, pr_number, partial`) or a Markdown
    changelog (see `parse_changelog`; `repo` keeps only links to that repository's pull requests)."""
    path = Path(path)
    require_input(path)
    if path.suffix.lower() in (".md", ".markdown"):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScorerError(f"cannot read the changelog ({exc.__class__.__name__})", path=str(path)) from None
        notes = parse_changelog(text, repo).assign(origin="changelog")
        if notes.empty:
            raise ScorerError("the changelog names no PR numbers under a release heading", path=str(path))
        undated = sorted(set(notes.loc[notes["release_date"].isna(), "release"]))
        if undated and len(undated) == notes["release"].nunique():
            raise ScorerError("no release heading carries a date (expected e.g. '## v1.2.0 - 2026.08.16')",
                              path=str(path))
    else:
        try:
            notes = pd.read_csv(path)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise ScorerError(f"cannot parse CSV ({first_line(exc, 'empty')})",
                              path=str(path)) from None
        missing = [c for c in ("release", "pr_number") if c not in notes]
        if missing:
            raise ScorerError(f"missing columns {missing}", path=str(path))
        for c, default in (("release_date", None), ("section", ""), ("highlight", 0), ("partial", 0), ("backport", 0)):
            if c not in notes:
                notes[c] = default
        notes["pr_number"] = pd.to_numeric(notes["pr_number"], errors="coerce")
        notes["origin"] = "curated"
    notes = notes.dropna(subset=["pr_number"])
    if notes.empty:
        raise ScorerError("the notes name no PR numbers", path=str(path))
    notes["pr_number"] = notes["pr_number"].astype("int64")
    for c in ("highlight", "partial", "backport"):
        notes[c] = pd.to_numeric(notes[c], errors="coerce").fillna(0).astype(int)
    notes["release_date"] = pd.to_datetime(notes["release_date"], utc=True, errors="coerce")
    return notes


def parse_changelog(text: str, repo: str | None = None) -> pd.DataFrame:
    """PR numbers under Markdown headings, one row per (release, section, PR).

    A heading with a release name opens a release (a date in it, `2026-08-16` or `2026.08.16`,
    is its release date); a lower heading is a section, and "Highlights" marks highlights. A PR is
    a link to a pull request (`[#9757](https://github.com/o/r/pull/9757)`: kept only when it points
    at `repo`, so upstream links do not count) or a bare `#123`. A `†` after a reference marks a
    late backport. Sections such as "Known issues" name problems, not changes, and are skipped.
    """
    rows, release, date, section = [], None, None, ""
    repo_l = repo.lower() if repo else None
    for line in text.splitlines():
        h = re.match(r"^(#{1,6})\s+(.*)$", line)
        if h:
            title = h.group(2).strip()
            vm = RELEASE_RE.search(NOTE_DATE_RE.sub(" ", title))
            if vm and (release is None or len(h.group(1)) <= 2):
                name = vm.group(0)
                release = name if name.lower().startswith("v") else "v" + name
                dm = NOTE_DATE_RE.search(title)
                date = f"{dm.group(1)}-{int(dm.group(2)):02d}-{int(dm.group(3)):02d}" if dm else None
                section = ""
            else:
                section = title
            continue
        if release is None or SKIP_SECTION_RE.search(section):
            continue
        refs: list[tuple[int, bool]] = []
        rest = line
        for m in list(LINK_RE.finditer(line)):
            url = PULL_URL_RE.search(m.group(2))
            after = line[m.end():m.end() + 2]
            if url and (repo_l is None or url.group(1).lower() == repo_l):
                refs.append((int(url.group(2)), "†" in after))
            rest = rest.replace(m.group(0), " ", 1)
        for m in BARE_REF_RE.finditer(rest):
            refs.append((int(m.group(1)), "†" in rest[m.end():m.end() + 2]))
        for num, backport in refs:
            rows.append({"release": release, "release_date": date, "section": section,
                         "highlight": int("highlight" in section.lower()), "pr_number": num, "partial": 0,
                         "backport": int(backport)})
    df = pd.DataFrame(rows, columns=NOTE_COLUMNS)
    return df.drop_duplicates(["release", "section", "pr_number"]).reset_index(drop=True)


def _summary_finals(notes: pd.DataFrame) -> set[str]:
    """Final releases that follow release candidates of their own version (v0.23.0 after
    v0.23.0rc1): their notes summarise the candidates' cycles, so they close no window."""
    names = set(notes["release"])
    out = set()
    for name in names:
        if PRERELEASE_RE.search(name):
            continue
        stem = name.lower()
        if any(o.lower().startswith(stem) and PRERELEASE_RE.search(o) for o in names if o != name):
            out.add(name)
    return out


def release_windows(notes: pd.DataFrame, prs: pd.DataFrame | None = None, max_gap_days: int = 35,
                    min_names: int | None = None) -> pd.DataFrame:
    """Covered windows: the stretches of merge time whose unnamed PRs count as "not worth naming".

    The rule. Releases are taken in date order; a release closes a window (the previous closing
    release's date, its own date] when
    - it names at least `min_names` PRs (default 50 for a curated CSV, where patch releases name a
      handful of cherry-picks; 1 for a changelog),
    - it is not a final release that follows release candidates of its own version (v0.23.0 after
      v0.23.0rc1 summarises everything since the previous final: the candidates already closed
      those windows, and the weeks after the last candidate belong to the next one), and
    - given the PR table, at least half the PRs it names are in it: otherwise it was cut from a
      release branch and names backports (vllm-ascend's v0.9.1rc2 after v0.9.2rc1).
    A window is covered when its release text is complete and it spans at most `max_gap_days`
    (a longer one means releases are missing from the notes). Every release, closing or not,
    still names PRs: named and Highlights come from all of them.
    """
    if min_names is None:
        min_names = 1 if "origin" in notes and (notes["origin"] == "changelog").all() else 50
    rel = notes.groupby("release").agg(date=("release_date", "first"), partial=("partial", "max"),
                                       names=("pr_number", "nunique")).reset_index()
    rel = rel.dropna(subset=["date"])
    closing = rel["names"] >= min_names
    closing &= ~rel["release"].isin(_summary_finals(notes))
    if prs is not None:
        known = set(prs["number"])
        share = notes.groupby("release")["pr_number"].agg(lambda s: float(np.mean([n in known for n in set(s)])))
        closing &= rel["release"].map(share).fillna(0).to_numpy() >= 0.5
    rel = rel[closing].sort_values(["date", "release"]).reset_index(drop=True)
    rel["start"] = rel["date"].shift(1)
    gap = (rel["date"] - rel["start"]).dt.days
    rel["covered"] = rel["start"].notna() & (gap <= max_gap_days) & (rel["partial"] == 0)
    return rel[["release", "start", "date", "covered", "partial", "names"]]


def release_note_labels(prs: pd.DataFrame, notes: pd.DataFrame, scores: dict[str, float] | None = None,
                        max_gap_days: int = 35, min_names: int | None = None) -> pd.DataFrame:
    """Importance from curation: highlighted 9, named 6, merged in a covered window and not named 3
    (see `release_windows`). A PR named by any release is named; in any release's Highlights, a
    highlight. PRs outside every covered window keep only what the notes say of them."""
    scores = {**DEFAULT_NOTE_SCORES, **(scores or {})}
    named = notes.groupby("pr_number")["highlight"].max()
    out = prs[KEY + ["merged_at"]].copy()
    imp = pd.Series(np.nan, index=out.index)
    wins = release_windows(notes, prs, max_gap_days, min_names)
    covered = pd.Series(False, index=out.index)
    for w in wins[wins["covered"]].itertuples():
        covered |= (out["merged_at"] > w.start) & (out["merged_at"] <= w.date)
    imp[covered] = scores["unnamed"]
    hl = out["number"].map(named)
    imp[hl == 0] = scores["named"]
    imp[hl == 1] = scores["highlight"]
    out["importance"] = imp
    # Outside covered windows the notes give positives only: a named PR keeps its importance (what
    # the curators said of it), but not a `named` class whose other side nobody judged there.
    out["tag:named"] = np.where(covered, hl.notna().astype(int), np.nan)
    out = out[imp.notna()].drop(columns="merged_at")
    return _finish(out, "release-notes")
