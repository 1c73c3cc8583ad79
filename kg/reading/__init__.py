"""Reading stage: files (text, Markdown, HTML, PDF, Word) to :class:`kg.core.model.Document` —
decoded text exactly as read, boilerplate and soft line breaks located, never changed."""

from __future__ import annotations

from kg.reading.reader import collect_paths, read, read_file_bytes

__all__ = ["collect_paths", "read", "read_file_bytes"]
