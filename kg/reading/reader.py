"""Read policy documents from disk: plain text or Markdown in any common Chinese encoding,
or HTML.

The reader decodes bytes, turns HTML into text (one block or table cell per line) and
marks web boilerplate; it never edits the decoded text, so offsets stay valid for every
later stage. Only regular files are read (a named pipe would block, a device never ends),
a page's charset declaration is checked against its bytes, and no text leaves the reader
with a lone surrogate (which no output file could encode).
"""

from __future__ import annotations

import codecs
import hashlib
import html
import os
import re
import stat
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal, NamedTuple, overload

from kg.core.model import Document, DocumentFormat, Problem
from kg.errors import DocumentError
from kg.reading.boilerplate import find_boilerplate
from kg.reading.office import docx_to_text, pdf_to_text
from kg.reading.unwrap import lost_breaks, soft_breaks

TEXT_SUFFIXES = {".txt", ".text"}
# Markdown exports of regulation collections: `# title`, `## 第X章`, `第X条` lines. Read as
# text, markers kept (the parser takes `# ` for the title line).
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
OFFICE_SUFFIXES = {".pdf", ".docx"}
LEGACY_SUFFIXES = {".doc"}  # collected so that the reader can say why it cannot read them
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | OFFICE_SUFFIXES | LEGACY_SUFFIXES
# A folder's notes about itself, not documents: skipped when a folder is walked (read when
# named on the command line). Markdown only: a .md folder note is the common case.
FOLDER_NOTES = {"readme", "changelog", "changes", "license", "licence", "contributing", "authors", "notice"}


# Limits past which a file is refused, with the reason: a policy document is 10–50 thousand
# characters (the largest seed is 34 KB); a file 40 times the largest plausible one is a
# concatenation or a data dump, whose one-document graph would be meaningless and slow.
MAX_CHARS = 2_000_000  # characters of text, after decoding or PDF/Word extraction
MAX_BYTES = 64 * 1024 * 1024  # bytes on disk (PDFs carry images: more room than for text)


# --- decoding -----------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_META_CHARSET_TEXT = re.compile(r"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# GB2312 and GBK pages are read as GB18030, their superset; latin-1 and ASCII labels mean
# windows-1252, as in every browser (WHATWG Encoding).
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "utf8": "utf-8",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
}
# Python codecs that are no page's charset: escapes, IDNA, and UTF-7 (a script-smuggling
# vector browsers refuse).
_UNSAFE_CODECS = {"utf-7", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined"}
# What a wrong codec makes of text: C0 and C1 control characters (whitespace aside),
# private-use code points (CJK bytes read as UTF-16) and replacement characters.
_ODD = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def _codec(label: str) -> str | None:
    """Python's name for a declared charset, or None if it is unknown or no text encoding."""
    name = label.lower()
    try:
        info = codecs.lookup(_CHARSET_ALIASES.get(name, name))
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _UNSAFE_CODECS:
        return None
    return info.name


def _declared_charset(data: bytes) -> tuple[str, str | None] | None:
    """The charset a page's ``<meta>`` declares, as ``(label, codec or None)``: looked for
    in ASCII and, failing that, in EBCDIC (where ``<`` is byte 0x4C), whose pages declare
    it in EBCDIC."""
    head = data[:4096]
    m = _META_CHARSET.search(head)
    if m:
        label = m.group(1).decode("ascii")
        return label, _codec(label)
    found = _META_CHARSET_TEXT.search(head.decode("cp037"))
    if found:
        codec = _codec(found.group(1))
        if codec and _reads_as_ebcdic(codec):
            return found.group(1), codec
    return None


def _reads_as_ebcdic(codec: str) -> bool:
    try:
        return "<meta charset=".encode(codec) == "<meta charset=".encode("cp037")
    except UnicodeError:
        return False


def _declares_itself(text: str, codec: str) -> bool:
    """The text, decoded with ``codec``, holds a declaration of that codec: a charset
    declared in ASCII that cannot write ASCII (UTF-16, EBCDIC) fails this."""
    m = _META_CHARSET_TEXT.search(text[:4096])
    return m is not None and _codec(m.group(1)) == codec


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


_BINARY_RE = re.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")  # control characters but \t \n \v \f \r; U+FFFD


def _looks_binary(text: str) -> bool:
    """Control characters other than whitespace mean this is not a text document."""
    sample = text[:4096]
    if not sample:
        return False
    bad = len(_BINARY_RE.findall(sample))
    return bad > max(2, len(sample) // 100)


def _odd_count(text: str) -> int:
    return len(text) - len(_ODD.sub("", text))


def _plausible(text: str) -> bool:
    """Few characters that a wrong codec makes (see ``_ODD``), in the whole text: a file
    whose second half is in another encoding fails this."""
    return _odd_count(text) <= max(MAX_DAMAGED, len(text) // 200)


def _cjk_share(text: str) -> float:
    """Share of CJK characters and punctuation among the non-ASCII characters."""
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return (len(text) - len(_CJK.sub("", text))) / non_ascii if non_ascii else 0.0


MAX_DAMAGED = 8  # undecodable bytes tolerated (replaced, with a warning) …
MAX_DAMAGED_SHARE = 0.005  # … if they are at most this share of the file
MIXED_PREFIX = 64  # characters read cleanly before the bytes turn: a file of mixed encodings


class Decoded(NamedTuple):
    text: str
    encoding: str
    damaged: int  # undecodable bytes replaced with U+FFFD (the caller warns)
    note: str | None = None  # why the charset the page declares was not used


def decode_bytes(data: bytes, path: str | Path, *, html: bool = False) -> Decoded:
    """Decode ``data`` or raise :class:`DocumentError`.

    Order: byte-order mark, the charset an HTML page declares, UTF-8, BOM-less UTF-16,
    GB18030 (a superset of GBK and GB2312, the usual encodings of government pages). The
    first that decodes cleanly to plausible text wins (``_plausible``); failing that, the
    one with the fewest undecodable bytes when they are few (a truncated character in a
    scraped page). A declaration is overruled, with a note, when the bytes contradict it:
    its decoding does not hold the declaration itself (UTF-16 or EBCDIC declared in
    ASCII), the bytes are valid UTF-8 (which other encodings' non-ASCII bytes almost never
    are), or it gives no Chinese where another encoding gives mostly Chinese. No plausible
    decoding at all is a file of mixed encodings, or not text.
    """
    if not data.strip():
        raise DocumentError(path, "empty file")
    bom = next((enc for mark, enc in _BOMS if data.startswith(mark)), None)
    label, declared = (_declared_charset(data) if html else None) or (None, None)
    candidates = [bom] if bom else []
    if declared:
        candidates.append(declared)
    candidates.append("utf-8")
    utf16 = _utf16_without_bom(data)
    if utf16:
        candidates.append(utf16)
    elif not bom and b"\x00" in data[:8192]:
        raise DocumentError(path, "binary file (contains NUL bytes), not a text or HTML document")
    candidates.append("gb18030")
    order = list(dict.fromkeys(candidates))
    decoded: dict[str, tuple[str, int] | None] = {}

    def decode(enc: str) -> tuple[str, int] | None:
        """(text, replaced bytes), or None if too many bytes do not decode."""
        if enc not in decoded:
            try:
                decoded[enc] = (data.decode(enc), 0)
            except UnicodeDecodeError:
                text = data.decode(enc, errors="replace")
                damaged = text.count("\ufffd") - data.decode(enc, errors="ignore").count("\ufffd")
                few = damaged <= MAX_DAMAGED and damaged <= MAX_DAMAGED_SHARE * len(data)
                decoded[enc] = (text, damaged) if few else None
        return decoded[enc]

    def clean(enc: str) -> str | None:
        result = decode(enc)
        return result[0] if result and not result[1] and _plausible(result[0]) else None

    # A byte-order mark outranks a declaration (as in browsers): only without one is the
    # declaration judged against the bytes.
    judged = label is not None and bom is None
    overruled = set()
    if judged and declared and _contradicted(data, declared, decode(declared), clean, order):
        overruled.add(declared)
    usable = [enc for enc in order if enc not in overruled]
    chosen = next((enc for enc in usable if clean(enc) is not None), None)
    if chosen is None:  # nothing decodes cleanly: the least damaged plausible one
        damaged_options = [(r[1], enc) for enc in usable if (r := decode(enc)) and _plausible(r[0])]
        chosen = min(damaged_options)[1] if damaged_options else None
    if chosen is None:
        raise _undecodable(data, path, order, label)
    text, damaged_bytes = decoded[chosen] or ("", 0)
    text, encoding, damaged_bytes = _checked(text, chosen, damaged_bytes, path)
    note = None
    if judged and declared is None:
        note = f"declares charset {label}, which is unknown; read as {encoding}"
    elif judged and chosen != declared:
        note = f"declares charset {label}, but its bytes are not {label}; read as {encoding}"
    return Decoded(text, encoding, damaged_bytes, note)


def _contradicted(
    data: bytes, declared: str, own: tuple[str, int] | None, clean: Callable[[str], str | None], order: list[str]
) -> bool:
    """The bytes contradict the page's declared charset (``own``: its decoding)."""
    if own is None or not _declares_itself(own[0], declared):
        return True  # it does not decode them, or could not have written its own declaration
    if data.isascii():
        return False
    if declared not in ("utf-8", "utf-8-sig") and clean("utf-8") is not None:
        return True  # valid UTF-8: non-ASCII bytes of other encodings almost never are
    if _cjk_share(own[0]) >= 0.01:
        return False
    # No Chinese, where another encoding reads mostly Chinese (latin-1 declared over GBK).
    return any((text := clean(enc)) is not None and _cjk_share(text) >= 0.5 for enc in order if enc != declared)


def _undecodable(data: bytes, path: str | Path, order: list[str], label: str | None) -> DocumentError:
    """The error for bytes no encoding reads: where the text turns, if a good part of it
    reads cleanly in one encoding (a file of mixed encodings)."""
    best: tuple[int, str, str] = (0, "", "")
    for enc in order:
        text = data.decode(enc, errors="replace")
        odd = _ODD.search(text)
        clean_chars = odd.start() if odd else len(text)
        if clean_chars > best[0]:
            best = (clean_chars, enc, text)
    clean_chars, enc, text = best
    declared = f" (it declares charset {label})" if label else ""
    if clean_chars >= MIXED_PREFIX:
        line = text.count("\n", 0, clean_chars) + 1
        return DocumentError(
            path,
            f"mixed encodings: the bytes read as {enc} up to line {line} and not after it "
            f"(part of the file is in another encoding, or binary data follows){declared}",
        )
    return DocumentError(path, f"cannot decode bytes as UTF-8, UTF-16 or GB18030{declared}")


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

_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _only_regular(p: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for is_kind, name in _NOT_REGULAR if is_kind(mode)), "not a file")
        raise DocumentError(p, f"not a regular file ({kind}); only regular files are read as documents")


def read_file_bytes(path: str | Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_BYTES``, or :class:`DocumentError`.

    Anything else is refused before it is read: a named pipe blocks until someone writes
    to it, ``/dev/zero`` never ends. The file is opened without blocking and checked
    again once open, in case it was swapped for a pipe in between, and read with a cap.
    """
    p = Path(path)
    if not p.exists():
        raise DocumentError(p, "no such file or directory")
    if p.is_dir():
        raise DocumentError(p, "is a directory (use iter_document_paths or vetkg build DIR)")
    try:
        info = p.stat()
        _only_regular(p, info.st_mode)
        if info.st_size > MAX_BYTES:
            raise DocumentError(
                p, f"file of {info.st_size:,} bytes is over the {MAX_BYTES:,}-byte limit for one policy document"
            )
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as f:
            _only_regular(p, os.fstat(f.fileno()).st_mode)
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DocumentError(p, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise DocumentError(p, f"file is over the {MAX_BYTES:,}-byte limit for one policy document")
    return data


# Block markup that plain text never holds (``</p>``, ``<br/>``, ``</div>``, ``</td>``): a
# text file with three of these is an export that kept a page's HTML.
_BLOCK_MARKUP_RE = re.compile(r"</(?:p|div|td|li|tr|h[1-6])\s*>|<br\s*/?>", re.I)


# The tags such an export keeps (a closed list: ``A<B时`` in the text is no tag), comments,
# and closed script and style blocks. Unlike a page (html_to_text), nothing else is
# dropped: no navigation by its class, no text after an unclosed tag.
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|tr|li|ul|ol|table|h[1-6]|section|article|center)\b[^<>]{0,300}>|<br\s*/?>", re.I
)
_INLINE_TAG_RE = re.compile(
    r"</?(?:span|strong|b|i|em|u|font|a|img|sup|sub|hr|tbody|thead|td|th|o:p)\b[^<>]{0,300}>|<!--.*?-->", re.I | re.S
)
_SCRIPT_RE = re.compile(r"<(script|style)\b[^<>]{0,300}>.*?</\1\s*>", re.I | re.S)


def strip_markup(text: str) -> str:
    """Plain text with a page's paragraph markup inside: block tags become line breaks,
    inline tags and entities go (``&nbsp;`` → a space), the text's own lines stay."""
    text = _SCRIPT_RE.sub("", text)
    text = _BLOCK_TAG_RE.sub("\n", text)
    text = html.unescape(_INLINE_TAG_RE.sub("", text))
    lines = (line.strip(" \t") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def read(path: str | Path) -> Document:
    """Read one document; raises :class:`DocumentError` with a one-line reason."""
    p = Path(path)
    data = read_file_bytes(p)
    suffix = p.suffix.lower()
    if suffix in OFFICE_SUFFIXES or data[:5] == b"%PDF-":
        return _read_office(p, data, "pdf" if suffix == ".pdf" or data[:5] == b"%PDF-" else "docx")
    if suffix == ".doc" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DocumentError(p, "old binary Word/Office file; save it as .docx or PDF")
    is_html = suffix in HTML_SUFFIXES or (
        suffix not in TEXT_SUFFIXES | MARKDOWN_SUFFIXES
        and re.search(rb"<(html|body|div|p)[\s>]", data[:4096], re.I) is not None
    )
    decoded = decode_bytes(data, p, html=is_html)
    text = decoded.text
    fmt: DocumentFormat = "md" if suffix in MARKDOWN_SUFFIXES else "txt"
    page_title = None
    markup_inside = (
        not is_html and suffix not in MARKDOWN_SUFFIXES and len(_BLOCK_MARKUP_RE.findall(text, 0, 65536)) >= 3
    )
    if is_html:
        text, page_title = html_to_text(text, with_title=True)
        fmt = "html"
        if not text.strip():
            raise DocumentError(p, "HTML page has no visible text")
    elif markup_inside:  # an export that kept the page's paragraphs as <p>…</p>
        text = strip_markup(text)
    doc = _document(p, data, text, decoded.encoding, fmt, page_title)
    if markup_inside:
        doc.warnings.append(
            Problem(
                str(p), "HTML markup inside a text file: its tags removed (block tags as line breaks), its text kept"
            )
        )
    if decoded.note:
        doc.warnings.insert(0, Problem(str(p), decoded.note))
    if decoded.damaged:
        first = text.find("\ufffd")
        doc.warnings.append(
            Problem(
                str(p),
                f"{decoded.damaged} undecodable byte(s) in {decoded.encoding} replaced with U+FFFD",
                offset=first,
                line=doc.line_of(first) if first >= 0 else None,
            )
        )
    return doc


_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SURROGATE_PAIR = re.compile(r"[\ud800-\udbff][\udc00-\udfff]")


def without_lone_surrogates(text: str) -> tuple[str, int, int]:
    """``text`` with surrogate pairs joined into their character and lone surrogates
    replaced with U+FFFD; also how many were replaced and the offset of the first.

    A PDF's ToUnicode map can give half of a UTF-16 pair; no output file (UTF-8 JSON,
    N-Triples) can encode it, so one such glyph would end a whole build.
    """
    if not _SURROGATE.search(text):
        return text, 0, -1
    text = _SURROGATE_PAIR.sub(lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text)
    first = _SURROGATE.search(text)
    if first is None:
        return text, 0, -1
    fixed, count = _SURROGATE.subn("\ufffd", text)
    return fixed, count, first.start()


def _document(
    p: Path, data: bytes, text: str, encoding: str, fmt: DocumentFormat, page_title: str | None = None
) -> Document:
    """The document of a file's text, whatever the reader: no lone surrogate (warned
    about), within the length limit, boilerplate and soft breaks located."""
    text, surrogates, first = without_lone_surrogates(text)
    if page_title:
        page_title = without_lone_surrogates(page_title)[0]
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
        lost_breaks=lost_breaks(text),
    )
    if surrogates:
        doc.warnings.append(
            Problem(
                str(p),
                f"{surrogates} lone surrogate(s) (half a UTF-16 pair, which no file can hold) replaced with U+FFFD",
                offset=first,
                line=doc.line_of(first),
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
    return _document(p, data, text, fmt, fmt)


def _is_folder_note(f: Path) -> bool:
    return f.suffix.lower() in MARKDOWN_SUFFIXES and f.stem.lower() in FOLDER_NOTES


def collect_paths(inputs: Iterable[str | Path]) -> tuple[list[Path], list[DocumentError]]:
    """Expand files and directories (recursively) into document paths.

    Returns the paths and one :class:`DocumentError` per input that yields nothing (a
    missing path, a directory with no documents), so one bad input never hides the rest.
    Files named explicitly are kept whatever their suffix (the reader decides); a
    folder's README.md and the like are not documents.
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
            found = sorted(
                f for f in entries if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES and not _is_folder_note(f)
            )
            if found:
                paths.extend(found)
            elif not any(e.path.startswith(str(p)) for e in problems):
                problems.append(DocumentError(p, "directory contains no .txt, .md, .html, .pdf or .docx documents"))
        elif p.exists():
            paths.append(p)
        else:
            problems.append(DocumentError(p, "no such file or directory"))
    return list(dict.fromkeys(paths)), problems
