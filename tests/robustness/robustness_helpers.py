"""Helpers of the robustness tests (a module of its own: ``conftest`` names clash between test folders)."""

from __future__ import annotations

import requests

from endpoint_server import RunningServer


def fingerprint(server: RunningServer) -> tuple[int, str]:
    """Number of quads and a hash of all of them: equal fingerprints, same data."""
    import hashlib

    response = requests.get(server.sparql, params={"query": "SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"},
                            headers={"Accept": "text/tab-separated-values"}, timeout=30)
    assert response.status_code == 200, response.text
    lines = sorted(response.text.splitlines()[1:])
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()
