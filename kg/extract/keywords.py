"""Topic keywords per measure with jieba (TF-IDF over jieba's bundled IDF table).

jieba earns its place here: segmentation of running policy prose, where patterns cannot
know word boundaries. Domain terms are kept whole by a user dictionary generated from the
lexicons in ``kg/data`` (national schemes, department names, institution suffixes), and
policy boilerplate (推进, 加强, 机制 …) is a stop list, so what remains groups measures by
topic (师资, 实训基地, 学徒制 …). Responsibility clauses are left out of the text first.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

from kg.extract.context import DocContext
from kg.lexicon import load_words
from kg.regions import place_length_at

_CLAUSE_RE = re.compile(r"[(\[【][^()\[\]【】]*?(?:负责|责任|牵头|配合)[^()\[\]【】]*?[)\]】]")
TOP_K = 8


def user_words() -> list[str]:
    """Domain terms for jieba's user dictionary, generated from the data files."""
    from kg.extract.programs import lexicon
    from kg.lexicon import load_tsv, load_yaml

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
    import jieba
    import jieba.analyse
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word in user_words():
        tokenizer.add_word(word, freq=20000)
    tfidf = jieba.analyse.TFIDF()
    tfidf.tokenizer = tokenizer
    tfidf.postokenizer = jieba.posseg.POSTokenizer(tokenizer)
    tfidf.stop_words = set(tfidf.stop_words) | load_words("stopwords.txt")
    return tfidf


def measure_keywords(ctx: DocContext) -> dict[str, list[str]]:
    """Measure key → its top keywords."""
    tfidf = _extractor()
    out: dict[str, list[str]] = {}
    for ma, mb, measure in ctx.measures():
        text = _CLAUSE_RE.sub(" ", ctx.text[ma:mb])
        words = tfidf.extract_tags(text, topK=TOP_K + 4)
        out[measure.key] = [w for w in words if not re.fullmatch(r"[\dA-Za-z.%]+", w)
                            and not place_length_at(w, 0) == len(w)][:TOP_K]
    return out
