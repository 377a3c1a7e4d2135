from __future__ import annotations


import pytest
from click.testing import CliRunner

from scorer.cli import main
from scorer.ingest import ingest_git
from scorer.records import load_prs


def by_number(df):
    return {int(r["number"]): r for r in df.to_dict("records")}


def test_ingest_recognises_both_merge_styles(history_repo):
    df, stats = ingest_git(history_repo.path, "acme/engine", show_progress=False)
    prs = by_number(df)
    assert sorted(prs) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert stats.squash == 8 and stats.merges == 1 and stats.skipped == 1  # the direct push
    merge = prs[7]
    assert merge["title"] == "[Feature] Attention backend"
    assert merge["author"] == "Feature Dev"  # the head commit's author, not the merger
    assert [f["filename"] for f in merge["files"]] == ["src/engine/attention.py"]
    assert merge["additions"] == 2 and merge["changed_files"] == 1  # diff against the first parent only


def test_ingest_file_details(history_repo):
    df, _ = ingest_git(history_repo.path, "acme/engine", show_progress=False)
    prs = by_number(df)
    fix = prs[2]
    assert fix["title"] == "[Bugfix] Fix the core loop"
    assert fix["co_authors"] == ["Grace Hopper"] and fix["signed_off_by"] == ["Ada Lovelace"]
    assert fix["body"] == "Longer body."
    assert {f["filename"]: (f["status"], f["additions"], f["deletions"]) for f in fix["files"]} == {
        "src/engine/core.py": ("modified", 1, 0), "tests/test_core.py": ("added", 2, 0)}
    rename = prs[3]["files"]
    assert rename == [{"filename": "src/engine/scheduler.py", "status": "renamed", "additions": 0, "deletions": 0,
                       "binary": False, "previous_filename": "src/engine/core.py"}]
    logo = prs[4]["files"][0]
    assert logo["binary"] is True and logo["status"] == "added"
    uni = prs[5]
    assert uni["title"] == "[Docs] 添加中文文档 ünïcode"
    assert uni["files"][0]["filename"] == "docs/模型/说明.md"
    assert prs[6]["files"] == [] and prs[6]["changed_files"] == 0
    assert prs[9]["title"] == 'Revert "[Perf] Rewrite scheduler (#8)"'
    assert df["line_counts_known"].all()


def test_ingest_since_until(history_repo):
    full = by_number(ingest_git(history_repo.path, "acme/engine", show_progress=False)[0])
    since, until = full[3]["merged_at"].isoformat(), full[4]["merged_at"].isoformat()
    df, _ = ingest_git(history_repo.path, "acme/engine", since=since, until=until, show_progress=False)
    assert sorted(df["number"]) == [3, 4]


def test_unreadable_blob_is_flagged_and_ingest_goes_on(make_repo):
    r = make_repo()
    r.write("a.py", "a\n")
    r.commit("First (#1)")
    r.write("b.py", "".join(f"unique content {i}\n" for i in range(10)))
    r.commit("Second (#2)")
    r.write("c.py", "c\n")
    r.commit("Third (#3)")
    blob = r.git("rev-parse", "HEAD~1:b.py").strip()
    obj = r.path / ".git" / "objects" / blob[:2] / blob[2:]
    obj.chmod(0o644)
    obj.unlink()
    df, stats = ingest_git(r.path, "acme/engine", show_progress=False)
    prs = by_number(df)
    assert sorted(prs) == [1, 2, 3]
    assert prs[2]["line_counts_known"] is False or not prs[2]["line_counts_known"]
    assert prs[2]["files"][0]["filename"] == "b.py" and prs[2]["files"][0]["additions"] is None
    assert prs[1]["line_counts_known"] and prs[3]["line_counts_known"]
    assert stats.fallbacks >= 1 and stats.unknown_counts == 1


def test_cli_ingest_git_roundtrip(history_repo, tmp_path):
    out = tmp_path / "prs.jsonl.gz"
    res = CliRunner().invoke(main, ["ingest", "git", str(history_repo.path), "--repo", "acme/engine", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "wrote 9 PRs" in res.output
    again = load_prs(out)
    assert len(again) == 9
    # Same input, same bytes.
    out2 = tmp_path / "again.jsonl.gz"
    CliRunner().invoke(main, ["ingest", "git", str(history_repo.path), "--repo", "acme/engine", "-o", str(out2)])
    assert out.read_bytes() == out2.read_bytes()


@pytest.mark.parametrize("ext", ["jsonl", "csv", "parquet"])
def test_ingest_file_formats_roundtrip(history_repo, tmp_path, ext):
    df, _ = ingest_git(history_repo.path, "acme/engine", show_progress=False)
    from scorer.records import save_prs
    src = tmp_path / f"src.{ext}"
    save_prs(df, src)
    res = CliRunner().invoke(main, ["ingest", "file", str(src), "-o", str(tmp_path / "out.jsonl")])
    assert res.exit_code == 0, res.output
    back = load_prs(tmp_path / "out.jsonl")
    assert back["number"].tolist() == df["number"].tolist()
    assert back["files"].tolist() == df["files"].tolist()
    assert back["co_authors"].tolist() == df["co_authors"].tolist()


def test_ingest_git_errors(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["ingest", "git", str(tmp_path), "--repo", "a/b", "-o", str(tmp_path / "x.jsonl")])
    assert res.exit_code == 2 and "not a git repository" in res.output
    assert "Traceback" not in res.output
    res = runner.invoke(main, ["ingest", "git", str(tmp_path), "--repo", "nope", "-o", str(tmp_path / "x.jsonl")])
    assert res.exit_code == 2 and "OWNER/NAME" in res.output
    assert not (tmp_path / "x.jsonl").exists()


def test_a_squash_subject_with_an_impossible_number_is_not_a_pr():
    """'(#99999999999999999999999999)' closing a subject overflowed int64 in to_frame; a PR number
    has at most 15 digits."""
    from scorer.ingest.git import SQUASH_RE, MERGE_RE

    assert SQUASH_RE.match("Fix x (#99999999999999999999999999)") is None
    assert SQUASH_RE.match("Fix x (#12345)").group("number") == "12345"
    assert MERGE_RE.match("Merge pull request #99999999999999999 from a/b") is None
