"""Reconciliation in front of another SPARQL server (``stm-kg serve --store sparql+http://...``, the Oxigraph
server here): the candidates come through the store interface, so the same names find the same things, and
a write through this stm-kg is reconciled at once (the dumps of /dataset are published from it as well)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from reconcile_helpers import candidates

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "federation"))
from federation_servers import OxigraphServer, oxigraph_binary  # noqa: E402
from endpoint_server import TOKEN, RunningServer  # noqa: E402


@pytest.fixture(scope="module")
def remote(compiled, tmp_path_factory):
    if oxigraph_binary() is None:
        pytest.fail("the oxigraph command is not installed (pip install oxigraph: a test extra)")
    folder = tmp_path_factory.mktemp("reconcile-remote")
    oxigraph = OxigraphServer(folder / "data", folder / "oxigraph.log").start()
    path, _ = compiled
    done = subprocess.run([sys.executable, "-m", "stm_kg.cli", "publish", "--to", oxigraph.spec, "--no-bundled",
                           "--data", str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    stm = RunningServer(["--store", oxigraph.spec, "--write-token", TOKEN], folder / "stm.log").start(timeout=120)
    yield stm
    stm.stop()
    oxigraph.stop()


@pytest.mark.slow
def test_the_remote_store_is_reconciled_like_the_embedded_one(remote, service):
    for text in ("CoMensha", "Codrdinatiecentrum tegen Mensenhandel", "kst-28638-233", "VNG"):
        here = [(c["id"], c["score"], c["match"]) for c in candidates(f"{remote.url}/reconcile", text)]
        assert here and here == [(c["id"], c["score"], c["match"]) for c in candidates(service, text)], text


@pytest.mark.slow
def test_a_write_through_it_is_reconciled_at_once(remote):
    thing = "https://w3id.org/stm-kg/id/test/op-afstand"
    body = f'<{thing}> <http://www.w3.org/2004/02/skos/core#prefLabel> "Stichting Op Afstand Bewaard"@nl .\n'
    written = requests.post(remote.store, params={"graph": "https://w3id.org/stm-kg/graph/test-remote"}, data=body.encode(),
                            headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert written.status_code in (201, 204), written.text
    found = candidates(f"{remote.url}/reconcile", "Stichting Op Afstand Bewaard")
    assert [c["id"] for c in found] == ["test/op-afstand"] and found[0]["match"]
