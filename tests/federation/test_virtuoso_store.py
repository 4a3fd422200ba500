"""stm-kg in front of Virtuoso (Debian's virtuoso-opensource, started by the test on 127.0.0.1):
publish, query, dereference, validate and write give the same answers as the embedded store."""

from __future__ import annotations

import pytest

from federation_servers import VirtuosoServer, virtuoso_missing
from remote_cases import TOKEN, publish, same_answers, same_graphs, same_pages, writes_are_gated_and_seen_by_all

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    reason = virtuoso_missing()
    if reason:
        pytest.skip(reason)
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def stm_on_virtuoso(virtuoso, compiled_trig, stm_factory):
    output = publish(virtuoso.spec, compiled_trig)
    assert "published 8 of 8 graphs" in output
    return [stm_factory("--store", virtuoso.spec, "--workers", "1", "--write-token", TOKEN) for _ in range(2)]


@pytest.fixture(scope="module")
def embedded(stm_factory, compiled_trig):
    return stm_factory("--no-bundled", "--data", str(compiled_trig), "--workers", "1", "--write-token", TOKEN)


def test_queries_answer_as_in_the_embedded_mode(embedded, stm_on_virtuoso):
    same_answers(embedded, stm_on_virtuoso[0], ordered=False)


def test_graphs_as_in_the_embedded_mode(embedded, stm_on_virtuoso):
    same_graphs(embedded, stm_on_virtuoso[0])


def test_pages_as_in_the_embedded_mode(embedded, stm_on_virtuoso):
    same_pages(embedded, stm_on_virtuoso[0])


def test_writes_are_gated_and_seen_by_all(stm_on_virtuoso):
    writes_are_gated_and_seen_by_all(stm_on_virtuoso[0], stm_on_virtuoso, "http://example.org/graph/virtuoso-write")
