"""A diagram of the ontology's classes and relations, as inline SVG made here (no script, no external loads).

One band per own class (in the manner of pyLODE/WIDOCO's overview figures, laid out for reading rather than
as a graph drawing): the class on the left; on the right each class it relates to, with an arrow labelled by
the object property (domain -> range), and a dashed arrow with a hollow head to each super-class. Own classes
are filled, other vocabularies' classes outlined; every box links to the term's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from .ontology import OntologyDoc

BOX_W, BOX_H, ROW_H, GAP, LEFT_X, RIGHT_X, WIDTH = 230, 30, 38, 18, 10, 520, 770


@dataclass
class Edge:
    label: str
    target_label: str
    target_href: str
    target_ours: bool
    kind: str  # "property" or "subclass"


def _box(x: float, y: float, label: str, href: str, ours: bool) -> str:
    fill, stroke, color = ("#154273", "#154273", "#ffffff") if ours else ("#ffffff", "#154273", "#1b1b1b")
    text = label if len(label) <= 32 else label[:31] + "…"
    return (f'<a href="{escape(href)}"><title>{escape(label)}</title>'
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="4" fill="{fill}" stroke="{stroke}"/>'
            f'<text x="{x + BOX_W / 2}" y="{y + BOX_H / 2 + 5}" text-anchor="middle" fill="{color}">{escape(text)}</text></a>')


def class_diagram(doc: OntologyDoc) -> str:
    """The SVG (a string, safe to insert into the page) for the classes and object properties of ``doc``."""
    bands: list[tuple[object, list[Edge]]] = []
    for term in doc.classes:
        edges = [Edge("subklasse van", s.label.value, s.href, not s.external, "subclass") for s in term.supers]
        for prop in doc.properties:
            if prop.kind != "object" or term.link.iri not in {d.iri for d in prop.domains}:
                continue
            for target in prop.ranges:
                edges.append(Edge(prop.link.label.value, target.label.value, target.href, not target.external, "property"))
        bands.append((term, edges))
    parts, y = [], 10
    for term, edges in bands:
        rows = max(1, len(edges))
        height = rows * ROW_H
        cy = y + height / 2 - BOX_H / 2
        parts.append(_box(LEFT_X, cy, term.link.label.value, term.link.href, True))
        for i, edge in enumerate(edges):
            ty = y + i * ROW_H + (ROW_H - BOX_H) / 2
            x1, y1, x2, y2 = LEFT_X + BOX_W, cy + BOX_H / 2, RIGHT_X, ty + BOX_H / 2
            dashed = ' stroke-dasharray="6 4"' if edge.kind == "subclass" else ""
            marker = "url(#hollow)" if edge.kind == "subclass" else "url(#arrow)"
            parts.append(f'<path d="M{x1},{y1} C{x1 + 80},{y1} {x2 - 100},{y2} {x2 - 2},{y2}" fill="none" stroke="#4a4a4a"{dashed} marker-end="{marker}"/>')
            parts.append(f'<text x="{x2 - 8}" y="{y2 - 5}" text-anchor="end" class="edge">{escape(edge.label)}</text>')
            parts.append(_box(RIGHT_X, ty, edge.target_label, edge.target_href, edge.target_ours))
        y += height + GAP
        parts.append(f'<line x1="0" y1="{y - GAP / 2}" x2="{WIDTH}" y2="{y - GAP / 2}" stroke="#e4e9ef"/>')
    height = y + 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="group" aria-labelledby="diagram-title diagram-desc" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="system-ui, sans-serif" font-size="13">'
        '<title id="diagram-title">Klassen en relaties van de ontologie</title>'
        '<desc id="diagram-desc">Per eigen klasse (gevuld) de klassen waarnaar zij verwijst: een pijl met de naam van de '
        'objecteigenschap (domein naar bereik), of een gestippelde pijl naar de superklasse. Omlijnde klassen komen uit '
        'andere vocabulaires. Dezelfde gegevens staan in de lijsten hieronder.</desc>'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#4a4a4a"/></marker>'
        '<marker id="hollow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#ffffff" stroke="#4a4a4a"/></marker></defs>'
        '<style>text.edge { fill: #1b1b1b; font-size: 12px; paint-order: stroke; stroke: #ffffff; stroke-width: 3px; }</style>'
        + "".join(parts) + "</svg>"
    )
