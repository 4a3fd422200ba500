"""The query page at / and the example queries it offers."""

from __future__ import annotations

import requests

from stm_kg.config import QUERIES_DIR
from stm_kg.web.examples import load_examples


def test_examples_take_title_and_description_from_comments(tmp_path):
    (tmp_path / "b-people.rq").write_text("# title: People\n# description: Everyone with a name.\nSELECT * {}\n")
    (tmp_path / "a_no_header.rq").write_text("SELECT * { ?s ?p ?o }\n")
    examples = load_examples(tmp_path)
    assert [(e.name, e.title, e.description) for e in examples] == [
        ("a_no_header", "A no header", ""), ("b-people", "People", "Everyone with a name.")]
    assert examples[1].query.endswith("SELECT * {}\n")
    assert load_examples(tmp_path / "missing") == []


def test_query_page_loads_everything_from_this_server(server):
    response = requests.get(server.url + "/")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    assert "yasgui.min.js" in response.text and "https://w3id.org/stm-kg/def/ont/" in response.text  # the prefixes
    assert response.text.count('class="example"') == len(list(QUERIES_DIR.glob("*.rq")))
    assert requests.get(server.url + "/static/yasgui/yasgui.min.js").status_code == 200


def test_examples_in_the_grlc_form(tmp_path):
    (tmp_path / "q.rq").write_text("#+ title: Wie?\n#+ title@en: Who?\n#+ description: Leden.\nSELECT * {}\n")
    example = load_examples(tmp_path)[0]
    assert (example.title, example.description) == ("Wie?", "Leden.")
