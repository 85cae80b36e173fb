"""Property-based testing of the API against its own OpenAPI document (schemathesis).

Bounded: a few collections (a point device, an edge of a network, an
open-data polygon) plus the service endpoints, a handful of generated
requests per operation, sent with an editor's token so that write paths are
reached.  The property asserted is the one that matters for robustness: no
request, however odd, gets a 5xx.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from tests.webmap.api.apptest import bearer

pytestmark = [pytest.mark.db, pytest.mark.slow]

PATHS = (
    r"^/(conformance|collections|me)?$"
    r"|^/(collections|tiles)/(water_valve|power_line|trees_green_area)\b"
)
EXAMPLES = 5


def _no_server_error(operation, headers: dict) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call(headers=headers, timeout=30)
        assert response.status_code < 500, (case.as_curl_command(), response.text[:500])

    check()


def test_no_request_gets_a_server_error(live_server, tokens):
    schema = schemathesis.openapi.from_url(f"{live_server}/api").include(path_regex=PATHS)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        _no_server_error(operation, bearer(tokens["editor"]))
