"""The benchmark's data generator keeps to the shapes and is deterministic (part of the default run: ~3 s)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generator import write  # noqa: E402


def test_generated_data_conforms_and_is_deterministic(tmp_path):
    from stm_kg.pipeline.validation import validate_files

    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    n = write(first, 4000)
    write(second, 4000)
    assert n >= 4000
    assert first.read_bytes() == second.read_bytes()
    outcome = validate_files([first])
    assert outcome.conforms, "the generated data no longer conforms to the shapes"
