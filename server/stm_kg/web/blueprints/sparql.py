"""``/sparql``: the SPARQL 1.1 Protocol (query and update), and the service description."""

from __future__ import annotations

from flask import Blueprint, Response, request

from ...sparql.formats import GRAPH_FORMATS, best_format, negotiate_header, prefers_html
from ...sparql.problems import Problem, problem_for_store_error
from ...sparql.requests import ProtocolRequest, read_protocol_request
from ...sparql.safety import RemoteAccessRefused
from ...sparql.service_description import ServiceFacts, describe
from ...store.changes import SparqlUpdate
from ...store.interface import StoreError
from ..auth import require_write_access
from ..fast_path import FAST_PATH_ERROR
from ..services import services
from .pages import query_page
from .writes import gated_write

bp = Blueprint("sparql", __name__)


@bp.route("/sparql", methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"])
def endpoint() -> Response:
    config = services().config
    operation = read_protocol_request(request, config.limits.max_request_bytes)
    if operation is None:
        return service_description()
    try:
        config.remote_policy.check(operation.text)
    except RemoteAccessRefused as refused:
        raise Problem(403, "remote-access-refused", "Remote access refused", str(refused), keyword=refused.keyword) from None
    except StoreError as unreadable:  # text the lexer cannot read
        raise problem_for_store_error(unreadable) from None
    if operation.operation == "query":
        return run_query(operation)
    return run_update(operation)


def run_query(operation: ProtocolRequest) -> Response:
    config = services().config
    formats = negotiate_header(request.headers.get("Accept", ""), operation.format)
    try:
        handed_over = request.environ.pop(FAST_PATH_ERROR, None)  # the fast path ran this query and it failed
        if handed_over is not None:
            raise handed_over
        result = config.store.query(operation.text, formats, dataset=operation.dataset, timeout=config.limits.timeout)
    except StoreError as error:
        raise problem_for_store_error(error) from None
    response = Response(result.body, mimetype=result.media_type)
    response.headers["Vary"] = "Accept"
    request.environ["stm_kg.query_kind"] = result.kind
    return response


def run_update(operation: ProtocolRequest) -> Response:
    config = services().config
    require_write_access(config.write_token)
    if operation.dataset.default_graphs or operation.dataset.named_graphs:
        raise Problem(400, "unsupported-update-dataset", "Unsupported update dataset",
                      "using-graph-uri and using-named-graph-uri are not supported; write USING in the update instead")
    try:
        gated_write(SparqlUpdate(operation.text))
    except RuntimeError as error:  # Oxigraph's evaluation errors, e.g. CLEAR of a graph that does not exist
        raise Problem(400, "update-failed", "Update failed",
                      f"the update could not be applied and nothing was changed: {error}") from None
    return Response(status=204)


def service_description() -> Response:
    """The SPARQL 1.1 Service Description, or the query page when a browser asks for HTML."""
    accept = request.accept_mimetypes
    if prefers_html(accept) and not request.args.get("format"):
        return query_page()
    media_type = best_format(GRAPH_FORMATS, accept, request.args.get("format"))
    if media_type is None:
        raise Problem(406, "not-acceptable", "Not acceptable", "the service description is served as RDF only")
    config = services().config
    store = config.store
    facts = ServiceFacts(
        endpoint=request.base_url,
        dataset=config.dataset_iri,
        graph_sizes=store.graph_sizes(),
        default_graph_size=store.default_graph_size(),
        union_default_graph=store.union_default_graph,
        updates_enabled=bool(config.write_token),
        service_allow=tuple(config.remote_policy.service_allow),
    )
    response = Response(describe(facts, media_type), mimetype=media_type)
    response.headers["Vary"] = "Accept"
    return response
