"""A report's claims and the checker (`scorer check-report`): true reports pass, and each kind
of false claim a reader caught is caught when it is put back into a report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import unclaimed_numbers

from scorer import prtext
from scorer.cli import main
from scorer.pipeline import check_report
from scorer.report import claims as claims_mod
from scorer.report.claims import check_gain, weekly_claims


def _copy(scored, lang: str, tmp_path: Path) -> Path:
    d = tmp_path / lang
    shutil.copytree(scored[2][lang], d)
    return d


def _check(scored, d: Path):
    return check_report(d, scored[0]["prs"], scored[1])


def _rewrite(d: Path, mutate) -> dict:
    """Change the report's figures, then give it the claims those figures make: the checker must
    find the lie in the data, not in a mismatch between the figures and the claims."""
    ctx = json.loads((d / "report.json").read_text(encoding="utf-8"))
    ctx.pop("claims")
    mutate(ctx)
    ctx["claims"] = weekly_claims(ctx)
    (d / "report.json").write_text(json.dumps(ctx, ensure_ascii=False), encoding="utf-8")
    return ctx


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_written_reports_hold(scored, lang):
    res = _check(scored, scored[2][lang])
    assert res.false == []
    assert unclaimed_numbers(scored[2][lang]) == []
    assert res.checked["count"] >= 20 and res.checked["prs"] >= 3 and res.checked["top"] >= 3
    assert res.checked["story"] >= 3


def test_cli_exit_codes(scored, tmp_path):
    run = lambda *dirs: CliRunner().invoke(main, ["check-report", *map(str, dirs), "--prs", str(scored[0]["prs"]),  # noqa: E731
                                                  "--model", str(scored[1])])
    ok = run(scored[2]["zh"], scored[2]["en"])
    assert ok.exit_code == 0, ok.output
    assert "2 report(s)" in ok.output and "0 false" in ok.output
    d = _copy(scored, "zh", tmp_path)
    _rewrite(d, lambda ctx: ctx["summary"].update(n_prs=ctx["summary"]["n_prs"] + 1))
    bad = run(d)
    assert bad.exit_code == 1 and "summary.n_prs (count): states" in bad.output
    missing = run(tmp_path / "nowhere")
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_edited_claims_no_longer_match_the_figures(scored, tmp_path):
    d = _copy(scored, "en", tmp_path)
    ctx = json.loads((d / "report.json").read_text(encoding="utf-8"))
    ctx["claims"][0]["value"] += 1
    (d / "report.json").write_text(json.dumps(ctx), encoding="utf-8")
    assert any("not the ones its figures give" in x for x in _check(scored, d).false)


def test_a_feature_in_a_fix_list_is_caught(scored, tmp_path):
    d = _copy(scored, "zh", tmp_path)
    rows = pd.read_csv(d / "scores.csv")
    ctx0 = json.loads((d / "report.json").read_text(encoding="utf-8"))
    res = _check(scored, d)
    assert not res.false
    from scorer.prtext import classify_pr
    from scorer.records import load_prs

    prs = load_prs(scored[0]["prs"])
    files = dict(zip(prs["number"], prs["files"]))
    story = next(t for t in ctx0["themes"] if any(classify_pr(str(r.title), files[r.number]) != "fix"
                                                   for r in rows.itertuples() if r.number in t["numbers"]))
    not_fix = next(n for n in story["numbers"]
                   if classify_pr(str(rows.set_index("number").loc[n, "title"]), files[n]) != "fix")
    _rewrite(d, lambda ctx: ctx["recommendations"].append(
        {"rule": "fix_wave", "theme": story["name"], "prs": [not_fix], "count": 1}))
    false = _check(scored, d).false
    assert any(f"#{not_fix} do not satisfy" in x and "kind=fix" in x for x in false), false


def test_a_changed_number_is_caught(scored, tmp_path):
    d = _copy(scored, "en", tmp_path)
    _rewrite(d, lambda ctx: ctx["risks"][0].update(count=ctx["risks"][0]["count"] + 2))
    false = _check(scored, d).false
    assert any(x.startswith("risks.") and "(count): states" in x for x in false), false


def test_a_hidden_tie_is_caught(scored, tmp_path):
    d = _copy(scored, "zh", tmp_path)
    ctx = json.loads((d / "report.json").read_text(encoding="utf-8"))
    risk = next(r for r in ctx["risks"] if r["evidence"].get("max"))
    col = f"p:{risk['tag']}"
    scores = pd.read_csv(d / "scores.csv")
    top = scores.loc[scores["tags"].fillna("").str.split(";").map(lambda t: risk["tag"] in t), col].max()
    other = int(scores.loc[scores["number"] != risk["evidence"]["max"]["number"], "number"].iloc[0])
    # A second PR on the same plateau: the report still names one PR as the highest.
    at = scores["number"] == other
    scores.loc[at, col] = top
    scores.loc[at, "tags"] = ";".join(t for t in [*str(scores.loc[at, "tags"].iloc[0]).split(";"), risk["tag"]]
                                      if t and t != "nan")
    scores.to_csv(d / "scores.csv", index=False)
    false = _check(scored, d).false
    assert any(f"risks.{risk['tag']}.max (top)" in x and "tie" in x for x in false), false


def test_an_internal_key_in_prose_is_caught(scored, tmp_path):
    d = _copy(scored, "en", tmp_path)
    _rewrite(d, lambda ctx: ctx["trends"][0].update(name=ctx["trends"][0]["module"]) if ctx["trends"][0]["module"]
             not in ("other",) else None)
    ctx = json.loads((d / "report.json").read_text(encoding="utf-8"))
    if ctx["trends"][0]["name"] == ctx["trends"][0]["module"] and ctx["trends"][0]["bullet"]:
        assert any("internal key" in x for x in _check(scored, d).false)
    d2 = _copy(scored, "zh", tmp_path / "b")
    risk = {"tag": "platform", "name": "平台兼容性", "count": 0, "source": "rule", "prs": [],
            "evidence": {"platforms": [{"name": "rocm", "prs": 1}]}}
    _rewrite(d2, lambda ctx: ctx["risks"].append(risk))
    assert any("internal key 'rocm' in prose" in x for x in _check(scored, d2).false)


def test_a_gain_the_pr_does_not_state_is_caught(scored, tmp_path):
    d = _copy(scored, "en", tmp_path)
    n = int(pd.read_csv(d / "scores.csv")["number"].iloc[0])
    g = {"number": n, "text": "37%", "value": 37.0, "unit": "%", "metric": "throughput", "direction": "up",
         "scope": "e2e", "source": "body"}
    _rewrite(d, lambda ctx: ctx["summary"]["gains"].append(g))
    assert any("summary.gains.0 (fact)" in x and "not stated" in x for x in _check(scored, d).false)


def test_gain_rules_one_by_one():
    shape = {"text": "4x", "value": 4.0, "unit": "x", "metric": "throughput", "direction": "up", "scope": "e2e"}
    assert "not stated" in check_gain(shape, "Batch prefill", "Batch 4 × 2048 tokens, throughput improved.", False)
    assert check_gain(shape, "Batch prefill", "Throughput is 4x higher.", False) is None
    down = {"text": "6.19%", "value": 6.19, "unit": "%", "metric": "latency", "direction": "down", "scope": "e2e"}
    assert check_gain(down, "Overlap allreduce", "TPOT latency -6.19% on 910B.", True) is None
    assert "not an improvement" in check_gain({**down, "direction": "up"}, "x", "latency -6.19%", False)
    noise = {"text": "0.46%", "value": 0.46, "unit": "%", "metric": "throughput", "direction": "up", "scope": "e2e"}
    assert "noise floor" in check_gain(noise, "[Bugfix] x", "throughput +0.46%", False)
    micro = {"text": "51%", "value": 51.0, "unit": "%", "metric": "speedup", "direction": "up", "scope": "component"}
    title = "[Perf] Optimize `AllPool.forward` by slicing first, 51% faster in the method level benchmark"
    assert check_gain(micro, title, "", False) is None
    assert "leads the summary" in check_gain(micro, title, "", True)
    # the writer's reading and the checker's agree on the floor
    assert claims_mod.NOISE_PCT == prtext.NOISE_PCT and claims_mod.MIN_TIMES == prtext.MIN_TIMES


def test_story_names_must_be_topics():
    from scorer.report.claims import CheckResult, Week, check_claims
    from scorer.taxonomy import load_taxonomy

    tax = load_taxonomy("vllm")
    row = lambda n, title, kind: {"number": n, "title": title, "kind": kind, "tags": [], "files": [], "body": "",  # noqa: E731
                                  "importance": 5.0, "highlight": False, "module": "docs"}
    docs = {n: row(n, f"[Doc] Atlas page {n}", "docs") for n in range(1, 8)}
    verbs = {n: row(n, f"Match spec {n}", "fix") for n in range(11, 14)}
    week = Week(rows={**docs, **verbs}, prev_count=0, tax=tax, thresholds={}, internal_keys=frozenset())
    story = lambda name, nums: {"id": name, "kind": "story", "name": name, "story_kind": "burst", "key": name.lower(),  # noqa: E731
                                "prs": nums}
    res: CheckResult = check_claims([story("Atlas", list(docs)), story("Match", list(verbs))], week)
    assert len(res.false) == 2 and "docs" in res.false[0] and "generic word" in res.false[1]


def test_trend_figures_and_rankings_are_recounted(scored, tmp_path):
    """An area's average over the weeks before, its change, its hot files and a story's
    situation are claims too: each, changed, is caught."""
    d = _copy(scored, "en", tmp_path)
    ctx0 = json.loads((d / "report.json").read_text(encoding="utf-8"))
    m = next(t for t in ctx0["trends"] if t["bullet"] and t["avg_prev"] is not None and len(t["hot_files"]) >= 2)

    def mutate(ctx):
        t = next(x for x in ctx["trends"] if x["module"] == m["module"])
        t["avg_prev"] = round(t["avg_prev"] + 1.5, 1)
        t["hot_files"] = t["hot_files"][::-1]
        story = ctx["themes"][0]
        story["situation"] = "fix_wave" if story["situation"] != "fix_wave" else "refactor"
    _rewrite(d, mutate)
    false = _check(scored, d).false
    sid = f"themes.{ctx0['themes'][0]['kind']}.{ctx0['themes'][0]['key']}.situation"
    assert any(x.startswith(f"trends.{m['module']}.avg_prev (avg_before)") for x in false), false
    assert any(x.startswith(f"trends.{m['module']}.change (compare)") for x in false), false
    assert any(x.startswith(f"trends.{m['module']}.hot_files (most)") for x in false), false
    assert any(x.startswith(f"{sid} (situation)") for x in false), false


def test_a_top_row_leaves_out_only_the_weeks_common_rule_tags(scored, tmp_path):
    """A rule tag on more than a quarter of the week is counted under the table, not repeated per
    row; any other tag a row drops is a false claim."""
    d = _copy(scored, "en", tmp_path)
    ctx = json.loads((d / "report.json").read_text(encoding="utf-8"))
    assert ctx["top_common"] and all(c["count"] * 4 > c["total"] for c in ctx["top_common"])
    assert "Not repeated per row" in (d / "report.md").read_text(encoding="utf-8")
    row = next(p for p in ctx["top"] if p["tag_ids"])
    _rewrite(d, lambda ctx: next(p for p in ctx["top"] if p["number"] == row["number"]).update(tag_ids=[]))
    false = _check(scored, d).false
    assert any(f"top.{row['number']}.tags" in x for x in false), false
    d2 = _copy(scored, "en", tmp_path / "b")
    _rewrite(d2, lambda ctx: ctx["top_common"][0].update(count=ctx["top_common"][0]["count"] - 1))
    assert any("top.common." in x for x in _check(scored, d2).false)
