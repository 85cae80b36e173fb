"""From source fields to declared attributes: ``--map``, ``--default`` and ``--extra``.

A source field reaches an attribute of the target feature type when

* it is named like one (exactly, ignoring case, or by the 10-character name
  the shapefile export gives it, see :func:`shapefile_names`);
* ``--map FIELD=ATTR`` renames it, optionally scaled: ``--map
  PIPESIZE=diameter_mm*25.4`` turns inches into millimetres (scaled values of
  integer attributes are rounded);
* ``--map FIELD=-`` drops it.

Fields left over are problems (a typo never silently drops data) unless
``--extra`` keeps them in the feature's JSONB ``extra``.  ``--default
ATTR=VALUE`` gives a value where the source has none; ``--value
ATTR:FROM=TO`` replaces a source value (``--value level:2=district`` for a
source coding levels as numbers).  Values of attributes with allowed values
are matched ignoring case, spaces and the labels, so ``Ductile iron``
becomes ``ductile_iron``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from twin.declare import Attribute, FeatureType
from twin.errors import InvalidInput, Problem
from twin.validation import CORE_FIELDS

__all__ = [
    "FieldPlan",
    "Mapping",
    "TWIN_MANAGED",
    "choice_lookup",
    "normalise_choices",
    "shapefile_names",
]

#: Fields the twin computes or owns: ignored when a file carries them (an export
#: of the twin re-imports cleanly), never copied from a source.
TWIN_MANAGED = frozenset(
    {
        "id",
        "version",
        "layer",
        "length_m",
        "area_m2",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "start_node",
        "end_node",
        "feature_type",
    }
)
_SPEC = re.compile(r"^\s*([^=]+?)\s*=\s*(-|[A-Za-z_][A-Za-z0-9_]*)\s*(?:\*\s*([0-9.eE+-]+))?\s*$")
_DBF_NAME_LENGTH = 10


def shapefile_names(ft: FeatureType) -> dict[str, str]:
    """Names of core fields and attributes in a shapefile (at most 10 characters).

    Deterministic from the declaration, so the export writes them and the
    import reads them back without a side file: a long name is cut to 10
    characters, or to 8 plus a counter when that clashes.
    """
    names = [*CORE_FIELDS, *(a.name for a in ft.attributes), "extra"]
    short: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        candidate = name[:_DBF_NAME_LENGTH]
        counter = 1
        while candidate.lower() in used:
            candidate = f"{name[: _DBF_NAME_LENGTH - 2]}{counter:02d}"
            counter += 1
        used.add(candidate.lower())
        short[name] = candidate
    return short


def _normal(text: str) -> str:
    return re.sub(r"[\s\-/]+", "_", str(text).strip().lower())


def choice_lookup(a: Attribute) -> dict[str, str]:
    """Normalised spellings (value, Vietnamese and English labels) -> allowed value."""
    lookup = {}
    for c in a.choices:
        for spelling in (c.en, c.vi, c.value):
            lookup[_normal(spelling)] = c.value
    return lookup


def normalise_choices(a: Attribute, values: np.ndarray) -> np.ndarray:
    """``values`` with other spellings of allowed values replaced by the value.

    Unknown spellings are left alone for validation to report.
    """
    if not a.choices or values.dtype.kind != "O":
        return values
    allowed, lookup = set(a.allowed), choice_lookup(a)
    out = values.copy()
    known = np.fromiter(map(allowed.__contains__, values), dtype=bool, count=len(values))
    for i in np.flatnonzero(~known):
        v = values[i]
        if isinstance(v, str):
            out[i] = lookup.get(_normal(v), v)
    return out


@dataclass(frozen=True)
class FieldPlan:
    """Where each source field goes for one feature type.

    ``targets`` maps a source field to an attribute or core field (with its
    scale factor); ``extras`` lists fields kept in ``extra``; ``unknown``
    fields are problems; ``ignored`` fields are twin-managed or dropped.
    """

    targets: dict[str, tuple[str, float | None]]
    extras: list[str]
    unknown: list[str]
    ignored: list[str]


@dataclass(frozen=True)
class Mapping:
    """The user's instructions for fields, from the ``--map``, ``--default`` and
    ``--extra`` options (see the module docstring)."""

    renames: dict[str, tuple[str, float | None]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    extra: bool = False
    code_prefix: str = ""
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def parse(
        cls, maps=(), defaults=(), *, extra: bool = False, code_prefix: str = "", values=()
    ) -> Mapping:
        """Read ``FIELD=ATTR[*FACTOR]``, ``ATTR=VALUE`` and ``ATTR:FROM=TO`` option values."""
        renames, problems = {}, []
        for spec in maps:
            m = _SPEC.match(spec)
            if not m:
                problems.append(
                    Problem(
                        "--map",
                        "syntax",
                        f"{spec!r} is not FIELD=ATTR, FIELD=ATTR*FACTOR or FIELD=-",
                    )
                )
                continue
            factor = float(m.group(3)) if m.group(3) else None
            renames[m.group(1)] = (m.group(2), factor)
        fills = {}
        for spec in defaults:
            name, sep, value = spec.partition("=")
            if not sep or not name.strip():
                problems.append(Problem("--default", "syntax", f"{spec!r} is not ATTR=VALUE"))
                continue
            fills[name.strip()] = value
        recodes: dict[str, dict[str, str]] = {}
        for spec in values:
            name, sep, rest = spec.partition(":")
            old, sep2, new = rest.partition("=")
            if not (sep and sep2 and name.strip()):
                problems.append(Problem("--value", "syntax", f"{spec!r} is not ATTR:FROM=TO"))
                continue
            recodes.setdefault(name.strip(), {})[old.strip()] = new.strip()
        if problems:
            raise InvalidInput("unreadable field mapping", problems)
        return cls(renames, fills, extra, code_prefix, recodes)

    def recode(self, name: str, values: np.ndarray) -> np.ndarray:
        """``values`` of attribute ``name`` with the ``--value`` replacements made."""
        table = self.values.get(name)
        if not table:
            return values
        out = np.asarray(values).astype(object)
        for i, v in enumerate(out):
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            key = None if v is None else str(v).strip()
            if key in table:
                out[i] = table[key]
        return out

    def plan(self, ft: FeatureType, fields, *, source: str) -> tuple[FieldPlan, list[Problem]]:
        """Decide where each of ``fields`` goes for ``ft``; problems name the field."""
        declared = {a.name for a in ft.attributes} | set(CORE_FIELDS) | {"extra"}
        lower = {name.lower(): name for name in declared}
        for long, short in shapefile_names(ft).items():
            lower.setdefault(short.lower(), long)
        targets, extras, unknown, ignored, problems = {}, [], [], [], []
        for name in fields:
            if name in self.renames:
                target, factor = self.renames[name]
                if target == "-":
                    ignored.append(name)
                elif target in declared:
                    targets[name] = (target, factor)
                else:
                    problems.append(
                        Problem(
                            "--map",
                            "unknown_attribute",
                            f"{name}={target}: {ft.table} has no attribute {target!r}",
                            source,
                        )
                    )
            elif name in declared or name.lower() in lower:
                targets[name] = (name if name in declared else lower[name.lower()], None)
            elif name.lower() in TWIN_MANAGED:
                ignored.append(name)
            elif self.extra:
                extras.append(name)
            else:
                unknown.append(name)
        problems += [
            Problem(
                name,
                "unknown_attribute",
                f"{ft.table} has no attribute {name!r}: map it with --map "
                f"{name}=ATTR, drop it with --map {name}=-, or keep it with "
                "--extra",
                source,
            )
            for name in unknown
        ]
        problems += self._target_clashes(targets, source)
        return FieldPlan(targets, extras, unknown, ignored), problems

    @staticmethod
    def _target_clashes(targets, source) -> list[Problem]:
        seen: dict[str, str] = {}
        problems = []
        for name, (target, _) in targets.items():
            if target in seen:
                problems.append(
                    Problem(
                        target,
                        "one_source_field",
                        f"both {seen[target]!r} and {name!r} map to {target}",
                        source,
                    )
                )
            seen[target] = name
        return problems
