"""``{base}id/...`` and ``{base}doc/...``: every thing of the knowledge graph answers, for people and machines.

``id/{kind}/{name}`` names a thing and answers ``303 See Other`` to ``doc/{kind}/{name}``, the document about
it: an HTML page for a browser, the description as Turtle, N-Triples, JSON-LD or RDF/XML by ``Accept`` or by
extension (``doc/{kind}/{name}.ttl``); JSON-LD is compact, with the context of ``def/context.jsonld``. A URI that names nothing answers 404, as a page and as data. ``graph/...``
(the named graphs of the dataset) answers 303 to the Graph Store. The logic is in :mod:`stm_kg.web.linked_data`.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Blueprint, Response, redirect, render_template, request, url_for

from ...sparql.problems import Problem, problem_for_store_error
from ...store.interface import StoreError
from ..linked_data import describe as D
from ..linked_data.jsonld import CONTEXT_PATH, framed
from ..linked_data.negotiation import HTML, choose, offered, split_extension
from ..linked_data.rdf import SYNTAXES, Syntax, serialize
from ..linked_data.uris import UriMapper, safe_name
from ..services import services
from .pages import CONTENT_SECURITY_POLICY

bp = Blueprint("linked_data", __name__)


def mapper() -> UriMapper:
    """The mapping between this request's server address and the URI base of the data."""
    return UriMapper(services().config.base, request.url_root)


def raw_uri() -> str | None:
    return request.environ.get("REQUEST_URI") or request.environ.get("RAW_URI")


def _timeout() -> float:
    return services().config.limits.timeout


def html_response(body: str, status: int = 200) -> Response:
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


def not_found(iri: str, representation) -> Response:
    """404 for a URI that names nothing: a page, or an empty graph in the syntax asked for."""
    if isinstance(representation, Syntax):
        body = serialize([], representation)
        if representation.extension == "ttl":
            body = f"# <{iri}> names nothing in this dataset.\n".encode() + body
        response = Response(body, status=404, mimetype=representation.media_type)
    else:
        response = html_response(render_template("ld_not_found.html", iri=iri), 404)
    response.headers["Vary"] = "Accept"
    return response


def representation_for(syntax: Syntax | None):
    """The representation asked for: the extension's syntax, else by ``Accept``; 406 when none fits."""
    if syntax is not None:
        return syntax
    chosen = choose(request.accept_mimetypes)
    if chosen is None:
        raise Problem(406, "not-acceptable", "Not acceptable",
                      "this document is served as " + ", ".join(offered()), offered=offered())
    return chosen


def data_links(document: str) -> list[dict]:
    """Links to the description as data, one per syntax (``document``: the local address without extension)."""
    return [{"href": f"{document}.{s.extension}", "name": s.name, "type": s.media_type, "ext": s.extension} for s in SYNTAXES]


def sparql_link(query: str) -> str:
    return url_for("sparql.endpoint") + "?" + urlencode({"query": query})


def describe_or_fail(iri: str):
    try:
        return D.describe(services().config.store, iri, _timeout())
    except StoreError as error:
        raise problem_for_store_error(error) from None


def context_address() -> str:
    """The served address of the JSON-LD context that every JSON-LD description references."""
    return mapper().local(services().config.base + CONTEXT_PATH)


def rdf_response(triples, syntax: Syntax, document: str, negotiated: bool, iri: str) -> Response:
    """The description of ``iri`` in ``syntax``; JSON-LD compact, with ``iri`` at the top (:mod:`.jsonld`)."""
    if syntax.extension == "jsonld":
        body = framed(triples, iri, context_address(), services().config.base)
    else:
        body = serialize(triples, syntax)
    response = Response(body, mimetype=syntax.media_type)
    response.headers["Link"] = f'<{document}>; rel="canonical"; type="text/html"'
    if negotiated:
        response.headers["Vary"] = "Accept"
        response.headers["Content-Location"] = f"{document}.{syntax.extension}"
    return response


def resource_page(iri: str, triples, document: str, template: str = "ld_resource.html", **extra) -> Response:
    """The HTML page of ``iri`` from its description (plus memberships), with links to the data."""
    store = services().config.store
    ids = mapper()
    view = D.resource_view(triples, iri, ids)
    try:
        D.add_memberships(view, store, ids, _timeout())
    except StoreError as error:
        raise problem_for_store_error(error) from None
    body = render_template(
        template,
        view=view,
        document=document,
        data_links=data_links(document),
        sparql_href=sparql_link(D.description_query(iri)),
        query_text=D.description_query(iri),
        **extra,
    )
    response = html_response(body)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = ", ".join(
        f'<{link["href"]}>; rel="alternate"; type="{link["type"]}"' for link in data_links(document))
    return response


def answer_document(iri: str, document: str, syntax: Syntax | None, template: str = "ld_resource.html", **extra) -> Response:
    """Answer for the document ``document`` about ``iri``: HTML or RDF, or 404 when it names nothing."""
    representation = representation_for(syntax)
    triples = describe_or_fail(iri)
    if not triples:
        if iri == services().config.dataset_iri:
            return redirect(url_for("dataset.landing"), 303)
        return not_found(iri, representation)
    if representation == HTML:
        if iri == services().config.dataset_iri:
            extra.setdefault("landing", url_for("dataset.landing"))
        return resource_page(iri, triples, document, template, **extra)
    return rdf_response(triples, representation, document, negotiated=syntax is None, iri=iri)


@bp.route("/id/<path:name>", methods=["GET", "HEAD"])
def thing(name: str) -> Response:
    """A thing: 303 See Other to the document about it, or 404 when it names nothing."""
    ids = mapper()
    config = services().config
    iri = ids.iri("id/" + name)
    if not safe_name(name, raw_uri()):
        return not_found(iri, representation_for(None))
    try:
        exists = D.exists(config.store, iri, _timeout())
    except StoreError as error:
        raise problem_for_store_error(error) from None
    if not exists:
        if iri == config.dataset_iri:  # the store says nothing about it: the landing page does
            return redirect(url_for("dataset.landing"), 303)
        return not_found(iri, representation_for(None))
    response = redirect(_doc_address(ids.root, name), 303)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/doc/<path:name>", methods=["GET", "HEAD"])
def document(name: str) -> Response:
    """The document about the thing ``id/{name}``: its page or its description as data."""
    stem, syntax = split_extension(name)
    ids = mapper()
    iri = ids.iri("id/" + stem)
    if not safe_name(stem, raw_uri()):
        return not_found(iri, representation_for(syntax))
    return answer_document(iri, _doc_address(ids.root, stem), syntax)


def _doc_address(root: str, name: str) -> str:
    """The served address of the document about ``id/{name}`` (path characters kept, the rest escaped)."""
    return root + "doc/" + quote(name, safe="/-._~!$&'()*+,;=:@")


@bp.route("/graph/<path:name>", methods=["GET", "HEAD"])
def graph(name: str) -> Response:
    """A named graph of the dataset: 303 to the Graph Store, which serves its triples."""
    iri = mapper().iri("graph/" + name)
    store = services().config.store
    if not safe_name(name, raw_uri()) or not store.has_graph(iri):
        return not_found(iri, representation_for(None))
    return redirect(url_for("graph_store.read_graph") + "?" + urlencode({"graph": iri}), 303)
