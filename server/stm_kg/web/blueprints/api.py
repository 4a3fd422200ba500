"""``/api/v1``: the named queries of ``queries/*.rq`` as a web API, with its OpenAPI 3.1 document, following the
NL GOV API Design Rules.

- ``GET /api/v1/{name}?param=...``: runs the named query with its parameters bound as RDF terms (never pasted
  into the text) and answers a plain JSON list of objects, CSV, TSV, any SPARQL results format or an HTML
  table, by ``Accept`` or ``format``; paged with ``page``/``perPage`` and RFC 8288 ``Link`` headers.
- ``GET /api/v1``: the list of queries (JSON, or HTML for browsers).
- ``GET /api/v1/openapi.json``: the OpenAPI 3.1 document (open to every origin); ``GET /api/v1/docs``: the
  same, as a page with a form for every query (rendered here: no script, nothing loaded from elsewhere).
- ``/api/...``, the unversioned addresses of before, answer ``308 Permanent Redirect`` to ``/api/v1/...``.

Every answer under ``/api`` carries ``API-Version`` (the OpenAPI ``info.version``) and the security headers
of the rules (/core/transport/security-headers); every error is RFC 9457 problem details
(``application/problem+json``), also for an unknown path or method under ``/api/v1``.

The catalogue is read (and checked) once, when the blueprint is registered: a broken query file stops the
server at start, not at a user's request. Queries run only through the store interface, in the same worker
processes and under the same time limit as ``/sparql``, and the same SERVICE policy applies.
"""

from __future__ import annotations

import json
import logging
import re

from flask import Blueprint, Flask, Response, current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from ...queries import Catalogue, NamedQuery, ParameterError, UnknownQuery
from ...sparql.formats import GRAPH_FORMATS, best_format, explicit_quality
from ...sparql.problems import Problem, problem_for_store_error
from ...sparql.safety import RemoteAccessRefused
from ...store.interface import FormatChoice, NotAcceptable, QuerySyntaxError, QueryTimeout, ResultTooLarge, StoreError
from ..api import openapi
from ..api.openapi import API_PREFIX, PROBLEM_JSON
from ..api.paging import COUNT_VARIABLE, OLD_PER_PAGE, PAGE, PER_PAGE, Page, PagingError, count_text, page_text
from ..api.results import API_FORMATS, HTML, PLAIN_JSON, SPARQL_JSON, count, records
from ..services import services
from .pages import CONTENT_SECURITY_POLICY

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__)

_EXTENSION = "stm_kg.api"
#: Parameters of the web layer, not of the query.
_OWN = (PAGE, PER_PAGE, OLD_PER_PAGE, "format")
_EXPOSED = "Link, X-Total-Count, API-Version"
#: The security headers of every API answer (NL API Design Rules, /core/transport/security-headers): the
#: mandatory ones, and for answers that are no HTML page the ones meant for HTML, as defence in depth.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Strict-Transport-Security": "max-age=31536000",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
_NOT_HTML_HEADERS = {"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'", "Referrer-Policy": "no-referrer"}


def _api_headers(response: Response) -> Response:
    response.headers["API-Version"] = openapi.api_version()
    response.headers.update(SECURITY_HEADERS)
    if response.mimetype == HTML:  # a page of ours keeps its policy, but may not be framed at all
        policy = re.sub(r";?\s*frame-ancestors[^;]*", "", response.headers.get("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        response.headers["Content-Security-Policy"] = policy.strip("; ") + "; frame-ancestors 'none'"
    else:
        response.headers.update(_NOT_HTML_HEADERS)
    return response


@bp.record_once
def _setup(state) -> None:
    app: Flask = state.app
    config = app.extensions["stm_kg"].config
    app.extensions[_EXTENSION] = Catalogue.load(config.queries_dir, config.base)

    # Registered before the app's CORS hook, so it runs after it (Flask runs these in reverse): a script on
    # another origin may then read the paging and version headers.
    @app.after_request
    def _api_answer(response: Response) -> Response:
        if request.path == "/api" or request.path.startswith("/api/"):
            _api_headers(response)
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
        "example": request.host_url.rstrip("/") + request.script_root + openapi.example_path(query),
        "parameters": query.openapi_parameters(),
    }


# -- the list, the OpenAPI document and its page ---------------------------------------------------------


@bp.get(API_PREFIX)
def index() -> Response:
    queries = [_summary(query) for query in catalogue().values()]
    if _wants_html():
        return _html(render_template("api_index.html", queries=queries, docs=url_for("api.docs")))
    response = Response(json.dumps(queries, ensure_ascii=False, indent=1), mimetype=PLAIN_JSON)
    response.headers["Vary"] = "Accept"
    return response


def contact() -> dict[str, str]:
    """``info.contact``: the catalogue's contact point (``[dataset]`` settings), else the dataset's page."""
    settings = services().config.dataset
    found = {"name": settings.contact_name or settings.publisher_name or "stm-kg project",
             "url": settings.contact_url or url_for("dataset.landing", _external=True)}
    if settings.contact_email:
        found["email"] = settings.contact_email
    return found


def _document() -> dict:
    return openapi.document(catalogue(), request.host_url.rstrip("/") + request.script_root, contact())


@bp.get(f"{API_PREFIX}/openapi.json")
def openapi_document() -> Response:
    return Response(json.dumps(_document(), ensure_ascii=False, indent=1), mimetype="application/json")


@bp.get(f"{API_PREFIX}/docs")
def docs() -> Response:
    document = _document()
    operations = [
        {"path": API_PREFIX + path, "query": catalogue()[path[1:]], "op": item["get"]}
        for path, item in document["paths"].items()
        if item["get"]["operationId"] not in ("list_queries", "openapi_document")
    ]
    return _html(render_template(
        "api_docs.html",
        info=document["info"],
        operations=operations,
        formats=[f.names[0] for f in API_FORMATS],
        openapi_url=url_for("api.openapi_document"),
        examples={op["query"].name: openapi.example_values(op["query"]) for op in operations},
    ))


# -- the addresses of before, and the ones that name nothing ------------------------------------------------

_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]


_UNSAFE = [m for m in _METHODS if m not in ("GET", "HEAD")]


def _not_allowed() -> Problem:
    return Problem(405, "method-not-allowed", "Method not allowed", f"{request.method} is not offered here; use GET",
                   headers={"Allow": "GET, HEAD, OPTIONS"})


@bp.get("/api")
@bp.get("/api/")
@bp.get("/api/<path:rest>")
def unversioned(rest: str = "") -> Response:
    """``/api/...`` of before: ``308 Permanent Redirect`` to the same under ``/api/v1``, query kept."""
    target = API_PREFIX + (f"/{rest}" if rest else "")
    query = request.query_string.decode("latin-1")
    return redirect(request.script_root + target + (f"?{query}" if query else ""), code=308)


@bp.route("/api", methods=_UNSAFE)
@bp.route("/api/", methods=_UNSAFE)
@bp.route(API_PREFIX, methods=_UNSAFE)
@bp.route("/api/<path:rest>", methods=_UNSAFE)
def unversioned_unsafe(rest: str = "") -> Response:
    """The API only reads: an unsafe method anywhere under ``/api`` is a 405 problem (nothing to redirect)."""
    raise _not_allowed()


@bp.route(f"{API_PREFIX}/", methods=_METHODS)
@bp.route(f"{API_PREFIX}/<path:rest>", methods=_METHODS)
def nothing_here(rest: str = "") -> Response:
    """Every other address and method under ``/api/v1``: a problem, as every error of the API is."""
    if rest == "" and request.method in ("GET", "HEAD"):
        return redirect(url_for("api.index"), code=308)  # no trailing slash (/core/no-trailing-slash)
    if request.method not in ("GET", "HEAD") and (rest == "" or "/" not in rest):
        raise _not_allowed()
    listed = url_for("api.index", _external=True)
    raise Problem(404, "not-found", "Not found", f"{request.path} is not part of this API; the list is at {listed}")


# -- running a named query --------------------------------------------------------------------------------


@bp.errorhandler(Problem)
def _problem(problem: Problem) -> Response:
    """Every error of the API as ``application/problem+json`` (RFC 9457), whatever the client accepts."""
    response = Response(json.dumps(problem.as_dict(), ensure_ascii=False, indent=1), status=problem.status,
                        mimetype=PROBLEM_JSON)
    response.headers.update(problem.headers)
    return response


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    headers = {k: v for k, v in error.get_headers() if k != "Content-Type"}
    return _problem(Problem(error.code or 500, f"http-{error.code}", error.name, error.description or "", headers=headers))


@bp.errorhandler(Exception)
def _unexpected(error: Exception) -> Response:
    log.exception("unexpected error in the API")
    return _problem(Problem(500, "internal-error", "Internal server error", type(error).__name__))


def _bad_parameter(message: str, parameter: str | None) -> Problem:
    return Problem(400, "invalid-parameter", "Invalid parameter", message, parameter=parameter)


@bp.get(f"{API_PREFIX}/<name>")
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
    if PER_PAGE in args and OLD_PER_PAGE in args:
        raise _bad_parameter(f"give '{PER_PAGE}' or '{OLD_PER_PAGE}', not both", PER_PAGE)
    per_page_name = OLD_PER_PAGE if OLD_PER_PAGE in args else PER_PAGE
    try:
        page = Page.read(args.get(PAGE), args.get(per_page_name), per_page_name)
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
