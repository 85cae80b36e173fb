"""The import contracts of setup.cfg hold (docs/architecture.md).

``lint-imports`` is run as the command people run, so its own report is what
a failure shows: which contract broke and through which chain of imports.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    command = [sys.executable, "-c",
               "import sys; from importlinter.cli import lint_imports_command; "
               "sys.exit(lint_imports_command())", "--no-cache"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout, run.stdout


def test_every_folder_of_modules_is_a_package_the_contracts_see():
    """A folder of modules without ``__init__.py`` is a namespace package that
    ``lint-imports`` does not analyse: its imports would break no contract."""
    folders = {
        path.parent
        for top in ("twin", "webmap", "layers")
        for path in (ROOT / top).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert len(folders) > 20
    missing = sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").is_file())
    assert not missing, f"add an __init__.py to: {missing}"
