"""Network topology and outage impact of the utility networks.

Pure algorithms on networkx graphs that follow the conventions of
:mod:`twin.network.graph`; loaders and adapters build those graphs from
PostGIS rows, EPANET, SWMM or pandapower models.
"""
