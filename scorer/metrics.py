"""Metric functions shared by training (model card) and evaluation.

Where scikit-learn has the metric, it is used; calibration errors (ECE/MCE over
equal-mass bins) and within-week ranking (NDCG@k, recall@k) are written here.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def equal_mass_bins(p: np.ndarray, n_bins: int = 10) -> np.ndarray:
    """Bin index per sample: sorted by p, cut into n_bins groups of (nearly) equal size.
    Equal predictions always share a bin, so a constant predictor is one bin, not ten."""
    p = np.asarray(p, float)
    order = np.argsort(p, kind="mergesort")
    bins = np.empty(len(p), int)
    bins[order] = (np.arange(len(p)) * n_bins) // max(len(p), 1)
    _, inverse = np.unique(p, return_inverse=True)
    first = np.full(inverse.max() + 1 if len(p) else 0, n_bins, int)
    np.minimum.at(first, inverse, bins)
    return first[inverse]


def reliability_table(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> pd.DataFrame:
    """Per equal-mass bin: count, mean predicted, observed frequency, and a 95% Wilson band."""
    y, p = np.asarray(y, float), np.asarray(p, float)
    if len(y) == 0:
        return pd.DataFrame(columns=["bin", "count", "p_mean", "observed", "lo", "hi"])
    b = equal_mass_bins(p, n_bins)
    df = pd.DataFrame({"bin": b, "y": y, "p": p}).groupby("bin").agg(count=("y", "size"), p_mean=("p", "mean"),
                                                                      observed=("y", "mean")).reset_index()
    z = 1.96
    n, ph = df["count"].to_numpy(float), df["observed"].to_numpy(float)
    centre = (ph + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    df["lo"], df["hi"] = centre - half, centre + half
    return df


def ece(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> float:
    """Expected calibration error over equal-mass bins: sum_b (n_b / n) |observed_b - predicted_b|."""
    t = reliability_table(y, p, n_bins)
    if t.empty:
        return float("nan")
    return float((t["count"] / t["count"].sum() * (t["observed"] - t["p_mean"]).abs()).sum())


def ece_floor(p: np.ndarray, n_bins: int = 10, draws: int = 200, seed: int = 0) -> float:
    """The ECE a perfectly calibrated predictor with these probabilities would still show on this
    many rows: outcomes drawn as Bernoulli(p), averaged over `draws`. Finite bins are noisy (on
    1,400 rows at a 19% base rate it is ~0.02), so an ECE near this floor is not miscalibration."""
    p = np.asarray(p, float)
    if len(p) == 0:
        return float("nan")
    b = equal_mass_bins(p, n_bins)
    counts = np.bincount(b)
    used = counts > 0
    p_mean = np.bincount(b, weights=p)[used] / counts[used]
    rng = np.random.default_rng(seed)
    total = 0.0
    for _ in range(draws):
        y = rng.random(len(p)) < p
        observed = np.bincount(b, weights=y)[used] / counts[used]
        total += float((counts[used] / len(p) * np.abs(observed - p_mean)).sum())
    return total / draws


def mce(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> float:
    t = reliability_table(y, p, n_bins)
    return float((t["observed"] - t["p_mean"]).abs().max()) if not t.empty else float("nan")


def _safe(fn, *args, **kw) -> float:
    try:
        return float(fn(*args, **kw))
    except ValueError:
        return float("nan")


def probability_metrics(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> dict[str, float]:
    from sklearn import metrics as skm  # here, not at import: scoring a week imports no scikit-learn

    y, p = np.asarray(y, int), np.clip(np.asarray(p, float), 1e-6, 1 - 1e-6)
    one_class = len(np.unique(y)) < 2
    return {
        "rows": int(len(y)), "positives": int(y.sum()), "base_rate": float(y.mean()) if len(y) else float("nan"),
        "roc_auc": float("nan") if one_class else _safe(skm.roc_auc_score, y, p),
        "average_precision": float("nan") if one_class else _safe(skm.average_precision_score, y, p),
        "brier": _safe(skm.brier_score_loss, y, p) if len(y) else float("nan"),
        "log_loss": _safe(skm.log_loss, y, p, labels=[0, 1]) if len(y) else float("nan"),
        "ece": ece(y, p, n_bins), "mce": mce(y, p, n_bins),
    }


def ndcg_at_k(gains: np.ndarray, scores: np.ndarray, k: int) -> float:
    from sklearn import metrics as skm

    """NDCG@k of one group (a week): ranking by `scores`, relevance `gains` (higher is better)."""
    gains, scores = np.asarray(gains, float), np.asarray(scores, float)
    if len(gains) == 0 or gains.max() <= 0:
        return float("nan")
    if len(gains) == 1:
        return 1.0
    return float(skm.ndcg_score(gains[None, :], scores[None, :], k=k))


def weekly_ranking(df: pd.DataFrame, score_col: str, label_col: str, k: int, highlight_at: float = 8.0,
                   week_col: str = "week") -> pd.DataFrame:
    """Per week: NDCG@k of the labels under the score, and recall@k of the labeled highlights."""
    rows = []
    for week, g in df.groupby(week_col, sort=True):
        s, y = g[score_col].to_numpy(float), g[label_col].to_numpy(float)
        top = np.argsort(-s, kind="mergesort")[:k]
        hl = y >= highlight_at
        rows.append({"week": week, "rows": len(g), "highlights": int(hl.sum()),
                     "ndcg": ndcg_at_k(y, s, k),
                     "recall": float(hl[top].sum() / hl.sum()) if hl.sum() else float("nan")})
    return pd.DataFrame(rows, columns=["week", "rows", "highlights", "ndcg", "recall"])


def graded_gain(importance: np.ndarray, highlight_at: float = 8.0, named_at: float = 5.0) -> np.ndarray:
    """Graded relevance of a 0-10 importance label for NDCG: Highlights >> named >> not named.

    Exponential gains (2^rel - 1 with rel 3 / 1 / 0: 7, 1, 0), so one Highlight in the top
    weighs as much as seven merely named PRs; an unlabeled row gains 0.
    """
    y = np.asarray(importance, float)
    return np.where(y >= highlight_at, 7.0, np.where(y >= named_at, 1.0, 0.0))


def weekly_top_k(df: pd.DataFrame, score_col: str, label_col: str, k: int, highlight_at: float = 8.0,
                 week_col: str = "week", min_labeled: float = 0.9) -> pd.DataFrame:
    """The weekly top table as a reader sees it: every PR of the week ranked by `score_col` (labeled or
    not), then per week the Highlights among the top k (`hits`) and graded NDCG@k (`graded_gain`).

    Weeks where under `min_labeled` of the PRs carry a label (the edges of the covered windows) are
    left out: their unlabeled PRs would count as "not named" without anyone having judged them.
    """
    rows = []
    for week, g in df.groupby(week_col, sort=True):
        y = g[label_col].to_numpy(float)
        labeled = ~np.isnan(y)
        if labeled.mean() < min_labeled:
            continue
        s = g[score_col].to_numpy(float)
        top = np.argsort(-s, kind="mergesort")[:k]
        hl = np.nan_to_num(y, nan=0.0) >= highlight_at
        gains = graded_gain(np.nan_to_num(y, nan=0.0), highlight_at)
        rows.append({"week": week, "rows": len(g), "labeled": int(labeled.sum()), "highlights": int(hl.sum()),
                     "hits": int(hl[top].sum()), "ndcg": ndcg_at_k(gains, s, k)})
    return pd.DataFrame(rows, columns=["week", "rows", "labeled", "highlights", "hits", "ndcg"])


def highlights_recall(weekly: pd.DataFrame) -> float:
    """Pooled over weeks (`weekly_top_k` rows): the share of all Highlights that landed in their
    week's top k. A mean of weekly recalls would let a week with one Highlight weigh like a week
    with thirty."""
    total = int(weekly["highlights"].sum()) if len(weekly) else 0
    return float(weekly["hits"].sum() / total) if total else float("nan")


def single_class(y: np.ndarray) -> str | None:
    """Why no metric can be computed on a labeled column (all rows one class), or None."""
    y = np.asarray(y)
    if len(y) and y.min() == y.max():
        return f"all {len(y)} labeled rows are {'positive' if y[0] else 'negative'}"
    return None


def regression_metrics(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    from scipy import stats
    from sklearn import metrics as skm

    """Errors need one row; rank correlations need both sides to vary (a constant baseline has
    an MAE but no Spearman)."""
    y, pred = np.asarray(y, float), np.asarray(pred, float)
    nan = float("nan")
    ranks = len(y) >= 2 and np.ptp(y) > 0 and np.ptp(pred) > 0
    return {
        "rows": int(len(y)),
        "mae": float(skm.mean_absolute_error(y, pred)) if len(y) else nan,
        "rmse": float(math.sqrt(skm.mean_squared_error(y, pred))) if len(y) else nan,
        "spearman": float(stats.spearmanr(y, pred).statistic) if ranks else nan,
        "kendall": float(stats.kendalltau(y, pred).statistic) if ranks else nan,
    }


def iso_week(ts: pd.Series, tz: str = "UTC") -> pd.Series:
    """ISO week label (2026-W18) of each timestamp in the given zone."""
    local = ts.dt.tz_convert(tz)
    iso = local.dt.isocalendar()
    return iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)


FULL_WEEK_ROWS = 10  # a week with fewer PRs is a part-week at a slice's edge: its shares say little


def full_week_shares(flags, weeks) -> pd.Series:
    """Per week, the share of its PRs flagged (decided, highlighted), over the weeks with at
    least FULL_WEEK_ROWS PRs."""
    frame = pd.DataFrame({"week": np.asarray(weeks), "flag": np.asarray(flags, bool)})
    per = frame.groupby("week")["flag"]
    return per.mean()[per.size() >= FULL_WEEK_ROWS].astype(float)
