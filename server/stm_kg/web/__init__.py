"""The web service: SPARQL protocol, Graph Store protocol, query page and health check."""

from .app import create_app
from .config import Limits, ServerConfig

__all__ = ["create_app", "Limits", "ServerConfig"]
