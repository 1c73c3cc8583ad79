"""The stages wired together: read → metadata and outline → extraction."""
from __future__ import annotations

from pathlib import Path

from kg.metadata import extract_metadata
from kg.model import Document, Extraction, ParsedDocument
from kg.outline import parse_outline
from kg.reader import read


def parse(source: str | Path | Document) -> ParsedDocument:
    """Metadata and outline of one document (a path or an already read Document)."""
    doc = source if isinstance(source, Document) else read(source)
    meta = extract_metadata(doc)
    measures = parse_outline(doc, meta.body)
    return ParsedDocument(doc, meta, measures)


def extract(source: str | Path | Document | ParsedDocument, *, keywords: bool = True
            ) -> Extraction:
    """Mentions and relations of one document, each with provenance (and, unless
    ``keywords=False``, topic keywords per measure)."""
    from kg.extract import extract_all

    parsed = source if isinstance(source, ParsedDocument) else parse(source)
    return extract_all(parsed, keywords=keywords)


def warm_up() -> None:
    """Load what extraction needs once (gazetteer, lexicons, jieba's dictionary), e.g.
    before forking workers that then share it."""
    from kg.model import Document

    text = "某市职业教育实施方案\n为推动发展，制定本方案。\n一、主要任务\n（一）建设基地。到2025年建成10个。（责任单位：市教育局）\n"
    doc = Document(doc_id="warm-up", path="<warm-up>", text=text, encoding="utf-8", format="txt",
                   checksum="")
    extract(parse(doc))
