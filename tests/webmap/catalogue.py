"""What the pages ask the catalogues for, and what the catalogues hold."""

from __future__ import annotations

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from webmap import i18n

ROOT = i18n.TRANSLATIONS.parent.parent


def catalogue(lang: str):
    path = i18n.TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def messages_of(*places: str) -> set[tuple[str | None, str | tuple[str, ...]]]:
    """``(context, msgid)`` of every message in the Python files and templates of ``places``."""
    found = set()
    for place in places:
        path = ROOT / place
        files = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in files:
            method = {".py": "python", ".html": "jinja2"}.get(file.suffix)
            if method is None or (method == "jinja2" and "templates" not in file.parts):
                continue
            for _lineno, message, _comments, context in extract_from_file(method, str(file)):
                found.add((context, message))
    return found


def untranslated(used, lang: str = "vi") -> list:
    """The messages of ``used`` with no translation (or no entry at all) in ``lang``."""
    held = catalogue(lang)
    missing = []
    for context, message in used:
        entry = held.get(message if isinstance(message, str) else message[0], context)
        strings = [entry.string] if entry is not None and isinstance(entry.string, str) else None
        if entry is not None and strings is None:
            strings = list(entry.string)
        if entry is None or not all(strings):
            missing.append(message)
    return sorted(missing, key=str)
