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


def data_links(document: str, page: int = 1) -> list[dict]:
    """Links to the description as data, one per syntax (``document``: the local address without extension)."""
    return [{"href": page_address(f"{document}.{s.extension}", page), "name": s.name, "type": s.media_type,
             "ext": s.extension} for s in SYNTAXES]


def page_address(address: str, page: int) -> str:
    """The address of page ``page`` of a description (the first page is the description's own address)."""
    return address if page == 1 else f"{address}?{urlencode({'page': page})}"


def requested_page() -> int:
    """The ``page`` parameter: a whole number from 1 (default 1); anything else is a 400 that says so."""
    raw = request.args.get("page")
    if raw is None:
        return 1
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
        raise Problem(400, "bad-page", "Bad page number", f"page must be a whole number from 1, not {raw[:40]!r}")
    return int(raw)


#: What the page links of a paged description say (RFC 8288 relation -> Dutch label).
PAGE_LABELS = {"first": "eerste", "prev": "vorige", "next": "volgende", "last": "laatste"}


def page_links(address: str, paging: D.IncomingPage) -> list[dict]:
    """The links to the other pages of a paged description (none for a single page)."""
    return [{"rel": rel, "href": page_address(address, number), "label": PAGE_LABELS[rel], "page": number}
            for rel, number in paging.neighbours().items()]


def link_header(links: list[dict]) -> str:
    return ", ".join(f'<{link["href"]}>; rel="{link["rel"]}"' for link in links)


def sparql_link(query: str) -> str:
    return url_for("sparql.endpoint") + "?" + urlencode({"query": query})


def describe_or_fail(iri: str, page: int = 1) -> tuple[list, D.IncomingPage]:
    try:
        return D.describe_page(services().config.store, iri, page, _timeout())
    except StoreError as error:
        raise problem_for_store_error(error) from None


def context_address() -> str:
    """The served address of the JSON-LD context that every JSON-LD description references."""
    return mapper().local(services().config.base + CONTEXT_PATH)


def rdf_response(triples, syntax: Syntax, document: str, negotiated: bool, iri: str,
                 paging: D.IncomingPage | None = None) -> Response:
    """The description of ``iri`` in ``syntax``; JSON-LD compact, with ``iri`` at the top (:mod:`.jsonld`).

    A paged description (``paging``) links to its other pages (RFC 8288 ``Link``, as the HTML page does).
    """
    if syntax.extension == "jsonld":
        body = framed(triples, iri, context_address(), services().config.base)
    else:
        body = serialize(triples, syntax)
    response = Response(body, mimetype=syntax.media_type)
    number = paging.number if paging else 1
    links = [f'<{page_address(document, number)}>; rel="canonical"; type="text/html"']
    if paging:
        address = document if negotiated else f"{document}.{syntax.extension}"
        links += [link_header(page_links(address, paging))] if paging.last > 1 else []
    response.headers["Link"] = ", ".join(links)
    if negotiated:
        response.headers["Vary"] = "Accept"
        response.headers["Content-Location"] = page_address(f"{document}.{syntax.extension}", number)
    return response


def resource_page(iri: str, triples, document: str, template: str = "ld_resource.html",
                  paging: D.IncomingPage | None = None, **extra) -> Response:
    """The HTML page of ``iri`` from its description (plus memberships), with links to the data.

    With ``paging``, the page shows one page of the links to ``iri`` and links to the other pages.
    """
    store = services().config.store
    ids = mapper()
    view = D.resource_view(triples, iri, ids)
    try:
        D.add_memberships(view, store, ids, _timeout())
    except StoreError as error:
        raise problem_for_store_error(error) from None
    number = paging.number if paging else 1
    pages = page_links(document, paging) if paging else []
    query = D.description_query(iri, number)
    body = render_template(
        template,
        view=view,
        document=document,
        data_links=data_links(document, number),
        sparql_href=sparql_link(query),
        query_text=query,
        paging=paging,
        page_links=pages,
        **extra,
    )
    response = html_response(body)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = ", ".join(
        [f'<{link["href"]}>; rel="alternate"; type="{link["type"]}"' for link in data_links(document, number)]
        + ([link_header(pages)] if pages else []))
    return response


def answer_document(iri: str, document: str, syntax: Syntax | None, template: str = "ld_resource.html", **extra) -> Response:
    """Answer for the document ``document`` about ``iri``: HTML or RDF, or 404 when it names nothing.

    ``?page=N`` asks for page N of the links to ``iri`` (:data:`~.describe.INCOMING_PAGE_SIZE` a page).
    """
    representation = representation_for(syntax)
    page = requested_page()
    triples, paging = describe_or_fail(iri, page)
    if not triples:
        if iri == services().config.dataset_iri:
            return redirect(url_for("dataset.landing"), 303)
        return not_found(iri, representation)
    if page > paging.last:
        raise Problem(404, "no-such-page", "No such page",
                      f"the links to <{iri}> fill {paging.last} page(s) of {paging.size}", last=paging.last)
    if representation == HTML:
        if iri == services().config.dataset_iri:
            extra.setdefault("landing", url_for("dataset.landing"))
        return resource_page(iri, triples, document, template, paging=paging, **extra)
    return rdf_response(triples, representation, document, negotiated=syntax is None, iri=iri, paging=paging)


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
