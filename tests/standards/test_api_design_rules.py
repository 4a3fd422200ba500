"""The OpenAPI document of ``/api/v1`` passes the NL GOV API Design Rules: their Spectral ruleset
(``nl-api-design-rules/media/linter.yaml``) finds no error in it, run by ``@stoplight/spectral-cli`` from npm
(installed by this test into ``spectral/node_modules``, pinned by ``spectral/package-lock.json``). The ruleset's
own test cases run too, each against its expected output, to show that the lint finds what it should.

Warnings stay: ``nlgov:servers-use-https`` (a test server answers on http://127.0.0.1; a deployment is behind
https). Without a confirmed contact e-mail (``[dataset] contact_email``) the document lacks ``info.contact.email``
and the rules report exactly that: the contact awaits the programme's confirmation, as ``/dataset`` says.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from standards_helpers import HERE

sys.path.insert(0, str(HERE.parent))
from npm_packages import installed  # noqa: E402

SPECTRAL_DIR = HERE / "spectral"
RULES = HERE / "nl-api-design-rules"
RULESET = RULES / "media" / "linter.yaml"
CASES = sorted(path for path in (RULES / "linter" / "testcases").iterdir() if path.is_dir())
ERROR = re.compile(r"^\s*\d+:\d+\s+error\s+(\S+)\s+(.*?)\s*$")


@pytest.fixture(scope="module")
def spectral() -> Path:
    return installed(SPECTRAL_DIR, SPECTRAL_DIR / "node_modules" / ".bin" / "spectral", "Spectral (@stoplight/spectral-cli)")


def lint(spectral: Path, *documents: Path) -> dict[Path, list[tuple[str, str]]]:
    """(rule, message) of every error Spectral finds, per document (one run for all of them)."""
    done = subprocess.run([str(spectral), "lint", "-r", str(RULESET), *map(str, documents)], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "NODE_NO_WARNINGS": "1"})
    assert done.returncode in (0, 1), done.stderr  # 1: errors found
    found: dict[Path, list] = {document: [] for document in documents}
    current = None
    for line in done.stdout.splitlines():
        if line.strip() and Path(line.strip()) in found:
            current = Path(line.strip())
        elif (error := ERROR.match(line)) and current is not None:
            found[current].append((error.group(1), re.sub(r"\s{2,}.*$", "", error.group(2))))
    return found


def expected(case: Path) -> list[tuple[str, str]]:
    errors = []
    for line in (case / "expected-output.txt").read_text(encoding="utf-8").splitlines():
        if error := ERROR.match(line):
            errors.append((error.group(1), re.sub(r"\s{2,}.*$", "", error.group(2))))
    return errors


@pytest.mark.slow
def test_the_rulesets_own_test_cases_give_their_expected_errors(spectral):
    found = lint(spectral, *(case / "openapi.json" for case in CASES))
    assert len(CASES) >= 20 and any(expected(case) for case in CASES)  # cases that must fail are among them
    for case in CASES:
        assert found[case / "openapi.json"] == expected(case), case.name


def _document(server, folder: Path, name: str, change=None) -> Path:
    document = requests.get(f"{server.url}/api/v1/openapi.json", timeout=30).json()
    if change:
        change(document)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return path


@pytest.mark.slow
def test_our_openapi_document_has_no_error(spectral, confirmed_server, bundled_server, tmp_path):
    confirmed = _document(confirmed_server, tmp_path, "confirmed")
    default = _document(bundled_server, tmp_path, "default")
    unversioned = _document(confirmed_server, tmp_path, "unversioned", lambda d: d["servers"][0].update(url=d["servers"][0]["url"][:-3]))
    found = lint(spectral, confirmed, default, unversioned)
    assert found[confirmed] == [], found[confirmed]
    assert [rule for rule, _ in found[default]] == ["nlgov:info-contact-fields-exist"]  # e-mail: awaits confirmation
    assert [rule for rule, _ in found[unversioned]] == ["nlgov:include-major-version-in-uri"]
