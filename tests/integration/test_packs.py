"""Briefing packs end to end: a real store, real PDFs read back with pypdf and poppler."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing_app.errors import BuildCancelled, InvalidInput, NotFound
from briefing_app.read_models import PackBuildRead
from briefing_app.reporting.spec import AgendaNote, PackSpec, parse_sections
from briefing_app.services import Services, open_services
from tests.conftest import TODAY
from tests.helpers.cli import REPO, cli, cli_process
from tests.helpers.pdf import (
    OutlineEntry,
    contents_entries,
    outline,
    page_texts,
    pdffonts,
    pdftotext,
)
from tests.helpers.store import dump

MEETING_TITLE = ("Ministerial Conference on the Implementation and Operationalisation of "
                 "the Pact")
SECTION_TITLES = [
    "Cover", "Contents", "Steering note and lines to take", "Action points",
    "Operational measures", "Partner countries and measures", "Partner-country fiches",
    "Signatories", "What has changed since the first record", "Annexes: source letters",
    "Sources",
]
SIGNATORIES = [
    "Kalin Stoyanov", "Vít Rakušan", "Kaare Dybvad Bek", "Lauri Läänemets",
    "Dimitris Kairidis", "Matteo Piantedosi", "Konstantinos Ioannou", "Rihards Kozlovskis",
    "Agnė Bilotaitė", "Byron Camilleri", "Eric van der Burg", "Gerhard Karner",
    "Tomasz Siemoniak", "Marian-Cătălin Predoiu", "Mari Rantanen",
]
NOTES = (
    AgendaNote(0, "**Objective:** secure support for the *Common Implementation Plan*.\n\n"
                  "- Stress the <b>R&D</b> budget: 5 < 7 & rising\n- Keep it short"),
    AgendaNote(2, "Welcome the building blocks.", ("measures:12", "countries:TN",
                                                    "action-points:3")),
)


@dataclass(frozen=True)
class BuiltPack:
    build: PackBuildRead
    path: Path
    reader: PdfReader
    pages: list[str]
    outline: list[OutlineEntry]

    def section_pages(self, title: str) -> tuple[int, int]:
        """First and last page (1-based) of a top-level section."""
        tops = [e for e in self.outline if e.level == 0]
        index = next(i for i, e in enumerate(tops) if e.title == title)
        last = tops[index + 1].page - 1 if index + 1 < len(tops) else len(self.pages)
        return tops[index].page, last

    def section_text(self, title: str) -> str:
        first, last = self.section_pages(title)
        return "\f".join(self.pages[first - 1:last])


def _read(build: PackBuildRead) -> BuiltPack:
    path = Path(build.path)
    reader = PdfReader(path)
    return BuiltPack(build, path, reader, page_texts(path), outline(reader))


@pytest.fixture(scope="module")
def full_pack(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> BuiltPack:
    """The whole seed store as one pack for the Ministerial Conference, built once."""
    folder = tmp_path_factory.mktemp("full-pack")
    store = folder / "store.sqlite3"
    shutil.copyfile(seeded_template, store)
    services = open_services(store, create=False, today=TODAY)
    try:
        build = services.packs.build(
            PackSpec(meeting_id=1, notes=NOTES, classification="RESTREINT UE/EU RESTRICTED"),
            folder / "pack.pdf")
    finally:
        services.close()
    return _read(build)


def _build(services: Services, out: Path, **spec: object) -> BuiltPack:
    return _read(services.packs.build(PackSpec(**spec), out))  # type: ignore[arg-type]


# ------------------------------------------------------------------------- structure


def test_every_section_is_present_in_order(full_pack: BuiltPack) -> None:
    assert [e.title for e in full_pack.outline if e.level == 0] == SECTION_TITLES
    assert full_pack.build.sections == ("cover", "contents", "lines-to-take", "action-points",
                                        "measures", "matrix", "countries", "signatories",
                                        "changes", "annexes", "sources")
    for entry in full_pack.outline:
        if entry.level == 0 and entry.title != "Cover":
            # marking, running header, meeting, then the section's heading opens the page
            lines = [line for line in full_pack.pages[entry.page - 1].splitlines() if line]
            assert lines[:4] == ["RESTREINT UE/EU RESTRICTED", entry.title,
                                 "Ministerial conference, 29 April 2024", entry.title]


def test_chosen_sections_keep_their_order_after_cover_and_contents(
        services: Services, tmp_path: Path) -> None:
    pack = _build(services, tmp_path / "pack.pdf", title="Order",
                  sections=parse_sections("sources,measures:12+1,contents,signatories,cover"))
    assert [e.title for e in pack.outline if e.level == 0] == [
        "Cover", "Contents", "Sources", "Operational measures", "Signatories"]
    measures = pack.section_text("Operational measures")
    assert measures.index("The Commission will launch new anti-smuggling") < measures.index(
        "Strengthening key external borders")
    # the sources are numbered in the order the pack uses them: measure 12 comes first
    sources = pack.section_text("Sources")
    assert sources.index("“12. The Commission will launch") < sources.index(
        "“1. Strengthening key external borders")


def test_contents_page_numbers_are_the_pages_where_sections_start(
        full_pack: BuiltPack) -> None:
    first, last = full_pack.section_pages("Contents")
    listed = contents_entries(pdftotext(full_pack.path, first, last, layout=True))
    starts = {e.title: e.page for e in full_pack.outline}
    for title in SECTION_TITLES[2:]:
        assert listed[title] == starts[title], title
    for entry in full_pack.outline:
        if entry.title in listed:
            assert listed[entry.title] == entry.page, entry.title
    countries = [e for e in full_pack.outline if e.title.endswith(")") and e.level == 1
                 and "(" in e.title and len(e.title.split("(")[-1]) == 3]
    assert len(countries) == 24
    assert all(listed[c.title] == c.page for c in countries)


def test_the_outline_has_an_entry_per_section_and_sub_section(
        full_pack: BuiltPack, services: Services) -> None:
    by_level = [(e.level, e.title) for e in full_pack.outline]
    lines_to_take = by_level.index((0, "Steering note and lines to take"))
    assert by_level[lines_to_take + 1:lines_to_take + 5] == [
        (1, "Steering note"),
        (1, "Agenda item 1: Stock-taking of the structured consultations with Member States"),
        (1, "Agenda item 2: Building blocks of the Common Implementation Plan"),
        (1, "Agenda item 3: Key milestones for the Pact's implementation"),
    ]
    measures = by_level.index((0, "Operational measures"))
    assert by_level[measures + 1:measures + 5] == [
        (1, "I. External borders"), (1, "II. Border procedure and expedited returns"),
        (1, "III. Addressing secondary movements and ensuring effective solidarity"),
        (1, "IV. Working with partners to improve migration and return management"),
    ]
    fiches = by_level.index((0, "Partner-country fiches"))
    assert by_level[fiches + 1:fiches + 25] == [
        (1, f"{c.name} ({c.iso})") for c in services.tracking.countries()]
    annexes = by_level.index((0, "Annexes: source letters"))
    assert [title for _, title in by_level[annexes + 1:annexes + 6]] == [
        f"Annex {label}: {letter.title}"
        for label, letter in zip("ABCDE", services.letters.list(), strict=True)]


def test_every_page_carries_the_marking_and_page_n_of_m(full_pack: BuiltPack) -> None:
    total = len(full_pack.pages)
    assert total == full_pack.build.page_count == len(full_pack.reader.pages)
    assert total > 30
    for number, text in enumerate(full_pack.pages, start=1):
        assert text.count("RESTREINT UE/EU RESTRICTED") >= 2, number  # top and bottom
        assert f"Page {number} of {total}" in text
        assert "BP-0001 v1 · FINAL" in text
        assert "Generated 15 January 2025" in text
        assert "DRAFT" not in text


def test_the_running_header_names_the_section(full_pack: BuiltPack) -> None:
    first, last = full_pack.section_pages("Operational measures")
    assert full_pack.pages[first - 1].splitlines()[1] == "Operational measures"
    first, last = full_pack.section_pages("Partner-country fiches")
    headers = [full_pack.pages[p - 1].splitlines()[1] for p in range(first + 1, last + 1)]
    assert all(h.startswith("Partner-country fiches · ") for h in headers)
    annex_e = next(e for e in full_pack.outline if e.title.startswith("Annex E:"))
    assert full_pack.pages[annex_e.page - 1].splitlines()[1] == (
        "Annexes: source letters · Annex E")


def test_the_cover_names_meeting_version_state_and_marking(full_pack: BuiltPack) -> None:
    cover = " ".join(full_pack.pages[0].split())
    for words in (MEETING_TITLE, "Ministerial conference · 29 April 2024",
                  "PACK VERSION BP-0001, version 1", "STATE FINAL",
                  "CLASSIFICATION RESTREINT UE/EU RESTRICTED", "GENERATED 15 January 2025",
                  "1. Stock-taking of the structured consultations with Member States"):
        assert words in cover, words


def test_the_15_signatories_extract_exactly(full_pack: BuiltPack) -> None:
    layout_first, layout_last = full_pack.section_pages("Signatories")
    text = full_pack.section_text("Signatories")
    for name in SIGNATORIES:
        assert name in text, name
    rows = pdftotext(full_pack.path, layout_first, layout_last, layout=True)
    assert any("Lithuania" in line and "Agnė Bilotaitė" in line for line in rows.splitlines())
    assert any("Romania" in line and "Marian-Cătălin Predoiu" in line
               for line in rows.splitlines())
    assert "Ursula von der Leyen" in text and "Beate Gminder" in text


def test_no_font_is_a_standard_type1_font(full_pack: BuiltPack) -> None:
    fonts = pdffonts(full_pack.path)
    assert fonts
    assert all(f.type == "TrueType" and f.embedded for f in fonts), fonts
    assert {f.name.split("+")[1] for f in fonts} == {
        "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSerif"}
    assert b"Helvetica" not in full_pack.path.read_bytes()


def test_lines_to_take_keep_their_formatting_and_characters(full_pack: BuiltPack) -> None:
    text = " ".join(full_pack.section_text("Steering note and lines to take").split())
    assert "Objective: secure support for the Common Implementation Plan." in text
    assert "Stress the <b>R&D</b> budget: 5 < 7 & rising" in text
    assert text.index("Agenda item 2: Building blocks") < text.index(
        "Welcome the building blocks.") < text.index("Measure 12 (IV.")
    assert "Tunisia (TN)" in text and "Action point 3: Advance on a common approach" in text
    assert text.count("No lines to take written yet.") == 2  # agenda items 1 and 3


def test_statuses_print_as_words_and_measures_flag_overdue(full_pack: BuiltPack) -> None:
    text = " ".join(full_pack.section_text("Operational measures").split())
    # 7 of the 15 measures have a deadline, all before 15 January 2025
    assert text.count("OVERDUE") == 1 + 7  # the explanation, then one per measure
    assert "by mid-2023" in text and "read as 30 Jun 2023" in text
    # the seed's reviewed follow-ups put measures 6, 7, 12 and 13 in progress
    assert text.count("■ no evidence") == text.count("RAG grey: not known") == 11
    assert text.count("■ in progress") == 4


def test_the_pack_is_recorded_as_a_version(full_pack: BuiltPack) -> None:
    build = full_pack.build
    data = full_pack.path.read_bytes()
    assert build.sha256 == hashlib.sha256(data).hexdigest()
    assert (build.pack_id, build.pack_code, build.version, build.title) == (
        1, "BP-0001", 1, MEETING_TITLE)
    assert build.options["classification"] == "RESTREINT UE/EU RESTRICTED"
    assert build.options["generated_on"] == "2025-01-15"
    assert build.options["notes"][1] == {"agenda_item": 2, "text": "Welcome the building blocks.",
                                         "items": ["measures:12", "countries:TN",
                                                   "action-points:3"]}


# -------------------------------------------------------------------- stored text


def test_stored_markup_prints_literally(services: Services, tmp_path: Path) -> None:
    source = tmp_path / "markup.txt"
    source.write_text("Brussels, 3 March 2025\n\nDear colleagues,\n\n"
                      "Our <b>R&D</b> 5 < 7 & <script> line stays as typed.\n\n"
                      "Ė ă ń ć Ж Ω &amp; &#65; ]]>\n\nYours sincerely,\n", encoding="utf-8")
    imported = services.letters.import_file(source)
    meeting = services.packs.create_meeting(
        formation="other", title="<i>Informal</i> & <b>dinner</b>", date=date(2025, 3, 3),
        agenda=["Item <u>one</u> & 2 < 3"])
    pack = _build(services, tmp_path / "pack.pdf", meeting_id=meeting.id,
                  sections=parse_sections(f"cover,lines-to-take,annexes:{imported.letter_id}"),
                  classification="<b>SECRET</b> & co")
    text = "\n".join(pack.pages)
    assert "Our <b>R&D</b> 5 < 7 & <script> line stays as typed." in text
    assert "Ė ă ń ć Ж Ω &amp; &#65; ]]>" in text
    assert "<i>Informal</i> & <b>dinner</b>" in pack.pages[0]
    assert "1. Item <u>one</u> & 2 < 3" in pack.pages[0]
    assert all(page.count("<b>SECRET</b> & co") >= 2 for page in pack.pages)


def test_a_5000_word_note_wraps_and_splits(services: Services, tmp_path: Path) -> None:
    words = " ".join(f"word{n}" for n in range(5000))
    giant = "x" * 3000  # one "word" wider than any column
    with sqlite3.connect(services.store.path) as db:
        db.execute("UPDATE commitment SET notes = ?, owner = ? WHERE number = 7 AND series_id = "
                   "(SELECT id FROM commitmentseries WHERE key = 'measures')",
                   (f"{words} {giant}", "Desk officer"))
    services.tracking.set_status("measures", 7, "delayed", note=words, author="adviser")
    pack = _build(services, tmp_path / "pack.pdf", title="Long notes",
                  sections=parse_sections("measures:6-8,changes,sources"),
                  since=date(2000, 1, 1))
    text = "\n".join(pack.pages)
    assert pack.build.page_count > 10
    assert text.count("word4999") == 2  # in the measure's notes and in the change's note
    assert "word0" in text and "word2500" in text
    # the table header repeats on every page the measures table runs over
    first, last = pack.section_pages("Operational measures")
    for page in range(first, last + 1):
        lines = pack.pages[page - 1].splitlines()
        assert {"No.", "Measure", "Deadline", "Status"} <= set(lines), page


# -------------------------------------------------------------------- reproducible


def test_two_builds_of_the_same_store_are_byte_identical(
        seeded_template: Path, tmp_path: Path) -> None:
    digests = []
    for run in ("a", "b"):
        store = tmp_path / f"{run}.sqlite3"
        shutil.copyfile(seeded_template, store)
        services = open_services(store, create=False, today=TODAY)
        try:
            (tmp_path / run).mkdir()
            build = services.packs.build(PackSpec(meeting_id=1, notes=NOTES, draft=True),
                                         tmp_path / run / "pack.pdf")
        finally:
            services.close()
        digests.append((build.sha256, Path(build.path).read_bytes()))
    assert digests[0][0] == digests[1][0]
    assert digests[0][1] == digests[1][1]


def test_each_build_is_a_new_version(services: Services, tmp_path: Path) -> None:
    first = services.packs.build(PackSpec(title="Weekly", sections=parse_sections("cover")),
                                 tmp_path / "v1.pdf")
    services.tracking.set_status("countries", "TN", "delayed", note="talks paused")
    second = services.packs.build(PackSpec(title="Weekly", sections=parse_sections(
        "cover,changes")), tmp_path / "v2.pdf")
    assert (first.pack_id, first.version, second.pack_id, second.version) == (1, 1, 1, 2)
    assert first.sha256 != second.sha256
    [summary] = services.catalogue.packs()
    assert (summary.versions, summary.latest_sha256, summary.latest_page_count) == (
        2, second.sha256, second.page_count)
    pack = services.packs.pack(1)
    assert [b.version for b in pack.builds] == [1, 2]
    assert pack.sections == ("cover", "changes")
    changes = " ".join(pdftotext(Path(second.path)).split())
    assert "What has changed since version 1 of this pack" in changes
    assert "in progress (green) → delayed (red)" in changes
    assert "Tunisia (TN)" in changes and "talks paused" in changes


def test_a_cancelled_build_writes_nothing(services: Services, tmp_path: Path) -> None:
    before = dump(services.store.path)
    laying_out: list[str] = []

    def cancelled() -> bool:  # once the layout has begun
        return bool(laying_out)

    out = tmp_path / "out" / "pack.pdf"
    out.parent.mkdir()
    with pytest.raises(BuildCancelled):
        services.packs.build(PackSpec(meeting_id=1), out, cancelled=cancelled,
                             progress=lambda done, total, label: laying_out.append(label)
                             if label.startswith("Laying out") else None)
    assert list(out.parent.iterdir()) == []
    assert dump(services.store.path) == before


def test_progress_counts_up_to_the_total(services: Services, tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    services.packs.build(PackSpec(title="Progress", sections=parse_sections(
        "cover,contents,measures,countries")), tmp_path / "pack.pdf",
        progress=lambda done, total, label: seen.append((done, total, label)))
    assert seen[0] == (0, 1, "Reading the store")
    layout = [s for s in seen if s[2].startswith("Laying out pages")]
    # one report as each section is laid out (the contents: once the others' pages are known)
    assert sorted(label for _, _, label in layout) == [
        "Laying out pages: Cover", "Laying out pages: Operational measures",
        "Laying out pages: Partner-country fiches"]
    assert all(0 <= done <= total for done, total, _ in seen)
    dones = [done for done, _, _ in seen[1:-1]]
    assert dones == sorted(dones) and dones[-1] < seen[1][1]
    assert seen[-2][2] == "Assembling the pages"
    assert seen[-1] == (1, 1, "Saving the pack")


def test_every_section_builds_alone_and_links_resolve(services: Services,
                                                      tmp_path: Path) -> None:
    """ReportLab refuses a link to a missing target, so each partial pack proves its links."""
    services.packs.create_meeting(formation="jha", title="JHA Council", date=date(2025, 3, 13),
                                  agenda=["Migration"])
    notes = (AgendaNote(1, "See the items.", ("measures:2", "countries:TN", "action-points:1")),)
    for key in ("cover", "contents", "lines-to-take", "action-points", "measures", "matrix",
                "countries", "signatories", "changes", "annexes", "sources"):
        pack = _build(services, tmp_path / f"{key}.pdf", meeting_id=2, notes=notes,
                      sections=parse_sections(key))
        assert pack.build.sections == (key,)
        assert len(pack.outline) >= 1
        assert "Placeholder" not in "\n".join(pack.pages)
    pack = _build(services, tmp_path / "mixed.pdf", meeting_id=2, notes=notes,
                  sections=parse_sections("lines-to-take,countries:TN,measures:2,sources"))
    assert pack.reader.pages[0].get("/Annots")


def test_us_letter_and_draft(services: Services, tmp_path: Path) -> None:
    a4 = _build(services, tmp_path / "a4.pdf", title="Paper", sections=parse_sections("cover"))
    letter = _build(services, tmp_path / "letter.pdf", title="Paper", draft=True,
                    paper="letter", sections=parse_sections("cover,measures"))
    assert [round(float(v)) for v in a4.reader.pages[0].mediabox[2:]] == [595, 842]
    assert [round(float(v)) for v in letter.reader.pages[0].mediabox[2:]] == [612, 792]
    for number, page in enumerate(letter.pages, start=1):
        assert "BP-0001 v2 · DRAFT" in page
        assert f"Page {number} of {len(letter.pages)}" in page
        assert "DRAFT\n" in page  # the diagonal watermark
    assert "DRAFT" not in "\n".join(a4.pages)


def test_unusable_choices_are_refused_and_write_nothing(services: Services,
                                                        tmp_path: Path) -> None:
    before = dump(services.store.path)
    out = tmp_path / "pack.pdf"
    cases: list[tuple[PackSpec, type[Exception], str]] = [
        (PackSpec(meeting_id=99), NotFound, "meeting 99: not in the store"),
        (PackSpec(), InvalidInput, "pack: give a meeting or a title"),
        (PackSpec(title="x", sections=parse_sections("countries:XX")), InvalidInput,
         "sections: countries: country XX is not in the store"),
        (PackSpec(meeting_id=1, notes=(AgendaNote(4, "x"),)), InvalidInput,
         "notes: agenda item 4: the meeting has 3 agenda items"),
        (PackSpec(meeting_id=1, notes=(AgendaNote(1, "x", ("measures:99",)),)), InvalidInput,
         "notes: agenda item 1: measure 99 is not in the store"),
        (PackSpec(title="x", paper="a3"), InvalidInput,
         "paper: unknown paper size 'a3' (use a4 or letter)"),
        (PackSpec(title="x", classification="  "), InvalidInput,
         "classification: give a marking, e.g. UNCLASSIFIED"),
    ]
    for spec, error, message in cases:
        with pytest.raises(error) as caught:
            services.packs.build(spec, out)
        assert caught.value.message == message
    with pytest.raises(InvalidInput, match=r"^out: .*pack\.txt: the file name must end in \.pdf$"):
        services.packs.build(PackSpec(title="x"), tmp_path / "pack.txt")
    assert not out.exists()
    assert dump(services.store.path) == before


def test_a_pack_definition_is_saved_and_read_back(services: Services) -> None:
    spec = PackSpec(meeting_id=1, sections=parse_sections("cover,measures:12+1,countries:TN"),
                    notes=(AgendaNote(1, "Hold firm.", ("countries:TN",)),),
                    classification="LIMITE", draft=True, paper="letter",
                    since=date(2024, 6, 1))
    saved = services.packs.save(spec)
    assert (saved.id, saved.meeting_id, saved.title, saved.sections, saved.builds) == (
        1, 1, MEETING_TITLE, ("cover", "measures:12+1", "countries:TN"), ())
    assert saved.notes == ({"agenda_item": 1, "text": "Hold firm.", "items": ["countries:TN"]},)
    assert saved.options == {"classification": "LIMITE", "draft": True, "paper": "letter",
                             "since": "2024-06-01"}
    again = services.packs.spec_of(1)
    assert again == PackSpec(meeting_id=1, title=MEETING_TITLE, pack_id=1,
                             sections=spec.sections, notes=spec.notes, classification="LIMITE",
                             draft=True, paper="letter", since=date(2024, 6, 1))
    # a later build of the meeting's pack keeps the stored note unless it gives one
    content = services.packs.compose(PackSpec(meeting_id=1, notes=(
        AgendaNote(2, "New line.", None),)))
    parts = next(s for s in content.sections if s.key == "lines-to-take").parts  # type: ignore[attr-defined]
    assert [(p.number, [b.text for b in p.blocks]) for p in parts] == [
        (0, []), (1, ["Hold firm."]), (2, ["New line."]), (3, [])]
    assert services.packs.items("countries")[:2] == [("AL", "Albania (AL)"),
                                                     ("DZ", "Algeria (DZ)")]
    assert services.packs.items("measures")[0][0] == "1"
    assert services.packs.items("changes") == []


# ------------------------------------------------------------------------- meetings


def test_meetings_are_created_and_edited(services: Services) -> None:
    from briefing_app.services.packs import KEEP

    meeting = services.packs.create_meeting(
        formation="justice and home affairs council", title="  JHA   Council ",
        date=date(2025, 3, 13), place="Brussels", agenda=["Migration", "Schengen"])
    assert (meeting.id, meeting.formation, meeting.title, meeting.date, meeting.place,
            meeting.agenda) == (2, "Justice and Home Affairs Council", "JHA Council",
                                date(2025, 3, 13), "Brussels", ("Migration", "Schengen"))
    changed = services.packs.update_meeting(2, place=None, agenda=["Migration"], title=KEEP)
    assert (changed.title, changed.place, changed.agenda) == ("JHA Council", None,
                                                              ("Migration",))
    with pytest.raises(InvalidInput, match=r"^title: meeting 2 already has this title and date$"):
        services.packs.create_meeting(formation="other", title="JHA Council",
                                      date=date(2025, 3, 13))
    with pytest.raises(InvalidInput, match=r"^formation: unknown formation 'Coreper'"):
        services.packs.update_meeting(2, formation="Coreper")
    with pytest.raises(NotFound, match=r"^meeting 7: not in the store$"):
        services.packs.update_meeting(7, title="x")
    assert [m.id for m in services.catalogue.meetings()] == [1, 2]


# ----------------------------------------------------------------------------- CLI


def test_the_whole_seed_pack_builds_from_the_cli(seeded_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "briefing.pdf"
    result = cli_process("--db", seeded_path, "pack", "build", "--meeting", "1",
                         "--classification", "LIMITE", "--out", out, "--format", "json")
    assert result.code == 0, result.err
    assert result.err == ""
    build = result.json()
    assert set(build) == {"pack_id", "pack_code", "title", "meeting_id", "version",
                          "built_at", "path", "sha256", "page_count", "sections", "options"}
    assert (build["pack_id"], build["version"], build["path"]) == (1, 1, str(out))
    assert build["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert build["page_count"] == len(PdfReader(out).pages)
    pages = page_texts(out)
    assert all("LIMITE" in page for page in pages)
    assert len([e for e in outline(PdfReader(out)) if e.level == 0]) == 11
    annexes = [e.title for e in outline(PdfReader(out)) if e.title.startswith("Annex ")]
    assert len(annexes) == 5  # every letter of the store
    listed = cli("--db", seeded_path, "list", "packs", "--format", "json").json()
    assert [(p["id"], p["versions"], p["latest_sha256"]) for p in listed] == [
        (1, 1, build["sha256"])]


def test_pack_build_table_output_and_options(seeded_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    note = tmp_path / "note.md"
    note.write_text("**Line one** and *two*", encoding="utf-8")
    result = cli("--db", seeded_path, "pack", "build", "--title", "Quick look",
                 "--sections", "cover,lines-to-take,measures:12", "--draft", "--paper",
                 "letter", "--note", f"@{note}", "--out", out)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == (f"Built BP-0001 version 1 (UNCLASSIFIED, DRAFT): "
                                          f"{len(PdfReader(out).pages)} pages, {out}")
    text = " ".join(pdftotext(out).split())
    assert "Line one and two" in text
    pack = cli("--db", seeded_path, "list", "packs", "--format", "json").json()
    assert pack[0]["title"] == "Quick look"


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--sections", "cover,foo"], 1, "briefing-app: sections: unknown section 'foo' (use: "
     "cover, contents, lines-to-take, action-points, measures, commitments, matrix, "
     "countries, signatories, changes, annexes, sources)\n"),
    (["--sections", "measures:1-x"], 1,
     "briefing-app: sections: measures: '1-x' is not a number or a range like 1-4\n"),
    (["--sections", "cover,cover"], 1, "briefing-app: sections: 'cover' is listed twice\n"),
    (["--since", "yesterday"], 1,
     "briefing-app: since: 'yesterday' is not a date; write it as YYYY-MM-DD\n"),
    (["--agenda-note", "x", "text"], 1, "briefing-app: agenda-note: 'x' is not an agenda "
     "item number (0 is the steering note)\n"),
    (["--paper", "a3"], 2, None),
])
def test_pack_build_mistakes(seeded_path: Path, tmp_path: Path, args: list[str], code: int,
                             message: str | None) -> None:
    before = dump(seeded_path)
    result = cli("--db", seeded_path, "pack", "build", "--meeting", "1", *args,
                 "--out", tmp_path / "pack.pdf")
    assert (result.code, result.out) == (code, "")
    if message is not None:
        assert result.err == message
    assert not (tmp_path / "pack.pdf").exists()
    assert dump(seeded_path) == before


def test_pack_build_needs_one_target_and_an_out_file(seeded_path: Path) -> None:
    both = cli("--db", seeded_path, "pack", "build", "--meeting", "1", "--title", "x",
               "--out", "x.pdf")
    assert both.code == 2 and "not allowed with argument" in both.err
    no_out = cli("--db", seeded_path, "pack", "build", "--meeting", "1")
    assert no_out.code == 2 and "--out" in no_out.err


def test_meeting_add_and_edit_from_the_cli(seeded_path: Path) -> None:
    added = cli("--db", seeded_path, "meeting", "add", "--formation",
                "Justice and Home Affairs Council", "--title", "JHA Council", "--date",
                "2025-03-13", "--place", "Brussels", "--agenda", "Migration", "--agenda",
                "Schengen", "--format", "json")
    assert added.code == 0, added.err
    assert added.json() == {"id": 2, "formation": "Justice and Home Affairs Council",
                            "title": "JHA Council", "date": "2025-03-13", "place": "Brussels",
                            "agenda": ["Migration", "Schengen"], "citations": []}
    edited = cli("--db", seeded_path, "meeting", "edit", "2", "--date", "", "--place", "",
                 "--no-agenda")
    assert edited.code == 0, edited.err
    assert edited.out == "Meeting 2 changed: JHA Council (Justice and Home Affairs Council, " \
                         "no date)\n"
    shown = cli("--db", seeded_path, "show", "meetings", "2", "--format", "json").json()
    assert (shown["date"], shown["place"], shown["agenda"]) == (None, None, [])
    bad = cli("--db", seeded_path, "meeting", "add", "--formation", "Coreper", "--title", "x")
    assert bad.code == 1
    assert bad.err.startswith("briefing-app: formation: unknown formation 'Coreper'")
    bad_date = cli("--db", seeded_path, "meeting", "edit", "2", "--date", "13/03/2025")
    assert bad_date.err == ("briefing-app: date: '13/03/2025' is not a date; write it as "
                            "YYYY-MM-DD\n")
    missing = cli("--db", seeded_path, "meeting", "add", "--title", "x")
    assert missing.code == 2


def test_the_pack_benchmark_runs(tmp_path: Path) -> None:
    completed = subprocess.run([sys.executable, "bench/pack_build.py", "--letters", "2",
                                "--keep", str(tmp_path)], cwd=REPO, capture_output=True,
                               text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0].startswith("seed pack, full build: 5 letters, ")
    assert lines[1].startswith("seed pack, rebuild after one status change: 5 letters, ")
    assert lines[3].startswith("large pack, full build: 7 letters, ")
    assert lines[4].startswith("large pack, rebuild after one status change: 7 letters, ")
    assert re.fullmatch(r"yardstick \(plain platypus, one process\): \d+ pages in [0-9.]+ s",
                        lines[5]), lines
    assert re.fullmatch(r"large pack, full build / yardstick: [0-9.]+x \(target <= 0\.5x\)",
                        lines[6]), lines
    assert re.fullmatch(r"large pack, rebuild after one status change / yardstick: [0-9.]+x "
                        r"\(target <= 0\.1x\)", lines[7]), lines
    assert re.fullmatch(r"seed pack, rebuild after one status change: [0-9.]+ s "
                        r"\(target <= 0\.3 s\)", lines[8]), lines
    assert re.fullmatch(r"peak memory of the large pack's full build: \d+ MiB in \d+ "
                        r"processes \(target <= 200 MB across all processes; resident sizes' "
                        r"sum \d+ MiB\)", lines[9]), lines
    assert (tmp_path / "cache").is_dir()  # its own page cache
    sizes = [(tmp_path / name).stat().st_size for name in ("seed-pack.pdf", "large-pack.pdf")]
    assert sizes[0] < sizes[1]
