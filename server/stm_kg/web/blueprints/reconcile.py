"""``/reconcile``: the W3C Entity Reconciliation API 0.2, as OpenRefine speaks it, and the 1.0 draft at
``/reconcile/1.0-draft``, over the things of the knowledge graph (:mod:`stm_kg.web.reconcile`).

0.2 (OpenRefine: Reconcile → Start reconciling → Add standard service → ``http://HOST/reconcile``):

- ``GET /reconcile``: the service manifest.
- ``GET|POST /reconcile`` with ``queries={...}`` (POST form-encoded, as OpenRefine sends it): the candidates.
- ``GET|POST /reconcile`` with ``extend={...}``: data extension (property values of reconciled things).
- ``GET /reconcile/suggest/entity|type|property?prefix=...``: suggest; ``GET /reconcile/preview?id=...``:
  a preview to embed; ``GET /reconcile/properties?type=...``: property proposals for data extension.

1.0 draft (JSON bodies): ``GET /reconcile/1.0-draft`` (manifest), ``POST .../match``, ``POST .../extend``,
``GET .../extend/propose``, ``GET .../suggest/entity|type|property``, ``GET .../preview``.

Open to every origin (CORS, as every read of this server); JSONP is not offered. Bad input is a 400 problem
(problem+json) that says what is wrong; nothing is ever written.
"""

from __future__ import annotations

import json

from flask import Blueprint, Flask, Response, current_app, render_template, request

from ...sparql.problems import Problem, problem_for_store_error
from ...store.interface import StoreError
from ..api.openapi import api_version
from ..reconcile import protocol
from ..reconcile.matching import MAX_LIMIT
from ..reconcile.protocol import RequestError
from ..reconcile.service import Reconciler
from ..services import services

bp = Blueprint("reconcile", __name__)

_EXTENSION = "stm_kg.reconcile"
_SUGGEST_LIMIT = 10
#: A preview is shown in OpenRefine's frame, on another origin: it may be framed anywhere, and loads nothing.
_PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *"


@bp.record_once
def _setup(state) -> None:
    app: Flask = state.app
    config = app.extensions["stm_kg"].config

    def generation():
        current = config.publication.current() if config.publication is not None else None
        return current.number if current is not None else None

    app.extensions[_EXTENSION] = Reconciler(config.store, config.base, generation, config.limits.timeout)


def reconciler() -> Reconciler:
    return current_app.extensions[_EXTENSION]


def _json(document, status: int = 200) -> Response:
    return Response(json.dumps(document, ensure_ascii=False), status=status, mimetype="application/json")


def _param(name: str) -> str | None:
    """A parameter from the query string or a form-encoded body (at most the request size limit)."""
    if name in request.args:
        return request.args[name]
    if request.method == "POST":
        limit = services().config.limits.max_request_bytes
        if request.content_length is not None and request.content_length > limit:
            raise Problem(413, "request-too-large", "Request too large", f"the body is larger than {limit} bytes")
        return request.form.get(name)
    return None


def _int(name: str, default: int, low: int = 0, high: int = MAX_LIMIT) -> int:
    text = request.args.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise Problem(400, "invalid-parameter", "Invalid parameter", f"'{name}' must be a whole number from {low} to {high}; got {text!r}",
                      parameter=name)
    return int(text)


def _types_arg() -> tuple[str, ...]:
    return tuple(reconciler().vocabulary.iri(t) for t in request.args.getlist("type") if t)


@bp.errorhandler(RequestError)
def _bad_request(error: RequestError) -> Response:
    return _problem(Problem(400, "invalid-reconciliation-request", "Invalid reconciliation request", str(error)))


@bp.errorhandler(Problem)
def _problem(problem: Problem) -> Response:
    response = Response(json.dumps(problem.as_dict(), ensure_ascii=False), status=problem.status, mimetype="application/problem+json")
    response.headers.update(problem.headers)
    return response


@bp.errorhandler(StoreError)
def _store_error(error: StoreError) -> Response:
    return _problem(problem_for_store_error(error))


# -- 0.2 -------------------------------------------------------------------------------------------------


@bp.route("/reconcile", methods=["GET", "POST"])
def service() -> Response:
    service = reconciler()
    queries, extend = _param("queries"), _param("extend")
    if queries is not None:
        batch = protocol.read_queries_02(queries, service.vocabulary)
        results = service.reconcile(batch)
        return _json(protocol.results_02(results, service.index(), service))
    if extend is not None:
        ids, props = protocol.read_extend(extend, service.vocabulary)
        iris = [service.vocabulary.iri(p) for p in props]
        return _json(protocol.extend_02(ids, props, service.property_names(iris), service.extend(ids, iris), service))
    if request.method == "POST":
        raise RequestError("a POST to the service carries 'queries' (reconciliation) or 'extend' (data extension); "
                           "GET it without either for the manifest")
    return _json(protocol.manifest_02(request.url_root, service.base, api_version(), service.default_types()))


def _suggest_entities() -> Response:
    service = reconciler()
    found = service.suggest_entities(request.args.get("prefix", ""), _types_arg(), _int("cursor", 0, 0, 10**6),
                                     _int("limit", _SUGGEST_LIMIT, 1))
    index = service.index()
    result = []
    for suggestion in found:
        item = {"id": suggestion.entity.id, "name": suggestion.entity.name(),
                "notable": [{"id": t, "name": name} for t, name in suggestion.types]}
        description = service.description(suggestion.entity, index)
        if description:
            item["description"] = description
        result.append(item)
    return _json({"result": result})


def _suggest_terms(terms) -> Response:
    service = reconciler()
    return _json({"result": [{"id": service.vocabulary.short(t.iri), "name": t.name} for t in terms]})


@bp.get("/reconcile/suggest/entity")
@bp.get("/reconcile/1.0-draft/suggest/entity")
def suggest_entity() -> Response:
    return _suggest_entities()


@bp.get("/reconcile/suggest/type")
@bp.get("/reconcile/1.0-draft/suggest/type")
def suggest_type() -> Response:
    return _suggest_terms(reconciler().suggest_types(request.args.get("prefix", ""), _int("limit", _SUGGEST_LIMIT, 1)))


@bp.get("/reconcile/suggest/property")
@bp.get("/reconcile/1.0-draft/suggest/property")
def suggest_property() -> Response:
    return _suggest_terms(reconciler().suggest_properties(request.args.get("prefix", ""), _int("limit", _SUGGEST_LIMIT, 1)))


@bp.get("/reconcile/preview")
@bp.get("/reconcile/1.0-draft/preview")
def preview() -> Response:
    service = reconciler()
    index = service.index()
    entity = index.by_id(request.args.get("id", ""))
    if entity is None:
        raise Problem(404, "unknown-entity", "Unknown entity", f"no thing has the id {request.args.get('id', '')!r}")
    body = render_template("reconcile_preview.html", entity=entity, types=service.type_list(entity, index),
                           other_names=entity.other_names(), page=request.url_root + "id/" + entity.id)
    response = Response(body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = _PREVIEW_POLICY
    return response


def _proposals() -> dict:
    service = reconciler()
    type_name = request.args.get("type")
    limit = _int("limit", 10, 1)
    terms = service.propose_properties(service.vocabulary.iri(type_name) if type_name else None, limit)
    proposal = {"properties": [{"id": service.vocabulary.short(t.iri), "name": t.name} for t in terms], "limit": limit}
    if type_name:
        proposal["type"] = type_name
    return proposal


@bp.get("/reconcile/properties")
def propose_properties() -> Response:
    return _json(_proposals())


@bp.get("/reconcile/docs")
def docs() -> Response:
    response = Response(render_template("reconcile_docs.html", root=request.url_root), mimetype="text/html")
    return response


# -- 1.0-draft --------------------------------------------------------------------------------------------


def _json_body(what: str):
    limit = services().config.limits.max_request_bytes
    if request.content_length is not None and request.content_length > limit:
        raise Problem(413, "request-too-large", "Request too large", f"the body is larger than {limit} bytes")
    if request.mimetype != "application/json":
        raise Problem(415, "unsupported-media-type", "Unsupported media type", f"send the {what} as application/json")
    return protocol.parse_json(request.get_data(as_text=True), what)


@bp.get("/reconcile/1.0-draft")
def manifest_10() -> Response:
    service = reconciler()
    return _json(protocol.manifest_10(request.url_root, service.base, api_version(), service.default_types()))


@bp.post("/reconcile/1.0-draft/match")
def match_10() -> Response:
    service = reconciler()
    queries = protocol.read_queries_10(_json_body("reconciliation query batch"), service.vocabulary)
    results = service.reconcile({str(number): query for number, query in enumerate(queries)})
    return _json(protocol.results_10([results[str(n)] for n in range(len(queries))], service.index(), service))


@bp.post("/reconcile/1.0-draft/extend")
def extend_10() -> Response:
    service = reconciler()
    ids, props = protocol.read_extend(_json_body("data extension query"), service.vocabulary)
    iris = [service.vocabulary.iri(p) for p in props]
    return _json(protocol.extend_10(ids, props, service.property_names(iris), service.extend(ids, iris), service))


@bp.get("/reconcile/1.0-draft/extend/propose")
def propose_10() -> Response:
    if not request.args.get("type"):
        raise Problem(400, "invalid-parameter", "Invalid parameter", "'type' is required", parameter="type")
    return _json(_proposals())
