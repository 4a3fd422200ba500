"""Deterministic programme-shaped data at any scale, conforming to the stm-kg shapes.

The output is N-Triples: "blocks", each a small programme of its own (a source document, organisations in a
hierarchy, collaboration bodies with memberships over time, people in parties, documents citing earlier
documents, meetings, motions with submitters, an action plan with actions and their status history), labelled
in Dutch and English, every resource derived from its block's source document with a quote. Blocks link to
earlier blocks (parent organisations, cited documents, parties), so joins and paths cross the whole graph.
The scheme concepts (ontology/schemes/*.ttl) are included unless ``--no-schemes``, so labels of statuses,
roles and action lines resolve as in the bundled graph.

The same arguments give the same bytes. Check that a small scale conforms with::

    .venv/bin/python tests/benchmarks/generator.py /tmp/gen.nt --triples 10000
    .venv/bin/stm-kg validate /tmp/gen.nt
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

BASE = "https://w3id.org/stm-kg/"
ID = BASE + "id/"
STM = BASE + "def/ont/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
OPENGOV = "http://www.w3.org/ns/opengov#"
OWL = "http://www.w3.org/2002/07/owl#"

SCHEMES_DIR = Path(__file__).resolve().parents[2] / "ontology" / "schemes"

PARTIES = [("cu", "ChristenUnie", "CU"), ("gl-pvda", "GroenLinks-PvdA", "GL/PvdA"), ("sp", "Socialistische Partij", "SP"),
           ("nsc", "Nieuw Sociaal Contract", "NSC"), ("vvd", "Volkspartij voor Vrijheid en Democratie", "VVD"),
           ("d66", "Democraten 66", "D66"), ("cda", "Christen-Democratisch Appèl", "CDA"), ("pvv", "Partij voor de Vrijheid", "PVV"),
           ("bbb", "BoerBurgerBeweging", "BBB"), ("sgp", "Staatkundig Gereformeerde Partij", "SGP")]
ORG_WORDS = ["Stichting", "Centrum", "Inspectie", "Dienst", "Bureau", "Netwerk", "Platform", "Expertisecentrum"]
ORG_TOPICS = [("mensenhandel", "human trafficking"), ("slachtofferhulp", "victim support"), ("opvang", "shelter"),
              ("arbeidsuitbuiting", "labour exploitation"), ("jeugdbescherming", "youth protection"),
              ("zorgcoördinatie", "care coordination"), ("recherche", "investigation"), ("preventie", "prevention")]
REGIONS = ["Noord-Holland", "Zuid-Holland", "Utrecht", "Gelderland", "Brabant", "Limburg", "Zeeland", "Friesland",
           "Groningen", "Drenthe", "Overijssel", "Flevoland"]
FIRST = ["Anna", "Bram", "Cor", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Iris", "Joost", "Kim", "Lars", "Mila", "Noor",
         "Otto", "Pien", "Ruben", "Sanne", "Thijs", "Vera", "Wout", "Yara", "Zoë", "Émile"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos",
        "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "van Dijk"]
ACTION_TOPICS = [("Onderzoek naar opvangcapaciteit", "Study of shelter capacity"),
                 ("Campagne tegen klanten van uitbuiting", "Campaign against clients of exploitation"),
                 ("Training van zorgcoördinatoren", "Training of care coordinators"),
                 ("Verbetering van informatiedeling", "Better information sharing"),
                 ("Pilot meldpunt arbeidsuitbuiting", "Pilot reporting point for labour exploitation"),
                 ("Versterking van regionale samenwerking", "Stronger regional collaboration"),
                 ("Bescherming van minderjarige slachtoffers", "Protection of minor victims"),
                 ("Aanpak van online werving", "Tackling online recruitment")]
STATUSES = ["in-voorbereiding", "lopend", "vertraagd", "lopend", "opgeleverd", "afgerond"]
THEMES = ["klantaanpak", "bescherming-van-minderjarigen", "criminele-uitbuiting", "opvang-van-slachtoffers", "technologie"]
FORMS = ["criminele-uitbuiting", "arbeidsuitbuiting", "seksuele-uitbuiting"]
DOC_KINDS = ["kamerbrief", "nota", "rapport", "kamerstuk", "factsheet", "advies"]
OUTCOMES = ["aangenomen", "verworpen", "niet-vermeld"]


def iri(value: str) -> str:
    return f"<{value}>"


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


def day(value: date) -> str:
    return lit(value.isoformat(), datatype=XSD + "date")


class Writer:
    """Collects N-Triples lines; counts them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.blank = 0

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} <{p}> {o} .")

    def bnode(self) -> str:
        self.blank += 1
        return f"_:b{self.blank}"

    def typed(self, s: str, *classes: str) -> None:
        for cls in classes:
            self.add(s, RDF_TYPE, iri(cls))

    def labels(self, s: str, nl: str, en: str | None = None) -> None:
        self.add(s, SKOS + "prefLabel", lit(nl, "nl"))
        self.add(s, RDFS + "label", lit(nl, "nl"))
        if en:
            self.add(s, SKOS + "prefLabel", lit(en, "en"))
            self.add(s, RDFS + "label", lit(en, "en"))

    def derived(self, s: str, source: str, quote: str) -> None:
        self.add(s, PROV + "wasDerivedFrom", source)
        d = self.bnode()
        self.add(s, PROV + "qualifiedDerivation", d)
        self.typed(d, PROV + "Derivation")
        self.add(d, PROV + "entity", source)
        self.add(d, STM + "quote", lit(quote, "nl"))


def _interval(w: Writer, begin: date, end: date | None) -> str:
    interval = w.bnode()
    w.typed(interval, TIME + "Interval")
    for prop, when in (("hasBeginning", begin), ("hasEnd", end)):
        if when is None:
            continue
        instant = w.bnode()
        w.add(interval, TIME + prop, instant)
        w.typed(instant, TIME + "Instant")
        w.add(instant, TIME + "inXSDDate", day(when))
    return interval


def block(w: Writer, k: int, rnd: random.Random, state: dict) -> None:
    """One programme-shaped block: about 1,250 triples."""
    start = date(2015, 1, 1) + timedelta(days=2 * k)  # later blocks are later: citations point back in time
    sid = iri(f"{ID}document/gen-bron-{k}")
    w.typed(sid, FOAF + "Document")
    w.labels(sid, f"Voortgangsnota {k}", f"Progress memo {k}")
    w.add(sid, DCT + "title", lit(f"Voortgangsnota {k} over de aanpak van mensenhandel", "nl"))
    w.add(sid, DCT + "title", lit(f"Progress memo {k} on tackling human trafficking", "en"))
    w.add(sid, DCT + "date", day(start))
    w.add(sid, DCT + "type", iri(f"{ID}documentsoort/nota"))
    w.add(sid, DCT + "identifier", lit(f"gen-{k:06d}"))
    w.add(sid, STM + "sourceTextFile", lit(f"gen-{k:06d}.txt", datatype=XSD + "string"))
    w.add(sid, DCT + "language", lit("nl"))

    def quote() -> str:
        return f"zoals vermeld in voortgangsnota {k}, paragraaf {rnd.randint(1, 40)}"

    # organisations: a ministry-like root per block, units below it and below earlier blocks' organisations
    orgs = []
    for i in range(6):
        word, (topic_nl, topic_en) = rnd.choice(ORG_WORDS), rnd.choice(ORG_TOPICS)
        region = rnd.choice(REGIONS)
        o = iri(f"{ID}organisatie/gen-{k}-{i}")
        w.typed(o, ORG + "Organization")
        w.labels(o, f"{word} {topic_nl} {region} {k}-{i}", f"{word} for {topic_en} {region} {k}-{i}")
        w.add(o, SKOS + "altLabel", lit(f"{word[:1]}{topic_nl[:3].upper()}{k}-{i}", "nl"))
        parent = orgs[0] if i and i < 4 else (rnd.choice(state["orgs"]) if state["orgs"] and i >= 4 else None)
        if parent:
            w.add(o, ORG + "subOrganizationOf", parent)
        w.derived(o, sid, quote())
        orgs.append(o)
    state["orgs"].extend(orgs)

    # people in parties (memberships over time)
    people = []
    for i in range(6):
        p = iri(f"{ID}persoon/gen-{k}-{i}")
        name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
        w.typed(p, FOAF + "Person")
        w.add(p, FOAF + "name", lit(name))
        w.labels(p, name)
        w.derived(p, sid, quote())
        people.append(p)
        party = state["parties"][rnd.randrange(len(state["parties"]))]
        m = iri(f"{ID}lidmaatschap/gen-{k}-partij-{i}")
        w.typed(m, ORG + "Membership")
        w.labels(m, f"Lidmaatschap van {name} van de partij", f"Party membership of {name}")
        w.add(m, ORG + "member", p)
        w.add(m, ORG + "organization", party)
        w.add(m, ORG + "role", iri(f"{ID}rol/lid"))
        w.add(m, ORG + "memberDuring", _interval(w, start - timedelta(days=rnd.randint(100, 3000)), None))
        w.derived(m, sid, quote())
    state["people"].extend(people)

    # a collaboration body with members joining and leaving
    body = iri(f"{ID}overleg/gen-{k}")
    w.typed(body, STM + "CollaborationBody", ORG + "OrganizationalCollaboration", ORG + "Organization")
    w.labels(body, f"Regionaal overleg mensenhandel {rnd.choice(REGIONS)} {k}", f"Regional human trafficking board {k}")
    w.add(body, SKOS + "altLabel", lit(f"ROM-{k}", "nl"))
    w.derived(body, sid, quote())
    members = orgs + rnd.sample(state["orgs"], min(4, len(state["orgs"])))
    for i, member in enumerate(dict.fromkeys(members)):
        m = iri(f"{ID}lidmaatschap/gen-{k}-overleg-{i}")
        begin = start - timedelta(days=rnd.randint(0, 900))
        end = begin + timedelta(days=rnd.randint(100, 1500)) if rnd.random() < 0.4 else None
        w.typed(m, ORG + "Membership")
        w.labels(m, f"Lidmaatschap {i} van overleg {k}", f"Membership {i} of board {k}")
        w.add(m, ORG + "member", member)
        w.add(m, ORG + "organization", body)
        w.add(m, ORG + "role", iri(f"{ID}rol/{'voorzitter' if i == 0 else 'lid'}"))
        w.add(m, ORG + "memberDuring", _interval(w, begin, end))
        w.add(m, STM + "attestedOn", day(start))
        w.derived(m, sid, quote())

    # documents citing earlier documents
    docs = []
    for i in range(8):
        d = iri(f"{ID}document/gen-{k}-{i}")
        when = start + timedelta(days=i * 11)
        kind = DOC_KINDS[(k + i) % len(DOC_KINDS)]
        w.typed(d, FOAF + "Document")
        title_nl = f"{kind.capitalize()} {k}-{i} over {rnd.choice(ORG_TOPICS)[0]}"
        w.labels(d, title_nl, f"Document {k}-{i}")
        w.add(d, DCT + "title", lit(title_nl, "nl"))
        w.add(d, DCT + "title", lit(f"Document {k}-{i} ({kind})", "en"))
        w.add(d, DCT + "date", day(when))
        w.add(d, DCT + "type", iri(f"{ID}documentsoort/{kind}"))
        w.add(d, DCT + "identifier", lit(f"kst-{28000 + k}-{i}"))
        w.add(d, DCT + "creator", rnd.choice(orgs))
        older = [doc for doc, dated in rnd.sample(state["docs"], min(4, len(state["docs"]))) if dated <= when]
        earlier = list(dict.fromkeys(docs[-3:] + older[:2]))
        for j, cited in enumerate(earlier):
            w.add(d, DCT + "references", cited)
            c = iri(f"{ID}verwijzing/gen-{k}-{i}-{j}")
            w.typed(c, STM + "Citation")
            w.labels(c, f"Verwijzing {j} in document {k}-{i}")
            w.add(c, STM + "citingDocument", d)
            w.add(c, STM + "citedDocument", cited)
            w.add(c, STM + "citedAs", lit(f"Kamerstukken II, nr. {k}-{i}-{j}", datatype=XSD + "string"))
        w.derived(d, sid, quote())
        docs.append(d)
        state["docs"].append((d, when))

    # a meeting and motions with submitters
    meeting = iri(f"{ID}gebeurtenis/gen-debat-{k}")
    w.typed(meeting, STM + "Meeting", PROV + "Activity")
    w.labels(meeting, f"Commissiedebat mensenhandel {k}", f"Committee debate on human trafficking {k}")
    w.add(meeting, DCT + "date", day(start + timedelta(days=30)))
    w.derived(meeting, sid, quote())
    plan = iri(f"{ID}actieplan/gen-{k}")
    for i in range(3):
        mo = iri(f"{ID}motie/gen-{k}-{i}")
        w.typed(mo, STM + "Motion", OPENGOV + "Motion", FOAF + "Document")
        title = f"Motie {k}-{i} over {rnd.choice(THEMES).replace('-', ' ')}"
        w.labels(mo, title, f"Motion {k}-{i}")
        w.add(mo, DCT + "title", lit(title, "nl"))
        w.add(mo, DCT + "date", day(start + timedelta(days=30)))
        w.add(mo, DCT + "type", iri(f"{ID}documentsoort/motie"))
        for submitter in rnd.sample(people + state["people"][-30:], 2):
            w.add(mo, DCT + "creator", submitter)
        w.add(mo, STM + "requests", lit(f"verzoekt de regering om maatregel {k}-{i} uit te voeren", "nl"))
        w.add(mo, STM + "outcome", iri(f"{ID}uitkomst/{OUTCOMES[(k + i) % 3]}"))
        w.add(mo, STM + "debatedAt", meeting)
        w.add(mo, STM + "steers", plan)
        w.derived(mo, sid, quote())

    # the action plan, its actions and their status history
    w.typed(plan, STM + "ActionPlan", PROV + "Plan")
    w.labels(plan, f"Actieplan {k}", f"Action plan {k}")
    for line in rnd.sample(range(1, 7), 3):
        w.add(plan, STM + "hasActionLine", iri(f"{ID}actielijn/{line}"))
    w.derived(plan, sid, quote())
    for i in range(6):
        a = iri(f"{ID}actie/gen-{k}-{i}")
        nl, en = rnd.choice(ACTION_TOPICS)
        w.typed(a, STM + "Action")
        w.labels(a, f"{nl} ({k}-{i})", f"{en} ({k}-{i})")
        w.add(a, DCT + "description", lit(f"{nl} in regio {rnd.choice(REGIONS)}.", "nl"))
        w.add(a, STM + "partOfPlan", plan)
        w.add(a, STM + "actionLine", iri(f"{ID}actielijn/{rnd.randint(1, 6)}"))
        w.add(a, STM + "actionHolder", rnd.choice(orgs))
        w.add(a, STM + "involvedOrganization", rnd.choice(state["orgs"]))
        w.add(a, STM + "theme", iri(f"{ID}thema/{rnd.choice(THEMES)}"))
        w.add(a, STM + "exploitationForm", iri(f"{ID}uitbuitingsvorm/{rnd.choice(FORMS)}"))
        w.derived(a, sid, quote())
        for j in range(rnd.randint(1, 3)):  # status history: one report per progress document
            report_doc = docs[2 + 2 * j]
            when = start + timedelta(days=(2 + 2 * j) * 11)
            r = iri(f"{ID}statusrapportage/gen-{k}-{i}-{j}")
            status = STATUSES[min(j * 2 + rnd.randint(0, 1), len(STATUSES) - 1)]
            w.typed(r, STM + "StatusReport")
            w.labels(r, f"Status van actie {k}-{i} op {when.isoformat()}: {status}", f"Status of action {k}-{i} on {when.isoformat()}")
            w.add(a, STM + "statusReport", r)
            w.add(r, STM + "reportedFor", a)
            w.add(r, STM + "status", iri(f"{ID}status/{status}"))
            w.add(r, DCT + "date", day(when))
            w.add(r, STM + "reportedIn", report_doc)
            w.derived(r, sid, quote())


def parties(w: Writer) -> list[str]:
    found = []
    source = iri(f"{ID}document/gen-bron-partijen")
    w.typed(source, FOAF + "Document")
    w.labels(source, "Overzicht van partijen", "Overview of parties")
    w.add(source, DCT + "title", lit("Overzicht van partijen in de Tweede Kamer", "nl"))
    w.add(source, DCT + "date", day(date(2019, 12, 1)))
    w.add(source, DCT + "type", iri(f"{ID}documentsoort/webpagina"))
    w.add(source, STM + "sourceTextFile", lit("gen-partijen.txt", datatype=XSD + "string"))
    for name, label, short in PARTIES:
        p = iri(f"{ID}partij/gen-{name}")
        w.typed(p, STM + "PoliticalParty", ORG + "Organization")
        w.labels(p, label, label)
        w.add(p, SKOS + "altLabel", lit(short, "nl"))
        w.derived(p, source, f"de fractie van {short}")
        found.append(p)
    return found


def scheme_lines() -> list[str]:
    from rdflib import Graph

    graph = Graph()
    for path in sorted(SCHEMES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    from rdflib.compare import to_canonical_graph

    text = to_canonical_graph(graph).serialize(format="nt", encoding="utf-8").decode("utf-8")  # stable blank nodes
    return sorted(line for line in text.splitlines() if line.strip())


def generate(triples: int, seed: int = 8, schemes: bool = True) -> Iterator[str]:
    """N-Triples lines, about ``triples`` of them (whole blocks; at least one block)."""
    rnd = random.Random(seed)
    head = scheme_lines() if schemes else []
    yield from head
    count = len(head)
    w = Writer()
    state = {"orgs": [], "people": [], "docs": [], "parties": parties(w)}
    k = 0
    while True:
        block(w, k, rnd, state)
        count += len(w.lines)
        yield from w.lines
        w.lines = []
        k += 1
        if count >= triples:
            break


def write(path: Path, triples: int, seed: int = 8, schemes: bool = True) -> int:
    """Write about ``triples`` triples to ``path`` (N-Triples); returns how many."""
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        for line in generate(triples, seed, schemes):
            out.write(line)
            out.write("\n")
            n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="output file (N-Triples)")
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--no-schemes", dest="schemes", action="store_false", help="leave the scheme concepts out")
    args = parser.parse_args()
    n = write(args.out, args.triples, args.seed, args.schemes)
    print(f"{n:,} triples -> {args.out}")


if __name__ == "__main__":
    main()
