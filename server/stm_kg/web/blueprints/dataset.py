"""The dataset itself: ``/dataset`` (landing page), ``/dataset/downloads/{file}``, ``/.well-known/void`` (VoID)
and ``/catalog`` (DCAT-AP-NL 3.0 catalogue, for harvesting by data.overheid.nl).

Every answer describes the current published generation (:mod:`..linked_data.dumps`): its counts, its dumps
and their checksums agree with each other; nothing is computed from the live store or written here.
"""

from __future__ import annotations

import base64

from flask import Blueprint, Response, render_template, request, send_file

from ...sparql.problems import Problem
from ..linked_data import dataset as DS
from ..linked_data.dumps import BY_NAME, Generation
from ..linked_data.negotiation import HTML, choose
from ..linked_data.rdf import BY_EXTENSION, SYNTAXES, serialize
from ..services import services
from .linked_data import html_response, mapper

bp = Blueprint("dataset", __name__)


def generation() -> Generation | None:
    publication = services().config.publication
    return publication.current() if publication is not None else None


def _graph(kind: str):
    config = services().config
    if kind == "void":
        return DS.void_graph(generation(), request.url_root, config.base)
    return DS.dcat_graph(generation(), request.url_root, config.base, config.dataset)


def rdf_answer(kind: str) -> Response:
    """The description ``kind`` (void, dcat) by extension or ``Accept`` (Turtle for ``*/*`` and for browsers)."""
    extension = request.view_args.get("extension") if request.view_args else None
    if extension:
        syntax = BY_EXTENSION.get(extension)
        if syntax is None:
            raise Problem(404, "not-found", "Not found", f"no .{extension} form of this description")
    else:
        chosen = choose(request.accept_mimetypes)
        if chosen is None:
            raise Problem(406, "not-acceptable", "Not acceptable", "served as " + ", ".join(s.media_type for s in SYNTAXES))
        syntax = SYNTAXES[0] if chosen == HTML else chosen
    body = serialize(DS.as_triples(_graph(kind)), syntax)
    response = Response(body, mimetype=syntax.media_type)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/dataset", methods=["GET", "HEAD"])
def landing() -> Response:
    """What the dataset is, its licence, counts, generation and downloads; its DCAT description for machines."""
    chosen = choose(request.accept_mimetypes)
    if chosen is None:
        raise Problem(406, "not-acceptable", "Not acceptable", "served as text/html or an RDF syntax")
    if chosen != HTML:
        return rdf_answer("dcat")
    config = services().config
    current = generation()
    body = render_template("dataset.html", generation=current, ids=mapper(), base=config.base,
                           dataset=str(DS.dataset_iri(config.base)), settings=config.dataset,
                           awaiting=config.dataset.awaiting(),
                           kinds=sorted(current.kinds.items()) if current else [])
    response = html_response(body)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = f'<{request.url_root}.well-known/void>; rel="describedby"; type="text/turtle"'
    return response


@bp.route("/dataset/downloads/<name>", methods=["GET", "HEAD"])
def download(name: str) -> Response:
    if name not in BY_NAME:
        raise Problem(404, "not-found", "Not found", f"no download named {name}")
    current = generation()
    found = current.download(name) if current else None
    if found is None or not found.path.is_file():
        raise Problem(404, "no-dumps", "No dumps", "this server has published no dumps of its dataset")
    try:
        response = send_file(found.path, mimetype=found.format.media_type, as_attachment=True, download_name=name,
                             conditional=True, etag=found.sha256)
    except FileNotFoundError:  # two writes replaced its generation since it was read: the next one is there
        raise Problem(503, "dumps-replaced", "Dumps replaced", "newer dumps were published meanwhile; ask again",
                      headers={"Retry-After": "1"}) from None
    response.headers["Digest"] = "sha-256=" + base64.b64encode(bytes.fromhex(found.sha256)).decode()
    return response


@bp.route("/.well-known/void", methods=["GET", "HEAD"])
@bp.route("/.well-known/void.<extension>", methods=["GET", "HEAD"])
def void(extension: str | None = None) -> Response:
    return rdf_answer("void")


@bp.route("/catalog", methods=["GET", "HEAD"])
@bp.route("/catalog.<extension>", methods=["GET", "HEAD"])
def catalog(extension: str | None = None) -> Response:
    return rdf_answer("dcat")
