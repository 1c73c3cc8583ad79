"""Load the generic knowledge kept as data under ``kg/data`` (YAML and TSV files).

Code reads these files instead of restating their contents, so a linguist can extend a
suffix list or a department-function rule without touching Python.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


def read_data(name: str) -> str:
    """Text of ``kg/data/<name>``."""
    return resources.files("kg").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def package_file(package: str, *parts: str) -> Path | None:
    """A data file an installed package ships (``package_file("jieba", "analyse",
    "idf.txt")``), found without importing the package (importing jieba.analyse or jionlp
    costs a second at start); ``None`` when the package is not installed."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)


@cache
def load_yaml(name: str) -> Any:
    """Parsed YAML data file ``kg/data/<name>`` (cached; treat as read-only)."""
    return yaml.safe_load(read_data(name))


@cache
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a TSV data file with a header line; ``#`` lines are comments."""
    lines = [ln for ln in read_data(name).splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t")
    return tuple({k: (v or "").strip() for k, v in row.items()} for row in reader)


@cache
def load_words(name: str) -> frozenset[str]:
    """One word per line; ``#`` lines are comments."""
    return frozenset(w.strip() for w in read_data(name).splitlines() if w.strip() and not w.lstrip().startswith("#"))


def alternation(words: Iterable[str]) -> str:
    """A pattern matching any of ``words``, the longest first where several match at one
    position (the shorter ones in turn when backtracking), as ``"|".join`` of the words
    sorted longest first would; written as a trie (``学(?:院|校)``), so the regex engine
    follows one branch per character instead of trying every word."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def branch(node: dict) -> str:
        arms = [re.escape(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not arms:
            return ""
        body = arms[0] if len(arms) == 1 else "(?:" + "|".join(arms) + ")"
        if "" in node:  # a word ends here: a longer one is tried first
            return body + "?" if len(arms) == 1 and len(arms[0]) == 1 else "(?:" + "|".join(arms) + ")?"
        return body

    return branch(trie)
