"""Readable names for resources and terms: what a page shows instead of a URI.

A resource's own labels come first (``skos:prefLabel`` in Dutch, then ``rdfs:label``, names and titles);
standard terms that the ontology does not label (W3C ORG, PROV, FOAF, DCMI, ...) get a display label from
:data:`STANDARD_LABELS`, which is used on pages only and never served as data; anything else is shown by its
prefixed name (``org:member``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...namespaces import PREFIXES

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
DCT_NS = "http://purl.org/dc/terms/"
FOAF_NS = "http://xmlns.com/foaf/0.1/"
ORG_NS = "http://www.w3.org/ns/org#"
PROV_NS = "http://www.w3.org/ns/prov#"
TIME_NS = "http://www.w3.org/2006/time#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
SH_NS = "http://www.w3.org/ns/shacl#"

PREF_LABEL = SKOS_NS + "prefLabel"
RDFS_LABEL = RDFS_NS + "label"
ALT_LABEL = SKOS_NS + "altLabel"
NOTATION = SKOS_NS + "notation"
FOAF_NAME = FOAF_NS + "name"
DCT_TITLE = DCT_NS + "title"
SH_NAME = SH_NS + "name"
RDF_TYPE = RDF_NS + "type"

#: Properties that name a resource, best first; the description query fetches these for linked resources.
LABEL_PROPERTIES = (PREF_LABEL, RDFS_LABEL, FOAF_NAME, DCT_TITLE, SH_NAME, NOTATION)

#: Display labels (nl, en) of the standard terms our data uses; the ontology's own labels take precedence.
STANDARD_LABELS: dict[str, tuple[str, str]] = {
    RDF_TYPE: ("type", "type"),
    RDFS_LABEL: ("label", "label"),
    RDFS_NS + "comment": ("toelichting", "comment"),
    RDFS_NS + "seeAlso": ("zie ook", "see also"),
    RDFS_NS + "subClassOf": ("subklasse van", "subclass of"),
    RDFS_NS + "subPropertyOf": ("subeigenschap van", "subproperty of"),
    RDFS_NS + "domain": ("domein", "domain"),
    RDFS_NS + "range": ("bereik", "range"),
    RDFS_NS + "isDefinedBy": ("gedefinieerd in", "defined by"),
    OWL_NS + "inverseOf": ("inverse van", "inverse of"),
    OWL_NS + "versionIRI": ("versie-IRI", "version IRI"),
    OWL_NS + "versionInfo": ("versie", "version"),
    OWL_NS + "sameAs": ("zelfde als", "same as"),
    PREF_LABEL: ("voorkeursnaam", "preferred label"),
    ALT_LABEL: ("andere naam", "alternative label"),
    NOTATION: ("notatie", "notation"),
    SKOS_NS + "definition": ("definitie", "definition"),
    SKOS_NS + "editorialNote": ("redactionele noot", "editorial note"),
    SKOS_NS + "historyNote": ("historische noot", "history note"),
    SKOS_NS + "scopeNote": ("toepassingsnoot", "scope note"),
    SKOS_NS + "inScheme": ("in schema", "in scheme"),
    SKOS_NS + "topConceptOf": ("topconcept van", "top concept of"),
    SKOS_NS + "hasTopConcept": ("heeft topconcept", "has top concept"),
    SKOS_NS + "exactMatch": ("komt exact overeen met", "exact match"),
    SKOS_NS + "closeMatch": ("komt nagenoeg overeen met", "close match"),
    SKOS_NS + "broader": ("breder", "broader"),
    SKOS_NS + "narrower": ("smaller", "narrower"),
    SKOS_NS + "Concept": ("begrip", "concept"),
    SKOS_NS + "ConceptScheme": ("begrippenkader", "concept scheme"),
    DCT_TITLE: ("titel", "title"),
    DCT_NS + "description": ("beschrijving", "description"),
    DCT_NS + "date": ("datum", "date"),
    DCT_NS + "type": ("soort", "type"),
    DCT_NS + "source": ("bron", "source"),
    DCT_NS + "identifier": ("identificatie", "identifier"),
    DCT_NS + "creator": ("maker", "creator"),
    DCT_NS + "contributor": ("bijdrager", "contributor"),
    DCT_NS + "references": ("verwijst naar", "references"),
    DCT_NS + "isPartOf": ("is onderdeel van", "is part of"),
    DCT_NS + "hasPart": ("heeft onderdeel", "has part"),
    DCT_NS + "subject": ("onderwerp", "subject"),
    DCT_NS + "relation": ("relatie", "relation"),
    DCT_NS + "language": ("taal", "language"),
    DCT_NS + "license": ("licentie", "licence"),
    DCT_NS + "created": ("gemaakt op", "created"),
    DCT_NS + "modified": ("gewijzigd op", "modified"),
    DCT_NS + "temporal": ("periode", "temporal coverage"),
    DCT_NS + "audience": ("doelgroep", "audience"),
    DCT_NS + "isVersionOf": ("is versie van", "is version of"),
    DCT_NS + "hasVersion": ("heeft versie", "has version"),
    FOAF_NAME: ("naam", "name"),
    FOAF_NS + "givenName": ("voornaam", "given name"),
    FOAF_NS + "familyName": ("achternaam", "family name"),
    FOAF_NS + "page": ("webpagina", "page"),
    FOAF_NS + "homepage": ("homepage", "homepage"),
    FOAF_NS + "primaryTopic": ("hoofdonderwerp", "primary topic"),
    FOAF_NS + "isPrimaryTopicOf": ("is hoofdonderwerp van", "is primary topic of"),
    FOAF_NS + "Person": ("persoon", "person"),
    FOAF_NS + "Document": ("document", "document"),
    FOAF_NS + "Agent": ("actor", "agent"),
    FOAF_NS + "Group": ("groep", "group"),
    FOAF_NS + "Project": ("project", "project"),
    ORG_NS + "member": ("lid", "member"),
    ORG_NS + "organization": ("organisatie", "organization"),
    ORG_NS + "role": ("rol", "role"),
    ORG_NS + "memberDuring": ("lid gedurende", "member during"),
    ORG_NS + "memberOf": ("lid van", "member of"),
    ORG_NS + "hasMember": ("heeft lid", "has member"),
    ORG_NS + "hasMembership": ("heeft lidmaatschap", "has membership"),
    ORG_NS + "unitOf": ("onderdeel van", "unit of"),
    ORG_NS + "hasUnit": ("heeft onderdeel", "has unit"),
    ORG_NS + "subOrganizationOf": ("suborganisatie van", "suborganization of"),
    ORG_NS + "hasSubOrganization": ("heeft suborganisatie", "has suborganization"),
    ORG_NS + "postIn": ("functie bij", "post in"),
    ORG_NS + "hasPost": ("heeft functie", "has post"),
    ORG_NS + "hasSite": ("vestiging", "site"),
    ORG_NS + "siteAddress": ("adres", "site address"),
    ORG_NS + "Organization": ("organisatie", "organization"),
    ORG_NS + "FormalOrganization": ("formele organisatie", "formal organization"),
    ORG_NS + "OrganizationalUnit": ("organisatieonderdeel", "organizational unit"),
    ORG_NS + "OrganizationalCollaboration": ("samenwerkingsverband", "organizational collaboration"),
    ORG_NS + "Membership": ("lidmaatschap", "membership"),
    ORG_NS + "Post": ("functie", "post"),
    ORG_NS + "Role": ("rol", "role"),
    PROV_NS + "wasDerivedFrom": ("afgeleid uit", "was derived from"),
    PROV_NS + "qualifiedDerivation": ("afleiding", "qualified derivation"),
    PROV_NS + "entity": ("bron", "entity"),
    PROV_NS + "wasAssociatedWith": ("betrokken actor", "was associated with"),
    PROV_NS + "wasAttributedTo": ("toegeschreven aan", "was attributed to"),
    PROV_NS + "wasGeneratedBy": ("voortgebracht door", "was generated by"),
    PROV_NS + "generated": ("bracht voort", "generated"),
    PROV_NS + "used": ("gebruikte", "used"),
    PROV_NS + "wasInformedBy": ("geïnformeerd door", "was informed by"),
    PROV_NS + "Derivation": ("afleiding", "derivation"),
    PROV_NS + "Activity": ("activiteit", "activity"),
    PROV_NS + "Entity": ("entiteit", "entity"),
    PROV_NS + "Plan": ("plan", "plan"),
    TIME_NS + "inXSDDate": ("datum", "date"),
    TIME_NS + "inXSDgYear": ("jaar", "year"),
    TIME_NS + "inside": ("binnen", "inside"),
    TIME_NS + "hasBeginning": ("begin", "beginning"),
    TIME_NS + "hasEnd": ("einde", "end"),
    TIME_NS + "Interval": ("tijdsinterval", "interval"),
    TIME_NS + "Instant": ("tijdstip", "instant"),
    SH_NS + "targetClass": ("doelklasse", "target class"),
    SH_NS + "path": ("pad", "path"),
    SH_NS + "property": ("eigenschapsvorm", "property shape"),
    SH_NS + "NodeShape": ("knoopvorm", "node shape"),
    SH_NS + "PropertyShape": ("eigenschapsvorm", "property shape"),
    SH_NAME: ("naam", "name"),
    SH_NS + "description": ("beschrijving", "description"),
    SH_NS + "message": ("melding", "message"),
    SH_NS + "severity": ("ernst", "severity"),
    OWL_NS + "Class": ("klasse", "class"),
    OWL_NS + "ObjectProperty": ("objecteigenschap", "object property"),
    OWL_NS + "DatatypeProperty": ("gegevenseigenschap", "datatype property"),
    OWL_NS + "Ontology": ("ontologie", "ontology"),
    "https://creativecommons.org/publicdomain/zero/1.0/": ("CC0 1.0 (publiek domein)", "CC0 1.0 (public domain)"),
}


def prefixed(iri: str) -> str | None:
    """``org:member`` for ``http://www.w3.org/ns/org#member`` (the longest matching namespace), else None."""
    best = None
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
            best = (prefix, namespace)
    if best is None:
        return None
    return f"{best[0]}:{iri[len(best[1]):]}"


def local_name(iri: str) -> str:
    for separator in ("#", "/"):
        if separator in iri.rstrip(separator):
            return iri.rstrip(separator).rsplit(separator, 1)[1]
    return iri


@dataclass(frozen=True)
class Text:
    """A piece of text with its language tag (``""``: none)."""

    value: str
    lang: str = ""


def choose(values: list[tuple[str, str, str]], lang: str = "nl") -> Text | None:
    """The best label among ``(property, text, language)`` triples for ``lang``, by :data:`LABEL_PROPERTIES`."""
    for wanted_lang in (lang, "", None):
        for prop in LABEL_PROPERTIES:
            for p, text, language in values:
                if p == prop and (wanted_lang is None or language == wanted_lang):
                    return Text(text, language)
    return None


def fallback(iri: str, lang: str = "nl") -> Text:
    """The label of a term nobody labelled: the display table, else its prefixed name, else its last part."""
    if iri in STANDARD_LABELS:
        nl, en = STANDARD_LABELS[iri]
        return Text(nl, "nl") if lang == "nl" else Text(en, "en")
    return Text(prefixed(iri) or local_name(iri) or iri, "")
