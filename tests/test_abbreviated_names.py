"""Short forms met on real provincial pages (issue 18, fourth probe): a province's bureaus
written by their two-character abbreviation before 厅 (省经信厅, 省文旅厅, 省住建厅), and
national strategies named with 战略 that are no lexicon entry's regional variant (就业优先战略,
人才优先发展战略). Every sentence is written for this test (other places and subjects); none
comes from a seed, dev, gold or probe file."""

from __future__ import annotations

from conftest import annotate, names


def _functions(ann: dict) -> dict[str, str]:
    return {r["name"]: r["function"] for r in ann["departments"]}


def test_a_provincial_bureau_abbreviated_before_ting_is_a_department(write_doc):
    ann = annotate(
        write_doc,
        "由省工信厅、省经信厅会同省文旅厅制定扶持办法，省住建厅、省交通厅配合。",
    )
    assert _functions(ann) == {
        "省工信厅": "industry_it",
        "省经信厅": "industry_it",
        "省文旅厅": "culture_tourism",
        "省住建厅": "other",
        "省交通厅": "other",
    }, _functions(ann)


def test_national_strategies_named_with_zhanlue_are_programs(write_doc):
    ann = annotate(
        write_doc,
        "深入实施就业优先战略和人才优先发展战略，扩大技能人才供给。",
        # the principle without 战略 is a stance, not the named strategy
        "坚持就业优先，稳定重点群体就业。",
    )
    assert names(ann, "programs") == {"就业优先战略": "strategy", "人才优先发展战略": "strategy"}, names(
        ann, "programs"
    )
