"""What `scorer serve` serves, apart from HTTP: the loaded bundle and its atomic swap, the served
history and its walked state, the report cache, the webhook deliveries seen, and the merged PRs
webhooks append. scorer.serve puts the routes over it.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ScorerError

TOKEN_ENV = "SCORER_SERVICE_TOKEN"
WEBHOOK_SECRET_ENV = "SCORER_WEBHOOK_SECRET"
WEEK_RE = re.compile(r"\d{4}-W\d{2}")  # fullmatch: `$` would also match before a trailing newline
MAX_DELIVERIES = 10_000  # webhook delivery ids remembered (a redelivery or a replay is answered, not redone)


@dataclass
class Served:
    """What one running service serves. `model` is swapped whole (a tuple), so a request sees
    either the old bundle or the new one, never a mix."""
    model: tuple  # (PRScorer, card)
    model_path: Path
    model_id: str
    history: Any = None  # the canonical DataFrame, or None
    data_path: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    reports: dict = field(default_factory=dict)  # (week, lang, format, model_id, history rows) -> body
    render_locks: dict = field(default_factory=dict)  # one render in flight per report key
    state: Any = None  # features.HistoryState walked over `history` (built at start, rebuilt after appends)
    state_lock: threading.Lock = field(default_factory=threading.Lock)
    deliveries: "OrderedDict[str, None]" = field(default_factory=OrderedDict)
    ledger: Path | None = None  # the prediction ledger its scores are appended to (scorer.ledger)
    monitor_report: Path | None = None  # the latest `scorer monitor` JSON, exported on /metrics

    def first_delivery(self, delivery: str) -> bool:
        """Whether this webhook delivery id is new (then remembered, the oldest forgotten past
        MAX_DELIVERIES): GitHub redelivers with the same id, and a replayed event carries one."""
        with self.lock:
            if delivery in self.deliveries:
                return False
            self.deliveries[delivery] = None
            while len(self.deliveries) > MAX_DELIVERIES:
                self.deliveries.popitem(last=False)
            return True

    def walk_history(self) -> None:
        """Walk the history once, so that scoring a new PR featurizes only that PR."""
        from .features import history_state
        from .score import taxonomy_for

        if self.history is not None and len(self.history):
            self.state = history_state(self.history, taxonomy_for(self.model[0], self.history))


def record_results(s: Served, records: list[dict], results: list[dict], source: str,
                   merged_only: bool = False) -> int:
    """Append a request's scores to the service's ledger: each result with its record's merge
    time (`merged_only`: only PRs already merged, as a webhook's open PR has no outcome yet)."""
    import pandas as pd

    from .ledger import record_scores

    if s.ledger is None or not results:
        return 0
    merged = {(r["repo"], int(r["number"])): r.get("merged_at") for r in records}
    rows = []
    for res in results:
        at = merged.get((res["repo"], int(res["number"])))
        if merged_only and not at:
            continue
        rows.append({"repo": res["repo"], "number": int(res["number"]),
                     "merged_at": pd.to_datetime(at, utc=True) if at else pd.NaT,
                     "importance": res["importance"],
                     **{f"p:{t}": v["probability"] for t, v in res["tags"].items()}})
    n = 0
    frame = pd.DataFrame(rows)
    for repo, part in (frame.groupby("repo", sort=True) if len(frame) else ()):
        when = pd.Timestamp.now(tz="UTC")
        n += record_scores(s.ledger, part.reset_index(drop=True), str(repo), f"{when:%G-W%V}", s.model_path,
                           {t: m.threshold for t, m in s.model[0].tags_.items()}, source=source, predicted_at=when)
    return n


def bundle_id(path: Path) -> str:
    """The bundle's identity as the service shows it: its manifest hash, shortened."""
    from .bundle import manifest_hash

    return manifest_hash(path)[:16]


def load_served(model_path: Path, data_path: Path | None = None, ledger: Path | None = None,
                monitor_report: Path | None = None) -> Served:
    from .records import load_prs
    from .score import load_model, require_importance

    model = load_model(model_path)
    require_importance(model[0], model_path)
    history = load_prs(data_path) if data_path is not None else None
    served = Served(model, model_path, bundle_id(model_path), history, data_path, ledger=ledger,
                    monitor_report=monitor_report)
    served.walk_history()
    return served


def _record_from_webhook(payload: dict) -> dict:
    """A canonical record from a `pull_request` event (the event carries counts, not the file list)."""
    from .ingest.github import check_item, pr_record

    pr = payload.get("pull_request")
    repository = payload.get("repository")
    repo = repository.get("full_name") if isinstance(repository, dict) else None
    if not isinstance(pr, dict) or not isinstance(repo, str):
        raise ScorerError("a pull_request event needs pull_request and repository.full_name", field="pull_request")
    check_item(pr, "webhook", "pull_request")
    detail = dict(pr)
    if not detail.get("merged_at"):  # opened / synchronize: scored as if merged now
        detail["merged_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    rec = pr_record(repo, detail, [], [])
    rec["line_counts_known"] = False
    return rec


def _append_history(s: Served, rec: dict) -> bool:
    """A merged PR joins the served history (replacing an earlier row of the same PR), and the
    table on disk is rewritten atomically when the history came from a file. An event older
    than the row already kept (its `updated_at`) changes nothing: False."""
    import pandas as pd

    from .records import save_prs, to_frame, validate_record

    row = to_frame([validate_record(rec, "webhook", 1)])
    with s.lock:
        hist = s.history if s.history is not None else row.iloc[0:0]
        same = (hist["repo"] == rec["repo"]) & (hist["number"] == rec["number"])
        if same.any() and "updated_at" in hist.columns and "updated_at" in row.columns:
            kept, new = hist.loc[same, "updated_at"].max(), row["updated_at"].iloc[0]
            if pd.notna(kept) and (pd.isna(new) or new <= kept):
                return False
        hist = hist[~same]
        s.history = pd.concat([hist, row], ignore_index=True).sort_values(
            ["merged_at", "number"], ascending=False, kind="mergesort").reset_index(drop=True)
        if s.data_path is not None:
            save_prs(s.history, s.data_path)
        s.reports.clear()
        s.state = None
    s.walk_history()  # requests meanwhile take the full walk (state None): same features, slower
    return True
