"""The interactive views are readable as they open (issue 21, item 3), checked in Debian's
Chromium on the build of the seeds, from what the page really drew.

- Each seed's document view is a tree read left to right (document → measures in outline
  order, grouped by part → responsible units → indicators → programs and institutions), and
  at the default zoom every node label is drawn, large enough to read, and no two overlap.
- The full view is clustered by document (each document's nodes in an island of their own,
  with a caption); at the default zoom no visible labels overlap, and choosing a document in
  the legend zooms to it, where its labels are drawn, readable and apart.

Label boxes are computed in the page from each node's rendered position
(``network.getPositions`` + ``canvasToDOM``), the view's scale, and the label text measured
with the node's own font (canvas ``measureText``). Screenshots go to $VETKG_SCREENSHOTS
when it names a folder (else to a temporary folder).
"""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS
from test_browser import open_page, wait_for_network

from kg import viz
from kg.analytics.source import OxigraphSource
from kg.corpus.build import build
from kg.corpus.incremental import sound_store

SEED_STEMS = sorted(p.stem for p in SEEDS.glob("*.txt"))
READABLE_PX = 10.0  # the smallest label size on screen that counts as readable

# Each drawn node's label as a box in page pixels, with the node's type and position.
# vis-network draws a label inside box-like shapes, centred on the node, and under the
# other shapes (3 px below the shape); it skips a label whose on-screen size is below the
# node's scaling.label.drawThreshold - 1.
LABEL_BOXES = """() => {
    const scale = network.getScale();
    const ctx = document.createElement('canvas').getContext('2d');
    const frame = document.getElementById('mynetwork').getBoundingClientRect();
    const ids = network.body.nodeIndices;
    const positions = network.getPositions(ids);
    const inside = new Set(['box', 'ellipse', 'circle', 'database', 'text']);
    return ids.map(id => {
        const node = network.body.nodes[id];
        const o = node.options;
        const text = o.label === undefined || o.label === null ? '' : String(o.label);
        const data = nodes.get(id) || {};
        const screenSize = o.font.size * scale;
        const drawn = text.length > 0 && screenSize >= o.scaling.label.drawThreshold - 1;
        ctx.font = o.font.size + 'px ' + o.font.face;
        const lines = text.split('\\n');
        const width = Math.max(...lines.map(l => ctx.measureText(l).width));
        const height = lines.length * o.font.size;
        const p = positions[id];
        const top = inside.has(o.shape) ? p.y - height / 2 : p.y + node.shape.height / 2 + 3;
        const a = network.canvasToDOM({x: p.x - width / 2, y: top});
        const b = network.canvasToDOM({x: p.x + width / 2, y: top + height});
        const c = network.canvasToDOM(p);
        return {id: id, type: data.type || '', label: text, drawn: drawn, size: screenSize,
                x: frame.left + c.x, y: frame.top + c.y,
                box: [frame.left + a.x, frame.top + a.y, frame.left + b.x, frame.top + b.y]};
    });
}"""
FRAME = "() => { const r = document.getElementById('mynetwork').getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"


@pytest.fixture(scope="module")
def seeds_built(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("seeds")
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, src / f.name)
    out = tmp_path_factory.mktemp("built")
    result = build([src], out)
    assert result.ok, result.errors
    return out


def overlaps(labels: list[dict]) -> list[tuple[str, str]]:
    """The pairs of drawn labels whose boxes intersect (by more than half a pixel each way)."""
    drawn = sorted((d for d in labels if d["drawn"]), key=lambda d: d["box"][0])
    found = []
    for i, a in enumerate(drawn):
        for b in drawn[i + 1 :]:
            if b["box"][0] >= a["box"][2] - 0.5:
                break
            if min(a["box"][2], b["box"][2]) - max(a["box"][0], b["box"][0]) > 0.5 and (
                min(a["box"][3], b["box"][3]) - max(a["box"][1], b["box"][1]) > 0.5
            ):
                found.append((a["label"], b["label"]))
    return found


def natural(key: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.findall(r"\d+|\D+", key))


def on_screen(d: dict, frame: list[float]) -> bool:
    return frame[0] <= d["x"] <= frame[2] and frame[1] <= d["y"] <= frame[3]


@pytest.mark.parametrize("stem", SEED_STEMS)
def test_the_document_view_is_a_tree_with_readable_labels_apart(browser, seeds_built, stem, tmp_path, shots):
    graph = OxigraphSource.open(sound_store(seeds_built))
    view = f"document:{stem}"
    path = viz.write_html(graph, tmp_path / f"{stem}.html", view)
    expected = viz.view_graph(graph, view)
    page, requests, errors = open_page(browser, path)
    wait_for_network(page)
    page.wait_for_timeout(300)  # the first frame
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(tmp_path / f"document-{stem}.png"))
    page.screenshot(path=str(shots / f"document-{stem}.png"))
    labels = page.evaluate(LABEL_BOXES)
    frame = page.evaluate(FRAME)
    assert len(labels) == expected.number_of_nodes()
    assert not errors, errors
    unread = [(d["label"], round(d["size"], 1)) for d in labels if not d["drawn"] or d["size"] < READABLE_PX]
    assert not unread, f"{len(unread)} of {len(labels)} labels not drawn or under {READABLE_PX}px: {unread[:5]}"
    clashes = overlaps(labels)
    assert not clashes, f"{len(clashes)} overlapping label pairs, e.g. {clashes[:5]}"
    # The tree, read left to right: the document, then its measures, then who is
    # responsible, then the targets, then programs and institutions.
    by_type: dict[str, list[dict]] = {}
    for d in labels:
        by_type.setdefault(d["type"], []).append(d)
    root = next(v for _, v, e in expected.edges(data=True) if e["relation"] == "partOf")
    document = next(d for d in labels if d["id"] == root)
    assert on_screen(document, frame), "the document is not on screen at the default zoom"
    columns = [
        ["PolicyDocument"],
        ["Measure"],
        ["Department", "CollectiveUnit"],
        ["Indicator"],
        ["Program", "School", "Enterprise", "EducationGroup", "ResearchBody", "Platform", "Institution"],
    ]
    spans = [
        (min(d["x"] for t in c for d in by_type.get(t, [])), max(d["x"] for t in c for d in by_type.get(t, [])))
        for c in columns
        if any(by_type.get(t) for t in c)
    ]
    assert all(left[1] < right[0] for left, right in itertools.pairwise(spans)), spans
    measures = sorted(by_type["Measure"], key=lambda d: d["y"])
    keys = [d["label"].split()[0] for d in measures]
    assert keys == sorted(keys, key=natural), keys
    # Parts: a bracket beside each part spans its measures and no other.
    brackets = page.evaluate("VETKG.parts")
    centres = page.evaluate("ids => network.getPositions(ids)", [d["id"] for d in measures])
    for d in measures:
        part = re.match(r"\d+|[^\W\d]+", d["label"]).group(0)
        y = centres[d["id"]]["y"]
        beside = [b["label"] for b in brackets if b["y0"] <= y <= b["y1"]]
        assert beside == [part] or (not brackets and len({k.split(".")[0] for k in keys}) == len(keys)), (
            d["label"],
            beside,
        )
    assert all(u.startswith(("file:", "data:", "about:", "blob:")) for u in requests), requests
    page.close()


def test_the_full_view_is_clustered_by_document_with_labels_on_demand(browser, seeds_built, tmp_path, shots):
    graph = OxigraphSource.open(sound_store(seeds_built))
    full = viz.view_graph(graph, "full")
    docs = sorted(n for n, a in full.nodes(data=True) if a["type"] == "PolicyDocument")
    members = {d: {d} | {m for m, _, e in full.in_edges(d, data=True) if e["relation"] == "partOf"} for d in docs}
    page, requests, errors = open_page(browser, seeds_built / "graph.html")
    wait_for_network(page)
    page.wait_for_timeout(300)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(tmp_path / "full.png"))
    page.screenshot(path=str(shots / "full.png"))
    labels = {d["id"]: d for d in page.evaluate(LABEL_BOXES)}
    assert set(labels) == set(full.nodes)  # every node is there (none hidden in a cluster)
    assert not errors, errors
    # Clustered by document: the islands (a document and its measures) do not intersect.
    islands = {
        d: (
            min(labels[n]["x"] for n in ns),
            min(labels[n]["y"] for n in ns),
            max(labels[n]["x"] for n in ns),
            max(labels[n]["y"] for n in ns),
        )
        for d, ns in members.items()
    }
    for i, a in enumerate(docs):
        for b in docs[i + 1 :]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = islands[a], islands[b]
            assert ax1 < bx0 or bx1 < ax0 or ay1 < by0 or by1 < ay0, ("islands intersect", a, b)
    # At the default zoom the visible labels (node labels and island captions) are apart.
    captions = page.evaluate("window.vetkgCaptions || []")
    for d in docs:  # a caption per document (and one for the nodes they share)
        assert any(c["text"][:4] == full.nodes[d]["label"][:4] for c in captions), (full.nodes[d]["label"], captions)
    boxes = list(labels.values()) + [{"label": c["text"], "drawn": True, "box": c["box"]} for c in captions]
    clashes = overlaps(boxes)
    assert not clashes, f"{len(clashes)} overlapping labels at the default zoom, e.g. {clashes[:5]}"
    # Labels on demand: choosing a document in the legend zooms to its island, where its
    # labels are drawn, readable and apart.
    hebi = next(d for d in docs if "鹤壁" in full.nodes[d]["label"])
    page.locator("#vetkg-legend button", has_text="鹤壁").first.click()
    page.wait_for_timeout(300)
    page.screenshot(path=str(tmp_path / "full-hebi.png"))
    page.screenshot(path=str(shots / "full-hebi.png"))
    labels = {d["id"]: d for d in page.evaluate(LABEL_BOXES)}
    frame = page.evaluate(FRAME)
    assert on_screen(labels[hebi], frame)
    shown = [labels[n] for n in members[hebi] if on_screen(labels[n], frame)]
    assert len(shown) >= 5
    assert all(d["drawn"] and d["size"] >= READABLE_PX for d in shown), [(d["label"], d["size"]) for d in shown]
    clashes = overlaps(list(labels.values()))
    assert not clashes, f"{len(clashes)} overlapping labels after zooming in, e.g. {clashes[:5]}"
    assert all(u.startswith(("file:", "data:", "about:", "blob:")) for u in requests), requests
    page.close()
