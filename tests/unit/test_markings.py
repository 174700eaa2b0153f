"""Security markings: exact classification, the national markings' settings file, file names."""

from __future__ import annotations

import json
import logging
import os
from datetime import date
from pathlib import Path

import pytest

from briefing_app import paths
from briefing_app.domain.file_names import pack_file_name, safe_part, short_title
from briefing_app.domain.markings import (
    DEFAULT_CLASSIFICATION,
    EU_MARKINGS,
    STANDARD_MARKINGS,
    MarkingKind,
    check_national,
    classify,
    is_marked,
    normalise,
)
from briefing_app.errors import InvalidInput, UserError
from briefing_app.reporting import spec as compose
from briefing_app.services.markings import (
    check_marking,
    load_settings,
    read_settings,
    save_settings,
    settings_path,
)

VS = "VS – NUR FÜR DEN DIENSTGEBRAUCH"
DR = "DIFFUSION RESTREINTE"

# ------------------------------------------------------------------------ the markings


def test_the_standard_markings_are_spelt_as_the_eu_writes_them() -> None:
    assert EU_MARKINGS == ("LIMITE", "RESTREINT UE/EU RESTRICTED",
                           "CONFIDENTIEL UE/EU CONFIDENTIAL", "SECRET UE/EU SECRET")
    assert STANDARD_MARKINGS[0] == "UNCLASSIFIED"
    assert STANDARD_MARKINGS[1:] == EU_MARKINGS
    assert DEFAULT_CLASSIFICATION == "UNCLASSIFIED"
    assert compose.DEFAULT_CLASSIFICATION == "UNCLASSIFIED"  # the pack's default is kept
    assert compose.PackSpec().classification == "UNCLASSIFIED"
    assert "LIMITED" not in STANDARD_MARKINGS


@pytest.mark.parametrize(("typed", "text", "kind"), [
    ("LIMITE", "LIMITE", MarkingKind.EU),
    ("RESTREINT UE/EU RESTRICTED", "RESTREINT UE/EU RESTRICTED", MarkingKind.EU),
    ("CONFIDENTIEL UE/EU CONFIDENTIAL", "CONFIDENTIEL UE/EU CONFIDENTIAL", MarkingKind.EU),
    ("SECRET UE/EU SECRET", "SECRET UE/EU SECRET", MarkingKind.EU),
    ("UNCLASSIFIED", "UNCLASSIFIED", MarkingKind.DEFAULT),
    (VS, VS, MarkingKind.NATIONAL),
    (DR, DR, MarkingKind.NATIONAL),
    # whitespace is collapsed (tabs, runs, no-break spaces, the ends), nothing else
    ("  LIMITE\t", "LIMITE", MarkingKind.EU),
    ("RESTREINT  UE/EU\u00a0RESTRICTED", "RESTREINT UE/EU RESTRICTED", MarkingKind.EU),
    ("VS  –\tNUR FÜR DEN DIENSTGEBRAUCH ", VS, MarkingKind.NATIONAL),
    # never folded, completed or corrected into another marking
    ("LIMITED", "LIMITED", MarkingKind.UNKNOWN),
    ("limite", "limite", MarkingKind.UNKNOWN),
    ("Limite", "Limite", MarkingKind.UNKNOWN),
    ("LIMIT", "LIMIT", MarkingKind.UNKNOWN),
    ("unclassified", "unclassified", MarkingKind.UNKNOWN),
    ("RESTREINT UE", "RESTREINT UE", MarkingKind.UNKNOWN),
    ("EU RESTRICTED", "EU RESTRICTED", MarkingKind.UNKNOWN),
    ("RESTREINT UE / EU RESTRICTED", "RESTREINT UE / EU RESTRICTED", MarkingKind.UNKNOWN),
    ("VS - NUR FÜR DEN DIENSTGEBRAUCH", "VS - NUR FÜR DEN DIENSTGEBRAUCH",
     MarkingKind.UNKNOWN),  # a hyphen, not the en dash of the settings
    ("vs – nur für den dienstgebrauch", "vs – nur für den dienstgebrauch",
     MarkingKind.UNKNOWN),
    ("", "", MarkingKind.UNKNOWN),
])
def test_classify_is_exact_after_collapsing_whitespace(typed: str, text: str,
                                                       kind: MarkingKind) -> None:
    check = classify(typed, (VS, DR))
    assert (check.text, check.kind) == (text, kind)
    assert check.known is (kind is not MarkingKind.UNKNOWN)


def test_national_markings_count_only_when_they_are_in_the_settings() -> None:
    assert classify(VS).kind is MarkingKind.UNKNOWN
    assert classify(VS, [DR]).kind is MarkingKind.UNKNOWN
    assert classify(VS, ["VS  –  NUR FÜR DEN DIENSTGEBRAUCH"]).kind is MarkingKind.NATIONAL
    assert classify("LIMITE", ["LIMITE"]).kind is MarkingKind.EU


def test_normalise_and_is_marked() -> None:
    assert normalise(" a \n b\t\tc ") == "a b c"
    assert normalise("Ü/ü–x") == "Ü/ü–x"
    assert not is_marked("UNCLASSIFIED") and not is_marked(" UNCLASSIFIED ")
    assert is_marked("unclassified") and is_marked("LIMITE")
    assert classify("LIMITED").description == "not a standard EU or national marking"


def test_check_national_names_the_bad_entry() -> None:
    assert check_national([f"  {VS} ", "DIFFUSION  RESTREINTE"]) == (VS, DR)
    cases: list[tuple[list[object], str]] = [
        ([VS, 3], "entry 2: 3 is not text"),
        (["  "], "entry 1: empty"),
        (["X" * 81], "entry 1: longer than 80 characters"),
        ([DR, "LIMITE"], "entry 2: 'LIMITE' is a standard marking already"),
        (["UNCLASSIFIED"], "entry 1: 'UNCLASSIFIED' is a standard marking already"),
        ([DR, "DIFFUSION RESTREINTE "], "entry 2: 'DIFFUSION RESTREINTE' is listed twice"),
    ]
    for entries, message in cases:
        with pytest.raises(ValueError) as caught:
            check_national(entries)
        assert str(caught.value) == message
    with pytest.raises(ValueError) as caught:
        check_national([DR, DR], noun="line", numbers=[2, 5])
    assert str(caught.value) == "line 5: 'DIFFUSION RESTREINTE' is listed twice"


# --------------------------------------------------------------------- the settings file


def test_the_settings_file_is_in_the_user_config_folder() -> None:
    assert settings_path() == paths.user_config_dir() / "markings.json"
    config_home = Path(os.environ["XDG_CONFIG_HOME"])  # isolated by tests/conftest.py
    assert settings_path() == config_home / "briefing-app" / "markings.json"


def test_no_settings_file_means_no_national_markings() -> None:
    settings = load_settings()
    assert (settings.national, settings.problem) == ((), None)
    assert settings.markings == STANDARD_MARKINGS
    assert not settings_path().exists()  # reading writes nothing


def test_settings_round_trip() -> None:
    saved = save_settings([VS, "  DIFFUSION   RESTREINTE "])
    assert saved.national == (VS, DR)
    path = settings_path()
    assert json.loads(path.read_text(encoding="utf-8")) == {"national_markings": [VS, DR]}
    assert VS in path.read_text(encoding="utf-8")  # readable, not \u-escaped
    loaded = load_settings()
    assert (loaded.path, loaded.national, loaded.problem) == (path, (VS, DR), None)
    assert loaded.markings == (*STANDARD_MARKINGS, VS, DR)
    assert loaded.classify(VS).kind is MarkingKind.NATIONAL
    assert loaded.classify("LIMITED").kind is MarkingKind.UNKNOWN
    assert [p.name for p in path.parent.iterdir()] == ["markings.json"]  # no temp file left
    assert save_settings([]).national == ()
    assert load_settings().national == ()


def test_a_bad_list_is_refused_and_the_file_kept() -> None:
    save_settings([DR])
    before = settings_path().read_bytes()
    with pytest.raises(InvalidInput) as caught:
        save_settings([VS, "SECRET UE/EU SECRET"])
    assert caught.value.message == ("national markings: entry 2: 'SECRET UE/EU SECRET' is a "
                                    "standard marking already")
    assert settings_path().read_bytes() == before


@pytest.mark.parametrize(("content", "problem"), [
    (b"{not json", "not valid JSON (line 1, column 2: Expecting property name enclosed in "
                   "double quotes)"),
    (b"", "not valid JSON (line 1, column 1: Expecting value)"),
    (b"\xff\xfe{}", "not UTF-8 text"),
    (b'["LIMITE"]', 'expected {"national_markings": [a list of markings]}'),
    (b'{"national_markings": "VS"}', 'expected {"national_markings": [a list of markings]}'),
    (b'{"markings": []}', 'expected {"national_markings": [a list of markings]}'),
    (b'{"national_markings": ["DIFFUSION RESTREINTE", null]}',
     "national_markings entry 2: None is not text"),
    (b'{"national_markings": [""]}', "national_markings entry 1: empty"),
    (b'{"national_markings": ["LIMITE"]}',
     "national_markings entry 1: 'LIMITE' is a standard marking already"),
])
def test_a_corrupt_settings_file_is_reported_and_ignored(
        content: bytes, problem: str, caplog: pytest.LogCaptureFixture) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as caught:
        read_settings()
    assert caught.value.message == f"{path}: {problem}"
    with caplog.at_level(logging.WARNING):
        settings = load_settings()  # never raises: the app goes on without the file
    assert settings.national == ()
    assert settings.problem == f"{path}: {problem}"
    assert settings.markings == STANDARD_MARKINGS
    assert caplog.messages == [f"briefing-app: warning: national markings ignored: {path}: "
                               f"{problem}"]
    assert path.read_bytes() == content  # reported, never rewritten behind one's back
    caplog.clear()
    assert load_settings(report=False).problem == f"{path}: {problem}"
    assert caplog.messages == []


def test_a_settings_file_with_a_byte_order_mark_is_read() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"national_markings": [VS]}).encode())
    assert load_settings().national == (VS,)


def test_a_folder_in_place_of_the_settings_file(tmp_path: Path) -> None:
    folder = tmp_path / "markings.json"
    folder.mkdir()
    settings = load_settings(folder)
    assert settings.problem == f"{folder}: is a folder, not a settings file"
    with pytest.raises(UserError) as caught:
        save_settings([VS], folder)
    assert caught.value.message.startswith(f"{folder}: cannot be written (")


def test_check_marking_warns_about_an_unknown_marking_only(
        caplog: pytest.LogCaptureFixture) -> None:
    save_settings([VS])
    with caplog.at_level(logging.WARNING):
        assert check_marking("LIMITE").kind is MarkingKind.EU
        assert check_marking(VS).kind is MarkingKind.NATIONAL
        assert check_marking("UNCLASSIFIED").kind is MarkingKind.DEFAULT
        assert caplog.messages == []
        assert check_marking(" LIMITED ").kind is MarkingKind.UNKNOWN
    assert caplog.messages == ["briefing-app: warning: classification 'LIMITED' is not a "
                               "standard EU or national marking; the pack is marked with it "
                               "as typed"]


# ------------------------------------------------------------------- default file names

CONFERENCE = "Ministerial Conference on the Implementation and Operationalisation of the Pact"


@pytest.mark.parametrize(("title", "version", "when", "name"), [
    (CONFERENCE, 1, date(2024, 4, 29), "2024-04-29 Ministerial Conference - pack v1.pdf"),
    (CONFERENCE, 12, date(2024, 4, 29), "2024-04-29 Ministerial Conference - pack v12.pdf"),
    (CONFERENCE, 2, None, "Ministerial Conference - pack v2.pdf"),
    ("JHA Council", 1, date(2025, 3, 13), "2025-03-13 JHA Council - pack v1.pdf"),
    ("JHA Council: migration/asylum? <draft> \"final\" *|*", 3, date(2025, 3, 13),
     "2025-03-13 JHA Council migration-asylum draft final - pack v3.pdf"),
    ("Türkiye, Lebanon and the Western Balkans: returns and readmission", 1, None,
     "Türkiye, Lebanon and the Western Balkans - pack v1.pdf"),
    ("  ...Hidden\tdots.  ", 1, None, "Hidden dots - pack v1.pdf"),
    ("CON", 1, None, "CON - pack v1.pdf"),
    ("\u202eevil\u200b\nname\x00", 1, None, "evil name - pack v1.pdf"),
    ("***", 1, None, "Briefing pack - pack v1.pdf"),
    ("", 1, date(2024, 4, 29), "2024-04-29 Briefing pack - pack v1.pdf"),
    # a first word too long to keep whole: cut at a hyphen inside it, else a plain name
    ("Pneumonoultramicroscopicsilicovolcanoconiosis-related issues", 1, None,
     "Briefing pack - pack v1.pdf"),
    ("Operational-measures-on-the-Western-Balkans-route-and-beyond", 1, None,
     "Operational-measures-on-the-Western - pack v1.pdf"),
])
def test_default_file_names(title: str, version: int, when: date | None, name: str) -> None:
    assert pack_file_name(title, version, when) == name


def test_file_names_are_short_safe_and_cut_between_words() -> None:
    for title in (CONFERENCE, "x " * 200, "Réunion informelle des ministres " * 10):
        short = short_title(title)
        assert len(short) <= 40
        assert title.startswith(short) or " ".join(title.split()).startswith(short)
        rest = " ".join(title.split())[len(short):]
        assert rest == "" or rest.startswith(" ")  # never mid-word
    unsafe = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
    assert not unsafe & set(safe_part("".join(sorted(unsafe)) + "ok"))
    assert safe_part("a/b\\c|d") == "a-b-c-d"
