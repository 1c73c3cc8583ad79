"""Rebuild a corpus from the previous build: copy what did not change, update the store.

A build writes ``.vetkg-manifest.json`` beside its outputs: for every document
(by its cache key: bytes, file name and extractor) its path, its document's IRI and the
byte ranges of its entry in ``documents.json`` and its lines in ``extractions.jsonl``,
``graph.nt`` (and ``graph.ttl``); the ranges of the corpus part; the store's triple
count; and the size and modification time of each file. The next build, for a document
whose key is in the manifest, reads only the small head of its cache entry and copies
its bytes from the previous files (``copy_file_range``, in the kernel) instead of moving
its text through Python. The files come out byte for byte as a fresh build's.

The Oxigraph store is updated the same way: the triples of a document key (the files
that share a 文号 share its nodes) never meet another key's or the corpus part's, so a
rebuild replaces the lines of the keys whose files changed, came or went, and applies
the difference of the corpus part, instead of loading everything again. While it updates
the store in place a marker file says so: a build killed midway leaves the marker, and the
next build reloads the store from scratch.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyoxigraph as ox

from kg.core.atomic import write_text_atomic
from kg.resolution.similarity import sorted_unique

MANIFEST = ".vetkg-manifest.json"
STORE = "graph.oxigraph"
UPDATING = ".graph.oxigraph.updating"  # present while the store is changed in place
FILES = {"documents": "documents.json", "records": "extractions.jsonl", "nt": "graph.nt", "ttl": "graph.ttl"}
RELOAD_SHARE, RELOAD_MIN = 0.2, 50  # past this share (and count) of documents changed, a reload is faster


@dataclass
class Manifest:
    """What a build wrote, where: per-document byte ranges, by cache key."""

    fingerprint: str
    formats: list[str]
    documents: dict[str, dict] = field(default_factory=dict)  # cache key -> {"document": its IRI,
    # "records": [offset, length], "nt": ..., "ttl": ...}
    corpus: list[list[int]] = field(default_factory=list)  # ranges of the corpus part in graph.nt
    files: dict[str, list[int]] = field(default_factory=dict)  # output -> [size, mtime_ns]
    store: bool = False  # the store holds exactly this graph
    triples: int = 0  # ... and this many triples
    digest: str | None = None  # the graph's identity (kg.corpus.build.BuildResult.digest)

    def write(self, out: Path) -> None:

        for kind, name in FILES.items():
            if kind in self.formats or kind in ("documents", "records"):
                st = (out / name).stat()
                self.files[kind] = [st.st_size, st.st_mtime_ns]
        write_text_atomic(out / MANIFEST, json.dumps(self.__dict__, ensure_ascii=False))


class Previous:
    """The previous build in ``out``, when its manifest matches its files and the
    extractor: open handles on its outputs (they stay readable after being replaced)."""

    def __init__(self, out: Path, manifest: Manifest):
        self.out = out
        self.manifest = manifest
        self.fds = {kind: os.open(out / FILES[kind], os.O_RDONLY) for kind in manifest.files}

    @classmethod
    def open(cls, out: Path, fingerprint: str, formats: list[str]) -> Previous | None:
        manifest = read_manifest(out)
        if manifest is None or manifest.fingerprint != fingerprint or sorted(manifest.formats) != sorted(formats):
            return None
        try:
            return cls(out, manifest)
        except OSError:
            return None

    @property
    def store_ok(self) -> bool:
        return _store_whole(self.out, self.manifest)

    def read(self, kind: str, ranges) -> bytes:
        return b"".join(os.pread(self.fds[kind], n, off) for off, n in ranges)

    def close(self) -> None:
        for fd in self.fds.values():
            os.close(fd)
        self.fds = {}


def read_manifest(out: str | Path) -> Manifest | None:
    """The manifest of the build in ``out``, if the files it describes are still the
    ones it describes (same size and modification time)."""
    out = Path(out)
    try:
        manifest = Manifest(**json.loads((out / MANIFEST).read_text(encoding="utf-8")))
        for kind, (size, mtime) in manifest.files.items():
            st = (out / FILES[kind]).stat()
            if (st.st_size, st.st_mtime_ns) != (size, mtime):
                return None  # changed since: its ranges mean nothing
    except (OSError, ValueError, TypeError):
        return None
    return manifest


def sound_store(out: str | Path) -> Path | None:
    """A build's own store, when its manifest says it holds exactly the build's graph."""
    manifest = read_manifest(out)
    return Path(out) / STORE if manifest is not None and _store_whole(Path(out), manifest) else None


def _store_whole(out: Path, manifest: Manifest) -> bool:
    """The manifest's build loaded its store, and no update of it was left half-done."""
    return manifest.store and (out / STORE).is_dir() and not (out / UPDATING).exists()


def update_store(out: Path, previous: Previous, manifest: Manifest) -> int | None:
    """Bring the store of ``previous`` to ``manifest``'s graph in place; the number of
    triples it holds now, or None when so much changed that a reload is faster.

    A document's triples all touch a node of its own (its IRI, its measures, evidence and
    assertions are named after its key), so the triples of two document keys never meet,
    nor do they meet the corpus part. For each key whose files changed, came or went,
    the lines of its old files that neither its new nor its unchanged files hold are
    removed and the new files' lines added; then the difference of the corpus part is
    applied. Both are exact."""

    old, new = previous.manifest.documents, manifest.documents
    changed = {old[k]["document"] for k in old.keys() - new.keys()} | {
        new[k]["document"] for k in new.keys() - old.keys()
    }
    if len(changed) > max(RELOAD_MIN, RELOAD_SHARE * len(new)):
        return None
    gone: dict[str, list] = {}  # document -> ranges (previous graph.nt) of its files that went
    came: dict[str, list] = {}  # ... (new graph.nt) of its files that came
    kept: dict[str, list] = {}  # ... (new graph.nt) of its files that stayed as they were
    for k, entry in old.items():
        if k not in new and entry["document"] in changed:
            gone.setdefault(entry["document"], []).append(entry["nt"])
    for k, entry in new.items():
        if entry["document"] in changed:
            (kept if k in old else came).setdefault(entry["document"], []).append(entry["nt"])
    nt = os.open(out / FILES["nt"], os.O_RDONLY)
    marker = out / UPDATING
    marker.touch()
    triples = previous.manifest.triples
    try:
        store = ox.Store(str(out / STORE))
        for doc in sorted(changed):
            triples += _apply_difference(
                store,
                lambda doc=doc: _lines(previous.fds["nt"], gone.get(doc, ())),
                lambda doc=doc: _lines(nt, came.get(doc, ())),
                lambda doc=doc: _lines(nt, kept.get(doc, ())),
            )
        triples += _apply_difference(
            store, lambda: _lines(previous.fds["nt"], previous.manifest.corpus), lambda: _lines(nt, manifest.corpus)
        )
        store.flush()
        del store
    finally:
        os.close(nt)
    marker.unlink()
    return triples


def _lines(fd: int, ranges, chunk: int = 1 << 24):
    """The lines of byte ranges of an open file, read in chunks."""
    for off, n in ranges:
        rest = b""
        for pos in range(off, off + n, chunk):
            block = rest + os.pread(fd, min(chunk, off + n - pos), pos)
            *lines, rest = block.split(b"\n")
            yield from lines
        if rest:
            yield rest


def _hashes(lines):

    return sorted_unique(np.fromiter((hash(ln) for ln in lines if ln), np.int64))


def _without(a, b):
    """The (sorted, distinct) values of ``a`` not in ``b``."""

    if not len(a) or not len(b):
        return a
    b = np.sort(b)
    return a[b[np.minimum(np.searchsorted(b, a), len(b) - 1)] != a]


def _apply_difference(store, old, new, kept=None) -> int:
    """Remove from the store the lines of ``old()`` that neither ``new()`` nor ``kept()``
    hold, and add those of ``new()`` that neither ``old()`` nor ``kept()`` hold; the change
    in the store's number of triples. Lines are compared by 64-bit hash (a pass to hash,
    a pass to pick: never all lines in memory); a collision would keep one stale line, at
    odds of about n²/2⁶⁴."""

    old_h, new_h = _hashes(old()), _hashes(new())
    kept_h = _hashes(kept()) if kept is not None else np.zeros(0, np.int64)
    gone_h = set(_without(_without(old_h, new_h), kept_h).tolist())
    came_h = set(_without(_without(new_h, old_h), kept_h).tolist())
    del old_h, new_h, kept_h
    if gone_h:
        gone = b"\n".join(ln for ln in old() if ln and hash(ln) in gone_h)
        for t in ox.parse(gone, ox.RdfFormat.N_TRIPLES):
            store.remove(ox.Quad(t.subject, t.predicate, t.object))
    if came_h:
        store.load(b"\n".join(ln for ln in new() if ln and hash(ln) in came_h), ox.RdfFormat.N_TRIPLES)
    return len(came_h) - len(gone_h)
