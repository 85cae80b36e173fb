"""An inspection form declared with a layer becomes a table with typed, checked columns."""

import pytest
from sqlalchemy import inspect, text

from layers import feature_type, feature_types
from twin.declare import Attribute, ConditionRule, FeatureType, InspectionForm, choices
from twin.inspections import FORMS, table_name
from twin.inspections.tables import SCHEMA, inspection_model

DECLARED = [(ft, form) for ft in feature_types() for form in ft.inspections]


def test_the_inspected_types_declare_their_forms():
    assert {(ft.table, form.name) for ft, form in DECLARED} >= {
        ("trees_tree", "traq"), ("water_valve", "exercise"), ("lighting_light", "lamp_check"),
        ("drainage_manhole", "manhole_check"), ("water_pipe", "pipe_condition")}
    assert set(FORMS) == {table_name(ft, form) for ft, form in DECLARED}


@pytest.mark.parametrize(("ft", "form"), DECLARED, ids=lambda x: getattr(x, "name", ""))
def test_each_check_is_a_typed_column_with_its_rules(ft, form):
    table = inspection_model(table_name(ft, form)).__table__
    for check in form.checks:
        column = table.c[check.name]
        assert column.nullable is (not check.required)
        assert column.type.python_type.__name__ == {
            "text": "str", "integer": "int", "float": "float"}[check.type]
    rules = " ".join(str(c.sqltext) for c in table.constraints if hasattr(c, "sqltext"))
    for check in form.checks:
        if check.choices:
            assert f"{check.name} IN ({', '.join(repr(v) for v in check.allowed)})" in rules


@pytest.mark.db
def test_the_migrated_database_has_every_form_table_refusing_bad_answers(session):
    names = set(inspect(session.connection()).get_table_names(schema=SCHEMA))
    assert set(FORMS) <= names
    with pytest.raises(Exception, match="operation_allowed"):
        with session.begin_nested():
            session.execute(text(
                f"INSERT INTO {SCHEMA}.inspection_water_valve_exercise "
                "(asset_id, asset_code, asset_version, inspected_at, inspected_by, operation, "
                "leak) VALUES (1, 'X', 1, now(), 'me', 'wobbly', 'none')"))


def _form(**rule):
    checks = (Attribute("state", "text", "Trạng thái", "State", required=True,
                        choices=choices({"ok": ("Tốt", "OK"), "bad": ("Xấu", "Bad")})),)
    return InspectionForm("f", "F", "F", checks, ConditionRule(**rule))


def _type(form, *attributes):
    return FeatureType("thing", "Vật", "Thing", "Point", "THG", attributes=attributes,
                       inspections=(form,))


def test_a_form_setting_an_undeclared_attribute_is_refused():
    with pytest.raises(ValueError, match="no attribute 'condition'"):
        _type(_form(method="worst", sets="condition", source="s"))


def test_grades_outside_the_attributes_values_are_refused():
    condition = feature_type("water_valve").attribute("condition")
    last = feature_type("water_valve").attribute("last_inspected")
    form = _form(method="worst", sets="condition", source="s",
                 grades={"state": {"ok": "good", "bad": "terrible"}})
    with pytest.raises(ValueError, match="terrible"):
        _type(form, condition, last)


def test_a_rule_without_its_source_is_refused():
    with pytest.raises(ValueError, match="source"):
        ConditionRule("worst", "condition", "")
