"""The faster formulations used on the extraction path answer exactly as the plain ones
they replace (issue 18, speed): a trie-shaped alternation, heading patterns tried only
where a unit can start, department rows searched per first character, ranges kept by
bisection, the keyword weights remembered across documents, and the characters assumed
never to fold."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.core.lexicon import alternation
from kg.core.script import traditional_folds
from kg.core.textview import _NEVER_FOLD_RE, TextView, _fold_char
from kg.extraction import keywords
from kg.extraction.context import Unnested
from kg.extraction.departments import _row_matches, _rows
from kg.parsing.outline import _REGULATION_RE, HEADING_RE, unit_starts

_CHARS = "ab+.c中国学院"
words_st = st.lists(st.text(alphabet=_CHARS, max_size=4), max_size=8)
text_st = st.text(alphabet=_CHARS + "x", max_size=16)


@settings(max_examples=300, deadline=None)
@given(words_st, text_st)
def test_a_trie_alternation_matches_as_the_longest_first_list(words, text):
    plain = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    trie = alternation(words)
    for wrap in ("(?:{})", "(?:{})$", "(?=({}))", "x(?:{})?a"):
        a, b = re.compile(wrap.format(plain)), re.compile(wrap.format(trie))
        assert [(m.span(), m.groups()) for m in a.finditer(text)] == [(m.span(), m.groups()) for m in b.finditer(text)]
        assert bool(a.fullmatch(text)) == bool(b.fullmatch(text))


_UNIT_PIECES = ["\n", "\t", " ", "  ", "一、", "第一章", "(一)", "1.", "2、", "第二条", "第一条", "中", "(二)", "3"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_UNIT_PIECES), max_size=20), st.integers(0, 3))
def test_headings_tried_where_units_start_are_the_headings_found_everywhere(pieces, start):
    text = "".join(pieces)
    start = min(start, len(text))
    for pattern in (HEADING_RE, _REGULATION_RE):
        found = [(m.span(), m.groupdict()) for m in unit_starts(pattern, text, start, len(text))]
        assert found == [(m.span(), m.groupdict()) for m in pattern.finditer(text, start, len(text))]


_BODIES = ["教育局", "财政局", "商务局", "投资促进局", "商务和投资促进局", "工信局", "经信委", "市场监管局", "工商局"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*_BODIES, "市", "的", "和", "、", "\n", "局"]), max_size=30), st.integers(0, 4))
def test_department_rows_split_by_first_character_find_what_the_row_finds(pieces, start):
    text = "".join(pieces)
    start = min(start, len(text))
    split = [row for row in _rows() if row.by_first]
    assert split  # the lists of several first characters are searched that way
    for row in split:
        found = [m.span() for m in _row_matches(row, text, start, len(text))]
        assert found == [m.span() for m in row.pattern.finditer(text, start, len(text))]


_BANKS = [
    "中国人民银行",
    "人民银行",
    "人行",
    "某市中心支行",
    "分行",
    "支行",
    "营业管理部",
    "、",
    "中国",
    "人",
    "中",
    "\n",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_BANKS), max_size=14), st.integers(0, 3))
def test_a_row_opening_with_an_optional_part_is_tried_where_a_match_can_start(pieces, start):
    text = "".join(pieces)
    start = min(start, len(text))
    rows = [row for row in _rows() if row.starts is not None]
    assert rows  # (?:中国)?人民银行…: tried at 中 and 人 only
    for row in rows:
        found = [m.span() for m in _row_matches(row, text, start, len(text))]
        assert found == [m.span() for m in row.pattern.finditer(text, start, len(text))]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12)), max_size=25), st.integers(0, 50), st.integers(0, 50))
def test_unnested_ranges_answer_as_a_pass_over_them(candidates, a, b):
    """Ranges kept longest first where none already kept holds them: holding and meeting
    are answered by bisection as a pass over every kept range would."""
    kept: list[tuple[int, int]] = []
    fast = Unnested()
    for x, n in sorted(candidates, key=lambda t: -t[1]):
        y = x + n
        if not any(p <= x and y <= q for p, q in kept):
            kept.append((x, y))
            fast.add(x, y)
    assert fast.contain(a, b) == any(p <= a and b <= q for p, q in kept)
    assert fast.overlap(a, b) == any(p < b and a < q for p, q in kept)


def test_keyword_weights_forgotten_past_the_limit_give_the_same_keywords(monkeypatch):
    text = "加强实训基地建设，推进现代学徒制试点，建设高水平专业群和实训基地。"
    before = keywords.keywords_of(text)
    monkeypatch.setattr(keywords._Weights, "LIMIT", 3)  # every text now starts afresh
    monkeypatch.setattr(keywords, "_weights", keywords._Weights())
    assert keywords.keywords_of("另一段文字：职业院校教师培训。")
    assert keywords.keywords_of(text) == before


def test_the_characters_left_out_before_folding_never_fold():
    """Left out of the per-character folds: they fold to themselves, but for traditional
    ideographs, which the whole text folds first (kg/core/script.py), one for one."""
    traditional = traditional_folds()
    assert len(traditional) > 3000
    spans = [(0x00, 0x7F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF)]
    for lo, hi in spans:
        for code in range(lo, hi + 1):
            ch = chr(code)
            assert _NEVER_FOLD_RE.fullmatch(ch)
            assert ch == unicodedata.normalize("NFKC", ch)
            assert _fold_char(ch) == traditional.get(code, ch)


def test_the_fast_fold_and_the_offset_maps_agree_on_traditional_text():
    """A text folded whole (no maps) and one folded character by character (maps: an
    NFKC expansion forces them) give the same view of their traditional characters."""
    text = "關於職業學校發展的實施意見（縣教育局負責）"
    fast = TextView(text).text
    mapped = TextView(text + "…").text
    assert mapped == fast + "..." and fast == "关于职业学校发展的实施意见(县教育局负责)"
