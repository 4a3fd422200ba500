"""What the NL GOV API Design Rules ask of ``/api`` at run time, over real HTTP: the major version in the path
(``/api/...`` of before redirects there), ``API-Version`` equal to ``info.version`` and the security headers on
every answer, errors as RFC 9457 problem details (an unknown path or method too), and the OpenAPI document at
the base path, open to every origin without authentication. (The document itself is linted with the rules'
own Spectral ruleset in tests/standards/test_api_design_rules.py.)"""

from __future__ import annotations

import pytest
import requests

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Access-Control-Allow-Origin": "*",
}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def version(api) -> str:
    return requests.get(f"{api.url}/api/v1/openapi.json", timeout=30).json()["info"]["version"]


ANSWERS = [
    ("GET", "/api/v1", {}, 200),
    ("GET", "/api/v1", {"Accept": BROWSER}, 200),
    ("GET", "/api/v1/openapi.json", {}, 200),
    ("GET", "/api/v1/docs", {}, 200),
    ("GET", "/api/v1/leden-overleg", {}, 200),
    ("GET", "/api/v1/leden-overleg", {"Accept": BROWSER}, 200),
    ("GET", "/api/v1/leden-overleg?format=csv", {}, 200),
    ("GET", "/api/v1/leden-overleg?perPage=0", {}, 400),
    ("GET", "/api/v1/leden-overleg", {"Accept": "image/png"}, 406),
    ("GET", "/api/v1/no-such-query", {}, 404),
    ("GET", "/api/v1/leden-overleg/more", {"Accept": BROWSER}, 404),
    ("GET", "/api/v1/", {}, 308),
    ("POST", "/api/v1/leden-overleg", {}, 405),
    ("DELETE", "/api/v1", {}, 405),
    ("GET", "/api/leden-overleg", {}, 308),
    ("POST", "/api/leden-overleg", {}, 405),
    ("PUT", "/api", {}, 405),
]


@pytest.mark.parametrize(("method", "path", "headers", "status"), ANSWERS, ids=[f"{m} {p} {s}" for m, p, _, s in ANSWERS])
def test_every_answer_has_the_version_and_the_security_headers(api, version, method, path, headers, status):
    response = requests.request(method, api.url + path, headers=headers, allow_redirects=False, timeout=30)
    assert response.status_code == status, response.text[:300]
    assert response.headers["API-Version"] == version
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, name
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "API-Version" in response.headers["Access-Control-Expose-Headers"]
    if status >= 400:
        assert response.headers["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == status and problem["title"] and problem["type"].startswith("http")
    if status == 405:
        assert "GET" in response.headers["Allow"]


def test_the_version_is_semver_and_only_its_major_number_is_in_the_path(version):
    major, minor, patch = version.split(".")
    assert all(part.isdigit() for part in (major, minor, patch))


def test_the_addresses_of_before_redirect_to_v1_with_their_query(api):
    response = requests.get(f"{api.url}/api/tijdlijn?per_page=5&from=2020-01-01", allow_redirects=False, timeout=30)
    assert response.status_code == 308
    assert response.headers["Location"].endswith("/api/v1/tijdlijn?per_page=5&from=2020-01-01")
    followed = requests.get(f"{api.url}/api/tijdlijn?per_page=5&from=2020-01-01", timeout=30)
    assert followed.status_code == 200 and len(followed.json()) == 5
    assert "perPage=5" in followed.headers["Link"] and "/api/v1/tijdlijn?" in followed.headers["Link"]
    assert requests.get(f"{api.url}/api", timeout=30).url.endswith("/api/v1")
    assert requests.get(f"{api.url}/api/openapi.json", timeout=30).json()["openapi"].startswith("3.1")


def test_the_openapi_document_is_open_to_every_origin_without_authentication(api):
    preflight = requests.options(f"{api.url}/api/v1/openapi.json", timeout=30,
                                 headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    response = requests.get(f"{api.url}/api/v1/openapi.json", headers={"Origin": "https://example.org"}, timeout=30)
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Content-Type"] == "application/json"
