"""The scikit-learn and LightGBM estimators training fits (train.PRScorer.fit imports this).

Kept apart from train.py so that loading and scoring a bundle (modelio, score) never imports
scikit-learn, SciPy or the lightgbm package: a fresh `scorer score` paid over a second for them.
"""

from __future__ import annotations

import numpy as np
from lightgbm import LGBMClassifier, LGBMRanker, LGBMRegressor, early_stopping
from scipy import sparse
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from .features import GENERIC_FEATURES, NUMERIC_FEATURES
from .params import LGBM_PARAMS, RANK_PARAMS, TAG_PARAMS


def make_preprocessor(feature_set: str = "full") -> ColumnTransformer:
    """Numbers pass through; prefix, title, path and module text become sparse token columns.

    One preprocessor is fitted per bundle and shared by every model in it, so scoring
    transforms the text once however many tags are modeled. The "generic" set is the
    repository-agnostic numbers only (features.GENERIC_FEATURES): no token of any path, title
    or module, so the model transfers to a repository it never saw.
    """
    if feature_set == "generic":
        return ColumnTransformer([("num", "passthrough", GENERIC_FEATURES)], sparse_threshold=1.0)
    return ColumnTransformer([
        ("num", "passthrough", NUMERIC_FEATURES),
        ("prefix", CountVectorizer(token_pattern=r"\S+", min_df=5, binary=True), "prefix"),
        ("title", TfidfVectorizer(min_df=5, max_features=300, sublinear_tf=True, dtype=np.float32), "title_text"),
        ("path", TfidfVectorizer(min_df=5, max_features=200, dtype=np.float32), "path_text"),
        ("module", CountVectorizer(token_pattern=r"\S+", binary=True), "module_text"),
    ], sparse_threshold=1.0)


class BaselineBoostedClassifier(ClassifierMixin, BaseEstimator):
    """LightGBM boosted from a logistic regression on a few columns (`baseline_columns`, positions
    in X), with the number of rounds chosen by early stopping on the latest `validation_share` of
    the rows (X must be in time order), then refitted on all of them.

    Why: on vLLM a logistic regression on BASELINE_FEATURES ranks bug-inducing better than trees
    grown from a constant (2025 backtest, 7 origins: AUC 0.870 vs 0.861), because trees spend
    their splits re-deriving a smooth size effect. Starting from the regression, the trees only
    add what it misses, and early stopping gives each tag as many rounds as its signal supports.
    """

    def __init__(self, baseline_columns: tuple[int, ...] = (), max_rounds: int = 300,
                 validation_share: float = 0.2, patience: int = 50, random_state: int = 0,
                 n_jobs: int = TAG_PARAMS["n_jobs"]):
        self.baseline_columns = baseline_columns
        self.max_rounds = max_rounds
        self.validation_share = validation_share
        self.patience = patience
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _base_x(self, X) -> np.ndarray:
        cols = list(self.baseline_columns)
        part = X[:, cols]
        return part.toarray() if sparse.issparse(part) else np.ascontiguousarray(part)  # C order, as toarray()

    def _trees(self, rounds: int) -> LGBMClassifier:
        return LGBMClassifier(random_state=self.random_state, **{**TAG_PARAMS, "n_estimators": rounds,
                                                                 "n_jobs": self.n_jobs})

    def fit(self, X, y) -> "BaselineBoostedClassifier":
        y = np.asarray(y).astype(int)
        xb = self._base_x(X)
        self.baseline_ = make_pipeline(FunctionTransformer(np.log1p), StandardScaler(),
                                       LogisticRegression(max_iter=1000)).fit(xb, y)
        self.classes_ = self.baseline_.classes_
        offset = self.baseline_.decision_function(xb)
        n_val = int(len(y) * self.validation_share)
        rounds = self.max_rounds
        if n_val >= 50 and 0 < y[-n_val:].sum() < n_val and 0 < y[:-n_val].sum():
            probe = self._trees(self.max_rounds).fit(
                X[:-n_val], y[:-n_val], init_score=offset[:-n_val],
                eval_X=X[-n_val:], eval_y=y[-n_val:], eval_init_score=[offset[-n_val:]],
                callbacks=[early_stopping(self.patience, verbose=False)])
            rounds = max(int(probe.best_iteration_ or self.max_rounds), 1)
        self.rounds_ = rounds
        self.trees_ = self._trees(rounds).fit(X, y, init_score=offset)
        return self

    def decision_function(self, X) -> np.ndarray:
        return self.baseline_.decision_function(self._base_x(X)) + self.trees_.predict(X, raw_score=True)

    def predict_proba(self, X) -> np.ndarray:
        p = expit(self.decision_function(X))
        return np.column_stack([1 - p, p])

    def predict(self, X) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


def make_estimator(kind: str, seed: int, baseline_columns: tuple[int, ...] = (),
                   n_jobs: int | None = None) -> LGBMRegressor | BaselineBoostedClassifier:
    """`n_jobs`: LightGBM's threads (default LGBM_PARAMS'); the trees are the same for any count,
    only the `[num_threads: N]` line of the saved model text records it."""
    n_jobs = n_jobs or LGBM_PARAMS["n_jobs"]
    if kind == "regression":
        return LGBMRegressor(random_state=seed, **{**LGBM_PARAMS, "n_jobs": n_jobs})
    return BaselineBoostedClassifier(baseline_columns=baseline_columns, max_rounds=TAG_PARAMS["n_estimators"],
                                     random_state=seed, n_jobs=n_jobs)


def fit_importance(X, y: np.ndarray, merged_at, seed: int, n_jobs: int | None = None,
                   highlight_at: float = 8.0, named_at: float = 5.0):
    """Importance as the weekly top table reads it: an L2 regression on the 0-10 labels and a
    LambdaRank model of each week's PRs against each other (graded gains 7 / 1 / 0), each divided
    by the spread of its scores on the training rows and summed, then put on the display scale
    (train.display_scale). Rows are in merge order, so each ISO week (UTC) is one contiguous group.

    Why two: on the rolling benchmark (vLLM, both grids) the regression alone caught 0.44 / 0.45 of
    the Highlights in its weekly top 24, the ranker alone 0.47 / 0.47 with a lower NDCG@24, and the
    sum 0.47 / 0.50 with the best NDCG@24 (0.57 / 0.59); on vllm-ascend recall@10 0.46 / 0.49 ->
    0.60 / 0.59 (experiments on the rolling benchmark; with the shipped settings, README "What the
    scores mean"). A linear sum keeps the reasons exact: the contributions add up the same way."""
    import pandas as pd

    from .metrics import iso_week
    from .train import BlendedImportance, display_scale

    n_jobs = n_jobs or LGBM_PARAMS["n_jobs"]
    y = np.asarray(y, float)
    reg = make_estimator("regression", seed, n_jobs=n_jobs).fit(X, y)
    weeks = iso_week(pd.Series(pd.to_datetime(merged_at, utc=True))).to_numpy()
    change = np.flatnonzero(weeks[1:] != weeks[:-1]) + 1
    groups = np.diff(np.concatenate([[0], change, [len(weeks)]]))
    relevance = np.where(y >= highlight_at, 2, np.where(y >= named_at, 1, 0))
    rank = LGBMRanker(random_state=seed, **{**RANK_PARAMS, "n_jobs": n_jobs}).fit(X, relevance, group=groups)
    r_reg, r_rank = reg.predict(X), rank.predict(X)
    weights = (1.0 / max(float(np.std(r_reg)), 1e-9), 1.0 / max(float(np.std(r_rank)), 1e-9))
    raw = weights[0] * r_reg + weights[1] * r_rank
    x, ys = display_scale(raw, float(np.mean(y >= named_at)), float(np.mean(y >= highlight_at)))
    return BlendedImportance(reg, rank, weights, x, ys)


def triage_threshold(y: np.ndarray, p: np.ndarray, max_share: float = 0.10, min_lift: float = 2.0,
                     min_precision: float = 0.0, weeks: list[np.ndarray] | None = None) -> float | None:
    """A risk tag's decision threshold, chosen so the decided PRs make a list someone reviews:
    among thresholds deciding at most `max_share` of the calibration slice and of each of `weeks`
    (the probabilities of every PR of the training window's last weeks, labeled or not: what the
    next reports will look like), whose precision on the slice is, with 95% confidence, at least
    `min_lift` times its base rate (and `min_precision`), the one with the highest F1; None when none qualifies (the
    tag is then a probability only).

    Max F1 alone decided "likely bug-inducing" on a third of a week (48 of vLLM's 174 PRs in
    2026-W18, 35 of vllm-ascend's 110 in W30): at a 19% base rate F1 rewards recall."""
    y, p = np.asarray(y, int), np.asarray(p, float)
    if y.sum() == 0 or y.sum() == len(y):
        return None
    prec, rec, thr = precision_recall_curve(y, p)
    prec, rec = prec[:-1], rec[:-1]
    share = 1.0 - np.searchsorted(np.sort(p), thr, side="left") / len(p)  # the share with p >= t
    for w in weeks or ():
        if len(w):
            share = np.maximum(share, 1.0 - np.searchsorted(np.sort(np.asarray(w, float)), thr, side="left") / len(w))
    f1 = 2 * prec * rec / np.maximum(prec + rec, 1e-12)
    # The precision must clear the bar with confidence (Wilson's one-sided 95% lower bound), so a
    # handful of lucky PRs at the very top never make a decision of a tag that ranks nothing.
    n = (1.0 - np.searchsorted(np.sort(p), thr, side="left") / len(p)) * len(p)
    z = 1.645
    low = (prec + z * z / (2 * n) - z * np.sqrt(prec * (1 - prec) / n + z * z / (4 * n * n))) / (1 + z * z / n)
    ok = (share <= max_share + 1e-12) & (low >= max(min_lift * y.mean(), min_precision))
    if not ok.any():
        return None
    f1[~ok] = -1.0
    return float(thr[int(np.argmax(f1))])


def f1_threshold(y: np.ndarray, p: np.ndarray, min_precision: float = 0.0) -> float | None:
    """The probability at which F1 on the calibration slice is highest, among thresholds whose
    precision there is at least `min_precision`; None when no threshold reaches it.

    Without the floor a rare, weakly predicted tag gets a threshold near its base rate (vLLM's
    `reverted`: 0.02) and the report would call half of a week's PRs likely reverts.
    """
    if y.sum() == 0:
        return None
    prec, rec, thr = precision_recall_curve(y, p)
    f1 = 2 * prec[:-1] * rec[:-1] / np.maximum(prec[:-1] + rec[:-1], 1e-12)
    f1[prec[:-1] < min_precision] = -1.0
    best = int(np.argmax(f1))
    return float(thr[best]) if f1[best] >= 0 else None
