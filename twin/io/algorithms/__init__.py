"""Pure algorithms of the importer: plain data and shapely in, plain data out.

Nothing here reads a file or the database; :mod:`twin.io.cad` feeds them.
"""
