"""The per-app objects the blueprints share, kept in ``app.extensions["stm_kg"]``."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from ..store.gate import GatedWriter
from .config import ServerConfig


@dataclass
class Services:
    """The configuration and the gated writer of the running app."""

    config: ServerConfig
    writer: GatedWriter


def services() -> Services:
    """The services of the current app."""
    return current_app.extensions["stm_kg"]
