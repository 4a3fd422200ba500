"""SERVICE, done by us: find each ``SERVICE`` clause, call its endpoint over HTTP, put the rows in as ``VALUES``.

pyoxigraph 0.5 evaluates ``SERVICE`` itself with its built-in HTTP client, but its Python API exposes no
hook for it: no service handler, no HTTP timeout, no allowlist (``Store.query`` takes none). A remote
endpoint that never answers would then hold a query worker until the query's own time limit kills it, and
``SERVICE SILENT`` could not turn that into "no rows". So the endpoint never lets Oxigraph see a
``SERVICE``: before evaluation, each (outermost) ``SERVICE <endpoint> { P }`` is evaluated here, as the
SPARQL 1.1 Federated Query semantics say, on its own (``SELECT * WHERE { P }`` with the query's prologue,
sent to the endpoint), and the clause is replaced in the query text by ``VALUES (?v ...) { rows }``.
In the SPARQL algebra both are joined with the rest of their group in the same place (``Join(G,
Service(...))`` and ``Join(G, data)``), so the answers are the same.

Outcomes (decision 0008): an endpoint not on the allowlist is refused before any connection; a remote call
gets at most :attr:`ServiceLimits.timeout` seconds (and never more than what is left of the query's limit),
at most :attr:`ServiceLimits.max_bytes` bytes and :attr:`ServiceLimits.max_rows` rows; redirects are not
followed. A failure is an error (:class:`ServiceFailed`, :class:`ServiceTimeout`,
:class:`ServiceResultTooLarge`) unless the clause says ``SILENT``: then it gives one empty solution
(``VALUES () { () }``), which is what SPARQL 1.1 prescribes for a failed ``SERVICE SILENT``.

Blank nodes in remote results cannot be written in ``VALUES``; each becomes an IRI
``urn:x-stm-kg:service-bnode:{random}:{label}`` (distinct per call, as blank nodes of another service are).
"""

from __future__ import annotations

import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

import pyoxigraph as ox

from ..store.interface import StoreError

# -- errors -------------------------------------------------------------------------------------------


class ServiceError(StoreError):
    """A SERVICE call that did not give rows; ``http_status``, ``kind`` and ``title`` say how to answer it."""

    http_status = 502
    kind = "service-failed"
    title = "Remote SPARQL endpoint failed"

    def __init__(self, message: str, endpoint: str | None = None):
        super().__init__(message)
        self.endpoint = endpoint

    @property
    def extra(self) -> dict:
        return {"endpoint": self.endpoint} if self.endpoint else {}

    def __reduce__(self):
        return (type(self), (str(self), self.endpoint))


class ServiceRefused(ServiceError):
    http_status = 403
    kind = "remote-access-refused"
    title = "Remote access refused"

    @property
    def extra(self) -> dict:
        return {"keyword": "SERVICE", **({"endpoint": self.endpoint} if self.endpoint else {})}


class ServiceFailed(ServiceError):
    pass


class ServiceTimeout(ServiceError):
    http_status = 504
    kind = "service-timeout"
    title = "Remote SPARQL endpoint timed out"


class ServiceResultTooLarge(ServiceError):
    http_status = 422
    kind = "service-result-too-large"
    title = "Remote result too large"


class ServiceSyntaxError(ServiceError):
    http_status = 400
    kind = "malformed-query"
    title = "Malformed query"


# -- limits -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceLimits:
    """Limits of one remote call: seconds, rows and bytes of the response."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_bytes: int = 16 * 1024 * 1024


# -- reading the query text ---------------------------------------------------------------------------

_TOKEN = re.compile(
    r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*')"
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*(?:\\u[0-9A-Fa-f]{4}[^<>"{}|^`\\\x00-\x20]*|\\U[0-9A-Fa-f]{8}[^<>"{}|^`\\\x00-\x20]*)*>)'
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<lbrace>\{)"
    r"|(?P<rbrace>\})"
    r"|(?P<var>[?$][A-Za-z0-9_\u00B7-\U000EFFFF]+)"
    r"|(?P<word>(?:[A-Za-z\u00C0-\U000EFFFF][\w.\-\u00B7-\U000EFFFF]*)?:(?:[^\s{}()<>\"',;\[\]#^|]|\\.)*"
    r"|[A-Za-z_\u00C0-\U000EFFFF][\w\-\u00B7-\U000EFFFF]*)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.DOTALL,
)
_FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _tokens(sparql: str) -> list[_Token]:
    return [_Token(m.lastgroup, m.group(), m.start(), m.end()) for m in _TOKEN.finditer(sparql)
            if m.lastgroup not in ("space", "comment")]


def _iri_text(token: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token[1:-1])


@dataclass(frozen=True)
class ServiceClause:
    """One ``SERVICE [SILENT] <endpoint> { pattern }`` of a query: where it is and what it asks."""

    start: int
    end: int
    endpoint: str | None  # None: a variable endpoint
    endpoint_text: str
    silent: bool
    pattern: str  # the group graph pattern, braces included


@dataclass(frozen=True)
class ServiceReading:
    prologue: str
    clauses: tuple[ServiceClause, ...]  # outermost clauses, in order
    all_endpoints: tuple[ServiceClause, ...]  # every clause, nested ones too


def read_services(sparql: str) -> ServiceReading:
    """The prologue and the ``SERVICE`` clauses of ``sparql``; :class:`ServiceSyntaxError` when unreadable."""
    tokens = _tokens(sparql)
    form_at = next((i for i, t in enumerate(tokens) if t.kind == "word" and t.text.upper() in _FORMS), None)
    prologue_end = tokens[form_at].start if form_at is not None else 0
    prefixes, base = _prologue(tokens[:form_at] if form_at is not None else [])
    everything: list[ServiceClause] = []
    for i, token in enumerate(tokens):
        if token.kind != "word" or token.text.upper() != "SERVICE":
            continue
        j = i + 1
        silent = j < len(tokens) and tokens[j].kind == "word" and tokens[j].text.upper() == "SILENT"
        j += silent
        if j >= len(tokens):
            raise ServiceSyntaxError("SERVICE without an endpoint")
        target = tokens[j]
        if target.kind == "iri":
            endpoint = _iri_text(target.text)
            if base and not urlsplit(endpoint).scheme:
                endpoint = urljoin(base, endpoint)
        elif target.kind == "word" and ":" in target.text:
            prefix, _, local = target.text.rstrip(".").partition(":")
            if prefix not in prefixes:
                raise ServiceSyntaxError(f"SERVICE endpoint {target.text}: prefix {prefix}: is not declared")
            endpoint = prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        elif target.kind == "var":
            endpoint = None
        else:
            raise ServiceSyntaxError(f"SERVICE must be followed by an IRI, not {target.text!r}")
        if j + 1 >= len(tokens) or tokens[j + 1].kind != "lbrace":
            raise ServiceSyntaxError("SERVICE endpoint must be followed by a group pattern { ... }")
        depth, k = 0, j + 1
        while k < len(tokens):
            depth += {"lbrace": 1, "rbrace": -1}.get(tokens[k].kind, 0)
            if depth == 0:
                break
            k += 1
        if depth != 0:
            raise ServiceSyntaxError("unbalanced braces after SERVICE")
        everything.append(ServiceClause(token.start, tokens[k].end, endpoint, target.text, silent,
                                        sparql[tokens[j + 1].start:tokens[k].end]))
    outermost = []
    for clause in everything:
        if not any(o.start < clause.start < o.end for o in everything if o is not clause):
            outermost.append(clause)
    return ServiceReading(sparql[:prologue_end], tuple(outermost), tuple(everything))


def _prologue(tokens: list[_Token]) -> tuple[dict[str, str], str | None]:
    prefixes: dict[str, str] = {}
    base = None
    i = 0
    while i < len(tokens):
        word = tokens[i].text.upper() if tokens[i].kind == "word" else ""
        if word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2].kind == "iri":
            name = tokens[i + 1].text
            iri = _iri_text(tokens[i + 2].text)
            prefixes[name[:-1] if name.endswith(":") else name] = urljoin(base, iri) if base else iri
            i += 3
        elif word == "BASE" and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
            iri = _iri_text(tokens[i + 1].text)
            base = urljoin(base, iri) if base else iri
            i += 2
        else:
            i += 1
    return prefixes, base


# -- the allowlist ------------------------------------------------------------------------------------


def _origin_and_path(url: str) -> tuple[str, str, str] | None:
    """(``scheme://host:port``, path, query) of an http(s) URL, or None when it is not one we would call."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return None
    if parts.fragment or any(seg in (".", "..") for seg in unquote(parts.path).split("/")):
        return None
    if any(ch in url for ch in "\\ \t\r\n"):
        return None
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    return f"{parts.scheme.lower()}://{parts.hostname.lower()}:{port}", parts.path or "/", parts.query


def valid_prefix(prefix: str) -> bool:
    """True when ``prefix`` can be an allowlist entry: an absolute http(s) URL without user, fragment or dot segments."""
    return _origin_and_path(prefix) is not None


def allowed(endpoint: str, prefixes: tuple[str, ...]) -> bool:
    """True when ``endpoint`` starts with one of ``prefixes``: same scheme, host and port, and a path that
    continues the prefix's path at a segment boundary (``/sparql`` allows ``/sparql`` and ``/sparql/x``, not
    ``/sparqlx``); a prefix with a query string must match the whole address."""
    target = _origin_and_path(endpoint)
    if target is None:
        return False
    for prefix in prefixes:
        allow = _origin_and_path(prefix)
        if allow is None or allow[0] != target[0]:
            continue
        if allow[2]:
            if (allow[1], allow[2]) == (target[1], target[2]):
                return True
            continue
        path, want = target[1], allow[1]
        if path == want or (path.startswith(want) and (want.endswith("/") or path[len(want)] == "/")):
            return True
    return False


# -- calling the endpoints ----------------------------------------------------------------------------

_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="stm-kg-service")


def _fetch(endpoint: str, query: str, limits: ServiceLimits, seconds: float) -> list[tuple[list[str], list]]:
    """Rows of ``query`` at ``endpoint``: (variables, solutions as lists of terms or None)."""
    import requests

    deadline = time.monotonic() + seconds
    with requests.Session() as session:
        session.trust_env = False  # no proxy or .netrc from the environment
        try:
            response = session.post(endpoint, data={"query": query}, headers={"Accept": _ACCEPT},
                                    timeout=(min(seconds, 5.0), seconds), stream=True, allow_redirects=False)
        except requests.Timeout:
            raise ServiceTimeout(f"SERVICE <{endpoint}> did not answer within {seconds:.3g} s", endpoint) from None
        except requests.RequestException as error:
            raise ServiceFailed(f"SERVICE <{endpoint}> cannot be reached: {_reason(error)}", endpoint) from None
        with response:
            if response.is_redirect:
                raise ServiceFailed(f"SERVICE <{endpoint}> answered with a redirect (HTTP {response.status_code}); "
                                    "redirects are not followed", endpoint)
            body = bytearray()
            try:
                for chunk in response.iter_content(65536):
                    body += chunk
                    if len(body) > limits.max_bytes:
                        raise ServiceResultTooLarge(f"SERVICE <{endpoint}> sent more than {limits.max_bytes} bytes", endpoint)
                    if time.monotonic() > deadline:
                        raise ServiceTimeout(f"SERVICE <{endpoint}> did not finish within {seconds:.3g} s", endpoint)
            except requests.RequestException as error:
                if isinstance(error, requests.Timeout) or "timed out" in str(error):
                    raise ServiceTimeout(f"SERVICE <{endpoint}> did not answer within {seconds:.3g} s", endpoint) from None
                raise ServiceFailed(f"SERVICE <{endpoint}> broke off: {_reason(error)}", endpoint) from None
            if response.status_code != 200:
                text = bytes(body[:300]).decode("utf-8", "replace").strip()
                raise ServiceFailed(f"SERVICE <{endpoint}> answered HTTP {response.status_code}: {text}", endpoint)
            media_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    return _parse(endpoint, bytes(body), media_type, limits)


def _reason(error: Exception) -> str:
    text = str(error)
    for known in ("Connection refused", "Name or service not known", "Connection reset", "Remote end closed"):
        if known in text:
            return known.lower()
    return type(error).__name__


def _parse(endpoint: str, body: bytes, media_type: str, limits: ServiceLimits):
    fmt = ox.QueryResultsFormat.from_media_type(media_type) if media_type else None
    if fmt is None:
        fmt = ox.QueryResultsFormat.JSON if body.lstrip().startswith(b"{") else ox.QueryResultsFormat.XML
    try:
        results = ox.parse_query_results(body, format=fmt)
        if isinstance(results, ox.QueryBoolean):
            raise ServiceFailed(f"SERVICE <{endpoint}> answered a boolean, not solutions", endpoint)
        variables = [v.value for v in results.variables]
        rows = []
        for solution in results:
            if len(rows) >= limits.max_rows:
                raise ServiceResultTooLarge(f"SERVICE <{endpoint}> sent more than {limits.max_rows} rows", endpoint)
            rows.append([solution[v] for v in variables])
    except (SyntaxError, ValueError, OSError) as error:
        raise ServiceFailed(f"SERVICE <{endpoint}> sent a response that is not SPARQL results ({media_type or 'untyped'}): "
                            f"{str(error)[:200]}", endpoint) from None
    return variables, rows


def _term(term, bnodes: dict[str, str], call: str) -> str:
    if term is None:
        return "UNDEF"
    if isinstance(term, ox.BlankNode):
        return bnodes.setdefault(term.value, f"<urn:x-stm-kg:service-bnode:{call}:{term.value}>")
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term)
    raise ServiceFailed(f"a remote result holds a term that VALUES cannot carry: {term}")


def values_block(variables: list[str], rows: list[list]) -> str:
    """``VALUES (?a ?b) { (...) ... }`` for the rows (``VALUES () { () }`` for one empty solution)."""
    bnodes: dict[str, str] = {}
    call = uuid.uuid4().hex[:12]
    head = " ".join(f"?{v}" for v in variables)
    body = " ".join("(" + " ".join(_term(t, bnodes, call) for t in row) + ")" for row in rows)
    return f"VALUES ({head}) {{ {body} }}"


EMPTY_SOLUTION = "VALUES () { () }"


def resolve_services(sparql: str, allow: tuple[str, ...], limits: ServiceLimits, deadline: float | None) -> str:
    """``sparql`` with each outermost ``SERVICE`` clause replaced by the rows its endpoint gave, as ``VALUES``.

    Every endpoint (nested ones too) must be on the allowlist ``allow``; the check comes before any call.
    ``deadline`` (``time.monotonic()``) bounds all calls together; calls run in parallel.
    """
    reading = read_services(sparql)
    for clause in reading.all_endpoints:
        if clause.endpoint is None:
            raise ServiceRefused(f"SERVICE {clause.endpoint_text}: a variable endpoint is refused; name the endpoint")
        if not allowed(clause.endpoint, allow):
            raise ServiceRefused(f"SERVICE <{clause.endpoint}> is refused: not on this server's allowlist", clause.endpoint)
    now = time.monotonic()
    seconds = limits.timeout if deadline is None else min(limits.timeout, max(0.0, deadline - now))
    if seconds <= 0:
        raise ServiceTimeout("no time left for the SERVICE calls within the query's limit")
    futures = [
        _POOL.submit(_fetch, c.endpoint, f"{reading.prologue}SELECT * WHERE {c.pattern}", limits, seconds)
        for c in reading.clauses
    ]
    replacements = []
    for clause, future in zip(reading.clauses, futures):
        try:
            variables, rows = future.result(timeout=max(0.0, now + seconds + 0.5 - time.monotonic()))
            replacements.append(values_block(variables, rows))
        except FutureTimeout:
            future.cancel()
            if not clause.silent:
                raise ServiceTimeout(f"SERVICE <{clause.endpoint}> did not answer within {seconds:.3g} s", clause.endpoint) from None
            replacements.append(EMPTY_SOLUTION)
        except ServiceError:
            if not clause.silent:
                raise
            replacements.append(EMPTY_SOLUTION)
    out, at = [], 0
    for clause, replacement in zip(reading.clauses, replacements):
        out += [sparql[at:clause.start], replacement]
        at = clause.end
    out.append(sparql[at:])
    return "".join(out)
