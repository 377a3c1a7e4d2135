"""Descriptive rule tags from the diff and a taxonomy."""

from __future__ import annotations


import pandas as pd

from ..taxonomy import Taxonomy
from .table import KEY, RULE_TAGS, _finish

# ---------------------------------------------------------------- rules

def rule_flags(files: list[dict], tax: Taxonomy) -> dict[str, int]:
    """The five descriptive tags of one PR, as pure functions of its changed paths."""
    code = test = core = dep = plat = iface = False
    for f in files:
        path = f["filename"]
        if tax.is_test(path):
            test = True
            continue
        if tax.is_doc(path):
            continue
        dep = dep or tax.is_dependency(path)
        if tax.is_build(path) or tax.is_dependency(path):
            continue
        code = True
        core = core or tax.is_core(path)
        plat = plat or tax.platform_of(path) is not None
        iface = iface or tax.is_interface(path)
    return {"core-path": int(core), "missing-tests": int(code and not test), "dependency": int(dep),
            "platform": int(plat), "interface": int(iface)}


def rule_labels(prs: pd.DataFrame, tax: Taxonomy) -> pd.DataFrame:
    flags = pd.DataFrame([rule_flags(fs, tax) for fs in prs["files"]], index=prs.index)
    out = prs[KEY].copy()
    for tag in RULE_TAGS:
        out[f"tag:{tag}"] = flags[tag] if len(flags) else pd.Series(dtype="int64")
    return _finish(out, f"rules:{tax.name}")
