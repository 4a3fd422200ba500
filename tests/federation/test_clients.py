"""Others call our endpoint: Comunica (a federated engine over both endpoints), rdflib (SERVICE to our
endpoint) and Apache Jena ARQ (SERVICE, when a working ARQ is installed) give the same rows as the join run
by our own endpoint, and as the same query run locally."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from rdflib import Graph

from test_service import EXPECTED_JOIN, JSON, PREFIXES, join_query, rows

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from npm_packages import installed  # noqa: E402

COMUNICA_DIR = Path(__file__).resolve().parent / "comunica"
SOURCE_JOIN = PREFIXES + """SELECT ?ministry ?abbr ?rank WHERE {
  ?ministry owl:sameAs ?tooi .
  ?tooi tooiont:afkorting ?abbr ; test:rank ?rank .
} ORDER BY ?ministry"""


def comunica() -> Path:
    return installed(COMUNICA_DIR, COMUNICA_DIR / "node_modules" / ".bin" / "comunica-sparql", "Comunica (@comunica/query-sparql)")


def comunica_rows(*sources: str, query: str) -> list[tuple]:
    result = subprocess.run([str(comunica()), *(f"sparql@{s}" for s in sources), "-t", "application/sparql-results+json", query],
                            capture_output=True, text=True, timeout=120, env={**os.environ, "NODE_NO_WARNINGS": "1"})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    names = data["head"]["vars"]
    return sorted(tuple(b[n]["value"] if n in b else None for n in names) for b in data["results"]["bindings"])


@pytest.mark.slow
def test_comunica_joins_both_endpoints_with_the_same_rows(federating_server, second_server):
    ours = rows(requests.post(federating_server.sparql, data={"query": join_query(second_server.query)}, headers=JSON, timeout=30))
    assert ours == EXPECTED_JOIN
    assert comunica_rows(federating_server.sparql, second_server.query, query=SOURCE_JOIN) == sorted(EXPECTED_JOIN)


@pytest.mark.slow
def test_comunica_on_our_endpoint_alone_answers_as_locally(federating_server, dataset):
    query = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?unit ?label ?parent WHERE { ?unit org:unitOf ?parent ; skos:prefLabel ?label }"""
    local = sorted(tuple(str(v) for v in row) for row in dataset.query(query))
    assert local and comunica_rows(federating_server.sparql, query=query) == local


def test_rdflib_service_to_our_endpoint(federating_server):
    graph = Graph().parse(Path(__file__).parent / "data" / "tooi-sample.ttl")
    query = PREFIXES + f"""SELECT ?ministry ?abbr ?rank WHERE {{
  ?tooi tooiont:afkorting ?abbr ; test:rank ?rank .
  SERVICE <{federating_server.sparql}> {{ ?ministry owl:sameAs ?tooi }}
}} ORDER BY ?ministry"""
    found = [tuple(str(v) for v in row) for row in graph.query(query)]
    assert found == EXPECTED_JOIN


JENA_JARS = "/usr/share/java"


def _jena_classpath() -> str | None:
    if not shutil.which("java") or not Path(JENA_JARS, "jena-arq.jar").exists():
        return None
    try:
        depends = subprocess.run(["apt-cache", "depends", "libapache-jena-java"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return None
    packages = ["libapache-jena-java"] + [line.split()[-1] for line in depends.splitlines() if "Depends:" in line]
    jars = set()
    for package in packages:
        listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, timeout=30).stdout
        jars |= {p for p in listing.splitlines() if p.startswith("/usr/share/java/") and p.endswith(".jar")}
    clash = ("log4j-over-slf4j", "slf4j-log4j12", "slf4j-jdk14", "slf4j-jcl", "slf4j-reload4j", "jcl-over-slf4j", "jul-to-slf4j", "slf4j-nop")
    return ":".join(sorted(j for j in jars if not any(c in j for c in clash)))


@pytest.mark.slow
def test_jena_arq_service_to_our_endpoint(federating_server, tmp_path):
    classpath = _jena_classpath()
    if classpath is None:
        pytest.skip("Apache Jena ARQ is not installed (Debian: libapache-jena-java and default-jre-headless)")
    query = tmp_path / "join.rq"
    query.write_text(PREFIXES + f"""SELECT ?ministry ?abbr ?rank WHERE {{
  ?tooi tooiont:afkorting ?abbr ; test:rank ?rank .
  SERVICE <{federating_server.sparql}> {{ ?ministry owl:sameAs ?tooi }}
}} ORDER BY ?ministry""")
    result = subprocess.run(["java", "-cp", classpath, "arq.sparql", "--data", str(Path(__file__).parent / "data" / "tooi-sample.ttl"),
                             "--query", str(query), "--results", "json"], capture_output=True, text=True, timeout=120)
    if "ExceptionInInitializerError" in result.stderr:
        pytest.skip("Debian's libapache-jena-java 4.5.0 cannot start ARQ: ExceptionInInitializerError in its XSD datatypes "
                    "(relocated xerces: 'internal error'); Maven Central is not reachable for an upstream Jena")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    found = [tuple(b[n]["value"] for n in data["head"]["vars"]) for b in data["results"]["bindings"]]
    assert found == EXPECTED_JOIN
