"""What a pack says each status rests on: its as-of date, its source, its newest evidence,
and the evidence "what has changed" lists. A real store, real PDFs read back."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from pypdf import PdfReader

from briefing_app.reporting.spec import PackSpec, parse_sections
from briefing_app.services import Services
from briefing_app.services.common import fixed_clock
from tests.helpers.pdf import outline, page_texts

#: The passage of the letter of 14 October 2024 measure 12's status was set from.
STATUS_PASSAGE = ("In large part, this can be attributed to intensified migration management "
                  "and anti-smuggling operations")
#: Measure 12's "Since:" line: of its two accepted follow-ups of that letter, the one its
#: status was set from, shortened to its first sentence.
NEWEST_PASSAGE = ("In large part, this can be attributed to intensified migration management "
                  "and anti-smuggling operations carried out by the Libyan and Tunisian "
                  "authorities following political engagement by the EU…")


def _sections(path: Path) -> dict[str, str]:
    """Each top-level section's text, white space folded."""
    pages = page_texts(path)
    tops = [e for e in outline(PdfReader(path)) if e.level == 0]
    found = {}
    for i, entry in enumerate(tops):
        last = tops[i + 1].page - 1 if i + 1 < len(tops) else len(pages)
        found[entry.title] = " ".join(" ".join(pages[entry.page - 1:last]).split())
    return found


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


def _source_entry(sources: str, number: int) -> str:
    """The Sources section's entry ``number``: its passage, up to whom it is used by."""
    match = re.search(rf"(?:^| ){number} “", sources)
    assert match, f"no source {number}"
    used_by = sources.index("Used by: ", match.end())
    return sources[match.start():used_by + 40].strip()


def test_each_status_prints_its_as_of_date_and_its_source(services: Services,
                                                          tmp_path: Path) -> None:
    # a status an adviser sets by hand, without a passage to rest on
    with fixed_clock(datetime(2025, 1, 10, 9, 0, tzinfo=UTC)):
        services.tracking.set_status("measures", 4, "in progress", author="adviser")
    build = services.packs.build(PackSpec(meeting_id=1), tmp_path / "pack.pdf")
    text = _sections(Path(build.path))
    measures, sources = text["Operational measures"], text["Sources"]

    twelve = _between(measures, "The Commission will launch new anti-smuggling",
                      "The Commission will complete work")
    status = re.search(r"■ in progress · as of 14 Oct 2024 \[(\d+)\] RAG amber", twelve)
    assert status, twelve
    assert "stale" not in twelve  # 14 Oct 2024 is three months before the 15 Jan 2025 pack
    assert _source_entry(sources, int(status[1])).startswith(
        f"{status[1]} “{STATUS_PASSAGE}")
    assert "Used by: Measure 12" in _source_entry(sources, int(status[1]))
    since = re.search(rf"Since: “{re.escape(NEWEST_PASSAGE)}” \[(\d+)\] \(14 Oct 2024\)",
                      twelve)
    assert since, twelve
    assert since[1] == status[1]  # the same passage, the same source number

    # no evidence: dated by its own letter, stale, and nothing reported since
    three = _between(measures, "Achieving 100% registration", "4 The Commission will work")
    assert "■ no evidence · as of 26 Jan 2023 RAG grey: not known · stale" in three
    assert "Since:" not in three and "no source" not in three

    four = _between(measures, "4 The Commission will work", "II. Border procedure")
    assert "■ in progress · as of 10 Jan 2025 · no source RAG green" in four

    # every other tracked line: action points and country fiches
    points = text["Action points"]
    # each in the summary and above its full text; none rests on a passage yet
    assert points.count("■ no evidence ·") == points.count("as of 14 Oct 2024") == 10 * 2
    assert "no source" not in points and "Since:" not in points
    tunisia = _between(text["Partner-country fiches"], "Tunisia (TN) STATUS", "ROUTES")
    refs = re.search(r"■ in progress · as of 14 Oct 2024 \[(\d+), (\d+)\] RAG green", tunisia)
    assert refs, tunisia
    assert _source_entry(sources, int(refs[1])).startswith(
        f"{refs[1]} “political engagement by the EU, namely the Memorandum of Understanding "
        "with Tunisia”")

    # the cover dates the pack by its newest evidence, not by when the store was written;
    # the status set by hand is not evidence
    cover = text["Cover"]
    assert "NEWEST EVIDENCE 14 October 2024" in cover
    assert "DATA AS OF" not in cover
    # the store's write time is shown nowhere as an item's date
    assert "LAST CHANGE" not in text["Partner-country fiches"]
    assert "Last change" not in points


def test_what_has_changed_lists_a_newly_accepted_follow_up(services: Services,
                                                           tmp_path: Path) -> None:
    spec = PackSpec(title="Weekly", sections=parse_sections("cover,changes,sources"))
    with fixed_clock(datetime(2040, 1, 1, 9, 0, tzinfo=UTC)):
        services.packs.build(spec, tmp_path / "v1.pdf")
    [follow_up] = [f for f in services.follow_ups.list(state="suggested")
                   if f.item_label == "Measure 12" and f.text.startswith("On this, we need")]
    with fixed_clock(datetime(2040, 1, 2, 9, 0, tzinfo=UTC)):
        services.follow_ups.accept([follow_up.id], status="delayed", author="adviser")
        build = services.packs.build(spec, tmp_path / "v2.pdf")
    text = _sections(Path(build.path))
    changes = text["What has changed since version 1 of this pack (1 January 2040)"]

    evidence = _between(changes, "New evidence", "Status changes")
    # accepted on, item, letter date, the passage shortened with its source number, by whom
    line = re.search(r"2 Jan 2040 Measure 12 14 Oct 2024 “On this, we need to act with a "
                     r"greater sense of urgency\. [^”]*…” \[(\d+)\] adviser", evidence)
    assert line, evidence
    assert "President von der Leyen to EU leaders on migration: 10 points of action" in evidence
    # only what was accepted since version 1: the seed's reviewed follow-ups are older
    assert evidence.count(" Measure ") == 1

    statuses = changes[changes.index("Status changes"):]
    assert "2 Jan 2040 Measure 12 in progress (amber) → delayed (red)" in statuses
    change = re.search(r"on the letter of 14 Oct 2024 \[(\d+)\]", statuses)
    assert change, statuses
    assert change[1] == line[1]
    assert _source_entry(text["Sources"], int(line[1])).startswith(
        f"{line[1]} “On this, we need to act with a greater sense of urgency.")
