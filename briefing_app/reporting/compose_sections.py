"""What each built-in section holds: one compose function per section.

Each function takes the :class:`~briefing_app.reporting.composer.Composer`
(the spec, the store's read models, the items chosen for each section and the
numbered sources) and the section as chosen, and returns the section's
content (:mod:`briefing_app.reporting.content`). The section table
(:mod:`briefing_app.reporting.sections`) names them.

Sources are numbered as the functions ask for them, so the order the composer
runs them in is the order of first use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from briefing_app.errors import InvalidInput
from briefing_app.read_models import (
    ActionPointRead,
    CountryRead,
    FollowUpRead,
    IndicatorRead,
    LetterDetail,
    MeasureRead,
    PersonRead,
)
from briefing_app.reporting import sections as table
from briefing_app.reporting.compose_evidence import (
    evidence_lines,
    follow_ups,
    newest_evidence,
    since_line,
    tracked_status,
)
from briefing_app.reporting.content import (
    ActionPointEntry,
    ActionPointsSection,
    AgendaPart,
    AnnexesSection,
    AnnexLetter,
    ChangeLine,
    ChangesSection,
    Chart,
    ChartBar,
    CommitmentEntry,
    CommitmentGroup,
    CommitmentsSection,
    ContentsSection,
    CountriesSection,
    CountryFiche,
    CoverSection,
    IndicatorLine,
    InstrumentLine,
    LinesToTakeSection,
    MatrixColumn,
    MatrixRow,
    MatrixSection,
    MeasureEntry,
    MeasureGroup,
    MeasuresSection,
    Quote,
    Refs,
    RelatedItem,
    SignatoriesSection,
    SignatoryGroup,
    Signature,
    SourceLine,
    SourcesSection,
    StatusMark,
    long_date,
    pack_code,
    short_date,
    short_label,
)
from briefing_app.reporting.markup import parse_note
from briefing_app.reporting.spec import AgendaNote, SectionChoice, parse_item_ref

if TYPE_CHECKING:
    from briefing_app.reporting.composer import Composer


# ------------------------------------------------------------------------------ links


@dataclass(frozen=True)
class Links:
    """Where the items other sections point at are in this pack (None: not in it)."""

    point_anchor: dict[int, str]
    measure_anchor: dict[int, str]
    country_anchor: dict[str, str]
    annex_label: dict[int, str]  # letter id -> A, B, …
    country_names: dict[str, str]  # every country of the store, by ISO code


def links(ctx: Composer) -> Links:
    """The pack's links, worked out once per pack."""
    found = ctx.shared.get("links")
    if found is None:
        found = ctx.shared["links"] = Links(
            {p.id: f"action-point-{p.id}" for p in ctx.chosen("action-points")},
            {m.id: f"measure-{m.id}" for m in ctx.chosen("measures")},
            {c.iso: f"country-{c.iso}" for c in ctx.chosen("countries")},
            {letter.id: annex_label(i) for i, letter in enumerate(ctx.chosen("annexes"))},
            {c.iso: c.name for c in ctx.source.countries})
    assert isinstance(found, Links)
    return found


def status(item: ActionPointRead | MeasureRead | CountryRead) -> StatusMark:
    """A status without what it rests on (the matrix's cells): the item's own line says
    that (:func:`~briefing_app.reporting.compose_evidence.tracked_status`)."""
    return StatusMark(item.status, item.rag, item.stalled)


def _title(choice: SectionChoice) -> str:
    return table.section(choice.key).title


# ----------------------------------------------------------------- cover and contents


def _meeting_line(ctx: Composer) -> str:
    meeting = ctx.source.meeting
    if meeting is None:
        return f"Prepared on {long_date(ctx.generated_on)}"
    parts = [meeting.formation, long_date(meeting.date, "date not set")]
    if meeting.place:
        parts.append(meeting.place)
    return " · ".join(parts)


def cover(ctx: Composer, choice: SectionChoice) -> CoverSection:
    meeting = ctx.source.meeting
    facts: list[tuple[str, str]] = []
    if meeting is not None:
        facts += [("Formation", meeting.formation),
                  ("Date", long_date(meeting.date, "not set")),
                  ("Place", meeting.place or "not stated")]
        if ctx.title != meeting.title:
            facts.append(("Pack", ctx.title))
    facts += [
        ("Pack version", f"{pack_code(ctx.pack_id)}, version {ctx.version}"),
        ("State", "DRAFT" if ctx.spec.draft else "FINAL"),
        ("Classification", ctx.spec.classification),
        ("Generated", long_date(ctx.generated_on)),
        # the newest letter the pack's items rest on, never the day the store was written
        ("Newest evidence", _newest_evidence(ctx)),
        ("Source letters", str(len(ctx.source.letters))),
    ]
    heading = meeting.title if meeting is not None else ctx.title
    return CoverSection(choice.key, _title(choice), heading, _meeting_line(ctx), tuple(facts),
                        tuple(meeting.agenda) if meeting else (),
                        ctx.source.stale_after_months)


def _newest_evidence(ctx: Composer) -> str:
    tracked, newest = newest_evidence(ctx)
    if not tracked:
        return "no tracked item in this pack"
    return long_date(newest, "no item is dated")


def contents(ctx: Composer, choice: SectionChoice) -> ContentsSection:
    return ContentsSection(choice.key, _title(choice))


# ---------------------------------------------------------------------- lines to take


def lines_to_take(ctx: Composer, choice: SectionChoice) -> LinesToTakeSection:
    meeting = ctx.source.meeting
    agenda = tuple(meeting.agenda) if meeting else ()
    notes = {note.agenda_item: note for note in ctx.spec.notes}
    for number in notes:
        if not 0 <= number <= len(agenda):
            where = (f"the meeting has {len(agenda)} agenda items" if meeting
                     else "the pack has no meeting, only a steering note (0)")
            raise InvalidInput(f"notes: agenda item {number}: {where}")
    facts: tuple[tuple[str, str], ...] = ()
    background: tuple[Quote, ...] = ()
    if meeting is not None:
        facts = (("Meeting", meeting.title), ("Formation", meeting.formation),
                 ("Date", long_date(meeting.date, "not set")),
                 ("Place", meeting.place or "not stated"))
        background = tuple(
            Quote(c.quote, ctx.sources.refs([c], f"Meeting: {meeting.title}"))
            for c in meeting.citations)
    parts = [_agenda_part(ctx, 0, "Steering note", notes.get(0))]
    parts += [_agenda_part(ctx, n, title, notes.get(n))
              for n, title in enumerate(agenda, start=1)]
    return LinesToTakeSection(choice.key, _title(choice), facts, background, tuple(parts))


def _agenda_part(ctx: Composer, number: int, title: str,
                 note: AgendaNote | None) -> AgendaPart:
    if note is None:
        return AgendaPart(number, title, (), ())
    items = tuple(item for ref in note.items or () for item in _related(ctx, number, ref))
    return AgendaPart(number, title, parse_note(note.text or ""), items)


def _related(ctx: Composer, number: int, ref: str) -> list[RelatedItem]:
    key, wanted = parse_item_ref(ref)
    where = f"notes: agenda item {number}"
    link = links(ctx)
    if key == "action-points":
        points = [p for p in ctx.source.action_points if str(p.number) == wanted]
        if not points:
            raise InvalidInput(f"{where}: action point {wanted} is not in the store")
        return [RelatedItem(f"Action point {p.number}: {p.title}",
                            f"owner: {p.owner}" if p.owner else "",
                            tracked_status(ctx, p, f"Action point {p.number}"),
                            link.point_anchor.get(p.id)) for p in points]
    if key == "measures":
        measures = [m for m in ctx.source.measures if str(m.number) == wanted]
        if not measures:
            raise InvalidInput(f"{where}: measure {wanted} is not in the store")
        return [RelatedItem(f"Measure {m.number} ({m.section}. {m.section_title})",
                            _deadline_text(m), tracked_status(ctx, m, f"Measure {m.number}"),
                            link.measure_anchor.get(m.id)) for m in measures]
    countries = [c for c in ctx.source.countries if c.iso == wanted]
    if not countries:
        raise InvalidInput(f"{where}: country {wanted} is not in the store")
    return [RelatedItem(f"{c.name} ({c.iso})", ", ".join(c.routes),
                        tracked_status(ctx, c, f"{c.name} ({c.iso})"),
                        link.country_anchor.get(c.iso)) for c in countries]


def _deadline_text(measure: MeasureRead) -> str:
    if not measure.deadline:
        return "no deadline stated"
    text = f"deadline {measure.deadline}"
    if measure.overdue and measure.due_date is not None:
        text += f" (OVERDUE since {short_date(measure.due_date)})"
    return text


# ---------------------------------------------------------------------- tracked items


def action_points(ctx: Composer, choice: SectionChoice) -> ActionPointsSection:
    return ActionPointsSection(choice.key, _title(choice),
                               tuple(_point(ctx, p) for p in ctx.chosen(choice.key)))


def _point(ctx: Composer, point: ActionPointRead) -> ActionPointEntry:
    label = f"Action point {point.number}"
    refs = ctx.sources.refs(point.citations, label)  # in reading order: text, status, since
    mark = tracked_status(ctx, point, label)
    return ActionPointEntry(point.id, point.number, point.title, point.text, mark, point.owner,
                            point.notes, refs, since_line(ctx, point, label))


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8,
          "IX": 9, "X": 10}


def _roman(section: str) -> int:
    return _ROMAN.get(section.strip().upper(), 99)


def measures(ctx: Composer, choice: SectionChoice) -> MeasuresSection:
    groups: dict[tuple[str, str], list[MeasureEntry]] = {}
    chosen: list[MeasureRead] = ctx.chosen(choice.key)
    if choice.items is None:  # all: by section, then number
        chosen = sorted(chosen, key=lambda m: (_roman(m.section), m.section))
    names = links(ctx).country_names
    for m in chosen:
        label = f"Measure {m.number}"
        refs = ctx.sources.refs(m.citations, label)  # in reading order: text, status, since
        mark = tracked_status(ctx, m, label)
        entry = MeasureEntry(
            m.id, m.number, m.text, m.deadline, m.due_date, m.overdue, tuple(m.lead_actors),
            tuple(names.get(iso, iso) for iso in m.countries), mark, m.owner, m.notes, refs,
            since_line(ctx, m, label))
        groups.setdefault((m.section, m.section_title), []).append(entry)
    return MeasuresSection(
        choice.key, _title(choice), ctx.generated_on,
        tuple(MeasureGroup(section, title, tuple(entries))
              for (section, title), entries in groups.items()))


def commitments(ctx: Composer, choice: SectionChoice) -> CommitmentsSection:
    names = links(ctx).country_names
    titles = {letter.id: letter.title for letter in ctx.source.letters}
    groups: dict[str, tuple[str, list[CommitmentEntry]]] = {}
    for c in ctx.chosen(choice.key):
        letter = titles.get(c.letter_id)
        title = f"{c.series_title} ({letter})" if letter else c.series_title
        label = f"Commitment {c.id}"
        entry = CommitmentEntry(
            c.id, c.marker or str(c.position), c.title, c.text, c.deadline, c.due_date,
            c.overdue, tuple(names.get(iso, iso) for iso in c.countries),
            tracked_status(ctx, c, label), c.owner, since_line(ctx, c, label))
        groups.setdefault(c.series, (title, []))[1].append(entry)
    return CommitmentsSection(
        choice.key, _title(choice),
        tuple(CommitmentGroup(series, title, tuple(entries))
              for series, (title, entries) in groups.items()))


def matrix(ctx: Composer, choice: SectionChoice) -> MatrixSection:
    countries: list[CountryRead] = ctx.chosen(choice.key)
    link = links(ctx)
    named = {(m.id, iso) for m in ctx.source.measures for iso in m.countries}
    columns = sorted(ctx.source.measures, key=lambda m: (m.number, m.id))
    rows: list[MatrixRow] = []
    not_named: list[str] = []
    for country in countries:
        cells = tuple((m.id, country.iso) in named for m in columns)
        if any(cells) or choice.items is not None:
            rows.append(MatrixRow(country.iso, country.name, status(country), cells,
                                  link.country_anchor.get(country.iso)))
        else:
            not_named.append(country.name)
    return MatrixSection(
        choice.key, _title(choice),
        tuple(MatrixColumn(m.number, status(m), link.measure_anchor.get(m.id))
              for m in columns),
        tuple(rows), tuple(not_named))


def changes(ctx: Composer, choice: SectionChoice) -> ChangesSection:
    since = ctx.spec.since
    previous = ctx.source.previous_build
    history = list(ctx.source.history)
    if since is not None:
        def in_window(moment: datetime | None) -> bool:
            return moment is not None and moment.date() >= since
        since_text = f"since {long_date(since)}"
    elif previous is not None:
        # inclusive: time stamps are whole seconds, and missing a change is worse
        def in_window(moment: datetime | None) -> bool:
            return moment is not None and moment >= previous.built_at
        since_text = (f"since version {previous.version} of this pack "
                      f"({long_date(previous.built_at)})")
    else:
        def in_window(moment: datetime | None) -> bool:
            return True
        since_text = "since the first record"
    window = [c for c in history if in_window(c.changed_at)]
    # new evidence first: the follow-ups accepted in the window, then the status changes
    evidence = evidence_lines(ctx, in_window)
    made_from = {f.status_change_id: f for f in follow_ups(ctx)
                 if f.status_change_id is not None}
    baselines = 0
    if since is None and previous is None:
        changed = {(c.item_kind, c.item_id) for c in window if c.old_status is not None}
        baselines = len({(c.item_kind, c.item_id) for c in window
                         if c.old_status is None} - changed)
        window = [c for c in window if c.old_status is not None]
    lines = tuple(
        ChangeLine(c.changed_at, c.item_label, c.old_status, c.new_status, c.old_rag,
                   c.new_rag,
                   (f"{c.old_owner or 'none'} → {c.new_owner or 'none'}"
                    if c.old_owner != c.new_owner else None),
                   c.note, c.author,
                   *_made_from(ctx, made_from.get(c.id), c.item_label))
        for c in window)
    title = f"What has changed {since_text}"
    return ChangesSection(choice.key, title, since_text, lines, baselines, evidence)


def _made_from(ctx: Composer, follow_up: FollowUpRead | None,
               label: str) -> tuple[Refs, date | None, bool]:
    """The passage a status change was made from: its source number and letter date."""
    if follow_up is None:
        return (), None, False
    return ctx.sources.refs([follow_up.citation()], label), follow_up.letter_date, True


# -------------------------------------------------------------------------- countries


def countries(ctx: Composer, choice: SectionChoice) -> CountriesSection:
    return CountriesSection(choice.key, _title(choice),
                            tuple(_fiche(ctx, c) for c in ctx.chosen(choice.key)))


def _fiche(ctx: Composer, country: CountryRead) -> CountryFiche:
    label = f"{country.name} ({country.iso})"
    mark = tracked_status(ctx, country, label)  # its status comes first on the fiche
    own = [i for i in ctx.source.indicators if i.country == country.iso]
    route_figures = [i for i in ctx.source.indicators
                     if i.country is None and i.route in country.routes]
    indicators = tuple(
        IndicatorLine(i.display, i.label, i.value, i.unit, i.period, i.as_of,
                      None if i.country else i.route,
                      ctx.sources.refs(i.citations, f"Indicator: {i.label}"))
        for i in own + route_figures)
    instruments = tuple(
        InstrumentLine(i.kind, i.name, i.state,
                       ctx.sources.refs(i.citations, f"{label}: {i.name}"))
        for i in country.instruments)
    quotes = tuple(Quote(c.quote, ctx.sources.refs([c], label))
                   for c in country.citations)
    history = [c for c in ctx.source.history
               if c.item_kind == "country" and c.item_id == country.id]
    last_note = history[-1].note if history and history[-1].old_status is not None else None
    return CountryFiche(
        country.iso, country.name, mark, country.status_note,
        tuple(country.routes), country.owner, country.notes, last_note,
        tuple((number, _measure_anchor_by_number(ctx, number))
              for number in country.measures),
        instruments, indicators, _chart(country.name, own), quotes)


def _measure_anchor_by_number(ctx: Composer, number: int) -> str | None:
    for measure in ctx.chosen("measures"):
        if measure.number == number:
            return links(ctx).measure_anchor[measure.id]
    return None


def _chart(name: str, indicators: Sequence[IndicatorRead]) -> Chart | None:
    """A bar chart of a country's own figures, in the unit most of them share."""
    if not indicators:
        return None
    by_unit: dict[str, list[IndicatorRead]] = defaultdict(list)
    for indicator in indicators:
        by_unit[indicator.unit].append(indicator)
    unit = max(by_unit, key=lambda u: len(by_unit[u]))  # first unit wins a tie
    bars = tuple(ChartBar(short_label(i.label), i.value, i.display)
                 for i in sorted(by_unit[unit], key=lambda i: (i.as_of or date.min, i.id)))
    return Chart(f"{name}: figures in {unit}", unit, bars)


# ---------------------------------------------------------------------------- letters


def annex_label(index: int) -> str:
    """A, B, … Z, AA, AB, …"""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def signatories(ctx: Composer, choice: SectionChoice) -> SignatoriesSection:
    letters: list[LetterDetail] = ctx.chosen(choice.key)
    labels = links(ctx).annex_label
    wanted = {letter.id: letter for letter in letters}
    signers: dict[int, list[tuple[PersonRead, Any]]] = defaultdict(list)
    senders: dict[int, list[tuple[PersonRead, Any]]] = defaultdict(list)
    for person in ctx.source.people:
        for role in person.roles:
            if role.letter_id not in wanted:
                continue
            if role.role == "signatory":
                signers[role.letter_id].append((person, role))
            elif role.role == "sender":
                senders[role.letter_id].append((person, role))
    groups: dict[str, list[Signature]] = defaultdict(list)
    kinds: dict[str, int] = {}
    for letter in letters:
        # who signed: the signatories, or the sender of a letter that names none
        for person, role in signers.get(letter.id) or senders.get(letter.id, []):
            group = person.country or role.organisation or person.organisation or "Other"
            kinds[group] = 0 if person.country else 1
            annexed = letter.id in labels
            groups[group].append(Signature(
                person.name, role.title, role.role, letter.id, letter.title, letter.date,
                f"letter-{letter.id}" if annexed else None, labels.get(letter.id)))
    ordered = sorted(groups, key=lambda g: (kinds[g], g.casefold()))
    return SignatoriesSection(
        choice.key, _title(choice),
        tuple(SignatoryGroup(g, tuple(groups[g])) for g in ordered))


def annexes(ctx: Composer, choice: SectionChoice) -> AnnexesSection:
    labels = links(ctx).annex_label
    return AnnexesSection(choice.key, _title(choice), tuple(
        AnnexLetter(labels[letter.id], letter.id, letter.title, letter.date, letter.place,
                    letter.kind, letter.reference, letter.source_name, letter.sha256,
                    letter.text,
                    tuple((c.original, c.corrected, c.note) for c in letter.corrections))
        for letter in ctx.chosen(choice.key)))


def sources(ctx: Composer, choice: SectionChoice) -> SourcesSection:
    labels = links(ctx).annex_label
    lines = tuple(
        SourceLine(
            e.number, e.citation.letter_id, e.citation.letter_title, e.citation.start,
            e.citation.end, e.citation.quote, labels.get(e.citation.letter_id),
            f"letter-{e.citation.letter_id}" if e.citation.letter_id in labels else None,
            tuple(e.used_by))
        for e in ctx.sources.entries())
    return SourcesSection(choice.key, _title(choice), lines)
