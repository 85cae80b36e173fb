"""Condition from the answers of an inspection, by the rule its form declares.

``worst`` grades each answer and keeps the worst grade; ``traq`` rates a
tree's risk with the two matrices of the ISA Tree Risk Assessment
Qualification (Smiley, Matheny and Lilly, *Best Management Practices: Tree
Risk Assessment*, 2nd ed., ISA 2017): the likelihood of failure and the
likelihood of impacting the target give the likelihood of failure and
impact (Matrix 1), which with the consequences gives the risk rating
(Matrix 2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from twin.declare_inspection import ConditionRule

__all__ = ["rule_result", "traq_likelihood", "traq_rating", "worst_grade"]

_IMPACT = ("very_low", "low", "medium", "high")
#: Matrix 1: likelihood of failure (rows) × likelihood of impact (columns).
_MATRIX_1 = {
    "imminent": ("unlikely", "somewhat_likely", "likely", "very_likely"),
    "probable": ("unlikely", "unlikely", "somewhat_likely", "likely"),
    "possible": ("unlikely", "unlikely", "unlikely", "somewhat_likely"),
    "improbable": ("unlikely", "unlikely", "unlikely", "unlikely"),
}
_CONSEQUENCES = ("negligible", "minor", "significant", "severe")
#: Matrix 2: likelihood of failure and impact (rows) × consequences (columns).
_MATRIX_2 = {
    "very_likely": ("low", "moderate", "high", "extreme"),
    "likely": ("low", "moderate", "high", "high"),
    "somewhat_likely": ("low", "low", "moderate", "moderate"),
    "unlikely": ("low", "low", "low", "low"),
}


def traq_likelihood(failure: str, impact: str) -> str:
    """Likelihood of failure and impact (TRAQ Matrix 1).

    >>> traq_likelihood("probable", "high")
    'likely'
    """
    return _MATRIX_1[failure][_IMPACT.index(impact)]


def traq_rating(failure: str, impact: str, consequences: str) -> str:
    """Risk rating ``low``, ``moderate``, ``high`` or ``extreme`` (TRAQ Matrix 2).

    >>> traq_rating("imminent", "high", "severe")
    'extreme'
    >>> traq_rating("possible", "medium", "severe")
    'low'
    """
    return _MATRIX_2[traq_likelihood(failure, impact)][_CONSEQUENCES.index(consequences)]


def worst_grade(grades: Mapping[str, Mapping[str, str]], order: Sequence[str],
                answers: Mapping[str, object]) -> str | None:
    """The worst grade of the graded ``answers`` (``order``: best first); None if none graded.

    >>> grades = {"lamp": {"working": "good", "out": "poor"}, "pole": {"leaning": "fair"}}
    >>> worst_grade(grades, ["good", "fair", "poor"], {"lamp": "working", "pole": "leaning"})
    'fair'
    >>> worst_grade(grades, ["good", "fair", "poor"], {"lamp": None}) is None
    True
    """
    found = [grades[name][value] for name, value in answers.items()
             if name in grades and value in grades[name]]
    return max(found, key=order.index) if found else None


def rule_result(rule: ConditionRule, order: Sequence[str],
                answers: Mapping[str, object]) -> str | None:
    """The value ``rule`` gives its attribute (allowed values ``order``) from ``answers``.

    >>> rule = ConditionRule("traq", "risk_level", "ISA TRAQ",
    ...                      grades={"rating": {"low": "low", "moderate": "medium",
    ...                                         "high": "high", "extreme": "extreme"}})
    >>> rule_result(rule, ["low", "medium", "high", "extreme"], {
    ...     "likelihood_failure": "probable", "likelihood_impact": "high",
    ...     "consequences": "significant"})
    'high'
    """
    if rule.method == "worst":
        return worst_grade(rule.grades, order, answers)
    rating = traq_rating(answers["likelihood_failure"], answers["likelihood_impact"],
                         answers["consequences"])
    return rule.grades.get("rating", {}).get(rating, rating)
