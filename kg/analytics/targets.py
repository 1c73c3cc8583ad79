"""Targets compared: the indicators the documents set, grouped by what they measure
(“双师型” share, funding, training bases, enterprises taking part …: the groups of
``kg/data/indicator_groups.yaml``), across regions and years, every value with its
evidence — the document, the measure and the span of the clause that states it.

Read from the store like the other analytics: each ``vet:Targeting`` assertion gives the
measure, the indicator and the evidence (document, quote, start offset); the indicator's
typed values (``vet:value``, ``vet:unit``, ``vet:targetYear`` …) and the document's date
come by index scans, so a large store is never read whole.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict

from kg.analytics.fonts import drawable as _drawable
from kg.analytics.fonts import use_cjk_font
from kg.analytics.metrics import _total, indicator_group
from kg.analytics.policy_tools import DocumentFacts, document_facts, evidence_of, year_of
from kg.analytics.projections import _index
from kg.core import lazy
from kg.rdf.ontology import VET

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
OTHER = "其他"  # indicator_group's name for an indicator of no group
_COMPARATORS = {">=": "≥", "<=": "≤", "~": "约", "range": ""}


def target_values(graph, facts: dict[str, DocumentFacts] | None = None) -> list[dict]:
    """Every target with its group, region, document (file stem, title, year), measure,
    subject, value (and maximum), unit, comparator and target year, and its evidence:
    ``start``/``end`` offsets into the document text and the quoted clause; ``facts``,
    the documents' facts when already read (:func:`kg.analytics.policy_tools.document_facts`)."""
    ix = _index(graph)
    src = ix.source
    values = {p: ix.values(VET + p) for p in ("value", "valueMax", "targetYear", "subject", "unit", "comparator")}
    keys = ix.values(VET + "measureKey")
    facts = document_facts(ix) if facts is None else facts
    targetings = evidence_of(ix, "Targeting")
    indicators = {ind for _, ind, _, _ in targetings}
    labels: dict[str, str] = {}
    for ind, label in src.pairs(RDFS_LABEL):  # one pass over the labels, not a lookup per target
        if ind in indicators and (ind not in labels or str(label) < labels[ind]):
            labels[ind] = str(label)
    rows = []
    for measure, ind, quote, start in targetings:
        doc = ix.measure_document.get(measure)
        f = facts.get(doc or "")
        if f is None:
            continue
        text = labels.get(ind, "")
        v, vmax = values["value"].get(ind), values["valueMax"].get(ind)
        rows.append(
            {
                "group": indicator_group(text),
                "region": f.region,
                "doc_id": f.doc_id,
                "document": f.title,
                "document_year": f.year,
                "measure": str(keys.get(measure, "")),
                "subject": values["subject"].get(ind) or "",
                "value": float(v) if v is not None else None,
                "value_max": float(vmax) if vmax is not None else None,
                "unit": values["unit"].get(ind) or "",
                "comparator": values["comparator"].get(ind) or "",
                "target_year": year_of(values["targetYear"].get(ind)),
                "text": text,
                "start": start,
                "end": start + len(quote),
                "quote": quote,
                "measure_iri": measure,
                "indicator_iri": ind,
            }
        )
    rows.sort(key=lambda r: (r["group"], r["region"], r["target_year"] or 0, r["doc_id"], r["start"], _total(r)))
    return rows


def shown_value(row: dict) -> str:
    """A target as a reader writes it: ``≥60%``, ``10–20个``, ``约5000万元``."""
    if row["value"] is None:
        return row["text"]

    def num(x: float) -> str:
        return f"{x:g}"

    text = num(row["value"])
    if row.get("value_max") is not None:
        text += f"–{num(row['value_max'])}"
    return f"{_COMPARATORS.get(row['comparator'], '')}{text}{row['unit']}"


def compare_targets(rows_or_graph, groups: list[str] | None = None) -> list[dict]:
    """The comparison table: one row per (group, unit, region, year) — the year the
    target is set for, else the document's (``year_of``); a share and a count are not
    compared — with the values as written, how many, what they measure, and the evidence
    of each value (``doc_id#measure@start-end``, in the values' order)."""
    rows = rows_or_graph if isinstance(rows_or_graph, list) else target_values(rows_or_graph)
    cells: dict[tuple[str, str, int | None, str, str], list[dict]] = defaultdict(list)
    for r in rows:
        if groups is not None and r["group"] not in groups:
            continue
        year, kind = (r["target_year"], "target") if r["target_year"] else (r["document_year"], "document")
        cells[r["group"], r["unit"], r["region"], year, kind].append(r)
    out = []
    for (group, unit, region, year, kind), rs in cells.items():
        rs = sorted(rs, key=lambda r: (r["doc_id"], r["start"] or 0))
        out.append(
            {
                "group": group,
                "region": region,
                "year": year,
                "year_of": kind,
                "unit": unit,
                "targets": len(rs),
                "values": "；".join(shown_value(r) for r in rs),
                "subjects": "；".join(dict.fromkeys(r["subject"] for r in rs if r["subject"])),
                "evidence": ";".join(f"{r['doc_id']}#{r['measure']}@{r['start']}-{r['end']}" for r in rs),
            }
        )
    out.sort(key=lambda r: (r["group"], r["unit"], r["region"], r["year"] or 0, r["year_of"]))
    return out


def plotted(row: dict) -> bool:
    """Whether :func:`plot_targets` draws the row by default: a value, a year (the
    target's or the document's), and a named group (其他 mixes what is measured)."""
    return row["value"] is not None and bool(row["target_year"] or row["document_year"]) and row["group"] != OTHER


PLOT_REGIONS = 12  # regions with a colour and a legend entry; the others are drawn grey


def plot_targets(
    rows: list[dict],
    groups: list[str] | None = None,
    max_groups: int = 6,
    max_regions: int = PLOT_REGIONS,
    lang: str = "zh",
) -> bytes:
    """The targets of each group (the ``max_groups`` named groups set by the most
    regions, or ``groups``) as PNG bytes: one panel per group, the value against the
    year (filled: the target's year; hollow: the document's, when the target names
    none), a range as a vertical line; the ``max_regions`` regions with the most targets
    in colour, the others grey. A panel shows its group's most common unit only (a share
    and a count are not one axis). Chinese labels need a CJK font: the report's
    (:func:`kg.analytics.fonts.use_cjk_font`) is set up when present."""
    numeric = [r for r in rows if r["value"] is not None and (r["target_year"] or r["document_year"])]
    regions_of: dict[str, set[str]] = defaultdict(set)
    for r in numeric:
        regions_of[r["group"]].add(r["region"])
    if groups is None:
        named = [g for g in regions_of if g != OTHER]  # 其他 mixes what is measured
        groups = sorted(named, key=lambda g: (-len(regions_of[g]), g))[:max_groups]
    per_region = Counter(r["region"] for r in numeric if r["group"] in groups)
    coloured = sorted(sorted(per_region, key=lambda reg: (-per_region[reg], reg))[:max_regions])
    other = "其他地区" if lang == "zh" else "other regions"
    plt = lazy.pyplot()
    with plt.rc_context():
        plt.rcdefaults()
        use_cjk_font()
        n = max(1, len(groups))
        cols = min(3, n)
        height = (n + cols - 1) // cols
        fig, axes = plt.subplots(height, cols, figsize=(4.2 * cols, 3.4 * height), squeeze=False)
        flat = list(axes.flat)
        colours = {reg: plt.get_cmap("tab20")(i % 20) for i, reg in enumerate(coloured)}
        labelled: set[str] = set()
        for ax, group in zip(flat, groups, strict=False):
            rs = [r for r in numeric if r["group"] == group]
            unit = Counter(r["unit"] for r in rs).most_common(1)[0][0] if rs else ""
            rs = [r for r in rs if r["unit"] == unit]
            points: dict[tuple[str, bool], list[tuple[int, float]]] = defaultdict(list)
            for r in rs:
                name = r["region"] if r["region"] in colours else other
                points[name, not r["target_year"]].append((r["target_year"] or r["document_year"], r["value"]))
                if r["value_max"] is not None:
                    ax.vlines(r["target_year"] or r["document_year"], r["value"], r["value_max"], color="#888888")
            for (name, hollow), xy in sorted(points.items()):
                colour = colours.get(name, "#bbbbbb")
                ax.scatter(
                    [x for x, _ in xy],
                    [y for _, y in xy],
                    color=colour,
                    facecolors="none" if hollow else colour,
                    label=None if name in labelled else _drawable(name),
                    s=30,
                    zorder=3 if name != other else 2,
                )
                labelled.add(name)
            years = [x for xy in points.values() for x, _ in xy]
            if years:
                ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
                ax.set_xticks(range(min(years), max(years) + 1))
            ax.set_title(_drawable(f"{group} ({unit})" if unit else group), fontsize=9)
            ax.set_xlabel("年份" if lang == "zh" else "year", fontsize=8)
            ax.tick_params(labelsize=7)
        for ax in flat[len(groups) :]:
            ax.axis("off")
        if any(a.get_legend_handles_labels()[0] for a in flat):
            fig.legend(loc="lower center", ncol=min(7, len(labelled)), fontsize=7, frameon=False)
        fig.suptitle("各地区目标比较" if lang == "zh" else "Targets compared across regions", fontsize=10)
        fig.tight_layout(rect=(0, 0.1, 1, 0.95))
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
        plt.close(fig)
    return buf.getvalue()


__all__ = ["compare_targets", "plot_targets", "plotted", "shown_value", "target_values"]
