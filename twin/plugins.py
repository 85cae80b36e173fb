"""Loading the optional areas of the twin (commands, blueprints) by dotted path."""

from __future__ import annotations

import importlib

__all__ = ["load_optional"]


def load_optional(path: str):
    """``module:attribute`` (or a bare module), or None when the module is absent.

    Only the absence of the named module itself is tolerated; an import error
    inside an existing module is raised, so a broken area is never hidden.
    """
    module, _, attr = path.partition(":")
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return None
        raise
    return getattr(loaded, attr) if attr else loaded
