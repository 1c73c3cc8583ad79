"""Atomic file writes: a reader sees the old file or the new one, never half of one; and
symbolic links switched the same way (a build's set of outputs is switched by one)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_bytes_atomic(path: str | Path, data: bytes, durable: bool = True) -> None:
    """``durable=False`` skips the fsync: for files whose loss in a crash costs only
    time (cache entries, which are checksummed and re-made when unreadable)."""
    out = AtomicFile(path)
    try:
        out.write_bytes(data)
        out.commit(durable)
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
        self.written = 0  # bytes so far: the offset of the next write

    def write(self, text: str) -> None:
        self.write_bytes(text.encode("utf-8"))

    def write_bytes(self, data: bytes) -> None:
        self.fh.write(data)
        self.written += len(data)

    def copy_range(self, src_fd: int, offset: int, length: int) -> None:
        """Append ``length`` bytes of the open file ``src_fd`` from ``offset`` (in the
        kernel where it can: a rebuild copies unchanged documents' outputs this way)."""
        self.fh.flush()
        dst, done = self.fh.fileno(), 0
        while done < length:
            try:
                n = os.copy_file_range(src_fd, dst, length - done, offset + done)
            except (AttributeError, OSError):  # not Linux, or not across these file systems
                n = os.write(dst, os.pread(src_fd, min(length - done, 1 << 24), offset + done))
            if n == 0:
                raise OSError(
                    f"{self.path}: the previous output ended early (expected {length} bytes at offset {offset})"
                )
            done += n
        self.written += length

    def commit(self, durable: bool = True) -> None:
        self.fh.flush()
        if durable:
            os.fsync(self.fh.fileno())
        self.fh.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o666 & ~umask)
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        """Drop the file; never raises (on a full disk, closing fails to flush: the
        temporary file is removed all the same)."""
        if not self.fh.closed:
            with contextlib.suppress(OSError):
                self.fh.close()
            if not self.fh.closed:  # the flush failed: close the descriptor without it
                with contextlib.suppress(OSError):
                    os.close(self.fh.fileno())
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)


def symlink_atomic(target: str, link: str | Path) -> None:
    """Make ``link`` a symbolic link to ``target`` in one step: a reader finds the old
    link (or file) or the new link, never none."""
    link = Path(link)
    for attempt in range(100):
        tmp = link.with_name(f".{link.name}.{os.getpid()}.{attempt}.tmp")
        try:
            os.symlink(target, tmp)
        except FileExistsError:
            continue
        try:
            os.replace(tmp, link)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return
    raise FileExistsError(f"cannot make a temporary link beside {link}")


def fsync_folder(folder: str | Path) -> None:
    """Make the entries of ``folder`` (files created, renamed into it) durable."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
