"""Alarm rules declared in data, and the engine that applies them to the live state.

The rules live in ``twin/live/data/alarm_rules.json`` (see :func:`load_rules`);
code only knows three *types* of rule:

``reading``
    A reading matches a condition (``op`` one of :data:`OPS` against
    ``value``): a lamp fault code, a breaker position.  Raised while it
    matches, cleared by the first reading that does not.
``drop``
    A reading falls more than ``drop`` below its own moving baseline (an
    exponentially weighted mean with weight ``alpha`` per sample, frozen
    while the alarm is raised): a sudden pressure loss, not the slow daily
    dip of the morning peak.  Cleared once the value is back within
    ``drop × recover_fraction`` of the baseline.
``silence``
    A device sent nothing for ``silent_s`` seconds.  Cleared by its next message.
``model``
    A reading differs from what the hydraulic model expects there at that
    time of day (``quantity`` of the latest water run, turned into the
    reading's unit) by more than ``tolerance`` (or ``tolerance_share`` of
    the model's value, if larger): a leak, a valve left
    closed, or wrong data in the twin.  Cleared once the difference is within
    ``tolerance × recover_fraction``.  The engine is given the expected
    values (:class:`twin.live.model_reference.ModelReference`).

The :class:`AlarmEngine` is pure: it takes messages and clock ticks and
returns :class:`Transition` objects (raised / cleared); storing them and
opening incidents is :mod:`twin.live.incidents`' job.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from twin.errors import InvalidInput, Problem

from .schema import DEVICE_KINDS, Message

__all__ = [
    "OPS",
    "RULES_FILE",
    "RULE_TYPES",
    "AlarmEngine",
    "Rule",
    "Transition",
    "load_rules",
    "parse_rules",
]

RULES_FILE = Path(__file__).parent / "data" / "alarm_rules.json"
RULE_TYPES = ("reading", "drop", "silence", "model")
SEVERITIES = ("minor", "major", "critical")
OPS = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
    "in": lambda a, b: a in b,
}
_REQUIRED = {
    "reading": ("field", "op", "value"),
    "drop": ("field", "drop"),
    "silence": ("silent_s",),
    "model": ("field", "quantity", "tolerance"),
}


@dataclass(frozen=True)
class Rule:
    """One alarm rule; ``definition`` keeps every key of the data file."""

    id: str
    type: str
    title: str
    severity: str
    kinds: tuple[str, ...]
    definition: dict = field(compare=False)

    @property
    def network(self) -> str | None:
        """The utility whose outage analysis an incident of this rule carries."""
        return self.definition.get("network")

    @property
    def opens_incident(self) -> bool:
        return bool(self.definition.get("opens_incident", True))

    def title_in(self, language: str) -> str:
        """The title in ``language`` (``title_vi`` ...), else the English one."""
        return self.definition.get(f"title_{language}") or self.title


@dataclass(frozen=True)
class Transition:
    """An alarm raised or cleared on one device (``subject``)."""

    rule_id: str
    subject: str
    asset_table: str
    asset_code: str
    raised: bool
    at: datetime
    value: float | None = None
    details: dict = field(default_factory=dict, compare=False)


def _rule_problems(raw, index: int) -> list[Problem]:
    where = f"alarm rule #{index}"
    if not isinstance(raw, dict):
        return [Problem("rule", "type", "must be an object", where)]
    where = f"alarm rule {raw.get('id', '#' + str(index))}"
    problems = [
        Problem(k, "required", "is required", where)
        for k in ("id", "type", "title", "severity", "kinds")
        if k not in raw
    ]
    if problems:
        return problems
    if raw["type"] not in RULE_TYPES:
        problems.append(Problem("type", "allowed_values", f"must be one of {RULE_TYPES}", where))
        return problems
    problems += [
        Problem(k, "required", f"is required for a {raw['type']} rule", where)
        for k in _REQUIRED[raw["type"]]
        if k not in raw
    ]
    if raw["severity"] not in SEVERITIES:
        problems.append(
            Problem("severity", "allowed_values", f"must be one of {SEVERITIES}", where)
        )
    unknown = [k for k in raw["kinds"] if k not in DEVICE_KINDS]
    if unknown or not raw["kinds"]:
        problems.append(
            Problem(
                "kinds",
                "allowed_values",
                f"unknown device kinds {unknown}" if unknown else "empty",
                where,
            )
        )
    problems += [
        Problem(k, "type", "must be text", where)
        for k in raw
        if k.startswith("title_") and not isinstance(raw[k], str)
    ]
    if raw["type"] == "reading" and raw.get("op") not in OPS:
        problems.append(Problem("op", "allowed_values", f"must be one of {sorted(OPS)}", where))
    return problems


def parse_rules(doc: Mapping) -> list[Rule]:
    """Rules from the parsed data file; every bad rule is reported at once."""
    raws = doc.get("rules") if isinstance(doc, Mapping) else None
    if not isinstance(raws, list):
        raise InvalidInput("alarm rules", [Problem("rules", "required", "must be a list")])
    problems = [p for i, raw in enumerate(raws) for p in _rule_problems(raw, i)]
    ids = [r.get("id") for r in raws if isinstance(r, dict)]
    problems += [
        Problem("id", "unique", f"{i!r} appears twice") for i in set(ids) if ids.count(i) > 1
    ]
    if problems:
        raise InvalidInput("the alarm rules file has bad rules", problems)
    return [
        Rule(r["id"], r["type"], r["title"], r["severity"], tuple(r["kinds"]), dict(r))
        for r in raws
    ]


def load_rules(path: Path | str | None = None) -> list[Rule]:
    """Rules from ``path`` (default: the rules file shipped with the twin)."""
    with open(path or RULES_FILE, encoding="utf-8") as f:
        return parse_rules(json.load(f))


@dataclass
class _Baseline:
    mean: float
    samples: int = 1


class AlarmEngine:
    """Applies the rules to messages and clock ticks; remembers what is raised.

    Parameters
    ----------
    rules : iterable of Rule
    active : iterable of (rule_id, subject)
        Alarms already raised (read back from the database after a restart).
    baselines : mapping, optional
        ``(rule_id, subject) -> last known value``, to seed the drop baselines.
    expected : callable, optional
        ``expected(rule, message)``: what the model says the reading of a
        ``model`` rule should be, in the reading's unit, or None (no model
        value there: the rule stays quiet).
    """

    def __init__(
        self,
        rules: Iterable[Rule],
        *,
        active: Iterable[tuple[str, str]] = (),
        baselines: Mapping[tuple[str, str], float] | None = None,
        expected: Callable[[Rule, Message], float | None] | None = None,
    ):
        self.rules = list(rules)
        self.expected = expected
        self.active: set[tuple[str, str]] = set(active)
        self._baselines = {k: _Baseline(v, 1) for k, v in (baselines or {}).items()}
        self._by_kind: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for kind in rule.kinds:
                self._by_kind.setdefault(kind, []).append(rule)

    def _transition(self, rule: Rule, m: Message, raised: bool, value=None, **details):
        key = (rule.id, m.device_id)
        if raised == (key in self.active):
            return None
        (self.active.add if raised else self.active.discard)(key)
        return Transition(
            rule.id, m.device_id, m.asset_table, m.asset_code, raised, m.ts, value, details
        )

    def _reading(self, rule: Rule, m: Message):
        d = rule.definition
        if d["field"] not in m.readings:
            return None
        value = m.readings[d["field"]]
        matches = value is not None and OPS[d["op"]](value, d["value"])
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        return self._transition(rule, m, matches, number, reading=value)

    def _drop(self, rule: Rule, m: Message):
        d = rule.definition
        value = m.readings.get(d["field"])
        if not isinstance(value, int | float):
            return None
        key = (rule.id, m.device_id)
        base = self._baselines.get(key)
        if base is None:
            self._baselines[key] = _Baseline(float(value))
            return None
        if key in self.active:
            recovered = value >= base.mean - d["drop"] * d.get("recover_fraction", 0.5)
            return (
                self._transition(rule, m, False, value, baseline=base.mean) if recovered else None
            )
        if base.samples >= d.get("min_samples", 3) and value < base.mean - d["drop"]:
            return self._transition(
                rule, m, True, value, baseline=round(base.mean, 3), drop=round(base.mean - value, 3)
            )
        alpha = d.get("alpha", 0.05)
        base.mean = alpha * value + (1 - alpha) * base.mean
        base.samples += 1
        return None

    def _model(self, rule: Rule, m: Message):
        d = rule.definition
        value = m.readings.get(d["field"])
        if not isinstance(value, int | float) or self.expected is None:
            return None
        expected = self.expected(rule, m)
        if expected is None:
            return None
        off = abs(value - expected)
        limit = max(d["tolerance"], d.get("tolerance_share", 0.0) * abs(expected))
        if (rule.id, m.device_id) in self.active:
            limit *= d.get("recover_fraction", 0.5)
        raised = off > limit
        return self._transition(rule, m, raised, value, expected=round(expected, 3),
                                difference=round(value - expected, 3))

    def on_message(self, m: Message) -> list[Transition]:
        """Transitions caused by one accepted message (silences end, conditions change)."""
        out = []
        for rule in self._by_kind.get(m.kind, ()):
            if rule.type == "reading":
                t = self._reading(rule, m)
            elif rule.type == "drop":
                t = self._drop(rule, m)
            elif rule.type == "model":
                t = self._model(rule, m)
            else:
                t = self._transition(rule, m, False)
            if t is not None:
                out.append(t)
        return out

    def on_clock(
        self, now: datetime, devices: Iterable[tuple[str, str, str, str, datetime]]
    ) -> list[Transition]:
        """Silence alarms for devices ``(device_id, kind, asset_table, asset_code, last_heard)``.

        ``last_heard`` is the last message time, or the registration time of a
        device never heard from.
        """
        out = []
        for device_id, kind, asset_table, asset_code, last_heard in devices:
            for rule in self._by_kind.get(kind, ()):
                if rule.type != "silence":
                    continue
                key = (rule.id, device_id)
                silent_for = now - last_heard
                if key not in self.active and silent_for > timedelta(
                    seconds=rule.definition["silent_s"]
                ):
                    self.active.add(key)
                    out.append(
                        Transition(
                            rule.id,
                            device_id,
                            asset_table,
                            asset_code,
                            True,
                            now,
                            silent_for.total_seconds(),
                            {"last_heard": last_heard.isoformat()},
                        )
                    )
        return out
