from tests.twin.jobs import kinds  # noqa: F401  (registers the test kinds)
from tests.webmap.api.apptest import api_db_url, api_engine, app, client, tokens  # noqa: F401
