"""A reused measure shown side by side with its source, the copied characters marked.

An HTML fragment (a ``<table>``; no script, no remote resource) for the report, a
notebook (``IPython.display.HTML``) or any page: the local measure on the left, its
closest source measure on the right, each run the alignment found copied wrapped in
``<mark>`` on both sides, with the document, measure, scope and share above. Document
text is untrusted: every piece of it is HTML-escaped, so markup in a document shows as
text.
"""

from __future__ import annotations

import html

from kg.analytics.reuse import Reuse

STYLE = (
    "<style>.vetkg-reuse{border-collapse:collapse;margin:1em 0;font-size:13px;width:100%}"
    ".vetkg-reuse td,.vetkg-reuse th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;"
    "text-align:left;width:50%}.vetkg-reuse td{white-space:pre-wrap}"
    ".vetkg-reuse mark{background:#ffe08a}</style>"
)


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` escaped, with the ``[start, end)`` spans (offsets into ``text``, not
    overlapping) wrapped in ``<mark>``."""
    out, at = [], 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        out.append(html.escape(text[at:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def side_by_side(reuse: Reuse, style: bool = True) -> str:
    """The measure and its source as a two-column HTML table, reused characters marked
    (a measure with no source: its text alone, nothing marked)."""
    e = html.escape
    m, s, al = reuse.measure, reuse.source, reuse.alignment
    left_head = f"{m.title or m.doc_id} · {m.key} ({m.region})"
    local_runs = al.local_spans() if s else []
    rows = [
        f'<table class="vetkg-reuse" data-share="{reuse.share:.4f}" data-scope="{e(reuse.scope)}">',
        f"<caption>{e(_caption(reuse))}</caption>",
        f"<tr><th>{e(left_head)}</th>",
    ]
    if s is not None:
        right_head = f"{s.title or s.doc_id} · {s.key} ({s.region})"
        source_runs = al.source_spans()
        rows.append(f"<th>{e(right_head)}</th></tr>")
        rows.append(f"<tr><td>{marked(m.text, local_runs)}</td><td>{marked(s.text, source_runs)}</td></tr>")
    else:
        rows.append("<th></th></tr>")
        rows.append(f"<tr><td>{marked(m.text, [])}</td><td></td></tr>")
    rows.append("</table>")
    return (STYLE if style else "") + "".join(rows)


def _caption(reuse: Reuse) -> str:
    if reuse.source is None:
        return "no reused text found / 未发现复用文本"
    scope = {"parent": "from the cited document / 来自所引文件", "corpus": "from the corpus / 来自语料库"}
    return (
        f"{reuse.share:.0%} of the measure's characters reused ({reuse.reused} of {reuse.alignment.length}), "
        f"{scope.get(reuse.scope, reuse.scope)}"
    )


def side_by_side_all(reuses: list[Reuse], top: int = 20, min_share: float = 0.0) -> str:
    """The ``top`` reuses with the highest share (at least ``min_share``) one after the
    other, one style block for all."""
    chosen = sorted(
        (r for r in reuses if r.source is not None and r.share >= min_share),
        key=lambda r: (-r.share, r.measure.doc_id, r.measure.start),
    )[:top]
    return STYLE + "\n".join(side_by_side(r, style=False) for r in chosen)


__all__ = ["marked", "reuse_page", "side_by_side", "side_by_side_all"]


def reuse_page(reuses: list[Reuse], top: int = 50, title: str = "text reuse 文本复用", lang: str = "zh") -> str:
    """A page of its own (``reuse.html`` of a build): the ``top`` reuses with the highest
    share side by side (:func:`side_by_side_all`), escaped, nothing remote."""
    e = html.escape
    shown = sum(1 for r in reuses if r.source is not None)
    note = f"{min(top, shown)} of {shown} measures with a source, highest share first / 按复用比例排序"
    return (
        f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>body{{margin:2em;max-width:1400px;"
        "font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif}</style></head>"
        f"<body><h1>{e(title)}</h1><p>{e(note)}</p>\n{side_by_side_all(reuses, top)}\n</body></html>\n"
    )
