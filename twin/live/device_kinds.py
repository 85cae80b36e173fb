"""The kinds of field device the twin listens to and the readings each sends.

A data table: per kind, its readings with JSON type, unit and plausible
range, and the operational status a reading gives the asset the device sits
on.  :mod:`twin.live.schema` checks messages against it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from layers import feature_types

__all__ = ["CABINET_FAULTS", "DEVICE_KINDS", "LAMP_FAULTS", "DeviceKind", "ReadingField"]


@dataclass(frozen=True)
class ReadingField:
    """One reading: JSON type, unit and the plausible range (outside = quarantine)."""

    name: str
    type: str  # "number", "boolean", "integer" or "enum"
    doc: str
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    required: bool = False
    nullable: bool = False


@dataclass(frozen=True)
class DeviceKind:
    """A kind of field device and its readings.

    The asset tables it may be registered on are declared with the layers
    (``FeatureType.devices``).
    """

    name: str
    doc: str
    fields: tuple[ReadingField, ...]
    #: The operational status a reading gives its asset; None leaves it unchanged
    #: (an environmental station says nothing about the pole it hangs on).
    status: Callable[[Mapping], str | None] = field(default=lambda readings: "ok", compare=False)

    @cached_property
    def asset_tables(self) -> tuple[str, ...]:
        return tuple(ft.table for ft in feature_types() if self.name in ft.devices)

    @cached_property
    def _by_name(self) -> dict[str, ReadingField]:
        return {f.name: f for f in self.fields}

    def field(self, name: str) -> ReadingField | None:
        return self._by_name.get(name)


def _on_off_fault(readings: Mapping) -> str:
    if readings.get("fault"):
        return "fault"
    if "on" in readings:
        return "on" if readings["on"] else "off"
    return "ok"


LAMP_FAULTS = ("lamp_out", "driver_fault", "overvoltage", "undervoltage", "comms_lost")
CABINET_FAULTS = ("mains_lost", "circuit_trip", "door_open", "contactor_fault")

DEVICE_KINDS: dict[str, DeviceKind] = {
    k.name: k
    for k in (
        DeviceKind(
            "luminaire",
            "Luminaire controller on a light pole (remote management node).",
            (
                ReadingField("on", "boolean", "Lamp switched on", required=True),
                ReadingField("dimming_pct", "number", "Dimming level", "%", 0, 100),
                ReadingField("power_w", "number", "Active power drawn", "W", 0, 2500),
                ReadingField(
                    "fault",
                    "enum",
                    "Fault code, null when healthy",
                    choices=LAMP_FAULTS,
                    nullable=True,
                ),
            ),
            _on_off_fault,
        ),
        DeviceKind(
            "lighting_cabinet",
            "Lighting control cabinet controller (circuits, mains, energy).",
            (
                ReadingField("on", "boolean", "Circuits switched on", required=True),
                ReadingField("power_w", "number", "Active power of all circuits", "W", 0, 200000),
                ReadingField("voltage_v", "number", "Supply voltage (phase)", "V", 0, 300),
                ReadingField(
                    "fault",
                    "enum",
                    "Fault code, null when healthy",
                    choices=CABINET_FAULTS,
                    nullable=True,
                ),
            ),
            _on_off_fault,
        ),
        DeviceKind(
            "pressure_sensor",
            "Water pressure logger at a node of the distribution network.",
            (
                ReadingField(
                    "pressure_bar", "number", "Gauge pressure", "bar", -1, 25, required=True
                ),
            ),
        ),
        DeviceKind(
            "flow_meter",
            "Bulk flow meter on a main or at a pump station (positive = normal direction).",
            (
                ReadingField(
                    "flow_m3h", "number", "Flow rate", "m³/h", -20000, 20000, required=True
                ),
                ReadingField("total_m3", "number", "Totaliser", "m³", 0, None),
            ),
        ),
        DeviceKind(
            "breaker",
            "Position and feeder current of a breaker, recloser or switch.",
            (
                ReadingField(
                    "position",
                    "enum",
                    "Contact position",
                    choices=("open", "closed"),
                    required=True,
                ),
                ReadingField("current_a", "number", "Feeder current (phase mean)", "A", 0, 5000),
            ),
            lambda readings: str(readings["position"]),
        ),
        DeviceKind(
            "camera",
            "Street camera's heartbeat: online, recording, stream bit rate.",
            (
                ReadingField("online", "boolean", "Camera reachable and streaming", required=True),
                ReadingField("recording", "boolean", "Recording to the video server"),
                ReadingField("bitrate_kbps", "number", "Stream bit rate", "kbit/s", 0, 100000),
            ),
            lambda readings: "ok" if readings.get("online") else "offline",
        ),
        DeviceKind(
            "env_station",
            "Environmental station (often on a light pole).",
            (
                ReadingField("temperature_c", "number", "Air temperature", "°C", -20, 60),
                ReadingField("humidity_pct", "number", "Relative humidity", "%", 0, 100),
                ReadingField("pm25_ugm3", "number", "PM2.5 concentration", "µg/m³", 0, 2000),
                ReadingField("noise_dba", "number", "Noise level", "dB(A)", 0, 150),
                ReadingField("rain_mm_h", "number", "Rain intensity", "mm/h", 0, 500),
            ),
            lambda readings: None,
        ),
    )
}
