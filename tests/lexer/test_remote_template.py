"""Graph Store writes to a server like Virtuoso are rewritten as templates (``INSERT { } WHERE { … }``, ``CLEAR``
before ``DROP``): read on tokens, so that data which reads like such a request is left as it is."""

from __future__ import annotations

import pyoxigraph as ox

from stm_kg.store.changes import AddToGraph, DropGraph, ReplaceGraph
from stm_kg.store.remote import _UpdateRecorder

TRICKY = b'<http://e/s> <http://e/p> "DROP GRAPH <http://e/other> ; INSERT DATA { <http://e/x> <http://e/y> 1 }" .\n'


def recorded(change) -> str:
    recorder = _UpdateRecorder(template=True)
    change.apply_to(recorder)
    return " ;\n".join(recorder.requests)


def test_a_replaced_graph_becomes_clear_drop_create_and_an_insert_template():
    text = recorded(ReplaceGraph("http://e/g", TRICKY))
    assert text.startswith("CLEAR SILENT GRAPH <http://e/g> ; DROP SILENT GRAPH <http://e/g>; CREATE SILENT GRAPH <http://e/g>; "
                           "INSERT { GRAPH <http://e/g> {")
    assert text.endswith("} } WHERE { BIND(1 AS ?one) }")
    store = ox.Store()
    store.update(text)  # the same change, and the literal as it was
    (quad,) = store.quads_for_pattern(None, None, None, None)
    assert quad.object == ox.Literal(TRICKY.decode().split('"')[1])


def test_other_writes():
    assert recorded(DropGraph("http://e/g")) == "CLEAR SILENT GRAPH <http://e/g> ; DROP SILENT GRAPH <http://e/g>"
    added = recorded(AddToGraph(None, TRICKY))
    assert added.startswith("INSERT { <http://e/s>") and added.count("WHERE") == 1
