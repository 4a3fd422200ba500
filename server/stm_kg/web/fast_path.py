"""A fast path for plain SPARQL queries, in front of the Flask app (issue 8: Flask costs ~0.2 ms of a lookup).

``GET /sparql?query=…`` with no other parameter, and ``POST /sparql`` with an ``application/sparql-query`` body
and no parameters, are answered here: the same checks (body limit, UTF-8, nesting, the SERVICE policy), the
same negotiation, the same response headers (CORS, ``Vary``) and access-log line as the blueprint. Anything
else goes to Flask untouched: other requests, a request that fails a check (Flask finds and reports it), and
an error of the store, which is handed over in the environ (``FAST_PATH_ERROR``) rather than evaluated again.
"""

from __future__ import annotations

import functools
import io
import time

from werkzeug.utils import get_content_type

from ..sparql.formats import negotiate_header
from ..sparql.problems import Problem
from ..sparql.requests import MAX_NESTING, QUERY_BODY, nesting_depth, parse_parameters
from ..sparql.safety import RemoteAccessRefused
from ..store.interface import StoreError
from ..syntax import REMEMBERED_LENGTH
from .access_log import log_request
from .config import ServerConfig
from .cors import CORS_HEADERS

#: Key of the environ under which a store error raised here reaches the blueprint (see :func:`run_query`).
FAST_PATH_ERROR = "stm_kg.fast_path_error"

#: Set in the environ by the serving front, which writes the access log of the requests it serves.
SERVED_BY_FRONT = "stm_kg.served_by_front"


class SparqlFastPath:
    """WSGI middleware: answers plain queries to ``/sparql`` itself, hands everything else to ``wsgi_app``."""

    def __init__(self, wsgi_app, config: ServerConfig):
        self.wsgi_app = wsgi_app
        self.config = config
        self._query_in_url = functools.lru_cache(maxsize=1024)(self._read_query_in_url)  # a pure function of the URL

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != "/sparql":
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        text = self._plain_query(environ)
        if text is None:
            return self.wsgi_app(environ, start_response)
        formats = negotiate_header(environ.get("HTTP_ACCEPT", ""))
        config = self.config
        try:
            result = config.store.query(text, formats, timeout=config.limits.timeout)
        except Exception as error:  # answered by the blueprint, as if it had raised there
            environ[FAST_PATH_ERROR] = error
            return self.wsgi_app(environ, start_response)
        environ["stm_kg.query_kind"] = result.kind
        _, headers, body = self._answer(result)
        start_response("200 OK", headers)
        if not environ.get(SERVED_BY_FRONT):  # the front logs every request it serves itself
            log_request(environ.get("REMOTE_ADDR"), environ["REQUEST_METHOD"], "/sparql", 200, len(body),
                        (time.perf_counter() - started) * 1000, result.kind)
        return [body]

    def quick_answer(self, method: str, query_string: str, content_type: str | None, accept: str,
                     body: bytes) -> tuple[int, list[tuple[str, str]], bytes, str] | None:
        """``(status, headers, body, result kind)`` of a plain query to ``/sparql`` that the store can answer at
        once (known to be quick on its data: :meth:`~stm_kg.store.interface.KnowledgeStore.query_if_quick`), or
        ``None`` for anything else.

        Called by the serving front on its event loop (:mod:`stm_kg.serving.front`), before any thread and
        without a WSGI environ: it has the request's parts at hand, and building an environ costs more than
        the answer.
        """
        text = self._plain_text(method, query_string, content_type, body)
        if text is None:
            return None
        result = self.config.store.query_if_quick(text, negotiate_header(accept))
        if result is None:
            return None
        return (*self._answer(result), result.kind)

    @staticmethod
    def _answer(result) -> tuple[int, list[tuple[str, str]], bytes]:
        body = result.body
        return 200, [
            ("Content-Type", get_content_type(result.media_type, "utf-8")),
            ("Content-Length", str(len(body))),
            ("Vary", "Accept"),
            *CORS_HEADERS,
        ], body

    def _plain_query(self, environ) -> str | None:
        """The query text of a plain query request that passes the checks, else ``None`` (Flask's turn)."""
        method, raw = environ["REQUEST_METHOD"], environ.get("QUERY_STRING", "")
        content_type = environ.get("CONTENT_TYPE")
        body = b""
        if method == "POST" and not raw and content_type == QUERY_BODY:
            length = environ.get("CONTENT_LENGTH", "")
            if not length.isdigit() or int(length) > self.config.limits.max_request_bytes:
                return None
            body = environ["wsgi.input"].read(int(length))
            environ["wsgi.input"] = io.BytesIO(body)  # for Flask, should the request go there after all
        return self._plain_text(method, raw, content_type, body)

    def _plain_text(self, method: str, raw: str, content_type: str | None, body: bytes) -> str | None:
        """The checked query text of a ``GET /sparql?query=…`` or a ``POST`` of one ``application/sparql-query``
        body with no parameters; ``None`` for anything else."""
        if method == "GET":
            if not raw.startswith("query=") or "&" in raw:
                return None
            return self._query_in_url(raw) if len(raw) <= REMEMBERED_LENGTH else self._read_query_in_url(raw)
        if method == "POST" and not raw and content_type == QUERY_BODY and len(body) <= self.config.limits.max_request_bytes:
            try:
                return self._checked(body.decode("utf-8"))
            except UnicodeDecodeError:
                return None
        return None

    def _read_query_in_url(self, raw: str) -> str | None:
        """The checked query text of ``query=…`` (remembered per URL up to ``REMEMBERED_LENGTH`` in
        :meth:`__init__`: decoding a query with a dozen PREFIX lines took 15 µs, a quarter of a lookup's Python
        time)."""
        try:
            parameters = parse_parameters(raw.encode("latin-1"))
        except Problem:
            return None
        values = parameters.get("query", [])
        if len(parameters) != 1 or len(values) != 1:
            return None
        return self._checked(values[0])

    def _checked(self, text: str) -> str | None:
        if nesting_depth(text) > MAX_NESTING:
            return None
        try:
            self.config.remote_policy.check(text)
        except (RemoteAccessRefused, StoreError):  # refused, or text the lexer cannot read: Flask reports it
            return None
        return text
