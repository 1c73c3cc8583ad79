"""What a measure explicitly backs (docs/annotation.md §9): institutions and programs named in the
scope of a support verb (支持, 鼓励, 助力 …, ``对…给予支持``, ``加大对…的支持力度``)."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from kg.core.lexicon import load_yaml
from kg.core.model import Mention, Relation
from kg.extraction.context import DocContext


@lru_cache(maxsize=1)
def _conf() -> tuple[re.Pattern, re.Pattern, tuple[re.Pattern, ...]]:
    data = load_yaml("relations.yaml")
    return (
        re.compile(data["support_verbs"]),
        re.compile(data["scope_breaks"]),
        tuple(re.compile(f) for f in data["support_frames"]),
    )


def _scopes(ctx: DocContext, a: int, b: int):
    """(evidence start, scope start, scope end) for every support phrase in [a, b)."""
    verbs, breaks, frames = _conf()
    text = ctx.text
    for m in verbs.finditer(text, a, b):
        end = breaks.search(text, m.end(), b)
        yield m.start(), m.end(), end.start() if end else b
    for frame in frames:
        for m in frame.finditer(text, a, b):
            yield m.start(), m.start(1), m.end(1)


def find_supports(ctx: DocContext, targets: list[Mention]) -> list[Relation]:
    """``supports`` relations from each measure to the institutions and programs in scope."""
    ranges = sorted(((ctx.view.to_view(t.span), t) for t in targets), key=lambda r: r[0])
    starts = [ta for (ta, _), _ in ranges]
    out: list[Relation] = []
    seen: set[tuple[str, str]] = set()
    for ma, mb, measure in ctx.measures():
        for ev_start, sa, sb in _scopes(ctx, ma, mb):
            # The targets starting in the scope, in order (a bisection, not a pass over all).
            for (ta, tb), target in ranges[bisect.bisect_left(starts, sa) : bisect.bisect_right(starts, sb)]:
                if sa <= ta and tb <= sb and (measure.key, target.name) not in seen:
                    seen.add((measure.key, target.name))
                    out.append(
                        ctx.relation(
                            "supports",
                            measure.key,
                            target.name,
                            ev_start,
                            sb,
                            measure=measure.key,
                            target_kind=target.entity,
                        )
                    )
    return out
