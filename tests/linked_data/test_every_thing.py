"""Every thing of the knowledge graph answers: id/ redirects 303 to doc/, which answers as HTML and in each RDF
syntax (by Accept and by extension), and the RDF parses back to a graph holding all of the thing's triples.
(JSON-LD references its context by address: pyld reads it, with the context fetched from the server once.)"""

from __future__ import annotations

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest
import requests
from ld_helpers import BASE, sparql_select
from pyld import jsonld

SYNTAXES = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}

_local = threading.local()


def _session() -> requests.Session:
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


def _own_triples(server, iri: str) -> list[ox.Triple]:
    response = _session().post(server.sparql, data={"query": f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}"},
                               headers={"Accept": "application/n-triples"})
    response.raise_for_status()
    return list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))


_contexts: dict[str, dict] = {}


def _load_context(url: str, options=None) -> dict:
    if url not in _contexts:
        response = _session().get(url)
        response.raise_for_status()
        _contexts[url] = {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                          "document": response.json()}
    return _contexts[url]


def _parse(body: bytes, fmt: ox.RdfFormat) -> list[ox.Triple]:
    if fmt == ox.RdfFormat.JSON_LD:
        body = jsonld.to_rdf(json.loads(body), {"format": "application/n-quads", "documentLoader": _load_context}).encode()
        fmt = ox.RdfFormat.N_QUADS
    return [quad.triple for quad in ox.parse(body, format=fmt)]


def _signature(triples, iri: str) -> tuple[set, Counter]:
    """The triples of ``iri`` without blank-node objects, and how many blank-node objects each property has."""
    subject = ox.NamedNode(iri)
    plain = {(t.predicate, t.object) for t in triples if t.subject == subject and not isinstance(t.object, ox.BlankNode)}
    blank = Counter(t.predicate for t in {t for t in triples if t.subject == subject and isinstance(t.object, ox.BlankNode)})
    return plain, blank


def check_thing(server, iri: str) -> list[str]:
    """Every failure for one thing (an empty list when all is well)."""
    session, problems = _session(), []
    name = iri[len(BASE) + len("id/"):]
    doc = f"{server.url}/doc/{name}"
    response = session.get(f"{server.url}/id/{name}", allow_redirects=False)
    if response.status_code != 303 or response.headers.get("Location") != doc:
        problems.append(f"id: {response.status_code} {response.headers.get('Location')}")
    response = session.get(doc, headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
    if response.status_code != 200 or not response.headers["Content-Type"].startswith("text/html") or "<h1" not in response.text:
        problems.append(f"html: {response.status_code} {response.headers.get('Content-Type')}")
    expected_plain, expected_blank = _signature(_own_triples(server, iri), iri)
    for extension, (media_type, fmt) in SYNTAXES.items():
        for how, url, headers in (("accept", doc, {"Accept": media_type}), ("extension", f"{doc}.{extension}", {})):
            response = session.get(url, headers=headers)
            if response.status_code != 200 or not response.headers["Content-Type"].startswith(media_type):
                problems.append(f"{extension} by {how}: {response.status_code} {response.headers.get('Content-Type')}")
                continue
            try:
                triples = _parse(response.content, fmt)
            except (SyntaxError, ValueError, jsonld.JsonLdError) as error:
                problems.append(f"{extension} by {how}: does not parse: {error}")
                continue
            plain, blank = _signature(triples, iri)
            if not expected_plain <= plain:
                problems.append(f"{extension} by {how}: missing {sorted(map(str, expected_plain - plain))[:3]}")
            if any(blank[p] < n for p, n in expected_blank.items()):
                problems.append(f"{extension} by {how}: blank-node values missing")
    return problems


@pytest.mark.slow
def test_every_subject_under_id_answers_for_people_and_machines(ld_server):
    rows = sparql_select(ld_server, f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}id/")) }}')
    subjects = sorted(row["s"]["value"] for row in rows)
    assert len(subjects) > 250, "the bundled knowledge graph has some 300 things"
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = dict(zip(subjects, pool.map(lambda iri: check_thing(ld_server, iri), subjects)))
    failures = {iri: problems for iri, problems in results.items() if problems}
    assert not failures, f"{len(failures)} of {len(subjects)} things fail, e.g. {list(failures.items())[:3]}"


def test_the_check_fails_for_a_thing_that_does_not_answer(ld_server):
    """The per-thing check can fail: a URI that names nothing gives problems for every representation."""
    problems = check_thing(ld_server, BASE + "id/organisatie/bestaat-niet")
    assert len(problems) == 2 + 2 * len(SYNTAXES)
