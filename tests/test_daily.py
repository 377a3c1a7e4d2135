"""The daily activity report on a day of the simulated sample (which carries an activity table)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import unclaimed_numbers

from scorer.cli import main
from scorer.ingest.github import load_activity
from scorer.simulate import write_sample

SECTIONS = {"zh": ["## 状态摘要", "## 平台与生态", "## 讨论最多", "## 值得关注的变更", "## 需要留意", "## 活动观察", "## 附录"],
            "en": ["## Status summary", "## Platforms and ecosystem", "## Most discussed", "## Notable changes",
                   "## Watch items", "## Activity observations", "## Appendix"]}
DAY = "2025-09-10"


@pytest.fixture(scope="module")
def daily(tmp_path_factory):
    d = tmp_path_factory.mktemp("daily")
    paths = write_sample(d / "sample", weeks=16, seed=3, prs_per_week=40)
    bundle = d / "m"
    runner = CliRunner()
    res = runner.invoke(main, ["train", "--prs", str(paths["prs"]), "--labels", str(paths["labels"]), "--until",
                               "2025-09-07", "-o", str(bundle)])
    assert res.exit_code == 0, res.output
    out = {}
    for lang in ("zh", "en"):
        res = runner.invoke(main, ["report", "daily", "--activity", str(paths["activity"]), "--prs", str(paths["prs"]),
                                   "--model", str(bundle), "--date", DAY, "--lang", lang, "-o", str(d / lang)])
        assert res.exit_code == 0, res.output
        out[lang] = d / lang / "engine" / "daily" / DAY / lang
    return paths, bundle, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_section_and_every_count_matches_the_json(daily, lang):
    paths, _, out = daily
    md = (out[lang] / "report.md").read_text(encoding="utf-8")
    data = json.loads((out[lang] / "report.json").read_text(encoding="utf-8"))
    for heading in SECTIONS[lang]:
        assert heading in md
    # The counts against the activity table itself (times in Asia/Shanghai).
    act = load_activity(paths["activity"])
    start = pd.Timestamp(DAY, tz="Asia/Shanghai")
    end = start + pd.Timedelta(days=1)
    inside = lambda c: act[c].notna() & (act[c] >= start) & (act[c] < end)  # noqa: E731
    c = data["counts"]
    assert c["new_issues"] == int(((act["kind"] == "issue") & inside("created_at")).sum()) > 0
    assert c["merged_prs"] == int(((act["kind"] == "pr") & inside("merged_at")).sum()) > 0
    assert c["closed_unmerged"] == int(((act["kind"] == "pr") & inside("closed_at") & act["merged_at"].isna()).sum())
    for key, n in c.items():
        assert len(data["appendix"][key]) == n
        assert re.search(rf"\({n}\)", md)
    # Every number in the header and the status summary is a figure of report.json.
    head = md.split(SECTIONS[lang][1])[0]
    head = re.sub(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?|model \S+ [\d.]+|模型 \S+ [\d.]+", "", head)
    s = data["summary"]
    allowed = set(c.values()) | {s["contributors"], s["bots"], s["open_bug_issues"]} | {k["count"] for k in s["kinds"]}
    if s["avg_importance"] is not None:
        allowed.add(s["avg_importance"])
    numbers = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", head)]
    assert numbers and all(x in {float(a) for a in allowed} for x in numbers), (numbers, allowed)
    # Notable changes are the window's merged PRs, by importance.
    imps = [n["importance"] for n in data["notable"]]
    assert imps == sorted(imps, reverse=True) and len(imps) == min(5, c["merged_prs"])


def test_empty_window_is_a_short_valid_report(daily, tmp_path):
    paths, bundle, _ = daily
    res = CliRunner().invoke(main, ["report", "daily", "--activity", str(paths["activity"]), "--prs", str(paths["prs"]),
                                    "--model", str(bundle), "--date", "2024-01-01", "--lang", "en", "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    md = (tmp_path / "engine" / "daily" / "2024-01-01" / "en" / "report.md").read_text()
    assert "Nothing was opened, merged or closed" in md and "0 new issues" in md


def test_bad_activity_input(daily, tmp_path):
    paths, bundle, _ = daily
    bad = tmp_path / "a.jsonl"
    bad.write_text('{"repo": "demo/engine", "kind": "epic", "number": 1, "title": "x", "created_at": "2025-09-10"}\n')
    res = CliRunner().invoke(main, ["report", "daily", "--activity", str(bad), "--prs", str(paths["prs"]), "--model",
                                    str(bundle), "--date", DAY, "-o", str(tmp_path / "r")])
    assert res.exit_code == 2 and "a.jsonl:1, field 'kind'" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(main, ["report", "daily", "--activity", str(paths["activity"]), "--prs", str(paths["prs"]),
                                    "--model", str(bundle), "-o", str(tmp_path / "r")])
    assert res.exit_code == 2 and "--date" in res.output


def test_daily_html_in_headless_chromium(daily, tmp_path):
    """Self-contained (links only to GitHub), opens without console messages, and its text is painted."""
    from conftest import open_in_chromium

    page = daily[2]["zh"] / "report.html"
    html = page.read_text(encoding="utf-8")
    assert "<h2>状态摘要</h2>" in html and "<h3>" in html
    pixels = open_in_chromium(page, tmp_path / "daily.png", width=1000)
    assert (pixels < 100).sum() > 5000  # dark text on the page


def test_daily_claims_hold_and_false_ones_are_caught(daily, tmp_path):
    """Every claim of the day's report recounts from the activity table, the PR table and the
    scores; a changed count, an item said closed before it was, and a platform key in prose are
    each caught."""
    import shutil

    from scorer.pipeline import check_report
    from scorer.report.daily_claims import daily_claims

    paths, bundle, out = daily
    for lang in ("zh", "en"):
        res = check_report(out[lang], paths["prs"], bundle, activity_path=paths["activity"])
        assert res.false == [], res.false
        assert unclaimed_numbers(out[lang]) == []
        assert res.checked["count"] >= 6 and res.checked["row"] >= 10 and res.checked["stat"] >= 2
    d = tmp_path / "r"
    shutil.copytree(out["en"], d)
    ctx = json.loads((d / "report.json").read_text(encoding="utf-8"))
    ctx.pop("claims")
    ctx["counts"]["merged_prs"] += 1
    item = ctx["appendix"]["new_issues"][0]
    item["state"] = "closed" if item["state"] == "open" else "open"
    ctx["platforms"].append({"name": "rocm", "key": "rocm", "count": 0, "entries": []})
    ctx["claims"] = daily_claims(ctx)
    (d / "report.json").write_text(json.dumps(ctx, ensure_ascii=False), encoding="utf-8")
    false = check_report(d, paths["prs"], bundle, activity_path=paths["activity"]).false
    assert any(x.startswith("counts.merged_prs (count): states") for x in false), false
    assert any(f"appendix.new_issues.{item['number']}.state (row)" in x for x in false), false
    assert any("internal key 'rocm' in prose" in x for x in false), false
    res = CliRunner().invoke(main, ["check-report", str(d), "--prs", str(paths["prs"]), "--model", str(bundle)])
    assert res.exit_code == 2 and "--activity" in res.output and "Traceback" not in res.output
