"""Count tables with pandas: measures by status per section, countries by RAG per route.

They take plain read models and return a :class:`CrossTab` read model, so
callers (the GUI, packs, the CLI) never see a DataFrame.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from briefing_app.domain.routes import ROUTES
from briefing_app.domain.status import Rag, Status
from briefing_app.read_models import CountryRead, CrossTab, MeasureRead

NO_ROUTE = "(no route)"


def _crosstab(title: str, row_label: str, column_label: str, pairs: pd.DataFrame,
              rows: Sequence[str], columns: Sequence[str]) -> CrossTab:
    table = pd.crosstab(pairs["row"], pairs["column"]) if len(pairs) else pd.DataFrame()
    table = table.reindex(index=list(rows), columns=list(columns), fill_value=0)
    counts = tuple(tuple(int(v) for v in table.loc[row]) for row in rows)
    return CrossTab(
        title=title, row_label=row_label, column_label=column_label, rows=tuple(rows),
        columns=tuple(columns), counts=counts,
        row_totals=tuple(sum(r) for r in counts),
        column_totals=tuple(sum(r[i] for r in counts) for i in range(len(columns))),
        total=sum(sum(r) for r in counts),
    )


def section_label(measure: MeasureRead) -> str:
    return f"{measure.section}. {measure.section_title}"


def measures_by_status(measures: Sequence[MeasureRead]) -> CrossTab:
    """Measures per section (in the order of their numbers) and status (vocabulary order)."""
    ordered = sorted(measures, key=lambda m: m.number)
    sections = list(dict.fromkeys(section_label(m) for m in ordered))
    pairs = pd.DataFrame({"row": [section_label(m) for m in ordered],
                          "column": [m.status for m in ordered]})
    return _crosstab("Operational measures by status", "section", "status", pairs, sections,
                     [s.value for s in Status])


def overdue_by_section(measures: Sequence[MeasureRead]) -> dict[str, int]:
    """Overdue measures per section (every section listed, zeros included)."""
    ordered = sorted(measures, key=lambda m: m.number)
    data = pd.DataFrame({"section": [section_label(m) for m in ordered],
                         "overdue": [m.overdue for m in ordered]})
    if not len(data):
        return {}
    counts = data.groupby("section", sort=False)["overdue"].sum()
    return {str(section): int(count) for section, count in counts.items()}


def countries_by_rag(countries: Sequence[CountryRead]) -> CrossTab:
    """Partner countries per route (every route of the vocabulary) and RAG colour.

    A country on two routes counts on both; one with no route is counted
    under "(no route)", listed only when there is one.
    """
    data = pd.DataFrame({"row": [list(c.routes) or [NO_ROUTE] for c in countries],
                         "column": [c.rag for c in countries]})
    pairs = data.explode("row") if len(data) else data
    seen = set(pairs["row"]) if len(pairs) else set()
    routes = [*ROUTES, *sorted(seen - set(ROUTES) - {NO_ROUTE})]
    if NO_ROUTE in seen:
        routes.append(NO_ROUTE)
    return _crosstab("Partner countries by RAG", "route", "rag", pairs, routes,
                     [r.value for r in Rag])
