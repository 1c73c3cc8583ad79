"""Documents in traditional script (mirrors and scrapes print policies so): read as the
simplified text every pattern is written for, reported as printed (kg/core/script.py)."""

from __future__ import annotations

from kg.core.script import has_traditional, to_simplified
from kg.core.textview import TextView, norm_name
from kg.extraction import extract
from kg.parsing import parse
from kg.resolution.entities import normalize_name, resolve_corpus

NOTICE = (
    "清河縣人民政府辦公室關於印發清河縣職業教育提質培優行動方案的通知\n"
    "清政辦〔2023〕12號\n"
    "各鄉鎮人民政府，縣政府各部門：\n"
    "《清河縣職業教育提質培優行動方案》已經縣政府同意，現印發給你們，請認真貫徹執行。\n"
    "清河縣人民政府辦公室\n"
    "2023年3月8日\n"
    "清河縣職業教育提質培優行動方案\n"
    "為貫徹落實《國務院關於印發國家職業教育改革實施方案的通知》（國發〔2019〕4號）精神，制定本方案。\n"
    "一、重點任務\n"
    "（一）建設實訓基地。到2025年，建成3個共享型實訓基地，“雙師型”教師佔專業課教師比例達到60%以上。"
    "（縣教育局牽頭，縣財政局、縣人力資源和社會保障局配合）\n"
    "（二）推行現代學徒製試點。支持縣職業中專開展現代學徒製試點。（縣教育局負責）\n"
)


def test_the_view_reads_traditional_characters_as_simplified_one_for_one():
    text = "關於職業學校發展的實施意見（縣教育局負責）"
    view = TextView(text)
    assert view.text == "关于职业学校发展的实施意见(县教育局负责)"
    assert len(view.text) == len(text)
    start = view.text.index("县教育局")
    assert text[view.to_original(start, start + 4).start :][:4] == "縣教育局"


def test_simplified_text_is_left_as_it_is():
    """Characters that simplified policy text also writes (显著, 覆盖, 凭藉) are no
    traditional script to fold, and a simplified text holds nothing to fold."""
    text = "成效显著，覆盖全县，凭藉优势，瞭望未来。"
    assert to_simplified(text) == text
    assert TextView(text).text == "成效显著,覆盖全县,凭藉优势,瞭望未来。"
    assert not has_traditional("关于深化产教融合的实施意见")


def test_characters_the_table_folds_to_a_variant_take_the_standard_one(write_doc):
    """餘 is 余 (not 馀), so 培訓3000餘人次 is a target like 培训3000余人次; 委託 is 委托."""
    assert to_simplified("培訓3000餘人次，委託諮詢機構") == "培训3000余人次，委托咨询机构"
    text = "某縣職業教育方案\n一、目標\n（一）開展培訓。每年培訓農民3000餘人次。\n"
    ex = extract(write_doc(text, "trad.txt"), keywords=False)
    found = [(m.attrs.get("value"), m.attrs.get("unit")) for m in ex.mentions if m.entity == "indicator"]
    assert found == [(3000, "人次")]


def test_names_in_either_script_compare_equal():
    assert norm_name("縣人力資源和社會保障局") == norm_name("县人力资源和社会保障局")
    assert norm_name("國辦發〔2017〕95號") == norm_name("国办发〔2017〕95号")


def test_a_notice_in_traditional_script_is_parsed_like_its_simplified_copy(write_doc):
    trad = parse(write_doc(NOTICE, "trad.txt"))
    simp = parse(write_doc(to_simplified(NOTICE), "simp.txt"))
    t, s = trad.metadata, simp.metadata
    assert t.title == "清河縣職業教育提質培優行動方案"  # as printed
    assert t.doc_number == "清政辦〔2023〕12號"
    for field in ("title", "doc_number", "issuer", "region", "admin_level", "date"):
        assert norm_name(str(getattr(t, field))) == norm_name(str(getattr(s, field))), field
    assert t.region == "清河县" and t.date == "2023-03-08"
    assert [m.key for m in trad.measures] == [m.key for m in simp.measures] == ["1.1", "1.2"]


def test_mentions_and_relations_of_a_traditional_text_keep_its_characters(write_doc):
    path = write_doc(NOTICE, "trad.txt")
    ex = extract(path, keywords=False)
    text = path.read_text(encoding="utf-8")
    departments = {m.name: m.attrs.get("function") for m in ex.mentions if m.entity == "department"}
    assert departments["縣教育局"] == "education"
    assert departments["縣人力資源和社會保障局"] == "human_resources_social_security"
    for m in ex.mentions:
        assert text[m.span.start : m.span.end] == m.name or m.entity in ("indicator", "cited_document", "region")
    roles = {
        (r.object, norm_name(r.subject), r.attrs.get("role")) for r in ex.relations if r.predicate == "responsible_for"
    }
    assert ("1.1", "县教育局", "lead") in roles
    assert ("1.1", "县财政局", "responsible") in roles
    assert ("1.2", "县教育局", "responsible") in roles
    cited = [m for m in ex.mentions if m.entity == "cited_document"]
    assert [norm_name(m.attrs.get("doc_number")) for m in cited] == [norm_name("国发〔2019〕4号")]
    targets = sorted(
        (m.attrs.get("value"), m.attrs.get("unit"), m.attrs.get("comparator"))
        for m in ex.mentions
        if m.entity == "indicator"
    )
    assert targets == [(3, "个", "="), (60, "%", ">=")]
    programs = {norm_name(m.name) for m in ex.mentions if m.entity == "program"}
    assert "现代学徒制" in programs or "现代学徒制试点" in programs


def test_a_body_a_scheme_and_a_cited_work_are_one_entity_in_either_script(write_doc):
    """A county's opinion in traditional script and a copy in simplified script: each
    department and cited document is one entity, labelled with both forms."""
    trad = extract(write_doc(NOTICE, "trad.txt"), keywords=False)
    simp = extract(write_doc(to_simplified(NOTICE), "simp.txt"), keywords=False)
    res = resolve_corpus([trad, simp])
    by_label = {label: e for e in res.entities.values() for label in e.labels}
    assert by_label["縣教育局"] is by_label["县教育局"]
    assert by_label["縣人力資源和社會保障局"] is by_label["县人力资源和社会保障局"]
    assert (
        by_label["國務院關於印發國家職業教育改革實施方案的通知"]
        is by_label["国务院关于印发国家职业教育改革实施方案的通知"]
    )
    departments = [e for e in res.entities.values() if e.kind == "department"]
    assert len(departments) == len({normalize_name(e.label) for e in departments}) == 4  # with the issuer
