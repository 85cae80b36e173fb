"""The preflight: every feature of a source checked before anything is written.

For each source table the preflight picks the feature type
(:mod:`twin.io.targets`), maps fields to attributes (:mod:`twin.io.mapping`),
converts and checks whole columns against the declaration
(:mod:`twin.io.columns`), brings geometries to WGS 84 and checks their type,
validity and that they lie in Vietnam (:mod:`twin.io.geometry`; features
outside mean a wrong coordinate system), then checks what needs the
database: codes that already exist and network ends naming nodes that exist
nowhere.  It only reads; ``twin asset import --dry-run`` stops here and prints the
report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

import numpy as np
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from twin.declare import ASSET_STATUSES, Attribute, FeatureType, choices, code_problem, normal_code
from twin.errors import Problem
from twin.models import model
from twin.validation import CORE_FIELDS, validate_attributes

from .columns import CheckedColumn, check_column
from .extras import extras_column
from .geometry import check_geometry
from .georef import resolve_crs
from .mapping import Mapping, normalise_choices
from .report import ProblemLog
from .source import Source, SourceTable
from .targets import targets

__all__ = ["CORE_ATTRIBUTES", "Batch", "Checks", "Plan", "preflight"]

#: The core asset fields a source may fill, as attributes.
CORE_ATTRIBUTES = {
    name: Attribute(
        name, kind, name, name, choices=choices(ASSET_STATUSES) if name == "status" else ()
    )
    for name, kind in CORE_FIELDS.items()
}
SOURCE = "(source)"


@dataclass
class Batch:
    """Checked features of one source table, ready to write.

    ``values`` holds one object array per column (attributes, core fields,
    ``extra``), ``geometry`` shapely geometries in WGS 84, ``codes`` the
    codes from the source (``None`` entries get the twin's codes).
    """

    source: SourceTable
    ft: FeatureType
    values: dict[str, np.ndarray]
    geometry: np.ndarray
    codes: np.ndarray | None = None

    @property
    def table(self) -> str:
        return self.ft.table

    def __len__(self) -> int:
        return len(self.geometry)


@dataclass
class Plan:
    """The outcome of a preflight: batches to write, or the problems found."""

    source: Source
    crs: str
    batches: list[Batch]
    log: ProblemLog
    notes: list[str] = field(default_factory=list)
    #: Ids of existing nodes that imported network ends name, by (table, code).
    known_nodes: dict[tuple[str, str], int] = field(default_factory=dict)
    #: Prepended to the codes of the source (``--code-prefix``).
    code_prefix: str = ""


def _rule_examples(ft, st, name, raw, checked: CheckedColumn, rule, rows) -> list[Problem]:
    """The wording of twin.validation for the reported rows of one rule."""
    examples = []
    for i in rows:
        value = raw[i] if rule in ("type", "required") else checked.values[i]
        found = validate_attributes(ft, {name: value}, feature=st.label(i), partial=True)[1]
        examples += [p for p in found if p.rule == rule] or [
            Problem(name, rule, f"{value!r} breaks the rule", st.label(i))
        ]
    return examples


def _log_column(log, ft, st, name, raw, checked: CheckedColumn) -> None:
    for rule, mask in checked.failed.items():
        rows = np.flatnonzero(mask)[: log.room(ft.table, name, rule)]
        log.add_rule(
            ft.table,
            name,
            rule,
            _rule_examples(ft, st, name, raw, checked, rule, rows),
            int(mask.sum()),
        )


def _with_default(log, ft, a: Attribute, checked: CheckedColumn, default: str) -> CheckedColumn:
    """Fill the empty cells of a checked column with the ``--default`` value."""
    fixed = check_column(a, np.array([default], dtype=object))
    if fixed.failed:
        found = validate_attributes(ft, {a.name: default}, feature="--default", partial=True)
        log.extend(ft.table, found[1])
        return checked
    bad_type = checked.failed.get("type", np.zeros(len(checked.values), dtype=bool))
    fill = np.equal(checked.values, None) & ~bad_type
    checked.values[fill] = fixed.values[0]
    if "required" in checked.failed:
        checked.failed["required"] = checked.failed["required"] & ~fill
        if not checked.failed["required"].any():
            del checked.failed["required"]
    return checked


def _attribute_columns(log, st, ft, mapping: Mapping, sources, features) -> dict[str, np.ndarray]:
    values = {}
    attributes = {**CORE_ATTRIBUTES, **{a.name: a for a in ft.attributes}}
    for name, a in attributes.items():
        default = mapping.defaults.get(name)
        if name in sources:
            source_field, scale = sources[name]
            raw = normalise_choices(a, mapping.recode(name, st.columns[source_field]))
            checked = check_column(a, raw, scale)
        elif default is not None:
            raw = np.full(len(st), default, dtype=object)
            checked = check_column(a, normalise_choices(a, raw))
            default = None
        else:
            if a.required and features:
                log.add(
                    ft.table,
                    Problem(
                        name,
                        "required",
                        f"{ft.table} requires {name} and "
                        f"the source has no such field (all {features:,} features): map one "
                        f"with --map FIELD={name} or give --default {name}=VALUE",
                        st.name,
                    ),
                )
            continue
        if default is not None:
            checked = _with_default(log, ft, a, checked, default)
        _log_column(log, ft, st, name, raw, checked)
        values[name] = checked.values
    return values


def _check_table(
    log, st, ft, mapping: Mapping, crs, crs_text, check_bounds, features: int | None
) -> tuple[Batch, list[str]]:
    """Check one source table; ``features`` is the size of the layer for the
    problems of the layer as a whole (``None``: a later part of it, whose
    first part reported those)."""
    plan, problems = mapping.plan(ft, list(st.columns), source=st.name)
    if features is not None:
        log.extend(ft.table, problems)
    sources = {target: (name, scale) for name, (target, scale) in plan.targets.items()}
    if st.labels is None and "code" in sources:
        first = st.first_row + 1
        st = replace(
            st,
            labels=[
                f"row {first + i}" if c is None or c != c else f"row {first + i} ({c})"
                for i, c in enumerate(st.columns[sources["code"][0]].tolist())
            ],
        )
    values = _attribute_columns(log, st, ft, mapping, sources, features)
    extra = extras_column(st, plan.extras, sources.get("extra", (None,))[0], log, ft.table)
    if extra is not None:
        values["extra"] = extra
    codes = values.pop("code", None)
    if codes is not None:
        prefix = mapping.code_prefix
        codes = np.array(
            [None if c is None else normal_code(f"{prefix}{c}") for c in codes], dtype=object
        )
    geometry = check_geometry(log, st, ft, crs, crs_text, check_bounds)
    return Batch(st, ft, values, geometry, codes), plan.ignored


def _check_codes(session: Session, batches: list[Batch], log: ProblemLog) -> None:
    by_table: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for b in batches:
        if b.codes is not None:
            by_table[b.table] += [
                (c, b.source.label(i)) for i, c in enumerate(b.codes) if c is not None
            ]
    for table, pairs in by_table.items():
        broken = [
            Problem("code", "code_pattern", why, label)
            for c, label in pairs
            if (why := code_problem(c))
        ]
        log.add_rule(table, "code", "code_pattern", broken, len(broken))
        counts = Counter(c for c, _ in pairs)
        twice = [
            Problem(
                "code", "unique_code", f"code {c!r} appears {counts[c]} times in the source", label
            )
            for c, label in pairs
            if counts[c] > 1
        ]
        log.add_rule(table, "code", "unique_code", twice, len(twice))
        m = model(table)
        taken = set(session.execute(select(m.code).where(m.code.in_(list(counts)))).scalars())
        exist = [
            Problem("code", "code_exists", f"{table} already has a feature with code {c!r}", label)
            for c, label in pairs
            if c in taken
        ]
        log.add_rule(table, "code", "code_exists", exist, len(exist))


def _check_ends(session: Session, plan: Plan) -> None:
    """Every end a network model names must be a node of the file or of the twin."""
    prefix = plan.code_prefix
    imported = {(b.table, c) for b in plan.batches if b.codes is not None for c in b.codes}
    wanted = {
        (t, normal_code(prefix + c))
        for b in plan.batches
        if b.source.ends
        for side in b.source.ends
        for t, c in side
    } - imported
    by_table = defaultdict(set)
    for table, code in wanted:
        by_table[table].add(code)
    for table, codes in by_table.items():
        m = model(table)
        rows = session.execute(select(m.code, m.id).where(m.code.in_(codes)))
        plan.known_nodes.update({(table, code): i for code, i in rows})
    for b in plan.batches:
        if not b.source.ends:
            continue
        missing = [
            Problem(
                f"{side}_node",
                "known_node",
                f"{side} node {c!r} is neither in the file nor in {t}",
                b.source.label(i),
            )
            for side, ends in zip(("start", "end"), b.source.ends, strict=True)
            for i, (t, c) in enumerate(ends)
            if (t, normal_code(prefix + c)) not in imported
            and (t, normal_code(prefix + c)) not in plan.known_nodes
        ]
        for side in ("start", "end"):
            found = [p for p in missing if p.field == f"{side}_node"]
            if found:
                plan.log.add_rule(b.table, f"{side}_node", "known_node", found, len(found))


def _extent(source: Source):
    parts = [t.geometry for t in source.tables if len(t)]
    return shapely.total_bounds(np.concatenate(parts)) if parts else None


class Checks:
    """The preflight of one source, table by table or part by part.

    :func:`preflight` checks every table at once; an import that writes a
    big layer part by part (:mod:`twin.io.importer`) checks each part with
    :meth:`table` as it goes and the whole with :meth:`plan` at the end.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Only read from: existing codes and network nodes.
    target : str
        ``LAYER``, ``LAYER:TYPE`` or a table name.
    source : Source
        From :func:`twin.io.readers.read_source`.
    crs : str, pyproj.CRS or LocalGrid, optional
        The source's coordinate system when the file's is missing or wrong.
    mapping : Mapping, optional
        Field renames, defaults and extras.
    check_bounds : bool
        Features outside Vietnam are problems (a wrong coordinate system);
        false for data of other places (tests, training).
    max_per_rule : int
        Features worded per broken rule; the rest are counted.
    """

    def __init__(
        self,
        session: Session,
        target: str,
        source: Source,
        *,
        crs=None,
        mapping: Mapping | None = None,
        check_bounds: bool = True,
        max_per_rule: int = 100,
    ):
        self.session, self.source = session, source
        self.mapping = mapping or Mapping()
        self.check_bounds = check_bounds
        self.log = ProblemLog(max_per_rule)
        self.pairs, self.notes = targets(target, source)
        self.crs, self.crs_text, problems = resolve_crs(
            source.crs, crs=crs, local=source.local, extent=_extent(source)
        )
        self.log.extend(SOURCE, problems)

    def targets(self, st: SourceTable, ft: FeatureType) -> set[str]:
        """The attributes and core fields ``st``'s fields fill as ``ft``."""
        plan, _ = self.mapping.plan(ft, list(st.columns), source=st.name)
        return {target for target, _ in plan.targets.values()}

    def table(self, st: SourceTable, ft: FeatureType, *, layer_size: int | None = None) -> Batch:
        """Check the features of ``st`` as ``ft``.

        ``layer_size`` is the number of features of the layer ``st`` is a
        part of; problems of the layer as a whole (unknown fields, a required
        field missing) are reported with its first part only.
        """
        first = st.first_row == 0
        features = (layer_size or len(st)) if first else None
        batch, ignored = _check_table(
            self.log, st, ft, self.mapping, self.crs, self.crs_text, self.check_bounds, features
        )
        if ignored and first:
            self.notes.append(f"{st.name}: fields not imported: {', '.join(ignored)}")
        return batch

    def plan(self, batches: list[Batch]) -> Plan:
        """The plan for ``batches`` once every feature is checked: codes taken or
        given twice, network ends naming no node, defaults naming no attribute."""
        log = self.log
        for name in self.mapping.defaults:
            if not any(
                name in CORE_ATTRIBUTES or name in {a.name for a in ft.attributes}
                for _, ft in self.pairs
            ):
                log.add(
                    SOURCE,
                    Problem(
                        "--default",
                        "unknown_attribute",
                        f"no imported feature type has an attribute {name!r}",
                    ),
                )
        plan = Plan(
            self.source,
            self.crs_text,
            batches,
            log,
            self.source.notes + self.notes,
            code_prefix=self.mapping.code_prefix,
        )
        _check_codes(self.session, batches, log)
        _check_ends(self.session, plan)
        return plan


def preflight(session: Session, target: str, source: Source, **options) -> Plan:
    """Check every feature of ``source`` for import into ``target`` (``--layer``);
    ``options`` as for :class:`Checks`."""
    checks = Checks(session, target, source, **options)
    return checks.plan([checks.table(st, ft) for st, ft in checks.pairs])
