"""Extraction stage: typed mentions and relations with provenance (GUIDELINES §3–§9).

One module per kind of thing extracted; this module runs them in dependency order
(relations read the mentions) and adds the structural relations.
"""
from __future__ import annotations

from kg.extract.citations import find_citations
from kg.extract.context import DocContext
from kg.extract.departments import find_departments
from kg.extract.indicators import find_indicators
from kg.extract.institutions import find_institutions
from kg.extract.programs import find_programs
from kg.extract.responsibility import find_responsibilities
from kg.model import Extraction, ParsedDocument


def extract_all(parsed: ParsedDocument) -> Extraction:
    ctx = DocContext(parsed)
    ex = Extraction(parsed)
    departments = find_departments(ctx)
    ex.mentions.extend(departments)
    citations = find_citations(ctx)
    ex.mentions.extend(citations)
    ex.relations.extend(find_responsibilities(ctx, {m.name for m in departments}))
    taken = [ctx.view.to_view(m.span) for m in departments]
    institutions = find_institutions(ctx, taken)
    ex.mentions.extend(institutions)
    inst_ranges = [ctx.view.to_view(m.span) for m in institutions]
    ex.mentions.extend(find_programs(ctx, inst_ranges))
    ends = frozenset(b for _, b in inst_ranges)
    ex.mentions.extend(find_indicators(ctx, ends))
    return ex
