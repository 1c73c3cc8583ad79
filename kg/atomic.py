"""Atomic file writes: a reader sees the old file or the new one, never half of one."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    out = AtomicFile(path)
    try:
        out.write_bytes(data)
        out.commit()
    except BaseException:
        out.discard()
        raise


def write_text_atomic(path: str | Path, text: str) -> None:
    """UTF-8 with ``\\n`` line ends."""
    write_bytes_atomic(path, text.encode("utf-8"))


class AtomicFile:
    """A file written in pieces that appears whole, at ``path``, on :meth:`commit` (or
    not at all: :meth:`discard`, or a crash, leaves the previous file untouched and at
    most a ``.<name>.*.tmp`` that the next build removes)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self.fh = os.fdopen(fd, "wb", buffering=1 << 20)

    def write(self, text: str) -> None:
        self.fh.write(text.encode("utf-8"))

    def write_bytes(self, data: bytes) -> None:
        self.fh.write(data)

    def commit(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o666 & ~umask)
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        if not self.fh.closed:
            self.fh.close()
        try:
            os.unlink(self.tmp)
        except OSError:
            pass
