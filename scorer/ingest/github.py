"""The GitHub REST API (v3) as a source: merged PRs with the fields git cannot supply, and the
activity table (issues and PRs opened, closed, merged or closed unmerged in a window).

Layering follows httpx's: `GitHubClient` is a thin client over an `httpx.Client` (tests point it
at a local server, or swap the transport) that adds what GitHub documents and a long run needs:
conditional requests from an ETag cache (a re-run costs 304s, which do not count against the
rate limit), waiting out primary and secondary rate limits, and bounded exponential-backoff
retries of 5xx answers and dropped connections. `ingest_github` walks the documented endpoints.

Why httpx and a small ETag store rather than githubkit or hishel: the work needs five endpoints,
and githubkit's generated models would parse (and validate) far more than the fields kept here.
hishel's file storage serialises the request with the response, Authorization header included,
so the token would sit in the cache; the store below keeps only URL, ETag, Link and body.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import pandas as pd

from .. import __version__
from ..errors import ScorerError, first_line
from ..cacheseal import read_sealed, write_sealed
from ..fileio import require_input
from ..pqtable import valid_slug

DEFAULT_API = "https://api.github.com"
NEXT_RE = re.compile(r'<([^>]+)>\s*;\s*rel="next"')
FILE_STATUS = {"added": "added", "removed": "removed", "modified": "modified", "renamed": "renamed",
               "copied": "copied", "changed": "modified", "unchanged": "modified"}
ACTIVITY_COLUMNS = ["repo", "kind", "number", "title", "labels", "author", "created_at", "closed_at", "merged_at",
                    "state", "draft", "comments", "review_comments", "url"]
FILES_CAP = 3000  # GitHub lists at most 3,000 files of a pull request
MAX_ENTRY_BYTES = 64 << 20  # one cached answer; GitHub's pages are far smaller


class ETagCache:
    """One JSON file per URL (named by its SHA-256): the ETag, the Link header and the body.
    Nothing of the request is stored, so no credential ever reaches the cache."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def _path(self, url: str) -> Path:
        return self.root / f"{hashlib.sha256(url.encode()).hexdigest()}.json"

    def get(self, url: str) -> dict | None:
        """The entry for `url` if this cache wrote it (sealed, scorer.cacheseal), else None."""
        data = read_sealed(self.root, self._path(url), MAX_ENTRY_BYTES)  # absent or not ours: fetch again
        try:
            entry = json.loads(data) if data is not None else None
        except (ValueError, RecursionError):
            return None
        if not (isinstance(entry, dict) and entry.get("url") == url and all(
                isinstance(entry.get(k), str) for k in ("etag", "link", "body"))):
            return None
        return entry

    def put(self, url: str, etag: str, link: str, body: str) -> None:
        try:
            write_sealed(self.root, self._path(url), json.dumps({"url": url, "etag": etag, "link": link, "body": body}).encode())
        except OSError as exc:
            raise ScorerError(f"cannot write the cache ({exc.strerror or exc.__class__.__name__})",
                              path=str(self.root)) from None


@dataclass
class ClientStats:
    requests: int = 0          # HTTP requests sent, retries included
    ok: int = 0                # answered 200
    not_modified: int = 0      # answered 304 (served from the cache)
    retries: int = 0
    rate_waits: int = 0
    waited_s: float = 0.0
    remaining: int | None = None  # the rate limit's remaining quota, as last reported

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class OriginToken(httpx.Auth):
    """The bearer token, sent only to the API's own origin (scheme, host and port of --api-url):
    an absolute URL the server hands back (a `Link` header, a redirect) can name any host, and
    the token must never reach it. httpx also drops the header on a cross-origin redirect."""

    def __init__(self, token: str, api_url: str) -> None:
        self._token, self._origin = token, _origin(api_url)

    def auth_flow(self, request: httpx.Request):
        if _origin(str(request.url)) == self._origin:
            request.headers["Authorization"] = f"Bearer {self._token}"
        else:
            request.headers.pop("Authorization", None)
        yield request


def _origin(url: str) -> tuple[str, str, int | None]:
    u = httpx.URL(url)
    return (u.scheme, u.host.lower(), u.port or {"http": 80, "https": 443}.get(u.scheme))


class TransientError(ScorerError):
    """A failure worth trying again later: an outage that outlasted the retries, a rate limit
    that outlasted the waits (a queue of check runs puts such a job back)."""


class RetryableWrite(TransientError):
    """A write that may or may not have happened (a 5xx answer, a dropped connection)."""


@dataclass
class GitHubClient:
    """GET JSON from the API with caching, rate limits and retries; see the module docstring.

    `sleep` is injectable so that callers (and tests) decide how waiting happens; `on_request`
    is called after every answer (the CLI's progress bar)."""

    api_url: str = DEFAULT_API
    token: str | None = None
    cache_dir: str | os.PathLike | None = None
    transport: httpx.BaseTransport | None = None
    max_tries: int = 5
    backoff_s: float = 0.5
    max_wait_s: float = 3600.0   # all rate-limit waits of a run together
    timeout_s: float = 30.0      # connect, and each read
    request_s: float = 120.0     # one answer, start to end: a server dripping a byte per read never ends otherwise
    deadline_s: float = 6 * 3600.0  # the whole run
    max_pages: int = 20_000      # pages of one listing (2M items): an endless next link stops here
    max_page_bytes: int = 64 << 20  # one answer, decompressed
    sleep: Callable[[float], None] = time.sleep
    on_request: Callable[["ClientStats"], None] | None = None
    stats: ClientStats = field(default_factory=ClientStats)

    def __post_init__(self) -> None:
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
                   "User-Agent": f"scorer/{__version__}"}
        auth = OriginToken(self.token, self.api_url) if self.token else None
        self._http = httpx.Client(base_url=self.api_url.rstrip("/"), headers=headers, auth=auth,
                                  timeout=self.timeout_s, transport=self.transport, follow_redirects=True)
        self._cache = ETagCache(self.cache_dir) if self.cache_dir else None
        self._started = time.monotonic()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "GitHubClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------ one request

    def _url(self, path: str, params: dict | None) -> str:
        url = path if path.startswith(("http://", "https://")) else f"{self.api_url.rstrip('/')}/{path.lstrip('/')}"
        return str(httpx.URL(url, params=params)) if params else url

    def _where(self, url: str) -> str:
        """The URL as errors show it: relative to the API root (never carries a credential)."""
        return url[len(self.api_url.rstrip("/")):] if url.startswith(self.api_url.rstrip("/")) else url

    def get(self, path: str, params: dict | None = None) -> tuple[Any, str]:
        """(decoded JSON, Link header) of one GET, from the cache when the server answers 304."""
        url = self._url(path, params)
        cached = self._cache.get(url) if self._cache else None
        tries = 0
        limited = 0
        while True:
            headers = {"If-None-Match": cached["etag"]} if cached and cached.get("etag") else {}
            tries += 1
            if time.monotonic() - self._started > self.deadline_s:
                raise ScorerError(f"GET {self._where(url)}: the run passed its {self.deadline_s:.0f}s deadline "
                                  "(the cache keeps what was fetched: run again to resume)")
            try:
                resp, body = self._fetch(url, headers)
            except httpx.TransportError as exc:
                self.stats.requests += 1
                self._retry_or_fail(tries, f"GET {self._where(url)}: connection failed ({exc.__class__.__name__})")
                continue
            self.stats.requests += 1
            self._note_quota(resp)
            status = resp.status_code
            if status == 304 and cached is not None:
                self.stats.not_modified += 1
                self._report()
                return self._decode(cached["body"], url), cached.get("link", "")
            if status == 200:
                self.stats.ok += 1
                self._report()
                data = self._decode(body, url, resp.headers.get("content-type", ""))
                if self._cache is not None and resp.headers.get("etag"):
                    self._cache.put(url, resp.headers["etag"], resp.headers.get("link", ""), body)
                return data, resp.headers.get("link", "")
            self._report()
            if status in (403, 429) and self._wait_for_limit(resp, url):
                limited += 1
                if limited > self.max_tries:  # `retry-after: 0` or a reset in the past, answered again and again
                    raise TransientError(f"GET {self._where(url)}: still rate limited after {limited - 1} waits")
                continue
            if status >= 500:
                self._retry_or_fail(tries, f"GET {self._where(url)}: server error {status}")
                continue
            raise self._refusal(status, body, url, "GET")

    def write(self, method: str, path: str, payload: dict) -> Any:
        """POST or PATCH a JSON body (a check run): the rate limits are waited out as for GET, but
        a 5xx answer or a dropped connection is not retried here, since the write may have
        happened. It raises RetryableWrite, and the caller looks up what exists before trying
        again (scorer.checks does)."""
        url = self._url(path, None)
        limited = 0
        while True:
            if time.monotonic() - self._started > self.deadline_s:
                raise ScorerError(f"{method} {self._where(url)}: the run passed its {self.deadline_s:.0f}s deadline")
            try:
                resp, body = self._fetch(url, {"Content-Type": "application/json"}, method,
                                         json.dumps(payload).encode())
            except httpx.TransportError as exc:
                self.stats.requests += 1
                raise RetryableWrite(f"{method} {self._where(url)}: connection failed ({exc.__class__.__name__})") \
                    from None
            self.stats.requests += 1
            self._note_quota(resp)
            self._report()
            status = resp.status_code
            if status in (200, 201):
                self.stats.ok += 1
                return self._decode(body, url, resp.headers.get("content-type", ""))
            if status in (403, 429) and self._wait_for_limit(resp, url):
                limited += 1
                if limited > self.max_tries:
                    raise TransientError(f"{method} {self._where(url)}: still rate limited after {limited - 1} waits")
                continue
            if status >= 500:
                raise RetryableWrite(f"{method} {self._where(url)}: server error {status}")
            raise self._refusal(status, body, url, method)

    def _fetch(self, url: str, headers: dict, method: str = "GET", content: bytes | None = None
               ) -> tuple[httpx.Response, str]:
        """One GET, its body read as it streams: refused past `max_page_bytes` decompressed or
        past `request_s` from the start (a per-read timeout alone lets a slow drip run forever)."""
        t0 = time.monotonic()
        with self._http.stream(method, url, headers=headers, content=content) as resp:
            parts, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > self.max_page_bytes:
                    raise ScorerError(f"GET {self._where(url)}: the answer is over {self.max_page_bytes >> 20} MB")
                if time.monotonic() - t0 > self.request_s:
                    raise ScorerError(f"GET {self._where(url)}: the answer took over {self.request_s:.0f}s")
                parts.append(chunk)
        return resp, b"".join(parts).decode(resp.encoding or "utf-8", errors="replace")

    def _decode(self, body: str, url: str, content_type: str = "application/json") -> Any:
        try:
            return json.loads(body)
        except RecursionError:
            raise ScorerError(f"GET {self._where(url)}: the answer's JSON is nested too deeply") from None
        except ValueError:
            kind = content_type.split(";")[0] or "no content type"
            raise ScorerError(f"GET {self._where(url)}: the answer is not JSON ({kind}); is a proxy in the way? "
                              "(check --api-url)") from None

    def _note_quota(self, resp: httpx.Response) -> None:
        rem = resp.headers.get("x-ratelimit-remaining")
        if rem is not None and rem.isdigit():
            self.stats.remaining = int(rem)

    def _report(self) -> None:
        if self.on_request:
            self.on_request(self.stats)

    def _pause(self, seconds: float, url: str, why: str) -> None:
        seconds = max(seconds, 1.0)  # `retry-after: 0` or a reset already past: wait a second, not none
        if self.stats.waited_s + seconds > self.max_wait_s:
            raise TransientError(f"GET {self._where(url)}: {why}; it resets in {seconds:.0f}s, more than the "
                              f"{self.max_wait_s:.0f}s this run waits (set GITHUB_TOKEN for a higher limit)")
        self.stats.rate_waits += 1
        self.stats.waited_s += seconds
        self.sleep(seconds)

    def _wait_for_limit(self, resp: httpx.Response, url: str) -> bool:
        """Wait as GitHub documents: `retry-after` first (secondary limits), then a primary limit's
        `x-ratelimit-reset` once `x-ratelimit-remaining` is 0. False when the 403 is a real refusal."""
        after = resp.headers.get("retry-after")
        if after is not None and after.strip().isdigit():
            self._pause(float(after), url, "secondary rate limit")
            return True
        if resp.headers.get("x-ratelimit-remaining") == "0":
            reset = resp.headers.get("x-ratelimit-reset", "")
            wait = max(float(reset) - time.time(), 0.0) + 1.0 if reset.isdigit() else 60.0
            self._pause(wait, url, "rate limit exhausted")
            return True
        return False

    def _retry_or_fail(self, tries: int, what: str) -> None:
        if tries >= self.max_tries:
            raise TransientError(f"{what}; gave up after {tries} tries (the cache keeps what was fetched: run again "
                              "to resume)")
        self.stats.retries += 1
        self.sleep(self.backoff_s * 2 ** (tries - 1))

    def _refusal(self, status: int, body: str, url: str, method: str) -> ScorerError:
        """The error of an answer that is neither a success nor waited out: a rate-limit message
        without the headers to wait by is transient; anything else is a refusal."""
        text = self._explain(status, body, url)
        text = text.replace("GET ", f"{method} ", 1) if method != "GET" else text
        return (TransientError if status in (403, 429) and "rate limit" in text.lower() else ScorerError)(text)

    def _explain(self, status: int, body: str, url: str) -> str:
        try:
            doc = json.loads(body)
            message = str(doc.get("message", ""))[:200] if isinstance(doc, dict) else ""
        except (ValueError, RecursionError):
            message = ""
        where = self._where(url)
        if status == 401:
            return f"GET {where}: 401 {message or 'Unauthorized'}: GitHub rejected GITHUB_TOKEN (expired or revoked?)"
        if status == 404:
            return (f"GET {where}: 404 not found: no such repository, or it is private and "
                    f"{'the token cannot see it' if self.token else 'needs GITHUB_TOKEN'}")
        return f"GET {where}: HTTP {status} {message}".rstrip()

    # ------------------------------------------------------------ pagination

    def pages(self, path: str, params: dict | None = None) -> Iterator[list]:
        """Every page of a listing, following the `Link: <...>; rel="next"` header: only to the
        API's own origin, and never to a page already read (a cycle would never end)."""
        url: str | None = self._url(path, params)
        seen: set[str] = set()
        while url:
            if len(seen) >= self.max_pages:
                raise ScorerError(f"GET {self._where(url)}: more than {self.max_pages:,} pages of one listing")
            seen.add(url)
            data, link = self.get(url)
            if not isinstance(data, list):
                raise ScorerError(f"GET {self._where(url)}: expected a JSON list, got {type(data).__name__}")
            yield data
            m = NEXT_RE.search(link or "")
            nxt = self._url(m.group(1), None) if m else None
            if nxt is not None and _origin(nxt) != _origin(self.api_url):
                raise ScorerError(f"GET {self._where(url)}: the next page is on another host ({httpx.URL(nxt).host}); "
                                  "scorer follows pages only on --api-url")
            if nxt in seen:
                raise ScorerError(f"GET {self._where(url)}: the next page link goes back to a page already read")
            url = nxt


# ---------------------------------------------------------------- the walk

_COUNTS = ("additions", "deletions", "changed_files", "comments", "review_comments")
_TEXTS = ("title", "body", "merge_commit_sha", "state", "filename", "status", "previous_filename")
_TIMES = ("created_at", "closed_at", "merged_at", "updated_at", "submitted_at")
_LISTS = {"labels": "name", "requested_reviewers": "login"}


def check_item(item: Any, where: str, kind: str) -> dict:
    """One object of the API (a pull request, an issue, a file, a review), field by field as
    GitHub documents it: a wrong type is one line naming the URL and the field, never a
    traceback and never a value bent into the table ("{'a': 1}" as a title, "" as an author)."""
    def bad(field: str, want: str):
        raise ScorerError(f"expected {want}", path=where, field=f"{kind}.{field}" if field else kind)

    if not isinstance(item, dict):
        bad("", "an object")
    if "number" in item or kind in ("pull_request", "issue"):
        n = item.get("number")
        if not isinstance(n, int) or isinstance(n, bool) or not 0 < n < 2**53:
            bad("number", "a positive integer")
    for k in _COUNTS:
        v = item.get(k)
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or not 0 <= v < 2**53):
            bad(k, "a count")
    for k in _TEXTS:
        if item.get(k) is not None and not isinstance(item[k], str):
            bad(k, "a string")
    for k in _TIMES:
        v = item.get(k)
        if v is not None:
            try:
                ok = isinstance(v, str) and len(v) <= 40 and pd.Timestamp(v).tzinfo is not None
            except (ValueError, TypeError, OverflowError):
                ok = False
            if not ok:
                bad(k, "a time like 2026-05-01T12:00:00Z")
    user = item.get("user")
    if user is not None and not (isinstance(user, dict) and isinstance(user.get("login"), str)):
        bad("user", "an object with a login")
    for k, inner in _LISTS.items():
        v = item.get(k)
        if v is not None and not (isinstance(v, list) and all(isinstance(x, dict) and isinstance(x.get(inner), str)
                                                               for x in v)):
            bad(k, f"a list of objects with a {inner}")
    for k in ("draft", "merged"):
        if item.get(k) is not None and not isinstance(item[k], bool):
            bad(k, "true or false")
    return item


def _ts(value: str | None) -> pd.Timestamp | None:
    return pd.Timestamp(value) if value else None


def _in(ts: pd.Timestamp | None, since: pd.Timestamp, until: pd.Timestamp) -> bool:
    return ts is not None and since <= ts < until


def _login(user: Any) -> str:
    return str(user.get("login") or "") if isinstance(user, dict) else ""


def _labels(item: dict) -> list[str]:
    return [str(label.get("name", "")) for label in item.get("labels") or [] if isinstance(label, dict)]


def _file(f: dict) -> dict:
    status = FILE_STATUS.get(str(f.get("status", "modified")), "modified")
    return {"filename": str(f["filename"]), "status": status, "additions": int(f.get("additions") or 0),
            "deletions": int(f.get("deletions") or 0),
            # GitHub sends no patch for a binary file (nor for a huge text diff, which has line counts).
            "binary": "patch" not in f and not f.get("changes"),
            "previous_filename": f.get("previous_filename") if status == "renamed" else None}


def pr_record(repo: str, detail: dict, files: list[dict], reviews: list[dict]) -> dict:
    """A canonical-table row from one merged PR's detail, files and reviews."""
    # Reviews submitted after the merge say nothing a scorer could have known at merge time.
    merged_at = str(detail.get("merged_at") or "")
    reviews = [r for r in reviews if str(r.get("submitted_at") or "") <= merged_at]
    states = [str(r.get("state", "")) for r in reviews]
    return {
        "repo": repo, "number": int(detail["number"]), "title": str(detail.get("title") or ""),
        "body": str(detail.get("body") or ""), "author": _login(detail.get("user")),
        "merged_at": detail["merged_at"], "authored_at": detail.get("created_at"),
        "merge_commit_sha": detail.get("merge_commit_sha") or "", "co_authors": [], "signed_off_by": [],
        "additions": int(detail.get("additions") or 0), "deletions": int(detail.get("deletions") or 0),
        "changed_files": int(detail.get("changed_files") or len(files)),
        # The files list stops at 3,000: the totals above stay exact, the per-file split does not.
        "line_counts_known": len(files) >= int(detail.get("changed_files") or 0),
        "files": [_file(f) for f in files],
        "labels": _labels(detail), "created_at": detail.get("created_at"), "closed_at": detail.get("closed_at"),
        "updated_at": detail.get("updated_at"), "state": "merged", "comments": int(detail.get("comments") or 0),
        "review_comments": int(detail.get("review_comments") or 0), "reviews": len(reviews),
        "approvals": states.count("APPROVED"), "changes_requested": states.count("CHANGES_REQUESTED"),
        "requested_reviewers": [_login(u) for u in detail.get("requested_reviewers") or []],
        "draft": bool(detail.get("draft")),
    }


def _activity_row(repo: str, kind: str, item: dict) -> dict:
    merged = item.get("merged_at")
    state = "merged" if merged else str(item.get("state") or "open")
    return {"repo": repo, "kind": kind, "number": int(item["number"]), "title": str(item.get("title") or ""),
            "labels": _labels(item), "author": _login(item.get("user")), "created_at": item.get("created_at"),
            "closed_at": item.get("closed_at"), "merged_at": merged, "state": state,
            "draft": bool(item.get("draft")) if kind == "pr" else False,
            "comments": int(item.get("comments") or 0), "review_comments": int(item.get("review_comments") or 0),
            "url": str(item.get("html_url") or "")}


@dataclass
class GitHubIngest:
    prs: list[dict]            # canonical rows of the PRs merged in the window
    activity: pd.DataFrame     # ACTIVITY_COLUMNS
    stats: dict
    truncated_files: list[int]  # PRs whose file list hit GitHub's 3,000-file cap


def ingest_github(client: GitHubClient, repo: str, since: pd.Timestamp, until: pd.Timestamp,
                  progress: Callable[[str, int | None], Any] | None = None) -> GitHubIngest:
    """Walk the API for one window [since, until): PRs by update time (newest first, stopping at
    the first page that reaches before `since`), then each PR that was opened, closed or merged in
    the window (detail; files and reviews when merged), then the issues updated since `since`.

    `progress(phase, total)` returns a bar-like object with `update(n)` and `close()`.
    """
    if not valid_slug(repo):
        raise ScorerError(f"the repository must be OWNER/NAME, got {repo!r}")
    if since >= until:
        raise ScorerError(f"--since {since:%Y-%m-%d} is not before --until {until:%Y-%m-%d}")
    base = f"repos/{repo}"
    bar = progress("pull request pages", None) if progress else None
    candidates: list[dict] = []
    for page in client.pages(f"{base}/pulls", {"state": "all", "sort": "updated", "direction": "desc",
                                                "per_page": 100}):
        if bar is not None:
            bar.update(1)
        page = [check_item(p, f"GET /{base}/pulls", "pull_request") for p in page]
        candidates += [p for p in page if _ts(p.get("updated_at")) is None or _ts(p["updated_at"]) >= since]
        if any(_ts(p.get("updated_at")) is not None and _ts(p["updated_at"]) < since for p in page):
            break  # sorted by update time: every later page is older still
    if bar is not None:
        bar.close()
    wanted = [p for p in candidates if any(_in(_ts(p.get(k)), since, until)
                                            for k in ("created_at", "closed_at", "merged_at"))]
    wanted.sort(key=lambda p: int(p["number"]))
    rows: list[dict] = []
    merged: list[dict] = []
    truncated: list[int] = []
    bar = progress("pull requests", len(wanted)) if progress else None
    for p in wanted:
        n = int(p["number"])
        detail, _ = client.get(f"{base}/pulls/{n}")
        check_item(detail, f"GET /{base}/pulls/{n}", "pull_request")
        rows.append(_activity_row(repo, "pr", detail))
        if _in(_ts(detail.get("merged_at")), since, until):
            files = [check_item(f, f"GET /{base}/pulls/{n}/files", "file")
                     for page in client.pages(f"{base}/pulls/{n}/files", {"per_page": 100}) for f in page]
            if not all(isinstance(f.get("filename"), str) and f["filename"] for f in files):
                raise ScorerError("expected a file name", path=f"GET /{base}/pulls/{n}/files", field="file.filename")
            reviews = [check_item(r, f"GET /{base}/pulls/{n}/reviews", "review")
                       for page in client.pages(f"{base}/pulls/{n}/reviews", {"per_page": 100}) for r in page]
            if len(files) < int(detail.get("changed_files") or 0):
                truncated.append(n)
            merged.append(pr_record(repo, detail, files, reviews))
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    bar = progress("issue pages", None) if progress else None
    for page in client.pages(f"{base}/issues", {"state": "all", "since": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                                 "per_page": 100}):
        if bar is not None:
            bar.update(1)
        for item in page:
            check_item(item, f"GET /{base}/issues", "issue")
            if "pull_request" in item:
                continue  # the issues endpoint lists PRs too; they came from /pulls
            if any(_in(_ts(item.get(k)), since, until) for k in ("created_at", "closed_at")):
                rows.append(_activity_row(repo, "issue", item))
    if bar is not None:
        bar.close()
    activity = pd.DataFrame(rows, columns=ACTIVITY_COLUMNS)
    if len(activity):
        activity = activity.sort_values(["kind", "number"], kind="mergesort").reset_index(drop=True)
    return GitHubIngest(merged, activity, client.stats.as_dict(), truncated)


# ---------------------------------------------------------------- the activity table

def pr_frame(result: GitHubIngest, where: str) -> pd.DataFrame:
    """The merged PRs of an ingest as the canonical table, each row validated like any input
    (a malformed API answer is named by its position, never written)."""
    from ..records import COLUMNS, to_frame, validate_record

    records = [validate_record(r, where, i + 1) for i, r in enumerate(result.prs)]
    return to_frame(records) if records else pd.DataFrame(columns=COLUMNS)


def save_activity(df: pd.DataFrame, path: str | os.PathLike) -> None:
    """JSONL (optionally .gz), CSV (labels as JSON text) or Parquet, written atomically."""
    from ..fileio import atomic_path
    from ..records import table_format

    path = Path(path)
    fmt = table_format(path)
    out = df.copy()
    try:
        with atomic_path(path) as tmp:
            if fmt == "parquet":
                out.to_parquet(tmp, index=False)
            elif fmt == "csv":
                out["labels"] = out["labels"].map(json.dumps)
                out.to_csv(tmp, index=False)
            else:
                text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out.to_dict("records"))
                if str(path).endswith(".gz"):
                    import gzip

                    Path(tmp).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
                else:
                    Path(tmp).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ScorerError(f"cannot write ({exc.strerror or exc.__class__.__name__})", path=str(path)) from None


def load_activity(path: str | os.PathLike) -> pd.DataFrame:
    """Read an activity table (any format `save_activity` writes), checked: one clear error naming
    the file and row for a missing column, an unknown kind or an unreadable time."""
    from ..records import table_format

    path = Path(path)
    require_input(path)
    fmt = table_format(path)
    try:
        if fmt == "parquet":
            df = pd.read_parquet(path)
        elif fmt == "csv":
            df = pd.read_csv(path, dtype={"title": str, "author": str}, keep_default_na=True)
            if "labels" in df:
                df["labels"] = [json.loads(v) if isinstance(v, str) and v.startswith("[") else [] for v in df["labels"]]
        else:
            df = pd.read_json(path, lines=True, dtype=False)
    except ValueError as exc:
        raise ScorerError(f"cannot read the activity table ({first_line(exc)})", path=str(path)) from None
    except OSError as exc:
        raise ScorerError(f"cannot read ({exc.strerror or exc.__class__.__name__})", path=str(path)) from None
    missing = [c for c in ("repo", "kind", "number", "title", "created_at") if c not in df]
    if missing:
        raise ScorerError(f"missing columns {missing} (expected {', '.join(ACTIVITY_COLUMNS)})", path=str(path))
    for c in ACTIVITY_COLUMNS:
        if c not in df:
            df[c] = None
    bad = df.index[~df["kind"].isin(["issue", "pr"])]
    if len(bad):
        raise ScorerError(f"kind must be 'issue' or 'pr', got {df.loc[bad[0], 'kind']!r}", path=str(path),
                          line=int(bad[0]) + 1, field="kind")
    for c in ("created_at", "closed_at", "merged_at"):
        parsed = pd.to_datetime(df[c], utc=True, errors="coerce")
        bad = df.index[parsed.isna() & df[c].notna()]
        if len(bad) or (c == "created_at" and parsed.isna().any()):
            row = int(bad[0] if len(bad) else df.index[parsed.isna()][0])
            raise ScorerError(f"not a time: {df.loc[row, c]!r}", path=str(path), line=row + 1, field=c)
        df[c] = parsed
    df["labels"] = [list(v) if isinstance(v, (list, tuple)) or hasattr(v, "tolist") else [] for v in df["labels"]]
    df["comments"] = pd.to_numeric(df["comments"], errors="coerce").fillna(0).astype(int)
    df["number"] = pd.to_numeric(df["number"], errors="coerce")
    if df["number"].isna().any():
        row = int(df.index[df["number"].isna()][0])
        raise ScorerError("number is not an integer", path=str(path), line=row + 1, field="number")
    df["number"] = df["number"].astype(int)
    return df[ACTIVITY_COLUMNS]
