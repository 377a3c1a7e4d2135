"""The week's stories and the facts in its titles: what the report's section 2 is made of.

A story is a named thing several PRs share: a model family (spelled `DeepSeek V4`, `DSV4`,
`DSv4`, `deepseek_v4` in a path), a platform, or a term that bursts this week. Every PR of the
week lands in exactly one story; PRs that share no named thing fall into their module area's
story. Python finds the figures; the templates write the sentences.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache, wraps
from typing import TypeVar

import pandas as pd

from ..prtext import PREFIX_RE, title_prefixes
from ..prtext import MAX_TEXT

MIN_STORY_PRS = 3  # a named thing needs this many PRs in the week to be a story of its own
TOKEN_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+\d*(?:\.\d+)*|[A-Z]+\d*(?:\.\d+)*|\d+(?:\.\d+)*[a-z]*")
MODEL_FILE_RE = re.compile(r"(?:^|/)models?/([A-Za-z][\w]*)\.py$")
# Files in a models directory that are plumbing, not a model.
NOT_MODELS = frozenset("""registry config configs utils interfaces interfaces_base adapters base init module_mapping
vision transformers llama_eagle""".split())
MIN_ZOO = 10
# Module names a model zoo also holds that are ordinary words in titles, not model names.
COMMON_WORDS = frozenset("""attention sample sampler eagle medusa mlp layers layer loader utils common modelutils
apirouter transformers pooling adapter adapters vision audio interfaces""".split())
# Title prefixes that name a kind or an area every week, never a story.
GENERIC_TAGS = frozenset("""bugfix fix feature misc core frontend kernel model v1 v0 ci cibuild build docs doc tests test
performance perf refactor hardware rocm amd nvidia intel quantization easy minor chore ux log logging metrics bug wip
rfc torchcompile compile multimodal mm vlm spec specdecode speculativedecoding lora attention moe distributed
kvconnector kvoffload sampler entrypoints api structuredoutput v1core newmodel models benchmark benchmarks
platform platforms cpu gpu xpu tpu""".split())
CONVENTIONAL_RE = re.compile(r"^\s*(feat|fix|chore|docs?|perf|refactor|build|ci|tests?|style)(\([^)]*\))?!?\s*:\s*", re.I)

def tokens(text: str) -> list[str]:
    """Words of a title or path split at case, digit and punctuation boundaries
    (`DeepseekV4DecoderLayer` -> Deepseek, V4, Decoder, Layer)."""
    return TOKEN_RE.findall(text)


T = TypeVar("T")
_PATH_SPLIT = re.compile(r"[/.]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def cached_if_short(limit: int, maxsize: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """A pure function of a string, kept in a bounded cache for strings of at most `limit`
    characters (words, paths, titles: what a week's report reads again and again), computed
    afresh for longer ones (a title with all its paths is seen once)."""
    def wrap(fn: Callable[[str], T]) -> Callable[[str], T]:
        cached = lru_cache(maxsize=maxsize)(fn)

        @wraps(fn)
        def call(text: str) -> T:
            return cached(text) if len(text) <= limit else fn(text)
        return call
    return wrap


@cached_if_short(64, 1 << 16)
def norm(text: str) -> str:
    """Lower case, letters and digits only. A report normalizes the same short words (title
    tokens, prefix tags, path segments) tens of thousands of times."""
    return _NOT_ALNUM.sub("", text.lower())


@cached_if_short(400, 1 << 13)
def title_keys(title: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A title's tokens and their normalized forms. The acronyms, entities and stories of a
    week read the same look-back titles several times."""
    toks = tuple(tokens(title))
    return toks, tuple(norm(t) for t in toks)


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def report_text(text: str, limit: int = MAX_TEXT) -> str:
    """Free text (a title, a label, a name) as a report may print it: control characters and
    line breaks become one space, the length is capped (with "…"), and `<` is escaped so that
    Markdown shows a `<script>` in a title as text."""
    t = _CONTROL_RE.sub(" ", str(text)).strip()
    if len(t) > limit:
        t = t[:limit - 1].rstrip() + "…"
    return t.replace("<", "\\<")


def summary_title(title: str) -> str:
    """The title a reader sees: no `[Prefix]` tags, no `feat:`-style prefix, no separators."""
    title = _CONTROL_RE.sub(" ", title)[:4 * MAX_TEXT]
    t = PREFIX_RE.sub("", title).strip().lstrip(":-–| ").strip()
    t = CONVENTIONAL_RE.sub("", t).strip()
    t = PREFIX_RE.sub("", t).strip().lstrip(":-–| ").strip()
    return report_text((t[:1].upper() + t[1:]) if t else title.strip())


# ---------------------------------------------------------------- vocabulary

def model_vocabulary(history: pd.DataFrame) -> dict[str, str]:
    """Model families the repository has files for: normalized key -> family key. A versioned
    family absorbs its variants (`deepseekv4mtp` -> `deepseekv4`, `qwen3next` -> `qwen3`)."""
    by_dir: dict[str, set[str]] = defaultdict(set)
    for files in history["files"]:
        for f in files:
            m = MODEL_FILE_RE.search(f["filename"]) if "model" in f["filename"] else None
            if m and m.group(1).lower() not in NOT_MODELS and not m.group(1).startswith("test"):
                by_dir[f["filename"][:m.start(1)]].add(m.group(1))
    # A model zoo is a models directory with many files (not an API's `models/` route module).
    stems = set()
    for d, names in by_dir.items():
        if len(names) >= MIN_ZOO and not re.search(r"(^|/)tests?/", d):
            for name in names:
                key = norm(name)
                if len(key) >= 4 and not key.isdigit() and key not in COMMON_WORDS:
                    stems.add(key)
    family = {}
    for key in sorted(stems, key=len):
        parent = next((p for p in sorted(family, key=len) if key.startswith(p) and p[-1].isdigit()
                       and family[p] == p), None)
        family[key] = parent or key
    return family


def acronym_aliases(titles: Iterable[str], vocab: dict[str, str]) -> dict[str, str]:
    """Acronyms the titles could use for a family they also spell out: `DeepSeek V4` gives `dsv4`."""
    out: dict[str, str] = {}
    starts = key_prefixes(vocab)
    for title in titles:
        toks, ntoks = title_keys(title)
        for i in range(len(toks)):
            if ntoks[i] not in starts:
                continue  # no family's key starts with this word
            for n in range(2, 5):
                part = toks[i:i + n]
                if len(part) < n:
                    break
                key = "".join(ntoks[i:i + n])
                if key not in starts:
                    break  # nor with these words: no longer run of them can be a key
                if key in vocab:
                    letters = "".join(t[0] if not re.search(r"\d", t) else t for t in part)
                    acro = norm(letters)
                    if len(acro) >= 3 and acro not in vocab and acro != key:
                        out.setdefault(acro, vocab[key])
    return out


_NOT_PHRASE = re.compile(r"[^\w .-]")


def contains_any(words: Iterable[str]):
    """A test of whether a text contains any of `words` (one regex scan instead of one `in` per word)."""
    words = set(words)
    if not words:
        return lambda text: False
    pattern = re.compile("|".join(map(re.escape, sorted(words, key=lambda w: (-len(w), w)))))
    return lambda text: pattern.search(text) is not None


def display_names(titles: Iterable[str], keys: set[str], vocab: dict[str, str]) -> dict[str, str]:
    """The spelling the titles use most for each family (`DeepSeek V4`, not `deepseek_v4`)."""
    seen: dict[str, Counter] = defaultdict(Counter)
    spells_one, starts = contains_any(keys), key_prefixes(keys)
    for title in titles:
        if not spells_one(norm(title)):
            continue
        spans = [m.span() for m in TOKEN_RE.finditer(title)]
        for i in range(len(spans)):
            for j in range(i, min(len(spans), i + 4)):
                phrase = title[spans[i][0]:spans[j][1]]
                if _NOT_PHRASE.search(phrase):
                    break
                key = norm(phrase)
                if key not in starts:
                    break  # a longer phrase normalizes to this plus more: no key either
                if key in keys and vocab.get(key) == key:
                    seen[key][phrase] += 1

    def best(c: Counter) -> str:  # a capitalised spelling first (MiMo over mimo), then the most used, then DeepSeek V4 over DeepSeek-V4
        return sorted(c.items(), key=lambda kv: (not any(ch.isupper() for ch in kv[0]), -kv[1], -kv[0].count(" "), kv[0]))[0][0]
    return {k: (best(seen[k]) if seen[k] else k) for k in keys}


# ---------------------------------------------------------------- entities and stories

def key_prefixes(*keysets: Iterable[str]) -> frozenset[str]:
    """Every prefix of every key (of dicts or sets of keys): a run of title words whose joined form
    is not among them cannot start a key, so the search for names stops there instead of trying
    each longer run."""
    return frozenset(k[:j] for keys in keysets for k in keys for j in range(len(k) + 1))


def pr_entities(title: str, files: list[dict], vocab: dict[str, str], aliases: dict[str, str],
                platforms: set[str], versioned: re.Pattern | None = None,
                starts: frozenset[str] | None = None, paths: dict[str, list[str]] | None = None
                ) -> list[tuple[str, str]]:
    """(kind, key) of the named things a PR is about, strongest first: model families in the
    title or its prefix tags, then in its paths (when it touches at most two families), then a
    platform named by a prefix tag. A caller asking about many PRs passes `starts`
    (key_prefixes(vocab, aliases)) and `paths`, a dict where each path's families are kept."""
    found: list[tuple[str, str]] = []
    toks = title_keys(title)[1]
    if starts is None:
        starts = key_prefixes(vocab, aliases)
    for i in range(len(toks)):
        longest, key = 0, ""
        for n in range(1, min(4, len(toks) - i) + 1):  # the longest run still a prefix of some key
            key += toks[i + n - 1]
            if key not in starts:
                break
            longest = n
        for n in range(longest, 0, -1):  # longest <= the words left, so every run is whole
            key = "".join(toks[i:i + n])
            fam = vocab.get(key) or aliases.get(key)
            if fam and ("model", fam) not in found:
                found.append(("model", fam))
                break
    path_fams = []
    if versioned is None and files:
        versioned = versioned_prefix(vocab)
    for f in files:
        if paths is None or (fams := paths.get(f["filename"])) is None:
            fams = _path_families(f["filename"], vocab, versioned)
            if paths is not None:
                paths[f["filename"]] = fams
        for fam in fams:
            if fam not in path_fams:
                path_fams.append(fam)
    if 0 < len(path_fams) <= 2:
        found += [("model", f) for f in path_fams if ("model", f) not in found]
    for tag in title_prefixes(title):
        key = norm(tag)
        if key in platforms and ("platform", key) not in found:
            found.append(("platform", key))
    return found


def _path_families(path: str, vocab: dict[str, str], versioned: re.Pattern | None) -> list[str]:
    """The model families one path names, in order: its model file, then its snake_case segments."""
    m = MODEL_FILE_RE.search(path)
    segs = [m.group(1)] if m else []
    segs += [s for s in _PATH_SPLIT.split(path) if "_" in s]
    fams: list[str] = []
    for seg in segs:
        key = norm(seg)
        fam = vocab.get(key)
        if not fam and versioned is not None and (hit := versioned.match(key)):
            fam = vocab[hit.group(0)]
        if fam and fam not in fams:
            fams.append(fam)
    return fams


def versioned_prefix(vocab: dict[str, str]) -> re.Pattern | None:
    """One pattern for "starts with a versioned family" (`deepseek_v4_ops` -> deepseekv4), longest first;
    build it once per vocabulary and pass it to pr_entities."""
    keys = sorted((k for k, fam in vocab.items() if fam[-1].isdigit()), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))) if keys else None


def assign_stories(rows: pd.DataFrame, entity_lists: dict[int, list[tuple[str, str]]],
                   burst_terms: dict[int, list[str]]) -> dict[int, tuple[str, str]]:
    """Each PR's one story: the named thing with the most PRs this week among those it carries
    (at least MIN_STORY_PRS), else its module area. Ties go to the larger importance sum."""
    members: dict[tuple[str, str], list[int]] = defaultdict(list)
    for num in rows["number"]:
        for ent in entity_lists.get(int(num), []):
            members[ent].append(int(num))
        for term in burst_terms.get(int(num), []):
            members[("burst", term)].append(int(num))
    importance = dict(zip(rows["number"].astype(int), rows["importance"]))
    order = sorted((e for e, nums in members.items() if len(set(nums)) >= MIN_STORY_PRS),
                   key=lambda e: (-len(set(members[e])), -sum(importance[n] for n in set(members[e])),
                                  {"model": 0, "burst": 1, "platform": 2}[e[0]], e[1]))
    out: dict[int, tuple[str, str]] = {}
    for ent in order:
        for n in members[ent]:
            out.setdefault(n, ent)
    for num, module in zip(rows["number"].astype(int), rows["module"]):
        out.setdefault(num, ("module", module))
    # A story left with fewer PRs than it needs (others took them) goes back to the areas.
    sizes = Counter(out.values())
    for num, module in zip(rows["number"].astype(int), rows["module"]):
        if out[num][0] != "module" and sizes[out[num]] < MIN_STORY_PRS:
            out[num] = ("module", module)
    return out
