"""PDF and Word documents to text (the reader calls these by file type).

Local policies are published as PDF and ``.docx`` attachments as often as web pages. Both
become plain text with one line per text line (PDF) or paragraph / table cell (Word,
the same layout the HTML reader gives tables, so task lists parse alike); later stages
keep offsets into that text. A PDF's running page headers, footers and page numbers are
dropped; its hard-wrapped lines are joined later by :mod:`kg.reading.unwrap`, as for any text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import docx
from docx.oxml.table import CT_Tc
from docx.table import Table
from docx.text.paragraph import Paragraph

from kg.core import lazy
from kg.errors import DocumentError

# Page numbers as printed: - 7 -, 第7页, 7/12, 第 7 页 共 12 页 (a bare number only when it
# is the page's own, since a task list's row number can stand at a page's edge too).
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–·•]*(?:第\s*)?(\d+|[一二三四五六七八九十]+)\s*(?:页)?"
    r"(?:\s*[/／]\s*(?:共\s*)?\d+\s*页?|\s*共\s*\d+\s*页)?[\s\-—–·•]*$"
)
_EDGE = 2  # lines at the top and at the bottom of a page that may be running heads


def _error(path: str | Path, message: str) -> DocumentError:
    return DocumentError(path, message)


def pdf_to_text(data: bytes, path: str | Path) -> str:
    """The text layer of a PDF, page after page, without running heads and page numbers.
    A PDF with no text layer (a scan) is an error, not an empty document."""
    pypdf = lazy.pypdf()
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _error(path, "encrypted PDF (needs a password)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except pypdf.errors.PdfReadError as exc:
        raise _error(path, f"not a readable PDF: {exc}") from None
    except Exception as exc:  # pypdf raises assorted errors on damaged files
        if type(exc).__name__ == "DocumentError":
            raise
        raise _error(path, f"cannot read PDF: {type(exc).__name__}: {exc}") from None
    if not pages:
        raise _error(path, "PDF has no pages")
    visible = sum(len(re.sub(r"\s", "", p)) for p in pages)
    if visible < 20 * len(pages):
        raise _error(path, "PDF has no text layer (a scanned image?); run OCR on it first")
    lines = _without_running_heads([p.split("\n") for p in pages])
    return "\n".join(line.rstrip() for line in lines if line.strip())


def _without_running_heads(pages: list[list[str]]) -> list[str]:
    """Lines of every page minus page numbers and the lines repeated at the top or bottom
    of most pages (digits ignored: ``某市公报 第3期``)."""

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))

    edges: Counter[str] = Counter()
    for lines in pages:
        texts = [ln for ln in lines if ln.strip()]
        for ln in set(texts[:_EDGE] + texts[-_EDGE:]):
            edges[key(ln)] += 1
    repeated = {k for k, n in edges.items() if len(pages) >= 2 and n >= max(2, len(pages) / 2)}
    out = []
    for page_no, lines in enumerate(pages, 1):
        texts = [ln for ln in lines if ln.strip()]
        edge = set(range(min(_EDGE, len(texts)))) | set(range(max(0, len(texts) - _EDGE), len(texts)))
        for i, ln in enumerate(texts):
            if i in edge and (key(ln) in repeated or _is_page_number(ln, page_no)):
                continue
            out.append(ln)
    return out


def _is_page_number(line: str, page_no: int) -> bool:
    m = _PAGE_NUMBER.match(line)
    if not m:
        return False
    decorated = line.strip() != m.group(1)
    return decorated or m.group(1) == str(page_no)


def docx_to_text(data: bytes, path: str | Path) -> str:
    """Paragraphs and table cells of a Word document in reading order, one per line."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _error(path, f"not a readable Word .docx file ({type(exc).__name__})") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                seen: list[CT_Tc] = []
                for cell in row.cells:  # a merged cell comes back once per grid column
                    if any(cell._tc is s for s in seen):
                        continue
                    seen.append(cell._tc)
                    lines.append(re.sub(r"\s*\n\s*", " ", cell.text))
    return "\n".join(line.rstrip() for line in lines if line.strip())
