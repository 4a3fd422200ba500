"""Every Turtle file parses, every typed literal is well formed, and broken input is reported exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from stm_kg.config import DATA_DIR, ONTOLOGY_DIR
from stm_kg.pipeline.sources import SourceError, read_graph, turtle_files

TURTLE_FILES = turtle_files(ONTOLOGY_DIR) + turtle_files(DATA_DIR)


def test_the_project_has_ontology_and_data_files():
    assert turtle_files(ONTOLOGY_DIR), "ontology/ holds no Turtle files"
    assert turtle_files(DATA_DIR), "data/ holds no Turtle files"


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_turtle_file_parses_with_well_formed_literals(path: Path):
    graph = read_graph(path)  # raises SourceError with file, line and column
    assert len(graph) > 0, f"{path} is empty"


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n ex:d .\n", 3, 7, "not a valid RDF object"),
        ("@prefix ex: <http://example.org/> .\nex:a ex:b \"unterminated .\n", 2, None, "syntax error"),
        ("ex:a ex:b ex:c .\n", 1, 1, "prefix"),
    ],
)
def test_syntax_errors_name_file_line_and_column(tmp_path, text, line, column, words):
    path = tmp_path / "broken.ttl"
    path.write_text(text)
    with pytest.raises(SourceError) as caught:
        read_graph(path)
    error = caught.value
    assert error.path == path
    assert error.line == line
    if column is not None:
        assert error.column == column
    assert words in str(error)
    assert str(error).startswith(f"{path}:{line}")


def test_ill_typed_literal_is_reported_with_its_line(tmp_path):
    path = tmp_path / "dates.ttl"
    path.write_text(
        "@prefix ex: <http://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        'ex:a ex:date "2024-06-17"^^xsd:date .\nex:b ex:date "27/01/2017"^^xsd:date .\n'
    )
    with pytest.raises(SourceError) as caught:
        read_graph(path)
    assert caught.value.line == 4
    assert "27/01/2017" in str(caught.value) and "xsd:date" in str(caught.value)


def test_unknown_file_type_and_missing_file_are_clear_errors(tmp_path):
    with pytest.raises(SourceError, match="unknown RDF file type"):
        read_graph(tmp_path / "data.csv")
    with pytest.raises(SourceError, match="cannot read"):
        read_graph(tmp_path / "missing.ttl")
