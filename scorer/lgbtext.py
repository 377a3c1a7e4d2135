"""LightGBM's text model format, checked and rewritten before LightGBM sees it.

LightGBM's own parser trusts its input: a tree file with a wrong `tree_sizes` entry, a child
index out of range or a truncated array aborts the whole process (SIGABRT from C++, no Python
exception to catch), and a bundle is exactly the kind of file someone else may have written.
So a bundle's tree text is parsed here into plain numbers, every invariant LightGBM relies on
is checked (array lengths, feature and child indices, one root, every node reached once,
finite values), and the text LightGBM receives is rebuilt from the checked parts with the
tree sizes recomputed. Numbers are re-emitted as the very tokens read, so the model and its
predictions are unchanged.
"""

from __future__ import annotations

import math
import re

from .errors import ScorerError

MAX_TREES = 100_000
MAX_LEAVES = 1 << 17
MAX_FEATURES = 1_000_000
_OBJECTIVE_RE = re.compile(r"^[a-z_]+( [a-z_]+:[0-9.eE+-]+)*$")
_NAME_RE = re.compile(r"^[^\s\[\]]+$")
_INFO_RE = re.compile(r"^(none|\[-?[0-9.eE+-]+:-?[0-9.eE+-]+\]|-?\d+(:-?\d+)*)$")
# Per tree: (key, length in terms of num_leaves N, kind). Internal arrays have N-1 entries.
_INTERNAL = ("split_feature", "split_gain", "threshold", "decision_type", "left_child", "right_child",
             "internal_value", "internal_weight", "internal_count")
_LEAF = ("leaf_value", "leaf_weight", "leaf_count")
_ORDER = _INTERNAL[:6] + _LEAF + _INTERNAL[6:]  # the order LightGBM writes them
_INTS = {"split_feature", "decision_type", "left_child", "right_child", "internal_count", "leaf_count"}


def _fail(where: str, msg: str) -> ScorerError:
    return ScorerError(f"not a valid LightGBM model: {msg}", path=where)


def _kv(lines: list[str], where: str, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in lines:
        if not line:
            continue
        key, sep, value = line.partition("=")
        if not sep or key in out:
            raise _fail(where, f"{what}: malformed or repeated line {line[:60]!r}")
        out[key] = value
    return out


def _numbers(text: str, key: str, n: int, where: str, tree: int) -> list:
    """The array's values. Converted with map (a bundle has ~150k numbers:
    a Python loop over them was most of loading a model); a token that is not a number is
    looked for one by one only to name it."""
    toks = text.split(" ") if text else []
    if len(toks) != n:
        raise _fail(where, f"tree {tree}: {key} has {len(toks)} values, expected {n}")
    conv = int if key in _INTS else float
    try:
        values = list(map(conv, toks))
    except ValueError:
        bad = next(t for t in toks if not _parses(conv, t))
        raise _fail(where, f"tree {tree}: {key} holds {bad[:30]!r}, not a number") from None
    if conv is float and not all(map(math.isfinite, values)):
        raise _fail(where, f"tree {tree}: {key} holds a non-finite value")
    return values


def _parses(conv, token: str) -> bool:
    try:
        conv(token)
    except ValueError:
        return False
    return True


def _check_tree(i: int, block: list[str], n_features: int, where: str) -> str:
    kv = _kv(block[1:], where, f"tree {i}")
    if block[0] != f"Tree={i}":
        raise _fail(where, f"expected 'Tree={i}', found {block[0][:40]!r}")
    try:
        n = int(kv.get("num_leaves", ""))
    except ValueError:
        raise _fail(where, f"tree {i}: num_leaves missing or not a number") from None
    if not 1 <= n <= MAX_LEAVES:
        raise _fail(where, f"tree {i}: num_leaves {n} outside 1..{MAX_LEAVES}")
    if kv.get("num_cat") != "0" or kv.get("is_linear", "0") != "0":
        raise _fail(where, f"tree {i}: categorical splits and linear trees are not supported")
    out = [f"Tree={i}", f"num_leaves={n}", "num_cat=0"]
    arrays: dict[str, list] = {}  # values by key
    for key in _ORDER:
        size = n - 1 if key in _INTERNAL else n
        if key not in kv and (size == 0 or key in ("split_gain", "internal_value", "internal_weight",
                                                    "internal_count", "leaf_weight", "leaf_count")):
            continue
        if key not in kv:
            _missing(where, i, key)
        arrays[key] = _numbers(kv[key], key, size, where, i)
        out.append(f"{key}={kv[key]}")  # the tokens read, as read
    if n > 1:
        feats = arrays["split_feature"]
        if min(feats) < 0 or max(feats) >= n_features:
            raise _fail(where, f"tree {i}: split_feature outside 0..{n_features - 1}")
        for d in arrays["decision_type"]:
            if d < 0 or d > 15 or d & 1 or (d >> 2) & 3 == 3:
                raise _fail(where, f"tree {i}: decision_type {d} is not a numerical split")
        # A binary tree: node 0 is the root, every other internal node and every leaf is the
        # child of exactly one node, and all are reachable from the root (no cycles).
        children = arrays["left_child"] + arrays["right_child"]
        expected = set(range(1, n - 1)) | {~k for k in range(n)}
        if sorted(children) != sorted(expected):
            raise _fail(where, f"tree {i}: left_child/right_child do not form a binary tree")
        seen, stack = {0}, [0]
        left, right = children[:n - 1], children[n - 1:]
        while stack:
            node = stack.pop()
            for c in (left[node], right[node]):
                if c >= 0:
                    if c in seen:
                        raise _fail(where, f"tree {i}: node {c} is reached twice")
                    seen.add(c)
                    stack.append(c)
        if len(seen) != n - 1:
            raise _fail(where, f"tree {i}: nodes unreachable from the root")
    out.append("is_linear=0")
    try:
        shrink = float(kv.get("shrinkage", "1"))
    except ValueError:
        raise _fail(where, f"tree {i}: shrinkage is not a number") from None
    if not math.isfinite(shrink):
        raise _fail(where, f"tree {i}: shrinkage is not finite")
    out.append(f"shrinkage={kv.get('shrinkage', '1')}")
    return "\n".join(out) + "\n\n\n"


def _missing(where: str, tree: int, key: str):
    raise _fail(where, f"tree {tree}: {key} is missing")


def canonical_model_text(text: str, where: str) -> str:
    """The model text rebuilt from checked parts (see the module docstring); a ScorerError
    naming the first broken part otherwise."""
    lines = text.split("\n")
    if not lines or lines[0] != "tree":
        raise _fail(where, "the first line is not 'tree'")
    try:
        first = next(k for k, line in enumerate(lines) if line.startswith("Tree="))
        end = lines.index("end of trees")
    except (StopIteration, ValueError):
        raise _fail(where, "no trees, or no 'end of trees' line") from None
    if end < first:
        raise _fail(where, "'end of trees' comes before the first tree")
    head = _kv(lines[1:first], where, "header")
    for key, want in (("version", "v4"), ("num_class", "1"), ("num_tree_per_iteration", "1"), ("label_index", "0")):
        if head.get(key) != want:
            raise _fail(where, f"header {key} is {head.get(key)!r}, expected {want!r}")
    if not _OBJECTIVE_RE.match(head.get("objective", "")):
        raise _fail(where, "header objective is missing or malformed")
    try:
        n_features = int(head.get("max_feature_idx", "")) + 1
    except ValueError:
        raise _fail(where, "header max_feature_idx is missing or not a number") from None
    if not 1 <= n_features <= MAX_FEATURES:
        raise _fail(where, f"header max_feature_idx {n_features - 1} is out of range")
    names = head.get("feature_names", "").split(" ")
    infos = head.get("feature_infos", "").split(" ")
    if len(names) != n_features or not all(_NAME_RE.match(x) for x in names):
        raise _fail(where, f"header feature_names must hold {n_features} names")
    if len(infos) != n_features or not all(_INFO_RE.match(x) for x in infos):
        raise _fail(where, f"header feature_infos must hold {n_features} ranges")
    blocks: list[list[str]] = []
    for line in lines[first:end]:
        if line.startswith("Tree="):
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
    if len(blocks) > MAX_TREES:
        raise _fail(where, f"more than {MAX_TREES} trees")
    trees = [_check_tree(i, b, n_features, where) for i, b in enumerate(blocks)]
    sizes = " ".join(str(len(t.encode())) for t in trees)
    header = "\n".join(["tree", "version=v4", "num_class=1", "num_tree_per_iteration=1", "label_index=0",
                        f"max_feature_idx={n_features - 1}", f"objective={head['objective']}",
                        f"feature_names={' '.join(names)}", f"feature_infos={' '.join(infos)}",
                        f"tree_sizes={sizes}"])
    return header + "\n\n" + "".join(trees) + "end of trees\n\n" + _tail(lines[end + 1:], set(names), where)


_PARAM_RE = re.compile(r"^\[[a-z0-9_]{1,60}: [A-Za-z0-9_.,+-]{0,200}\]$")
_IMPORTANCE_RE = re.compile(r"^([^\s=]+)=(\d{1,18})$")


def _tail(lines: list[str], names: set[str], where: str) -> str:
    """The feature importances and the training parameters after the trees, kept (a saved
    bundle round-trips byte for byte) when every line has its plain shape, dropped otherwise.
    Read line by line in one pass: a pattern with two lazy groups backtracked quadratically on
    a tail of repeated section headers (200k repeats froze the service)."""
    tail = lines
    for _ in range(2):  # the final newline, and one more (the old pattern's `\n?$` allowed both)
        tail = tail[:-1] if tail and tail[-1] == "" else tail
    end = ["", "end of parameters", "", "pandas_categorical:null"]
    if len(tail) < 6 or tail[:2] != ["", "feature_importances:"] or tail[-4:] != end:
        return "pandas_categorical:null\n"
    middle = tail[2:-4]  # importances (at least one line, maybe empty), "", "parameters:", parameters (one or more)
    split = next((i for i in range(1, len(middle) - 2) if middle[i] == "" and middle[i + 1] == "parameters:"), None)
    if split is None:
        return "pandas_categorical:null\n"
    group1 = "\n".join(middle[:split])
    imps, params = group1.split("\n") if group1 else [], "\n".join(middle[split + 2:]).split("\n")
    if not all((im := _IMPORTANCE_RE.match(x)) and im.group(1) in names for x in imps) or \
            not all(_PARAM_RE.match(x) for x in params):
        raise _fail(where, "malformed feature_importances or parameters section")
    body = "feature_importances:\n" + "".join(x + "\n" for x in imps) + "\nparameters:\n"
    return body + "\n".join(params) + "\n\nend of parameters\n\npandas_categorical:null\n"
