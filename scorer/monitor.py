"""How the scores have done: the prediction ledger (scorer.ledger) against the outcomes known now.

For each tag, bundle and month of merge:
- **realized**, once a PR's outcome window (90 days) has closed: ECE beside its "if calibrated"
  floor, Brier, AUC, and the decided set's precision against the base rate, computed by the
  same functions `scorer evaluate` uses, so the same rows give the same figures;
- **estimated**, while windows are open (confidence-based performance estimation, as NannyML's
  CBPE does for a calibrated classifier): the decided set's expected precision is the mean of
  its probabilities, with a 95% interval from their Bernoulli variance;
- **so far**, when the fixes' dates are known (SZZ pairs): the PRs already blamed by a fix
  against the number the probabilities expect by now (each PR's probability times the share of
  blamed PRs found by that age, read off the closed windows). This is what moves first when the
  bug process changes: fixes of new bugs arrive in days, the window closes in 90.

Drift, said when (documented in the README):
- calibration: in a closed month with at least MIN_ROWS labeled rows, the positives are more
  than Z_ALERT standard deviations from the sum of the probabilities, or the ECE exceeds its
  floor by more than ECE_MARGIN (and by the floor itself again);
- fixes so far: over the last RECENT_WEEKS weeks of open windows, the PRs already blamed are
  more than Z_ALERT standard deviations above (or below) what the probabilities expect by now;
- promise: the decided set's estimated precision, upper end of its interval, is below the
  precision the bundle's card promised for it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .errors import ScorerError
from .metrics import ece_floor, probability_metrics

WINDOW_DAYS = 90
MIN_ROWS = 100        # a month's realized calibration is judged on at least this many labeled rows
Z_ALERT = 3.5         # standard deviations: about one false alarm in 4,300 looks per side
ECE_MARGIN = 0.02     # ECE above floor + max(margin, floor) flags calibration drift
RECENT_WEEKS = 6      # the open weeks the fixes-so-far check pools
DATED_TAG = "bug-inducing"  # the tag whose outcomes the fixes' dates (SZZ pairs) reveal as they arrive
Z95 = 1.959964


def _interval(p: np.ndarray) -> tuple[float, float, float]:
    """Mean of Bernoulli(p) outcomes: its expectation and 95% normal interval, clipped to [0, 1]."""
    if len(p) == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(p.mean())
    half = Z95 * math.sqrt(float((p * (1 - p)).sum())) / len(p)
    return mean, max(0.0, mean - half), min(1.0, mean + half)


def delay_cdf(blamed: pd.DataFrame, as_of: pd.Timestamp, window_days: int = WINDOW_DAYS) -> np.ndarray:
    """The share of eventually blamed PRs already blamed at each age 0..window_days (days), read
    off the PRs whose window had closed by `as_of` (only those have their whole delay known)."""
    window = pd.Timedelta(days=window_days)
    done = blamed[(blamed["merged_at"] + window <= as_of) & (blamed["first_fix_at"] - blamed["merged_at"] <= window)]
    if len(done) < 20:
        return np.linspace(0, 1, window_days + 1)  # no history: assume fixes arrive evenly over the window
    days = ((done["first_fix_at"] - done["merged_at"]).dt.total_seconds() / 86400).to_numpy()
    return np.array([(days <= d).mean() for d in range(window_days + 1)])


def first_fixes(pairs: pd.DataFrame, window_days: int = WINDOW_DAYS, min_lines: int = 1) -> pd.DataFrame:
    """Each blamed PR's first blaming fix, by the outcome rule (scorer.labels.outcomes): fixes
    merged after it and within the window, blaming at least `min_lines` lines in total."""
    window = pd.Timedelta(days=window_days)
    p = pairs[(pairs["fix_pr"] != pairs["inducing_pr"]) & (pairs["fix_merged_at"] > pairs["inducing_merged_at"])
              & (pairs["fix_merged_at"] - pairs["inducing_merged_at"] <= window)]
    p = p.sort_values("fix_merged_at", kind="mergesort")
    p = p.assign(total=p.groupby("inducing_pr")["lines_blamed"].cumsum())
    hit = p[p["total"] >= min_lines].groupby("inducing_pr").first()
    return pd.DataFrame({"number": hit.index.astype("int64"), "merged_at": hit["inducing_merged_at"].to_numpy(),
                         "first_fix_at": hit["fix_merged_at"].to_numpy()})


def _age_days(rows: pd.DataFrame, as_of: pd.Timestamp, window_days: int) -> np.ndarray:
    """Each PR's days since its merge, within its outcome window."""
    return ((as_of - rows["merged_at"]).dt.total_seconds() / 86400).clip(0, window_days).to_numpy()


def _so_far(rows: pd.DataFrame, as_of: pd.Timestamp, cdf: np.ndarray, fixed_by: pd.Series,
            window_days: int) -> tuple[int, np.ndarray]:
    """Open-window PRs already blamed by `as_of`, and each one's chance of being blamed by now:
    its probability times the share of blamed PRs found by its age (delay_cdf)."""
    q = rows["p"].to_numpy(float) * cdf[np.floor(_age_days(rows, as_of, window_days)).astype(int)]
    return int(rows["number"].map(fixed_by).le(as_of).sum()), q


def _z(observed: float, expected: np.ndarray) -> float:
    var = float((expected * (1 - expected)).sum())
    return (observed - float(expected.sum())) / math.sqrt(var) if var > 0 else float("nan")


def realized(y: np.ndarray, p: np.ndarray, threshold: float | None, n_bins: int = 10) -> dict:
    """The figures of closed rows, by `scorer evaluate`'s functions."""
    m = probability_metrics(y, p, n_bins)
    out = {"rows": m["rows"], "positives": m["positives"], "base_rate": m["base_rate"], "ece": m["ece"],
           "ece_floor": ece_floor(p, n_bins), "brier": m["brier"], "roc_auc": m["roc_auc"],
           "expected_positives": float(p.sum()), "z": _z(float(y.sum()), p)}
    if threshold is not None:
        hit = p >= threshold
        out.update({"decided": int(hit.sum()), "decided_true": int(y[hit].sum()),
                    "precision": float(y[hit].mean()) if hit.any() else float("nan")})
    return out


def estimated(p: np.ndarray, threshold: float | None) -> dict:
    mean, lo, hi = _interval(p)
    out = {"rows": int(len(p)), "expected_positives": float(p.sum()), "expected_rate": mean}
    if threshold is not None:
        d = p[p >= threshold]
        est, lo, hi = _interval(d)
        out.update({"decided": int(len(d)), "precision_estimate": est, "precision_lo": lo, "precision_hi": hi})
    return out


def monitor_frame(rows: pd.DataFrame, labels: pd.DataFrame, as_of: pd.Timestamp, *,
                  blamed: pd.DataFrame | None = None, promised: dict[str, dict[str, float]] | None = None,
                  window_days: int = WINDOW_DAYS, n_bins: int = 10, notes: pd.DataFrame | None = None,
                  tz: str = "Asia/Shanghai", k: int = 24) -> dict:
    """The monitor's figures. `rows`: ledger rows of one repository; `labels`: its outcome labels
    as known on `as_of` (tag:<name> columns, empty while a window is open); `blamed`: each blamed
    PR's first fix (first_fixes), for the fixes-so-far check; `promised`: per bundle hash and
    tag, the decided set's precision its card states; `notes`: importance labels from release
    notes published since (scorer label release-notes), for the weekly top k's agreement."""
    as_of = pd.Timestamp(as_of)
    as_of = as_of.tz_localize("UTC") if as_of.tzinfo is None else as_of.tz_convert("UTC")
    rows_all = rows[rows["merged_at"].notna() & (rows["merged_at"] <= as_of)]
    rows = rows_all[rows_all["tag"] != ""]
    if rows_all.empty:
        raise ScorerError(f"the ledger holds no predictions of PRs merged by {as_of:%Y-%m-%d}")
    window = pd.Timedelta(days=window_days)
    lab = labels.drop(columns=[c for c in ("repo", "source", "mentioned") if c in labels]).drop_duplicates("number")
    if blamed is not None:
        blamed = blamed[blamed["first_fix_at"] <= as_of]  # what was known on as_of, no later
    cdf = delay_cdf(blamed, as_of, window_days) if blamed is not None else None
    fixed_by = blamed.set_index("number")["first_fix_at"] if blamed is not None else None
    out: dict = {"as_of": f"{as_of:%Y-%m-%d}", "window_days": window_days, "n_bins": n_bins, "tags": {},
                 "alerts": [], "bundles": {}}
    for (bhash, bname), g in rows.groupby(["bundle_hash", "bundle"], sort=True):
        out["bundles"][bhash] = {"name": bname, "first": f"{g['predicted_at'].min():%Y-%m-%d}",
                                 "last": f"{g['predicted_at'].max():%Y-%m-%d}", "prs": int(g["number"].nunique())}
    for tag, t in rows.groupby("tag", sort=True):
        col = f"tag:{tag}"
        if col not in lab:
            continue
        t = t.merge(lab[["number", col]], on="number", how="left")
        t["closed"] = (t["merged_at"] + window <= as_of) & t[col].notna()
        t["month"] = t["merged_at"].dt.strftime("%Y-%m")
        per_tag: dict = {"months": [], "bundles": {}}
        first_made = t.groupby("bundle_hash")["predicted_at"].min()
        for (_, bhash, month), g in t.groupby([t["bundle_hash"].map(first_made), "bundle_hash", "month"], sort=True):
            thr = g["threshold"].dropna()
            thr = float(thr.iloc[0]) if len(thr) else None
            entry: dict = {"bundle": bhash, "bundle_name": str(g["bundle"].iloc[0]), "month": month,
                           "prs": int(len(g)), "threshold": thr}
            c = g[g["closed"]]
            if len(c):
                entry["realized"] = realized(c[col].astype(int).to_numpy(), c["p"].to_numpy(float), thr, n_bins)
            o = g[~g["closed"]]
            if len(o):
                entry["estimate"] = estimated(o["p"].to_numpy(float), thr)
                entry["estimate"]["window_elapsed"] = float((_age_days(o, as_of, window_days) / window_days).mean())
                if cdf is not None and tag == DATED_TAG:
                    seen, q = _so_far(o, as_of, cdf, fixed_by, window_days)
                    entry["estimate"].update({"blamed_so_far": seen, "expected_so_far": float(q.sum()),
                                              "z_so_far": _z(float(seen), q)})
            per_tag["months"].append(entry)
        for bhash in first_made.sort_values(kind="mergesort").index:  # bundles in the order they made predictions
            g = t[t["bundle_hash"] == bhash]
            thr = g["threshold"].dropna()
            thr = float(thr.iloc[0]) if len(thr) else None
            c = g[g["closed"]]
            b: dict = {"name": str(g["bundle"].iloc[0])}
            if len(c):
                b["realized"] = realized(c[col].astype(int).to_numpy(), c["p"].to_numpy(float), thr, n_bins)
            o = g[~g["closed"]]
            if len(o):
                b["estimate"] = estimated(o["p"].to_numpy(float), thr)
            per_tag["bundles"][bhash] = b
        out["tags"][tag] = per_tag
        out["alerts"] += _alerts(tag, t, per_tag, as_of, cdf, fixed_by, promised or {}, window_days)
    if notes is not None:
        out["importance"] = importance_agreement(rows_all, notes, tz, k)
    if not out["tags"] and not out.get("importance"):
        raise ScorerError("no outcome labels for the ledger's tags (give outcome labels: scorer label outcomes)")
    return out


def importance_agreement(rows: pd.DataFrame, notes: pd.DataFrame, tz: str = "Asia/Shanghai", k: int = 24) -> dict | None:
    """The importance the ledger recorded against release notes published since: per week the
    report's top k as it was (each PR's earliest prediction), and how many of the week's
    Highlights it held. Weeks the notes cover under 90% are left out (metrics.weekly_top_k)."""
    from .ledger import earliest
    from .metrics import highlights_recall, iso_week, weekly_top_k

    if "importance" not in notes or not notes["importance"].notna().any():
        return None
    r = rows[rows["merged_at"].notna() & rows["importance"].notna()]  # bundles without an importance model: NaN
    r = earliest(r)
    r = r.merge(notes.drop_duplicates("number")[["number", "importance"]].rename(columns={"importance": "label"}),
                on="number", how="left")
    if r.empty:
        return None
    r["week"] = iso_week(r["merged_at"], tz)
    weekly = weekly_top_k(r, "importance", "label", k)
    if weekly.empty:
        return None
    first_day = r.groupby("week")["merged_at"].min().dt.tz_convert(tz).dt.strftime("%Y-%m")
    weekly["month"] = weekly["week"].map(first_day)
    months = []
    for month, g in weekly.groupby("month", sort=True):
        months.append({"month": month, "weeks": int(len(g)), "highlights": int(g["highlights"].sum()),
                       "hits": int(g["hits"].sum()), "recall": highlights_recall(g)})
    return {"k": k, "weeks": int(len(weekly)), "highlights": int(weekly["highlights"].sum()),
            "hits": int(weekly["hits"].sum()), "recall": highlights_recall(weekly), "months": months}


def _alerts(tag: str, t: pd.DataFrame, per_tag: dict, as_of: pd.Timestamp, cdf, fixed_by, promised: dict,
            window_days: int) -> list[dict]:
    alerts = []
    for e in per_tag["months"]:
        r = e.get("realized")
        if not r or r["rows"] < MIN_ROWS:
            continue
        if abs(r["z"]) > Z_ALERT or r["ece"] > r["ece_floor"] + max(ECE_MARGIN, r["ece_floor"]):
            alerts.append({"kind": "calibration", "tag": tag, "bundle": e["bundle"], "bundle_name": e["bundle_name"],
                           "month": e["month"], "observed": r["positives"], "expected": r["expected_positives"],
                           "rows": r["rows"], "ece": r["ece"], "ece_floor": r["ece_floor"], "z": r["z"]})
    open_rows = t[~t["closed"]]
    if cdf is not None and tag == DATED_TAG and len(open_rows):
        recent = open_rows[open_rows["merged_at"] > as_of - pd.Timedelta(weeks=RECENT_WEEKS)]
        for bhash, g in recent.groupby("bundle_hash", sort=True):
            seen, q = _so_far(g, as_of, cdf, fixed_by, window_days)
            z = _z(float(seen), q)
            if abs(z) > Z_ALERT:
                alerts.append({"kind": "fixes_so_far", "tag": tag, "bundle": bhash, "bundle_name": str(g["bundle"].iloc[0]),
                               "since": f"{g['merged_at'].min():%Y-%m-%d}", "rows": int(len(g)),
                               "observed": seen, "expected": float(q.sum()), "z": z})
    for bhash, b in per_tag["bundles"].items():
        est, want = b.get("estimate"), promised.get(bhash, {}).get(tag)
        if est and want is not None and est.get("decided", 0) >= 10 and est["precision_hi"] < want:
            alerts.append({"kind": "promise", "tag": tag, "bundle": bhash, "bundle_name": b["name"],
                           "estimate": est["precision_estimate"], "hi": est["precision_hi"], "promised": want,
                           "decided": est["decided"]})
    return alerts


# ---------------------------------------------------------------- plots and writing

def quarter_reliability(rows: pd.DataFrame, labels: pd.DataFrame, tag: str, as_of: pd.Timestamp,
                        window_days: int = WINDOW_DAYS) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Closed rows of `tag` by quarter of merge: (labels, probabilities) per quarter."""
    col = f"tag:{tag}"
    t = rows[(rows["tag"] == tag) & rows["merged_at"].notna()].merge(
        labels[["number", col]].drop_duplicates("number"), on="number", how="inner")
    t = t[t[col].notna() & (t["merged_at"] + pd.Timedelta(days=window_days) <= as_of)]
    out = {}
    for q, g in t.groupby(t["merged_at"].dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("Q").astype(str)):
        out[q] = (g[col].astype(int).to_numpy(), g["p"].to_numpy(float))
    return out


def plots_for(result: dict, rows: pd.DataFrame, labels: pd.DataFrame, n_bins: int = 10) -> dict[str, bytes]:
    """A reliability diagram per quarter of closed windows and, per tag, the decided set's
    realized and estimated precision by month."""
    from .evaluate import _png, plt, reliability_plot
    from .metrics import reliability_table

    as_of = pd.Timestamp(result["as_of"], tz="UTC")
    out: dict[str, bytes] = {}
    for tag, t in result["tags"].items():
        for q, (y, p) in quarter_reliability(rows, labels, tag, as_of, result["window_days"]).items():
            if len(y) >= 2 * n_bins:
                out[f"reliability_{tag}_{q}.png"] = reliability_plot(f"{tag}, {q}", reliability_table(y, p, n_bins)
                                                                     .to_dict("list"), p)
        pts = [(e["month"], e.get("realized", {}).get("precision"), e.get("estimate", {}))
               for e in t["months"]]
        if not any(r is not None or est.get("decided") for _, r, est in pts):
            continue
        fig, ax = plt.subplots(figsize=(7, 3.8))
        months = [m for m, _, _ in pts]
        real = [np.nan if r is None else r for _, r, _ in pts]
        est = [e.get("precision_estimate", np.nan) if e.get("decided") else np.nan for _, _, e in pts]
        lo = [e.get("precision_lo", np.nan) if e.get("decided") else np.nan for _, _, e in pts]
        hi = [e.get("precision_hi", np.nan) if e.get("decided") else np.nan for _, _, e in pts]
        x = np.arange(len(months))
        ax.plot(x, real, marker="o", label="realized precision (closed windows)")
        ax.errorbar(x, est, yerr=[np.subtract(est, lo), np.subtract(hi, est)], fmt="s", capsize=3,
                    label="estimated precision, 95% (open windows)")
        ax.set_xticks(x, months, rotation=45, fontsize=8)
        ax.set_ylim(0, 1)
        ax.set_ylabel("precision of the decided set")
        ax.set_title(f"p:{tag}: realized vs estimated precision by month of merge")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        out[f"precision_{tag}.png"] = _png(fig)
    return out


def write_monitor(result: dict, context: dict, plots: dict[str, bytes], out_dir, formats=("md", "html", "json")):
    """monitor.md / monitor.html / monitor.json (and the plots) into `out_dir`, swapped in whole."""
    import base64
    import json

    from .evaluate import _env
    from .fileio import atomic_dir, json_safe

    env = _env()
    ctx = {**context, "r": result, "plots": sorted(plots)}
    written = []
    with atomic_dir(out_dir) as tmp:
        if "md" in formats:
            (tmp / "monitor.md").write_text(env.get_template("monitor.md.j2").render(**ctx), encoding="utf-8")
            written.append("monitor.md")
        if "html" in formats:
            html = env.get_template("monitor.html.j2").render(
                **ctx, images={k: base64.b64encode(v).decode() for k, v in plots.items()})
            (tmp / "monitor.html").write_text(html, encoding="utf-8")
            written.append("monitor.html")
            for name, data in plots.items():
                (tmp / name).write_bytes(data)
        if "json" in formats:
            (tmp / "monitor.json").write_text(json.dumps(json_safe({**context, **result}, 6), indent=2,
                                                         ensure_ascii=False, default=str) + "\n", encoding="utf-8")
            written.append("monitor.json")
    return [out_dir / n for n in written]
