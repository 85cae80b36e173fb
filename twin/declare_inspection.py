"""The vocabulary of inspections: the forms a crew fills in on an asset.

A feature type may declare :class:`InspectionForm` objects: the checks asked
(typed :class:`~twin.declare.Attribute` objects, with units and allowed
values, exactly like the asset's own attributes) and the
:class:`ConditionRule` that turns the answers into a value of one of the
asset's attributes (its ``condition``, a tree's ``risk_level``), with the
source the rule comes from.  The inspection tables, the API collections, the
forms and the exports are derived from these declarations
(:mod:`twin.inspections`), never written twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RULE_METHODS", "TRAQ_CHECKS", "ConditionRule", "InspectionForm"]

#: How answers become a value: ``worst`` grades each answer and keeps the
#: worst grade (grades ordered as the target attribute's allowed values);
#: ``traq`` is the ISA Tree Risk Assessment Qualification's two matrices.
RULE_METHODS = ("worst", "traq")

#: The answers the ``traq`` method reads, with their allowed values in order.
TRAQ_CHECKS = {
    "likelihood_failure": ("improbable", "possible", "probable", "imminent"),
    "likelihood_impact": ("very_low", "low", "medium", "high"),
    "consequences": ("negligible", "minor", "significant", "severe"),
}


@dataclass(frozen=True)
class ConditionRule:
    """How the answers of a form set one attribute of the inspected asset.

    ``sets`` names the attribute (it must have allowed values); ``grades``
    maps, for ``worst``, each graded check to ``{answer: value}`` and, for
    ``traq``, the key ``"rating"`` to ``{TRAQ risk rating: value}``.
    ``source`` says where the rule comes from (in English, ``source_vi`` in
    Vietnamese), shown with the form.
    """

    method: str
    sets: str
    source: str
    grades: dict[str, dict[str, str]] = field(default_factory=dict)
    source_vi: str = ""

    @property
    def en(self) -> str:
        return self.source

    @property
    def vi(self) -> str:
        return self.source_vi or self.source

    def __post_init__(self):
        if self.method not in RULE_METHODS:
            raise ValueError(f"unknown condition rule {self.method!r}; known: {RULE_METHODS}")
        if not self.source:
            raise ValueError("a condition rule names its source")


@dataclass(frozen=True)
class InspectionForm:
    """One kind of inspection of a feature type: its checks and its rule.

    ``name`` is unique within the feature type; the form's table and API
    collection are ``inspection_<feature table>_<name>``.  ``checks`` are
    :class:`twin.declare.Attribute` objects (this module is imported by
    :mod:`twin.declare`, so it names none of its classes).
    """

    name: str
    vi: str
    en: str
    checks: tuple
    rule: ConditionRule

    def check(self, name: str):
        for a in self.checks:
            if a.name == name:
                return a
        raise KeyError(name)

    def problems_with(self, ft) -> list[str]:
        """What keeps this form from applying to feature type ``ft`` (none: it fits)."""
        names = {a.name for a in self.checks}
        out = []
        try:
            target = ft.attribute(self.rule.sets)
        except KeyError:
            return [f"{self.name}: {ft.name} has no attribute {self.rule.sets!r} to set"]
        if not target.choices:
            out.append(f"{self.name}: {ft.name}.{self.rule.sets} has no allowed values")
        if "last_inspected" not in {a.name for a in ft.attributes}:
            out.append(f"{self.name}: {ft.name} has no last_inspected attribute")
        if len(names) != len(self.checks):
            out.append(f"{self.name}: duplicate check names")
        if self.rule.method == "traq":
            for check, allowed in TRAQ_CHECKS.items():
                if check not in names or self.check(check).allowed != allowed:
                    out.append(f"{self.name}: traq needs {check} with values {allowed}")
        for check, grades in self.rule.grades.items():
            if self.rule.method == "worst" and check not in names:
                out.append(f"{self.name}: grades name no check {check!r}")
            wrong = set(grades.values()) - set(target.allowed)
            if wrong:
                out.append(f"{self.name}: grades {sorted(wrong)} are not values of "
                           f"{ft.name}.{self.rule.sets}")
        return out
