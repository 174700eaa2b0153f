"""platypus' Paragraph, its lines broken once per width.

``multiBuild`` lays the pack out until its page numbers settle (three passes,
usually), and a table measures its cells when it sizes its rows and again when
it draws them: the same paragraph is broken into lines for the same width
many times (measured on the seed pack: 12,323 line breaks for 2,559
flowables). Breaking depends only on the text, the style and the width, so
:class:`Paragraph` keeps each width's result and gives it back; the pages are
byte for byte the same (``tests/integration/test_pack_golden.py``).
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import paragraph as _platypus

#: Widths remembered per paragraph (a table tries a few while sizing its columns).
_WIDTHS_KEPT = 4


class Paragraph(_platypus.Paragraph):
    """A paragraph whose :meth:`wrap` breaks its lines once per width and style."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        key = (availWidth, id(self.style), getattr(self, "autoLeading", None))
        kept: dict[Any, tuple[Any, ...]] | None = self.__dict__.get("_broken")
        if kept is not None and key in kept:
            self.width, self._wrapWidths, self.blPara, self.height = kept[key]
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if availWidth >= _platypus._FUZZ:
            if kept is None or len(kept) >= _WIDTHS_KEPT:
                kept = self.__dict__["_broken"] = {}
            kept[key] = (self.width, self._wrapWidths, self.blPara, self.height)
        return size
