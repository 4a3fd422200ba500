"""Where things are and what they are called: paths, the URI base and the named graphs.

Every module takes these from here so that the URI base and the file layout are decided in one place.
The URI base is configurable (``STM_KG_BASE`` or ``--base``); the bundled data is written with
:data:`CANONICAL_BASE` and rewritten to another base at build time when asked.

Two layouts, decided once at import:

- **a checkout** (``pyproject.toml``, ``ontology/`` and ``data/`` two levels above this package, as in the
  repository): the sources are the repository's folders and the compiled dataset goes to ``build/``;
- **an installed package** (a wheel: ``pip install``, ``pipx``, ``uvx``): the wheel carries the same folders as
  package data in ``stm_kg/bundle/`` (``pyproject.toml``, ``[tool.setuptools] package-dir``), and the compiled
  dataset is built on first use into the user's cache folder (``platformdirs``:
  ``~/.cache/stm-kg/build`` on Linux, or ``$XDG_CACHE_HOME``), so ``stm-kg serve`` works from any folder.

``STM_KG_BUILD_DIR`` names another folder for the compiled dataset in either layout.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: This package's folder (``server/stm_kg`` in a checkout, ``site-packages/stm_kg`` when installed).
PACKAGE_DIR = Path(__file__).resolve().parent


def _checkout_root() -> Path | None:
    """The repository this package runs from, or None when it runs from an installed wheel."""
    root = PACKAGE_DIR.parents[1]
    is_checkout = (root / "pyproject.toml").is_file() and (root / "ontology").is_dir() and (root / "data").is_dir()
    return root if is_checkout else None


def _default_build_dir(checkout: Path | None) -> Path:
    if os.environ.get("STM_KG_BUILD_DIR"):
        return Path(os.environ["STM_KG_BUILD_DIR"]).expanduser()
    if checkout is not None:
        return checkout / "build"
    from platformdirs import user_cache_path

    return user_cache_path("stm-kg") / "build"


#: The repository root in a checkout, else None (an installed package).
CHECKOUT_ROOT = _checkout_root()
#: Where the sources are: the repository root, or the package data of an installed wheel.
REPO_ROOT = CHECKOUT_ROOT if CHECKOUT_ROOT is not None else PACKAGE_DIR / "bundle"
ONTOLOGY_DIR = REPO_ROOT / "ontology"
DATA_DIR = REPO_ROOT / "data"
SOURCES_DIR = DATA_DIR / "sources"
QUERIES_DIR = REPO_ROOT / "queries"
#: Where the compiled dataset is written and read: ``build/`` of a checkout, else the user's cache folder.
BUILD_DIR = _default_build_dir(CHECKOUT_ROOT)

#: The base under which the bundled data mints its URIs (Dutch URI strategy: {base}id/..., {base}def/...).
CANONICAL_BASE = "https://w3id.org/stm-kg/"


def base_uri() -> str:
    """The URI base in force: ``STM_KG_BASE`` from the environment, else :data:`CANONICAL_BASE`."""
    base = os.environ.get("STM_KG_BASE", CANONICAL_BASE)
    return base if base.endswith("/") else base + "/"


@dataclass(frozen=True)
class GraphNames:
    """IRIs of the named graphs of the compiled dataset, for one URI base."""

    base: str

    @property
    def data(self) -> str:
        return f"{self.base}graph/data"

    @property
    def ontology(self) -> str:
        return f"{self.base}graph/ontology"

    @property
    def inferred(self) -> str:
        return f"{self.base}graph/inferred"

    @property
    def shapes(self) -> str:
        return f"{self.base}graph/shapes"

    def linkset(self, name: str) -> str:
        return f"{self.base}graph/links/{name}"

    def union(self) -> tuple[str, str, str]:
        """The graphs whose union is the default graph (PROFILE.md): data, ontology, inferred."""
        return (self.data, self.ontology, self.inferred)


def graph_names(base: str | None = None) -> GraphNames:
    return GraphNames(base or base_uri())
