"""The dataset described: as VoID (``/.well-known/void``), as a DCAT-AP-NL 3.0 catalogue (``/catalog``) and on
its landing page (``/dataset``).

The text of both descriptions is Turtle under ``data/dataset/`` (``void.ttl``, ``catalog.ttl``), checked like
the rest of the data but not loaded into the knowledge graph. Here its relative IRIs are resolved against the
address the server answers at (``<sparql>``, ``<catalog#record>``, ``<dataset#stm-kg.ttl>``: every URI
answers), IRIs under the canonical base move to the configured base, and only what changes with the data is
filled in, from one published :class:`~.dumps.Generation`: counts, sizes, checksums and dates. The three
things the programme must confirm (publisher, contact point, themes) come from :class:`DatasetSettings`
(``[dataset]`` in ``stm-kg serve --config FILE``); until they are set, the template's provisional values
stand and the landing page says they await confirmation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, VOID, XSD

from ...config import CANONICAL_BASE, DATA_DIR
from ...namespaces import SD, VCARD
from .dumps import Generation
from .rdf import parse_ntriples

#: The folder of the description templates (kept out of the data graph by the pipeline).
TEMPLATES_DIR = DATA_DIR / "dataset"
VOID_TEMPLATE = TEMPLATES_DIR / "void.ttl"
CATALOG_TEMPLATE = TEMPLATES_DIR / "catalog.ttl"

SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's closed DCAT namespace predates it
_EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")

#: The settings of ``[dataset]``, and what each is.
SETTING_NAMES = {
    "publisher": "IRI of the publishing organisation (for data.overheid.nl: its TOOI identifier)",
    "publisher_name": "its name",
    "contact_name": "name of the contact point",
    "contact_email": "e-mail address of the contact point",
    "contact_url": "web page of the contact point",
    "themes": "list of themes, each { iri = ..., label = ... } (data.overheid.nl: TaxonomieBeleidsagenda)",
}


class SettingsError(ValueError):
    """A ``[dataset]`` setting that cannot be used; the message says which and why."""


def _iri(name: str, value) -> str:
    if isinstance(value, str) and re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value):
        try:
            ox.NamedNode(value)
            return value
        except ValueError:
            pass
    raise SettingsError(f"[dataset] {name} must be an absolute IRI; got {value!r}")


def _text(name: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"[dataset] {name} must be a non-empty string; got {value!r}")
    return value.strip()


@dataclass(frozen=True)
class DatasetSettings:
    """Who publishes the dataset, whom to ask and what it is about, as the programme confirms them.

    ``themes``: (IRI, label) pairs; DCAT-AP asks for a ``skos:prefLabel`` on every theme.
    """

    publisher: str | None = None
    publisher_name: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_url: str | None = None
    themes: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_table(cls, table: dict) -> "DatasetSettings":
        """The settings of a ``[dataset]`` TOML table; :class:`SettingsError` for an unknown or bad one."""
        unknown = sorted(set(table) - set(SETTING_NAMES))
        if unknown:
            raise SettingsError(f"[dataset] has no setting {', '.join(unknown)}; known: {', '.join(SETTING_NAMES)}")
        values: dict = {}
        for name in ("publisher", "contact_url"):
            if name in table:
                values[name] = _iri(name, table[name])
        for name in ("publisher_name", "contact_name"):
            if name in table:
                values[name] = _text(name, table[name])
        if "contact_email" in table:
            email = _text("contact_email", table["contact_email"]).removeprefix("mailto:")
            if not _EMAIL.fullmatch(email):
                raise SettingsError(f"[dataset] contact_email must be an e-mail address; got {table['contact_email']!r}")
            values["contact_email"] = email
        if "themes" in table:
            themes = table["themes"]
            if not isinstance(themes, list) or not themes or not all(isinstance(t, dict) for t in themes):
                raise SettingsError(f"[dataset] themes must be a non-empty list of {{ iri = ..., label = ... }}; got {themes!r}")
            values["themes"] = tuple((_iri("themes iri", t.get("iri")), _text("themes label", t.get("label"))) for t in themes)
        if "publisher" in values and "publisher_name" not in values:
            raise SettingsError("[dataset] publisher needs publisher_name too (DCAT-AP: an agent has a name)")
        return cls(**values)

    def awaiting(self) -> list[str]:
        """What still awaits the programme's confirmation: ``publisher``, ``contact``, ``themes``."""
        missing = []
        if self.publisher is None:
            missing.append("publisher")
        if self.contact_email is None:
            missing.append("contact")
        if not self.themes:
            missing.append("themes")
        return missing


# -- the templates, resolved against the server's address ----------------------------------------------------


def _moved(term, base: str):
    """``term`` with the canonical URI base replaced by ``base`` (IRIs, and literals that are such IRIs)."""
    if base == CANONICAL_BASE:
        return term
    if isinstance(term, URIRef) and str(term).startswith(CANONICAL_BASE):
        return URIRef(base + str(term)[len(CANONICAL_BASE):])
    if isinstance(term, Literal) and term.datatype is None and term.language is None and str(term).startswith(CANONICAL_BASE):
        return Literal(base + str(term)[len(CANONICAL_BASE):])
    return term


@lru_cache(maxsize=32)
def _template(path: Path, mtime_ns: int, root: str, base: str) -> Graph:
    parsed = Graph().parse(path, format="turtle", publicID=root)
    moved = Graph()
    for s, p, o in parsed:
        moved.add((_moved(s, base), p, _moved(o, base)))
    return moved


def template(path: Path, root: str, base: str) -> Graph:
    """A fresh copy of the template at ``path``, relative IRIs resolved against ``root``, moved to ``base``."""
    graph = Graph()
    graph += _template(path, path.stat().st_mtime_ns, root, base)
    return graph


def dataset_iri(base: str) -> URIRef:
    """The dataset's URI (as in the service description): ``{base}id/dataset/stm-kg``."""
    return URIRef(f"{base}id/dataset/stm-kg")


def _modified(generation: Generation) -> Literal:
    return Literal(generation.published_at, datatype=XSD.dateTime)


def void_graph(generation: Generation | None, root: str, base: str) -> Graph:
    """The VoID description, with the counts of ``generation`` (``None``: nothing published, no counts)."""
    g = template(VOID_TEMPLATE, root, base)
    d = dataset_iri(base)
    published = {URIRef(root + "dataset/downloads/" + dump.format.name) for dump in (generation.downloads if generation else [])}
    for dump in list(g.objects(d, VOID.dataDump)):
        if dump not in published:
            g.remove((d, VOID.dataDump, dump))
    if generation is None:
        return g
    for predicate in (VOID.exampleResource, VOID.rootResource):  # only when the data holds that kind of thing
        for resource in list(g.objects(d, predicate)):
            kind = str(resource)[len(f"{base}id/"):].split("/", 1)[0]
            if kind not in generation.kinds:
                g.remove((d, predicate, resource))
    g.add((d, DCTERMS.modified, _modified(generation)))
    g.add((d, VOID.triples, Literal(generation.triples)))
    g.add((d, VOID.entities, Literal(generation.things)))
    for iri, n in generation.classes:
        partition = BNode()
        g.add((d, VOID.classPartition, partition))
        g.add((partition, VOID["class"], URIRef(iri)))
        g.add((partition, VOID.entities, Literal(n)))
    for name, size in sorted(generation.graphs.items()):
        subset = BNode()
        g.add((d, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, URIRef(name)))
        g.add((subset, VOID.triples, Literal(size)))
    return g


def _replace_node(g: Graph, old: URIRef, new: URIRef) -> None:
    for s, p, o in list(g.triples((old, None, None))):
        g.remove((s, p, o))
        g.add((new, p, o))
    for s, p, o in list(g.triples((None, None, old))):
        g.remove((s, p, o))
        g.add((s, p, new))


def _set_text(g: Graph, subject, predicate, text: str) -> None:
    g.remove((subject, predicate, None))
    g.add((subject, predicate, Literal(text)))


def _apply_settings(g: Graph, root: str, settings: DatasetSettings) -> None:
    publisher, contact = URIRef(root + "catalog#publisher"), URIRef(root + "catalog#contact")
    if settings.publisher is not None:
        _set_text(g, publisher, FOAF.name, settings.publisher_name)
        _replace_node(g, publisher, URIRef(settings.publisher))
    if settings.contact_name is not None:
        _set_text(g, contact, VCARD.fn, settings.contact_name)
    if settings.contact_email is not None:
        g.add((contact, VCARD.hasEmail, URIRef("mailto:" + settings.contact_email)))
    if settings.contact_url is not None:
        g.remove((contact, VCARD.hasURL, None))
        g.add((contact, VCARD.hasURL, URIRef(settings.contact_url)))
    if settings.themes:
        subjects = set(g.subjects(DCAT.theme, None))
        for old in set(g.objects(None, DCAT.theme)):
            g.remove((None, DCAT.theme, old))
            g.remove((old, None, None))
        for iri, label in settings.themes:
            theme = URIRef(iri)
            g.add((theme, RDF.type, SKOS.Concept))
            g.add((theme, SKOS.prefLabel, Literal(label, lang="nl")))
            for subject in subjects:
                g.add((subject, DCAT.theme, theme))


def dcat_graph(generation: Generation | None, root: str, base: str, settings: DatasetSettings) -> Graph:
    """The DCAT-AP-NL 3.0 catalogue, with the sizes, checksums and dates of ``generation``'s dumps."""
    g = template(CATALOG_TEMPLATE, root, base)
    _apply_settings(g, root, settings)
    dataset = dataset_iri(base)
    for distribution in list(g.objects(dataset, DCAT.distribution)):
        download = g.value(distribution, DCAT.downloadURL)
        if download is None:
            continue  # the SPARQL endpoint
        dump = generation.download(str(download).rsplit("/", 1)[-1]) if generation else None
        if dump is None:  # no such file published: no such distribution
            g.remove((dataset, DCAT.distribution, distribution))
            g.remove((distribution, None, None))
            continue
        g.add((distribution, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        checksum = BNode()
        g.add((distribution, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
        g.add((distribution, DCTERMS.modified, _modified(generation)))
    if generation is not None:
        for subject in (URIRef(root + "catalog"), URIRef(root + "catalog#record"), dataset):
            g.add((subject, DCTERMS.modified, _modified(generation)))
        g.add((dataset, DCAT_VERSION, Literal(generation.version)))
    return g


def as_triples(graph: Graph) -> list[ox.Triple]:
    """An rdflib graph as pyoxigraph triples, for :func:`.rdf.serialize`."""
    return parse_ntriples(graph.serialize(format="nt", encoding="utf-8"))
