"""``stm-kg build`` and ``stm-kg stats`` as a user runs them: real processes, real files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from rdflib import Dataset, URIRef

from stm_kg.config import CANONICAL_BASE, DATA_DIR, ONTOLOGY_DIR, REPO_ROOT


def run_cli(*args: str, cwd: Path = REPO_ROOT, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stm_kg.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env
    )


def test_build_writes_named_graphs_and_reports_progress(tmp_path):
    result = run_cli("build", "--out", str(tmp_path), "--base", "http://127.0.0.1:8000/")
    assert result.returncode == 0, result.stderr
    assert "[1/3]" in result.stderr and "[3/3]" in result.stderr, "no progress shown"
    assert "quads" in result.stdout
    dataset = Dataset()
    dataset.parse(data=(tmp_path / "stm-kg.trig").read_bytes(), format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert {"http://127.0.0.1:8000/graph/data", "http://127.0.0.1:8000/graph/ontology",
            "http://127.0.0.1:8000/graph/inferred"} <= names
    assert not any(
        isinstance(term, URIRef) and str(term).startswith(CANONICAL_BASE) for quad in dataset.quads() for term in quad
    ), "an IRI under the canonical base was not rewritten to --base"
    info = json.loads((tmp_path / "build-info.json").read_text())
    assert info["base"] == "http://127.0.0.1:8000/" and set(info["seconds"]) == {"read", "reason", "write"}


def _copy_project(tmp_path: Path) -> Path:
    """A copy of ontology/ and data/ to break, so that the repository stays untouched."""
    root = tmp_path / "project"
    shutil.copytree(ONTOLOGY_DIR, root / "ontology")
    shutil.copytree(DATA_DIR, root / "data")
    return root


def test_build_fails_with_file_line_and_column_on_broken_turtle(tmp_path):
    from stm_kg.pipeline.compile import build
    from stm_kg.pipeline.sources import SourceError

    root = _copy_project(tmp_path)
    broken = sorted((root / "data").glob("*.ttl"))[0]
    lines = broken.read_text().splitlines()
    lines.append("<https://example.org/a> <https://example.org/b> .")
    broken.write_text("\n".join(lines) + "\n")
    try:
        build(out_dir=tmp_path / "out", ontology_dir=root / "ontology", data_dir=root / "data", progress=None)
    except SourceError as error:
        assert error.path == broken
        assert error.line == len(lines)
        assert error.column is not None
    else:
        raise AssertionError("the build accepted broken Turtle")
    assert not (tmp_path / "out" / "stm-kg.trig").exists(), "a broken build left a compiled dataset behind"


def test_build_command_exits_2_with_a_clear_message(tmp_path):
    root = _copy_project(tmp_path)
    (root / "data" / "broken.ttl").write_text(
        '@prefix ex: <http://example.org/> .\nex:a ex:date "2024-02-30"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
    )
    result = run_cli(
        "build", "--out", str(tmp_path / "out"), "--ontology", str(root / "ontology"), "--data", str(root / "data")
    )
    assert result.returncode == 2
    assert "broken.ttl:2" in result.stderr and "xsd:date" in result.stderr and "2024-02-30" in result.stderr
    assert not (tmp_path / "out" / "stm-kg.trig").exists()


def test_stats_counts_classes_and_sources():
    result = run_cli("stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    classes = dict((name, count) for name, count in stats["classes"])
    assert classes.get("org:Membership", 0) >= 25 + 8
    assert classes.get("foaf:Person") == 8
    sources = {row[0].rsplit("/", 1)[-1]: row for row in stats["sources"]}
    assert len(sources) == 6
    assert all(row[2] > 0 and row[3] > 0 for row in sources.values())
    assert any(name.startswith("data/") for name in stats["modules"])
