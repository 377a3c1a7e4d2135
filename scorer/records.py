"""The canonical PR table: one row per merged PR, files kept as a nested list.

Every later stage reads this table, whatever the source (git history, an API
export, a labelled CSV). Storage formats:

* JSONL (optionally gzipped): one PR object per line, ``files`` a list of objects.
* Parquet: the same columns; ``files`` a list<struct> column.
* CSV: one PR per row; list-valued columns (``files``, ``co_authors``,
  ``signed_off_by``, ``labels``) hold JSON text.

Validation names the file, the line (JSONL/CSV) or row (Parquet) and the field.
"""

from __future__ import annotations

import gzip
import io
import json
import math
import os
import zlib
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .errors import ScorerError, first_line, shown
from .fileio import atomic_path, require_input
from .pqtable import json_record, open_scorer_parquet, valid_slug, write_parquet

REQUIRED: dict[str, str] = {
    "repo": "str",
    "number": "int",
    "title": "str",
    "author": "str",
    "merged_at": "datetime",
    "additions": "int",
    "deletions": "int",
    "changed_files": "int",
    "files": "files",
}
OPTIONAL: dict[str, str] = {
    "body": "str",
    "authored_at": "datetime",
    "merge_commit_sha": "str",
    "co_authors": "strlist",
    "signed_off_by": "strlist",
    "line_counts_known": "bool",
    # Fields an API source supplies; kept when present.
    "labels": "strlist",
    "created_at": "datetime",
    "closed_at": "datetime",
    "updated_at": "datetime",  # the API's last change of the PR: a replayed older event never overwrites a newer row
    "state": "str",
    "comments": "int",
    "review_comments": "int",
    "reviews": "int",
    "approvals": "int",
    "changes_requested": "int",
    "requested_reviewers": "strlist",
    "draft": "bool",
}
LIST_FIELDS = ("files", "co_authors", "signed_off_by", "labels", "requested_reviewers")
FILE_STATUSES = {"added", "modified", "removed", "renamed", "copied"}
COLUMNS = list(REQUIRED) + [k for k in OPTIONAL]


# ---------------------------------------------------------------- validation

def _is_int(v: Any) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


MAX_COUNT = 2**53  # PR numbers and counts: exact in a float, far beyond any real repository
MIN_YEAR, MAX_YEAR = 1970, 2100  # merge times outside these years are typos or forgeries


def _text(value: str, path: str, line: int, field: str) -> str:
    """Text must be encodable: a lone surrogate (JSON "\\ud800") would fail every later write."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ScorerError("text holds a lone surrogate, not valid Unicode", path=path, line=line, field=field) from None
    return value


def _count(v: int, path: str, line: int, field: str) -> int:
    if not 0 <= v <= MAX_COUNT:
        raise ScorerError(f"expected a count from 0 to 2**53, got {v}", path=path, line=line, field=field)
    return v


def _coerce(value: Any, kind: str, path: str, line: int, field: str) -> Any:
    """Check one value against its declared kind; CSV strings are parsed, JSON types are not bent."""
    t = type(value)
    if kind == "str" and t is str:
        return _text(value, path, line, field)
    if kind == "int" and t is int:
        return _count(value, path, line, field)
    if kind == "str":
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ScorerError(f"expected text, got {type(value).__name__} {shown(value)}", path=path, line=line, field=field)
        return value
    if kind == "int":
        if _is_int(value):
            return _count(int(value), path, line, field)
        if isinstance(value, float) and value.is_integer():
            return _count(int(value), path, line, field)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) <= 20:
            return _count(int(value), path, line, field)
        raise ScorerError(f"expected an integer, got {shown(value)}", path=path, line=line, field=field)
    if kind == "bool":
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        if _is_int(value) and value in (0, 1):
            return bool(value)
        raise ScorerError(f"expected true/false, got {shown(value)}", path=path, line=line, field=field)
    if kind == "datetime":
        if isinstance(value, pd.Timestamp):
            if not MIN_YEAR <= value.year <= MAX_YEAR:
                raise ScorerError(f"year {value.year} is outside {MIN_YEAR}-{MAX_YEAR}", path=path, line=line, field=field)
            return value.tz_localize("UTC") if value.tzinfo is None else value.tz_convert("UTC")
        if not isinstance(value, str) or not value:
            raise ScorerError(f"expected an ISO 8601 timestamp, got {shown(value)}", path=path, line=line, field=field)
        try:
            year = datetime.fromisoformat(value.replace("Z", "+00:00")).year
        except ValueError:
            raise ScorerError(f"not an ISO 8601 timestamp: {shown(value)}", path=path, line=line, field=field) from None
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ScorerError(f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}", path=path, line=line, field=field)
        return value  # parsed for the whole column at once in to_frame
    if kind == "strlist":
        if isinstance(value, str):
            value = _json_cell(value, path, line, field) if value.strip() else []
        if isinstance(value, np.ndarray):
            value = value.tolist()
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise ScorerError(f"expected a list of names, got {shown(value)}", path=path, line=line, field=field)
        return [_text(x, path, line, field) for x in value]
    if kind == "files":
        if isinstance(value, str):
            value = _json_cell(value, path, line, field)
        if isinstance(value, np.ndarray):
            value = value.tolist()
        if not isinstance(value, list):
            raise ScorerError(f"expected a list of file objects, got {type(value).__name__}", path=path, line=line, field=field)
        return [_check_file(f, i, path, line) for i, f in enumerate(value)]
    raise AssertionError(kind)


def _json_cell(text: str, path: str, line: int, field: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScorerError(f"not valid JSON ({exc.msg})", path=path, line=line, field=field) from None
    except RecursionError:
        raise ScorerError("JSON nested too deeply", path=path, line=line, field=field) from None


_FILE_KEYS = frozenset(("filename", "status", "additions", "deletions", "binary", "previous_filename"))


def _fast_file_ok(f: dict) -> bool:
    """The common, already-canonical file entry: skip the slow path."""
    if len(f) not in (5, 6) or not _FILE_KEYS.issuperset(f):
        return False
    prev = f.get("previous_filename", 0)
    if prev == 0:
        f["previous_filename"] = None
    elif not (type(prev) is str and prev):
        return False
    return (type(f["filename"]) is str and f["filename"] != "" and f["filename"].isascii()
            and type(f["status"]) is str and f["status"] in FILE_STATUSES
            and type(f["additions"]) is int and type(f["deletions"]) is int and type(f["binary"]) is bool
            and 0 <= f["additions"] <= MAX_COUNT and 0 <= f["deletions"] <= MAX_COUNT)


def _check_file(f: Any, i: int, path: str, line: int) -> dict:
    where = f"files[{i}]"
    if type(f) is dict and _fast_file_ok(f):
        return f
    if not isinstance(f, dict):
        raise ScorerError("expected an object", path=path, line=line, field=where)
    name = f.get("filename")
    if not isinstance(name, str) or not name:
        raise ScorerError("missing or empty", path=path, line=line, field=f"{where}.filename")
    status = f.get("status", "modified")
    if not isinstance(status, str) or status not in FILE_STATUSES:
        raise ScorerError(f"unknown status {shown(status)} (expected one of {sorted(FILE_STATUSES)})",
                          path=path, line=line, field=f"{where}.status")
    out = {"filename": _text(name, path, line, f"{where}.filename"), "status": status}
    for k in ("additions", "deletions"):
        v = f.get(k)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out[k] = None  # unknown line count
        elif _is_int(v) or (isinstance(v, float) and v.is_integer()):
            out[k] = _count(int(v), path, line, f"{where}.{k}")
        else:
            raise ScorerError(f"expected an integer, got {shown(v)}", path=path, line=line, field=f"{where}.{k}")
    b = f.get("binary", False)
    out["binary"] = bool(b) if b is not None else False
    prev = f.get("previous_filename")
    out["previous_filename"] = _text(prev, path, line, f"{where}.previous_filename") if isinstance(prev, str) and prev else None
    return out


def validate_record(rec: Any, path: str, line: int) -> dict:
    """Return a normalised PR record or raise a ScorerError naming path, line and field."""
    if not isinstance(rec, dict):
        raise ScorerError(f"expected a JSON object, got {type(rec).__name__}", path=path, line=line)
    out: dict[str, Any] = {}
    for field, kind in REQUIRED.items():
        if field not in rec or rec[field] is None or (isinstance(rec[field], float) and math.isnan(rec[field])):
            raise ScorerError("required field is missing", path=path, line=line, field=field)
        out[field] = _coerce(rec[field], kind, path, line, field)
    for field, kind in OPTIONAL.items():
        v = rec.get(field)
        if v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and v == "" and kind != "str"):
            continue
        out[field] = _coerce(v, kind, path, line, field)
    if out["number"] <= 0:
        raise ScorerError(f"PR number must be positive, got {out['number']}", path=path, line=line, field="number")
    if not valid_slug(out["repo"]):
        raise ScorerError(f"must be OWNER/NAME, got {out['repo'][:80]!r}", path=path, line=line, field="repo")
    return out


# ---------------------------------------------------------------- reading

def table_format(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".json", ".json.gz", ".ndjson", ".ndjson.gz")):
        return "jsonl"
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    raise ScorerError("unknown table format (expected .jsonl[.gz], .csv or .parquet)", path=str(path))


def _iter_jsonl(path: Path) -> Iterable[tuple[int, Any]]:
    # One binary read and one decode: text-mode line iteration over gzip was 3x slower, and a
    # PR table (vLLM: 18 MB uncompressed) fits in memory anyway.
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            text = fh.read().decode("utf-8")
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise ScorerError(f"corrupt or truncated gzip file ({exc})", path=str(path)) from None
    except UnicodeDecodeError:
        raise ScorerError("not UTF-8 text", path=str(path)) from None
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield lineno, json.loads(line)
        except json.JSONDecodeError as exc:
            raise ScorerError(f"not valid JSON ({exc.msg})", path=str(path), line=lineno) from None
        except RecursionError:
            raise ScorerError("JSON nested too deeply", path=str(path), line=lineno) from None


def _iter_csv(path: Path) -> Iterable[tuple[int, Any]]:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        return
    except (pd.errors.ParserError, UnicodeDecodeError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise ScorerError(f"cannot parse CSV ({first_line(exc)})", path=str(path)) from None
    for i, row in enumerate(df.to_dict("records")):
        yield i + 2, {k: (None if v == "" and k != "title" and k != "body" else v) for k, v in row.items()}


def _iter_parquet(path: Path) -> Iterable[tuple[int, Any]]:
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise ScorerError(f"cannot read Parquet ({first_line(exc)})", path=str(path)) from None
    for i, row in enumerate(df.to_dict("records")):
        if isinstance(row.get("files"), np.ndarray):
            row["files"] = [dict(f) for f in row["files"]]
        yield i + 1, row


def load_prs(path: str | os.PathLike, *, allow_empty: bool = False) -> pd.DataFrame:
    """Load and validate a PR table in any supported format into the canonical DataFrame."""
    path = Path(path)
    require_input(path)
    fmt = table_format(path)
    if fmt == "parquet":
        df = open_scorer_parquet(path, allow_empty=allow_empty)
        if df is not None:  # scorer wrote and hashed it: no per-record validation again
            return df
    reader = {"jsonl": _iter_jsonl, "csv": _iter_csv, "parquet": _iter_parquet}[fmt]
    records, seen = [], {}
    for line, rec in reader(path):
        out = validate_record(rec, str(path), line)
        key = (out["repo"], out["number"])
        if key in seen:
            raise ScorerError(f"PR {out['repo']}#{out['number']} appears twice (first on line {seen[key]})",
                              path=str(path), line=line, field="number")
        seen[key] = line
        records.append(out)
    if not records and not allow_empty:
        raise ScorerError("the file holds no PRs", path=str(path))
    return to_frame(records)


def load_tables(paths: list[str | os.PathLike]) -> pd.DataFrame:
    """Several PR tables (one per repository, or tables holding several) as one canonical frame.
    A PR in two tables is refused, naming both files: its history would otherwise count twice."""
    frames, first = [], {}
    for path in paths:
        df = load_prs(path)
        for key in zip(df["repo"], df["number"]):
            if key in first:
                raise ScorerError(f"PR {key[0]}#{key[1]} is also in {first[key]}", path=str(path), field="number")
        first.update(dict.fromkeys(zip(df["repo"], df["number"]), str(path)))
        frames.append(df)
    if len(frames) == 1:
        return frames[0]
    df = pd.concat(frames, ignore_index=True)
    return df.sort_values(["merged_at", "number"], ascending=[False, False], kind="mergesort").reset_index(drop=True)


def to_frame(records: list[dict]) -> pd.DataFrame:
    """Build the typed canonical DataFrame from validated records, newest first by merge time."""
    df = pd.DataFrame.from_records(records)
    if df.empty:
        df = pd.DataFrame({c: pd.Series(dtype=object) for c in REQUIRED})
    for field in ("body", "merge_commit_sha"):
        if field not in df:
            df[field] = ""
    for field in ("co_authors", "signed_off_by"):
        if field not in df:
            df[field] = [[] for _ in range(len(df))]
        else:
            df[field] = [v if isinstance(v, list) else [] for v in df[field]]
    if "line_counts_known" not in df:
        df["line_counts_known"] = True
    df["line_counts_known"] = df["line_counts_known"].fillna(True).astype(bool)
    if "authored_at" not in df:
        df["authored_at"] = df["merged_at"]
    for col in ("repo", "title", "author", "body", "merge_commit_sha"):
        df[col] = df[col].fillna("").astype(str)
    for col in ("number", "additions", "deletions", "changed_files"):
        df[col] = df[col].astype("int64")
    for col in ("merged_at", "authored_at", "created_at", "closed_at", "updated_at"):
        if col in df:
            df[col] = pd.to_datetime(df[col], utc=True, format="ISO8601")
    df["authored_at"] = df["authored_at"].fillna(df["merged_at"])
    for col in ("comments", "review_comments", "reviews"):
        if col in df:
            df[col] = df[col].astype("Int64")
    order = [c for c in COLUMNS if c in df.columns] + [c for c in df.columns if c not in COLUMNS]
    df = df[order]
    if len(df):
        df = df.sort_values(["merged_at", "number"], ascending=[False, False], kind="mergesort").reset_index(drop=True)
    return df


def check_single_repo(df: pd.DataFrame, path: str) -> str:
    """Most commands work on one repository's history; mixing two would corrupt history features."""
    repos = sorted(df["repo"].unique())
    if len(repos) != 1:
        raise ScorerError(f"expected one repository, found {len(repos)}: {', '.join(repos[:5])}", path=path)
    return repos[0]


def find_duplicates(df: pd.DataFrame) -> list[int]:
    dup = df.duplicated(["repo", "number"], keep=False)
    return sorted(df.loc[dup, "number"].unique().tolist())


# ---------------------------------------------------------------- writing

def save_prs(df: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write the canonical table atomically in the format the extension names."""
    path = Path(path)
    fmt = table_format(path)
    with atomic_path(path) as tmp:
        if fmt == "jsonl":
            buf = io.StringIO()
            for rec in df.to_dict("records"):
                buf.write(json.dumps(json_record(rec), ensure_ascii=False))
                buf.write("\n")
            data = buf.getvalue().encode("utf-8")
            if path.name.lower().endswith(".gz"):
                # mtime=0 keeps the bytes identical for identical input.
                with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                    gz.write(data)
            else:
                tmp.write_bytes(data)
        elif fmt == "csv":
            out = df.copy()
            for col in LIST_FIELDS:
                if col in out:
                    out[col] = [json.dumps(json_record({"files": v})["files"] if col == "files" else v, ensure_ascii=False)
                                for v in out[col]]
            for col in out.columns:
                if isinstance(out[col].dtype, pd.DatetimeTZDtype):
                    out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
            out.to_csv(tmp, index=False)
        else:
            write_parquet(df, tmp)
