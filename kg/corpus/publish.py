"""What every build publishes about its graph, beside it: the check of the graph's
invariants and its dataset description.

**Invariants.** The README's promises about every graph (a direct triple and its qualified
assertion come together, a lead role goes with ``vet:leads``, a quote is the text at its
offsets and the evidence is its own Web Annotation selector, one policy is one node …)
are checked as SPARQL on the build's store (:mod:`kg.store.invariants`) at the end of
every build. Each invariant that does not hold is a note of the build (a warning line
naming it, its count and a few offending IRIs) and is kept in ``result.violations``;
``vetkg build --strict`` turns them into an error, the outputs written all the same.

**Description.** ``void.ttl``: VoID and DCAT (triple, entity and class counts, licence, the
source files with their checksums, the vetkg and ontology versions) and the build as a
``prov:Activity`` (:func:`kg.corpus.describe.describe`). It holds no clock time, so the
same inputs give the same bytes, like every other output of a build; when this build ran
goes in ``build-activity.ttl``, the activity's ``prov:startedAtTime`` and
``prov:endedAtTime``: the one output that differs between two builds of the same inputs.

Both are written into the build's generation folder with the other outputs, and both are
functions of the graph: when a rebuild's graph is the previous one (the same digest, the
same vetkg), the previous description and check are taken over instead of redone.

**A rebuild checks what changed.** Half the invariants are decided by a document's own
triples (an evidence's offsets and quote, an assertion's evidence, a measure's document;
:data:`kg.store.invariants.PER_DOCUMENT`), and a document's triples never meet another
document's (:mod:`kg.corpus.incremental`). When the previous build of the same vetkg held
them all, a rebuild checks those on the changed documents' lines of ``graph.nt`` alone, in
a small in-memory store, and the rest on the whole store: the same verdict as a full check
(a test compares them), in a fraction of its time (at 200 generated documents 1.7 of the
check's 2.4 s are the per-document invariants).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import rdflib
from rdflib.namespace import PROV, XSD

from kg.core.atomic import write_text_atomic
from kg.core.model import Problem
from kg.core.version import __version__
from kg.corpus.describe import dataset_iris, describe
from kg.corpus.incremental import FILES, read_manifest
from kg.store.invariants import (
    ACROSS_DOCUMENTS,
    DEFINITION,
    INVARIANTS,
    LINK_LINE_RE,
    PER_DOCUMENT,
    Violation,
    check,
    links_hold,
)
from kg.store.oxigraph import OxigraphStore

if TYPE_CHECKING:
    from kg.corpus.build import BuildResult

VOID_FILE = "void.ttl"  # the served description (`vetkg serve` answers it at /.well-known/void)
ACTIVITY_FILE = "build-activity.ttl"  # when the build ran: not part of the byte-identical set
STAMP = ".vetkg-published.json"  # the graph digest the description and the check were made for
EXAMPLES = 3  # offending IRIs named per invariant
NOTE = "invariant "  # how a violation's note begins


def now() -> float:
    """The build's start (the factory of ``BuildResult.started``)."""
    return time.time()


def publish(result: BuildResult, folder: Path, previous: Path | None = None) -> None:
    """Check the invariants of the graph in ``result.store`` and write ``void.ttl`` (and
    ``build-activity.ttl``) into ``folder``, the build's generation; ``previous``, the
    folder of the set it replaces. Nothing when the build made no store."""
    if result.store is None or not result.triples:
        return
    began = time.monotonic()
    reused = _previous_check(result, folder, previous)
    if reused is None:
        store = OxigraphStore.open(result.store)
        violations = _check(result, store, folder, previous)
        description = describe(store, digest=result.digest, triples=result.triples)
        write_text_atomic(folder / VOID_FILE, description)
        del store  # closes the read-only handle before the views open theirs
    else:
        violations = reused
    result.violations = violations
    result.validation_seconds = time.monotonic() - began
    nt = str(folder / "graph.nt")
    for v in violations:
        shown = ", ".join(focus for focus, _ in v.examples)
        more = f" and {v.count - len(v.examples)} more" if v.count > len(v.examples) else ""
        result.notes.append(
            Problem(nt, f"{NOTE}{v.invariant} does not hold {v.count} time(s): {v.statement}; e.g. {shown}{more}")
        )
    _write_activity(result, folder)
    result.outputs.append(folder / VOID_FILE)
    if result.digest:
        stamp = {
            "digest": result.digest,
            "vetkg": __version__,
            "invariants": DEFINITION,
            "violations": [_json(v) for v in violations],
        }
        write_text_atomic(folder / STAMP, json.dumps(stamp, ensure_ascii=False))


def summary(result: BuildResult) -> str | None:
    """The build summary's line about the invariants (None when none were checked)."""
    if result.validation_seconds is None:
        return None
    took = f"checked in {result.validation_seconds:.1f} s"
    if result.checked_documents is not None:
        took += f"; per document on the {result.checked_documents} changed"
    if not result.violations:
        return f"invariants: all {len(INVARIANTS)} hold ({took})"
    broken = ", ".join(f"{v.invariant} ({v.count})" for v in result.violations)
    return f"invariants: {len(result.violations)} of {len(INVARIANTS)} do not hold: {broken} ({took})"


def take_violation_notes(result: BuildResult) -> list[Problem]:
    """Remove the invariants' notes from ``result.notes`` and return them (``--strict``
    reports them as errors instead of warnings)."""
    taken = [n for n in result.notes if n.message.startswith(NOTE)]
    result.notes = [n for n in result.notes if not n.message.startswith(NOTE)]
    return taken


def _check(result: BuildResult, store: OxigraphStore, folder: Path, previous: Path | None) -> list[Violation]:
    """The invariants of the build's graph: when :func:`_changed` has the changed
    documents, the per-document ones on their lines alone and on the links of the corpus
    part, the rest on the whole store; a graph that breaks one is checked whole, so that
    its violations are counted as a full check counts them."""
    changed = _changed(folder, previous)
    if changed is not None:
        count, lines, links = changed
        found = check(store, EXAMPLES, ACROSS_DOCUMENTS)
        if lines:
            found += check(OxigraphStore.from_ntriples(lines), EXAMPLES, PER_DOCUMENT)
        if not found and links_hold(store.store, links):
            result.checked_documents = count
            return []
    return check(store, limit=EXAMPLES)


def _changed(folder: Path, previous: Path | None) -> tuple[int, bytes, bytes] | None:
    """The number of documents changed in ``folder``'s build (a document IRI one of whose
    files came or went: files sharing a 文号 share its nodes), the lines of their files in
    its ``graph.nt``, and the link lines of the corpus part of both builds
    (:func:`kg.store.invariants.links_hold`), when the per-document invariants need
    checking on those alone: both builds listed every document they built (a build
    without the cache lists none), the set in ``previous`` was built by the same
    extractor, checked by the same invariants and held them all, and at most a third of
    the documents changed (past that, one pass over the store is cheaper). None otherwise."""
    if previous is None or previous == folder:
        return None
    new, old = read_manifest(folder, resolve=False), read_manifest(previous, resolve=False)
    if new is None or old is None or new.fingerprint != old.fingerprint or "nt" not in new.formats:
        return None
    if not (new.complete and old.complete and new.links and old.links):
        return None  # a document built without a key, or a vetkg that did not say where the links are
    try:
        stamp = json.loads((previous / STAMP).read_text(encoding="utf-8"))
        if stamp["violations"] != [] or stamp.get("invariants") != DEFINITION or stamp.get("digest") != old.digest:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    changed = {old.documents[k]["document"] for k in old.documents.keys() - new.documents.keys()}
    changed |= {new.documents[k]["document"] for k in new.documents.keys() - old.documents.keys()}
    files = [entry for _, entry in sorted(new.documents.items()) if entry["document"] in changed]
    documents = {entry["document"] for entry in new.documents.values()}
    if 3 * len(changed) > len(documents) or any(not entry.get("nt") for entry in files):
        return None
    with _opened(folder / FILES["nt"]) as fd, _opened(previous / FILES["nt"]) as before:
        lines = b"".join(os.pread(fd, n, offset) for offset, n in (entry["nt"] for entry in files))
        links = b"\n".join([*_matching(fd, new.links, LINK_LINE_RE), *_matching(before, old.links, LINK_LINE_RE)])
    return len(changed), lines, links


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[int]:
    fd = os.open(path, os.O_RDONLY)
    try:
        yield fd
    finally:
        os.close(fd)


def _matching(fd: int, ranges: list[list[int]], pattern: re.Pattern[bytes], chunk: int = 1 << 24) -> Iterator[bytes]:
    """The lines of byte ranges of an open file that ``pattern`` matches, read in chunks."""
    for offset, n in ranges:
        rest = b""
        for pos in range(offset, offset + n, chunk):
            block = rest + os.pread(fd, min(chunk, offset + n - pos), pos)
            cut = block.rfind(b"\n") + 1
            block, rest = block[:cut], block[cut:]
            yield from pattern.findall(block)
        yield from pattern.findall(rest + b"\n")


def _previous_check(result: BuildResult, folder: Path, previous: Path | None) -> list[Violation] | None:
    """The previous set's check, with its ``void.ttl`` linked into ``folder``, when it was
    made for the same graph by the same vetkg; None otherwise."""
    if previous is None or previous == folder or not result.digest:
        return None
    try:
        stamp = json.loads((previous / STAMP).read_text(encoding="utf-8"))
        if (stamp.get("digest"), stamp.get("vetkg"), stamp.get("invariants")) != (
            result.digest,
            __version__,
            DEFINITION,
        ):
            return None
        violations = [
            Violation(v["invariant"], v["statement"], int(v["count"]), [(str(f), str(d)) for f, d in v["examples"]])
            for v in stamp["violations"]
        ]
        try:
            os.link(previous / VOID_FILE, folder / VOID_FILE)
        except OSError:
            write_text_atomic(folder / VOID_FILE, (previous / VOID_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return violations


def _json(v: Violation) -> dict:
    return {"invariant": v.invariant, "statement": v.statement, "count": v.count, "examples": v.examples}


def _write_activity(result: BuildResult, folder: Path) -> None:
    """``build-activity.ttl``: this run of the build, a ``prov:Activity`` of its own with
    its times and the dataset it generated (two runs of the same inputs make the same
    dataset, described by the same ``void.ttl``, at two times)."""
    if result.digest is None:  # every build with a graph has one
        return
    dataset, build = dataset_iris(result.digest)

    def stamp(seconds: float) -> datetime.datetime:
        return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc).replace(microsecond=0)

    started, ended = stamp(result.started), stamp(time.time())
    run = rdflib.URIRef(f"{build}/run/{started.strftime('%Y%m%dT%H%M%SZ')}")
    g = rdflib.Graph()
    g.bind("prov", PROV)
    g.add((run, rdflib.RDF.type, PROV.Activity))
    g.add((run, PROV.startedAtTime, rdflib.Literal(started.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)))
    g.add((run, PROV.endedAtTime, rdflib.Literal(ended.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)))
    g.add((run, PROV.generated, rdflib.URIRef(dataset)))
    write_text_atomic(folder / ACTIVITY_FILE, g.serialize(format="turtle"))
