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


def test_a_call_never_waits_behind_a_busy_thread_while_threads_can_be_started():
    """Each call claims a free thread or starts one. Two calls that both counted the same free thread used to
    leave one queued behind the other: behind a runaway query, a cheap one waited out the whole time limit
    (seen as a rare 503 on a 2 ms query in tests/robustness/test_writes_under_load.py). Here the free thread is
    held up for a moment right after it takes the first call (as a busy machine may do), and the second call
    is made in that moment."""
    import queue
    import threading
    import time

    from stm_kg.store.interface import QueryTimeout
    from stm_kg.store.threads import EvaluationThreads

    taken = threading.Event()

    class SlowToWake(queue.SimpleQueue):
        def get(self, *args, **kwargs):
            task = super().get(*args, **kwargs)
            taken.set()
            time.sleep(0.2)  # the thread is not scheduled yet: it has the task, nothing else knows
            return task

    pool = EvaluationThreads(64)
    pool._tasks = SlowToWake()
    pool.run(lambda: None, 5, lambda: None)  # one thread (started with the call), free again afterwards
    deadline = time.monotonic() + 10
    while pool._free < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    release = threading.Event()
    blocked = threading.Thread(target=pool.run, args=(lambda: release.wait(10), None, lambda: None))
    blocked.start()  # claims the free thread, which takes it from the queue and is slow to wake
    assert taken.wait(10)
    try:
        pool.run(lambda: None, 2.0, lambda: None)  # must get a thread of its own, not queue behind the busy one
    except QueryTimeout:
        raise AssertionError("a quick call waited behind a busy thread") from None
    finally:
        release.set()
        blocked.join()


def test_long_query_texts_are_not_remembered():
    """The reading of a text is remembered per text, but only for short texts (and the last long one alone): a
    cache of update bodies of up to 10 MB each would hold gigabytes."""
    from stm_kg import syntax

    short = "SELECT * WHERE { ?s ?p ?o } # short"
    longs = ["INSERT DATA { " + f"<http://example.org/s> <http://example.org/p> {i} . " * 2000 + "}" for i in (1, 2)]
    assert len(longs[0]) > syntax.REMEMBERED_LENGTH
    before = syntax.read.cache_info().currsize
    for long in longs:
        assert syntax.keywords(long, ("INSERT",)) == ("INSERT",)
    assert syntax.read.cache_info().currsize == before
    assert syntax.keywords(short, ("SELECT",)) == ("SELECT",)
    assert syntax.read.cache_info().currsize == before + 1


def _nice(thread: int) -> int:
    """The nice value of a thread of this process (Linux: field 19 of /proc/self/task/TID/stat)."""
    from pathlib import Path

    return int(Path(f"/proc/self/task/{thread}/stat").read_text().rsplit(")", 1)[1].split()[16])


def test_an_overrun_call_runs_on_at_the_lowest_priority_and_its_thread_then_ends():
    """A query past its limit cannot be stopped inside Oxigraph; until its process ends it must only use CPU
    time nobody else wants (a runaway starved the owner's gate of CPU: a 0.6 s write took 23 s)."""
    import threading
    import time

    import pytest

    from stm_kg.store.interface import QueryTimeout
    from stm_kg.store.threads import EvaluationThreads

    pool = EvaluationThreads(8)
    running, release = threading.Event(), threading.Event()
    seen: list[int] = []

    def runaway():
        seen.append(threading.get_native_id())
        running.set()
        release.wait(10)

    overruns: list[bool] = []
    with pytest.raises(QueryTimeout):
        pool.run(runaway, 0.2, lambda: overruns.append(True))
    assert running.is_set() and overruns == [True]
    assert _nice(seen[0]) == 19
    assert _nice(threading.get_native_id()) == 0  # the caller's own thread is untouched
    release.set()
    deadline = time.monotonic() + 10
    while pool._threads and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pool._threads == 0, "the thread of an overrun call went back to the pool at the lowest priority"
    assert pool.run(lambda: 42, 5, lambda: None) == 42  # a fresh thread, at the normal priority
