"""The dataset itself: ``/dataset`` (landing page), ``/dataset/downloads/{file}``, ``/.well-known/void`` (VoID)
and ``/catalog`` (DCAT-AP-NL 3.0 catalogue, for harvesting by data.overheid.nl).

The build directory is ``app.config["STM_KG_BUILD_DIR"]`` when set, else ``build/`` of the repository (where
``stm-kg serve`` builds the bundled dataset).
"""

from __future__ import annotations

import base64
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request, send_file

from ...config import BUILD_DIR
from ...pipeline.compile import read_info
from ...sparql.problems import Problem, problem_for_store_error
from ...store.interface import StoreError
from ..linked_data import dataset as DS
from ..linked_data.dumps import BY_NAME, Dumps
from ..linked_data.negotiation import HTML, choose
from ..linked_data.rdf import BY_EXTENSION, SYNTAXES, serialize
from ..services import services
from .linked_data import html_response, mapper

bp = Blueprint("dataset", __name__)

_dumps: dict[Path, Dumps] = {}


def build_dir() -> Path:
    return Path(current_app.config.get("STM_KG_BUILD_DIR", BUILD_DIR))


def dumps() -> Dumps:
    folder = build_dir()
    if folder not in _dumps:
        _dumps[folder] = Dumps(folder)
    return _dumps[folder]


def facts() -> DS.Facts:
    config = services().config
    try:
        return DS.gather(config.store, config.dataset_iri, config.base, request.url_root, read_info(build_dir()),
                         dumps().all(), config.limits.timeout)
    except StoreError as error:
        raise problem_for_store_error(error) from None


def rdf_answer(graph_of, default_turtle: bool) -> Response:
    """An RDF description by extension or ``Accept`` (Turtle for ``*/*`` and for browsers when ``default_turtle``)."""
    syntax = None
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
    body = serialize(DS.as_triples(graph_of(facts())), syntax)
    response = Response(body, mimetype=syntax.media_type)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/dataset", methods=["GET", "HEAD"])
def landing() -> Response:
    """What the dataset is, its licence, counts, build date and downloads; its DCAT description for machines."""
    chosen = choose(request.accept_mimetypes)
    if chosen is None:
        raise Problem(406, "not-acceptable", "Not acceptable", "served as text/html or an RDF syntax")
    if chosen != HTML:
        return rdf_answer(DS.dcat_graph, default_turtle=True)
    found = facts()
    ids = mapper()
    body = render_template("dataset.html", facts=found, ids=ids, formats=SYNTAXES,
                           kinds=sorted(found.kinds.items()), classes=found.classes[:25])
    response = html_response(body)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = f'<{request.url_root}.well-known/void>; rel="describedby"; type="text/turtle"'
    return response


@bp.route("/dataset/downloads/<name>", methods=["GET", "HEAD"])
def download(name: str) -> Response:
    fmt = BY_NAME.get(name)
    if fmt is None:
        raise Problem(404, "not-found", "Not found", f"no download named {name}")
    found = dumps().download(fmt)
    if found is None:
        raise Problem(404, "no-build", "No build", "this server has no compiled dataset to download (run stm-kg build)")
    response = send_file(found.path, mimetype=fmt.media_type, as_attachment=True, download_name=name, conditional=True,
                         etag=found.sha256)
    response.headers["Digest"] = "sha-256=" + base64.b64encode(bytes.fromhex(found.sha256)).decode()
    return response


@bp.route("/.well-known/void", methods=["GET", "HEAD"])
@bp.route("/.well-known/void.<extension>", methods=["GET", "HEAD"])
def void(extension: str | None = None) -> Response:
    return rdf_answer(DS.void_graph, default_turtle=True)


@bp.route("/catalog", methods=["GET", "HEAD"])
@bp.route("/catalog.<extension>", methods=["GET", "HEAD"])
def catalog(extension: str | None = None) -> Response:
    return rdf_answer(DS.dcat_graph, default_turtle=True)
