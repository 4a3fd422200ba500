"""Everything the web app is made from: the store, the write settings, the limits and the policies."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import QUERIES_DIR, base_uri
from ..sparql.safety import RemoteAccessPolicy
from ..store.interface import KnowledgeStore
from ..store.shacl import Validator
from .linked_data.dataset import DatasetSettings
from .linked_data.dumps import Publication


@dataclass(frozen=True)
class Limits:
    """Per-request limits: query time in seconds, and request body size in bytes."""

    timeout: float = 30.0
    max_request_bytes: int = 10 * 1024 * 1024


@dataclass
class ServerConfig:
    """The settings of one app; the store is opened (and loaded) by the caller, once.

    ``write_token``: bearer token that enables updates and Graph Store writes (``None``: read-only).
    ``validator``: the SHACL gate for writes (``None``: writes are not validated).
    ``dataset``: publisher, contact point and themes of the catalogue (``[dataset]`` of ``--config``).
    ``publication``: where the generations of the dumps are published (``None``: the app publishes its own,
    in a temporary folder, when it applies its own writes; see :mod:`.linked_data.dumps`).
    """

    store: KnowledgeStore
    base: str = field(default_factory=base_uri)
    write_token: str | None = None
    validator: Validator | None = None
    limits: Limits = field(default_factory=Limits)
    remote_policy: RemoteAccessPolicy = field(default_factory=RemoteAccessPolicy)
    queries_dir: Path = QUERIES_DIR
    dataset: DatasetSettings = field(default_factory=DatasetSettings)
    publication: Publication | None = None

    def __post_init__(self) -> None:
        # Every query reaches the store through the federation step, so that no SERVICE reaches the engine
        # itself: allowed endpoints are called by our code, with limits; anything else is refused.
        from ..sparql.federating_store import FederatingStore

        if not isinstance(self.store, FederatingStore):
            self.store = FederatingStore(self.store, self.remote_policy)

    @property
    def dataset_iri(self) -> str:
        """The IRI of the served dataset in the service description (void:Dataset, dcat:Dataset)."""
        return f"{self.base}id/dataset/stm-kg"
