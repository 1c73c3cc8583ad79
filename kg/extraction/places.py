"""Regions the document names, placed in the administrative hierarchy (河南省 › 安阳市 ›
林州市), and the document's own region. Names the gazetteer holds in several provinces
are resolved toward the document's own region."""

from __future__ import annotations

from kg.core.model import Mention
from kg.core.regions import find_regions, level_from_suffix, resolve
from kg.extraction.context import DocContext


def find_places(ctx: DocContext) -> list[Mention]:
    out: list[Mention] = []
    own = ctx.region
    meta = ctx.parsed.metadata
    if meta.region and meta.title_span is not None:
        a, b = ctx.view.to_view(meta.title_span)
        i = ctx.text.find(meta.region, a, b)
        if i != -1:
            if own:
                mention = ctx.mention(
                    "region",
                    i,
                    i + len(meta.region),
                    own=True,
                    level=own.level,
                    path=own.path,
                    admin_code=own.admin_code,
                )
            else:
                mention = ctx.mention(
                    "region",
                    i,
                    i + len(meta.region),
                    own=True,
                    level=level_from_suffix(meta.region),
                    path=[meta.region],
                    admin_code=None,
                )
            out.append(mention)
    for a, b, name in find_regions(ctx.text, ctx.body_start, ctx.body_end):
        region = resolve(name, own)
        if region is None:
            continue
        out.append(
            ctx.mention("region", a, b, own=False, level=region.level, path=region.path, admin_code=region.admin_code)
        )
    return out
