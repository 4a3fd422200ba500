"""The remote store: the same contract as the embedded store, kept by any SPARQL 1.1 server over HTTP.

``stm-kg serve --store sparql+http://HOST:PORT/PATH`` puts everything stm-kg adds (query page, linked-data
pages, named queries, validation, SHACL-gated writes, federation) in front of a server that speaks the
SPARQL 1.1 Protocol (queries and updates) and, optionally, the Graph Store Protocol. The address::

    sparql+http://HOST:PORT/QUERY-PATH[?update=PATH][&gsp=PATH][&exclude-graph=PREFIX ...]

``QUERY-PATH`` is the query endpoint; ``update`` the update endpoint (default: the query path with a last
segment ``query`` replaced by ``update``, as Oxigraph and Fuseki name them, else the query path itself, as
Virtuoso does); ``gsp`` the Graph Store endpoint (used to read the store's own default graph and by
``stm-kg publish``); ``exclude-graph`` leaves graphs whose IRI starts with PREFIX out of the union (a
server's system graphs, e.g. Virtuoso's). ``sparql+https://`` uses TLS. User and password in the address are
sent as HTTP basic authentication (digest when ``auth=digest`` is given).

What the contract asks and how it is kept:

- the default graph is the union of the named graphs: sent as ``default-graph-uri`` (one per named graph of
  the store, listed freshly for each query), which the Protocol defines as their merge, so it works with any
  server and is never stale when another process wrote a graph; a query with its own ``FROM`` keeps it;
- results come back already serialised: the server is asked for SPARQL JSON results or N-Triples (which
  every server speaks) and they are passed on as they are when the client wants that, else converted with
  Oxigraph; the size limit applies;
- the time limit is the HTTP client's (connect and read), and a deadline over the whole response;
- writes are the same SPARQL Update requests the embedded store runs (:mod:`.changes`), sent as one request
  so that the server applies them in one transaction. Every stm-kg process reads and writes the same server,
  so a write through one is seen by all.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pyoxigraph as ox

from ..syntax import LexError, read, scan
from .changes import Change, SparqlUpdate
from .interface import (
    DatasetSelection,
    FormatChoice,
    KnowledgeStore,
    NotAcceptable,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    SerializedResult,
    StoreError,
)

SCHEMES = ("sparql+http://", "sparql+https://")
_SOLUTIONS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_MEDIA_ALIASES = {"text/plain": "application/n-triples", "application/x-turtle": "text/turtle", "text/rdf+n3": "text/turtle"}


class RemoteStoreError(StoreError):
    """The SPARQL server behind the store cannot be reached or failed."""

    http_status = 502
    kind = "store-unavailable"
    title = "Store unavailable"
    extra: dict = {}


def is_remote(spec: str | None) -> bool:
    return bool(spec) and str(spec).startswith(SCHEMES)


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    gsp: str | None
    exclude_graphs: tuple[str, ...]
    auth: tuple[str, str] | None
    digest: bool

    @classmethod
    def parse(cls, spec: str) -> "Endpoints":
        if not is_remote(spec):
            raise ValueError(f"a remote store address starts with sparql+http:// or sparql+https://, not {spec!r}")
        parts = urlsplit(spec[len("sparql+"):])
        if not parts.hostname:
            raise ValueError(f"no host in {spec!r}")
        params = parse_qs(parts.query)
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        origin = f"{parts.scheme}://{netloc}"
        path = parts.path or "/"

        def at(value: str) -> str:
            return value if value.startswith(("http://", "https://")) else origin + ("" if value.startswith("/") else "/") + value

        if "update" in params:
            update = at(params["update"][0])
        elif path.rstrip("/").endswith("/query"):
            update = origin + path.rstrip("/")[: -len("query")] + "update"
        else:
            update = origin + path
        gsp = at(params["gsp"][0]) if "gsp" in params else None
        auth = (parts.username, parts.password or "") if parts.username else None
        return cls(origin + path, update, gsp, tuple(params.get("exclude-graph", ())), auth,
                   params.get("auth", [""])[0] == "digest")

    def public(self) -> str:
        """The query endpoint, without credentials (for logs)."""
        return urlunsplit(urlsplit(self.query)._replace(query=""))


def query_form(sparql: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the form of a query (the first such keyword outside the prologue)."""
    found = [word for word in _words(sparql) if word in _FORMS]
    return found[0] if found else "SELECT"


def _words(sparql: str) -> tuple[str, ...]:
    try:
        return read(sparql).words
    except LexError:
        return ()  # the server refuses the text with its own syntax error


class RemoteStore(KnowledgeStore):
    """A SPARQL 1.1 server as the store (see the module docstring for the address)."""

    def __init__(self, spec: str, *, union_default_graph: bool = True, max_result_bytes: int | None = None,
                 request_timeout: float = 60.0):
        self.spec = spec
        self.endpoints = Endpoints.parse(spec)
        self._union = union_default_graph
        self._max_result_bytes = max_result_bytes
        self._request_timeout = request_timeout
        self._local = threading.local()

    # -- HTTP ---------------------------------------------------------------------------------------------

    def _session(self):
        import requests

        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False
            if self.endpoints.auth:
                from requests.auth import HTTPDigestAuth

                session.auth = HTTPDigestAuth(*self.endpoints.auth) if self.endpoints.digest else self.endpoints.auth
            self._local.session = session
        return session

    def _request(self, method: str, url: str, *, timeout: float | None, limit: int | None = None, **kwargs):
        """(status, content type, body) of one request; raises QueryTimeout, ResultTooLarge or RemoteStoreError."""
        import requests

        seconds = timeout if timeout is not None else self._request_timeout
        deadline = time.monotonic() + seconds
        try:
            response = self._session().request(method, url, timeout=(min(seconds, 10.0), seconds), stream=True,
                                               allow_redirects=False, **kwargs)
            with response:
                body = bytearray()
                for chunk in response.iter_content(65536):
                    body += chunk
                    if limit is not None and len(body) > limit:
                        raise ResultTooLarge(f"the result is larger than the limit of {limit} bytes")
                    if time.monotonic() > deadline:
                        raise QueryTimeout(f"the query took longer than the limit of {seconds:g} s and was stopped")
                media_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
                return response.status_code, _MEDIA_ALIASES.get(media_type, media_type), bytes(body)
        except requests.Timeout:
            raise QueryTimeout(f"the query took longer than the limit of {seconds:g} s and was stopped") from None
        except requests.RequestException as error:
            if "timed out" in str(error):
                raise QueryTimeout(f"the query took longer than the limit of {seconds:g} s and was stopped") from None
            raise RemoteStoreError(f"the SPARQL server {self.endpoints.public()} cannot be reached: "
                                   f"{type(error).__name__}") from None

    def _fail(self, what: str, status: int, body: bytes, sparql: str | None = None):
        text = body[:500].decode("utf-8", "replace").strip()
        if status == 400 and sparql is not None:
            raise QuerySyntaxError(f"the SPARQL server refused the request: {text}")
        raise RemoteStoreError(f"the SPARQL server answered HTTP {status} to {what}: {text}")

    def _graphs(self) -> list[str]:
        graphs: list[str] = []
        # GRAPH ?g { } lists empty graphs too (Oxigraph); some servers (Virtuoso) list nothing for it
        for query in ("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            status, media_type, body = self._request(
                "POST", self.endpoints.query, timeout=None, headers={"Accept": _SOLUTIONS_ACCEPT}, data={"query": query})
            if status != 200:
                self._fail("the list of graphs", status, body)
            rows = _solutions(body, media_type)
            graphs = sorted(row["g"].value for row in rows if isinstance(row.get("g"), ox.NamedNode))
            if graphs:
                break
        return [g for g in graphs if not g.startswith(self.endpoints.exclude_graphs)] if self.endpoints.exclude_graphs else graphs

    def _select(self, sparql: str, dataset: list[tuple[str, str]] = ()) -> list:
        status, media_type, body = self._request(
            "POST", self.endpoints.query, timeout=None, headers={"Accept": _SOLUTIONS_ACCEPT},
            data=[("query", sparql), *dataset])
        if status != 200:
            self._fail("a query", status, body, sparql)
        return _solutions(body, media_type)

    def _union_dataset(self, with_named: bool = True) -> list[tuple[str, str]]:
        """Protocol parameters for "default graph = union of all named graphs, all named graphs named".

        The Protocol leaves out every named graph that is not listed once a default graph is, so the named
        graphs are listed as well.
        """
        graphs = self._graphs()
        # An empty list would mean "the server's default"; a graph that cannot exist means "empty".
        default = [("default-graph-uri", g) for g in graphs] or [("default-graph-uri", "urn:x-stm-kg:no-graph")]
        return default + ([("named-graph-uri", g) for g in graphs] if with_named else [])

    # -- reads --------------------------------------------------------------------------------------------

    @property
    def union_default_graph(self) -> bool:
        return self._union

    def query(self, sparql: str, formats: FormatChoice, *, dataset: DatasetSelection = DatasetSelection(),
              base_iri: str | None = None, timeout: float | None = None) -> SerializedResult:
        form = query_form(sparql)
        kind = "graph" if form in ("CONSTRUCT", "DESCRIBE") else ("boolean" if form == "ASK" else "solutions")
        wanted = formats.graph if kind == "graph" else formats.solutions
        if wanted is None:
            raise NotAcceptable(kind)
        if base_iri and "BASE" not in _words(sparql):
            sparql = f"BASE <{base_iri}>\n{sparql}"
        params: list[tuple[str, str]] = [("query", sparql)]
        started = time.monotonic()
        if dataset.default_graphs is not None:
            params += [("default-graph-uri", g) for g in dataset.default_graphs]
        elif self._union and "FROM" not in _words(sparql):
            params += self._union_dataset(with_named=dataset.named_graphs is None)
        if dataset.named_graphs is not None:
            params += [("named-graph-uri", g) for g in dataset.named_graphs]
        remaining = None if timeout is None else max(0.01, timeout - (time.monotonic() - started))
        accept = _GRAPH_ACCEPT if kind == "graph" else _SOLUTIONS_ACCEPT
        status, media_type, body = self._request("POST", self.endpoints.query, timeout=remaining,
                                                 limit=self._limit_in(), headers={"Accept": accept}, data=params)
        if status != 200:
            self._fail("the query", status, body, sparql)
        body = _convert(kind, media_type, wanted, body)
        if self._max_result_bytes is not None and len(body) > self._max_result_bytes:
            raise ResultTooLarge(f"the result is larger than the limit of {self._max_result_bytes} bytes")
        return SerializedResult(kind, wanted, body)

    def _limit_in(self) -> int | None:
        # what the server sends may be larger than what we serve (XML results, Turtle), within reason
        return None if self._max_result_bytes is None else 4 * self._max_result_bytes

    def graph_sizes(self) -> dict[str | None, int]:
        sizes: dict[str | None, int] = {g: 0 for g in self._graphs()}
        for row in self._select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
            if isinstance(row.get("g"), ox.NamedNode) and row["g"].value in sizes:
                sizes[row["g"].value] = int(row["n"].value)
        sizes[None] = self._own_default_size()
        return sizes

    def _own_default_size(self) -> int:
        if self.endpoints.gsp:
            status, media_type, body = self._request("GET", self.endpoints.gsp, timeout=None, params={"default": ""},
                                                     headers={"Accept": _GRAPH_ACCEPT})
            if status == 200:
                return sum(1 for _ in ox.parse(body, format=_rdf_format(media_type)))
            if status == 404:
                return 0
        rows = self._select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"].value)

    def default_graph_size(self) -> int:
        dataset = self._union_dataset() if self._union else []
        return int(self._select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", dataset)[0]["n"].value)

    def has_graph(self, graph: str | None) -> bool:
        return graph is None or graph in self._graphs()

    # -- writes -------------------------------------------------------------------------------------------

    def copy(self) -> ox.Store:
        store = ox.Store()
        rows = self._select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        excluded = self.endpoints.exclude_graphs
        store.bulk_extend(ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows
                          if not (excluded and r["g"].value.startswith(excluded)))
        if self.endpoints.gsp:
            status, media_type, body = self._request("GET", self.endpoints.gsp, timeout=None, params={"default": ""},
                                                     headers={"Accept": _GRAPH_ACCEPT})
            if status == 200:
                store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                                  for t in ox.parse(body, format=_rdf_format(media_type)))
        return store

    def preview(self, change: Change) -> ox.Store:
        from .evaluation import syntax_error

        copy = self.copy()
        try:
            change.apply_to(copy)
        except SyntaxError as error:
            raise syntax_error(error) from None
        return copy

    def apply(self, change: Change) -> None:
        recorder = _UpdateRecorder(template=not isinstance(change, SparqlUpdate))
        change.apply_to(recorder)
        if not recorder.requests:
            return
        text = " ;\n".join(recorder.requests)
        status, _, body = self._request("POST", self.endpoints.update, timeout=None, data={"update": text})
        if status not in (200, 204):
            self._fail("the update", status, body, text)

    def close(self) -> None:
        session = getattr(self._local, "session", None)
        if session is not None:
            session.close()


class _UpdateRecorder:
    """Stands in for an Oxigraph store: records the SPARQL Update requests a change would run."""

    def __init__(self, template: bool = False):
        self.requests: list[str] = []
        self.template = template

    def update(self, update: str, base_iri: str | None = None, **_engine_options) -> None:
        if self.template:
            update = _as_template(update)
        self.requests.append(f"BASE <{base_iri}>\n{update}" if base_iri else update)


def _as_template(update: str) -> str:
    """One of our own Graph Store writes (``[DROP … ;] [CREATE … ;] INSERT DATA { … }``, see :mod:`.changes`)
    in the form servers like Virtuoso 7 take: ``INSERT { … } WHERE { BIND(1 AS ?one) }`` (the same change;
    they refuse blank nodes in ``INSERT DATA``, and fail on ``WHERE { }``), and ``CLEAR`` before each ``DROP
    GRAPH`` (a server whose graphs exist only through their triples refuses to drop a graph never created, and
    ``DROP SILENT`` leaves its triples; the Graph Store layer checked that it exists). Read as tokens up to
    the data, so that text inside the data (a literal saying ``INSERT DATA {``) is never taken for the
    request's own."""
    out, at = [], 0
    last: list = []  # the last four tokens
    for token in scan(update):
        if token.depth != 0:
            break
        last = [*last[-3:], token]
        words = [None] * (4 - len(last)) + [t.keyword for t in last]
        if token.kind == "{" and words[1:3] == ["INSERT", "DATA"]:
            out += [update[at:last[-3].start], "INSERT {", update[token.end:], " WHERE { BIND(1 AS ?one) }"]
            return "".join(out)
        if token.kind == "IRIREF" and words[2] == "GRAPH" and (words[1] == "DROP" or words[:2] == ["DROP", "SILENT"]):
            drop = last[-3] if words[1] == "DROP" else last[-4]
            out += [update[at:drop.start], f"CLEAR SILENT GRAPH {token.text} ; DROP SILENT GRAPH {token.text}"]
            at = token.end
    out.append(update[at:])
    return "".join(out)


def _solutions(body: bytes, media_type: str) -> list[dict]:
    """Rows of a SPARQL results document as {variable: term}; JSON is read leniently (Virtuoso writes blank
    nodes as ``nodeID://b123``, which is not a blank node label Oxigraph accepts)."""
    import hashlib
    import json

    fmt = _results_format(media_type, body)
    if fmt != ox.QueryResultsFormat.JSON:
        results = ox.parse_query_results(body, format=fmt)
        names = results.variables
        return [{v.value: row[v] for v in names if row[v] is not None} for row in results]
    try:
        data = json.loads(body)
        rows = []
        for binding in data.get("results", {}).get("bindings", []):
            row = {}
            for name, term in binding.items():
                kind, value = term["type"], term["value"]
                if kind == "uri":
                    row[name] = ox.NamedNode(value)
                elif kind == "bnode":
                    row[name] = ox.BlankNode("b" + hashlib.sha1(value.encode()).hexdigest()[:24])
                elif "xml:lang" in term:
                    row[name] = ox.Literal(value, language=term["xml:lang"])
                elif "datatype" in term:
                    row[name] = ox.Literal(value, datatype=ox.NamedNode(term["datatype"]))
                else:
                    row[name] = ox.Literal(value)
            rows.append(row)
        return rows
    except (ValueError, KeyError, TypeError) as error:
        raise RemoteStoreError(f"the SPARQL server sent results that do not parse: {error}") from None


def _results_format(media_type: str, body: bytes) -> ox.QueryResultsFormat:
    fmt = ox.QueryResultsFormat.from_media_type(media_type) if media_type else None
    if fmt is None:
        fmt = ox.QueryResultsFormat.JSON if body.lstrip().startswith(b"{") else ox.QueryResultsFormat.XML
    return fmt


def _rdf_format(media_type: str) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_media_type(media_type) if media_type else None
    if fmt is None:
        raise RemoteStoreError(f"the SPARQL server sent a graph as {media_type or 'an untyped body'}")
    return fmt


def _convert(kind: str, media_type: str, wanted: str, body: bytes) -> bytes:
    """``body`` (a result in ``media_type``) in the format ``wanted``; the same bytes when they agree."""
    if media_type == wanted:
        return body
    try:
        if kind == "graph":
            triples = ox.parse(body, format=_rdf_format(media_type))
            return ox.serialize(triples, format=ox.RdfFormat.from_media_type(wanted)) or b""
        results = ox.parse_query_results(body, format=_results_format(media_type, body))
        return results.serialize(format=ox.QueryResultsFormat.from_media_type(wanted)) or b""
    except (SyntaxError, ValueError) as error:
        raise RemoteStoreError(f"the SPARQL server sent a result that does not parse as {media_type}: {error}") from None
