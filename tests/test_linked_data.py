"""The graph as linked data (issue 19, item 7): a real `vetkg serve` on a real build of the
seeds (plus two hostile documents) answers every IRI of the graph's base at ``/id/…`` —
Turtle, JSON-LD and N-Triples by content negotiation, an HTML page for browsers with the
entity's label, facts, evidence highlighted in its sentence and links onward — a VoID
description at ``/.well-known/void`` and a SPARQL query page that works offline, checked
over HTTP and in Chromium through Playwright.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib
import rdflib.compare
from conftest import ROOT, SEEDS, stop
from rdflib.namespace import RDF, SKOS, VOID

from kg.store.server import wait_until_up

RESOURCE = "https://w3id.org/vetkg/id/"
PREFIXES = (
    "PREFIX vet: <https://w3id.org/vetkg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
)
HOSTILE = ROOT / "tests" / "fixtures" / "hostile_viz"
BROWSER_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The seeds and the two hostile documents of tests/fixtures/hostile_viz, built."""
    from kg.corpus.build import build

    src = tmp_path_factory.mktemp("ld-corpus")
    for f in [*SEEDS.glob("*.txt"), *HOSTILE.glob("*.txt")]:
        shutil.copy(f, src / f.name)
    out = tmp_path_factory.mktemp("ld-build")
    result = build([src], out, views=False)
    assert result.ok, result.errors
    return out


@pytest.fixture(scope="module")
def served(built, tmp_path_factory):
    """`vetkg serve` on the build, on a free loopback port; yields its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("ld-serve") / "serve.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", "--graph", str(built), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=ROOT,
        )
    try:
        wait_until_up("127.0.0.1", port, timeout=120, proc=proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def get(url: str, accept: str = "*/*", method: str = "GET") -> tuple[int, str, str]:
    """(status, content type, body) of a request, errors included."""
    req = urllib.request.Request(url, headers={"Accept": accept}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode("utf-8", "replace")


def select(base: str, query: str) -> list[dict[str, str]]:
    data = urllib.parse.urlencode({"query": PREFIXES + query}).encode()
    req = urllib.request.Request(
        base + "/query",
        data=data,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        bindings = json.loads(resp.read())["results"]["bindings"]
    return [{k: v["value"] for k, v in b.items()} for b in bindings]


def path_of(iri: str) -> str:
    assert iri.startswith(RESOURCE), iri
    return "/id/" + iri[len(RESOURCE) :]


@pytest.fixture(scope="module")
def body_with_evidence(served) -> dict[str, str]:
    """A government body with a Chinese label that is responsible for a measure, and the
    quote and sentence of the evidence of a measure mentioning it (the quote inside the
    sentence)."""
    rows = select(
        served,
        """SELECT ?d ?label ?quote ?sentence WHERE {
             ?d a vet:Department ; skos:prefLabel ?label ; vet:responsibleFor ?m .
             ?a vet:assertedObject ?d ; vet:assertedPredicate vet:mentions ; prov:wasDerivedFrom ?ev .
             ?ev vet:quote ?quote ; vet:sentence ?sentence .
             FILTER(?quote != ?sentence && STRSTARTS(STR(?d), "https://w3id.org/vetkg/id/department/"))
             FILTER(!CONTAINS(?label, "<"))
           } ORDER BY ?d ?quote LIMIT 1""",
    )
    assert rows
    return rows[0]


# --- content negotiation -------------------------------------------------------------------


def test_an_entity_iri_answers_turtle_about_it(served, body_with_evidence):
    iri = rdflib.URIRef(body_with_evidence["d"])
    status, kind, body = get(served + path_of(iri), "text/turtle")
    assert status == 200, body
    assert kind.startswith("text/turtle")
    g = rdflib.Graph().parse(data=body, format="turtle")
    assert (iri, SKOS.prefLabel, rdflib.Literal(body_with_evidence["label"], lang="zh")) in g
    assert (iri, RDF.type, rdflib.URIRef("https://w3id.org/vetkg/ontology#Department")) in g
    assert any(True for _ in g.subject_predicates(iri))  # the triples pointing at it too
    assert all(s == iri or o == iri for s, _, o in g)  # and nothing else
    # N-Triples: the same description
    status, kind, nt = get(served + path_of(iri), "application/n-triples")
    assert status == 200 and kind.startswith("application/n-triples")
    assert rdflib.compare.isomorphic(g, rdflib.Graph().parse(data=nt, format="nt"))


def test_an_entity_iri_answers_json_ld(served, body_with_evidence):
    iri = body_with_evidence["d"]
    status, kind, body = get(served + path_of(iri), "application/ld+json")
    assert status == 200 and kind.startswith("application/ld+json"), (status, kind)
    g = rdflib.Graph().parse(data=body, format="json-ld")
    turtle = rdflib.Graph().parse(data=get(served + path_of(iri), "text/turtle")[2], format="turtle")
    assert len(g) > 5 and rdflib.compare.isomorphic(g, turtle)


def test_an_entity_page_shows_its_chinese_label_and_evidence(served, body_with_evidence):
    from html import escape

    status, kind, page = get(served + path_of(body_with_evidence["d"]), BROWSER_HTML)
    assert status == 200 and kind.startswith("text/html"), (status, kind)
    label, quote = body_with_evidence["label"], body_with_evidence["quote"]
    assert f'<h1 lang="zh">{escape(label)}</h1>' in page
    before, _, after = body_with_evidence["sentence"].partition(quote)
    assert f"<mark>{escape(quote)}</mark>" in page
    assert escape(before) in page and escape(after) in page  # in its sentence
    assert "/id/document/" in page  # links onward: the measures it is responsible for
    assert " src=" not in page and 'rel="stylesheet"' not in page  # nothing loaded from elsewhere


def test_a_document_page_lists_its_measures_and_files(served):
    doc = select(served, 'SELECT ?d ?t WHERE { ?d vet:sourceId "001_4a76b483e918d52f" ; dcterms:title ?t } LIMIT 1')[0]
    status, _, page = get(served + path_of(doc["d"]), BROWSER_HTML)
    assert status == 200
    assert doc["t"] in page
    assert 'href="/id/document/' in page and "/measure/" in page  # its measures, linked
    assert "001_4a76b483e918d52f" in page  # the file it was read from, with its checksum
    assert 'id="measures"' in page and 'id="files"' in page


def test_unknown_and_malformed_ids_are_not_found(served):
    for path in ("/id/document/0000000000", "/id/", "/id/nothing/here"):
        status, kind, page = get(served + path, BROWSER_HTML)
        assert status == 404, (path, status)
        assert kind.startswith("text/html") and "<script" not in page
        assert get(served + path, "text/turtle")[0] == 404
    # characters outside the IRI policy never reach a query
    for path in ("/id/a%3E%20%7D%20", "/id/%3Cscript%3E", "/id/document/../../query", "/id/a'b", "/id/a%0Ab"):
        status, _, page = get(served + path, BROWSER_HTML)
        assert status in (400, 404), (path, status, page[:200])
    # the server still answers
    assert get(served + "/.well-known/void", "text/turtle")[0] == 200


def test_hostile_labels_are_shown_as_text(served):
    """Every entity whose name carries markup (titles, a department, measures): its page
    shows the markup as text."""
    rows = select(
        served,
        """SELECT DISTINCT ?e WHERE {
             ?e skos:prefLabel|rdfs:label|dcterms:title ?l
             FILTER(STRSTARTS(STR(?e), "https://w3id.org/vetkg/id/") && CONTAINS(?l, "<"))
           } ORDER BY ?e""",
    )
    kinds = {r["e"][len(RESOURCE) :].split("/")[0] for r in rows}
    assert {"document", "department"} <= kinds, kinds
    for row in rows:
        status, _, page = get(served + path_of(row["e"]), BROWSER_HTML)
        assert status == 200
        assert "&lt;" in page  # shown …
        for markup in ("<img", "<svg", "<details", '<a href="javascript', "<script>window"):
            assert markup not in page, (row["e"], markup)  # … as text


def test_void_description_is_computed_from_the_served_graph(served, built):
    own = built / "void.ttl"
    aside = built / "void.ttl.aside"
    if own.exists() or own.is_symlink():
        own.rename(aside)
    try:
        status, kind, body = get(served + "/.well-known/void", "text/turtle")
    finally:
        if aside.exists() or aside.is_symlink():
            aside.rename(own)
    assert status == 200 and kind.startswith("text/turtle"), (status, body[:300])
    g = rdflib.Graph().parse(data=body, format="turtle")
    datasets = list(g.subjects(RDF.type, VOID.Dataset))
    assert len(datasets) == 1
    ds = datasets[0]
    count = int(select(served, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    assert int(g.value(ds, VOID.triples)) == count
    assert str(g.value(ds, VOID.sparqlEndpoint)) == served + "/query"
    assert str(g.value(ds, VOID.uriSpace)) == RESOURCE
    classes = {
        str(g.value(p, VOID["class"])): int(g.value(p, VOID.entities)) for p in g.objects(ds, VOID.classPartition)
    }
    n_docs = int(select(served, "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a vet:PolicyDocument }")[0]["n"])
    assert classes["https://w3id.org/vetkg/ontology#PolicyDocument"] == n_docs
    # for a browser: the same, readable
    status, kind, page = get(served + "/.well-known/void", BROWSER_HTML)
    assert status == 200 and kind.startswith("text/html") and "void:Dataset" in page


def test_void_file_of_the_build_is_served_when_present(served, built):
    own = built / "void.ttl"
    aside = built / "void.ttl.aside"
    if own.exists() or own.is_symlink():
        own.rename(aside)
    own.write_text(
        "@prefix void: <http://rdfs.org/ns/void#> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        '<https://w3id.org/vetkg/id/dataset/test> a void:Dataset ; dcterms:title "the build\'s own"@en .\n',
        encoding="utf-8",
    )
    try:
        status, _, body = get(served + "/.well-known/void", "text/turtle")
    finally:
        own.unlink()
        if aside.exists() or aside.is_symlink():
            aside.rename(own)
    assert status == 200, body
    g = rdflib.Graph().parse(data=body, format="turtle")
    ds = rdflib.URIRef("https://w3id.org/vetkg/id/dataset/test")
    assert str(g.value(ds, rdflib.URIRef("http://purl.org/dc/terms/title"))) == "the build's own"
    assert str(g.value(ds, VOID.sparqlEndpoint)) == served + "/query"


def test_query_page_is_self_contained_and_queries_still_work(served):
    for path in ("/", "/sparql"):
        status, kind, page = get(served + path, BROWSER_HTML)
        assert status == 200 and kind.startswith("text/html")
        assert "<textarea" in page and "/query" in page
        assert 'src="http' not in page and 'href="http' not in page and "yasgui" not in page.lower()
    # /sparql is an alias of /query, with the same refusals
    status, _, body = get(
        served + "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}), "application/sparql-results+json"
    )
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = get(
        served
        + "/sparql?"
        + urllib.parse.urlencode({"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}),
        "application/sparql-results+json",
    )
    assert status == 400 and "SERVICE" in body


# --- in a browser ---------------------------------------------------------------------------


def offline_page(browser, base: str):
    """A page whose requests to anywhere but the server are aborted and recorded."""
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    outside: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith(base + "/"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, outside, errors


def test_entity_pages_and_the_query_page_in_chromium(browser, served, body_with_evidence):
    page, outside, errors = offline_page(browser, served)
    page.goto(served + path_of(body_with_evidence["d"]))
    assert page.locator("h1").inner_text() == body_with_evidence["label"]
    marks = page.locator("mark").all_inner_texts()
    assert body_with_evidence["quote"] in marks
    # follow a link to a measure it is responsible for, and from there onward
    link = page.locator("a[href^='/id/document/'][href*='/measure/']").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_url(served + target)
    assert page.locator("h1").inner_text().strip()
    assert page.locator("a[href^='/id/']").count() > 0
    # the query page: runs a query offline and shows the rows, IRIs linked to their pages
    page.goto(served + "/")
    titles = "SELECT ?d ?t WHERE { ?d vet:sourceId ?s ; dcterms:title ?t } ORDER BY ?t"
    n = len(select(served, titles))
    assert n >= 7  # the seeds and the two hostile documents
    page.fill("textarea", PREFIXES + titles)
    page.click("button[type=submit]")
    page.wait_for_selector("#results table tbody tr")
    assert page.locator("#results tbody tr").count() == n
    assert page.locator("#results a[href^='/id/document/']").count() == n
    # a hostile title in the rows is text
    assert page.evaluate("window.__pwned") is None
    assert "onerror" in page.locator("#results").inner_text()
    # a refused query shows the server's reason
    page.fill("textarea", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    page.click("button[type=submit]")
    page.wait_for_selector("#results .error")
    assert "SERVICE" in page.locator("#results .error").inner_text()
    # hostile pages show their markup as text
    hostile = select(
        served, 'SELECT ?d WHERE { ?d vet:sourceId ?s ; dcterms:title ?t FILTER(CONTAINS(?t, "onerror")) }'
    )
    for row in hostile:
        page.goto(served + path_of(row["d"]))
        assert "onerror" in page.locator("h1").inner_text()
        assert page.evaluate("window.__pwned") is None
    assert outside == [], outside
    assert not errors, errors
    page.close()
