#!/usr/bin/env python3
"""Set up stm-kg in a local virtual environment and run it: the README's two quick-start commands.

    python3 dev.py serve [stm-kg serve options]   # set up, build the knowledge graph, start the endpoint
    python3 dev.py test  [pytest options]         # set up with the test tools, run every test

Needs only Python 3.11+ (with venv). Dependencies are installed into ./.venv, pinned by constraints.txt.
The install step is skipped when pyproject.toml and constraints.txt have not changed since the last one (an
environment set up for the tests serves too). ``serve`` then becomes ``.venv/bin/stm-kg serve`` (exec: the same
process, so a signal sent to it, SIGTERM, SIGINT or SIGHUP, reaches the server itself and nothing stays behind).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".stm-kg-installed"


def _fingerprint(extras: str) -> str:
    digest = hashlib.sha256(extras.encode())
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_environment(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"stm-kg needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"[dev] creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = _fingerprint(extras)
    enough = {wanted, _fingerprint("test")}  # the test set-up holds everything serving needs
    if STAMP.exists() and STAMP.read_text() in enough:
        return
    target = f".[{extras}]" if extras else "."
    print(f"[dev] installing stm-kg{f'[{extras}]' if extras else ''} (pinned by constraints.txt)", flush=True)
    subprocess.run(
        [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q",
         "-c", str(ROOT / "constraints.txt"), "-e", target],
        cwd=ROOT, check=True,
    )
    STAMP.write_text(wanted)


def run_in_place(command: list[str]) -> int:
    """Become ``command`` (exec), so that signals sent to this process reach it; on Windows, run and wait."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(ROOT)
    if os.name == "nt":
        return subprocess.call(command)
    os.execv(command[0], command)
    raise AssertionError("unreachable: execv does not return")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"serve", "test", "setup"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "serve":
        ensure_environment("")
        return run_in_place([str(BIN / "stm-kg"), "serve", *rest])
    ensure_environment("test")
    if command == "setup":
        return 0
    return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as error:
        sys.exit(f"[dev] setup failed: {error}")
    except KeyboardInterrupt:
        sys.exit(130)
