"""Extraction stage: typed mentions and relations with provenance (docs/annotation.md §3–§9).

One module per kind of thing extracted; this module runs them in dependency order
(relations read the mentions) and adds the structural relations.
"""

from __future__ import annotations

from pathlib import Path

from kg.core.model import Document, Extraction, Mention, ParsedDocument, Relation
from kg.extraction.citations import find_citations
from kg.extraction.context import DocContext
from kg.extraction.departments import find_departments
from kg.extraction.indicators import find_indicators
from kg.extraction.institutions import find_institutions
from kg.extraction.keywords import measure_keywords
from kg.extraction.places import find_places
from kg.extraction.programs import find_programs
from kg.extraction.responsibility import find_responsibilities
from kg.extraction.supports import find_supports
from kg.parsing import parse


def extract_all(parsed: ParsedDocument, keywords: bool = True) -> Extraction:
    """Every extractor on one parsed document; ``keywords=False`` skips the jieba topic
    keywords (the costliest step, not needed for the graph's entities and relations)."""
    ctx = DocContext(parsed)
    ex = Extraction(parsed)
    departments = find_departments(ctx)
    ex.mentions.extend(departments)
    citations = find_citations(ctx)
    ex.mentions.extend(citations)
    # units are read from the view (NFKC, simplified script): so are the names they are checked against
    ex.relations.extend(find_responsibilities(ctx, {ctx.view.slice(m.span) for m in departments}))
    taken = [ctx.view.to_view(m.span) for m in departments]
    institutions = find_institutions(ctx, taken)
    ex.mentions.extend(institutions)
    inst_ranges = [ctx.view.to_view(m.span) for m in institutions]
    programs = find_programs(ctx, inst_ranges + taken)  # not inside organisation names
    ex.mentions.extend(programs)
    ex.relations.extend(find_supports(ctx, institutions + programs))
    ends = frozenset(b for _, b in inst_ranges)
    ex.mentions.extend(find_indicators(ctx, ends))
    ex.mentions.extend(find_places(ctx))
    if keywords:
        ex.keywords = measure_keywords(ctx)
    ex.relations.extend(structural_relations(ctx, ex.mentions))
    return ex


def structural_relations(ctx: DocContext, mentions: list[Mention]) -> list[Relation]:
    """``part_of`` (measure → document), ``targets`` (measure → indicator) and ``cites``
    (document → cited document), each with the text that grounds it."""
    doc_id = ctx.doc.doc_id
    out: list[Relation] = []
    for ma, mb, measure in ctx.measures():
        parent = f"{doc_id}#{measure.part}" if measure.part is not None else doc_id
        out.append(
            ctx.relation(
                "part_of",
                measure.key,
                doc_id,
                ma,
                mb,
                measure=measure.key,
                part=measure.part,
                section=measure.section,
                parent=parent,
            )
        )
    for m in mentions:
        a, b = ctx.view.to_view(m.span)
        if m.entity == "indicator" and m.measure:
            out.append(
                ctx.relation(
                    "targets",
                    m.measure,
                    m.name,
                    a,
                    b,
                    measure=m.measure,
                    value=m.attrs["value"],
                    unit=m.attrs["unit"],
                    comparator=m.attrs["comparator"],
                )
            )
        elif m.entity == "cited_document":
            out.append(ctx.relation("cites", doc_id, m.name, a, b, doc_number=m.attrs.get("doc_number")))
    return out


def extract(source: str | Path | Document | ParsedDocument, *, keywords: bool = True) -> Extraction:
    """Mentions and relations of one document, each with provenance (and, unless
    ``keywords=False``, topic keywords per measure)."""
    parsed = source if isinstance(source, ParsedDocument) else parse(source)
    return extract_all(parsed, keywords=keywords)


def warm_up() -> None:
    """Load what extraction needs once (gazetteer, lexicons, jieba's dictionary), e.g.
    before forking workers that then share it."""
    text = "某市职业教育实施方案\n为推动发展，制定本方案。\n一、主要任务\n（一）建设基地。到2025年建成10个。（责任单位：市教育局）\n"
    doc = Document(doc_id="warm-up", path="<warm-up>", text=text, encoding="utf-8", format="txt", checksum="")
    extract(parse(doc))
