"""A PR title in Chinese, by rule: the Chinese report says what each PR does, not only its area.

PR titles are a small language: an optional context (`[ROCm]`, `[Perf]`, "GLM4 tool parser:"), a
verb ("Add", "Fix", "Enable ... by default", "Bump ... to 2.11"), an object that is mostly
identifiers and names (`defer_loading`, FlashInfer, MXFP4, DeepSeek V4), and a few prepositional
phrases ("for Anthropic and OpenAI APIs", "on ROCm", "in the scheduler", "with CUDA graphs"). The
rewriter parses that frame, keeps every identifier, name and number in its original spelling (as
Chinese engineering writing does), translates the field's words with a glossary (data:
glossary_zh.yaml, extended per repository by the taxonomy's `glossary:`), and orders the parts the
Chinese way: "Add X support for Y" -> "为 Y 新增 X 支持", "Enable X by default" -> "默认启用 X".

A title it cannot read this way (a clause it has no rule for, or more English words outside the
glossary than a reader would accept mixed into Chinese) is not forced: `rewrite` says so
(`fitted=False`) and the report shows the area beside the cleaned English title instead.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..prtext import MAX_TEXT, clean_title, raw_prefix_tags

GLOSSARY_PATH = Path(__file__).with_name("glossary_zh.yaml")
# Prefix tags naming where a change applies: "[ROCm] Fix X" is "ROCm 上修复 X".
PLATFORM_TAGS = {"rocm": "ROCm", "amd": "AMD", "xpu": "XPU", "intel": "Intel", "cpu": "CPU", "tpu": "TPU", "npu": "NPU",
                 "ascend": "Ascend", "hpu": "HPU", "gaudi": "Gaudi", "neuron": "Neuron", "nvidia": "NVIDIA",
                 "cuda": "CUDA", "metal": "Metal", "mps": "MPS", "s390x": "s390x", "ppc64le": "ppc64le", "arm": "Arm",
                 "aarch64": "AArch64", "blackwell": "Blackwell", "hopper": "Hopper", "310p": "310P", "a2": "A2", "a3": "A3"}
PREPOSITIONS = ("for", "on", "in", "with", "to", "from", "via", "using", "when", "into", "across", "without", "after",
                "before", "during", "by", "under", "inside", "within", "at", "of", "if", "while", "as", "about", "regarding", "causing")
# Words that end the verb phrase's object: a clause the frame has no slot for.
CLAUSE_WORDS = frozenset({"because", "since", "so", "which", "that", "where", "but", "unless", "until", "than", "is", "are", "was", "were", "be", "been", "being", "will", "would", "should",
                          "can", "could", "may", "might", "must", "does", "did", "has", "have", "had", "not"})
SKIP_WORDS = frozenset({"the", "a", "an", "some", "also"})
# English inflections of a verb, read back to the glossary's base form.
_IRREGULAR = {"added": "add", "adds": "add", "adding": "add", "fixed": "fix", "fixes": "fix", "fixing": "fix",
              "made": "make", "makes": "make", "making": "make", "ran": "run", "runs": "run", "running": "run",
              "set": "set", "sets": "set", "setting": "set", "split": "split", "splits": "split", "splitting": "split",
              "moved": "move", "uses": "use", "used": "use", "using": "use", "supports": "support",
              "supported": "support", "supporting": "support", "enables": "enable", "enabled": "enable",
              "enabling": "enable", "removes": "remove", "removed": "remove", "removing": "remove",
              "updated": "update", "updates": "update", "updating": "update", "bumped": "bump", "bumps": "bump",
              "bumping": "bump", "upgraded": "upgrade", "upgrades": "upgrade", "upgrading": "upgrade",
              "implemented": "implement", "implements": "implement", "implementing": "implement",
              "introduced": "introduce", "introduces": "introduce", "introducing": "introduce",
              "refactored": "refactor", "refactors": "refactor", "refactoring": "refactor",
              "optimized": "optimize", "optimizes": "optimize", "optimizing": "optimize",
              "improved": "improve", "improves": "improve", "improving": "improve", "disabled": "disable",
              "disables": "disable", "disabling": "disable", "skipped": "skip", "skips": "skip", "skipping": "skip",
              "avoided": "avoid", "avoids": "avoid", "avoiding": "avoid", "replaced": "replace", "replaces": "replace",
              "replacing": "replace", "allowed": "allow", "allows": "allow", "allowing": "allow",
              "deprecated": "deprecate", "deprecates": "deprecate", "deprecating": "deprecate",
              "renamed": "rename", "renames": "rename", "renaming": "rename", "migrated": "migrate",
              "migrates": "migrate", "migrating": "migrate", "handled": "handle", "handles": "handle",
              "handling": "handle", "pinned": "pin", "pins": "pin", "pinning": "pin", "cleaned": "clean",
              "cleans": "clean", "cleaning": "clean", "moves": "move", "moving": "move", "reduced": "reduce",
              "reduces": "reduce", "reducing": "reduce", "changed": "change", "changes": "change",
              "changing": "change", "ensured": "ensure", "ensures": "ensure", "ensuring": "ensure",
              "re-enabled": "re-enable", "re-enables": "re-enable", "switched": "switch", "switches": "switch",
              "switching": "switch", "dropped": "drop", "drops": "drop", "dropping": "drop"}
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_TOKEN_RE = re.compile(r"`[^`]{1,80}`|(?<!\S)/[\w.-]+(?:/[\w.-]*)+|(?<!\S)\.[A-Za-z_][\w.-]*[\w]|(?<!\S)\.[A-Za-z_]|&&|\"[^\"]{1,80}\"|(?<!\S)/[A-Za-z][\w-]*|#\d{1,15}\b|@[\w-]+|->|→|[<>=!~]=?|(?<=\s)-(?=\s)|(?:--?)?[A-Za-z0-9_][\w.+#/*:@=<>~'-]*[\w+#*%/](?:\(\))?|[A-Za-z0-9%]|[,;()&/+]"
                       r"|(?<=[\w)])[.:](?=\s|$)")
_CONVENTIONAL_RE = re.compile(r"^(feat|fix|docs?|chore|refactor|perf|test|ci|build|style)(\([^)]{1,40}\))?!?:\s*", re.I)
_CONTEXT_RE = re.compile(r"^([A-Za-z][\w./+-]*(?:[ -][\w./+-]+){0,3}):\s+(?=\w)")
# "2/N", "[3/N]", "(1/2)", "Part 2:" open a PR of a series; the Chinese says what it does.
_SERIES_RE = re.compile(r"^(?:[\[(]?\d+\s*/\s*(?:\d+|n)[\])]?|part\s+\d+)\s*[:.-]?\s*|\s*[\[(]\d+\s*/\s*(?:\d+|n)[\])]\s*$",
                        re.I)


@dataclass
class Rewrite:
    """A title in Chinese, or why it is not one: `fitted` is False when no rule reads the title
    (the report then shows the cleaned English title beside the area)."""
    text: str
    fitted: bool
    unknown: list[str] = field(default_factory=list)  # English words kept that are neither names nor identifiers


@functools.lru_cache(maxsize=1)
def base_glossary() -> tuple[dict[str, str], dict[str, str]]:
    # libyaml when present: the pure-Python loader takes ~45 ms of a fresh report for this file.
    doc = yaml.load(GLOSSARY_PATH.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    def text(v) -> str:  # "" drops the word; a number (`10: 十`) stays text
        return "" if v is None else str(v)

    return ({str(k).lower(): text(v) for k, v in doc["verbs"].items()},
            {str(k).lower(): text(v) for k, v in doc["nouns"].items()})


@functools.lru_cache(maxsize=64)
def _glossary(extra: tuple[tuple[str, str], ...]) -> tuple[dict[str, str], dict[str, str], int]:
    verbs, nouns = base_glossary()
    nouns = {**nouns, **{k.lower(): v for k, v in extra}}
    longest = max(len(k.split()) for k in nouns)
    return verbs, nouns, longest


def is_identifier(tok: str) -> bool:
    """A token a Chinese sentence keeps as written: code, a name, an acronym, a number or version,
    a path or flag (`defer_loading`, FlashInfer, MXFP4, MI300X, 2.11, --max-model-len)."""
    if tok.startswith(("`", "-", '"')):
        return True
    if any(c.isdigit() for c in tok) or any(c in tok for c in "_/.:=<>#@*+()"):
        return True
    letters = [c for c in tok if c.isalpha()]
    if not letters:
        return True
    if any(c.isupper() for c in letters[1:]):  # FlashInfer, MoE, APIs, vLLM
        return True
    return letters[0].isupper()  # a name: Anthropic, Blackwell (sentence-initial words are verbs, read before this)


def _plural_acronym(tok: str) -> str:
    """APIs -> API, GPUs -> GPU: Chinese has no plural."""
    return tok[:-1] if len(tok) > 2 and tok.endswith("s") and tok[:-1].isupper() else tok


def join_zh(parts: list[str]) -> str:
    """Chinese and Latin pieces with a space where the script changes, none between Chinese
    characters (as the report's Chinese sentences are spaced)."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and not (_CJK.match(out[-1]) and _CJK.match(p[0])) and out[-1] not in "（(、，" and p[0] not in "）)、，：（":
            out += " "
        out += p
    return out


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def _lemma(word: str) -> str:
    """An inflected English verb's base form, by the usual endings ("passing" -> "pass",
    "converting" -> "convert", "enabled" -> "enable")."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    for suffix, repl in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            base = w[: -len(suffix)] + repl
            if base in _base_verbs():
                return base
    if w.endswith(("ing", "ed")) and len(w) > 5 and w[-4] == w[-5]:  # "skipping", "pinned"
        stem = w[:-4] if w.endswith("ing") else w[:-3]
        if stem in _base_verbs():
            return stem
    return w


@functools.lru_cache(maxsize=1)
def _base_verbs() -> frozenset:
    return frozenset(base_glossary()[0])


def _verb(word: str, verbs: dict[str, str]) -> str | None:
    w = word.lower()
    if w in verbs:
        return w
    w = _lemma(w)
    return w if w in verbs else None


# Verbs whose place phrases name where the problem is: "Fix a race in the scheduler" is
# "修复调度器中的竞争", not "在调度器中修复竞争".
FIX_VERBS = frozenset({"fix", "avoid", "handle", "guard", "prevent", "resolve", "address", "patch", "correct",
                       "harden", "stabilize", "skip", "bypass", "reject", "catch", "suppress", "silence"})
# Verbs that repair a problem: "Fix a crash due to X" is a crash X causes; "Skip X due to Y" is why.
REPAIR_VERBS = frozenset({"fix", "resolve", "address", "patch", "correct", "handle", "avoid", "prevent", "guard",
                          "harden", "stabilize", "catch", "mitigate", "workaround"})
# Verbs whose "with Y" is a partner: "Align X with Y" -> "将 X 与 Y 对齐".
WITH_VERBS = frozenset({"align", "merge", "combine", "sync", "synchronize", "unify", "share", "match", "fuse",
                        "integrate", "overlap", "consolidate"})
# Verbs with a destination: "to Y" / "into Y" / "with Y" is where the object goes, not a purpose.
TO_VERBS = {"bump": "升级到", "upgrade": "升级到", "update": "更新到", "downgrade": "降级到", "pin": "固定到",
            "increase": "增大到", "decrease": "减小到", "lower": "降低到", "raise": "提高到", "set": "设置为",
            "limit": "限制为", "restrict": "限制为", "reduce": "减少到", "move": "迁移到", "migrate": "迁移到",
            "port": "移植到", "relocate": "迁移到", "convert": "转换为", "rename": "重命名为", "switch": "切换为",
            "change": "改为", "split": "拆分为", "fold": "合并到", "merge": "合并到", "integrate": "集成到",
            "extend": "扩展到", "expand": "扩展到", "add": "添加到", "upstream": "上游化到", "pass": "传递给",
            "propagate": "传递给", "default": "默认为", "adapt": "适配", "factor out": "抽取到", "extract": "提取到",
            "refactor": "重构为", "export": "导出到", "send": "发送到", "forward": "转发到", "copy": "复制到",
            "write": "写入", "save": "保存到", "log": "记录到", "route": "路由到", "dispatch": "分发到"}
MULTIWORD_VERBS = {"account for": "account for", "fix up": "fix", "split up": "split", "clean up": "cleanup", "set up": "set", "speed up": "speed up",
                   "fall back": "fall back", "wire up": "integrate", "hook up": "integrate", "break up": "split",
                   "get rid of": "remove", "make sure": "ensure", "turn on": "enable", "turn off": "disable",
                   "opt in": "enable", "opt out": "disable"}
GERUND_VERBS = frozenset({"continue", "keep", "finish", "allow", "avoid", "support", "enable", "disable", "skip", "prevent", "stop", "start",
                          "fix", "ensure", "improve", "optimize", "speed up", "add", "handle", "remove", "deprecate"})
# Verbs whose "as Y" is what the object becomes: "Treat X as Y" -> "将 X 视为 Y".
AS_VERBS = {"treat": "视为", "use": "用作", "set": "设置为", "mark": "标记为", "register": "注册为", "expose": "暴露为",
            "reuse": "复用为", "report": "报告为", "define": "定义为", "keep": "保留为", "rename": "重命名为"}
# Two words the frame reads wherever they stand ("Enable X by default", "Use X instead of Y").
FRAME_PHRASES = frozenset({"by default", "instead of", "as default"})
# Prepositions of two words, read as one: "a crash caused by X" -> "由 X 导致的崩溃".
MULTIWORD_PREPS = frozenset({"caused by", "due to", "related to", "leading to", "because of", "according to",
                             "based on", "compatible with", "together with", "along with", "in favor", "prior to"})
# "Make X <adjective>": what the object becomes ("Make JAIS compatible with Transformers v5").
MAKE_ADJECTIVES = {"compatible": "兼容", "optional": "可选", "configurable": "可配置", "deterministic": "确定",
                   "faster": "更快", "robust": "更健壮", "simpler": "更简单", "consistent": "一致", "async": "异步",
                   "lazy": "惰性加载", "public": "公开", "private": "私有", "thread-safe": "线程安全",
                   "non-blocking": "非阻塞", "work": "正常工作", "pass": "通过", "available": "可用", "usable": "可用",
                   "mandatory": "必填", "required": "必需", "explicit": "显式", "private.": "私有",
                   "clearer": "更清晰", "safer": "更安全", "smaller": "更小", "cheaper": "开销更低",
                   "importable": "可导入", "serializable": "可序列化", "pickleable": "可 pickle",
                   "picklable": "可 pickle", "default": "默认", "accessible": "可访问", "visible": "可见",
                   "reusable": "可复用", "extensible": "可扩展", "generic": "通用", "static": "静态",
                   "dynamic": "动态", "quiet": "安静", "less verbose": "更简洁"}
# Verbs whose Chinese would mislead as a noun ("vllm serve" is a command, "make" a build tool).
NOT_NOUNS = frozenset({"serve", "make", "set", "use", "add", "fix", "support", "update", "log", "pass", "run", "get",
                       "take", "work", "load", "read", "write", "land", "push", "pull", "print", "show", "hide", "bisect"})
BUILD_TAGS = frozenset({"ci", "build", "cibuild", "docker", "nightly", "image", "release", "infra", "ciut"})
IMAGE_AS_CONTAINER = {"image": "镜像", "images": "镜像", "image build": "镜像构建"}
# Objects that are documents: "Fix the guide with available commands" adds them, it is not a bug "when using" them.
DOC_HEADS = frozenset({"guide", "guides", "doc", "docs", "documentation", "readme", "tutorial", "tutorials", "example",
                       "examples", "faq", "notes", "instructions"})
# Verbs that start a second clause after "and" even when they are nouns too ("Fix X and update Y");
# any other noun-verb word after "and" joins the object ("build and release workflow").
CLAUSE_VERBS = frozenset({"set", "add", "remove", "fix", "use", "enable", "disable", "rename", "move", "refactor", "skip",
                          "avoid", "introduce", "implement", "clean", "cleanup", "bump", "upgrade", "deprecate",
                          "replace", "drop", "delete", "apply", "make", "allow", "simplify", "optimize", "improve",
                          "update", "support", "restore", "revert", "align", "unify", "split", "merge", "expose",
                          "adapt", "reduce", "increase", "handle", "ensure", "validate", "check", "document",
                          "change", "correct", "wrap", "extend", "expand"})
DOC_NOUN_HEADS = frozenset({"revision", "revisions", "update", "updates", "template", "templates", "structure",
                            "format", "style", "fix", "fixes", "improvement", "improvements", "change", "changes"})
# Words in -ly that are not adverbs: "Nightly test for X" is a noun phrase.
LY_ADJECTIVES = frozenset({"nightly", "weekly", "daily", "monthly", "hourly", "yearly", "friendly", "family",
                           "assembly", "supply", "reply", "anomaly", "apply", "multiply", "italy", "july"})
_SENTENCE_SEPS = frozenset({".", ";", ":", "-"})


class _NP:
    """Translates a noun phrase word by word (compounds read the same way in both languages:
    "per-token fp8 group quant packed kernel" -> "逐 token fp8 分组量化打包 kernel")."""

    def __init__(self, nouns: dict[str, str], verbs: dict[str, str], longest: int, title_case: bool = False):
        self.nouns, self.verbs, self.longest = nouns, verbs, longest
        self.title_case = title_case  # "CPU Paged Attention Implementation": capitals are not names here
        self.unknown: list[str] = []

    def __call__(self, toks: list[str]) -> str:
        toks = [t for t in toks if t not in (".",)]
        if not toks:
            return ""
        low = [t.lower() for t in toks]
        if len(toks) > 1 and (low[-1] == "only" or low[0] == "only"):  # "Decode nodes only" -> "仅 Decode 节点"
            rest = self(toks[:-1] if low[-1] == "only" else toks[1:])
            return join_zh(["仅", rest]) if rest else ""
        if "of" in low[1:-1]:  # "X of Y" -> "Y 的 X"
            i = low.index("of", 1)
            head, tail = self(toks[:i]), self(toks[i + 1:])
            return join_zh([tail, "的", head]) if head and tail else head or tail
        parts, i = [], 0
        while i < len(toks):
            tok = toks[i]
            if tok in (",", ";"):
                parts.append("、")
                i += 1
                continue
            if tok == "/":
                parts.append("\x00/\x00")  # joined to its neighbours below, without spaces
                i += 1
                continue
            if low[i] in ("and", "&", "&&", "or", "+"):
                parts.append("与" if low[i] != "or" else "或")
                i += 1
                continue
            if tok in ("(", ")"):
                parts.append("（" if tok == "(" else "）")
                i += 1
                continue
            if low[i] == "based" and parts and i + 1 < len(toks):  # "encoder based models" -> "基于编码器的模型"
                parts[-1] = join_zh(["基于", parts[-1], "的"])
                i += 1
                continue
            if low[i].endswith("'s") and len(tok) > 2:  # "kernel's performance" -> "kernel 的性能"
                parts.append(self([tok[:-2]]))
                parts.append("的")
                i += 1
                continue
            hit = None
            for n in range(min(self.longest, len(toks) - i), 0, -1):
                key = " ".join(low[i:i + n])
                if key in self.nouns and not tok.startswith("`"):
                    hit = (n, self.nouns[key])
                    break
            # A mixed-case name (FlashInfer, MoE) is kept as written even when a word of the
            # glossary spells the same letters.
            name = _mixed_case(tok) or (not self.title_case and tok[:1].isupper() and tok[1:].islower()) or (
                len(tok) > 1 and tok.isupper() and hit is not None and not hit[1].isascii())  # "ALL": a value
            if hit and hit[1] == "=":  # a name the glossary knows: kept as the title spells it
                parts.append(" ".join(toks[i:i + hit[0]]))
                i += hit[0]
                continue
            if hit and not (hit[0] == 1 and name):
                if hit[0] == 1 and hit[1] == low[i] and tok[:1].isupper() and tok[1:].islower():
                    parts.append(tok)  # a lower-case spelling says nothing of case: "Matmul" stays ("Allreduce" -> AllReduce)
                elif hit[1]:
                    parts.append(hit[1])
                i += hit[0]
                continue
            if not hit and low[i].endswith("s") and low[i][:-1] in self.nouns and not _mixed_case(tok) and tok.islower():
                parts.append(self.nouns[low[i][:-1]])  # "caches" -> 缓存: Chinese has no plural
                i += 1
                continue
            if is_identifier(tok) and not (low[i] in self.nouns and self.title_case and not _mixed_case(tok)):
                parts.append(_plural_acronym(tok))
            elif low[i] in SKIP_WORDS:
                pass
            elif low[i].endswith("ing") and _lemma(low[i]) in self.verbs and low[i] != _lemma(low[i]):  # "passing" -> 传递
                parts.append(self.verbs[_lemma(low[i])])
            elif low[i] in self.verbs and low[i] not in NOT_NOUNS and " " not in low[i]:
                parts.append(self.verbs[low[i]])  # a verb used as a noun: "return type" -> 返回类型
            else:
                parts.append(tok)
                self.unknown.append(tok)
            i += 1
        text = re.sub(r"\s*\x00/\x00\s*", "/", join_zh(parts))
        return re.sub(r"\s*、\s*", "、", text).strip("、 ")


def _mixed_case(tok: str) -> bool:
    letters = [c for c in tok if c.isalpha()]
    return len(letters) > 1 and any(c.isupper() for c in letters[1:]) and any(c.islower() for c in letters)


def _split_modifiers(toks: list[str], allow_leading: bool = False) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The object and its prepositional phrases, in order: "X for Y on Z" -> X, [(for, Y), (on, Z)]."""
    obj: list[str] = []
    mods: list[tuple[str, list[str]]] = []
    cur = obj
    i = 0
    depth = 0
    while i < len(toks):
        w = toks[i].lower() if toks[i] in (toks[i].lower(), toks[i].capitalize()) else toks[i]  # "bY" is a name
        depth += (toks[i] == "(") - (toks[i] == ")")
        if depth > 0 or toks[i] == ")":  # a parenthesis stays whole: "(only for w8a8 branch)"
            cur.append(toks[i])
            i += 1
            continue
        two = f"{w} {toks[i + 1].lower()}" if i + 1 < len(toks) else ""
        if two in FRAME_PHRASES or two in MULTIWORD_PREPS and (obj or mods):
            prep, n = two, 2
        elif w == "between" and (obj or mods):
            prep, n = w, 1
        elif w in PREPOSITIONS and w != "of" and (obj or mods or allow_leading):
            prep, n = w, 1
        else:
            cur.append(toks[i])
            i += 1
            continue
        mods.append((prep, []))
        cur = mods[-1][1]
        i += n
    return obj, mods


def _platform(toks: list[str]) -> str | None:
    """The platform a phrase names alone ("ROCm", "Blackwell", "AMD GPUs"), as the tags spell it."""
    words = [t for t in toks if t.lower() not in SKIP_WORDS]
    if not words or len(words) > 3:
        return None
    key = words[0].lower()
    if key in PLATFORM_TAGS and all(w.lower() in PLATFORM_TAGS or w.lower() in ("gpu", "gpus", "npu", "npus", "devices")
                                    for w in words[1:]):
        return " ".join(PLATFORM_TAGS[w.lower()] if w.lower() in PLATFORM_TAGS else _plural_acronym(w.upper())
                        for w in words if w.lower() != "devices")
    return None


def _clause(toks: list[str], verbs: dict[str, str], np: _NP) -> tuple[list[str], str] | None:
    """One verb phrase in Chinese: (the phrases that lead it, the phrase), or None when it is not
    one the frame reads."""
    if not toks:
        return None
    if toks[0].lower() == "only" and len(toks) > 1:  # "Only depend on X for Y" -> "仅……"
        inner = _clause(toks[1:], verbs, np)
        return None if inner is None else (inner[0], "仅" + inner[1]) if not inner[0] else (
            ["仅" + inner[0][0]] + inner[0][1:], inner[1])
    if _adverb_lead(toks, verbs):  # "Properly handle X" -> "正确地处理 X"; an adverb the glossary lacks: no reading
        inner = _clause(toks[1:], verbs, np) if toks[0].lower() in np.nouns else None
        return None if inner is None else (inner[0], join_zh([np.nouns[toks[0].lower()], inner[1]]))
    negated = False
    low0 = toks[0].lower()
    if low0 in ("don't", "dont", "never") or (len(toks) > 1 and low0 == "do" and toks[1].lower() == "not"):
        negated = True
        toks = toks[2:] if low0 == "do" else toks[1:]
    if not toks:
        return None
    verb, rest = None, toks
    for n in (3, 2):
        phrase = " ".join(t.lower() for t in toks[:n])
        if len(toks) >= n and phrase in MULTIWORD_VERBS:
            verb, rest = MULTIWORD_VERBS[phrase], toks[n:]
            break
    if verb is None and len(toks) > 1 and f"{toks[0].lower()} {toks[1].lower()}" in verbs:
        verb, rest = f"{toks[0].lower()} {toks[1].lower()}", toks[2:]  # "factor out", "free up"
    if verb is None:
        verb = _verb(toks[0], verbs)
        rest = toks[1:]
    if verb is None or verb not in verbs:
        return None
    if verb == "document" and len(toks) > 1 and toks[1].lower() in DOC_NOUN_HEADS:
        return None  # "Document revision and ...": a noun phrase, not "document the revision"
    low_rest = [t.lower() for t in rest]
    if low_rest and (low_rest[0] in ("how", "what", "why", "whether", "which")
                     or low_rest[0] == "if" and verb in ("check", "verify", "validate", "test", "determine", "detect")):
        return None  # "Document how to use X": a clause as the object, no slot for it
    cut = next((k for k, t in enumerate(low_rest) if t in ("when", "if", "while", "unless")), len(rest))
    if any(t in CLAUSE_WORDS for t in low_rest[:cut]):  # "is" is for a when-clause only (_phrase reads it)
        return None
    if rest and verb in GERUND_VERBS and _lemma(rest[0]) != rest[0].lower() and _verb(rest[0], verbs) \
            and rest[0].lower().endswith("ing") and not (len(rest) > 1 and rest[1].lower() == "of"):
        # "Allow converting X into Y", "Avoid mutating X in Y": the gerund's clause is the object
        inner = _clause([_lemma(rest[0])] + rest[1:], verbs, np)
        if inner is None:
            return None
        zh = ("不" if negated else "") + verbs[verb]
        return inner[0], join_zh([zh, inner[1]])
    if rest and rest[-1].lower() == "back" and verb in ("add", "bring", "move", "put", "turn"):
        rest = rest[:-1]  # "Add rule X back" -> "重新新增 X"
        verb = "re-add" if verb == "add" else verb
    if verb in FIX_VERBS and rest and rest[0].lower() == "for":
        rest = rest[1:]  # "fix for lint CI": the thing fixed
    if verb == "support" and rest and rest[0].lower() == "for":
        rest = rest[1:]  # "Support for X": the noun, read as the verb
    instead = bool(rest) and rest[-1].lower() == "instead"
    if instead:
        rest = rest[:-1]
    obj, mods = _split_modifiers(rest, allow_leading=True)
    if obj and obj[-1] == ",":
        obj = obj[:-1]
    for j, (prep, words) in enumerate(mods):
        if prep in ("when", "if", "while", "unless") and j + 1 < len(mods):
            rest_words = list(words)  # "when Ray fails to allocate X": the clause takes the rest
            for p, w in mods[j + 1:]:
                rest_words += [p] + w
            mods = mods[:j] + [(prep, rest_words)]
            break
    only_first = bool(obj) and obj[-1].lower() == "only" and bool(mods)
    if only_first:  # "allocate X only for Y": the "only" limits the phrase after it
        obj = obj[:-1]
    for j, (prep, words) in enumerate(mods):
        if prep == "to" and words and _verb(words[0], verbs) == words[0].lower() and not _adjective(words, np) and (
                verb not in TO_VERBS or words[0].lower() not in np.nouns or len(words) > 1
                or any(p in ("to", "into") for p, _ in mods[:j])):
            # A purpose takes the rest of the title: "Add X to prevent Y from Z" -> "，以防止 ..."
            rest_words = list(words)
            for p, w in mods[j + 1:]:
                rest_words += [p] + w
            mods = mods[:j] + [("to", rest_words)]
            break
    before: list[str] = []
    after: list[str] = []
    of_obj: list[str] = []  # where the problem is, for the fix verbs: "修复 {调度器中的} 竞争"
    default = False
    target = None
    source = ""
    for prep, words in mods:
        if prep == "by default" and words:
            return None  # words after "by default" with no preposition: no slot for them
        if prep in ("by default", "as default"):
            default = prep == "by default"
            if prep == "as default":
                after.append("作为默认选项" if not words else join_zh(["作为默认", np(words)]))
            continue
        if not words:
            return None
        plat = _platform(words)
        if prep in ("on", "for", "across", "with") and plat and not (prep == "with" and verb in WITH_VERBS):
            before.append(f"{plat} 上")  # ("align X with CPU": a partner, not a place)
            continue
        if prep == "to" and _verb(words[0], verbs) == words[0].lower() and not _adjective(words, np) and (
                target or verb not in TO_VERBS or words[0].lower() not in np.nouns or len(words) > 1):
            # "Add X to prevent Y", "Bump X to 13.0 to match Y": a purpose, "，以防止 Y"
            inner = _clause(words, verbs, np)
            if inner is None:
                return None
            after.append("，以" + join_zh(inner[0] + [inner[1]]))
            continue
        if prep == "to" and words[0].isalpha() and words[0].islower() and words[0] not in np.nouns:
            return None  # "to take effect": a verb the glossary does not know, not a destination
        phrase = (_phrase(words, verbs, np) if prep in ("when", "if", "while", "unless")
                  or prep == "by" and words[0].lower().endswith("ing") else np(words))
        if not phrase:
            return None
        if prep in ("to", "into") and verb in TO_VERBS and not target and any(w.lower() in ("and", "&") for w in words):
            return None  # "Upgrade Mooncake to 0.3.9 and Image Misc": where the destination ends is a guess
        if prep in ("to", "into") and verb in TO_VERBS and not target:
            target = TO_VERBS[verb] if verb != "add" or prep == "to" else "添加到"
            target = (target, phrase)
        elif prep == "with" and verb == "replace":
            target = ("with", phrase)
        elif prep == "with" and verb in WITH_VERBS:
            target = ("partner", phrase)

        elif prep == "from" and verb in ("decouple", "separate", "detach", "isolate", "distinguish"):
            target = ("partner", phrase)  # "Decouple X from Y" -> "将 X 与 Y 解耦"
        elif prep == "from" and verb in TO_VERBS and any(p in ("to", "into") for p, _ in mods):
            source = phrase  # "Bump X from 7 to 8" -> "将 X 从 7 升级到 8"
        elif prep == "from" and verb in ("remove", "drop", "delete", "extract", "split", "decouple", "exclude"):
            before.append(join_zh(["从", phrase, "中"]))
        elif prep == "from":
            before.append(join_zh(["从", phrase]))
        elif prep == "with" and obj and obj[-1].lower() in DOC_HEADS:
            after.append("（" + join_zh(["补充", phrase]) + "）")  # "Fix the guide with available commands"
        elif verb in FIX_VERBS and prep in ("in", "inside", "within", "on", "for", "at", "with", "when", "during",
                                            "while", "after", "under", "across", "into"):
            of_obj.append({"in": join_zh([phrase, "中的"]), "inside": join_zh([phrase, "中的"]),
                           "within": join_zh([phrase, "中的"]), "into": join_zh([phrase, "中的"]),
                           "on": join_zh([phrase, "上的"]), "at": join_zh([phrase, "处的"]),
                           "for": join_zh([phrase, "的"]), "across": join_zh([phrase, "间的"]),
                           "with": join_zh(["使用", phrase, "时的"]), "when": join_zh([phrase, "时的"]),
                           "during": join_zh([phrase, "期间的"]), "while": join_zh([phrase, "时的"]),
                           "after": join_zh([phrase, "之后的"]), "under": join_zh([phrase, "下的"])}[prep])
        elif prep == "for":
            before.append(join_zh(["为", phrase]))
        elif prep == "on":
            before.append(join_zh(["在", phrase, "上"]))
        elif prep == "at":
            before.append(join_zh(["在", phrase]))
        elif prep == "by" and obj and obj[-1].lower().endswith("ed") and not words[0].lower().endswith("ing"):
            return None  # "scenarios supported by DCP": an agent, not a manner; no rule for it
        elif prep == "by" and words[0].lower().endswith("ing") and _verb(words[0], verbs):
            before.append(join_zh(["通过", phrase]))  # "by selecting X" -> "通过选择 X"
        elif prep == "by":
            before.append(join_zh(["按", phrase]))
        elif prep in ("in", "inside", "within", "into"):
            before.append(join_zh(["在", phrase, "中"]))
        elif prep in ("using", "via"):
            before.append(join_zh(["通过" if prep == "via" else "使用", phrase]))
        elif prep == "with":
            after.append("（" + join_zh(["配合", phrase]) + "）")
        elif prep in ("when", "if", "while", "during"):
            before.append(join_zh([phrase, "时"]))
        elif prep in ("after", "before"):
            before.append(join_zh([phrase, "之后" if prep == "after" else "之前"]))
        elif prep == "without":
            after.append("（" + join_zh(["不依赖", phrase]) + "）")
        elif prep == "under":
            before.append(join_zh(["在", phrase, "下"]))
        elif prep == "as" and verb in AS_VERBS and not target:
            target = (AS_VERBS[verb], phrase)
        elif prep == "as":
            after.append(join_zh(["作为", phrase]))
        elif prep in ("about", "regarding"):
            of_obj.append(join_zh(["关于", phrase, "的"]))
        elif prep in ("due to", "because of") and verb not in REPAIR_VERBS:
            before.append(join_zh(["因", phrase]))  # "Skip X due to Y": why it is skipped, "因 Y 跳过 X"
        elif prep in ("caused by", "leading to", "because of", "due to", "related to", "between", "based on",
                      "compatible with", "according to", "prior to", "causing"):
            of_obj.append({"caused by": join_zh(["由", phrase, "导致的"]), "leading to": join_zh(["导致", phrase, "的"]),
                           "because of": join_zh(["由", phrase, "导致的"]), "due to": join_zh(["由", phrase, "导致的"]),
                           "related to": join_zh(["与", phrase, "相关的"]), "between": join_zh([phrase, "之间的"]),
                           "based on": join_zh(["基于", phrase, "的"]), "causing": join_zh(["导致", phrase, "的"]), "compatible with": join_zh(["兼容", phrase, "的"]),
                           "according to": join_zh(["按", phrase]), "prior to": join_zh([phrase, "之前的"])}[prep])
        elif prep in ("together with", "along with"):
            after.append("，" + join_zh(["连同", phrase]))
        elif prep == "instead of":
            after.append("，" + join_zh(["替代", phrase]))
        else:
            return None
    if only_first:
        for lst in (before, of_obj, after):
            if lst:
                lst[0] = "仅" + lst[0].lstrip("，")
                break
        else:
            return None
    zh_verb = verbs[verb]
    if verb == "release" and not any(t.lower() in ("memory", "buffer", "buffers", "lock", "resources", "cache", "handle",
                                                      "handles", "gil", "blocks") for t in obj):
        zh_verb = "发布"  # "release workflow" is a publishing one; memory is what gets 释放
    if verb == "save" and any(t.lower() in ("memory", "time", "cost", "bandwidth", "space") for t in obj):
        zh_verb = "节省"  # "save memory", not "保存内存"
    if instead and verb == "use":
        zh_verb = "改用"
    if negated:
        zh_verb = "不" + zh_verb
    if default:
        zh_verb = "默认" + zh_verb
    low = [t.lower() for t in obj]
    if verb == "make":
        made = _make_frame(obj, mods, after, np)
        if made is None:
            return None  # "Make X work with Y": a small clause, not a frame
        core, after = made
        return before, join_zh([core] + after).replace(" ，以", "，以")
    if obj and obj[-1].lower() in ("failed", "fails", "crashed", "crashes", "hangs", "hung", "broken") and \
            verb not in REPAIR_VERBS:
        return None  # "Get mamba cached block failed": the title states a failure, not the verb's object
    of_obj.sort(key=lambda p: not p.endswith("时的"))  # the condition first: "X 为零时 Y 的错误"
    obj_zh = join_zh(of_obj + [np(obj)]) if of_obj else np(obj)
    obj_zh = obj_zh.replace("的的", "的")
    if obj_zh.endswith("的") and not target:
        return None  # "fix wrong using X": an adjective with no noun after it
    if verb == "add" and low == ["support"] and mods and mods[0][0] == "for" and not _platform(mods[0][1]):
        # "Add support for X" -> "新增 X 支持" (the "for" phrase is the object, not a purpose)
        before = [b for b in before if b != join_zh(["为", np(mods[0][1])])]
        core = join_zh([zh_verb, np(mods[0][1]), "支持"])
    elif low == ["support"] and mods and mods[0][0] == "for" and not _platform(mods[0][1]):
        # "Deprecate support for X" -> "弃用对 X 的支持"
        before = [b for b in before if b != join_zh(["为", np(mods[0][1])])]
        core = join_zh([zh_verb + "对", np(mods[0][1]), "的支持"])
    elif target and target[0] == "with":
        core = join_zh(["用", target[1], "替换", obj_zh])
    elif target and target[0] == "partner":
        core = join_zh(["将", obj_zh, "与", target[1], zh_verb])
    elif target:
        src = ["从", source] if source else []
        core = join_zh(["将", obj_zh, *src, target[0], target[1]]) if obj_zh else join_zh([*src, target[0], target[1]])
    elif not obj_zh and not (before or after):
        return None
    elif verb == "document" and not negated and not default:
        # "Document NVFP4 GEMM" -> "为 NVFP4 GEMM 补充文档"; "补充 X 的文档" when a "为" phrase leads already
        core = join_zh(["补充", obj_zh, "的文档"] if any(b.startswith("为") for b in before) else ["为", obj_zh, "补充文档"])
    else:
        core = join_zh([zh_verb, obj_zh])
    before.sort(key=lambda b: not b.endswith(" 上") or b.startswith(("在", "为")))  # the platform leads
    return before, join_zh([core] + after).replace(" ，以", "，以")


def _segments(toks: list[str], verbs: dict[str, str], nouns: dict[str, str]) -> list[list[str]]:
    """The title's parts: sentences, comma parts, and "and" before a verb ("Fix X and add Y")."""
    out, cur, depth = [], [], 0
    for i, t in enumerate(toks):
        depth += (t == "(") - (t == ")")
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if depth == 0 and t in _SENTENCE_SEPS:
            if cur:
                out.append(cur)
            cur = []
            continue
        after_nxt = toks[i + 2].lower() if i + 2 < len(toks) else ""
        noun_reading = (nxt.lower() in nouns and (after_nxt in PREPOSITIONS or not after_nxt)  # "reshape and cache in X"
                        or f"{nxt.lower()} {after_nxt}" in nouns and f"{nxt.lower()} {after_nxt}" not in verbs
                        and f"{nxt.lower()} {after_nxt}" not in MULTIWORD_VERBS  # "release note & support matrix"
                        or nxt.lower().endswith("ing") and after_nxt.endswith("s") and after_nxt in nouns  # "serving commands"
                        or nxt.lower() in nouns and nxt.lower() not in CLAUSE_VERBS)  # "wheel build and release workflow"
        if depth == 0 and cur and t == "&" and nxt[:1].isupper() and not _verb(nxt, verbs):
            out.append(cur)
            cur = [","]  # "Avoid X & Minor code cleaning": a second item, not the object's
            continue
        past = nxt.lower().endswith("ed") and _verb(nxt, verbs) in CLAUSE_VERBS and bool(cur) and \
            cur[0].lower().endswith("ed")  # "Added X and fixed Y" (not "add X and optimized configs")
        if depth == 0 and cur and (t == "," or t.lower() in ("and", "&", "&&", "+")) and _verb(nxt, verbs) and \
                (nxt.lower() in verbs or nxt.lower().endswith("ing") or past) and not noun_reading and \
                not (t == "+" and after_nxt in PREPOSITIONS):  # "dispatch + FFN + combine into one kernel"
            out.append(cur)
            cur = []
            continue
        if depth == 0 and cur and t == "," and _names_run(toks[i + 1:]):
            cur.append(t)  # "for Qwen3.5, Qwen3-Next": a list of names, not a new part
            continue
        if depth == 0 and cur and t == "," and not _verb(nxt, verbs):
            out.append(cur)
            cur = [","]  # an appositive: "..., 2.1% E2E latency improvement"
            continue
        cur.append(t)
    if cur:
        out.append(cur)
    return out


def _adverb_lead(toks: list[str], verbs: dict[str, str]) -> bool:
    """An adverb before the verb ("Gracefully handle X"), which no other reading may take for a name."""
    low = toks[0].lower()
    return len(toks) > 1 and len(low) > 4 and low.endswith("ly") and low not in LY_ADJECTIVES and low.isalpha() and not _verb(low, verbs) \
        and _verb(toks[1], verbs) is not None


def _ambiguous_and(toks: list[str], verbs: dict[str, str], nouns: dict[str, str]) -> bool:
    """"X and W Y" where W is a verb and a noun alike and nothing in the words around it decides:
    "build and release workflow" (a noun) reads like "fix tight loop and release GIL" (a verb).
    Either reading may be wrong, so the title is not read (the report shows it in English)."""
    for i, t in enumerate(toks[:-2]):
        if t.lower() not in ("and", "&", "+"):
            continue
        nxt, after = toks[i + 1].lower(), toks[i + 2].lower()
        if nxt in CLAUSE_VERBS or nxt not in nouns or _verb(nxt, verbs) != nxt or after in PREPOSITIONS \
                or f"{nxt} {after}" in nouns or nxt.endswith("ing") or after in (",", "(", ")", "&", "and"):
            continue
        return True
    return False


def _drops_text(text: str) -> bool:
    """Whether the tokens leave out more than spaces and punctuation: a "." counts as punctuation
    only where it ends a sentence (before a space or the end), never inside a name."""
    pos = 0
    for m in list(_TOKEN_RE.finditer(text)) + [None]:
        gap_end = m.start() if m else len(text)
        for k in range(pos, gap_end):
            ch = text[k]
            if ch.isspace() or ch in ",;:!?\"'()[]{}“”‘’":
                continue
            if ch == "." and (k + 1 == len(text) or text[k + 1].isspace()):
                continue
            return True
        pos = m.end() if m else pos
    return False


def _names_run(toks: list[str]) -> bool:
    """Whether the tokens up to the next comma, preposition or sentence end are only names and
    identifiers ("X, `b` and `c` for Y": a list)."""
    run = []
    for t in toks:
        if t in (",", ".", ";", ":") or t.lower() in PREPOSITIONS:
            break
        run.append(t)
    return 0 < len(run) <= 4 and all(is_identifier(t) or t.lower() in ("and", "&") for t in run) and \
        any(any(c.isdigit() or c.isupper() or c in "`_" for c in t) for t in run)


def rewrite(title: str, glossary: dict[str, str] | None = None) -> Rewrite:
    """The title in Chinese, with every identifier, name and number kept as written."""
    tags = {re.sub(r"[^a-z]+", "", t.lower()) for t in raw_prefix_tags(title)}
    if tags & BUILD_TAGS or re.search(r"\b(docker|dockerfile|container|nightly|wheel)\b", title, re.I):
        glossary = {**IMAGE_AS_CONTAINER, **(glossary or {})}  # a CI "image" is a container image (镜像)
    verbs, nouns, longest = _glossary(tuple(sorted((glossary or {}).items())))
    title = title.replace("‘", "'").replace("’", "'")  # "mode‘s" is "mode's"
    fix_tag = any(re.sub(r"[^a-z]+", "", t.lower()) in ("bugfix", "fix", "hotfix", "bug") for t in raw_prefix_tags(title))
    text = clean_title(re.sub(r"^\s*(?:【[^】]{1,40}】\s*)+", "", title))
    text = re.sub(r"^\([^)]{1,40}\)\s*:\s*", "", text)  # "[Test](nightly): ..."
    conventional = _CONVENTIONAL_RE.match(text)
    if conventional and conventional.group(1).lower() == "fix":
        fix_tag = True  # "fix: broken test for X"
    text = _CONVENTIONAL_RE.sub("", text)
    text = re.sub(r"\s*\(#\d+\)\s*$", "", text).rstrip(" .")
    text = _SERIES_RE.sub("", text).strip()
    context = []
    for tag in raw_prefix_tags(title):
        key = re.sub(r"[^a-z0-9]+", "", tag.lower())
        name = PLATFORM_TAGS.get(key)
        if name and not re.search(rf"\b{re.escape(name)}\b", text, re.I) and f"{name} 上" not in context:
            context.append(f"{name} 上")
    words = re.findall(r"\b[A-Za-z][a-z]{2,}\b", text)
    np = _NP(nouns, verbs, longest, title_case=len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words))
    revert = re.match(r'^revert\s*:?\s*"(.+?)"?$', text, re.I)
    if revert:  # 'Revert "X"': what is taken back, in Chinese when a rule reads it
        inner = rewrite(revert.group(1), glossary)
        return Rewrite(f"回滚：{inner.text}" if inner.fitted else text, inner.fitted, inner.unknown)
    full = text
    m = _CONTEXT_RE.match(text)
    lead = ""
    if m and not _verb(m.group(1).split()[0], verbs):
        lead, text = m.group(1), text[m.end():]
    toks = _tokens(text)
    if _drops_text(text):
        return Rewrite(full, False)  # a letter, digit or sign ("|") no token holds: never dropped silently
    if len(toks) > 1 and toks[0].lower() == "to" and _verb(toks[1], verbs):
        toks = toks[1:]  # "[10/N] to simplify X": the purpose is the change
    if not toks:
        return Rewrite(full, False)
    if _ambiguous_and(toks, verbs, nouns):
        return Rewrite(full, False)
    pieces: list[str] = []  # Chinese clauses; appositives start with "，"
    heading = ""
    segs = _segments(toks, verbs, nouns)
    verb_segs = [seg for seg in segs if seg[0] != ","]
    if len(verb_segs) > 1 and any(t.lower() in ("when", "if", "unless", "while") for t in verb_segs[-1][1:]):
        # "Skip X and synchronize when Y": does the condition hold for both verbs or the last? A guess either way
        return Rewrite(full, False)
    shared_verb = ""
    if len(segs) > 1 and len(segs[0]) == 1 and _verb(segs[0][0], verbs) and segs[1][0] != ",":
        # "Refactor and consolidate X" -> "重构并整合 X": the first verb shares the second's object
        shared_verb = verbs[_verb(segs[0][0], verbs)]
        segs = segs[1:]
    for i, seg in enumerate(segs):
        if seg[0] == ",":  # an appositive noun phrase
            zh = np(seg[1:])
            if not zh:
                return Rewrite(full, False, np.unknown)
            pieces.append("，" + zh)
            continue
        got = _clause(seg, verbs, np)
        if got is None and _adverb_lead(seg, verbs):
            return Rewrite(full, False, np.unknown)
        if got is None and i == 0:
            got = _subject_clause(seg, verbs, np)  # "Responses API supports X" -> "Responses API 支持 X"
        if got is None and i == 0 and len(segs) > 1 and all(is_identifier(t) or t.lower() in nouns for t in seg):
            heading = np(seg)  # "DeepEPHighThroughtput - Enable X": a name heading the title
            continue
        if got is None and i == 0:
            got = _noun_title(seg, np)  # "Faster per-token fp8 ... kernel for blackwell"
            if got is not None and fix_tag and not re.search(r"修复|性能|fix", got[1], re.I):
                # "[Bugfix] Gemma4 crash" -> "修复 Gemma4 崩溃"; "[Bugfix] Missing X in Y" -> "修复 Y 中的缺失的 X"
                got = ([], join_zh(["修复", *got[0], got[1]]))
        if got is None:
            return Rewrite(full, False, np.unknown)
        before, core = got
        if i == 0 and shared_verb:
            core = shared_verb + "并" + core
        pieces.append(join_zh((context if i == 0 else []) + [b for b in before if b not in context] + [core]))
    clauses = [k for k, p in enumerate(pieces) if not p.startswith("，")]
    zh = ""
    for k, p in enumerate(pieces):
        if k and not p.startswith("，"):
            zh += "，并" if k == clauses[-1] else "，"
        zh += p
    if heading:
        zh = f"{heading}：{zh.lstrip('，并')}"
    if lead:
        zh = f"{np(_tokens(lead))}：{zh}"
    zh = re.sub(r"）（配合\s*", "、", zh)  # "with X with Y": one parenthesis
    words = [t for t in toks if re.fullmatch(r"[A-Za-z][a-z'-]*", t)]
    # A reader accepts a term or two of English inside Chinese, not half a sentence.
    if not _CJK.search(zh) or len(np.unknown) > 2 or (np.unknown and len(np.unknown) * 3 > max(len(words), 1)):
        return Rewrite(full, False, np.unknown)
    if len(zh) > MAX_TEXT:  # never cut: the English title, which the report bounds its own way
        return Rewrite(full, False, np.unknown)
    return Rewrite(zh, True, np.unknown)


def _noun_title(toks: list[str], np: _NP) -> tuple[list[str], str] | None:
    """A title without a verb: a noun phrase with its modifiers ("DeepSeek V4 initial support",
    "Faster ... kernel for blackwell" -> "Blackwell 上更快的 ... kernel")."""
    if not toks or _verb(toks[0], np.verbs) or any(t.lower() in CLAUSE_WORDS for t in toks):
        return None  # a verb the frame could not read, or a clause: not a noun phrase
    if toks[0][:1].isupper() and toks[0][1:].islower():
        if toks[0].lower() not in np.nouns:
            return None  # "Reserve X", "Finish Y": most likely a verb the glossary does not know, not a name
        if not (len(toks) > 1 and toks[1].isupper()):  # (a name before an acronym stays: "Responses API")
            toks = [toks[0].lower()] + toks[1:]  # the sentence's first word, not a name: "Faster ..."
    obj, mods = _split_modifiers(toks)
    if not obj:
        return None
    before, after = [], []
    for prep, words in mods:
        plat = _platform(words) if words else None
        if prep in ("on", "for", "across") and plat:
            before.append(f"{plat} 上")
        elif prep == "for" and words:
            before.append(join_zh(["面向", np(words), "的"]))
        elif prep in ("in", "inside", "within") and words:
            before.append(join_zh([np(words), "中的"]))
        elif prep in ("with", "using", "via") and words:
            after.append("（" + join_zh(["配合" if prep == "with" else "使用", np(words)]) + "）")
        elif prep == "without" and words:
            after.append("（" + join_zh(["不使用", np(words)]) + "）")
        elif prep == "to" and words and _verb(words[0], np.verbs) == words[0].lower() and not _adjective(words, np):
            inner = _clause(words, np.verbs, np)  # "Dynamic scheduler delay to improve ITL performance"
            if inner is None:
                return None
            after.append("，以" + join_zh(inner[0] + [inner[1]]))
        else:
            return None
    head = np(obj)
    return (before, join_zh([head] + after)) if head else None


def _subject_clause(toks: list[str], verbs: dict[str, str], np: _NP) -> tuple[list[str], str] | None:
    """"<subject> <verb>s <object>" ("Responses API supports X", "310p support MOE models"): a
    subject of names, identifiers and glossary words, one of a few verbs, then the clause."""
    if any(t.lower() in CLAUSE_WORDS for t in toks):
        return None
    for k in range(1, min(len(toks), 5)):
        t = toks[k].lower()
        if t in ("fails", "fail", "failed") and k + 2 < len(toks) and toks[k + 1].lower() == "to":
            # "Ray fails to allocate X" -> "Ray 无法分配 X"
            if not all(is_identifier(x) or x.lower() in np.nouns for x in toks[:k]):
                return None
            subject, inner = np(toks[:k]), _clause(toks[k + 2:], verbs, np)
            return None if inner is None or not subject else (inner[0], join_zh([subject, "无法" + inner[1]]))
        if t in SUBJECT_VERBS and not (k + 1 < len(toks) and toks[k + 1].lower() == "for"):  # "X support for Y": a noun
            if toks[0][:1].isupper() and toks[0][1:].islower() and toks[0].lower() in np.nouns and not (
                    len(toks) > 1 and toks[1].isupper()) and np.nouns[toks[0].lower()].lower() != toks[0].lower():
                toks = [toks[0].lower()] + toks[1:]  # the sentence's first word, not a name
            if not all(is_identifier(x) or x.lower() in np.nouns for x in toks[:k]) or \
                    not (is_identifier(toks[0]) or toks[0].lower() in np.nouns and toks[0][:1].isupper()):
                return None
            subject = np(toks[:k])
            inner = _clause([SUBJECT_VERBS[t]] + toks[k + 1:], verbs, np)
            if not subject or inner is None:
                return None
            return inner[0], join_zh([subject, inner[1]])
    return None


SUBJECT_VERBS = {"covers": "cover", "works": "work", "runs": "run", "returns": "return", "supports": "support", "support": "support", "adds": "add", "uses": "use", "enables": "enable",
                 "disables": "disable", "removes": "remove", "fixes": "fix", "introduces": "introduce",
                 "implements": "implement", "requires": "require", "improves": "improve", "reduces": "reduce"}


def _make_frame(obj: list[str], mods: list, after: list[str], np: _NP) -> tuple[str, list[str]] | None:
    """"Make X <adjective>" -> "使 X <adjective>" ("Make detokenization optional" -> "使反分词可选";
    "Make JAIS compatible with Transformers v5" -> "使 JAIS 兼容 Transformers v5")."""
    if mods and mods[0][0] == "compatible with" and obj:
        return join_zh(["使", np(obj), "兼容", np(mods[0][1])]), after
    k = next((k for k in range(len(obj) - 1, 0, -1) if obj[k].lower() in MAKE_ADJECTIVES), None)
    if k is not None and obj[0].lower() in ("it", "this", "that", "them", "these", "those"):
        return None  # "Make it simpler to X": the pronoun points at the clause after it
    if k is None or (k != len(obj) - 1 and not all(is_identifier(t) or t.lower() in np.nouns for t in obj[k + 1:])):
        return None
    return join_zh(["使", np(obj[:k]), MAKE_ADJECTIVES[obj[k].lower()], np(obj[k + 1:])]), after


def _phrase(words: list[str], verbs: dict[str, str], np: _NP) -> str:
    """A "when ..." phrase: a clause when it starts with a verb or a subject and its verb
    ("loading the model", "Ray fails to allocate X"), else a noun phrase."""
    low = [w.lower() for w in words]
    for k, w in enumerate(low):
        if w in ("is", "are", "was", "were") and 0 < k < len(words) - 1:
            # "when n_local_reader is zero" -> "n_local_reader 为 zero 时"; "is not set" -> "未设置"
            negated = low[k + 1] == "not"
            pred = words[k + 2:] if negated else words[k + 1:]
            if any(x in CLAUSE_WORDS for x in low[:k]) or any(x.lower() in CLAUSE_WORDS for x in pred):
                break
            subject = np(words[:k])
            if pred and pred[0].lower() in ("in", "inside", "within") and len(pred) > 1 and not negated:
                return join_zh([subject, "在", np(pred[1:]), "中"])  # "if all layers are in the list"
            if pred and pred[0].lower() == "on" and len(pred) > 1 and not negated:
                return join_zh([subject, "在", np(pred[1:]), "上"])  # "when X is on CPU"
            if pred and pred[0].lower() in PREPOSITIONS:
                return ""  # "when X is under Y": no reading
            if [p.lower() for p in pred] in (["set"], ["enabled"], ["disabled"], ["used"], ["provided"], ["specified"]):
                verb_zh = {"set": "设置", "enabled": "启用", "disabled": "禁用", "used": "使用", "provided": "提供",
                           "specified": "指定"}[pred[0].lower()]
                return join_zh([subject, ("未" if negated else "已") + verb_zh])
            return join_zh([subject, "不为" if negated else "为", np(pred)])
    if words and _verb(words[0], verbs):
        got = _clause([_lemma(words[0])] + words[1:], verbs, np)
        if got is not None:
            return join_zh(got[0] + [got[1]])
    got = _subject_clause(words, verbs, np)
    if got is not None:
        return join_zh(got[0] + [got[1]])
    return np(words)


def _adjective(words: list[str], np: _NP) -> bool:
    """"to correct path": the first word reads as an adjective of the noun after it (its glossary
    Chinese ends with 的), so the phrase is a destination, not a purpose."""
    return len(words) > 1 and np.nouns.get(words[0].lower(), "").endswith("的") and words[1].lower() in np.nouns
