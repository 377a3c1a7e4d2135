"""Scoring service: load a verified bundle, featurize a PR table, predict importance and tags."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .bundle import load_bundle
from .errors import ScorerError
from .features import compute_features
from .labels import RULE_TAGS
from .taxonomy import Taxonomy, load_taxonomy
from .train import PRScorer


@dataclass
class Scored:
    scores: pd.DataFrame      # one row per PR of the period, ranked
    features: pd.DataFrame    # the features of those rows (same order)
    model: PRScorer
    card: dict
    taxonomy: Taxonomy


def load_model(path: str | Path) -> tuple[PRScorer, dict]:
    model, card = load_bundle(path)
    if not isinstance(model, PRScorer):
        raise ScorerError("the bundle does not hold a scorer model", path=str(path))
    return model, card


def check_repo(model: PRScorer, prs: pd.DataFrame, bundle: str | Path) -> None:
    repos = set(prs["repo"].unique())
    if model.repo and repos and model.repo not in repos:
        raise ScorerError(f"the bundle was trained for {model.repo}, the PR table holds {', '.join(sorted(repos))}",
                          path=str(bundle))


def score_frame(prs: pd.DataFrame, model: PRScorer, period: pd.Series | None = None,
                features: pd.DataFrame | None = None, tax: Taxonomy | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scores for the PRs selected by the boolean `period` mask (all when None).

    Features are computed over the whole table, so each PR sees its full point-in-time history.
    """
    tax = tax or load_taxonomy(model.taxonomy, repo=model.repo)
    feats = features if features is not None else compute_features(prs, tax)
    mask = period if period is not None else pd.Series(True, index=prs.index)
    sel, f = prs[mask], feats[mask]
    out = pd.DataFrame({"number": sel["number"].to_numpy(), "title": sel["title"].to_numpy(),
                        "author": sel["author"].to_numpy(), "merged_at": sel["merged_at"].to_numpy()},
                       index=sel.index)
    out["importance"] = model.predict_importance(f) if len(f) else np.array([])
    probs = model.predict_tags(f) if len(f) else {t: np.array([]) for t in model.tags_}
    decided: list[list[str]] = [[] for _ in range(len(out))]
    for tag, p in probs.items():
        out[f"p:{tag}"] = p
        thr = model.tags_[tag].threshold
        for i in np.flatnonzero(p >= thr):
            decided[i].append(tag)
    for tag in model.rule_tags_:
        flags = f[f"rule_{tag}"].to_numpy() if len(f) else np.array([])
        for i in np.flatnonzero(flags >= 1):
            decided[i].append(tag)
    out["tags"] = [";".join(t) for t in decided]
    return out, f


def rank(scores: pd.DataFrame) -> pd.DataFrame:
    """Highest importance first; ties by merge time then number, so the order is deterministic."""
    return scores.sort_values(["importance", "merged_at", "number"], ascending=[False, False, False],
                              kind="mergesort")


def write_scores_csv(scores: pd.DataFrame, path: str | Path, extra: list[str] | None = None) -> None:
    from .fileio import atomic_path

    cols = ["number", "title", "author", "merged_at", "importance"] + (extra or []) + \
        [c for c in scores.columns if c.startswith("p:")] + ["tags"] + (["reasons"] if "reasons" in scores else [])
    out = scores[[c for c in cols if c in scores]].copy()
    out["merged_at"] = pd.to_datetime(out["merged_at"], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    out["importance"] = out["importance"].round(1)
    for c in out.columns:
        if c.startswith("p:"):
            out[c] = out[c].round(4)
    with atomic_path(path) as tmp:
        out.to_csv(tmp, index=False)
