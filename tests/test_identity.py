"""Identity by documented rules (issue 19; docs/identity.md): one node per real policy
and body, whatever the files are called, in what order they come, or how often a policy
was re-posted."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from kg.corpus.build import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
VET = rdflib.Namespace("https://w3id.org/vetkg/ontology#")
ELI = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")

OPINION = """{city}人民政府办公室关于深化产教融合的实施意见
{number}
各县（市、区）人民政府，市政府各部门：
为贯彻落实《河北省人民政府关于加快推进现代职业教育的实施意见》{cited}精神，结合实际，提出如下意见。
一、主要任务
（一）推进校企合作。支持职业院校与企业共建实训基地。（市教育局牵头，市财政局配合）
（二）加强师资建设。“双师型”教师占专业课教师比例达到60%以上。（市教育局负责）
{city}人民政府办公室
{date}
"""


def _graph(inputs, out: Path) -> rdflib.Graph:
    result = build(inputs, out, views=False)
    assert result.ok, result.errors
    g = rdflib.Graph()
    g.parse(out / "graph.nt", format="nt")
    return g


def _write(folder: Path, name: str, **fields: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(OPINION.format(**fields), encoding="utf-8")
    return path


def test_a_policy_cited_with_and_without_its_number_is_one_node(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _write(docs, "a.txt", city="甲市", number="甲政办〔2023〕3号", cited="（冀政发〔2015〕3号）", date="2023年3月1日")
    _write(docs, "b.txt", city="乙市", number="乙政〔2022〕8号", cited="", date="2022年8月1日")
    g = _graph([docs], tmp_path / "out")
    cited = {d for d, _, t in g.triples((None, rdflib.RDFS.label, None)) if "加快推进现代职业教育" in str(t)}
    assert len(cited) == 1
    (node,) = cited
    assert len(set(g.subjects(VET.cites, node))) == 2


def test_the_seeds_cite_the_henan_opinion_as_one_node(seed_graph) -> None:
    nodes = {d for d, _, t in seed_graph.triples((None, rdflib.RDFS.label, None)) if "推进技能社会建设的意见" in str(t)}
    assert len(nodes) == 1


def test_a_placeholder_number_does_not_merge_two_policies(seed_graph) -> None:
    """The seeds cite a province's and a city's opinion, both printed as X政办发〔2018〕X号."""
    nodes = {
        d
        for d, _, n in seed_graph.triples((None, rdflib.namespace.DCTERMS.identifier, None))
        if str(n) == "X政办发〔2018〕X号" and (d, rdflib.RDF.type, VET.PolicyDocument) in seed_graph
    }
    titles = {str(seed_graph.value(d, rdflib.RDFS.label)) for d in nodes}
    assert len(nodes) == 2, titles
    assert any(t.startswith("XX省") for t in titles) and any(t.startswith("XX市") for t in titles)


def test_bodies_of_two_unknown_regions_stay_apart(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _write(docs, "a.txt", city="甲市", number="甲政办〔2023〕3号", cited="", date="2023年3月1日")
    _write(docs, "b.txt", city="乙市", number="乙政〔2022〕8号", cited="", date="2022年8月1日")
    g = _graph([docs], tmp_path / "out")
    bureaus = {d for d in g.subjects(rdflib.RDF.type, VET.Department) if str(g.value(d, SKOS.prefLabel)) == "市教育局"}
    assert len(bureaus) == 2
    scopes = {g.value(d, VET.scopeDocument) for d in bureaus}
    assert len(scopes) == 2 and None not in scopes  # each scoped by its own document ...
    assert all(g.value(d, VET.jurisdiction) is None for d in bureaus)  # ... not by a made-up region
    labels = {str(o) for r in g.subjects(rdflib.RDF.type, VET.Region) for o in g.objects(r, SKOS.prefLabel)}
    assert "市" not in labels


def _without_file_names(g: rdflib.Graph) -> set:
    """The triples, less the two that name a file (its id is made from its name)."""
    return {t for t in g if t[1] not in (VET.sourceId, VET.fileId)}


def test_renamed_and_reordered_inputs_give_the_same_triples(tmp_path: Path) -> None:
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i, path in enumerate(reversed(seeds)):  # reversed order, other names
        shutil.copy(path, renamed / f"{i:02d}_copy.txt")
    a = _graph([SEEDS], tmp_path / "a")
    b = _graph([renamed], tmp_path / "b")
    only_a, only_b = _without_file_names(a) - _without_file_names(b), _without_file_names(b) - _without_file_names(a)
    assert not only_a and not only_b, (sorted(only_a)[:5], sorted(only_b)[:5])


def test_a_reposted_copy_is_one_work_with_two_files(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    seed = SEEDS / "001_4a76b483e918d52f.txt"
    shutil.copy(seed, docs / "original.txt")
    header = "首页 > 政务公开 > 政策文件\n来源：市政府办公室  发布时间：2021-12-06  浏览次数：1024\n【字体：大 中 小】 打印本页\n"
    (docs / "reposted.txt").write_text(header + seed.read_text(encoding="utf-8"), encoding="utf-8")
    g = _graph([docs], tmp_path / "out")
    works = set(g.subjects(VET.sourceId, None))
    assert len(works) == 1
    (work,) = works
    (expression,) = set(g.objects(work, ELI.is_realized_by))
    files = set(g.subjects(ELI.embodies, expression))
    assert len(files) == 2
    assert len({g.value(f, VET.checksum) for f in files}) == 2
    texts = {g.value(f, VET.fileId).toPython(): f for f in files}
    # Every evidence node names its file, and its quote is that file's text at its offsets.
    from kg.reading import read

    read_texts = {f: read(docs / name).text for name in ("original.txt", "reposted.txt") for f in files}
    by_file: dict = {f: [] for f in files}
    for ev in g.subjects(rdflib.RDF.type, VET.Evidence):
        f = g.value(ev, VET.sourceFile)
        assert f in files
        by_file[f].append(ev)
    assert all(by_file.values())
    for name in ("original.txt", "reposted.txt"):
        doc = read(docs / name)
        (f,) = [f for f in files if str(g.value(f, VET.checksum)) == doc.checksum]
        for ev in by_file[f]:
            start, end = int(g.value(ev, VET.startOffset)), int(g.value(ev, VET.endOffset))
            assert doc.text[start:end] == str(g.value(ev, VET.quote))
    del texts, read_texts


def test_a_generated_corpus_conforms_to_the_shapes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), "60", str(corpus)], check=True)
    out = tmp_path / "out"
    result = build([corpus], out, views=False)
    assert result.ok, result.errors
    g = rdflib.Graph()
    g.parse(out / "graph.nt", format="nt")
    works = set(g.subjects(rdflib.RDF.type, VET.PolicyDocument)) & set(g.subjects(VET.sourceId, None))
    assert len(works) == 60
    from kg.rdf.validate import validate_graph

    report = validate_graph(g)
    assert report.conforms, report.text[:2000]


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seeds")
    _graph([SEEDS], out)
    return out


@pytest.fixture(scope="module")
def seed_graph(seed_build) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(seed_build / "graph.nt", format="nt")
    return g


def test_namesakes_of_two_regions_are_two_rows_labelled_with_their_region(seed_build: Path) -> None:
    """Beijing's and Hebi's 市发展改革委 share a name: the queries keep them apart."""
    from kg.api import load

    graph = load(seed_build)
    load_rows = graph.query("department_load")
    ndrc = sorted(d for d in load_rows["department"] if d.startswith("市发展改革委"))
    assert ndrc == ["市发展改革委（北京市）", "市发展改革委（鹤壁市）"]
    pairs = graph.query("co_responsible_units")
    assert not pairs.duplicated(["unit_a", "unit_b"]).any()
