"""``stm-kg query`` as a user runs it: a subprocess, with the compiled graph of this test session."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.fixture(scope="module")
def stm_kg(compiled):
    path, _ = compiled

    def call(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "stm_kg.cli", "query", *args, "--data", str(path)],
            capture_output=True, text=True, timeout=60,
        )

    return call


def test_list_shows_every_query(stm_kg, catalogue):
    done = stm_kg("--list")
    assert done.returncode == 0, done.stderr
    for name in catalogue:
        assert name in done.stdout


def test_a_query_with_a_parameter_prints_a_table(stm_kg):
    done = stm_kg("leden-overleg", "--body", "id:overleg/strategisch-overleg-mensenhandel")
    assert done.returncode == 0, done.stderr
    assert "id:organisatie/humanitas-essm" in done.stdout
    assert "(12 rows)" in done.stdout


def test_json_csv_and_records_formats(stm_kg):
    done = stm_kg("moties-op-datum", "--date=2025-06-05", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["results"]["bindings"]) == 7
    done = stm_kg("geld-per-jaar", "--format", "csv", "-p", "from=2024", "-p", "to=2024")
    assert done.stdout.splitlines()[:2] == ["year,total,fundings", done.stdout.splitlines()[1]]
    assert done.stdout.splitlines()[1].startswith("2024,2500000,")
    done = stm_kg("motie-indieners", "--format", "records")
    assert sorted(r["name"] for r in json.loads(done.stdout)) == ["Bikker", "Mutluer", "Tseggai", "Van Nispen"]


@pytest.mark.parametrize("args, message", [
    (("geld-per-jaar", "--from", "twintig"), "parameter 'from' must be a whole number"),
    (("zoek-labels",), "needs parameter 'text'"),
    (("leden-overleg", "--lichaam", "x"), "no parameter 'lichaam'"),
    (("leden-overleg", "--body", "} UNION {"), "absolute IRI"),
    (("bestaat-niet",), "no named query 'bestaat-niet'"),
])
def test_bad_input_exits_2_with_a_message(stm_kg, args, message):
    done = stm_kg(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""


def test_check_meets_every_expectation(stm_kg):
    done = stm_kg("--check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all expectations met" in done.stdout
