"""The report templates' Jinja environment and their precompiled form, importing nothing but
Jinja: the build (setup.py) compiles the templates into Python modules with it, in a build
environment that has none of scorer's other dependencies.

The compiled modules are generated, never committed: `pip install` writes them into the
installed package (an editable install: into scorer/report/compiled/ of the checkout, which git
ignores), and `python -m scorer.report.precompile` rebuilds them after a template is edited.
Each set carries the hash of the templates and the Jinja version it was built from, and is
ignored (the templates compile from source, as always) when either differs. They are the
package's own code: nothing is compiled into or loaded from scorer's cache directory, which a
run only trusts as input.
"""

from __future__ import annotations

import compileall
import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, ModuleLoader, StrictUndefined

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
COMPILED = HERE / "compiled"
LANGS = ("zh", "en")
# The filters the templates use (scorer.report.render gives them their functions). Compiling
# needs only their names: compiled code looks each up in the environment it runs in.
FILTER_NAMES = ("signed", "plain", "prlist", "oneline", "plural", "gain")


def templates_digest(templates: Path = TEMPLATES) -> str:
    """The hash of every template's name and text: what a precompiled set must have been built from."""
    h = hashlib.sha256()
    for p in sorted(templates.rglob("*.j2")):
        h.update(p.relative_to(templates).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def precompiled_dirs(lang: str, compiled: Path | None = None) -> list[Path] | None:
    """The precompiled templates of `lang` and those all languages share, when they were built
    from these templates by this Jinja version; None otherwise."""
    compiled = compiled or COMPILED
    dirs = [compiled / lang, compiled / "common"]
    current = {"jinja2": jinja2.__version__, "templates": templates_digest()}
    for d in dirs:
        try:
            if json.loads((d / "manifest.json").read_text(encoding="utf-8")) != current:
                return None
        except (OSError, ValueError):
            return None
    return dirs


def environment(lang: str, filters: dict[str, Callable], precompiled: bool = True,
                templates: Path = TEMPLATES, compiled: Path | None = None) -> Environment:
    """The environment every report renders with: StrictUndefined, Markdown-friendly whitespace,
    no autoescape (the HTML templates escape what they insert); the precompiled modules first
    when they match the templates."""
    source = FileSystemLoader([str(templates / lang), str(templates)])
    built = precompiled_dirs(lang, compiled) if precompiled and templates == TEMPLATES else None
    env = Environment(loader=ChoiceLoader([ModuleLoader([str(d) for d in built]), source]) if built else source,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      autoescape=False)
    env.filters.update(filters)
    return env


def _compile(out: Path, searchpath: list[Path], lang: str, skip: tuple[str, ...], digest: str) -> int:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = environment(lang, {name: str for name in FILTER_NAMES}, precompiled=False)
    env = env.overlay(loader=FileSystemLoader([str(p) for p in searchpath]))
    names: list[str] = []
    env.compile_templates(str(out), zip=None, ignore_errors=False, log_function=names.append,
                          filter_func=lambda name: not name.startswith(skip))
    manifest = {"jinja2": jinja2.__version__, "templates": digest}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    # Their bytecode too: an editable install or a checkout (or PYTHONDONTWRITEBYTECODE) would
    # otherwise compile these modules from source at every start (0.1 s of a week's report).
    compileall.compile_dir(str(out), quiet=1)
    return sum(1 for n in names if n.startswith("Compiled"))


def compile_templates(compiled: Path | None = None, templates: Path = TEMPLATES) -> list[str]:
    """Write the modules and manifests into `compiled`: one directory per language for its own
    templates, and one for the templates every language shares (compiled code does not depend on
    the language: the filters and the templates a template includes resolve when it renders).
    Evaluation's templates belong to another environment and stay source."""
    compiled = compiled or COMPILED
    digest = templates_digest(templates)
    done = [f"{lang}: {_compile(compiled / lang, [templates / lang], lang, (), digest)} templates" for lang in LANGS]
    n = _compile(compiled / "common", [templates], LANGS[0], tuple(f"{d}/" for d in (*LANGS, "eval")), digest)
    return done + [f"common: {n} templates"]
