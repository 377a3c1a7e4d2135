"""The rolling importance benchmark: does the weekly top table hold what the release notes lead with?

One test window decides nothing (one quarter says the model loses to size, the next that it
wins), so importance is measured over rolling origins. At each origin a model is trained on every
PR merged before it, with the labels that were known then: release-note labels recomputed from
the releases dated before the origin (a PR's curation is known once its release is out), outcome
tags once their window closed. The next `span` of weeks (in the report's time zone) is ranked
week by week, every PR of a week, by the model, by size (lines changed) and by LApredict (lines
added), and each is scored against the labels as known today: Highlights recall@10 and @24
(pooled over weeks, so a week with one Highlight does not weigh like one with thirty) and graded
NDCG@24. A paired sign test over the Highlights (caught by the model's top 24 and not by size's,
or the reverse) says whether a difference is more than chance.

Each origin's result is cached under the cache directory, keyed by scorer's training code, the
rows and labels that origin sees and the parameters: a re-run retrains only the origins whose
inputs changed (new releases, new PRs, a changed model).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .errors import ScorerError
from .metrics import graded_gain, iso_week, ndcg_at_k

SCORERS = ("model", "size", "LApredict")
KS = (10, 24)
HIGHLIGHT_AT = 8.0
MIN_LABELED = 0.9  # a tested week counts when this share of its PRs carries a label today
CACHE_FORMAT = 2  # 2: the labeled test rows' scores, for the AUC of named


@dataclass(frozen=True)
class Origin:
    grid: str        # "A" (the grid from --start) or "B" (shifted by half a step)
    start: pd.Timestamp  # local midnight in the report's zone, as UTC
    end: pd.Timestamp
    name: str = ""   # the local date of the origin (a Monday)


def grid_origins(start: pd.Timestamp, end: pd.Timestamp, every: pd.Timedelta, span: pd.Timedelta, tz: str,
                 shifted: bool = True) -> list[Origin]:
    """Origins every `every` from the Monday on or after `start` (local midnight in `tz`), each
    tested on the `span` after it, all ending by `end`; with `shifted`, a second grid half a step
    later, so a conclusion does not hang on where the grid happened to fall."""
    local = pd.Timestamp(start).tz_convert(tz).normalize()
    local += pd.Timedelta(days=(7 - local.weekday()) % 7)
    grids = [("A", pd.Timedelta(0))] + ([("B", pd.Timedelta(days=(every.days // 14) * 7))] if shifted else [])
    out = []
    for name, offset in grids:
        if name == "B" and offset <= pd.Timedelta(0):
            continue
        t = local + offset
        while (t + span).tz_convert("UTC") <= end:
            out.append(Origin(name, t.tz_convert("UTC"), (t + span).tz_convert("UTC"), f"{t:%Y-%m-%d}"))
            t += every
    if not out:
        raise ScorerError("no origin fits: --start plus --span must be before --end")
    return sorted(out, key=lambda o: (o.start, o.grid))


def week_tops(test: pd.DataFrame, ks: tuple[int, ...] = KS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per week (`week`, every PR of it, `importance` as known today) and scorer: rows, Highlights,
    hits in the top k and graded NDCG@max(k); and per Highlight, whether each scorer's top k holds
    it. Weeks under MIN_LABELED labeled are left out: their unlabeled PRs were judged by nobody."""
    weeks, highlights = [], []
    kmax = max(ks)
    for week, g in test.groupby("week", sort=True):
        y = g["importance"].to_numpy(float)
        if np.isnan(y).mean() > 1 - MIN_LABELED:
            continue
        y0 = np.nan_to_num(y, nan=0.0)
        hl = y0 >= HIGHLIGHT_AT
        gains = graded_gain(y0, HIGHLIGHT_AT)
        flags = {}
        for s in SCORERS:
            score = g[s].to_numpy(float)
            order = np.lexsort((g["number"].to_numpy(), -score))  # ties: the older PR number first
            rank = np.empty(len(order), int)
            rank[order] = np.arange(len(order))
            row = {"week": week, "scorer": s, "rows": len(g), "highlights": int(hl.sum()),
                   f"ndcg@{kmax}": ndcg_at_k(gains, score, kmax)}
            for k in ks:
                row[f"hits@{k}"] = int((hl & (rank < k)).sum())
                flags[(s, k)] = rank < k
            weeks.append(row)
        for i in np.flatnonzero(hl):
            highlights.append({"week": week, "number": int(g["number"].iloc[i]),
                               **{f"{s}@{k}": bool(flags[(s, k)][i]) for s in SCORERS for k in ks}})
    return pd.DataFrame(weeks), pd.DataFrame(highlights)


def sign_test(a: pd.Series, b: pd.Series) -> dict:
    """Paired sign test over the same items: how often only `a` holds, only `b`, and the two-sided
    binomial p of that split (ties, both or neither, say nothing)."""
    from scipy.stats import binomtest

    only_a, only_b = int((a & ~b).sum()), int((~a & b).sum())
    p = binomtest(only_a, only_a + only_b, 0.5).pvalue if only_a + only_b else 1.0
    return {"only_model": only_a, "only_size": only_b, "p": float(p)}


def named_auc(labeled: pd.DataFrame, named_at: float = 5.0) -> dict[str, float]:
    """Per scorer, the AUC of "named in the notes" (importance >= named_at) over labeled test rows."""
    from sklearn.metrics import roc_auc_score

    y = (labeled["importance"].to_numpy(float) >= named_at).astype(int) if len(labeled) else np.array([])
    if len(y) == 0 or y.min() == y.max():
        return {s: float("nan") for s in SCORERS}
    return {s: float(roc_auc_score(y, labeled[s].to_numpy(float))) for s in SCORERS}


def summarize(weeks: pd.DataFrame, highlights: pd.DataFrame, ks: tuple[int, ...] = KS) -> dict:
    """Pooled figures of a set of tested weeks: recall@k per scorer (hits over Highlights), mean
    graded NDCG, and the sign test of model against size at the largest k."""
    kmax = max(ks)
    out: dict = {"weeks": int(weeks["week"].nunique()) if len(weeks) else 0,
                 "highlights": int(len(highlights))}
    for s in SCORERS:
        w = weeks[weeks["scorer"] == s] if len(weeks) else weeks
        total = int(w["highlights"].sum()) if len(w) else 0
        for k in ks:
            out[f"{s} recall@{k}"] = float(w[f"hits@{k}"].sum() / total) if total else float("nan")
        out[f"{s} ndcg@{kmax}"] = float(w[f"ndcg@{kmax}"].mean()) if len(w) else float("nan")
    if len(highlights):
        out["sign"] = sign_test(highlights[f"model@{kmax}"], highlights[f"size@{kmax}"])
    else:
        out["sign"] = {"only_model": 0, "only_size": 0, "p": 1.0}
    return out


def origin_labels(prs: pd.DataFrame, labels: pd.DataFrame | None, notes: pd.DataFrame | None, origin: pd.Timestamp,
                  horizon: pd.Timedelta, importance_horizon: pd.Timedelta) -> pd.DataFrame:
    """The labels a user training at `origin` had: release-note labels from the releases dated
    before it; from a labels table, tags whose outcome window had closed and (without notes)
    importance older than `importance_horizon`."""
    from .labels import release_note_labels, tag_columns

    before = prs[prs["merged_at"] < origin]
    merged = before.set_index("number")["merged_at"]
    parts = []
    if labels is not None and len(labels):
        tl = labels[labels["number"].isin(before["number"])].copy()
        when = tl["number"].map(merged)
        for c in tag_columns(tl):
            tl[c] = tl[c].astype(float)
            tl.loc[when > origin - horizon, c] = np.nan
        if "importance" in tl:
            if notes is not None:
                tl = tl.drop(columns="importance")
            else:
                tl.loc[when > origin - importance_horizon, "importance"] = np.nan
        parts.append(tl.drop(columns=[c for c in ("source", "mentioned") if c in tl]))
    if notes is not None:
        known = notes[notes["release_date"] < origin]
        nl = release_note_labels(before, known) if len(known) else pd.DataFrame(columns=["repo", "number", "importance"])
        parts.append(nl.drop(columns=[c for c in ("source", "tag:named") if c in nl]))
    if not parts:
        raise ScorerError("the rolling benchmark needs --notes or labels with importance")
    out = parts[0]
    for p in parts[1:]:
        out = out.merge(p, on=[c for c in ("repo", "number") if c in out and c in p], how="outer")
    return out.drop(columns=[c for c in ("repo",) if c in out])


def code_digest() -> str:
    """What a trained model depends on in scorer itself: the modules that read PRs, build
    features and fit (not the report writer or the service)."""
    root = Path(__file__).parent
    h = hashlib.sha256()
    for p in sorted([*root.glob("*.py"), *root.glob("labels/*.py"), *root.glob("taxonomies/*.yaml")]):
        if p.name in ("cli.py", "serve.py", "served.py", "backtest.py"):
            continue
        h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:32]


def _frame_digest(df: pd.DataFrame) -> str:
    h = hashlib.sha256()
    for c in sorted(df.columns):
        col = df[c]
        if col.dtype == object or str(col.dtype).startswith(("string", "list")):
            col = col.map(lambda v: json.dumps(v, sort_keys=True, default=str))
        h.update(c.encode() + b"\0" + pd.util.hash_pandas_object(col, index=False).to_numpy().tobytes())
    return h.hexdigest()


@dataclass(frozen=True)
class Source:
    """Another repository whose curation trains the importance model (the generic bundle's way):
    its PR table, its features (generic columns only are read) and its release notes."""
    prs: pd.DataFrame
    feats: pd.DataFrame
    notes: pd.DataFrame


def run_origin(prs: pd.DataFrame, feats: pd.DataFrame, train_labels: pd.DataFrame, test_importance: pd.Series,
               tax, origin: Origin, tz: str, seed: int = 0, source: Source | None = None,
               train_mask: pd.Series | None = None) -> dict:
    """Train at one origin and rank its test weeks: a plain, JSON-able result (what is cached).
    With `source`, the model is a generic one trained on that repository's PRs before the origin
    and its notes' releases before it, then scores this repository's weeks. `train_mask` replaces
    "every PR before the origin" (benchmarks/importance_ceiling.py trains on both sides of the
    test weeks to bound what the features can do)."""
    from .score import score_frame
    from .train import PRScorer

    tmask = prs["merged_at"] < origin.start if train_mask is None else train_mask
    if source is not None:
        smask_src = source.prs["merged_at"] < origin.start
        model = PRScorer(taxonomy="default", repo="", seed=seed, feature_set="generic")
        model.fit(source.feats[smask_src], train_labels, source.prs.loc[smask_src, "merged_at"])
    else:
        model = PRScorer(taxonomy=tax.name, repo=str(prs["repo"].iloc[0]), seed=seed)
        model.fit(feats[tmask], train_labels, prs.loc[tmask, "merged_at"])
    if not model.has_importance or model.importance_source_ == "generic":
        raise ScorerError(f"origin {origin.name}: fewer than 50 importance labels were known then")
    smask = (prs["merged_at"] >= origin.start) & (prs["merged_at"] < origin.end)
    scores, _ = score_frame(prs, model, smask, features=feats, tax=tax)
    test = pd.DataFrame({"number": prs.loc[smask, "number"].to_numpy(),
                         "week": iso_week(prs.loc[smask, "merged_at"], tz).to_numpy(),
                         "importance": prs.loc[smask, "number"].map(test_importance).to_numpy(float),
                         "model": scores["importance"].to_numpy(float),
                         "size": (feats.loc[smask, "la"] + feats.loc[smask, "ld"]).to_numpy(float),
                         "LApredict": feats.loc[smask, "la"].to_numpy(float)})
    weeks, highlights = week_tops(test)
    labeled = test[test["importance"].notna()]
    return {"format": CACHE_FORMAT, "labeled": {c: labeled[c].round(6).tolist() for c in ("importance", *SCORERS)}, "grid": origin.grid, "origin": origin.name, "train_rows": int(tmask.sum()),
            "train_labeled": int(train_labels["importance"].notna().sum()) if "importance" in train_labels else 0,
            "test_rows": int(smask.sum()), "weeks": weeks.to_dict("records"), "highlights": highlights.to_dict("records")}


def rolling_importance(prs: pd.DataFrame, labels: pd.DataFrame | None, notes: pd.DataFrame | None, tax,
                       origins: list[Origin], tz: str, horizon: pd.Timedelta, importance_horizon: pd.Timedelta,
                       seed: int = 0, cache=None, step: Callable[[Origin, bool], None] | None = None,
                       source: Source | None = None) -> list[dict]:
    """Every origin's result, from `cache` (a DerivedCache) when its inputs are unchanged. With
    `source`, each origin's model is trained on that repository's curation known then."""
    from .features import compute_features
    from .labels import release_note_labels, tag_columns

    feats = compute_features(prs, tax)
    if notes is not None:
        test_importance = release_note_labels(prs, notes).set_index("number")["importance"]
    elif labels is not None and "importance" in labels:
        test_importance = labels.dropna(subset=["importance"]).set_index("number")["importance"]
    else:
        raise ScorerError("the rolling benchmark needs --notes or labels with importance")
    code = code_digest()
    results = []
    for origin in origins:
        if source is not None:
            train_labels = origin_labels(source.prs, None, source.notes, origin.start, horizon, importance_horizon)
        else:
            train_labels = origin_labels(prs, labels, notes, origin.start, horizon, importance_horizon)
        for c in tag_columns(train_labels):  # rows kept (the vocabulary is learned from them), tags not fitted
            train_labels[c] = np.nan
        seen = prs["merged_at"] < origin.end
        key = ["rolling-importance", CACHE_FORMAT, code, seed, tz, origin.grid, origin.name, origin.end.isoformat(),
               str(prs["repo"].iloc[0]), tax.digest, _frame_digest(feats[seen].drop(columns=["repo"], errors="ignore")),
               _frame_digest(train_labels), _frame_digest(test_importance[test_importance.index.isin(prs.loc[seen, "number"])]
                                                         .reset_index())]
        if source is not None:  # the other repository's rows before the origin
            key += ["source", str(source.prs["repo"].iloc[0]),
                    _frame_digest(source.feats[source.prs["merged_at"] < origin.start].drop(columns=["repo"], errors="ignore"))]
        doc = cache.get(key) if cache is not None else None
        hit = isinstance(doc, dict) and doc.get("format") == CACHE_FORMAT and doc.get("origin") == origin.name
        if not hit:
            try:
                doc = run_origin(prs, feats, train_labels, test_importance, tax, origin, tz, seed, source)
            except ScorerError as exc:  # too few labels known yet (before the first release notes): say so, go on
                test = (prs["merged_at"] >= origin.start) & (prs["merged_at"] < origin.end)
                known = int(train_labels["importance"].notna().sum()) if "importance" in train_labels else 0
                note = (f"not trained: {known} importance labels were known then (50 needed)" if known < 50
                        else f"not trained: {exc}")
                doc = {"format": CACHE_FORMAT, "grid": origin.grid, "origin": origin.name, "note": note,
                       "train_rows": int((prs["merged_at"] < origin.start).sum()), "train_labeled": known,
                       "test_rows": int(test.sum()), "weeks": [], "highlights": [],
                       "labeled": {c: [] for c in ("importance", *SCORERS)}}
            # As the cache gives it back (keys sorted, plain JSON types): a cached run writes the same bytes.
            doc = json.loads(json.dumps(doc, sort_keys=True, default=float))
            if cache is not None:
                cache.put(key, doc)
        results.append(doc)
        if step:
            step(origin, hit)
    return results


def per_origin_table(results: list[dict]) -> pd.DataFrame:
    """One row per origin: its weeks, Highlights, each scorer's recall@10/@24 and NDCG@24, and
    whether the model's top 10 and top 24 caught more Highlights than size's (better / tied / worse)."""
    rows = []
    for r in results:
        s = summarize(pd.DataFrame(r["weeks"]), pd.DataFrame(r["highlights"]))
        auc = named_auc(pd.DataFrame(r["labeled"]))
        versus = {}
        for k in KS:
            hits = {n: sum(w[f"hits@{k}"] for w in r["weeks"] if w["scorer"] == n) for n in ("model", "size")}
            versus[f"vs size @{k}"] = ("no Highlights" if not s["highlights"] else "better" if hits["model"] > hits["size"]
                                       else "tied" if hits["model"] == hits["size"] else "worse")
        rows.append({"grid": r["grid"], "origin": r["origin"], "train PRs": r["train_rows"],
                     "labeled then": r["train_labeled"], "test PRs": r["test_rows"], "weeks": s["weeks"],
                     "highlights": s["highlights"],
                     **{f"{n} r@{k}": s[f"{n} recall@{k}"] for n in SCORERS for k in KS},
                     **{f"{n} ndcg@24": s[f"{n} ndcg@24"] for n in SCORERS},
                     **{f"{n} AUC named": auc[n] for n in ("model", "size")}, **versus, "note": r.get("note", "")})
    return pd.DataFrame(rows)


def pooled(results: list[dict]) -> dict[str, dict]:
    """Per grid and over both: pooled recall, NDCG, origins won/tied/lost against size, sign test."""
    table = per_origin_table(results)
    out = {}
    for grid in [*sorted({r["grid"] for r in results}), "all"]:
        rs = [r for r in results if grid in ("all", r["grid"])]
        weeks = pd.concat([pd.DataFrame(r["weeks"]).assign(origin=r["origin"], grid=r["grid"]) for r in rs],
                          ignore_index=True)
        hls = pd.concat([pd.DataFrame(r["highlights"], columns=["week", "number", *[f"{s}@{k}" for s in SCORERS
                                                                                    for k in KS]]) for r in rs],
                        ignore_index=True).astype({f"{s}@{k}": bool for s in SCORERS for k in KS})
        s = summarize(weeks, hls)
        auc = named_auc(pd.concat([pd.DataFrame(r["labeled"]) for r in rs], ignore_index=True))
        s.update({f"{n} AUC named": auc[n] for n in SCORERS})
        if grid == "all" and len({r["grid"] for r in results}) > 1:
            # Both grids test most weeks twice: a Highlight would count twice in one test.
            s["sign"]["p"] = float("nan")
        t = table[table["grid"] == grid] if grid != "all" else table
        s.update({"origins": int(len(t)), "tested origins": int((t["vs size @24"] != "no Highlights").sum()),
                  **{f"{v} @{k}": int((t[f"vs size @{k}"] == v).sum()) for k in KS for v in ("better", "tied", "worse")}})
        out[grid] = s
    return out


def rolling_markdown(table: pd.DataFrame, pools: dict[str, dict], title: str) -> str:
    """The run as a reader checks it: what was measured, the pooled figures per grid, then every origin."""
    from .evaluate import markdown_table

    lines = [f"# {title}", "",
             "Each origin: a model trained on every PR merged before it with the labels known then "
             "(release-note labels from the releases dated before it), then the next weeks ranked week by "
             "week, every PR of a week, by the model, by size (lines changed) and by LApredict (lines added). "
             f"Highlights (importance >= {HIGHLIGHT_AT:g} as known today) caught in each week's top 10 and 24, "
             "pooled over weeks; graded NDCG@24 (gains 7 / 1 / 0: Highlights / named / not named); weeks "
             f"under {MIN_LABELED:.0%} labeled left out. Sign test: Highlights in the model's top 24 and not "
             "in size's, against the reverse (two-sided binomial), per grid: the two grids test most weeks "
             "twice, so their union has no p. AUC named: PRs the notes name (importance >= 5) against the "
             "rest, over the labeled test rows.", "", "## Pooled", ""]
    rows = []
    for grid, s in pools.items():
        rows.append({"grid": grid, "origins": s["origins"], "with Highlights": s["tested origins"], "weeks": s["weeks"], "highlights": s["highlights"],
                     **{f"{n} r@{k}": s[f"{n} recall@{k}"] for n in SCORERS for k in KS},
                     **{f"{n} ndcg@24": s[f"{n} ndcg@24"] for n in SCORERS},
                     **{f"{n} AUC named": s[f"{n} AUC named"] for n in ("model", "size")},
                     **{f"vs size @{k}: better / tied / worse": f"{s[f'better @{k}']} / {s[f'tied @{k}']} / "
                        f"{s[f'worse @{k}']}" for k in KS},
                     "only model / only size": f"{s['sign']['only_model']} / {s['sign']['only_size']}",
                     "sign test p": round(s["sign"]["p"], 4)})
    lines += [markdown_table(pd.DataFrame(rows)), "", "## Per origin", "", markdown_table(table), ""]
    return "\n".join(lines)


def rolling_plot(table: pd.DataFrame) -> bytes:
    """Recall@24 per origin for the three scorers, one panel per grid."""
    from .evaluate import _png, plt

    grids = sorted(table["grid"].unique())
    fig, axes = plt.subplots(1, len(grids), figsize=(6 * len(grids), 4), squeeze=False, sharey=True)
    for ax, grid in zip(axes[0], grids):
        t = table[table["grid"] == grid]
        x = pd.to_datetime(t["origin"])
        for name, style in (("model", "-o"), ("size", "--s"), ("LApredict", ":^")):
            ax.plot(x, t[f"{name} r@24"], style, label=name)
        ax.set_title(f"grid {grid}: Highlights recall@24 per origin")
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        ax.tick_params(axis="x", rotation=45)
    axes[0][0].legend(fontsize=8)
    fig.tight_layout()
    return _png(fig)
