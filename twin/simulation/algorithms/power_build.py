"""A pandapower net from a :class:`~.power_records.PowerModel`.

Each node is a bus named by its code; a switching device adds a second bus
``CODE:b`` for its other side, joined by a bus–bus switch in its state; a
transformer adds ``CODE:lv`` for its low-voltage side.  Lines, transformers,
switches and loads keep their codes as names, so results map back to the
twin's assets.  Elements are created in bulk (one call per element type).
"""

from __future__ import annotations

from collections.abc import Iterable

from .power_records import PowerLine, PowerModel

__all__ = ["SIDE_B", "LV_SIDE", "build_net", "bus_of", "switch_states"]

SIDE_B = ":b"
LV_SIDE = ":lv"
#: Lines shorter than this are modelled at this length (pandapower needs a length).
MIN_LENGTH_KM = 0.001


def switch_states(
    model: PowerModel, *, opened: Iterable[str] = (), closed: Iterable[str] = ()
) -> dict[str, bool]:
    """Each switch's state: as recorded, then ``opened`` opened and ``closed`` closed."""
    states = {code: sw.closed for code, sw in model.switches.items()}
    states.update(dict.fromkeys((c for c in opened if c in states), False))
    states.update(dict.fromkeys((c for c in closed if c in states), True))
    return states


def bus_of(model: PowerModel, line: PowerLine, node: str) -> str:
    """The bus a line ends at: a switch's second side, a transformer's LV side, or the node."""
    switch = model.switches.get(node)
    if switch is not None and line.code in switch.side_b:
        return node + SIDE_B
    if model.nodes[node].kind == "transformer" and line.vn_kv < 1:
        return node + LV_SIDE
    return node


def _buses(model: PowerModel) -> tuple[list[str], list[float]]:
    names, kv = [], []
    lv = {t.code: t.vn_lv_kv for t in model.transformers}
    for code, node in model.nodes.items():
        names.append(code)
        kv.append(node.vn_kv)
        if code in model.switches:
            names.append(code + SIDE_B)
            kv.append(node.vn_kv)
        if code in lv:
            names.append(code + LV_SIDE)
            kv.append(lv[code])
    return names, kv


def build_net(model: PowerModel, *, states: dict[str, bool] | None = None):
    """The pandapower net of ``model`` with switches in ``states`` (default: as recorded).

    Returns ``(net, bus)``: the net and the bus index of each bus name.
    """
    import pandapower as pp

    states = switch_states(model) if states is None else states
    net = pp.create_empty_network(sn_mva=1.0)
    names, kv = _buses(model)
    index = pp.create_buses(net, len(names), kv, name=names)
    bus = dict(zip(names, (int(i) for i in index), strict=True))
    _lines(pp, net, model, bus)
    if model.transformers:
        t = model.transformers
        pp.create_transformers_from_parameters(
            net, [bus[x.code] for x in t], [bus[x.code + LV_SIDE] for x in t],
            [x.sn_kva / 1000 for x in t], [x.vn_hv_kv for x in t], [x.vn_lv_kv for x in t],
            [x.vkr_percent for x in t], [x.vk_percent for x in t], [x.pfe_kw for x in t],
            [x.i0_percent for x in t], name=[x.code for x in t],
        )
    if model.switches:
        codes = list(model.switches)
        pp.create_switches(net, [bus[c] for c in codes], [bus[c + SIDE_B] for c in codes], "b",
                           closed=[states[c] for c in codes], name=codes)
    loads = [x for x in model.loads if x.code in bus]
    if loads:
        pp.create_loads(net, [bus[x.code] for x in loads], [x.p_kw / 1000 for x in loads],
                        q_mvar=[x.q_kvar / 1000 for x in loads], name=[x.code for x in loads])
    for code in model.sources:
        pp.create_ext_grid(net, bus[code], vm_pu=model.source_vm_pu, name=code)
    return net, bus


def _lines(pp, net, model: PowerModel, bus: dict[str, int]) -> None:
    lines = model.lines
    if not lines:
        return
    pp.create_lines_from_parameters(
        net,
        [bus[bus_of(model, x, x.start)] for x in lines],
        [bus[bus_of(model, x, x.end)] for x in lines],
        [max(x.length_m / 1000, MIN_LENGTH_KM) for x in lines],
        [x.conductor.r_ohm_per_km for x in lines],
        [x.conductor.x_ohm_per_km for x in lines],
        [x.conductor.c_nf_per_km for x in lines],
        [x.conductor.max_i_ka for x in lines],
        name=[x.code for x in lines],
        in_service=[x.in_service for x in lines],
    )
