"""Chinese administrative divisions: find them in text and place them in the hierarchy.

The gazetteer is jionlp's table of provinces, prefecture-level cities and counties
(with admin codes), loaded once. This module adds what policy text needs around it:
finding full names in running text, resolving a name that exists in several provinces
by the document's own region, and the GUIDELINES admin levels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

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
    return {k: tuple(v) for k, v in index.items()}


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


def find_regions(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, str]]:
    """Full division names in ``text[start:end]`` as ``(start, end, name)``; longest wins."""
    names = gazetteer()
    end = len(text) if end is None else end
    i = start
    last_end = start
    while i < end:
        if text[i] in SUFFIXES:
            for length in range(min(10, i + 1 - last_end), 1, -1):
                cand = text[i + 1 - length : i + 1]
                if cand in names:
                    yield i + 1 - length, i + 1, cand
                    last_end = i + 1
                    break
        i += 1


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


_PLACEHOLDER_RE = re.compile(r"(?:[A-Z]{1,4}|某)(?:省|自治区|市|自治州|县|区|旗)")


@lru_cache(maxsize=1)
def _first_chars() -> frozenset[str]:
    """Characters any division name (full or short) can start with: a cheap pre-check."""
    return frozenset(n[0] for n in gazetteer()) | frozenset(a[0] for a in aliases())


def place_length_at(text: str, pos: int, short_names: bool = True) -> int:
    """Length of the division name (full, short, or placeholder) starting at ``pos``."""
    if pos >= len(text):
        return 0
    ch = text[pos]
    if ch not in _first_chars() and not ("A" <= ch <= "Z" or ch == "某"):
        return 0
    names = gazetteer()
    for end in range(min(len(text), pos + 10), pos + 1, -1):
        if text[pos:end] in names:
            return end - pos
    m = _PLACEHOLDER_RE.match(text, pos)
    if m:
        return m.end() - pos
    if short_names:
        short = aliases()
        for end in range(min(len(text), pos + 4), pos + 1, -1):
            if text[pos:end] in short:
                return end - pos
    return 0


def place_start_before(text: str, pos: int, short_names: bool = True) -> int:
    """Start of the chain of division names ending exactly at ``pos`` (``重庆市江津区``);
    ``pos`` itself when no name ends there."""
    names = gazetteer()
    short = aliases() if short_names else {}
    start = pos
    while True:
        found = 0
        for length in range(min(10, start), 1, -1):
            cand = text[start - length : start]
            if cand in names or cand in short or _PLACEHOLDER_RE.fullmatch(cand):
                found = length
                break
        if not found:
            return start
        start -= found
