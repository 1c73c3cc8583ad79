"""Topic keywords per measure with jieba (TF-IDF over jieba's bundled IDF table).

jieba earns its place here: segmentation of running policy prose, where patterns cannot
know word boundaries. The segmenter is rjieba (jieba-rs, the same dictionary and
algorithm in Rust: identical tokens on the seeds, about 15× faster); jieba itself
supplies the IDF table and stop words. Domain terms are kept whole by a user dictionary generated from the
lexicons in ``kg/data`` (national schemes, department names, institution suffixes), and
policy boilerplate (推进, 加强, 机制 …) is a stop list, so what remains groups measures by
topic (师资, 实训基地, 学徒制 …). Responsibility clauses are left out of the text first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from functools import lru_cache

from kg.core import lazy
from kg.core.lexicon import load_tsv, load_words, load_yaml, package_file
from kg.core.regions import place_length_at
from kg.extraction.context import DocContext
from kg.extraction.programs import lexicon

_CLAUSE_RE = re.compile(r"[(\[【][^()\[\]【】]*?(?:负责|责任|牵头|配合)[^()\[\]【】]*?[)\]】]")
_LATIN_TOKEN_RE = re.compile(r"[\dA-Za-z.%+\-]+")  # numbers, codes, Latin words: no topic
TOP_K = 8


def user_words() -> list[str]:
    """Domain terms for jieba's user dictionary, generated from the data files."""
    words = set(lexicon())
    for row in load_tsv("department_functions.tsv"):  # literal alternatives only
        words.update(w for w in row["pattern"].split("|") if re.fullmatch(r"[\u4e00-\u9fa5]{2,}", w))
    for items in load_yaml("institutions.yaml")["suffixes"].values():
        words.update(w for w in items if len(w) >= 3)
    words.update(w for w in load_yaml("programs.yaml")["heads"] if len(w) >= 2)
    words.update(w for w in load_words("stopwords.txt") if len(w) >= 4)  # kept whole, then stopped
    return sorted(words)


@lru_cache(maxsize=1)
def _extractor():
    """A segmenter with the domain dictionary, jieba's IDF table and the stop list."""
    tokenizer = lazy.rjieba().Jieba()
    for word in user_words():
        tokenizer.add_word(word, 20000, None)
    idf, median = _jieba_idf()
    # jieba's own stop list is 32 English words, which _LATIN_TOKEN_RE rules out already
    return tokenizer, idf, median, load_words("stopwords.txt")


def _jieba_idf() -> tuple[dict[str, float], float]:
    """jieba's bundled IDF table and its median, read as ``jieba.analyse`` reads them,
    from the file itself: importing ``jieba.analyse`` also builds a part-of-speech
    tokenizer that keywords never use (0.8 s of every build's start)."""
    table = package_file("jieba", "analyse", "idf.txt")
    if table is None:
        raise ModuleNotFoundError("jieba is not installed")
    text = table.read_text(encoding="utf-8")
    idf = {word: float(value) for word, value in (line.strip().split(" ") for line in text.splitlines())}
    return idf, sorted(idf.values())[len(idf) // 2]


class _Weights:
    """Each topic word's TF-IDF weight per occurrence; words that are no topic (too short,
    stop words, numbers and codes) are only remembered as judged. Judged once per process,
    since measures share most of their vocabulary; forgotten past ``LIMIT`` words (a
    hostile text)."""

    LIMIT = 100_000

    def __init__(self) -> None:
        self.judged: set[str] = set()
        self.weight: dict[str, float] = {}  # the topic words among them

    def of(self, words: Collection[str]) -> dict[str, float]:
        """Weights of every topic word among ``words`` (and of others)."""
        _, idf, median_idf, stop = _extractor()
        new = set(words).difference(self.judged)
        if len(self.judged) + len(new) > self.LIMIT:
            self.judged, self.weight, new = set(), {}, set(words)
        for w in new:
            if len(w) >= 2 and w not in stop and not _LATIN_TOKEN_RE.fullmatch(w):
                self.weight[w] = idf.get(w, median_idf)
        self.judged |= new
        return self.weight


_weights = _Weights()


def keywords_of(text: str, top_k: int = TOP_K) -> list[str]:
    """TF-IDF keywords of a text (jieba segmentation without the HMM pass for unknown
    words: the user dictionary covers the domain terms, and it halves the cost)."""
    tokenizer = _extractor()[0]
    counts = Counter(tokenizer.cut(text, False))
    weight = _weights.of(counts)
    scored = sorted([(-counts[w] * weight[w], w) for w in counts.keys() & weight.keys()])
    out: list[str] = []
    if top_k <= 0:
        return out
    for _, w in scored:  # place names are no topic; checked only until the top k are found
        if not _is_place_name(w):
            out.append(w)
            if len(out) == top_k:
                break
    return out


@lru_cache(maxsize=1 << 16)
def _is_place_name(word: str) -> bool:
    """The word is a division's name (full, short or placeholder); asked of the same
    policy vocabulary again and again, hence remembered."""
    return place_length_at(word, 0) == len(word)


def measure_keywords(ctx: DocContext) -> dict[str, list[str]]:
    """Measure key → its top keywords (responsibility clauses left out)."""
    return {measure.key: keywords_of(_CLAUSE_RE.sub(" ", ctx.text[ma:mb])) for ma, mb, measure in ctx.measures()}
