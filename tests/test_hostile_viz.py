"""Document text in the interactive graph is shown, never run (issue 17, case 1).

pyvis fills its tooltip with ``innerHTML`` as soon as one node title contains "href", and
vetkg's titles carry document text. Documents whose titles, department, enterprise and
programme names and measure text hold "href" and markup payloads are built with the real
CLI; the full page and ``vetkg viz --view document:ID`` pages are opened in Debian's
Chromium, every node (and every edge carrying markup) is hovered, the select and filter
menus are opened, and nothing may run: ``window.__pwned`` stays undefined, no dialog opens,
and each tooltip holds its title as literal text (text nodes and line breaks only).
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS
from test_browser import open_page, wait_for_network

FIXTURES = ROOT / "tests" / "fixtures" / "hostile_viz"
PAYLOADS = (
    'href<img src=x onerror="window.__pwned=(window.__pwned||0)+1">',
    "<script>window.__pwned=1</script>",
    '"><svg onload="window.__pwned=(window.__pwned||0)+1">',
    "href<details/open/ontoggle=window.__pwned=7>",
    "<img/src/onerror=window.__pwned=8>",
    '<a href="javascript:window.__pwned=9">',
)
PAGES = ("full", "document:hostile_title", "document:hostile_names")


def vetkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """Two seeds and the hostile documents, built by the CLI; the full page and one
    document page per hostile document."""
    src = tmp_path_factory.mktemp("corpus")
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(seed, src / seed.name)
    for doc in FIXTURES.glob("*.txt"):
        shutil.copy(doc, src / doc.name)
    out = tmp_path_factory.mktemp("built")
    done = vetkg("build", str(src), "--out", str(out), "--jobs", "1")
    assert done.returncode == 0, done.stderr
    found = {"full": out / "graph.html"}
    for view in PAGES[1:]:
        path = out / f"{view.replace(':', '-')}.html"
        done = vetkg("viz", "--graph", str(out), "--view", view, "--out", str(path))
        assert done.returncode == 0, done.stderr
        found[view] = path
    return found


def page_data(path: Path) -> tuple[list[dict], list[dict]]:
    """The nodes and edges as the page hands them to vis-network."""
    text = path.read_text(encoding="utf-8")
    nodes = re.search(r"nodes = new vis\.DataSet\((.*?)\);\n", text)
    edges = re.search(r"edges = new vis\.DataSet\((.*?)\);\n", text)
    assert nodes and edges, "the page holds no vis DataSet"
    return json.loads(nodes.group(1)), json.loads(edges.group(1))


def assert_the_payloads_are_in_the_page(path: Path, view: str) -> None:
    """The hostile text really reaches the page's data (node titles with "href", what
    flips pyvis to innerHTML; markup in labels and edge titles), and appears nowhere in
    the page as raw markup."""
    nodes, edges = page_data(path)
    titles = [n["title"] for n in nodes]
    assert sum("href<" in t for t in titles) >= 3, view
    if view == "full":
        for payload in PAYLOADS:
            assert any(payload in t for t in titles), payload
        assert {"Department", "CollectiveUnit", "Enterprise", "Program", "Measure", "PolicyDocument"} <= {
            n["type"] for n in nodes if "<" in n["title"]
        }
        assert any("<" in n["label"] for n in nodes)
        assert any("<" in e.get("title", "") for e in edges)
    text = path.read_text(encoding="utf-8")
    assert not [p for p in PAYLOADS if p in text]


# The visible tooltip (vis-network's own, or pyvis's replacement popup) as its child nodes.
TOOLTIP = """() => {
    const shown = Array.from(document.querySelectorAll('div.vis-tooltip, div.popup'))
        .filter(e => getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden');
    if (!shown.length) return null;
    const tip = shown[0];
    return {
        elements: Array.from(tip.querySelectorAll('*')).map(e => e.nodeName).filter(n => n !== 'BR'),
        text: Array.from(tip.childNodes).map(c => c.nodeName === 'BR' ? '\\n' : c.textContent).join(''),
    };
}"""
ISOLATE = """([ids, far]) => {
    // the items alone in an empty part of the canvas, the view centred on them
    network.setOptions({physics: {enabled: false}});
    ids.forEach((id, i) => network.moveNode(id, far.x + 240 * i, far.y));
    const centre = {x: far.x + 120 * (ids.length - 1), y: far.y};
    network.moveTo({position: centre, scale: 1.0, animation: false});
    const p = network.canvasToDOM(centre);
    const r = document.getElementById('mynetwork').getBoundingClientRect();
    return [r.left + p.x, r.top + p.y];
}"""


def hover(page, ids: list[str], expected: set[str], far: dict) -> str | None:
    """Move the given nodes apart from the rest, hover them (one node: its centre; two
    nodes: the middle of their edge) and check the tooltip; the problem found, or None."""
    origin = page.evaluate("ids => network.getPositions(ids)", ids)
    x, y = page.evaluate(ISOLATE, [ids, far])
    page.mouse.move(x + 300, y + 200)  # off the items: any tooltip closes
    with contextlib.suppress(Exception):  # pyvis's popup closes late; the text check decides
        page.wait_for_function(f"() => !({TOOLTIP})()", timeout=1500)
    page.mouse.move(x, y, steps=2)
    try:
        page.wait_for_function(f"() => {{ const t = ({TOOLTIP})(); return t && t.text.length > 0; }}", timeout=3000)
        page.wait_for_timeout(60)
        tip = page.evaluate(TOOLTIP)
    except Exception:  # a timeout: the tooltip found (if any) is checked below
        tip = page.evaluate(TOOLTIP)
    for node_id in ids:
        page.evaluate("([id, p]) => network.moveNode(id, p.x, p.y)", [node_id, origin[node_id]])
    if tip is None:
        return f"{ids}: no tooltip shown"
    if tip["elements"]:
        return f"{ids}: the tooltip made elements {tip['elements']}"
    if tip["text"] not in expected:
        return f"{ids}: the tooltip shows {tip['text']!r}, not the title as text"
    return None


@pytest.mark.parametrize("view", PAGES)
def test_hovering_every_node_runs_nothing_and_shows_the_text(browser, pages, view):
    assert_the_payloads_are_in_the_page(pages[view], view)
    nodes, edges = page_data(pages[view])
    page, requests, errors = open_page(browser, pages[view])
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    wait_for_network(page)
    far = page.evaluate("""() => { const b = Object.values(network.getPositions());
        return {x: Math.max(...b.map(p => p.x)) + 4000, y: Math.max(...b.map(p => p.y)) + 4000}; }""")
    problems: list[str] = []
    for node in sorted(nodes, key=lambda n: "<" not in n["title"]):  # the hostile ones first
        problem = hover(page, [node["id"]], {node["title"]}, far)
        if problem:
            problems.append(problem)
    hostile_edges = [
        e for e in edges if e["from"] != e["to"] and ("<" in e.get("title", "") or "href" in e.get("title", ""))
    ]
    assert hostile_edges or view != "full"
    for edge in hostile_edges:
        pair = {edge["from"], edge["to"]}
        same_pair = {e["title"] for e in edges if {e["from"], e["to"]} == pair}
        problem = hover(page, sorted(pair), same_pair, far)
        if problem:
            problems.append(problem)
    if view == "full":
        problems += menu_problems(page)
    page.wait_for_timeout(500)  # an image's error event comes after the hover
    assert page.evaluate("window.__pwned") is None, problems
    assert not dialogs, dialogs
    assert not problems, problems
    assert not errors, errors
    assert all(u.startswith(("file:", "data:", "about:", "blob:")) for u in requests), requests
    page.close()


def menu_problems(page) -> list[str]:
    """pyvis's menus list the node ids and, in the filter, every value of a property: open
    them with every title and label listed; the problems found."""
    problems = []
    for prop in ("title", "label"):
        shown = page.evaluate(
            """prop => {
            document.getElementById('select-item').tomselect.setValue('node');
            document.getElementById('select-property').tomselect.setValue(prop);
            const values = document.getElementById('select-value').tomselect;
            values.settings.maxOptions = null;
            values.refreshOptions(false);
            values.open();
            return Array.from(values.dropdown_content.querySelectorAll('.option'))
                .map(o => [o.textContent, Array.from(o.querySelectorAll('*')).map(e => e.nodeName)]);
        }""",
            prop,
        )
        if not any("href<" in text for text, _ in shown):
            problems.append(f"the filter menu lists no {prop} holding the markup as text")
        problems += [f"the filter menu made {made} for {text!r}" for text, made in shown if made]
    page.evaluate("document.getElementById('select-value').tomselect.close()")
    nodes = page.evaluate("""() => { const s = document.getElementById('select-node').tomselect;
        s.settings.maxOptions = null; s.refreshOptions(false); s.open();
        return s.dropdown_content.querySelectorAll('.option').length; }""")
    if nodes < page.evaluate("network.body.data.nodes.length"):
        problems.append(f"the select menu lists {nodes} nodes")
    return problems
