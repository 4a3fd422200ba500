"""The Flask application factory: one app per configuration, one blueprint per area.

Later issues add their blueprints (linked-data pages, named queries) in :data:`BLUEPRINTS` or by calling
``app.register_blueprint`` on the app this returns.
"""

from __future__ import annotations

import logging
import uuid

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from ..sparql.problems import Problem
from .access_log import install_access_log
from .blueprints import (
    api,
    dataset,
    definitions,
    graph_store,
    health,
    linked_data,
    pages,
    reconcile,
    sparql,
)
from .blueprints.writes import ReportResponse
from .config import ServerConfig
from .cors import install_cors
from .fast_path import SparqlFastPath
from .headers import install_security_headers
from .linked_data.dumps import own_writer
from .problem_responses import problem_response
from .services import Services, Writer

log = logging.getLogger(__name__)

#: The blueprints every app has, in registration order.
BLUEPRINTS = (sparql.bp, graph_store.bp, pages.bp, health.bp, api.bp, linked_data.bp, definitions.bp, dataset.bp,
              reconcile.bp)


def create_app(config: ServerConfig, writer: Writer | None = None) -> Flask:
    """The web app serving ``config.store``; writes go through ``writer`` (default: a SHACL gate here, which
    publishes a generation of the dumps after each write)."""
    app = Flask(__name__)
    app.extensions["stm_kg"] = Services(config, writer or own_writer(config))
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    install_access_log(app)
    install_cors(app)
    install_security_headers(app)
    _install_error_handlers(app)
    app.wsgi_app = SparqlFastPath(app.wsgi_app, config)  # plain queries skip Flask (issue 8)
    return app


def _install_error_handlers(app: Flask) -> None:
    @app.errorhandler(Problem)
    def _problem(problem: Problem) -> Response:
        return problem_response(problem)

    @app.errorhandler(ReportResponse)
    def _report(refusal: ReportResponse) -> Response:
        return refusal.response

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        headers = dict(error.get_headers())
        headers.pop("Content-Type", None)
        problem = Problem(error.code or 500, "http-" + str(error.code), error.name, error.description or "", headers=headers)
        return problem_response(problem)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        return problem_response(internal_error(error))


def internal_error(error: BaseException) -> Problem:
    """The 500 of a genuine fault: logged with its traceback under an id, which the answer names (and nothing
    else of it: no message of ours or of a library reaches the client)."""
    fault = uuid.uuid4().hex[:12]
    log.error("internal error %s", fault, exc_info=error)
    return Problem(500, "internal-error", "Internal server error",
                   f"the server failed on this request; the server log names it {fault}", id=fault)
