"""Training: importance regression and calibrated risk-tag classifiers on point-in-time features.

Importance is a LightGBM regression on the labels' 0-10 scale (squared error), clipped to
0-10. A regression keeps the score's meaning absolute (a 9 is a Highlights-class PR in any
week) while the weekly report ranks by it; a within-week ranking objective would give
scores only comparable inside one week.

Each `tag:*` column with enough positives gets a LightGBM classifier fitted on the earlier
part of the training window and calibrated on the latest slice (`calibration_share`): sigmoid
below 1,000 calibration rows, isotonic above. The decision threshold stored per tag maximises
F1 on that calibration slice. Rule tags stay rules, recorded in the bundle by name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import precision_recall_curve
from sklearn.pipeline import Pipeline

from .errors import ScorerError
from .features import NUMERIC_FEATURES, TEXT_FEATURES
from .labels import KEY, RULE_TAGS, tag_columns
from .metrics import iso_week, probability_metrics, regression_metrics, weekly_ranking

LGBM_PARAMS: dict[str, Any] = {
    "n_estimators": 300, "learning_rate": 0.04, "num_leaves": 31, "min_child_samples": 30,
    "subsample": 0.8, "subsample_freq": 1, "colsample_bytree": 0.7, "reg_lambda": 1.0,
    "n_jobs": 2, "verbose": -1, "deterministic": True, "force_col_wise": True,
}


def make_preprocessor() -> ColumnTransformer:
    """Numbers pass through; prefix, title, path and module text become sparse token columns."""
    return ColumnTransformer([
        ("num", "passthrough", NUMERIC_FEATURES),
        ("prefix", CountVectorizer(token_pattern=r"\S+", min_df=5, binary=True), "prefix"),
        ("title", TfidfVectorizer(min_df=5, max_features=300, sublinear_tf=True, dtype=np.float32), "title_text"),
        ("path", TfidfVectorizer(min_df=5, max_features=200, dtype=np.float32), "path_text"),
        ("module", CountVectorizer(token_pattern=r"\S+", binary=True), "module_text"),
    ], sparse_threshold=1.0)


def make_pipeline(kind: str, seed: int, pos_weight: float = 1.0) -> Pipeline:
    est = (LGBMRegressor(random_state=seed, **LGBM_PARAMS) if kind == "regression"
           else LGBMClassifier(random_state=seed, scale_pos_weight=pos_weight, **LGBM_PARAMS))
    return Pipeline([("features", make_preprocessor()), ("lgbm", est)])


def f1_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The probability at which F1 on the calibration slice is highest."""
    if y.sum() == 0:
        return 0.5
    prec, rec, thr = precision_recall_curve(y, p)
    f1 = 2 * prec[:-1] * rec[:-1] / np.maximum(prec[:-1] + rec[:-1], 1e-12)
    return float(thr[int(np.nanargmax(f1))])


@dataclass
class TagModel:
    model: Any
    threshold: float
    method: str


@dataclass
class PRScorer:
    """The trained models of one bundle. Parameters are plain attributes; `fit` does the work."""

    taxonomy: str = "default"
    repo: str = ""
    seed: int = 0
    min_positives: int = 40
    calibration_share: float = 0.2
    importance_: Pipeline | None = None
    tags_: dict[str, TagModel] = field(default_factory=dict)
    rule_tags_: tuple[str, ...] = RULE_TAGS
    highlight_share: float = 0.07
    highlight_threshold_: float = 6.0
    report_: dict = field(default_factory=dict)

    def fit(self, features: pd.DataFrame, labels: pd.DataFrame, merged_at: pd.Series,
            progress=None) -> "PRScorer":
        data = features.assign(merged_at=merged_at.to_numpy())
        data = data.merge(labels, on="number", how="inner").sort_values(["merged_at", "number"], kind="mergesort")
        if data.empty:
            raise ScorerError("no labeled PR is in the PR table (labels for another repository?)")
        self.report_ = {"rows_labeled": int(len(data))}
        if "importance" in data and data["importance"].notna().sum() >= 50:
            rows = data[data["importance"].notna()]
            fit, cal = self._split(rows)
            pipe = make_pipeline("regression", self.seed)
            pipe.fit(fit, fit["importance"].to_numpy(float))
            pred = np.clip(pipe.predict(cal), 0, 10)
            ranking = weekly_ranking(cal.assign(pred=pred, week=iso_week(cal["merged_at"])), "pred", "importance", 24)
            self.report_["importance"] = {**regression_metrics(cal["importance"], pred),
                                          "ndcg@24_weekly_mean": float(ranking["ndcg"].mean()),
                                          "fit_rows": len(fit), "calibration_rows": len(cal)}
            # Refit on the whole window: the held-back slice was only needed to measure.
            pipe = make_pipeline("regression", self.seed)
            pipe.fit(rows, rows["importance"].to_numpy(float))
            self.importance_ = pipe
            # The score above which a PR counts as highlighted: the share release notes put in Highlights.
            self.highlight_threshold_ = round(float(np.quantile(np.clip(pipe.predict(rows), 0, 10),
                                                                1 - self.highlight_share)), 2)
            if progress:
                progress.update(1)
        for col in tag_columns(data):
            tag = col[4:]
            if tag in RULE_TAGS:
                continue
            rows = data[data[col].notna()]
            y = rows[col].astype(int).to_numpy()
            if y.sum() < self.min_positives or (len(y) - y.sum()) < self.min_positives:
                self.report_.setdefault("skipped_tags", {})[tag] = f"{int(y.sum())} positives of {len(y)}"
                continue
            fit, cal = self._split(rows)
            yf, yc = fit[col].astype(int).to_numpy(), cal[col].astype(int).to_numpy()
            if yc.sum() == 0 or yf.sum() == 0:
                self.report_.setdefault("skipped_tags", {})[tag] = "no positives in one of the slices"
                continue
            base = make_pipeline("classification", self.seed).fit(fit, yf)
            method = "sigmoid" if len(cal) < 1000 else "isotonic"
            calibrated = CalibratedClassifierCV(FrozenEstimator(base), method=method).fit(cal, yc)
            p = calibrated.predict_proba(cal)[:, 1]
            thr = f1_threshold(yc, p)
            self.tags_[tag] = TagModel(calibrated, thr, method)
            self.report_.setdefault("tags", {})[tag] = {
                **probability_metrics(yc, p), "threshold": thr, "calibration": method,
                "fit_rows": len(fit), "calibration_rows": len(cal), "note": "metrics on the calibration slice"}
            if progress:
                progress.update(1)
        if self.importance_ is None and not self.tags_:
            raise ScorerError("nothing to train: no importance labels (>= 50 rows) and no tag with enough positives")
        return self

    def _split(self, rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Time split: the latest `calibration_share` of rows (by merge time) is held back."""
        n_cal = max(int(len(rows) * self.calibration_share), 1)
        return rows.iloc[:-n_cal], rows.iloc[-n_cal:]

    def predict_importance(self, features: pd.DataFrame) -> np.ndarray:
        if self.importance_ is None:
            return np.full(len(features), np.nan)
        return np.clip(self.importance_.predict(features), 0, 10)

    def predict_tags(self, features: pd.DataFrame) -> dict[str, np.ndarray]:
        return {tag: m.model.predict_proba(features)[:, 1] for tag, m in self.tags_.items()}

    def contributions(self, features: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
        """Per-feature contributions to the importance score (LightGBM SHAP values) and feature names."""
        pre = self.importance_.named_steps["features"]
        X = pre.transform(features)
        if hasattr(X, "toarray"):
            X = X.toarray()  # dense in, dense contributions out
        contrib = self.importance_.named_steps["lgbm"].booster_.predict(X, pred_contrib=True)
        return np.asarray(contrib), list(pre.get_feature_names_out())


def data_hash(paths: list[Path]) -> str:
    from .fileio import sha256_file

    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(sha256_file(p).encode())
    return h.hexdigest()
