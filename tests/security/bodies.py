"""Request bodies that count what the server reads of them, without holding them in memory."""

from __future__ import annotations

import io

MB = 1024 * 1024


class CountingBody(io.RawIOBase):
    """``size`` bytes of a JSON-looking body made on demand; ``read_bytes`` says how many left."""

    def __init__(self, size: int):
        self.size, self.read_bytes = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b" " * n
        self.read_bytes += n
        return n


def send(client, method: str, url: str, body: CountingBody, *, length: bool = True, headers=None):
    """``method url`` with ``body`` as the WSGI input; without ``length`` it is streamed
    with no Content-Length (a chunked request)."""
    environ = {"wsgi.input": body}
    if length:
        environ["CONTENT_LENGTH"] = str(body.size)
    else:
        environ["wsgi.input_terminated"] = True
    return client.open(
        url,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
        environ_overrides=environ,
    )


def problem(response) -> dict:
    """The problem+json body of a refusal."""
    assert response.mimetype == "application/problem+json", response.data[:300]
    return response.get_json()
