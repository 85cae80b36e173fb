import pytest

from twin.errors import InvalidInput
from twin.zoning.codes import land_use_codes, load_compatibility, national_code

HEADER = "relation,code_a,code_b,permitted,note\n"


def test_code_list_holds_the_circular_codes_with_names():
    codes = land_use_codes()
    for code in (
        "ODT",
        "ONT",
        "DGT",
        "CLN",
        "LUC",
        "SKC",
        "DVH",
        "DYT",
        "DGD",
        "TSC",
        "CQP",
        "DRA",
        "DDT",
        "MNC",
        "BCS",
        "NCS",
    ):
        assert codes[code].name_vi and codes[code].name_en
    assert codes["DGD"].built and not codes["DGT"].built
    assert codes["CQP"].utility_restricted and not codes["ODT"].utility_restricted


def test_legend_codes_map_to_national_codes():
    assert national_code(" ODT ") == "ODT"
    assert national_code("CX-1", {"CX-1": "DKV"}) == "DKV"
    assert national_code("CX-2", {"CX-2": "NOPE"}) is None
    assert national_code(None) is None


@pytest.mark.parametrize(
    ("higher", "lower", "permitted"),
    [
        ("DKV", "ODT", False),  # housing inside green space
        ("ODT", "DGT", True),  # a detailed road inside housing
        ("ODT", "DGD", True),  # a neighbourhood school
        ("ODT", "ONT", True),
        ("ODT", "SKK", False),
        ("LUC", "ONT", False),
        ("CQP", "DGT", False),  # the defence row outranks the road row
        ("SKK", "SKC", True),
        ("TMD", "TMD", True),
    ],
)
def test_inside_rules(higher, lower, permitted):
    verdict, note = load_compatibility().permitted_inside(higher, lower)
    assert verdict is permitted
    assert note


def test_adjacent_rules_are_symmetric_and_default_to_permitted():
    matrix = load_compatibility()
    assert matrix.compatible_neighbours("ODT", "SKK")[0] is False
    assert matrix.compatible_neighbours("SKK", "ODT")[0] is False
    assert matrix.compatible_neighbours("DGD", "NTD")[0] is False
    assert matrix.compatible_neighbours("ODT", "TMD")[0] is True


def test_a_corrected_matrix_is_read_from_a_file(tmp_path):
    path = tmp_path / "compatibility.csv"
    path.write_text(
        "# local correction\n"
        + HEADER
        + "inside,group:green,group:residential,yes,eco-housing pilot\n",
        encoding="utf-8",
    )
    assert load_compatibility(path).permitted_inside("DKV", "ODT") == (True, "eco-housing pilot")


def test_a_broken_matrix_names_the_row_and_field(tmp_path):
    path = tmp_path / "compatibility.csv"
    path.write_text(HEADER + "inside,XXX,ODT,yes,typo\nbeside,ODT,TMD,yes,x\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as error:
        load_compatibility(path)
    problems = {(p.feature, p.field) for p in error.value.problems}
    assert problems == {
        ("compatibility.csv row 1", "code_a"),
        ("compatibility.csv row 2", "relation"),
    }
