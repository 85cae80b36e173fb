import doctest

import pytest

import twin.zoning
import twin.zoning.codes
import twin.zoning.geometry
import twin.zoning.projection
import twin.zoning.reading_cad


@pytest.mark.parametrize(
    "module",
    [
        twin.zoning,
        twin.zoning.codes,
        twin.zoning.geometry,
        twin.zoning.projection,
        twin.zoning.reading_cad,
    ],
)
def test_docstring_examples_run(module):
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
