"""A trained PRScorer as data: LightGBM's own text format for the trees and plain JSON for
everything else (vocabularies, idf weights, scaler and logistic-regression coefficients,
calibration maps, thresholds). Loading rebuilds the few scikit-learn pieces from those numbers;
nothing is unpickled, so a bundle cannot carry code.

Why not skops: after the trees, what remains is a handful of arrays and scalars, and a JSON
document of them is smaller to audit than a trust list of scikit-learn types to maintain.
The loaded objects predict with the same library code as the fitted ones (a test checks
predictions are identical).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import ScorerError, first_line
from .features import GENERIC_FEATURES, NUMERIC_FEATURES, TEXT_FEATURES
from .labels import RULE_TAGS
from .lgbtext import canonical_model_text

DOC_FILE = "model.json"
TREE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}\.txt$")
MAX_TREE_BYTES = 512 * 1024 * 1024


# ---------------------------------------------------------------- inference pieces

class TextVectorizer:
    """A fitted CountVectorizer's or TfidfVectorizer's `transform` (word unigrams), from its
    vocabulary and idf alone, giving a dense array of the same numbers: the same tokens, counts in
    column order, log/idf/l2 steps in the same dtypes and order as scikit-learn's sparse code, so
    scoring needs no scikit-learn (and no SciPy) import."""

    def __init__(self, kind: str, params: dict, vocabulary: dict[str, int], idf: np.ndarray | None = None):
        self.kind, self.params, self.vocabulary_, self.idf_ = kind, params, vocabulary, idf
        self._pattern = re.compile(params.get("token_pattern") or r"(?u)\b\w\w+\b")
        self.dtype = np.dtype(params["dtype"])

    def transform(self, docs) -> np.ndarray:
        p, vocab = self.params, self.vocabulary_
        tfidf = self.kind == "tfidf"
        out = np.zeros((len(docs), len(vocab)), self.dtype)
        for i, d in enumerate(docs):
            if p.get("lowercase", True):
                d = d.lower()
            counts: dict[int, int] = {}
            for tok in self._pattern.findall(d):
                j = vocab.get(tok)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            idx = np.array(sorted(counts), np.intp)  # CSR order: columns ascending
            vals = np.array([counts[j] for j in idx], self.dtype)
            if p.get("binary"):
                vals[:] = 1
            if tfidf:
                if p.get("sublinear_tf"):
                    np.log(vals, vals)
                    vals += 1.0
                if p.get("use_idf", True):
                    vals *= self.idf_[idx]
                if p.get("norm") == "l2":  # sklearn's csr l2 normalization: float squares summed in double
                    total = 0.0
                    for v in vals:
                        total += float(v * v)
                    if total != 0.0:
                        vals = (vals.astype(np.float64) / math.sqrt(total)).astype(self.dtype)
            out[i, idx] = vals
        return out

    def doc(self) -> dict:
        out = {"type": self.kind, "params": {**self.params, "dtype": self.dtype.name},
               "vocabulary": dict(sorted(self.vocabulary_.items(), key=lambda kv: kv[1]))}
        if self.kind == "tfidf":
            out["idf"] = _arr(self.idf_)
        return out


class Preprocessor:
    """The fitted ColumnTransformer's transform, rebuilt from data: numeric columns passed
    through, then each text column through its vectorizer, as one dense float32 matrix with the
    values the fitted transformer's CSR matrix holds (LightGBM and the baselines read both alike;
    a week's few hundred rows cost less dense)."""

    def __init__(self, numeric: list[str], texts: list[tuple[str, str, TextVectorizer]], names: list[str]):
        self.numeric, self.texts, self.names = numeric, texts, names

    takes_rows = True  # transform also takes feature rows (features.feature_rows), not only a frame
    dense = True       # and gives the float32 model matrix itself

    def transform(self, df: pd.DataFrame | list[dict]) -> np.ndarray:
        rows = isinstance(df, list)
        n = len(df)
        out = np.empty((n, len(self.names)), np.float32)
        k = len(self.numeric)
        if rows:  # building a frame would cost more than the rows (a service request)
            out[:, :k] = np.array([[r[c] for c in self.numeric] for r in df], dtype=np.float64).reshape(n, k)
        else:
            out[:, :k] = df[self.numeric].to_numpy(dtype=np.float64)
        for _, column, vec in self.texts:
            block = vec.transform([r[column] for r in df] if rows else df[column].tolist())
            out[:, k:k + block.shape[1]] = block
            k += block.shape[1]
        return out

    def get_feature_names_out(self) -> np.ndarray:
        return np.asarray(self.names, dtype=object)


class BoosterRegressor:
    """LightGBM trees read from their text format; `predict` is what LGBMRegressor.predict does."""

    def __init__(self, booster):
        self.booster_ = booster

    def predict(self, X) -> np.ndarray:
        return self.booster_.predict(X)


class LogisticBaseline:
    """make_pipeline(FunctionTransformer(np.log1p), StandardScaler(), LogisticRegression())'s
    decision_function with the fitted numbers, step for step in the same dtypes."""

    def __init__(self, mean, scale, var, n_samples_seen: float, coef, intercept, classes):
        self.mean_, self.scale_, self.var_, self.n_samples_seen_ = mean, scale, var, n_samples_seen
        self.coef_, self.intercept_, self.classes_ = coef, intercept, classes

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        Z = np.log1p(X)
        Z = np.array(Z, dtype=Z.dtype if Z.dtype in (np.float32, np.float64) else np.float64)  # the scaler's copy
        Z -= self.mean_.astype(Z.dtype)
        Z /= self.scale_.astype(Z.dtype)
        return (Z @ self.coef_.T + self.intercept_).reshape(-1)

    def doc(self) -> tuple[dict, dict]:
        return ({"mean": _arr(self.mean_), "scale": _arr(self.scale_), "var": _arr(self.var_),
                 "n_samples_seen": float(self.n_samples_seen_)},
                {"coef": _arr(self.coef_), "intercept": _arr(self.intercept_), "classes": _arr(self.classes_)})


class IsotonicMap:
    """IsotonicRegression(out_of_bounds="clip").predict: clip, then linear interpolation between
    the thresholds (what scipy's interp1d does for float64 points: numpy.interp)."""

    def __init__(self, x: np.ndarray, y: np.ndarray, x_min: float, x_max: float, increasing: bool):
        self.X_thresholds_, self.y_thresholds_ = x, y
        self.X_min_, self.X_max_, self.increasing_ = x_min, x_max, increasing

    def predict(self, T) -> np.ndarray:
        T = np.clip(np.asarray(T, dtype=self.X_thresholds_.dtype).reshape(-1), self.X_min_, self.X_max_)
        if len(self.y_thresholds_) == 1:
            return self.y_thresholds_.repeat(T.shape).astype(T.dtype)
        return np.interp(T, self.X_thresholds_, self.y_thresholds_).astype(T.dtype)

    def doc(self) -> dict:
        return {"kind": "isotonic", "x": _arr(self.X_thresholds_), "y": _arr(self.y_thresholds_),
                "x_min": float(self.X_min_), "x_max": float(self.X_max_), "increasing": bool(self.increasing_),
                "out_of_bounds": "clip"}


class SigmoidMap:
    """Platt scaling as CalibratedClassifierCV's sigmoid calibrator predicts: expit(-(a*T + b)),
    with expit as SciPy computes it, 1 / (1 + exp(-x)) in double with the C library's exp."""

    def __init__(self, a: float, b: float):
        self.a_, self.b_ = a, b

    def predict(self, T) -> np.ndarray:
        z = -(self.a_ * np.asarray(T, dtype=np.float64).reshape(-1) + self.b_)
        return np.array([_expit(v) for v in z.tolist()], np.float64)

    def doc(self) -> dict:
        return {"kind": "sigmoid", "a": float(self.a_), "b": float(self.b_)}


def _expit(x: float) -> float:
    try:
        return 1.0 / (1.0 + math.exp(-x))
    except OverflowError:  # exp(-x) is inf in C: 1 / inf
        return 0.0


class CalibratedTag:
    """Logistic baseline + boosted trees + a calibration map: BaselineBoostedClassifier inside
    CalibratedClassifierCV(FrozenEstimator(...)), binary, one calibrator."""

    def __init__(self, columns: list[int], baseline, booster, calibrator):
        self.columns, self.baseline, self.booster, self.calibrator = columns, baseline, booster, calibrator

    def decision_function(self, X) -> np.ndarray:
        part = X[:, self.columns]
        # C order as toarray() gives it: the baseline's matrix product sums in layout order.
        xb = part.toarray() if hasattr(part, "toarray") else np.ascontiguousarray(part)
        return self.baseline.decision_function(xb) + self.booster.predict(X, raw_score=True)

    def predict_proba(self, X) -> np.ndarray:
        p = self.calibrator.predict(self.decision_function(X))
        proba = np.zeros((X.shape[0], 2))
        proba[:, 1] = p
        proba[:, 0] = 1.0 - proba[:, 1]
        return proba


# ---------------------------------------------------------------- to data

def _arr(a) -> dict:
    """An array with its dtype: float32 coefficients must come back as float32 for identical sums."""
    a = np.asarray(a)
    return {"dtype": a.dtype.name, "data": a.tolist()}


def _vectorizer_doc(vec) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer

    if isinstance(vec, TextVectorizer):  # loaded, saved again
        return vec.doc()

    params = {k: v for k, v in vec.get_params().items() if k in VECTORIZER_PARAMS}
    params["dtype"] = np.dtype(vec.dtype).name
    doc = {"type": "tfidf" if isinstance(vec, TfidfVectorizer) else "count", "params": params,
           "vocabulary": {str(k): int(v) for k, v in sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])}}
    if isinstance(vec, TfidfVectorizer):
        doc["idf"] = _arr(vec.idf_)
    return doc


VECTORIZER_PARAMS = ("binary", "lowercase", "token_pattern", "ngram_range", "analyzer", "max_df", "min_df",
                     "max_features", "norm", "use_idf", "smooth_idf", "sublinear_tf", "strip_accents", "stop_words")


def _preprocessor_doc(ct) -> dict:
    if isinstance(ct, Preprocessor):  # a loaded model saved again (a generic model embedded in a bundle)
        return {"numeric": list(ct.numeric),
                "texts": [{"name": n, "column": c, **_vectorizer_doc(v)} for n, c, v in ct.texts],
                "names": list(ct.names)}
    numeric, texts = [], []
    for name, trans, columns in ct.transformers_:
        if name == "remainder":
            continue
        if name == "num":
            numeric = list(columns)
        else:
            texts.append({"name": name, "column": columns, **_vectorizer_doc(trans)})
    return {"numeric": numeric, "texts": texts, "names": [str(n) for n in ct.get_feature_names_out()]}


def _calibrator_doc(cal) -> dict:
    from sklearn.isotonic import IsotonicRegression

    if isinstance(cal, (IsotonicMap, SigmoidMap)):  # loaded, saved again
        return cal.doc()

    if isinstance(cal, IsotonicRegression):
        return {"kind": "isotonic", "x": _arr(cal.X_thresholds_), "y": _arr(cal.y_thresholds_),
                "x_min": float(cal.X_min_), "x_max": float(cal.X_max_), "increasing": bool(cal.increasing_),
                "out_of_bounds": cal.out_of_bounds}
    return {"kind": "sigmoid", "a": float(cal.a_), "b": float(cal.b_)}


def to_document(model, write_text, prefix: str = "") -> dict:
    """The model as a JSON-able document; `write_text(name, text)` stores each LightGBM model."""
    from .train import BlendedImportance, PRScorer

    doc: dict[str, Any] = {"class": "PRScorer", "params": {}}
    for f in fields(PRScorer):
        if f.name in ("preprocessor_", "importance_", "tags_", "generic_"):
            continue
        if f.name == "repos_" and not model.repos_:
            continue  # a one-repository bundle reads as it did before bundles of several existed
        doc["params"][f.name] = _jsonable(getattr(model, f.name))
    doc["preprocessor"] = _preprocessor_doc(model.preprocessor_) if model.preprocessor_ is not None else None
    doc["importance"] = None
    imp = model.importance_
    if isinstance(imp, BlendedImportance):
        name, rank_name = f"{prefix}importance.txt", f"{prefix}importance_rank.txt"
        write_text(name, imp.regressor.booster_.model_to_string())
        write_text(rank_name, imp.ranker.booster_.model_to_string())
        doc["importance"] = name
        doc["importance_blend"] = {"ranker": rank_name, "weights": _arr(np.asarray(imp.weights, float)),
                                   "scale_x": _arr(imp.scale_x), "scale_y": _arr(imp.scale_y)}
    elif imp is not None:
        name = f"{prefix}importance.txt"
        write_text(name, imp.booster_.model_to_string())
        doc["importance"] = name
    doc["tags"] = {}
    for i, (tag, tm) in enumerate(model.tags_.items()):
        if isinstance(tm.model, CalibratedTag):  # loaded, saved again
            columns, baseline, booster, calibrator = tm.model.columns, tm.model.baseline, tm.model.booster, tm.model.calibrator
        else:
            cc = tm.model.calibrated_classifiers_
            if len(cc) != 1 or len(cc[0].calibrators) != 1:
                raise ScorerError(f"tag {tag}: expected one binary calibrator")
            est = cc[0].estimator.estimator  # FrozenEstimator -> BaselineBoostedClassifier
            columns, baseline, booster = est.baseline_columns, est.baseline_, est.trees_.booster_
            calibrator = cc[0].calibrators[0]
        if isinstance(baseline, LogisticBaseline):
            scaler_doc, logistic_doc = baseline.doc()
        else:
            _, scaler, lr = [s for _, s in baseline.steps]
            scaler_doc, logistic_doc = LogisticBaseline(scaler.mean_, scaler.scale_, scaler.var_, scaler.n_samples_seen_,
                                                        lr.coef_, lr.intercept_, lr.classes_).doc()
        name = f"{prefix}tag{i}.txt"
        write_text(name, booster.model_to_string())
        doc["tags"][tag] = {
            "threshold": tm.threshold, "method": tm.method, "clip": list(tm.clip) if tm.clip else None,
            "columns": [int(c) for c in columns], "trees": name,
            "scaler": scaler_doc, "logistic": logistic_doc, "calibrator": _calibrator_doc(calibrator),
        }
    doc["generic"] = to_document(model.generic_, write_text, prefix + "generic-") if model.generic_ is not None else None
    return doc


def _jsonable(v):
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return None if math.isnan(float(v)) else float(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.ndarray):
        return _jsonable(v.tolist())
    return v


# ---------------------------------------------------------------- from data

class _Doc:
    """Typed reads from the document, so a wrong field is a one-line error naming it."""

    def __init__(self, where: str):
        self.where = where

    def get(self, d: Any, key: str, kind: type | tuple, field: str, optional: bool = False):
        if not isinstance(d, dict):
            raise ScorerError(f"expected an object at {field.rsplit('.', 1)[0] or 'top level'}", path=self.where)
        if key not in d or d[key] is None:
            if optional:
                return None
            raise ScorerError(f"missing field {field}", path=self.where)
        v = d[key]
        if kind is float and isinstance(v, int) and not isinstance(v, bool):
            v = float(v)
        if not isinstance(v, kind) or (kind in (int, float) and isinstance(v, bool)):
            raise ScorerError(f"field {field} has the wrong type ({type(v).__name__})", path=self.where)
        if isinstance(v, float) and not math.isfinite(v):
            raise ScorerError(f"field {field} is not a finite number", path=self.where)
        return v

    def floats(self, d: dict, key: str, field: str, n: int | None = None) -> np.ndarray:
        v = self.get(d, key, dict, field)
        dtype = self.get(v, "dtype", str, f"{field}.dtype")
        if dtype not in ("float32", "float64", "int64", "int32"):
            raise ScorerError(f"field {field}.dtype must be float32, float64, int32 or int64", path=self.where)
        data = self.get(v, "data", list, f"{field}.data")
        try:
            a = np.asarray(data, dtype=dtype)
        except (TypeError, ValueError, OverflowError):
            raise ScorerError(f"field {field} must be a list of numbers", path=self.where) from None
        if a.ndim not in (1, 2) or not np.isfinite(a).all() or (n is not None and a.shape[-1] != n):
            raise ScorerError(f"field {field} has the wrong shape or non-finite values", path=self.where)
        return a


def _vectorizer(d: dict, rd: _Doc, field: str) -> TextVectorizer:
    kind = rd.get(d, "type", str, f"{field}.type")
    params = dict(rd.get(d, "params", dict, f"{field}.params"))
    allowed = set(VECTORIZER_PARAMS) | {"dtype"}
    if set(params) - allowed:
        raise ScorerError(f"unknown parameter {sorted(set(params) - allowed)[0]!r} in {field}.params", path=rd.where)
    if params.get("dtype") not in ("float32", "float64", "int64"):
        raise ScorerError(f"field {field}.params.dtype must be float32, float64 or int64", path=rd.where)
    if params.get("analyzer", "word") != "word":
        raise ScorerError(f"field {field}.params.analyzer must be 'word'", path=rd.where)
    if list(params.get("ngram_range") or [1, 1]) != [1, 1] or params.get("stop_words") is not None \
            or params.get("strip_accents") is not None:
        raise ScorerError(f"field {field}.params: scorer reads word unigrams without stop words or accent "
                          "stripping", path=rd.where)
    if kind == "tfidf" and params.get("norm", "l2") not in ("l2", None):
        raise ScorerError(f"field {field}.params.norm must be 'l2' or null", path=rd.where)
    if not isinstance(params.get("token_pattern", ""), str) or not isinstance(params.get("lowercase", True), bool):
        raise ScorerError(f"field {field}.params: token_pattern must be text and lowercase true or false", path=rd.where)
    vocab = rd.get(d, "vocabulary", dict, f"{field}.vocabulary")
    if not all(isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in vocab.items()) \
            or sorted(vocab.values()) != list(range(len(vocab))):
        raise ScorerError(f"field {field}.vocabulary must map terms to 0..n-1", path=rd.where)
    if kind not in ("tfidf", "count"):
        raise ScorerError(f"field {field}.type must be 'count' or 'tfidf'", path=rd.where)
    idf = rd.floats(d, "idf", f"{field}.idf", len(vocab)) if kind == "tfidf" and params.get("use_idf", True) else None
    try:
        return TextVectorizer(kind, params, vocab, idf)
    except (TypeError, ValueError, re.error) as exc:
        raise ScorerError(f"{field}: {exc}", path=rd.where) from None


def _booster(name: Any, root: Path, rd: _Doc, field: str, n_features: int):
    """A LightGBM model from checked text (see lgbtext), which must read `n_features` columns."""
    from .lgbm import Booster, LightGBMLibraryError

    if not isinstance(name, str) or not TREE_NAME_RE.match(name):
        raise ScorerError(f"field {field} must name a .txt file inside the bundle", path=rd.where)
    path = root / name
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_TREE_BYTES:
            raise ScorerError(f"{name} is missing, not a regular file or too large", path=str(root))
        text = path.read_text(encoding="utf-8")
        booster = Booster(canonical_model_text(text, str(path)))
        if booster.num_feature() != n_features:
            raise ScorerError(f"{name} reads {booster.num_feature()} features, the model has {n_features}",
                              path=str(root))
        return booster
    except OSError as exc:
        raise ScorerError(f"cannot read {name}: {exc.strerror or exc}", path=str(root)) from None
    except (LightGBMLibraryError, UnicodeDecodeError, ValueError) as exc:
        raise ScorerError(f"{name} is not a LightGBM model ({first_line(exc)})", path=str(root)) from None


def from_document(doc: Any, root: Path, where: str, depth: int = 0):
    """Rebuild a PRScorer from its document and the tree files under `root`."""
    from .taxonomy import BUNDLED, available_taxonomies, shipped_path
    from .train import BlendedImportance, PRScorer, TagModel

    rd = _Doc(where)
    if depth > 1:
        raise ScorerError("generic models nest too deeply", path=where)
    if rd.get(doc, "class", str, "class") != "PRScorer":
        raise ScorerError("field class must be 'PRScorer'", path=where)
    params = rd.get(doc, "params", dict, "params")
    model = PRScorer()
    known = {f.name: f for f in fields(PRScorer)}
    for k, v in params.items():
        if k not in known or k in ("preprocessor_", "importance_", "tags_", "generic_"):
            raise ScorerError(f"unknown field params.{k}", path=where)
        default = getattr(model, k)
        if isinstance(default, tuple):
            v = tuple(rd.get(params, k, list, f"params.{k}"))
            if k == "rule_tags_" and not all(isinstance(x, str) and x in RULE_TAGS for x in v):
                raise ScorerError(f"field params.{k} must list rule tags among {', '.join(RULE_TAGS)}", path=where)
            if k == "repos_" and not all(isinstance(x, str) and 0 < len(x) <= 200 for x in v):
                raise ScorerError(f"field params.{k} must list repository names", path=where)
        elif isinstance(default, bool):
            v = rd.get(params, k, bool, f"params.{k}")
        elif isinstance(default, (int, float)) and not isinstance(default, bool):
            v = rd.get(params, k, (int, float), f"params.{k}")
        elif isinstance(default, str):
            v = rd.get(params, k, str, f"params.{k}")
            if k == "taxonomy" and v != BUNDLED and shipped_path(v) is None:
                raise ScorerError(f"field params.taxonomy must name a shipped taxonomy ({', '.join(available_taxonomies())}) "
                                  f"or the bundle's own {BUNDLED}, got {v[:80]!r}", path=where)
        elif isinstance(default, dict):
            v = rd.get(params, k, dict, f"params.{k}")
        setattr(model, k, v)
    pre = rd.get(doc, "preprocessor", dict, "preprocessor", optional=True)
    if pre is not None:
        numeric = rd.get(pre, "numeric", list, "preprocessor.numeric")
        texts = []
        for i, t in enumerate(rd.get(pre, "texts", list, "preprocessor.texts")):
            texts.append((rd.get(t, "name", str, f"preprocessor.texts[{i}].name"),
                          rd.get(t, "column", str, f"preprocessor.texts[{i}].column"),
                          _vectorizer(t, rd, f"preprocessor.texts[{i}]")))
        known_cols = set(NUMERIC_FEATURES) | set(GENERIC_FEATURES)
        if not all(isinstance(c, str) and c in known_cols for c in numeric) or not all(
                c in TEXT_FEATURES for _, c, _ in texts):
            raise ScorerError("preprocessor names a column scorer does not compute", path=where)
        names = rd.get(pre, "names", list, "preprocessor.names")
        if not all(isinstance(c, str) for c in numeric + names) or len(names) != len(numeric) + sum(
                len(v.vocabulary_) for _, _, v in texts):
            raise ScorerError("preprocessor.names does not match its columns", path=where)
        model.preprocessor_ = Preprocessor(numeric, texts, names)
    n_features = len(model.preprocessor_.names) if model.preprocessor_ is not None else 0
    imp = rd.get(doc, "importance", str, "importance", optional=True)
    blend = rd.get(doc, "importance_blend", dict, "importance_blend", optional=True)
    if imp is not None:
        model.importance_ = BoosterRegressor(_booster(imp, root, rd, "importance", n_features))
    if blend is not None:
        if imp is None:
            raise ScorerError("field importance_blend needs importance", path=where)
        weights = rd.floats(blend, "weights", "importance_blend.weights", 2)
        x = rd.floats(blend, "scale_x", "importance_blend.scale_x")
        y = rd.floats(blend, "scale_y", "importance_blend.scale_y", len(x))
        if (not np.all(np.isfinite(weights)) or np.any(weights <= 0) or len(x) < 2 or not np.all(np.isfinite(x))
                or np.any(np.diff(x) <= 0) or np.any(np.diff(y) < 0) or y.min() < 0 or y.max() > 10):
            raise ScorerError("field importance_blend must hold two positive weights and an increasing map onto 0-10",
                              path=where)
        ranker = BoosterRegressor(_booster(rd.get(blend, "ranker", str, "importance_blend.ranker"), root, rd,
                                           "importance_blend.ranker", n_features))
        model.importance_ = BlendedImportance(model.importance_, ranker, tuple(weights), x, y)
    model.tags_ = {}
    for tag, t in rd.get(doc, "tags", dict, "tags").items():
        f = f"tags.{tag}"
        columns = rd.get(t, "columns", list, f"{f}.columns")
        if not all(isinstance(c, int) and 0 <= c < n_features for c in columns):
            raise ScorerError(f"field {f}.columns must be feature positions", path=where)
        sc, lg = rd.get(t, "scaler", dict, f"{f}.scaler"), rd.get(t, "logistic", dict, f"{f}.logistic")
        baseline = LogisticBaseline(
            rd.floats(sc, "mean", f"{f}.scaler.mean", len(columns)), rd.floats(sc, "scale", f"{f}.scaler.scale", len(columns)),
            rd.floats(sc, "var", f"{f}.scaler.var", len(columns)),
            np.float64(rd.get(sc, "n_samples_seen", float, f"{f}.scaler.n_samples_seen")),
            rd.floats(lg, "coef", f"{f}.logistic.coef", len(columns)).reshape(1, -1),
            rd.floats(lg, "intercept", f"{f}.logistic.intercept", 1), rd.floats(lg, "classes", f"{f}.logistic.classes", 2))
        cd = rd.get(t, "calibrator", dict, f"{f}.calibrator")
        kind = rd.get(cd, "kind", str, f"{f}.calibrator.kind")
        if kind == "isotonic":
            x = rd.floats(cd, "x", f"{f}.calibrator.x")
            y = rd.floats(cd, "y", f"{f}.calibrator.y", len(x))
            if rd.get(cd, "out_of_bounds", str, f"{f}.calibrator.out_of_bounds") != "clip" or len(x) < 1 \
                    or np.any(np.diff(x) < 0):
                raise ScorerError(f"field {f}.calibrator must be an increasing, clipped map", path=where)
            cal = IsotonicMap(x, y, rd.get(cd, "x_min", float, f"{f}.calibrator.x_min"),
                              rd.get(cd, "x_max", float, f"{f}.calibrator.x_max"),
                              rd.get(cd, "increasing", bool, f"{f}.calibrator.increasing"))
        elif kind == "sigmoid":
            cal = SigmoidMap(rd.get(cd, "a", float, f"{f}.calibrator.a"), rd.get(cd, "b", float, f"{f}.calibrator.b"))
        else:
            raise ScorerError(f"field {f}.calibrator.kind must be isotonic or sigmoid", path=where)
        clip = rd.get(t, "clip", list, f"{f}.clip", optional=True)
        if clip is not None and (len(clip) != 2 or not all(isinstance(c, (int, float)) for c in clip)):
            raise ScorerError(f"field {f}.clip must be two numbers", path=where)
        threshold = rd.get(t, "threshold", float, f"{f}.threshold", optional=True)
        model.tags_[str(tag)] = TagModel(
            CalibratedTag(columns, baseline, _booster(rd.get(t, "trees", str, f"{f}.trees"), root, rd, f"{f}.trees",
                                                    n_features), cal),
            threshold, rd.get(t, "method", str, f"{f}.method"), tuple(float(c) for c in clip) if clip else None)
    gen = doc.get("generic") if isinstance(doc, dict) else None
    model.generic_ = from_document(gen, root, where, depth + 1) if gen is not None else None
    if model.taxonomy == BUNDLED:
        model.taxonomy_file_ = Path(root) / BUNDLED  # inside the bundle, hashed by its manifest
    return model


def dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"
