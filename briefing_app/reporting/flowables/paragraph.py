"""platypus' Paragraph, its lines broken once per width.

A table measures its cells when it sizes its rows and again when it draws
them, and the next build (or the composer's next preview) meets most of the
same paragraphs again. Parsing depends only on the text and the style, and
breaking lines on the width too, so :class:`Paragraph` keeps both, per
paragraph and for the process, and gives them back; the pages are byte for byte
the same (``tests/integration/test_pack_golden.py``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from reportlab.platypus import paragraph as _platypus

#: Widths remembered per paragraph (a table tries a few while sizing its columns).
_WIDTHS_KEPT = 4
#: Paragraphs remembered across builds in this process (the next build of the pack, or
#: the composer's next preview, finds most of its paragraphs unchanged).
_KEPT_ACROSS_BUILDS = 30_000


class _Memory:
    """The markup parsed and the lines broken of recent paragraphs, by text, style (the
    object itself: the pack's styles live as long as the process) and width. Results are
    only read once made (a split makes new fragments), so paragraphs share them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.lock = threading.Lock()
        self.items: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Any:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            if len(self.items) > self.size:
                self.items.popitem(last=False)


_parsed = _Memory(_KEPT_ACROSS_BUILDS)
_broken = _Memory(_KEPT_ACROSS_BUILDS * 2)


def forget() -> None:
    """Forget every paragraph remembered (the benchmarks' full builds start from none)."""
    for memory in (_parsed, _broken):
        with memory.lock:
            memory.items.clear()


class Paragraph(_platypus.Paragraph):
    """A paragraph whose markup is parsed once and whose lines are broken once per width
    and style, in this process (``split`` parts, made from fragments, are not shared)."""

    def __init__(self, text: Any, style: Any = None, bulletText: Any = None,
                 frags: Any = None, caseSensitive: int = 1, encoding: str = "utf8") -> None:
        key = None
        if frags is None and style is not None and isinstance(text, str) and caseSensitive:
            key = (text, style, bulletText)
            found = _parsed.get(key)
            if found is not None:
                self.caseSensitive = caseSensitive
                self.encoding = encoding
                self.text, self.frags, self.style, self.bulletText = found
                self.debug = 0
                self._memory = key
                return
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        if key is not None:
            _parsed.put(key, (self.text, self.frags, self.style, self.bulletText))
            self._memory = key

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        key = (availWidth, id(self.style), getattr(self, "autoLeading", None))
        kept: dict[Any, tuple[Any, ...]] | None = self.__dict__.get("_broken")
        if kept is not None and key in kept:
            self.width, self._wrapWidths, self.blPara, self.height = kept[key]
            return self.width, self.height
        shared = self.__dict__.get("_memory")
        across = (shared, key) if shared is not None else None
        found = _broken.get(across) if across is not None else None
        if found is not None:  # what breaking the lines leaves on a paragraph, all of it
            (self.width, self._wrapWidths, self.blPara, self.height, self._width_max,
             self.frags) = found
            size = self.width, self.height
        else:
            size = super().wrap(availWidth, availHeight)
        if availWidth >= _platypus._FUZZ:
            if kept is None or len(kept) >= _WIDTHS_KEPT:
                kept = self.__dict__["_broken"] = {}
            kept[key] = (self.width, self._wrapWidths, self.blPara, self.height)
            if across is not None and found is None:
                _broken.put(across, (*kept[key], getattr(self, "_width_max", 0), self.frags))
        return size
