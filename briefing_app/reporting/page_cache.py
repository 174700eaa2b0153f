"""The page cache: each section's laid-out pages, kept under the hash of what it prints.

An entry is one file named by the section's key
(:func:`briefing_app.reporting.pages.section_key`: its content, the pack's
lasting fields, the characters and fonts, the page size, the app's and
ReportLab's versions), holding the recorded pages as compressed JSON: data
only, so a damaged or planted file can be refused but never run. An entry is
written to a temporary file and renamed into place, so a build that stops
half-way (cancelled, killed) leaves either the whole entry or none; an entry
that cannot be read is a miss (and is removed). The folder is kept under
:data:`LIMIT` bytes, the least recently used entries going first.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefing_app.reporting.pages import Call, RecordedPage, SectionPages, TocEntry

#: The most the cache folder holds (bytes); a 300-page pack takes about 2 MB.
LIMIT = 200 * 2**20
_FORMAT = 1
_SUFFIX = ".pages"


class PageCache:
    def __init__(self, folder: Path, limit: int = LIMIT) -> None:
        self.folder = folder
        self.limit = limit

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}{_SUFFIX}"

    def get(self, key: str) -> list[SectionPages] | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            decoded = json.loads(zlib.decompress(data))
            if decoded.get("format") != _FORMAT or decoded.get("key") != key:
                raise ValueError("another format")
            parts = [_part(item) for item in decoded["parts"]]
        except (ValueError, KeyError, TypeError, IndexError, zlib.error):
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used
        return parts

    def put(self, key: str, parts: Sequence[SectionPages]) -> None:
        """Keep ``parts`` under ``key``; a cache that cannot be written is only slower."""
        payload = zlib.compress(json.dumps(
            {"format": _FORMAT, "key": key, "parts": [_plain(part) for part in parts]},
            ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"), 1)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".", suffix=".part", dir=self.folder)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(payload)
                os.replace(temp, self._path(key))
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError:
            return
        self._prune()

    def _prune(self) -> None:
        try:
            entries = [(entry.stat().st_mtime, entry.stat().st_size, entry)
                       for entry in self.folder.iterdir() if entry.suffix == _SUFFIX]
        except OSError:
            return
        used = sum(size for _, size, _ in entries)
        for _, size, entry in sorted(entries, key=lambda item: item[0]):
            if used <= self.limit:
                break
            with contextlib.suppress(OSError):
                entry.unlink()
                used -= size

    def clear(self) -> None:
        with contextlib.suppress(OSError):
            for entry in self.folder.iterdir():
                if entry.suffix == _SUFFIX:
                    entry.unlink()


def default_cache() -> PageCache:
    """The user's page cache (in the platform's cache folder)."""
    from briefing_app import paths

    return PageCache(paths.user_cache_dir() / "pages")


# ------------------------------------------------------------------------- the format


def _plain(part: SectionPages) -> dict[str, Any]:
    return {
        "key": part.key,
        "pages": [[page.code, [[call.name, _value(list(call.args)),
                                [[k, _value(v)] for k, v in call.kwargs]]
                               for call in page.calls],
                   list(page.header)] for page in part.pages],
        "toc": [[e.level, e.title, e.page, e.key] for e in part.toc],
        "faces": sorted(part.faces),
        "unseeded": sorted(part.unseeded),
    }


def _value(value: Any) -> Any:
    from reportlab.lib.colors import Color

    if isinstance(value, Color):
        return {"color": list(value.rgba())}
    if isinstance(value, tuple | list):
        return {"tuple": [_value(v) for v in value]}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"a recorded call holds a {type(value).__name__}")


def _back(value: Any) -> Any:
    if isinstance(value, dict):
        if "color" in value:
            from reportlab.lib.colors import Color

            red, green, blue, alpha = value["color"]
            return Color(red, green, blue, alpha)
        return tuple(_back(v) for v in value["tuple"])
    return value


def _part(item: dict[str, Any]) -> SectionPages:
    pages = tuple(
        RecordedPage(str(code), tuple(Call(str(name), tuple(_back(args)),
                                           tuple((str(k), _back(v)) for k, v in kwargs))
                                      for name, args, kwargs in calls),
                     (str(header[0]), None if header[1] is None else str(header[1])))
        for code, calls, header in item["pages"])
    return SectionPages(str(item["key"]), pages,
                        tuple(TocEntry(int(a), str(b), int(c), str(d))
                              for a, b, c, d in item["toc"]),
                        frozenset(str(face) for face in item["faces"]),
                        frozenset(str(c) for c in item["unseeded"]))
