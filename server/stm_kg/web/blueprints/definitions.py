"""``{base}def/...``: the ontology, its terms, the SHACL shapes and the concept schemes.

Definitions answer at their own URI (no 303: under ``def/`` a URI names a definition, an information
resource): HTML for a browser, RDF by ``Accept`` or extension. ``def/ont`` is the whole ontology as one
document with a class diagram; ``def/ont/{Term}`` a term's page (label, definitions in both languages, domain,
range, super- and sub-terms, the shapes that apply); ``def/shapes`` lists the shapes; every other ``def/`` URI
(a shape, a scheme, a version IRI) gets the resource page. ``def/context.jsonld`` is the JSON-LD context that
every JSON-LD description references (:mod:`~stm_kg.web.linked_data.jsonld`).
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Blueprint, Response, render_template

from ...config import graph_names
from ...sparql.problems import problem_for_store_error
from ...store.interface import StoreError
from ..linked_data import describe as D
from ..linked_data.diagram import class_diagram
from ..linked_data.jsonld import CONTEXT_PATH, context
from ..linked_data.negotiation import HTML, split_extension
from ..linked_data.ontology import ontology_doc, ontology_query, term_of
from ..linked_data.rdf import TripleIndex
from ..linked_data.uris import safe_name
from ..services import services
from .linked_data import (
    answer_document,
    data_links,
    html_response,
    mapper,
    not_found,
    raw_uri,
    rdf_response,
    representation_for,
    sparql_link,
)

bp = Blueprint("definitions", __name__)


def _timeout() -> float:
    return services().config.limits.timeout


def _shape_list() -> list[tuple[D.Link, list[D.Link]]]:
    """Every node shape with its target classes, for the page of ``def/shapes``."""
    config = services().config
    rows = D.select(config.store, """PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?shape ?target WHERE { ?shape a sh:NodeShape . FILTER(isIRI(?shape)) OPTIONAL { ?shape sh:targetClass ?target } }""",
                    _timeout())
    iris = {row[k]["value"] for row in rows for k in ("shape", "target") if k in row}
    viewer = D.Viewer(mapper(), TripleIndex([]), D.fetch_labels(config.store, iris, _timeout()))
    shapes: dict[str, list[D.Link]] = {}
    for row in rows:
        targets = shapes.setdefault(row["shape"]["value"], [])
        if "target" in row:
            targets.append(viewer.link(ox.NamedNode(row["target"]["value"])))
    listed = [(viewer.link(ox.NamedNode(shape)), targets) for shape, targets in shapes.items()]
    return sorted(listed, key=lambda item: item[0].label.value.lower())


def ontology_document(iri: str, document: str, syntax) -> Response:
    representation = representation_for(syntax)
    query = ontology_query(iri, graph_names(services().config.base).inferred)
    try:
        triples = D.construct(services().config.store, query, _timeout())
    except StoreError as error:
        raise problem_for_store_error(error) from None
    if not triples:
        return not_found(iri, representation)
    if representation != HTML:
        return rdf_response(triples, representation, document, negotiated=syntax is None, iri=iri)
    doc = ontology_doc(triples, iri, mapper())
    body = render_template("def_ontology.html", doc=doc, diagram=class_diagram(doc), document=document,
                           data_links=data_links(document), sparql_href=sparql_link(query), query_text=query)
    response = html_response(body)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/" + CONTEXT_PATH, methods=["GET", "HEAD"])
def json_ld_context() -> Response:
    """The JSON-LD context that the JSON-LD descriptions reference (readable from any origin: CORS is app-wide)."""
    body = json.dumps(context(services().config.base), indent=1, ensure_ascii=False) + "\n"
    response = Response(body, mimetype="application/ld+json")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.route("/def/<path:name>", methods=["GET", "HEAD"])
def definition(name: str) -> Response:
    stem, syntax = split_extension(name)
    ids = mapper()
    iri = ids.iri("def/" + stem)
    document = ids.local(iri)
    if not safe_name(stem, raw_uri()):
        return not_found(iri, representation_for(syntax))
    if stem == "ont":
        return ontology_document(iri, document, syntax)
    if stem == "shapes":
        return answer_document(iri, document, syntax, "def_shapes.html", shapes=_shape_list)
    if stem.startswith("ont/"):
        return answer_document(iri, document, syntax, "def_term.html", term_for=_term_for)
    return answer_document(iri, document, syntax)


def _term_for(view: D.ResourceView):
    """The term panel of a page (called from the template, with the page's description)."""
    index = view.index or TripleIndex([])
    return term_of(index, D.Viewer(mapper(), index), ox.NamedNode(view.iri))
