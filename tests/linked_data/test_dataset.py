"""``/dataset``, ``/.well-known/void``, ``/catalog`` and the downloads: every answer describes one published
generation, whose counts and dumps agree; the bundled graph's generation 0 is the dumps ``stm-kg build`` made;
a write publishes the next generation; no request writes a file. (DCAT-AP-NL conformance: tests/standards.)"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from ld_helpers import HERE
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, RDF, VOID

from stm_kg.config import BUILD_DIR
from stm_kg.pipeline.dumps import read_dumps

sys.path.insert(0, str(HERE.parent / "endpoint"))
from endpoint_server import SAMPLE, TOKEN, RunningServer  # noqa: E402

DATASET = URIRef("https://w3id.org/stm-kg/id/dataset/stm-kg")
SD_NAME = URIRef("http://www.w3.org/ns/sparql-service-description#name")
SPDX = "http://spdx.org/rdf/terms#"
FORMATS = {"trig": ox.RdfFormat.TRIG, "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def void(server) -> Graph:
    response = requests.get(f"{server.url}/.well-known/void", timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/turtle")
    return Graph().parse(data=response.text, format="turtle")


def catalogue(server) -> Graph:
    return Graph().parse(data=requests.get(f"{server.url}/catalog", timeout=30).text, format="turtle")


def checksums(catalogue: Graph) -> dict[str, tuple[int, str]]:
    """Download URL -> (byte size, SHA-256) as the catalogue states them."""
    found = {}
    for distribution in catalogue.objects(DATASET, DCAT.distribution):
        url = catalogue.value(distribution, DCAT.downloadURL)
        if url is not None:
            checksum = catalogue.value(distribution, URIRef(SPDX + "checksum"))
            found[str(url)] = (int(catalogue.value(distribution, DCAT.byteSize)),
                               str(catalogue.value(checksum, URIRef(SPDX + "checksumValue"))))
    return found


def agree(server) -> tuple[Graph, dict[str, bytes]]:
    """Check that the VoID counts, the catalogue's checksums and the downloaded dumps tell one story."""
    description, stated = void(server), checksums(catalogue(server))
    assert len(stated) == 4
    bodies = {}
    for url, (size, sha256) in stated.items():
        body = requests.get(url, timeout=30).content
        assert len(body) == size and hashlib.sha256(body).hexdigest() == sha256, url
        bodies[url.rsplit(".", 1)[1]] = body
    triples = int(description.value(DATASET, VOID.triples))
    for name in ("ttl", "nt", "jsonld"):  # the union of all graphs: the default graph the counts are of
        assert sum(1 for _ in ox.parse(bodies[name], format=FORMATS[name])) == triples, name
    quads = list(ox.parse(bodies["trig"], format=ox.RdfFormat.TRIG))
    for subset in description.objects(DATASET, VOID.subset):
        graph = ox.NamedNode(str(description.value(subset, SD_NAME)))
        assert sum(1 for q in quads if q.graph_name == graph) == int(description.value(subset, VOID.triples)), graph
    return description, bodies


# -- the bundled graph, read-only ------------------------------------------------------------------------------


def test_the_counts_and_the_dumps_of_the_bundled_graph_agree(ld_server):
    agree(ld_server)


def test_generation_0_of_the_bundled_graph_is_what_the_build_wrote(ld_server):
    built = {dump.format.name: dump.sha256 for dump in read_dumps(BUILD_DIR / "dumps")}
    stated = {url.rsplit("/", 1)[1]: sha256 for url, (_, sha256) in checksums(catalogue(ld_server)).items()}
    assert stated == built


def test_the_landing_page_lists_the_downloads_with_sizes_and_checksums(ld_server, http):
    page = http.get(f"{ld_server.url}/dataset").text
    assert "CC0" in page and re.search(r"generatie \d+, gepubliceerd", page)
    found = re.findall(r'<a href="([^"]*/dataset/downloads/([^"]+))"[^>]*>.*?</a></td>\s*<td>[^<]*</td>\s*<td>([\d.]+) bytes</td>\s*'
                       r'<td><code class="checksum">([0-9a-f]{64})</code>', page)
    stated = checksums(catalogue(ld_server))
    assert {f"{ld_server.url}/dataset/downloads/{name}": (int(size.replace(".", "")), checksum)
            for _, name, size, checksum in found} == stated


def test_void_has_the_fields_stm_kg_promises(ld_server):
    from pyshacl import validate

    description = void(ld_server)
    conforms, _, text = validate(description, shacl_graph=Graph().parse(HERE / "shapes" / "void-required.ttl"),
                                 inference="none")
    assert conforms, text
    assert URIRef(f"{ld_server.url}/dataset/downloads/stm-kg.nt") in set(description.objects(DATASET, VOID.dataDump))
    assert (DATASET, VOID.exampleResource, URIRef("https://w3id.org/stm-kg/id/organisatie/comensha")) in description


def test_the_catalogue_reads_the_same_in_json_ld(ld_server):
    jsonld = requests.get(f"{ld_server.url}/catalog.jsonld", timeout=30)
    assert jsonld.status_code == 200
    assert len(list(ox.parse(jsonld.content, format=ox.RdfFormat.JSON_LD))) == len(catalogue(ld_server))


def test_no_request_writes_a_file(ld_server):
    """Answering ``/dataset`` and the downloads only reads (the issue: dumps were written into build/ then)."""

    def files() -> dict[str, tuple[int, int]]:
        return {str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in BUILD_DIR.rglob("*") if p.is_file()}

    before = files()
    for path in ("dataset", ".well-known/void", "catalog", *(f"dataset/downloads/stm-kg.{name}" for name in FORMATS)):
        assert requests.get(f"{ld_server.url}/{path}", timeout=30).status_code == 200
    assert files() == before


# -- other data, and writes --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    started = []

    def start(*args: str) -> RunningServer:
        folder = tmp_path_factory.mktemp("dataset-server")
        started.append(RunningServer(list(args), folder / "server.log").start(timeout=120))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def test_the_dumps_are_of_the_data_served_not_of_the_build(servers):
    server = servers("--no-bundled", "--data", str(SAMPLE))
    description, bodies = agree(server)
    sample = {q.triple for q in ox.parse(path=str(SAMPLE), format=ox.RdfFormat.TRIG)}
    assert {q.triple for q in ox.parse(bodies["nt"], format=ox.RdfFormat.N_TRIPLES)} == sample
    assert int(description.value(DATASET, VOID.triples)) == len(sample)


def test_a_write_publishes_a_new_generation_whose_counts_and_dumps_agree(servers):
    server = servers("--write-token", TOKEN, "--workers", "2")
    before, _ = agree(server)
    graph = "http://example.org/graph/dataset-test"
    body = '<http://example.org/a> <http://example.org/says> "één"@nl , "twee"@nl .\n'
    response = requests.post(server.store, params={"graph": graph}, data=body.encode(),
                             headers={"Content-Type": "text/turtle", **AUTH}, timeout=60)
    assert response.status_code in (201, 204), response.text
    after, bodies = agree(server)  # the write is answered after its generation is published
    assert int(after.value(DATASET, VOID.triples)) == int(before.value(DATASET, VOID.triples)) + 2
    subsets = {str(after.value(s, SD_NAME)): int(after.value(s, VOID.triples)) for s in after.objects(DATASET, VOID.subset)}
    assert subsets[graph] == 2
    assert after.value(DATASET, URIRef("http://purl.org/dc/terms/modified")) > before.value(DATASET, URIRef("http://purl.org/dc/terms/modified"))
    assert '"twee"@nl' in bodies["nt"].decode()
    page = requests.get(f"{server.url}/dataset", headers={"Accept": "text/html"}, timeout=30).text
    assert "generatie 1, gepubliceerd" in page
