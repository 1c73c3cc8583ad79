"""The ontology: parses, documents every term in English and Chinese, declares every term
the graph uses, and keeps the names that queries outside the project rely on."""

from __future__ import annotations

import rdflib
from conftest import ROOT, SEEDS
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.extraction import extract
from kg.rdf import ontology

VET = rdflib.Namespace(ontology.VET)

CONTRACT_CLASSES = [
    "PolicyDocument",
    "Measure",
    "Department",
    "Institution",
    "School",
    "Enterprise",
    "EducationGroup",
    "ResearchBody",
    "Platform",
    "Program",
    "Indicator",
    "Region",
]
CONTRACT_OBJECT_PROPS = [
    "responsibleFor",
    "leads",
    "supports",
    "targets",
    "partOf",
    "cites",
    "issuedBy",
    "jurisdiction",
    "function",
]
CONTRACT_DATA_PROPS = [
    "measureKey",
    "heading",
    "value",
    "valueMax",
    "unit",
    "comparator",
    "targetYear",
    "subject",
    "keyword",
]


def test_ontology_parses_and_names_terms():
    vocab = ontology.vocabulary()
    assert vocab["responsible_for"].endswith("#responsibleFor")
    assert vocab["department"].endswith("#Department")


def test_contract_names_exist_with_their_types():
    g = ontology.load()
    for name in CONTRACT_CLASSES:
        assert (VET[name], RDF.type, OWL.Class) in g, name
    for name in CONTRACT_OBJECT_PROPS:
        assert (VET[name], RDF.type, OWL.ObjectProperty) in g, name
    for name in CONTRACT_DATA_PROPS:
        assert (VET[name], RDF.type, OWL.DatatypeProperty) in g, name
    assert (VET.leads, RDFS.subPropertyOf, VET.responsibleFor) in g
    assert (VET.within, RDFS.subPropertyOf, SKOS.broader) in g
    for sub in ("School", "Enterprise", "EducationGroup", "ResearchBody", "Platform"):
        assert (VET[sub], RDFS.subClassOf, VET.Institution) in g
    org = rdflib.Namespace("http://www.w3.org/ns/org#")
    eli = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    assert (VET.Department, RDFS.subClassOf, org.Organization) in g
    assert (VET.Institution, RDFS.subClassOf, org.Organization) in g
    assert (VET.PolicyDocument, RDFS.subClassOf, eli.LegalResource) in g


def test_every_term_has_english_and_chinese_label_and_a_comment():
    g = ontology.load()
    missing = []
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in g.subjects(RDF.type, kind):
            if not isinstance(term, rdflib.URIRef):
                continue
            langs = {lit.language for lit in g.objects(term, RDFS.label)}
            if not {"en", "zh"} <= langs or g.value(term, RDFS.comment) is None:
                missing.append(str(term))
    assert not missing, missing


def test_properties_have_domains_and_ranges():
    g = ontology.load()
    for name in CONTRACT_OBJECT_PROPS + CONTRACT_DATA_PROPS:
        prop = VET[name]
        assert g.value(prop, RDFS.range) is not None or name == "mentions", name
        if name not in ("jurisdiction",):
            assert g.value(prop, RDFS.domain) is not None, name


def test_function_scheme_has_every_guidelines_function_in_two_languages():
    functions = ontology.functions()
    assert len(functions) == 25 and "education" in functions and "other" in functions
    g = ontology.load()
    for iri in functions.values():
        langs = {lit.language for lit in g.objects(rdflib.URIRef(iri), SKOS.prefLabel)}
        assert langs == {"en", "zh"}, iri


def test_every_extracted_type_and_predicate_is_in_the_ontology():
    vocab = ontology.vocabulary()
    ex = extract(SEEDS / "004_b23814f1685ffde0.txt")
    entities = {m.entity for m in ex.mentions}
    predicates = {r.predicate for r in ex.relations}
    assert entities and predicates
    assert entities <= set(vocab), entities - set(vocab)
    assert predicates <= set(vocab), predicates - set(vocab)


def test_every_term_has_a_domain_a_range_and_its_definition() -> None:
    """Issue 19: a linked-data client can tell what every property applies to."""
    g = rdflib.Graph()
    g.parse(ROOT / "kg" / "data" / "vetkg.ttl", format="turtle")
    vet = "https://w3id.org/vetkg/ontology#"
    onto = rdflib.URIRef("https://w3id.org/vetkg/ontology")
    missing = []
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for p in g.subjects(RDF.type, kind):
            if str(p).startswith(vet) and (g.value(p, RDFS.domain) is None or g.value(p, RDFS.range) is None):
                missing.append(str(p))
    assert not missing
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {t for k in kinds for t in g.subjects(RDF.type, k) if str(t).startswith(vet)}
    assert all((t, RDFS.isDefinedBy, onto) in g for t in terms)
    assert g.value(onto, OWL.versionIRI) is not None
    assert str(g.value(onto, rdflib.URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix"))) == "vet"
    # OWL 2 datatypes only (xsd:gYear is not one: HermiT refused the ontology over it)
    assert not set(g.subjects(RDFS.range, rdflib.XSD.gYear))


def test_an_owl_rl_reasoner_accepts_the_ontology_and_a_built_graph(seed_graph) -> None:
    import owlrl

    g = rdflib.Graph()
    g.parse(ROOT / "kg" / "data" / "vetkg.ttl", format="turtle")
    for t in seed_graph:
        g.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    # OWL RL flags an inconsistency by typing a node owl:Nothing or by an error triple.
    assert not set(g.subjects(RDF.type, OWL.Nothing))
    errors = list(g.objects(None, rdflib.URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")))
    assert not errors, errors[:3]
