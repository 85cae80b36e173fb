"""No module above 400 lines and no function above 60, anywhere in the code.

Data tables do not count: they are module-level assignments, not functions.
"""

from pathlib import Path

from tools.sizes import long_functions, long_modules

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_above_400_lines():
    assert long_modules(ROOT) == {}, "modules too long: split them by meaning"


def test_no_function_above_60_lines():
    assert long_functions(ROOT) == {}, "functions too long: split them into named steps"


def test_the_size_check_sees_a_long_function(tmp_path):
    (tmp_path / "twin").mkdir()
    body = "\n".join(f"    x{i} = {i}" for i in range(61))
    (tmp_path / "twin" / "long.py").write_text(f"def f():\n{body}\n", "utf-8")
    assert long_functions(tmp_path) == {"twin/long.py::f": 62}
    assert long_modules(tmp_path) == {}
