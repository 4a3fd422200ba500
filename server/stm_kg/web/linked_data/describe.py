"""What the store says about one URI: its description as data, and the view of it that a page shows.

Everything comes from the store through :class:`~stm_kg.store.interface.KnowledgeStore` as SPARQL: the
description is one CONSTRUCT (:func:`description_query`), which the page links to as "the SPARQL query that
returns it"; pages add a few SELECTs (memberships, labels). Nothing here knows about HTTP.

The description of ``<u>`` (Pubby/LodView style, a "concise bounded description" plus context):
- every triple with ``<u>`` as subject, and the triples of the blank nodes it points to (two levels: a
  qualified derivation with its source and quote, a period with its instants);
- every triple with ``<u>`` as object whose subject is an IRI (what links to it), a page at a time: at most
  :data:`INCOMING_PAGE_SIZE` (subject, property) pairs per page, in a stable order (:class:`IncomingPage`);
- the labels (``skos:prefLabel``, ``rdfs:label``, names, titles, notations) of everything it links to,
  everything that links to it, the sources its derivations name, and the properties used.
A URI whose description is empty names nothing (404).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pyoxigraph as ox

from ...store.interface import FormatChoice, KnowledgeStore
from . import labels as L
from .rdf import NTRIPLES, TripleIndex, parse_ntriples
from .uris import UriMapper

SOLUTIONS_JSON = "application/sparql-results+json"
STM_QUOTE_SUFFIX = "def/ont/quote"
STM_ATTESTED_SUFFIX = "def/ont/attestedOn"

_LABEL_VALUES = " ".join(f"<{p}>" for p in L.LABEL_PROPERTIES)

#: Links to a resource (subject, property) on one page of its description; a body with 20,000 members
#: would otherwise be one page of megabytes. The bundled graph's most linked-to resource has 133.
INCOMING_PAGE_SIZE = 500


@dataclass(frozen=True)
class IncomingPage:
    """Which links to a resource one page of its description holds: page ``number`` of ``total`` links."""

    number: int
    total: int
    size: int = INCOMING_PAGE_SIZE

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first_item(self) -> int:
        return min(self.total, (self.number - 1) * self.size + 1)

    @property
    def last_item(self) -> int:
        return min(self.total, self.number * self.size)

    def neighbours(self) -> dict[str, int]:
        """RFC 8288 relation -> page number: ``first``, ``prev``, ``next``, ``last`` (none for a single page)."""
        if self.last == 1:
            return {}
        found = {"first": 1}
        if self.number > 1:
            found["prev"] = min(self.number - 1, self.last)
        if self.number < self.last:
            found["next"] = self.number + 1
        found["last"] = self.last
        return found


def description_query(iri: str, page: int = 1, page_size: int = INCOMING_PAGE_SIZE) -> str:
    """The SPARQL CONSTRUCT that returns (page ``page`` of) the description of ``iri`` (see the module's docstring).

    The second level of blank nodes is a branch of its own, not an ``OPTIONAL`` inside the first: on
    Virtuoso 7.2 (remote-store mode), ``OPTIONAL { ?bo ?bp2 ?bo2 }`` there sometimes comes back with ``?bo2``
    bound and ``?bp2`` not, when ``?bp2`` is ``rdf:type``, so the types of those blank nodes went missing
    from pages (depending on how the data happened to be laid out; decision 0008).
    """
    u = f"<{iri}>"
    return f"""# The description of {iri}: its triples, what links to it, and the labels of both.
CONSTRUCT {{
  {u} ?p ?o . ?o ?lp ?label . ?p ?plp ?plabel .
  ?o ?bp ?bo . ?bo ?bp2 ?bo2 . ?bo ?blp ?blabel .
  ?s ?ip {u} . ?s ?slp ?slabel . ?ip ?iplp ?iplabel .
}}
WHERE {{
  {{ {u} ?p ?o .
    OPTIONAL {{ VALUES ?plp {{ {_LABEL_VALUES} }} ?p ?plp ?plabel }} }}
  UNION
  {{ {u} ?p ?o . FILTER(isIRI(?o))
    VALUES ?lp {{ {_LABEL_VALUES} }} ?o ?lp ?label }}
  UNION
  {{ {u} ?p ?o . FILTER(isBlank(?o)) ?o ?bp ?bo .
    OPTIONAL {{ VALUES ?blp {{ {_LABEL_VALUES} }} ?bo ?blp ?blabel . FILTER(isIRI(?bo)) }} }}
  UNION
  {{ {u} ?p ?o . FILTER(isBlank(?o)) ?o ?bp ?bo . FILTER(isBlank(?bo)) ?bo ?bp2 ?bo2 }}
  UNION
  {{ {{ SELECT DISTINCT ?s ?ip WHERE {{ ?s ?ip {u} . FILTER(isIRI(?s)) }}
      ORDER BY ?ip ?s LIMIT {page_size} OFFSET {(page - 1) * page_size} }}
    OPTIONAL {{ VALUES ?slp {{ {_LABEL_VALUES} }} ?s ?slp ?slabel }}
    OPTIONAL {{ VALUES ?iplp {{ {_LABEL_VALUES} }} ?ip ?iplp ?iplabel }} }}
}}
"""


def incoming_count_query(iri: str) -> str:
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}> . FILTER(isIRI(?s)) }} }}"


def construct(store: KnowledgeStore, query: str, timeout: float | None = None) -> list[ox.Triple]:
    result = store.query(query, FormatChoice(None, NTRIPLES), timeout=timeout)
    return list(dict.fromkeys(parse_ntriples(result.body)))  # CONSTRUCT may repeat a triple


def select(store: KnowledgeStore, query: str, timeout: float | None = None) -> list[dict[str, dict]]:
    """The solutions of a SELECT, as the SPARQL JSON results' bindings."""
    result = store.query(query, FormatChoice(SOLUTIONS_JSON, None), timeout=timeout)
    return json.loads(result.body)["results"]["bindings"]


def describe_page(store: KnowledgeStore, iri: str, page: int = 1,
                  timeout: float | None = None) -> tuple[list[ox.Triple], IncomingPage]:
    """Page ``page`` of the description of ``iri`` (empty when the store knows nothing about it), and which links
    to it that page holds.

    The links are counted with a query of their own only when the page is full or not the first, so a
    resource with a few links costs no extra query.
    """
    triples = construct(store, description_query(iri, page), timeout)
    node = ox.NamedNode(iri)
    on_page = len({(t.subject, t.predicate) for t in triples if t.object == node and isinstance(t.subject, ox.NamedNode)})
    if page == 1 and on_page < INCOMING_PAGE_SIZE:
        return triples, IncomingPage(page, on_page)
    rows = select(store, incoming_count_query(iri), timeout)
    return triples, IncomingPage(page, int(rows[0]["n"]["value"]) if rows else on_page)


def fetch_labels(store: KnowledgeStore, iris: set[str], timeout: float | None = None) -> dict[str, list[tuple[str, str, str]]]:
    """``(property, text, language)`` label values for each of ``iris`` (one query)."""
    if not iris:
        return {}
    values = " ".join(f"<{iri}>" for iri in sorted(iris))
    rows = select(store, f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {_LABEL_VALUES} }} ?x ?p ?l }}", timeout)
    found: dict[str, list[tuple[str, str, str]]] = {}
    for row in rows:
        found.setdefault(row["x"]["value"], []).append((row["p"]["value"], row["l"]["value"], row["l"].get("xml:lang", "")))
    return found


# -- The view of a page ------------------------------------------------------------------------------------


@dataclass
class Link:
    """A link on a page: where it goes, what it says, and the URI it stands for."""

    href: str
    label: L.Text
    iri: str
    external: bool = False


@dataclass
class Value:
    """One value of a property: a link, a literal (text with language and datatype) or a nested node."""

    link: Link | None = None
    text: L.Text | None = None
    datatype: str | None = None
    nested: list[Row] | None = None
    inferred: bool = False


@dataclass
class Row:
    """A property and its values, for the table of a page."""

    predicate: Link
    values: list[Value]


@dataclass
class Source:
    """Where a fact comes from: the source document and the quoted sentence."""

    document: Link
    quote: L.Text | None


@dataclass
class Membership:
    """A membership seen from one side: the other side, the role, the date and the sources."""

    membership: Link
    other: Link
    role: Link | None
    date: str | None
    sources: list[Source] = field(default_factory=list)


@dataclass
class ResourceView:
    """Everything the page of one resource shows."""

    iri: str
    label: L.Text
    label_en: L.Text | None
    alt_labels: list[L.Text]
    types: list[Link]
    rows: list[Row]
    incoming: list[Row]
    sources: list[Source]
    memberships: list[Membership] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)
    index: TripleIndex | None = None


#: Properties whose values the page shows elsewhere (heading, sources), not in the table.
_SHOWN_ELSEWHERE = {L.PREF_LABEL, L.RDFS_LABEL, L.PROV_NS + "qualifiedDerivation", L.RDF_TYPE}

_XSD = "http://www.w3.org/2001/XMLSchema#"


class Viewer:
    """Builds page views: labels and links for terms, relative to the served address."""

    def __init__(self, mapper: UriMapper, index: TripleIndex, extra_labels: dict[str, list] | None = None):
        self.mapper = mapper
        self.index = index
        self.extra = extra_labels or {}

    def label(self, node, lang: str = "nl") -> L.Text:
        if isinstance(node, ox.NamedNode):
            values = self.index.label_values(node) or self.extra.get(node.value, [])
            return L.choose(values, lang) or L.fallback(node.value, lang)
        return L.Text("(naamloos)", "nl")

    def link(self, node) -> Link:
        iri = node.value
        href = self.mapper.document_of(iri) or iri
        return Link(href, self.label(node), iri, external=not self.mapper.is_ours(iri))

    def value(self, node, depth: int = 0) -> Value:
        if isinstance(node, ox.Literal):
            datatype = node.datatype.value
            shown = None if datatype.endswith("langString") or datatype == _XSD + "string" else L.prefixed(datatype)
            return Value(text=L.Text(node.value, node.language or ""), datatype=shown)
        if isinstance(node, ox.BlankNode):
            return Value(nested=self.rows(node, depth + 1, hide=set()) if depth < 3 else [])
        return Value(link=self.link(node))

    def rows(self, subject, depth: int = 0, hide: set[str] = _SHOWN_ELSEWHERE) -> list[Row]:
        grouped: dict[str, list] = {}
        for triple in self.index.by_subject.get(subject, ()):
            if triple.predicate.value not in hide:
                grouped.setdefault(triple.predicate.value, []).append(triple.object)
        rows = []
        for predicate, objects in grouped.items():
            values = [self.value(obj, depth) for obj in _unique(objects)]
            values.sort(key=_value_key)
            rows.append(Row(self.link(ox.NamedNode(predicate)), values))
        rows.sort(key=lambda row: (row.predicate.label.value.lower(), row.predicate.iri))
        return rows

    def incoming(self, obj) -> list[Row]:
        grouped: dict[str, list] = {}
        for triple in self.index.by_object.get(obj, ()):
            if isinstance(triple.subject, ox.NamedNode) and triple.subject != obj:
                grouped.setdefault(triple.predicate.value, []).append(triple.subject)
        rows = [
            Row(self.link(ox.NamedNode(p)), sorted((self.value(s) for s in _unique(subjects)), key=_value_key))
            for p, subjects in grouped.items()
        ]
        rows.sort(key=lambda row: (row.predicate.label.value.lower(), row.predicate.iri))
        return rows

    def sources(self, subject) -> list[Source]:
        found = []
        for derivation in self.index.objects(subject, L.PROV_NS + "qualifiedDerivation"):
            for entity in self.index.objects(derivation, L.PROV_NS + "entity"):
                quotes = [q for q in self.index.by_subject.get(derivation, ()) if q.predicate.value.endswith(STM_QUOTE_SUFFIX)]
                for quote in quotes or [None]:
                    text = L.Text(quote.object.value, quote.object.language or "") if quote else None
                    found.append(Source(self.link(entity), text))
        found.sort(key=lambda s: (s.document.label.value, s.quote.value if s.quote else ""))
        return found


def _unique(nodes: list) -> list:
    seen, kept = set(), []
    for node in nodes:
        if node not in seen:
            seen.add(node)
            kept.append(node)
    return kept


def _value_key(value: Value) -> tuple:
    if value.link:
        return (0, value.link.label.value.lower(), value.link.iri)
    if value.text:
        return (1, value.text.lang != "nl", value.text.value)
    return (2, "", "")


def resource_view(triples: list[ox.Triple], iri: str, mapper: UriMapper) -> ResourceView:
    """The page of ``iri`` from its description."""
    index = TripleIndex(triples)
    viewer = Viewer(mapper, index)
    node = ox.NamedNode(iri)
    values = index.label_values(node)
    label = L.choose(values, "nl") or L.fallback(iri)
    label_en = L.choose([v for v in values if v[2] == "en"], "en")
    alt = [L.Text(text, lang) for p, text, lang in values if p == L.ALT_LABEL]
    types = sorted((viewer.link(t) for t in _unique(index.objects(node, L.RDF_TYPE))), key=lambda link: link.label.value.lower())
    return ResourceView(
        iri=iri,
        label=label,
        label_en=label_en if label_en and label_en.value != label.value else None,
        alt_labels=alt,
        types=types,
        rows=viewer.rows(node),
        incoming=viewer.incoming(node),
        sources=viewer.sources(node),
        index=index,
    )


# -- Memberships (decision 0002: an org:Membership per member and body) -------------------------------------


def membership_query(iri: str) -> str:
    return f"""PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?m ?side ?other ?role ?date ?source ?quote WHERE {{
  {{ ?m org:member <{iri}> ; org:organization ?other . BIND("memberOf" AS ?side) }}
  UNION
  {{ ?m org:organization <{iri}> ; org:member ?other . BIND("hasMember" AS ?side) }}
  FILTER(isIRI(?m))
  OPTIONAL {{ ?m org:role ?role }}
  OPTIONAL {{ ?m ?attested ?date . FILTER(STRENDS(STR(?attested), "/{STM_ATTESTED_SUFFIX}")) }}
  OPTIONAL {{ ?m prov:qualifiedDerivation ?d . ?d prov:entity ?source ; ?quoteProperty ?quote .
             FILTER(STRENDS(STR(?quoteProperty), "/{STM_QUOTE_SUFFIX}")) }}
}}"""


def add_memberships(view: ResourceView, store: KnowledgeStore, mapper: UriMapper, timeout: float | None = None) -> None:
    """Fill ``view.memberships`` (bodies it is a member of) and ``view.members`` (its members)."""
    rows = select(store, membership_query(view.iri), timeout)
    if not rows:
        return
    iris = {row[key]["value"] for row in rows for key in ("m", "other", "role", "source") if key in row and row[key]["type"] == "uri"}
    viewer = Viewer(mapper, view.index or TripleIndex([]), fetch_labels(store, iris, timeout))
    found: dict[tuple[str, str], Membership] = {}
    for row in rows:
        key = (row["side"]["value"], row["m"]["value"])
        if key not in found:
            found[key] = Membership(
                membership=viewer.link(ox.NamedNode(row["m"]["value"])),
                other=viewer.link(ox.NamedNode(row["other"]["value"])),
                role=viewer.link(ox.NamedNode(row["role"]["value"])) if "role" in row else None,
                date=row["date"]["value"] if "date" in row else None,
            )
        if "source" in row:
            quote = row.get("quote")
            source = Source(viewer.link(ox.NamedNode(row["source"]["value"])),
                            L.Text(quote["value"], quote.get("xml:lang", "")) if quote else None)
            if source not in found[key].sources:
                found[key].sources.append(source)
    for (side, _), membership in sorted(found.items(), key=lambda item: item[1].other.label.value.lower()):
        (view.memberships if side == "memberOf" else view.members).append(membership)


def exists(store: KnowledgeStore, iri: str, timeout: float | None = None) -> bool:
    """True when ``iri`` has a triple as subject, or is linked to from an IRI: then its description is not empty."""
    rows = select(store, f"SELECT ?x WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?x ?q <{iri}> FILTER(isIRI(?x)) }} }} LIMIT 1", timeout)
    return bool(rows)
