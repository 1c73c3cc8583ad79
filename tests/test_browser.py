"""The generated HTML in a real browser (Debian's Chromium, driven by Playwright): it
loads from file:// with no request leaving the page, the vis network holds the expected
nodes and edges, tooltips carry the evidence, and text from a hostile document is shown,
never run. The views read the build's own store. Screenshots go to $VETKG_SCREENSHOTS
when it names a folder (else to a temporary folder: tests write nothing into the tree)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

from kg import viz
from kg.analytics.source import OxigraphSource
from kg.corpus.build import build
from kg.corpus.incremental import sound_store

LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seeds plus a hostile document, built with graph.html and report.html."""
    src = tmp_path_factory.mktemp("corpus")
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, src / f.name)
    shutil.copy(ROOT / "tests" / "fixtures" / "hostile.txt", src / "hostile.txt")
    out = tmp_path_factory.mktemp("built")
    result = build([src], out)
    assert result.ok, result.errors
    assert sound_store(out) == result.store and (out / "graph.html").is_file() and (out / "report.html").is_file()
    return out


def open_page(browser, path: Path):
    """Open ``path`` and record every request the page makes."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return page, requests, errors


def wait_for_network(page, timeout: float = 60.0) -> float:
    """Seconds until the vis network exists and has stopped moving."""
    t0 = time.monotonic()
    page.wait_for_function("typeof network !== 'undefined' && network.body !== undefined", timeout=timeout * 1000)
    page.evaluate("""() => new Promise(resolve => {
        if (!network.physics.options.enabled || network.physics.stabilized) { resolve(); return; }
        network.once('stabilizationIterationsDone', resolve);
        network.once('stabilized', resolve);
        setTimeout(resolve, 30000);
    })""")
    return time.monotonic() - t0


@pytest.mark.parametrize("view", ["full", "responsibility", "citations", "diffusion", "document:hostile"])
def test_graph_views_load_offline_with_the_expected_counts(browser, built, view, tmp_path, shots):
    graph = OxigraphSource.open(sound_store(built))  # the store the build drew graph.html from
    path = built / "graph.html" if view == "full" else viz.write_html(graph, tmp_path / "view.html", view)
    expected = viz.view_graph(graph, view)
    page, requests, errors = open_page(browser, path)
    seconds = wait_for_network(page)
    nodes, edges = page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
    assert (nodes, edges) == (expected.number_of_nodes(), expected.number_of_edges())
    assert all(u.startswith(LOCAL_SCHEMES) for u in requests), [u for u in requests if not u.startswith(LOCAL_SCHEMES)]
    assert not errors, errors
    assert page.evaluate("window.__pwned") is None
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"graph-{view.replace(':', '-')}.png"))
    (shots / f"graph-{view.replace(':', '-')}.seconds").write_text(f"{seconds:.2f}\n")
    page.close()


def test_tooltip_holds_the_evidence_and_hostile_text_is_shown_not_run(browser, built, shots):
    page, requests, _errors = open_page(browser, built / "graph.html")
    wait_for_network(page)
    # The hostile measure's node: its tooltip shows the markup as text.
    node_id = page.evaluate("""() => nodes.get().find(n => n.title && n.title.includes('__pwned=2')).id""")
    title = page.evaluate("id => nodes.get(id).title", node_id)
    assert "<script>" in title  # kept as text in the data
    # Hover it: vis-network shows the tooltip; its text holds the evidence, no element made.
    page.evaluate(
        """id => { const p = network.getPositions([id])[id];
                            network.moveTo({position: p, scale: 1.0, animation: false}); }""",
        node_id,
    )
    box = page.evaluate(
        """id => { const p = network.canvasToDOM(network.getPositions([id])[id]);
                                  const r = document.getElementById('mynetwork').getBoundingClientRect();
                                  return [r.left + p.x, r.top + p.y]; }""",
        node_id,
    )
    page.mouse.move(box[0], box[1])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10000)
    tip = page.locator("div.vis-tooltip")
    assert "__pwned" in tip.inner_text()
    assert tip.locator("script, img").count() == 0
    assert page.evaluate("window.__pwned") is None
    # A department's tooltip carries the evidence sentence of its responsibility.
    dept = page.evaluate("""() => nodes.get().find(n => n.type === 'Department' && n.title.includes('evidence:'))""")
    assert "evidence: " in dept["title"] and ("负责" in dept["title"] or "责任单位" in dept["title"])
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "tooltip-hostile.png"))
    assert all(u.startswith(LOCAL_SCHEMES) for u in requests)
    page.close()


def test_report_loads_offline_with_its_plots(browser, built, shots):
    page, requests, _errors = open_page(browser, built / "report.html")
    page.wait_for_load_state("load")
    assert page.locator("img").count() >= 3
    assert page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    assert all(u.startswith(LOCAL_SCHEMES) for u in requests)
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned" in page.inner_text("body")  # shown as text
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "report.png"), full_page=False)
    page.close()
