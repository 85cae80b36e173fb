"""The shared header's tests use the web API's fixtures (an app, users of every role)."""

from tests.webmap.api.apptest import api_db_url, api_engine, app, client, tokens  # noqa: F401
