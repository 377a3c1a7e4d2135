"""Label stage: every way a user gets labels, into one labels table.

The labels table has one row per PR: ``repo, number``, an optional ``importance``
(0-10), one ``tag:<name>`` column per tag (1, 0, or empty = unlabeled; never 0 for
"unknown"), an optional ``mentioned`` flag and ``source``. Several tables merge on
``(repo, number)``; two sources giving different values for one cell is a conflict.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .errors import ScorerError, first_line, shown
from .fileio import atomic_path
from .taxonomy import Taxonomy

# Display names of every tag scorer knows, (zh, en). Rule tags first.
TAG_NAMES: dict[str, tuple[str, str]] = {
    "core-path": ("核心路径变更", "Core path change"),
    "missing-tests": ("缺少测试覆盖", "Missing test coverage"),
    "dependency": ("依赖变更", "Dependency change"),
    "platform": ("平台兼容性", "Platform compatibility"),
    "interface": ("接口变更", "Interface change"),
    "bug-inducing": ("潜在缺陷引入", "Likely bug-inducing"),
    "reverted": ("回滚风险", "Revert risk"),
    "named": ("发布说明候选", "Release-note candidate"),
}
NON_RISK_TAGS = frozenset({"named"})
RULE_TAGS = ("core-path", "missing-tests", "dependency", "platform", "interface")
KEY = ["repo", "number"]


def tag_name(tag: str, lang: str = "zh") -> str:
    zh, en = TAG_NAMES.get(tag, (tag, tag))
    return zh if lang == "zh" else en


def tag_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c.startswith("tag:")]


def _finish(df: pd.DataFrame, source: str) -> pd.DataFrame:
    for c in tag_columns(df):
        df[c] = df[c].astype("Int8")
    if "importance" in df:
        df["importance"] = df["importance"].astype("float64")
    df["source"] = source
    cols = KEY + [c for c in ("importance", "mentioned") if c in df] + sorted(tag_columns(df)) + ["source"]
    return df[cols].sort_values(KEY, kind="mergesort").reset_index(drop=True)


# ---------------------------------------------------------------- outcomes

REVERT_RE = re.compile(r'^Revert\s+"(?P<inner>.*)"\s*$', re.S)
PR_REF_RE = re.compile(r"#(\d+)")
SHA_RE = re.compile(r"\b(?:reverts? commit|This reverts commit)\s+([0-9a-f]{7,40})", re.I)


def find_reverts(prs: pd.DataFrame) -> pd.DataFrame:
    """Pairs (revert PR, reverted PR): by the `Revert "<title>"` title, a `#N` in it, or a commit sha in the body."""
    by_title: dict[str, list[tuple[pd.Timestamp, int]]] = {}
    for n, t, m in zip(prs["number"], prs["title"], prs["merged_at"]):
        by_title.setdefault(t.strip(), []).append((m, int(n)))
    by_sha = {s[:7]: int(n) for n, s in zip(prs["number"], prs["merge_commit_sha"]) if s}
    numbers = set(int(n) for n in prs["number"])
    rows = []
    for n, title, body, merged in zip(prs["number"], prs["title"], prs["body"], prs["merged_at"]):
        m = REVERT_RE.match(title.strip())
        if not m and not title.lower().startswith("revert"):
            continue
        target = None
        inner = m.group("inner").strip() if m else title
        ref = re.search(r"\(#(\d+)\)\s*$", inner)
        if ref and int(ref.group(1)) in numbers:
            target = int(ref.group(1))
        elif m:
            earlier = [num for t, num in sorted(by_title.get(inner, [])) if t < merged]
            target = earlier[-1] if earlier else None
        if target is None:
            refs = [int(x) for x in PR_REF_RE.findall(title) if int(x) in numbers and int(x) != n]
            target = refs[0] if refs else None
        if target is None and body:
            sm = SHA_RE.search(body)
            if sm and sm.group(1)[:7] in by_sha:
                target = by_sha[sm.group(1)[:7]]
        if target is not None and target != n:
            rows.append((int(n), merged, target))
    out = pd.DataFrame(rows, columns=["revert_pr", "revert_merged_at", "number"])
    out["revert_merged_at"] = pd.to_datetime(out["revert_merged_at"], utc=True)
    return out.astype({"revert_pr": "int64", "number": "int64"})


def load_szz_pairs(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise ScorerError("no such file", path=str(path))
    try:
        df = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ScorerError(f"cannot parse CSV ({first_line(exc, 'empty')})", path=str(path)) from None
    need = ["fix_pr", "fix_merged_at", "inducing_pr", "inducing_merged_at", "lines_blamed"]
    missing = [c for c in need if c not in df]
    if missing:
        raise ScorerError(f"missing columns {missing} (expected the szz_pairs.csv format)", path=str(path))
    for c in ("fix_pr", "inducing_pr", "lines_blamed"):
        bad = pd.to_numeric(df[c], errors="coerce").isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ScorerError(f"expected an integer, got {shown(df[c].iloc[i])}", path=str(path), line=i + 2, field=c)
        df[c] = df[c].astype("int64")
    for c in ("fix_merged_at", "inducing_merged_at"):
        ts = pd.to_datetime(df[c], utc=True, errors="coerce", format="ISO8601")
        if ts.isna().any():
            i = int(np.flatnonzero(ts.isna().to_numpy())[0])
            raise ScorerError(f"not an ISO 8601 timestamp: {shown(df[c].iloc[i])}", path=str(path), line=i + 2, field=c)
        df[c] = ts
    return df


def outcome_labels(prs: pd.DataFrame, pairs: pd.DataFrame | None = None, *, window_days: int = 90,
                   as_of: pd.Timestamp | None = None, min_lines: int = 1) -> pd.DataFrame:
    """`tag:bug-inducing` and `tag:reverted` as known on `as_of`.

    Rule: a PR is bug-inducing when bug-fix PRs merged within `window_days` after it (and by
    `as_of`) blamed at least `min_lines` of its lines in total (lines_blamed summed over fixes and
    files). It is reverted when a revert of it merged within the window and by `as_of`. A PR whose
    window is still open on `as_of` is left unlabeled (empty), not 0.
    """
    as_of = as_of if as_of is not None else prs["merged_at"].max()
    window = pd.Timedelta(days=window_days)
    out = prs[KEY + ["merged_at"]].copy()
    closed = (out["merged_at"] + window) <= as_of
    known = out["merged_at"] <= as_of
    if pairs is not None:
        p = pairs[(pairs["fix_merged_at"] <= as_of) & (pairs["fix_pr"] != pairs["inducing_pr"])]
        p = p[(p["fix_merged_at"] > p["inducing_merged_at"]) & (p["fix_merged_at"] - p["inducing_merged_at"] <= window)]
        blamed = p.groupby("inducing_pr")["lines_blamed"].sum()
        lines = out["number"].map(blamed).fillna(0)
        out["tag:bug-inducing"] = np.where(closed & known, (lines >= min_lines).astype(int), np.nan)
    rv = find_reverts(prs)
    rv = rv.merge(prs[["number", "merged_at"]], on="number")
    rv = rv[(rv["revert_merged_at"] <= as_of) & (rv["revert_merged_at"] - rv["merged_at"] <= window)]
    reverted = out["number"].isin(set(rv["number"]))
    out["tag:reverted"] = np.where(closed & known, reverted.astype(int), np.nan)
    # A revert seen before the window closes is already a fact: label it 1 early.
    out.loc[known & reverted, "tag:reverted"] = 1
    out = out[known].drop(columns="merged_at")
    return _finish(out, "outcomes")


def check_pairs_match(prs: pd.DataFrame, pairs: pd.DataFrame, path: str) -> int:
    """Pairs from another repository would label the wrong PRs; their merge times give them away."""
    merged = prs.set_index("number")["merged_at"]
    hit = pairs["inducing_pr"].isin(merged.index)
    if len(pairs) and not hit.any():
        raise ScorerError("none of the PR numbers in the pairs file is in the PR table (another repository?)",
                          path=path)
    known = pairs[hit]
    agree = (known["inducing_merged_at"] - known["inducing_pr"].map(merged)).abs() <= pd.Timedelta(days=1)
    if len(known) and agree.mean() < 0.5:
        raise ScorerError(f"only {agree.mean():.0%} of the pairs' inducing_merged_at agree with the PR table's "
                          "merge times (another repository?)", path=path)
    return int((~hit).sum())


# ---------------------------------------------------------------- release notes

DEFAULT_NOTE_SCORES = {"highlight": 9.0, "named": 6.0, "unnamed": 3.0}
NOTE_COLUMNS = ["release", "release_date", "section", "highlight", "pr_number", "partial", "backport"]
# A release name in a heading: v0.23.0, v0.23.0rc1, 1.2, v0.7.3.post1, 2.0.0-rc.2, v1.0.0b3.
RELEASE_RE = re.compile(r"\bv?\d+\.\d+(?:\.\d+)*(?:[-.]?(?:rc|a|b|alpha|beta|post|dev)\.?\d*)?\b", re.I)
PRERELEASE_RE = re.compile(r"(rc|a|b|alpha|beta|dev)\.?\d*$", re.I)
# Dates as changelogs write them: 2026-08-16, 2026.08.16, 2026/08/16.
NOTE_DATE_RE = re.compile(r"\b(\d{4})[-./](\d{1,2})[-./](\d{1,2})\b")
LINK_RE = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
PULL_URL_RE = re.compile(r"github\.com/([\w.-]+/[\w.-]+)/pull/(\d+)", re.I)
BARE_REF_RE = re.compile(r"(?<![\w/&])#(\d{2,})\b")
# Sections that name problems or people rather than changes.
SKIP_SECTION_RE = re.compile(r"known issue|contributor|acknowledg", re.I)


def load_release_notes(path: str | Path, repo: str | None = None) -> pd.DataFrame:
    """The curated CSV (`release, release_date, section, highlight, pr_number, partial`) or a Markdown
    changelog (see `parse_changelog`; `repo` keeps only links to that repository's pull requests)."""
    path = Path(path)
    if not path.exists():
        raise ScorerError("no such file", path=str(path))
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


# ---------------------------------------------------------------- past reports

TABLE_HEAD_RE = re.compile(r"(重要性|importance|score|评分)", re.I)
ROW_PR_RE = re.compile(r"\[?#(\d+)\]?")
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
                table[int(m.group(1))] = score
    if not table:
        raise ScorerError("no top-PR table with an importance column found (a Markdown table or tab-separated "
                          "lines under a 'PR / importance' header)", path=path)
    mentioned = {int(n) for n in re.findall(r"#(\d{2,})\b", text)} - set(table)
    rows = [{"repo": repo, "number": n, "importance": s, "mentioned": 1} for n, s in table.items()]
    rows += [{"repo": repo, "number": n, "importance": np.nan, "mentioned": 1} for n in sorted(mentioned)]
    return pd.DataFrame(rows)


def report_labels(paths: Sequence[str | Path], repo: str | None = None) -> pd.DataFrame:
    """Importance labels from past reports. Positives only: a PR a report does not name stays
    unlabeled (not "unimportant"), and a merely mentioned PR has no importance."""
    frames = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise ScorerError("no such file", path=str(p))
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


# ---------------------------------------------------------------- rules

def rule_flags(files: list[dict], tax: Taxonomy) -> dict[str, int]:
    """The five descriptive tags of one PR, as pure functions of its changed paths."""
    code = test = core = dep = plat = iface = False
    for f in files:
        path = f["filename"]
        if tax.is_test(path):
            test = True
            continue
        if tax.is_doc(path):
            continue
        dep = dep or tax.is_dependency(path)
        if tax.is_build(path) or tax.is_dependency(path):
            continue
        code = True
        core = core or tax.is_core(path)
        plat = plat or tax.platform_of(path) is not None
        iface = iface or tax.is_interface(path)
    return {"core-path": int(core), "missing-tests": int(code and not test), "dependency": int(dep),
            "platform": int(plat), "interface": int(iface)}


def rule_labels(prs: pd.DataFrame, tax: Taxonomy) -> pd.DataFrame:
    flags = pd.DataFrame([rule_flags(fs, tax) for fs in prs["files"]], index=prs.index)
    out = prs[KEY].copy()
    for tag in RULE_TAGS:
        out[f"tag:{tag}"] = flags[tag] if len(flags) else pd.Series(dtype="int64")
    return _finish(out, f"rules:{tax.name}")


# ---------------------------------------------------------------- the table

def save_labels(df: pd.DataFrame, path: str | Path) -> None:
    path = Path(path)
    with atomic_path(path) as tmp:
        if path.suffix.lower() == ".parquet":
            df.to_parquet(tmp, index=False)
        else:
            df.to_csv(tmp, index=False)


def load_labels(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise ScorerError("no such file", path=str(path))
    try:
        df = pd.read_parquet(path) if path.suffix.lower() == ".parquet" else pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ScorerError(f"cannot parse labels ({first_line(exc, 'empty file')})",
                          path=str(path)) from None
    except Exception as exc:  # pyarrow raises several types (OSError among them) for a damaged file
        raise ScorerError(f"cannot read {'Parquet' if path.suffix.lower() == '.parquet' else 'labels'} "
                          f"({first_line(exc)})", path=str(path)) from None
    missing = [c for c in KEY if c not in df]
    if missing:
        raise ScorerError(f"missing columns {missing} (a labels table needs repo, number)", path=str(path))
    num = pd.to_numeric(df["number"], errors="coerce")
    bad = num.isna() | (num <= 0) | (num > 2**53) | (num % 1 != 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ScorerError(f"expected a positive whole PR number, got {shown(df['number'].iloc[i])}", path=str(path),
                          line=i + 2, field="number")
    df["number"] = num.astype("int64")
    if "importance" in df:
        imp = pd.to_numeric(df["importance"], errors="coerce")
        bad = (imp.isna() & df["importance"].notna()) | (imp < 0) | (imp > 10)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ScorerError(f"importance must be a number in 0-10, got {shown(df['importance'].iloc[i])}",
                              path=str(path), line=i + 2, field="importance")
        df["importance"] = imp
    for c in tag_columns(df) + (["mentioned"] if "mentioned" in df else []):
        v = pd.to_numeric(df[c], errors="coerce")
        bad = (v.isna() & df[c].notna()) | ~(v.isin([0, 1]) | v.isna())
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ScorerError(f"a tag is 0, 1 or empty, got {shown(df[c].iloc[i])}", path=str(path), line=i + 2, field=c)
        df[c] = v.astype("Int8")
    if "source" not in df:
        df["source"] = path.stem
    dup = df.duplicated(KEY)
    if dup.any():
        raise ScorerError(f"PR #{int(df.loc[dup, 'number'].iloc[0])} appears twice", path=str(path))
    return df


def merge_labels(tables: Iterable[pd.DataFrame], on_conflict: str = "error") -> pd.DataFrame:
    """Merge label tables on (repo, number). Differing values for one cell are a conflict: an error
    by default, or resolved by `on_conflict` = "first" (earlier table wins) / "max"."""
    merged: pd.DataFrame | None = None
    for t in tables:
        t = t.copy()
        if merged is None:
            merged = t
            continue
        both = merged.merge(t, on=KEY, how="outer", suffixes=("", "__new"), indicator=False)
        for c in [c for c in t.columns if c not in KEY]:
            new = f"{c}__new"
            if new not in both:
                continue
            if c == "source":
                both[c] = [("+".join(dict.fromkeys(str(x) for x in (a, b) if isinstance(x, str))))
                           for a, b in zip(both[c], both[new])]
            else:
                a, b = both[c], both[new]
                clash = a.notna() & b.notna() & (a.astype("float64") != b.astype("float64"))
                if clash.any():
                    if on_conflict == "error":
                        nums = both.loc[clash, "number"].astype(int).tolist()
                        raise ScorerError(f"conflicting '{c}' for {len(nums)} PRs (e.g. "
                                          f"{', '.join('#' + str(n) for n in nums[:5])}); "
                                          "choose --on-conflict first or max")
                    if on_conflict == "max":
                        a = a.where(~clash, np.maximum(a.astype("float64"), b.astype("float64")))
                both[c] = a.where(a.notna(), b)
            both = both.drop(columns=new)
        merged = both
    if merged is None:
        raise ScorerError("no label tables given")
    for c in tag_columns(merged) + (["mentioned"] if "mentioned" in merged else []):
        merged[c] = pd.to_numeric(merged[c]).astype("Int8")
    return merged.sort_values(KEY, kind="mergesort").reset_index(drop=True)


def summarize_labels(df: pd.DataFrame) -> list[str]:
    """Headline lines: rows, and per column how many are labeled and the positive rate."""
    lines = [f"{len(df):,} PRs"]
    if "importance" in df and df["importance"].notna().any():
        vc = df["importance"].value_counts().sort_index()
        lines.append("importance: " + ", ".join(f"{k:g}: {v:,}" for k, v in vc.items()))
    for c in tag_columns(df):
        lab = df[c].notna().sum()
        pos = int((df[c] == 1).sum())
        rate = pos / lab if lab else float("nan")
        lines.append(f"{c}: {pos:,} of {lab:,} labeled ({rate:.1%})")
    return lines
