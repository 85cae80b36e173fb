"""Slowing down password guessing: failed logins per account and per address.

After a few free failures each further one makes the account (or the
address) wait before it may try again, twice as long each time, up to a
quarter of an hour.  The counts live in ``auth.login_failures``, so every
process and thread of the twin sees the same ones; a quiet hour forgets them,
and a successful login forgets the account's (not the address's: one known
password must not buy an address more guesses at other accounts).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from .models import LoginFailure

__all__ = ["ACCOUNT", "ADDRESS", "Rule", "failed", "seconds_to_wait", "succeeded"]


@dataclass(frozen=True)
class Rule:
    """How many failures are free, and how the wait grows after them (seconds)."""

    free: int
    first_wait_s: float = 1.0
    max_wait_s: float = 900.0
    forget_after_s: float = 3600.0

    def wait_after(self, failures: int) -> float:
        """Seconds to wait after the ``failures``-th failure in a row.

        >>> [Rule(free=2).wait_after(n) for n in (1, 2, 3, 4, 5)]
        [0.0, 0.0, 1.0, 2.0, 4.0]
        >>> Rule(free=2).wait_after(40)
        900.0
        """
        if failures <= self.free:
            return 0.0
        return min(self.max_wait_s, self.first_wait_s * 2.0 ** min(failures - self.free - 1, 30))


#: One account is guessed at by anyone: few free failures.
ACCOUNT = Rule(free=5)
#: One address may hold many people (an office behind NAT): more free failures.
ADDRESS = Rule(free=20)


def _keys(name: str, address: str | None) -> list[tuple[str, Rule]]:
    keys = [(f"account:{name[:200]}", ACCOUNT)]
    if address:
        keys.append((f"address:{address}", ADDRESS))
    return keys


def seconds_to_wait(session: Session, name: str, address: str | None) -> int:
    """Whole seconds before ``name`` may try again from ``address`` (0: now).

    Logins of one account wait for each other from here to the end of the
    transaction (which counts the outcome), so a burst of parallel guesses
    cannot all pass before the first failure is counted.
    """
    account = _keys(name, None)[0][0]
    session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(account, 0))))
    t = LoginFailure.__table__
    left = session.scalar(
        select(func.max(func.extract("epoch", t.c.blocked_until - func.now()))).where(
            t.c.key.in_([key for key, _ in _keys(name, address)]),
            t.c.blocked_until > func.now(),
        )
    )
    return math.ceil(left) if left else 0


def _count(session: Session, key: str, rule: Rule) -> None:
    t = LoginFailure.__table__
    now = func.now()
    stale = t.c.last_failed_at < now - timedelta(seconds=rule.forget_after_s)
    upsert = insert(t).values(key=key, failures=1, last_failed_at=now)
    upsert = upsert.on_conflict_do_update(
        index_elements=[t.c.key],
        set_={"failures": case((stale, 1), else_=t.c.failures + 1), "last_failed_at": now},
    ).returning(t.c.failures)
    wait = rule.wait_after(session.execute(upsert).scalar_one())
    if wait:
        until = now + timedelta(seconds=wait)
        session.execute(update(t).where(t.c.key == key).values(blocked_until=until))


def failed(session: Session, name: str, address: str | None) -> None:
    """Count a failed login of ``name`` from ``address`` (callers commit)."""
    for key, rule in _keys(name, address):
        _count(session, key, rule)
    t = LoginFailure.__table__
    longest = max(ACCOUNT.forget_after_s, ADDRESS.forget_after_s, ACCOUNT.max_wait_s)
    session.execute(
        delete(t).where(t.c.last_failed_at < func.now() - timedelta(seconds=2 * longest))
    )


def succeeded(session: Session, name: str) -> None:
    """Forget the failures of the account ``name`` after a correct password."""
    t = LoginFailure.__table__
    session.execute(delete(t).where(t.c.key == _keys(name, None)[0][0]))
