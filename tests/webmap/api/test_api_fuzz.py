"""Property-based testing of the API against its own OpenAPI document (schemathesis).

Bounded: a few collections (a point device, an edge of a network, an
open-data polygon, a valve's inspection form and the work orders) plus the
service endpoints, a handful of generated
requests per operation, sent with an editor's token so that write paths are
reached.  Asserted for every request, however odd: no 5xx, and a body that
matches the schema the document promises for its status.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.webmap.api.apptest import bearer

pytestmark = [pytest.mark.db, pytest.mark.slow]

PATHS = (
    r"^/(conformance|collections|me)?$"
    r"|^/(collections|tiles)/(water_valve|power_line|trees_green_area)\b"
    r"|^/collections/(inspection_water_valve_exercise|work_orders)\b"
)
EXAMPLES = 5
#: The HTML answers (``?f=html``) are not in the document yet, so the content type
#: is not checked; every JSON body is checked against its documented schema.
CHECKS = [not_a_server_error, response_schema_conformance]


def _answers_as_documented(operation, headers: dict) -> None:
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
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()


def test_every_request_is_answered_as_the_document_says(live_server, tokens):
    schema = schemathesis.openapi.from_url(f"{live_server}/api").include(path_regex=PATHS)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        _answers_as_documented(operation, bearer(tokens["editor"]))
