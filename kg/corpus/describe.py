"""The dataset description of a build (``void.ttl``): VoID and DCAT, and the build as a
``prov:Activity``.

A linked-data client (or a researcher citing the graph) needs to know what a graph holds
and where it comes from without reading it: how many triples and entities of each class,
which files it was built from (with their checksums), which vetkg and which ontology
version built it, and under which licence the data may be reused. Everything here is read
back from the store, so the description always matches the graph it describes. It holds
no clock time: the same inputs give the same bytes, like every other output of a build.
"""

from __future__ import annotations

import hashlib

import rdflib
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, VOID, XSD

from kg.core.version import __version__
from kg.rdf import ontology
from kg.store.oxigraph import OxigraphStore

# The data are facts extracted from public policy documents: reusable with attribution.
DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
SOFTWARE = rdflib.URIRef(f"https://w3id.org/vetkg/software/{__version__}")
VET = rdflib.Namespace(ontology.VET)

# The default graph is a set of triples: each (node, class) pair is one solution, so
# COUNT(*) counts the distinct nodes of a class (half the time of COUNT(DISTINCT ?s)).
_CLASSES = """
SELECT ?class (COUNT(*) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY ?class
"""
_FILES = """
PREFIX vet: <https://w3id.org/vetkg/ontology#>
SELECT ?file ?id ?checksum WHERE { ?file vet:fileId ?id ; vet:checksum ?checksum } ORDER BY ?checksum ?id
"""
_WORKS = """
PREFIX vet: <https://w3id.org/vetkg/ontology#>
SELECT (COUNT(DISTINCT ?work) AS ?works) (COUNT(*) AS ?files) WHERE { ?work vet:sourceId ?id }
"""
# Entities: the typed nodes (every node vetkg mints has a type). Counted over the type
# triples only: distinct subjects over every triple took 11 s per 1,000 documents.
_COUNTS = """
SELECT (COUNT(DISTINCT ?s) AS ?entities) WHERE { ?s a ?class }
"""


def _ontology_version() -> rdflib.URIRef | None:
    onto = ontology.load()
    version = onto.value(rdflib.URIRef(ontology.VET.rstrip("#")), rdflib.OWL.versionIRI)
    return version if isinstance(version, rdflib.URIRef) else None


def dataset_iris(digest: str) -> tuple[str, str]:
    """The IRIs of the dataset of a graph whose content ``digest`` identifies, and of the
    build (a ``prov:Activity``) that generated it."""
    key = digest[:20]
    return f"{ontology.RESOURCE}dataset/{key}", f"{ontology.RESOURCE}build/{key}"


def describe(
    store: OxigraphStore,
    *,
    digest: str | None = None,
    triples: int | None = None,
    graph_file: str = "graph.nt",
    license: str = DATA_LICENSE,
) -> str:
    """The Turtle description of the graph in ``store`` (dumped as ``graph_file``);
    ``digest``, the graph's identity (``BuildResult.digest``: its inputs and the
    extractor), names the dataset, else the source files' checksums do; ``triples``, the
    store's triple count when the caller knows it (counting scans the store)."""
    files = [(str(r["file"]), str(r["id"]), str(r["checksum"])) for r in store.query(_FILES).records()]
    if digest is None:
        digest = hashlib.sha1("\n".join(sorted(c for _, _, c in files)).encode()).hexdigest()
    iris = dataset_iris(digest)
    dataset, activity = rdflib.URIRef(iris[0]), rdflib.URIRef(iris[1])
    g = rdflib.Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("prov", PROV), ("vet", VET)):
        g.bind(prefix, ns)

    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, RDF.type, PROV.Entity))
    n_docs = len({c for _, _, c in files})
    g.add((dataset, DCTERMS.title, rdflib.Literal(f"vetkg knowledge graph of {n_docs} policy file(s)", lang="en")))
    g.add((dataset, DCTERMS.title, rdflib.Literal(f"{n_docs} 份政策文件的职业教育政策知识图谱", lang="zh")))
    g.add((dataset, DCTERMS.license, rdflib.URIRef(license)))
    g.add((dataset, VOID.uriSpace, rdflib.Literal(ontology.RESOURCE)))
    g.add((dataset, VOID.vocabulary, rdflib.URIRef(ontology.VET.rstrip("#"))))
    version = _ontology_version()
    if version is not None:
        g.add((dataset, DCTERMS.conformsTo, version))
    n_triples = len(store) if triples is None else triples  # a build knows its count
    g.add((dataset, VOID.triples, rdflib.Literal(n_triples, datatype=XSD.integer)))
    counts = store.query(_COUNTS).records()[0]
    g.add((dataset, VOID.entities, rdflib.Literal(int(counts["entities"]), datatype=XSD.integer)))
    # The policies built (works) and the files read: vet:sourceId marks a built work.
    works = store.query(_WORKS).records()[0]
    part = rdflib.URIRef(f"{dataset}/property/sourceId")
    g.add((dataset, VOID.propertyPartition, part))
    g.add((part, VOID.property, VET.sourceId))
    g.add((part, VOID.distinctSubjects, rdflib.Literal(int(works["works"]), datatype=XSD.integer)))
    g.add((part, VOID.distinctObjects, rdflib.Literal(int(works["files"]), datatype=XSD.integer)))
    # The dump's file name, not an IRI: a build folder has no base URL of its own (a
    # relative IRI would resolve against wherever the description is served from).
    distribution = rdflib.URIRef(f"{dataset}/n-triples")
    g.add((dataset, DCAT.distribution, distribution))
    g.add((distribution, RDF.type, DCAT.Distribution))
    g.add((distribution, DCTERMS.title, rdflib.Literal(graph_file)))
    g.add(
        (
            distribution,
            DCAT.mediaType,
            rdflib.URIRef("https://www.iana.org/assignments/media-types/application/n-triples"),
        )
    )
    for row in store.query(_CLASSES).records():
        cls = str(row["class"])
        part = rdflib.URIRef(f"{dataset}/class/{hashlib.sha1(cls.encode()).hexdigest()[:12]}")
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], rdflib.URIRef(cls)))
        g.add((part, VOID.entities, rdflib.Literal(int(row["n"]), datatype=XSD.integer)))

    # The build as a PROV activity: which files it used, which software ran it.
    g.add((dataset, PROV.wasGeneratedBy, activity))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, PROV.wasAssociatedWith, SOFTWARE))
    g.add((SOFTWARE, RDF.type, PROV.SoftwareAgent))
    g.add((SOFTWARE, DCTERMS.title, rdflib.Literal("vetkg")))
    g.add((SOFTWARE, DCTERMS.hasVersion, rdflib.Literal(__version__)))
    for file, file_id, checksum in files:
        node = rdflib.URIRef(file)
        g.add((activity, PROV.used, node))
        g.add((dataset, DCTERMS.source, node))
        g.add((node, VET.fileId, rdflib.Literal(file_id)))
        g.add((node, VET.checksum, rdflib.Literal(checksum)))
    return g.serialize(format="turtle")
