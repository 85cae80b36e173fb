"""The vocabulary in which every layer of the twin is declared once.

A :class:`Layer` lists :class:`FeatureType` objects; each says its geometry,
its typed :class:`Attribute` objects (units, allowed values, labels in
Vietnamese and English), its role in a utility network and its map style.
Tables, API schemas, forms, tile styles, imports and exports are all derived
from these declarations (see :mod:`twin.models`), never written twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from twin.declare_inspection import ConditionRule, InspectionForm
from twin.declare_network import FaultLevel, KindBy, Network, NodeKind

__all__ = [
    "ConditionRule",
    "InspectionForm",
    "FaultLevel",
    "KindBy",
    "Network",
    "NodeKind",
    "ASSET_STATUSES",
    "Attribute",
    "CODE_PATTERN",
    "Choice",
    "Detail",
    "FeatureType",
    "Layer",
    "Style",
    "choices",
    "code_problem",
    "normal_code",
]

#: Lifecycle status shared by every asset, with its labels.
ASSET_STATUSES = {
    "planned": ("Quy hoạch", "Planned"),
    "in_service": ("Đang vận hành", "In service"),
    "out_of_service": ("Ngừng vận hành", "Out of service"),
    "abandoned": ("Đã bỏ", "Abandoned"),
}

#: What an asset code may hold: upper-case letters, digits, ``.``, ``_`` and
#: ``-``, starting with a letter or digit, at most 64 characters
#: (``WTR-PIPE-000123``).  Edits and imports check it, and so does a CHECK
#: constraint of every asset table, so a code is always safe to show and to
#: put in a URL.  Codes are case-insensitive: input is stored in upper case.
CODE_PATTERN = r"^[A-Z0-9][A-Z0-9._-]{0,63}$"
_CODE = re.compile(CODE_PATTERN)


def normal_code(code: str) -> str:
    """``code`` as stored and looked up: trimmed, in upper case.

    >>> normal_code(" wtr-pipe-000123 ")
    'WTR-PIPE-000123'
    """
    return str(code).strip().upper()


def code_problem(code: str) -> str | None:
    """Why the (normalised) ``code`` breaks :data:`CODE_PATTERN`, or ``None``.

    >>> code_problem("WTR-PIPE-000123") is None
    True
    >>> code_problem("<b>")
    "'<b>' does not match ^[A-Z0-9][A-Z0-9._-]{0,63}$ (letters, digits, '.', '_', '-'; at most 64)"
    """
    if _CODE.fullmatch(code):
        return None
    return f"{code!r} does not match {CODE_PATTERN} (letters, digits, '.', '_', '-'; at most 64)"


ATTRIBUTE_TYPES = ("text", "integer", "float", "date", "boolean")
GEOMETRY_TYPES = ("Point", "LineString", "Polygon", "MultiPolygon")


@dataclass(frozen=True)
class Choice:
    """One allowed value of an attribute, with its labels."""

    value: str
    vi: str
    en: str


def choices(spec: dict[str, tuple[str, str]]) -> tuple[Choice, ...]:
    """Build choices from ``{value: (label_vi, label_en)}``."""
    return tuple(Choice(value, vi, en) for value, (vi, en) in spec.items())


@dataclass(frozen=True)
class Attribute:
    """A typed attribute of a feature type.

    ``personal`` marks personal data (names, phone numbers): hidden from
    viewers and stripped from exports unless an admin asks for it.
    ``minimum``/``maximum`` bound numeric values in the attribute's ``unit``.
    """

    name: str
    type: str
    vi: str
    en: str
    unit: str | None = None
    choices: tuple[Choice, ...] = ()
    required: bool = False
    personal: bool = False
    minimum: float | None = None
    maximum: float | None = None

    def __post_init__(self):
        if self.type not in ATTRIBUTE_TYPES:
            raise ValueError(f"attribute {self.name}: unknown type {self.type!r}")
        if self.choices and self.type != "text":
            raise ValueError(f"attribute {self.name}: choices need type 'text'")

    @property
    def allowed(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)


@dataclass(frozen=True)
class Style:
    """How the map draws a feature type.

    ``by`` names an attribute whose value picks the colour from ``colors``
    (``{value: "#rrggbb"}``); for numeric attributes ``breaks`` gives the
    upper bounds of the classes, and ``widths`` the line width per class.
    """

    color: str = "#3388ff"
    by: str | None = None
    colors: dict[str, str] = field(default_factory=dict)
    breaks: tuple[float, ...] = ()
    widths: tuple[float, ...] = ()
    radius: float = 4.0
    weight: float = 2.0
    fill_opacity: float = 0.6


@dataclass(frozen=True)
class Detail:
    """Features of a type that maps carry only from a deeper zoom than the type.

    A feature is a detail when its ``attribute`` is below ``below`` (numbers)
    or one of ``values`` (text): service pipes under 63 mm, 0.4 kV drops,
    alleys.  Tiles leave details out below ``min_zoom`` (a web-map zoom of
    256-pixel tiles), so a dense town's tile carries what can be seen at
    its zoom; a feature whose attribute is empty is never a detail.
    """

    attribute: str
    min_zoom: int
    below: float | None = None
    values: tuple[str, ...] = ()

    def __post_init__(self):
        if (self.below is None) == (not self.values):
            raise ValueError(f"detail of {self.attribute}: give either below or values")


@dataclass(frozen=True)
class FeatureType:
    """A kind of feature: one table, one API collection, one map layer.

    ``network`` is ``"node"`` or ``"edge"`` for features taking part in a
    utility network; edges carry start/end node references.  ``node_kind``
    is the kind (a name of the layer's :class:`Network`) of a node feature,
    or a :class:`KindBy` picking it from an attribute; by default the type's
    own name.  ``devices`` are the kinds of field device (``twin.live``) that
    may be registered on the type.  ``min_zoom`` is the lowest web-map zoom
    at which the type is carried in tiles and drawn; ``details`` name the
    features of the type carried only from a deeper zoom (:class:`Detail`);
    ``inspections`` are the forms a crew fills in on its features
    (:class:`InspectionForm`).
    """

    name: str
    vi: str
    en: str
    geometry: str
    code_prefix: str
    attributes: tuple[Attribute, ...] = ()
    network: str | None = None
    style: Style = field(default_factory=Style)
    min_zoom: int = 14
    details: tuple[Detail, ...] = ()
    node_kind: str | KindBy | None = None
    devices: tuple[str, ...] = ()
    inspections: tuple[InspectionForm, ...] = ()
    layer: str = ""

    def __post_init__(self):
        if self.geometry not in GEOMETRY_TYPES:
            raise ValueError(f"{self.name}: unknown geometry {self.geometry!r}")
        if self.network not in (None, "node", "edge"):
            raise ValueError(f"{self.name}: network role must be node or edge")
        if code_problem(f"{self.code_prefix}-000001"):
            raise ValueError(f"{self.name}: code prefix {self.code_prefix!r} makes codes that "
                             f"break {CODE_PATTERN}")
        if self.network == "edge" and self.geometry != "LineString":
            raise ValueError(f"{self.name}: network edges must be LineString")
        names = [a.name for a in self.attributes]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.name}: duplicate attribute names")
        for d in self.details:
            if d.attribute not in names or d.min_zoom <= self.min_zoom:
                raise ValueError(f"{self.name}: a detail needs a declared attribute and a "
                                 f"zoom deeper than {self.min_zoom}")
        forms = [f.name for f in self.inspections]
        problems = [p for f in self.inspections for p in f.problems_with(self)]
        if len(forms) != len(set(forms)):
            problems.append("duplicate inspection form names")
        if problems:
            raise ValueError(f"{self.name}: " + "; ".join(problems))

    @property
    def table(self) -> str:
        """Table (and collection) name: ``<layer>_<type>``."""
        return f"{self.layer}_{self.name}"

    def kind_of(self, props) -> str:
        """Node kind of one feature with attribute values ``props``."""
        if isinstance(self.node_kind, KindBy):
            return self.node_kind.kind(props)
        return self.node_kind or self.name

    @property
    def node_kinds(self) -> frozenset[str]:
        """Every node kind features of this type can take."""
        if isinstance(self.node_kind, KindBy):
            return self.node_kind.all
        return frozenset({self.node_kind or self.name})

    def inspection(self, name: str) -> InspectionForm:
        for form in self.inspections:
            if form.name == name:
                return form
        raise KeyError(name)

    def attribute(self, name: str) -> Attribute:
        for a in self.attributes:
            if a.name == name:
                return a
        raise KeyError(name)


@dataclass(frozen=True)
class Layer:
    """A group of feature types: one utility, the trees, or the base map.

    ``asset`` is false for base layers (administrative units, roads ...),
    which are reference data rather than maintained assets.  ``open_data``
    layers are visible to anonymous users.  A utility layer declares its
    ``network`` (node kinds and their roles, see :class:`Network`).
    """

    name: str
    vi: str
    en: str
    feature_types: tuple[FeatureType, ...]
    asset: bool = True
    open_data: bool = False
    schema: str = "assets"
    network: Network | None = None

    def __post_init__(self):
        # Bind each feature type to its layer once, so that tables are named
        # consistently without repeating the layer name in every declaration.
        for ft in self.feature_types:
            object.__setattr__(ft, "layer", self.name)
            if ft.network == "node" and self.network is not None:
                unknown = ft.node_kinds - set(self.network.by_name)
                if unknown:
                    raise ValueError(f"{ft.name}: node kinds {sorted(unknown)} are not "
                                     f"declared in the {self.name} network")
