"""The scoring stage: load a verified bundle, featurize a PR table, predict importance and tags, explain them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .bundle import load_bundle
from .errors import ScorerError
from .features import API_FEATURES, compute_features
from .labels import NON_RISK_TAGS
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


def require_importance(model: PRScorer, bundle: str | Path) -> None:
    """Reports rank by importance: a bundle without one (trained before the generic importance
    model existed, on outcome labels only) is refused rather than ranked by NaN."""
    if not model.has_importance:
        raise ScorerError("the bundle has no importance model (it was trained on outcome labels only); retrain it "
                          "with `scorer train`, which now falls back to the generic importance bundle",
                          path=str(bundle))


def _repos(prs: pd.DataFrame | Iterable[str]) -> list[str]:
    """The repositories of a PR table, or of a list of repository names."""
    return list(prs["repo"].unique()) if isinstance(prs, pd.DataFrame) else sorted(set(prs))


def taxonomy_for(model: PRScorer, prs: pd.DataFrame | Iterable[str]) -> Taxonomy:
    """The bundle's taxonomy; a generic bundle (no repository of its own) takes the scored
    repository's, so its report still names that repository's module areas. `prs` is the scored
    table or its repositories' names."""
    if model.repo:
        own = getattr(model, "taxonomy_file_", None)
        return load_taxonomy(str(own) if own is not None else model.taxonomy, repo=model.repo)
    repos = _repos(prs)
    return load_taxonomy(None, repo=str(repos[0]) if len(repos) == 1 else None)


def check_repo(model: PRScorer, prs: pd.DataFrame | Iterable[str], bundle: str | Path) -> None:
    repos = set(_repos(prs))
    other = sorted(repos - set(model.repos_))
    if model.repos_ and other:
        raise ScorerError(f"the bundle was trained for {', '.join(model.repos_)}, not {', '.join(other)}",
                          path=str(bundle))
    if model.repo and repos and model.repo not in repos:
        raise ScorerError(f"the bundle was trained for {model.repo}, the PR table holds {', '.join(sorted(repos))}",
                          path=str(bundle))


def score_frame(prs: pd.DataFrame, model: PRScorer, period: pd.Series | None = None,
                features: pd.DataFrame | None = None, tax: Taxonomy | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scores for the PRs selected by the boolean `period` mask (all when None).

    Features are computed over the whole table, so each PR sees its full point-in-time history;
    `features` may hold every row of `prs` or only the period's.
    """
    tax = tax or taxonomy_for(model, prs)
    mask = period if period is not None else pd.Series(True, index=prs.index)
    feats = features if features is not None else compute_features(prs, tax, wanted=mask)
    sel = prs[mask]
    f = feats.loc[sel.index]
    require_api_fields(model, f)
    out = pd.DataFrame({"number": sel["number"].to_numpy(), "title": sel["title"].to_numpy(),
                        "author": sel["author"].to_numpy(), "merged_at": sel["merged_at"].to_numpy()},
                       index=sel.index)
    if len(f):
        out["importance"], probs = model.predict_all(f)
    else:
        out["importance"], probs = np.array([]), {t: np.array([]) for t in model.tags_}
    for tag, p in probs.items():
        out[f"p:{tag}"] = p
    rules = {t: f[f"rule_{t}"].to_numpy() if len(f) else np.array([]) for t in model.rule_tags_}
    out["tags"] = [";".join(t) for t in decide_tags(model, probs, rules, len(out))]
    return out, f


def require_api_fields(model: PRScorer, features: pd.DataFrame | list[dict]) -> None:
    """A bundle that learned from comments and reviews cannot rank PRs that have none of them."""
    if not model.api_features_ or not len(features):
        return
    if isinstance(features, list):
        blank = all(np.isnan(r[c]) for r in features for c in API_FEATURES)
    else:
        blank = features[API_FEATURES].isna().all().all()
    if blank:
        raise ScorerError("the bundle was trained with API fields (comments, reviews, labels, creation time) and this "
                          "table has none (a git-only table?); join the API table with `scorer ingest merge`, or use "
                          "a bundle trained on a git-only table")


def decide_tags(model: PRScorer, probs: dict[str, np.ndarray], rules: dict[str, np.ndarray], n: int) -> list[list[str]]:
    """Each PR's decided tags: risks whose probability reaches the tag's threshold, in the bundle's
    tag order, then the rule tags that fired (`rules`: each rule tag's rule_* feature values)."""
    decided: list[list[str]] = [[] for _ in range(n)]
    for tag, p in probs.items():
        thr = model.tags_[tag].threshold
        if thr is None or tag in NON_RISK_TAGS:
            continue  # `named` is a property of importance (its probability stays in p:named), not a risk
        for i in np.flatnonzero(np.asarray(p) >= thr):
            decided[i].append(tag)
    for tag in model.rule_tags_:
        for i in np.flatnonzero(np.asarray(rules[tag]) >= 1):
            decided[i].append(tag)
    return decided


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


# ---------------------------------------------------------------- reasons

# Title signals in words a reader understands: what the title says the change is.
TITLE_SIGNAL_WORDS = {
    "t_support": ("标题表明新增支持", "the title announces new support"),
    "t_initial": ("标题表明首个或实验性版本", "the title announces a first or experimental version"),
    "t_default": ("标题涉及默认行为", "the title is about a default"),
    "t_new": ("标题表明新增功能", "the title announces something new"),
    "t_model": ("标题涉及模型", "the title is about a model"),
    "t_backend": ("标题涉及后端、kernel 或注意力等核心组件", "the title is about a backend, kernel or other core component"),
    "t_framework": ("标题表明框架或平台升级到新版本", "the title moves a framework or platform to a new version"),
    "t_default_switch": ("标题表明默认行为变更", "the title flips a default"),
    "series": ("属于一个分多步提交的系列", "part of a multi-PR series"),
    "gains": ("标题或描述给出实测收益", "the title or description states a measured gain"),
}
# Title words in words a reader understands: what the word says the change is.
TITLE_WORD_MEANING = {
    **{w: TITLE_SIGNAL_WORDS["t_support"] for w in ("support", "supports", "supported")},
    **{w: TITLE_SIGNAL_WORDS["t_new"] for w in ("add", "adds", "added", "new", "introduce", "implement", "initial")},
    **{w: ("标题表明是缺陷修复", "the title says it fixes a bug") for w in ("fix", "fixes", "fixed", "bug", "bugfix")},
    **{w: ("标题表明性能优化", "the title says it is a performance change") for w in ("perf", "performance", "optimize",
                                                                                 "faster", "speedup", "speed")},
    **{w: ("标题表明是重构", "the title says it is a refactor") for w in ("refactor", "cleanup", "split", "move", "rename")},
    **{w: ("标题表明移除或弃用", "the title removes or deprecates something") for w in ("remove", "deprecate", "deprecated",
                                                                                     "drop", "delete")},
    **{w: TITLE_SIGNAL_WORDS["t_default"] for w in ("default", "enable", "disable")},
    **{w: ("标题涉及模型", "the title names a model") for w in ("model", "models")},
}
_FUNCTION_WORDS = frozenset("with for to of in on and or the a an by from via into as at is are be when".split())


def _reason(name: str, f: pd.Series, tax: Taxonomy, files: list[dict], zh: bool) -> str | None:
    """A feature's contribution in words, filled from the PR's own values."""
    group, _, token = name.partition("__")
    if group == "num":
        if token in ("la", "ld", "log_la", "log_ld", "log_churn", "nf", "log_nf", "n_dirs"):
            la, ld, nf = int(f["la"]), int(f["ld"]), int(f["nf"])
            return (f"改动 {la + ld:,} 行（新增 {la:,}、删除 {ld:,}），涉及 {nf} 个文件" if zh
                    else f"{la + ld:,} lines changed (+{la:,}/-{ld:,}) across {nf} files")
        if token in ("core_share", "rule_core-path"):
            core = next((x["filename"] for x in files if tax.is_core(x["filename"])), None)
            if core:
                d = core.rsplit("/", 1)[0]
                return f"改动核心路径 {d}" if zh else f"touches core path {d}"
            return None
        if token in ("first_pr", "exp", "rexp", "sexp"):
            if f["first_pr"]:
                return "作者的第一个 PR" if zh else "first PR of this author"
            return (f"作者此前已有 {int(f['exp'])} 个 PR" if zh else f"author's {int(f['exp']) + 1}th PR")
        if token in ("n_modules", "n_subsystems", "entropy"):
            return (f"分散在 {int(f['n_modules'])} 个模块" if zh else f"spread over {int(f['n_modules'])} module areas")
        if token in ("burst", "burst_count"):
            return (f"本周热点话题 (近 7 天 {int(f['burst_count'])} 个同类 PR)" if zh
                    else f"part of this week's burst ({int(f['burst_count'])} similar titles in 7 days)")
        if token in ("files_added",):
            return f"新增 {int(f['files_added'])} 个文件" if zh else f"adds {int(f['files_added'])} new files"
        if token in ("share_test", "share_doc", "share_code", "share_build"):
            kind = token.split("_")[1]
            return (f"{f[token]:.0%} 的改动是{ {'test': '测试', 'doc': '文档', 'code': '源码', 'build': '构建'}[kind] }" if zh
                    else f"{f[token]:.0%} of the lines are {kind}")
        if token in ("ndev", "nuc", "age_days", "churn30"):
            return (f"涉及文件此前被 {int(f['ndev'])} 位其他作者修改过" if zh
                    else f"touched files were changed by {int(f['ndev'])} other authors before")
        if token.startswith("rule_"):
            from .labels import tag_name
            return tag_name(token[5:], "zh" if zh else "en")
        if token in ("new_model_files",) and f.get("new_model_files", 0):
            n = int(f["new_model_files"])
            return (f"新增 {n} 个模型文件，共改动 {int(f['la'] + f['ld']):,} 行" if zh
                    else f"adds {n} model file{'s' if n != 1 else ''}, {int(f['la'] + f['ld']):,} lines changed")
        if token in ("log_la_new", "share_new") and f.get("log_la_new", 0):
            new = int(round(float(np.expm1(f["log_la_new"]))))
            return f"新文件中新增 {new:,} 行代码" if zh else f"{new:,} lines in new files"
        if token == "docs_added" and f.get("docs_added", 0):
            return f"新增 {int(f['docs_added'])} 篇文档" if zh else f"adds {int(f['docs_added'])} documentation files"
        if token in ("theme_prefix28", "theme_prefix90") and f.get(token, 0):
            days = token[-2:]
            return (f"同一系列标签近 {days} 天已有 {int(f[token])} 个 PR" if zh
                    else f"{int(f[token])} PRs with the same series tag in {days} days")
        if token in TITLE_SIGNAL_WORDS and f.get(token, 0):
            return TITLE_SIGNAL_WORDS[token][0 if zh else 1]
        if token.startswith("rkind_") and f.get(token, 0):
            from .prtext import KIND_WORDS
            kind = token[6:]
            words = KIND_WORDS.get(kind)
            return (f"变更类型：{words[0]}" if zh else f"change kind: {words[1]}") if words else None
        return None
    if group == "prefix":
        return f"标题标签 [{token}]" if zh else f"title tag [{token}]"
    if group == "title":
        if token in TITLE_WORD_MEANING:  # what the word says the change is
            return TITLE_WORD_MEANING[token][0 if zh else 1]
        if len(token) < 3 or token in _FUNCTION_WORDS:
            return None  # "with", "for": a weight of the text model, not a reason a reader can use
        return f"标题用词 “{token}”" if zh else f"title word '{token}'"
    if group == "path":
        return f"改动位于 {token} 目录" if zh else f"changes under '{token}'"
    if group == "module":
        name = tax.names(token)[0 if zh else 1]
        return f"模块：{name}" if zh else f"module area: {name}"
    return None


def explain(model: PRScorer, features: pd.DataFrame | list[dict], files: Mapping[int, list[dict]], tax: Taxonomy,
            lang: str = "en", top: int = 3, skip: frozenset[str] = frozenset(),
            X=None) -> dict[int, list[str]]:
    """The top positive contributions behind each PR's importance, in words (LightGBM SHAP values).
    `features` is a feature frame or feature rows, `files` each PR's file list by number, `X` the
    model's transform of the features when the caller has it. Features in `skip` are never cited
    (history features of a PR scored without its history)."""
    if not model.has_importance or not len(features):
        return {}
    contrib, names = model.contributions(features, X)
    contrib = contrib[:, :-1]  # the last column is the bias
    zh = lang == "zh"
    out: dict[int, list[str]] = {}
    rows = features if isinstance(features, list) else (f for _, f in features.iterrows())
    for row, f in zip(contrib, rows):
        words: list[str] = []
        for j in np.argsort(-row, kind="mergesort"):
            if row[j] <= 0.01 or len(words) >= top:
                break
            if names[j].partition("__")[2] in skip:
                continue
            text = _reason(names[j], f, tax, files[f["number"]], zh)
            if text and text not in words:
                words.append(text)
        out[int(f["number"])] = words
    return out
