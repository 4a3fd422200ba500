"""Namespaces used across stm-kg: the standard vocabularies of PROFILE.md and our own.

rdflib already ships most standard namespaces as closed ``DefinedNamespace`` classes (ORG, PROV, SKOS, ...):
using those makes a misspelt term an error at import time, and lets the tests check that every term used
in the Turtle files exists in its vocabulary.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import (  # noqa: F401  (re-exported)
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    TIME,
    VOID,
    XSD,
)

from .config import CANONICAL_BASE

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
OPENGOV = Namespace("http://www.w3.org/ns/opengov#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
OA = Namespace("http://www.w3.org/ns/oa#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
VANN = Namespace("http://purl.org/vocab/vann/")
DASH = Namespace("http://datashapes.org/dash#")
TOOI_ID = Namespace("https://identifier.overheid.nl/tooi/id/")

#: Our own ontology terms, shapes and concept schemes (under the canonical base).
STM = Namespace(f"{CANONICAL_BASE}def/ont/")
STM_SHAPES = Namespace(f"{CANONICAL_BASE}def/shapes/")
STM_SCHEME = Namespace(f"{CANONICAL_BASE}def/scheme/")
STM_ID = Namespace(f"{CANONICAL_BASE}id/")

#: Prefixes bound when serialising and offered to SPARQL users.
PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "org": str(ORG),
    "prov": str(PROV),
    "time": str(TIME),
    "dcat": str(DCAT),
    "void": str(VOID),
    "sd": str(SD),
    "sh": str(SH),
    "opengov": str(OPENGOV),
    "eli": str(ELI),
    "adms": str(ADMS),
    "oa": str(OA),
    "vcard": str(VCARD),
    "stm": str(STM),
    "stmsh": str(STM_SHAPES),
    "stmscheme": str(STM_SCHEME),
}
