"""Turning a :class:`~stm_kg.sparql.problems.Problem` into a response the client can read."""

from __future__ import annotations

import json

from flask import Response, render_template, request

from ..sparql.formats import explicit_quality
from ..sparql.problems import Problem

_JSON_TYPES = ("application/problem+json", "application/json")


def problem_response(problem: Problem) -> Response:
    """problem+json when asked for JSON, HTML when a browser prefers it, plain text otherwise."""
    wants_json = explicit_quality(request.accept_mimetypes, _JSON_TYPES)
    wants_html = explicit_quality(request.accept_mimetypes, ("text/html",))
    if wants_json and wants_json >= wants_html:
        body, mimetype = json.dumps(problem.as_dict(), ensure_ascii=False, indent=2), "application/problem+json"
    elif wants_html:
        body, mimetype = render_template("problem.html", problem=problem), "text/html"
    else:
        body, mimetype = problem.as_text(), "text/plain"
    response = Response(body, status=problem.status, mimetype=mimetype)
    response.headers.update(problem.headers)
    return response
