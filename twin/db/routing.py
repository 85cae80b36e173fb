"""Reads to hot standbys, writes to the primary, and every user reading their own writes.

A web process given replica URLs (``twin web serve --replica URL``,
``DATABASE_REPLICA_URLS``) asks a :class:`ReadRouter` for the database of
each read.  The router answers from what it last learnt of each standby,
so a read costs no extra round trip:

* a standby is *healthy* when it answers, is still in recovery (a promoted
  one no longer follows this primary) and has replayed the primary's WAL to
  within :data:`MAX_LAG_BYTES`; a standby that is down or behind is left out
  until a later check finds it caught up;
* the checks run in a short-lived background thread at most every
  ``check_every_s`` seconds, started by the first read that finds the last
  check too old; the read itself does not wait for it;
* a read that must see a write (its author's, whose commit reached the
  primary's WAL at ``after_lsn``) takes a standby that has replayed that far,
  waits for one up to ``catch_up_s``, and otherwise reads from the primary;
* a standby found closed when a read takes a connection from its pool is
  marked down at once and the read goes to the next one, or to the primary:
  a standby that stops causes no error.

Healthy standbys take reads in turn.  WAL positions (LSNs) are handled as
integers: ``'16/B374D848'`` is ``0x16_B374D848``.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine

from .errors import CONNECTION_ERRORS

__all__ = ["CATCH_UP_S", "MAX_LAG_BYTES", "ReadRouter", "format_lsn", "parse_lsn"]

log = logging.getLogger(__name__)

#: A standby further behind the primary than this (bytes of WAL) takes no reads.
MAX_LAG_BYTES = 16 * 2**20
#: How long a read waits for a standby to replay its author's write (s).
CATCH_UP_S = 0.5
#: Pause between two looks at a standby's replay position while waiting (s).
_POLL_S = 0.005


def parse_lsn(value: str) -> int:
    """A WAL position as an integer.

    >>> parse_lsn("16/B374D848") == 0x16_B374D848
    True
    """
    high, _, low = value.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


def format_lsn(value: int) -> str:
    """The PostgreSQL spelling of a WAL position.

    >>> format_lsn(0x16_B374D848)
    '16/B374D848'
    """
    return f"{value >> 32:X}/{value & 0xFFFFFFFF:X}"


@dataclass
class _Standby:
    url: str
    engine: Engine
    healthy: bool | None = None  # None: not yet checked
    replayed: int = 0
    lag: int | None = None


class ReadRouter:
    """The database URL of each read: a healthy standby when one will do, else the primary.

    Parameters
    ----------
    primary_url : str
        SQLAlchemy URL of the primary (the login of the web app).
    replica_urls : sequence of str
        SQLAlchemy URLs of the standbys, same login.
    engine_for : callable
        ``engine_for(url) -> Engine``: an autocommit engine per URL (kept by the
        caller), used for the checks and the waits.
    """

    def __init__(self, primary_url: str, replica_urls: Sequence[str], *,
                 engine_for: Callable[[str], Engine], max_lag_bytes: int = MAX_LAG_BYTES,
                 check_every_s: float = 1.0, catch_up_s: float = CATCH_UP_S):
        self.primary_url = primary_url
        self._primary = engine_for(primary_url)
        self.standbys = [_Standby(url, engine_for(url)) for url in replica_urls]
        self.max_lag_bytes, self.check_every_s, self.catch_up_s = (
            max_lag_bytes, check_every_s, catch_up_s)
        self._turn = itertools.count()
        self._checked_at = float("-inf")
        self._checking = threading.Lock()

    # -- which database ------------------------------------------------------
    def read_url(self, *, after_lsn: int | None = None) -> str:
        """The URL to read from; with ``after_lsn``, one that has replayed that write."""
        self._check_soon()
        healthy = [s for s in self.standbys if s.healthy]
        if not healthy:
            return self.primary_url
        first = next(self._turn) % len(healthy)
        for standby in healthy[first:] + healthy[:first]:
            if self._usable(standby, after_lsn):
                return standby.url
        return self.primary_url

    def primary_lsn(self) -> int:
        """Where the primary's WAL ends now: at or after every write committed so far."""
        with self._primary.connect() as conn:
            return parse_lsn(conn.execute(text("SELECT pg_current_wal_lsn()::text")).scalar_one())

    def healthy_urls(self) -> list[str]:
        return [s.url for s in self.standbys if s.healthy]

    # -- checks ----------------------------------------------------------------
    def check(self) -> None:
        """Look at every standby now: up, following, how far behind."""
        try:
            primary_end = self.primary_lsn()
        except CONNECTION_ERRORS:
            primary_end = None  # the primary is away: standbys serve what they have
        for standby in self.standbys:
            was = standby.healthy
            try:
                with standby.engine.connect() as conn:
                    following, replayed = conn.execute(text(
                        "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text")).one()
            except CONNECTION_ERRORS:
                standby.healthy, standby.lag = False, None
            else:
                standby.replayed = parse_lsn(replayed) if replayed else 0
                standby.lag = max(0, primary_end - standby.replayed) if primary_end else 0
                standby.healthy = bool(following) and standby.lag <= self.max_lag_bytes
            if was is not None and was != standby.healthy:
                log.warning("replica %s %s", _host(standby.url),
                            "takes reads again" if standby.healthy else
                            f"left out (lag {standby.lag} bytes)" if standby.lag is not None
                            else "left out (unreachable)")
        self._checked_at = time.monotonic()

    def _check_soon(self) -> None:
        """Start a check in the background when the last one is too old (never waits)."""
        if time.monotonic() - self._checked_at < self.check_every_s:
            return
        if not self._checking.acquire(blocking=False):
            return
        self._checked_at = time.monotonic()  # one check per interval, however many reads

        def run():
            try:
                self.check()
            except Exception:  # a check must never take the web process down
                log.exception("checking the replicas failed")
            finally:
                self._checking.release()

        threading.Thread(target=run, name="twin-replica-check", daemon=True).start()

    def _usable(self, standby: _Standby, after_lsn: int | None) -> bool:
        """Whether ``standby`` may serve this read, waiting a little for its author's write."""
        try:
            if after_lsn is None or standby.replayed >= after_lsn:
                with standby.engine.connect():  # a closed server is found here, not by the read
                    return True
            return self._wait_for(standby, after_lsn)
        except CONNECTION_ERRORS:
            standby.healthy = False
            log.warning("replica %s left out (unreachable)", _host(standby.url))
            return False

    def _wait_for(self, standby: _Standby, lsn: int) -> bool:
        deadline = time.monotonic() + self.catch_up_s
        with standby.engine.connect() as conn:
            while True:
                replayed = conn.execute(text("SELECT pg_last_wal_replay_lsn()::text")).scalar()
                standby.replayed = max(standby.replayed, parse_lsn(replayed) if replayed else 0)
                if standby.replayed >= lsn:
                    return True
                if time.monotonic() >= deadline:
                    return False
                time.sleep(_POLL_S)


def _host(url: str) -> str:
    """Where a URL points, without its password (for the log)."""
    return url.rpartition("@")[2]
