"""A filter nesting deep enough to overflow the CQL2 parser's stack is a 400, never a crash.

The ``cql2`` parser (native code) ends the whole process on about 2,000 nested
parentheses: a single request would take the server down.  Filters are
measured first and refused past 50 levels, in text and in JSON.
"""

import json
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest

DEEP_TEXT = "(" * 3000 + "status = 'in_service'" + ")" * 3000


def _deep_json(levels: int) -> str:
    inner = json.dumps({"op": "=", "args": [{"property": "status"}, "in_service"]})
    return '{"op": "not", "args": [' * levels + inner + "]}" * levels


def _get(url: str, params: dict) -> tuple[int, dict]:
    try:
        with urlopen(f"{url}?{urlencode(params)}", timeout=30) as answer:
            return answer.status, json.load(answer)
    except HTTPError as refused:
        return refused.code, json.load(refused)


@pytest.mark.parametrize(
    "params",
    [
        {"filter": DEEP_TEXT},
        {"filter": "[" * 3000 + "1" + "]" * 3000},
        {"filter": _deep_json(300), "filter-lang": "cql2-json"},
    ],
    ids=["parentheses", "arrays", "json"],
)
def test_a_deeply_nested_filter_is_refused_and_the_server_lives_on(live_server, params):
    url = f"{live_server}/collections/trees_tree/items"
    status, body = _get(url, params)
    assert status == 400 and "nests too deeply" in body["detail"]
    assert _get(url, {"filter": "status = 'in_service'"})[0] == 200


def test_nesting_within_the_limit_still_filters(client):
    shallow = "(" * 40 + "status = 'in_service'" + ")" * 40
    assert (
        client.get("/collections/trees_tree/items", query_string={"filter": shallow}).status_code
        == 200
    )
