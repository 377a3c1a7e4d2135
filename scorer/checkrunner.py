"""Check runs from the service (`scorer serve --github-checks`): a webhook's pull request,
scored and posted by a background worker, so the webhook answers at once. GitHub times a
delivery out after 10 s.

- **The queue** is bounded (MAX_QUEUE jobs). One job per repository and head SHA is pending at
  a time: a redelivered event joins the pending job instead of adding one. A full queue
  refuses new work, and the webhook says so; it is never made to wait.
- **Retries.** A GitHub outage (5xx, dropped connections) or a rate limit that outlasts the
  client's own waits puts the job back with a growing delay, up to MAX_ATTEMPTS. The run is
  delayed, not lost, unless the outage outlasts them all; then it is counted as failed and
  logged without its token.
- **Credentials**, from the environment: a token for one repository (GITHUB_TOKEN), or a GitHub
  App (GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH). The App
  signs a 10-minute JWT (RS256) and exchanges it for an installation token through the
  documented endpoint. Each installation token is cached until a minute before it expires.
  Tokens go only to the API's origin (GitHubClient's OriginToken) and never into logs or errors.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import ScorerError

log = logging.getLogger("scorer.checks")
MAX_QUEUE = 1000
MAX_ATTEMPTS = 8
RETRY_BASE_S = 2.0
RETRY_MAX_S = 300.0
APP_ID_ENV, APP_KEY_ENV, APP_KEY_PATH_ENV = "GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY", "GITHUB_APP_PRIVATE_KEY_PATH"


class StaticToken:
    """One token for the repository (a fine-grained token with checks:write)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def token(self, installation: int | None) -> str:
        return self._token


class AppTokens:
    """A GitHub App's installation tokens: a JWT signed with the App's key, exchanged at
    POST /app/installations/{id}/access_tokens, cached until a minute before `expires_at`."""

    def __init__(self, app_id: str, private_key: str, api_url: str, client_factory: Callable[..., Any],
                 clock: Callable[[], float] = time.time) -> None:
        if not app_id.isdigit():
            raise ScorerError(f"{APP_ID_ENV} must be the App's numeric id")
        try:
            from cryptography.hazmat.primitives.serialization import load_pem_private_key

            self._key = load_pem_private_key(private_key.encode(), password=None)
        except ImportError:
            raise ScorerError("GitHub App credentials need the serve extra (pyjwt, cryptography): "
                              "pip install -e '.[serve]'") from None
        except (ValueError, TypeError):
            raise ScorerError(f"{APP_KEY_ENV} is not a PEM private key") from None
        self.app_id, self.api_url, self._factory, self._clock = app_id, api_url, client_factory, clock
        self._cache: dict[int, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self.exchanges = 0

    def jwt(self) -> str:
        import jwt

        now = int(self._clock())
        return jwt.encode({"iat": now - 60, "exp": now + 540, "iss": self.app_id}, self._key, algorithm="RS256")

    def token(self, installation: int | None) -> str:
        import pandas as pd

        if installation is None:
            raise ScorerError("a GitHub App needs the event's installation id (installation.id)")
        with self._lock:
            hit = self._cache.get(installation)
            if hit and hit[1] - 60 > self._clock():
                return hit[0]
            with self._factory(token=self.jwt()) as client:
                doc = client.write("POST", f"/app/installations/{installation}/access_tokens", {})
            token, expires = (doc.get("token"), doc.get("expires_at")) if isinstance(doc, dict) else (None, None)
            if not isinstance(token, str) or not token or not isinstance(expires, str):
                raise ScorerError("the installation token answer has no token or expires_at")
            try:
                until = pd.Timestamp(expires).timestamp()
            except ValueError:
                raise ScorerError("the installation token's expires_at is not a time") from None
            self._cache[installation] = (token, until)
            self.exchanges += 1
            return token


def credentials_from_env(api_url: str, client_factory: Callable[..., Any]):
    """StaticToken, AppTokens, or a ScorerError naming what is missing."""
    app_id = os.environ.get(APP_ID_ENV)
    if app_id:
        key = os.environ.get(APP_KEY_ENV)
        path = os.environ.get(APP_KEY_PATH_ENV)
        if not key and path:
            try:
                key = Path(path).read_text(encoding="utf-8")
            except OSError as exc:
                raise ScorerError(f"cannot read the App's private key ({exc.strerror or exc})", path=path) from None
        if not key:
            raise ScorerError(f"{APP_ID_ENV} is set: give the App's key in {APP_KEY_ENV} or {APP_KEY_PATH_ENV}")
        return AppTokens(app_id, key, api_url, client_factory)
    token = os.environ.get("GITHUB_TOKEN")
    if token:
        return StaticToken(token)
    raise ScorerError(f"--github-checks needs credentials: GITHUB_TOKEN, or {APP_ID_ENV} and {APP_KEY_ENV}")


@dataclass
class Job:
    repo: str
    number: int
    head_sha: str
    installation: int | None
    attempts: int = 0
    not_before: float = 0.0


@dataclass
class CheckRunner:
    """The worker that turns queued pull requests into check runs (see the module docstring).
    `make_check(job, client)` scores the PR and returns the check run's body; `client_factory(token=...)`
    opens a GitHubClient on the API."""
    make_check: Callable[[Job, Any], dict]
    credentials: Any
    client_factory: Callable[..., Any]
    sleep: Callable[[float], None] = time.sleep
    max_queue: int = MAX_QUEUE
    queue: "queue.Queue[Job]" = field(init=False)
    pending: set = field(default_factory=set)
    counts: dict = field(default_factory=lambda: {"created": 0, "updated": 0, "failed": 0, "retried": 0, "refused": 0})
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __post_init__(self) -> None:
        self.queue = queue.Queue(maxsize=self.max_queue)

    def start(self) -> "CheckRunner":
        self._thread = threading.Thread(target=self._work, name="scorer-checks", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def submit(self, job: Job) -> str:
        """'queued', 'pending' (the same head SHA is already waiting) or 'refused' (queue full)."""
        key = (job.repo, job.head_sha)
        with self._lock:
            if key in self.pending:
                return "pending"
            try:
                self.queue.put_nowait(job)
            except queue.Full:
                self.counts["refused"] += 1
                return "refused"
            self.pending.add(key)
        return "queued"

    def depth(self) -> int:
        return self.queue.qsize()

    def _work(self) -> None:
        from .checks import CHECK_NAME, post_check

        while not self._stop.is_set():
            try:
                job = self.queue.get(timeout=0.2)
            except queue.Empty:
                continue
            wait = job.not_before - time.monotonic()
            if wait > 0:
                self.sleep(min(wait, 1.0))
                if job.not_before > time.monotonic():
                    self.queue.put(job)  # not yet: back in line (others may be ready)
                    continue
            try:
                with self.client_factory(token=self.credentials.token(job.installation)) as client:
                    if job.attempts == 0:  # reviewers see "scorer" in progress while the PR is scored
                        post_check(client, job.repo, {"name": CHECK_NAME, "head_sha": job.head_sha,
                                                      "status": "in_progress"}, sleep=self.sleep)
                    body = self.make_check(job, client)
                    posted = post_check(client, job.repo, body, sleep=self.sleep)
                self.counts[posted.action] += 1
                self._done(job)
            except ScorerError as exc:
                job.attempts += 1
                if job.attempts >= MAX_ATTEMPTS or not _retryable(exc):
                    self.counts["failed"] += 1
                    log.warning("check run for %s#%s (%s) failed: %s", job.repo, job.number, job.head_sha[:12], exc)
                    self._done(job)
                    continue
                self.counts["retried"] += 1
                job.not_before = time.monotonic() + min(RETRY_BASE_S * 2 ** (job.attempts - 1), RETRY_MAX_S)
                self.queue.put(job)
            except Exception:  # a bug must not kill the worker: count it, log it, go on
                self.counts["failed"] += 1
                log.exception("check run for %s#%s failed", job.repo, job.number)
                self._done(job)

    def _done(self, job: Job) -> None:
        with self._lock:
            self.pending.discard((job.repo, job.head_sha))


def _retryable(exc: ScorerError) -> bool:
    """An outage or a limit is worth waiting out (the client says which: TransientError); a
    refusal (401, 404, 422, bad data) is not."""
    from .ingest.github import TransientError

    return isinstance(exc, TransientError)


def served_check_maker(served, lang: str, gate: float | None, similar) -> Callable[[Job, Any], dict]:
    """make_check for the service: the PR fetched with the job's client and scored against the
    served history with its walked state, as /v1/score scores (pipeline.score_check)."""
    from .checks import fetch_pull
    from .pipeline import score_check

    def make(job: Job, client) -> dict:
        record, _files, _sha = fetch_pull(client, job.repo, job.number)
        model = served.model  # one read: a reload swaps the tuple whole
        body, _ = score_check(record, model, served.history, similar, lang=lang, head_sha=job.head_sha, gate=gate,
                              model_id=served.model_id, where=f"{job.repo}#{job.number}", state=served.state,
                              state_lock=served.state_lock)
        return body

    return make
