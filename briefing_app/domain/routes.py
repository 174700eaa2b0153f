"""The migratory routes a partner country can lie on, in reading order."""

from __future__ import annotations

ROUTES = (
    "Central Mediterranean",
    "Western Mediterranean/Atlantic",
    "Eastern Mediterranean",
    "Western Balkans",
    "Eastern land border",
    "Asia/Africa origin",
)
