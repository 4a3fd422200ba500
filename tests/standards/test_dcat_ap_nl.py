"""``/catalog`` conforms to DCAT-AP-NL 3.0 (every split file of the vendored shapes, the class ranges of the code
lists included) together with the DCAT-AP 3.0.1 shapes they build on, on a server with the bundled defaults and
on one whose ``[dataset]`` settings are confirmed; it carries what data.overheid.nl's harvester needs.

Which shape files, and why the DCAT-AP 3.0.0 copy in the DCAT-AP-NL folder is left out: ``README.md`` here.
"""

from __future__ import annotations

import fnmatch
import html
import sys

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

from standards_helpers import CRIMINALITEIT, HERE, TOOI_JENV, shacl_results, shapes_graph

VCARD = "http://www.w3.org/2006/vcard/ns#"
ADMS_STATUS = URIRef("http://www.w3.org/ns/adms#status")
NL = HERE / "dcat-ap-nl-3.0"
SHAPE_FILES = [
    NL / "dcat-ap-nl-SHACL.ttl",
    NL / "dcat-ap-nl-SHACL-klassebereik.ttl",
    NL / "dcat-ap-nl-SHACL-klassebereik-codelijsten.ttl",
    NL / "dcat-ap-nl-SHACL-aanbevolen.ttl",
    NL / "dcat-ap-nl-OPT.ttl",
    NL / "dcat-ap-OPT.ttl",
    NL / "optionaliteit.ttl",
    HERE / "dcat-ap-3.0.1" / "shapes.ttl",
    HERE / "dcat-ap-3.0.1" / "range.ttl",
    HERE / "dcat-ap-3.0.1" / "shapes_recommended.ttl",
]
#: The recommended fields the catalogue leaves out, each (focus, property) with the reason; DCAT-AP and
#: DCAT-AP-NL report them as warnings. "{root}" is the server's address, "{publisher}" the publisher.
EXPLAINED_WARNINGS = {
    ("{publisher}", "dcterms:type"): "the kind of publisher comes with the publisher's confirmation",
    ("{root}catalog", "dcterms:issued"): "first issued when data.overheid.nl first harvests it: not known yet",
    ("{root}catalog#record", "dcterms:issued"): "likewise",
    ("{root}catalog#record", "adms:status"): "the record's change type is for harvesters that keep history",
    ("{root}dataset#*", "dcatap:availability"): "how long the dumps stay available is the programme's decision",
    ("{root}dataset#stm-kg.*", "dcat:accessService"): "a dump is a file, served by no data service",
    ("{root}dataset#sparql", "dcat:downloadURL"): "the SPARQL distribution is an endpoint, not a file",
    ("{root}dataset#sparql", "dcterms:format"): "likewise: no file format",
    ("https://w3id.org/stm-kg/id/dataset/stm-kg", "dcterms:temporal"): "the sources name no period the data cover",
    ("https://creativecommons.org/publicdomain/zero/1.0/", "dcterms:type"):
        "no licence-type vocabulary IRI was found in a source",
    ("http://publications.europa.eu/resource/authority/country/NLD", "dcat:bbox"):
        "the geometry of the Netherlands belongs to the EU country table, not to this catalogue",
    ("http://publications.europa.eu/resource/authority/country/NLD", "dcat:centroid"): "likewise",
}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph(*SHAPE_FILES)


def catalogue(server) -> Graph:
    response = requests.get(f"{server.url}/catalog", headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/turtle")
    return Graph().parse(data=response.text, format="turtle")


def unexplained(results, root: str, publisher: str) -> list:
    patterns = [(focus.format(root=root, publisher=publisher), path) for focus, path in EXPLAINED_WARNINGS]
    return [r for r in results if r.severity != "Violation"
            and not any(fnmatch.fnmatchcase(r.focus, focus) and r.path == path for focus, path in patterns)]


@pytest.mark.parametrize("which", ["bundled defaults", "confirmed settings"])
def test_the_catalogue_conforms_to_dcat_ap_nl_30_and_dcat_ap_301(which, bundled_server, confirmed_server, shapes):
    server = bundled_server if which == "bundled defaults" else confirmed_server
    graph = catalogue(server)
    results = shacl_results(graph, shapes)
    violations = [r for r in results if r.severity == "Violation"]
    assert not violations, "\n".join(f"{r.focus} {r.path}: {r.message}" for r in violations)
    publisher = TOOI_JENV if server is confirmed_server else f"{server.url}/catalog#publisher"
    left = unexplained(results, f"{server.url}/", publisher)
    assert not left, "warnings nobody explained:\n" + "\n".join(f"{r.focus} {r.path}: {r.message}" for r in left)


def test_the_shapes_can_fail(bundled_server, shapes):
    """The same shapes on the same catalogue with a few things taken out: each is caught, as a Violation."""
    graph = catalogue(bundled_server)
    dataset = URIRef("https://w3id.org/stm-kg/id/dataset/stm-kg")
    sparql = URIRef(f"{bundled_server.url}/sparql")
    graph.remove((dataset, DCAT.contactPoint, None))
    graph.remove((sparql, DCAT.endpointDescription, None))
    graph.remove((URIRef("http://standaarden.overheid.nl/owms/terms/Criminaliteit"), RDF.type, SKOS.Concept))
    found = {(r.focus, r.path) for r in shacl_results(graph, shapes) if r.severity == "Violation"}
    assert (str(dataset), "dcat:contactPoint") in found
    assert (str(sparql), "dcat:endpointDescription") in found
    assert any(path == "dcat:theme" for _, path in found)  # a theme that is no skos:Concept (class range)


def test_the_endpoint_and_the_api_are_data_services_with_their_descriptions(bundled_server):
    graph = catalogue(bundled_server)
    root = bundled_server.url
    services = set(graph.subjects(RDF.type, DCAT.DataService))
    assert services == {URIRef(f"{root}/sparql"), URIRef(f"{root}/api/v1")}
    assert graph.value(URIRef(f"{root}/sparql"), DCAT.endpointDescription) == URIRef(f"{root}/sparql")
    assert graph.value(URIRef(f"{root}/api/v1"), DCAT.endpointDescription) == URIRef(f"{root}/api/v1/openapi.json")
    for service in services:  # each description answers
        described = requests.get(str(graph.value(service, DCAT.endpointDescription)), headers={"Accept": "text/turtle, application/json"}, timeout=30)
        assert described.status_code == 200, service


def test_what_data_overheid_nl_needs_is_there_once_confirmed(confirmed_server):
    graph = catalogue(confirmed_server)
    dataset = URIRef("https://w3id.org/stm-kg/id/dataset/stm-kg")
    contact = graph.value(dataset, DCAT.contactPoint)
    assert graph.value(contact, URIRef(VCARD + "hasEmail")) == URIRef("mailto:stm-kg@example.org")
    assert graph.value(dataset, DCTERMS.publisher) == URIRef(TOOI_JENV)
    assert graph.value(URIRef(TOOI_JENV), FOAF.name) == Literal("Ministerie van Justitie en Veiligheid")
    assert set(graph.objects(dataset, DCAT.theme)) == {URIRef(CRIMINALITEIT)}
    assert graph.value(dataset, ADMS_STATUS) is not None
    for distribution in graph.objects(dataset, DCAT.distribution):
        assert graph.value(distribution, DCTERMS.license) == URIRef("https://creativecommons.org/publicdomain/zero/1.0/")


def test_the_landing_page_says_what_awaits_confirmation(bundled_server, confirmed_server):
    default = html.unescape(requests.get(f"{bundled_server.url}/dataset", headers={"Accept": "text/html"}, timeout=30).text)
    assert "Wacht op bevestiging door het programma" in default and "uitgever, contactpunt, thema's" in default
    confirmed = requests.get(f"{confirmed_server.url}/dataset", headers={"Accept": "text/html"}, timeout=30).text
    assert "Wacht op bevestiging" not in confirmed and "stm-kg@example.org" in confirmed


@pytest.mark.parametrize(("table", "words"), [
    ('publisher = "https://example.org/org"', "publisher_name"),
    ('contact_email = "not an address"', "e-mail address"),
    ('themes = ["http://example.org/theme"]', "themes must be"),
    ('colour = "blue"', "no setting colour"),
])
def test_a_bad_dataset_setting_stops_the_server_with_a_clear_message(tmp_path, table, words):
    import subprocess

    config = tmp_path / "bad.toml"
    config.write_text(f"[dataset]\n{table}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "stm_kg.cli", "serve", "--port", "1", "--config", str(config)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr, done.stderr
