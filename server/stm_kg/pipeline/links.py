"""External links: the linksets of ``data/links/`` and the external identifiers and pages in ``data/``.

Every link to a dataset outside the knowledge graph is listed here with a pattern check, so that no link is
ever guessed or mistyped unnoticed (``stm-kg links check``):

- a TOOI URI has the TOOI form (``https://identifier.overheid.nl/tooi/id/ministerie/mnreNNNN``) and its code
  is the ministry's ``dcterms:identifier``;
- a ``kst-`` identifier (officielebekendmakingen.nl) matches the dossier and number of the resource's IRI
  (``id/document/kst-28638-247``) and its ``foaf:page``;
- an ELI has the ELI form (``http://data.europa.eu/eli/dir/YYYY/N/oj``) and matches the CELEX number
  (``3YYYYLNNNN``) of the same resource;
- a Tweede Kamer page names a document number (``YYYYDNNNNN``) that the resource carries;
- a linkset is one ``void:Linkset`` with its targets, link predicate, titles in nl and en, provenance from the
  research note (each quote found in the note), and a ``void:triples`` equal to the number of its links.

Checks are on the form of the values and on their agreement with each other; nothing is fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import parse_qs, urlsplit

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS

from ..config import CANONICAL_BASE, DATA_DIR
from .quotes import normalise
from .sources import Module, read_modules, turtle_files

VOID = "http://rdfs.org/ns/void#"
PROV = "http://www.w3.org/ns/prov#"
STM_QUOTE = URIRef(f"{CANONICAL_BASE}def/ont/quote")
RESEARCH_NOTE = URIRef(f"{CANONICAL_BASE}id/document/onderzoeksnotitie-publieke-identificatoren")
RESEARCH_NOTE_FILE = "public-identifiers.md"

TOOI_MINISTRY = re.compile(r"^https://identifier\.overheid\.nl/tooi/id/ministerie/(mnre\d{4})$")
TOOI_ANY = re.compile(r"^https?://identifier\.overheid\.nl/tooi/")
TOOI_CODE = re.compile(r"^mnre\d{4}$")
KST = re.compile(r"^kst-(\d{5})(?:-([A-Z]+))?-(\d+|[A-Z]+)$")
KST_PAGE = re.compile(r"^https://zoek\.officielebekendmakingen\.nl/(?:dossier/|behandelddossier/)?(kst-[0-9A-Za-z-]+)\.html$")
OB_ANY = re.compile(r"^https?://zoek\.officielebekendmakingen\.nl/")
ELI_DIRECTIVE = re.compile(r"^http://data\.europa\.eu/eli/dir/(\d{4})/(\d{1,4})/oj$")
ELI_ANY = re.compile(r"^https?://data\.europa\.eu/eli/")
CELEX = re.compile(r"^3(\d{4})([LRD])(\d{4})$")
EURLEX_PAGE = re.compile(r"^https?://eur-lex\.europa\.eu/legal-content/[A-Z]{2}/[A-Z]+/\?uri=CELEX(?:%3A|:)(3\d{4}[LRD]\d{4})$")
TK_DOCUMENT = re.compile(r"^\d{4}D\d{5}$")
TK_ZAAK = re.compile(r"^\d{4}Z\d{5}$")
TK_ANY = re.compile(r"^https?://(?:www\.)?tweedekamer\.nl/")
TK_LETTER_PAGE = "https://www.tweedekamer.nl/kamerstukken/brieven_regering/detail"
TK_DETAIL_PAGE = "https://www.tweedekamer.nl/kamerstukken/detail"

#: Predicates whose IRI objects outside our base are external links (dcterms:source is provenance, not a link).
LINK_PREDICATES = (OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch, FOAF.page, RDFS.seeAlso)


@dataclass(frozen=True)
class LinkCheck:
    """One external link or identifier with the outcome of its pattern check.

    ``status``: ``"ok"``, ``"fail"`` or ``"unchecked"`` (no pattern is known for it: listed, not judged).
    """

    source: str
    subject: str
    predicate: str
    value: str
    kind: str
    status: str
    message: str
    linkset: str | None = None


@dataclass
class LinksetReport:
    """What a linkset file declares and what it holds."""

    source: str
    name: str
    iri: str | None
    declared_triples: int | None
    links: int
    predicates: tuple[str, ...]
    problems: list[str] = field(default_factory=list)


@dataclass
class LinksReport:
    linksets: list[LinksetReport]
    checks: list[LinkCheck]

    @property
    def failed(self) -> list[LinkCheck]:
        return [c for c in self.checks if c.status == "fail"]

    @property
    def ok(self) -> bool:
        return not self.failed and not any(ls.problems for ls in self.linksets)


class _Facts:
    """Identifiers and pages of each resource of the data, for cross-checks."""

    def __init__(self, data: Graph):
        self.data = data
        self.identifiers: dict[URIRef, set[str]] = {}
        for s, o in data.subject_objects(DCTERMS.identifier):
            if isinstance(s, URIRef) and isinstance(o, Literal):
                self.identifiers.setdefault(s, set()).add(str(o))
        self.subjects = {s for s in data.subjects() if isinstance(s, URIRef)}

    def ids(self, subject) -> set[str]:
        return self.identifiers.get(subject, set())

    def kst_ids(self, subject) -> set[str]:
        return {i for i in self.ids(subject) if KST.match(i)}

    def celex_ids(self, subject) -> set[str]:
        return {i for i in self.ids(subject) if CELEX.match(i)}

    def tk_numbers(self, subject) -> set[str]:
        return {i for i in self.ids(subject) if TK_DOCUMENT.match(i) or TK_ZAAK.match(i)}


def _local_kst(subject: str) -> str | None:
    """``kst-28638-247`` for ``{base}id/document/kst-28638-247`` (None for other IRIs)."""
    found = re.match(r"^.*/id/document/(kst-[0-9A-Za-z-]+?)$", subject)
    return found.group(1) if found and KST.match(found.group(1)) else None


def _result(status: bool, ok: str, fail: str) -> tuple[str, str]:
    return ("ok", ok) if status else ("fail", fail)


def check_value(subject: URIRef, predicate: URIRef, value, facts: _Facts) -> tuple[str, str, str]:
    """(kind, status, message) of one identifier literal or link IRI of ``subject``."""
    text = str(value)
    if isinstance(value, Literal):
        if TOOI_CODE.match(text):
            return ("tooi-code", "ok", "TOOI organisation code form mnreNNNN")
        if text.startswith("kst-"):
            found = KST.match(text)
            if not found:
                return ("kst", "fail", "not of the form kst-DOSSIER[-TOEVOEGING]-NR")
            local = _local_kst(str(subject))
            if "/id/document/kst-" in str(subject) and local != text:
                return ("kst", "fail", f"the identifier does not match the IRI's dossier and number ({local or 'unreadable'})")
            pages = {str(p) for p in facts.data.objects(subject, FOAF.page) if OB_ANY.match(str(p))}
            expected = f"https://zoek.officielebekendmakingen.nl/{text}.html"
            if pages and expected not in pages:
                return ("kst", "fail", f"foaf:page {sorted(pages)} is not {expected}")
            where = f"dossier {found.group(1)}{'-' + found.group(2) if found.group(2) else ''}, nr. {found.group(3)}"
            return ("kst", "ok", where + (", matches the IRI" if local else "") + (", matches foaf:page" if pages else ""))
        if CELEX.match(text):
            elis = [str(o) for o in (*facts.data.objects(subject, OWL.sameAs), *facts.ids(subject)) if ELI_ANY.match(str(o))]
            bad = [eli for eli in elis if _eli_celex(eli) not in (None, text)]
            status, message = _result(not bad, "CELEX form 3YYYYLNNNN" + (", agrees with the ELI" if elis else ""),
                                      f"disagrees with the ELI {bad}")
            return ("celex", status, message)
        if ELI_ANY.match(text):
            return ("eli", *_check_eli(text, subject, facts))
        if TK_DOCUMENT.match(text):
            return ("tk-document", "ok", "Tweede Kamer document number form YYYYDNNNNN")
        if TK_ZAAK.match(text):
            return ("tk-zaak", "ok", "Tweede Kamer zaak number form YYYYZNNNNN")
        return ("identifier", "unchecked", "no known identifier pattern")
    if TOOI_ANY.match(text):
        found = TOOI_MINISTRY.match(text)
        if not found:
            return ("tooi", "fail", "not of the TOOI ministry form https://identifier.overheid.nl/tooi/id/ministerie/mnreNNNN")
        code = found.group(1)
        status, message = _result(code in facts.ids(subject), f"TOOI form; code {code} is the resource's dcterms:identifier",
                                  f"code {code} is not among the resource's identifiers {sorted(facts.ids(subject))}")
        return ("tooi", status, message)
    if ELI_ANY.match(text):
        return ("eli", *_check_eli(text, subject, facts))
    if OB_ANY.match(text):
        found = KST_PAGE.match(text)
        if not found:
            return ("kst-page", "fail", "not of the form https://zoek.officielebekendmakingen.nl/kst-DOSSIER-NR.html")
        kst = found.group(1)
        local = _local_kst(str(subject))
        if local is not None and local != kst:
            return ("kst-page", "fail", f"page {kst} does not match the IRI's {local}")
        ids = facts.kst_ids(subject)
        status, message = _result(kst in ids, f"page of {kst}, the resource's dcterms:identifier",
                                  f"{kst} is not among the resource's kst identifiers {sorted(ids)}")
        return ("kst-page", status, message)
    if EURLEX_PAGE.match(text) or text.startswith(("https://eur-lex.europa.eu/", "http://eur-lex.europa.eu/")):
        found = EURLEX_PAGE.match(text)
        if not found:
            return ("eur-lex-page", "unchecked", "EUR-Lex page without a CELEX number")
        celex = found.group(1)
        status, message = _result(celex in facts.celex_ids(subject), f"EUR-Lex page of CELEX {celex}, the resource's identifier",
                                  f"CELEX {celex} is not among the resource's CELEX numbers {sorted(facts.celex_ids(subject))}")
        return ("eur-lex-page", status, message)
    if TK_ANY.match(text):
        return ("tk-page", *_check_tk_page(text, subject, facts))
    return ("page", "unchecked", "no known pattern for this site")


def _eli_celex(eli: str) -> str | None:
    found = ELI_DIRECTIVE.match(eli)
    return f"3{found.group(1)}L{int(found.group(2)):04d}" if found else None


def _check_eli(eli: str, subject, facts: _Facts) -> tuple[str, str]:
    celex = _eli_celex(eli)
    if celex is None:
        return ("fail", "not of the ELI form http://data.europa.eu/eli/dir/YYYY/N/oj")
    known = facts.celex_ids(subject)
    if not known:
        return ("fail", f"ELI form, but the resource has no CELEX number to match ({celex} expected)")
    return _result(celex in known, f"ELI form; matches CELEX {celex}", f"matches CELEX {celex}, but the resource has {sorted(known)}")


def _check_tk_page(url: str, subject, facts: _Facts) -> tuple[str, str]:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items() if len(values) == 1}
    page = f"{parts.scheme}://{parts.netloc}{parts.path}"
    numbers = facts.tk_numbers(subject)
    did = query.get("did", "")
    if page == TK_LETTER_PAGE:
        if not (TK_DOCUMENT.match(did) and query.get("id") == did and set(query) == {"did", "id"}):
            return ("fail", "not of the form brieven_regering/detail?did=YYYYDNNNNN&id=YYYYDNNNNN")
    elif page == TK_DETAIL_PAGE:
        if not (TK_DOCUMENT.match(did) and TK_ZAAK.match(query.get("id", "")) and set(query) == {"did", "id"}):
            return ("fail", "not of the form kamerstukken/detail?id=YYYYZNNNNN&did=YYYYDNNNNN")
    else:
        return ("unchecked", "Tweede Kamer page of another kind")
    return _result(did in numbers, f"Tweede Kamer page of document {did}, the resource's identifier",
                   f"document {did} is not among the resource's identifiers {sorted(numbers)}")


# -- linksets -----------------------------------------------------------------------------------------


def _literal_langs(graph: Graph, subject, predicate) -> set[str]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language}


def linkset_links(graph: Graph) -> tuple[URIRef | None, list[tuple]]:
    """The linkset's IRI and its link triples (every triple not about the linkset, a dataset or a blank node)."""
    linksets = [s for s in graph.subjects(RDF.type, URIRef(VOID + "Linkset")) if isinstance(s, URIRef)]
    described = set(linksets) | set(graph.subjects(RDF.type, URIRef(VOID + "Dataset")))
    described |= {s for s, p, o in graph.triples((None, URIRef(VOID + "subset"), None))}
    links = [(s, p, o) for s, p, o in graph if s not in described and not isinstance(s, BNode)]
    return (linksets[0] if len(linksets) == 1 else None), sorted(links)


def check_linkset(module: Module, facts: _Facts, note_text: str | None, root: Path) -> tuple[LinksetReport, list[LinkCheck]]:
    graph, name = module.graph, module.path.stem
    source = str(module.path.relative_to(root)) if module.path.is_relative_to(root) else str(module.path)
    iri, links = linkset_links(graph)
    problems: list[str] = []
    count = sum(1 for _ in graph.subjects(RDF.type, URIRef(VOID + "Linkset")))
    if count != 1 or iri is None:
        problems.append(f"declares {count} void:Linkset resources (one expected)")
        return LinksetReport(source, name, None, None, len(links), (), problems), []
    if not str(iri).endswith(f"/linkset/{name}"):
        problems.append(f"the linkset IRI <{iri}> does not end in /linkset/{name} (the file name)")
    declared = [o for o in graph.objects(iri, URIRef(VOID + "triples"))]
    declared_n = int(declared[0]) if len(declared) == 1 and isinstance(declared[0], Literal) else None
    if declared_n is None:
        problems.append("void:triples missing or not a single number")
    elif declared_n != len(links):
        problems.append(f"void:triples says {declared_n}, the linkset holds {len(links)} links")
    predicates = tuple(sorted(str(p) for p in graph.objects(iri, URIRef(VOID + "linkPredicate"))))
    if not predicates:
        problems.append("no void:linkPredicate")
    for prop in ("target", "subjectsTarget", "objectsTarget"):
        if not list(graph.objects(iri, URIRef(VOID + prop))):
            problems.append(f"no void:{prop}")
    missing = {"nl", "en"} - _literal_langs(graph, iri, DCTERMS.title)
    if missing:
        problems.append(f"no dcterms:title in {', '.join(sorted(missing))}")
    if RESEARCH_NOTE not in set(graph.objects(iri, URIRef(PROV + "wasDerivedFrom"))):
        problems.append("not prov:wasDerivedFrom the research note")
    quotes = [str(q) for d in graph.objects(iri, URIRef(PROV + "qualifiedDerivation")) for q in graph.objects(d, STM_QUOTE)]
    if not quotes:
        problems.append("no quote from the research note (prov:qualifiedDerivation / stm:quote)")
    if note_text is not None:
        for quote in quotes:
            if normalise(quote) not in note_text:
                problems.append(f"quote not found in the research note: {quote!r}")
    spaces = [str(o) for t in graph.objects(iri, URIRef(VOID + "objectsTarget")) for o in graph.objects(t, URIRef(VOID + "uriSpace"))]
    checks = []
    for s, p, o in links:
        kind, status, message = check_value(s, p, o, facts)
        if str(p) not in predicates:
            status, message = "fail", f"predicate <{p}> is not the linkset's void:linkPredicate"
        elif s not in facts.subjects:
            status, message = "fail", "the subject is not a resource of the data (dangling link)"
        elif not isinstance(o, URIRef):
            status, message = "fail", "the object is not an IRI"
        elif spaces and not any(str(o).startswith(space) for space in spaces):
            status, message = "fail", f"the object is outside the target's void:uriSpace {spaces}"
        checks.append(LinkCheck(source, str(s), str(p), str(o), kind, status, message, linkset=name))
    return LinksetReport(source, name, str(iri), declared_n, len(links), predicates, problems), checks


def _data_checks(modules: Iterable[Module], facts: _Facts, root: Path) -> list[LinkCheck]:
    checks = []
    for module in modules:
        source = str(module.path.relative_to(root)) if module.path.is_relative_to(root) else str(module.path)
        graph = module.graph
        for s, o in sorted(graph.subject_objects(DCTERMS.identifier)):
            if isinstance(s, URIRef) and isinstance(o, Literal):
                kind, status, message = check_value(s, DCTERMS.identifier, o, facts)
                checks.append(LinkCheck(source, str(s), str(DCTERMS.identifier), str(o), kind, status, message))
        for predicate in LINK_PREDICATES:
            for s, o in sorted(graph.subject_objects(predicate)):
                if isinstance(s, URIRef) and isinstance(o, URIRef) and not str(o).startswith(CANONICAL_BASE):
                    kind, status, message = check_value(s, predicate, o, facts)
                    checks.append(LinkCheck(source, str(s), str(predicate), str(o), kind, status, message))
    return checks


def check_links(data_dir: Path = DATA_DIR) -> LinksReport:
    """Check every linkset of ``data_dir/links/`` and every external identifier and page of ``data_dir``."""
    data_modules = read_modules(turtle_files(data_dir, exclude={"links"}))
    link_dir = data_dir / "links"
    linkset_modules = read_modules(turtle_files(link_dir)) if link_dir.is_dir() else []
    data = Graph()
    for module in data_modules:
        data += module.graph
    facts = _Facts(data)
    note = data_dir / "sources" / RESEARCH_NOTE_FILE
    note_text = normalise(note.read_text(encoding="utf-8")) if note.exists() else None
    root = data_dir.parent
    linksets, checks = [], []
    for module in linkset_modules:
        report, found = check_linkset(module, facts, note_text, root)
        linksets.append(report)
        checks += found
    checks += _data_checks(data_modules, facts, root)
    return LinksReport(linksets, checks)
