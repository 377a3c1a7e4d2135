from __future__ import annotations

import collections

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import bench_file
from scorer.cli import main
from scorer.errors import ScorerError
from scorer.ingest import ingest_git
from scorer.labels import (find_reverts, load_labels, load_release_notes, merge_labels, outcome_labels,
                           parse_changelog, parse_report, release_note_labels, release_windows, rule_labels,
                           save_labels)
from scorer.records import to_frame
from scorer.szz import szz_pairs
from scorer.taxonomy import load_taxonomy


def pr(number, day, title="[Feature] x", files=None, body=""):
    return {"repo": "a/b", "number": number, "title": title, "author": "x", "body": body,
            "merged_at": "2026-01-01T00:00:00Z" if day is None else
            (pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(days=day)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "additions": 1, "deletions": 0, "changed_files": 1, "merge_commit_sha": f"{number:07d}abc",
            "files": files or [{"filename": "src/x.py", "status": "modified", "additions": 1, "deletions": 0,
                                "binary": False, "previous_filename": None}]}


def pairs(rows):
    df = pd.DataFrame(rows, columns=["fix_pr", "fix_day", "inducing_pr", "inducing_day", "lines_blamed"])
    base = pd.Timestamp("2026-01-01", tz="UTC")
    df["fix_merged_at"] = base + pd.to_timedelta(df.pop("fix_day"), unit="D")
    df["inducing_merged_at"] = base + pd.to_timedelta(df.pop("inducing_day"), unit="D")
    return df


def test_outcomes_window_as_of_and_unlabeled():
    prs = to_frame([pr(1, 0), pr(2, 10), pr(3, 20), pr(4, 100), pr(5, 150)])
    p = pairs([(4, 100, 1, 0, 3),      # fix within 100 days: outside the 90-day window
               (3, 20, 2, 10, 2),      # fix 10 days later: counts
               (5, 150, 4, 100, 1)])   # counts, but only once the fix has merged
    lab = outcome_labels(prs, p, window_days=90).set_index("number")
    assert lab.loc[1, "tag:bug-inducing"] == 0 and lab.loc[2, "tag:bug-inducing"] == 1
    assert pd.isna(lab.loc[4, "tag:bug-inducing"]) and pd.isna(lab.loc[5, "tag:bug-inducing"])  # window open
    early = outcome_labels(prs, p, window_days=90, as_of=pd.Timestamp("2026-04-05", tz="UTC")).set_index("number")
    # On 2026-04-05 PR 2's window (to 04-11) is still open: unlabeled, and PRs 4, 5 are not known yet.
    assert pd.isna(early.loc[2, "tag:bug-inducing"]) and 4 not in early.index
    assert early.loc[1, "tag:bug-inducing"] == 0


def test_reverts_by_title_number_and_sha():
    prs = to_frame([pr(1, 0, "[Perf] Faster loop"), pr(2, 1, 'Revert "[Perf] Faster loop"'),
                    pr(3, 2, "[Core] Thing"), pr(4, 3, 'Revert "[Core] Thing (#3)"'),
                    pr(5, 4, "[Model] M"), pr(6, 5, "Revert model change", body="This reverts commit 0000005abc.")])
    rv = find_reverts(prs)
    assert dict(zip(rv["revert_pr"], rv["number"])) == {2: 1, 4: 3, 6: 5}
    lab = outcome_labels(prs, None).set_index("number")
    assert lab.loc[1, "tag:reverted"] == 1 and lab.loc[5, "tag:reverted"] == 1
    assert "tag:bug-inducing" not in lab


def test_release_notes_windows_and_mapping():
    # Each release's own PRs are in the table (a release naming mostly unknown PRs closes no window).
    prs = to_frame([pr(n, d) for n, d in [(1, 1), (2, 5), (3, 12), (4, 40), (5, 3)]] +
                   [pr(n, -10) for n in range(1000, 1058)] + [pr(n, 7) for n in range(2000, 2058)])
    notes = pd.DataFrame({"release": ["v1.0.0"] * 60 + ["v1.1.0"] * 60,
                          "release_date": ["2026-01-01"] * 60 + ["2026-01-15"] * 60,
                          "section": ["Highlights", "Fixes"] + ["Other"] * 58 + ["Highlights"] + ["x"] * 59,
                          "highlight": [1, 0] + [0] * 58 + [1] + [0] * 59,
                          "pr_number": [900, 901] + list(range(1000, 1058)) + [1] + [2] + list(range(2000, 2058)),
                          "partial": 0})
    notes.to_csv("/tmp/_notes.csv", index=False)
    lab = release_note_labels(prs, load_release_notes("/tmp/_notes.csv")).set_index("number")
    assert lab.loc[1, "importance"] == 9 and lab.loc[2, "importance"] == 6 and lab.loc[3, "importance"] == 3
    assert lab.loc[5, "importance"] == 3
    assert 4 not in lab.index  # merged after the last covered window: unlabeled


def test_markdown_changelog():
    md = "# Changelog\n\n## v2.0.0 (2026-02-01)\n### Highlights\n- Big thing (#101)\n### Fixes\n- fix (#102), #103\n" \
         "## v1.9.0\n- older (#90)\n"
    df = parse_changelog(md)
    assert df[df.release == "v2.0.0"].set_index("pr_number")["highlight"].to_dict() == {101: 1, 102: 0, 103: 0}
    assert df[df.release == "v1.9.0"]["pr_number"].tolist() == [90]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_parse_report(lang):
    head = ("## 重点 PR 速览\n\n| PR | 重要性 | 摘要 | 风险 |\n" if lang == "zh"
            else "## Top PRs at a glance\n\n| PR | Importance | Summary | Risks |\n")
    text = (f"# vLLM\n\nRepository: `vllm-project/vllm`\n\nThemes mention #555 and #556.\n\n{head}"
            "|---|---|---|---|\n| [#40860](https://github.com/vllm-project/vllm/pull/40860) | 8.7 | x | y |\n"
            "| [#40861](https://github.com/vllm-project/vllm/pull/40861) | 5.0 | x | |\n")
    df = parse_report(text, "r.md").set_index("number")
    assert df.loc[40860, "importance"] == 8.7 and df.loc[40861, "importance"] == 5.0
    assert df.loc[555, "mentioned"] == 1 and pd.isna(df.loc[555, "importance"])
    assert (df["repo"] == "vllm-project/vllm").all()


def test_report_without_table_is_an_error(tmp_path):
    p = tmp_path / "r.md"
    p.write_text("# Weekly\n\nRepository: a/b\n\nNothing here #12.\n")
    res = CliRunner().invoke(main, ["label", "report", str(p), "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "no top-PR table" in res.output
    assert not (tmp_path / "o.csv").exists()


def test_rule_tags():
    tax = load_taxonomy("vllm")
    f = lambda name: {"filename": name, "status": "modified", "additions": 1, "deletions": 0, "binary": False}
    prs = to_frame([pr(1, 0, files=[f("vllm/v1/core/sched/scheduler.py")]),
                    pr(2, 0, files=[f("vllm/v1/core/sched/scheduler.py"), f("tests/v1/test_s.py")]),
                    pr(3, 0, files=[f("requirements/rocm.txt")]),
                    pr(4, 0, files=[f("vllm/platforms/rocm.py"), f("tests/x/test_y.py")]),
                    pr(5, 0, files=[f("vllm/entrypoints/openai/api_server.py"), f("docs/a.md")]),
                    pr(6, 0, files=[f("docs/usage.md")])])
    lab = rule_labels(prs, tax).set_index("number")
    assert lab.loc[1, ["tag:core-path", "tag:missing-tests"]].tolist() == [1, 1]
    assert lab.loc[2, ["tag:core-path", "tag:missing-tests"]].tolist() == [1, 0]
    assert lab.loc[3, "tag:dependency"] == 1 and lab.loc[3, "tag:missing-tests"] == 0
    assert lab.loc[4, "tag:platform"] == 1 and lab.loc[4, "tag:missing-tests"] == 0
    assert lab.loc[5, "tag:interface"] == 1
    assert lab.loc[6].filter(like="tag:").sum() == 0


def test_merge_conflicts_are_reported(tmp_path):
    a = pd.DataFrame({"repo": ["a/b"] * 2, "number": [1, 2], "importance": [3.0, np.nan], "source": "x"})
    b = pd.DataFrame({"repo": ["a/b"] * 2, "number": [1, 3], "importance": [6.0, 9.0], "source": "y"})
    with pytest.raises(ScorerError, match="conflicting 'importance' for 1 PRs \\(e.g. #1\\)"):
        merge_labels([a, b])
    m = merge_labels([a, b], on_conflict="max").set_index("number")
    assert m.loc[1, "importance"] == 6 and pd.isna(m.loc[2, "importance"]) and m.loc[3, "importance"] == 9
    assert m.loc[1, "source"] == "x+y"


def test_labels_table_roundtrip_keeps_empty_cells(tmp_path):
    df = pd.DataFrame({"repo": ["a/b"] * 3, "number": [1, 2, 3], "tag:bug-inducing": pd.array([1, 0, None], "Int8"),
                       "source": "outcomes"})
    save_labels(df, tmp_path / "l.csv")
    back = load_labels(tmp_path / "l.csv")
    assert back["tag:bug-inducing"].tolist()[:2] == [1, 0] and pd.isna(back["tag:bug-inducing"].iloc[2])
    (tmp_path / "bad.csv").write_text("repo,number,tag:x\na/b,1,2\n")
    with pytest.raises(ScorerError, match="bad.csv:2, field 'tag:x'"):
        load_labels(tmp_path / "bad.csv")


def test_taxonomy_errors(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text("modules: [\n  - id: x\n")
    with pytest.raises(ScorerError, match="not valid YAML"):
        load_taxonomy(str(bad))
    with pytest.raises(ScorerError, match="unknown taxonomy"):
        load_taxonomy("nope")
    generic = load_taxonomy(None, repo="someone/else")
    assert generic.module_of("server/handlers/x.go") == "server" and generic.module_of("setup.py") == "root"
    # Anchors and aliases are refused (nested aliases expand exponentially), naming the line.
    for text, what in [("a: &x [1]\nb: 2\n", "anchors"), ("a: [1]\nb:\n  - c\n  - *x\n", "aliases")]:
        bad.write_text(text)
        with pytest.raises(ScorerError, match=f"t.yaml:\\d+.*{what} .* not allowed") as err:
            load_taxonomy(str(bad))
        assert str(err.value).count("\n") == 0


def test_vllm_taxonomy_covers_2026_source_lines():
    from scorer.records import load_prs
    prs = load_prs(bench_file("vllm", "prs.jsonl.gz"))
    tax = load_taxonomy("vllm")
    lines = collections.Counter()
    for files, merged in zip(prs["files"], prs["merged_at"]):
        if merged.year != 2026:
            continue
        for f in files:
            if tax.is_test(f["filename"]) or tax.is_doc(f["filename"]):
                continue
            lines[tax.module_of(f["filename"]) != "other"] += (f["additions"] or 0) + (f["deletions"] or 0)
    assert lines[True] / (lines[True] + lines[False]) >= 0.95


def test_benchmark_outcome_base_rate():
    from scorer.labels import load_szz_pairs
    from scorer.records import load_prs
    prs = load_prs(bench_file("vllm", "prs.jsonl.gz"))
    lab = outcome_labels(prs, load_szz_pairs(bench_file("vllm", "szz_pairs.csv")))
    rate = lab["tag:bug-inducing"].mean()
    assert 0.15 < rate < 0.23  # ~19% blamed within 90 days


def test_cli_label_bad_inputs(tmp_path):
    runner = CliRunner()
    prs = to_frame([pr(1, 0), pr(2, 1)])
    from scorer.records import save_prs
    save_prs(prs, tmp_path / "prs.jsonl")
    (tmp_path / "notes.csv").write_text("release,release_date,section,highlight,pr_number,partial\nv1,2026-01-01,x,0,,0\n")
    res = runner.invoke(main, ["label", "release-notes", "--prs", str(tmp_path / "prs.jsonl"), "--notes",
                               str(tmp_path / "notes.csv"), "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "name no PR numbers" in res.output
    (tmp_path / "notes2.csv").write_text("release,release_date,section,highlight,pr_number,partial\nv1,2026-01-01,x,0,777,0\n")
    res = runner.invoke(main, ["label", "release-notes", "--prs", str(tmp_path / "prs.jsonl"), "--notes",
                               str(tmp_path / "notes2.csv"), "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "none of the PR numbers" in res.output
    (tmp_path / "tax.yaml").write_text("modules: {oops")
    res = runner.invoke(main, ["label", "rules", "--prs", str(tmp_path / "prs.jsonl"), "--taxonomy",
                               str(tmp_path / "tax.yaml"), "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "tax.yaml" in res.output
    assert not (tmp_path / "o.csv").exists()


def test_szz_finds_planted_bug(make_repo):
    r = make_repo()
    r.write("src/calc.py", "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n")
    r.commit("[Core] Calculator (#1)")
    r.write("src/calc.py", "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n\n\n"
                           "def div(a, b):\n    return a * b  # planted bug\n")
    r.write("tests/test_calc.py", "def test():\n    pass\n")
    r.commit("[Feature] Add division (#2)", author="Bug Author")
    r.write("README.md", "calc\n")
    r.commit("[Docs] Readme (#3)")
    r.write("src/calc.py", "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n\n\n"
                           "def div(a, b):\n    return a / b\n")
    r.write("tests/test_calc.py", "def test():\n    assert True\n")
    r.commit("[Bugfix] Fix division (#4)")
    prs, _ = ingest_git(r.path, "acme/calc", show_progress=False)
    out = szz_pairs(r.path, prs, load_taxonomy(None, repo="acme/calc"), show_progress=False)
    assert out[["fix_pr", "inducing_pr", "file", "lines_blamed"]].values.tolist() == [[4, 2, "src/calc.py", 1]]


def test_changelog_with_release_candidates_finals_and_backports():
    """vllm-ascend's shape: dotted dates, Markdown links (other repositories' links ignored), a final
    summarising its candidates, a release-branch candidate naming backports, † marks, Known issues."""
    from conftest import ROOT

    path = ROOT / "tests" / "fixtures" / "changelog_rc_final.md"
    notes = load_release_notes(path, repo="o/r")
    by = notes.groupby("release")["pr_number"].apply(lambda s: sorted(set(s))).to_dict()
    assert by["v1.2.0"] == [10, 31, 901] and by["v1.2.0rc1"] == [31, 32, 33]
    assert 5555 not in set(notes["pr_number"]) and 11 not in by["v1.2.0"]  # upstream link, Known issues
    assert notes.loc[notes["pr_number"] == 901, "backport"].tolist() == [1]
    assert str(notes.loc[notes["release"] == "v1.2.0", "release_date"].iloc[0].date()) == "2026-03-20"
    day = lambda d: (pd.Timestamp(d, tz="UTC") - pd.Timestamp("2026-01-01", tz="UTC")).days
    prs = to_frame([pr(1, day("2026-01-15")), pr(10, day("2026-02-01")), pr(11, day("2026-02-05")),
                    pr(20, day("2026-02-08")), pr(31, day("2026-02-15")), pr(32, day("2026-02-25")),
                    pr(33, day("2026-02-26")), pr(40, day("2026-02-27")), pr(50, day("2026-03-10"))])
    wins = release_windows(notes, prs)
    # The final summarises, the branch candidate names backports (none in the table): neither closes a window.
    assert wins["release"].tolist() == ["v1.0.0rc1", "v1.1.0rc1", "v1.2.0rc1"]
    assert wins["covered"].tolist() == [False, True, True]
    lab = release_note_labels(prs, notes).set_index("number")
    assert lab.loc[10, "importance"] == 9 and lab.loc[31, "importance"] == 9   # Highlights of any release
    assert lab.loc[11, "importance"] == 6 and lab.loc[32, "importance"] == 6
    assert lab.loc[20, "importance"] == 3 and lab.loc[40, "importance"] == 3   # in a covered window, unnamed
    assert 50 not in lab.index   # merged after the last candidate: no release has judged it yet
    assert lab.loc[1, "importance"] == 6   # named, though before the first covered window...
    assert pd.isna(lab.loc[1, "tag:named"])  # ...where nobody judged the unnamed: no class label
    assert lab.loc[20, "tag:named"] == 0 and lab.loc[11, "tag:named"] == 1


def test_cli_release_notes_markdown(tmp_path):
    from conftest import ROOT

    prs = to_frame([pr(n, d) for n, d in [(1, 14), (10, 31), (11, 35), (20, 38), (31, 45), (32, 55)]])
    prs["repo"] = "o/r"
    from scorer.records import save_prs

    save_prs(prs, tmp_path / "prs.jsonl")
    res = CliRunner().invoke(main, ["label", "release-notes", "--prs", str(tmp_path / "prs.jsonl"), "--notes",
                                    str(ROOT / "tests" / "fixtures" / "changelog_rc_final.md"), "-o", str(tmp_path / "n.csv")])
    assert res.exit_code == 0, res.output
    assert "5 releases; 3 close a window, 2 windows covered" in res.output
    lab = load_labels(tmp_path / "n.csv").set_index("number")
    assert lab["importance"].to_dict() == {1: 6.0, 10: 9.0, 11: 6.0, 20: 3.0, 31: 9.0, 32: 6.0}


@pytest.mark.parametrize("name", ["copied_zh.txt", "copied_en.txt"])
def test_report_copied_from_a_web_page(name):
    """Plain text as a browser copies it: no '#' headings, the slug alone on a line, a tab-separated table."""
    from conftest import ROOT

    path = ROOT / "tests" / "fixtures" / "reports" / name
    df = parse_report(path.read_text(encoding="utf-8"), str(path)).set_index("number")
    assert (df["repo"] == "vllm-project/vllm").all()
    assert df["importance"].dropna().to_dict() == {40860: 9.5, 41228: 8.0, 40389: 6.5}
    assert df.loc[40950, "mentioned"] == 1 and pd.isna(df.loc[40950, "importance"])
    if name == "copied_zh.txt":
        assert 41445 in df.index


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_markdown_as_scorer_writes_it(lang):
    from conftest import ROOT

    path = ROOT / "tests" / "golden" / f"report_{lang}.md"
    df = parse_report(path.read_text(encoding="utf-8"), str(path))
    top = df.dropna(subset=["importance"])
    assert (df["repo"] == "demo/engine").all() and len(top) == 8  # the golden week highlights 8 PRs
    assert top["importance"].between(0, 10).all() and (df.loc[df["importance"].isna(), "mentioned"] == 1).all()


def test_cli_label_report_repo_option(tmp_path):
    from conftest import ROOT

    d = ROOT / "tests" / "fixtures" / "reports"
    runner = CliRunner()
    out = tmp_path / "r.csv"
    res = runner.invoke(main, ["label", "report", str(d / "copied_no_repo.txt"), "-o", str(out)])
    assert res.exit_code == 2 and "--repo" in res.output and not out.exists()
    res = runner.invoke(main, ["label", "report", str(d / "copied_no_repo.txt"), "--repo", "vllm-project/vllm",
                               "-o", str(out)])
    assert res.exit_code == 0, res.output
    lab = load_labels(out)
    assert set(lab["repo"]) == {"vllm-project/vllm"} and lab["importance"].notna().sum() == 2
    # Unnamed PRs are not turned into zeros: only the reports' own PRs are in the table.
    assert set(lab["number"]) == {40860, 41228}
    res = runner.invoke(main, ["label", "report", str(d / "copied_zh.txt"), "--repo", "other/repo", "-o", str(out)])
    assert res.exit_code == 2 and "names vllm-project/vllm, not other/repo" in res.output
    res = runner.invoke(main, ["label", "report", str(d / "copied_no_table.txt"), "-o", str(out)])
    assert res.exit_code == 2 and "no top-PR table" in res.output and "Traceback" not in res.output
    res = runner.invoke(main, ["label", "report", str(d / "copied_zh.txt"), "--repo", "bad slug", "-o", str(out)])
    assert res.exit_code == 2 and "OWNER/NAME" in res.output


def test_cli_release_notes_without_a_covered_window_is_an_error(tmp_path):
    from scorer.records import save_prs

    prs = to_frame([pr(n, d) for n, d in [(10, 31), (11, 35)]])
    save_prs(prs, tmp_path / "prs.jsonl")
    (tmp_path / "notes.md").write_text("## v1.0.0 - 2026.02.01\n- thing #10\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["label", "release-notes", "--prs", str(tmp_path / "prs.jsonl"), "--notes",
                                    str(tmp_path / "notes.md"), "-o", str(tmp_path / "n.csv")])
    assert res.exit_code == 2 and "no release window is covered" in res.output and not (tmp_path / "n.csv").exists()


def test_first_module_regex_picks_what_the_module_loop_picks():
    """Taxonomy._classify finds the module with one combined regex; it must pick the first module
    in order whose globs match, as the loop over modules does (every shipped taxonomy)."""
    from scorer.taxonomy import available_taxonomies

    paths = ["vllm/model_executor/models/llama.py", "tests/models/test_llama.py", "docs/source/index.md",
             "csrc/attention/attention_kernels.cu", "vllm/v1/core/sched/scheduler.py", "setup.py",
             "requirements/cuda.txt", "vllm_ascend/ops/fused_moe.py", "README.md", "a/b/c/d.go", "x",
             "vllm/entrypoints/openai/api_server.py", "vllm/platforms/rocm.py", ".github/workflows/ci.yml"]
    for name in available_taxonomies():
        tax = load_taxonomy(name)
        assert tax._first_module is not None, name
        fast = [tax._classify(p).module for p in paths]
        loop = [next((m.id for m in tax.modules if m.pattern is not None and m.pattern.match(p)), "other")
                for p in paths]
        if tax.generic:
            loop = [m if m != "other" else (p.split("/", 1)[0] if "/" in p else "root") for m, p in zip(loop, paths)]
        assert fast == loop, name


def test_a_changelog_reference_longer_than_a_pr_number_is_not_one():
    """Found by the deep randomized run: `#20000000000000000000` overflowed int64 in the notes
    table. A PR number has at most 15 digits (as in ingest git); longer is not a reference."""
    df = parse_changelog("## v1.0.0 - 2026.01.02\n### Highlights\n- #20000000000000000000 and "
                         "https://github.com/a/b/pull/99999999999999999999 and #123\n")
    assert df["pr_number"].tolist() == [123]
