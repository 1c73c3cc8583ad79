"""PDF and Word documents to text (the reader calls these by file type).

Local policies are published as PDF and ``.docx`` attachments as often as web pages. Both
become plain text with one line per text line (PDF) or paragraph / table cell (Word,
the same layout the HTML reader gives tables, so task lists parse alike); later stages
keep offsets into that text. A PDF's running page headers, footers and page numbers are
dropped; its hard-wrapped lines are joined later by :mod:`kg.reading.unwrap`, as for any text.
A PDF encrypted with only an owner password (it opens in any viewer) is read; a Word file
is checked against limits on its expanded size and paragraphs before it is inflated.
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

# Limits on a .docx before python-docx inflates and parses it (it reads every part into
# memory and builds an object per element): the file on disk is small, what it expands to
# need not be. A policy document's Word XML is well under 1 MB; a zip bomb of small
# paragraphs is gigabytes from a few megabytes.
MAX_DOCX_XML_BYTES = 32 * 1024 * 1024  # XML of all parts, expanded
MAX_DOCX_BYTES = 256 * 1024 * 1024  # all parts (images too), expanded
MAX_DOCX_RATIO = 200  # expanded : compressed, for a part over 2 MB (Word XML: 5-20)
MAX_DOCX_PARTS = 10_000
MAX_DOCX_PARAGRAPHS = 50_000  # in one part (a long plan with task tables: a few thousand)
_WORD_NAMESPACE = re.compile(rb'xmlns(?::([\w.-]+))?="[^"]*wordprocessingml[^"]*/main"')


def _error(path: str | Path, message: str) -> DocumentError:
    return DocumentError(path, message)


def pdf_to_text(data: bytes, path: str | Path) -> str:
    """The text layer of a PDF, page after page, without running heads and page numbers.
    A PDF with no text layer (a scan) is an error, not an empty document."""
    pypdf = lazy.pypdf()
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        # Most encrypted PDFs have only an owner password (restricting printing or
        # copying) and an empty user password: they open in any viewer, and here.
        if reader.is_encrypted and not reader.decrypt(""):
            raise _error(path, "encrypted PDF that needs a user password to open; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except pypdf.errors.DependencyError as exc:
        raise _error(path, f"encrypted PDF that needs a missing package to decrypt ({exc})") from None
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


def _check_docx_limits(data: bytes, path: str | Path) -> None:
    """Refuse a .docx whose parts expand past the limits, before python-docx reads them.

    The sizes the zip's directory declares are checked first (zipfile never inflates a
    part past its declared size), then every XML part is inflated with a cap and its
    paragraphs counted, so a bomb costs a few megabytes of memory and a moment.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_DOCX_PARTS:
            raise _error(path, f"Word file of {len(parts):,} parts, over the {MAX_DOCX_PARTS:,} limit (a zip bomb?)")
        for part in parts:
            if part.file_size > 2 * 1024 * 1024 and part.file_size > MAX_DOCX_RATIO * max(part.compress_size, 1):
                raise _error(
                    path,
                    f"{part.filename} expands from {part.compress_size:,} to {part.file_size:,} bytes "
                    f"({part.file_size // max(part.compress_size, 1):,} to 1): a zip bomb, not a Word document",
                )
        expanded = sum(part.file_size for part in parts)
        if expanded > MAX_DOCX_BYTES:
            raise _error(
                path, f"Word file expands to {expanded:,} bytes, over the {MAX_DOCX_BYTES:,}-byte limit (a zip bomb?)"
            )
        xml_parts = [part for part in parts if part.filename.endswith((".xml", ".rels"))]
        xml_bytes = sum(part.file_size for part in xml_parts)
        if xml_bytes > MAX_DOCX_XML_BYTES:
            biggest = max(xml_parts, key=lambda part: part.file_size)
            raise _error(
                path,
                f"its XML expands to {xml_bytes:,} bytes ({biggest.filename}: {biggest.file_size:,}), past the "
                f"{MAX_DOCX_XML_BYTES:,}-byte limit for a Word document (a zip bomb?)",
            )
        budget = MAX_DOCX_XML_BYTES
        for part in xml_parts:
            with archive.open(part) as stream:
                xml = stream.read(budget + 1)
            if len(xml) > budget:  # more than declared: zipfile stops at the declared size
                raise _error(path, f"{part.filename} expands past the {MAX_DOCX_XML_BYTES:,}-byte limit (a zip bomb?)")
            budget -= len(xml)
            paragraphs = _paragraph_count(xml)
            if paragraphs > MAX_DOCX_PARAGRAPHS:
                raise _error(
                    path,
                    f"{part.filename} has {paragraphs:,} paragraphs, over the {MAX_DOCX_PARAGRAPHS:,} limit "
                    f"for one policy document",
                )


def _paragraph_count(xml: bytes) -> int:
    """``<w:p>`` elements, counted in the bytes (under whatever prefix the part binds to
    WordprocessingML) without parsing them."""
    m = _WORD_NAMESPACE.search(xml, 0, 65536)
    if m is None:
        return 0
    tag = b"<" + (m.group(1) + b":" if m.group(1) else b"") + b"p"
    return sum(xml.count(tag + end) for end in (b">", b" ", b"/", b"\t", b"\n", b"\r"))


def docx_to_text(data: bytes, path: str | Path) -> str:
    """Paragraphs and table cells of a Word document in reading order, one per line."""
    try:
        _check_docx_limits(data, path)
        document = docx.Document(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
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
