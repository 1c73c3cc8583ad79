"""What every extractor needs about one parsed document, computed once.

Extractors match on the normalised view (``text``); :meth:`DocContext.mention` and
:meth:`DocContext.relation` convert view offsets into original-text spans, attach the
sentence and the measure, so provenance is uniform across extractors.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING

from kg.core.model import (
    EntityKind,
    Measure,
    Mention,
    MentionAttrs,
    ParsedDocument,
    Predicate,
    Problem,
    Relation,
    RelationAttrs,
)
from kg.core.numerals import parse_int
from kg.core.regions import Region, resolve
from kg.core.span import Span

if TYPE_CHECKING:  # typing.Unpack is Python 3.11+; only the type checker reads it
    from typing_extensions import Unpack

# A sentence ends after a mark, a line break or a run of spaces (a table's columns).
_SENTENCE_MARK_RE = re.compile(r"[。！？!?；;\n]")
_SPACES_RE = re.compile(r"  +")
_TITLE_RE = re.compile(r"《[^《》\n]*(?:《[^《》\n]*》[^《》\n]*)*》")
# The number that opens a unit's lead at a line start (or after a run of spaces): 第三十三条, (三), 二、 (NFKC view).
_UNIT_NUMBER_RE = re.compile(
    r"(?:^|(?<=  )|(?<=\t))[ \t\u3000]*(?:第(?P<article>[一二三四五六七八九十百零〇\d]{1,5})条"
    r"|\((?P<section>[一二三四五六七八九十]{1,3}|\d{1,2})\)|(?P<part>[一二三四五六七八九十]{1,3})、)",
    re.M,
)


# Ranks of a bare level written before a name and of a document's own level (metadata).
_LEVEL_RANK = {"省": 3, "市": 2, "州": 2, "区": 1, "县": 1, "旗": 1, "镇": 0, "乡": 0}
_DOC_RANK = {"province": 3, "municipality": 2, "city": 2, "district": 1, "county": 1}


class DocContext:
    def __init__(self, parsed: ParsedDocument):
        self.parsed = parsed
        self.doc = parsed.document
        self.view = self.doc.view
        self.text = self.view.text
        body = parsed.metadata.body
        self.body_start, self.body_end = self.view.to_view(body) if body else (0, len(self.text))
        # Measures in view coordinates, ordered, for offset → measure lookups.
        spans = sorted(((self.view.to_view(m.span), m) for m in parsed.measures), key=lambda t: t[0])
        self._m_starts = [a for (a, _), _ in spans]
        self._m_spans = [(a, b, m) for (a, b), m in spans]
        self._sentence_spans: dict[tuple[int, int], Span] = {}  # sentence range -> its span
        self._spans_around: dict[tuple[int, int], Span] = {}  # record range -> its sentence's span

    # --- locations ----------------------------------------------------------------------

    def measure_at(self, pos: int) -> Measure | None:
        i = bisect.bisect_right(self._m_starts, pos) - 1
        if i >= 0:
            a, b, m = self._m_spans[i]
            if a <= pos < b:
                return m
        return None

    def measures(self) -> Iterator[tuple[int, int, Measure]]:
        """Measures with their view ranges, in reading order."""
        yield from self._m_spans

    @cached_property
    def outside(self) -> list[tuple[int, int, str | None]]:
        """Body text that no measure holds, in reading order, with the key of the unit whose
        lead it is, else ``None`` (a preamble, a chapter title).

        A unit whose items are the measures is not itself a measure (GUIDELINES §2, §10),
        yet its lead states norms too: ``第三十三条 有下列情形之一的，…并处二千元以上二万元
        以下的罚款：（一）…``. The lead runs from the unit's own number to its first item and
        takes the unit's own key, as the unit would have as a measure: ``M.N`` for article
        N of chapter M (its items ``M.N.I``), ``N.0`` for an article without chapters (its
        items ``N.S``), ``P.S`` for a section with items, ``P.0`` for a part with sections."""
        out: list[tuple[int, int, str | None]] = []
        prev_end, prev_parent = self.body_start, None
        for a, b, m in self._m_spans:
            parent = _parent(m)
            if a > prev_end and not self.text[prev_end:a].isspace():  # not the blank between two units
                lead = None
                if parent is not None and parent[0] != prev_parent:
                    # the last unit number before the first item opens the lead
                    lead = next(reversed(list(_UNIT_NUMBER_RE.finditer(self.text, prev_end, a))), None)
                number = next((g for g in lead.groups() if g), None) if lead else None
                if lead and parent is not None and number and parse_int(number) == parent[1]:
                    if lead.start() > prev_end:
                        out.append((prev_end, lead.start(), None))
                    out.append((lead.start(), a, parent[0]))
                else:
                    out.append((prev_end, a, None))
            prev_parent = parent[0] if parent is not None else None
            prev_end = max(prev_end, b)
        if self._m_spans and prev_end < self.body_end:
            out.append((prev_end, self.body_end, None))
        return out

    @cached_property
    def title_ranges(self) -> list[tuple[int, int]]:
        """View ranges of 《…》 titles (names inside them are not actors)."""
        return [(m.start(), m.end()) for m in _TITLE_RE.finditer(self.text)]

    def in_title(self, a: int, b: int) -> bool:
        for ta, tb in self.title_ranges:
            if ta <= a and b <= tb:
                return True
            if ta > b:
                break
        return False

    @cached_property
    def _sentence_breaks(self) -> list[int]:
        # Ends of sentence marks and of runs of spaces, found apart (one pattern of both is
        # tried at every character; each alone is searched for its first character).
        marks = [m.end() for m in _SENTENCE_MARK_RE.finditer(self.text)]
        return sorted(marks + [m.end() for m in _SPACES_RE.finditer(self.text)])

    def sentence(self, a: int, b: int) -> tuple[int, int]:
        """View range of the sentence(s) around ``[a, b)``."""
        breaks = self._sentence_breaks
        i = bisect.bisect_right(breaks, a) - 1
        start = breaks[i] if i >= 0 else 0
        j = bisect.bisect_left(breaks, b)
        end = breaks[j] if j < len(breaks) else len(self.text)
        while start < a and self.text[start].isspace():
            start += 1
        while end > b and self.text[end - 1].isspace():
            end -= 1
        return start, end

    @cached_property
    def region(self) -> Region | None:
        name = self.parsed.metadata.region
        return resolve(name) if name else None

    # --- records ------------------------------------------------------------------------

    def _sentence_span(self, a: int, b: int) -> Span:
        """Original-text span of the sentence(s) around ``[a, b)``; made once per range and
        per sentence, for the many records each grounds."""
        span = self._spans_around.get((a, b))
        if span is None:
            key = self.sentence(a, b)
            span = self._sentence_spans.get(key)
            if span is None:
                span = self._sentence_spans[key] = self.view.to_original(*key)
            self._spans_around[(a, b)] = span
        return span

    def mention(
        self, entity: EntityKind, a: int, b: int, name: str | None = None, **attrs: Unpack[MentionAttrs]
    ) -> Mention:
        span = self.view.to_original(a, b)
        m = self.measure_at(a)
        return Mention(
            entity=entity,
            name=name if name is not None else self.doc.surface(span).strip(),
            span=span,
            sentence=self._sentence_span(a, b),
            measure=m.key if m else None,
            attrs=attrs,
        )

    def relation(
        self,
        predicate: Predicate,
        subject: str,
        obj: str,
        a: int,
        b: int,
        measure: str | None = None,
        **attrs: Unpack[RelationAttrs],
    ) -> Relation:
        if measure is None:
            m = self.measure_at(a)
            measure = m.key if m else None
        return Relation(
            predicate=predicate,
            subject=subject,
            object=obj,
            evidence=self.view.to_original(a, b),
            sentence=self._sentence_span(a, b),
            measure=measure,
            attrs=attrs,
        )

    def below_own_level(self, level: str) -> bool:
        """A bare level character (``区``) below the document's own level (a city's text):
        every body of that level, not one."""
        own = _DOC_RANK.get(self.parsed.metadata.admin_level or "")
        rank = _LEVEL_RANK.get(level)
        return own is not None and rank is not None and rank < own

    def warn(self, pos: int, message: str) -> None:
        off = self.view.to_original(pos, pos).start
        self.doc.warnings.append(Problem(self.doc.path, message, offset=off, line=self.doc.line_of(off)))

    def original(self, a: int, b: int) -> str:
        """Original surface text of a view range (names are reported as written, without
        the soft line breaks of hard-wrapped text)."""
        return self.doc.surface(self.view.to_original(a, b))


def _parent(m: Measure) -> tuple[str, int] | None:
    """Key and printed number of the unit a measure is an item or section of."""
    if m.level == "item" and m.part is not None:
        if m.section is None:  # items directly under a part: P.0.I
            return f"{m.part}.0", m.part
        return f"{m.part}.{m.section}", m.section
    if m.level == "section" and m.part is not None:
        return f"{m.part}.0", m.part
    return None


class Ranges:
    """Fixed ranges ``[x, y)`` asked many times whether one holds or meets a given range:
    starts sorted with the running maximum of ends, so each question is a bisection."""

    __slots__ = ("_max_end", "_starts")

    def __init__(self, ranges: Iterable[tuple[int, int]]):
        pairs = sorted((x, y) for x, y in ranges)
        self._starts = [x for x, _ in pairs]
        self._max_end = list(accumulate((y for _, y in pairs), max))

    def _reach(self, i: int) -> int:
        """The farthest end among the first ``i`` ranges (-1 for none)."""
        return self._max_end[i - 1] if i > 0 else -1

    def contain(self, a: int, b: int) -> bool:
        """Some range holds ``[a, b)``: ``x <= a`` and ``b <= y``."""
        return self._reach(bisect.bisect_right(self._starts, a)) >= b

    def overlap(self, a: int, b: int) -> bool:
        """Some range meets ``[a, b)``: ``x < b`` and ``a < y``."""
        return self._reach(bisect.bisect_left(self._starts, b)) > a

    def cover(self, pos: int) -> bool:
        """Some range holds position ``pos``: ``x <= pos < y``."""
        return self._reach(bisect.bisect_right(self._starts, pos)) > pos

    def surround(self, pos: int) -> bool:
        """Some range has ``pos`` strictly inside: ``x < pos < y``."""
        return self._reach(bisect.bisect_left(self._starts, pos)) > pos


class Unnested:
    """Ranges chosen longest first, where a range is kept only if no kept range holds it
    (or meets it): none holds another, so sorted by start their ends rise too, and whether
    one holds or meets a given range is a bisection rather than a pass over all of them."""

    __slots__ = ("_ends", "_starts")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def contain(self, a: int, b: int) -> bool:
        """Some range holds ``[a, b)``: ``x <= a`` and ``b <= y``."""
        i = bisect.bisect_right(self._starts, a)
        return i > 0 and self._ends[i - 1] >= b

    def overlap(self, a: int, b: int) -> bool:
        """Some range meets ``[a, b)``: ``x < b`` and ``a < y``."""
        i = bisect.bisect_left(self._starts, b)
        return i > 0 and self._ends[i - 1] > a

    def add(self, a: int, b: int) -> None:
        """Keep ``[a, b)``, a non-empty range that neither holds nor lies in a kept one."""
        i = bisect.bisect_right(self._starts, a)
        self._starts.insert(i, a)
        self._ends.insert(i, b)


OUTLINE_MARK_RE = re.compile(r"\((?:[一二三四五六七八九十]{1,3}|\d{1,2})\)|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、]")


def after_outline_mark(text: str, start: int, end: int) -> int:
    """``start`` moved past an outline marker that opens ``text[start:end]`` (``(一)``,
    ``1.``): a name that opens an item does not include the item's number."""
    m = OUTLINE_MARK_RE.match(text, start, end)
    return m.end() if m else start


def scan_left(text: str, end: int, floor: int, hard: frozenset[str], max_len: int, paren_max: int) -> int:
    """Start of the name-like run ending at ``end``: scan left to a hard boundary
    character, stepping over complete (…) groups of at most ``paren_max`` characters
    (渝西川南(泸永江)教育资源数据库); an unmatched ``(`` is a boundary."""
    last_stop = _last_stop_re(hard)
    lo = max(floor, end - max_len)  # the scan goes no further left
    i = end
    while i > lo:
        m = last_stop.match(text, lo, i)  # the nearest boundary or bracket left of i
        if m is None:
            return lo
        k = m.end() - 1
        if text[k] != ")":
            return k + 1  # a hard boundary or an unmatched (
        j = text.rfind("(", max(floor, k + 1 - paren_max), k)
        if j == -1:
            return k + 1
        i = j
    return i


@lru_cache(maxsize=16)
def _last_stop_re(hard: frozenset[str]) -> re.Pattern:
    """The last hard boundary character or bracket of a range (``match`` at its start)."""
    return re.compile("(?s:.*)[" + "".join(re.escape(ch) for ch in sorted(hard | {"(", ")"})) + "]")
