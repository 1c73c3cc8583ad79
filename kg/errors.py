"""Every exception vetkg raises on purpose, in one place.

Each says what went wrong in a sentence that names the file, query or folder concerned;
the CLI prints it and exits with the code its class carries, never with a traceback.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

# Characters a terminal acts on instead of printing: C0/C1 controls (escape sequences, line
# breaks that forge a second message), format characters (bidirectional overrides that
# reorder what is shown) and lone surrogates (undecodable bytes in a POSIX file name).
_UNPRINTABLE = {"Cc", "Cf", "Cs"}


def printable(text: object) -> str:
    """``text`` safe to echo on a terminal: every control, format or undecodable character
    shown as an escape (``\\x1b``, ``\\u202e``; a byte of a non-UTF-8 file name as ``\\xd5``).

    File names and document text are untrusted: echoed raw, an escape sequence in a name
    could recolour, hide or rewrite what the user reads.
    """
    s = str(text)
    if s.isprintable():
        return s
    out = []
    for ch in s:
        cat = unicodedata.category(ch)
        if cat not in _UNPRINTABLE or ch == "\t":  # a tab moves the cursor, nothing more
            out.append(ch)
        elif cat == "Cs" and 0xDC80 <= ord(ch) <= 0xDCFF:  # os.fsdecode's escaped byte
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


class VetkgError(Exception):
    """Base of vetkg's own errors; ``exit_code`` is what the CLI returns for it."""

    exit_code = 2


class DocumentError(VetkgError):
    """A document that cannot be read; the message names the file and the problem."""

    exit_code = 1

    def __init__(self, path: str | Path, message: str):
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.reason = message


class QueryError(VetkgError):
    """A query that cannot run: bad syntax (with line and column), unknown name, missing
    parameter, unreachable endpoint."""


class GraphNotFound(QueryError):
    """A folder that holds no built graph."""


class StoreError(VetkgError):
    """The store could not be loaded or opened (the graph files stand)."""


class ViewError(VetkgError, ValueError):
    """A view that does not exist or matches nothing."""
