"""The read-only view of a serving process (stm_kg.store.snapshot): queries under a time limit, quick ones
without a hand-off, and catching up with the owner's writes in place."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from stm_kg.store.changes import SparqlUpdate
from stm_kg.store.interface import FormatChoice, QueryTimeout, StoreError
from stm_kg.store.snapshot import SnapshotStore

JSON = FormatChoice("application/sparql-results+json", "text/turtle")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def small_store(triples: int = 60) -> ox.Store:
    store = ox.Store()
    ex = "http://example.org/"
    store.extend(ox.Quad(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(f"{ex}p"), ox.Literal(str(i)), ox.DefaultGraph())
                 for i in range(triples))
    return store


class CountingThreads:
    """Wraps a view's evaluation threads, counting the calls handed to them."""

    def __init__(self, view: SnapshotStore):
        self.inner = view._threads
        self.calls = 0
        view._threads = self

    def run(self, call, timeout, on_overrun):
        self.calls += 1
        return self.inner.run(call, timeout, on_overrun)


def test_a_quick_query_runs_without_the_hand_off_the_second_time():
    view = SnapshotStore(small_store())
    threads = CountingThreads(view)
    query = "SELECT ?o WHERE { <http://example.org/s1> ?p ?o }"
    first = view.query(query, JSON, timeout=10)
    second = view.query(query, JSON, timeout=10)
    assert first == second and b'"1"' in first.body
    assert threads.calls == 1  # the second ran in the caller's thread
    view.query(query.replace("s1", "s2"), JSON, timeout=10)
    assert threads.calls == 2  # another query text takes the hand-off first


def test_a_query_that_was_not_quick_always_takes_the_hand_off():
    view = SnapshotStore(small_store(25))
    threads = CountingThreads(view)
    for _ in range(2):
        view.query(SLOW, JSON, timeout=30)  # 25^4 rows counted: far over the 20 ms that count as quick
    assert threads.calls == 2


def test_over_the_limit_the_caller_gets_a_timeout_at_once_and_the_overrun_is_reported():
    overruns = []
    view = SnapshotStore(small_store(), on_overrun=lambda: overruns.append(1))
    with pytest.raises(QueryTimeout):
        view.query(SLOW, JSON, timeout=0.3)
    assert overruns == [1]
    # and the view still answers (the runaway goes on in its thread until the process ends)
    assert b"true" in view.query("ASK { ?s ?p ?o }", JSON, timeout=10).body


def test_catching_up_with_a_write_applies_it_and_forgets_what_was_quick():
    view = SnapshotStore(small_store())
    threads = CountingThreads(view)
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert b'"60"' in view.query(query, JSON, timeout=10).body
    view.apply_here(SparqlUpdate('INSERT DATA { <http://example.org/new> <http://example.org/p> "x" }'))
    assert b'"61"' in view.query(query, JSON, timeout=10).body
    assert threads.calls == 2  # the data changed: the query took the hand-off again
    newer = small_store(5)
    view.switch_to(newer)
    assert b'"5"' in view.query(query, JSON, timeout=10).body


def test_writes_belong_to_the_owner():
    view = SnapshotStore(small_store())
    update = SparqlUpdate("CLEAR ALL")
    for attempt in (lambda: view.apply(update), lambda: view.preview(update), view.copy):
        with pytest.raises(StoreError):
            attempt()
