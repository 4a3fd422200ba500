"""The npm packages some tests run (Comunica, axe-core, Spectral), each in a test-owned folder with its
``package.json`` and ``package-lock.json``: installed there with ``npm ci`` when missing, never committed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def installed(folder: Path, wanted: Path, what: str) -> Path:
    """``wanted`` (a file below ``folder/node_modules``), installed first with ``npm ci`` when it is missing.

    Skips the test, saying why, when npm is not installed (``.ci/run`` installs it, so CI runs them).
    """
    if not wanted.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip(f"npm is not installed: {what} ({folder.name}/package.json) cannot be installed")
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=folder, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"npm ci failed in {folder}:\n{done.stdout}\n{done.stderr}"
    return wanted
