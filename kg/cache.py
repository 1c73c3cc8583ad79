"""A per-document cache of extractions, keyed by the file's bytes and the extractor.

Rebuilding a corpus after one document changed re-extracts that one: every other
document's :class:`kg.model.Extraction` is read back from ``<folder>/<key>.pickle``. The
key is the SHA-1 of the file's bytes and name (the document id is the file stem, and the
records carry it) together with the extractor's fingerprint — the package version and a
hash of every source and data file of ``kg`` — so a changed lexicon or extractor
invalidates every entry. Entries are written atomically; an unreadable entry
is a miss, never an error.
"""
from __future__ import annotations

import hashlib
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Optional

from kg.atomic import write_bytes_atomic
from kg.model import Extraction


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


class ExtractionCache:
    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0

    def key(self, path: Path, data: bytes) -> str:
        return hashlib.sha1(fingerprint().encode() + b"\0" + path.stem.encode() + b"\0" + data).hexdigest()

    def get(self, key: str, path: Path) -> Optional[Extraction]:
        entry = self.folder / f"{key}.pickle"
        try:
            ex = pickle.loads(entry.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            self.misses += 1
            return None
        ex.parsed.document.path = str(path)  # the same file may have moved to another folder
        self.hits += 1
        return ex

    def put(self, key: str, ex: Extraction) -> None:
        doc = ex.parsed.document
        view, doc._view = doc._view, None  # the view is rebuilt on demand: keep entries small
        try:
            write_bytes_atomic(self.folder / f"{key}.pickle", pickle.dumps(ex, protocol=pickle.HIGHEST_PROTOCOL))
        finally:
            doc._view = view
