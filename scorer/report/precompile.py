"""Precompile the report templates into Python modules (scorer/report/compiled/<lang>/), which
`writer._env` loads instead of compiling each template at every start:

    python -m scorer.report.precompile

Run it after editing a template: the modules carry the hash of the templates and the Jinja
version they were built with, and are ignored (the templates compile from source) when either
differs. tests/test_report.py fails while they are stale.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jinja2
from jinja2 import FileSystemLoader

from .writer import COMPILED, TEMPLATES, _env, templates_digest

LANGS = ("zh", "en")


def _compile(out: Path, searchpath: list[Path], lang: str, skip: tuple[str, ...]) -> int:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = _env(lang, precompiled=False).overlay(loader=FileSystemLoader([str(p) for p in searchpath]))
    names: list[str] = []
    env.compile_templates(str(out), zip=None, ignore_errors=False, log_function=names.append,
                          filter_func=lambda name: not name.startswith(skip))
    manifest = {"jinja2": jinja2.__version__, "templates": templates_digest()}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return sum(1 for n in names if n.startswith("Compiled"))


def precompile() -> list[str]:
    """Write the modules and manifests: one directory per language for its own templates, and
    one for the templates every language shares (compiled code does not depend on the
    language: the filters and the templates a template includes resolve when it renders)."""
    done = [f"{lang}: {_compile(COMPILED / lang, [TEMPLATES / lang], lang, ())} templates" for lang in LANGS]
    # Evaluation's templates belong to another environment (with its own filters).
    n = _compile(COMPILED / "common", [TEMPLATES], LANGS[0], tuple(f"{d}/" for d in (*LANGS, "eval")))
    return done + [f"common: {n} templates"]


if __name__ == "__main__":
    for line in precompile():
        print(line)
