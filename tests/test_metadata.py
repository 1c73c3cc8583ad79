"""Metadata from header fields, forwarding notices, titles and signatures."""

from __future__ import annotations

from kg.parsing import parse
from kg.parsing.metadata import split_issuers


def meta(write_doc, text, **kw):
    return parse(write_doc(text, **kw)).metadata


def test_forwarding_notice_gives_inner_title_issuer_and_signature_date(write_doc):
    m = meta(
        write_doc,
        "林州市人民政府办公室\n关于印发林州市职业教育提质培优实施方案的通知\n林政办〔2023〕7号\n"
        "各乡镇人民政府：\n现将《林州市职业教育提质培优实施方案》印发给你们，请认真贯彻落实。\n"
        "2023年3月8日\n林州市职业教育提质培优实施方案\n为贯彻落实精神，制定本方案。\n一、总体要求\n",
    )
    assert m.title == "林州市职业教育提质培优实施方案"
    assert m.doc_number == "林政办〔2023〕7号"
    assert m.issuer == "林州市人民政府办公室"
    assert (m.region, m.admin_level) == ("林州市", "county")
    assert m.date == "2023-03-08"


def test_header_fields_win(write_doc):
    m = meta(
        write_doc,
        "[ 索引号 ] 123/2022-1 [ 发文字号 ] 殷政〔2022〕3号\n[ 成文日期 ] 2022-05-06\n"
        "安阳市殷都区人民政府关于推进产教融合的实施意见\n殷政〔2022〕3号\n各镇：\n"
        "为深入推进产教融合，提出如下意见。\n一、总体要求\n二〇二二年五月九日\n",
    )
    assert m.doc_number == "殷政〔2022〕3号"
    assert m.date == "2022-05-06"
    assert m.title == "安阳市殷都区人民政府关于推进产教融合的实施意见"
    assert m.issuer == "安阳市殷都区人民政府"
    assert (m.region, m.admin_level) == ("殷都区", "district")


def test_chinese_numeral_signature_date_and_no_doc_number(write_doc):
    m = meta(
        write_doc,
        "某省职业教育条例实施办法\n为了规范职业教育，根据有关法律，制定本办法。\n一、总则\n二〇二一年十二月四日\n",
    )
    assert m.date == "2021-12-04"
    assert m.doc_number is None and m.issuer is None


def test_joint_issuers_split():
    assert split_issuers("北京市发展和改革委员会北京市教育委员会") == ["北京市发展和改革委员会", "北京市教育委员会"]
    assert split_issuers("重庆市江津区人民政府办公室") == ["重庆市江津区人民政府办公室"]
    assert split_issuers("教育部河南省人民政府") == ["教育部", "河南省人民政府"]


def test_web_posting_time_is_not_a_date(write_doc):
    m = meta(
        write_doc,
        "2021-11-07 20:37:41 | 浏览次数:\nXX县深化产教融合发展实施方案   为贯彻落实精神，"
        "特制定本实施方案。   一、构建格局   (一)统筹规划。内容。",
    )
    assert m.date is None
    assert m.title == "XX县深化产教融合发展实施方案"
    assert (m.region, m.admin_level) == ("XX县", "county")


def test_preamble_not_opening_with_wei_is_still_body(write_doc):
    m = meta(
        write_doc,
        "某市职业教育条例实施办法\n近年来，我市职业教育快速发展，市教育局积极推动改革，成效明显。"
        "为进一步提升质量，制定本办法。\n一、总则\n(一)目的。内容。\n",
    )
    assert m.title == "某市职业教育条例实施办法"


def test_html_page_title_as_last_resort(write_doc):
    html = (
        "<html><head><title>某市关于加快职业教育发展的实施意见_某市人民政府网</title></head><body>"
        "<p>近年来，我市职业教育发展迅速，成效明显，但仍存在短板和弱项需要补齐。</p>"
        "<p>一、总体要求</p><p>（一）目标。内容。</p></body></html>"
    )
    m = meta(write_doc, html, name="t.html")
    assert m.title == "某市关于加快职业教育发展的实施意见"


def test_header_fields_between_title_and_preamble(write_doc):
    from kg.parsing import parse

    text = (
        "某某市教育局关于加强职业院校实习管理的通知\n（某教发〔2024〕3号）\n发文日期：20240315\n"
        "规范性文件登记号：MSGS-2024-001\n发布时间：2024-03-20 09:00\n各县区教育局：\n"
        "为规范实习管理，现通知如下。\n一、总体要求\n（一）加强管理。内容。\n"
    )
    meta = parse(write_doc(text)).metadata
    assert meta.title == "某某市教育局关于加强职业院校实习管理的通知"
    assert meta.doc_number == "某教发〔2024〕3号"
    assert meta.date == "2024-03-15"  # the 发文日期 field, not the posting time
