"""Paging over real HTTP: following ``Link`` headers walks the whole answer, every row exactly once."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter

import pytest
import requests

from stm_kg.config import CANONICAL_BASE, QUERIES_DIR
from stm_kg.queries import Catalogue
from stm_kg.web.api.paging import DEFAULT_PER_PAGE, MAX_PER_PAGE

CATALOGUE = Catalogue.load(QUERIES_DIR, base=CANONICAL_BASE)
_LINK = re.compile(r'<([^>]*)>;\s*rel="([a-z]+)"')


def links(response) -> dict[str, str]:
    return {rel: url for url, rel in _LINK.findall(response.headers.get("Link", ""))}


def row_key(row: dict) -> str:
    return json.dumps(row, sort_keys=True)


def walk(url: str, rel: str = "next", **kwargs) -> list[requests.Response]:
    pages = [requests.get(url, **kwargs)]
    while rel in links(pages[-1]):
        assert len(pages) < 500, "the walk does not end"
        pages.append(requests.get(links(pages[-1])[rel], **kwargs))
    return pages


def whole(api, name: str, params: str = "") -> list[dict]:
    response = requests.get(f"{api.url}/api/v1/{name}?perPage={MAX_PER_PAGE}{params}")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("name", [q.name for q in CATALOGUE.local() if q.name != "zoek-labels"])
def test_following_next_gives_every_row_exactly_once(api, name):
    everything = whole(api, name)
    pages = walk(f"{api.url}/api/v1/{name}?perPage=4")
    assert len(pages) == max(1, -(-len(everything) // 4))
    walked = [row for page in pages for row in page.json()]
    assert Counter(map(row_key, walked)) == Counter(map(row_key, everything))
    assert all(int(page.headers["X-Total-Count"]) == len(everything) for page in pages)
    assert all(len(page.json()) == 4 for page in pages[:-1])


def test_the_links_of_a_page(api):
    first = requests.get(f"{api.url}/api/v1/tijdlijn?perPage=10&from=2020-01-01")
    total = int(first.headers["X-Total-Count"])
    assert total > 20
    last_number = -(-total // 10)
    found = links(first)
    assert set(found) == {"first", "next", "last"}  # no prev on the first page
    assert "from=2020-01-01" in found["next"] and "page=2" in found["next"] and "perPage=10" in found["next"]
    middle = requests.get(found["next"])
    assert set(links(middle)) == {"first", "prev", "next", "last"}
    last = requests.get(found["last"])
    assert set(links(last)) == {"first", "prev", "last"} and f"page={last_number}" in found["last"]
    assert len(last.json()) == total - 10 * (last_number - 1)
    backwards = walk(found["last"], "prev")
    assert len(backwards) == last_number
    assert Counter(row_key(r) for p in backwards for r in p.json()) == Counter(map(row_key, whole(api, "tijdlijn", "&from=2020-01-01")))


def test_a_page_past_the_end_is_empty_and_points_back(api):
    response = requests.get(f"{api.url}/api/v1/leden-overleg?page=99&perPage=5")
    assert response.status_code == 200 and response.json() == []
    assert "page=3" in links(response)["prev"] and response.headers["X-Total-Count"] == "13"


def test_the_default_page_size(api):
    response = requests.get(f"{api.url}/api/v1/tijdlijn")
    assert len(response.json()) == min(DEFAULT_PER_PAGE, int(response.headers["X-Total-Count"]))


def test_csv_pages_add_up_to_the_whole_csv(api):
    headers = {"Accept": "text/csv"}
    whole_csv = requests.get(f"{api.url}/api/v1/externe-identificatoren?perPage=1000", headers=headers)
    everything = list(csv.reader(io.StringIO(whole_csv.text)))[1:]
    assert len(everything) > 30, "too few rows for paging to be tested"
    pages = walk(f"{api.url}/api/v1/externe-identificatoren?perPage=10", headers=headers)
    assert len(pages) == -(-len(everything) // 10)
    rows = [row for page in pages for row in list(csv.reader(io.StringIO(page.text)))[1:]]
    assert Counter(map(tuple, rows)) == Counter(map(tuple, everything))


def test_a_query_with_its_own_limit_keeps_it_across_pages(api):
    everything = whole(api, "zoek-labels", "&text=e")
    assert len(everything) == 200  # LIMIT 200 of the query itself
    pages = walk(f"{api.url}/api/v1/zoek-labels?text=e&perPage=60")
    assert [len(p.json()) for p in pages] == [60, 60, 60, 20]
    assert all(p.headers["X-Total-Count"] == "200" for p in pages)
    walked = [row_key(r) for p in pages for r in p.json()]
    assert len(set(walked)) == 200 and set(walked) == set(map(row_key, everything))


def test_pages_keep_the_order_of_the_query(api):
    dates = [row["date"] for page in walk(f"{api.url}/api/v1/tijdlijn?perPage=7") for row in page.json()]
    assert dates == sorted(dates)
