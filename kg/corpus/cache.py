"""A per-document cache of build outcomes, keyed by the file's bytes and the extractor.

Rebuilding a corpus after one document changed redoes that one: every other document's
outcome (:class:`kg.corpus.build.DocumentOutcome`: its records, its part of the graph and the
sketches of its measures) is read back from ``<folder>/<key>.head`` (the small head:
summary, counts, entities, sketches) and ``<key>.texts`` (records, graph text, parsed
document), both zlib-compressed. Large builds store heads only and copy the texts from
their previous outputs (:mod:`kg.corpus.incremental`).

Entries are data, never code: JSON whose objects name one of a fixed list of record
classes (the outcome, the parsed document and its extraction, the document graph and
its parts), rebuilt field by field, and numpy arrays as dtype, shape and bytes. A cache
folder travels with a build folder that may be copied or shared, so an entry someone
planted there is at worst an unreadable entry: a miss, never code run (``pickle``
would run whatever the file says).

The key is the SHA-1 of the file's bytes and name (the document id is the file stem, and
the records carry it) together with the extractor's fingerprint — the package version
and a hash of every source and data file of ``kg`` — so a changed lexicon, extractor or
graph builder invalidates every entry. Entries are written atomically; an unreadable
entry is a miss, never an error.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import hashlib
import importlib.metadata
import json
import os
import zlib
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from kg.core.atomic import write_bytes_atomic
from kg.core.version import __version__
from kg.errors import DocumentError
from kg.reading import read_file_bytes

HEAD, TEXTS = ".head", ".texts"


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


@lru_cache(maxsize=1)
def memo_salt() -> str:
    """What the memo's results (:mod:`kg.core.memo`) depend on besides vetkg's code and
    data (:func:`fingerprint`): the libraries that compute and draw them (layouts,
    communities, centralities, PNG bytes) and the font the figures are drawn with."""
    h = hashlib.sha1(fingerprint().encode())
    for package in ("matplotlib", "networkx", "numpy", "scipy", "pillow"):
        try:
            version = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            version = ""
        h.update(f"{package}={version}\0".encode())
    fonts = Path(__file__).resolve().parent.parent / "data" / "fonts"
    for f in sorted(fonts.glob("*")) if fonts.is_dir() else ():
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


class OutcomeCache:
    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def key(self, path: Path) -> str | None:
        """The entry's key, or None if the file cannot be read (it is then processed,
        and reported, as usual). The name is taken as bytes: a name that is not UTF-8
        (an attachment unzipped from another system) has a key like any other."""
        try:  # a regular file only, size-capped: never wait on a pipe or read a device
            data = read_file_bytes(path)
        except (OSError, DocumentError):
            return None
        return hashlib.sha1(fingerprint().encode() + b"\0" + os.fsencode(path.stem) + b"\0" + data).hexdigest()

    def get(self, key: str, path: str, texts: bool = True):
        """The cached outcome for the file at ``path`` (which may have moved), or None.
        ``texts=False`` reads only its small head (no records, graph text, parsed document
        or extraction): what a rebuild needs for a document whose outputs it copies from
        the previous build."""
        try:
            outcome: Any = _load(self.folder / f"{key}{HEAD}")
            if not _holds(outcome, "DocumentOutcome") or not isinstance(outcome.summary, (dict, type(None))):
                return None
            if outcome.graph is not None and not _holds(outcome.graph, "DocumentGraph"):
                return None
            if texts:
                body = _load(self.folder / f"{key}{TEXTS}")
                records, parsed, extraction, ntriples, turtle = body
                if parsed is not None and not _holds(parsed, "ParsedDocument"):
                    return None
                if extraction is not None and not _holds(extraction, "Extraction"):
                    return None
                if extraction is not None:
                    extraction.parsed = parsed  # stored once, shared as it was
                outcome.records, outcome.parsed, outcome.extraction = records, parsed, extraction
                if outcome.graph is not None:
                    outcome.graph.ntriples, outcome.graph.turtle = ntriples, turtle
        except (OSError, zlib.error, ValueError, TypeError, KeyError, AttributeError, IndexError):
            return None  # unreadable, damaged, planted or from another layout: a miss
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
        """Store the outcome as a head (``<key>.head``) and, if ``texts``, its texts
        (``<key>.texts``). A large build caches heads only: its previous outputs hold the
        texts (:mod:`kg.corpus.incremental`), and writing them twice would double its cost."""

        head = copy.copy(outcome)
        head.records, head.parsed, head.extraction = "", None, None
        dg = outcome.graph
        extraction = outcome.extraction
        if extraction is not None:
            extraction = copy.copy(extraction)
            extraction.parsed = None  # the parsed document is stored once, beside it
        body = (
            outcome.records,
            outcome.parsed,
            extraction,
            dg.ntriples if dg is not None else "",
            dg.turtle if dg is not None else None,
        )
        if dg is not None:
            head.graph = copy.copy(dg)
            head.graph.ntriples, head.graph.turtle = "", None
        try:
            # the texts first: a head is only ever found with its texts beside it
            if texts:
                write_bytes_atomic(self.folder / f"{key}{TEXTS}", _dump(body), durable=False)
            write_bytes_atomic(self.folder / f"{key}{HEAD}", _dump(head), durable=False)
        except (OSError, TypeError, ValueError):
            pass  # a full or read-only cache folder (or a value it cannot hold) costs speed, not the build


# --- the data format: JSON, and only the record classes named here -----------------------


@lru_cache(maxsize=1)
def _classes() -> dict[str, type]:
    """The record classes an entry may hold, by name: nothing else is ever built."""
    from kg.core.model import Document, Extraction, Measure, Mention, Metadata, ParsedDocument, Problem, Relation
    from kg.core.span import Span
    from kg.corpus.build import DocumentOutcome  # (imports this module: looked up late)
    from kg.rdf.mapping import DocumentGraph
    from kg.resolution.entities import Entity
    from kg.resolution.similarity import Sketches

    classes = (
        Document,
        Extraction,
        Measure,
        Mention,
        Metadata,
        ParsedDocument,
        Problem,
        Relation,
        Span,
        DocumentOutcome,
        DocumentGraph,
        Entity,
        Sketches,
    )
    return {c.__name__: c for c in classes}


def _holds(value: Any, name: str) -> bool:
    """Whether ``value`` is an instance of the record class ``name`` (an entry's shape)."""
    return type(value) is _classes()[name]


_SKIPPED = {("Document", "_view")}  # rebuilt on demand: not worth storing


def _encode(value: Any) -> Any:
    """A JSON-able form of ``value``; tagged objects (``{"$…": …}``) for what JSON lacks."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$t": [_encode(v) for v in value]}
    if isinstance(value, Counter):
        return {"$c": [[_encode(k), n] for k, n in value.items()]}
    if isinstance(value, dict):
        if all(type(k) is str and not k.startswith("$") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"$d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, np.ndarray):
        data = np.ascontiguousarray(value)
        return {"$a": [data.dtype.str, list(data.shape), base64.b64encode(data.tobytes()).decode("ascii")]}
    if isinstance(value, np.generic):
        return value.item()
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and _classes().get(name) is type(value):
        if name == "Span":
            return {"$S": [getattr(value, "start"), getattr(value, "end")]}  # noqa: B009
        return {
            "$o": name,
            "f": {
                f.name: _encode(getattr(value, f.name))
                for f in dataclasses.fields(value)
                if (name, f.name) not in _SKIPPED
            },
        }
    raise TypeError(f"the cache does not store {type(value).__name__}")


def _decode(obj: dict) -> Any:
    """The inverse of :func:`_encode` for one JSON object (inner objects come first)."""
    if len(obj) > 2 or not obj or not next(iter(obj)).startswith("$"):
        return obj
    tag, value = next(iter(obj.items()))
    if tag == "$S":
        return _classes()["Span"](*value)
    if tag == "$t":
        return tuple(value)
    if tag == "$o":
        cls = _classes()[value]  # KeyError: not a record class, not built
        fields = obj["f"]
        made: Any = object.__new__(cls)
        for f in dataclasses.fields(cls):
            if f.name in fields:
                object.__setattr__(made, f.name, fields[f.name])
            elif f.default is not dataclasses.MISSING:
                object.__setattr__(made, f.name, f.default)
            elif f.default_factory is not dataclasses.MISSING:
                object.__setattr__(made, f.name, f.default_factory())
            else:
                raise ValueError(f"cache entry without {value}.{f.name}")
        return made
    if tag == "$c":
        return Counter({k: n for k, n in value})
    if tag == "$d":
        return {k: v for k, v in value}
    if tag == "$a":
        dtype, shape, data = value
        if np.dtype(dtype).hasobject:
            raise ValueError("object arrays are not data")
        return np.frombuffer(base64.b64decode(data), dtype=np.dtype(dtype)).reshape(shape).copy()
    return obj


def _dump(value: Any) -> bytes:
    text = json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)  # file names may hold lone surrogates


MAX_ENTRY = 1 << 30  # bytes an entry may expand to (a planted zlib bomb is a miss, not a full memory)


def _load(path: Path) -> Any:
    inflate = zlib.decompressobj()
    data = inflate.decompress(path.read_bytes(), MAX_ENTRY)
    if inflate.unconsumed_tail or not inflate.eof:
        raise ValueError(f"{path}: not a whole cache entry, or one over {MAX_ENTRY:,} bytes")
    return json.loads(data.decode("utf-8", "surrogatepass"), object_hook=_decode)
