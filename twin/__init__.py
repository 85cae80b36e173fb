"""Digital twin of a Vietnamese city's technical infrastructure."""

__version__ = "0.1.0"
