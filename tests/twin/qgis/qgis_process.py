"""Running the real QGIS (Debian's ``python3-qgis``) in a process of its own.

PyQGIS lives in the system Python, not in the twin's virtual environment,
and a QGIS application is best kept out of the test process: each call runs
a small script in ``/usr/bin/python3`` with ``QT_QPA_PLATFORM=offscreen``,
hands it JSON arguments and reads back the JSON it prints.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import tempfile
import textwrap

import pytest

__all__ = ["QGIS_PYTHON", "qgis_missing", "run_qgis"]

QGIS_PYTHON = "/usr/bin/python3"

_PRELUDE = """
import json, os, sys
from qgis.core import *
_app = QgsApplication([], False)
_app.initQgis()
ARGS = json.loads(sys.argv[1])

def done(result):
    sys.stdout.write("RESULT " + json.dumps(result) + "\\n")
    sys.stdout.flush()
    os._exit(0)  # exitQgis() may crash at exit with offscreen Qt; the answer is out

"""


@functools.cache
def qgis_missing() -> str | None:
    """Why QGIS cannot run here (``make setup`` installs it), or None."""
    if not os.path.exists(QGIS_PYTHON):
        return f"{QGIS_PYTHON} is missing"
    probe = subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True,
                           text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    if probe.returncode:
        return "python3-qgis is not installed (make setup installs it): " + probe.stderr[-300:]
    return None


def run_qgis(body: str, args: dict, *, env: dict | None = None, timeout: int = 180) -> dict:
    """Run ``body`` (which ends by calling ``done(result)``) in QGIS; return ``result``."""
    reason = qgis_missing()
    if reason:
        pytest.skip(reason)
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    script = _PRELUDE + textwrap.dedent(body)
    with tempfile.TemporaryDirectory(prefix="qgis-run-") as runtime:  # made with mode 0700
        # A home of its own: QGIS keeps its settings and authentication database there.
        environ.update({"QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": runtime,
                        "HOME": runtime, **(env or {})})
        proc = subprocess.run([QGIS_PYTHON, "-c", script, json.dumps(args)],
                              capture_output=True, text=True, env=environ, timeout=timeout)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise AssertionError(f"QGIS script failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n"
                         f"{proc.stderr[-4000:]}")
