"""``/api``: the named queries of ``queries/*.rq`` as a web API, with its OpenAPI 3.1 document.

- ``GET /api/{name}?param=...``: runs the named query with its parameters bound as RDF terms (never pasted
  into the text) and answers a plain JSON list of objects, CSV, TSV, any SPARQL results format or an HTML
  table, by ``Accept`` or ``format``; paged with ``page``/``per_page`` and RFC 8288 ``Link`` headers.
- ``GET /api``: the list of queries (JSON, or HTML for browsers).
- ``GET /api/openapi.json``: the OpenAPI 3.1 document; ``GET /api/docs``: the same, as a page with a form for
  every query (rendered here: no script, nothing loaded from elsewhere).

The catalogue is read (and checked) once, when the blueprint is registered: a broken query file stops the
server at start, not at a user's request. Queries run only through the store interface, in the same worker
processes and under the same time limit as ``/sparql``, and the same SERVICE policy applies.
"""

from __future__ import annotations

import json
import logging

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for

from ...queries import Catalogue, NamedQuery, ParameterError, UnknownQuery
from ...sparql.formats import GRAPH_FORMATS, best_format, explicit_quality
from ...sparql.problems import Problem, problem_for_store_error
from ...sparql.safety import RemoteAccessRefused
from ...store.interface import FormatChoice, NotAcceptable, QuerySyntaxError, QueryTimeout, ResultTooLarge, StoreError
from ..api import openapi
from ..problem_responses import problem_response
from ..api.paging import COUNT_VARIABLE, Page, PagingError, count_text, page_text
from ..api.results import API_FORMATS, HTML, PLAIN_JSON, SPARQL_JSON, count, records
from ..services import services
from .pages import CONTENT_SECURITY_POLICY

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__)

_EXTENSION = "stm_kg.api"
#: Parameters of the web layer, not of the query.
_OWN = ("page", "per_page", "format")
_EXPOSED = "Link, X-Total-Count"


@bp.record_once
def _setup(state) -> None:
    app: Flask = state.app
    config = app.extensions["stm_kg"].config
    app.extensions[_EXTENSION] = Catalogue.load(config.queries_dir, config.base)

    # Registered before the app's CORS hook, so it runs after it (Flask runs these in reverse): a script on
    # another origin may then read the paging headers.
    @app.after_request
    def _expose_paging_headers(response: Response) -> Response:
        if request.path.startswith("/api"):
            exposed = response.headers.get("Access-Control-Expose-Headers")
            response.headers["Access-Control-Expose-Headers"] = f"{exposed}, {_EXPOSED}" if exposed else _EXPOSED
        return response


def catalogue() -> Catalogue:
    """The catalogue of the current app."""
    return current_app.extensions[_EXTENSION]


def _wants_html() -> bool:
    accept = request.accept_mimetypes
    html = explicit_quality(accept, ("text/html", "application/xhtml+xml"))
    return html > 0 and html >= explicit_quality(accept, (PLAIN_JSON,))


def _html(body: str) -> Response:
    response = Response(body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["Vary"] = "Accept"
    return response


def _summary(query: NamedQuery) -> dict:
    return {
        "name": query.name,
        "title": query.title,
        "title_en": query.title_en,
        "description": query.description,
        "description_en": query.description_en,
        "tags": list(query.tags),
        "federated": query.federated,
        "url": url_for("api.named_query", name=query.name, _external=True),
        "example": request.host_url.rstrip("/") + openapi.example_path(query, _prefix()),
        "parameters": query.openapi_parameters(),
    }


def _prefix() -> str:
    return url_for("api.index").rstrip("/")


# -- the list, the OpenAPI document and its page ---------------------------------------------------------


@bp.get("/api")
@bp.get("/api/")
def index() -> Response:
    queries = [_summary(query) for query in catalogue().values()]
    if _wants_html():
        return _html(render_template("api_index.html", queries=queries, docs=url_for("api.docs")))
    response = Response(json.dumps(queries, ensure_ascii=False, indent=1), mimetype=PLAIN_JSON)
    response.headers["Vary"] = "Accept"
    return response


def _document() -> dict:
    server = request.host_url.rstrip("/") + request.script_root
    return openapi.document(catalogue(), server, _prefix()[len(request.script_root):])


@bp.get("/api/openapi.json")
def openapi_document() -> Response:
    return Response(json.dumps(_document(), ensure_ascii=False, indent=1), mimetype="application/json")


@bp.get("/api/docs")
def docs() -> Response:
    document = _document()
    operations = [
        {"path": path, "query": catalogue()[path.rsplit("/", 1)[1]], "op": item["get"]}
        for path, item in document["paths"].items()
        if item["get"]["operationId"] != "list_queries"
    ]
    return _html(render_template(
        "api_docs.html",
        info=document["info"],
        operations=operations,
        formats=[f.names[0] for f in API_FORMATS],
        openapi_url=url_for("api.openapi_document"),
        examples={op["query"].name: openapi.example_values(op["query"]) for op in operations},
    ))


# -- running a named query --------------------------------------------------------------------------------


@bp.errorhandler(Problem)
def _problem(problem: Problem) -> Response:
    """Problems as ``application/problem+json`` unless a browser prefers HTML (API clients often send ``*/*``)."""
    if _wants_html():
        return problem_response(problem)
    response = Response(json.dumps(problem.as_dict(), ensure_ascii=False, indent=1), status=problem.status,
                        mimetype="application/problem+json")
    response.headers.update(problem.headers)
    return response


def _bad_parameter(message: str, parameter: str | None) -> Problem:
    return Problem(400, "invalid-parameter", "Invalid parameter", message, parameter=parameter)


@bp.get("/api/<name>")
def named_query(name: str) -> Response:
    try:
        query = catalogue()[name]
    except UnknownQuery as unknown:
        listed = url_for("api.index", _external=True)
        raise Problem(404, "unknown-query", "Unknown query", f"{unknown}; the list is at {listed}") from None
    args = request.args
    for key in args:
        if len(args.getlist(key)) > 1:
            raise _bad_parameter(f"parameter '{key}' is given {len(args.getlist(key))} times; give it once", key)
    try:
        page = Page.read(args.get("page"), args.get("per_page"))
    except PagingError as error:
        raise _bad_parameter(str(error), error.parameter) from None
    try:
        bound = query.bind({k: v for k, v in args.items() if k not in _OWN}, strict=True)
    except ParameterError as error:
        raise _bad_parameter(str(error), error.parameter) from None

    config = services().config
    try:
        config.remote_policy.check(bound.text)
    except RemoteAccessRefused as refused:
        raise Problem(403, "remote-access-refused", "Remote access refused",
                      f"query '{name}' calls another endpoint, which this server does not permit: {refused}",
                      keyword=refused.keyword) from None
    except StoreError as unreadable:  # text the lexer cannot read (a broken query file)
        raise problem_for_store_error(unreadable) from None

    if query.form in ("CONSTRUCT", "DESCRIBE"):
        return _graph_answer(query, bound.text)
    media_type = _negotiate(API_FORMATS)
    if query.form == "ASK":
        return _ask_answer(query, bound.text, media_type)
    return _select_answer(query, bound.text, media_type, page)


def _negotiate(formats) -> str:
    name = request.args.get("format")
    media_type = best_format(formats, request.accept_mimetypes, name)
    offered = [f.media_type for f in formats]
    if media_type is None and name:
        names = ", ".join(f.names[0] for f in formats)
        raise _bad_parameter(
            f"parameter 'format' must be one of {names} (or a media type: {', '.join(offered)}); got {name!r}", "format"
        )
    if media_type is None:
        raise Problem(406, "not-acceptable", "Not acceptable", f"offered: {', '.join(offered)}", offered=offered)
    return media_type


def _run(query: NamedQuery, text: str, formats: FormatChoice) -> bytes:
    config = services().config
    try:
        return config.store.query(text, formats, timeout=config.limits.timeout).body
    except QuerySyntaxError as error:  # the text is ours (the file, the bound values, the paging): our mistake
        log.error("named query %s does not parse: %s\n%s", query.name, error, text)
        raise Problem(500, "broken-named-query", "Broken named query", f"query '{query.name}' does not parse: {error}") from None
    except (QueryTimeout, ResultTooLarge, NotAcceptable) as error:
        raise problem_for_store_error(error) from None
    except StoreError as error:
        if query.federated and not isinstance(getattr(error, "http_status", None), int):
            called = ", ".join(query.endpoints) or "another endpoint"
            raise Problem(502, "remote-endpoint-error", "Remote endpoint error",
                          f"query '{query.name}' calls {called}: {error}") from None
        raise problem_for_store_error(error) from None


def _select_answer(query: NamedQuery, text: str, media_type: str, page: Page) -> Response:
    store_type = SPARQL_JSON if media_type in (PLAIN_JSON, HTML) else media_type
    body = _run(query, page_text(text, query.variables(), page.offset, page.size), FormatChoice(store_type, None))
    total = None
    if store_type != media_type:
        variables, rows = records(body)
        if page.number == 1 and len(rows) < page.size:
            total = len(rows)  # the whole answer is on this page: no need to count
    if total is None:
        total = count(_run(query, count_text(text), FormatChoice(SPARQL_JSON, None)), COUNT_VARIABLE)
    if media_type == PLAIN_JSON:
        body = json.dumps(rows, ensure_ascii=False).encode("utf-8")
    elif media_type == HTML:
        body = render_template("api_result.html", query=query, variables=variables, rows=rows, page=page, total=total,
                               last=page.last(total), links=page.link_targets(*_here(), total)).encode("utf-8")
    response = Response(body, mimetype=media_type)
    if media_type == HTML:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["Link"] = page.links(*_here(), total)
    response.headers["X-Total-Count"] = str(total)
    response.headers["Vary"] = "Accept"
    return response


def _here() -> tuple[str, list[tuple[str, str]]]:
    return request.base_url, list(request.args.items(multi=True))


def _ask_answer(query: NamedQuery, text: str, media_type: str) -> Response:
    store_type = SPARQL_JSON if media_type in (PLAIN_JSON, HTML) else media_type
    body = _run(query, text, FormatChoice(store_type, None))
    if store_type != media_type:
        answer = {"boolean": bool(json.loads(body).get("boolean"))}
        body = json.dumps(answer).encode("utf-8")
        media_type = PLAIN_JSON
    response = Response(body, mimetype=media_type)
    response.headers["Vary"] = "Accept"
    return response


def _graph_answer(query: NamedQuery, text: str) -> Response:
    media_type = _negotiate(GRAPH_FORMATS)
    response = Response(_run(query, text, FormatChoice(None, media_type)), mimetype=media_type)
    response.headers["Vary"] = "Accept"
    return response
