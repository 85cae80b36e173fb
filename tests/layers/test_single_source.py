"""Adding an attribute is one edit in layers/ plus a migration: autogenerate sees it."""

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.db

SCRIPT = textwrap.dedent("""
    import sys
    from dataclasses import replace
    from twin.declare import Attribute
    import layers.water as water

    # The one edit: a new attribute in the pipe declaration.
    colour = Attribute("coating", "text", "Lớp phủ", "Coating")
    water.pipe = replace(water.pipe, attributes=water.pipe.attributes + (colour,))
    water.LAYER = replace(water.LAYER, feature_types=tuple(
        water.pipe if ft.name == "pipe" else ft for ft in water.LAYER.feature_types))
    import layers
    layers.LAYERS = tuple(water.LAYER if l.name == "water" else l for l in layers.LAYERS)

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine
    from twin import models
    import twin.tables  # noqa
    from twin.db.migrate import compare_options

    with create_engine(sys.argv[1]).connect() as conn:
        ctx = MigrationContext.configure(conn, opts=compare_options())
        for diff in compare_metadata(ctx, models.Base.metadata):
            print(diff[0], diff[2], diff[3].name)
""")


def test_new_declared_attribute_becomes_one_add_column(db_url, tmp_path):
    script = tmp_path / "add_attribute.py"
    script.write_text(SCRIPT)
    out = subprocess.run([sys.executable, str(script), db_url], capture_output=True, text=True,
                         env={"PYTHONPATH": ".", "PATH": "/usr/bin:/bin"},
                         check=True)
    assert out.stdout.split("\n")[:-1] == ["add_column water_pipe coating"]
