"""Repository taxonomies: which module area a path belongs to, and which paths are core, platform,
test, doc, dependency or interface. YAML files under ``scorer/taxonomies/``; any other repository
gets the generic default, whose module areas are its top-level directories.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple

import yaml

from .errors import ScorerError
from .fileio import require_input

TAXONOMY_DIR = Path(__file__).with_name("taxonomies")
# Lines a later bug fix can be blamed for: SZZ blames source files and skips tests, docs,
# examples and benchmarks, so "source" lines are in source-language files outside those. Lines
# added there are the strongest single risk signal in the vLLM history (AUC 0.84 alone on the
# 2026-Q1 test, against 0.79 for all lines added; counting build files too gives 0.83).
AUX_RE = re.compile(r"(^|/)(examples?|benchmarks?)/")
SOURCE_EXTENSIONS = (".py", ".pyi", ".pyx", ".cu", ".cuh", ".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp",
                     ".rs", ".go", ".java", ".kt", ".scala", ".js", ".jsx", ".ts", ".tsx", ".rb", ".swift",
                     ".m", ".mm", ".cs", ".php", ".metal", ".cl", ".triton")


MAX_GLOB = 1000  # characters; a longer glob in a taxonomy is refused


def _glob_tokens(glob: str) -> list[tuple[str, str]]:
    """A glob as tokens: `**/` (any number of whole segments), `**` (anything), `*` (within a
    segment), `?`, literals. Runs of wildcards whose union is one of them are collapsed
    (`**/**/` -> `**/`, `***` -> `**`, `**/` then `**` -> `**`): the same paths match, and the
    adjacent unbounded quantifiers that make a backtracking regex blow up are gone."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            tok, i = "dstar_slash", i + 3
        elif glob.startswith("**", i):
            tok, i = "dstar", i + 2
        elif glob[i] == "*":
            tok, i = "star", i + 1
        elif glob[i] == "?":
            out.append(("any1", ""))
            i += 1
            continue
        else:
            out.append(("lit", glob[i]))
            i += 1
            continue
        prev = out[-1][0] if out else None
        if prev == tok:
            continue
        if {prev, tok} <= {"dstar", "star"} or {prev, tok} == {"dstar", "dstar_slash"}:
            out[-1] = ("dstar", "")
            continue
        out.append((tok, ""))
    return out


_TOKEN_RE = {"dstar_slash": r"(?:[^/]+/)*", "dstar": r".*", "star": r"[^/]*", "any1": r"[^/]"}


def glob_to_regex(glob: str) -> str:
    """Translate a path glob with ``**`` (any depth), ``*`` (within a segment) and ``?``."""
    return "".join(_TOKEN_RE.get(k) or re.escape(c) for k, c in _glob_tokens(glob))


def _is_safe(tokens: list[tuple[str, str]]) -> bool:
    """Few enough unbounded wildcards that a backtracking regex stays polynomial of low degree
    (paths are short): at most two `**` and at most two `*` between slashes."""
    if sum(k in ("dstar", "dstar_slash") for k, _ in tokens) > 2:
        return False
    stars = 0
    for k, c in tokens:
        if k == "lit" and c == "/":
            stars = 0
        elif k == "star":
            stars += 1
            if stars > 2:
                return False
    return True


def nfa_match(tokens: list[tuple[str, str]], path: str) -> bool:
    """Whole-path glob match by simulating the glob's automaton: time linear in the path for a
    given glob (states are token positions), whatever the pattern."""
    n = len(tokens)

    def closure(states: set[tuple[int, bool]]) -> set[tuple[int, bool]]:
        stack, seen = list(states), set(states)
        while stack:
            j, inside = stack.pop()
            if j < n and not inside and tokens[j][0] in ("star", "dstar", "dstar_slash"):
                nxt = (j + 1, False)
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    states = closure({(0, False)})
    for ch in path:
        new: set[tuple[int, bool]] = set()
        for j, inside in states:
            if j >= n:
                continue
            kind, lit = tokens[j]
            if kind == "lit":
                if ch == lit:
                    new.add((j + 1, False))
            elif kind == "any1":
                if ch != "/":
                    new.add((j + 1, False))
            elif kind == "star":
                if ch != "/":
                    new.add((j, False))
            elif kind == "dstar":
                new.add((j, False))
            elif ch == "/":  # dstar_slash: a segment ends; an empty segment is no match
                if inside:
                    new.add((j, False))
            else:
                new.add((j, True))
        if not new:
            return False
        states = closure(new)
    return (n, False) in states


class GlobSet:
    """Match a path against many globs: one compiled regex for the ordinary ones, the automaton
    for globs whose regex could backtrack for long (several `**`, many `*` in one segment)."""

    def __init__(self, globs: list[str]):
        safe, self.slow = [], []
        for g in globs:
            if len(g) > MAX_GLOB:
                raise ScorerError(f"a glob is longer than {MAX_GLOB} characters")
            toks = _glob_tokens(g)
            if _is_safe(toks):
                safe.append(g)
            else:  # the longest literal run must occur in any matching path: a cheap first test
                runs = "".join(c if k == "lit" else "\0" for k, c in toks).split("\0")
                self.slow.append((toks, max(runs, key=len)))
        self.regex = re.compile("^(?:" + "|".join(glob_to_regex(g) for g in safe) + ")$") if safe else None

    def match(self, path: str) -> bool:
        if self.regex is not None and self.regex.match(path):
            return True
        return any(lit in path and nfa_match(t, path) for t, lit in self.slow)


def compile_globs(globs: Iterable[str]) -> GlobSet | None:
    globs = list(globs)
    if not globs:
        return None
    return GlobSet(globs)


@dataclass
class Module:
    id: str
    zh: str
    en: str
    pattern: GlobSet | None


class PathInfo(NamedTuple):
    module: str
    kind: str          # test / doc / build / code
    test: bool
    doc: bool
    build: bool
    dependency: bool
    core: bool
    interface: bool
    platform: str | None
    source: bool       # code in a source language, outside examples/benchmarks: what a fix can blame


@dataclass
class Taxonomy:
    """A repository's map of paths. Build with `load_taxonomy`; query with the `*_of` / `is_*` methods."""

    name: str
    display_name: str
    repo: str | None
    modules: list[Module]
    core: GlobSet | None
    tests: GlobSet | None
    docs: GlobSet | None
    dependency: GlobSet | None
    interface: GlobSet | None
    platforms: dict[str, re.Pattern]
    build: re.Pattern | None
    generic: bool = False
    glossary: dict[str, str] = field(default_factory=dict)  # English term -> Chinese, for the title rewriter
    source: str = ""
    digest: str = ""  # sha256 of the YAML it was read from ("" when built in code): keys history snapshots
    _cache: dict = field(default_factory=dict, repr=False)

    def info(self, path: str) -> PathInfo:
        """Everything the taxonomy says about one path, matched once and cached: features ask
        about the same few thousand paths hundreds of thousands of times."""
        hit = self._cache.get(path)
        if hit is None:
            hit = self._classify(path)
            self._cache[path] = hit
        return hit

    @functools.cached_property
    def _first_module(self) -> tuple[re.Pattern, list[str]] | None:
        """One regex for "the first module whose globs match": alternative i is module i's own
        pattern, and alternatives are tried in order, so the first that matches the whole path is
        the module the loop over modules would pick (4x faster on vLLM's 22). None when a module
        has globs that need the automaton (GlobSet.slow): then the loop decides."""
        mods = [m for m in self.modules if m.pattern is not None]
        if not mods or any(m.pattern.slow or m.pattern.regex is None for m in mods):
            return None
        parts = [f"(?:{m.pattern.regex.pattern[4:-2]})$(?P<m{i}>)" for i, m in enumerate(mods)]
        return re.compile("^(?:" + "|".join(parts) + ")"), [m.id for m in mods]

    def _classify(self, path: str) -> PathInfo:
        module = "other"
        first = self._first_module
        if first is not None:
            hit = first[0].match(path)
            module = first[1][int(hit.lastgroup[1:])] if hit else "other"
        else:
            for m in self.modules:
                if m.pattern is not None and m.pattern.match(path):
                    module = m.id
                    break
        if self.generic and module == "other":
            module = path.split("/", 1)[0] if "/" in path else "root"
        match = lambda pat: bool(pat is not None and pat.match(path))  # noqa: E731
        test, doc, build, dep = match(self.tests), match(self.docs), match(self.build), match(self.dependency)
        kind = "test" if test else "doc" if doc else "build" if (build or dep) else "code"
        platform = next((name for name, pat in self.platforms.items() if pat.match(path)), None)
        source = kind == "code" and path.lower().endswith(SOURCE_EXTENSIONS) and not AUX_RE.search(path)
        return PathInfo(module, kind, test, doc, build, dep, match(self.core), match(self.interface), platform,
                        source)

    def module_of(self, path: str) -> str:
        return self.info(path).module

    def names(self, module_id: str) -> tuple[str, str]:
        for m in self.modules:
            if m.id == module_id:
                return m.zh, m.en
        if module_id == "other":
            return "其他", "Other"
        return module_id, module_id

    def is_test(self, path: str) -> bool:
        return self.info(path).test

    def is_doc(self, path: str) -> bool:
        return self.info(path).doc

    def is_core(self, path: str) -> bool:
        return self.info(path).core

    def is_dependency(self, path: str) -> bool:
        return self.info(path).dependency

    def is_interface(self, path: str) -> bool:
        return self.info(path).interface

    def is_build(self, path: str) -> bool:
        return self.info(path).build

    def platform_of(self, path: str) -> str | None:
        return self.info(path).platform

    def kind_of(self, path: str) -> str:
        """test / doc / build / code: the coarse share a size feature is split by."""
        return self.info(path).kind


def available_taxonomies() -> list[str]:
    return sorted(p.stem for p in TAXONOMY_DIR.glob("*.yaml"))


def _require_list(doc: dict, key: str, where: str, field: str | None = None) -> list[str]:
    value = doc.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScorerError("expected a list of path globs", path=where, field=field or key)
    if any(len(v) > MAX_GLOB for v in value):
        raise ScorerError(f"a glob is longer than {MAX_GLOB} characters", path=where, field=field or key)
    return value


TOP_KEYS = ("name", "display_name", "repo", "modules", "core_paths", "test_globs", "doc_globs", "build_globs",
            "dependency_files", "interface_paths", "platforms", "generic", "glossary")
MODULE_KEYS = ("id", "zh", "en", "paths")


def _text_field(doc: dict, key: str, where: str, field: str, default: str) -> str:
    value = doc.get(key, default)
    if value is None:
        return default
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ScorerError("expected text", path=where, field=field)
    return str(value)


def parse_taxonomy(doc: object, where: str) -> Taxonomy:
    """Every field is checked and named as the user wrote it (`modules[3].paths`,
    `platforms.rocm`); an unknown key is refused, since a misspelt `core_path` would
    otherwise silently classify nothing."""
    if not isinstance(doc, dict):
        raise ScorerError("a taxonomy must be a YAML mapping", path=where)
    unknown = [str(k) for k in doc if k not in TOP_KEYS]
    if unknown:
        raise ScorerError(f"unknown key (expected one of {', '.join(TOP_KEYS)})", path=where, field=unknown[0][:60])
    modules_doc = doc.get("modules") or []
    if not isinstance(modules_doc, list):
        raise ScorerError("expected a list of modules", path=where, field="modules")
    modules = []
    for i, m in enumerate(modules_doc):
        field = f"modules[{i}]"
        if not isinstance(m, dict) or not isinstance(m.get("id"), str) or not m["id"]:
            raise ScorerError("each module needs an 'id' (text)", path=where, field=field)
        bad = [str(k) for k in m if k not in MODULE_KEYS]
        if bad:
            raise ScorerError(f"unknown key (expected {', '.join(MODULE_KEYS)})", path=where,
                              field=f"{field}.{bad[0][:60]}")
        paths = _require_list(m, "paths", where, f"{field}.paths")
        modules.append(Module(m["id"], _text_field(m, "zh", where, f"{field}.zh", m["id"]),
                              _text_field(m, "en", where, f"{field}.en", m["id"]), compile_globs(paths)))
    platforms_doc = doc.get("platforms") or {}
    if not isinstance(platforms_doc, dict):
        raise ScorerError("expected a mapping of platform -> globs", path=where, field="platforms")
    platforms = {}
    for name, globs in platforms_doc.items():
        pat = compile_globs(_require_list({"globs": globs}, "globs", where, f"platforms.{str(name)[:60]}"))
        if pat is not None:
            platforms[str(name)] = pat
    repo = doc.get("repo")
    if repo is not None and (not isinstance(repo, str) or not re.fullmatch(r"[\w.-]+/[\w.-]+", repo)):
        raise ScorerError("expected owner/name", path=where, field="repo")
    generic = doc.get("generic", False)
    if not isinstance(generic, bool):
        raise ScorerError("expected true or false", path=where, field="generic")
    glossary_doc = doc.get("glossary") or {}
    if not isinstance(glossary_doc, dict):
        raise ScorerError("expected a mapping of English term -> Chinese", path=where, field="glossary")
    glossary = {}
    for term, zh in glossary_doc.items():
        if not isinstance(term, str) or not term.strip() or len(term) > 80:
            raise ScorerError("a glossary term is text of at most 80 characters", path=where,
                              field=f"glossary.{str(term)[:60]}")
        if zh is not None and (not isinstance(zh, str) or len(zh) > 80 or "\n" in zh):
            raise ScorerError("expected one line of text (at most 80 characters)", path=where, field=f"glossary.{term[:60]}")
        glossary[" ".join(term.lower().split())] = zh or ""
    name = _text_field(doc, "name", where, "name", Path(where).stem)
    return Taxonomy(
        name=name,
        display_name=_text_field(doc, "display_name", where, "display_name", name),
        repo=repo,
        modules=modules,
        core=compile_globs(_require_list(doc, "core_paths", where)),
        tests=compile_globs(_require_list(doc, "test_globs", where)),
        docs=compile_globs(_require_list(doc, "doc_globs", where)),
        dependency=compile_globs(_require_list(doc, "dependency_files", where)),
        interface=compile_globs(_require_list(doc, "interface_paths", where)),
        build=compile_globs(_require_list(doc, "build_globs", where)),
        platforms=platforms,
        generic=generic,
        glossary=glossary,
        source=where,
    )


MAX_TAXONOMY_BYTES = 1 << 20


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases: a taxonomy never needs them, and nested aliases
    expand exponentially (a few hundred bytes can ask for gigabytes)."""

    def compose_node(self, parent, index):
        _refuse_anchor(self.peek_event())
        return super().compose_node(parent, index)


def _refuse_anchor(event) -> None:
    """Raise on an alias or an anchor (what _NoAliasLoader and the libyaml pass both refuse)."""
    if isinstance(event, yaml.events.AliasEvent):
        raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in a taxonomy",
                                          event.start_mark)
    if getattr(event, "anchor", None):
        raise yaml.composer.ComposerError(None, None, "anchors (&name) are not allowed in a taxonomy",
                                          event.start_mark)


_C_LOADER = getattr(yaml, "CSafeLoader", None)  # PyYAML built with libyaml (its wheels are)


def _load_yaml(text: str):
    """The document of a taxonomy's text, refusing anchors and aliases. With libyaml, one pass
    over its events checks them and a second builds the document: 8x faster than the pure-Python
    loader, which every run that picks a taxonomy by repository paid for each shipped file."""
    if _C_LOADER is None:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 (safe loader)
    for event in yaml.parse(text, Loader=_C_LOADER):
        _refuse_anchor(event)
    return yaml.load(text, Loader=_C_LOADER)  # noqa: S506 (safe loader)


def _load_cached(path: str) -> Taxonomy:
    """Parsed once per file version: the cache key holds the file's size and mtime, so an
    edited taxonomy (or one replaced under a long-running service) is read again."""
    require_input(path)  # before opening it: opening a FIFO blocks
    try:
        st = Path(path).stat()
    except OSError as exc:
        raise ScorerError(f"cannot read taxonomy ({exc.strerror or exc.__class__.__name__})", path=path) from None
    return _parse_file(path, st.st_size, st.st_mtime_ns)


def _read_bounded(path: str) -> str:
    """A taxonomy file's text: a regular file (a FIFO would block, /dev/zero reports size 0 and
    never ends), read with a byte bound."""
    try:
        with open(path, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise ScorerError("not a regular file", path=path)
            data = fh.read(MAX_TAXONOMY_BYTES + 1)
    except OSError as exc:
        raise ScorerError(f"cannot read taxonomy ({exc.strerror or exc.__class__.__name__})", path=path) from None
    if len(data) > MAX_TAXONOMY_BYTES:
        raise ScorerError(f"taxonomy is larger than {MAX_TAXONOMY_BYTES >> 20} MB", path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScorerError("cannot read taxonomy (not UTF-8)", path=path) from None


@functools.lru_cache(maxsize=32)
def _parse_file(path: str, size: int, mtime_ns: int) -> Taxonomy:
    text = _read_bounded(path)
    try:
        doc = _load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScorerError(f"not valid YAML ({getattr(exc, 'problem', exc)})", path=path,
                          line=(mark.line + 1) if mark else None) from None
    except RecursionError:
        raise ScorerError("taxonomy is nested too deeply", path=path) from None
    tax = parse_taxonomy(doc, path)
    tax.digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return tax


BUNDLED = "taxonomy.yaml"  # a bundle's own copy of the taxonomy it was trained with
_SHIPPED_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def shipped_path(name: str) -> Path | None:
    """The shipped taxonomy of that name, or None: a name, never a path (`../x` names nothing)."""
    if isinstance(name, str) and _SHIPPED_NAME_RE.fullmatch(name) and (TAXONOMY_DIR / f"{name}.yaml").is_file():
        return TAXONOMY_DIR / f"{name}.yaml"
    return None


def is_shipped(tax: Taxonomy) -> bool:
    return bool(tax.source) and shipped_path(Path(tax.source).stem) == Path(tax.source)


def taxonomy_text(tax: Taxonomy) -> str:
    """The YAML a taxonomy was read from, as a bundle keeps its own copy; it must still be the
    text that was parsed (same digest)."""
    text = _read_bounded(tax.source)
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != tax.digest:
        raise ScorerError("the taxonomy changed while training; train again", path=tax.source)
    return text


def load_taxonomy(name_or_path: str | None, repo: str | None = None) -> Taxonomy:
    """A shipped taxonomy by name, a YAML file by path, or the one matching `repo`, else the generic default."""
    if name_or_path and (name_or_path.endswith((".yaml", ".yml")) or "/" in name_or_path and Path(name_or_path).exists()):
        p = Path(name_or_path)
        if not p.exists():
            raise ScorerError("no such taxonomy file", path=str(p))
        return _load_cached(str(p))
    if name_or_path:
        p = shipped_path(name_or_path)
        if p is None:
            raise ScorerError(f"unknown taxonomy {name_or_path[:80]!r} (shipped: {', '.join(available_taxonomies())})")
        return _load_cached(str(p))
    if repo:
        for p in sorted(TAXONOMY_DIR.glob("*.yaml")):
            t = _load_cached(str(p))
            if t.repo == repo:
                return t
    return _load_cached(str(TAXONOMY_DIR / "default.yaml"))
