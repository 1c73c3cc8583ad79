"""Load a large build's graph into an on-disk Oxigraph store while it is being written.

The N-Triples a build writes to ``graph.nt`` are also piped into ``oxigraph load`` (the
server binary's bulk loader, in its own process), so loading overlaps extraction instead
of following it, and a loader that fails costs the store, never the build. The store is
made in ``.<name>.loading`` and swapped in only when complete: a killed or failed build
leaves the previous store as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kg.core.processes import die_with_parent
from kg.errors import StoreError


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server binary: next to this Python (a venv's bin/), else
    on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.is_file():
        return str(here)
    found = shutil.which("oxigraph")
    if not found:
        raise StoreError("the oxigraph server binary is not installed (pip install oxigraph, a dependency of vetkg)")
    return found


def quiet_rust_env() -> dict[str, str]:
    """The environment for an oxigraph child process, without Rust backtraces: its
    errors are reported as one sentence, never as a stack dump."""
    return {**os.environ, "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"}


def rust_error(text: str) -> str:
    """The cause in an oxigraph binary's error output, as one line: the ``Error:`` line
    (or a panic's message), without the backtrace that may follow it."""
    text = text.split("Stack backtrace:", 1)[0]
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in lines:
        if line.startswith("Error:"):
            cause = line[len("Error:") :].strip()
            break
        if m := re.match(r"thread '.*' panicked at [^:]+:\d+:\d+:?\s*(.*)", line):
            cause = m.group(1) or "the oxigraph binary crashed"
            break
    else:
        lines = [ln for ln in lines if not ln.startswith("note:") and not re.match(r"\d+:|at ", ln)]
        cause = lines[-1] if lines else "no message"
    cause = re.sub(r"^IO error:\s*", "", cause)
    return cause.rstrip(".")


class StoreLoad:
    """Bulk-load N-Triples written in pieces into a fresh Oxigraph store at ``folder``.

    Writes are held in memory until :meth:`start` (call it once worker processes have
    been forked, so they do not inherit the pipe), then streamed to the loader."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.tmp = self.folder.with_name(f".{self.folder.name}.loading")
        self.proc: subprocess.Popen | None = None
        self.pending: list[bytes] = []
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - held open until commit or discard
        self.failed = False

    def start(self) -> None:
        if self.proc is not None:
            return

        shutil.rmtree(self.tmp, ignore_errors=True)
        # --lenient skips IRI validation: our own writer escapes every term.
        cmd = [oxigraph_binary(), "load", "--location", str(self.tmp), "--format", "nt", "--lenient"]
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            bufsize=1 << 20,
            preexec_fn=die_with_parent,
            env=quiet_rust_env(),
        )
        for data in self.pending:
            self.write_bytes(data)
        self.pending = []

    def write_bytes(self, data: bytes) -> None:
        if self.proc is None:
            self.pending.append(data)
            return
        if self.failed or self.proc.stdin is None:
            return
        try:
            self.proc.stdin.write(data)
        except OSError:  # the loader died: its message is in the log, reported at commit
            self.failed = True

    def commit(self, extra_files: dict[str, str] | None = None) -> Path:
        """Finish loading and swap the new store in; :class:`StoreError` if it failed.
        ``extra_files`` (name → text) are written into the store folder before the swap,
        so a store is never in place without them."""
        self.start()
        assert self.proc is not None and self.proc.stdin is not None  # started just above
        try:
            self.proc.stdin.close()
        except OSError:
            self.failed = True
        code = self.proc.wait()
        if code or self.failed:
            self.discard()
            raise StoreError(f"cannot load the Oxigraph store {self.folder}: {self._log_cause()}")
        old = self.folder.with_name(f".{self.folder.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        try:
            for name, text in (extra_files or {}).items():
                (self.tmp / name).write_text(text, encoding="utf-8")
            if self.folder.exists():
                self.folder.rename(old)
            self.tmp.rename(self.folder)
        except OSError as exc:
            self.discard()
            raise StoreError(f"cannot put the Oxigraph store in place at {self.folder}: {exc.strerror}") from None
        shutil.rmtree(old, ignore_errors=True)
        self.log.close()
        return self.folder

    def discard(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _log_cause(self) -> str:
        self.log.seek(0)
        return rust_error(self.log.read().decode("utf-8", "replace"))


def load_store(ntriples: str | Path, folder: str | Path, extra_files: dict[str, str] | None = None) -> Path:
    """Bulk-load an N-Triples file into a fresh store at ``folder`` (swapped in when
    complete, with ``extra_files`` written into it)."""
    load = StoreLoad(folder)
    try:
        load.start()
        with open(ntriples, "rb") as fh:
            while block := fh.read(1 << 24):
                load.write_bytes(block)
    except BaseException:
        load.discard()
        raise
    return load.commit(extra_files)
