"""The ontology as one document (pyLODE/WIDOCO style): its header, classes, properties, and a diagram.

Built from one CONSTRUCT through the store (:func:`ontology_query`): the ontology resource, every term
``rdfs:isDefinedBy`` it, the shapes that apply to each term (``sh:targetClass``, ``sh:path``), and the labels of
the terms they refer to. The same triples are the document's RDF representations. What the document says
about the terms is what the ontology states: triples of the inferred graph (the reasoner's super-classes of
a range, say) are left out, so the diagram draws one edge per stated range, not one per inferred super-class.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from . import labels as L
from .describe import Link, Viewer
from .rdf import TripleIndex
from .uris import UriMapper

OWL_CLASS = L.OWL_NS + "Class"
PROPERTY_TYPES = {L.OWL_NS + "ObjectProperty": "object", L.OWL_NS + "DatatypeProperty": "datatype",
                  L.OWL_NS + "AnnotationProperty": "annotation", L.RDF_NS + "Property": "property"}
DEFINITION = L.SKOS_NS + "definition"
_LABELS = " ".join(f"<{p}>" for p in L.LABEL_PROPERTIES)


def ontology_query(ontology: str, inferred_graph: str) -> str:
    """The CONSTRUCT of the ontology document; ``inferred_graph``: the graph of the reasoner's triples (left out)."""
    return f"""# The ontology <{ontology}> as one document: its terms as stated, the shapes that apply to them, and labels.
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sh: <http://www.w3.org/ns/shacl#>
CONSTRUCT {{ ?t ?p ?o . ?o ?lp ?l . ?shape ?sp ?t . ?shape ?slp ?sl . ?node sh:property ?shape . ?node ?nlp ?nl . }}
WHERE {{
  {{ VALUES ?t {{ <{ontology}> }} ?t ?p ?o . FILTER(!isBlank(?o)) }}
  UNION {{ ?t rdfs:isDefinedBy <{ontology}> ; ?p ?o . FILTER(!isBlank(?o))
           FILTER NOT EXISTS {{ GRAPH <{inferred_graph}> {{ ?t ?p ?o }} }} }}
  UNION {{ ?t rdfs:isDefinedBy <{ontology}> ; ?p ?o . FILTER(isIRI(?o)) FILTER NOT EXISTS {{ GRAPH <{inferred_graph}> {{ ?t ?p ?o }} }}
           VALUES ?lp {{ {_LABELS} }} ?o ?lp ?l }}
  UNION {{ ?t rdfs:isDefinedBy <{ontology}> . VALUES ?sp {{ sh:targetClass sh:path }} ?shape ?sp ?t . FILTER(isIRI(?shape))
           OPTIONAL {{ VALUES ?slp {{ {_LABELS} }} ?shape ?slp ?sl }}
           OPTIONAL {{ ?node sh:property ?shape . OPTIONAL {{ VALUES ?nlp {{ {_LABELS} }} ?node ?nlp ?nl }} }} }}
}}
"""


@dataclass
class Term:
    """One class or property with what its page and the ontology document show."""

    link: Link
    kind: str  # "class", "object", "datatype", ...
    label_en: L.Text | None
    definitions: list[L.Text]
    comments: list[L.Text]
    supers: list[Link]
    subs: list[Link]
    domains: list[Link]
    ranges: list[Link]
    inverse: list[Link]
    shapes: list[Link]
    anchor: str

    @property
    def local(self) -> str:
        return L.local_name(self.link.iri)


@dataclass
class OntologyDoc:
    iri: str
    title: L.Text
    title_en: L.Text | None
    descriptions: list[L.Text]
    version: str | None
    license: Link | None
    classes: list[Term] = field(default_factory=list)
    properties: list[Term] = field(default_factory=list)


def _texts(index: TripleIndex, node, predicate: str) -> list[L.Text]:
    found = [L.Text(o.value, o.language or "") for o in index.objects(node, predicate) if isinstance(o, ox.Literal)]
    return sorted(found, key=lambda t: (t.lang != "nl", t.lang))


def term_of(index: TripleIndex, viewer: Viewer, node: ox.NamedNode) -> Term | None:
    """The term ``node`` as described in ``index`` (a description or the ontology document), or None."""
    types = {t.value for t in index.objects(node, L.RDF_TYPE)}
    if OWL_CLASS in types or L.RDFS_NS + "Class" in types:
        kind = "class"
    else:
        kind = next((PROPERTY_TYPES[t] for t in PROPERTY_TYPES if t in types), None)
        if kind is None:
            return None
    links = lambda nodes: sorted((viewer.link(n) for n in dict.fromkeys(nodes) if isinstance(n, ox.NamedNode)),
                                 key=lambda link: link.label.value.lower())
    sub_property = L.RDFS_NS + ("subClassOf" if kind == "class" else "subPropertyOf")
    shape_property = L.SH_NS + ("targetClass" if kind == "class" else "path")
    shapes = index.subjects(shape_property, node)
    shapes += [n for shape in shapes for n in index.subjects(L.SH_NS + "property", shape)]
    values = index.label_values(node)
    label_en = L.choose([v for v in values if v[2] == "en"], "en")
    return Term(
        link=viewer.link(node),
        kind=kind,
        label_en=label_en,
        definitions=_texts(index, node, DEFINITION),
        comments=_texts(index, node, L.RDFS_NS + "comment"),
        supers=links([o for o in index.objects(node, sub_property) if o != node]),
        subs=links([s for s in index.subjects(sub_property, node) if s != node]),
        domains=links(index.objects(node, L.RDFS_NS + "domain")),
        ranges=links(index.objects(node, L.RDFS_NS + "range")),
        inverse=links(index.objects(node, L.OWL_NS + "inverseOf") + index.subjects(L.OWL_NS + "inverseOf", node)),
        shapes=links(shapes),
        anchor=L.local_name(node.value),
    )


def ontology_doc(triples: list[ox.Triple], iri: str, mapper: UriMapper) -> OntologyDoc:
    index = TripleIndex(triples)
    viewer = Viewer(mapper, index)
    node = ox.NamedNode(iri)
    titles = _texts(index, node, L.DCT_TITLE)
    licence = index.objects(node, L.DCT_NS + "license")
    version = index.objects(node, L.OWL_NS + "versionInfo")
    doc = OntologyDoc(
        iri=iri,
        title=titles[0] if titles else L.Text(iri),
        title_en=next((t for t in titles if t.lang == "en"), None),
        descriptions=_texts(index, node, L.DCT_NS + "description"),
        version=version[0].value if version else None,
        license=viewer.link(licence[0]) if licence else None,
    )
    for subject in index.subjects(L.RDFS_NS + "isDefinedBy", node):
        term = term_of(index, viewer, subject)
        if term is None:
            continue
        (doc.classes if term.kind == "class" else doc.properties).append(term)
    doc.classes.sort(key=lambda t: t.link.label.value.lower())
    doc.properties.sort(key=lambda t: t.link.label.value.lower())
    return doc
