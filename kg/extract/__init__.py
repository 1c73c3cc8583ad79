"""Extraction stage: typed mentions and relations with provenance (GUIDELINES §3–§9)."""
from __future__ import annotations

from kg.model import Extraction, ParsedDocument


def extract_all(parsed: ParsedDocument) -> Extraction:
    return Extraction(parsed)
