"""A per-document cache of build outcomes, keyed by the file's bytes and the extractor.

Rebuilding a corpus after one document changed redoes that one: every other document's
outcome (:class:`kg.build.DocumentOutcome`: its records, its part of the graph and the
sketches of its measures) is read back from ``<folder>/<key>.pickle`` (zlib-compressed).
The key is the SHA-1 of the file's bytes and name (the document id is the file stem, and
the records carry it) together with the extractor's fingerprint — the package version
and a hash of every source and data file of ``kg`` — so a changed lexicon, extractor or
graph builder invalidates every entry. Entries are written atomically; an unreadable
entry is a miss, never an error.
"""
from __future__ import annotations

import hashlib
import pickle
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Optional

from kg.atomic import write_bytes_atomic


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Hash of the extractor: version plus every .py and data file under ``kg/``."""
    import kg

    root = Path(kg.__file__).resolve().parent
    h = hashlib.sha1(kg.__version__.encode())
    for f in sorted(root.rglob("*")):
        if f.is_file() and f.suffix in (".py", ".yaml", ".tsv", ".txt", ".ttl", ".rq") \
                and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


class OutcomeCache:
    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def key(self, path: Path) -> Optional[str]:
        """The entry's key, or None if the file cannot be read (it is then processed,
        and reported, as usual)."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return hashlib.sha1(fingerprint().encode() + b"\0" + path.stem.encode() + b"\0" + data).hexdigest()

    def get(self, key: str, path: str):
        """The cached outcome for the file at ``path`` (which may have moved), or None."""
        entry = self.folder / f"{key}.pickle"
        try:
            outcome = pickle.loads(zlib.decompress(entry.read_bytes()))
        except (OSError, zlib.error, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                TypeError, ValueError):
            return None
        old = outcome.path
        outcome.path = str(path)
        if outcome.parsed is not None:
            outcome.parsed.document.path = str(path)
        if outcome.summary is not None:
            outcome.summary["path"] = str(path)
            for w in outcome.summary["warnings"]:
                if w["path"] == old:
                    w["path"] = str(path)
        return outcome

    def put(self, key: str, outcome) -> None:
        doc = outcome.parsed.document if outcome.parsed is not None else None
        view = doc._view if doc is not None else None
        if doc is not None:
            doc._view = None  # rebuilt on demand: keep entries small
        try:
            data = zlib.compress(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL), 1)
            write_bytes_atomic(self.folder / f"{key}.pickle", data)
        except OSError:
            pass  # a full or read-only cache folder costs speed, not the build
        finally:
            if doc is not None:
                doc._view = view
