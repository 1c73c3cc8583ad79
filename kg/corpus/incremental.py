"""Rebuild a corpus from the previous build: copy what did not change, update the store;
and the layout that makes the outputs of a build one set.

**One set.** A build writes every output — ``documents.json``, ``extractions.jsonl``,
``graph.nt`` (``.ttl``, ``.jsonld``), the store ``graph.oxigraph/``, the views, the
manifest — into a new generation folder ``DIR/.gen/<n>/``, then switches the symbolic
link ``DIR/.current`` to it in one ``rename`` (:class:`Generation`). The names a reader
opens (``DIR/graph.nt`` …) are links through ``.current`` that never change, so a
reader sees the previous build's set or the new one, whole, whenever the build is
killed; :func:`current_folder` gives the set's own folder, for readers that open several
files and must not straddle a switch. A folder copied without its links (``cp -L``,
``shutil.copytree``) or written by an older vetkg reads as before, from its top level.

**Incremental.** A build writes ``.vetkg-manifest.json`` beside its outputs: for every
document (by its cache key: bytes, file name and extractor) its path, its document's IRI
and the byte ranges of its entry in ``documents.json`` and its lines in
``extractions.jsonl``, ``graph.nt`` (and ``graph.ttl``); the ranges of the corpus part;
the store's triple count; and the size and modification time of each file. The next
build, for a document whose key is in the manifest, reads only the small head of its
cache entry and copies its bytes from the previous files (``copy_file_range``, in the
kernel) instead of moving its text through Python. The files come out byte for byte as
a fresh build's.

The Oxigraph store is updated the same way, in a copy: the previous store is cloned into
the new generation with hard links (RocksDB never changes a table file once written, so
the previous set's store stays as it was) and the copy updated. The triples of a
document key (the files that share a 文号 share its nodes) never meet another key's or
the corpus part's, so a rebuild replaces the lines of the keys whose files changed,
came or went, and applies the difference of the corpus part, instead of loading
everything again. While it updates the store a marker file says so: a store left with
the marker is reloaded from scratch.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyoxigraph as ox

from kg.core.atomic import fsync_folder, symlink_atomic, write_text_atomic
from kg.resolution.similarity import sorted_unique

MANIFEST = ".vetkg-manifest.json"
STORE = "graph.oxigraph"
UPDATING = ".graph.oxigraph.updating"  # present while the store is changed in place
FILES = {"documents": "documents.json", "records": "extractions.jsonl", "nt": "graph.nt", "ttl": "graph.ttl"}
RELOAD_SHARE, RELOAD_MIN = 0.2, 50  # past this share (and count) of documents changed, a reload is faster
GENERATIONS = ".gen"  # DIR/.gen/<n>/: the sets of outputs
CURRENT = ".current"  # DIR/.current -> .gen/<n>: the set readers see
# What a build wrote at the top of DIR before the outputs were a set (removed when a
# build first writes a generation there), besides the names of the set themselves.
_LEGACY = (
    *FILES.values(),
    "graph.jsonld",
    STORE,
    "graph.html",
    "report.html",
    "report.md",
    "tables",
    "figures",
    MANIFEST,
    ".vetkg-views.json",
    UPDATING,
)


def current_folder(out: str | Path) -> Path:
    """The folder holding the set of outputs a reader of ``out`` sees now: the generation
    ``DIR/.current`` links to, resolved once (so several reads cannot straddle a switch),
    or ``out`` itself when it has no such link (a copy, or a build by an older vetkg)."""
    out = Path(out)
    link = out / CURRENT
    try:
        folder = Path(os.path.normpath(out / os.readlink(link)))
    except OSError:  # no link (or not a link): the folder's own top level
        return out
    return folder if folder.is_dir() else out


class Generation:
    """The new set of outputs of a build in ``out``: a folder ``.gen/<n>/`` written in
    full, then made current in one step (:meth:`commit`) or removed (:meth:`discard`).
    Hold the folder's lock while one exists (two builds would remove each other's)."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        root = self.out / GENERATIONS
        root.mkdir(parents=True, exist_ok=True)
        self.previous = current_folder(self.out)
        for stale in root.iterdir():  # left by builds that were killed or failed
            if stale.resolve() != self.previous.resolve():
                _remove(stale)
        for stale in self.out.glob(".*.tmp"):  # ... or by an older vetkg, or a switch cut short
            _remove(stale)
        for stale in self.out.glob(f".{STORE}.*"):
            if stale.name != UPDATING:
                _remove(stale)
        numbers = [int(p.name) for p in root.iterdir() if p.name.isdigit()]
        self.name = str(max(numbers, default=0) + 1)
        self.folder = root / self.name
        self.folder.mkdir()

    def commit(self) -> None:
        """Make this set the one readers see: one ``rename`` of the ``.current`` link.
        Its names at the top of ``out`` are links through ``.current`` (made before the
        switch, so they show the previous set until it); the previous set is removed
        after."""
        fsync_folder(self.folder)
        names = sorted(p.name for p in self.folder.iterdir())
        legacy = not (self.out / CURRENT).is_symlink()
        if not legacy:
            self._link(names)
        symlink_atomic(f"{GENERATIONS}/{self.name}", self.out / CURRENT)
        # Switched: the new set is the one readers see. What follows tidies up, and what
        # it cannot do (a full disk) the next build does.
        with contextlib.suppress(OSError):
            fsync_folder(self.out)
            if legacy:  # the first set in a folder written by an older vetkg: its files give way
                self._link(names)
                for name in _LEGACY:
                    if name not in names and (self.out / name).exists() and not (self.out / name).is_symlink():
                        _remove(self.out / name)
            _remove(self.out / UPDATING)  # an older vetkg's marker: its store is not read any more
            for entry in self.out.iterdir():  # links to names the new set does not have
                if entry.is_symlink() and os.readlink(entry).startswith(f"{CURRENT}/") and not entry.exists():
                    entry.unlink()
            for old in (self.out / GENERATIONS).iterdir():
                if old != self.folder:
                    _remove(old)

    def _link(self, names: list[str]) -> None:
        """``out/<name> -> .current/<name>`` for each name (a file or folder in its place,
        from an older vetkg or written there by hand, is replaced)."""
        for name in names:
            link, target = self.out / name, f"{CURRENT}/{name}"
            if link.is_symlink() and os.readlink(link) == target:
                continue
            if link.is_dir() and not link.is_symlink():
                aside = self.out / f".{name}.{self.name}.old.tmp"
                link.rename(aside)
                symlink_atomic(target, link)
                _remove(aside)
            else:
                symlink_atomic(target, link)

    def discard(self) -> None:
        _remove(self.folder)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def clone_store(source: Path, target: Path) -> None:
    """A copy of the closed Oxigraph (RocksDB) store ``source`` at ``target`` that can be
    changed without touching ``source``: its table files (``*.sst``, ``*.blob``, never
    modified once written) hard-linked, the rest (the manifest and log RocksDB appends
    to) copied. RocksDB's own checkpoints are made the same way."""
    target.mkdir()
    for f in source.iterdir():
        if f.name == "LOCK" or f.name.startswith("LOG"):
            continue
        if f.suffix in (".sst", ".blob"):
            try:
                os.link(f, target / f.name)
                continue
            except OSError:  # another file system, or no hard links: copy it
                pass
        shutil.copy2(f, target / f.name)


@dataclass
class Manifest:
    """What a build wrote, where: per-document byte ranges, by cache key."""

    fingerprint: str
    formats: list[str]
    documents: dict[str, dict] = field(default_factory=dict)  # cache key -> {"document": its IRI,
    # "records": [offset, length], "nt": ..., "ttl": ...}
    corpus: list[list[int]] = field(default_factory=list)  # ranges of the corpus part in graph.nt
    links: list[list[int]] = field(default_factory=list)  # ... of its entities and resolved links
    complete: bool = False  # every document built has its entry (not so without the cache)
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
    extractor: the folder of its set and open handles on its outputs (they stay readable
    after the set is replaced)."""

    def __init__(self, folder: Path, manifest: Manifest):
        self.out = folder
        self.manifest = manifest
        self.fds: dict[str, int] = {}
        try:
            for kind in manifest.files:
                self.fds[kind] = os.open(folder / FILES[kind], os.O_RDONLY)
        except OSError:
            self.close()
            raise

    @classmethod
    def open(cls, out: Path, fingerprint: str, formats: list[str]) -> Previous | None:
        folder = current_folder(out)
        manifest = read_manifest(folder, resolve=False)
        if manifest is None or manifest.fingerprint != fingerprint or sorted(manifest.formats) != sorted(formats):
            return None
        try:
            return cls(folder, manifest)
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


def read_manifest(out: str | Path, resolve: bool = True) -> Manifest | None:
    """The manifest of the build in ``out`` (of its current set, unless ``resolve`` is
    False: ``out`` is the set's folder), if the files it describes are still the ones it
    describes (same size and modification time)."""
    out = current_folder(out) if resolve else Path(out)
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
    """A build's own store, when its manifest says it holds exactly the build's graph:
    ``DIR/graph.oxigraph``, the store of the set the folder shows now (or that set's own
    folder, ``DIR/.gen/<n>/graph.oxigraph``, if a build switched the folder meanwhile)."""
    folder = current_folder(out)
    manifest = read_manifest(folder, resolve=False)
    if manifest is None or not _store_whole(folder, manifest):
        return None
    shown = Path(out) / STORE
    return shown if shown.resolve() == (folder / STORE).resolve() else folder / STORE


def _store_whole(out: Path, manifest: Manifest) -> bool:
    """The manifest's build loaded its store, and no update of it was left half-done."""
    return manifest.store and (out / STORE).is_dir() and not (out / UPDATING).exists()


def update_store(out: Path, previous: Previous, manifest: Manifest) -> int | None:
    """Bring a clone of the store of ``previous`` to ``manifest``'s graph, at
    ``out/graph.oxigraph`` (``out`` holds the new ``graph.nt``; when it is the previous
    build's own folder, the store is changed in place); the number of triples it holds
    now, or None when so much changed that a reload is faster.

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
    if out.resolve() != previous.out.resolve():
        clone_store(previous.out / STORE, out / STORE)
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


def distinct_lines(path: Path) -> int:
    """The number of distinct non-empty lines of a file (of ``graph.nt``: its triples,
    which repeat where documents share nodes), by 64-bit hash, never all in memory."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return len(_hashes(_lines(fd, [(0, os.fstat(fd).st_size)])))
    finally:
        os.close(fd)


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
    """The sorted distinct 64-bit hashes of the non-empty lines (builtins mapped over
    the lines: no Python frame per line)."""
    return sorted_unique(np.fromiter(map(hash, filter(None, lines)), np.int64))


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
