"""A zipped shapefile unpacked with its member names and sizes checked first.

Shapefiles travel as ``.zip``.  The archive is never handed to GDAL
(``/vsizip/`` would follow whatever it holds): its listing is checked before
anything is extracted — member count, total unpacked size (a zip bomb),
names (absolute, ``..``, links) — and only the members of one shapefile are
written, flat, into a folder of the caller.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path, PurePosixPath

from twin.errors import InvalidInput, Problem

__all__ = ["MAX_MEMBERS", "MAX_UNPACKED_BYTES", "SHAPEFILE_PARTS", "unpack_shapefile"]

#: Most entries an archive may list (files and folders).
MAX_MEMBERS = 1000
#: Most bytes the extracted shapefile may hold.
MAX_UNPACKED_BYTES = 2 * 1024**3
#: Suffixes of the files of one shapefile that are extracted; others are left in the archive.
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_CHUNK = 1024 * 1024


def _refused(archive: Path, rule: str, message: str, member: str | None = None) -> InvalidInput:
    where = f"{archive.name}: {member}" if member else archive.name
    return InvalidInput(
        f"{where}: not unpacked ({message})", [Problem("file", rule, message, where)]
    )


def _checked_name(archive: Path, info: zipfile.ZipInfo) -> None:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or (parts and ":" in parts[0]) or ".." in parts:
        raise _refused(archive, "member_name", "a member path leaves the archive", name)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise _refused(archive, "member_link", "the archive holds a symbolic link", name)


def _wanted(archive: Path, members: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The members of the one shapefile the archive holds."""
    shp = [m for m in members if m.filename.lower().endswith(".shp") and not m.is_dir()]
    if len(shp) != 1:
        found = ", ".join(m.filename for m in shp) or "none"
        raise _refused(archive, "one_shapefile", f"a .zip must hold one .shp (found: {found})")
    stem = PurePosixPath(shp[0].filename).with_suffix("")
    return [
        m
        for m in members
        if not m.is_dir()
        and PurePosixPath(m.filename).with_suffix("") == stem
        and PurePosixPath(m.filename).suffix.lower() in SHAPEFILE_PARTS
    ]


def _copy(archive_file: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int) -> int:
    """Write one member, never more than ``budget`` bytes whatever its header says."""
    written = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, archive_file.open(info) as member:
        while chunk := member.read(_CHUNK):
            written += len(chunk)
            if written > budget:
                break
            out.write(chunk)
    return written


def unpack_shapefile(
    archive,
    folder,
    *,
    max_members: int = MAX_MEMBERS,
    max_bytes: int = MAX_UNPACKED_BYTES,
) -> Path:
    """Extract the shapefile of ``archive`` into ``folder``; the path of its ``.shp``.

    Raises
    ------
    twin.errors.InvalidInput
        Naming the archive, the member and the rule: ``zip`` (not a zip),
        ``member_count``, ``unpacked_size``, ``member_name``, ``member_link``,
        ``one_shapefile``.  Nothing is extracted then.
    """
    archive, folder = Path(archive), Path(folder)
    try:
        opened = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refused(archive, "zip", f"not a readable zip archive ({exc})") from None
    with opened:
        members = opened.infolist()
        if len(members) > max_members:
            raise _refused(
                archive, "member_count", f"{len(members)} members, at most {max_members}"
            )
        for info in members:
            _checked_name(archive, info)
        wanted = _wanted(archive, members)
        total = sum(m.file_size for m in wanted)
        if total > max_bytes:
            raise _refused(
                archive, "unpacked_size", f"{total:,} bytes unpacked, at most {max_bytes:,}"
            )
        written: list[Path] = []
        try:
            _extract(archive, opened, wanted, folder, max_bytes, written)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
    return next(p for p in written if p.suffix.lower() == ".shp")


def _extract(archive: Path, opened, wanted, folder: Path, max_bytes: int, written: list) -> None:
    budget = max_bytes
    for info in wanted:
        target = folder / PurePosixPath(info.filename).name
        written.append(target)
        try:
            budget -= _copy(opened, info, target, budget)
        except zipfile.BadZipFile as exc:
            raise _refused(archive, "zip", f"a damaged member ({exc})", info.filename) from None
        if budget < 0:
            raise _refused(
                archive, "unpacked_size", f"more than {max_bytes:,} bytes unpacked", info.filename
            )
