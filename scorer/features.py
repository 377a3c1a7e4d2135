"""Point-in-time features of each PR, from what was known when it merged.

Size and diffusion come from the PR's own diff. History features (author experience,
file history, bursts) come from one pass over the table in merge order: each PR reads
the state left by PRs merged strictly before it, then adds itself. Appending later PRs
therefore never changes an earlier PR's features.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter, defaultdict, deque

import numpy as np
import pandas as pd

from .labels import RULE_TAGS, rule_flags
from .prtext import (CHANGE_KINDS, DEFAULT_SWITCH_RE, FRAMEWORK_RE, KINDS, PREFIX_ALIASES, change_kind, classify_change,
                     clean_title, raw_prefix_tags, title_prefixes, title_terms)
from .taxonomy import Taxonomy, load_taxonomy

DAY = 86400.0
EPOCH = pd.Timestamp("1970-01-01", tz="UTC")  # merge times count seconds from here
FIX_RE = re.compile(r"\b(fix|fixes|fixed|fixing|bug|bugs|bugfix|hotfix|regression|crash|crashes)\b", re.I)

# Title words that announce a headline change rather than a routine one (vLLM Highlights read
# "Support X", "Initial X", "Enable X by default", "Add new model X").
HEADLINE_RES = {
    "t_support": re.compile(r"\bsupport(s|ing|ed)?\b", re.I),
    "t_initial": re.compile(r"\b(initial|first|experimental|preview|prototype|mvp|poc)\b", re.I),
    "t_default": re.compile(r"\b(by default|default|turn on|enable)\b", re.I),
    "t_new": re.compile(r"\b(new|introduce[sd]?|implement(s|ed)?|add(s|ed)?)\b", re.I),
    "t_model": re.compile(r"\bmodels?\b", re.I),
    "t_backend": re.compile(r"\b(backend|kernel|attention|quantization|quant|spec(ulative)?|decoding|scheduler|api)\b", re.I),
    # A framework or platform the whole project builds on, moved to a new version ("Update to torch
    # 2.11", "Switch default CUDA to 13.0", "Add Python 3.14"): few lines, read by every user.
    "t_framework": FRAMEWORK_RE,
    # A default flipped: what users get without asking changes.
    "t_default_switch": DEFAULT_SWITCH_RE,
}
# A measured gain in the title or description: "+40%", "1.2x", "5-58x", "2x faster".
GAIN_RE = re.compile(r"(\d+(?:\.\d+)?\s*(?:%|x\b|×)|\b(?:speed ?up|throughput|latency|tokens/s|tok/s)\b)", re.I)
MODEL_DIR_RE = re.compile(r"(^|/)models?/")


def _entropy(weights: list[float]) -> float:
    total = sum(weights)
    if total <= 0 or len(weights) < 2:
        return 0.0
    h = -sum((w / total) * math.log2(w / total) for w in weights if w > 0)
    return h / math.log2(len(weights))


NUMERIC_FEATURES = [
    "la", "ld", "nf", "log_la", "log_ld", "log_nf", "log_churn", "share_test", "share_doc", "share_code",
    "share_build", "files_added", "files_removed", "files_renamed", "files_binary", "line_counts_known",
    "n_subsystems", "n_dirs", "entropy", "n_modules", "core_share", "title_len", "n_prefixes",
    "exp", "rexp", "sexp", "first_pr", "ndev", "age_days", "nuc", "churn30", "n_coauthors", "n_signoffs",
    "burst", "burst_count", "week_prs",
    "la_src", "ld_src", "nf_src", "log_la_src", "log_ld_src", "is_fix", "fixes90", "fixmax90", "act90",
    "log_size_max",
] + [f"rule_{t}" for t in RULE_TAGS] + [
    # Repository-agnostic signals (GENERIC_FEATURES below); the g_* shares use the generic path
    # conventions of the default taxonomy whatever the repository's own taxonomy says.
    "g_share_test", "g_share_doc", "g_share_build", "g_log_la_src", "log_la_new", "share_new", "new_dirs",
    "docs_added", "new_model_files", "body_len", "gains", "series", "theme_prefix28", "theme_term28",
] + list(HEADLINE_RES) + [f"kind_{k}" for k in CHANGE_KINDS] + [f"rkind_{k}" for k in KINDS] + [
    "theme_prefix90", "prefix_structural"]
# The generic importance model reads only these: size and diffusion, change kind, added files,
# test/doc/build shares, new-module and new-model signals, author experience, burst membership.
# No path token, module id or taxonomy-specific column, so a model trained on one repository's
# curation can score another's.
GENERIC_FEATURES = [
    "log_la", "log_ld", "log_nf", "log_churn", "files_added", "files_removed", "files_renamed", "files_binary",
    "n_subsystems", "n_dirs", "entropy", "title_len", "n_prefixes", "exp", "rexp", "first_pr", "n_coauthors",
    "burst", "burst_count", "is_fix",
    "g_share_test", "g_share_doc", "g_share_build", "g_log_la_src", "log_la_new", "share_new", "new_dirs",
    "docs_added", "new_model_files", "body_len", "gains", "series", "theme_prefix28", "theme_term28",
] + list(HEADLINE_RES) + [f"kind_{k}" for k in CHANGE_KINDS]
# Fields only an API source supplies (GitHub's comments, reviews, labels, creation time). From a
# git-only table they are NaN, never 0: "nobody reviewed" and "unknown" are different facts.
API_FEATURES = ["api_comments", "api_review_comments", "api_reviews", "api_approvals", "api_changes_requested",
                "api_hours_open", "api_labels"]
NUMERIC_FEATURES += ["breaking"] + API_FEATURES
# Point-in-time history: the author's, the files' and the modules' past PRs, recent bursts and
# themes. A PR scored without the repository's history has these computed from its own request
# only; the service reports them as unknown and never cites them as reasons.
HISTORY_FEATURES = ["exp", "rexp", "sexp", "first_pr", "ndev", "age_days", "nuc", "churn30", "burst",
                    "burst_count", "week_prs", "fixes90", "fixmax90", "act90", "theme_prefix28", "theme_term28",
                    "new_dirs", "share_new", "log_la_new"]
TEXT_FEATURES = ["prefix", "title_text", "path_text", "module_text"]
BREAKING_RE = re.compile(r"\bbreaking\b|\bbackward[- ]incompatible\b|\bdeprecat", re.I)
# Prefix tags too common to name a theme (every week has bug fixes and docs).
COMMON_PREFIXES = frozenset(PREFIX_ALIASES.values()) | {"none", "bugfix", "misc", "ci", "docs", "tests", "wip"}
# A series' prefix naming structural work: "[MoE Refactor]", "[V0 Deprecation]", "[Model Refactoring]".
STRUCTURAL_PREFIX_RE = re.compile(r"refactor|deprecat|migrat|remov|clean ?up|rework|split|consolidat", re.I)
SERIES_RE = re.compile(r"\[\d+\s*/\s*(?:\d+|n)\]|\b\d+\s*/\s*n\b|\bpart \d+\b|\bmilestone\b", re.I)


def _trim(times: deque | None, since: float) -> int:
    """Drop times before `since` from the left of a time-ordered deque; how many remain."""
    if not times:
        return 0
    while times and times[0] < since:
        times.popleft()
    return len(times)


class HistoryState:
    """What point-in-time features know of the PRs merged so far: per author, per file and per
    title term counters and merge times. `compute_features` walks a table through one; a
    service keeps one walked over its whole history (`history_state`) and featurizes each new PR
    against it instead of re-walking the history."""

    def __init__(self) -> None:
        self.author_count: Counter = Counter()
        self.author_times: dict[str, deque] = defaultdict(deque)
        self.author_modules: dict[str, Counter] = defaultdict(Counter)
        self.file_authors: dict[str, set] = defaultdict(set)
        self.file_last: dict[str, float] = {}
        self.file_changes: Counter = Counter()
        self.file_recent: dict[str, deque] = defaultdict(deque)
        self.file_fixes: dict[str, deque] = defaultdict(deque)   # merge times of earlier fix PRs per file
        self.file_touches: dict[str, deque] = defaultdict(deque)  # merge times of earlier PRs per file
        self.file_size: Counter = Counter()                       # net lines added so far: the file's size estimate
        self.term_times: dict[str, deque] = defaultdict(deque)
        self.recent_prs: deque = deque()
        self.prefix_times: dict[str, deque] = defaultdict(deque)  # merge times of PRs per uncommon prefix tag
        self.dirs_seen: set = set()                               # every directory a file was ever changed in
        self.last_merged = -np.inf                                # the newest merge time added
        self.read_until = -np.inf  # the newest time features were read at (reads trim the windows to it)
        self.keys: set = set()  # the (repo, number) of each PR history_state walked
        self.repos: set = set()  # and their repositories

    def add_walked(self, files: list[dict], author: str, t: float, title: str, tax: Taxonomy, recent: bool) -> None:
        """Add a PR whose own features are not wanted: `recent=False` when it is too old for any
        wanted PR's time windows (only lifetime counts are kept)."""
        self.add(files, author, t, recent and bool(FIX_RE.search(title)), title_terms(title) if recent else None,
                 {tax.module_of(f["filename"]) for f in files}, title)

    def add(self, files: list[dict], author: str, t: float, is_fix: bool, terms: list[str] | None,
            modules: set, title: str) -> None:
        """Add one PR to the history state, after its own features were read. `terms=None` marks
        a PR too old for any wanted PR's time windows (all <= 90 days): only lifetime counts."""
        self.last_merged = max(self.last_merged, t)
        self.author_count[author] += 1
        for m in modules:
            self.author_modules[author][m] += 1
        recent = terms is not None
        file_authors, file_changes, file_size = self.file_authors, self.file_changes, self.file_size
        for f in files:
            path = f["filename"]
            self.dirs_seen.add(path.rpartition("/")[0])
            prev = f.get("previous_filename")
            if prev and prev in file_authors:
                file_authors[path] |= file_authors[prev]
                file_changes[path] += file_changes[prev]
                file_size[path] += file_size[prev]
            file_authors[path].add(author)
            self.file_last[path] = t
            file_changes[path] += 1
            file_size[path] = max(file_size[path] + (f["additions"] or 0) - (f["deletions"] or 0), 0)
            if recent:
                self.file_recent[path].append((t, (f["additions"] or 0) + (f["deletions"] or 0)))
                self.file_touches[path].append(t)
                if is_fix:
                    self.file_fixes[path].append(t)
        if recent:
            self.author_times[author].append(t)
            for term in terms:
                self.term_times[term].append(t)
            for pre in set(title_prefixes(title)) - COMMON_PREFIXES:
                self.prefix_times[pre].append(t)
            self.recent_prs.append(t)


def merge_seconds(prs: pd.DataFrame) -> np.ndarray:
    """Merge times as seconds since the epoch, the clock every history window counts in."""
    return (prs["merged_at"] - EPOCH).dt.total_seconds().to_numpy()


def _utc(value) -> pd.Timestamp:
    """A validated record's timestamp as pandas parses it in a table (naive means UTC); NaT when absent.
    One scalar parse costs microseconds where a to_datetime call costs a third of a millisecond."""
    if value is None:
        return pd.NaT
    t = pd.Timestamp(value)
    return t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC")


def record_seconds(records: list[dict]) -> np.ndarray:
    """merge_seconds of validated records."""
    return np.array([(_utc(r["merged_at"]) - EPOCH).total_seconds() for r in records], float)


def history_state(prs: pd.DataFrame, tax: Taxonomy, state: HistoryState | None = None,
                  recent_from: float = -np.inf) -> HistoryState:
    """A state walked over every PR of `prs` (in merge order), continuing `state` when given (its
    PRs must all be older). Merge times before `recent_from` are not kept: a state that only
    PRs merged at least 90 days later will read needs none of them (scorer.snapshot)."""
    st = state if state is not None else HistoryState()
    keys = set(zip(prs["repo"].tolist(), prs["number"].tolist()))
    st.keys |= keys
    st.repos |= {r for r, _ in keys}
    order = np.lexsort((prs["number"].to_numpy(), prs["merged_at"].to_numpy()))
    merged = merge_seconds(prs)
    titles, authors, files_col = prs["title"].to_numpy(), prs["author"].to_numpy(), prs["files"].to_numpy()
    for i in order:
        st.add_walked(files_col[i], authors[i], merged[i], titles[i], tax, recent=merged[i] >= recent_from)
    return st


FRAME_COLUMNS = ["number"] + NUMERIC_FEATURES + TEXT_FEATURES  # a feature frame's columns, in order


def _table_columns(prs: pd.DataFrame) -> dict[str, np.ndarray]:
    """What the feature walk reads of each PR, as arrays by row position."""
    n = len(prs)
    cols = {"number": prs["number"].to_numpy(), "merged": merge_seconds(prs), "title": prs["title"].to_numpy(),
            "author": prs["author"].to_numpy(), "files": prs["files"].to_numpy(),
            "co": prs["co_authors"].to_numpy() if "co_authors" in prs else np.empty(n, object),
            "so": prs["signed_off_by"].to_numpy() if "signed_off_by" in prs else np.empty(n, object),
            "known": prs["line_counts_known"].to_numpy() if "line_counts_known" in prs else np.ones(n, bool),
            "body": prs["body"].to_numpy() if "body" in prs else np.full(n, "", object)}
    api = api_features(prs)
    return {**cols, **{c: api[c].to_numpy() for c in API_FEATURES}}


def _record_columns(records: list[dict]) -> dict[str, np.ndarray]:
    """The same arrays from validated records (records.validate_record), without building the
    canonical DataFrame: what scoring one PR in a service costs is mostly that frame otherwise."""
    def column(name: str, default) -> np.ndarray:
        out = np.empty(len(records), object)
        for i, r in enumerate(records):  # element-wise: a list value must not become an array axis
            out[i] = r.get(name) if r.get(name) is not None else default
        return out

    def count(name: str) -> np.ndarray:
        return np.array([np.nan if r.get(name) is None else float(r[name]) for r in records], float)

    merged_at = [_utc(r["merged_at"]) for r in records]
    # As api_features computes it: from the difference of the times, not of rounded seconds.
    hours = np.array([(m - _utc(r.get("created_at"))).total_seconds() / 3600 for m, r in zip(merged_at, records)],
                     float)
    return {"number": np.array([r["number"] for r in records], np.int64),
            "merged": np.array([(m - EPOCH).total_seconds() for m in merged_at], float),
            "title": column("title", ""), "author": column("author", ""), "files": column("files", []),
            "co": column("co_authors", []), "so": column("signed_off_by", []),
            "known": np.array([r.get("line_counts_known") is not False for r in records], bool),
            "body": column("body", ""),
            "api_comments": count("comments"), "api_review_comments": count("review_comments"),
            "api_reviews": count("reviews"), "api_approvals": count("approvals"),
            "api_changes_requested": count("changes_requested"),
            "api_hours_open": np.where(np.isnan(hours), np.nan, np.maximum(hours, 0)),
            "api_labels": np.array([len(r["labels"]) if isinstance(r.get("labels"), list) else np.nan
                                    for r in records], float)}


def compute_features(prs: pd.DataFrame, tax: Taxonomy, burst_weeks: int = 8,
                     wanted: pd.Series | np.ndarray | None = None, state: "HistoryState | None" = None,
                     commit: bool = True) -> pd.DataFrame:
    """One row per PR (same index as `prs`), numeric columns of NUMERIC_FEATURES plus the text columns.

    `wanted` (a boolean mask) limits the output to those PRs: the rest of the table is still walked
    to build the history state, which is cheaper than featurizing it (scoring one week of vLLM
    needs the whole history but only ~200 feature rows).

    `state` continues from a walked history (`history_state`): `prs` then holds only PRs merged
    after it. With `commit=False` the wanted PRs are featurized but not added to the state, so
    one state serves many requests (a service scoring new PRs against a fixed history).
    """
    want = np.ones(len(prs), bool) if wanted is None else np.asarray(wanted, bool)
    rows = _walk(_table_columns(prs), tax, burst_weeks, want, state, commit)
    keep = np.flatnonzero(want)
    out = pd.DataFrame.from_records([rows[i] for i in keep], index=prs.index[keep], columns=FRAME_COLUMNS,
                                    nrows=len(keep))
    if not len(keep):  # no rows to infer types from
        out = out.astype({"number": np.int64, **{c: float for c in API_FEATURES}})
    return out


def feature_rows(records: list[dict], tax: Taxonomy, state: HistoryState) -> list[dict]:
    """Features of validated records merged after every PR of `state`, as one dict per record
    (the columns of compute_features' frame), leaving the state as it was. Equal to what
    compute_features gives those PRs appended to the state's history; the service scores a single
    new PR this way with no DataFrame at all."""
    rows = _walk(_record_columns(records), tax, 8, np.ones(len(records), bool), state, commit=False)
    return [dict(zip(FRAME_COLUMNS, rows[i])) for i in range(len(records))]


def _walk(cols: dict[str, np.ndarray], tax: Taxonomy, burst_weeks: int, want: np.ndarray,
          state: "HistoryState | None", commit: bool) -> dict[int, tuple]:
    """The walk in merge order: each PR reads the state left by the PRs before it, then joins it.
    Returns the wanted rows' features by row position, each a tuple in FRAME_COLUMNS order: a
    whole history's rows as dicts held ~7 kB each (the walk's largest allocation), as tuples ~3."""
    merged, numbers = cols["merged"], cols["number"]
    order = np.lexsort((numbers, merged))
    titles, authors, files_col, bodies = cols["title"], cols["author"], cols["files"], cols["body"]
    co, so, known_col = cols["co"], cols["so"], cols["known"]
    # PRs merged before this are outside every time window of every wanted PR (the longest is 90 days).
    horizon = (merged[want].min() if want.any() else np.inf) - max(90, (burst_weeks + 1) * 7) * DAY

    hs = state if state is not None else HistoryState()
    if state is not None:
        horizon = -np.inf  # a walked state holds every PR's times: keep it whole for later requests
    # The state's containers, bound to locals for the hot loop (mutated in place).
    author_count, author_times, author_modules = hs.author_count, hs.author_times, hs.author_modules
    file_authors, file_last, file_changes, file_recent = hs.file_authors, hs.file_last, hs.file_changes, hs.file_recent
    file_fixes, file_touches, file_size, term_times = hs.file_fixes, hs.file_touches, hs.file_size, hs.term_times
    recent_prs, prefix_times, dirs_seen = hs.recent_prs, hs.prefix_times, hs.dirs_seen
    generic = load_taxonomy("default")                   # path conventions for the g_* columns
    rows: dict[int, tuple] = {}
    as_row = operator.itemgetter(*FRAME_COLUMNS)
    last = merged[want].max() if want.any() else -np.inf
    for i in order:
        t = merged[i]
        if t > last:
            break  # nothing later can change a wanted PR's features
        files = files_col[i]
        author = authors[i]
        if not want[i]:
            hs.add_walked(files, author, t, titles[i], tax, recent=t >= horizon)
            continue
        is_fix = bool(FIX_RE.search(titles[i]))
        kinds = Counter()
        lines_per_file = []
        modules, dirs, subsystems = set(), set(), set()
        core_lines = 0.0
        added = removed = renamed = binary = 0
        la_src = ld_src = nf_src = 0
        g_kinds = Counter()
        g_la_src = la_new = docs_added = new_model_files = 0
        new_dirs: set = set()
        for f in files:
            path = f["filename"]
            info = tax.info(path)
            g = generic.info(path)
            n = (f["additions"] or 0) + (f["deletions"] or 0)
            lines_per_file.append(float(n))
            kinds[info.kind] += n
            g_kinds[g.kind] += n
            if g.source:
                g_la_src += f["additions"] or 0
            if f["status"] == "added":
                la_new += f["additions"] or 0
                docs_added += g.kind == "doc"
                new_model_files += bool(g.source and MODEL_DIR_RE.search(path))
                d = path.rpartition("/")[0]
                if d not in dirs_seen:
                    new_dirs.add(d)
            if info.source:  # lines a later fix can be blamed for (see Taxonomy.info)
                la_src += f["additions"] or 0
                ld_src += f["deletions"] or 0
                nf_src += 1
            modules.add(info.module)
            parts = path.split("/")
            subsystems.add(parts[0] if len(parts) > 1 else "")
            dirs.add("/".join(parts[:-1]))
            if info.core:
                core_lines += n
            st = f["status"]
            added += st == "added"
            removed += st == "removed"
            renamed += st == "renamed"
            binary += bool(f["binary"])
        la = float(sum(f["additions"] or 0 for f in files))
        ld = float(sum(f["deletions"] or 0 for f in files))
        churn = la + ld
        denom = churn if churn > 0 else 1.0

        # Author experience before this PR.
        rexp = _trim(author_times[author], t - 90 * DAY)
        sexp = max((author_modules[author][m] for m in modules), default=0)
        # File history before this PR.
        devs: set = set()
        ages, nuc, churn30 = [], 0, 0.0
        fixes90 = fixmax90 = act90 = size_max = 0
        for f in files:
            path = f.get("previous_filename") or f["filename"]
            fx, tc = _trim(file_fixes.get(path), t - 90 * DAY), _trim(file_touches.get(path), t - 90 * DAY)
            fixes90 += fx
            fixmax90 = max(fixmax90, fx)
            act90 += tc
            size_max = max(size_max, file_size.get(path, 0))
            devs |= file_authors.get(path, set())
            if path in file_last:
                ages.append((t - file_last[path]) / DAY)
            nuc += file_changes.get(path, 0)
            dq = file_recent.get(path)
            if dq:
                while dq and dq[0][0] < t - 30 * DAY:
                    dq.popleft()
                churn30 += sum(c for _, c in dq)
        # Burst: this PR's title terms in the last 7 days vs the weekly mean of the weeks before.
        terms = title_terms(titles[i])
        burst, burst_count, theme_term = 0.0, 0, 0
        for term in terms:
            dq = term_times[term]
            _trim(dq, t - (burst_weeks + 1) * 7 * DAY)
            recent = theme = 0
            for x in reversed(dq):  # newest first; stop at the 28-day edge
                if x < t - 28 * DAY:
                    break
                theme += 1
                recent += x >= t - 7 * DAY
            theme_term = max(theme_term, theme)
            before = (len(dq) - recent) / burst_weeks
            score = (recent + 1) / (before + 1)
            if score > burst:
                burst, burst_count = score, recent
        week_prs = _trim(recent_prs, t - 7 * DAY)

        prefixes = title_prefixes(titles[i])
        # Theme: how many PRs of the last 28 days share this PR's uncommon prefix tag or title term
        # (release notes highlight a series such as "[MoE Refactor]" as one story).
        theme_prefix = theme_prefix90 = 0
        for p in set(prefixes) - COMMON_PREFIXES:
            n90 = _trim(prefix_times.get(p), t - 90 * DAY)
            if n90:
                dq = prefix_times[p]
                n28 = 0
                for x in reversed(dq):  # newest first; stop at the 28-day edge
                    if x < t - 28 * DAY:
                        break
                    n28 += 1
                theme_prefix, theme_prefix90 = max(theme_prefix, n28), max(theme_prefix90, n90)
        rule = rule_flags(files, tax)
        body = bodies[i] or ""
        kind = change_kind(titles[i])
        rkind = classify_change(titles[i], [f["filename"] for f in files],
                                [f["filename"] for f in files if f.get("status") == "added"])
        headline = clean_title(titles[i])
        rows[i] = as_row({
            "number": numbers[i], "la": la, "ld": ld, "nf": float(len(files)), "log_la": math.log1p(la), "log_ld": math.log1p(ld),
            "log_nf": math.log1p(len(files)), "log_churn": math.log1p(churn),
            "share_test": kinds["test"] / denom, "share_doc": kinds["doc"] / denom,
            "share_code": kinds["code"] / denom, "share_build": kinds["build"] / denom,
            "files_added": added, "files_removed": removed, "files_renamed": renamed, "files_binary": binary,
            "line_counts_known": float(bool(known_col[i])),
            "n_subsystems": len(subsystems), "n_dirs": len(dirs), "entropy": _entropy(lines_per_file),
            "n_modules": len(modules), "core_share": core_lines / denom,
            "title_len": len(titles[i]), "n_prefixes": len(prefixes),
            "exp": author_count[author], "rexp": rexp, "sexp": sexp, "first_pr": float(author_count[author] == 0),
            "ndev": len(devs - {author}), "age_days": float(np.mean(ages)) if ages else -1.0, "nuc": nuc,
            "churn30": churn30, "n_coauthors": len(co[i] or []), "n_signoffs": len(so[i] or []),
            "burst": burst, "burst_count": burst_count, "week_prs": week_prs,
            "la_src": float(la_src), "ld_src": float(ld_src), "nf_src": float(nf_src),
            "log_la_src": math.log1p(la_src), "log_ld_src": math.log1p(ld_src), "is_fix": float(is_fix),
            "fixes90": fixes90, "fixmax90": fixmax90, "act90": act90, "log_size_max": math.log1p(size_max),
            **{f"rule_{k}": v for k, v in rule.items()},
            "g_share_test": g_kinds["test"] / denom, "g_share_doc": g_kinds["doc"] / denom,
            "g_share_build": g_kinds["build"] / denom, "g_log_la_src": math.log1p(g_la_src),
            "log_la_new": math.log1p(la_new), "share_new": la_new / la if la > 0 else 0.0,
            "new_dirs": len(new_dirs), "docs_added": docs_added, "new_model_files": new_model_files,
            "series": float(bool(SERIES_RE.search(titles[i]))), "theme_prefix28": theme_prefix,
            "theme_prefix90": theme_prefix90,
            "prefix_structural": float(any(STRUCTURAL_PREFIX_RE.search(x) for x in raw_prefix_tags(titles[i]))),
            "theme_term28": theme_term, "body_len": math.log1p(len(body)),
            "breaking": float(bool(BREAKING_RE.search(titles[i]) or BREAKING_RE.search(body))), "gains": len(GAIN_RE.findall(titles[i])) + len(GAIN_RE.findall(body)),
            **{k: float(bool(r.search(headline))) for k, r in HEADLINE_RES.items()},
            **{f"kind_{k}": float(kind == k) for k in CHANGE_KINDS},
            **{f"rkind_{k}": float(rkind == k) for k in KINDS},
            "prefix": " ".join(prefixes) or "none",
            "title_text": clean_title(titles[i]).lower(),
            "path_text": " ".join(sorted(dirs)).replace("/", " ").replace("_", " "),
            "module_text": " ".join(sorted(modules)),
            **{c: cols[c][i] for c in API_FEATURES},
        })

        if commit:
            hs.add(files, author, t, is_fix, terms, modules, titles[i])
    return rows


def api_features(prs: pd.DataFrame) -> pd.DataFrame:
    """The API-only columns of each PR (API_FEATURES), NaN where the table does not have them.

    Counts are as the API reported them at ingestion: reviews are those submitted before the
    merge (`scorer ingest github` keeps only those), comments are the thread's total.
    """
    nan = np.full(len(prs), np.nan)

    def col(name: str) -> np.ndarray:
        return pd.to_numeric(prs[name], errors="coerce").to_numpy(float) if name in prs else nan

    hours = nan
    if "created_at" in prs:
        created = pd.to_datetime(prs["created_at"], utc=True, errors="coerce")
        hours = ((prs["merged_at"] - created).dt.total_seconds() / 3600).clip(lower=0).to_numpy(float)
    labels = nan
    if "labels" in prs:
        labels = np.array([len(v) if isinstance(v, (list, tuple, np.ndarray)) else np.nan for v in prs["labels"]], float)
    return pd.DataFrame({"api_comments": col("comments"), "api_review_comments": col("review_comments"),
                         "api_reviews": col("reviews"), "api_approvals": col("approvals"),
                         "api_changes_requested": col("changes_requested"), "api_hours_open": hours,
                         "api_labels": labels}, index=prs.index)


def main_module(files: list[dict], tax: Taxonomy) -> str:
    """The module area with most changed lines, tests and docs counted only when nothing else changed."""
    lines: Counter = Counter()
    for f in files:
        lines[tax.module_of(f["filename"])] += 1 + (f["additions"] or 0) + (f["deletions"] or 0)
    if not lines:
        return "other"
    primary = {m: v for m, v in lines.items() if m not in ("tests", "docs")}
    pick = primary or lines
    return max(sorted(pick), key=lambda m: pick[m])
