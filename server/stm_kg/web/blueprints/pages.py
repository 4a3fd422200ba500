"""``/``: the query page (YASGUI, served from this server: no page loads anything from elsewhere).

The blueprint also gives every template the filter ``markdown`` (:func:`~stm_kg.web.markdown.render_markdown`),
with which ``/api/docs`` shows the OpenAPI descriptions.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, url_for

from ...namespaces import PREFIXES
from ..examples import load_examples
from ..headers import CONTENT_SECURITY_POLICY
from ..markdown import render_markdown
from ..services import services

bp = Blueprint("pages", __name__)
bp.add_app_template_filter(render_markdown, "markdown")


def query_page() -> Response:
    """The query editor, with the project's prefixes and example queries."""
    config = services().config
    response = Response(
        render_template(
            "query.html",
            endpoint=url_for("sparql.endpoint", _external=True),
            prefixes=PREFIXES,
            examples=[example.__dict__ for example in load_examples(config.queries_dir)],
        ),
        mimetype="text/html",
    )
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


@bp.route("/")
def index() -> Response:
    return query_page()
