"""Data flows one way: each package of ``stm_kg`` imports only from the layers below it (the contract is in
``pyproject.toml``, ``[tool.importlinter]``; checked by import-linter's ``lint-imports``)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from stm_kg.config import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "server")}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=300, env=env)


def test_no_package_imports_from_a_layer_above_it():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_looks_at_the_real_imports(tmp_path):
    """The same layers upside down must break: the check reads our modules, it does not pass on an empty graph."""
    contract = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = list(reversed(contract["contracts"][0]["layers"]))
    config = tmp_path / "upside-down.toml"
    config.write_text('[tool.importlinter]\nroot_package = "stm_kg"\n\n[[tool.importlinter.contracts]]\n'
                      'name = "upside down"\ntype = "layers"\nlayers = [' + ", ".join(f'"{layer}"' for layer in layers) + "]\n")
    result = lint_imports("--config", str(config))
    assert result.returncode == 1
    assert "stm_kg.store is not allowed to import stm_kg.pipeline" in result.stdout
