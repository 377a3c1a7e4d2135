"""Ingestion: merged-PR history from a local clone's first-parent history.

One ``git log`` pass produces every commit's header, raw status and numstat at
once (NUL-separated, so unicode and odd paths survive). Only when that pass dies
on a commit (an unreadable blob, say) does the code fall back to per-commit
commands for that one commit, record its files with unknown line counts, and
resume the single pass from its parent.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pandas as pd
from tqdm.auto import tqdm

from ..errors import ScorerError
from ..records import to_frame

# A PR number has at most 15 digits (the canonical table's bound is 2**53): "(#99999999999999999999)"
# closing a subject is not a PR reference.
SQUASH_RE = re.compile(r"^(?P<title>.*?)\s*\(#(?P<number>[1-9]\d{0,14})\)\s*$")
MERGE_RE = re.compile(r"^Merge pull request #(?P<number>[1-9]\d{0,14}) from (?P<branch>\S+)")
TRAILER_RE = re.compile(r"^(?P<key>Co-authored-by|Signed-off-by)\s*:\s*(?P<name>.*?)\s*(?:<[^>]*>)?\s*$", re.I)
STATUS = {"A": "added", "M": "modified", "D": "removed", "R": "renamed", "C": "copied", "T": "modified"}
HEADER_FMT = "%x1e%H%x1f%P%x1f%an%x1f%at%x1f%ct%x1f%B%x1f"


@dataclass
class Commit:
    sha: str
    parents: list[str]
    author: str
    authored: int
    committed: int
    message: str
    files: dict[str, dict] = field(default_factory=dict)
    line_counts_known: bool = True


@dataclass
class IngestStats:
    commits: int = 0
    prs: int = 0
    squash: int = 0
    merges: int = 0
    skipped: int = 0
    fallbacks: int = 0
    unknown_counts: int = 0


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(["git", "-C", str(repo), "-c", "core.quotepath=false", *args],
                          capture_output=True)
    if check and proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ScorerError(f"git {args[0]} failed: {err[-1] if err else 'exit ' + str(proc.returncode)}", path=str(repo))
    return proc


def _decode(b: bytes) -> str:
    return b.decode("utf-8", "replace")


def parse_chunk(chunk: bytes) -> Commit:
    """Parse one commit of ``git log -z --raw --numstat`` output (without its leading 0x1e)."""
    head, _, diff = chunk.partition(b"\x1f\x00")
    sha, parents, author, at, ct, message = _decode(head).split("\x1f", 5)
    commit = Commit(sha=sha, parents=parents.split(), author=author, authored=int(at), committed=int(ct),
                    message=message)
    tokens = diff.lstrip(b"\n").split(b"\x00")
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if not tok or tok == b"\n":
            i += 1
            continue
        if tok.startswith(b"\n"):
            tok = tok[1:]
        if tok.startswith(b":"):
            letter = chr(tok.split(b" ")[-1][0])
            if letter in "RC":
                old, new = _decode(tokens[i + 1]), _decode(tokens[i + 2])
                commit.files[new] = {"filename": new, "status": STATUS[letter], "additions": None, "deletions": None,
                                     "binary": False, "previous_filename": old}
                i += 3
            else:
                path = _decode(tokens[i + 1])
                commit.files[path] = {"filename": path, "status": STATUS.get(letter, "modified"), "additions": None,
                                      "deletions": None, "binary": False, "previous_filename": None}
                i += 2
            continue
        added, deleted, path = tok.split(b"\t", 2)
        if path:
            name = _decode(path)
            i += 1
        else:  # rename/copy: old and new follow as their own tokens
            name = _decode(tokens[i + 2])
            i += 3
        entry = commit.files.setdefault(name, {"filename": name, "status": "modified", "additions": None,
                                               "deletions": None, "binary": False, "previous_filename": None})
        if added == b"-":
            entry.update(additions=0, deletions=0, binary=True)
        else:
            entry.update(additions=int(added), deletions=int(deleted))
    return commit


def _log_args(since: str | None, until: str | None) -> list[str]:
    args = ["log", "--first-parent", "--diff-merges=first-parent", "-M", "--raw", "--numstat", "-z",
            "--no-color", "--no-ext-diff", "--no-textconv", f"--format={HEADER_FMT}"]
    if since:
        args.append(f"--since={since}")
    if until:
        args.append(f"--until={until}")
    return args


def _stream(repo: Path, start: str, since: str | None, until: str | None) -> Iterator[bytes | int]:
    """Yield raw commit chunks of one ``git log`` pass; a trailing int is git's non-zero exit code."""
    cmd = ["git", "-C", str(repo), "-c", "core.quotepath=false", "-c", "i18n.logOutputEncoding=UTF-8",
           *_log_args(since, until), start, "--"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    buf = b""
    assert proc.stdout is not None
    for block in iter(lambda: proc.stdout.read(1 << 20), b""):
        buf += block
        parts = buf.split(b"\x1e")
        buf = parts.pop()
        for p in parts:
            if p:
                yield p
    proc.stdout.close()
    err = proc.stderr.read() if proc.stderr else b""
    code = proc.wait()
    if code == 0:
        if buf:
            yield buf
    else:
        if buf:
            yield b"\x00PARTIAL" + buf
        yield code
        _ = err


def _fallback_commit(repo: Path, sha: str) -> Commit:
    """Read one commit without its blobs: names and statuses from the trees, line counts unknown."""
    head = _git(repo, "show", "-s", "-z", f"--format={HEADER_FMT[5:]}", sha).stdout
    parts = head.rstrip(b"\x00").split(b"\x1f")
    sha_, parents, author, at, ct = (_decode(p) for p in parts[:5])
    message = _decode(parts[5]) if len(parts) > 5 else ""
    commit = Commit(sha=sha_, parents=parents.split(), author=author, authored=int(at), committed=int(ct),
                    message=message, line_counts_known=False)
    base = commit.parents[0] if commit.parents else "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # empty tree
    proc = _git(repo, "diff-tree", "-r", "-M", "--raw", "-z", "--no-commit-id", base, sha, check=False)
    if proc.returncode == 0:
        raw = parse_chunk(b"x\x1f\x1fx\x1f0\x1f0\x1f\x1f\x00" + proc.stdout)
        commit.files = raw.files
    return commit


def iter_commits(repo: Path, ref: str, since: str | None, until: str | None,
                 stats: IngestStats, progress: tqdm | None = None) -> Iterator[Commit]:
    start = ref
    done: set[str] = set()
    while True:
        last_sha = None
        failed = False
        for item in _stream(repo, start, since, until):
            if isinstance(item, int):
                failed = True
                break
            if item.startswith(b"\x00PARTIAL"):
                continue  # an incomplete commit from a pass that died; redone below
            commit = parse_chunk(item)
            if commit.sha in done:
                continue
            done.add(commit.sha)
            last_sha = commit.sha
            if progress is not None:
                progress.update(1)
            yield commit
        if not failed:
            return
        # The pass died after `last_sha`: the next first-parent commit is the culprit.
        base = f"{last_sha}^1" if last_sha else start
        nxt = _git(repo, "rev-list", "--first-parent", "-n", "1", base, check=False)
        culprit = _decode(nxt.stdout).strip()
        if nxt.returncode != 0 or not culprit or culprit in done:
            raise ScorerError(f"git log failed near commit {last_sha or start} and no commit could be recovered",
                              path=str(repo))
        stats.fallbacks += 1
        commit = _fallback_commit(repo, culprit)
        done.add(commit.sha)
        if progress is not None:
            progress.update(1)
        if _in_window(commit, since, until):
            yield commit
        if not commit.parents:
            return
        start = commit.parents[0]


def _in_window(commit: Commit, since: str | None, until: str | None) -> bool:
    ts = commit.committed
    if since and ts < _epoch(since):
        return False
    if until and ts > _epoch(until):
        return False
    return True


def _epoch(date: str) -> int:
    return int(pd.Timestamp(date, tz="UTC").timestamp()) if pd.Timestamp(date).tzinfo is None \
        else int(pd.Timestamp(date).timestamp())


def split_message(message: str) -> tuple[str, str, list[str], list[str]]:
    """Subject, body without trailers, co-authors, sign-offs."""
    lines = message.strip("\n").split("\n")
    subject = lines[0].strip() if lines else ""
    body_lines, co, so = [], [], []
    for line in lines[1:]:
        m = TRAILER_RE.match(line.strip())
        if m:
            (co if m.group("key").lower().startswith("co") else so).append(m.group("name"))
        else:
            body_lines.append(line)
    return subject, "\n".join(body_lines).strip(), co, so


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def commit_to_pr(commit: Commit, repo_slug: str) -> dict | None:
    """Turn a first-parent commit into a PR record, or None when it is not a PR merge."""
    subject, body, co, so = split_message(commit.message)
    m = MERGE_RE.match(subject)
    if m and len(commit.parents) > 1:
        number = int(m.group("number"))
        # GitHub writes the PR title as the first line of a merge commit's body.
        rest = body.split("\n")
        while rest and not rest[0].strip():
            rest.pop(0)
        title = rest.pop(0).strip() if rest else subject
        body = "\n".join(rest).strip()
        kind = "merge"
    else:
        m = SQUASH_RE.match(subject)
        if not m:
            return None
        number = int(m.group("number"))
        title = m.group("title")
        kind = "squash"
    files = list(commit.files.values())
    known = commit.line_counts_known and all(f["additions"] is not None for f in files)
    return {
        "repo": repo_slug,
        "number": number,
        "title": title,
        "body": body,
        "author": commit.author,
        "merged_at": _iso(commit.committed),
        "authored_at": _iso(commit.authored),
        "merge_commit_sha": commit.sha,
        "co_authors": co,
        "signed_off_by": so,
        "additions": sum(f["additions"] or 0 for f in files),
        "deletions": sum(f["deletions"] or 0 for f in files),
        "changed_files": len(files),
        "line_counts_known": known,
        "files": files,
        "_kind": kind,
        "_second_parent": commit.parents[1] if kind == "merge" else None,
    }


def ingest_git(path: str | os.PathLike, repo_slug: str, ref: str = "HEAD", since: str | None = None,
               until: str | None = None, show_progress: bool | None = None) -> tuple[pd.DataFrame, IngestStats]:
    """Read merged PRs from a clone's first-parent history into the canonical table."""
    repo = Path(path)
    if not repo.exists():
        raise ScorerError("no such directory", path=str(repo))
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo_slug):
        raise ScorerError(f"--repo must look like OWNER/NAME, got {repo_slug!r}")
    probe = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if probe.returncode != 0:
        inside = _git(repo, "rev-parse", "--git-dir", check=False)
        if inside.returncode != 0:
            raise ScorerError("not a git repository", path=str(repo))
        raise ScorerError(f"unknown ref {ref!r}", path=str(repo))
    total = None
    count = _git(repo, "rev-list", "--first-parent", "--count", ref, check=False)
    if count.returncode == 0:
        total = int(count.stdout.strip() or 0)
    stats = IngestStats()
    records: list[dict] = []
    seen: dict[int, int] = {}
    with tqdm(total=total, unit="commit", desc="git log", disable=True if show_progress is False else None,
              leave=False) as bar:
        for commit in iter_commits(repo, ref, since, until, stats, bar):
            stats.commits += 1
            rec = commit_to_pr(commit, repo_slug)
            if rec is None:
                stats.skipped += 1
                continue
            if not rec["line_counts_known"]:
                stats.unknown_counts += 1
            if rec["number"] in seen:  # a later re-merge of the same number: keep the newest (seen first)
                stats.skipped += 1
                continue
            seen[rec["number"]] = len(records)
            records.append(rec)
    _fill_merge_authors(repo, records)
    for rec in records:
        kind = rec.pop("_kind")
        rec.pop("_second_parent", None)
        stats.squash += kind == "squash"
        stats.merges += kind == "merge"
    stats.prs = len(records)
    return to_frame(records), stats


def _fill_merge_authors(repo: Path, records: list[dict]) -> None:
    """A merge commit's author is the merger; the PR's author is the author of its head commit."""
    heads = {r["_second_parent"]: r for r in records if r.get("_second_parent")}
    if not heads:
        return
    out = _git(repo, "log", "--no-walk=unsorted", "-z", "--format=%H%x1f%an%x1f%at", *heads, check=False)
    if out.returncode != 0:
        return
    for entry in _decode(out.stdout).split("\x00"):
        if entry.strip():
            sha, name, at = entry.strip().split("\x1f")
            rec = heads.get(sha)
            if rec is not None:
                rec["author"] = name
                rec["authored_at"] = _iso(int(at))
