from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from scorer.cli import main

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_golden_markdown(scored, lang):
    got = (scored[2][lang] / "report.md").read_text(encoding="utf-8")
    golden = GOLDEN / f"report_{lang}.md"
    if os.environ.get("SCORER_UPDATE_GOLDEN"):
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8"), "report changed; run with SCORER_UPDATE_GOLDEN=1 if on purpose"


def test_scores_csv_and_highlight(scored):
    import pandas as pd
    df = pd.read_csv(scored[2]["en"] / "scores.csv")
    assert list(df.columns[:6]) == ["number", "title", "author", "merged_at", "importance", "highlight"]
    assert df["highlight"].sum() == 8 and df["importance"].is_monotonic_decreasing
    assert {"p:bug-inducing", "tags", "reasons"} <= set(df.columns)
    # Reasons for the rows the top table shows (the 8 highlighted), the rest only with --reasons all.
    has = df["reasons"].fillna("").str.len().gt(0)
    assert has.head(8).mean() > 0.8 and not has.iloc[8:].any()
    html = (scored[2]["en"] / "report.html").read_text(encoding="utf-8")
    assert html.count('<svg class="chart"') == 3 and '<table class="top">' in html
    assert html.count("<rect ") >= 20  # histogram bins plus theme and risk bars
    # A reader's page: headline cards, each chart beside its section, tag chips, reasons on demand.
    assert html.count('<div class="card">') == 5 and html.count('<section class="with-chart">') == 3
    assert '<span class="chip">' in html and html.count("<details>") >= 5


def test_reasons_all_explains_every_row(scored, tmp_path):
    import pandas as pd
    paths, bundle, _ = scored
    res = CliRunner().invoke(main, ["score", "--prs", str(paths["prs"]), "--model", str(bundle), "--week", "2025-W37",
                                    "--lang", "en", "--top-k", "8", "--reasons", "all", "--format", "md", "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(tmp_path / "engine" / "2025-W37" / "en" / "scores.csv")
    assert len(df) > 30 and df["reasons"].fillna("").str.len().gt(0).mean() > 0.8
    shown = pd.read_csv(scored[2]["en"] / "scores.csv")
    both = shown["reasons"].notna()
    assert (shown.loc[both, "reasons"] == df.loc[both, "reasons"]).all()  # the same words for the rows both explain


def test_score_errors(scored, tmp_path):
    paths, bundle, _ = scored
    runner = CliRunner()
    base = ["score", "--prs", str(paths["prs"]), "--model", str(bundle), "-o", str(tmp_path)]
    res = runner.invoke(main, base + ["--week", "2025-W99"])
    assert res.exit_code == 2 and "not a week" in res.output
    res = runner.invoke(main, base + ["--week", "last week"])
    assert res.exit_code == 2 and "2026-W18" in res.output
    res = runner.invoke(main, base + ["--week", "2030-W01"])
    assert res.exit_code == 2 and "no data for 2030-W01" in res.output
    other = tmp_path / "other.jsonl"
    other.write_text((json.dumps({"repo": "x/y", "number": 1, "title": "t", "author": "a",
                                  "merged_at": "2025-09-10T00:00:00Z", "additions": 1, "deletions": 0,
                                  "changed_files": 0, "files": []}) + "\n"))
    res = runner.invoke(main, ["score", "--prs", str(other), "--model", str(bundle), "--week", "2025-W37",
                               "-o", str(tmp_path)])
    assert res.exit_code == 2 and "trained for demo/engine" in res.output


def test_empty_period_writes_short_report(scored, tmp_path):
    paths, bundle, _ = scored
    # 2025-06-01 is a Sunday before the first simulated PR; its week (W22) still overlaps the table.
    res = CliRunner().invoke(main, ["score", "--prs", str(paths["prs"]), "--model", str(bundle), "--since",
                                    "2025-05-31", "--until", "2025-06-01", "--tz", "UTC", "--lang", "en",
                                    "-o", str(tmp_path)])
    assert res.exit_code == 2 or "No PRs were merged" in (tmp_path / "engine" / "2025-05-31_2025-06-01" / "en" / "report.md").read_text()


CHART_COLOURS = {"themes": (0x44, 0x77, 0xAA), "importance": (0x22, 0x88, 0x33), "risks": (0xCC, 0x33, 0x11)}


def _chromium() -> str | None:
    import shutil

    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_in_headless_chromium(scored, lang, tmp_path):
    """The page opens without console messages and its three charts are painted."""
    import subprocess

    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed (.ci/run installs Debian's chromium)")
    from PIL import Image

    page = scored[2][lang] / "report.html"
    html = page.read_text(encoding="utf-8")
    # Self-contained: nothing is fetched; the only links are to the PRs on GitHub.
    for attr, url in re.findall(r"""\b(src|href)=["']([^"']*)""", html):
        assert url.startswith("data:") or (attr == "href" and url.startswith(("https://github.com/", "#"))), url
    shot = tmp_path / "page.png"
    run = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                          "--enable-logging=stderr", "--log-level=0", "--window-size=1200,9000",
                          f"--screenshot={shot}", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert shot.exists(), run.stderr[-2000:]
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console
    pixels = np.asarray(Image.open(shot).convert("RGB")).reshape(-1, 3).astype(int)
    for chart, rgb in CHART_COLOURS.items():
        painted = int((np.abs(pixels - np.array(rgb)).sum(axis=1) < 12).sum())
        assert painted > 300, f"the {chart} chart is not visible ({painted} pixels of its colour)"


def test_typography():
    from scorer.report.render import cjk_spacing, report_env as _env

    assert cjk_spacing("主题是DSV4、前端与 API") == "主题是 DSV4、前端与 API"
    assert cjk_spacing("最重要的是 #1 (x，5.9 分)、 #2 和`a/b.py`") == "最重要的是 #1 (x，5.9 分)、#2 和 `a/b.py`"
    assert cjk_spacing("[#3](https://github.com/o/r/pull/3)修复`不动`") == "[#3](https://github.com/o/r/pull/3) 修复 `不动`"
    plural = _env("en").filters["plural"]
    assert plural(1, "new file") == "1 new file" and plural(3, "new file") == "3 new files"


def test_report_json_has_no_float_noise(scored):
    text = (scored[2]["en"] / "report.json").read_text(encoding="utf-8")
    assert not re.findall(r"\d\.\d{7,}", text)


def test_zh_html_renders_chinese_not_missing_glyph_boxes(scored, tmp_path):
    """The zh page's own text and styles, in headless Chromium: its Chinese must not paint the same
    boxes as code points no font has (private use), which is what a machine without a CJK font shows."""
    import subprocess

    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed (.ci/run installs Debian's chromium)")
    from PIL import Image

    html = (scored[2]["zh"] / "report.html").read_text(encoding="utf-8")
    style = re.search(r"<style>.*?</style>", html, re.S).group(0)
    text = re.search(r"<h1>(.*?)</h1>", html).group(1)
    han = "".join(re.findall(r"[\u4e00-\u9fff]", text))[:6]
    assert len(han) >= 4, text
    shots = {}
    for name, chars in (("han", han), ("tofu", "".join(chr(0xE000 + i) for i in range(len(han))))):
        page = tmp_path / f"{name}.html"
        page.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'>{style}</head>"
                        f"<body><h1 style='font-size:64px'>{chars}</h1></body></html>", encoding="utf-8")
        shot = tmp_path / f"{name}.png"
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--window-size=800,200", f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
        shots[name] = np.asarray(Image.open(shot).convert("L")) < 128
    assert shots["han"].sum() > 500, "the Chinese heading painted nothing"
    differ = (shots["han"] != shots["tofu"]).mean()
    assert differ > 0.01, "Chinese renders as missing-glyph boxes (install a CJK font, e.g. Debian's fonts-noto-cjk)"


def _json_leaves(data):
    if isinstance(data, dict):
        for v in data.values():
            yield from _json_leaves(v)
    elif isinstance(data, list):
        for v in data:
            yield from _json_leaves(v)
    else:
        yield data


def assert_markdown_numbers_in_json(md: str, data: dict) -> int:
    """Every number the Markdown prints is a figure of report.json: after taking out the texts the
    JSON holds verbatim (titles, summaries, names, dates), code spans, link targets and list
    ordinals, each remaining number must be a numeric leaf of the JSON. Returns how many were checked."""
    leaves = list(_json_leaves(data))
    numbers = {abs(float(x)) for x in leaves if isinstance(x, (int, float)) and not isinstance(x, bool)}
    text = re.sub(r"`[^`\n]*`", " ", md)
    text = re.sub(r"\]\([^)\s]*\)", "]", text)
    text = re.sub(r"(?m)^(#+ )?\d+\. ", "", text)
    for s in sorted({x for x in leaves if isinstance(x, str) and len(x) >= 3}, key=len, reverse=True):
        if re.search(r"\d", s):
            text = text.replace(s, " ").replace(s.replace("|", "/"), " ")
    found = [float(x) for x in re.findall(r"(?<![\w.])\d+(?:\.\d+)?", text)]
    missing = sorted({x for x in found if x not in numbers})
    assert not missing, f"numbers in report.md not in report.json: {missing[:10]}"
    return len(found)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_markdown_number_is_in_report_json(scored, lang):
    d = scored[2][lang]
    md = (d / "report.md").read_text(encoding="utf-8")
    data = json.loads((d / "report.json").read_text(encoding="utf-8"))
    assert assert_markdown_numbers_in_json(md, data) > 50


def test_each_pr_in_exactly_one_story(scored):
    data = json.loads((scored[2]["zh"] / "report.json").read_text(encoding="utf-8"))
    members = [n for t in data["themes"] for n in t["numbers"]] + data["themes_rest"]["numbers"]
    assert len(members) == len(set(members)) == data["header"]["n_prs"]
    assert sum(t["count"] for t in data["themes"]) + data["themes_rest"]["prs"] == data["header"]["n_prs"]
    by_module = {t["module"]: t["count"] for t in data["trends"]}
    for t in data["themes"]:
        if t["kind"] == "module":
            assert t["module_total"] == by_module[t["key"]] == t["count"] + t["elsewhere"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compiled_templates_render_as_the_source_does(scored, lang, tmp_path, monkeypatch):
    """The templates compiled into modules (what `pip install` builds into the package, and
    `python -m scorer.report.precompile` rebuilds) are used when they match the templates and
    Jinja, render a report exactly as the templates compiled from source do, and are ignored once
    a template changes."""
    import jinja2

    from scorer.report import jinja_env, render

    installed = jinja_env.precompiled_dirs(lang)
    assert installed, "the package's compiled templates are missing or stale: pip install -e . (or " \
                      "python -m scorer.report.precompile)"
    jinja_env.compile_templates(tmp_path / "compiled")
    monkeypatch.setattr(jinja_env, "COMPILED", tmp_path / "compiled")
    source = render.report_env
    source.cache_clear()
    try:
        assert isinstance(render.report_env(lang).loader, jinja2.ChoiceLoader)
        ctx = json.loads((scored[2][lang] / "report.json").read_text(encoding="utf-8"))
        fast = render.render_markdown(ctx), render.render_html(ctx)
        source.cache_clear()
        monkeypatch.setattr(render, "report_env", lambda lang: source(lang, precompiled=False))
        slow = render.render_markdown(ctx), render.render_html(ctx)
        assert fast == slow and fast[0] == (scored[2][lang] / "report.md").read_text(encoding="utf-8")
        manifest = tmp_path / "compiled" / "common" / "manifest.json"
        manifest.write_text(manifest.read_text().replace('"templates": "', '"templates": "0'), encoding="utf-8")
        assert jinja_env.precompiled_dirs(lang) is None  # built from other templates: compiled from source
    finally:
        source.cache_clear()  # later tests build their environments from the package's modules again


def test_first_by_orders_rows_as_a_frame_sort_would():
    """The report's risk and review lists sort plain rows; the order is a frame's
    sort_values([key, "number"], ascending=False): ties by number, a NaN key last."""
    import numpy as np
    import pandas as pd

    from scorer.report.week import first_by as _first_by

    rng = np.random.default_rng(7)
    for _ in range(50):
        n = int(rng.integers(1, 30))
        frame = pd.DataFrame({"number": rng.permutation(1000)[:n] + 1,
                              "p": rng.choice([0.1, 0.5, 0.9, np.nan], n)})
        want = frame.sort_values(["p", "number"], ascending=False)["number"].tolist()
        assert [r["number"] for r in _first_by(frame.to_dict("records"), lambda r: r["p"])] == want
