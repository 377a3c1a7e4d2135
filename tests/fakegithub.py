"""A small fake GitHub REST API on 127.0.0.1, for the API client's tests and benchmark.

It serves GitHub-shaped JSON (fields as in the REST reference's example responses) for one
repository: `/repos/{o}/{r}/pulls` (sorted by update time, `Link` pagination), `/pulls/{n}`,
`/pulls/{n}/files` (paged), `/pulls/{n}/reviews` and `/issues` (issues and PRs, `since`).
Every answer carries an ETag and answers `If-None-Match` with 304; rate-limit headers count
down on 200s only. Faults are queued per path prefix and served once each, in order: "502",
"drop" (close the connection without an answer), "ratelimit" (403 with remaining 0 and a reset
one second ahead), "retry-after" (429 with `retry-after: 1`), "html" (a proxy's HTML page).
"""

from __future__ import annotations

import hashlib
import json
import random
import socket
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

BASE = datetime(2026, 3, 1, tzinfo=timezone.utc)
BOTS = ("dependabot[bot]", "github-actions[bot]")


def iso(t: datetime | None) -> str | None:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ") if t else None


def make_repo(owner: str = "acme", name: str = "widget", n_items: int = 420, seed: int = 0,
              big_pr_files: int = 250) -> dict:
    """A month of activity: PRs (merged, closed unmerged, open, draft) and issues sharing one
    number sequence, with labels, reviews, comments, bots, and one PR merged mid-month with
    `big_pr_files` files (its number is `big_pr`)."""
    rng = random.Random(seed)
    users = [f"dev{i}" for i in range(12)] + list(BOTS)
    label_sets = [[], ["bug"], ["feature"], ["documentation"], ["bug", "rocm"], ["ci/build"], ["question"]]
    pulls, issues = {}, {}
    for n in range(1, n_items + 1):
        created = BASE + timedelta(minutes=rng.randrange(0, 30 * 24 * 60))
        user = rng.choice(users)
        labels = [{"id": hash(x) % 10**6, "name": x, "color": "ededed"} for x in rng.choice(label_sets)]
        if rng.random() < 0.6:  # a pull request
            fate = rng.random()
            closed = created + timedelta(hours=rng.randrange(1, 24 * 6)) if fate < 0.85 else None
            merged = closed if closed and fate < 0.7 else None
            nfiles = rng.randrange(1, 6)
            files = []
            for j in range(nfiles):
                status = rng.choice(["modified", "modified", "added", "removed", "renamed"])
                f = {"sha": hashlib.sha1(f"{n}/{j}".encode()).hexdigest(), "filename": f"src/mod{j % 7}/file_{n}_{j}.py",
                     "status": status, "additions": rng.randrange(0, 80), "deletions": rng.randrange(0, 40)}
                f["changes"] = f["additions"] + f["deletions"]
                if status == "renamed":
                    f["previous_filename"] = f"src/old/file_{n}_{j}.py"
                if j % 11 != 5:
                    f["patch"] = "@@ -1 +1 @@"
                else:  # a binary file: no patch, no line counts
                    f.update({"filename": f"assets/img_{n}_{j}.png", "additions": 0, "deletions": 0, "changes": 0})
                files.append(f)
            reviews = [{"id": n * 100 + k, "user": {"login": rng.choice(users[:12])},
                        "state": rng.choice(["APPROVED", "COMMENTED", "CHANGES_REQUESTED"]),
                        "submitted_at": iso(created + timedelta(hours=k + 1))} for k in range(rng.randrange(0, 4))]
            updated = max(t for t in (created, closed, created + timedelta(hours=rng.randrange(0, 48))) if t)
            pulls[n] = {
                "number": n, "title": f"[Feature] change {n}" if rng.random() < 0.5 else f"Fix thing {n}",
                "body": f"Description of #{n}. Speeds up X by {rng.randrange(2, 60)}%." if rng.random() < 0.7 else None,
                "user": {"login": user}, "labels": labels, "state": "closed" if closed else "open",
                "draft": closed is None and rng.random() < 0.3, "created_at": iso(created), "updated_at": iso(updated),
                "closed_at": iso(closed), "merged_at": iso(merged),
                "merge_commit_sha": hashlib.sha1(str(n).encode()).hexdigest() if merged else None,
                "requested_reviewers": [{"login": u} for u in rng.sample(users[:12], rng.randrange(0, 3))],
                "comments": rng.randrange(0, 9), "review_comments": rng.randrange(0, 6),
                "additions": sum(f["additions"] for f in files), "deletions": sum(f["deletions"] for f in files),
                "changed_files": len(files), "html_url": f"https://github.com/{owner}/{name}/pull/{n}",
                "_files": files, "_reviews": reviews,
            }
        else:
            closed = created + timedelta(hours=rng.randrange(1, 24 * 10)) if rng.random() < 0.5 else None
            updated = max(t for t in (created, closed) if t) + timedelta(minutes=rng.randrange(0, 600))
            issues[n] = {
                "number": n, "title": f"Crash when loading model {n}" if labels and labels[0]["name"] == "bug"
                else f"Question about option {n}", "user": {"login": user}, "labels": labels,
                "state": "closed" if closed else "open", "comments": rng.randrange(0, 15),
                "created_at": iso(created), "updated_at": iso(updated), "closed_at": iso(closed),
                "html_url": f"https://github.com/{owner}/{name}/issues/{n}", "body": "steps to reproduce",
            }
    # One PR merged mid-month gets `big_pr_files` files (three pages at 100 a page).
    big = min((n for n, p in pulls.items() if p["merged_at"] and "2026-03-12" <= p["merged_at"] < "2026-03-18"),
              default=None)
    if big is not None and big_pr_files:
        p = pulls[big]
        p["_files"] = [{"sha": hashlib.sha1(f"{big}/{j}".encode()).hexdigest(), "filename": f"src/big/file_{j}.py",
                        "status": "added", "additions": 3, "deletions": 0, "changes": 3, "patch": "@@ +1 @@"}
                       for j in range(big_pr_files)]
        p.update(additions=3 * big_pr_files, deletions=0, changed_files=big_pr_files)
    return {"owner": owner, "name": name, "pulls": pulls, "issues": issues, "big_pr": big}


class FakeGitHub:
    """Start with `FakeGitHub(repo).start()`; `.url` is the API root; `.stop()` ends it."""

    def __init__(self, repo: dict, token: str | None = None, per_page_cap: int = 100) -> None:
        self.repo, self.token, self.per_page_cap = repo, token, per_page_cap
        self.faults: dict[str, list[str]] = defaultdict(list)
        self.status_counts: Counter = Counter()
        self.remaining = 5000
        self.lock = threading.Lock()
        self.check_runs: dict[int, dict] = {}  # id -> check run (POST /check-runs, PATCH /check-runs/{id})
        self.app: tuple[str, bytes] | None = None  # (App id, public key PEM): installation tokens for a signed JWT
        self.installation_tokens: dict[str, int] = {}  # token -> installation id
        self.token_ttl_s = 3600
        self.writes: list[tuple[str, str, dict | None]] = []  # (method, path, Authorization header) of every write
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in two writes: without this, Nagle's algorithm and the
                # client's delayed ACK hold every answer with a body ~40 ms.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self) -> None:  # noqa: N802
                fake.handle(self)

            def do_POST(self) -> None:  # noqa: N802
                fake.handle(self)

            def do_PATCH(self) -> None:  # noqa: N802
                fake.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakeGitHub":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fault(self, path_prefix: str, *kinds: str) -> None:
        self.faults[path_prefix].extend(kinds)

    # ------------------------------------------------------------ serving

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict) -> None:
        with self.lock:
            self.status_counts[status] += 1
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def _json(self, h, status: int, data, extra: dict | None = None) -> None:
        body = json.dumps(data).encode()
        self._send(h, status, body, {"Content-Type": "application/json; charset=utf-8", **(extra or {})})

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        url = urlparse(h.path)
        path, query = url.path, {k: v[-1] for k, v in parse_qs(url.query).items()}
        raw = b""
        if h.command in ("POST", "PATCH"):  # read the body first: a fault's answer must not leave it in the socket
            length = int(h.headers.get("Content-Length") or 0)
            raw = h.rfile.read(length) if length else b""
        with self.lock:
            queue = next((q for p, q in self.faults.items() if path.startswith(p) and q), None)
            fault = queue.pop(0) if queue else None
        reset = str(int(time.time()) + 1)
        if fault == "drop":
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault == "502":
            return self._send(h, 502, b"<html>Bad Gateway</html>", {"Content-Type": "text/html"})
        if fault == "write-then-502" and h.command in ("POST", "PATCH"):  # done, but the answer is lost
            self.write(h.command, path, json.loads(raw or b"{}"))
            return self._send(h, 502, b"<html>Bad Gateway</html>", {"Content-Type": "text/html"})
        if fault == "ratelimit":
            return self._json(h, 403, {"message": "API rate limit exceeded"},
                              {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset})
        if fault == "retry-after":
            return self._json(h, 429, {"message": "You have exceeded a secondary rate limit."}, {"retry-after": "1"})
        if fault == "html":
            return self._send(h, 200, b"<html>Sign in to the proxy</html>", {"Content-Type": "text/html"})
        if h.command == "POST" and path.startswith("/app/installations/") and path.endswith("/access_tokens"):
            with self.lock:
                self.writes.append((h.command, path, h.headers.get("Authorization")))
            return self._json(h, *self.installation_token(path, h.headers.get("Authorization", "")))
        if h.command in ("POST", "PATCH"):
            with self.lock:
                self.writes.append((h.command, path, h.headers.get("Authorization")))
            if not self.authorized(h):
                return self._json(h, 401, {"message": "Bad credentials"})
            try:
                doc = json.loads(raw or b"{}")
            except ValueError:
                return self._json(h, 400, {"message": "Problems parsing JSON"})
            got = self.write(h.command, path, doc)
            if got is None:
                return self._json(h, 404, {"message": "Not Found"})
            return self._json(h, *got)
        if not self.authorized(h):
            return self._json(h, 401, {"message": "Bad credentials"})
        data = self.route(path, query)
        if data is None:
            return self._json(h, 404, {"message": "Not Found"})
        payload, link = data
        body = json.dumps(payload).encode()
        etag = f'W/"{hashlib.sha1(body).hexdigest()}"'
        headers = {"ETag": etag, "x-ratelimit-reset": reset}
        if link:
            headers["Link"] = link
        if h.headers.get("If-None-Match") == etag:
            headers["x-ratelimit-remaining"] = str(self.remaining)
            return self._send(h, 304, b"", headers)
        with self.lock:
            self.remaining -= 1
        headers["x-ratelimit-remaining"] = str(self.remaining)
        self._send(h, 200, body, {"Content-Type": "application/json; charset=utf-8", **headers})

    def _page(self, path: str, query: dict, items: list) -> tuple[list, str]:
        per = min(int(query.get("per_page", 30)), self.per_page_cap)
        page = int(query.get("page", 1))
        last = max((len(items) + per - 1) // per, 1)
        links = []
        for rel, p in (("next", page + 1), ("last", last)):
            if p <= last and not (rel == "last" and page == last):
                links.append(f'<{self.url}{path}?{urlencode({**query, "page": p})}>; rel="{rel}"')
        return items[(page - 1) * per: page * per], ", ".join(links)

    def authorized(self, h) -> bool:
        auth = h.headers.get("Authorization") or ""
        if not self.token and not self.installation_tokens:
            return True
        with self.lock:
            return auth == f"Bearer {self.token}" or auth[len("Bearer "):] in self.installation_tokens

    def installation_token(self, path: str, auth: str) -> tuple[int, dict]:
        """POST /app/installations/{id}/access_tokens: a JWT the App signed (RS256, iss = its id,
        at most 10 minutes) buys a token for that installation."""
        import jwt

        if self.app is None:
            return 404, {"message": "Not Found"}
        app_id, public = self.app
        try:
            claims = jwt.decode(auth[len("Bearer "):], public, algorithms=["RS256"])
        except jwt.PyJWTError:
            return 401, {"message": "A JSON web token could not be decoded"}
        if str(claims.get("iss")) != app_id or claims["exp"] - claims["iat"] > 660:
            return 401, {"message": "'Issuer' claim ('iss') must be an Integer"}
        inst = int(path.split("/")[3])
        token = f"ghs_inst_{inst}_{len(self.installation_tokens)}"
        with self.lock:
            self.installation_tokens[token] = inst
        expires = datetime.fromtimestamp(time.time() + self.token_ttl_s, tz=timezone.utc)
        return 201, {"token": token, "expires_at": iso(expires)}

    def write(self, method: str, path: str, doc: dict):
        """The Checks API's writes: create a check run, update one (status, conclusion, output)."""
        prefix = f"/repos/{self.repo['owner']}/{self.repo['name']}/check-runs"
        if method == "POST" and path == prefix:
            if not isinstance(doc.get("name"), str) or not isinstance(doc.get("head_sha"), str):
                return 422, {"message": "Invalid request: name and head_sha are required"}
            with self.lock:
                run_id = 1000 + len(self.check_runs) + 1
                self.check_runs[run_id] = {"id": run_id, **doc}
                return 201, dict(self.check_runs[run_id])
        if method == "PATCH" and path.startswith(prefix + "/") and path[len(prefix) + 1:].isdigit():
            with self.lock:
                run = self.check_runs.get(int(path[len(prefix) + 1:]))
                if run is None:
                    return None
                run.update({k: v for k, v in doc.items() if k != "head_sha"})
                run["updates"] = run.get("updates", 0) + 1
                return 200, dict(run)
        return None

    def route(self, path: str, query: dict):
        r = self.repo
        prefix = f"/repos/{r['owner']}/{r['name']}"
        if not path.startswith(prefix):
            return None
        rest = path[len(prefix):]
        public = lambda p: {k: v for k, v in p.items() if not k.startswith("_")}  # noqa: E731
        listing = lambda p: {k: v for k, v in public(p).items()  # noqa: E731
                             if k not in ("comments", "review_comments", "additions", "deletions", "changed_files")}
        if rest == "/pulls":
            items = sorted(r["pulls"].values(), key=lambda p: (p["updated_at"], p["number"]), reverse=True)
            return self._page(path, query, [listing(p) for p in items])
        parts = rest.strip("/").split("/")
        if len(parts) >= 2 and parts[0] == "pulls" and parts[1].isdigit():
            p = r["pulls"].get(int(parts[1]))
            if p is None:
                return None
            if len(parts) == 2:
                return public(p), ""
            if parts[2] == "files":
                return self._page(path, query, p["_files"][:3000])
            if parts[2] == "reviews":
                return self._page(path, query, p["_reviews"])
        if len(parts) == 3 and parts[0] == "commits" and parts[2] == "check-runs":
            with self.lock:
                runs = [dict(c) for c in self.check_runs.values() if c["head_sha"] == parts[1]
                        and c.get("name") == query.get("check_name", c.get("name"))]
            return {"total_count": len(runs), "check_runs": runs}, ""
        if rest == "/issues":
            since = query.get("since", "")
            items = [dict(i) for i in r["issues"].values()]
            items += [{**listing(p), "comments": p["comments"], "pull_request": {"url": p["html_url"]}}
                      for p in r["pulls"].values()]
            items = [i for i in items if i["updated_at"] >= since]
            items.sort(key=lambda i: (i["created_at"], i["number"]), reverse=True)
            return self._page(path, query, items)
        return None


def expected(repo: dict, since: str, until: str) -> dict:
    """Ground truth for a window [since, until): merged PR numbers and activity (kind, number)."""
    inside = lambda t: t is not None and since <= t < until  # noqa: E731
    merged = {n for n, p in repo["pulls"].items() if inside(p["merged_at"])}
    activity = {("pr", n) for n, p in repo["pulls"].items()
                if any(inside(p[k]) for k in ("created_at", "closed_at", "merged_at"))}
    activity |= {("issue", n) for n, i in repo["issues"].items() if inside(i["created_at"]) or inside(i["closed_at"])}
    return {"merged": merged, "activity": activity}
