"""What a build publishes beside its graph (issue 19, items 4–6): ``void.ttl`` (VoID, DCAT and
the build as a ``prov:Activity``), the invariants checked on every build (``--strict`` makes a
broken one an error), every evidence node as its own Web Annotation selector, and regions
linked to Wikidata from the table shipped as data."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from conftest import ROOT, SEEDS

from kg.core.lexicon import load_tsv
from kg.core.regions import gazetteer
from kg.core.version import __version__
from kg.corpus.build import build
from kg.corpus.describe import DATA_LICENSE
from kg.corpus.publish import ACTIVITY_FILE, VOID_FILE
from kg.reading import read
from kg.store.invariants import INVARIANTS

VET = rdflib.Namespace("https://w3id.org/vetkg/ontology#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
RDF = rdflib.Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
WD = rdflib.Namespace("http://www.wikidata.org/entity/")

# A build whose graph loses one vet:leads triple (its lead-role responsibility stays): the
# graph is edited on its way from the per-document stage to the files, as a bug would.
PLANT = """
import sys
import kg.corpus.build as b
from kg.cli import main

made = b.document_graph

def broken(extraction, **kw):
    g = made(extraction, **kw)
    lines = g.ntriples.splitlines(keepends=True)
    lead = next((i for i, ln in enumerate(lines) if "#leads>" in ln), None)
    if lead is not None:
        del lines[lead]
        g.ntriples, g.turtle, g.triples = "".join(lines), None, g.triples - 1
    return g

b.document_graph = broken
sys.exit(main(sys.argv[1:]))
"""


def _cli(*args: str, plant: bool = False) -> subprocess.CompletedProcess:
    code = PLANT if plant else "import sys\nfrom kg.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def _graph(folder: Path, name: str = "graph.nt", fmt: str = "nt") -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(folder / name, format=fmt)
    return g


def test_every_build_writes_its_dataset_description(seed_graph_dir: Path, tmp_path: Path) -> None:
    void = _graph(seed_graph_dir, VOID_FILE, "turtle")
    (dataset,) = set(void.subjects(RDF.type, VOID.Dataset))
    graph = _graph(seed_graph_dir)
    assert int(void.value(dataset, VOID.triples)) == len(graph)
    # the policies built and the files read, by the partition of vet:sourceId
    (part,) = [p for p in void.objects(dataset, VOID.propertyPartition) if void.value(p, VOID.property) == VET.sourceId]
    assert int(void.value(part, VOID.distinctSubjects)) == int(void.value(part, VOID.distinctObjects)) == 5
    seeds = sorted(SEEDS.glob("*.txt"))
    sources = set(void.objects(dataset, DCTERMS.source))
    assert {str(void.value(s, VET.checksum)) for s in sources} == {
        hashlib.sha1(p.read_bytes()).hexdigest() for p in seeds
    }
    assert str(void.value(dataset, DCTERMS.license)) == DATA_LICENSE
    assert str(void.value(dataset, DCTERMS.conformsTo)).startswith("https://w3id.org/vetkg/ontology/")
    activity = void.value(dataset, PROV.wasGeneratedBy)
    assert (activity, RDF.type, PROV.Activity) in void
    assert set(void.objects(activity, PROV.used)) == sources
    assert str(void.value(void.value(activity, PROV.wasAssociatedWith), DCTERMS.hasVersion)) == __version__
    # when it ran: in a file of its own, so void.ttl stays the same bytes for the same inputs
    run = _graph(seed_graph_dir, ACTIVITY_FILE, "turtle")
    (node,) = set(run.subjects(RDF.type, PROV.Activity))
    assert run.value(node, PROV.generated) == dataset
    assert run.value(node, PROV.startedAtTime).toPython() <= run.value(node, PROV.endedAtTime).toPython()
    assert (seed_graph_dir / VOID_FILE).is_symlink()  # in the generation, linked like every output
    again = build([SEEDS], tmp_path / "again", views=False)
    assert tmp_path / "again" / VOID_FILE in again.outputs
    assert (tmp_path / "again" / VOID_FILE).read_bytes() == (seed_graph_dir / VOID_FILE).read_bytes()
    assert again.violations == [] and again.validation_seconds is not None


def test_every_evidence_is_the_web_annotation_selector_of_its_text(seed_graph: rdflib.Graph) -> None:
    g = seed_graph
    texts = {p.stem: read(p).text for p in SEEDS.glob("*.txt")}
    evidence = set(g.subjects(RDF.type, VET.Evidence))
    assert len(evidence) > 1000
    for ev in evidence:
        assert (ev, RDF.type, OA.TextPositionSelector) in g and (ev, RDF.type, OA.TextQuoteSelector) in g
        text = texts[str(g.value(g.value(ev, VET.sourceFile), VET.fileId))]
        start, end, exact = g.value(ev, OA.start), g.value(ev, OA.end), g.value(ev, OA.exact)
        assert text[int(start) : int(end)] == str(exact) == str(g.value(ev, VET.quote))
        assert exact.datatype in (None, rdflib.XSD.string) and exact.language is None  # the vocabulary's range
        assert (int(start), int(end)) == (int(g.value(ev, VET.startOffset)), int(g.value(ev, VET.endOffset)))


def test_the_shapes_catch_a_quote_that_is_not_the_text_at_its_offsets(seed_graph: rdflib.Graph) -> None:
    from kg.rdf.validate import validate_graph

    evidence = sorted(set(seed_graph.subjects(RDF.type, VET.Evidence)))[:3]
    g = rdflib.Graph()
    for ev in evidence:
        for p, o in seed_graph.predicate_objects(ev):
            g.add((ev, p, o))
    assert "EvidenceQuoteShape" not in validate_graph(g).text
    g.set((evidence[0], OA.exact, rdflib.Literal("不是原文")))
    report = validate_graph(g)
    assert "EvidenceQuoteShape" in report.text and str(evidence[0]) in report.text


def test_regions_link_to_wikidata_by_their_code(seed_graph: rdflib.Graph) -> None:
    region = rdflib.URIRef("https://w3id.org/vetkg/id/region/")
    henan, beijing = rdflib.URIRef(f"{region}410000"), rdflib.URIRef(f"{region}110000")
    assert seed_graph.value(henan, SKOS.exactMatch) == WD.Q43684
    assert seed_graph.value(beijing, SKOS.exactMatch) == WD.Q956
    anyang = rdflib.URIRef(f"{region}410500")  # a city: the table holds no item for it
    assert (anyang, RDF.type, VET.Region) in seed_graph and seed_graph.value(anyang, SKOS.exactMatch) is None
    assert not set(seed_graph.subject_objects(rdflib.OWL.sameAs))


def test_the_wikidata_table_names_each_division_by_its_gazetteer_code() -> None:
    rows = load_tsv("region_wikidata.tsv")
    assert len(rows) == 31
    for row in rows:
        (region, *_) = gazetteer()[row["name"]]
        assert region.admin_code == row["admin_code"] and region.level in ("province", "municipality"), row
        assert row["wikidata"].startswith("Q") and row["wikidata"][1:].isdigit(), row
    assert len({r["wikidata"] for r in rows}) == 31


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for name in ("000_e8f3e4b4799b6f54.txt", "002_01e619eeb8aaf6f0.txt"):  # 000 has lead roles
        (folder / name).write_bytes((SEEDS / name).read_bytes())
    return folder


def test_a_build_reports_a_broken_invariant_and_strict_makes_it_an_error(corpus: Path, tmp_path: Path) -> None:
    args = [str(corpus), "--no-views", "--no-cache", "--no-progress", "--jobs", "1"]
    sound = _cli("build", *args, "--out", str(tmp_path / "sound"), "--strict")
    assert sound.returncode == 0, sound.stderr
    assert f"invariants: all {len(INVARIANTS)} hold" in sound.stdout

    lenient = _cli("build", *args, "--out", str(tmp_path / "lenient"), plant=True)
    assert lenient.returncode == 0, lenient.stderr  # reported, not an error
    line = next(ln for ln in lenient.stderr.splitlines() if "lead_role_has_leads" in ln)
    assert line.startswith("vetkg: warning:") and "https://w3id.org/vetkg/id/assertion/" in line
    assert "invariants: 1 of" in lenient.stdout and "lead_role_has_leads (1)" in lenient.stdout

    out = tmp_path / "strict"
    strict = _cli("build", *args, "--out", str(out), "--strict", "-q", plant=True)
    assert strict.returncode == 1
    assert any(ln.startswith("vetkg: error:") and "lead_role_has_leads" in ln for ln in strict.stderr.splitlines())
    assert "--strict" in strict.stderr
    assert (out / "graph.nt").is_file() and (out / VOID_FILE).is_file()  # the outputs are written all the same


def test_the_api_raises_on_a_broken_invariant_when_strict(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    import kg
    import kg.corpus.build as b
    from kg.errors import VetkgError

    made = b.document_graph

    def without_leads(extraction, **kw):  # the same edit as PLANT: a lead role loses vet:leads
        g = made(extraction, **kw)
        g.ntriples = "".join(ln for ln in g.ntriples.splitlines(keepends=True) if "#leads>" not in ln)
        return g

    monkeypatch.setattr(b, "document_graph", without_leads)
    with pytest.raises(VetkgError, match="lead_role_has_leads"):
        kg.build([corpus], tmp_path / "out", views=False, strict=True)
    assert (tmp_path / "out" / "graph.nt").is_file() and (tmp_path / "out" / VOID_FILE).is_file()
    lenient = kg.build([corpus], tmp_path / "lenient", views=False)
    assert [v.invariant for v in lenient.result.violations] == ["lead_role_has_leads"]


def test_a_rebuild_of_the_same_graph_takes_over_its_description(corpus: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build([corpus], out, views=False, cache=cache)
    described = (out / VOID_FILE).read_bytes()
    second = build([corpus], out, views=False, cache=cache)
    assert second.digest == first.digest and second.violations == first.violations == []
    assert (out / VOID_FILE).read_bytes() == described and out / VOID_FILE in second.outputs
    assert second.validation_seconds is not None and first.validation_seconds is not None
    assert second.validation_seconds < first.validation_seconds  # taken over, not redone


def _planted(made, edit, marker: str | None = None):
    """``document_graph`` with a bug planted: ``edit`` changes the lines of each graph (of
    those whose text holds ``marker``, when given)."""

    def planted(extraction, **kw):
        g = made(extraction, **kw)
        if marker is None or marker in extraction.document.text:
            lines = g.ntriples.splitlines(keepends=True)
            edit(lines)
            g.ntriples, g.turtle = "".join(lines), None
        return g

    return planted


def _misquote(lines: list[str]) -> None:
    """One quote no longer the text at its offsets."""
    i = next(i for i, ln in enumerate(lines) if "#quote>" in ln)
    lines[i] = lines[i].replace('"', '"改', 1)


def _verdict(out: Path) -> list[tuple[str, int]]:
    """The invariants a full check of the store finds broken, with their counts."""
    from kg.store.invariants import check
    from kg.store.oxigraph import OxigraphStore

    return _counted(check(OxigraphStore.open(out / "graph.oxigraph"), limit=3))


def _counted(violations) -> list[tuple[str, int]]:
    return [(v.invariant, v.count) for v in violations]


def test_a_rebuild_checks_the_per_document_invariants_on_the_changed_documents(tmp_path: Path, monkeypatch) -> None:
    """A rebuild checks the per-document invariants on the changed documents' lines and
    on the corpus part's links only, and reaches the verdict a check of the whole store
    reaches: a quote broken in the one changed document is found, and so is a resolved
    citation whose assertion lost its object; the rebuild after a broken build checks
    everything again and still finds what it copied over."""
    import shutil

    import kg.corpus.build as b
    from kg.corpus.graph import CorpusGraph

    folder, out, cache = tmp_path / "corpus", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(SEEDS, folder)  # five documents: one changed is few enough to check alone
    files = sorted(folder.iterdir())

    def rebuild(changed: Path):
        changed.write_bytes(changed.read_bytes() + b"\n\n")
        return build([folder], out, views=False, cache=cache, jobs=1)

    def whole() -> list[tuple[str, int]]:
        return _verdict(out)

    first = build([folder], out, views=False, cache=cache, jobs=1)
    assert first.violations == [] and first.checked_documents is None  # a first build checks everything
    sound = rebuild(files[0])
    assert sound.violations == [] and sound.checked_documents == 1  # checked on the one changed only

    made = b.document_graph
    monkeypatch.setattr(b, "document_graph", _planted(made, _misquote))  # as a bug would
    broken = rebuild(files[1])
    assert "quote_matches_offsets" in {name for name, _ in whole()}
    assert _counted(broken.violations) == whole()
    monkeypatch.setattr(b, "document_graph", made)
    again = rebuild(files[2])
    assert again.checked_documents is None  # the previous build broke an invariant: all checked
    assert _counted(again.violations) == whole()

    # a sound set again (the broken document rebuilt), then a link of the corpus part broken
    files[1].write_bytes((SEEDS / files[1].name).read_bytes())
    assert rebuild(files[3]).violations == []
    finish = CorpusGraph.finish

    def unresolved(self):  # one resolved citation's assertion loses its object, as a bug would
        drop = next(i for i, (_, p, _k) in enumerate(self.deferred) if p.endswith("#assertedObject>"))
        del self.deferred[drop]
        return finish(self)

    monkeypatch.setattr(CorpusGraph, "finish", unresolved)
    unlinked = rebuild(files[4])
    assert "direct_has_assertion" in {name for name, _ in whole()}
    assert _counted(unlinked.violations) == whole()


def test_a_rebuild_checks_everything_where_it_cannot_tell_what_changed(tmp_path: Path, monkeypatch) -> None:
    """Review findings: a build without the cache lists no document, so it cannot say
    which changed (everything is checked); a file removed from two that share a 文号
    changes the document the other one still builds (its files are checked again)."""
    import shutil

    import kg.corpus.build as b

    whole = _verdict
    made = b.document_graph
    monkeypatch.setattr(b, "document_graph", _planted(made, _misquote, "MARKED"))  # only a marked text
    folder, out, cache = tmp_path / "corpus", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(SEEDS, folder)
    assert build([folder], out, views=False, cache=cache, jobs=1).violations == []
    first = sorted(folder.iterdir())[0]
    first.write_bytes(first.read_bytes() + b"\nMARKED\n")
    uncached = build([folder], out, views=False, cache=None, jobs=1)
    assert uncached.checked_documents is None
    assert "quote_matches_offsets" in {name for name, _ in whole(out)}
    assert _counted(uncached.violations) == whole(out)

    # two files with one 文号 share a document and its nodes: a defect of one file that its
    # twin hides (the twin states the missing triple) shows when the twin goes
    def unparted(lines: list[str]) -> None:  # a measure's vet:partOf line missing
        del lines[next(i for i, ln in enumerate(lines) if "/measure/" in ln.split(" ")[0] and "#partOf>" in ln)]

    monkeypatch.setattr(b, "document_graph", _planted(made, unparted, "NEEDY"))
    folder, out, cache = tmp_path / "shared", tmp_path / "shared-out", tmp_path / "shared-cache"
    shutil.copytree(SEEDS, folder)
    original = sorted(folder.iterdir())[1]
    (folder / f"{original.stem}_copy.txt").write_bytes(original.read_bytes() + b"\nNEEDY\n")
    assert build([folder], out, views=False, cache=cache, jobs=1).violations == whole(out) == []
    original.unlink()  # no file came: the document whose file went is checked again
    alone = build([folder], out, views=False, cache=cache, jobs=1)
    assert "measure_in_one_document" in {name for name, _ in whole(out)}
    assert _counted(alone.violations) == whole(out)


def test_the_corpus_part_past_the_links_holds_nothing_the_per_document_invariants_read(tmp_path: Path) -> None:
    """The scoped check reads the corpus part's entities and links only: the similarity and
    reuse nodes after them carry no triple a per-document invariant reads (their
    prov:wasDerivedFrom names the evidence they come from, on nodes that are no assertion)."""
    import json
    import re as regex

    from kg.store.invariants import LINK_LINE_RE

    out = tmp_path / "out"
    build([SEEDS], out, views=False, cache=tmp_path / "cache", jobs=1)
    manifest = json.loads((out / ".vetkg-manifest.json").read_text(encoding="utf-8"))
    (links_start, links_size), (tail, size) = manifest["links"][0], manifest["corpus"][1]
    assert links_start == tail and 0 < links_size < size
    data = (out / "graph.nt").read_bytes()[tail + links_size : tail + size]
    assert b"/id/similarity/" in data or b"/id/reuse/" in data  # the seeds have both kinds of node
    read = LINK_LINE_RE.findall(data)
    derived = [ln for ln in read if b"<http://www.w3.org/ns/prov#wasDerivedFrom>" in ln]
    assert len(derived) == len(read)
    assert all(regex.match(rb"<https://w3id\.org/vetkg/id/(?:similarity|reuse)/", ln) for ln in derived)
