"""The knowledge graph built from the seeds: one IRI per real entity, provenance on every
relation, deterministic output, SHACL-valid, readable by an independent parser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pyoxigraph
import rdflib
from conftest import ROOT, SEEDS
from rdflib.namespace import RDF, RDFS, SKOS

from kg.corpus.build import build
from kg.corpus.graph import build_graph
from kg.rdf import ontology
from kg.rdf.mapping import serialize
from kg.rdf.validate import validate_graph

VET = rdflib.Namespace(ontology.VET)
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


def nodes_labelled(g, label: str, cls=None) -> set:
    out = {s for s in g.subjects(RDFS.label, rdflib.Literal(label, lang="zh"))}
    return {s for s in out if cls is None or (s, RDF.type, cls) in g}


def test_ttl_nt_and_jsonld_hold_the_same_triples(seed_graph_dir, seed_graph):
    n = len(seed_graph)
    assert n > 10_000
    store = pyoxigraph.Store()
    store.load(path=str(seed_graph_dir / "graph.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert len(store) == n
    store = pyoxigraph.Store()
    store.load(path=str(seed_graph_dir / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == n
    jsonld = rdflib.Graph().parse(seed_graph_dir / "graph.jsonld", format="json-ld")
    assert len(jsonld) == n


def test_graph_conforms_to_the_shacl_shapes(seed_graph):
    report = validate_graph(seed_graph)
    assert report.conforms, report.text[:3000]


def test_shapes_catch_a_broken_graph(seed_graph):
    g = rdflib.Graph()
    for t in seed_graph:
        g.add(t)
    indicator = next(g.subjects(RDF.type, VET.Indicator))
    g.set((indicator, VET.comparator, rdflib.Literal("about")))
    measure = next(g.subjects(RDF.type, VET.Measure))
    g.remove((measure, VET.partOf, None))
    evidence = next(g.subjects(RDF.type, VET.Evidence))
    g.remove((evidence, VET.quote, None))
    report = validate_graph(g)
    assert not report.conforms
    assert report.violations >= 3
    assert "comparator" in report.text and "partOf" in report.text and "quote" in report.text


def test_every_term_used_is_declared_in_the_ontology(seed_graph):
    declared = ontology.declared_terms()
    used = {str(p) for p in seed_graph.predicates()} | {str(o) for o in seed_graph.objects(None, RDF.type)}
    ours = {t for t in used if t.startswith(ontology.VET)}
    assert ours and ours <= declared, ours - declared


def test_iris_are_ascii_and_never_hold_raw_text(seed_graph):
    pattern = re.compile(r"^https?://[A-Za-z0-9./#_:%-]+$")
    for s, _, o in seed_graph:
        for term in (s, o):
            if isinstance(term, rdflib.URIRef):
                assert pattern.match(str(term)), str(term)
            assert not isinstance(term, rdflib.BNode), "blank nodes make output unstable"


def test_one_iri_per_department_within_a_jurisdiction(tmp_path, write_doc):
    text = (
        "某县职业教育实施方案\n为推动发展，制定本方案。\n一、主要任务\n"
        "(一)建设基地。内容。(责任单位：县人社局)\n"
        "(二)培训。内容。(责任单位：县人力资源社会保障局、县教育局)\n"
    )
    g = build_graph(build([write_doc(text, name="c.txt")], keep=True).extractions)
    hr = nodes_labelled(g, "县人社局") | nodes_labelled(g, "县人力资源社会保障局")
    assert len(hr) == 1
    node = hr.pop()
    assert (node, RDF.type, VET.Department) in g
    assert len(set(g.objects(node, VET.responsibleFor))) == 2


def test_namesake_bureaus_of_two_cities_are_two_nodes(tmp_path, write_doc):
    body = "\n为推动发展，制定本方案。\n一、主要任务\n(一)建设基地。内容。(责任单位：市教育局、市财政局)\n"
    write_doc("安阳市职业教育实施方案" + body, name="docs/anyang.txt")
    folder = write_doc("鹤壁市职业教育实施方案" + body, name="docs/hebi.txt").parent
    g = build_graph(build([folder], keep=True).extractions)
    education = nodes_labelled(g, "市教育局", VET.Department)
    assert len(education) == 2
    assert {str(g.value(g.value(d, VET.jurisdiction), SKOS.prefLabel)) for d in education} == {"安阳市", "鹤壁市"}


def test_seed_departments_have_one_education_bureau_per_jurisdiction(seed_graph):
    education = [
        s
        for s in seed_graph.subjects(RDF.type, VET.Department)
        if (s, VET.function, rdflib.URIRef(ontology.FUNCTION + "education")) in seed_graph
    ]
    regions = {seed_graph.value(s, VET.jurisdiction) for s in education}
    assert len(education) == len(regions) >= 4


def test_modern_apprenticeship_is_one_node_supported_by_three_documents(seed_graph):
    nodes = nodes_labelled(seed_graph, "现代学徒制", VET.Program)
    assert len(nodes) == 1
    node = nodes.pop()
    docs = {seed_graph.value(m, VET.partOf) for m in seed_graph.subjects(VET.supports, node)}
    assert len(docs) >= 3


def test_cited_document_is_one_node_across_citing_documents(seed_graph):
    cited = set(seed_graph.subjects(DCT.identifier, rdflib.Literal("国办发〔2017〕95号")))
    assert len(cited) == 1
    citing = set(seed_graph.subjects(VET.cites, cited.pop()))
    assert len(citing) == 3


def test_a_cited_document_in_the_corpus_is_the_built_document(tmp_path, write_doc):
    parent = (
        "某省人民政府关于深化职业教育改革的实施意见\n某政发〔2020〕7号\n"
        "为推动发展，制定本意见。\n一、主要任务\n(一)建设基地。内容。\n"
    )
    child = (
        "某市职业教育实施方案\n为贯彻落实《某省人民政府关于深化职业教育改革的实施意见》"
        "(某政发〔2020〕7号)精神，制定本方案。\n一、主要任务\n(一)建设基地。内容。\n"
    )
    write_doc(parent, name="docs/parent.txt")
    folder = write_doc(child, name="docs/child.txt").parent
    g = build_graph(build([folder], keep=True).extractions)
    parent_node = next(g.subjects(VET.sourceId, rdflib.Literal("parent")))
    child_node = next(g.subjects(VET.sourceId, rdflib.Literal("child")))
    assert (child_node, VET.cites, parent_node) in g
    assert (parent_node, RDF.type, VET.CitedDocument) in g


def test_document_iri_does_not_depend_on_the_folder(tmp_path):
    seed = SEEDS / "002_01e619eeb8aaf6f0.txt"
    a = tmp_path / "a" / seed.name
    b = tmp_path / "elsewhere" / "deeper" / seed.name
    for p in (a, b):
        p.parent.mkdir(parents=True)
        shutil.copy(seed, p)
    ga = build_graph(build([a], keep=True).extractions)
    gb = build_graph(build([b], keep=True).extractions)
    assert set(ga.subjects(RDF.type, VET.PolicyDocument)) == set(gb.subjects(RDF.type, VET.PolicyDocument))
    assert serialize(ga, "nt") == serialize(gb, "nt")


def test_every_relation_has_a_qualified_node_with_evidence(seed_graph):
    g = seed_graph
    direct = {VET.responsibleFor, VET.supports, VET.targets, VET.cites, VET.partOf}
    qualified = {
        (g.value(a, VET.assertedSubject), g.value(a, VET.assertedPredicate), g.value(a, VET.assertedObject))
        for a in g.subjects(RDF.type, VET.Assertion)
    }
    for s, p, o in g:
        if p in direct:
            assert (s, p, o) in qualified, (s, p, o)
    for a in g.subjects(RDF.type, VET.Assertion):
        ev = g.value(a, PROV.wasDerivedFrom)
        assert ev is not None
        assert g.value(ev, VET.document) is not None
        start, end = int(g.value(ev, VET.startOffset)), int(g.value(ev, VET.endOffset))
        assert 0 <= start <= end


def test_evidence_offsets_slice_the_quote_from_the_source_text(seed_graph):
    g = seed_graph
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    checked = 0
    for ev in g.subjects(RDF.type, VET.Evidence):
        doc = g.value(ev, VET.document)
        text = texts[str(g.value(doc, VET.sourceId))]
        start, end = int(g.value(ev, VET.startOffset)), int(g.value(ev, VET.endOffset))
        assert text[start:end] == str(g.value(ev, VET.quote))
        s0, s1 = int(g.value(ev, VET.sentenceStart)), int(g.value(ev, VET.sentenceEnd))
        assert text[s0:s1] == str(g.value(ev, VET.sentence))
        checked += 1
    assert checked > 1000


def test_lead_roles_are_qualified_and_stated_with_leads(seed_graph):
    g = seed_graph
    leads = set(g.subject_objects(VET.leads))
    assert leads
    for a in g.subjects(VET.role, VET.Lead):
        assert (g.value(a, VET.assertedSubject), g.value(a, VET.assertedObject)) in leads


def test_hebi_double_qualified_teacher_target_is_one_typed_indicator(seed_graph):
    g = seed_graph
    hits = [
        i
        for i in g.subjects(RDF.type, VET.Indicator)
        if "双师型" in str(g.value(i, RDFS.label)) and g.value(i, VET.value).toPython() == 70
    ]
    assert len(hits) == 1
    ind = hits[0]
    assert g.value(ind, VET.unit) == rdflib.Literal("%")
    assert g.value(ind, VET.value).datatype == rdflib.XSD.decimal
    assert str(g.value(ind, rdflib.URIRef("http://qudt.org/schema/qudt/unit"))).endswith("PERCENT")
    measure = next(g.subjects(VET.targets, ind))
    doc = g.value(measure, VET.partOf)
    assert str(g.value(doc, VET.sourceId)) == "002_01e619eeb8aaf6f0"


def test_regions_form_a_hierarchy(seed_graph):
    g = seed_graph
    linzhou = next(iter(nodes_labelled(g, "林州市", VET.Region)))
    anyang = g.value(linzhou, VET.within)
    assert str(g.value(anyang, SKOS.prefLabel)) == "安阳市"
    assert str(g.value(g.value(anyang, VET.within), SKOS.prefLabel)) == "河南省"


def test_same_input_builds_byte_identical_outputs_under_other_hash_seeds(tmp_path):
    outs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"out{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "kg",
                "build",
                str(SEEDS),
                "--out",
                str(out),
                "--format",
                "ttl",
                "--format",
                "jsonld",
                "-q",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        outs.append(out)
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "extractions.jsonl"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_graphs_of_other_layouts_conform_too(tmp_path, write_doc):
    fixtures = ROOT / "tests" / "fixtures"
    odd = write_doc("某市关于加强职业教育的通知\n各单位：请做好工作。\n", name="odd/n.txt")
    result = build([fixtures, odd.parent], keep=True)
    assert not result.errors
    report = validate_graph(build_graph(result.extractions))
    assert report.conforms, report.text[:3000]
