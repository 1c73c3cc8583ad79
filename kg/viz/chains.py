"""An implementation chain as an HTML tree: a self-contained fragment (its own scoped
style, no script, nothing remote) for a report, a notebook or a page of its own.

The parent policy at the top, each document that cites it below, and under each the
documents that cite that one in turn: level, region, title, 文号, date and the lag in
days from the document above (hover: the sentence that cites it). Document text is
untrusted: every value is HTML-escaped, so markup in a title shows as text.
"""

from __future__ import annotations

import html

from kg.analytics.chains import chain_tree

LEVELS = {  # level: (what the tree shows, colour)
    "national": ("国家 national", "#d62728"),
    "province": ("省 province", "#ff7f0e"),
    "municipality": ("直辖市 municipality", "#ff7f0e"),
    "city": ("市 city", "#2ca02c"),
    "district": ("区 district", "#1f77b4"),
    "county": ("县 county", "#1f77b4"),
}

_STYLE = """<style>
.vetkg-chain{font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;font-size:14px;line-height:1.5}
.vetkg-chain ul{list-style:none;margin:0;padding-left:1.4em;border-left:1px solid #ccc}
.vetkg-chain li{margin:.3em 0}
.vetkg-chain .level{display:inline-block;min-width:7em;padding:0 .4em;border-radius:3px;color:#fff;font-size:12px}
.vetkg-chain .lag{color:#555;font-variant-numeric:tabular-nums}
.vetkg-chain .root{font-weight:bold}
.vetkg-chain .none{color:#777}
</style>"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _lag(days: int | None, what: str) -> str:
    if days is None:
        return f'<span class="lag" title="{_e(what)}">lag unknown</span>'
    return f'<span class="lag" title="{_e(what)}">{days:+d} days</span>'


def _item(node: dict) -> str:
    label, colour = LEVELS.get(node.get("level") or "", ("? unknown", "#7f7f7f"))
    number = f" {_e(node['number'])}" if node.get("number") else ""
    direct = " · also cites the parent" if node.get("direct") and node.get("depth", 1) > 1 else ""
    children = "".join(_item(c) for c in node.get("children", ()))
    return (
        f'<li title="{_e(node.get("evidence"))}"><span class="level" style="background:{colour}">{_e(label)}</span> '
        f"{_e(node.get('region'))} · {_e(node.get('title'))}{number} · {_e(node.get('date') or 'undated')} "
        f"{_lag(node.get('via_lag_days'), 'days after the document above')}{_e(direct)}"
        + (f"<ul>{children}</ul>" if children else "")
        + "</li>"
    )


def chain_html(tree: dict) -> str:
    """The tree of :func:`kg.analytics.chains.chain_tree` as an escaped HTML fragment."""
    date = tree.get("date")
    source = tree.get("date_source")
    dated = f"{date} ({source})" if date and source and source != "document" else (date or "date unknown")
    head = (
        f'<p class="root">{_e(tree.get("number") or tree.get("ref"))} {_e(tree.get("title") or "")} · {_e(dated)}</p>'
    )
    children = tree.get("children", ())
    body = (
        f"<ul>{''.join(_item(c) for c in children)}</ul>"
        if children
        else '<p class="none">No document of the corpus cites it.</p>'
    )
    return f'<div class="vetkg-chain">{_STYLE}{head}{body}</div>'


def render_chain(graph, parent: str) -> str:
    """The implementation chain of ``parent`` (文号 or title) in ``graph`` as HTML."""
    return chain_html(chain_tree(graph, parent))


def chains_page(trees: list[dict], title: str = "implementation chains 政策落实链", lang: str = "zh") -> str:
    """A page of its own (``chains.html`` of a build): every tree of ``trees`` (from
    :func:`kg.analytics.chains.chain_tree`), one after the other, escaped, nothing
    remote."""
    body = "\n".join(f"<section>{chain_html(tree)}</section>" for tree in trees) or (
        '<p class="none">No document of the corpus cites a policy. / 语料中没有文件引用其他政策。</p>'
    )
    return (
        f'<!DOCTYPE html><html lang="{_e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>body{{margin:2em;max-width:1200px;"
        "font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif}"
        "section{margin:1.5em 0;padding-bottom:1em;border-bottom:1px solid #eee}</style></head>"
        f"<body><h1>{_e(title)}</h1>\n{body}\n</body></html>\n"
    )
