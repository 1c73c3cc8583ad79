"""Chinese administrative divisions: find them in text and place them in the hierarchy.

The gazetteer is jionlp's table of provinces, prefecture-level cities and counties
(with admin codes), loaded once. This module adds what policy text needs around it:
finding full names in running text, resolving a name that exists in several provinces
by the document's own region, and the GUIDELINES admin levels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from kg.core import lazy
from kg.core.lexicon import load_yaml
from kg.core.model import AdminLevel

SUFFIXES = "省市县区州旗盟"
# The levels a division alias lists in brackets after a level: 县(市、区), 县(市、区、旗); a
# clause, a collective or a pool of "every such division", never a named one.
DIVISION_ALIAS = r"\([省市县区州旗镇乡、]{1,6}\)"
_GENERIC_SUFFIX_RE = re.compile(r"^(.{1,8}?(?:自治区|省|自治州|地区|市|县|区|旗|盟))")


@dataclass(frozen=True)
class Region:
    name: str  # full name as in the gazetteer (or as written, if unknown)
    level: AdminLevel
    province: str | None = None
    city: str | None = None
    county: str | None = None
    admin_code: str | None = None

    @property
    def path(self) -> list[str]:
        out: list[str] = []
        for part in (self.province, self.city, self.county):
            if part and part not in out:
                out.append(part)
        return out

    def to_json(self) -> dict:
        return {"level": self.level, "path": self.path, "admin_code": self.admin_code}


@lru_cache(maxsize=1)
def _divisions() -> dict:
    """jionlp's table of divisions, read once for :func:`gazetteer` and :func:`aliases`
    (half a second each time it is read)."""
    return lazy.jionlp().china_location_loader()


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[Region, ...]]:
    """Full division name → every division of that name."""
    table = _divisions()
    conf = load_yaml("regions.yaml")
    municipalities = set(conf["municipalities"])
    ignore = set(conf["ignore_names"])
    index: dict[str, list[Region]] = {}

    def add(region: Region) -> None:
        if region.name not in ignore:
            index.setdefault(region.name, []).append(region)

    for prov, pdata in table.items():
        plevel: AdminLevel = "municipality" if prov in municipalities else "province"
        add(Region(prov, plevel, prov, None, None, pdata.get("_admin_code")))
        for city, cdata in pdata.items():
            if city.startswith("_"):
                continue
            if city != prov:
                add(Region(city, "city", prov, city, None, cdata.get("_admin_code")))
            for county, kdata in cdata.items():
                if county.startswith("_"):
                    continue
                level: AdminLevel = "district" if county.endswith("区") else "county"
                add(Region(county, level, prov, None if city == prov else city, county, kdata.get("_admin_code")))
    written = {**_autonomous_short_forms(table), **_former_divisions(index, conf)}
    for name, region in written.items():
        if name not in index and name not in ignore:
            index[name] = [region]
    return {k: tuple(v) for k, v in index.items()}


# An autonomous prefecture, county or banner as people write it: its short name (jionlp's
# alias, the place before the peoples' names) with the level's character, 恩施土家族苗族自治州
# → 恩施州, 长阳土家族自治县 → 长阳县. Two-character forms (克州) are left out: too often part
# of another word.
_AUTONOMOUS_LEVEL = {"自治州": "州", "自治县": "县", "自治旗": "旗"}


def _autonomous_short_forms(table: dict) -> dict[str, Region]:
    out: dict[str, Region] = {}

    def add(full: str, aliases, region: Region) -> None:
        char = next((c for suffix, c in _AUTONOMOUS_LEVEL.items() if full.endswith(suffix)), None)
        if char is None:
            return
        for alias in [aliases] if isinstance(aliases, str) else aliases or []:
            short = alias if alias.endswith(char) else alias + char
            if len(short) >= 3 and short != full:
                out.setdefault(short, region)

    for prov, pdata in table.items():
        for city, cdata in pdata.items():
            if city.startswith("_"):
                continue
            if city != prov:
                add(city, cdata.get("_alias"), Region(city, "city", prov, city, None, cdata.get("_admin_code")))
            for county, kdata in cdata.items():
                if county.startswith("_"):
                    continue
                region = Region(
                    county, "county", prov, None if city == prov else city, county, kdata.get("_admin_code")
                )
                add(county, kdata.get("_alias"), region)
    return out


def _former_divisions(index: dict[str, list[Region]], conf: dict) -> dict[str, Region]:
    """Divisions renamed or merged away, which documents written before the change name:
    jionlp's table of changes (宁乡县 → 宁乡市, 襄樊市 → 襄阳市), then regions.yaml's
    prefecture-level ones (a 地区 become a 市, a city merged into another). A renamed
    division is its successor under its old name; a merged one keeps its own code."""
    out: dict[str, Region] = {}
    for change in lazy.jionlp().china_location_change_loader():
        _, (old_city, _), (old_county, _) = (o or (None, None) for o in change["old_loc"])
        new_prov, new_city, new_county = change["new_loc"]
        old = old_county or old_city
        successor = new_county if old_county else new_city
        found = [r for r in index.get(successor or "", []) if r.province == new_prov]
        level = level_from_suffix(old) if old else None
        if old and len(old) >= 3 and found and level and old not in index:
            out.setdefault(old, replace(found[0], name=old, level=level))
    for old, successor in (conf.get("renamed_divisions") or {}).items():
        if index.get(successor):
            out.setdefault(old, replace(index[successor][0], name=old))
    for old, (merged_into, code) in (conf.get("merged_divisions") or {}).items():
        if index.get(merged_into):
            into = index[merged_into][0]
            out.setdefault(old, Region(old, "city", into.province, old, None, str(code)))
    return out


def level_from_suffix(name: str) -> AdminLevel | None:
    """Admin level of an unknown name from its suffix (``XX县`` → county)."""
    if name.endswith(("省", "自治区")):
        return "province"
    if name.endswith(("自治州", "地区", "盟", "市")):
        return "city"
    if name.endswith("区"):
        return "district"
    if name.endswith(("县", "旗")):
        return "county"
    return None


def resolve(name: str, context: Region | None = None) -> Region | None:
    """The division called ``name``; among namesakes prefer one inside ``context``."""
    options = gazetteer().get(name)
    if not options:
        return None
    if len(options) == 1 or context is None:
        # Prefer the highest level among namesakes (吉林市 the city over a county).
        return options[0]
    for opt in options:
        if (
            context.province
            and opt.province == context.province
            and (not context.city or opt.city in (None, context.city))
        ):
            return opt
    for opt in options:
        if context.province and opt.province == context.province:
            return opt
    return options[0]


def leading_regions(text: str) -> list[tuple[str, Region | None]]:
    """Consecutive division names at the start of ``text`` (``重庆市江津区…``).

    A name the gazetteer does not know (an anonymised ``XX县``) is accepted only as the
    first one, with ``None`` in place of the region.
    """
    out: list[tuple[str, Region | None]] = []
    pos = 0
    context: Region | None = None
    names = gazetteer()
    while pos < len(text):
        best = None
        for end in range(min(len(text), pos + 12), pos + 1, -1):
            cand = text[pos:end]
            if cand[-1] in SUFFIXES and cand in names:
                best = cand
                break
        if best is None:
            if not out:
                m = _GENERIC_SUFFIX_RE.match(text[pos:])
                if m and level_from_suffix(m.group(1)) and re.match(r"^[A-Z]{1,3}|^某", m.group(1)):
                    out.append((m.group(1), None))
            break
        region = resolve(best, context)
        out.append((best, region))
        context = region or context
        pos += len(best)
    return out


# A zone named after its province or city in brackets: 中国(上海)自由贸易试验区.
_BRACKETED_PLACE_RE = re.compile(r"中国\((?P<place>[\u4e00-\u9fa5]{2,8})\)")
_STEM_LEVELS = ("province", "municipality", "city")


def leading_stem(text: str) -> Region | None:
    """The province or city whose name without its suffix opens ``text`` (``上海港口条例``
    → 上海市), or that a bracketed place after 中国 names (``中国(上海)自由贸易试验区条例``);
    the longest name wins. ``None`` when no such name opens it."""
    names, short = gazetteer(), aliases()
    m = _BRACKETED_PLACE_RE.match(text)
    if m:
        place = m.group("place")
        found = names.get(place)
        return found[0] if found else short.get(place)
    for n in (4, 3, 2):
        region = short.get(text[:n])
        if region and region.level in _STEM_LEVELS:
            return region
    return None


def find_regions(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, str]]:
    """Full division names in ``text[start:end]`` as ``(start, end, name)``; longest wins."""
    names = gazetteer()
    ending = _index().full_ending
    end = len(text) if end is None else end
    last_end = start
    for m in _SUFFIX_CHAR_RE.finditer(text, start, end):  # a full name ends with a suffix character
        i = m.end()
        for length in ending.get(text[i - 1], ()):
            if length <= i - last_end:
                cand = text[i - length : i]
                if cand in names:
                    yield i - length, i, cand
                    last_end = i
                    break


@lru_cache(maxsize=1)
def aliases() -> dict[str, Region]:
    """Short names of provinces, prefecture-level and county-level cities (北京, 鹤壁,
    林州) → division.

    Counties' and districts' short names are left out: their stems (古县 → 古, 城区 → 城)
    are too often ordinary words.
    """
    table = _divisions()
    names = gazetteer()
    out: dict[str, Region] = {}

    def add(alias, full: str) -> None:
        for a in [alias] if isinstance(alias, str) else alias or []:
            if a and len(a) >= 2 and a != full and a not in names and full in names:
                out.setdefault(a, names[full][0])

    for prov, pdata in table.items():
        add(pdata.get("_alias"), prov)
        for city, cdata in pdata.items():
            if city.startswith("_"):
                continue
            if city != prov:
                add(cdata.get("_alias"), city)
            for county, kdata in cdata.items():
                if not county.startswith("_") and county.endswith("市"):
                    add(kdata.get("_alias"), county)
    return out


class _Index(NamedTuple):
    """Lengths of the names worth trying at a position, longest first, by the character
    they start or end with: most characters start or end no name, and the others only a few
    lengths, so a lookup tries those instead of every length."""

    full_starting: dict[str, tuple[int, ...]]  # full names of 2-10 characters
    short_starting: dict[str, tuple[int, ...]]  # short names of 2-4 characters
    full_ending: dict[str, tuple[int, ...]]  # full names of 2-10 characters
    either_ending: dict[str, tuple[int, ...]]  # full, placeholder (2-7) or short names
    full_ending_no_short: dict[str, tuple[int, ...]]  # full or placeholder names


def _lengths(words, key, lengths: range) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for w in words:
        if len(w) in lengths:
            out.setdefault(key(w), set()).add(len(w))
    return out


def _longest_first(table: dict[str, set[int]]) -> dict[str, tuple[int, ...]]:
    return {ch: tuple(sorted(lengths, reverse=True)) for ch, lengths in table.items()}


@lru_cache(maxsize=1)
def _index() -> _Index:
    names, short = gazetteer(), aliases()
    first, last = (lambda w: w[0]), (lambda w: w[-1])
    placeholder = {ch: set(range(2, 8)) for ch in _PLACEHOLDER_LAST}
    full_end = _lengths(names, last, range(2, 11))
    short_end = _lengths(short, last, range(2, 11))

    def merged(*tables: dict[str, set[int]]) -> dict[str, set[int]]:
        out: dict[str, set[int]] = {}
        for table in tables:
            for ch, lengths in table.items():
                out.setdefault(ch, set()).update(lengths)
        return out

    return _Index(
        _longest_first(_lengths(names, first, range(2, 11))),
        _longest_first(_lengths(short, first, range(2, 5))),
        _longest_first(full_end),
        _longest_first(merged(full_end, placeholder, short_end)),
        _longest_first(merged(full_end, placeholder)),
    )


_SUFFIX_CHAR_RE = re.compile(f"[{SUFFIXES}]")
_PLACEHOLDER_RE = re.compile(r"(?:[A-Z]{1,4}|某)(?:省|自治区|市|自治州|县|区|旗)")
_PLACEHOLDER_LAST = "省区市州县旗"  # the last characters of a placeholder (XX县, 某自治州)
_PLACEHOLDER_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ某")


def place_length_at(text: str, pos: int, short_names: bool = True) -> int:
    """Length of the division name (full, short, or placeholder) starting at ``pos``."""
    if pos >= len(text):
        return 0
    ch = text[pos]
    index = _index()
    n = _listed_at(text, pos, index.full_starting.get(ch), gazetteer)
    if n:
        return n
    if ch in _PLACEHOLDER_FIRST:
        m = _PLACEHOLDER_RE.match(text, pos)
        if m:
            return m.end() - pos
    return _listed_at(text, pos, index.short_starting.get(ch), aliases) if short_names else 0


def _listed_at(text: str, pos: int, lengths, names) -> int:
    """The first of ``lengths`` (longest first) at which ``text`` from ``pos`` is one of
    ``names()`` (read only when some length may fit); 0 when none is."""
    if lengths:
        room, listed = len(text) - pos, names()
        for n in lengths:
            if n <= room and text[pos : pos + n] in listed:
                return n
    return 0


def place_start_before(text: str, pos: int, short_names: bool = True) -> int:
    """Start of the chain of division names ending exactly at ``pos`` (``重庆市江津区``);
    ``pos`` itself when no name ends there."""
    names = gazetteer()
    short = aliases() if short_names else {}
    index = _index()
    ending = index.either_ending if short_names else index.full_ending_no_short
    start = pos
    while start > 0:
        found = 0
        for length in ending.get(text[start - 1], ()):
            if length <= start:
                cand = text[start - length : start]
                if (
                    cand in names
                    or cand in short
                    or (cand[0] in _PLACEHOLDER_FIRST and _PLACEHOLDER_RE.fullmatch(cand))
                ):
                    found = length
                    break
        if not found:
            return start
        start -= found
    return start
