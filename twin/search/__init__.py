"""Map search: asset codes, named places and addresses, accent-insensitive and ranked.

The public face of the area: :func:`search` answers ``/map/search``;
:func:`fold` is the Python twin of the database's ``twin_fold``;
:func:`indexes_sql` writes the trigram indexes the migration creates.
"""

from .algorithms.folding import fold
from .indexes import SEARCH_INDEX_PREFIX, indexes_sql
from .service import search

__all__ = ["SEARCH_INDEX_PREFIX", "fold", "indexes_sql", "search"]
