"""A per-document cache of build outcomes, keyed by the file's bytes and the extractor.

Rebuilding a corpus after one document changed redoes that one: every other document's
outcome (:class:`kg.corpus.build.DocumentOutcome`: its records, its part of the graph and the
sketches of its measures) is read back from ``<folder>/<key>.pickle`` (the small head:
summary, counts, entities, sketches) and ``<key>.texts`` (records, graph text, parsed
document), both zlib-compressed. Large builds store heads only and copy the texts from
their previous outputs (:mod:`kg.corpus.incremental`).
The key is the SHA-1 of the file's bytes and name (the document id is the file stem, and
the records carry it) together with the extractor's fingerprint — the package version
and a hash of every source and data file of ``kg`` — so a changed lexicon, extractor or
graph builder invalidates every entry. Entries are written atomically; an unreadable
entry is a miss, never an error.
"""

from __future__ import annotations

import copy
import hashlib
import pickle
import zlib
from functools import lru_cache
from pathlib import Path

from kg.core.atomic import write_bytes_atomic
from kg.core.version import __version__


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Hash of the extractor: version plus every .py and data file under ``kg/``."""
    root = Path(__file__).resolve().parent.parent  # the kg package
    h = hashlib.sha1(__version__.encode())
    for f in sorted(root.rglob("*")):
        if f.is_file() and f.suffix in (".py", ".yaml", ".tsv", ".txt", ".ttl", ".rq") and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


class OutcomeCache:
    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def key(self, path: Path) -> str | None:
        """The entry's key, or None if the file cannot be read (it is then processed,
        and reported, as usual)."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return hashlib.sha1(fingerprint().encode() + b"\0" + path.stem.encode() + b"\0" + data).hexdigest()

    def get(self, key: str, path: str, texts: bool = True):
        """The cached outcome for the file at ``path`` (which may have moved), or None.
        ``texts=False`` reads only its small head (no records, graph text, parsed document
        or extraction): what a rebuild needs for a document whose outputs it copies from
        the previous build."""
        try:
            outcome = pickle.loads(zlib.decompress((self.folder / f"{key}.pickle").read_bytes()))
            if texts:
                body = pickle.loads(zlib.decompress((self.folder / f"{key}.texts").read_bytes()))
                outcome.records, outcome.parsed, outcome.extraction = body[:3]
                if outcome.graph is not None:
                    outcome.graph.ntriples, outcome.graph.turtle = body[3:]
        except (
            OSError,
            zlib.error,
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            TypeError,
            ValueError,
        ):
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

    def put(self, key: str, outcome, texts: bool = True) -> None:
        """Store the outcome as a head (``<key>.pickle``) and, if ``texts``, its texts
        (``<key>.texts``). A large build caches heads only: its previous outputs hold the
        texts (:mod:`kg.corpus.incremental`), and writing them twice would double its cost."""

        head = copy.copy(outcome)
        head.records, head.parsed, head.extraction = "", None, None
        dg = outcome.graph
        body = (
            outcome.records,
            outcome.parsed,
            outcome.extraction,
            dg.ntriples if dg is not None else "",
            dg.turtle if dg is not None else None,
        )
        if dg is not None:
            head.graph = copy.copy(dg)
            head.graph.ntriples, head.graph.turtle = "", None
        doc = outcome.parsed.document if outcome.parsed is not None else None
        view = doc._view if doc is not None else None
        if doc is not None:
            doc._view = None  # rebuilt on demand: keep entries small
        try:
            # the texts first: a head is only ever found with its texts beside it
            if texts:
                write_bytes_atomic(
                    self.folder / f"{key}.texts",
                    zlib.compress(pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL), 1),
                    durable=False,
                )
            write_bytes_atomic(
                self.folder / f"{key}.pickle",
                zlib.compress(pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL), 1),
                durable=False,
            )
        except OSError:
            pass  # a full or read-only cache folder costs speed, not the build
        finally:
            if doc is not None:
                doc._view = view
