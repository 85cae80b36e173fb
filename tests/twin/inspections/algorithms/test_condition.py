"""Condition rules: the TRAQ matrices and the worst grade, on plain answers."""

import pytest

from layers import feature_type
from twin.inspections.algorithms import rule_result, traq_likelihood, traq_rating, worst_grade


@pytest.mark.parametrize(("failure", "impact", "expected"), [
    ("imminent", "very_low", "unlikely"),
    ("imminent", "low", "somewhat_likely"),
    ("imminent", "high", "very_likely"),
    ("probable", "medium", "somewhat_likely"),
    ("possible", "high", "somewhat_likely"),
    ("improbable", "high", "unlikely"),
])
def test_matrix_1_likelihood_of_failure_and_impact(failure, impact, expected):
    assert traq_likelihood(failure, impact) == expected


@pytest.mark.parametrize(("failure", "impact", "consequences", "expected"), [
    ("imminent", "high", "severe", "extreme"),
    ("probable", "high", "severe", "high"),
    ("imminent", "high", "minor", "moderate"),
    ("probable", "medium", "severe", "moderate"),
    ("improbable", "high", "severe", "low"),
    ("imminent", "high", "negligible", "low"),
])
def test_matrix_2_risk_rating(failure, impact, consequences, expected):
    assert traq_rating(failure, impact, consequences) == expected


def test_worst_grade_keeps_the_worst_graded_answer_and_ignores_others():
    grades = {"a": {"ok": "good", "bad": "poor"}, "b": {"meh": "fair"}}
    order = ["good", "fair", "poor", "failed"]
    assert worst_grade(grades, order, {"a": "ok", "b": "meh", "note": "x"}) == "fair"
    assert worst_grade(grades, order, {"a": "bad", "b": "meh"}) == "poor"
    assert worst_grade(grades, order, {"note": "x"}) is None


def test_declared_valve_rule_seized_valve_has_failed():
    ft = feature_type("water_valve")
    form = ft.inspection("exercise")
    order = ft.attribute("condition").allowed
    assert rule_result(form.rule, order, {"operation": "seized", "leak": "none"}) == "failed"
    assert rule_result(form.rule, order, {"operation": "exercised", "leak": "weeping"}) == "fair"


def test_declared_tree_rule_gives_a_risk_level_of_the_tree():
    ft = feature_type("trees_tree")
    form = ft.inspection("traq")
    answers = {"likelihood_failure": "imminent", "likelihood_impact": "high",
               "consequences": "severe"}
    result = rule_result(form.rule, ft.attribute("risk_level").allowed, answers)
    assert result == "extreme"
    assert result in ft.attribute("risk_level").allowed
