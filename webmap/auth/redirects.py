"""Where ``?next=`` may send a browser after logging in or out: this site only.

Browsers forgive a lot in a ``Location`` header: they drop tabs and newlines
anywhere (``/\\t/evil.example`` becomes ``//evil.example``, another host),
read ``\\`` as ``/``, and follow ``scheme:`` targets.  So a target is kept
only if it is a plain path of this site, checked as given and once more
percent-decoded; anything else goes to ``/``.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

__all__ = ["same_site_path"]


def _suspicious(text: str) -> bool:
    """Control characters, spaces or backslashes: browsers would bend the URL."""
    return any(c == "\\" or c.isspace() or ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in text)


def _plain_path(text: str) -> bool:
    if _suspicious(text) or not text.startswith("/") or text.startswith("//"):
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc


def same_site_path(target: str | None) -> str:
    """``target`` if it is a path on this site, else ``"/"``.

    >>> same_site_path("/map/?lang=en")
    '/map/?lang=en'
    >>> [same_site_path(t) for t in ("//evil.example", "/\\t/evil.example", "/%0a/x", "https://e.x")]
    ['/', '/', '/', '/']
    """
    if target and _plain_path(target) and _plain_path(unquote(target)):
        return target
    return "/"
