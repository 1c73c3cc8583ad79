"""Hostile inputs to the reader (issue 17: lone surrogates, zip bombs, pipes and devices,
lying charset declarations, AES-encrypted PDFs) and Markdown input (issue 18): each file
is read correctly or refused with one named error — never a crash of the whole build, a
hang, or memory without bound."""

from __future__ import annotations

import json
import os
import random
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import ROOT

from kg.cli import main
from kg.corpus.build import build
from kg.errors import DocumentError
from kg.reading.reader import collect_paths, read

POLICY = [
    "某市职业教育改革实施方案",
    "为推动职业教育发展，制定本方案。",
    "一、主要任务",
    "（一）建设实训基地。到2025年建设10个实训基地。（责任单位：市教育局）",
    "（二）深化校企合作。支持企业举办职业学校。（责任单位：市人社局）",
]


def cli(*args: str, timeout: float = 60, memory: int = 3 << 30) -> subprocess.CompletedProcess:
    """``vetkg ARGS`` in a child process whose address space is capped (a regression that
    reads without bound then fails fast instead of taking the machine's memory)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap,
    )


# --- case 6: a lone surrogate in a PDF's text layer ----------------------------------------


def text_layer_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer is exactly ``lines``: every distinct character gets
    a one-byte code and a ToUnicode entry, so any code point — a lone surrogate too — can be
    in it, as in PDFs whose producers wrote broken CMaps."""
    chars = sorted({c for line in lines for c in line})
    assert len(chars) < 255
    code = {c: i + 1 for i, c in enumerate(chars)}
    entries = [f"<{code[c]:02X}> <{ord(c):04X}>" for c in chars]
    blocks = "".join(
        f"{len(entries[i : i + 100])} beginbfchar\n" + "\n".join(entries[i : i + 100]) + "\nendbfchar\n"
        for i in range(0, len(entries), 100)
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n" + blocks + "endcmap\n"
        "CMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode()
    ops = ["BT", "/F1 10 Tf", "40 800 Td", "14 TL"]
    ops += ["<" + "".join(f"{code[c]:02X}" for c in line) + "> Tj T*" for line in lines]
    content = ("\n".join(ops) + "\nET").encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


SURROGATE_LINES = [
    POLICY[0].replace("改革", "改\ud800革"),
    *POLICY[1:3],
    POLICY[3].replace("基地。", "基\udc00地。", 1),
    POLICY[4],
]


def test_a_lone_surrogate_in_a_pdf_text_layer_becomes_a_replacement_character(tmp_path):
    path = tmp_path / "surrogate.pdf"
    path.write_bytes(text_layer_pdf(SURROGATE_LINES))
    doc = read(path)
    doc.text.encode("utf-8")  # no lone surrogate left
    assert doc.text.splitlines()[0] == "某市职业教育改\ufffd革实施方案"
    assert "建设实训基\ufffd地" in doc.text
    [warning] = doc.warnings
    assert "2 lone surrogate" in warning.message and warning.line == 1


def test_vetkg_parse_and_build_survive_a_lone_surrogate(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "surrogate.pdf").write_bytes(text_layer_pdf(SURROGATE_LINES))
    (corpus / "good.txt").write_text("\n".join(POLICY).replace("某市", "某县"), encoding="utf-8")
    # The commands themselves, in process: pytest's captured stdout encodes UTF-8 strictly,
    # as a terminal or a pipe does.
    assert main(["parse", str(corpus / "surrogate.pdf")]) == 0
    printed = capsys.readouterr()
    assert json.loads(printed.out)["metadata"]["title"].startswith("某市职业教育改\ufffd革")
    assert "lone surrogate" in printed.err
    out = tmp_path / "out"
    assert main(["build", str(corpus), "--out", str(out), "--jobs", "1", "--no-views", "--no-cache"]) == 0
    documents = json.loads((out / "documents.json").read_text(encoding="utf-8"))
    assert sorted(d["doc_id"] for d in documents) == ["good", "surrogate"]
    assert "\ufffd" in (out / "graph.nt").read_text(encoding="utf-8")


# --- case 9: a Word zip bomb ---------------------------------------------------------------


def _write_zip(path: Path, members: list[tuple[str, int, list[tuple[bytes, int]], int]]) -> None:
    """A plain deflate zip; each member is (name, crc, [(deflated block, repeats)], size),
    so a member of a gigabyte costs only its few compressed megabytes to write."""
    central = []
    with open(path, "wb") as out:
        for name, crc, parts, size in members:
            offset, packed = out.tell(), sum(len(block) * n for block, n in parts)
            raw = name.encode()
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, packed, size, len(raw), 0) + raw)
            for block, n in parts:
                for _ in range(n):
                    out.write(block)
            central.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    0,
                    8,
                    0,
                    0,
                    crc,
                    packed,
                    size,
                    len(raw),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + raw
            )
        start, directory = out.tell(), b"".join(central)
        out.write(directory)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), start, 0))


def _deflated(data: bytes) -> bytes:
    """Raw deflate ending on a full flush: such blocks concatenate into one valid stream."""
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    return z.compress(data) + z.flush(zlib.Z_FULL_FLUSH)


def docx_bomb(path: Path, chunk: bytes, repeats: int) -> Path:
    """A real .docx whose word/document.xml holds ``chunk`` ``repeats`` times (a valid
    zip: sizes and CRC are right, so any reader would inflate it all)."""
    import docx

    template = path.with_name("template.docx")
    d = docx.Document()
    d.add_paragraph("某市职业教育改革实施方案")
    d.save(str(template))
    members = []
    with zipfile.ZipFile(template) as src:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "word/document.xml":
                z = zlib.compressobj(9, zlib.DEFLATED, -15)
                members.append((info.filename, zlib.crc32(data), [(z.compress(data) + z.flush(), 1)], len(data)))
                continue
            head, tail = data.split(b"<w:body>")[0] + b"<w:body>", b"</w:body></w:document>"
            crc = zlib.crc32(head)
            for _ in range(repeats):
                crc = zlib.crc32(chunk, crc)
            crc = zlib.crc32(tail, crc)
            z = zlib.compressobj(9, zlib.DEFLATED, -15)
            end = z.compress(tail) + z.flush()
            parts = [(_deflated(head), 1), (_deflated(chunk), repeats), (end, 1)]
            members.append((info.filename, crc, parts, len(head) + len(chunk) * repeats + len(tail)))
    _write_zip(path, members)
    return path


READ_MEASURED = """
import json, resource, sys, time
from kg.errors import DocumentError
from kg.reading.reader import read
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.monotonic()
try:
    read(sys.argv[1]); error = None
except DocumentError as exc:
    error = exc.reason
except MemoryError:
    error = "MemoryError"
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
print(json.dumps({"error": error, "seconds": time.monotonic() - start, "grown": grown}))
"""


def read_measured(path: Path) -> dict:
    """Read ``path`` in a child process capped at 2 GB of address space; its outcome, the
    seconds the read took and how much its peak memory grew."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    proc = subprocess.run(
        [sys.executable, "-c", READ_MEASURED, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=cap,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


SMALL_PARAGRAPH = "<w:p><w:r><w:t>职业教育</w:t></w:r></w:p>".encode()
SMALL_PARAGRAPHS = SMALL_PARAGRAPH * ((1 << 20) // len(SMALL_PARAGRAPH))  # 1 MB


@pytest.mark.parametrize("megabytes", [1070, 100], ids=["1.1GB", "100MB"])
def test_a_docx_zip_bomb_is_refused_fast_in_little_memory(tmp_path, megabytes):
    bomb = docx_bomb(tmp_path / "bomb.docx", SMALL_PARAGRAPHS, megabytes)
    assert bomb.stat().st_size < 4_000_000
    outcome = read_measured(bomb)
    assert outcome["error"] and "word/document.xml" in outcome["error"], outcome
    assert "zip bomb" in outcome["error"], outcome
    assert outcome["seconds"] < 10 and outcome["grown"] < 200 << 20, outcome


def test_a_docx_whose_xml_expands_past_the_limit_is_refused_at_an_ordinary_ratio(tmp_path):
    # 40 MB of XML that compresses only 3 to 1 (paragraphs of random digits): no ratio
    # gives it away, its expanded size does.
    rnd = random.Random(17)
    chunk = b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % rnd.getrandbits(64) for _ in range(25_000))
    big = docx_bomb(tmp_path / "big.docx", chunk, 40 * (1 << 20) // len(chunk))
    outcome = read_measured(big)
    assert outcome["error"] and "word/document.xml" in outcome["error"], outcome
    assert "past the 33,554,432-byte limit" in outcome["error"], outcome
    assert outcome["seconds"] < 10 and outcome["grown"] < 200 << 20, outcome


def test_a_docx_of_too_many_paragraphs_is_refused_before_parsing(tmp_path):
    # 3 MB of XML (within the size limit, an ordinary compression ratio) but 140,000
    # paragraphs: python-docx would build an object per paragraph.
    rows = b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % i for i in range(140_000))
    import docx

    d = docx.Document()
    d.add_paragraph("x")
    d.save(str(tmp_path / "template.docx"))
    with zipfile.ZipFile(tmp_path / "template.docx") as src, zipfile.ZipFile(tmp_path / "many.docx", "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + rows, 1)
            dst.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    outcome = read_measured(tmp_path / "many.docx")
    assert outcome["error"] and "140,001 paragraphs" in outcome["error"], outcome
    assert outcome["seconds"] < 5, outcome


# --- case 12: pipes and devices -------------------------------------------------------------


def test_a_named_pipe_and_a_device_are_refused_not_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text("\n".join(POLICY), encoding="utf-8")
    proc = cli("parse", str(fifo), "/dev/zero", str(good), timeout=60, memory=2 << 30)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    for name in (str(fifo), "/dev/zero"):
        line = next(ln for ln in proc.stderr.splitlines() if name in ln)
        assert "not a regular file" in line, line
    assert "某市职业教育改革实施方案" in proc.stdout
    proc = cli(
        "build",
        str(good),
        str(fifo),
        "--out",
        str(tmp_path / "out"),
        "--no-cache",
        "--no-views",
        "--jobs",
        "1",
        timeout=120,
    )
    assert proc.returncode == 1 and "not a regular file" in proc.stderr, proc.stderr
    documents = json.loads((tmp_path / "out" / "documents.json").read_text(encoding="utf-8"))
    assert [d["doc_id"] for d in documents] == ["good"]


# --- case 15: charset declarations checked against the bytes ------------------------------

PAGE_LINES = [*POLICY, "二、保障措施", "（一）加强组织领导。各单位要高度重视。"]


def page(charset: str) -> str:
    body = "".join(f"<p>{line}</p>\n" for line in PAGE_LINES)
    return f'<html><head><meta charset="{charset}"><title>{POLICY[0]}</title></head><body>{body}</body></html>'


def utf8_of_even_length(markup: str) -> bytes:
    data = markup.encode("utf-8")
    return data if len(data) % 2 == 0 else data + b"\n"


@pytest.mark.parametrize(
    "name,data,encoding,declared",
    [
        ("utf16_over_utf8.html", utf8_of_even_length(page("utf-16")), "utf-8", "utf-16"),
        ("latin1_over_gbk.html", page("iso-8859-1").encode("gbk"), "gb18030", "iso-8859-1"),
        ("latin1_over_utf8.html", page("iso-8859-1").encode("utf-8"), "utf-8", "iso-8859-1"),
        ("gbk_over_utf8.html", page("gbk").encode("utf-8"), "utf-8", "gbk"),
    ],
)
def test_a_charset_declaration_that_the_bytes_contradict_is_overruled_with_a_warning(
    tmp_path, name, data, encoding, declared
):
    (tmp_path / name).write_bytes(data)
    doc = read(tmp_path / name)
    assert doc.encoding == encoding
    assert doc.text.splitlines() == PAGE_LINES and doc.page_title == POLICY[0]
    [warning] = doc.warnings
    assert f"declares charset {declared}" in warning.message and encoding in warning.message
    # The same bytes under a true declaration: the same text, no warning.
    honest = tmp_path / f"honest_{name}"
    honest.write_bytes(data.replace(f'charset="{declared}"'.encode(), f'charset="{encoding}"'.encode()))
    again = read(honest)
    assert again.text == doc.text and not again.warnings


@pytest.mark.parametrize(
    "head,tail",
    [("utf-8", "utf-16"), ("utf-8", "utf-16-le"), ("utf-16", "utf-8")],
    ids=["utf8+utf16", "utf8+utf16le", "utf16+utf8"],
)
@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_a_file_of_mixed_encodings_is_a_clear_error(tmp_path, head, tail, suffix):
    text = "\n".join(PAGE_LINES * 30) if suffix == ".txt" else page("utf-8")
    half = len(text) // 2
    path = tmp_path / f"mixed{suffix}"
    path.write_bytes(text[:half].encode(head) + text[half:].encode(tail))
    with pytest.raises(DocumentError, match="mixed encodings"):
        read(path)


ENGLISH = "".join(f"<p>Article {i}. Vocational schools shall cooperate with enterprises.</p>" for i in range(20))


def test_an_ebcdic_page_declaring_cp037_is_decoded(tmp_path):
    path = tmp_path / "ebcdic.html"
    path.write_bytes(
        f'<html><head><meta charset="cp037"><title>Plan</title></head><body>{ENGLISH}</body></html>'.encode("cp037")
    )
    doc = read(path)
    assert doc.encoding == "cp037" and doc.page_title == "Plan" and not doc.warnings
    assert doc.text.splitlines()[0] == "Article 0. Vocational schools shall cooperate with enterprises."


def test_a_cp037_declaration_in_ascii_over_ebcdic_bytes_is_named_in_the_error(tmp_path):
    path = tmp_path / "half_ebcdic.html"
    path.write_bytes(b'<html><head><meta charset="cp037"></head>' + f"<body>{ENGLISH}</body></html>".encode("cp037"))
    with pytest.raises(DocumentError, match="cp037"):
        read(path)


# --- case 16: AES-encrypted PDFs ------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["AES-256", "AES-128"])
def test_aes_encrypted_pdfs_open_unless_they_need_a_user_password(tmp_path, algorithm):
    import pypdf

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(text_layer_pdf(POLICY))
    expected = read(plain).text
    for kind, user_password in (("owner", ""), ("user", "secret")):
        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(plain))
        writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
        writer.write(tmp_path / f"{kind}.pdf")
    assert read(tmp_path / "owner.pdf").text == expected  # opens in any viewer: read it
    with pytest.raises(DocumentError, match="needs a user password to open"):
        read(tmp_path / "user.pdf")


# --- issue 18: Markdown input ---------------------------------------------------------------

REGULATION = """# 某市职业教育促进条例

（2023年6月1日某市第十六届人民代表大会常务委员会第十次会议通过）

## 第一章 总则

第一条 为了促进职业教育发展，根据有关法律，结合本市实际，制定本条例。

第二条 市教育局负责本市职业教育工作的统筹规划。

## 第二章 保障措施

第三条 市财政局应当安排职业教育专项资金，到2025年建设10个实训基地。
"""


def test_markdown_files_are_read_like_text_and_built(tmp_path):
    corpus = tmp_path / "regulations"
    corpus.mkdir()
    (corpus / "regulation.md").write_text(REGULATION, encoding="utf-8")
    (corpus / "gbk_regulation.MD").write_bytes(REGULATION.replace("某市", "某县").encode("gbk"))
    (corpus / "README.md").write_text("# Regulations\n\nExported from the collection.\n", encoding="utf-8")
    doc = read(corpus / "regulation.md")
    assert doc.format == "md" and doc.encoding == "utf-8" and doc.text == REGULATION
    gbk = read(corpus / "gbk_regulation.MD")
    assert gbk.format == "md" and gbk.encoding == "gb18030" and gbk.text.startswith("# 某县职业教育促进条例")
    paths, problems = collect_paths([corpus])
    assert [p.name for p in paths] == ["gbk_regulation.MD", "regulation.md"] and not problems  # a README is not one
    result = build([corpus], tmp_path / "out", views=False)
    assert not result.errors
    documents = json.loads((tmp_path / "out" / "documents.json").read_text(encoding="utf-8"))
    assert sorted(d["doc_id"] for d in documents) == ["gbk_regulation", "regulation"]
