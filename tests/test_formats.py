"""The same document as UTF-8 text, as a GBK HTML page and as UTF-16 gives the same records."""

from __future__ import annotations

import html

import pytest
from conftest import SEEDS

from kg.evaluation.annotation import as_annotation
from kg.extraction import extract

SEED_PATHS = sorted(SEEDS.glob("*.txt"))


def as_page(text: str) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines())
    return (
        '<html><head><meta charset="gbk"><title>站点</title><script>var a="一、";</script>'
        f'</head><body><div class="nav-menu">首页 | 政策</div>{body}'
        '<div id="footer">版权所有</div></body></html>'
    )


@pytest.mark.parametrize("seed", SEED_PATHS, ids=[p.stem for p in SEED_PATHS])
def test_html_and_utf16_give_the_same_annotation(tmp_path, seed):
    text = seed.read_text(encoding="utf-8")
    page = tmp_path / f"{seed.stem}.html"
    page.write_bytes(as_page(text).encode("gb18030"))
    utf16 = tmp_path / f"{seed.stem}.txt"
    utf16.write_bytes(text.encode("utf-16"))
    expected = as_annotation(extract(seed, keywords=False))
    for variant in (page, utf16):
        got = as_annotation(extract(variant, keywords=False))
        assert {k: v for k, v in got.items() if k != "document"} == {
            k: v for k, v in expected.items() if k != "document"
        }, variant.name
