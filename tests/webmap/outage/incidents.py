"""An open incident on a demo asset, with its outage analysis, for the checklist tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, delete, pool, text

from twin.db.engine import session_scope
from twin.live.models import Incident
from twin.live.outage import outage_report

__all__ = ["open_incident"]


@contextmanager
def open_incident(url: str, table: str, code: str, utility: str) -> Iterator[str]:
    """The code of an open incident on ``code`` (deleted afterwards, timeline included)."""
    engine = create_engine(url, poolclass=pool.NullPool)
    with session_scope(engine) as session:
        number = session.execute(
            text("SELECT nextval(pg_get_serial_sequence('live.incident', 'id'))")
        ).scalar()
        incident = Incident(
            id=number,
            code=f"INC-{number:06d}",
            title=f"Test: {code}",
            severity="major",
            status="open",
            asset_table=table,
            asset_code=code,
            details={},
            outage=outage_report(session, utility, [code]),
        )
        session.add(incident)
        found = incident.code
    try:
        yield found
    finally:
        with session_scope(engine) as session:
            session.execute(delete(Incident).where(Incident.code == found))
        engine.dispose()
