"""Read policy documents from disk: plain text in any common Chinese encoding, or HTML.

The reader decodes bytes, turns HTML into text (one block or table cell per line) and
marks web boilerplate; it never edits the decoded text, so offsets stay valid for every
later stage.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal, overload

from kg.core.model import Document, DocumentFormat, Problem
from kg.errors import DocumentError
from kg.reading.boilerplate import find_boilerplate
from kg.reading.office import docx_to_text, pdf_to_text
from kg.reading.unwrap import soft_breaks

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
OFFICE_SUFFIXES = {".pdf", ".docx"}
LEGACY_SUFFIXES = {".doc"}  # collected so that the reader can say why it cannot read them
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | OFFICE_SUFFIXES | LEGACY_SUFFIXES


# Limits past which a file is refused, with the reason: a policy document is 10–50 thousand
# characters (the largest seed is 34 KB); a file 40 times the largest plausible one is a
# concatenation or a data dump, whose one-document graph would be meaningless and slow.
MAX_CHARS = 2_000_000  # characters of text, after decoding or PDF/Word extraction
MAX_BYTES = 64 * 1024 * 1024  # bytes on disk (PDFs carry images: more room than for text)


# --- decoding -----------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "utf8": "utf-8"}


def _utf16_without_bom(data: bytes) -> str | None:
    """Detect BOM-less UTF-16 by where its NUL bytes fall.

    GB and UTF-8 text never contains NUL; UTF-16 has one in every ASCII code unit
    (newlines, digits), always at the same parity. CJK code units have none, so the
    parity, not the share, is the signal; a BOM-less UTF-16 file with no ASCII at all
    is not detected (it decodes as GB18030 garbage or fails).
    """
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    # Mostly one parity: a few CJK code units (一 is U+4E00) have a zero byte too.
    if odd_nuls >= 2 and odd_nuls > 2 * even_nuls:
        return "utf-16-le"
    if even_nuls >= 2 and even_nuls > 2 * odd_nuls:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    """Control characters other than whitespace mean this is not a text document."""
    sample = text[:4096]
    if not sample:
        return False
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f\v") or c == "\ufffd")
    return bad > max(2, len(sample) // 100)


MAX_DAMAGED = 8  # undecodable bytes tolerated (replaced, with a warning) …
MAX_DAMAGED_SHARE = 0.005  # … if they are at most this share of the file


def decode_bytes(data: bytes, path: str | Path, declared: str | None = None) -> tuple[str, str, int]:
    """Decode ``data``; returns ``(text, encoding, damaged)`` or raises
    :class:`DocumentError`.

    Order: byte-order mark, a charset the page declares, UTF-8, BOM-less UTF-16,
    GB18030 (a superset of GBK and GB2312, the usual encodings of government pages).
    If no encoding decodes cleanly, the one with the fewest undecodable bytes is used
    when they are few (a truncated character in a scraped page): ``damaged`` counts the
    replaced bytes, and the caller warns.
    """
    if not data.strip():
        raise DocumentError(path, "empty file")
    candidates: list[str] = []
    has_bom = False
    for bom, enc in _BOMS:
        if data.startswith(bom):
            candidates.append(enc)
            has_bom = True
            break
    if declared:
        candidates.append(_CHARSET_ALIASES.get(declared.lower(), declared.lower()))
    candidates.append("utf-8")
    utf16 = _utf16_without_bom(data)
    if utf16:
        candidates.append(utf16)
    elif not has_bom and b"\x00" in data[:8192]:
        raise DocumentError(path, "binary file (contains NUL bytes), not a text or HTML document")
    candidates.append("gb18030")
    best: tuple[int, str, str] | None = None  # (damaged, encoding, text)
    for enc in dict.fromkeys(candidates):
        try:
            text = data.decode(enc)
            damaged = 0
        except LookupError:
            continue
        except UnicodeDecodeError:
            text = data.decode(enc, errors="replace")
            damaged = text.count("\ufffd") - data.decode(enc, errors="ignore").count("\ufffd")
            if best is None or damaged < best[0]:
                best = (damaged, enc, text)
            continue
        return _checked(text, enc, 0, path)
    if best and best[0] <= MAX_DAMAGED and best[0] <= MAX_DAMAGED_SHARE * len(data):
        return _checked(best[2], best[1], best[0], path)
    raise DocumentError(path, "cannot decode bytes as UTF-8, UTF-16 or GB18030")


def _checked(text: str, enc: str, damaged: int, path: str | Path) -> tuple[str, str, int]:
    if enc == "utf-8-sig" or enc.startswith("utf-16"):
        text = text.lstrip("\ufeff")
    if _looks_binary(text.replace("\ufffd", "") if damaged else text):
        raise DocumentError(path, "binary file (control bytes), not a text or HTML document")
    if not text.strip():
        raise DocumentError(path, "empty file (only whitespace)")
    return text, (enc.replace("-sig", " with BOM") if enc == "utf-8-sig" else enc), damaged


# --- HTML -----------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "tbody",
    "thead",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "center",
    "title",
    "caption",
    "hr",
}
_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "nav",
    "footer",
    "header",
    "aside",
    "form",
    "iframe",
    "select",
    "button",
    "template",
    "svg",
    "object",
    "head",
}
_VOID_TAGS = {
    "br",
    "img",
    "hr",
    "meta",
    "link",
    "input",
    "area",
    "base",
    "col",
    "embed",
    "source",
    "track",
    "wbr",
    "param",
}
# Containers whose class/id says they are navigation or widgets. Kept narrow: a CMS may
# name the article's own container "banner" or "print-area", and dropping it loses all.
_CHROME_ATTR = re.compile(
    r"(^|[\s_\-])(nav|navbar|menu|breadcrumb|crumb|footer|share|comment|"
    r"comments|sidebar|copyright|qrcode)([\s_\-]|$)",
    re.I,
)


class _HtmlText(HTMLParser):
    """Collects visible text: one line per block element or table cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip: list[str] = []  # stack of tags whose content is dropped
        self.title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _VOID_TAGS:
            if tag in ("br", "hr") and not self.skip:
                self.out.append("\n")
            return
        chrome = any(k in ("class", "id", "role") and v and _CHROME_ATTR.search(v) for k, v in attrs)
        if self.skip or tag in _SKIP_TAGS or chrome:
            self.skip.append(tag)
            return
        if tag in _BLOCK_TAGS:
            self.out.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr") and not self.skip:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self.skip:
            if tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag in _BLOCK_TAGS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        if self.skip:
            return
        self.out.append(re.sub(r"[ \t\r\n\f]+", " ", data))

    def text(self) -> str:
        lines = (line.strip(" ") for line in "".join(self.out).split("\n"))
        return "\n".join(line for line in lines if line)


@overload
def html_to_text(markup: str, with_title: Literal[False] = False) -> str: ...
@overload
def html_to_text(markup: str, with_title: Literal[True]) -> tuple[str, str | None]: ...
def html_to_text(markup: str, with_title: bool = False) -> str | tuple[str, str | None]:
    """Visible text of an HTML page; scripts, styles and navigation dropped. With
    ``with_title``, also the page's <title> (or None)."""
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    if not with_title:
        return parser.text()
    title = re.sub(r"\s+", " ", "".join(parser.title)).strip() or None
    return parser.text(), title


# --- public API -------------------------------------------------------------------------


def read(path: str | Path) -> Document:
    """Read one document; raises :class:`DocumentError` with a one-line reason."""
    p = Path(path)
    if not p.exists():
        raise DocumentError(p, "no such file or directory")
    if p.is_dir():
        raise DocumentError(p, "is a directory (use iter_document_paths or vetkg build DIR)")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(
                p, f"file of {size:,} bytes is over the {MAX_BYTES:,}-byte limit for one policy document"
            )
        data = p.read_bytes()
    except OSError as exc:
        raise DocumentError(p, f"cannot read file: {exc.strerror or exc}") from None
    suffix = p.suffix.lower()
    if suffix in OFFICE_SUFFIXES or data[:5] == b"%PDF-":
        return _read_office(p, data, "pdf" if suffix == ".pdf" or data[:5] == b"%PDF-" else "docx")
    if suffix == ".doc" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DocumentError(p, "old binary Word/Office file; save it as .docx or PDF")
    is_html = suffix in HTML_SUFFIXES or (
        suffix not in TEXT_SUFFIXES and re.search(rb"<(html|body|div|p)[\s>]", data[:4096], re.I)
    )
    declared = None
    if is_html:
        m = _META_CHARSET.search(data[:4096])
        declared = m.group(1).decode("ascii", "ignore") if m else None
    text, encoding, damaged = decode_bytes(data, p, declared)
    fmt: DocumentFormat = "txt"
    page_title = None
    if is_html:
        text, page_title = html_to_text(text, with_title=True)
        fmt = "html"
        if not text.strip():
            raise DocumentError(p, "HTML page has no visible text")
    _check_length(p, text)
    doc = Document(
        doc_id=p.stem,
        path=str(p),
        text=text,
        encoding=encoding,
        format=fmt,
        checksum=hashlib.sha1(data).hexdigest(),
        boilerplate=find_boilerplate(text),
        page_title=page_title,
        soft_breaks=soft_breaks(text),
    )
    if damaged:
        first = text.find("\ufffd")
        doc.warnings.append(
            Problem(
                str(p),
                f"{damaged} undecodable byte(s) in {encoding} replaced with U+FFFD",
                offset=first,
                line=doc.line_of(first) if first >= 0 else None,
            )
        )
    return doc


def _check_length(p: Path, text: str) -> None:
    if len(text) > MAX_CHARS:
        raise DocumentError(
            p,
            f"{len(text):,} characters of text, over the {MAX_CHARS:,} limit for "
            f"one policy document (a concatenation? split it into documents)",
        )


def _read_office(p: Path, data: bytes, fmt: Literal["pdf", "docx"]) -> Document:
    """A PDF's text layer or a Word document's paragraphs and cells as the text."""
    if not data.strip():
        raise DocumentError(p, "empty file")
    text = pdf_to_text(data, p) if fmt == "pdf" else docx_to_text(data, p)
    _check_length(p, text)
    if not text.strip():
        raise DocumentError(p, f"{fmt.upper()} file has no text")
    return Document(
        doc_id=p.stem,
        path=str(p),
        text=text,
        encoding=fmt,
        format=fmt,
        checksum=hashlib.sha1(data).hexdigest(),
        boilerplate=find_boilerplate(text),
        soft_breaks=soft_breaks(text),
    )


def collect_paths(inputs: Iterable[str | Path]) -> tuple[list[Path], list[DocumentError]]:
    """Expand files and directories (recursively) into document paths.

    Returns the paths and one :class:`DocumentError` per input that yields nothing (a
    missing path, a directory with no documents), so one bad input never hides the rest.
    Files named explicitly are kept whatever their suffix (the reader decides).
    """
    paths: list[Path] = []
    problems: list[DocumentError] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            entries = [f for f in p.rglob("*") if not any(part.startswith(".") for part in f.relative_to(p).parts)]
            for f in entries:  # a link to nowhere (or to itself) is named, not skipped silently
                if f.is_symlink() and not f.exists():
                    problems.append(DocumentError(f, "broken or looping symbolic link"))
            found = sorted(f for f in entries if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES)
            if found:
                paths.extend(found)
            elif not any(e.path.startswith(str(p)) for e in problems):
                problems.append(DocumentError(p, "directory contains no .txt, .html, .pdf or .docx documents"))
        elif p.exists():
            paths.append(p)
        else:
            problems.append(DocumentError(p, "no such file or directory"))
    return list(dict.fromkeys(paths)), problems
