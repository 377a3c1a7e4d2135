"""The reading of a PR's text: its title (prefix tags, the cleaned title, its terms), what kind
of change it is, and what it states (measured gains, hardware, dependency versions).

It sits below both the features and the reports, so a model's title features and a sentence's
facts come from one place.

Change kinds, for the reports (`classify_pr`), from its prefix tags, its title's verbs and the
paths it touches. The rule, in order (the first that holds wins; tests/fixtures/change_kind_labels.md
labels a sample of vLLM titles by the same reading):
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
`change_kind` is the older, title-only reading that trained bundles were fitted on; it stays as
it is so that a bundle's inputs do not move under it.

A fact is quoted only when the text states it as a measurement of this PR:

- a gain is a percentage or a multiplier in the title or in one sentence of the description
  that also names what was measured (throughput, latency, TTFT, memory, "faster"...);
- a shape is not a gain: `4 x 2048`, `4x2048`, `128x128` are sizes;
- below the noise floor it is not quoted: under NOISE_PCT percent, or a multiplier under
  MIN_TIMES (a 0.46% change is run-to-run noise of the benchmarks PRs quote);
- a pasted log line is not read, and a percentage with neither a sign nor a word for a change
  ("KV cache usage: 100%") is a level, not a gain;
- its direction is read from the sign and the words around it, and it is quoted only when it
  is an improvement: up for throughput and speed, down for latency and memory. A "-6.19%
  latency" is a 6.19% latency reduction and is said that way, never as a bare negative;
- its scope: a sentence about one function, kernel or op ("method level benchmark",
  "microbenchmark", "kernel-level") is a component figure and says so; a figure of a named
  end-to-end metric (throughput, latency, TTFT, TPOT, ITL, memory) is end-to-end; a bare
  "faster" is unstated. Only end-to-end figures lead the week's summary.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from functools import lru_cache

from .taxonomy import Taxonomy

# ---------------------------------------------------------------- titles

PREFIX_RE = re.compile(r"^\s*((?:\[[^\]]{1,40}\]\s*)+)")
TAG_RE = re.compile(r"\[([^\]]{1,40})\]")
WORD_RE = re.compile(r"[a-z][a-z0-9]+(?:[-.][a-z0-9]+)*")
STOPWORDS = frozenset("""a an the and or for to of in on with by from at as is are be add added adds fix fixed fixes
support supports update updates updated use using remove removed make makes when into not no it its this that
all new more some via per only after before bug bugfix misc minor small refactor feature feat chore ci doc docs
test tests model models kernel kernels core v1 v2 enable disable default improve improvement improvements""".split())
# Canonical prefix spellings: `BugFix`, `bugfix`, `Bug Fix` are one tag.
PREFIX_ALIASES = {"bug": "bugfix", "fix": "bugfix", "hotfix": "bugfix", "feat": "feature", "features": "feature",
                  "doc": "docs", "documentation": "docs", "perf": "performance", "test": "tests", "testing": "tests",
                  "refactoring": "refactor", "ci/build": "ci", "build": "ci", "cibuild": "ci", "hardware": "hardware",
                  "rocm": "rocm", "amd": "rocm", "v1": "v1", "core": "core", "frontend": "frontend",
                  "model": "model", "newmodel": "model", "kernel": "kernel", "kernels": "kernel",
                  "quantization": "quantization", "quant": "quantization", "misc": "misc", "chore": "misc"}


@functools.lru_cache(maxsize=1 << 16)
def normalize_prefix(tag: str) -> str:
    key = re.sub(r"[^a-z0-9/]+", "", tag.lower())
    return PREFIX_ALIASES.get(key, key)


def raw_prefix_tags(title: str) -> list[str]:
    """The `[Tag]` words that open a title, as written (`[Atlas]` stays Atlas)."""
    m = PREFIX_RE.match(title)
    return TAG_RE.findall(m.group(1)) if m else []


def title_prefixes(title: str) -> list[str]:
    return [normalize_prefix(t) for t in raw_prefix_tags(title)]


def clean_title(title: str) -> str:
    """The title without its `[Prefix]` tags and the separator after them (`[Bugfix]: x` -> `x`):
    what the report quotes as the summary."""
    return PREFIX_RE.sub("", title).strip().lstrip(":-–| ").strip() or title.strip()


def title_terms(title: str) -> list[str]:
    """Content words of the title, and its prefix tags: a model family often shows only there
    (vLLM's `[DSV4]` week), and generic tags (`[Bugfix]`) are frequent every week, so the burst
    ratio drops them."""
    words = WORD_RE.findall(clean_title(title).lower())
    words += [p for p in title_prefixes(title) if WORD_RE.fullmatch(p)]
    return sorted({w for w in words if w not in STOPWORDS and len(w) >= 3})


CHANGE_KINDS = ("feature", "fix", "performance", "refactor", "model", "docs", "ci", "tests", "revert", "misc")


def change_kind(title: str) -> str:
    """What kind of change a title announces, from its prefix tags and first verb: one of CHANGE_KINDS."""
    pre = set(title_prefixes(title))
    low = clean_title(title).lower()
    if title.lower().startswith("revert"):
        return "revert"
    if pre & {"bugfix", "fix"} or re.match(r"^(fix|fixes|fixed|hotfix)\b", low):
        return "fix"
    if pre & {"performance", "perf"} or re.search(r"\b(speed ?up|faster|optimi[sz]e|latency|throughput)\b", low):
        return "performance"
    if pre & {"refactor"} or re.match(r"^(refactor|clean ?up|remove|deprecate|simplify|move)\b", low):
        return "refactor"
    if pre & {"model", "newmodel"}:
        return "model"
    if pre & {"docs"}:
        return "docs"
    if pre & {"ci", "build", "rocm ci"}:
        return "ci"
    if pre & {"tests"}:
        return "tests"
    if pre & {"feature", "frontend", "kernel", "core"} or re.match(r"^(add|support|enable|introduce|implement|new)\b", low):
        return "feature"
    return "misc"



# ---------------------------------------------------------------- change kinds (reports)

KINDS = ("feature", "fix", "performance", "refactor", "model", "docs", "ci", "tests", "dependency", "revert", "misc")
# Each kind as a reader names it (zh, en).
KIND_WORDS = {
    "fix": ("修复", "fix"), "feature": ("新功能", "feature"), "model": ("新模型", "new model"),
    "performance": ("性能优化", "performance"), "refactor": ("重构", "refactor"), "docs": ("文档", "docs"),
    "ci": ("CI/构建", "CI/build"), "tests": ("测试", "tests"), "misc": ("杂项", "misc"), "revert": ("回滚", "revert"),
    "dependency": ("依赖", "dependency"),
}

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


# ---------------------------------------------------------------- facts


MAX_TEXT = 200  # characters a title may contribute to a report
MAX_BODY = 20_000  # characters of a PR description read for facts
NOISE_PCT = 2.0  # a percentage change below this is not quoted
MIN_TIMES = 1.1  # nor a multiplier below this

RANGE_X_RE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*[-–~]\s*(\d+(?:\.\d+)?)\s*[x×](?![\w])(?!\s*\d)")
X_RE = re.compile(r"(?<![\w.×*])(\d+(?:\.\d+)?)\s*[x×](?![\w])(?!\s*[\d(])")
PCT_RE = re.compile(r"(?<![\w.])([+-]?\d+(?:\.\d+)?)\s*%")
GAIN_CONTEXT_RE = re.compile(r"speed ?up|faster|throughput|latency|improv\w*|perf\w*|tpot|ttft|itl|e2e|tok(ens)?/s|"
                             r"reduc\w*|gain|boost|less memory|memory", re.I)
# What was measured, and which way is better.
METRICS = (
    ("throughput", r"throughput|tok(?:en)?s?/s|qps|req(?:uest)?s?/s|bandwidth", "up"),
    ("ttft", r"ttft|time to first token", "down"),
    ("tpot", r"tpot|time per output token", "down"),
    ("itl", r"itl|inter-token latency", "down"),
    ("latency", r"latency|latencies|e2el|step time|wall time", "down"),
    ("memory", r"memory|vram|footprint", "down"),
    ("speedup", r"speed ?-?ups?|faster|accelerat\w*", "up"),
    ("e2e", r"e2e|end-to-end", "up"),
)
METRIC_RES = [(name, re.compile(rf"\b(?:{pat})", re.I)) for name, pat, _ in METRICS]  # most specific first
BETTER = {name: way for name, _, way in METRICS}
END_TO_END = frozenset({"throughput", "ttft", "tpot", "itl", "latency", "e2e", "memory"})
# A figure of one function, kernel or op, not of serving: a micro-benchmark, or one kernel
# implementation against another ("AscendC vs Triton: 1.8x", vllm-ascend #9601's operator).
COMPONENT_RE = re.compile(r"micro-?bench\w*|method[- ]level|op[- ]level|kernel[- ]level|function[- ]level|unit[- ]bench\w*"
                          r"|in isolation|(?:this|the) (?:function|method|op|kernel)\b"
                          r"|\b(?:vs\.?|versus|than|over)\s+(?:the\s+)?(?:triton|pytorch|torch|aclnn|cutlass|cublas|cudnn|"
                          r"native|eager)\b(?!\s+(?:compile|mode|backend\s+serving))", re.I)
DOWN_WORDS_RE = re.compile(r"reduc\w*|less|lower\w*|drop\w*|decreas\w*|sav(?:e|es|ed|ing)|cut\w*|shorter|fewer", re.I)
UP_WORDS_RE = re.compile(r"improv\w*|increas\w*|higher|more|faster|boost\w*|gain\w*|speed ?-?ups?|up\b", re.I)
HARDWARE_RE = re.compile(
    r"\b(GB[23]00|[HB][12]00|H20|A100|A10G?|L40S?|L4|MI\d{3}X?|MI3xx|Gaudi\s?\d?|Ascend\s?\d{3}\w*|910[BC]|310P"
    r"|SM\s?_?\d{2,3}[a-z]?|gfx\d{3,4}\w*|Hopper|Blackwell|Ampere|Jetson \w+|RISC-V|Trainium\d?|Inferentia\d?|TPU\s?v\d\w*)\b",
    re.I)
DEP_BUMP_RE = re.compile(r"\b(?:bump|update|upgrade|pin|downgrade|require)\s+`?([A-Za-z][\w.+-]*)`?(?:\s+version)?"
                         r"(?:\s+from\s+\S+)?\s+(?:to\s+)?v?`?(\d+(?:\.\d+)+[\w.+-]*)", re.I)
DEP_SPEC_RE = re.compile(r"`?([A-Za-z][\w-]*)\s*(==|>=|<=|~=|<|>)\s*(\d[\w.]*)`?")
LOG_LINE_RE = re.compile(r"\b(?:INFO|WARNING|DEBUG|ERROR)\b.{0,80}\[[\w./-]+\.py:\d+\]|\bpid=\d+|^\s*\(\w+ pid=")
SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?;])\s+|\n")


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


TOKEN_SPLIT_RE = re.compile(r"[\s/,:;()\[\]{}]+")


def names_key(title: str, key: str) -> bool:
    """Whether a title names a topic key (normalized: lower case, letters and digits): some word
    of it starts with the key, so `qwen3` is named by "Qwen3.5" and "Qwen3-Next", `rope` is not
    by "Europe"."""
    return bool(key) and any(_key(tok).startswith(key) for tok in TOKEN_SPLIT_RE.split(title))


def names_a_topic(name: str, titles: list[str], min_tagged: int) -> bool:
    """Whether a word the week's titles share can name a story: it is spelled as a name (a digit,
    inner capitals or an acronym: MXFP4, FlashInfer, Qwen3), names hardware, or opens at least
    `min_tagged` of the titles as a `[Tag]`. A plain word ("Match", "Atlas") is none of these."""
    if sum(_key(name) in {_key(t) for t in raw_prefix_tags(title)} for title in titles) >= min_tagged:
        return True
    return bool(HARDWARE_RE.fullmatch(name) or re.search(r"\d", name) or re.search(r"[a-z][A-Z]", name)
                or re.fullmatch(r"[A-Z]{2,}[\w.-]*", name))


def _num(x: str) -> str:
    return x.rstrip("0").rstrip(".") if "." in x else x


def sentences(title: str, body: str | None) -> list[tuple[str, str]]:
    """(source, sentence) of the title and of the head of the description, in order."""
    out = [("title", title[:4 * MAX_TEXT])]
    out += [("body", s) for s in SENTENCE_SPLIT_RE.split((body or "")[:MAX_BODY]) if s.strip()]
    return out


def _metric(sentence: str) -> str:
    """The most specific metric a sentence names ("E2E latency" is latency)."""
    return next((name for name, pat in METRIC_RES if pat.search(sentence)), "")


def read_gains(title: str, body: str | None) -> list[dict]:
    """The measured improvements a PR states, first stated first, each once (see the module's
    docstring for what counts): value, unit (% or x), metric, direction (up/down), scope
    (e2e/component) and source (title/body)."""
    gains: list[dict] = []
    for source, sentence in sentences(title, body):
        if not GAIN_CONTEXT_RE.search(sentence) or LOG_LINE_RE.search(sentence):
            continue  # nothing measured, or a pasted log line (its figures are levels of one run)
        metric = _metric(sentence)
        if not metric:
            continue  # a number with nothing measured beside it
        scope = "component" if COMPONENT_RE.search(sentence) else "e2e" if metric in END_TO_END else "unstated"
        found = []
        ranges = list(RANGE_X_RE.finditer(sentence))
        for m in ranges:
            lo, hi = float(m.group(1)), float(m.group(2))
            if MIN_TIMES <= lo < hi <= 1000:
                found.append({"text": f"{_num(m.group(1))}-{_num(m.group(2))}x", "value": hi, "unit": "x"})
        covered = [m.span() for m in ranges]
        for m in X_RE.finditer(sentence):
            if any(a <= m.start() < b for a, b in covered):
                continue
            if MIN_TIMES <= float(m.group(1)) <= 1000:
                found.append({"text": f"{_num(m.group(1))}x", "value": float(m.group(1)), "unit": "x"})
        for m in PCT_RE.finditer(sentence):
            v = float(m.group(1))
            if not NOISE_PCT <= abs(v) <= 1000:
                continue
            near = sentence[max(0, m.start() - 40):m.end() + 40]
            if m.group(1).startswith("-"):
                way = "down"
            elif m.group(1).startswith("+"):
                way = "up"
            elif DOWN_WORDS_RE.search(near):
                way = "down"
            elif UP_WORDS_RE.search(near):
                way = "up"
            else:
                continue  # a level ("cache usage: 100%"), or a change with no word for its direction
            if way != BETTER[metric]:
                continue  # a regression, or a figure whose direction the text does not make an improvement
            found.append({"text": f"{_num(m.group(1).lstrip('+-'))}%", "value": abs(v), "unit": "%", "direction": way})
        for g in found:
            g.setdefault("direction", BETTER[metric])  # "2x faster", "2x less memory": a multiplier is the gain
            g.update(metric=metric, scope=scope, source=source)
            gains.append(g)
    seen, uniq = set(), []
    for g in gains:
        if g["text"] not in seen:
            seen.add(g["text"])
            uniq.append(g)
    return uniq


def read_hardware(text: str) -> list[str]:
    hardware: list[str] = []
    for m in HARDWARE_RE.finditer(text):
        h = re.sub(r"\s+", " ", m.group(1))
        if re.match(r"(?i)sm", h):
            h = "SM" + re.sub(r"[^0-9a-z]", "", h[2:])
        h = h.upper() if re.fullmatch(r"(gb|h|b|a|l|mi|sm|gfx)[\s_\d\w]*", h, re.I) and not re.search(r"[a-z]{3}", h) else h
        h = h[0].upper() + h[1:] if h.isalpha() else h
        # Ascend generations read as their makers write them: "310p" and "Ascend 910b" are 310P and
        # Ascend 910B (and a lowercase spelling would read as the taxonomy's platform key).
        h = re.sub(r"(?<![\w])(\d{3})([a-z])\b", lambda m: m.group(1) + m.group(2).upper(), h)
        if h.lower() not in {x.lower() for x in hardware}:
            hardware.append(h)
    return hardware


DEP_VERB_RE = re.compile(r"\b(?:bump|require|pin|restrict|relax|upgrade|update|downgrade|depend|drop|raise)(?:s|ed|ing)?\b",
                         re.I)
_SPEC_FILLER = frozenset({"to", "from", "version", "versions", "pin", "the", "of", "for", "on", "with", "and"})


def spec_deps(title: str) -> list[dict]:
    """Version constraints a title states as a dependency change ("Require setuptools >= 77.0.3",
    "Relax tiktoken to >= 0.6.0"): only in a title with a dependency verb, the constraint's
    package being the word before a filler ("tiktoken", not "to"), and a real version (a dotted
    number, or one of 10 and more): "when world_size > 1" and "query length > 1" are conditions,
    "on CUDA < 12.8" in a bug fix is not a version change."""
    if not DEP_VERB_RE.search(title):
        return []
    out = []
    for m in DEP_SPEC_RE.finditer(title):
        name, version = m.group(1), m.group(3)
        if not (re.search(r"\d\.\d", version) or int(re.match(r"\d+", version).group()) >= 10):
            continue
        if name.lower() in _SPEC_FILLER:
            words = [w for w in re.findall(r"[A-Za-z][\w.-]*", title[:m.start(1)]) if w.lower() not in _SPEC_FILLER]
            if not words or DEP_VERB_RE.fullmatch(words[-1]):
                continue
            name = words[-1]
        out.append({"name": name.strip("`"), "version": m.group(2) + version})
    return out


def extract_facts(title: str, body: str, files: list[dict], tax: Taxonomy) -> dict:
    """Measured gains, hardware, dependency versions and requirement files, from a PR.
    Only the head of a long title or body is read: the facts a reader needs sit there, and a
    50 MB title must not cost minutes of regex scanning."""
    title = title[:4 * MAX_TEXT]
    text = f"{title}\n{(body or '')[:MAX_BODY]}"
    hardware = read_hardware(text)
    deps = [{"name": m.group(1).strip("`"), "version": m.group(2).strip("`")} for m in DEP_BUMP_RE.finditer(title)]
    deps += [d for d in spec_deps(title) if d["name"].lower() not in {x["name"].lower() for x in deps}]
    dep_files = sorted({f["filename"] for f in files if tax.info(f["filename"]).dependency})
    platforms = sorted({p for f in files if (p := tax.platform_of(f["filename"]))})
    return {"gains": read_gains(title, body)[:3], "hardware": hardware[:4], "deps": deps[:3], "dep_files": dep_files[:5],
            "platforms": platforms}


# ---------------------------------------------------------------- what users will notice

# A framework or platform the whole project builds on, moved to a new version ("Update to torch
# 2.11", "Switch default CUDA to 13.0", "Add Python 3.14"): few lines, read by every user.
FRAMEWORK_RE = re.compile(r"\b(torch|pytorch|cuda|python|transformers|rocm|triton|flashinfer|numpy|nccl|cutlass"
                          r"|deepgemm|xformers|cann|torch_npu|jax|tensorflow|onnx|protobuf|gcc|cmake)\b.{0,30}?\bv?\d+(\.\d+)+"
                          r"|\b(bump|upgrade|update|switch|migrate)\b.{0,20}\b(torch|pytorch|cuda|python|transformers|rocm"
                          r"|triton|flashinfer|cann)\b", re.I)
# A default flipped: what users get without asking changes.
DEFAULT_SWITCH_RE = re.compile(r"\bby default\b|\bas (the )?default\b|\bdefault (to|on|off)\b|\bthe default\b"
                               r"|\b(switch|flip|change)\w* (the )?default|\bdefault\b.{0,30}\b(enabled?|disabled?)\b"
                               r"|\b(re-?)?enable\w*\b.{0,40}\bdefault\b", re.I)
# A framework, platform or toolchain and the version a title moves it to ("torch 2.11",
# "CUDA to 13.0.2", "transformers v5", "Python 3.14", "C++20").
FRAMEWORK_VERSION_RE = re.compile(
    r"\b(torch|pytorch|cuda|python|transformers|rocm|triton|flashinfer|numpy|nccl|cutlass|deepgemm|xformers|cann"
    r"|torch_npu|jax|onnx|protobuf|gcc|cmake|c\+\+)\s*(?:to\s+|version\s+|>=\s*|==\s*)?(v?\d+(?:\.\d+)*)(?![\w.])", re.I)
DEPRECATE_RE = re.compile(r"\bdeprecat(e|es|ed|ing|ion)\b", re.I)
REMOVE_LEAD_RE = re.compile(r"^(remove|removes|removed|removing|drop|drops|dropped|delete|deletes|deleted)\b", re.I)
# What a removal takes from users: a supported thing, an option, a variable, an API, a model...
USER_THING_RE = re.compile(r"\bsupport\b|\boptions?\b|\bflags?\b|\barg(ument)?s?\b|\bparam(eter)?s?\b|\benv\b"
                           r"|\bvariables?\b|\bapis?\b|\bendpoints?\b|\bbackends?\b|\bmodels?\b|\bmodes?\b"
                           r"|\bformats?\b|\bfeatures?\b|\bcli\b|\bconfigs?\b|--[a-z]|\b[A-Z][A-Z0-9]*_[A-Z0-9_]{2,}\b", re.I)
# A command-line option or an environment variable named in a title (`--max-model-len`, `VLLM_USE_V1`).
OPTION_RE = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]+|\b[A-Z][A-Z0-9]*_[A-Z0-9_]{2,}\b")
OPTION_VERB_RE = re.compile(r"\b(add|adds|added|introduce|rename|renames|renamed|remove|removes|removed|deprecate\w*|drop"
                            r"|change|changes|changed|replace|replaces|default|expose|new)\b", re.I)
# A removal of the project's own leftovers ("Remove unused param", "Remove dead code"): nothing a user held.
INTERNAL_REMOVAL_RE = re.compile(r"\b(unused|dead|unnecessary|redundant|stale|duplicated?|obsolete|leftover|false[- ]positive"
                                 r"|need for|use of|workaround|hack|todo|debug|comments?|docstrings?|typos?|warnings?)\b", re.I)
# A title that changes the version a framework is used at, not one that fixes code for it.
VERSION_CHANGE_RE = re.compile(r"^(update|upgrade|bump|switch|add|require|drop|pin|support|deprecate|move|migrate|use)\b"
                               r"|\brelease version\b", re.I)
ENV_WORDS_RE = re.compile(r"\benv(ironment)?\b|\bvariables?\b|\benv ?vars?\b", re.I)
NOTICE_KINDS = ("default", "deprecation", "removal", "option", "dependency")
# Change kinds no user runs into: their defaults and removals are the project's own (CI, tests, docs).
_INTERNAL_KINDS = frozenset({"tests", "ci", "docs", "revert"})


def framework_versions(title: str) -> list[dict]:
    """The frameworks and versions a title moves to, as written."""
    return [{"name": m.group(1), "version": m.group(2)} for m in FRAMEWORK_VERSION_RE.finditer(clean_title(title))]


def notice_kind(title: str, kind: str, touches_interface: bool = False, dependency_files: bool = False) -> str | None:
    """Which change a user will notice after upgrading, if any, by the first rule that holds:
    a deprecation; a removal of something users hold (support, an option, a variable, an API, a
    model, a backend, or any removal in the project's interface paths); a default flipped; an
    option or environment variable added, renamed or removed; a framework or platform moved to a
    version (a title that updates, bumps, switches, adds or requires it, or a dependency change
    naming one; "Fix X for torch 2.12" fixes code, it moves nothing). CI, test, docs and revert PRs are
    the project's own and never listed; a framework bump counts in CI kind only when it changed
    a dependency file (the project's requirements move, not a CI image)."""
    t = clean_title(title)
    if kind in _INTERNAL_KINDS and not (kind == "ci" and dependency_files and framework_versions(t)):
        return None
    if DEPRECATE_RE.search(t):
        return "deprecation"
    if REMOVE_LEAD_RE.search(t) and (USER_THING_RE.search(t) or touches_interface) and not INTERNAL_REMOVAL_RE.search(t):
        return "removal"
    if DEFAULT_SWITCH_RE.search(t):
        return "default"
    flag = re.search(r"(?<![\w-])--[a-z][a-z0-9-]+", t)
    env = OPTION_RE.search(t) and (ENV_WORDS_RE.search(t) or touches_interface)
    if (flag or env) and OPTION_VERB_RE.search(t) and not INTERNAL_REMOVAL_RE.search(t):
        return "option"
    if framework_versions(t) and (VERSION_CHANGE_RE.search(t) or kind == "dependency"):
        return "dependency"
    return None
