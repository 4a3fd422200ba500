"""The front of a serving process: every request meets it first, on one event loop, and no client behaviour
can take the threads that answer the others.

It is an ASGI application (served by granian's HTTP engine, :mod:`.http_worker`) in front of the web app
(Flask, WSGI), and it owns what the app cannot do for itself:

- **reading the request**: the whole body arrives within ``body_timeout`` seconds (else 408) and within
  ``max_body_bytes`` (else 413), on the loop, before any thread is involved: a slow client costs a connection,
  not a thread;
- **admission** (:mod:`.admission`): which request runs in a thread now, a fair share per client, a bounded
  queue, 503 with ``Retry-After`` when full;
- **the quick lane**: a plain SPARQL query that this process has seen finish in a few milliseconds on the
  same data (the ``quick`` callable: :meth:`stm_kg.web.fast_path.SparqlFastPath.quick_answer`) is answered on
  the loop itself, with no thread hand-off; ``/health`` has a thread of its own, outside admission, and one
  check at a time answers every request that comes while it runs;
- **sending the response**: in chunks, each within ``send_timeout`` seconds (a client that stops reading is
  cut off), and at most ``unsent_bytes`` bytes of response bodies held for clients at once (more: 503);
- **the security headers** of :mod:`stm_kg.web.headers` on the responses it makes itself, and
  ``Connection: close`` once the process winds down;
- **draining** on shutdown: new requests get 503 at once, queries in flight are cancelled (the store answers
  their callers at once: ``cancel_queries``), writes in flight are answered, then the process may stop;
- **the access log**: one line per request with its real duration, however it ended.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..sparql.problems import Problem
from ..web.access_log import log_request
from ..web.app import internal_error
from ..web.headers import security_headers
from .admission import Admission, AdmissionLimits, Saturated
from .wsgi_bridge import PublicAddress, WsgiApp, WsgiResponse, call, environ

log = logging.getLogger(__name__)

#: Bodies up to this size are sent in one piece (the socket takes them at once); larger ones in chunks of it.
CHUNK = 64 * 1024

#: Answers a plain query from the loop when it is known to be quick, from the request's method, query string,
#: content type, ``Accept`` and body: ``(status, headers, body, result kind)``, or ``None`` (ask the app).
QuickLane = Callable[[str, str, "str | None", str, bytes], "tuple[int, list[tuple[str, str]], bytes, str] | None"]


@dataclass(frozen=True)
class FrontLimits:
    """The front's bounds (see the module docstring); ``admission`` for the threads."""

    max_body_bytes: int = 10 * 1024 * 1024
    body_timeout: float = 20.0
    send_timeout: float = 30.0
    unsent_bytes: int = 256 * 1024 * 1024
    retry_after: int = 1
    admission: AdmissionLimits = field(default_factory=AdmissionLimits)


class _Refusal(Exception):
    """A request the front answers itself, with ``problem``; ``close`` ends the connection after it."""

    def __init__(self, problem: Problem, close: bool = False):
        super().__init__(problem.detail)
        self.problem = problem
        self.close = close


def _problem_response(problem: Problem) -> tuple[int, list[tuple[str, str]], bytes]:
    body = json.dumps(problem.as_dict(), ensure_ascii=False).encode("utf-8")
    headers = [("Content-Type", "application/problem+json"), *((k, str(v)) for k, v in problem.headers.items())]
    return problem.status, headers, body


class _Budget:
    """Bytes of response bodies held for clients that have not read them yet, up to ``limit``."""

    def __init__(self, limit: int):
        self.limit = limit
        self.held = 0

    def take(self, size: int) -> bool:
        if self.held + size > self.limit and self.held > 0:
            return False
        self.held += size
        return True

    def give(self, size: int) -> None:
        self.held -= size


class Front:
    """The ASGI application of a serving process, around the WSGI ``app``."""

    def __init__(self, app: WsgiApp, *, limits: FrontLimits, public: PublicAddress | None,
                 quick: QuickLane | None = None, cancel_queries: Callable[[], None] = lambda: None):
        self._app = app
        self._limits = limits
        self._public = public
        self._quick = quick
        self._cancel_queries = cancel_queries
        self._admission = Admission(limits.admission)
        self._budget = _Budget(limits.unsent_bytes)
        threads = limits.admission.max_running
        self._pool = concurrent.futures.ThreadPoolExecutor(threads, thread_name_prefix="stm-kg-app")
        self._health_pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="stm-kg-health")
        self._health: asyncio.Future | None = None
        self.winding_down = False
        self.draining = False
        self._in_flight = 0
        self._idle: asyncio.Event | None = None

    # -- the ASGI entry point ---------------------------------------------------------------------------------

    async def __call__(self, scope: dict, receive, send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":  # no websockets here
            return
        started = time.perf_counter()
        self._in_flight += 1
        status, size, kind = 500, 0, "-"
        try:
            status, size, kind = await self._serve(scope, receive, send)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0 and self._idle is not None:
                self._idle.set()
            client = scope.get("client")
            log_request(client[0] if client else None, scope["method"], scope["path"], status, size,
                        (time.perf_counter() - started) * 1000, kind)

    async def _serve(self, scope: dict, receive, send) -> tuple[int, int | str, str]:
        """Answer one request; its status, body size and query result kind (for the access log)."""
        kind = "-"
        try:
            if self.draining:
                raise _Refusal(Problem(503, "shutting-down", "Service unavailable",
                                       "the server is shutting down; try again shortly",
                                       headers={"Retry-After": str(self._limits.retry_after)}), close=True)
            declared, chunked, accept, content_type = None, False, "", None
            for name, value in scope["headers"]:
                if name == b"accept":
                    accept = f"{accept},{value.decode('latin-1')}" if accept else value.decode("latin-1")
                elif name == b"content-type":
                    content_type = value.decode("latin-1")
                elif name == b"content-length":
                    declared = int(value) if value.isdigit() else -1
                elif name == b"transfer-encoding":
                    chunked = True
            body = b"" if declared is None and not chunked else await self._read_body(receive, declared)
            quick = None
            if self._quick is not None and scope["path"] == "/sparql":
                try:
                    quick = self._quick(scope["method"], scope["query_string"].decode("latin-1"), content_type,
                                        accept, body)
                except Exception:  # noqa: BLE001 - the app itself finds and reports what is wrong
                    quick = None
            if quick is not None:
                status, headers, payload, kind = quick
                answer = WsgiResponse(status, headers, payload)
            else:
                env = environ(scope, body, self._public)
                answer = await self._in_thread(scope, env)
                kind = env.get("stm_kg.query_kind", "-")
        except _Refusal as refusal:
            status, headers, payload = _problem_response(refusal.problem)
            if refusal.close:
                headers.append(("Connection", "close"))
            answer = WsgiResponse(status, headers, payload)
        return await self._send(send, answer), answer_size(answer), kind

    # -- reading --------------------------------------------------------------------------------------------

    async def _read_body(self, receive, declared: int | None) -> bytes:
        limit = self._limits.max_body_bytes
        if declared is not None and (declared > limit or declared < 0):
            raise _Refusal(Problem(413 if declared > limit else 400, "request-too-large" if declared > limit
                                   else "bad-request", "Request too large" if declared > limit else "Bad request",
                                   f"the body has {declared} bytes; the limit is {limit}" if declared > limit
                                   else "the Content-Length header is not a number"), close=True)
        try:
            return await asyncio.wait_for(_receive_body(receive, limit), self._limits.body_timeout)
        except asyncio.TimeoutError:
            raise _Refusal(Problem(408, "request-timeout", "Request timeout",
                                   f"the request body did not arrive within {self._limits.body_timeout:g} s"),
                           close=True) from None

    # -- answering ------------------------------------------------------------------------------------------

    async def _in_thread(self, scope: dict, env: dict) -> WsgiResponse:
        loop = asyncio.get_running_loop()
        if scope["path"] == "/health":
            return await self._health_check(env)
        client = scope.get("client")
        try:
            ticket = await self._admission.enter(client[0] if client else "")
        except Saturated as busy:
            raise _Refusal(Problem(503, "busy", "Service unavailable", str(busy),
                                   headers={"Retry-After": str(busy.retry_after)})) from None
        try:
            return await loop.run_in_executor(self._pool, _call, self._app, env)
        finally:
            self._admission.leave(ticket)

    async def _health_check(self, env: dict) -> WsgiResponse:
        """``/health`` on threads of its own (answered while every other thread is busy), one check at a time:
        the requests that arrive while one runs get its answer (checks that clients gave up on no longer
        pile up behind a slow store)."""
        if self._health is None or self._health.done():
            loop = asyncio.get_running_loop()
            self._health = asyncio.ensure_future(loop.run_in_executor(self._health_pool, _call, self._app, env))
        return await asyncio.shield(self._health)

    # -- sending --------------------------------------------------------------------------------------------

    async def _send(self, send, answer: WsgiResponse) -> int:
        """Send ``answer`` (or a 503 when its body would take the unsent budget past its limit); its status."""
        body = answer.body
        held = len(body) if len(body) > CHUNK else 0
        if held and not self._budget.take(held):
            status, headers, body = _problem_response(Problem(
                503, "busy", "Service unavailable", "too many large responses are waiting for their clients; "
                "try again shortly", headers={"Retry-After": str(self._limits.retry_after)}))
            answer, held = WsgiResponse(status, headers, body), 0
        headers = [_encoded(pair) for pair in answer.headers]
        present = {name.lower() for name, _ in headers}
        headers += [pair for pair in _SECURITY if pair[0] not in present]
        if (self.winding_down or self.draining) and b"connection" not in present:
            headers.append((b"connection", b"close"))
        start = {"type": "http.response.start", "status": answer.status, "headers": headers}
        try:
            if answer.file is not None:
                await self._timed(send(start))
                await send({"type": "http.response.pathsend", "path": answer.file})
            elif not held:  # the socket takes it at once: no need for a clock
                await send(start)
                await send({"type": "http.response.body", "body": body})
            else:
                await self._timed(send(start))
                view = memoryview(body)
                for at in range(0, len(body), CHUNK):
                    await self._timed(send({"type": "http.response.body", "body": bytes(view[at:at + CHUNK]),
                                            "more_body": at + CHUNK < len(body)}))
        finally:
            if held:
                self._budget.give(held)
        return answer.status

    async def _timed(self, sending) -> None:
        """One send, cut off when the client has not taken it within ``send_timeout`` seconds."""
        try:
            await asyncio.wait_for(sending, self._limits.send_timeout)
        except asyncio.TimeoutError:
            raise ConnectionAbortedError("the client did not read the response in time") from None

    # -- stopping -------------------------------------------------------------------------------------------

    async def drain(self, grace: float) -> None:
        """Refuse new requests, cancel queries in flight, and wait (up to ``grace`` s) for the rest to end."""
        self.draining = True
        self._cancel_queries()
        if self._in_flight:
            self._idle = asyncio.Event()
            try:
                await asyncio.wait_for(self._idle.wait(), grace)
            except asyncio.TimeoutError:
                log.warning("%d requests were still running when the serving process stopped", self._in_flight)

    @property
    def in_flight(self) -> int:
        return self._in_flight


#: The security headers, as the engine takes them (lower-case names).
_SECURITY = tuple((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in security_headers())
_ENCODED: dict[tuple[str, str], tuple[bytes, bytes]] = {}


def _encoded(pair: tuple[str, str]) -> tuple[bytes, bytes]:
    """A header as the engine takes it (lower-case name, bytes); the few thousand seen last remembered (most
    repeat on every response: CORS, Vary, types)."""
    found = _ENCODED.get(pair)
    if found is None:
        if len(_ENCODED) > 4096:
            _ENCODED.clear()
        found = _ENCODED[pair] = (pair[0].lower().encode("latin-1"), pair[1].encode("latin-1"))
    return found


def answer_size(answer: WsgiResponse) -> int | str:
    return "-" if answer.file is not None else len(answer.body)


def _call(app: WsgiApp, env: dict) -> WsgiResponse:
    """The app's answer; a fault outside its own error handling is a logged 500 that names its id."""
    try:
        return call(app, env)
    except Exception as error:  # noqa: BLE001 - answered, and logged with its traceback
        status, headers, body = _problem_response(internal_error(error))
        return WsgiResponse(status, headers, body)


async def _receive_body(receive, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Refusal(Problem(400, "client-gone", "Bad request", "the client went away"), close=True)
        data = message.get("body", b"")
        size += len(data)
        if size > limit:
            raise _Refusal(Problem(413, "request-too-large", "Request too large",
                                   f"the body is over the limit of {limit} bytes"), close=True)
        chunks.append(data)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _lifespan(receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
