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

import ipaddress
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import urlsplit

import pyoxigraph as ox

from ..store.interface import StoreError
from ..syntax import IriError, LexError, Scope, StructureError, code, iri_value, matching, prologue

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


def read_services(sparql: str, base_iri: str | None = None) -> ServiceReading:
    """The prologue and the ``SERVICE`` clauses of ``sparql``, read on its tokens (:mod:`stm_kg.syntax`);
    :class:`ServiceSyntaxError` when a clause cannot be read.

    The endpoint is the IRI the clause names as Oxigraph would take it: an ``IRIREF`` with its escapes and
    resolved against ``BASE`` (or ``base_iri``, given with the query), a prefixed name with its
    ``PN_LOCAL_ESC`` backslashes removed and ``PERCENT`` kept, or None for a variable. ``SERVICE`` followed by
    a name that begins with ``SILENT`` (``SILENTex:a``) is refused: Oxigraph reads ``SILENT`` and then ``ex:a``.
    """
    try:
        tokens = code(sparql)
        start, scope = prologue(tokens, Scope(base=base_iri))
    except (LexError, IriError) as error:
        raise ServiceSyntaxError(str(error)) from None
    head = sparql[:tokens[start].start] if start < len(tokens) else sparql
    if base_iri and scope.base == base_iri and not any(t.keyword == "BASE" for t in tokens[:start]):
        head = f"BASE <{base_iri}>\n{head}"
    everything: list[ServiceClause] = []
    for i, token in enumerate(tokens):
        if token.keyword == "SERVICE":
            everything.append(_clause(sparql, tokens, i, scope))
    outermost = tuple(c for c in everything if not any(o.start < c.start < o.end for o in everything if o is not c))
    return ServiceReading(head, outermost, tuple(everything))


def _clause(sparql: str, tokens, at: int, scope: Scope) -> ServiceClause:
    j = at + 1
    silent = j < len(tokens) and tokens[j].keyword == "SILENT"
    j += silent
    if j >= len(tokens):
        raise ServiceSyntaxError("SERVICE without an endpoint")
    target = tokens[j]
    if target.kind in ("KEYWORD", "PNAME_LN", "PNAME_NS") and target.text.upper().startswith("SILENT"):
        raise ServiceSyntaxError(f"SERVICE {target.text}: a name that begins with SILENT can be read as SILENT")
    if target.kind in ("IRIREF", "PNAME_LN", "PNAME_NS"):
        try:
            endpoint = iri_value(target, scope)
        except IriError as error:
            raise ServiceSyntaxError(f"SERVICE endpoint {target.text}: {error}") from None
    elif target.kind in ("VAR1", "VAR2"):
        endpoint = None
    else:
        raise ServiceSyntaxError(f"SERVICE must be followed by an IRI, not {target.text!r}")
    if j + 1 >= len(tokens) or tokens[j + 1].kind != "{":
        raise ServiceSyntaxError("SERVICE endpoint must be followed by a group pattern { ... }")
    try:
        close = matching(tokens, j + 1)
    except StructureError:
        raise ServiceSyntaxError("unbalanced braces after SERVICE") from None
    return ServiceClause(tokens[at].start, tokens[close].end, endpoint, target.text, silent,
                         sparql[tokens[j + 1].start:tokens[close].end])


# -- the allowlist ------------------------------------------------------------------------------------

#: Percent-encoded characters an allowed address may not hold in its path: servers differ in whether they
#: decode them before routing (``%2F`` ``/``, ``%5C`` ``\``, ``%3B`` ``;``, ``%25`` ``%`` as in ``%252e``).
_AMBIGUOUS_ESCAPES = re.compile(r"%(?:2F|5C|3B|25|[01][0-9A-F]|7F)", re.IGNORECASE)
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Address:
    """An http(s) address in the one form the allowlist compares and the client calls (see :func:`address`)."""

    scheme: str
    host: str
    port: int
    path: str
    query: str

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if _DEFAULT_PORTS[self.scheme] == self.port else f":{self.port}"
        return f"{self.scheme}://{host}{port}{self.path}" + (f"?{self.query}" if self.query else "")


def _normal_escapes(text: str) -> str:
    """RFC 3986 6.2.2: escapes of unreserved characters decoded, other escapes in upper case, characters
    outside ASCII as UTF-8 escapes (as the HTTP client will send them)."""
    text = _PERCENT.sub(lambda m: chr(int(m.group(1), 16)) if chr(int(m.group(1), 16)) in _UNRESERVED
                        else f"%{m.group(1).upper()}", text)
    return "".join(c if ord(c) < 128 else "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in text)


def address(url: str) -> Address | None:
    """``url`` as an :class:`Address`, or None when it is not one this server would call.

    What is normalised (RFC 3986 6.2.2, the same address written another way): the case of scheme and host, a
    default port written out, the case of percent-escapes, escaped unreserved characters, characters outside
    ASCII. What is refused (addresses servers read differently, the tricks of path confusion): user
    information, a fragment, a host that is not a plain DNS name or IP address (or ends with a dot), and in
    the path ``.`` or ``..`` segments (escaped too: ``%2e%2e``), empty segments (``//``), ``;`` (path
    parameters: ``/sparql/..;/admin``), a backslash, white space and control characters, and escaped ``/``,
    ``\\``, ``;``, ``%`` and control characters (``%2F``, ``%5C``, ``%3B``, ``%252e``, ``%00``).
    """
    if any(c in url for c in "\\#") or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or "@" in parts.netloc or not parts.hostname:
        return None
    host = parts.hostname  # lower case
    if ":" in host:
        try:
            host = str(ipaddress.IPv6Address(host))
        except ValueError:
            return None
    elif not _HOST.fullmatch(host):
        return None
    raw_path = parts.path or "/"
    if not raw_path.startswith("/") or ";" in raw_path or _AMBIGUOUS_ESCAPES.search(raw_path):
        return None
    path = _normal_escapes(raw_path)
    segments = path.split("/")[1:]
    if any(segment in (".", "..") for segment in segments) or "" in segments[:-1]:
        return None
    return Address(scheme, host, port or _DEFAULT_PORTS[scheme], path, _normal_escapes(parts.query))


def valid_prefix(prefix: str) -> bool:
    """True when ``prefix`` can be an allowlist entry: an address :func:`address` accepts."""
    return address(prefix) is not None


def allowed_address(endpoint: str, prefixes: tuple[str, ...]) -> Address | None:
    """The address to call for ``endpoint`` when it starts with one of ``prefixes``, else None.

    Both are compared as :func:`address` writes them: same scheme, host and port, and a path that continues
    the prefix's path at a segment boundary (``/sparql`` allows ``/sparql`` and ``/sparql/x``, not
    ``/sparqlx``); a prefix with a query string must match the whole address."""
    target = address(endpoint)
    if target is None:
        return None
    for prefix in prefixes:
        allow = address(prefix)
        if allow is None or (allow.scheme, allow.host, allow.port) != (target.scheme, target.host, target.port):
            continue
        if allow.query:
            if (allow.path, allow.query) == (target.path, target.query):
                return target
            continue
        path, want = target.path, allow.path
        if path == want or (path.startswith(want) and (want.endswith("/") or path[len(want)] == "/")):
            return target
    return None


def allowed(endpoint: str, prefixes: tuple[str, ...]) -> bool:
    """True when ``endpoint`` starts with one of ``prefixes`` (:func:`allowed_address`)."""
    return allowed_address(endpoint, prefixes) is not None


# -- calling the endpoints ----------------------------------------------------------------------------

_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="stm-kg-service")


def fetch(endpoint: str, query: str, limits: ServiceLimits, seconds: float) -> list[tuple[list[str], list]]:
    """Rows of ``query`` at ``endpoint``: (variables, solutions as lists of terms or None).

    The one HTTP client of SERVICE. A serving process has no network (:mod:`stm_kg.store.sandbox`) and has the
    store's owner call it (``RemoteAccessPolicy.fetch``).
    """
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


def resolve_services(sparql: str, allow: tuple[str, ...], limits: ServiceLimits, deadline: float | None,
                     base_iri: str | None = None, fetcher=None) -> str:
    """``sparql`` with each outermost ``SERVICE`` clause replaced by the rows its endpoint gave, as ``VALUES``.

    Every endpoint (nested ones too) must be on the allowlist ``allow``; the check comes before any call, and
    what is called is the address the check accepted (:func:`allowed_address`). ``fetcher`` makes each call
    (:func:`fetch` by default, or a stand-in with its signature that has another process make it).
    ``deadline`` (``time.monotonic()``) bounds all calls together; calls run in parallel.
    """
    reading = read_services(sparql, base_iri)
    calls: dict[str, str] = {}  # endpoint as written -> the address called
    for clause in reading.all_endpoints:
        if clause.endpoint is None:
            raise ServiceRefused(f"SERVICE {clause.endpoint_text}: a variable endpoint is refused; name the endpoint")
        target = allowed_address(clause.endpoint, allow)
        if target is None:
            raise ServiceRefused(f"SERVICE <{clause.endpoint}> is refused: not on this server's allowlist", clause.endpoint)
        calls[clause.endpoint] = target.url
    now = time.monotonic()
    seconds = limits.timeout if deadline is None else min(limits.timeout, max(0.0, deadline - now))
    if seconds <= 0:
        raise ServiceTimeout("no time left for the SERVICE calls within the query's limit")
    futures = [
        _POOL.submit(fetcher or fetch, calls[c.endpoint], f"{reading.prologue}SELECT * WHERE {c.pattern}", limits,
                     seconds)
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
