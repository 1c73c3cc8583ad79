"""The dataset description of a build (issue 19, item 5): VoID and DCAT counts, licence,
the source files with their checksums, and the vetkg and ontology versions that built it."""

from __future__ import annotations

import hashlib

import rdflib
from conftest import SEEDS

from kg.core.version import __version__
from kg.corpus.describe import DATA_LICENSE, describe
from kg.corpus.graph import graph_text
from kg.extraction import extract
from kg.parsing import parse
from kg.reading import read
from kg.store.oxigraph import OxigraphStore

VET = rdflib.Namespace("https://w3id.org/vetkg/ontology#")
# Open namespaces, not rdflib's closed ones: pytest probes module attributes, which a
# closed namespace answers with a warning.
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
RDF = rdflib.Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


def _store() -> OxigraphStore:
    extractions = [extract(parse(read(p))) for p in sorted(SEEDS.glob("*.txt"))]
    return OxigraphStore.from_ntriples(graph_text(extractions, diffusion=False))


def test_the_description_counts_what_the_graph_holds_and_names_its_sources() -> None:
    store = _store()
    text = describe(store)
    g = rdflib.Graph()
    g.parse(data=text, format="turtle")
    (dataset,) = set(g.subjects(RDF.type, VOID.Dataset))
    assert (dataset, RDF.type, DCAT.Dataset) in g
    assert int(g.value(dataset, VOID.triples)) == len(store)
    assert str(g.value(dataset, DCTERMS.license)) == DATA_LICENSE
    assert str(g.value(dataset, DCTERMS.conformsTo)).startswith("https://w3id.org/vetkg/ontology/")
    checksums = {str(g.value(s, VET.checksum)) for s in g.objects(dataset, DCTERMS.source)}
    assert checksums == {hashlib.sha1(p.read_bytes()).hexdigest() for p in SEEDS.glob("*.txt")}
    activity = g.value(dataset, PROV.wasGeneratedBy)
    assert (activity, RDF.type, PROV.Activity) in g
    software = g.value(activity, PROV.wasAssociatedWith)
    assert str(g.value(software, DCTERMS.hasVersion)) == __version__
    assert len(set(g.objects(activity, PROV.used))) == 5
    parts = {
        str(g.value(p, VOID["class"])): int(g.value(p, VOID.entities)) for p in g.objects(dataset, VOID.classPartition)
    }
    n_measures = len(store.query("SELECT DISTINCT ?m WHERE { ?m a <https://w3id.org/vetkg/ontology#Measure> }").rows)
    assert parts[str(VET.Measure)] == n_measures > 100


def test_the_description_is_the_same_bytes_for_the_same_inputs() -> None:
    assert describe(_store()) == describe(_store())
