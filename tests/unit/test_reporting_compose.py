"""Composing a pack: section choices, items, notes and numbered sources (no ReportLab)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from briefing_app.errors import InvalidInput
from briefing_app.read_models import (
    ActionPointRead,
    CitationRead,
    CountryRead,
    Evidence,
    FollowUpRead,
    IndicatorRead,
    InstrumentRead,
    LetterDetail,
    MeasureRead,
    MeetingRead,
    PersonRead,
    RoleRead,
    StatusChangeRead,
)
from briefing_app.reporting.compose_evidence import WHOLE, shorten
from briefing_app.reporting.composer import compose
from briefing_app.reporting.content import (
    Basis,
    ChangesSection,
    CountriesSection,
    LinesToTakeSection,
    MatrixSection,
    MeasuresSection,
    PackSource,
    PreviousBuild,
    SignatoriesSection,
    Since,
    SourcesSection,
)
from briefing_app.reporting.spec import (
    AgendaNote,
    PackSpec,
    SectionChoice,
    default_sections,
    merge_notes,
    parse_sections,
    sections_from_json,
)

STAMP = datetime(2024, 11, 1, 9, 0, tzinfo=UTC)


def _cite(letter_id: int, start: int, quote: str) -> CitationRead:
    return CitationRead(letter_id, f"Letter {letter_id}", start, start + len(quote), quote)


def _measure(number: int, countries: tuple[str, ...], cite: CitationRead,
             section: str = "IV") -> MeasureRead:
    return MeasureRead(
        id=100 + number, number=number, section=section, section_title=f"Section {section}",
        text=f"Measure {number} text", deadline="in 2023", due_date=date(2023, 12, 31),
        overdue=True, lead_actors=("Commission",), countries=countries, letter_id=1,
        status="in progress", rag="green", owner=None, notes=None, last_changed=STAMP,
        stalled=False, citations=(cite,))


def _letter(letter_id: int, title: str) -> LetterDetail:
    return LetterDetail(
        id=letter_id, title=title, date=date(2024, 1, letter_id), place="Brussels",
        kind="letter", reference=None, source_name=f"{letter_id}.txt", sha256="0" * 64,
        imported_at=STAMP, encoding="utf-8", salutation=None, subject=None, text="Text.",
        roles=(), annexes=(), corrections=(), action_points=(), measures=())


def _source() -> PackSource:
    shared = _cite(1, 10, "anti-smuggling partnerships with Tunisia")
    return PackSource(
        meeting=MeetingRead(1, "Ministerial conference", "Conference", date(2024, 4, 29), None,
                            ("Stock-taking", "Milestones"), (_cite(2, 5, "convene"),)),
        action_points=(ActionPointRead(7, 3, "Returns", "Advance on returns.", 1,
                                       "no evidence", "grey", None, None, STAMP, False,
                                       (_cite(1, 500, "common approach"),)),),
        measures=(_measure(12, ("TN",), shared), _measure(2, (), _cite(1, 300, "borders"),
                                                          section="I")),
        countries=(
            CountryRead(1, "LB", "Lebanon", ("Eastern Mediterranean",), (), "in progress",
                        "green", None, None, None, (), ("a", "b"), STAMP, False, ()),
            CountryRead(2, "TN", "Tunisia", ("Central Mediterranean",),
                        (InstrumentRead("MoU", "EU-Tunisia MoU", "in place", (shared,)),),
                        "in progress", "green", "Working.", None, None, (12,), (), STAMP,
                        False, (shared, _cite(2, 40, "Tunisia"))),
        ),
        indicators=(
            IndicatorRead(1, "a", "Humanitarian aid", 30e6, "EUR", False, "EUR 30 million",
                          None, date(2024, 10, 14), None, "LB", 2, ()),
            IndicatorRead(2, "b", "Support package", 1e9, "EUR", False, "EUR 1 billion", None,
                          date(2024, 10, 14), None, "LB", 2, ()),
            IndicatorRead(3, "c", "Arrivals", -66.7, "%", True, "about -67%", None,
                          date(2024, 10, 14), "Central Mediterranean", None, 2, ()),
        ),
        people=(
            PersonRead(1, "Agnė Bilotaitė", "Ms", None, "Lithuania", "LT",
                       (RoleRead(2, "Letter 2", "signatory", "Minister", "Agnė Bilotaitė",
                                 "Ms", None, 0, 14),)),
            PersonRead(2, "Ylva Johansson", "Ms", "European Commission", None, None,
                       (RoleRead(1, "Letter 1", "sender", "Commissioner", "Ylva Johansson",
                                 "Ms", "European Commission", 0, 14),)),
        ),
        letters=(_letter(1, "Letter 1"), _letter(2, "Letter 2")),
        history=(
            StatusChangeRead(3, "country", 1, "Lebanon (LB)", None, "in progress", None,
                             "green", None, None, "baseline", "seed", "seed", STAMP, None),
            StatusChangeRead(1, "country", 2, "Tunisia (TN)", None, "no evidence", None,
                             "grey", None, None, "baseline", "seed", "seed", STAMP, None),
            StatusChangeRead(2, "country", 2, "Tunisia (TN)", "no evidence", "in progress",
                             "grey", "green", None, "Desk", "talks", "me", "cli",
                             datetime(2024, 12, 1, tzinfo=UTC), None),
        ),
    )


def _compose(spec: PackSpec, source: PackSource | None = None):  # type: ignore[no-untyped-def]
    return compose(spec, source or _source(), pack_id=3, version=2, title="Pack",
                   generated_on=date(2025, 1, 15))


def test_sections_parse_in_order_with_cover_and_contents_first() -> None:
    assert parse_sections(" measures:12+1-3 , cover, countries:tn+LY,contents,annexes:5") == (
        SectionChoice("cover"), SectionChoice("contents"),
        SectionChoice("measures", ("12", "1", "2", "3")),
        SectionChoice("countries", ("TN", "LY")), SectionChoice("annexes", ("5",)))
    assert sections_from_json(None) == default_sections()
    assert sections_from_json([{"key": "sources"}, {"key": "cover", "items": None}]) == (
        SectionChoice("cover"), SectionChoice("sources"))


@pytest.mark.parametrize(("text", "message"), [
    ("", "sections: give at least one section"),
    ("cover,nope", "sections: unknown section 'nope' (use: cover, contents, lines-to-take, "
                   "action-points, measures, commitments, matrix, countries, signatories, "
                   "changes, annexes, sources)"),
    ("measures,measures:1", "sections: 'measures' is listed twice"),
    ("cover:1", "sections: 'cover' has no items to choose"),
    ("measures:", "sections: measures: no items after ':'"),
    ("measures:4-2", "sections: measures: '4-2' is not a valid range"),
    ("countries:Tunisia", "sections: countries: 'TUNISIA' is not an ISO country code like TN"),
])
def test_bad_section_lists_name_the_field(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_sections(text)
    assert caught.value.message == message


def test_sources_are_numbered_in_order_of_first_use() -> None:
    content = _compose(PackSpec(meeting_id=1, sections=parse_sections(
        "countries:TN,measures,sources")))
    fiche = next(s for s in content.sections if isinstance(s, CountriesSection)).fiches[0]
    measures = next(s for s in content.sections if isinstance(s, MeasuresSection))
    sources = next(s for s in content.sections if isinstance(s, SourcesSection)).sources
    # Tunisia's instrument cites the passage first; measure 12 reuses number 1
    assert fiche.instruments[0].refs == (1,)
    assert [q.refs for q in fiche.quotes] == [(1,), (2,)]
    by_number = {m.number: m.refs for g in measures.groups for m in g.measures}
    assert by_number == {12: (1,), 2: (3,)}
    assert [(s.number, s.quote, s.used_by) for s in sources] == [
        (1, "anti-smuggling partnerships with Tunisia",
         ("Tunisia (TN): EU-Tunisia MoU", "Tunisia (TN)", "Measure 12")),
        (2, "Tunisia", ("Tunisia (TN)",)),
        (3, "borders", ("Measure 2",)),
    ]
    assert sources[0].annex_label is None  # no annexes in this pack


def test_without_a_sources_section_nothing_carries_a_number() -> None:
    content = _compose(PackSpec(meeting_id=1, sections=parse_sections("countries,measures")))
    fiches = next(s for s in content.sections if isinstance(s, CountriesSection)).fiches
    assert all(q.refs == () for f in fiches for q in f.quotes)
    assert content.sources_shown is False


def test_measures_group_by_section_and_link_only_to_what_the_pack_holds() -> None:
    content = _compose(PackSpec(meeting_id=1, sections=parse_sections("measures,matrix")))
    measures = next(s for s in content.sections if isinstance(s, MeasuresSection))
    assert [(g.section, [m.number for m in g.measures]) for g in measures.groups] == [
        ("I", [2]), ("IV", [12])]
    matrix = next(s for s in content.sections if isinstance(s, MatrixSection))
    assert [c.number for c in matrix.columns] == [2, 12]
    assert [(r.iso, r.cells, r.anchor) for r in matrix.rows] == [("TN", (False, True), None)]
    assert matrix.not_named == ("Lebanon",)
    assert [c.anchor for c in matrix.columns] == ["measure-102", "measure-112"]


def test_lines_to_take_per_agenda_item_with_related_items() -> None:
    notes = (AgendaNote(2, "**Hold** the line.", ("countries:TN", "measures:12")),
             AgendaNote(0, "Overall aim."))
    content = _compose(PackSpec(meeting_id=1, notes=notes, sections=parse_sections(
        "lines-to-take,countries,sources")))
    section = next(s for s in content.sections if isinstance(s, LinesToTakeSection))
    assert [(p.number, p.title, [b.text for b in p.blocks]) for p in section.parts] == [
        (0, "Steering note", ["Overall aim."]), (1, "Stock-taking", []),
        (2, "Milestones", ["Hold the line."])]
    items = section.parts[2].items
    assert [(i.label, i.anchor) for i in items] == [
        ("Tunisia (TN)", "country-TN"), ("Measure 12 (IV. Section IV)", None)]
    assert items[1].detail == "deadline in 2023 (OVERDUE since 31 Dec 2023)"
    assert section.background[0].refs == (1,)


def test_notes_merge_by_agenda_item() -> None:
    stored = (AgendaNote(0, "aim"), AgendaNote(1, "old", ("measures:1",)))
    merged = merge_notes(stored, (AgendaNote(1, "new", None), AgendaNote(2, None, ("x:1",)),
                                  AgendaNote(0, "")))
    assert merged == (AgendaNote(1, "new", ("measures:1",)), AgendaNote(2, "", ("x:1",)))


def test_signatories_by_country_and_sender_when_no_one_signs() -> None:
    content = _compose(PackSpec(meeting_id=1, sections=parse_sections("signatories,annexes:2")))
    section = next(s for s in content.sections if isinstance(s, SignatoriesSection))
    assert [(g.name, [(s.name, s.role, s.letter_annex) for s in g.signatures])
            for g in section.groups] == [
        ("Lithuania", [("Agnė Bilotaitė", "signatory", "A")]),
        ("European Commission", [("Ylva Johansson", "sender", None)]),
    ]


def test_fiche_figures_and_chart() -> None:
    content = _compose(PackSpec(meeting_id=1, sections=parse_sections("countries")))
    lebanon, tunisia = next(s for s in content.sections
                            if isinstance(s, CountriesSection)).fiches
    assert lebanon.chart is not None
    assert (lebanon.chart.unit, [b.display for b in lebanon.chart.bars]) == (
        "EUR", ["EUR 30 million", "EUR 1 billion"])
    assert tunisia.chart is None  # a route's figure is listed, not charted
    assert [(i.display, i.route) for i in tunisia.indicators] == [
        ("about -67%", "Central Mediterranean")]


def test_changes_since_a_date_or_the_previous_build() -> None:
    def changes(spec: PackSpec, source: PackSource) -> tuple[str, list[str], int]:
        section = next(s for s in _compose(spec, source).sections if s.key == "changes")
        return (section.title, [c.new_status for c in section.changes],  # type: ignore[attr-defined]
                section.baselines_left_out)  # type: ignore[attr-defined]

    spec = PackSpec(title="x", sections=parse_sections("changes"))
    source = _source()
    # Lebanon has only its baseline: counted, not listed
    assert changes(spec, source) == ("What has changed since the first record",
                                     ["in progress"], 1)
    assert changes(PackSpec(title="x", sections=spec.sections, since=date(2024, 1, 1)),
                   source) == ("What has changed since 1 January 2024",
                               ["in progress", "no evidence", "in progress"], 0)
    later = PackSource(**{**source.__dict__, "previous_build": PreviousBuild(
        4, datetime(2024, 12, 2, tzinfo=UTC))})
    assert changes(spec, later) == (
        "What has changed since version 4 of this pack (2 December 2024)", [], 0)


def test_unknown_items_and_agenda_items_are_refused() -> None:
    with pytest.raises(InvalidInput, match=r"^sections: action-points: action point 4 is not"):
        _compose(PackSpec(title="x", sections=parse_sections("action-points:3+4")))
    with pytest.raises(InvalidInput, match=r"^notes: related item 'TN': write it as"):
        _compose(PackSpec(meeting_id=1, notes=(AgendaNote(1, "x", ("TN",)),)))
    with pytest.raises(InvalidInput, match=r"^notes: agenda item 1: the pack has no meeting"):
        _compose(PackSpec(title="x", notes=(AgendaNote(1, "x"),)),
                 PackSource(**{**_source().__dict__, "meeting": None}))
    with pytest.raises(InvalidInput, match=r"^classification: at most 80 characters$"):
        _compose(PackSpec(title="x", classification="X" * 81))


def test_the_content_names_pack_version_and_state() -> None:
    content = _compose(PackSpec(meeting_id=1, draft=True, sections=parse_sections("cover")))
    assert (content.code, content.label, content.state, content.keys) == (
        "BP-0003", "BP-0003 v2", "DRAFT", ("cover",))
    cover = content.sections[0]
    assert cover.facts[:3] == (  # type: ignore[attr-defined]
        ("Formation", "Ministerial conference"), ("Date", "29 April 2024"),
        ("Place", "not stated"))


# --------------------------------------------------------------------------- evidence


def _follow_up(follow_up_id: int, text: str, day: date | None, *, start: int = 900,
               reviewed: datetime | None = STAMP,
               change_id: int | None = None) -> FollowUpRead:
    return FollowUpRead(follow_up_id, 112, "Measure 12", 2, "Letter 2", day, start,
                        start + len(text), text, 9.0, "accepted", "person", "adviser",
                        reviewed, change_id)


@pytest.mark.parametrize(("passage", "shortened"), [
    ("Short and whole.", "Short and whole."),
    ("a clause from inside a sentence", "…a clause from inside a sentence"),
    ("The first sentence says enough on its own, more than sixty characters. More "
     + "x " * 150, "The first sentence says enough on its own, more than sixty characters. …"),
    ("Too short. " + "wording " * 40, "Too short. " + ("wording " * 23).strip() + "…"),
    ("She wrote “the quotation closes this first sentence, long enough alone.” Then "
     + "more " * 60, "She wrote “the quotation closes this first sentence, long enough alone.” …"),
])
def test_a_follow_up_is_quoted_whole_by_its_first_sentence_or_cut_at_a_word(
        passage: str, shortened: str) -> None:
    assert shorten(passage) == shortened
    assert len(shorten(passage)) <= WHOLE + 2


def test_a_status_names_its_date_and_source_and_since_its_newest_evidence() -> None:
    source_passage = "Operations with Tunisia have intensified."
    newest = _follow_up(2, "talks have resumed with Egypt", date(2024, 10, 14), start=50)
    source = _follow_up(1, source_passage, date(2024, 10, 14), change_id=9)
    base = _source()
    twelve = base.measures[0]
    tracked = [dataclasses.replace(
        twelve, evidence=Evidence(date(2024, 10, 14), False, newest, source, False),
        follow_ups=(source, newest)),
        dataclasses.replace(base.measures[1], status="delayed", evidence=Evidence(
            date(2024, 12, 1), True, None, None, True))]
    history = (*base.history, StatusChangeRead(
        9, "measure", 112, "Measure 12", "no evidence", "in progress", "grey", "amber", None,
        None, None, "adviser", "follow-up 1", datetime(2024, 11, 2, tzinfo=UTC), None))
    source_data = PackSource(**{**base.__dict__, "measures": tracked, "history": history})
    content = _compose(PackSpec(title="x", sections=parse_sections(
        "cover,measures:12+2,changes,sources")), source_data)
    cover, measures, changes, sources = content.sections
    assert isinstance(measures, MeasuresSection) and isinstance(sources, SourcesSection)
    assert isinstance(changes, ChangesSection)
    number = {line.quote: line.number for line in sources.sources}
    [entry] = measures.groups[0].measures  # in the order chosen: measure 12 first
    assert entry.status.basis == Basis(date(2024, 10, 14), (number[source_passage],))
    assert entry.since == Since("…talks have resumed with Egypt",
                                (number["talks have resumed with Egypt"],), date(2024, 10, 14))
    [two] = measures.groups[1].measures
    assert two.status.basis == Basis(date(2024, 12, 1), (), no_source=True, stale=True)
    assert two.since is None
    # the cover dates the pack by its letters (and its follow-ups' letters), not by the
    # status set by hand on 1 December
    assert ("Newest evidence", "14 October 2024") in cover.facts  # type: ignore[attr-defined]
    # what has changed: the accepted follow-ups, and the change made from one of them
    assert [(e.item_label, e.letter_date, e.refs) for e in changes.evidence] == [
        ("Measure 12", date(2024, 10, 14), (number[source_passage],)),
        ("Measure 12", date(2024, 10, 14), (number["talks have resumed with Egypt"],))]
    [made] = [c for c in changes.changes if c.item_label == "Measure 12"]
    assert (made.refs, made.evidence_date, made.from_evidence) == (
        (number[source_passage],), date(2024, 10, 14), True)
    later = PackSource(**{**source_data.__dict__, "previous_build": PreviousBuild(
        4, datetime(2024, 12, 2, tzinfo=UTC))})
    assert _compose(PackSpec(title="x", sections=parse_sections("changes")),
                    later).sections[0].evidence == ()  # type: ignore[attr-defined]


def test_a_pack_without_tracked_items_says_so_on_its_cover() -> None:
    content = _compose(PackSpec(title="x", sections=parse_sections("cover,annexes")))
    assert ("Newest evidence", "no tracked item in this pack") in \
        content.sections[0].facts  # type: ignore[attr-defined]
