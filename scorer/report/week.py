"""What every section of the weekly report reads: the week's rows (kind, area, tags, facts, the
named story each belongs to, its one-line summary), the history before the week, and the small
shared rules (periods, ranking, the top table, thresholds as stated, platform names).
`read_week` builds it once; each module of scorer.report.sections turns it into its section's
figures, and scorer.report.writer composes them.
"""

from __future__ import annotations

import inspect
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from ..errors import ScorerError
from ..features import main_module
from ..labels import outcome_labels
from ..prtext import KIND_WORDS, classify_pr, extract_facts, title_terms
from ..taxonomy import Taxonomy
from .stories import cached_if_short, norm, summary_title

TOP_TABLE_ROWS = 30  # the top table shows at most this many highlighted PRs (or --top-k)




VOCAB_WEEKS = 52  # model families are those whose files the last year's PRs touched


STORY_WEEKS = 8    # how far back a story's history (first appearance, aliases, spellings) looks


MAX_STORIES = 8    # stories with a section-2 heading; the rest are summed in one line


CATCH_ALL = frozenset({"other", "root"})  # the area of paths no module claims: never a direction of its own


PLATFORM_WORDS = {"otherhw": ("其他硬件", "other hardware"), "cuda": ("CUDA", "CUDA"), "rocm": ("ROCm", "ROCm"),
                  "xpu": ("XPU", "XPU"), "cpu": ("CPU", "CPU"), "tpu": ("TPU", "TPU"), "npu": ("NPU", "NPU"),
                  "hpu": ("HPU", "HPU"), "neuron": ("Neuron", "Neuron"), "ascend": ("Ascend", "Ascend")}


BUG_WINDOW_DAYS = inspect.signature(outcome_labels).parameters["window_days"].default  # what p:bug-inducing means


def period_from_week(week: str, tz: str) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    m = re.fullmatch(r"(\d{4})-W(\d{1,2})", week.strip())
    if not m:
        raise ScorerError(f"--week must look like 2026-W18, got {week!r}")
    try:
        monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        raise ScorerError(f"{week!r} is not a week of {m.group(1)}") from None
    start = pd.Timestamp(monday).tz_localize(tz)
    return start, start + pd.Timedelta(days=7), f"{int(m.group(1))}-W{int(m.group(2)):02d}"


def period_from_dates(since: str, until: str, tz: str) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    try:
        start = pd.Timestamp(since).tz_localize(tz)
        end = pd.Timestamp(until).tz_localize(tz) + pd.Timedelta(days=1)
    except (ValueError, TypeError):
        raise ScorerError(f"--since/--until must be dates like 2026-04-27, got {since!r} / {until!r}") from None
    if end <= start:
        raise ScorerError("--until is before --since")
    return start, end, f"{since}_{until}"


@cached_if_short(400, 1 << 14)
def look_back_terms(title: str) -> tuple[str, ...]:
    """title_terms of a title a report reads. Each report counts the terms of its 8 weeks of
    look-back titles, and consecutive weeks (a backfill, the service) share 7 of them."""
    return tuple(title_terms(title))


def display_term(term: str, titles: list[str]) -> str:
    """The spelling the titles use most (DeepSeek, not deepseek)."""
    spellings = Counter(w for t in titles for w in re.findall(r"[A-Za-z][\w.-]*", t) if w.lower() == term)
    return spellings.most_common(1)[0][0] if spellings else term


def ranked_rows(scores: pd.DataFrame, highlight_at: float, top_k: int | None) -> pd.DataFrame:
    """A week's rows best first (importance, then the latest merged, then the highest number)
    with their `highlight` flag: the first `top_k`, else those at or above `highlight_at`."""
    rows = scores.sort_values(["importance", "merged_at", "number"], ascending=False, kind="mergesort")
    if top_k:
        flags = np.zeros(len(rows), np.int64)
        flags[:top_k] = 1
    else:
        flags = (rows["importance"] >= highlight_at).to_numpy().astype(np.int64)
    return rows.assign(highlight=flags)


def top_table(rows: pd.DataFrame, top_k: int | None) -> list[int]:
    """The PRs the top table shows, best first, of `ranked_rows` rows: the highlighted ones (at most
    TOP_TABLE_ROWS, or top_k when larger), else the best ten."""
    hl = rows[rows["highlight"] == 1]
    return [int(x) for x in (hl.head(max(top_k or 0, TOP_TABLE_ROWS)) if len(hl) else rows.head(10))["number"]]


def top_table_numbers(scores: pd.DataFrame, highlight_at: float, top_k: int | None) -> list[int]:
    """The PRs a week's report shows in its top table: the ones whose reasons it prints."""
    return top_table(ranked_rows(scores, highlight_at, top_k), top_k)


def pr_ref(row: dict) -> dict:
    return {"number": int(row["number"]), "importance": round(float(row["importance"]), 1),
            "summary": row["summary"], "kind": row["kind"], "area": row["area"], "kind_id": row["kind_id"],
            "module": row["module"]}


def context_since(start: pd.Timestamp, end: pd.Timestamp, have_vocab: bool = False) -> pd.Timestamp:
    """The earliest merge time build_context reads: the trailing periods, the stories' look-back
    and (unless the caller gives the vocabulary) the model vocabulary's year."""
    since = min(start - 4 * (end - start), start - pd.Timedelta(weeks=STORY_WEEKS))
    return since if have_vocab else min(since, vocab_window(end))


def vocab_window(end: pd.Timestamp) -> pd.Timestamp:
    """The first merge time `model_vocabulary` reads for a report ending at `end`."""
    return end - pd.Timedelta(weeks=VOCAB_WEEKS)


def stated_threshold(threshold: float, probs: list[float]) -> float:
    """The threshold as a report states it: rounded to 2 decimals, or to more when a PR of the week
    lies between the rounded and the exact value (then "p >= 0.29" would count a PR the model did
    not tag, or leave out one it did)."""
    for digits in (2, 3, 4, 6):
        shown = round(float(threshold), digits)
        lo, hi = sorted((shown, float(threshold)))
        if not any(lo <= float(p) < hi for p in probs if p == p):
            return shown
    return float(threshold)


def platform_display(key: str, li: int) -> str:
    """A taxonomy's platform key as prose names it: `rocm` -> ROCm, `other-hw` -> other hardware;
    a key of a user's taxonomy reads as words (`habana-gaudi` -> Habana Gaudi, `ipu` -> IPU)."""
    if norm(key) in PLATFORM_WORDS:
        return PLATFORM_WORDS[norm(key)][li]
    words = [w for w in re.split(r"[-_\s]+", key) if w]
    return " ".join(w.upper() if len(w) <= 4 and w.isalnum() else w[:1].upper() + w[1:] for w in words) or key


def first_by(rows: list[dict], key: Callable[[dict], float]) -> list[dict]:
    """`rows` by `key` then number, both descending, a missing (NaN) key last: a frame's
    sort_values([key, "number"], ascending=False), over plain rows."""
    def order(r: dict) -> tuple:
        v = float(key(r))
        return (math.isnan(v), -v if not math.isnan(v) else 0.0, -int(r["number"]))
    return sorted(rows, key=order)


def top_modules(modules: list[str], k: int = 2) -> list[str]:
    """The areas most of these PRs are in, most first (ties by id)."""
    return [m for m, _ in sorted(Counter(modules).items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


@dataclass
class WeekData:
    """A week's rows and what the sections share about them. `rows` is the ranked frame (best
    first, with `highlight`); `records` the same rows as dicts by PR number, in that order."""
    rows: pd.DataFrame
    prs: pd.DataFrame  # the look-back window of the table (context_since .. end)
    tax: Taxonomy
    lang: str
    start: pd.Timestamp
    end: pd.Timestamp
    files_of: dict[int, list[dict]]
    facts: dict[int, dict] = field(default_factory=dict)
    records: dict[int, dict] = field(default_factory=dict)
    has_prev: bool = False
    prev_count: int = 0
    prev_modules: Counter = field(default_factory=Counter)
    trailing_modules: Counter = field(default_factory=Counter)
    n_trailing_spans: int = 1
    trailing_known: bool = False

    @property
    def li(self) -> int:
        return 0 if self.lang == "zh" else 1

    @property
    def ranked(self) -> list[dict]:
        return list(self.records.values())


def trailing_spans(start: pd.Timestamp, end: pd.Timestamp, first_merged: pd.Timestamp, any_before: bool) -> int:
    """How many periods "the weeks before" average over: the (up to 4) whole periods the table
    covers before `start`; 1 when none of its PRs came before."""
    return max(1, min(4, int((start - first_merged) / (end - start)))) if any_before else 1


def read_week(scores: pd.DataFrame, prs: pd.DataFrame, tax: Taxonomy, *, start: pd.Timestamp, end: pd.Timestamp,
              lang: str, highlight_at: float, top_k: int | None, first_merged: pd.Timestamp | None) -> WeekData:
    """The week's rows with their kind, area, tags and facts, ranked; and the module counts of the
    week before and the four before (what "before" and "the previous weeks" mean)."""
    li = 0 if lang == "zh" else 1
    rows = scores.copy()
    wanted = set(rows["number"].astype(int))
    files_of = {int(n): f for n, f in zip(prs["number"], prs["files"]) if int(n) in wanted}
    bodies = prs["body"] if "body" in prs.columns else pd.Series("", index=prs.index)
    body_of = {int(n): str(b or "") for n, b in zip(prs["number"], bodies) if int(n) in wanted}
    rows["title_clean"] = rows["title"].map(summary_title)
    rows["kind_id"] = [classify_pr(t, files_of[int(n)]) for t, n in zip(rows["title"], rows["number"])]
    rows["kind"] = rows["kind_id"].map(lambda k: KIND_WORDS[k][li])
    rows["module"] = [main_module(files_of[int(n)], tax) for n in rows["number"]]
    rows["area"] = rows["module"].map(lambda m: tax.names(m)[li])
    rows["tag_list"] = rows["tags"].map(lambda s: [t for t in s.split(";") if t])
    rows = ranked_rows(rows, highlight_at, top_k)
    w = WeekData(rows=rows, prs=prs, tax=tax, lang=lang, start=start, end=end, files_of=files_of)
    if not len(rows):
        return w
    span = end - start
    prev = prs[(prs["merged_at"] >= start - span) & (prs["merged_at"] < start)]
    trailing = prs[(prs["merged_at"] >= start - 4 * span) & (prs["merged_at"] < start)]
    w.has_prev, w.prev_count = len(prev) > 0, len(prev)
    w.prev_modules = Counter(main_module(f, tax) for f in prev["files"])
    w.trailing_modules = Counter(main_module(f, tax) for f in trailing["files"])
    w.trailing_known = len(trailing) > 0
    w.n_trailing_spans = trailing_spans(start, end, prs["merged_at"].min() if first_merged is None else first_merged,
                                        len(trailing) > 0)
    w.facts = {num: extract_facts(t, body_of[num], files_of[num], tax)
               for num, t in zip(rows["number"].astype(int), rows["title"])}
    return w


def hot_files(w: WeekData) -> list[dict]:
    """The code files (not tests or docs) the most PRs of the week touched, touched by two or more."""
    files: Counter = Counter()
    for num in w.rows["number"]:
        for f in w.files_of[int(num)]:
            if not (w.tax.is_test(f["filename"]) or w.tax.is_doc(f["filename"])):
                files[f["filename"]] += 1
    return [{"file": f, "prs": c} for f, c in sorted(files.items(), key=lambda kv: (-kv[1], kv[0]))[:5] if c > 1]


def tag_ranking(w: WeekData) -> list[tuple[str, int]]:
    """Each tag of the week with its number of PRs, most tagged first (ties by name)."""
    return sorted(Counter(t for ts in w.rows["tag_list"] for t in ts).items(), key=lambda kv: (-kv[1], kv[0]))
