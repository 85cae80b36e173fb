"""Numbers typed by people: read as meant, ambiguous text refused (twin.locale_numbers)."""

from decimal import Decimal

import pytest

from layers import feature_type
from twin.locale_numbers import AmbiguousNumber, read_number
from twin.validation import coerce_value, validate_attributes


@pytest.mark.parametrize(("text", "locale", "expected"), [
    ("1,5", "vi", "1.5"),
    ("1.234,5", "vi", "1234.5"),
    ("1 234,5", "vi", "1234.5"),
    ("1\u202f234,5", "vi", "1234.5"),
    ("12.345.678", "vi", "12345678"),
    ("-0,25", "vi", "-0.25"),
    ("1.5", "vi", "1.5"),
    ("1,234.5", "vi", "1234.5"),
    ("1.5", "en", "1.5"),
    ("1,5", "en", "1.5"),
    ("0.500", "vi", "0.5"),
    ("2.5e3", None, "2500"),
    ("1234", "vi", "1234"),
])
def test_read_number_means_what_was_typed(text, locale, expected):
    assert read_number(text, locale) == Decimal(expected)


@pytest.mark.parametrize("text", ["1.500", "1,500", "12.345", "-999,000"])
@pytest.mark.parametrize("locale", ["vi", "en", None])
def test_one_separator_before_three_digits_is_refused(text, locale):
    with pytest.raises(AmbiguousNumber) as refused:
        read_number(text, locale)
    assert refused.value.whole == text.replace(".", "").replace(",", "")


@pytest.mark.parametrize("text", ["abc", "1,2,3", "1.5.5", "", "1,5 m", "NaN", "-inf", "1e999"])
def test_text_that_is_no_number_is_refused(text):
    with pytest.raises(ValueError):
        read_number(text, "vi")


def test_the_server_reads_a_decimal_comma_and_never_stores_fifteen():
    assert coerce_value("float", "1,5") == 1.5
    assert coerce_value("integer", "1.234,0") == 1234
    with pytest.raises(AmbiguousNumber):
        coerce_value("integer", "1.234")


def test_the_server_names_the_field_of_an_ambiguous_number():
    ft = feature_type("water_pipe")
    numeric = next(a for a in ft.attributes if a.type == "float")
    clean, problems = validate_attributes(ft, {numeric.name: "1.500"}, partial=True,
                                          feature="WTR-PIPE-1")
    assert [(p.field, p.rule) for p in problems] == [(numeric.name, "ambiguous_number")]
    assert "1500" in problems[0].message and "1.5" in problems[0].message
    assert clean[numeric.name] is None
