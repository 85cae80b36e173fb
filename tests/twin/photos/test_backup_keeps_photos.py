"""A backup keeps the photos: restored, each file is there byte for byte with its checksum."""

import hashlib

import psycopg
import pytest
from sqlalchemy import create_engine, pool

from layers import feature_type
from tests.databases import scratch_database
from tests.factories import sample_geometry, sample_properties
from tests.twin.db.snapshots import twin
from tests.twin.photos.images import phone_jpeg
from twin.db.engine import session_scope
from twin.edits import create_feature
from twin.photos import attach_photo

pytestmark = pytest.mark.db


def _photos(url: str) -> list[tuple]:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return conn.execute("SELECT subject, sha256, data, thumbnail, ST_AsText(geom) "
                            "FROM ops.photo ORDER BY id").fetchall()


def test_restore_from_a_backup_keeps_the_photos(db_url, tmp_path):
    ft = feature_type("water_valve")
    photo = phone_jpeg(106.2, 21.27)
    with scratch_database(db_url, "photo_src") as source, \
            scratch_database(db_url, "photo_dst", migrated=False) as target:
        engine = create_engine(source, poolclass=pool.NullPool)
        with session_scope(engine) as session:
            code = create_feature(session, ft.table, sample_properties(ft), sample_geometry(ft),
                                  user="editor").feature["id"]
            attach_photo(session, "asset", f"{ft.table}/{code}", photo, user="crew")
        engine.dispose()
        made = twin(tmp_path, "backup", "--out", str(tmp_path / "twin.tar"),
                    database_url=source)
        assert made.exit_code == 0, made.output
        done = twin(tmp_path, "restore", str(tmp_path / "twin.tar"), database_url=target)
        assert done.exit_code == 0, done.output
        restored = _photos(target)
        assert restored == _photos(source)
        (subject, digest, data, thumbnail, where), = restored
        assert subject == f"water_valve/{code}" and bytes(data) == photo
        assert digest == hashlib.sha256(bytes(data)).hexdigest()
        assert thumbnail and where == "POINT(106.2 21.27)"
