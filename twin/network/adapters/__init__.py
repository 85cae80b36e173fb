"""Adapters from reference models (WNTR, pandapower, SWMM) to twin graphs.

They read already-loaded model objects or text and produce graphs through
:func:`twin.network.graph.build_graph`; none of them imports the reference
package, so the twin runs without it.
"""
