"""Export a parsed (and extracted) document in the shape of a gold annotation file.

This is what ``vetkg eval`` scores, and a compact summary for users who want the
gold format (docs/annotation.md) rather than the full records with spans.
"""

from __future__ import annotations

from kg.core.model import Extraction, ParsedDocument


def as_annotation(item: ParsedDocument | Extraction) -> dict:
    parsed = item.parsed if isinstance(item, Extraction) else item
    doc = parsed.document
    meta = parsed.metadata
    out: dict = {
        "document": doc.path.replace("\\", "/").rsplit("/", 1)[-1],
        "metadata": {k: getattr(meta, k) for k in meta.FIELDS},
        "measures": [{"key": m.key, "heading": doc.slice(m.heading)} for m in parsed.measures],
        "departments": [],
        "institutions": [],
        "programs": [],
        "cited_documents": [],
        "responsible_for": [],
        "indicators": [],
        "supports": [],
    }
    if not isinstance(item, Extraction):
        return out
    seen: set = set()

    def once(key) -> bool:
        if key in seen:
            return False
        seen.add(key)
        return True

    for m in item.mentions:
        if m.entity == "department" and once(("d", m.name)):
            out["departments"].append({"name": m.name, "function": m.attrs.get("function")})
        elif m.entity == "institution" and once(("i", m.name)):
            out["institutions"].append({"name": m.name, "kind": m.attrs.get("kind")})
        elif m.entity == "program" and once(("p", m.name)):
            out["programs"].append({"name": m.name, "kind": m.attrs.get("kind")})
        elif m.entity == "cited_document" and once(("c", m.name)):
            out["cited_documents"].append({"title": m.name, "doc_number": m.attrs.get("doc_number")})
        elif m.entity == "indicator":
            out["indicators"].append(
                {
                    "measure": m.measure,
                    "text": m.attrs.get("text", m.name),
                    "subject": m.attrs.get("subject"),
                    "value": m.attrs.get("value"),
                    "value_max": m.attrs.get("value_max"),
                    "unit": m.attrs.get("unit"),
                    "comparator": m.attrs.get("comparator"),
                    "year": m.attrs.get("year"),
                }
            )
    for r in item.relations:
        if r.predicate == "responsible_for" and once(("r", r.measure, r.subject)):
            out["responsible_for"].append(
                {"measure": r.measure, "unit": r.subject, "role": r.attrs.get("role", "responsible")}
            )
        elif r.predicate == "supports" and once(("s", r.measure, r.object)):
            out["supports"].append({"measure": r.measure, "target": r.object})
    return out
