"""The kind registry: one definition per kind, and everything spelled from it."""

from __future__ import annotations

import pytest

from briefing_app.domain import kinds
from briefing_app.domain.kinds import (
    ACTION_POINTS,
    COUNTRIES,
    INDICATORS,
    LETTERS,
    MEASURES,
    MEETINGS,
    PACKS,
    PEOPLE,
    STATUS_HISTORY,
)
from briefing_app.errors import InvalidInput, NotFound


def test_the_command_line_spellings_in_order() -> None:
    assert kinds.names(kinds.KINDS) == (
        "letters", "action-points", "measures", "commitments", "follow-ups", "countries",
        "people", "indicators", "meetings", "packs", "status-history")
    assert kinds.names(kinds.LISTED) == kinds.names(kinds.KINDS)
    assert kinds.names(kinds.SHOWN) == ("letters", "action-points", "measures", "commitments",
                                        "follow-ups", "countries", "people", "indicators",
                                        "meetings")
    assert kinds.names(kinds.TRACKED) == ("action-points", "measures", "commitments",
                                          "countries")
    assert kinds.names(kinds.EXPORTED) == ("letters", "action-points", "measures",
                                           "commitments", "countries", "people",
                                           "indicators", "status-history")
    assert kinds.names(kinds.IMPORTED) == ("action-points", "measures", "countries",
                                           "indicators")


def test_how_each_kind_is_named_and_stored() -> None:
    table = [(k.name, k.label, k.noun, k.plural, k.short, k.stored, k.table, k.key)
             for k in kinds.KINDS]
    assert table == [
        ("letters", "Letters", "letter", "letters", "letter", "letter", "letter", "id"),
        ("action-points", "Action points", "action point", "action points", "action point",
         "action_point", "commitment", "number"),
        ("measures", "Operational measures", "measure", "measures", "measure", "measure",
         "commitment", "number"),
        ("commitments", "Commitments", "commitment", "commitments", "commitment", "commitment",
         "commitment", "id"),
        ("follow-ups", "Follow-ups", "follow-up", "follow-ups", "follow-up", "", "followup",
         "id"),
        ("countries", "Partner countries", "partner country", "partner countries", "country",
         "country", "partnercountry", "iso"),
        ("people", "People", "person", "people", "person", "person", "person", "id"),
        ("indicators", "Indicators", "indicator", "indicators", "indicator", "indicator",
         "indicator", "key"),
        ("meetings", "Meetings", "meeting", "meetings", "meeting", "meeting", "meeting", "id"),
        ("packs", "Briefing packs", "briefing pack", "briefing packs", "pack", "",
         "briefingpack", "id"),
        ("status-history", "Status history", "status change", "status changes",
         "status change", "", "statuschange", "id"),
    ]
    assert [k.words for k in kinds.TRACKED] == ["action points", "measures", "commitments",
                                                "countries"]
    assert [(k.row_kind, k.series) for k in kinds.TRACKED] == [
        ("commitment", "action-points"), ("commitment", "measures"), ("commitment", None),
        ("country", None)]
    assert kinds.of_series("measures") is MEASURES
    assert kinds.of_series("measures-7") is kinds.COMMITMENTS
    assert STATUS_HISTORY.words == "status history"


def test_aliases_and_stored_names_find_the_same_kind() -> None:
    assert ACTION_POINTS.aliases == ("action-point", "action_point")
    assert kinds.COMMITMENTS.aliases == ("commitment",)
    assert [k.aliases for k in (LETTERS, MEASURES, COUNTRIES, PEOPLE, INDICATORS, MEETINGS,
                                PACKS, STATUS_HISTORY)] == [
        ("letter",), ("measure",), ("country",), ("person",), ("indicator",), ("meeting",),
        ("pack",), ()]
    for kind in kinds.KINDS:
        for spelling in kind.spellings:
            assert kinds.find(spelling) is kind
            assert kinds.get(spelling) is kind
        if kind.stored:
            assert kinds.by_stored(kind.stored) is kind
    every = [s for k in kinds.KINDS for s in k.spellings]
    assert len(every) == len(set(every))  # no spelling means two kinds
    assert kinds.find("Measures") is None and kinds.find("") is None
    with pytest.raises(InvalidInput, match=r"^kind: unknown kind 'bogus' \(use one of: "
                                           r"letters, action-points, .*status-history\)$"):
        kinds.get("bogus")
    with pytest.raises(InvalidInput, match="no kind of item is stored as 'instrument'"):
        kinds.by_stored("instrument")


def test_what_each_kind_can_do_is_checked_with_the_old_messages() -> None:
    assert kinds.tracked_kind("measures") is MEASURES
    assert kinds.tracked_kind("action_point") is ACTION_POINTS
    with pytest.raises(InvalidInput) as caught:
        kinds.tracked_kind("people")
    assert caught.value.message == ("kind: 'people' has no status (use one of: "
                                    "action-points, measures, commitments, countries)")
    assert kinds.exported_kind("status-history") is STATUS_HISTORY
    with pytest.raises(InvalidInput) as caught:
        kinds.exported_kind("packs")
    assert caught.value.message == (
        "kind: 'packs' cannot be exported (use one of: letters, action-points, measures, "
        "commitments, countries, people, indicators, status-history)")
    assert kinds.imported_kind("country") is COUNTRIES
    with pytest.raises(InvalidInput) as caught:
        kinds.imported_kind("people")
    assert caught.value.message == ("kind: 'people' cannot be imported (use one of: "
                                    "action-points, measures, countries, indicators)")


def test_keys_are_parsed_as_people_type_them() -> None:
    assert MEASURES.parse_key(" 12 ") == 12
    assert MEASURES.parse_key(12) == 12
    assert ACTION_POINTS.parse_id("3") == 3
    assert COUNTRIES.parse_key(" tn ") == "TN"
    assert INDICATORS.parse_key(" return-rate-2024 ") == "return-rate-2024"
    assert INDICATORS.parse_key("8") == "8"  # a key or an id: the catalogue tells them apart
    assert LETTERS.parse_id(" 5") == 5
    assert MEETINGS.parse_key("2") == 2 and PACKS.parse_id("1") == 1
    with pytest.raises(InvalidInput) as caught:
        MEASURES.parse_key("x")
    assert caught.value.message == "measure 'x': give its number, e.g. 12"
    with pytest.raises(InvalidInput) as caught:
        ACTION_POINTS.parse_key(" 3a")
    assert caught.value.message == "action point ' 3a': give its number, e.g. 12"
    for kind, message in ((LETTERS, "letter 'x': give the id printed by 'list letters'"),
                          (MEETINGS, "meeting 'x': give the id printed by 'list meetings'"),
                          (PACKS, "pack 'x': give the id printed by 'list packs'")):
        with pytest.raises(InvalidInput) as caught:
            kind.parse_id("x")
        assert caught.value.message == message
    with pytest.raises(TypeError):
        COUNTRIES.parse_id("TN")


def test_keys_are_shown_and_missing_items_named() -> None:
    assert MEASURES.show_key({"number": 12, "text": "…"}) == "12"
    assert COUNTRIES.show_key({"iso": "TN"}) == "TN"
    assert INDICATORS.show_key({"key": "wb-2024"}) == "wb-2024"
    assert STATUS_HISTORY.show_key({"id": 7}) == "7"
    assert COUNTRIES.key_text(" tn ") == "TN" and MEASURES.key_text(" 012 ") == "012"
    assert isinstance(MEASURES.missing("99"), NotFound)
    assert MEASURES.missing(" 99 ").message == "measure 99: not in the store"
    assert ACTION_POINTS.missing(4).message == "action point 4: not in the store"
    assert COUNTRIES.missing("zz").message == "country zz: no partner country with this ISO code"


def test_items_are_labelled_from_their_own_fields() -> None:
    class Country:  # a stored object: fields as attributes
        name, iso = "Tunisia", "TN"

    assert ACTION_POINTS.item_label({"number": 3, "title": "Returns", "text": "…"}) == \
        "Action point 3: Returns"
    assert MEASURES.item_label({"number": 12}) == "Measure 12"
    assert COUNTRIES.item_label(Country()) == "Tunisia (TN)"
    assert INDICATORS.item_label({"key": "return-rate-2024"}) == "Indicator return-rate-2024"
    with pytest.raises(ValueError, match="no label"):
        LETTERS.item_label({"id": 1})


def test_the_table_columns_follow_the_registry() -> None:
    from briefing_app.tabular import columns

    assert columns.EXPORT_KINDS == kinds.names(kinds.EXPORTED) == tuple(columns.EXPORT_COLUMNS)
    assert columns.IMPORT_KINDS == kinds.names(kinds.IMPORTED) == tuple(columns.IMPORTS)
    for kind in kinds.EXPORTED:
        assert columns.KEY_COLUMNS[kind.name] == kind.key
        assert kind.key in columns.EXPORT_COLUMNS[kind.name]
    for kind in kinds.IMPORTED:
        assert (columns.IMPORTS[kind.name].key, columns.IMPORTS[kind.name].noun) == \
            (kind.key, kind.noun)


def test_the_services_answer_what_can_be_exported_and_imported() -> None:
    from briefing_app.services.tables import TableService

    assert [(k.name, k.label) for k in TableService.export_kinds()] == [
        ("letters", "Letters"), ("action-points", "Action points"),
        ("measures", "Operational measures"), ("commitments", "Commitments"),
        ("countries", "Partner countries"), ("people", "People"),
        ("indicators", "Indicators"), ("status-history", "Status history")]
    assert [(k.name, k.label) for k in TableService.import_kinds()] == [
        ("action-points", "Action points"), ("measures", "Operational measures"),
        ("countries", "Partner countries"), ("indicators", "Indicators")]


def test_the_command_line_takes_its_choices_from_the_registry() -> None:
    from briefing_app.cli import build_parser
    from briefing_app.cli.letters import _LISTS, _RECORDS

    assert tuple(_LISTS) == kinds.names(kinds.LISTED)
    assert tuple(_RECORDS) == kinds.names(kinds.SHOWN)
    parser = build_parser()
    for words, expected in ((["list"], kinds.LISTED), (["show"], kinds.SHOWN),
                            (["status", "set"], kinds.TRACKED),
                            (["status", "history"], kinds.TRACKED),
                            (["export"], kinds.EXPORTED), (["import-table"], kinds.IMPORTED)):
        sub = parser
        for word in words:
            sub = next(a for a in sub._actions if a.dest.endswith("command")).choices[word]
        [kind_argument] = [a for a in sub._actions if a.dest == "kind"]
        assert tuple(kind_argument.choices) == kinds.names(expected), words
