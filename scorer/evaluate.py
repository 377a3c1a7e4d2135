"""Evaluation: how far a bundle's scores deserve trust on a labeled period it never saw.

Every metric is shown next to baselines computed on the same rows in the same run:
base rate (no skill), size-only ranking (lines changed) and LApredict (logistic
regression on log lines added, fit on the bundle's training window).
"""

from __future__ import annotations

import base64
import io
import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from jinja2 import Environment, FileSystemLoader, StrictUndefined  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from .errors import ScorerError  # noqa: E402
from .fileio import atomic_dir, json_safe  # noqa: E402
from .labels import tag_columns  # noqa: E402
from .metrics import (ece_floor, full_week_shares, iso_week, probability_metrics, regression_metrics,  # noqa: E402
                      highlights_recall, reliability_table, single_class, weekly_top_k)

TEMPLATES = Path(__file__).parent / "report" / "templates" / "eval"
MIN_POSITIVES = 30


def lapredict(train_x: np.ndarray, train_y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """LApredict: logistic regression on log(1 + lines added)."""
    if len(np.unique(train_y)) < 2:
        return np.full(len(x), float(np.mean(train_y)) if len(train_y) else 0.0)
    lr = LogisticRegression().fit(np.log1p(train_x).reshape(-1, 1), train_y)
    return lr.predict_proba(np.log1p(x).reshape(-1, 1))[:, 1]


def _size_rank_prob(churn: np.ndarray) -> np.ndarray:
    """Size-only ranking as a score in [0, 1] (rank-based: good for AUC/AP, not a probability)."""
    return pd.Series(churn).rank(pct=True).to_numpy()


def evaluate_frame(data: pd.DataFrame, train: pd.DataFrame, model_tags: list[str], n_bins: int = 10,
                   highlight_k: int = 24, highlight_at: float = 8.0, tz: str = "UTC",
                   highlight_threshold: float | None = None, thresholds: dict[str, float | None] | None = None) -> dict:
    """Metrics for one evaluation table.

    `data` has the period's rows: number, merged_at, la, churn, importance_pred, p:<tag>, and label
    columns importance / tag:<name>. `train` has the training window's la and labels (for LApredict
    and the base rate).
    """
    result: dict = {"rows": int(len(data)), "tags": {}, "warnings": []}
    for col in tag_columns(data):
        tag = col[4:]
        if tag not in model_tags:
            continue
        rows = data[data[col].notna()]
        if rows.empty:
            continue
        y = rows[col].astype(int).to_numpy()
        one_class = single_class(y)
        if one_class:
            # A positives-only source (or an all-negative period): no ranking or calibration metric exists.
            result["warnings"].append(f"tag:{tag}: {one_class}; no metric is computed on a column without both classes")
            continue
        tr = train[train[col].notna()] if col in train else train.iloc[:0]
        base = float(tr[col].astype(int).mean()) if len(tr) else float(y.mean())
        ytr = tr[col].astype(int).to_numpy() if len(tr) else np.array([])
        probs = {"model": rows[f"p:{tag}"].to_numpy(),
                 "LApredict": lapredict(tr["la"].to_numpy(float), ytr, rows["la"].to_numpy(float)),
                 "base rate": np.full(len(y), base)}
        entries = {
            "model": probability_metrics(y, probs["model"], n_bins),
            "LApredict": probability_metrics(y, probs["LApredict"], n_bins),
            "size-only": probability_metrics(y, _size_rank_prob(rows["churn"].to_numpy(float)), n_bins),
            "base rate": probability_metrics(y, probs["base rate"], n_bins),
        }
        # A rank is not a probability: calibration figures of the size-only ranking mean nothing.
        for k in ("brier", "log_loss", "ece", "mce", "ece_floor"):
            entries["size-only"][k] = float("nan")
        for name, p in probs.items():
            entries[name]["ece_floor"] = ece_floor(p, n_bins)
        result["tags"][tag] = {"metrics": entries,
                               "reliability": reliability_table(y, probs["model"], n_bins).to_dict("list")}
        thr = (thresholds or {}).get(tag)
        if thr is not None:
            result["tags"][tag]["decided"] = decided_set(rows, data, f"p:{tag}", col, thr, tz)
        if y.sum() < MIN_POSITIVES:
            result["warnings"].append(f"tag:{tag} rests on {int(y.sum())} positives (< {MIN_POSITIVES}): "
                                      "its metrics are noisy")
    if "importance" in data and data["importance"].notna().any():
        result["importance"] = _importance_metrics(data, train, n_bins, highlight_k, highlight_at, tz, result["warnings"],
                                                   highlight_threshold)
    return result


def _importance_metrics(data: pd.DataFrame, train: pd.DataFrame, n_bins: int, k: int, highlight_at: float, tz: str,
                        warnings: list[str], highlight_threshold: float | None) -> dict:
    """Importance as the weekly report uses it: agreement with the labels on labeled rows, and the
    top-heavy view, every PR of a week (in `tz`) ranked, Highlights recall@k and graded NDCG@k,
    beside size-only (lines changed) and LApredict (lines added; a monotone score ranks as it)."""
    data = data.copy()
    data["week"] = iso_week(pd.to_datetime(data["merged_at"], utc=True), tz)
    rows = data[data["importance"].notna()]
    y = rows["importance"].to_numpy(float)
    named = (y > y.min()).astype(int) if len(np.unique(y)) > 1 else None
    imp: dict = {"metrics": {}, "weekly": {}}
    scorers = (("model", "importance_pred"), ("size-only", "churn"), ("LApredict", "la"))
    for name, col in scorers:
        score = rows[col].to_numpy(float)
        m = regression_metrics(y, score)
        if name != "model":
            m["mae"] = m["rmse"] = float("nan")  # a line count is not on the 0-10 scale
        weekly = weekly_top_k(data, col, "importance", k, highlight_at)
        m[f"ndcg@{k}"] = float(weekly["ndcg"].mean()) if len(weekly) else float("nan")
        m[f"recall@{k}"] = highlights_recall(weekly)
        if named is not None:
            m["auc_named"] = probability_metrics(named, pd.Series(score).rank(pct=True).to_numpy())["roc_auc"]
        imp["metrics"][name] = m
        imp["weekly"][name] = weekly.to_dict("list")
    mean_label = float(train["importance"].mean()) if "importance" in train and train["importance"].notna().any() else float(y.mean())
    imp["metrics"]["base rate"] = {**regression_metrics(y, np.full(len(y), mean_label)), "spearman": float("nan"),
                                   "kendall": float("nan")}
    bins = pd.qcut(rows["importance_pred"].rank(method="first"), min(n_bins, len(rows)), labels=False)
    cal = rows.groupby(bins).agg(pred=("importance_pred", "mean"), label=("importance", "mean"),
                                 count=("importance", "size"))
    imp["calibration"] = cal.to_dict("list")
    weekly = imp["weekly"]["model"]
    imp["highlights"] = int(sum(weekly["highlights"]))
    imp["weeks"] = len(weekly["week"])
    if highlight_threshold is not None:
        # How the bundle's threshold plays out: the share of each week's PRs at or above it.
        share = full_week_shares(data["importance_pred"].to_numpy(float) >= highlight_threshold, data["week"])
        imp["highlighted_share"] = {"threshold": highlight_threshold, "median": float(share.median()),
                                    "min": float(share.min()), "max": float(share.max()), "weeks": int(len(share))}
    if imp["highlights"] < MIN_POSITIVES:
        warnings.append(f"importance: only {imp['highlights']} Highlights (>= {highlight_at:g}) in fully labeled weeks; "
                        f"recall@{k} is noisy")
    return imp


# ---------------------------------------------------------------- plots

def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def reliability_plot(tag: str, rel: dict, p: np.ndarray) -> bytes:
    fig, (ax, hx) = plt.subplots(2, 1, figsize=(5.5, 6.5), gridspec_kw={"height_ratios": [3, 1]})
    t = pd.DataFrame(rel)
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="perfect calibration")
    ax.fill_between(t["p_mean"], t["lo"], t["hi"], color="C0", alpha=0.2, label="95% band")
    ax.plot(t["p_mean"], t["observed"], marker="o", color="C0", label="model")
    for _, r in t.iterrows():
        ax.annotate(str(int(r["count"])), (r["p_mean"], r["observed"]), fontsize=7, xytext=(3, 3),
                    textcoords="offset points")
    hi = max(float(t["p_mean"].max()), float(t["hi"].max())) if len(t) else 1.0
    lim = min(1.0, hi * 1.1 + 0.02)
    ax.set_xlim(0, lim)
    ax.set_ylim(0, lim)
    ax.set_xlabel("predicted probability (equal-mass bins; n per bin annotated)")
    ax.set_ylabel("observed frequency")
    ax.set_title(f"Reliability: {tag}")
    ax.legend(loc="upper left", fontsize=8)
    hx.hist(p, bins=30, range=(0, lim), color="C1")
    hx.set_xlabel("predicted probability")
    hx.set_ylabel("PRs")
    return _png(fig)


def importance_plot(cal: dict) -> bytes:
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    ax.plot([0, 10], [0, 10], ls="--", color="grey", lw=1, label="identity")
    ax.plot(cal["pred"], cal["label"], marker="o", label="mean label per bin")
    ax.set_xlabel("predicted importance")
    ax.set_ylabel("mean label")
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.legend(fontsize=8)
    ax.set_title("Importance calibration")
    return _png(fig)


def markdown_table(df: pd.DataFrame) -> str:
    """A Markdown table: integers with thousands separators, other numbers to 3 decimals, gaps as '–'."""
    def cell(v) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return "–"
        if isinstance(v, (int, np.integer)) or (isinstance(v, float) and v.is_integer() and abs(v) >= 1):
            return f"{int(v):,}"
        if isinstance(v, (float, np.floating)):
            return f"{v:.3f}"
        return str(v)

    lines = ["| " + " | ".join(map(str, df.columns)) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


def backtest_summary(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a last row of means over the origins that have each figure; for a decided
    tag, its pooled share and precision (counts over all origins) and its largest weekly share."""
    means = {}
    for c in table.columns:
        tag = c[:-len(" decided")] if c.endswith(" decided") else None
        if tag and f"{tag} labeled" in table:
            n, hit = table[f"{tag} labeled"].sum(), table[c].sum()
            means[f"{tag} decided share"] = hit / n if n else float("nan")
            means[f"{tag} precision"] = table[f"{tag} decided true"].sum() / hit if hit else float("nan")
            means[f"{tag} base rate"] = ((table[f"{tag} base rate"] * table[f"{tag} labeled"]).sum() / n
                                         if n else float("nan"))
            means[f"{tag} week share max"] = table[f"{tag} week share max"].max()
    for c in table.columns:
        if c in means:
            continue
        if c != "origin" and pd.api.types.is_numeric_dtype(table[c]):
            v = table[c].dropna()
            counts = len(v) and bool((v == v.round()).all()) and v.abs().max() >= 1
            means[c] = round(float(v.mean())) if counts else table[c].mean()
    return pd.concat([table, pd.DataFrame([{"origin": "mean", **means}])], ignore_index=True)


def backtest_plot(table: pd.DataFrame) -> bytes:
    cols = [c for c in table.columns if c.endswith(("auc", "ece", "ndcg@24", "spearman", "if calibrated"))]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for c in cols:
        baseline = "LApredict" in c or "if calibrated" in c  # reference lines: dashed
        ax.plot(pd.to_datetime(table["origin"]), table[c], marker="" if baseline else "o", label=c,
                linestyle="--" if baseline else "-")
    ax.set_xlabel("origin (retraining date)")
    ax.set_title("Rolling-origin backtest")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return _png(fig)


# ---------------------------------------------------------------- writing

def _fmt(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined, autoescape=False,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["f"] = _fmt
    return env


def write_evaluation(result: dict, context: dict, plots: dict[str, bytes], out_dir: str | Path) -> Path:
    env = _env()
    ctx = {**context, "r": result, "plots": sorted(plots)}
    md = env.get_template("evaluation.md.j2").render(**ctx)
    html = env.get_template("evaluation.html.j2").render(
        **ctx, images={k: base64.b64encode(v).decode() for k, v in plots.items()})
    with atomic_dir(out_dir) as tmp:
        (tmp / "evaluation.md").write_text(md, encoding="utf-8")
        (tmp / "evaluation.html").write_text(html, encoding="utf-8")
        (tmp / "metrics.json").write_text(json.dumps(json_safe({**context, **result}, 6), indent=2, ensure_ascii=False,
                                                     default=str) + "\n", encoding="utf-8")
        for name, data in plots.items():
            (tmp / name).write_bytes(data)
    return Path(out_dir)


# ---------------------------------------------------------------- orchestration

def _join(prs: pd.DataFrame, feats: pd.DataFrame, labels: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    base = pd.DataFrame({"number": prs.loc[mask, "number"].to_numpy(), "merged_at": prs.loc[mask, "merged_at"].to_numpy(),
                         "la": feats.loc[mask, "la"].to_numpy(), "churn": (feats.loc[mask, "la"] + feats.loc[mask, "ld"]).to_numpy()},
                        index=prs.index[mask])
    lab = labels.drop(columns=[c for c in ("repo", "source", "mentioned") if c in labels])
    return base.reset_index().merge(lab, on="number", how="left").set_index("index")


def decided_set(rows: pd.DataFrame, data: pd.DataFrame, p_col: str, y_col: str, threshold: float,
                tz: str = "UTC") -> dict:
    """The tag as a triage list on held-out weeks: how much of each week it decides (every PR of
    the period, labeled or not) and how often a decided PR carries the tag, against the base rate
    of the same labeled rows."""
    y = rows[y_col].astype(int).to_numpy()
    hit = rows[p_col].to_numpy(float) >= threshold
    share = full_week_shares(data[p_col].to_numpy(float) >= threshold, iso_week(pd.to_datetime(data["merged_at"], utc=True), tz))
    base = float(y.mean())
    precision = float(y[hit].mean()) if hit.any() else float("nan")
    return {"threshold": float(threshold), "decided": int(hit.sum()), "rows": int(len(y)),
            "share": float(hit.mean()), "week_share_median": float(share.median()) if len(share) else float("nan"),
            "week_share_max": float(share.max()) if len(share) else float("nan"), "weeks": int(len(share)),
            "precision": precision, "base_rate": base, "lift": precision / base if base > 0 and hit.any() else float("nan")}


def run_evaluate(prs: pd.DataFrame, labels: pd.DataFrame, model, card: dict, since: pd.Timestamp,
                 until: pd.Timestamp | None, out_dir: str | Path, *, n_bins: int = 10, highlight_k: int = 24,
                 highlight_at: float = 8.0, allow_overlap: bool = False, model_name: str = "", tz: str = "UTC") -> dict:
    from .features import compute_features
    from .score import score_frame, taxonomy_for

    train_from = pd.Timestamp(card["training_window"]["from"])
    train_to = pd.Timestamp(card["training_window"]["to"])
    # A generic bundle trained on another repository's history has not seen this one's.
    seen = bool(model.repo) or str(prs["repo"].iloc[0]) in card.get("trained_on", [])
    overlap = bool(since <= train_to) and seen
    if overlap and not allow_overlap:
        raise ScorerError(f"the period starts {since:%Y-%m-%d}, inside the bundle's training window (to "
                          f"{train_to:%Y-%m-%d}); pass --allow-overlap to evaluate anyway (figures will be flagged)")
    tax = taxonomy_for(model, prs)
    feats = compute_features(prs, tax)
    period = prs["merged_at"] >= since
    if until is not None:
        period &= prs["merged_at"] < until
    if not period.any():
        raise ScorerError(f"no PRs merged in the period {since:%Y-%m-%d} .. {until if until is not None else 'end'}")
    scores, _ = score_frame(prs, model, period, features=feats, tax=tax)
    data = _join(prs, feats, labels, period)
    data["importance_pred"] = scores["importance"]
    for tag in model.tags_:
        data[f"p:{tag}"] = scores[f"p:{tag}"]
    train_mask = (prs["merged_at"] >= train_from) & (prs["merged_at"] <= train_to)
    train = _join(prs, feats, labels, train_mask)
    labeled = [c for c in tag_columns(data) if data[c].notna().any()]
    if not labeled and not ("importance" in data and data["importance"].notna().any()):
        raise ScorerError("no labels cover the evaluation period")
    result = evaluate_frame(data, train, list(model.tags_), n_bins, highlight_k, highlight_at, tz,
                            model.highlight_threshold_ if model.has_importance else None,
                            {t: m.threshold for t, m in model.tags_.items()})
    plots = {}
    for tag, t in result["tags"].items():
        rows = data[data[f"tag:{tag}"].notna()]
        plots[f"reliability_{tag}.png"] = reliability_plot(tag, t["reliability"], rows[f"p:{tag}"].to_numpy())
    if "importance" in result:
        plots["importance_calibration.png"] = importance_plot(result["importance"]["calibration"])
    period_txt = f"{since:%Y-%m-%d} .. {(until - pd.Timedelta(seconds=1)):%Y-%m-%d}" if until is not None else f"{since:%Y-%m-%d} ..."
    context = {"model_name": model_name or card.get("name", ""), "repo": model.repo, "period": period_txt,
               "train_from": str(train_from), "train_to": str(train_to), "overlap": bool(overlap), "n_bins": n_bins,
               "k": highlight_k, "highlight_at": highlight_at, "tz": tz}
    write_evaluation(result, context, plots, out_dir)
    return {**context, **result}


def backtest(prs: pd.DataFrame, labels: pd.DataFrame, tax, start: pd.Timestamp, end: pd.Timestamp,
             every: pd.Timedelta, window: pd.Timedelta | None, horizon: pd.Timedelta, importance_horizon: pd.Timedelta,
             seed: int = 0, progress: bool | None = None, ledger: Path | None = None, tz: str = "UTC") -> pd.DataFrame:
    """Rolling origin: at each origin train on the window before it, using only labels that were
    known then (a tag label once its outcome window closed, `horizon`; an importance label after
    `importance_horizon`), then score the next span. With `ledger`, each span's predictions are
    appended to it as made at the origin by that origin's model (what `scorer monitor` then
    checks against the outcomes known later)."""
    from tqdm.auto import tqdm

    from .features import compute_features
    from .score import score_frame
    from .train import PRScorer

    feats = compute_features(prs, tax)
    if isinstance(every, str):  # "month": retrained at each month's first day, scoring that month
        origins = list(pd.date_range(start, end, freq="MS", inclusive="left"))
        if origins and origins[0] > start:
            origins.insert(0, start)  # the days before the first month's start: scored from --start
    else:
        origins = list(pd.date_range(start, end, freq=every, inclusive="left"))
    if not origins:
        raise ScorerError("--start must be before --end")
    if isinstance(every, str):  # each month's bundle scores up to the next month's start (the last, up to --end)
        span_end = dict(zip(origins, origins[1:] + [end]))
    else:
        span_end = {o: o + every for o in origins}
    lab = labels.drop(columns=[c for c in ("repo", "source", "mentioned") if c in labels])
    rows = []
    for origin in tqdm(origins, desc="backtest", unit="origin", disable=True if progress is False else None):
        lo = origin - window if window is not None else prs["merged_at"].min()
        tmask = (prs["merged_at"] >= lo) & (prs["merged_at"] < origin)
        tl = lab[lab["number"].isin(prs.loc[tmask, "number"])].copy()
        merged = tl["number"].map(prs.set_index("number")["merged_at"])
        for c in tag_columns(tl):
            tl.loc[merged > origin - horizon, c] = pd.NA
        if "importance" in tl:
            tl.loc[merged > origin - importance_horizon, "importance"] = np.nan
        model = PRScorer(taxonomy=tax.name, repo=str(prs["repo"].iloc[0]), seed=seed)
        try:
            model.fit(feats[tmask], tl, prs.loc[tmask, "merged_at"])
        except ScorerError as exc:
            rows.append({"origin": f"{origin:%Y-%m-%d}", "note": str(exc)})
            continue
        smask = (prs["merged_at"] >= origin) & (prs["merged_at"] < span_end[origin])
        if not smask.any():
            continue
        scores, _ = score_frame(prs, model, smask, features=feats, tax=tax)
        if ledger is not None:
            from .ledger import append, model_id, prediction_rows

            weeks = iso_week(pd.to_datetime(scores["merged_at"], utc=True), tz)
            for wk, part in scores.groupby(weeks.to_numpy(), sort=True):
                append(ledger, prediction_rows(part, str(prs["repo"].iloc[0]), str(wk),
                                               model_id(model, f"backtest-{origin:%Y-%m-%d}"),
                                               {t: m.threshold for t, m in model.tags_.items()}, source="backtest",
                                               predicted_at=origin))
        data = _join(prs, feats, labels, smask)
        data["importance_pred"] = scores["importance"]
        row = {"origin": f"{origin:%Y-%m-%d}", "train_rows": int(tmask.sum()), "test_rows": int(smask.sum())}
        known = feats.loc[tmask, ["number", "la"]].merge(tl, on="number")
        for tag in model.tags_:
            data[f"p:{tag}"] = scores[f"p:{tag}"]
            col = f"tag:{tag}"
            if col in data and data[col].notna().any():
                r = data[data[col].notna()]
                y = r[col].astype(int).to_numpy()
                one_class = single_class(y)
                if one_class:
                    row[f"{tag} note"] = f"{one_class}: no metric"
                    continue
                m = probability_metrics(y, r[f"p:{tag}"].to_numpy())
                k = known[known[col].notna()]
                la = probability_metrics(y, lapredict(k["la"].to_numpy(float), k[col].astype(int).to_numpy(),
                                                      r["la"].to_numpy(float)))
                row.update({f"{tag} positives": m["positives"], f"{tag} auc": m["roc_auc"],
                            f"{tag} LApredict auc": la["roc_auc"], f"{tag} ece": m["ece"],
                            f"{tag} ece if calibrated": ece_floor(r[f"p:{tag}"].to_numpy())})
                thr = model.tags_[tag].threshold
                if thr is not None:  # the tag as a triage list on this span's weeks
                    d = decided_set(r, data, f"p:{tag}", col, thr)
                    row.update({f"{tag} threshold": thr, f"{tag} decided": d["decided"],
                                f"{tag} decided true": int(round(d["precision"] * d["decided"])) if d["decided"] else 0,
                                f"{tag} labeled": d["rows"], f"{tag} decided share": d["share"],
                                f"{tag} week share max": d["week_share_max"], f"{tag} precision": d["precision"],
                                f"{tag} base rate": d["base_rate"]})
        if model.has_importance and "importance" in data and data["importance"].notna().sum() > 1:
            r = data[data["importance"].notna()]
            row["importance spearman"] = regression_metrics(r["importance"], r["importance_pred"])["spearman"]
            wk = weekly_top_k(data.assign(week=iso_week(pd.to_datetime(data["merged_at"], utc=True))),
                              "importance_pred", "importance", 24)
            row["importance ndcg@24"] = float(wk["ndcg"].mean()) if len(wk) else float("nan")
            row["highlights recall@24"] = highlights_recall(wk)
        rows.append(row)
    return pd.DataFrame(rows)
