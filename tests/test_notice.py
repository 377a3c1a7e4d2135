"""What users will notice: the rule (prtext.notice_kind), the section on real vLLM weeks, and the
claims that keep it complete and true."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from conftest import ROOT, bench_file
from scorer.cli import main
from scorer.prtext import framework_versions, notice_kind


@pytest.mark.parametrize("title, kind, interface, notice", [
    ("[Perf] Enable FlashInfer top-k/top-p sampler by default", "performance", False, "default"),
    ("[CPU][UX][Perf] Enable tcmalloc by default", "performance", False, "default"),
    ("[Attention][MLA] Re-enable FA4 as default MLA prefill backend", "feature", False, "default"),
    ("[Deprecate] Deprecate pooling multi task support.", "refactor", False, "deprecation"),
    ("[Frontend] Remove frontend pooling multi task support.", "refactor", False, "removal"),
    ("Update to transformers v5", "refactor", False, "dependency"),
    ("[release 2.11] Update to torch 2.11", "dependency", False, "dependency"),
    ("[Frontend] Add VLLM_SKIP_MODEL_NAME_VALIDATION environment variable", "feature", False, "option"),
    ("Add short flag `-sc` for `--speculative-config` argument", "feature", False, "option"),
    # The project's own: nothing a user holds changes.
    ("[Refactor] Remove unused param", "refactor", True, None),
    ("[Refactor] Remove dead code in kv connector and model runner", "refactor", True, None),
    ("Fix test_startup.py for torch 2.12", "fix", False, None),
    ("[CI] Enable the distributed tests by default", "ci", False, None),
    ("[Doc] Deprecate the old install guide", "docs", False, None),
    ("[Bug] Add e_score_correction_bias to SKIP_TENSORS", "fix", False, None),
    ("Remove need for explicit newlines in docstring lists for `--help` formatting", "docs", False, None),
])
def test_notice_rule(title, kind, interface, notice):
    assert notice_kind(title, kind, interface) == notice


def test_framework_versions_as_written():
    assert framework_versions("[Build] Bump CUDA to 13.0.2 to match PyTorch 2.11.0") == [
        {"name": "CUDA", "version": "13.0.2"}, {"name": "PyTorch", "version": "2.11.0"}]
    assert framework_versions("Update to transformers v5") == [{"name": "transformers", "version": "v5"}]


# The changes users noticed across vLLM 2026-W13..W18 that PR Hub's LLM reports left out (#31).
NAMED = {"2026-W13": [37607, 37956], "2026-W16": [30566], "2026-W17": [37861, 38284, 37947, 40669],
         "2026-W18": [40376]}


@pytest.fixture(scope="module")
def vllm_weeks(tmp_path_factory):
    prs = bench_file("vllm", "prs.jsonl.gz")
    out = tmp_path_factory.mktemp("notice")
    for week in NAMED:
        for lang in ("zh", "en"):
            res = CliRunner().invoke(main, ["score", "--prs", str(prs), "--model", str(ROOT / "models" / "generic-importance"),
                                            "--week", week, "--lang", lang, "-o", str(out)])
            assert res.exit_code == 0, res.output
    return prs, out


@pytest.mark.parametrize("week", list(NAMED))
def test_every_named_change_is_in_the_section(vllm_weeks, week):
    _, out = vllm_weeks
    for lang, heading in (("zh", "## 用户可感知的变化"), ("en", "## What users will notice")):
        md = (out / "vllm" / week / lang / "report.md").read_text(encoding="utf-8")
        section = md.split(heading, 1)[1].split("\n## ", 1)[0]
        listed = {int(n) for n in re.findall(r"\[#(\d+)\]", section)}
        assert set(NAMED[week]) <= listed, (week, lang, sorted(listed))


def test_the_section_is_checked_both_ways(vllm_weeks, tmp_path):
    """A listed PR the rule does not read as that kind, and a PR of the week left out, are both
    caught; the written reports hold."""
    import shutil

    from scorer.pipeline import check_report
    from scorer.report.claims import weekly_claims

    prs, out = vllm_weeks
    model = ROOT / "models" / "generic-importance"
    d = tmp_path / "w18"
    shutil.copytree(out / "vllm" / "2026-W18" / "zh", d)
    assert not check_report(d, prs, model).false
    ctx = json.loads((d / "report.json").read_text(encoding="utf-8"))
    group = next(g for g in ctx["notice"] if g["kind"] == "default")
    dropped = group["prs"].pop(0)["number"]
    other = next(p for p in ctx["top"] if all(p["number"] != q["number"] for g in ctx["notice"] for q in g["prs"]))
    group["prs"].append({**other, "versions": []})
    ctx["claims"] = weekly_claims(ctx)
    (d / "report.json").write_text(json.dumps(ctx, ensure_ascii=False), encoding="utf-8")
    false = check_report(d, prs, model).false
    assert any("notice.default" in x and f"#{other['number']} do not satisfy" in x for x in false), false
    group["prs"].pop()
    ctx["claims"] = weekly_claims(ctx)
    (d / "report.json").write_text(json.dumps(ctx, ensure_ascii=False), encoding="utf-8")
    false = check_report(d, prs, model).false
    assert any("notice.default" in x and f"leaves out #{dropped}" in x for x in false), false
