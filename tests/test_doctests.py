"""Every docstring example in ``twin`` and ``layers`` runs and shows what it says.

The modules are found by walking the packages, so a new example is run
without being listed here; a module whose import fails is an error, not a
module without examples.
"""

import doctest
import importlib
import pkgutil

import pytest

import layers
import twin

FINDER = doctest.DocTestFinder()


def _modules_with_examples() -> list[str]:
    found = []
    for package in (twin, layers):
        names = [package.__name__] + [
            m.name for m in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
        ]
        for name in names:
            module = importlib.import_module(name)
            if any(t.examples for t in FINDER.find(module, name)):
                found.append(name)
    return found


MODULES = _modules_with_examples()


def test_the_examples_are_found():
    assert {"twin.crs", "twin.fiber.steiner.solver", "twin.network.isolation"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
