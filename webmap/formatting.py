"""Numbers, quantities and times for people, in the reader's language.

One place decides how a page writes a number: Babel with the request's
locale (``1.234,5`` in Vietnamese, ``1,234.5`` in English), counts without
decimals (never ``92.0``), lengths in m or km and areas in m², ha or km²
chosen by size, money in đồng, and every time in Vietnam's time zone
(Asia/Ho_Chi_Minh, UTC+7) whatever the server's clock says.  The functions
are Jinja filters (``{{ area_m2|as_area }}``) and plain functions for views and
exports meant for people; the browser's twin is ``webmap/static/locale.js``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from .i18n import current_language

__all__ = ["LOCAL_TIME", "area", "count", "init_app", "length", "local_time", "money",
           "number", "percent"]

#: The time zone every shown time is in.
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
_EMPTY = "–"


def _locale() -> str:
    return current_language()


def number(value, digits: int = 1) -> str:
    """A measured number with at most ``digits`` decimals: ``37.322,1``."""
    if value is None:
        return _EMPTY
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale())


def count(value) -> str:
    """A count as a whole number: ``92``, ``1.881``."""
    return _EMPTY if value is None else number(round(float(value)), 0)


def percent(value, digits: int = 1) -> str:
    """A percentage given in percent (``87.5`` → ``87,5 %``)."""
    if value is None:
        return _EMPTY
    pattern = "#,##0" + ("." + "#" * digits if digits else "") + " %"
    return format_percent(float(value) / 100, format=pattern, locale=_locale())


def length(metres) -> str:
    """A length, in m below a kilometre and in km above: ``4 m``, ``12,35 km``."""
    if metres is None:
        return _EMPTY
    if abs(metres) >= 1000:
        return f"{number(metres / 1000, 2)} km"
    return f"{number(metres, 1)} m"


def area(square_metres) -> str:
    """An area in the unit its size asks for: ``4.139 m²``, ``2,5 ha``, ``3.892,42 km²``."""
    if square_metres is None:
        return _EMPTY
    size = abs(square_metres)
    if size >= 1_000_000:
        return f"{number(square_metres / 1_000_000, 2)} km²"
    if size >= 10_000:
        return f"{number(square_metres / 10_000, 2)} ha"
    return f"{number(square_metres, 0)} m²"


def money(vnd) -> str:
    """An amount in đồng, whole: ``1.250.000 ₫``."""
    return _EMPTY if vnd is None else f"{number(round(float(vnd)), 0)} ₫"


def local_time(value, *, seconds: bool = False) -> str:
    """A time in Vietnam's time zone: ``07/12/2026 09:07`` (naive values are UTC)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value, format="dd/MM/yyyy", locale=_locale())
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    pattern = "dd/MM/yyyy HH:mm" + (":ss" if seconds else "")
    return format_datetime(value, format=pattern, tzinfo=LOCAL_TIME, locale=_locale())


def init_app(app) -> None:
    """Register the functions as Jinja filters: ``as_number`` … and ``local_time``.

    The ``as_`` keeps them apart from Jinja's own ``length`` and ``count``.
    """
    for f in (number, count, percent, length, area, money):
        app.add_template_filter(f, "as_" + f.__name__)
    app.add_template_filter(local_time)
