"""Messages a person reads on the terminal (issue 17, case 20): file names and document text
are untrusted, so what the CLI echoes is escaped; a parameter given twice is an error, not
the last value silently kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import printable

ROOT = Path(__file__).resolve().parent.parent
VETKG = [sys.executable, "-m", "kg"]


def _vetkg(*args: str | bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*VETKG, *args], cwd=cwd, capture_output=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )


@pytest.mark.parametrize(
    "name",
    [
        b"a\x1b[31mred\x1b[0m.txt",  # a colour escape
        b"b\x1b]0;pwned\x07.txt",  # sets the terminal's title
        b"c\rvetkg: all good.txt",  # a carriage return that overwrites the line
        "d\u202etxt.exe.txt".encode(),  # a right-to-left override
        b"\xd5\xfe\xb2\xdf\x1b[2J.txt",  # a GBK name (not UTF-8) with a clear-screen escape
    ],
)
def test_a_file_name_with_terminal_escapes_is_echoed_escaped(tmp_path: Path, name: bytes) -> None:
    path = os.path.join(os.fsencode(tmp_path), name)
    with open(path, "wb"):  # empty: an error message that names the file
        pass
    r = _vetkg(b"parse", path, cwd=tmp_path)
    assert r.returncode == 1
    for raw in (b"\x1b", b"\x07", b"\r", "\u202e".encode()):
        assert raw not in r.stderr
    assert b"empty" in r.stderr
    assert printable(os.fsdecode(path)).encode() in r.stderr


def test_printable_keeps_chinese_and_escapes_controls() -> None:
    assert printable("关于深化职业教育改革的实施意见.txt") == "关于深化职业教育改革的实施意见.txt"
    assert printable("全角\u3000空格") == "全角\u3000空格"
    assert printable("a\x1b[1mb\nc\u202ed\udcd5") == "a\\x1b[1mb\\x0ac\\u202ed\\xd5"


def test_a_repeated_param_is_an_error_naming_it(tmp_path: Path) -> None:
    r = _vetkg("query", "--name", "regions", "--param", "a=1", "--param", "a=2", "--graph", str(tmp_path), cwd=tmp_path)
    assert r.returncode == 2
    assert b"--param a given more than once" in r.stderr
    assert b"Traceback" not in r.stderr


def test_a_query_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    r = _vetkg(b"query", b'SELECT * WHERE { ?s ?p "\xff" }', b"--graph", os.fsencode(tmp_path), cwd=tmp_path)
    assert r.returncode == 2
    assert b"not valid UTF-8" in r.stderr
    assert b"Traceback" not in r.stderr
