"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol (indirect graph identification).

``?default`` names the default graph (for reads: the graph queries see, so the union when it is served;
for writes: the store's own default graph), ``?graph=IRI`` a named graph. Reads are open; writes need
the write token and pass the SHACL gate.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from flask import Blueprint, Response, request

from ...sparql.formats import GRAPH_FORMATS, best_format
from ...sparql.problems import Problem, problem_for_store_error
from ...sparql.requests import check_graph_iri, check_json_nesting, read_body
from ...store.changes import AddToGraph, DropGraph, GraphName, ReplaceGraph, ntriples
from ...store.interface import DatasetSelection, FormatChoice, StoreError
from ..auth import require_write_access
from ..services import services
from .writes import gated_write

bp = Blueprint("graph_store", __name__)

_ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"

_XML_ENTITY = re.compile(r"""<!ENTITY\s+(%\s*)?([^\s"']+)\s+(?:"([^"]*)"|'([^']*)')""")


def _check_xml_entities(text: str, limit: int) -> None:
    """Refuse RDF/XML whose internal entities would expand beyond ``limit`` bytes, or refer to other entities.

    Oxigraph's RDF/XML parser expands internal entities (never external ones): a "billion laughs" body of a few
    hundred bytes grows to gigabytes in the server process (found by tests/robustness).
    """
    if "<!ENTITY" not in text:
        return
    expanded = 0
    for found in _XML_ENTITY.finditer(text):
        parameter, name, value = found.group(1), found.group(2), found.group(3) if found.group(3) is not None else found.group(4)
        if parameter or "&" in value or "%" in value:
            raise Problem(400, "entity-expansion", "Entity expansion refused",
                          "the RDF/XML declares entities that refer to other entities (or parameter entities); write them out")
        expanded += text.count(f"&{name};") * len(value.encode("utf-8"))
    if expanded > limit:
        raise Problem(400, "entity-expansion", "Entity expansion refused",
                      f"the RDF/XML's entities would expand to {expanded} bytes; the limit is {limit}")


def _target() -> GraphName:
    has_default, graph = "default" in request.args, request.args.getlist("graph")
    if has_default == bool(graph) or len(graph) > 1:
        raise Problem(400, "bad-graph-target", "Bad request", "name exactly one graph: ?default or ?graph=IRI")
    return check_graph_iri(graph[0], "graph") if graph else None


def _require_existing(graph: GraphName) -> None:
    if not services().config.store.has_graph(graph):
        raise Problem(404, "graph-not-found", "Graph not found", f"the store has no graph <{graph}>")


@bp.route("/store", methods=["GET", "HEAD"])
def read_graph() -> Response:
    graph = _target()
    _require_existing(graph)
    config = services().config
    media_type = best_format(GRAPH_FORMATS, request.accept_mimetypes, request.args.get("format"))
    if media_type is None:
        raise Problem(406, "not-acceptable", "Not acceptable", "graphs are served as " + ", ".join(f.media_type for f in GRAPH_FORMATS))
    dataset = DatasetSelection() if graph is None else DatasetSelection(default_graphs=(graph,))
    try:
        result = config.store.query(_ALL_TRIPLES, FormatChoice(None, media_type), dataset=dataset, timeout=config.limits.timeout)
    except StoreError as error:
        raise problem_for_store_error(error) from None
    response = Response(result.body, mimetype=result.media_type)
    response.headers["Vary"] = "Accept"
    return response


def _uploaded_triples(graph: GraphName) -> bytes:
    """The request body parsed offline (no remote context, no external entity), as N-Triples."""
    fmt = ox.RdfFormat.from_media_type(request.mimetype) if request.mimetype else None
    if fmt is None:
        offered = ", ".join(f.media_type for f in GRAPH_FORMATS if f.media_type not in ("application/trig", "application/n-quads"))
        raise Problem(415, "unsupported-media-type", "Unsupported media type",
                      f"send the graph as one of {offered}, not {request.mimetype or 'untyped'}")
    body = read_body(request, services().config.limits.max_request_bytes)
    if fmt == ox.RdfFormat.JSON_LD:  # Oxigraph's JSON-LD parser recurses: deep nesting would kill the server
        check_json_nesting(body.decode("utf-8", errors="replace"))
    if fmt == ox.RdfFormat.RDF_XML:
        _check_xml_entities(body.decode("utf-8", errors="replace"), services().config.limits.max_request_bytes)
    try:
        quads = list(ox.parse(body, format=fmt, base_iri=graph or request.base_url, without_named_graphs=True))
    except (SyntaxError, ValueError) as error:
        raise Problem(400, "malformed-rdf", "Malformed RDF", f"the {fmt.name} body does not parse: {error}") from None
    return ntriples(quad.triple for quad in quads)


@bp.route("/store", methods=["PUT", "POST"])
def write_graph() -> Response:
    config = services().config
    require_write_access(config.write_token)
    graph = _target()
    existed = config.store.has_graph(graph)
    triples = _uploaded_triples(graph)
    gated_write(ReplaceGraph(graph, triples) if request.method == "PUT" else AddToGraph(graph, triples))
    return Response(status=204 if existed else 201)


@bp.route("/store", methods=["DELETE"])
def delete_graph() -> Response:
    config = services().config
    require_write_access(config.write_token)
    graph = _target()
    _require_existing(graph)
    gated_write(DropGraph(graph))
    return Response(status=204)
