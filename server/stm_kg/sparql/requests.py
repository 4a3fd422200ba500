"""Reading a SPARQL 1.1 Protocol request: which operation, which text, which dataset.

Follows the three ways of the protocol (GET with ``query``, POST as a form, POST with the query or update
as the body) and answers each way of getting it wrong with the status the protocol's tests expect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from werkzeug.wrappers import Request

from ..store.interface import DatasetSelection
from ..syntax import LexError, read
from .problems import Problem

#: Deepest nesting of brackets a request may have. Oxigraph's parsers recurse: about 3,000 nested groups
#: overflow the stack and kill the process that parses (a query worker, or the server itself for an update or
#: a JSON-LD upload), found by tests/robustness. No real query or document comes near this.
MAX_NESTING = 256

_BRACKETS = re.compile(r"[^{}()\[\]]+")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)  # JSON's strings: the one thing JSON can hide brackets in
_DEPTH = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"


@dataclass(frozen=True)
class ProtocolRequest:
    """One query or update operation: ``operation`` is ``"query"`` or ``"update"``.

    For a query, ``dataset`` holds ``default-graph-uri``/``named-graph-uri``; for an update it holds
    ``using-graph-uri``/``using-named-graph-uri``.
    """

    operation: str
    text: str
    dataset: DatasetSelection
    format: str | None = None


def _bad(detail: str, kind: str = "bad-request") -> Problem:
    return Problem(400, kind, "Bad request", detail)


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _bad(f"the {what} is not UTF-8 ({error.reason} at byte {error.start})", "not-utf-8") from None


def parse_parameters(raw: bytes) -> dict[str, list[str]]:
    """Decode URL-encoded parameters strictly as UTF-8 (werkzeug would replace bad bytes silently)."""
    try:
        return parse_qs(raw.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise _bad(f"the parameters are not UTF-8 ({error.reason})", "not-utf-8") from None


def _single(parameters: dict[str, list[str]], name: str) -> str | None:
    values = parameters.get(name, [])
    if len(values) > 1:
        raise _bad(f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


def check_graph_iri(iri: str, what: str) -> str:
    """``iri`` when it is an absolute IRI Oxigraph takes as a graph name, else :class:`Problem` 400."""
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError as error:
        raise _bad(f"the {what} {iri!r} is not an absolute IRI ({error})", "bad-graph-iri") from None
    return iri


def _dataset(parameters: dict[str, list[str]], default: str, named: str) -> DatasetSelection:
    for name in (default, named):
        for iri in parameters.get(name, []):
            check_graph_iri(iri, f"'{name}' parameter")
    defaults, nameds = parameters.get(default), parameters.get(named)
    return DatasetSelection(tuple(defaults) if defaults else None, tuple(nameds) if nameds else None)


def read_body(request: Request, max_bytes: int) -> bytes:
    """The request body, or :class:`Problem` 413 when it is over ``max_bytes``."""
    length = request.content_length
    if length is not None and length > max_bytes:
        raise Problem(413, "request-too-large", "Request too large", f"the body has {length} bytes; the limit is {max_bytes}")
    data = request.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Problem(413, "request-too-large", "Request too large", f"the body is over the limit of {max_bytes} bytes")
    return data


def _bracket_depth(text: str) -> int:
    """Deepest nesting of the brackets in ``text``, whatever stands around them (a closing bracket too many
    does not make the rest count less)."""
    depth = deepest = 0
    for char in _BRACKETS.sub("", text):
        depth = max(0, depth + _DEPTH[char])
        deepest = max(deepest, depth)
    return deepest


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``{}``, ``()``, ``[]`` and ``<< >>`` in the SPARQL ``text``, as its tokens show
    it (:func:`stm_kg.syntax.read`, which also counts brackets Oxigraph may read inside an IRI); for text the
    lexer cannot read, the brackets of the whole text (Oxigraph's parser recurses up to where it fails)."""
    if sum(text.count(opening) for opening in "{([<") <= MAX_NESTING:  # cannot be deeper: skip the reading
        return 0
    try:
        return read(text).depth
    except LexError:
        return _bracket_depth(text)


def _too_deep(depth: int, what: str) -> Problem:
    return _bad(f"the {what} nests {{}}, () or [] {depth} levels deep; the limit is {MAX_NESTING}", "too-deeply-nested")


def check_nesting(text: str, what: str) -> None:
    """:class:`Problem` 400 when the SPARQL ``text`` nests brackets deeper than :data:`MAX_NESTING`."""
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise _too_deep(depth, what)


def check_json_nesting(text: str) -> None:
    """:class:`Problem` 400 when a JSON (JSON-LD) document nests deeper than :data:`MAX_NESTING` (brackets outside
    its strings; JSON has no comments)."""
    if sum(text.count(opening) for opening in "{[") <= MAX_NESTING:
        return
    depth = _bracket_depth(_JSON_STRING.sub("", text))
    if depth > MAX_NESTING:
        raise _too_deep(depth, "JSON document")


def read_protocol_request(request: Request, max_bytes: int) -> ProtocolRequest | None:
    """:func:`read_operation`, refusing operations nested deeper than :data:`MAX_NESTING` (400)."""
    operation = read_operation(request, max_bytes)
    if operation is not None:
        check_nesting(operation.text, operation.operation)
    return operation


def read_operation(request: Request, max_bytes: int) -> ProtocolRequest | None:
    """The operation a request asks for, or ``None`` for a GET without one (the service description).

    Raises :class:`Problem`: 400 for a malformed request, 405 for other methods, 413 for a body over
    ``max_bytes`` and 415 for an unsupported content type.
    """
    url_parameters = parse_parameters(request.query_string)
    if request.method in ("GET", "HEAD"):
        if "update" in url_parameters:
            raise Problem(405, "update-by-get", "Method not allowed", "an update must be sent by POST",
                          headers={"Allow": "POST"})
        query = _single(url_parameters, "query")
        if query is None:
            return None
        return ProtocolRequest("query", query, _dataset(url_parameters, "default-graph-uri", "named-graph-uri"),
                               _single(url_parameters, "format"))
    if request.method != "POST":
        raise Problem(405, "method-not-allowed", "Method not allowed",
                      f"{request.method} is not a SPARQL protocol method; use GET or POST", headers={"Allow": "GET, POST"})
    content_type = request.mimetype
    if content_type == FORM:
        form = parse_parameters(read_body(request, max_bytes))
        query, update = _single(form, "query"), _single(form, "update")
        if (query is None) == (update is None):
            raise _bad("a form must hold exactly one 'query' or one 'update' parameter")
        if query is not None:
            fmt = _single(form, "format") or _single(url_parameters, "format")
            return ProtocolRequest("query", query, _dataset(form, "default-graph-uri", "named-graph-uri"), fmt)
        return ProtocolRequest("update", update, _dataset(form, "using-graph-uri", "using-named-graph-uri"))
    if content_type == QUERY_BODY:
        text = _decode(read_body(request, max_bytes), "query")
        return ProtocolRequest("query", text, _dataset(url_parameters, "default-graph-uri", "named-graph-uri"),
                               _single(url_parameters, "format"))
    if content_type == UPDATE_BODY:
        text = _decode(read_body(request, max_bytes), "update")
        return ProtocolRequest("update", text, _dataset(url_parameters, "using-graph-uri", "using-named-graph-uri"))
    raise Problem(
        415, "unsupported-media-type", "Unsupported media type",
        f"a POST to the SPARQL endpoint must be {FORM}, {QUERY_BODY} or {UPDATE_BODY}, not {content_type or 'untyped'}",
    )
