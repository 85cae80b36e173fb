"""The client's address and scheme behind a reverse proxy, trusted only when configured.

Rate limits and login throttling count by client address.  Behind a proxy
every request comes from the proxy, so the operator says how many proxies
stand in front of the twin (``TWIN_TRUSTED_PROXIES``, default 0) and the
app takes that many hops of ``X-Forwarded-For``/``-Proto``/``-Host`` from
the right.  With 0 these headers are ignored: a client cannot choose the
address it is counted under by sending them.
"""

from __future__ import annotations

from werkzeug.middleware.proxy_fix import ProxyFix

__all__ = ["init_app"]


def init_app(app) -> None:
    hops = app.config["TWIN_SETTINGS"].trusted_proxies
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
