"""Security regression tests: each confirmed hole, tried again as it was found.

They share the web API's fixtures (an app on a database of its own, users of
every role, a live server).
"""

from tests.webmap.api.apptest import api_db_url, api_engine, app, client, live_server, tokens  # noqa: F401
