"""The package as a user installs it: a wheel built from the repository, installed without extras in a fresh
virtual environment, run from a folder that is not the checkout. Every subcommand works on the bundled graph.

The wheel is built from a copy of the repository's files (tracked and new, not ignored), so that nothing
left in the working tree (``build/``, ``.venv/``) can stand in for what the wheel should carry; the fresh
environment installs the wheel's runtime dependencies with pip (pinned by ``constraints.txt``, from pip's
cache when it has them). The compiled dataset goes to the user's cache folder (``XDG_CACHE_HOME``, a
temporary folder here), as it does for a user.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "endpoint"))
sys.path.insert(0, str(ROOT / "tests" / "federation"))

from endpoint_server import ServerProcess, free_port  # noqa: E402
from federation_servers import TOOI_SAMPLE, OxigraphServer, oxigraph_binary  # noqa: E402

pytestmark = pytest.mark.slow

BASE = "https://w3id.org/stm-kg/"


def repository_files() -> list[str]:
    """The repository's files as a fresh clone (plus new, not yet committed ones) has them."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, check=True, capture_output=True).stdout
    return [name for name in listed.decode().split("\0") if name and (ROOT / name).is_file()]


@dataclass
class Installation:
    """A fresh virtual environment with the wheel installed, and the folders a user's run would use."""

    wheel: Path
    venv: Path
    workdir: Path
    cache: Path

    @property
    def command(self) -> Path:
        return self.venv / "bin" / "stm-kg"

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PYTHON", "STM_KG_", "VIRTUAL_ENV", "PIP_CONSTRAINT"))}
        env["XDG_CACHE_HOME"] = str(self.cache)
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        return env

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.command), *args], cwd=self.workdir, env=self.environment(),
                              capture_output=True, text=True, timeout=timeout)


@dataclass
class InstalledServer(ServerProcess):
    """``stm-kg serve`` of the installed package, started from the user's folder (``env -C``)."""

    installation: Installation
    log_path: Path
    args: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        env = self.installation.environment()
        settings = [f"{name}={env[name]}" for name in ("XDG_CACHE_HOME", "PATH")]
        unset = [flag for name in os.environ if name.startswith(("PYTHON", "STM_KG_", "VIRTUAL_ENV")) for flag in ("-u", name)]
        return ["env", "-C", str(self.installation.workdir), *unset, *settings,
                str(self.installation.command), "serve", "--port", str(self.port), *self.args]


@pytest.fixture(scope="module")
def installation(tmp_path_factory) -> Installation:
    top = tmp_path_factory.mktemp("install")
    source = top / "source"
    for name in repository_files():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    wheels = top / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = wheels.glob("stm_kg-*.whl")
    environment = top / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    installed = subprocess.run(
        [str(environment / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "-c", str(ROOT / "constraints.txt"), str(wheel)],
        capture_output=True, text=True, timeout=600, env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    workdir = top / "somewhere-else"
    workdir.mkdir()
    return Installation(wheel, environment, workdir, top / "cache")


@pytest.fixture(scope="module")
def built(installation) -> dict:
    """``stm-kg build`` of the installed package, and the build info it wrote to the user's cache folder."""
    result = installation.run("build", "-q")
    assert result.returncode == 0, result.stderr
    info = installation.cache / "stm-kg" / "build" / "build-info.json"
    assert info.is_file(), f"no build in the user's cache folder: {result.stdout}"
    return json.loads(info.read_text())


@pytest.fixture(scope="module")
def served(installation, built, tmp_path_factory):
    server = InstalledServer(installation, tmp_path_factory.mktemp("installed-server") / "server.log").start(timeout=120)
    yield server
    server.stop()


def test_the_wheel_carries_every_module_template_and_the_bundled_sources(installation):
    inside = set(zipfile.ZipFile(installation.wheel).namelist())
    package = ROOT / "server" / "stm_kg"
    wanted = {f"stm_kg/{p.relative_to(package).as_posix()}" for p in package.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    wanted |= {f"stm_kg/bundle/{name}" for name in repository_files() if name.startswith(("ontology/", "data/", "queries/"))}
    assert wanted - inside == set()


def test_no_extras_were_installed(installation):
    listed = subprocess.run([str(installation.venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"],
                            capture_output=True, text=True, check=True)
    names = {row["name"].lower() for row in json.loads(listed.stdout)}
    assert "stm-kg" in names and "requests" in names
    assert not names & {"pytest", "selenium", "schemathesis", "hypothesis"}


def test_build_writes_the_bundled_graph_to_the_user_cache(built, compiled):
    _, repository_build = compiled
    assert built["graphs"] == repository_build.graphs
    assert built["graphs"][f"{BASE}graph/data"] > 5000


def test_stats_counts_the_bundled_graph(installation, built):
    result = installation.run("stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["graphs"] == built["graphs"]


def test_query_runs_a_bundled_named_query(installation, built):
    listed = installation.run("query", "--list")
    assert listed.returncode == 0 and "leden-overleg" in listed.stdout, listed.stderr
    result = installation.run("query", "leden-overleg", "--format", "records")
    assert result.returncode == 0, result.stderr
    members = {row["member"] for row in json.loads(result.stdout)}
    assert len(members) == 13  # fact inventory §5.1: 12 organisations and the zorgcoördinatoren
    assert f"{BASE}id/organisatie/comensha" in members


def test_validate_checks_files_against_the_bundled_shapes(installation):
    shapes = ROOT / "tests" / "shapes"
    good = installation.run("validate", str(shapes / "conforms-standard-terms.ttl"))
    assert good.returncode == 0, good.stdout + good.stderr
    bad = installation.run("validate", str(shapes / "organisations-violations.ttl"), "--format", "json")
    assert bad.returncode == 1, bad.stderr
    assert json.loads(bad.stdout)["conforms"] is False


def test_links_check_reads_the_bundled_linksets(installation):
    result = installation.run("links", "check", "--format", "json")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and {ls["name"] for ls in report["linksets"]} >= {"tooi", "eur-lex"}


def test_serve_answers_sparql_pages_and_the_named_query_api(served, built):
    union = sum(built["graphs"][f"{BASE}graph/{name}"] for name in ("data", "ontology", "inferred"))
    response = requests.post(f"{served.url}/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                             headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code == 200, response.text
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == sum(built["graphs"].values()) > union
    api = requests.get(f"{served.url}/api/leden-overleg", headers={"Accept": "application/json"}, timeout=30)
    assert api.status_code == 200, api.text
    assert f"{BASE}id/organisatie/comensha" in {row["member"] for row in api.json()}
    page = requests.get(f"{served.url}/doc/organisatie/comensha", timeout=30)
    assert page.status_code == 200 and "Coördinatiecentrum tegen Mensenhandel" in page.text
    query_page = requests.get(f"{served.url}/", timeout=30)
    assert query_page.status_code == 200 and "leden-overleg" in query_page.text
    assert requests.get(f"{served.url}/static/yasgui/yasgui.min.js", timeout=30).status_code == 200


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    if oxigraph_binary() is None:
        pytest.fail("the oxigraph command is missing: pip install oxigraph (the Oxigraph server from PyPI)")
    folder = tmp_path_factory.mktemp("oxigraph-for-install")
    server = OxigraphServer(folder / "store", folder / "oxigraph.log").start()
    yield server
    server.stop()


def test_publish_loads_the_bundled_graph_into_another_server(installation, built, oxigraph):
    result = installation.run("publish", "--to", oxigraph.spec)
    assert result.returncode == 0, result.stdout + result.stderr
    response = requests.get(oxigraph.query, params={"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
                            headers={"Accept": "application/sparql-results+json"}, timeout=30)
    counts = {row["g"]["value"]: int(row["n"]["value"]) for row in response.json()["results"]["bindings"]}
    assert counts == built["graphs"]


def test_an_allowed_service_call_works_on_a_plain_install(installation, built, oxigraph, tmp_path):
    oxigraph.load(TOOI_SAMPLE)
    server = InstalledServer(installation, tmp_path / "server.log", ["--service-allow", oxigraph.query]).start(timeout=120)
    try:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ SERVICE <{oxigraph.query}> {{ ?s ?p ?o }} }}"
        response = requests.post(f"{server.url}/sparql", data={"query": query},
                                 headers={"Accept": "application/sparql-results+json"}, timeout=60)
        assert response.status_code == 200, response.text[:2000]
        assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 0
    finally:
        server.stop()
