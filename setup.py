"""Build step beyond pyproject.toml: compile the report templates into Python modules inside the
built package (scorer/report/compiled/), so a fresh `scorer score` does not compile them at
every start. The modules are generated here, never committed; an editable install writes them
into the checkout (git ignores them). scorer/report/jinja_env.py is loaded by path: the build
environment has Jinja (pyproject's build requirements) but none of scorer's other dependencies.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent


class build_py_with_templates(build_py):
    def run(self) -> None:
        super().run()
        spec = importlib.util.spec_from_file_location("_scorer_jinja_env", HERE / "scorer" / "report" / "jinja_env.py")
        jinja_env = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(jinja_env)
        root = HERE if getattr(self, "editable_mode", False) else Path(self.build_lib)
        for line in jinja_env.compile_templates(root / "scorer" / "report" / "compiled"):
            self.announce(f"compiled report templates, {line}", level=2)


setup(cmdclass={"build_py": build_py_with_templates})
