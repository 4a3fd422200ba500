"""Compact JSON-LD of a description: the published context, and the described resource framed at the top.

A web developer reads ``doc["name"]``, ``doc["memberOf"]`` and ``doc["source"]`` from ``/doc/{kind}/{name}.jsonld``
without an RDF library: short terms from the context that the document references (``/def/context.jsonld``,
:func:`context`), texts as language maps (``prefLabel: {"nl": ..., "en": ...}``), dates as plain strings.

Framing: the described resource is the top node object; each node it points to is embedded where it is first
referenced (a blank node with its triples, a linked resource with its labels); what points at the resource
from elsewhere is under ``@reverse``; the labels of the properties used are ``@included``. Every triple of the
description is in the document once, so the JSON-LD reads back into exactly the triples of the Turtle form.
The structure is built here; compaction against the context is pyld's (the JSON-LD reference processor for
Python), with the context given inline, so nothing is ever fetched.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pyoxigraph as ox
from pyld import jsonld

from ...config import CANONICAL_BASE
from ...namespaces import PREFIXES

#: Where the context is published, below the URI base (served by the definitions blueprint).
CONTEXT_PATH = "def/context.jsonld"

#: Namespaces the data uses beyond :data:`~stm_kg.namespaces.PREFIXES`.
_EXTRA_PREFIXES = {"vann": "http://purl.org/vocab/vann/"}

_ID, _TEXT, _PLAIN = "@id", "@language", None
#: The context's terms: term -> (compact IRI of the property, how its values read). ``@id``: a link (a string
#: when nothing is embedded); ``@language``: a map from language tag to text; ``None``: a plain string; a
#: datatype: a string of that type. Standard terms get the short names; our own terms too, where the short
#: name is free (``stm:status`` stays ``stm:status`` beside ``status``, which is ``adms:status``).
TERMS: dict[str, tuple[str, str | None]] = {
    # names and texts
    "prefLabel": ("skos:prefLabel", _TEXT),
    "altLabel": ("skos:altLabel", _TEXT),
    "hiddenLabel": ("skos:hiddenLabel", _TEXT),
    "label": ("rdfs:label", _TEXT),
    "comment": ("rdfs:comment", _TEXT),
    "definition": ("skos:definition", _TEXT),
    "editorialNote": ("skos:editorialNote", _TEXT),
    "historyNote": ("skos:historyNote", _TEXT),
    "scopeNote": ("skos:scopeNote", _TEXT),
    "notation": ("skos:notation", _PLAIN),
    "title": ("dcterms:title", _TEXT),
    "description": ("dcterms:description", _TEXT),
    "name": ("foaf:name", _PLAIN),
    "givenName": ("foaf:givenName", _PLAIN),
    "familyName": ("foaf:familyName", _PLAIN),
    "identifier": ("dcterms:identifier", _PLAIN),
    "bibliographicCitation": ("dcterms:bibliographicCitation", _PLAIN),
    "quote": ("stm:quote", _TEXT),
    "requests": ("stm:requests", _TEXT),
    "citedAs": ("stm:citedAs", _PLAIN),
    "sourceTextFile": ("stm:sourceTextFile", _PLAIN),
    "currency": ("stm:currency", _PLAIN),
    # dates and amounts
    "date": ("dcterms:date", "xsd:date"),
    "created": ("dcterms:created", "xsd:date"),
    "modified": ("dcterms:modified", "xsd:date"),
    "attestedOn": ("stm:attestedOn", "xsd:date"),
    "implementationDeadline": ("stm:implementationDeadline", "xsd:date"),
    "inXSDDate": ("time:inXSDDate", "xsd:date"),
    "amount": ("stm:amount", "xsd:decimal"),
    # organisations and memberships (W3C ORG)
    "memberOf": ("org:memberOf", _ID),
    "hasMember": ("org:hasMember", _ID),
    "member": ("org:member", _ID),
    "organization": ("org:organization", _ID),
    "role": ("org:role", _ID),
    "memberDuring": ("org:memberDuring", _ID),
    "unitOf": ("org:unitOf", _ID),
    "hasUnit": ("org:hasUnit", _ID),
    "subOrganizationOf": ("org:subOrganizationOf", _ID),
    "hasSubOrganization": ("org:hasSubOrganization", _ID),
    "postIn": ("org:postIn", _ID),
    "hasSite": ("org:hasSite", _ID),
    "siteAddress": ("org:siteAddress", _ID),
    # provenance (PROV-O)
    "wasDerivedFrom": ("prov:wasDerivedFrom", _ID),
    "qualifiedDerivation": ("prov:qualifiedDerivation", _ID),
    "entity": ("prov:entity", _ID),
    "wasAssociatedWith": ("prov:wasAssociatedWith", _ID),
    "wasAttributedTo": ("prov:wasAttributedTo", _ID),
    "wasGeneratedBy": ("prov:wasGeneratedBy", _ID),
    "wasInformedBy": ("prov:wasInformedBy", _ID),
    "wasInfluencedBy": ("prov:wasInfluencedBy", _ID),
    "generated": ("prov:generated", _ID),
    "used": ("prov:used", _ID),
    # documents (DCMI Terms, FOAF, RDFS, OWL)
    "source": ("dcterms:source", _ID),
    "creator": ("dcterms:creator", _ID),
    "contributor": ("dcterms:contributor", _ID),
    "references": ("dcterms:references", _ID),
    "isPartOf": ("dcterms:isPartOf", _ID),
    "hasPart": ("dcterms:hasPart", _ID),
    "subject": ("dcterms:subject", _ID),
    "relation": ("dcterms:relation", _ID),
    "license": ("dcterms:license", _ID),
    "accessRights": ("dcterms:accessRights", _ID),
    "audience": ("dcterms:audience", _ID),
    "temporal": ("dcterms:temporal", _ID),
    "hasVersion": ("dcterms:hasVersion", _ID),
    "isVersionOf": ("dcterms:isVersionOf", _ID),
    "page": ("foaf:page", _ID),
    "homepage": ("foaf:homepage", _ID),
    "primaryTopic": ("foaf:primaryTopic", _ID),
    "isPrimaryTopicOf": ("foaf:isPrimaryTopicOf", _ID),
    "seeAlso": ("rdfs:seeAlso", _ID),
    "sameAs": ("owl:sameAs", _ID),
    # concepts and time
    "inScheme": ("skos:inScheme", _ID),
    "topConceptOf": ("skos:topConceptOf", _ID),
    "hasTopConcept": ("skos:hasTopConcept", _ID),
    "exactMatch": ("skos:exactMatch", _ID),
    "closeMatch": ("skos:closeMatch", _ID),
    "relatedMatch": ("skos:relatedMatch", _ID),
    "hasBeginning": ("time:hasBeginning", _ID),
    "hasEnd": ("time:hasEnd", _ID),
    "inside": ("time:inside", _ID),
    "status": ("adms:status", _ID),
    "result": ("opengov:result", _ID),
    # the programme (our own terms, each a sub-property of a standard one where one fits; docs/model.md)
    "steers": ("stm:steers", _ID),
    "partOfPlan": ("stm:partOfPlan", _ID),
    "statusReport": ("stm:statusReport", _ID),
    "reportedFor": ("stm:reportedFor", _ID),
    "reportedIn": ("stm:reportedIn", _ID),
    "actionLine": ("stm:actionLine", _ID),
    "hasActionLine": ("stm:hasActionLine", _ID),
    "strategicGoal": ("stm:strategicGoal", _ID),
    "funds": ("stm:funds", _ID),
    "fundingPeriod": ("stm:fundingPeriod", _ID),
    "theme": ("stm:theme", _ID),
    "exploitationForm": ("stm:exploitationForm", _ID),
    "involvedOrganization": ("stm:involvedOrganization", _ID),
    "madeBy": ("stm:madeBy", _ID),
    "addressee": ("stm:addressee", _ID),
    "coSignedBy": ("stm:coSignedBy", _ID),
    "debatedAt": ("stm:debatedAt", _ID),
    "fulfilledBy": ("stm:fulfilledBy", _ID),
    "outcome": ("stm:outcome", _ID),
    "citedDocument": ("stm:citedDocument", _ID),
    "citingDocument": ("stm:citingDocument", _ID),
    "countedItem": ("stm:countedItem", _ID),
    "numberQualifier": ("stm:numberQualifier", _PLAIN),
    "qualifiedInference": ("stm:qualifiedInference", _ID),
}

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NATIVE = {_XSD + "boolean", _XSD + "integer"}  # JSON has these; they read back as the same typed literals


def _rebased(iri: str, base: str) -> str:
    return base + iri[len(CANONICAL_BASE):] if base != CANONICAL_BASE and iri.startswith(CANONICAL_BASE) else iri


def context(base: str = CANONICAL_BASE) -> dict:
    """The JSON-LD context for data under ``base``: the project's prefixes and :data:`TERMS`."""
    definitions: dict = {"@version": 1.1}
    for prefix, namespace in {**PREFIXES, **_EXTRA_PREFIXES}.items():
        definitions[prefix] = _rebased(namespace, base)
    for term, (iri, kind) in TERMS.items():
        if kind == _TEXT:
            definitions[term] = {"@id": iri, "@container": "@language"}
        elif kind is None:
            definitions[term] = iri
        else:
            definitions[term] = {"@id": iri, "@type": kind}
    return {"@context": definitions}


def _literal(term: ox.Literal) -> dict:
    datatype = term.datatype.value
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if datatype == _XSD + "string":
        return {"@value": term.value}
    if datatype in _NATIVE:
        native = {"true": True, "false": False}.get(term.value) if datatype.endswith("boolean") else _integer(term.value)
        if native is not None:
            return {"@value": native}
    return {"@value": term.value, "@type": datatype}


def _integer(text: str) -> int | None:
    """The integer of a canonical lexical form (``"7"``, not ``"07"`` or ``"+7"``, which would read back changed)."""
    try:
        number = int(text)
    except ValueError:
        return None
    return number if str(number) == text else None


def _key(node) -> str:
    return f"_:{node.value}" if isinstance(node, ox.BlankNode) else node.value


class _Framer:
    """Builds the expanded JSON-LD tree of one description, every triple placed exactly once."""

    def __init__(self, triples: list[ox.Triple]):
        self.by_subject: dict[object, list[ox.Triple]] = defaultdict(list)
        self.references: dict[object, int] = defaultdict(int)
        for triple in triples:
            self.by_subject[triple.subject].append(triple)
            if not isinstance(triple.object, ox.Literal):
                self.references[triple.object] += 1
        self.placed: set[object] = set()

    def node(self, subject, skip: ox.Triple | None = None) -> dict:
        """The node object of ``subject`` with its triples (embedded nodes inside), when not yet placed."""
        found: dict = {}
        if isinstance(subject, ox.NamedNode) or self.references[subject] > 1:
            found["@id"] = _key(subject)
        if subject in self.placed:
            return found
        self.placed.add(subject)
        # linked resources first, blank nodes after: a resource is embedded (with its labels) where it is linked
        # directly, not deep inside a derivation that names it too
        for triple in sorted(self.by_subject.get(subject, ()),
                             key=lambda t: (isinstance(t.object, ox.BlankNode), t.predicate.value, str(t.object))):
            if triple == skip:
                continue
            if triple.predicate.value == _RDF_TYPE and isinstance(triple.object, ox.NamedNode):
                found.setdefault("@type", []).append(triple.object.value)
                continue
            found.setdefault(triple.predicate.value, []).append(self.value(triple.object))
        return found

    def value(self, term) -> dict:
        if isinstance(term, ox.Literal):
            return _literal(term)
        return self.node(term)

    def frame(self, iri: str) -> dict:
        top = ox.NamedNode(iri)
        document = self.node(top)
        reverse: dict[str, list] = {}
        for subject in list(self.by_subject):
            if subject in self.placed:
                continue
            pointing = next((t for t in self.by_subject[subject] if t.object == top), None)
            if pointing is not None and isinstance(subject, ox.NamedNode):
                reverse.setdefault(pointing.predicate.value, []).append(self.node(subject, skip=pointing))
        if reverse:
            document["@reverse"] = reverse
        included = [self.node(subject) for subject in list(self.by_subject) if subject not in self.placed]
        if included:
            document["@included"] = included
        return document


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def framed(triples: list[ox.Triple], iri: str, context_url: str, base: str = CANONICAL_BASE) -> bytes:
    """The description ``triples`` of ``iri`` as compact JSON-LD whose ``@context`` is ``context_url``."""
    local = context(base)
    if not triples:
        return json.dumps({"@context": context_url}).encode()
    compacted = jsonld.compact(_Framer(triples).frame(iri), local, {"base": None})
    compacted["@context"] = context_url
    for keyword in ("@reverse", "@included"):  # after the resource's own properties
        if keyword in compacted:
            compacted[keyword] = compacted.pop(keyword)
    return (json.dumps(compacted, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
