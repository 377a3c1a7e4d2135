"""What kind of change a PR is, for the reports: from its prefix tags, its title's verbs and the
paths it touches.

The rule, in order (the first that holds wins; tests/fixtures/change_kind_labels.md labels a
sample of vLLM titles by the same reading):
1. revert: the title reverts a change.
2. the files say it alone: only documentation -> docs, only tests or benchmarks -> tests, only
   CI, build or repository tooling -> ci, only requirement pins (or a bump verb on a
   dependency file) -> dependency.
3. a kind prefix tag (`[Bugfix]`, `[Perf]`, `[Refactor]`, `[Doc]`, `[CI]`, `[Test]`,
   `[New Model]`, `[Feature]`).
4. a new model: a new file in a models directory plus a registry entry, or "new model" /
   "model support" in the title, unless the title adds a capability to an existing model
   (LoRA, speculative decoding, a parser, quantization...).
5. title words: fix words -> fix, speed words -> performance, restructuring words ->
   refactor, adding words -> feature; then softer fix words (guard, avoid, handle).
6. misc: nothing above.

`features.change_kind` is the older, title-only reading that trained bundles were fitted on;
it stays as it is so that a bundle's inputs do not move under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .features import clean_title, title_prefixes

KINDS = ("feature", "fix", "performance", "refactor", "model", "docs", "ci", "tests", "dependency", "revert", "misc")

_PREFIX_KIND = {
    "bugfix": "fix", "cibugfix": "fix", "cifailure": "fix", "fixbug": "fix", "buildfix": "fix",
    "performance": "performance", "perf": "performance", "optimization": "performance",
    "refactor": "refactor", "cleanup": "refactor", "v0deprecation": "refactor", "deprecation": "refactor",
    "docs": "docs", "ci": "ci", "cibuild": "ci", "tests": "tests", "newmodel": "model", "feature": "feature",
    "dependency": "dependency", "deps": "dependency",
}
_DOC_RE = re.compile(r"(^|/)(docs?|documentation|examples?)/|(^|/)README[^/]*$|\.(md|rst)$|(^|/)(?!requirements)[^/]*\.txt$|(^|/)mkdocs\.ya?ml$|(^|/)\.readthedocs")
_TEST_RE = re.compile(r"(^|/)(tests?|testing|benchmarks?)/|(^|/)(test_[^/]*|[^/]*_test)\.\w+$|(^|/)conftest\.py$")
_CI_RE = re.compile(r"(^|/)(\.github|\.buildkite|\.circleci|\.gitlab|docker|ci|\.ci|tools|scripts)/|(^|/)Dockerfile[^/]*$"
                    r"|(^|/)(CMakeLists\.txt|setup\.py|setup\.cfg|Makefile|\.pre-commit-config\.yaml|CODEOWNERS|\.gitignore"
                    r"|\.dockerignore|MANIFEST\.in|\.readthedocs\.ya?ml)$|\.cmake$|\.bzl$|(^|/)(BUILD|WORKSPACE)$")
_DEP_RE = re.compile(r"(^|/)requirements[^/]*(/|\.(txt|in)$)|(^|/)(pyproject\.toml|setup\.py|package\.json|go\.mod|Cargo\.toml"
                     r"|environment\.ya?ml|uv\.lock|poetry\.lock)$|(^|/)external_projects/|(^|/)versions?\.json$")
_MODEL_DIR_RE = re.compile(r"(^|/)models?/[^/]+\.py$")
_REGISTRY_RE = re.compile(r"(^|/)(registry\.py|supported_models\.md)$")

_REVERT_RE = re.compile(r"^\s*(\[[^\]]*\]\s*)*revert\b", re.I)
_BUMP_RE = re.compile(r"\b(bump|pin|unpin|upgrade|downgrade|update)\b.*\b(to|version|v?\d+(\.\d+)+|<|>|==)|"
                      r"\b(bump|pin|unpin|upgrade)\b|\brequirements?\b", re.I)
_FIX_RE = re.compile(r"\b(fix(es|ed|ing)?|bug(s|fix)?|hotfix|crash(es|ing)?|regression|incorrect|wrong|broken"
                     r"|typo|mismatch|leak|hang|deadlock|oom|nan|errors?|fail(s|ed|ure|ures|ing)?|corner case|issues?)\b", re.I)
_PERF_RE = re.compile(r"\b(perf|performance|optimi[sz]\w*|speed ?up|faster|latency|throughput"
                      r"|tune|tun(ed|ing|ings)|fuse|overhead|lazy|lazily|early return|cach(e|ing) `|accelerat\w*|improved? .*\b(kernels?|gemm|shapes?)|efficien\w*|memory usage)\b", re.I)
_REFACTOR_RE = re.compile(r"^(refa?ctor|refractor|eliminate|clean ?up|cleanup|remove|deprecate|move|rename|migrate|simplify|split|unify"
                          r"|consolidate|extract|abstract|reorganiz|restructure|replace|drop|delete|decouple|use|reuse"
                          r"|separate|standardi[sz]e|make|update|merge|mirror|require|rework|isolate|refine|group|change)\w*\b|\b(refactor\w*|clean ?up|cleanup"
                          r"|factor(ed)? out|get rid of|simplif\w*|scheduled removal|->"
                          r"|dead code|unused|deprecat\w+|typing|mypy|type hints?|lint\w*|rename\w*|tensorschema)\b", re.I)
_FEATURE_RE = re.compile(r"^(add|adds|added|support|supports|enable|enables|introduce|implement|allow|expose|new|initial"
                         r"|integrate|wire|provide|extend|feat|let|accept|adapt|introduc\w+|return|parse|pass|default)\b"
                         r"|\b(support(s|ed)?|add(s|ed)?|enable[sd]?|introduce[sd]?|implement(s|ed)?|new|integration|configurable"
                         r"|endpoints?|plugins?|by default)\b", re.I)
_SOFT_FIX_RE = re.compile(r"^(auto-)?disable|\baccount for\b|\b(guard|avoid|prevent|handle|robust|correct(ly)?|compat(ibility)?|missing|skip|validate|ensure"
                          r"|restore|workaround|respect|check)\b", re.I)
_TYPO_DOC_RE = re.compile(r"\btypos?\b.*\b(comments?|docstrings?|docs?|documentation)\b", re.I)
_STYLE_RE = re.compile(r"\b(mypy|typing|type hints?|lint\w*|pre-commit|ruff)\b", re.I)
_MODEL_TITLE_RE = re.compile(r"\bnew model\b|\bmodel support\b|\bsupport (for )?(the )?[\w.-]+ models?\b"
                             r"|\b(built-in|builtin)\b.*\bmodel\b", re.I)
_CAPABILITY_RE = re.compile(r"\b(lora|eagle\d*|mtp|speculat\w*|spec decod\w*|draft|parser|quant\w*|gptq|awq|fp8|fp4|int8"
                            r"|tensor parallel|tp|dp|pp|ep|pipeline|backend|kernel|lora|tool|reasoning|pooling|embedding"
                            r"|multi-?node|cuda graph|compile|attention|rope|yarn|layers?)\b", re.I)


def _only(paths: list[str], pattern: re.Pattern) -> bool:
    return bool(paths) and all(pattern.search(p) for p in paths)


_DOC, _TEST, _CI, _DEP, _MODEL_DIR, _REGISTRY = range(6)


@lru_cache(maxsize=1 << 16)
def _path_flags(path: str) -> tuple[bool, ...]:
    """Which of the path patterns a path matches, indexed by _DOC.._REGISTRY. A week's report
    classifies its PRs and the look-back's that name its stories: the same paths again and
    again, each tested against six patterns up to four times per PR."""
    return tuple(bool(r.search(path)) for r in (_DOC_RE, _TEST_RE, _CI_RE, _DEP_RE, _MODEL_DIR_RE, _REGISTRY_RE))


def _all(flags: list[tuple[bool, ...]], i: int) -> bool:
    """_only over path flags: there are paths and every one matches pattern i."""
    return bool(flags) and all(f[i] for f in flags)


# "(fixes #38633)", "Closes #12": a reference to the issue a PR resolves, not a word about the change.
_ISSUE_REF_RE = re.compile(r"\(?\b(?:fix(?:es|ed)?|close[sd]?|resolve[sd]?|address(?:es|ed)?|part of|for|see|ref)\s*:?\s*"
                           r"(?:[\w.-]+/[\w.-]+)?#\d+\)?", re.I)
# A capability brought to a platform ("support MLA model on Intel GPU"), not a new model.
_ON_PLATFORM_RE = re.compile(r"\b(?:on|for) (?:intel |amd |nvidia )?(?:gpus?|xpu|rocm|cpu|tpu|npu|hpu|ascend|gaudi|mi\d+\w*)\b", re.I)
# A title that leads with an adding verb: what follows ("... and optimize layout") is its detail.
_LEAD_FEATURE_RE = re.compile(r"^(add|adds|support|enhance|enhances|extend|introduce|implement|expose)\b", re.I)
# ...unless what it adds is speed ("Add perf ...", "Add MoE tunings for ..."): that stays performance.
_ADDS_SPEED_RE = re.compile(r"^\w+\s+(perf|performance|optimi[sz]\w*|speed ?up)\b|\btun(e|ed|ing|ings)\b", re.I)


def classify_change(title: str, paths: Iterable[str] = (), added: Iterable[str] = ()) -> str:
    """One of KINDS for a PR's title and the paths it touches (`added`: those it creates)."""
    paths, added = list(paths), set(added)
    title = _ISSUE_REF_RE.sub("", title).strip() or title
    text = clean_title(title)
    prefixes = [re.sub(r"[^a-z0-9]", "", p) for p in title_prefixes(title)]
    if _REVERT_RE.match(title):
        return "revert"
    flags = [_path_flags(p) for p in paths]
    if paths and _all(flags, _DEP) and not _all(flags, _CI):
        return "dependency"
    code_flags = [f for f in flags if not (f[_DOC] or f[_TEST])]
    code = [p for p, f in zip(paths, flags) if not (f[_DOC] or f[_TEST])]
    if _all(flags, _DOC) and not code:
        return "docs"
    if paths and not code and any(f[_TEST] for f in flags) and not _all(flags, _DOC):
        return "tests"
    if _all(flags, _DEP) or (code and _all(code_flags, _DEP) and _BUMP_RE.search(text)) or (
            _BUMP_RE.search(text) and any(f[_DEP] for f in flags) and not any(f[_MODEL_DIR] for f in code_flags)
            and not _FIX_RE.search(text)):
        return "dependency"
    if code and _all(code_flags, _CI) and not any(f[_DEP] and not f[_CI] for f in code_flags):
        return "tests" if any(f[_TEST] for f in flags) and re.search(r"\btests?\b", text, re.I) else "ci"
    if _TYPO_DOC_RE.search(text):
        return "docs"
    if _STYLE_RE.search(text):
        return "refactor"
    for p in prefixes:
        if p in _PREFIX_KIND:
            return _PREFIX_KIND[p]
        if "refactor" in p:  # [MoE Refactor], [Attention Refactor]
            return "refactor"
    new_model_file = any((f := _path_flags(p))[_MODEL_DIR] and not f[_TEST] for p in added)
    registry = any(f[_REGISTRY] for f in flags)
    if not _FIX_RE.search(text) and not _CAPABILITY_RE.search(text) and not _ON_PLATFORM_RE.search(text) and (
            _MODEL_TITLE_RE.search(text) or (new_model_file and registry)
            or ("model" in prefixes and registry and _FEATURE_RE.search(text))):
        return "model"
    if _FIX_RE.search(text):
        return "fix"
    if _LEAD_FEATURE_RE.search(text) and not _ADDS_SPEED_RE.search(text):
        return "feature"
    if _PERF_RE.search(text) or any("/configs/" in p and p.endswith(".json") for p in code) and _only(code, re.compile(r"/configs/")):
        return "performance"
    if _REFACTOR_RE.search(text):
        return "refactor"
    if _FEATURE_RE.search(text):
        return "feature"
    if _SOFT_FIX_RE.search(text):
        return "fix"
    if new_model_file:
        return "model"
    return "misc"


def classify_pr(title: str, files: list[dict]) -> str:
    """classify_change over a canonical record's `files` list."""
    return classify_change(title, [f["filename"] for f in files],
                           [f["filename"] for f in files if f.get("status") == "added"])
