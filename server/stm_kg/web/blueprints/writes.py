"""Applying a write through the SHACL gate, with refusals answered as HTTP problems."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Response, request

from ...sparql.formats import GRAPH_FORMATS, explicit_quality
from ...sparql.problems import Problem, problem_for_store_error
from ...store.changes import Change
from ...store.gate import WriteRefused
from ...store.interface import StoreError
from ..services import services


class ReportResponse(Exception):
    """A refusal answered with the validation report itself, in the RDF format the client asked for."""

    def __init__(self, response: Response):
        super().__init__("write refused")
        self.response = response


def _report_in_rdf(refused: WriteRefused) -> Response | None:
    accept = request.accept_mimetypes
    offered = [fmt.media_type for fmt in GRAPH_FORMATS]
    if not explicit_quality(accept, offered):
        return None
    media_type = accept.best_match(offered)
    nt = refused.outcome.report_graph.serialize(format="nt", encoding="utf-8")
    body = ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.from_media_type(media_type))
    return Response(body, status=422, mimetype=media_type)


def gated_write(change: Change) -> None:
    """Apply ``change`` through the SHACL gate; a refusal becomes 422 with the validation report.

    The report comes in the RDF format asked for by ``Accept`` (Turtle, JSON-LD, ...), otherwise inside
    the problem details (``report`` as text, ``report_turtle`` as Turtle).
    """
    try:
        services().writer.write(change)
    except WriteRefused as refused:
        in_rdf = _report_in_rdf(refused)
        if in_rdf is not None:
            raise ReportResponse(in_rdf) from None
        raise Problem(
            422, "shapes-violation", "Data would violate the shapes",
            f"the write was refused and nothing was changed: it would add {len(refused.violations)} violation(s) "
            "of the SHACL shapes",
            violations=refused.violations,
            report=refused.outcome.text,
            report_turtle=refused.outcome.report_graph.serialize(format="turtle"),
        ) from None
    except StoreError as error:
        raise problem_for_store_error(error) from None
