"""Languages of the web app: Vietnamese by default, English on request.

The user picks a language with ``?lang=en`` (or ``vi``) on any page; the
choice is kept in the session and in a cookie.  Interface strings and
messages live in gettext catalogues (``webmap/translations/<lang>/
LC_MESSAGES/messages.po``); the labels of layers, feature types, attributes
and allowed values are not copied there but read from the declarations in
``layers/``, which carry both languages (see :func:`label`).

The ``.po`` files are the only source: they are compiled to ``.mo`` when the
app starts, into a cache folder under the twin's home named by their content,
so a fresh clone works and a stale binary catalogue cannot exist.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g, request, session
from flask_babel import Babel, format_date, format_datetime, format_decimal, get_locale, gettext

from twin.i18n import Message, localized

__all__ = [
    "LANGUAGES",
    "compile_catalogues",
    "current_language",
    "format_value",
    "init_app",
    "label",
    "language_url",
    "shown",
]

#: Languages offered, the first being the default.
LANGUAGES = ("vi", "en")
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
_COOKIE = "lang"
_ONE_YEAR_S = 365 * 24 * 3600


def compile_catalogues(source: Path, cache: Path) -> Path:
    """Compile every ``<lang>/LC_MESSAGES/*.po`` under ``source`` into ``cache``.

    Returns the folder to give Flask-Babel.  The folder name is a hash of the
    catalogues, so concurrent starts (test workers) share finished output and
    an edited ``.po`` never meets an old ``.mo``.
    """
    po_files = sorted(source.glob("*/LC_MESSAGES/*.po"))
    digest = hashlib.sha256()
    for po in po_files:
        digest.update(str(po.relative_to(source)).encode())
        digest.update(po.read_bytes())
    target = cache / digest.hexdigest()[:16]
    for po in po_files:
        mo = target / po.relative_to(source).with_suffix(".mo")
        if mo.exists():
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as fh:
            catalogue = read_po(fh, locale=po.parent.parent.name)
        partial = mo.with_name(f"{mo.name}.{os.getpid()}.part")
        with partial.open("wb") as fh:
            write_mo(fh, catalogue)
        os.replace(partial, mo)
    return target


def _select_locale() -> str:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        g.twin_lang_chosen = chosen
        return chosen
    for remembered in (request.cookies.get(_COOKIE), session.get("lang")):
        if remembered in LANGUAGES:
            return remembered
    return LANGUAGES[0]


def _remember_language(response):
    chosen = g.get("twin_lang_chosen")
    if chosen:
        response.set_cookie(_COOKIE, chosen, max_age=_ONE_YEAR_S, samesite="Lax")
    return response


def current_language() -> str:
    """``"vi"`` or ``"en"``: the language of the current request."""
    locale = get_locale()
    return locale.language if locale is not None else LANGUAGES[0]


def language_url(code: str) -> str:
    """A link to the current page in language ``code``, its other query arguments kept."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return "?" + urlencode(args, doseq=True)


def label(declared) -> str:
    """The label of a declared object (layer, type, attribute, choice) in the user's language."""
    return getattr(declared, current_language())


def shown(message) -> str:
    """A :class:`twin.i18n.Message` (or one stored as JSON) in the user's language."""
    stored = message.to_json() if isinstance(message, Message) else message
    return localized(stored, current_language(), gettext)


def format_value(value, kind: str | None = None, *, grouping: bool = True) -> str:
    """A value shown to the user: numbers and dates in the locale's format.

    ``grouping`` False leaves out thousands separators (years, identifiers).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int | float):
        return format_decimal(value, format="#,##0.###" if grouping else "0.###")
    if kind == "date" and isinstance(value, str):
        return format_date(date.fromisoformat(value[:10]))
    if kind == "datetime" and isinstance(value, str):
        # In the app's time zone (Asia/Ho_Chi_Minh), as webmap.formatting.local_time writes it.
        return format_datetime(datetime.fromisoformat(value), format="dd/MM/yyyy HH:mm")
    return str(value)


def init_app(app) -> None:
    settings = app.config.get("TWIN_SETTINGS")
    home = Path(settings.home) if settings is not None else Path("var")
    try:
        compiled = compile_catalogues(TRANSLATIONS, home / "cache" / "translations")
    except OSError:  # a read-only home: the system's temporary folder will do
        compiled = compile_catalogues(TRANSLATIONS, Path(tempfile.gettempdir()) / "twin-i18n")
    app.config.setdefault("BABEL_DEFAULT_LOCALE", LANGUAGES[0])
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    Babel(app, locale_selector=_select_locale)
    app.after_request(_remember_language)
    app.jinja_env.globals.update(
        label=label,
        current_language=current_language,
        language_url=language_url,
        format_value=format_value,
        LANGUAGES=LANGUAGES,
    )
