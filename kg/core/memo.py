"""Results of pure computations kept between builds, keyed by a digest of their inputs.

A rebuild after one edit should redo what the edit touched, not the whole corpus: the
text-reuse alignment of every measure, the policy-tool codes of every measure text, the
report's figures. Each of these is a pure function of a few inputs (two texts, one text,
the rows a figure draws), so its result is looked up under the digest of those inputs
and recomputed only on a miss. A changed input is a new key, never a stale answer.

Entries are data, never code: tables are zlib-compressed JSON, blobs (figures) plain
files. Every table carries the ``salt`` it was written under (the code's fingerprint:
changed code invalidates every entry); a file that cannot be read, or carries another
salt, is an empty table — a miss, never an error. :meth:`Memo.save` writes back only the
entries the build used or made (a memo does not grow with every edit), atomically. A memo
without a folder lives in memory only: what :func:`kg.analytics.report.analyze` uses when
called from the API.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.core.atomic import write_bytes_atomic

BLOBS = "blobs"
MAX_TABLE = 1 << 30  # bytes a table may expand to
STALE_SECONDS = 3600  # a temporary file this old was left by a killed build


def digest(*parts: Any) -> str:
    """A stable key for ``parts`` (JSON values: strings, numbers, lists, dicts)."""
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def text_key(*texts: str) -> str:
    """A key for a tuple of texts (cheaper than :func:`digest`: no JSON)."""
    h = hashlib.sha1()
    for t in texts:
        data = t.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))  # length first: no two splits of one string collide
        h.update(data)
    return h.hexdigest()[:24]


class Memo:
    """Tables of JSON values and blobs of bytes, each entry under the key of its inputs."""

    def __init__(self, folder: str | Path | None = None, salt: str = ""):
        self.folder = Path(folder) if folder is not None else None
        self.salt = salt
        self._held: dict[str, dict[str, Any]] = {}  # table -> what was read from disk
        self._kept: dict[str, dict[str, Any]] = {}  # table -> the entries used or made now
        self._blobs: set[str] = set()  # blob keys used or made now
        self._flushed: set[str] = set()  # tables written back already by this build
        self.hits = 0
        self.misses = 0

    # --- tables -------------------------------------------------------------------------
    def _table(self, name: str) -> dict[str, Any]:
        if name not in self._held:
            self._held[name] = self._read(name)
            # a table flushed earlier in this build holds only what the build used: keep it all
            self._kept[name] = dict(self._held[name]) if name in self._flushed else {}
        return self._held[name]

    def _read(self, name: str) -> dict[str, Any]:
        if self.folder is None:
            return {}
        try:
            inflate = zlib.decompressobj()
            text = inflate.decompress((self.folder / f"{name}.json.z").read_bytes(), MAX_TABLE)
            if inflate.unconsumed_tail or not inflate.eof:
                return {}  # not whole, or past the cap (a planted zlib bomb): a miss
            data = json.loads(text.decode("utf-8", "surrogatepass"))
        except (OSError, ValueError, zlib.error, RecursionError, MemoryError):
            return {}
        if not isinstance(data, dict) or data.get("salt") != self.salt or not isinstance(data.get("entries"), dict):
            return {}
        return data["entries"]

    def get(self, table: str, key: str) -> Any | None:
        """The value under ``key`` (kept for the next build), or None."""
        value = self._table(table).get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
            self._kept[table][key] = value
        return value

    def put(self, table: str, key: str, value: Any) -> None:
        self._table(table)[key] = value
        self._kept[table][key] = value

    # --- blobs --------------------------------------------------------------------------
    def blob(self, key: str, make: Callable[[], bytes]) -> bytes:
        """The bytes under ``key`` (with the salt: changed code draws anew), made (and
        kept) on a miss."""
        name = text_key(self.salt, key)
        self._blobs.add(name)
        path = self.folder / BLOBS / f"{name}.bin" if self.folder is not None else None
        if path is not None:
            try:
                data = path.read_bytes()
            except OSError:
                pass
            else:
                self.hits += 1
                return data
        self.misses += 1
        data = make()
        if path is not None:
            _quietly(write_bytes_atomic, path, data, durable=False)
        return data

    # --- keeping ------------------------------------------------------------------------
    def save(self) -> None:
        """Write back every table touched by this build with the entries it used or
        made, and remove the blobs it did not use."""
        if self.folder is None:
            return
        for name in list(self._kept):
            self.flush(name)
        _quietly(self._prune)

    def _prune(self) -> None:
        """Remove the blobs this build did not use and what killed builds left half-written."""
        now = time.time()
        for folder in (self.folder, self.folder / BLOBS) if self.folder is not None else ():
            if not folder.is_dir():
                continue
            for f in folder.iterdir():
                stale = f.name.startswith(".") and f.name.endswith(".tmp") and now - f.stat().st_mtime > STALE_SECONDS
                unused = folder.name == BLOBS and bool(self._blobs) and f.suffix == ".bin" and f.stem not in self._blobs
                if stale or unused:
                    f.unlink(missing_ok=True)

    def flush(self, table: str) -> None:
        """Write back one table now, with the entries used or made so far, and free it
        (the alignments of a large corpus need not stay in memory through the report)."""
        self._held.pop(table, None)
        entries = self._kept.pop(table, None)
        if self.folder is None or entries is None:
            return
        self._flushed.add(table)
        payload = json.dumps({"salt": self.salt, "entries": entries}, ensure_ascii=False, separators=(",", ":"))
        data = zlib.compress(payload.encode("utf-8", "surrogatepass"), 1)
        _quietly(write_bytes_atomic, self.folder / f"{table}.json.z", data, durable=False)


def _quietly(write: Callable[..., None], *args: Any, **kwargs: Any) -> None:
    """A memo write that cannot be made (a full disk, a read-only cache) costs the next
    build time, never this build."""
    with contextlib.suppress(OSError):
        write(*args, **kwargs)
