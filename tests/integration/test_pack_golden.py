"""The seed pack, built with fixed options, is byte for byte the pack it was.

The digest was recorded before the code was reorganised into one place per
idea (docs/ARCHITECTURE.md): moving code must not move a single byte of what a
minister reads. A change that is meant to change the pack changes this digest
in the same commit, and says why.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

from briefing_app.reporting.spec import AgendaNote, PackSpec
from briefing_app.services import open_services
from briefing_app.services.common import fixed_clock

#: SHA-256 of the seed pack below: 60 pages, meeting 1, DRAFT, LIMITE, one steering note.
#: Changed on purpose: the joint letter's place (its fifteen capitals) is now read; then
#: the seed's reviewed follow-ups (measures 6, 7, 12 and 13 in progress) and each status
#: printed with its as-of date and source, "Since:" lines, the new evidence in "what has
#: changed", and the cover's newest evidence in place of the store's write time.
#: Then the pages laid out section by section and assembled on one canvas (issue "Packs in
#: a blink"): every page renders pixel for pixel as before (pdftoppm -r 60, all 60 pages),
#: with the same text, links and outline; the bytes differ (streams written binary, fonts
#: coded in one fixed order).
GOLDEN_SHA256 = "ecea3da106238eb112c0fdc4db8d10178a2952597555d4eef3c0c86e1bcf04af"


def test_the_seed_pack_is_byte_identical_to_the_recorded_one(tmp_path: Path) -> None:
    # The rows are stamped at a fixed moment: "what has changed" shows when they were recorded.
    with fixed_clock(datetime(2026, 12, 1, 12, 0, tzinfo=UTC)):
        services = open_services(tmp_path / "store.sqlite3", create=True, today=date(2025, 1, 15))
        try:
            services.seed.load()
            build = services.packs.build(
                PackSpec(meeting_id=1, draft=True, classification="LIMITE",
                         notes=(AgendaNote(0, "**Steer** the debate.\n- one\n- two", None),)),
                tmp_path / "pack.pdf")
        finally:
            services.close()
    data = Path(build.path).read_bytes()
    assert (build.page_count, hashlib.sha256(data).hexdigest()) == (60, GOLDEN_SHA256)
