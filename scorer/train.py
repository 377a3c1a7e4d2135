"""Training: importance regression and calibrated risk-tag classifiers on point-in-time features.

Importance (estimators.fit_importance) is the sum of a LightGBM regression on the labels'
0-10 scale and a LambdaRank model of each week's PRs against each other, each divided by its
spread, mapped onto a 0-10 display scale whose 5, 7 and 9 are the shares of named, highlighted
and lead PRs in the training labels (display_scale). Both models score a PR from its own
features, so a score means the same in any week; the ranker teaches the sum what the weekly
top table rewards.

Each `tag:*` column with enough positives gets a LightGBM classifier boosted from a logistic
baseline on log-scaled size and fix-history columns (BaselineBoostedClassifier: the trees add
what the regression misses, rounds chosen by early stopping), fitted on the earlier
part of the training window and calibrated on the latest slice (`calibration_share`): sigmoid
below 1,000 calibration rows, isotonic above. The decision threshold stored per tag makes a
triage list (estimators.triage_threshold): the highest F1 on that calibration slice among
thresholds that decide at most `max_decided_share` (10%) of it with precision at least
`min_lift` (2) times its base rate and at least `min_precision` (0.3); a tag no threshold
qualifies for is reported as a probability only and never decided. Rule tags stay rules, recorded in the bundle by name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import ScorerError
from .features import API_FEATURES
from .labels import RULE_TAGS, tag_columns
from .metrics import full_week_shares, iso_week, probability_metrics, regression_metrics, weekly_ranking

# The logistic baseline every tag classifier boosts from (log1p of each, standardised): the size of
# what a later fix can blame, the PR's own size, whether it is a fix, and its files' recent fixes.
BASELINE_FEATURES = ["la_src", "ld_src", "la", "nf", "share_test", "is_fix", "fixes90"]
# The highlight threshold is read off the bundle's scores of the training window's last weeks.
RECENT_WEEKS = 8
PROB_DIGITS = 4  # a tag probability's digits, everywhere it is read (TagModel.predict_proba)


FEATURE_SETS = ("full", "generic")


@dataclass
class TagModel:
    model: Any
    threshold: float | None  # None: the tag is a probability only, never decided
    method: str
    clip: tuple[float, float] | None = None  # the range isotonic ends are smoothed into

    def predict_proba(self, X) -> np.ndarray:
        """The tag's stated probabilities: calibrated, isotonic ends smoothed, to PROB_DIGITS digits
        as scores.csv stores them, so decisions, the report's 2-digit figures and check-report all
        read the same number (an exact 0.25496 was written "0.25" while its stored 0.2550 reads back
        as 0.26), and a threshold chosen among these values decides its whole plateau."""
        p = self.model.predict_proba(X)[:, 1]
        return np.round(np.clip(p, *self.clip) if self.clip else p, PROB_DIGITS)


def smoothed_ends(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """The probability range an isotonic map may state: its lowest and highest plateaus replaced
    by their Laplace-smoothed rates, (k + 1) / (n + 2).

    Why: an isotonic end plateau whose calibration rows happen to be all negative (or all positive)
    maps to exactly 0 (or 1), a certainty no finite sample supports (vLLM 2026-W18 showed
    p=1.0 for three PRs). Smoothing moves only those ends.
    """
    lo_rows, hi_rows = p <= p.min(), p >= p.max()
    lo = (y[lo_rows].sum() + 1) / (lo_rows.sum() + 2)
    hi = (y[hi_rows].sum() + 1) / (hi_rows.sum() + 2)
    lo, hi = float(max(lo, p.min())), float(min(hi, p.max()))
    return (lo, hi) if lo < hi else (float(p.min()), float(p.max()))


def highlight_threshold(pred: np.ndarray, merged_at: pd.Series, share: float) -> tuple[float, dict]:
    """The importance at or above which a PR counts as highlighted, and how that plays out per week.

    Chosen as the (1 - share) quantile of `pred` (every PR of the window's last weeks, labeled or
    not: a report ranks every PR of its week); the spread says how far single weeks stray from
    `share` under that one threshold.
    """
    thr = round(float(np.quantile(pred, 1 - share)), 2)
    per = full_week_shares(pred >= thr, iso_week(pd.Series(pd.to_datetime(merged_at, utc=True))))
    spread = {"share_target": share, "rows": int(len(pred)), "weeks": int(len(per)),
              "weekly_share_min": float(per.min()) if len(per) else float("nan"),
              "weekly_share_median": float(per.median()) if len(per) else float("nan"),
              "weekly_share_max": float(per.max()) if len(per) else float("nan")}
    return thr, spread


class BlendedImportance:
    """The importance model (estimators.fit_importance): `regressor` and `ranker` (fitted LightGBM
    models, or modelio.BoosterRegressor when loaded) scaled by `weights` and summed; `scale_x` /
    `scale_y` map the sum onto the display scale (piecewise linear, increasing, so the ranking is
    the sum's)."""

    def __init__(self, regressor, ranker, weights: tuple[float, float], scale_x: np.ndarray, scale_y: np.ndarray):
        self.regressor, self.ranker, self.weights = regressor, ranker, tuple(float(w) for w in weights)
        self.scale_x, self.scale_y = np.asarray(scale_x, float), np.asarray(scale_y, float)

    def raw(self, X) -> np.ndarray:
        return self.weights[0] * self.regressor.predict(X) + self.weights[1] * self.ranker.predict(X)

    def predict(self, X) -> np.ndarray:
        return np.interp(self.raw(X), self.scale_x, self.scale_y)

    def contributions(self, X) -> np.ndarray:
        """Per-feature contributions to the raw sum (SHAP values of each model, weighted the same
        way), the last column the bias: what pushes a PR up or down the week's ranking."""
        return (self.weights[0] * np.asarray(self.regressor.booster_.predict(X, pred_contrib=True))
                + self.weights[1] * np.asarray(self.ranker.booster_.predict(X, pred_contrib=True)))


# The display scale's anchors (what a reader may take a score to mean): 5 and up is the share of
# PRs the release notes name, 7 and up the share they put in Highlights, 9 and up the top fifth of
# that (what the notes would lead with), 10 the best PR of the training window, 0 the least.
SCALE_POINTS = (0.0, 5.0, 7.0, 9.0, 10.0)


def display_scale(raw: np.ndarray, named_share: float, highlight_share: float) -> tuple[np.ndarray, np.ndarray]:
    """The increasing map from a raw importance sum to 0-10: its quantiles on the training rows
    at the label shares (so a repository's scale means what its own curation does)."""
    named_share = min(max(named_share, 0.02), 0.9)
    highlight_share = min(max(highlight_share, 0.005), named_share / 2)
    qs = [0.0, 1 - named_share, 1 - highlight_share, 1 - highlight_share / 5, 1.0]
    x = np.quantile(np.asarray(raw, float), qs)
    x = np.maximum.accumulate(x + np.arange(len(x)) * 1e-9)  # strictly increasing for np.interp
    return x, np.array(SCALE_POINTS)


@dataclass
class PRScorer:
    """The trained models of one bundle. Parameters are plain attributes; `fit` does the work.

    `preprocessor_` turns a feature frame into one sparse float32 matrix (CSR; densifying the
    token columns cost more than predicting); `importance_` and each tag's calibrated classifier
    read that matrix.
    """

    taxonomy: str = "default"
    repo: str = ""
    feature_set: str = "full"
    seed: int = 0
    min_positives: int = 40
    calibration_share: float = 0.2
    min_precision: float = 0.3
    max_decided_share: float = 0.10  # a decided tag flags at most this share of the calibration slice
    min_lift: float = 2.0            # ...with precision there at least this many times the base rate
    preprocessor_: Any = None  # a fitted ColumnTransformer, or modelio.Preprocessor when loaded
    importance_: Any = None    # a BlendedImportance (an LGBMRegressor or BoosterRegressor in older bundles)
    tags_: dict[str, TagModel] = field(default_factory=dict)
    rule_tags_: tuple[str, ...] = RULE_TAGS
    highlight_share: float = 0.07
    highlight_threshold_: float = 6.0
    report_: dict = field(default_factory=dict)
    # Where importance comes from: "labels" (this bundle's own regression) or "generic" (the
    # repository-agnostic model in `generic_`, used when the training labels hold no importance).
    importance_source_: str = "labels"
    generic_: "PRScorer | None" = None
    api_features_: bool = False  # trained on a table with API fields (comments, reviews, ...)
    # The repositories a model of several was trained on (each featurized with its own taxonomy;
    # `repo` is then empty). Empty for a one-repository or a generic model.
    repos_: tuple[str, ...] = ()

    def fit(self, features: pd.DataFrame, labels: pd.DataFrame, merged_at: pd.Series,
            progress=None, generic: "PRScorer | None" = None, n_jobs: int | None = None) -> "PRScorer":
        """Fit importance (from the labels, else `generic`'s) and every tag with enough positives.
        `n_jobs` is LightGBM's thread count (a fit argument, not a parameter: it changes the
        time a fit takes, not the model).

        With `feature_set="generic"` only importance is fitted: tags are outcomes of one
        repository's own history and are not carried to another.
        """
        from scipy import sparse
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.frozen import FrozenEstimator

        from .estimators import fit_importance, make_estimator, make_preprocessor, triage_threshold

        if self.feature_set not in FEATURE_SETS:
            raise ScorerError(f"unknown feature set {self.feature_set!r} (choose from {', '.join(FEATURE_SETS)})")
        everything = features.assign(merged_at=merged_at.to_numpy())
        data = features.assign(merged_at=merged_at.to_numpy())
        # A model of several repositories keys rows by (repo, number): PR numbers repeat across them.
        key = [c for c in ("repo", "number") if c in features and c in labels]
        data = data.merge(labels, on=key, how="inner").sort_values(["merged_at", "number"], kind="mergesort")
        data = data.reset_index(drop=True)
        if data.empty:
            raise ScorerError("no labeled PR is in the PR table (labels for another repository?)")
        self.report_ = {"rows_labeled": int(len(data))}
        self.api_features_ = bool(self.feature_set == "full" and data[API_FEATURES].notna().any().any())
        # The vocabulary is label-free, so it is learned once from every labeled row.
        self.preprocessor_ = make_preprocessor(self.feature_set)
        # One pass over the text (fit_transform): fitting, then transforming again, tokenized it twice.
        X = sparse.csr_matrix(self.preprocessor_.fit_transform(data), dtype=np.float32)
        names = list(self.preprocessor_.get_feature_names_out())
        baseline = tuple(names.index(f"num__{c}") for c in BASELINE_FEATURES) if self.feature_set == "full" else ()
        if "importance" in data and data["importance"].notna().sum() >= 50:
            idx = np.flatnonzero(data["importance"].notna().to_numpy())
            fit, cal = self._split(idx)
            y = data["importance"].to_numpy(float)
            merged = data["merged_at"].to_numpy()
            est = fit_importance(X[fit], y[fit], merged[fit], self.seed, n_jobs)
            pred = est.predict(X[cal])
            rows = data.iloc[cal]
            ranking = weekly_ranking(rows.assign(pred=pred, week=iso_week(rows["merged_at"])), "pred", "importance", 24)
            self.report_["importance"] = {**regression_metrics(y[cal], pred),
                                          "ndcg@24_weekly_mean": float(ranking["ndcg"].mean()),
                                          "fit_rows": len(fit), "calibration_rows": len(cal),
                                          "note": "mae/rmse compare the display scale with the 3/6/9 labels: "
                                                  "read the ranking figures"}
            # Refit on the whole window: the held-back slice was only needed to measure.
            self.importance_ = fit_importance(X[idx], y[idx], merged[idx], self.seed, n_jobs)
            if progress:
                progress.update(1)
        elif generic is not None:
            # No curation of this repository's own: importance from the generic model.
            self.generic_, self.importance_source_ = generic, "generic"
            self.report_["importance_source"] = "generic"
        # Every PR of the window's last weeks, labeled or not: the scores the next reports will see.
        recent = everything[everything["merged_at"] >= everything["merged_at"].max() - pd.Timedelta(weeks=RECENT_WEEKS)]
        if self.has_importance:
            # The score above which a PR counts as highlighted: the share release notes put in
            # Highlights (7%) of what the shipped model gives every PR, labeled or not, of the
            # window's last weeks, the scores the next reports will look like. (Held-out scores of
            # the 4 weeks after the fit rows put vLLM's 2026-03-23..05-10 weeks at a median 10%,
            # up to 18%; these at 6%, up to 9%. A generic model's scale is re-read on this repository.)
            self.highlight_threshold_, spread = highlight_threshold(self.predict_importance(recent), recent["merged_at"],
                                                                    self.highlight_share)
            self.report_["highlight"] = {**spread, "threshold": self.highlight_threshold_,
                                         "scores": f"the bundle's importance on every PR of the last {RECENT_WEEKS} weeks"}
        if self.feature_set == "generic":
            if self.importance_ is None:
                raise ScorerError("a generic bundle needs importance labels (>= 50 rows)")
            return self
        # No decided tag may flag more than max_decided_share of any full recent week. Transformed
        # once, and only when some tag gets that far.
        recent_X = None
        recent_week = iso_week(recent["merged_at"]).to_numpy()
        full_weeks = list(full_week_shares(np.zeros(len(recent_week)), recent_week).index)
        for col in tag_columns(data):
            tag = col[4:]
            if tag in RULE_TAGS:
                continue
            idx = np.flatnonzero(data[col].notna().to_numpy())
            y = np.nan_to_num(data[col].to_numpy(float)).astype(int)
            npos = int(y[idx].sum())
            if npos < self.min_positives or (len(idx) - npos) < self.min_positives:
                self.report_.setdefault("skipped_tags", {})[tag] = f"{npos} positives of {len(idx)}"
                continue
            fit, cal = self._split(idx)
            if y[cal].sum() == 0 or y[fit].sum() == 0:
                self.report_.setdefault("skipped_tags", {})[tag] = "no positives in one of the slices"
                continue
            base = make_estimator("classification", self.seed, baseline, n_jobs).fit(X[fit], y[fit])
            method = "sigmoid" if len(cal) < 1000 else "isotonic"
            calibrated = CalibratedClassifierCV(FrozenEstimator(base), method=method).fit(X[cal], y[cal])
            raw = calibrated.predict_proba(X[cal])[:, 1]
            model = TagModel(calibrated, None, method, smoothed_ends(y[cal], raw) if method == "isotonic" else None)
            p = model.predict_proba(X[cal])  # the stated probabilities: the threshold is one of them
            if recent_X is None:
                recent_X = sparse.csr_matrix(self.preprocessor_.transform(recent), dtype=np.float32)
            p_recent = model.predict_proba(recent_X)
            model.threshold = thr = triage_threshold(
                y[cal], p, self.max_decided_share, self.min_lift, self.min_precision,
                weeks=[p_recent[recent_week == w] for w in full_weeks])
            self.tags_[tag] = model
            decided = p >= thr if thr is not None else np.zeros(len(p), bool)
            self.report_.setdefault("tags", {})[tag] = {
                **probability_metrics(y[cal], p), "threshold": thr, "calibration": method,
                # what the decided set promises (scorer monitor holds later weeks to it)
                **({"decided_share": float(decided.mean()), "decided_precision": float(y[cal][decided].mean())}
                   if decided.any() else {}),
                "probability_range": [float(p.min()), float(p.max())],
                "boosting_rounds": base.rounds_, "fit_rows": len(fit), "calibration_rows": len(cal), "note": "metrics on the calibration slice"}
            if progress:
                progress.update(1)
        if self.importance_ is None and self.generic_ is None and not self.tags_:
            raise ScorerError("nothing to train: no importance labels (>= 50 rows) and no tag with enough positives")
        return self

    @property
    def has_importance(self) -> bool:
        return self.importance_ is not None or self.generic_ is not None

    def _split(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Time split of row positions (already in merge order): the latest `calibration_share` is held back."""
        n_cal = max(int(len(idx) * self.calibration_share), 1)
        return idx[:-n_cal], idx[-n_cal:]

    def transform(self, features: pd.DataFrame | list[dict]):
        """The float32 model matrix of a feature frame or of feature rows (features.feature_rows):
        dense from a loaded bundle (modelio.Preprocessor), CSR from a freshly fitted
        ColumnTransformer; the same values, which the trees and the baseline read alike."""
        if getattr(self.preprocessor_, "dense", False):
            return self.preprocessor_.transform(features)
        from scipy import sparse

        if isinstance(features, list):
            features = pd.DataFrame(features)  # a fitted ColumnTransformer reads frames only
        return sparse.csr_matrix(self.preprocessor_.transform(features), dtype=np.float32)

    def predict_importance(self, features: pd.DataFrame, X: Any = None) -> np.ndarray:
        if self.importance_ is None:
            if self.generic_ is not None:
                return self.generic_.predict_importance(features)
            raise ScorerError("this bundle has no importance model (trained without importance labels and "
                              "without the generic importance bundle); retrain it")
        return np.clip(self.importance_.predict(self.transform(features) if X is None else X), 0, 10)

    def predict_tags(self, features: pd.DataFrame, X: Any = None) -> dict[str, np.ndarray]:
        X = self.transform(features) if X is None else X
        return {tag: m.predict_proba(X) for tag, m in self.tags_.items()}

    def predict_all(self, features: pd.DataFrame | list[dict],
                    X: Any = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Importance and tag probabilities from one transform of the features (`X`, when given)."""
        X = self.transform(features) if X is None else X
        imp = self.predict_importance(features, X) if self.has_importance else np.full(len(features), np.nan)
        return imp, self.predict_tags(features, X)

    def contributions(self, features: pd.DataFrame | list[dict],
                      X: Any = None) -> tuple[np.ndarray, list[str]]:
        """Per-feature contributions to the importance score (LightGBM SHAP values) and feature names.
        `X` is this model's transform of `features` when the caller has it already."""
        if self.importance_ is None and self.generic_ is not None:
            return self.generic_.contributions(features)  # its own columns: X does not apply
        X = self.transform(features) if X is None else X
        X = X.toarray() if hasattr(X, "toarray") else X  # dense in, dense contributions out
        if isinstance(self.importance_, BlendedImportance):
            contrib = self.importance_.contributions(X)
        else:  # a bundle from before the blend: one regression
            contrib = self.importance_.booster_.predict(X, pred_contrib=True)
        return np.asarray(contrib), list(self.preprocessor_.get_feature_names_out())


def data_hash(paths: list[Path]) -> str:
    from .fileio import sha256_file

    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(sha256_file(p).encode())
    return h.hexdigest()
