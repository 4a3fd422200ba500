"""A resource with many incoming links answers a page at a time: a body with 20,000 generated members,
loaded beside the bundled graph with ``stm-kg serve --data FILE``.

The first page shows the first links and links to the next pages, as RFC 8288 ``Link`` headers and as HTML
links; following ``next`` from the first page visits every member exactly once, in HTML (headless Chromium)
and as data; a page past the last is 404, a page number that is no number is 400.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
import requests
from endpoint_server import RunningServer
from headless_chromium import start_chromium
from ld_helpers import BASE

pytestmark = pytest.mark.slow

MEMBERS = 20_000
PER_PAGE = 500  # stm_kg.web.linked_data.describe.INCOMING_PAGE_SIZE
BODY = BASE + "id/overleg/groot-overleg"
MEMBER = BASE + "id/persoon/lid-"
ORG_MEMBER_OF = "http://www.w3.org/ns/org#memberOf"


@pytest.fixture(scope="module")
def big_body_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big-body")
    data = folder / "members.ttl"
    with data.open("w", encoding="utf-8") as out:
        out.write("@prefix org: <http://www.w3.org/ns/org#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                  "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n\n"
                  f'<{BODY}> a org:Organization ; skos:prefLabel "Groot overleg"@nl .\n')
        for n in range(1, MEMBERS + 1):
            out.write(f'<{MEMBER}{n:05d}> a foaf:Person ; skos:prefLabel "Lid {n:05d}"@nl ; org:memberOf <{BODY}> .\n')
    server = RunningServer(["--data", str(data)], folder / "server.log").start(timeout=180)
    yield server
    server.stop()


def links(response: requests.Response) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="([^"]+)"', response.headers.get("Link", ""))}


def members_in(turtle: bytes) -> set[str]:
    return {t.subject.value for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE)
            if t.predicate.value == ORG_MEMBER_OF and t.object.value == BODY}


def test_the_first_page_holds_the_first_links_and_links_to_the_next(big_body_server):
    page = requests.get(f"{big_body_server.url}/doc/overleg/groot-overleg", timeout=60)
    assert page.status_code == 200
    document = f"{big_body_server.url}/doc/overleg/groot-overleg"
    assert links(page)["next"] == f"{document}?page=2"
    assert links(page)["last"] == f"{document}?page={MEMBERS // PER_PAGE}"
    shown = set(re.findall(r'href="[^"]*/doc/persoon/(lid-\d{5})"', page.text))
    assert len(shown) == PER_PAGE
    assert f'rel="next" href="{document}?page=2"' in page.text
    assert len(page.content) < 1_000_000  # was 1.3 MB as one page of all 20,000


def test_following_next_as_data_visits_every_member_once(big_body_server):
    seen: list[str] = []
    url = f"{big_body_server.url}/doc/overleg/groot-overleg.ttl"
    pages = 0
    while url:
        response = requests.get(url, timeout=60)
        assert response.status_code == 200, response.text[:500]
        seen.extend(members_in(response.content))
        url = links(response).get("next")
        pages += 1
        assert pages <= MEMBERS // PER_PAGE
    assert len(seen) == len(set(seen)) == MEMBERS


def test_a_page_past_the_last_is_404_and_a_bad_number_400(big_body_server):
    document = f"{big_body_server.url}/doc/overleg/groot-overleg"
    assert requests.get(f"{document}?page={MEMBERS // PER_PAGE + 1}", timeout=60).status_code == 404
    for bad in ("0", "-1", "twee", "1e3", "99999999999"):
        response = requests.get(f"{document}.ttl", params={"page": bad}, timeout=60)
        assert response.status_code == 400, bad
        assert "page" in response.text
    small = requests.get(f"{big_body_server.url}/doc/organisatie/comensha", timeout=60)
    assert "next" not in links(small)  # a resource with few links is one page


#: The member names linked from the incoming-links section of the page shown (one script call, not 500).
SHOWN_MEMBERS = """return [...document.querySelectorAll("section[aria-labelledby=h-incoming] dl a")]
  .map(a => a.textContent).filter(t => t.startsWith("Lid "));"""


@pytest.mark.browser
def test_the_pages_of_incoming_links_in_a_browser(big_body_server):
    from selenium.webdriver.common.by import By

    browser = start_chromium("--window-size=1200,900")
    try:
        browser.get(f"{big_body_server.url}/doc/overleg/groot-overleg")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Groot overleg"
        incoming = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=h-incoming]")
        first = set(browser.execute_script(SHOWN_MEMBERS))
        assert len(first) == PER_PAGE and "Lid 00001" in first
        assert "Verwijzingen 1–500 van 20.000" in incoming.text
        incoming.find_element(By.CSS_SELECTOR, "nav.pages a[rel=next]").click()
        assert browser.current_url.endswith("/doc/overleg/groot-overleg?page=2")
        incoming = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=h-incoming]")
        second = set(browser.execute_script(SHOWN_MEMBERS))
        assert len(second) == PER_PAGE and not first & second
        assert "Verwijzingen 501–1.000 van 20.000" in incoming.text
        incoming.find_element(By.CSS_SELECTOR, "nav.pages a[rel=last]").click()
        assert browser.current_url.endswith(f"?page={MEMBERS // PER_PAGE}")
        assert browser.find_elements(By.CSS_SELECTOR, "nav.pages a[rel=prev]")
        assert not browser.find_elements(By.CSS_SELECTOR, "nav.pages a[rel=next]")
    finally:
        browser.quit()
