"""Reading stage: files (text, HTML, PDF, Word) to :class:`kg.core.model.Document` —
decoded text exactly as read, boilerplate and soft line breaks located, never changed."""

from __future__ import annotations

from kg.reading.reader import collect_paths, read

__all__ = ["collect_paths", "read"]
