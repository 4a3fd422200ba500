"""Every fact points back to where it came from: a source document and a verbatim quote from it."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import FOAF, ORG, PROV, RDF

from stm_kg.namespaces import STM
from stm_kg.pipeline.quotes import occurs_in

#: Classes whose instances PROFILE.md says must carry provenance.
MUST_HAVE_PROVENANCE = [
    ORG.Organization, ORG.OrganizationalUnit, FOAF.Person, FOAF.Document, STM.Motion, STM.Amendment,
    STM.Action, ORG.Membership, STM.StatusReport,
]


def _source_files(dataset) -> dict[URIRef, str]:
    return {doc: str(name) for doc, name in dataset.subject_objects(STM.sourceTextFile)}


def test_there_are_six_sources_each_with_its_text_file(dataset, source_texts):
    files = _source_files(dataset)
    assert len(files) == 6, sorted(files.values())
    assert set(files.values()) <= set(source_texts), "a source names a text file that is not in data/sources/"


def test_every_quote_occurs_in_its_source_text(dataset, source_texts):
    files = _source_files(dataset)
    checked, problems = 0, []
    for derivation, quote in dataset.subject_objects(STM.quote):
        source = dataset.value(derivation, PROV.entity)
        if source not in files:
            problems.append(f"quote {str(quote)[:60]!r}: its prov:entity {source} has no source text")
            continue
        checked += 1
        if not occurs_in(str(quote), source_texts[files[source]]):
            problems.append(f"not in {files[source]}: {str(quote)!r}")
    assert checked > 100, f"only {checked} quotes checked"
    assert not problems, "\n".join(problems)


def test_every_derivation_is_backed_by_a_qualified_derivation_with_a_quote(dataset):
    files = _source_files(dataset)
    problems = []
    for resource, source in dataset.subject_objects(PROV.wasDerivedFrom):
        if source not in files:
            problems.append(f"{resource} is derived from {source}, which is not a source document")
            continue
        quoted = any(
            dataset.value(d, PROV.entity) == source and dataset.value(d, STM.quote) is not None
            for d in dataset.objects(resource, PROV.qualifiedDerivation)
        )
        if not quoted:
            problems.append(f"{resource}: no quote from {source}")
    assert not problems, "\n".join(problems[:50])


def test_every_entity_that_needs_provenance_has_it(dataset):
    missing = []
    for cls in MUST_HAVE_PROVENANCE:
        for resource in set(dataset.subjects(RDF.type, cls)):
            if isinstance(resource, URIRef) and dataset.value(resource, PROV.wasDerivedFrom) is None:
                missing.append(f"{resource} ({dataset.namespace_manager.normalizeUri(cls)})")
    assert not missing, "without prov:wasDerivedFrom:\n" + "\n".join(sorted(missing))
