"""Pure algorithms of the simulation area: plain records in, plain results out.

No database and no web framework here: WNTR (EPANET), numpy and the
standards tables only.
"""
