import doctest

import pytest

import twin.zoning
import twin.zoning.codes


@pytest.mark.parametrize("module", [twin.zoning, twin.zoning.codes])
def test_docstring_examples_run(module):
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
