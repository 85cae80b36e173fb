from tests.webmap.api.apptest import api_db_url, api_engine, app, client, live_server, tokens  # noqa: F401
