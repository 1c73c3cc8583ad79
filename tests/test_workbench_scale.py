"""Text reuse when every document cites one parent in the corpus (a national plan that
every local plan implements): each document's verbatim copy of a parent measure is found,
as a copy from the parent. Small documents written for this test; names in them are
illustrative."""

from __future__ import annotations

import pytest

import kg
from kg.analytics import reuse
from kg.analytics.diffusion import diffusion_links

CHILDREN = 40
PARENT = (
    "教育部关于深化职业教育产教融合的指导意见\n教职成〔2020〕7号\n各省、自治区、直辖市教育厅（教委）：\n"
    "为深化产教融合，提出如下意见。\n一、主要任务\n"
    + "".join(
        f"（{n}）{text}\n"
        for n, text in zip(
            "一二三四五六",
            (
                "健全校企合作长效机制，推动行业企业深度参与职业院校专业设置、课程开发和教学评价全过程。",
                "建设一批高水平产教融合实训基地，支持企业与学校共建共享生产性实训设施设备。",
                "完善双师型教师培养培训体系，建立企业工程技术人员到学校兼职任教的制度。",
                "落实产教融合型企业税费优惠政策，对符合条件的企业按规定给予金融财政土地支持。",
                "推行现代学徒制和企业新型学徒制，扩大订单培养规模，提高人才培养与岗位需求契合度。",
                "建立产教融合信息服务平台，定期发布行业人才需求预测和职业院校专业设置动态。",
            ),
            strict=True,
        )
    )
    + "教育部\n2020年5月6日\n"
)
COPIED = "建设一批高水平产教融合实训基地，支持企业与学校共建共享生产性实训设施设备。"


def child(i: int) -> str:
    return (
        f"第{i}市人民政府办公室关于深化产教融合的实施意见\n市政办〔2021〕{i}号\n各县（市、区）人民政府：\n"
        "为贯彻落实《教育部关于深化职业教育产教融合的指导意见》（教职成〔2020〕7号），提出如下意见。\n"
        "一、主要任务\n"
        f"（一）{COPIED}（责任单位：市教育局）\n"
        f"（二）本市第{i}号专项：组织{i}所学校开展区域特色专业群建设与第{i}批示范项目评选工作。\n"
        f"第{i}市人民政府办公室\n2021年{1 + i % 12}月{1 + i % 28}日\n"
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("national")
    (folder / "parent.txt").write_text(PARENT, encoding="utf-8")
    for i in range(1, CHILDREN + 1):
        (folder / f"child{i:02d}.txt").write_text(child(i), encoding="utf-8")
    return kg.build(folder).store


def test_every_copy_of_the_parent_measure_is_found_in_the_parent(corpus):
    found = reuse.find_reuse(corpus)
    copies = [r for r in found if COPIED in r.measure.text and r.measure.doc_id.startswith("child")]
    assert len(copies) == CHILDREN
    for r in copies:
        assert r.scope == "parent" and r.source is not None and r.source.doc_id == "parent"
        assert COPIED in r.source.text and r.share >= 0.9
    shares = {r["doc_id"]: r for r in reuse.document_shares(found)}
    assert all(shares[f"child{i:02d}"]["parent_share"] > 0.3 for i in range(1, CHILDREN + 1))


def test_the_build_wrote_the_same_reuse_into_the_graph(corpus):
    """The build's corpus step stored every reuse (vet:Reuse nodes) as the search over the
    store finds it: the report reads them back, row for row."""
    stored = reuse.stored_reuse(corpus)
    assert stored is not None
    ranked: dict[str, list[tuple[float, str]]] = {}  # corpus candidates: the build's similarity links
    for r in diffusion_links(corpus):
        ranked.setdefault(r["a"], []).append((-r["score"], r["b"]))
        ranked.setdefault(r["b"], []).append((-r["score"], r["a"]))
    partners = {m: [x for _, x in sorted(xs)] for m, xs in ranked.items()}
    found = reuse.find_reuse(corpus, partners=partners)
    assert list(reuse.iter_reuse_rows(stored)) == list(reuse.iter_reuse_rows(found))
