"""Pack sections end to end: a section registered by a test is built into a real pack,
and the section choices of stores written before choices had one form still load."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from pypdf import PdfReader

from briefing_app.reporting.spec import AgendaNote, PackSpec, SectionChoice, parse_sections
from briefing_app.services import Services, open_services
from briefing_app.services.common import fixed_clock
from tests.conftest import TODAY
from tests.helpers.pdf import contents_entries, outline, pdftotext
from tests.helpers.sections import GREETING, hello_registered

MEETING_TITLE = ("Ministerial Conference on the Implementation and Operationalisation of "
                 "the Pact")


def test_a_registered_section_is_built_into_the_pack(services: Services,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "hello.pdf"
    with hello_registered(before="sources"):
        spec = PackSpec(title="Greetings", sections=parse_sections("cover,contents,hello"))
        build = services.packs.build(spec, out)
        assert build.sections == ("cover", "contents", "hello")
        assert build.options["sections"] == [{"key": "cover", "items": None},
                                             {"key": "contents", "items": None},
                                             {"key": "hello", "items": None}]
        assert services.packs.pack(build.pack_id).sections == ("cover", "contents", "hello")
        assert services.packs.spec_of(build.pack_id).sections == spec.sections
        assert services.packs.items("hello") == []
    text = pdftotext(out)
    assert f"{GREETING} (Greetings)" in " ".join(text.split())
    assert "Hello" in contents_entries(text)
    assert [e.title for e in outline(PdfReader(out)) if e.level == 0] == [
        "Cover", "Contents", "Hello"]


#: A pack and a build as the store recorded them before a section choice had one form
#: (the build held the choices as typed, the pack as JSON), with the SHA-256 of their
#: rebuild by the code of that time (moved on purpose since: the seed's reviewed
#: follow-ups, and each status printed with its as-of date and source).
OLD_PACK = (
    1, 1, MEETING_TITLE,
    '[{"key": "cover", "items": null}, {"key": "contents", "items": null}, {"key": '
    '"lines-to-take", "items": null}, {"key": "measures", "items": ["12", "1"]}, {"key": '
    '"countries", "items": ["TN"]}, {"key": "annexes", "items": ["1"]}, {"key": "sources", '
    '"items": null}]',
    '{"classification": "LIMITE", "draft": true, "notes": [{"agenda_item": 0, "items": [], '
    '"text": "**Steer**"}, {"agenda_item": 1, "items": ["countries:TN"], "text": "Hold."}], '
    '"paper": "a4", "since": null}',
    "2026-12-01 22:35:33.000000")
OLD_BUILD = (
    1, 1, 1, "2026-12-01 22:35:33.000000", "/old/v1.pdf",
    "c7871b4f4ec8291d894b7606cd53cf254b7f5d45f470c91af9b6e50e6869962c", 13,
    '{"classification": "LIMITE", "draft": true, "generated_on": "2025-01-15", "notes": '
    '[{"agenda_item": 0, "items": [], "text": "**Steer**"}, {"agenda_item": 1, "items": '
    '["countries:TN"], "text": "Hold."}], "paper": "a4", "sections": ["cover", "contents", '
    '"lines-to-take", "measures:12+1", "countries:TN", "annexes:1", "sources"], "since": '
    'null}')
OLD_SAVED = (2, None, "Saved only",
             '[{"key": "cover", "items": null}, {"key": "signatories", "items": ["1", "2"]}]',
             '{"classification": "UNCLASSIFIED", "draft": false, "notes": [], "paper": "a4", '
             '"since": null}', "2026-12-01 22:35:33.000000")
#: Changed with the layout by sections and their assembly on one canvas: both packs render
#: pixel for pixel as before (pdftoppm -r 60) with the same text; the bytes differ.
REBUILT_SHA256 = {1: "600e1a6f13d064c70d6545ae0bd541dedaa25e58d2c999e534c7b41791118aa9",
                  2: "fd35642737d6c17d3a5cce2c87ee51678cd7cc6c169ff6e33a8778cb1b7a99cf"}


def test_a_store_written_before_opens_and_rebuilds_identically(tmp_path: Path) -> None:
    # seeded at a fixed moment: a pack prints when its changes were recorded
    seeded_path = tmp_path / "seeded.sqlite3"
    with fixed_clock(datetime(2026, 12, 1, 12, 0, tzinfo=UTC)):
        seeding = open_services(seeded_path, create=True, today=TODAY)
        seeding.seed.load()
        seeding.close()
    with sqlite3.connect(seeded_path) as db:
        db.executemany("insert into briefingpack (id, meeting_id, title, sections, options, "
                       "created_at) values (?, ?, ?, ?, ?, ?)", [OLD_PACK, OLD_SAVED])
        db.execute("insert into packbuild (id, pack_id, version, built_at, path, sha256, "
                   "page_count, options) values (?, ?, ?, ?, ?, ?, ?, ?)", OLD_BUILD)
    db.close()
    services = open_services(seeded_path, create=False, today=TODAY)
    try:
        pack = services.packs.pack(1)
        assert pack.sections == ("cover", "contents", "lines-to-take", "measures:12+1",
                                 "countries:TN", "annexes:1", "sources")
        [old] = pack.builds
        assert old.sections == ("cover", "contents", "lines-to-take", "measures", "countries",
                                "annexes", "sources")
        # shown in the one form a choice has now
        assert old.options["sections"][3] == {"key": "measures", "items": ["12", "1"]}
        spec = services.packs.spec_of(1)
        assert spec == PackSpec(
            meeting_id=1, title=MEETING_TITLE, pack_id=1,
            sections=parse_sections("cover,contents,lines-to-take,measures:12+1,"
                                    "countries:TN,annexes:1,sources"),
            notes=(AgendaNote(0, "**Steer**", ()), AgendaNote(1, "Hold.", ("countries:TN",))),
            classification="LIMITE", draft=True)
        assert services.packs.spec_of(2).sections == (
            SectionChoice("cover"), SectionChoice("signatories", ("1", "2")))
        rebuilt = {pack_id: services.packs.build(services.packs.spec_of(pack_id),
                                                 tmp_path / f"{pack_id}.pdf")
                   for pack_id in (1, 2)}
    finally:
        services.close()
    assert {k: (b.version, b.sha256) for k, b in rebuilt.items()} == {
        1: (2, REBUILT_SHA256[1]), 2: (1, REBUILT_SHA256[2])}
