"""Name shapes met on an unseen national law (issue 18): regimes named by a list of what they
cover, governance regimes named by who leads them, national strategies named as a country or
society to build, a government's functional units (国务院…部门, a generic reference that
must not yield the government itself) and school names running across a founding verb. Every
sentence is written for this test (other subjects); none comes from a seed, dev, gold or
probe file."""

from __future__ import annotations

from conftest import SHAPE_HEAD, annotate, names

from kg.extraction import extract


def functions(ann: dict) -> dict[str, str]:
    """Department name → function."""
    return {r["name"]: r["function"] for r in ann["departments"]}


# --- regimes named by a list of what they cover (§5: copied as written) --------------------


def test_a_regime_over_listed_certificates_is_one_regime(write_doc):
    ann = annotate(
        write_doc,
        "开展社区教育应当面向居民需求，实行结业证书及其他学习证书、技能证书和专项能力证书制度。",
        "推行毕业证书、见习证书和岗位资格证书制度，逐步扩大覆盖面。",
        # lists of practices and generic arrangements stay out
        "国家建立对社区学员的表彰和补助制度，健全学员学习情况登记、汇总和通报制度。",
        "推动落实符合社区工作者特点的岗位评定与薪级晋升制度。",
        "建立健全学员到场馆参观、体验和研学等研学实践制度。",
    )
    programs = names(ann, "programs")
    assert programs == {
        "结业证书及其他学习证书、技能证书和专项能力证书制度": "system",
        "毕业证书、见习证书和岗位资格证书制度": "system",
    }, programs


def test_a_listed_regime_with_a_bracketed_alternative_starts_after_the_last_de(write_doc):
    ann = annotate(write_doc, "国家建立健全适应社区教育特点的专职人员岗位聘任和等级（职级）晋升制度。")
    programs = names(ann, "programs")
    assert programs == {"专职人员岗位聘任和等级（职级）晋升制度": "system"}, programs


# --- governance regimes named by who leads them ------------------------------------------------


def test_a_regime_led_by_a_named_organisation_is_a_program_a_task_answered_for_is_not(write_doc):
    ann = annotate(
        write_doc,
        "公办社区学院实行学院理事会领导的院长负责制，理事会按照章程行使职权。",
        "学校每学年开展一次体育工作自查，自查工作实行校长负责制。",
    )
    assert names(ann, "programs") == {"学院理事会领导的院长负责制": "system"}, names(ann, "programs")


# --- national strategies named as a country or society to build -------------------------------


def test_countries_and_a_society_to_build_listed_together_are_strategies(write_doc):
    ann = annotate(
        write_doc,
        "为了加快建设体育强国、健康强国和学习型社会，推动全民健身，制定本办法。",
        # alone, a society to build is a goal; 加强国际 strengthens, it names no country
        "广泛宣传构建节约型社会的重要意义，不断加强国际交流合作。",
    )
    programs = names(ann, "programs")
    assert programs == {"体育强国": "strategy", "健康强国": "strategy", "学习型社会": "strategy"}, programs


# --- a government's functional units: generic, and not the government (§3) --------------------


def test_functional_units_of_the_state_council_yield_no_state_council(write_doc):
    ann = annotate(
        write_doc,
        "国务院体育行政部门会同国务院有关部门制定场地标准，报国务院财政部门备案。",
        "县级以上地方人民政府其他有关部门按照职责分工做好相关工作。",
    )
    assert functions(ann) == {}, functions(ann)


def test_the_state_council_standing_alone_is_still_a_department(write_doc):
    text = SHAPE_HEAD + "（一）国务院统筹协调全国社区教育工作。国务院教育行政部门负责具体指导。\n"
    result = extract(write_doc(text), keywords=False)
    found = [(m.name, m.measure) for m in result.of_entity("department")]
    assert found == [("国务院", "1.1")], found  # one mention: the unit's 国务院 is none


# --- school names do not run across a verb that founds a school (§4) --------------------------


def test_a_school_name_does_not_run_across_a_founding_verb(write_doc):
    ann = annotate(
        write_doc,
        "境外机构在中国境内开办社区学校、兴办培训机构的办法，另行规定。",
        "鼓励社会力量在中国境内创办幼儿学校。",
    )
    assert names(ann, "institutions") == {}, names(ann, "institutions")
