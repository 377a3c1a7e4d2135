"""Rebuild the report templates' compiled modules in scorer/report/compiled/ (git ignores them;
`pip install` builds them too):

    python -m scorer.report.precompile

Run it after editing a template in a checkout; until then the edited templates compile from
source at every start (correct, 60 ms slower), since the modules' manifest no longer matches.
"""

from __future__ import annotations

from .jinja_env import compile_templates

if __name__ == "__main__":
    for line in compile_templates():
        print(line)
