"""The report as a person reads it (issue 21): department functions and node types by
their ontology labels in the reader's language, never by snake_case codes (those stay in
the CSV files, for scripts); Chinese drawn in every figure by the font vetkg ships, on a
machine without any CJK font, with no warning.

On the two-document fixture of test_analytics (Anyang's and Hebi's plans), whose bodies
include 市人社局 (function ``human_resources_social_security``)."""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from conftest import ROOT

from kg.analytics.report import FONT_FAMILY, analyze, font_path, write_report
from kg.analytics.source import OxigraphSource
from kg.corpus.build import build
from kg.corpus.graph import build_graph
from kg.errors import VetkgError
from kg.rdf import ontology
from kg.store import OxigraphStore

FIXTURE = ROOT / "tests" / "fixtures" / "analytics"
# a snake_case word standing on its own (Chinese characters around it count as a border)
SNAKE_CASE = re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")


# A third document whose title no font fully draws (characters outside the shipped subset)
# and that reads as a matplotlib formula ($…$, an unknown command).
HOSTILE_TITLE = "$\\nope$𠀀𪚥市推进职业教育改革的实施方案"
HOSTILE = f"""{HOSTILE_TITLE}

为贯彻落实《国家职业教育改革实施方案》（国发〔2019〕4号），制定本方案。

一、主要任务
（一）完善职业教育体系。由市教育局牵头，市人社局、市财政局负责。
（二）深化产教融合。市发展改革委负责。
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    hostile = tmp_path_factory.mktemp("hostile") / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    graph = build_graph(build([FIXTURE, hostile], keep=True).extractions, diffusion=True)
    return OxigraphStore.from_ntriples(graph.serialize(format="nt", encoding="utf-8"))


def visible_text(page: str) -> str:
    """The text a reader sees in report.html, less the links to the CSV downloads."""
    page = re.sub(r'<a href="tables/[^"]*\.csv">.*?</a>', " ", page, flags=re.S)
    page = re.sub(r"<style\b.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]*>", " ", page)  # tags, with their attributes (ids, data URIs)
    return html.unescape(page)


def snake_case_function_codes() -> list[str]:
    return sorted(code for code in ontology.functions() if "_" in code)


def test_report_shows_function_labels_in_chinese_and_keeps_codes_in_csv(store, tmp_path):
    write_report(analyze(store), tmp_path)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    text = visible_text(page)
    assert '<html lang="zh"' in page
    assert [code for code in snake_case_function_codes() if code in text] == []
    assert SNAKE_CASE.findall(text) == []  # no code of any kind: column names neither
    assert "人力资源社会保障" in text and "政府部门" in text  # a function, a node type
    for name in ("report.md",):  # the Markdown report reads the same
        md = re.sub(r"\]\([^)]*\)", "]", (tmp_path / name).read_text(encoding="utf-8"))  # link targets
        md = re.sub(r"\[tables/[^]]*\]", " ", md)  # the CSV links' text
        assert SNAKE_CASE.findall(md) == []
    with open(tmp_path / "tables" / "load_by_function_region.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {"region": "安阳市", "function": "human_resources_social_security", "measures": "2", "led": "0"}.items() <= {
        **next(r for r in rows if r["function"] == "human_resources_social_security")
    }.items()
    assert 'href="tables/load_by_function_region.csv"' in page  # the codes are one click away


def test_report_in_english(store, tmp_path):
    write_report(analyze(store, lang="en"), tmp_path)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    text = visible_text(page)
    assert '<html lang="en"' in page
    assert "human resources and social security" in text and "government body" in text
    assert "Findings" in text and "发现" not in text
    assert SNAKE_CASE.findall(text) == []


def test_a_title_no_font_draws_or_a_formula_is_plotted_as_text(store, tmp_path):
    """A character outside every plot font becomes 〓 and ``$…$`` stays text: no "Glyph
    missing" warning, no mathtext error ending the report."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rep = analyze(store)
        written = write_report(rep, tmp_path)
    assert [str(w.message) for w in caught if issubclass(w.category, UserWarning)] == []
    assert sum(p.suffix == ".png" for p in written) == 6  # with the policy-tool heat map and the targets
    assert HOSTILE_TITLE in [r["document"] for r in rep.tables[2].rows]  # the table keeps the title whole


def test_an_unknown_language_is_a_clear_error(store):
    with pytest.raises(VetkgError, match=r"'fr'.*zh, en"):
        analyze(store, lang="fr")


# --- figures on a machine without CJK fonts ---------------------------------------------------

FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    str(Path.home() / ".fonts"),
    str(Path.home() / ".local/share/fonts"),
)
CJK_FAMILIES = re.compile(r"CJK|WenQuanYi|Han Sans|Hei|YaHei|PingFang|Ming|Song|Kai|Droid Sans Fallback|AR PL", re.I)
PROBE = """import json, matplotlib; matplotlib.use("Agg")
from matplotlib import font_manager
print(json.dumps(sorted({f.name for f in font_manager.fontManager.ttflist})))"""


def can_hide_system_fonts() -> bool:
    """Root with a private mount namespace: the test can empty the font folders."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not can_hide_system_fonts(), reason="needs root and `unshare -m` to hide the system fonts")
def test_figures_draw_chinese_without_system_fonts(tmp_path):
    """``vetkg build`` in a mount namespace whose font folders are empty (a fresh server)
    and a matplotlib that has never run: no warning, and the figures are the very PNGs
    drawn on this machine with its CJK fonts — the shipped font draws the Chinese."""
    empty, mplconfig, out = tmp_path / "no-fonts", tmp_path / "mplconfig", tmp_path / "build"
    empty.mkdir()
    mplconfig.mkdir()
    hide = " && ".join(f"mount --bind {empty} {d}" for d in FONT_DIRS if Path(d).is_dir())
    python = sys.executable
    script = f"{hide} && {python} -c '{PROBE}' && {python} -m kg build {FIXTURE} --out {out} --no-progress"
    env = {**os.environ, "MPLCONFIGDIR": str(mplconfig)}
    proc = subprocess.run(
        ["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, env=env, cwd=ROOT, timeout=600
    )
    assert proc.returncode == 0, proc.stderr
    families = proc.stdout.splitlines()[0]
    assert not CJK_FAMILIES.search(families), f"a CJK font is still visible: {families}"
    assert "Glyph" not in proc.stderr and "warning" not in proc.stderr.lower(), proc.stderr
    assert (out / "report.html").is_file()

    # The same graph analysed here, where matplotlib sees this machine's fonts: the same pixels.
    here = tmp_path / "here"
    write_report(analyze(OxigraphSource.open(out / "graph.oxigraph")), here)
    figures = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert len(figures) == 6  # with the policy-tool heat map and the targets
    for name in figures:
        assert (out / "figures" / name).read_bytes() == (here / "figures" / name).read_bytes(), name


def test_chinese_labels_are_drawn_with_the_shipped_font(store, tmp_path):
    """Whatever fonts the machine has, a Chinese label resolves to the font in kg/data."""
    from matplotlib import font_manager
    from matplotlib.font_manager import FontProperties

    import kg.analytics.report as report

    rep = analyze(store)
    families = report._style()["font.sans-serif"]
    assert families[0] == FONT_FAMILY
    assert Path(font_manager.findfont(FontProperties(family=families))) == font_path()
    charmap = font_manager.get_font(str(font_path())).get_charmap()
    regions = {r["region"] for r in rep.tables[0].rows}
    assert regions and all(ord(c) in charmap for region in regions for c in region)
    assert all(ord(c) in charmap for c in "人力资源社会保障教育财政各地区各部门职能承担的措施")
    assert font_path().stat().st_size < 3_000_000  # a subset, not a 20 MB CJK font
    assert (font_path().parent / "OFL.txt").is_file()
