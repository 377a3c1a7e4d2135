"""The application layer: one function per job (train a bundle, score a period, write the
weekly or daily report, evaluate, backtest, run the demo), each returning plain objects. The
CLI and the HTTP service are front doors over these functions: they parse their inputs, show
progress and print or serve the results, and hold no stage logic of their own."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ContextManager

from .errors import ScorerError
from .fileio import require_input

if TYPE_CHECKING:
    import pandas as pd


@contextlib.contextmanager
def _no_progress(total: int, desc: str):
    class _Bar:
        def update(self, n: int = 1) -> None:
            pass

        def set_postfix_str(self, s: str) -> None:
            pass

    yield _Bar()


def parse_date(value: str | None, name: str):
    import pandas as pd

    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        raise ScorerError(f"{name} must be a date like 2026-01-31, got {value!r}") from None
    if ts is pd.NaT or not 1970 <= ts.year <= 2100:
        raise ScorerError(f"{name} must be a date from 1970 to 2100, got {value!r}")
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def check_date_order(since: str | None, until: str | None) -> None:
    """--since after --until selects nothing: say so instead of writing an empty result."""
    if since and until and parse_date(since, "--since") > parse_date(until, "--until"):
        raise ScorerError(f"--since {since} is after --until {until}")



SAMPLE_DIR = Path(__file__).resolve().parents[1] / "training_data" / "demo"



GENERIC_BUNDLE = Path(os.environ.get("SCORER_GENERIC_MODEL", Path(__file__).resolve().parents[1] / "models" / "generic-importance"))


def ingest_github_window(repo: str, since: str, until: str | None, output: Path, activity_out: Path | None = None, *,
                         api_url: str = "https://api.github.com", cache_dir: Path | None = None,
                         progress: Callable | None = None, on_request: Callable | None = None):
    """Read a window of a repository from the GitHub REST API (token from $GITHUB_TOKEN) and
    write its merged PRs as the canonical table and, with `activity_out`, its activity table.
    Returns (GitHubIngest, first day, last day) for the front door's summary."""
    import pandas as pd

    from .ingest.github import GitHubClient, ingest_github, pr_frame, save_activity
    from .records import save_prs

    start = parse_date(since, "--since")
    end = (parse_date(until, "--until") if until else pd.Timestamp.now(tz="UTC").normalize()) + pd.Timedelta(days=1)
    token = os.environ.get("GITHUB_TOKEN") or None
    cache = cache_dir or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "scorer" / "github"
    with GitHubClient(api_url=api_url, token=token, cache_dir=cache, on_request=on_request) as client:
        result = ingest_github(client, repo, start, end, progress=progress)
    save_prs(pr_frame(result, f"{api_url} {repo}"), output)
    if activity_out:
        save_activity(result.activity, activity_out)
    return result, start, end - pd.Timedelta(days=1)


def train_bundle(prs_path: Path, label_paths: list[Path], output: Path, taxonomy: str | None = None,
                 until: str | None = None, since: str | None = None, seed: int = 0, on_conflict: str = "error",
                 progress: Callable[[int, str], ContextManager] | None = None, feature_set: str = "full",
                 importance_model: Path | None = None, engine: str = "local", scheduler: str | None = None,
                 client=None, threads: int | None = None):
    """Load, featurize, fit and save; shared by `train`, `backtest` and `demo`.
    `threads`: LightGBM's thread count (default 1, see README "Training time").

    Labels with no importance column make the bundle take its importance from the generic bundle
    (`importance_model`, default models/generic-importance), which the card then names.
    """
    from .bundle import library_versions, save_bundle
    from .features import GENERIC_FEATURES, NUMERIC_FEATURES, TEXT_FEATURES
    from .labels import RULE_TAGS, load_labels, merge_labels, tag_columns
    import pandas as pd

    from .records import load_tables
    from .score import load_model
    from .params import LGBM_PARAMS, RANK_PARAMS, TAG_PARAMS
    import numpy as np
    from .train import BASELINE_FEATURES, PRScorer, data_hash

    prs_paths = [Path(p) for p in prs_path] if isinstance(prs_path, (list, tuple)) else [Path(prs_path)]
    prs = load_tables(prs_paths)
    repos = sorted(prs["repo"].unique())
    several = len(repos) > 1
    if several and (taxonomy or feature_set == "generic"):
        raise ScorerError("a bundle of several repositories reads each with its own taxonomy and is not generic: "
                          "drop --taxonomy / --features generic")
    repo = repos[0] if not several else ""
    tax = None if several else load_taxonomy_for(taxonomy, repo)  # several: each task loads its repository's
    labels = merge_labels([load_labels(p) for p in label_paths], on_conflict=on_conflict)
    labels = labels[labels["repo"].isin(repos)]
    if labels.empty:
        raise ScorerError(f"no labels for {', '.join(repos)} in {', '.join(map(str, label_paths))}")
    window = pd_mask(prs, since, until)
    # Only rows up to the window's end are featurized: later PRs cannot change earlier features.
    # Each repository on its own history and with its own taxonomy: history never mixes them.
    # On the Dask engine the repositories are featurized in parallel, one task each.
    from .engine import run_all

    tasks = [(prs[prs["repo"] == r], None if several else taxonomy, r, window[prs["repo"] == r]) for r in repos]
    parts = run_all(_repo_features, tasks, engine=engine, scheduler=scheduler, client=client)
    feats = pd.concat(parts).loc[prs.index[window]] if several else parts[0].drop(columns=["repo"])
    merged = prs.loc[window, "merged_at"]
    has_importance = "importance" in labels and labels.loc[labels["number"].isin(feats["number"]), "importance"].notna().sum() >= 50
    generic, generic_card, generic_path = None, None, None
    if feature_set == "full" and not has_importance:
        generic_path = Path(importance_model) if importance_model else GENERIC_BUNDLE
        if not (generic_path / "manifest.json").exists():
            raise ScorerError("the labels hold no importance (>= 50 rows) and there is no generic importance bundle "
                              "to fall back on; build it (README: 'The generic importance bundle') or pass "
                              "--importance-model", path=str(generic_path))
        generic, generic_card = load_model(generic_path)
        if generic.feature_set != "generic":
            raise ScorerError("--importance-model must be a generic bundle (trained with --features generic)",
                              path=str(generic_path))
    n_steps = 1 + (0 if feature_set == "generic" else len([c for c in tag_columns(labels) if c[4:] not in RULE_TAGS]))
    from .taxonomy import BUNDLED, is_shipped, taxonomy_text

    # A shipped taxonomy is named; a user's own travels inside the bundle (hashed by its manifest),
    # so the bundle never reads a file outside itself.
    own_taxonomy = not (several or tax.generic or feature_set == "generic" or is_shipped(tax))
    model = PRScorer(taxonomy="default" if several or tax.generic or feature_set == "generic"
                     else BUNDLED if own_taxonomy else tax.name,
                     repo="" if feature_set == "generic" else repo,
                     seed=seed, feature_set=feature_set, repos_=tuple(repos) if several else ())
    with (progress or _no_progress)(n_steps, "train") as bar:
        model.fit(feats, labels if several else labels.drop(columns=["repo"]), merged, progress=bar, generic=generic,
                  n_jobs=threads)
    used = labels[labels["number"].isin(feats["number"])]
    if model.importance_ is not None:
        imp = model.importance_
        importance = {"objective": "an L2 regression on the 0-10 labels plus a LambdaRank model over ISO weeks "
                                   "(gains 0 / 1 / 7 for not named / named / Highlights), each divided by its spread on "
                                   "the training rows and summed, then mapped onto the 0-10 display scale", "source": "labels",
                      "weights": list(getattr(imp, "weights", ())),
                      "display_scale": {"points": list(getattr(imp, "scale_y", np.array([])).tolist()),
                                        "meaning": "0 the least important training PR; 5 and up the share the "
                                                   "labels name, 7 and up the share they highlight, 9 and up the "
                                                   "top fifth of that; 10 the best training PR"}}
    elif generic is not None:
        importance = {"objective": "the generic importance bundle's model, unchanged", "source": "generic",
                      "generic_bundle": str(generic_path), "generic_trained_on": generic_card.get("trained_on"),
                      "generic_training_window": generic_card.get("training_window"),
                      "generic_data_sha256": generic_card.get("data_sha256"),
                      "generic_validation": generic_card.get("validation", {}).get("importance")}
    else:
        importance = None
    card = {
        "name": output.name, "repo": model.repo, "trained_on": repos,
        "taxonomy": {r: load_taxonomy_for(None, r).name for r in repos} if several
        else f"{tax.name} (its own copy, {BUNDLED})" if own_taxonomy else model.taxonomy,
        "feature_set": feature_set,
        "api_fields": model.api_features_,  # trained with comments/reviews/labels from an API source
        "training_window": {"from": str(merged.min()), "to": str(merged.max()), "since": since, "until": until},
        "rows": {"prs": int(len(feats)), "labeled": int(model.report_["rows_labeled"])},
        "label_sources": sorted(set("+".join(used["source"].astype(str)).split("+"))),
        "label_files": [str(p) for p in label_paths],
        "data_sha256": data_hash([*prs_paths, *label_paths]),
        "features": {"numeric": GENERIC_FEATURES, "text": []} if feature_set == "generic"
        else {"numeric": NUMERIC_FEATURES, "text": TEXT_FEATURES},
        "hyperparameters": {"lightgbm": LGBM_PARAMS, "lightgbm_rank": RANK_PARAMS, "lightgbm_tags": TAG_PARAMS,
                            "tag_baseline": {"model": "logistic regression on log1p, standardised",
                                             "features": BASELINE_FEATURES},
                            "seed": seed,
                            "calibration_share": model.calibration_share, "min_positives": model.min_positives,
                            "tag_decisions": {"max_decided_share": model.max_decided_share, "min_lift": model.min_lift,
                                              "min_precision": model.min_precision}},
        "importance": importance,
        "tags": {t: {"threshold": m.threshold, "calibration": m.method,
                     "boosting_rounds": model.report_["tags"][t]["boosting_rounds"],
                     "probability_range": model.report_["tags"][t]["probability_range"]}
                 for t, m in model.tags_.items()},
        "highlight_threshold": model.highlight_threshold_,
        "highlight": model.report_.get("highlight"),
        "rule_tags": list(model.rule_tags_),
        "validation": model.report_,
        "library_versions": library_versions(),
    }
    save_bundle(model, card, output, extra={BUNDLED: taxonomy_text(tax)} if own_taxonomy else None)
    return model, card


def _repo_features(prs, taxonomy: str | None, repo: str, wanted):
    """One repository's feature rows (a task of train_bundle), with a `repo` column to join labels on."""
    from .features import compute_features

    return compute_features(prs, load_taxonomy_for(taxonomy, repo), wanted=wanted).assign(repo=repo)


def load_taxonomy_for(name: str | None, repo: str):
    from .taxonomy import load_taxonomy

    return load_taxonomy(name, repo=repo)


def pd_mask(prs, since: str | None, until: str | None):
    """Rows merged in [since, until] (dates are whole days, UTC)."""
    import pandas as pd

    mask = pd.Series(True, index=prs.index)
    if since:
        mask &= prs["merged_at"] >= parse_date(since, "--since")
    if until:
        end = parse_date(until, "--until")
        if len(until) <= 10:
            end = end + pd.Timedelta(days=1)
        mask &= prs["merged_at"] < end
    return mask



def check_tz(tz: str) -> None:
    import pandas as pd

    try:
        pd.Timestamp("2026-01-01").tz_localize(tz)
    except Exception:
        raise ScorerError(f"unknown time zone {tz!r} (e.g. Asia/Shanghai, UTC)") from None


def resolve_period(week: str | None, since: str | None, until: str | None, tz: str):
    """(start, end, period name) of --week or --since/--until."""
    from .report.week import period_from_dates, period_from_week

    check_tz(tz)
    if week:
        return period_from_week(week, tz)
    if since and until:
        return period_from_dates(since, until, tz)
    raise ScorerError("give --week, or both --since and --until")


@dataclass
class WeekScores:
    """One repository's scored period: the report's context and scores.csv's rows."""
    repo: str
    ctx: dict
    scores: Any
    bundle: Path | None = None  # the bundle that scored it, and its tags' thresholds: the ledger's rows
    thresholds: dict | None = None


def score_week(prs, model_bundle: tuple, model_path: Path, start, end, period: str, *, tz: str = "Asia/Shanghai",
               lang: str = "zh", top_k: int | None = None, highlight_at: float | None = None,
               reasons_for: str = "shown", where: str = "table", state=None,
               covers: tuple[pd.Timestamp, pd.Timestamp] | None = None,
               vocab: dict[str, str] | None = None, track: dict | None = None) -> WeekScores:
    """Score the PRs of one repository's table merged in [start, end) and build its report's
    context, writing nothing: `score_period` writes it, an organisation report gathers several.

    With `state` (the history as of `start`, scorer.snapshot), `prs` need only hold the rows the
    report looks back at (report.week.context_since) and `covers` gives the whole table's first
    and last merge times; the features are the same as from walking the whole table. `vocab`
    is the report's model vocabulary when the caller has it (then `prs` may start later)."""
    from concurrent.futures import ThreadPoolExecutor

    from .features import compute_features
    from .records import check_single_repo
    from .report.week import top_table_numbers
    from .report.writer import build_context
    from .score import check_repo, explain, rank, require_importance, score_frame, taxonomy_for

    model, card = model_bundle
    require_importance(model, model_path)
    check_repo(model, prs, model_path)
    lo, hi = covers or (prs["merged_at"].min(), prs["merged_at"].max())
    check_covered(lo, hi, start, end, period, where)
    repo = model.repo or check_single_repo(prs, where)
    tax = taxonomy_for(model, prs)
    if highlight_at is None:
        highlight_at = getattr(model, "highlight_threshold_", 6.0)
    hist = prs[prs["merged_at"] < end]
    mask = hist["merged_at"] >= start
    if state is None:
        feats = compute_features(hist, tax, wanted=mask)
    else:
        feats = compute_features(hist[mask], tax, state=state)
    scores, f = score_frame(hist, model, mask, features=feats, tax=tax)
    scores = rank(scores)
    if reasons_for == "shown":
        f = f[f["number"].isin(set(top_table_numbers(scores, highlight_at, top_k)))]
    # The reasons (SHAP over the importance trees, in LightGBM's C code, which releases the GIL)
    # are worked out on another thread while the report's context is built: the context needs
    # them only for its top table, at the end.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(explain, model, f, hist.set_index("number")["files"], tax, lang)
        ctx = build_context(scores, hist, tax, start=start, end=end, period=period, tz=tz,
                            lang=lang, model_name=Path(model_path).name,
                            model_version=card.get("library_versions", {}).get("scorer", ""), first_merged=lo,
                            vocab=vocab, highlight_at=highlight_at, top_k=top_k, reasons=pending.result, track=track,
                            tag_probs={t: float(m.threshold) for t, m in model.tags_.items()
                                       if m.threshold is not None})
        reasons = pending.result()
    scores["reasons"] = ["; ".join(reasons.get(int(n), [])) for n in scores["number"]]
    highlighted = set(ctx.get("highlighted", []))
    scores["highlight"] = [int(n in highlighted) for n in scores["number"]]
    return WeekScores(repo, ctx, scores, Path(model_path), {t: m.threshold for t, m in model.tags_.items()})


def check_covered(lo, hi, start, end, period: str, where: str) -> None:
    if end <= lo or start > hi:
        raise ScorerError(f"the table has no data for {period} (it covers {lo:%Y-%m-%d} to {hi:%Y-%m-%d})",
                          path=where)


def week_from_table(table, model_bundle: tuple, model_path: Path, start, end, period: str, *,
                    use_cache: bool, where: str, **kw) -> WeekScores:
    """One repository's week from a working table (scorer.table): the history state as of the
    week's start comes from the newest valid snapshot (scorer.snapshot), so only the PRs since
    it and the report's look-back window are read, not the whole history."""
    from .records import check_single_repo
    from .report.week import context_since
    from .score import check_repo, taxonomy_for
    from .gcpolicy import gc_paused
    from .snapshot import SnapshotStore, state_at
    from .table import cache_root

    model = model_bundle[0]
    keys = table.keys
    check_repo(model, keys, model_path)
    covers = (keys["merged_at"].min(), keys["merged_at"].max())
    check_covered(*covers, start, end, period, where)
    if not model.repo:
        check_single_repo(keys, where)  # as score_week does on a whole table
    repos = table.repos
    tax = taxonomy_for(model, keys)
    store = (SnapshotStore(cache_root(table.cache_dir), repos[0], tax)
             if use_cache and tax.digest and len(repos) == 1 else None)
    vocab = week_vocabulary(table, end, cache_root(table.cache_dir) if use_cache else None)
    since = context_since(start, end, have_vocab=True)

    def week() -> WeekScores:
        state, rows = state_at(table, tax, start, store, since, end)
        window = rows[(rows["merged_at"] >= since) & (rows["merged_at"] < end)].reset_index(drop=True)
        return score_week(window, model_bundle, model_path, start, end, period, where=where, state=state,
                          covers=covers, vocab=vocab, **kw)

    # The state and the rows are freed (by reference counting) when week() returns, before the
    # collector is back on: else its first pass would walk all ~100k of their containers.
    with gc_paused():
        return week()


def week_vocabulary(table, end, cache: Path | None) -> dict[str, str]:
    """The report's model vocabulary for a period ending at `end`: it reads a year of file lists,
    so it is kept by the digests of that year's rows and read back when they are unchanged."""
    from .report.stories import model_vocabulary
    from .report.week import vocab_window
    from .snapshot import DerivedCache
    from .pqtable import DIGEST, digest_of

    since = vocab_window(end)
    keys = table.keys
    inside = keys[(keys["merged_at"] >= since) & (keys["merged_at"] < end)]
    store = DerivedCache(cache, "vocabulary") if cache is not None else None
    key = [digest_of(inside[DIGEST].to_numpy())]
    doc = store.get(key) if store is not None else None
    if isinstance(doc, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in doc.items()):
        return doc
    vocab = model_vocabulary(table.read(since=since, until=end, columns=["merged_at", "files"]))
    if store is not None:
        store.put(key, vocab)
    return vocab


def score_period(prs_path: Path, model_path: Path, out_root: Path, *, week: str | None = None,
                 since: str | None = None, until: str | None = None, tz: str = "Asia/Shanghai", lang: str = "zh",
                 top_k: int | None = None, highlight_at: float | None = None, formats: tuple[str, ...] = ("md", "html", "json"),
                 prs=None, model_bundle=None, reasons_for: str = "shown", cache_dir: Path | None = None,
                 use_cache: bool = True, ledger: Path | None = None, ledger_source: str = "score",
                 on_recorded: Callable[[int], None] | None = None, outcomes: Path | None = None):
    """Score one period and write its report; shared by `score` and `demo`. `reasons_for`:
    "shown" explains the rows the report's top table shows (the per-PR contributions are the
    costliest step of a week), "all" every row of scores.csv. Without `prs` the table is opened
    as a working table (its Parquet copy and history snapshots live under `cache_dir`, see
    scorer.table; `use_cache=False` keeps nothing on disk and walks the whole history). With
    `ledger` (a directory), the week's predictions are appended to it (scorer.ledger)."""
    from .ledger import record_scores
    from .report.render import write_report
    from .score import load_model, write_scores_csv
    from .table import open_table

    start, end, period = resolve_period(week, since, until, tz)
    model_bundle = model_bundle or load_model(model_path)
    kw = dict(tz=tz, lang=lang, top_k=top_k, highlight_at=highlight_at, reasons_for=reasons_for)
    if outcomes is not None:
        if ledger is None:
            raise ScorerError("--outcomes reads the track record from the prediction ledger: give --ledger, or drop "
                              "--no-ledger")
        kw["track"] = track_record(ledger, outcomes, start, tz, model_bundle[0])
    if prs is not None:
        w = score_week(prs, model_bundle, model_path, start, end, period, where=str(prs_path), **kw)
    else:
        table = open_table(prs_path, cache_dir, use_cache=use_cache)
        w = week_from_table(table, model_bundle, model_path, start, end, period, use_cache=use_cache,
                            where=str(prs_path), **kw)
    out_dir = report_dir(out_root, w.repo.split("/")[-1], period, lang)
    written = write_report(w.ctx, lambda p: write_scores_csv(w.scores, p, extra=["highlight"]), out_dir, list(formats))
    n = record_scores(ledger, w.scores, w.repo, period, model_path, w.thresholds or {}, source=ledger_source)
    if on_recorded is not None:
        on_recorded(n)
    return w.ctx, w.scores, written


def track_record(ledger: Path, outcomes: Path, start, tz: str, model=None, repo: str | None = None):
    """The weekly report's track-record figures (report.sections.track) from the ledger and the
    outcome labels known now; None when the ledger has nothing decided for that week (or
    nothing at all yet)."""
    from .labels import load_labels
    from .ledger import read_ledger
    from .records import check_single_repo
    from .report.sections import track

    labels = load_labels(outcomes)
    repo = repo or (model.repo if model is not None and model.repo else None)
    if repo is None:
        repo = check_single_repo(labels, str(outcomes)) if "repo" in labels else None
    rows = read_ledger(ledger, repo, missing_ok=True)
    if "repo" in labels:
        labels = labels[labels["repo"] == repo]
    return track.build(rows, labels, start, tz, repo)


def report_dir(out_root: Path, *parts: str) -> Path:
    """Where a report goes: `<out>/<repo or org>/<period>/<lang>/` (daily: `<repo>/daily/<day>/<lang>/`),
    so that the zh and en reports of one period never overwrite each other. Each part comes from
    data or options and must be one plain directory name: the report stays under `out_root`."""
    for part in parts:
        if not part or part in (".", "..") or "/" in part or "\\" in part or "\0" in part:
            raise ScorerError(f"{part!r} cannot name a report directory (it would leave {out_root})")
    return out_root.joinpath(*parts)


@dataclass
class BundleRef:
    """What picking a repository's bundle needs, without the model: small enough to send to every task."""
    path: Path
    repo: str
    repos: tuple[str, ...]


def bundle_for(repo: str, bundles: list[BundleRef]) -> Path:
    """The bundle that scores `repo`: one trained on it, else one trained on several repositories
    including it, else a generic one (trained on no single repository)."""
    own = ([b for b in bundles if b.repo == repo] or [b for b in bundles if repo in b.repos]
           or [b for b in bundles if not b.repo and not b.repos])
    if not own:
        raise ScorerError(f"no bundle for {repo}: give one trained on it, or a generic one (--model may repeat)",
                          path=", ".join(str(b.path) for b in bundles))
    return own[0].path


def _score_table_weeks(prs_path: Path, bundles: list[BundleRef], start, end, period: str, kw: dict,
                       cache: Path | None = None) -> list[WeekScores]:
    """Every repository's week of one table. The table is read where the task runs (a Dask
    worker reads it from its path, so no table travels through the client and the client never
    holds them all), and each bundle is loaded there from its path, not received pickled.
    With a `cache` directory, a one-repository table is scored as `score_period` scores it (the
    working table and its snapshots, so the week costs the week); a table of several
    repositories is read whole and each walked on its own."""
    from .records import load_prs
    from .score import load_model
    from .table import open_table

    if cache is not None:
        table = open_table(prs_path, cache, use_cache=True)
        if len(table.repos) == 1:
            path = bundle_for(table.repos[0], bundles)
            return [week_from_table(table, load_model(path), path, start, end, period, use_cache=True,
                                    where=str(prs_path), **kw)]
        prs = table.read()
    else:
        prs = load_prs(prs_path)
    repos = sorted(prs["repo"].unique())
    loaded: dict[Path, Any] = {}
    out = []
    for repo in repos:
        path = bundle_for(repo, bundles)
        if path not in loaded:
            loaded[path] = load_model(path)
        part = prs if len(repos) == 1 else prs[prs["repo"] == repo].reset_index(drop=True)
        out.append(score_week(part, loaded[path], path, start, end, period, where=str(prs_path), **kw))
    return out


def score_org(prs_paths: list[Path], model_paths: list[Path], out_root: Path, *, org: str, week: str | None = None,
              since: str | None = None, until: str | None = None, tz: str = "Asia/Shanghai", lang: str = "zh",
              top_k: int | None = None, highlight_at: float | None = None,
              formats: tuple[str, ...] = ("md", "html", "json"), reasons_for: str = "shown", engine: str = "local",
              scheduler: str | None = None, client=None, cache_dir: Path | None = None, use_cache: bool = True,
              ledger: Path | None = None, on_recorded: Callable[[int], None] | None = None):
    """One week of several repositories: each scored on its own history with its own bundle
    (a task per table, in parallel on the Dask engine), then one organisation report. Writes
    <out_root>/<org>/<period>/: the organisation's report.md/html/json and scores.csv (every
    repository's PRs), and each repository's own full report under <repo-name>/. A repository's
    PRs must all be in one table: its history is walked there. The cache directory (working
    tables, snapshots) is resolved here and used by every task: on a real cluster it must be a
    path the workers share, or --no-cache."""
    import pandas as pd

    from .engine import run_all
    from .fileio import atomic_dir
    from .report.org import build_org_context, render_org_html, render_org_markdown
    from .ledger import record_scores
    from .report.render import render_html, render_sections, write_formats
    from .score import load_model, write_scores_csv
    from .table import cache_root

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", org or ""):
        raise ScorerError(f"--org must be an organisation name like vllm-project, got {org!r}")
    start, end, period = resolve_period(week, since, until, tz)
    for p in prs_paths:
        require_input(p)
    if len(set(map(Path, prs_paths))) < len(prs_paths):
        raise ScorerError("a table is given twice", path=str(next(p for p in prs_paths if list(prs_paths).count(p) > 1)))
    refs = []
    for p in model_paths:
        model, _ = load_model(p)
        refs.append(BundleRef(Path(p), model.repo, tuple(model.repos_)))
    kw = {"tz": tz, "lang": lang, "top_k": top_k, "highlight_at": highlight_at, "reasons_for": reasons_for}
    cache = cache_root(cache_dir) if use_cache else None
    tasks = [(Path(p), refs, start, end, period, kw, cache) for p in prs_paths]
    per_table = run_all(_score_table_weeks, tasks, engine=engine, scheduler=scheduler, client=client)
    seen: dict[str, Path] = {}
    for path, weeks_of in zip(prs_paths, per_table):
        for w in weeks_of:
            if w.repo in seen:
                raise ScorerError(f"repository {w.repo} is also in {seen[w.repo]}: give each repository's PRs in "
                                  "one table (its history is walked there)", path=str(path))
            seen[w.repo] = path
    weeks = sorted((w for ws in per_table for w in ws), key=lambda w: w.repo)
    titles = {w.repo: list(zip(w.scores["number"].astype(int), w.scores["title"])) for w in weeks}
    ctx = build_org_context(weeks, titles, org=org, lang=lang, top_k=top_k)
    scores = pd.concat([w.scores.assign(repo=w.repo) for w in weeks], ignore_index=True)
    scores = scores[["repo"] + [c for c in scores.columns if c != "repo"]]
    out_dir = report_dir(out_root, org, period, lang)
    md = render_org_markdown(ctx)
    with atomic_dir(out_dir) as tmp:
        write_scores_csv(scores, tmp / "scores.csv", extra=["repo", "highlight"])
        written = [out_dir / "scores.csv"] + write_formats(tmp, out_dir, ctx, md, lambda: render_org_html(ctx, md),
                                                           list(formats))
        for w in weeks:
            name = w.repo.split("/")[-1]
            (tmp / name).mkdir()
            write_scores_csv(w.scores, tmp / name / "scores.csv", extra=["highlight"])
            sections = render_sections(w.ctx)
            write_formats(tmp / name, out_dir / name, w.ctx, "\n".join(t for _, t in sections),
                          lambda c=w.ctx, s=sections: render_html(c, s), list(formats))
    n = sum(record_scores(ledger, w.scores, w.repo, period, w.bundle, w.thresholds or {}, source="org") for w in weeks)
    if on_recorded is not None:
        on_recorded(n)
    return ctx, scores, written


def daily_period(activity_path: Path, prs_path: Path, model_path: Path, out_root: Path, *, since: str, until: str,
                 tz: str = "Asia/Shanghai", lang: str = "zh", formats: tuple[str, ...] = ("md", "html", "json"),
                 model_bundle=None):
    """Score the PRs merged in a window and write its daily report; shared by `report daily` and `demo`."""
    import pandas as pd

    from .features import compute_features
    from .ingest.github import load_activity
    from .records import check_single_repo, load_prs
    from .report.daily import build_daily_context, write_daily_report
    from .report.week import period_from_dates
    from .score import check_repo, load_model, require_importance, score_frame, taxonomy_for

    check_tz(tz)
    start, end, period = period_from_dates(since, until, tz)
    if since == until:
        period = since
    model, card = model_bundle or load_model(model_path)
    require_importance(model, model_path)
    activity = load_activity(activity_path)
    prs = load_prs(prs_path)
    repo = check_single_repo(prs, str(prs_path))
    check_repo(model, prs, model_path)
    other = sorted(set(activity["repo"].astype(str)) - {repo})
    if other:
        raise ScorerError(f"the activity table is for {', '.join(other)}, the PR table for {repo}", path=str(activity_path))
    tax = taxonomy_for(model, prs)
    hist = prs[prs["merged_at"] < end]
    mask = hist["merged_at"] >= start
    if mask.any():
        feats = compute_features(hist, tax, wanted=mask)
        scores, _ = score_frame(hist, model, mask, features=feats, tax=tax)
    else:
        scores = pd.DataFrame(columns=["number", "title", "author", "merged_at", "importance", "tags"])
    bug = model.tags_.get("bug-inducing")
    ctx = build_daily_context(activity, scores, hist[mask], tax, start=start, end=end, period=period, tz=tz, lang=lang,
                              repo=repo, model_name=model_path.name,
                              model_version=card.get("library_versions", {}).get("scorer", ""),
                              bug_threshold=bug.threshold if bug is not None else None)
    out_dir = report_dir(out_root, repo.split("/")[-1], "daily", period, lang)
    return ctx, write_daily_report(ctx, out_dir, list(formats), scores)



def one_day():
    import pandas as pd

    return pd.Timedelta(days=1)


def parse_span(value: str, name: str):
    import re

    import pandas as pd

    m = re.fullmatch(r"(\d{1,4})\s*([dw])", value.strip().lower())
    if not m or int(m.group(1)) == 0:
        raise ScorerError(f"{name} must be a positive span like 4w or 28d, got {value!r}")
    return pd.Timedelta(days=int(m.group(1)) * (7 if m.group(2) == "w" else 1))




def predict_period(prs_path: Path, model_path: Path, since: str | None = None, until: str | None = None):
    """Scores (importance, p:<tag>, decided tags) of the PRs merged in [since, until], ranked."""
    from .records import load_prs
    from .score import check_repo, load_model, rank, require_importance, score_frame

    check_date_order(since, until)
    model, _ = load_model(model_path)
    require_importance(model, model_path)
    prs = load_prs(prs_path)
    check_repo(model, prs, model_path)
    mask = pd_mask(prs, since, until)
    if not mask.any():
        raise ScorerError("no PRs merged in the requested period", path=str(prs_path))
    scores, _ = score_frame(prs, model, mask)
    return rank(scores)


def evaluate_period(prs_path: Path, label_paths: list[Path], model_path: Path, output: Path, *, since: str,
                    until: str | None = None, highlight_k: int = 24, highlight_at: float = 6.0,
                    tz: str = "Asia/Shanghai", n_bins: int = 10, allow_overlap: bool = False,
                    on_conflict: str = "error") -> dict:
    """Measure a bundle on a labeled period it never saw; writes the evaluation and returns its metrics."""
    from .evaluate import run_evaluate
    from .labels import load_labels, merge_labels
    from .records import check_single_repo, load_prs
    from .score import check_repo, load_model

    model, card = load_model(model_path)
    prs = load_prs(prs_path)
    check_repo(model, prs, model_path)
    check_tz(tz)
    labels = merge_labels([load_labels(p) for p in label_paths], on_conflict=on_conflict)
    labels = labels[labels["repo"] == (model.repo or check_single_repo(prs, str(prs_path)))]
    end = parse_date(until, "--until") + one_day() if until else None
    return run_evaluate(prs, labels, model, card, parse_date(since, "--since"), end, output, n_bins=n_bins,
                        highlight_k=highlight_k, highlight_at=highlight_at, allow_overlap=allow_overlap,
                        model_name=model_path.name, tz=tz)


def backtest_run(prs_path: Path, label_paths: list[Path], output: Path, *, start: str, end: str,
                 retrain_every: str = "4w", window: str = "52w", horizon: str = "90d",
                 importance_horizon: str = "35d", taxonomy: str | None = None, seed: int = 0,
                 on_conflict: str = "error", ledger: Path | None = None):
    """Rolling-origin backtest; writes backtest.csv/.md/.png and returns the per-origin table.
    With `ledger`, every span's predictions go to that prediction ledger (scorer monitor)."""
    from .evaluate import backtest, backtest_plot, backtest_summary, markdown_table
    from .fileio import atomic_dir
    from .labels import load_labels, merge_labels
    from .records import check_single_repo, load_prs

    prs = load_prs(prs_path)
    repo = check_single_repo(prs, str(prs_path))
    labels = merge_labels([load_labels(p) for p in label_paths], on_conflict=on_conflict)
    labels = labels[labels["repo"] == repo]
    table = backtest(prs, labels, load_taxonomy_for(taxonomy, repo), parse_date(start, "--start"),
                     parse_date(end, "--end") + one_day(),
                     "month" if retrain_every.strip().lower() in ("month", "1mo") else
                     parse_span(retrain_every, "--retrain-every"),
                     None if window == "all" else parse_span(window, "--window"), parse_span(horizon, "--horizon"),
                     parse_span(importance_horizon, "--importance-horizon"), seed, ledger=ledger)
    with atomic_dir(output) as tmp:
        table.to_csv(tmp / "backtest.csv", index=False)
        (tmp / "backtest.md").write_text(
            "# Backtest\n\nRolling origin: train on the window before each origin with the labels known then, "
            "score the next span. LApredict is fitted on the same rows in the same run; 'ece if calibrated' is "
            "the noise floor of the ECE on that many rows. A tag with a decision threshold is also read as a triage list: "
            "'decided' PRs at p >= threshold on the span's labeled rows, how many carry the tag ('decided true'), "
            "their precision against the span's base rate, and the largest share of any full week (>= 10 PRs, every "
            "PR of the week) it decided; the last row pools the counts and keeps the largest weekly share.\n\n" + markdown_table(backtest_summary(table)) + "\n",
            encoding="utf-8")
        (tmp / "backtest.png").write_bytes(backtest_plot(table))
    return table


@dataclass
class RollingResult:
    """What `scorer backtest --importance` measured, for a front door to print."""
    table: Any          # one row per origin
    pools: dict         # per grid and "all": pooled recall, NDCG, won/tied/lost, sign test
    cached: int         # origins read from the cache
    written: list


def rolling_importance_run(prs_path: Path, label_paths: list[Path], notes_path: Path | None, output: Path, *,
                           start: str, end: str, every: str = "6w", span: str | None = None, shifted: bool = True,
                           tz: str = "Asia/Shanghai", horizon: str = "90d", importance_horizon: str = "35d",
                           taxonomy: str | None = None, seed: int = 0, on_conflict: str = "error",
                           cache_dir: Path | None = None, use_cache: bool = True,
                           source_prs: Path | None = None, source_notes: Path | None = None,
                           step: Callable[[int, int, str, bool], None] | None = None) -> RollingResult:
    """The rolling importance benchmark (scorer/backtest.py): origins on a grid and a shifted
    grid, each trained with the labels known then and tested on the weeks after it. With
    `source_prs` and `source_notes`, each origin's model is a generic one trained on that other
    repository's curation known then (how the generic bundle serves a repository without notes)."""
    import json

    from .backtest import grid_origins, per_origin_table, pooled, rolling_importance, rolling_markdown, rolling_plot
    from .fileio import atomic_dir, json_safe
    from .labels import load_labels, load_release_notes, merge_labels
    from .records import check_single_repo, load_prs
    from .snapshot import DerivedCache
    from .table import cache_root

    check_tz(tz)
    prs = load_prs(prs_path)
    repo = check_single_repo(prs, str(prs_path))
    labels = None
    if label_paths:
        labels = merge_labels([load_labels(p) for p in label_paths], on_conflict=on_conflict)
        labels = labels[labels["repo"] == repo].drop(columns=["repo"])
    notes = load_release_notes(notes_path, repo=repo) if notes_path else None
    if notes is None and (labels is None or "importance" not in labels):
        raise ScorerError("the importance benchmark needs --notes (release notes) or --labels with an importance column")
    step_span = parse_span(every, "--every")
    origins = grid_origins(parse_date(start, "--start"), parse_date(end, "--end") + one_day(), step_span,
                           parse_span(span, "--span") if span else step_span, tz, shifted)
    cache = DerivedCache(cache_root(cache_dir), "rolling") if use_cache else None
    done = {"n": 0, "cached": 0}

    def on_origin(origin, hit: bool) -> None:
        done["n"] += 1
        done["cached"] += hit
        if step:
            step(done["n"], len(origins), f"{origin.grid} {origin.name}", hit)

    source = None
    if (source_prs is None) != (source_notes is None):
        raise ScorerError("--importance-from and --importance-notes go together")
    if source_prs is not None:
        from .backtest import Source
        from .features import compute_features

        src = load_prs(source_prs)
        src_repo = check_single_repo(src, str(source_prs))
        source = Source(src, compute_features(src, load_taxonomy_for(None, src_repo)),
                        load_release_notes(source_notes, repo=src_repo))
    results = rolling_importance(prs, labels, notes, load_taxonomy_for(taxonomy, repo), origins, tz,
                                 parse_span(horizon, "--horizon"), parse_span(importance_horizon, "--importance-horizon"),
                                 seed=seed, cache=cache, step=on_origin, source=source)
    table = per_origin_table(results)
    pools = pooled(results)
    with atomic_dir(output) as tmp:
        table.to_csv(tmp / "rolling.csv", index=False)
        title = f"Rolling importance benchmark: {repo}" + (
            f" (a generic model trained per origin on {source.prs['repo'].iloc[0]}'s curation)" if source else "")
        (tmp / "rolling.md").write_text(rolling_markdown(table, pools, title),
                                        encoding="utf-8")
        (tmp / "rolling.png").write_bytes(rolling_plot(table))
        (tmp / "rolling.json").write_text(json.dumps(json_safe({"repo": repo, "tz": tz, "pooled": pools,
                                                                "origins": results}), indent=1), encoding="utf-8")
    return RollingResult(table, pools, done["cached"], [output / n for n in ("rolling.csv", "rolling.md", "rolling.png",
                                                                           "rolling.json")])


@dataclass
class DemoResult:
    """What `scorer demo` did, for a front door to print."""
    prs_path: Path
    prs: Any
    bundle: Path
    card: dict
    cutoff: Any
    week: str
    weekly: dict  # lang -> (context, scores, written paths)
    day: str
    daily_ctx: dict
    daily_written: list
    evaluation: dict
    eval_dir: Path
    monitor: Any = None  # MonitorRun: the ledger's track record (backtest origins and the demo bundle)


def demo_ledger(prs, labels, bundle: Path, model, cutoff, ledger: Path, tz: str) -> None:
    """The demo's prediction ledger: two earlier origins, 12 weeks apart, retrained on what was known
    then (scorer backtest --ledger), then the demo bundle's predictions of the held-out weeks, so
    the monitor has closed windows to check as well as open ones. Built aside and swapped in whole."""
    import pandas as pd

    from .evaluate import backtest
    from .fileio import atomic_dir
    from .features import compute_features
    from .ledger import append, bundle_id, prediction_rows, thresholds_of
    from .metrics import iso_week
    from .score import score_frame, taxonomy_for

    tax = taxonomy_for(model, prs)
    with atomic_dir(ledger) as tmp:
        backtest(prs, labels, tax, cutoff - pd.Timedelta(weeks=24), cutoff, pd.Timedelta(weeks=12), None,
                 pd.Timedelta(days=90), pd.Timedelta(days=35), progress=False, ledger=tmp, tz=tz)
        mask = prs["merged_at"] >= cutoff
        scores, _ = score_frame(prs, model, mask, features=compute_features(prs, tax, wanted=mask), tax=tax)
        weeks = iso_week(pd.to_datetime(scores["merged_at"], utc=True), tz)
        for wk, part in scores.groupby(weeks.to_numpy(), sort=True):
            append(tmp, prediction_rows(part, str(prs["repo"].iloc[0]), str(wk), bundle_id(bundle), thresholds_of(model),
                                        source="demo", predicted_at=cutoff))


def run_demo(output: Path, models_dir: Path, holdout_weeks: int = 8,
             step: Callable[[str], None] | None = None) -> DemoResult:
    """The whole product on the shipped sample: train, score the latest week (zh and en), write
    the last day's daily report, evaluate, and check the prediction ledger's track record.
    `step(name)` is called as each of the six steps ends."""
    import pandas as pd

    from .evaluate import run_evaluate
    from .labels import load_labels
    from .records import load_prs
    from .score import load_model
    from .simulate import write_sample

    step = step or (lambda name: None)
    sample = SAMPLE_DIR
    if not (sample / "szz_pairs.csv").exists():  # installed without the repository: rebuild it from its seed
        sample = output / "sample"
        write_sample(sample)
    prs_path, labels_path = sample / "history.jsonl.gz", sample / "labels.csv"
    prs = load_prs(prs_path)
    last = prs["merged_at"].max()
    cutoff = (last - pd.Timedelta(weeks=holdout_weeks)).normalize()
    bundle = models_dir / "demo"
    _, card = train_bundle(prs_path, [labels_path], bundle, until=f"{cutoff - pd.Timedelta(days=1):%Y-%m-%d}")
    step("train")
    model_bundle = load_model(bundle)
    tz = "Asia/Shanghai"
    local_last = last.tz_convert(tz)
    week_end = (local_last.normalize() + pd.Timedelta(days=7 - local_last.weekday())).tz_localize(None)
    ref = local_last if (week_end - local_last.tz_localize(None)) < pd.Timedelta(hours=12) else local_last - pd.Timedelta(days=7)
    iso = ref.isocalendar()
    week = f"{iso[0]}-W{iso[1]:02d}"
    weekly = {}
    for lang in ("zh", "en"):
        weekly[lang] = score_period(prs_path, bundle, output, week=week, tz=tz, lang=lang, prs=prs,
                                    model_bundle=model_bundle)
        step(f"score {lang}")
    day = f"{local_last:%Y-%m-%d}"
    daily_ctx, daily_written = daily_period(sample / "activity.jsonl.gz", prs_path, bundle, output,
                                            since=day, until=day, tz=tz, lang="zh", model_bundle=model_bundle)
    step("daily")
    labels = load_labels(labels_path)
    ev = run_evaluate(prs, labels, model_bundle[0], model_bundle[1], cutoff, None,
                      output / "eval", model_name="demo")
    step("evaluate")
    demo_ledger(prs, labels, bundle, model_bundle[0], cutoff, output / "ledger", tz)
    mon = monitor_run(output / "ledger", output / "monitor", prs_path=prs_path, szz_pairs=sample / "szz_pairs.csv",
                      as_of=f"{last:%Y-%m-%d}", model_paths=[bundle], lang="zh")
    step("monitor")
    return DemoResult(prs_path, prs, bundle, card, cutoff, week, weekly, day, daily_ctx, daily_written, ev,
                      output / "eval", mon)


def score_records(records: list, model_bundle: tuple, history=None, lang: str = "en", where: str = "request",
                  state=None, state_lock=None) -> dict:
    """Score PRs given as canonical records (a service request, a webhook) against the served
    history: with history, each PR's point-in-time features see every PR merged before it. Without
    it the history features (HISTORY_FEATURES) only see the request's own PRs, so the result says
    they are unknown and names them (the tag models' logistic baseline cannot take NaN, so they are
    not blanked). Returns plain JSON-able data.

    `state` (features.history_state of `history`) makes one new PR cost its own featurization
    rather than a walk of the history, with no DataFrame built (features.feature_rows); it is
    used only where it gives exactly the full walk's features: a single PR, not in the history,
    merged after every PR of it and of earlier reads."""
    import numpy as np
    import pandas as pd

    from .features import HISTORY_FEATURES, compute_features, feature_rows, record_seconds
    from .fileio import json_safe
    from .records import to_frame, validate_record
    from .score import check_repo, decide_tags, explain, require_api_fields, require_importance, score_frame, taxonomy_for

    model, card = model_bundle
    require_importance(model, card.get("name", "bundle"))
    valid = [validate_record(r, where, i + 1) for i, r in enumerate(records)]
    numbers = [r["number"] for r in valid]
    if len(set(numbers)) < len(numbers):
        raise ScorerError("a request lists the same PR twice", path=where, field="number")
    repos = [r["repo"] for r in valid]
    check_repo(model, repos, where)
    known = history is not None and len(history) > 0
    rows = None
    if state is not None and known and len(valid) == 1 and state.repos == {valid[0]["repo"]}:
        tax = taxonomy_for(model, repos)
        (t_new,) = record_seconds(valid)
        with state_lock or contextlib.nullcontext():
            # Reading trims the state's time windows up to t_new: later reads must not be older.
            if t_new > state.last_merged and t_new >= state.read_until and (valid[0]["repo"], valid[0]["number"]) not in state.keys:
                state.read_until = t_new
                rows = feature_rows(valid, tax, state)
    if rows is not None:  # one new PR: no DataFrame on the way
        require_api_fields(model, rows)
        X = model.transform(rows)
        importance, probs = model.predict_all(rows, X)
        rules = {t: np.array([r[f"rule_{t}"] for r in rows]) for t in model.rule_tags_}
        decided = decide_tags(model, probs, rules, len(rows))
        reasons = explain(model, rows, {valid[0]["number"]: valid[0]["files"]}, tax, lang, X=X)
        order = list(range(len(rows)))
    else:
        new = to_frame(valid)
        if known:
            in_history = history["repo"].isin(new["repo"]) & history["number"].isin(new["number"])
            past = history[~in_history]
            table = pd.concat([past, new], ignore_index=True)
            mask = pd.Series(np.arange(len(table)) >= len(past), index=table.index)  # the request's rows
        else:
            table, mask = new, pd.Series(True, index=new.index)
        tax = taxonomy_for(model, table)
        feats = compute_features(table, tax, wanted=mask)
        scores, f = score_frame(table, model, mask, features=feats, tax=tax)
        reasons = explain(model, f, table.set_index("number")["files"], tax, lang,
                          skip=frozenset() if known else frozenset(HISTORY_FEATURES))
        importance = scores["importance"].to_numpy()
        probs = {t: scores[f"p:{t}"].to_numpy() for t in model.tags_}
        decided = [[t for t in str(v).split(";") if t] for v in scores["tags"]]
        position = {n: i for i, n in enumerate(scores["number"])}
        order = [position[n] for n in numbers]  # the request's order
    out = []
    for rec, i in zip(valid, order):
        out.append({"repo": rec["repo"], "number": int(rec["number"]),
                    "importance": round(float(importance[i]), 4),
                    "tags": {t: {"probability": float(probs[t][i]), "threshold": m.threshold, "decided": t in decided[i]}
                             for t, m in model.tags_.items()},
                    "rule_tags": [t for t in decided[i] if t in model.rule_tags_],
                    "decided_tags": decided[i], "reasons": reasons.get(int(rec["number"]), [])})
    return json_safe({"results": out, "history": "known" if known else "unknown",
                      "unknown_features": [] if known else list(HISTORY_FEATURES)})



@dataclass
class CheckSources:
    """What reports are checked against, by repository: its PR table (a working table), the
    bundle that scored it and, for daily reports, its activity table."""
    tables: dict
    bundles: list  # (BundleRef, (model, card))
    activity: dict
    use_cache: bool = True
    ledger: Path | None = None    # the prediction ledger and the outcome labels a track record
    outcomes: Path | None = None  # section is re-derived from

    def bundle(self, repo: str, where: str) -> tuple:
        """The bundle that scored `repo`, picked as scoring picks it (bundle_for)."""
        try:
            path = bundle_for(repo, [ref for ref, _ in self.bundles])
        except ScorerError:
            raise ScorerError(f"the report is for {repo or 'an unnamed repository'}, and no --model is trained on it "
                              "or generic", path=where) from None
        return next(b for ref, b in self.bundles if ref.path == path)

    def pick(self, kind: str, repo: str, where: str):
        found = getattr(self, kind).get(repo)
        if found is None:
            option = {"tables": "--prs", "activity": "--activity"}[kind]
            raise ScorerError(f"the report is for {repo or 'an unnamed repository'}; give its table with {option} "
                              f"(have: {', '.join(sorted(getattr(self, kind))) or 'none'})", path=where)
        return found


def open_check_sources(prs_paths: list[Path], model_paths: list[Path], activity_paths: list[Path] = (), *,
                       cache_dir: Path | None = None, use_cache: bool = True, ledger: Path | None = None,
                       outcomes: Path | None = None) -> CheckSources:
    """Open each table and bundle once, keyed by the repository each holds (a bundle trained on
    several answers for each of them)."""
    from .ingest.github import load_activity
    from .score import load_model
    from .table import open_table

    tables, bundles, activity = {}, [], {}
    for p in prs_paths:
        t = open_table(p, cache_dir, use_cache=use_cache)
        tables.update({r: t for r in t.repos})
    for p in model_paths:
        b = load_model(p)
        bundles.append((BundleRef(Path(p), b[0].repo, tuple(b[0].repos_)), b))
    for p in activity_paths:
        a = load_activity(p)
        activity.update({r: a[a["repo"] == r] for r in sorted(set(a["repo"].astype(str)))})
    return CheckSources(tables, bundles, activity, use_cache, ledger, outcomes)


def _read_report(report_dir: Path):
    import json

    import pandas as pd

    try:
        ctx = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
        scores = pd.read_csv(report_dir / "scores.csv")
    except FileNotFoundError as exc:
        raise ScorerError("not a report directory scorer can check (needs report.json and scores.csv, "
                          "written with --format json)", path=str(exc.filename)) from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ScorerError(f"cannot read the report ({str(exc).splitlines()[0][:200]})", path=str(report_dir)) from None
    where = str(report_dir / "report.json")
    if not isinstance(ctx, dict) or not isinstance(ctx.get("header"), dict) or not isinstance(ctx.get("claims"), list):
        raise ScorerError("report.json holds no claims (written by an older scorer, or not a report)", path=where)
    missing = {"number", "title", "importance", "tags"} - set(scores.columns)
    if missing and len(scores):
        raise ScorerError(f"scores.csv lacks {', '.join(sorted(missing))}", path=str(report_dir / "scores.csv"))
    return ctx, scores


def _window(ctx: dict, where: str, day_end: bool):
    import pandas as pd

    h = ctx["header"]
    try:
        start = pd.Timestamp(h["start"]).tz_localize(h["tz"])
        end = pd.Timestamp(h["end"]).tz_localize(h["tz"])
    except (KeyError, ValueError, TypeError) as exc:
        raise ScorerError(f"header has no valid period ({exc})", path=where, field="header") from None
    # A weekly header names its last day; a daily one its last minute.
    return start, end + (pd.Timedelta(days=1) if day_end else pd.Timedelta(minutes=1))


def report_kind(ctx: dict) -> str:
    return "organisation" if ctx.get("kind") == "organisation" else "daily" if "counts" in ctx else "weekly"


def check_report_dir(report_dir: Path, sources: CheckSources):
    """Re-derive every claim of the report in `report_dir` (weekly, daily or organisation) from
    its scores.csv, the PR table, the bundle and (daily) the activity table: a
    `claims.CheckResult` with the claims checked by kind and one line per claim that does not
    hold. The claims must also be the ones the report's own figures give (a report edited after
    it was written fails here)."""
    from .fileio import json_safe
    from .report.claims import CheckResult, Week, internal_keys, week_rows, weekly_claims, check_claims
    from .report.daily_claims import daily_claims, daily_rows
    from .report.org_claims import org_claims
    from .score import taxonomy_for
    from .table import cache_root

    ctx, scores = _read_report(report_dir)
    where = str(report_dir / "report.json")
    kind = report_kind(ctx)
    h = ctx["header"]
    start, end = _window(ctx, where, day_end=kind != "daily")
    result = CheckResult()
    claims = ctx.pop("claims")
    derived = json_safe({"weekly": weekly_claims, "daily": daily_claims, "organisation": org_claims}[kind](ctx), 6)
    if derived != claims:
        ids = {c.get("id") for c in claims if isinstance(c, dict)} ^ {c["id"] for c in derived}
        changed = [c["id"] for c in derived if c not in claims]
        result.false.append(f"report.json: its claims are not the ones its figures give "
                            f"({', '.join(sorted(map(str, ids | set(changed)))[:5])})")
    if kind == "organisation":
        rows, keys = _org_rows(report_dir, ctx, scores, sources, start, end, where)
        week = Week(rows=rows, prev_count=None, tax=None, thresholds={}, internal_keys=keys)
        result.add(check_claims(claims, week))
        return result
    repo = str(h.get("repo", ""))
    model, _card = sources.bundle(repo, where)
    tax = taxonomy_for(model, [repo])
    table = sources.pick("tables", repo, where)
    thresholds = {t: float(m.threshold) for t, m in model.tags_.items() if m.threshold is not None}
    if kind == "daily":
        prs = table.read(since=start, until=end)
        prs = prs[(prs["repo"] == repo) & (prs["merged_at"] >= start)] if len(prs) else prs
        rows = daily_rows(sources.pick("activity", repo, where), scores, prs, tax, start, end, h["tz"])
        week = Week(rows=rows, prev_count=None, tax=tax, thresholds=thresholds, internal_keys=internal_keys(tax))
    else:
        import math

        from .features import main_module
        from .report.week import trailing_spans

        span = end - start
        prs = table.read(since=start - 4 * span, until=end)
        prs = prs[prs["repo"] == repo] if "repo" in prs.columns else prs
        inside = prs[prs["merged_at"] >= start]
        past = prs[prs["merged_at"] < start]
        before = [(math.ceil((start - t) / span), main_module(f, tax)) for t, f in zip(past["merged_at"], past["files"])]
        vocab = week_vocabulary(table, end, cache_root(table.cache_dir) if sources.use_cache else None)
        week = Week(rows=week_rows(scores, inside, tax), prev_count=sum(1 for ago, _ in before if ago == 1),
                    tax=tax, thresholds=thresholds, internal_keys=internal_keys(tax),
                    model_families=frozenset(vocab.values()), before=before,
                    spans_known=trailing_spans(start, end, table.keys["merged_at"].min(), bool(before)))
        if any(isinstance(c, dict) and c.get("kind") == "track" for c in claims):
            if sources.ledger is None or sources.outcomes is None:
                week.track_missing = "a track record is checked against the ledger and the outcomes: give --ledger and --outcomes"
            else:
                week.track = track_record(sources.ledger, sources.outcomes, start, h["tz"], repo=repo)
    result.add(check_claims(claims, week))
    return result


def _org_rows(report_dir: Path, ctx: dict, scores, sources: CheckSources, start, end, where: str) -> dict:
    """The organisation's rows: each repository's scored PRs (scores.csv, with its repo column)
    joined with its PR table, keyed `owner/name#number`, with the named stories its own report
    (the repository's sub-directory, checked on its own) puts each PR in; and the internal keys
    of every repository's taxonomy."""
    import json

    from .report.claims import internal_keys, week_rows
    from .report.org import named_stories
    from .report.org_claims import pr_id
    from .score import taxonomy_for

    if "repo" not in scores.columns:
        raise ScorerError("scores.csv has no repo column", path=str(report_dir / "scores.csv"))
    out, keys = {}, set()
    for repo in sorted(set(scores["repo"].astype(str))):
        model, _ = sources.bundle(repo, where)
        tax = taxonomy_for(model, [repo])
        keys |= internal_keys(tax)
        prs = sources.pick("tables", repo, where).read(since=start, until=end)
        prs = prs[(prs["repo"] == repo) & (prs["merged_at"] >= start)]
        sub = report_dir / repo.split("/")[-1] / "report.json"
        try:
            themes = json.loads(sub.read_text(encoding="utf-8")).get("themes", [])
        except (OSError, ValueError) as exc:
            raise ScorerError(f"cannot read the repository's own report ({exc.__class__.__name__})", path=str(sub)) from None
        stories: dict[int, set[str]] = {}
        for key, _, numbers in named_stories(themes):
            for n in numbers:
                stories.setdefault(int(n), set()).add(key)
        for n, row in week_rows(scores[scores["repo"] == repo], prs, tax).items():
            rid = pr_id(repo, n)
            out[rid] = {**row, "id": rid, "repo": repo, "stories": stories.get(n, set())}
    return out, frozenset(keys)


def check_reports(report_dirs: list[Path], prs_paths: list[Path], model_paths: list[Path],
                  activity_paths: list[Path] = (), *, cache_dir: Path | None = None,
                  use_cache: bool = True, ledger: Path | None = None,
                  outcomes: Path | None = None) -> list[tuple[Path, Any]]:
    """Every report under `report_dirs` (a report directory, with an organisation report's
    repositories beside it, or a directory holding several), checked: (directory, CheckResult)
    in path order."""
    dirs = sorted({p.parent for d in report_dirs for p in Path(d).rglob("report.json")})
    if not dirs:
        raise ScorerError("no report.json found", path=str(report_dirs[0]))
    sources = open_check_sources(prs_paths, model_paths, activity_paths, cache_dir=cache_dir, use_cache=use_cache,
                                 ledger=ledger, outcomes=outcomes)
    return [(d, check_report_dir(d, sources)) for d in dirs]


def check_report(report_dir: Path, prs_path: Path, model_path: Path, *, activity_path: Path | None = None,
                 cache_dir: Path | None = None, use_cache: bool = True):
    """One report directory checked against one repository's table and bundle."""
    return check_reports([report_dir], [prs_path], [model_path], [activity_path] if activity_path else [],
                         cache_dir=cache_dir, use_cache=use_cache)[0][1]


@dataclass
class MonitorRun:
    """What `scorer monitor` computed and wrote."""
    repo: str
    result: dict
    rows: int
    written: list


def promised_precisions(model_paths: list[Path]) -> dict[str, dict[str, float]]:
    """Per bundle hash and tag, the decided set's precision the bundle's card states (cards
    written before it was recorded promise nothing)."""
    from .bundle import load_card
    from .ledger import bundle_id

    out: dict[str, dict[str, float]] = {}
    for path in model_paths:
        card = load_card(path)
        tags = (card.get("validation") or {}).get("tags") or {}
        out[bundle_id(path).hash] = {t: float(v["decided_precision"]) for t, v in tags.items()
                                     if isinstance(v, dict) and isinstance(v.get("decided_precision"), (int, float))}
    return out


def monitor_run(ledger: Path, output: Path, *, label_paths: list[Path] = (), prs_path: Path | None = None,
                szz_pairs: Path | None = None, as_of: str | None = None, repo: str | None = None,
                model_paths: list[Path] = (), window_days: int = 90, lang: str = "zh",
                formats: tuple[str, ...] = ("md", "html", "json"), notes_paths: list[Path] = (),
                tz: str = "Asia/Shanghai") -> MonitorRun:
    """The ledger's predictions against the outcomes known on `as_of` (default: today): from a
    labels file, or computed here from the PR table and its SZZ pairs (which also dates each
    fix, for the fixes-so-far check)."""
    import pandas as pd

    from .labels import load_labels, merge_labels
    from .labels.outcomes import load_szz_pairs, outcome_labels
    from .ledger import read_ledger
    from .monitor import first_fixes, monitor_frame, plots_for, write_monitor
    from .records import load_prs

    when = parse_date(as_of, "--as-of") if as_of else pd.Timestamp.now(tz="UTC").normalize()
    if bool(prs_path) != bool(szz_pairs):
        raise ScorerError("--prs and --szz-pairs go together (outcomes computed here); or give --labels")
    if not label_paths and not prs_path:
        raise ScorerError("give the outcomes: --labels FILE (scorer label outcomes), or --prs and --szz-pairs")
    rows = read_ledger(ledger)
    prs = load_prs(prs_path) if prs_path else None
    repos = sorted(rows["repo"].unique())
    if repo is None:
        if prs is not None and prs["repo"].nunique() == 1:
            repo = str(prs["repo"].iloc[0])
        elif len(repos) == 1:
            repo = repos[0]
        else:
            raise ScorerError(f"the ledger holds {', '.join(repos)}: give --repo", path=str(ledger))
    rows = rows[rows["repo"] == repo]
    if rows.empty:
        raise ScorerError(f"the ledger holds no predictions for {repo}", path=str(ledger))
    blamed = None
    if prs is not None:
        pairs = load_szz_pairs(szz_pairs)
        labels = outcome_labels(prs[prs["repo"] == repo].reset_index(drop=True), pairs, window_days=window_days,
                                as_of=when)
        blamed = first_fixes(pairs, window_days)
    else:
        labels = merge_labels([load_labels(p) for p in label_paths])
        labels = labels[labels["repo"] == repo] if "repo" in labels else labels
    notes = None
    if notes_paths:
        notes = merge_labels([load_labels(p) for p in notes_paths])
        notes = notes[notes["repo"] == repo] if "repo" in notes else notes
    result = monitor_frame(rows, labels, when, blamed=blamed, promised=promised_precisions(list(model_paths)),
                           window_days=window_days, notes=notes, tz=tz)
    until = (when - pd.Timedelta(days=window_days)).strftime("%Y-%m-%d")
    retrain = (f"scorer label outcomes --prs PRS --szz-pairs PAIRS --as-of {when:%Y-%m-%d} -o outcomes.csv && "
               f"scorer train --prs PRS --labels outcomes.csv --until {until} -o models/{repo.split('/')[-1]}")
    context = {"repo": repo, "lang": lang, "rows": int(len(rows)), "retrain": retrain}
    plots = plots_for(result, rows, labels) if "html" in formats else {}
    written = write_monitor(result, context, plots, output, formats)
    return MonitorRun(repo, result, int(len(rows)), written)


def check_pull_request(ref: str, model_path: Path, *, data_path: Path | None = None, szz_pairs: Path | None = None,
                       lang: str = "zh", gate: float | None = None, post: bool = False, api_url: str | None = None,
                       token: str | None = None, client=None, from_table: bool = False):
    """`scorer check OWNER/NAME#N`: fetch the PR and its files, score it against the history,
    find the similar PRs later blamed by a fix, and build the check run (posting it with
    `post`). With `from_table`, the PR is a merged one of the --data table, scored against the
    history before it (what the check would have said then; its merge commit stands in for the
    head SHA). Returns a checks.CheckOutcome."""
    if from_table:
        return _check_from_table(ref, model_path, data_path, szz_pairs, lang, gate)
    from .checks import CheckOutcome, fetch_pull, parse_ref, post_check, similar_index_for
    from .ingest.github import DEFAULT_API, GitHubClient
    from .records import load_prs
    from .score import load_model, taxonomy_for
    from .served import bundle_id

    repo, number = parse_ref(ref)
    model_bundle = load_model(model_path)
    history = load_prs(data_path) if data_path is not None else None
    own = client is None
    client = client or GitHubClient(api_url=api_url or DEFAULT_API, token=token)
    try:
        record, _files, sha = fetch_pull(client, repo, number)
        if history is not None:
            history = history[history["repo"] == repo].reset_index(drop=True)
        tax = taxonomy_for(model_bundle[0], [repo])
        body, result = score_check(record, model_bundle, history, similar_index_for(history, szz_pairs, tax, repo),
                                   lang=lang, head_sha=sha, gate=gate, model_id=bundle_id(Path(model_path)), where=ref)
        outcome = CheckOutcome(repo, number, body, result)
        if post:
            outcome.posted = post_check(client, repo, body)
        return outcome
    finally:
        if own:
            client.close()


def _check_from_table(ref: str, model_path: Path, data_path: Path | None, szz_pairs: Path | None, lang: str,
                      gate: float | None):
    from .checks import CheckOutcome, parse_ref, similar_index_for
    from .pqtable import json_record
    from .records import load_prs
    from .score import load_model, taxonomy_for
    from .served import bundle_id

    if data_path is None:
        raise ScorerError("--from-table reads the PR from --data: give the PR table")
    repo, number = parse_ref(ref)
    model_bundle = load_model(model_path)
    prs = load_prs(data_path)
    prs = prs[prs["repo"] == repo].reset_index(drop=True)
    row = prs[prs["number"] == number]
    if row.empty:
        raise ScorerError(f"{ref} is not a merged PR of the table", path=str(data_path))
    record = json_record(row.iloc[0].to_dict())
    at = row["merged_at"].iloc[0]
    history = prs[prs["merged_at"] < at].reset_index(drop=True)
    tax = taxonomy_for(model_bundle[0], [repo])
    sha = str(record.get("merge_commit_sha") or "")
    body, result = score_check(record, model_bundle, history, similar_index_for(history, szz_pairs, tax, repo),
                               lang=lang, head_sha=sha if len(sha) == 40 else "0" * 40, gate=gate,
                               model_id=bundle_id(Path(model_path)), where=ref)
    return CheckOutcome(repo, number, body, result)


def score_check(record: dict, model_bundle: tuple, history, similar, *, lang: str, head_sha: str, gate: float | None,
                model_id: str, where: str, state=None, state_lock=None) -> tuple[dict, dict]:
    """One PR's check run (checks.build_check) and its score: scored against `history` (the PR's
    own row, if there, is left out by score_records; `state` makes it cost its own
    featurization, as /v1/score does), its similar PRs from `similar` as of its merge time.
    `scorer check`, its --from-table form and the service's check runs all go through here."""
    import pandas as pd

    from .checks import build_check
    from .score import taxonomy_for

    out = score_records([record], model_bundle, history if history is not None and len(history) else None,
                        lang=lang, where=where, state=state, state_lock=state_lock)
    result = out["results"][0]
    tax = taxonomy_for(model_bundle[0], [record["repo"]])
    near = similar.query([f["filename"] for f in record["files"]], pd.Timestamp(record["merged_at"]), tax,
                         exclude=int(record["number"])) if similar is not None else []
    return build_check(result, record, model_bundle[1], near, tax, lang=lang, head_sha=head_sha, gate=gate,
                       model_id=model_id), result
