"""`scorer serve`: the HTTP front door. Routes are a few lines over the same stage functions the
CLI calls (scorer.pipeline); this module holds the service's own concerns only: the loaded bundle
and its atomic swap, the served history, the report cache, limits, auth, webhooks and metrics.

FastAPI + uvicorn (not Flask or aiohttp): request models validated by pydantic give 422s that
name the field for free, and the ASGI server runs the same app under a process manager.
"""

# No `from __future__ import annotations`: FastAPI reads the route annotations at runtime.

import functools
import hashlib
import hmac
import json
import os
import re
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ScorerError

MAX_BODY = int(os.environ.get("SCORER_MAX_BODY", 5 * 1024 * 1024))
TOKEN_ENV = "SCORER_SERVICE_TOKEN"
WEBHOOK_SECRET_ENV = "SCORER_WEBHOOK_SECRET"
WEEK_RE = re.compile(r"\d{4}-W\d{2}")  # fullmatch: `$` would also match before a trailing newline
# Connections: an idle keep-alive connection is closed after KEEP_ALIVE_S; past MAX_CONNECTIONS
# open at once new ones get 503 instead of starving the process of descriptors; a client that
# trickles its request headers is cut at H11_MAX_HEADER bytes. In production a reverse proxy
# (nginx, Caddy) in front adds its own header and body timeouts.
KEEP_ALIVE_S = 5
FIRST_REQUEST_S = 10  # a connection that has not sent a whole request line and headers by then is closed
MAX_CONNECTIONS = 512
H11_MAX_HEADER = 64 * 1024
MAX_DELIVERIES = 10_000
RELOAD_S = 120.0  # verifying a bundle for /v1/reload; past this the answer is 422 and the old bundle stays  # webhook delivery ids remembered (a redelivery or a replay is answered, not redone)


@dataclass
class Served:
    """What one running service serves. `model` is swapped whole (a tuple), so a request sees
    either the old bundle or the new one, never a mix."""
    model: tuple  # (PRScorer, card)
    model_path: Path
    model_id: str
    history: Any = None  # the canonical DataFrame, or None
    data_path: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    reports: dict = field(default_factory=dict)  # (week, lang, format, model_id, history rows) -> body
    render_locks: dict = field(default_factory=dict)  # one render in flight per report key
    state: Any = None  # features.HistoryState walked over `history` (built at start, rebuilt after appends)
    state_lock: threading.Lock = field(default_factory=threading.Lock)
    deliveries: "OrderedDict[str, None]" = field(default_factory=OrderedDict)

    def first_delivery(self, delivery: str) -> bool:
        """Whether this webhook delivery id is new (then remembered, the oldest forgotten past
        MAX_DELIVERIES): GitHub redelivers with the same id, and a replayed event carries one."""
        with self.lock:
            if delivery in self.deliveries:
                return False
            self.deliveries[delivery] = None
            while len(self.deliveries) > MAX_DELIVERIES:
                self.deliveries.popitem(last=False)
            return True

    def walk_history(self) -> None:
        """Walk the history once, so that scoring a new PR featurizes only that PR."""
        from .features import history_state
        from .score import taxonomy_for

        if self.history is not None and len(self.history):
            self.state = history_state(self.history, taxonomy_for(self.model[0], self.history))


def bundle_id(path: Path) -> str:
    """The bundle's identity: the hash of its manifest (which hashes every file)."""
    return hashlib.sha256((path / "manifest.json").read_bytes()).hexdigest()[:16]


def load_served(model_path: Path, data_path: Path | None = None) -> Served:
    from .records import load_prs
    from .score import load_model, require_importance

    model = load_model(model_path)
    require_importance(model[0], model_path)
    history = load_prs(data_path) if data_path is not None else None
    served = Served(model, model_path, bundle_id(model_path), history, data_path)
    served.walk_history()
    return served


def _record_from_webhook(payload: dict) -> dict:
    """A canonical record from a `pull_request` event (the event carries counts, not the file list)."""
    from .ingest.github import check_item, pr_record

    pr = payload.get("pull_request")
    repository = payload.get("repository")
    repo = repository.get("full_name") if isinstance(repository, dict) else None
    if not isinstance(pr, dict) or not isinstance(repo, str):
        raise ScorerError("a pull_request event needs pull_request and repository.full_name", field="pull_request")
    check_item(pr, "webhook", "pull_request")
    detail = dict(pr)
    if not detail.get("merged_at"):  # opened / synchronize: scored as if merged now
        detail["merged_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    rec = pr_record(repo, detail, [], [])
    rec["line_counts_known"] = False
    return rec


def _guarded_h11():
    """uvicorn's h11 protocol, closing a connection that sends no complete request within
    FIRST_REQUEST_S: uvicorn times out idle keep-alive connections only after a first response,
    so silent or trickling clients could hold every descriptor."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11(H11Protocol):
        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._first_request = self.loop.call_later(FIRST_REQUEST_S, self._no_request_yet)

        def _no_request_yet(self) -> None:
            if self.cycle is None and not self.transport.is_closing():
                self.transport.close()

        def connection_lost(self, exc) -> None:
            self._first_request.cancel()
            super().connection_lost(exc)

    return GuardedH11


def server_config(app, host: str, port: int):
    """uvicorn's configuration with the service's connection limits."""
    import uvicorn

    return uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_keep_alive=KEEP_ALIVE_S,
                          limit_concurrency=MAX_CONNECTIONS, h11_max_incomplete_event_size=H11_MAX_HEADER,
                          http=_guarded_h11())


def create_app(served: Served, threads: int | None = None):
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse, Response
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
    import anyio
    from starlette.concurrency import run_in_threadpool
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from .pipeline import score_period, score_records

    app = FastAPI(title="scorer", version="1", docs_url=None, redoc_url=None, openapi_url=None)
    # Scoring threads at once: more than the cores only makes requests share the GIL and every
    # one slower (at concurrency 4 on 2 cores, p99 58-64 ms with 40 threads, 44-55 ms with 2).
    scoring = anyio.CapacityLimiter(threads or os.cpu_count() or 1)
    app.state.served = served
    reg = CollectorRegistry()
    requests = Counter("scorer_requests", "HTTP requests", ["route", "status"], registry=reg)
    latency = Histogram("scorer_request_seconds", "Request latency", ["route"], registry=reg,
                        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
    scored = Counter("scorer_scored_prs", "PRs scored", registry=reg)
    model_info = Gauge("scorer_model", "The served bundle (value 1)", ["model_id"], registry=reg)
    model_info.labels(served.model_id).set(1)

    def error(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status)

    class LimitsAndMetrics:
        """Size limit, JSON 500s and metrics as a plain ASGI wrapper (Starlette's BaseHTTPMiddleware
        costs a task and a stream per request)."""

        def __init__(self, app):
            self.app = app

        async def __call__(self, scope, receive, send):
            if scope["type"] != "http":
                return await self.app(scope, receive, send)
            t0 = time.perf_counter()
            sent = {"status": None}

            async def tracked(message):
                if message["type"] == "http.response.start":
                    sent["status"] = message["status"]
                await send(message)

            size = dict(scope["headers"]).get(b"content-length")
            try:
                if size is not None and (not size.isdigit() or int(size) > MAX_BODY):
                    await too_large_response()(scope, receive, tracked)
                else:
                    await self.app(scope, receive, tracked)
            except Exception:  # never a stack trace in a response
                if sent["status"] is None:
                    await error(500, "internal error")(scope, receive, tracked)
            # The matched route's template ("/v1/reports/{week}"), so label values stay bounded.
            route = getattr(scope.get("route"), "path", "unmatched")
            requests.labels(route, str(sent["status"] or 500)).inc()
            latency.labels(route).observe(time.perf_counter() - t0)

    app.add_middleware(LimitsAndMetrics)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x != "body") or "body"
        return error(422, f"field {where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(ScorerError)
    async def scorer_error(request: Request, exc: ScorerError):
        return error(422, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return error(exc.status_code, str(exc.detail))

    def authorized(request: Request) -> bool:
        token = os.environ.get(TOKEN_ENV)
        if not token:
            return True
        got = request.headers.get("authorization", "")
        return hmac.compare_digest(got.encode(), f"Bearer {token}".encode())

    async def read_body(request: Request) -> bytes:
        """The body, held to MAX_BODY as it streams in, also when no Content-Length announced it
        (chunked): a larger body is refused at the first byte past the limit, not after reading it."""
        parts, total = [], 0
        async for chunk in request.stream():
            total += len(chunk)
            if total > MAX_BODY:
                raise _TooLarge()
            parts.append(chunk)
        return b"".join(parts)

    def parse_json(body: bytes) -> Any:
        try:
            return json.loads(body)
        except (ValueError, RecursionError):
            raise ScorerError("the body is not valid JSON") from None

    async def json_body(request: Request) -> Any:
        return parse_json(await read_body(request))

    async def score_off_loop(records: list, **kw) -> dict:
        """score_records on a worker thread (the event loop keeps answering /healthz), at most
        `scoring` of them at once."""
        s = app.state.served
        return await anyio.to_thread.run_sync(functools.partial(
            score_records, records, s.model, s.history, state=s.state, state_lock=s.state_lock, **kw), limiter=scoring)

    class _TooLarge(Exception):
        pass

    def too_large_response() -> JSONResponse:
        return error(413, f"request body over {MAX_BODY} bytes")

    @app.exception_handler(_TooLarge)
    async def too_large(request: Request, exc: _TooLarge):
        return too_large_response()

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz():
        s = app.state.served
        return {"status": "ready", "model_id": s.model_id, "history_prs": 0 if s.history is None else len(s.history)}

    @app.get("/v1/model")
    def model_card():
        s = app.state.served
        return {"model_id": s.model_id, "path": str(s.model_path), "card": s.model[1]}

    @app.get("/metrics")
    def metrics():
        return Response(generate_latest(reg), media_type=CONTENT_TYPE_LATEST)

    @app.post("/v1/score")
    async def score(request: Request, lang: str = "en"):
        body = await json_body(request)
        records = body if isinstance(body, list) else [body]
        if not records or len(records) > 1000:
            raise ScorerError("send one PR object or a list of 1 to 1,000")
        out = await score_off_loop(records, lang=lang if lang in ("zh", "en") else "en")
        scored.inc(len(out["results"]))
        return JSONResponse({"model_id": app.state.served.model_id, **out})  # plain JSON: no re-encoding pass

    @app.get("/v1/reports/{week}")
    def weekly(week: str, lang: str = "zh", format: str = "md"):
        s = app.state.served
        if not WEEK_RE.fullmatch(week):
            return error(404, f"no such week {week[:20]!r}: weeks look like 2026-W18")
        if lang not in ("zh", "en") or format not in ("md", "html", "json"):
            return error(422, "lang is zh or en, format is md, html or json")
        if s.history is None:
            return error(404, "this service has no history to report on (start it with --data)")
        key = (week, lang, format, s.model_id, len(s.history))
        with s.lock:
            lock = s.render_locks.setdefault(key, threading.Lock())
        with lock:  # one render per key at a time; the others wait for it and read its result
            if key not in s.reports:
                # Each render writes into its own temporary directory, read and removed at once:
                # concurrent renders of other keys never swap a directory another one reads.
                with tempfile.TemporaryDirectory(prefix="scorer-serve-") as tmp:
                    try:
                        ctx, _, written = score_period(s.data_path or Path("request"), s.model_path, Path(tmp),
                                                       week=week, lang=lang, prs=s.history, model_bundle=s.model,
                                                       formats=(format,))
                    except ScorerError as exc:
                        if "has no data for" in str(exc):
                            return error(404, f"no PRs merged in {week} in the served history")
                        raise
                    path = next(p for p in written if p.name == f"report.{format}")
                    s.reports[key] = path.read_text(encoding="utf-8")
        media = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
                 "json": "application/json"}[format]
        return Response(s.reports[key], media_type=media)

    @app.post("/v1/reload")
    async def reload(request: Request):
        if not authorized(request):  # before reading or parsing anything the client sent
            return error(401, "a bearer token is required")
        body = await json_body(request)
        if not isinstance(body, dict) or not isinstance(body.get("path"), str) or set(body) != {"path"}:
            return error(422, 'field path: send {"path": "<bundle directory>"}')
        given_up = threading.Event()
        try:
            with anyio.fail_after(RELOAD_S):  # the thread is abandoned, not stopped: given_up tells it
                return await anyio.to_thread.run_sync(_reload, body["path"], given_up, abandon_on_cancel=True)
        except TimeoutError:
            given_up.set()  # the verification thread may still finish: it must not swap then
            return error(422, f"bundle verification took over {RELOAD_S:g}s; still serving "
                              f"{app.state.served.model_id}")

    def _reload(path: str, given_up: threading.Event):
        s = app.state.served
        try:
            fresh = load_served(Path(path))
        except ScorerError as exc:
            return error(422, f"bundle refused, still serving {s.model_id}: {exc}")
        with s.lock:
            if given_up.is_set():
                return error(422, "bundle verification took too long")
            old = s.model_id
            s.model, s.model_path, s.model_id = fresh.model, fresh.model_path, fresh.model_id
            s.reports.clear()
            s.state = None  # the new bundle's taxonomy may differ
        s.walk_history()
        model_info.remove(old)
        model_info.labels(s.model_id).set(1)
        return {"model_id": s.model_id, "previous": old}

    @app.post("/v1/github/webhook")
    async def webhook(request: Request):
        secret = os.environ.get(WEBHOOK_SECRET_ENV)
        if not secret:
            return error(503, f"webhooks are off: set {WEBHOOK_SECRET_ENV}")
        body = await read_body(request)
        want = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(request.headers.get("x-hub-signature-256", "").encode(), want.encode()):
            return error(401, "missing or wrong X-Hub-Signature-256")
        event = request.headers.get("x-github-event", "")
        if event == "ping":
            return {"ok": True}
        if event != "pull_request":
            return {"ignored": event}
        delivery = request.headers.get("x-github-delivery", "")
        if not delivery or len(delivery) > 200:
            return error(400, "missing or malformed X-GitHub-Delivery")
        payload = parse_json(body)
        action = payload.get("action") if isinstance(payload, dict) else None
        pr = payload.get("pull_request") if isinstance(payload, dict) else None
        if not isinstance(pr, dict):
            raise ScorerError("a pull_request event needs a pull_request object", field="pull_request")
        merged = action == "closed" and pr.get("merged") is True
        if action not in ("opened", "synchronize") and not merged:
            return {"ignored": f"pull_request {action}"}
        rec = _record_from_webhook(payload)
        s = app.state.served
        if not s.first_delivery(delivery):
            return {"duplicate": delivery, "appended": False}
        out = await score_off_loop([rec], where="webhook")
        scored.inc(1)
        appended = merged and await run_in_threadpool(_append_history, s, rec)
        return {"model_id": s.model_id, "action": action, "appended": appended, **out}

    return app


def _append_history(s: Served, rec: dict) -> bool:
    """A merged PR joins the served history (replacing an earlier row of the same PR), and the
    table on disk is rewritten atomically when the history came from a file. An event older
    than the row already kept (its `updated_at`) changes nothing: False."""
    import pandas as pd

    from .records import save_prs, to_frame, validate_record

    row = to_frame([validate_record(rec, "webhook", 1)])
    with s.lock:
        hist = s.history if s.history is not None else row.iloc[0:0]
        same = (hist["repo"] == rec["repo"]) & (hist["number"] == rec["number"])
        if same.any() and "updated_at" in hist.columns and "updated_at" in row.columns:
            kept, new = hist.loc[same, "updated_at"].max(), row["updated_at"].iloc[0]
            if pd.notna(kept) and (pd.isna(new) or new <= kept):
                return False
        hist = hist[~same]
        s.history = pd.concat([hist, row], ignore_index=True).sort_values(
            ["merged_at", "number"], ascending=False, kind="mergesort").reset_index(drop=True)
        if s.data_path is not None:
            save_prs(s.history, s.data_path)
        s.reports.clear()
        s.state = None
    s.walk_history()  # requests meanwhile take the full walk (state None): same features, slower
    return True
