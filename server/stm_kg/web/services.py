"""The per-app objects the blueprints share, kept in ``app.extensions["stm_kg"]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from flask import current_app

from ..store.changes import Change
from .config import ServerConfig


class Writer(Protocol):
    """Applies a change through the SHACL gate, or raises why not (:class:`~stm_kg.store.gate.GatedWriter`,
    which returns the change as applied; a serving process's forwarding writer returns nothing)."""

    def write(self, change: Change) -> Change | None: ...


@dataclass
class Services:
    """The configuration and the writer of the running app."""

    config: ServerConfig
    writer: Writer


def services() -> Services:
    """The services of the current app."""
    return current_app.extensions["stm_kg"]
