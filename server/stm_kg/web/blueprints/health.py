"""``/health``: whether the service can answer a query now (for load balancers and start-up scripts)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from ...sparql.problems import Problem, problem_for_store_error
from ...store.interface import FormatChoice, StoreError
from ..services import services

bp = Blueprint("health", __name__)


@bp.route("/health")
def health():
    config = services().config
    try:
        config.store.query("ASK {}", FormatChoice("application/sparql-results+json", None), timeout=10)
    except StoreError as error:
        problem = problem_for_store_error(error)
        raise Problem(503, "unhealthy", "Unhealthy", problem.detail) from None
    return jsonify(status="ok", triples=config.store.default_graph_size())
