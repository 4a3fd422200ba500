"""Status codes, content negotiation, odd paths, the URI mapping, definitions and the dataset's descriptions."""

from __future__ import annotations

import http.client
import re

import pyoxigraph as ox
import pytest
from ld_helpers import BASE
from stm_kg.web.linked_data.negotiation import HTML, choose, split_extension
from stm_kg.web.linked_data.uris import UriMapper, safe_name
from werkzeug.datastructures import MIMEAccept

COMENSHA = "organisatie/comensha"


def raw_get(server, path: str, accept: str = "text/html") -> tuple[int, dict, bytes]:
    """GET exactly ``path`` as sent (no client normalises dots or escapes)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.putheader("Accept", accept)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


# -- The URI mapping and negotiation, as units -----------------------------------------------------------------


def test_mapping_goes_both_ways_and_is_the_identity_at_the_base():
    ids = UriMapper(BASE, "http://127.0.0.1:8000/")
    assert ids.iri("id/organisatie/comensha") == BASE + "id/organisatie/comensha"
    assert ids.local(BASE + "def/ont/quote") == "http://127.0.0.1:8000/def/ont/quote"
    assert ids.document_of(BASE + "id/organisatie/comensha") == "http://127.0.0.1:8000/doc/organisatie/comensha"
    assert ids.local("http://www.w3.org/ns/org#member") == "http://www.w3.org/ns/org#member"
    same = UriMapper("http://127.0.0.1:8000/", "http://127.0.0.1:8000/")
    assert same.local("http://127.0.0.1:8000/id/x/y") == "http://127.0.0.1:8000/id/x/y"


@pytest.mark.parametrize("name, ok", [
    ("organisatie/comensha", True), ("organisatie/../sparql", False), ("organisatie//x", False), ("a" * 301, False),
    ("organisatie/<script>", False), ("organisatie/co mensha", False), ("organisatie/coördinatie", True),
])
def test_names_that_could_be_ours(name, ok):
    assert safe_name(name) is ok


def test_encoded_slashes_name_nothing():
    assert not safe_name("organisatie/comensha", "/id/organisatie%2Fcomensha")


@pytest.mark.parametrize("accept, wanted", [
    ("", HTML), ("*/*", HTML), ("text/html,application/xhtml+xml,*/*;q=0.8", HTML),
    ("text/turtle", "text/turtle"), ("application/json", "application/ld+json"),
    ("text/html;q=0.1, application/ld+json;q=0.9", "application/ld+json"),
    ("application/rdf+xml, text/turtle;q=0.5", "application/rdf+xml"), ("image/png", None),
])
def test_negotiation_with_q_values(accept, wanted):
    chosen = choose(MIMEAccept([(v.split(";q=")[0].strip(), float(v.split(";q=")[1]) if ";q=" in v else 1)
                                for v in accept.split(",") if v.strip()]))
    assert (chosen if chosen in (HTML, None) else chosen.media_type) == wanted


def test_extensions():
    assert split_extension("organisatie/comensha.ttl")[1].media_type == "text/turtle"
    assert split_extension("document/kst-28638-251") == ("document/kst-28638-251", None)
    assert split_extension("organisatie/comensha.xyz") == ("organisatie/comensha.xyz", None)


# -- Over HTTP --------------------------------------------------------------------------------------------------


def test_unknown_uris_answer_404_as_a_page_and_as_data(ld_server, http):
    page = http.get(f"{ld_server.url}/doc/organisatie/bestaat-niet", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["Content-Type"].startswith("text/html") and "<h1>" in page.text
    assert http.get(f"{ld_server.url}/id/organisatie/bestaat-niet", allow_redirects=False).status_code == 404
    for media_type, fmt in (("text/turtle", ox.RdfFormat.TURTLE), ("application/ld+json", ox.RdfFormat.JSON_LD),
                            ("application/n-triples", ox.RdfFormat.N_TRIPLES), ("application/rdf+xml", ox.RdfFormat.RDF_XML)):
        data = http.get(f"{ld_server.url}/doc/organisatie/bestaat-niet", headers={"Accept": media_type})
        assert data.status_code == 404 and data.headers["Content-Type"].startswith(media_type)
        assert list(ox.parse(data.content, format=fmt)) == []
    assert http.get(f"{ld_server.url}/def/ont/BestaatNiet.ttl").status_code == 404


def test_wrong_accept_is_406_and_names_what_is_offered(ld_server, http):
    response = http.get(f"{ld_server.url}/doc/{COMENSHA}", headers={"Accept": "image/png"})
    assert response.status_code == 406 and "text/turtle" in response.text
    assert http.get(f"{ld_server.url}/def/ont", headers={"Accept": "application/pdf"}).status_code == 406


def test_negotiated_answers_vary_and_point_to_their_own_address(ld_server, http):
    response = http.get(f"{ld_server.url}/doc/{COMENSHA}", headers={"Accept": "text/html;q=0.2, text/turtle"})
    assert response.headers["Content-Type"].startswith("text/turtle")
    assert response.headers["Vary"] == "Accept"
    assert response.headers["Content-Location"] == f"{ld_server.url}/doc/{COMENSHA}.ttl"
    page = http.get(f"{ld_server.url}/doc/{COMENSHA}")
    assert page.headers["Content-Type"].startswith("text/html")
    assert f'<{ld_server.url}/doc/{COMENSHA}.jsonld>; rel="alternate"; type="application/ld+json"' in page.headers["Link"]
    assert http.head(f"{ld_server.url}/doc/{COMENSHA}.nt").status_code == 200


def test_links_point_to_this_server_and_data_keeps_the_real_uris(ld_server, http):
    page = http.get(f"{ld_server.url}/doc/{COMENSHA}").text
    assert f'href="{ld_server.url}/doc/overleg/regiegroep"' in page
    assert "https://w3id.org/stm-kg/doc/" not in page
    turtle = http.get(f"{ld_server.url}/doc/{COMENSHA}.nt").text
    assert f"<{BASE}id/overleg/regiegroep>" in turtle and "127.0.0.1" not in turtle


def test_the_sparql_link_returns_the_description(ld_server, http):
    page = http.get(f"{ld_server.url}/doc/{COMENSHA}").text
    href = re.search(r'<a href="([^"]+)">SPARQL-query', page).group(1).replace("&amp;", "&")
    result = http.get(href if href.startswith("http") else ld_server.url + href, headers={"Accept": "application/n-triples"})
    description = http.get(f"{ld_server.url}/doc/{COMENSHA}.nt")
    parse = lambda body: {t for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES) if not isinstance(t.object, ox.BlankNode)}
    assert result.status_code == 200 and parse(result.content) == parse(description.content)


#: The HTTP engine (granian) hands the app only the decoded path, as WSGI's PATH_INFO is, and no raw URI: so
#: an encoded slash reads as a slash and ``/id/organisatie%2Fcomensha`` answers as ``/id/organisatie/comensha``
#: (under waitress, whose raw URI showed the %2F, it was 404; ``safe_name`` still refuses it when a server
#: passes the raw URI). An encoded ``..`` still names nothing.
ODD_PATHS = [
    ("/id/../sparql", {404, 400}), ("/doc/organisatie/../organisatie/comensha", {404, 400}),
    ("/id/organisatie%2Fcomensha", {404, 303}), ("/doc/organisatie%2fcomensha.ttl", {404, 200}),
    ("/doc/organisatie/" + "a" * 5000, {404, 414}), ("/id/" + "x/" * 2000, {404, 414}),
    ("/doc/organisatie/co%C3%B6rdinatie", {404}), ("/doc/organisatie/%E2%80%AE%F0%9F%98%80", {404}),
    ("/doc/organisatie/%FF%FE", {404, 400}), ("/doc/organisatie/comensha.xyz", {404}), ("/doc/organisatie/comensha.", {404}),
    ("/doc/organisatie/%3Cscript%3E", {404}), ("/doc/organisatie/a%20b", {404}), ("/doc/organisatie/a%22%7D%20UNION", {404}),
    ("/def/ont/%00", {404, 400}), ("/def/..", {404, 400}), ("/id/", {404}), ("/doc/", {404}), ("/graph/nope", {404}),
    ("/doc/organisatie/comensha/", {404}), ("/doc/organisatie/comensha.ttl.ttl", {404}), ("/dataset/downloads/..%2Fbuild-info.json", {404}),
]


@pytest.mark.parametrize("path, statuses", ODD_PATHS)
@pytest.mark.parametrize("accept", ["text/html", "text/turtle", "application/json", "nonsense"])
def test_odd_paths_get_the_right_status_and_never_a_server_error(ld_server, path, statuses, accept):
    status, _, _ = raw_get(ld_server, path, accept)
    assert status < 500
    assert status in statuses | ({406} if accept == "nonsense" else set())


# -- Definitions --------------------------------------------------------------------------------------------------


def test_the_ontology_is_one_document_with_a_diagram(ld_server, http):
    page = http.get(f"{ld_server.url}/def/ont").text
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="group"' in page
    ontology = list(ox.parse(http.get(f"{ld_server.url}/def/ont.ttl").content, format=ox.RdfFormat.TURTLE))
    classes = {t.subject.value for t in ontology if t.object == ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
               and t.subject.value.startswith(BASE + "def/ont/")}
    assert BASE + "def/ont/CollaborationBody" in classes and len(classes) >= 15
    for iri in classes:
        local = iri.rsplit("/", 1)[1]
        assert f'id="{local}"' in page and f'href="{ld_server.url}/def/ont/{local}"' in page


def test_a_term_page_has_definitions_domain_range_and_shapes(ld_server, http):
    page = http.get(f"{ld_server.url}/def/ont/quote").text
    assert "Definitie:" in page and 'lang="en"' in page and "Verbatim text of the source" in page
    assert "Domein" in page and 'href="http://www.w3.org/ns/prov#Derivation"' in page
    motion = http.get(f"{ld_server.url}/def/ont/Motion").text
    assert "Vormen die gelden" in motion and f"{ld_server.url}/def/shapes/Motion" in motion
    assert "Superklassen" in motion and "http://xmlns.com/foaf/0.1/Document" in motion


def test_shapes_and_schemes_answer(ld_server, http):
    shapes = http.get(f"{ld_server.url}/def/shapes").text
    assert f"{ld_server.url}/def/shapes/Motion" in shapes
    scheme = http.get(f"{ld_server.url}/def/scheme/actielijnen").text
    assert f"{ld_server.url}/doc/actielijn/1" in scheme
    assert http.get(f"{ld_server.url}/def/shapes/Motion-creator.ttl").status_code == 200


# -- The dataset's URI (its descriptions and downloads: test_dataset.py) ----------------------------------------


def test_the_dataset_uri_answers(ld_server, http):
    response = http.get(f"{ld_server.url}/id/dataset/stm-kg", allow_redirects=False)
    assert response.status_code == 303 and response.headers["Location"].endswith("/doc/dataset/stm-kg")
    assert "/dataset\"" in http.get(response.headers["Location"]).text
    assert http.get(f"{ld_server.url}/graph/data", allow_redirects=False).status_code == 303


def test_pages_name_their_data_in_the_html_head_too(ld_server, http):
    """Browsers and crawlers read ``<link rel="alternate">`` in the page; clients the ``Link`` header."""
    for path in (f"doc/{COMENSHA}", "def/ont"):
        head = http.get(f"{ld_server.url}/{path}").text.split("</head>")[0]
        for suffix, media_type in ((".ttl", "text/turtle"), (".jsonld", "application/ld+json"), (".rdf", "application/rdf+xml")):
            assert f'<link rel="alternate" type="{media_type}" href="{ld_server.url}/{path}{suffix}">' in head, (path, media_type)
