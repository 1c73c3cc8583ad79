"""Program and support shapes met on unseen pages and regulations (issue 18, fifth probe):
designations conferred on their holders with the level or year that confers them (入选…名单,
评审出的N个国家级…, 为某年…工作室), a quoted plus code fused with the framework it numbers, a
supervisory regime over a named public spending, national special-education and
city-cluster instruments from the lexicon, and the organisation names and adverbs that a
head inside them does not make a scheme. Every sentence is written for this test (other
places and subjects); none comes from a seed, dev, gold or probe file."""

from __future__ import annotations

from conftest import annotate, names


def test_a_title_a_holder_is_selected_into_is_a_program(write_doc):
    ann = annotate(
        write_doc,
        "经专家评议，兰州市入选国家文旅融合试点城市名单，两家企业入选国家文旅融合型企业名单。",
        "另有4市入选甘肃省文旅融合试点城市名单。",
    )
    programs = names(ann, "programs")
    assert programs.get("国家文旅融合试点城市") == "pilot", programs
    assert programs.get("国家文旅融合型企业") == "brand", programs
    assert programs.get("甘肃省文旅融合试点城市") == "pilot", programs


def test_a_bare_class_in_a_list_is_no_title(write_doc):
    ann = annotate(write_doc, "三家企业入选文旅融合型企业名单，另有企业入选第三批培育入库名单。")
    assert not names(ann, "programs"), ann["programs"]


def test_counted_holders_of_a_national_title_name_the_title(write_doc):
    ann = annotate(
        write_doc,
        "省农业农村厅公布了评审出的4个国家级乡村工匠培训基地、6个乡村工匠工作室。",
        "6个国家级乡村工匠工作室为：某某茶厂李红乡村工匠工作室、某某农场王强乡村工匠工作室。",
    )
    programs = names(ann, "programs")
    assert programs.get("国家级乡村工匠培训基地") == "brand", programs
    assert programs.get("国家级乡村工匠工作室") == "brand", programs
    assert "乡村工匠工作室" not in programs, programs


def test_a_count_of_bases_to_build_is_no_title(write_doc):
    ann = annotate(write_doc, "到2027年，新建2个国家级乡村工匠培训基地和3个市级实训基地。")
    assert not any(p.endswith("基地") for p in names(ann, "programs")), ann["programs"]


def test_the_title_of_a_year_conferred_on_holders_is_a_program(write_doc):
    ann = annotate(
        write_doc,
        "经评审，评出8家工作室为2024年兰州市乡村工匠工作室，现予以公布。",
        "确定某某学校等3所学校为2022年度国家级乡村工匠培训基地建设项目(附件1)。",
    )
    programs = names(ann, "programs")
    assert programs.get("兰州市乡村工匠工作室") == "brand", programs
    assert programs.get("国家级乡村工匠培训基地建设项目") == "project", programs


def test_a_plus_code_fused_with_its_framework_is_one_strategy(write_doc):
    ann = annotate(
        write_doc,
        "各院校要主动对接本市“3+5+2”现代产业体系，服务“7+N”重点产业链发展。",
    )
    programs = {k.replace("“", "").replace("”", ""): v for k, v in names(ann, "programs").items()}
    assert programs.get("3+5+2现代产业体系") == "strategy", programs
    assert programs.get("7+N重点产业链") == "strategy", programs
    assert "3+5+2" not in programs and "7+N" not in programs, programs


def test_a_masked_quoted_name_is_no_program(write_doc):
    ann = annotate(write_doc, "全力推进“工匠*”建设，健全职业技能培训体系。")
    assert not any("*" in p for p in names(ann, "programs")), ann["programs"]


def test_a_supervisory_regime_over_named_spending_is_a_program(write_doc):
    ann = annotate(
        write_doc,
        "区人民政府应当建立中等职业教育专项资金使用监督检查制度。",
        "学校应当建立安全检查制度。",
    )
    programs = names(ann, "programs")
    assert programs.get("中等职业教育专项资金使用监督检查制度") == "system", programs
    assert "安全检查制度" not in programs, programs


def test_national_special_education_and_city_cluster_instruments(write_doc):
    ann = annotate(
        write_doc,
        "支持普通中学开展残疾学生随班就读，配备资源教师。",
        "推进某某新区市域产教联合体建设，吸引园区企业参与。",
    )
    programs = names(ann, "programs")
    assert programs.get("随班就读") == "system", programs
    assert programs.get("市域产教联合体") == "project", programs
    supports = {(r["measure"], r["target"]) for r in ann["supports"]}
    assert ("1.1", "随班就读") in supports, supports


def test_heads_inside_organisation_names_and_adverbs_are_no_schemes(write_doc):
    ann = annotate(
        write_doc,
        "名单：李明工匠工作室兰州某某路桥工程有限公司王刚工匠工作室甘肃某某水利工程职业学院张伟工匠工作室。",
        "各工作室按计划开展传艺带徒活动。",
    )
    programs = names(ann, "programs")
    assert not any(p.endswith(("工程", "计划")) for p in programs), programs
