from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import bench_file
from scorer.cli import main
from scorer.errors import ScorerError
from scorer.records import load_prs, save_prs

GOOD = {"repo": "a/b", "number": 5, "title": "T", "author": "x", "merged_at": "2026-01-02T03:04:05Z",
        "additions": 3, "deletions": 1, "changed_files": 1,
        "files": [{"filename": "f.py", "status": "modified", "additions": 3, "deletions": 1, "binary": False}]}


def write_jsonl(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


@pytest.mark.parametrize("name,expected", [("vllm", 16673), ("vllm-ascend", 4732)])
def test_benchmark_tables_load(name, expected):
    df = load_prs(bench_file(name, "prs.jsonl.gz"))
    assert len(df) == expected
    assert df["repo"].nunique() == 1
    assert df["number"].is_unique
    assert str(df["merged_at"].dtype).startswith("datetime64") and str(df["merged_at"].dt.tz) == "UTC"
    for col in ("additions", "deletions", "changed_files", "number"):
        assert df[col].dtype == "int64"
    known = df[df["line_counts_known"]]
    # Totals agree with the per-file lists wherever line counts are known.
    adds = known["files"].map(lambda fs: sum(f["additions"] or 0 for f in fs))
    assert (adds == known["additions"]).mean() > 0.99
    assert (df["files"].map(len) == df["changed_files"]).mean() > 0.99
    assert df["merged_at"].is_monotonic_decreasing


def test_optional_api_fields_are_kept(tmp_path):
    row = dict(GOOD, labels=["bug", "ci"], created_at="2026-01-01T00:00:00Z", comments=4, reviews=2, state="merged")
    df = load_prs(write_jsonl(tmp_path / "a.jsonl", [row]))
    assert df.loc[0, "labels"] == ["bug", "ci"] and df.loc[0, "comments"] == 4
    assert df.loc[0, "created_at"] == pd.Timestamp("2026-01-01", tz="UTC")
    save_prs(df, tmp_path / "b.parquet")
    assert load_prs(tmp_path / "b.parquet").loc[0, "labels"] == ["bug", "ci"]


def test_bad_json_line_names_file_and_line(tmp_path):
    p = write_jsonl(tmp_path / "bad.jsonl", [GOOD, "{not json", GOOD])
    with pytest.raises(ScorerError, match=r"bad.jsonl:2: not valid JSON"):
        load_prs(p)


def test_string_where_number_belongs(tmp_path):
    p = write_jsonl(tmp_path / "bad.jsonl", [GOOD, dict(GOOD, number=6, additions="many")])
    with pytest.raises(ScorerError, match=r"bad.jsonl:2, field 'additions': expected an integer"):
        load_prs(p)


def test_missing_required_field(tmp_path):
    row = dict(GOOD)
    del row["merged_at"]
    with pytest.raises(ScorerError, match=r":1, field 'merged_at': required field is missing"):
        load_prs(write_jsonl(tmp_path / "bad.jsonl", [row]))


def test_bad_nested_file_field(tmp_path):
    row = dict(GOOD, files=[{"filename": "x", "status": "exploded"}])
    with pytest.raises(ScorerError, match=r"field 'files\[0\].status'"):
        load_prs(write_jsonl(tmp_path / "bad.jsonl", [row]))


def test_truncated_gzip(tmp_path):
    data = gzip.compress(("\n".join(json.dumps(dict(GOOD, number=i)) for i in range(1, 500))).encode())
    p = tmp_path / "cut.jsonl.gz"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(ScorerError, match="truncated gzip"):
        load_prs(p)


def test_empty_file(tmp_path):
    for name in ("empty.jsonl", "empty.csv"):
        p = tmp_path / name
        p.write_text("")
        with pytest.raises(ScorerError, match="holds no PRs"):
            load_prs(p)


def test_csv_wrong_type_names_line(tmp_path):
    df = load_prs(write_jsonl(tmp_path / "a.jsonl", [GOOD, dict(GOOD, number=7)]))
    save_prs(df, tmp_path / "a.csv")
    text = (tmp_path / "a.csv").read_text().splitlines()
    text[2] = text[2].replace(",3,1,1,", ",3,oops,1,", 1)
    (tmp_path / "b.csv").write_text("\n".join(text) + "\n")
    with pytest.raises(ScorerError, match=r"b.csv:3, field 'deletions'"):
        load_prs(tmp_path / "b.csv")


def test_cli_bad_input_is_one_line_without_traceback(tmp_path):
    p = write_jsonl(tmp_path / "bad.jsonl", [GOOD, "[1, 2"])
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, ["ingest", "file", str(p), "-o", str(out)])
    assert res.exit_code == 2
    assert res.output.strip().count("\n") == 0 and "bad.jsonl:2" in res.output
    assert not out.exists()


def test_duplicate_numbers_rejected(tmp_path):
    p = write_jsonl(tmp_path / "dup.jsonl", [GOOD, GOOD])
    res = CliRunner().invoke(main, ["ingest", "file", str(p), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2 and "dup.jsonl:2" in res.output and "appears twice (first on line 1)" in res.output
