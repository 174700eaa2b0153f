"""Every accepted series, not only the measures and action points: packs, tables, views."""

from __future__ import annotations

import csv
from pathlib import Path

from pypdf import PdfReader

from briefing_app.reporting.spec import PackSpec, parse_sections
from briefing_app.services import Services
from tests.helpers.cli import cli

SEED = Path(__file__).resolve().parents[2] / "db" / "seed"
POINTS = "003_690175d95a8f5997.txt"  # the ten points of action (letter 5 of the seed)


def _second_series(services: Services, tmp_path: Path) -> list[int]:
    """The ten points of action again, as a new letter: its series is "action-points-6"."""
    copy = tmp_path / "points.txt"
    copy.write_text((SEED / POINTS).read_text(encoding="utf-8") + "\nCopy.\n", encoding="utf-8")
    assert services.letters.import_file(copy).letter_id == 6
    return [c.id for c in services.commitments.list(series="action-points-6")]


def _text(path: str) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_a_pack_prints_the_accepted_commitments_of_other_series(services: Services,
                                                                tmp_path: Path) -> None:
    ids = _second_series(services, tmp_path)
    assert ids == list(range(26, 36))
    empty = services.packs.build(
        PackSpec(title="Nothing else", sections=parse_sections("cover,contents,commitments")),
        tmp_path / "empty.pdf")
    assert empty.sections == ("cover", "contents")  # proposed ones are not printed
    services.review.accept(ids[:2])
    services.tracking.set_status("commitments", ids[0], "in progress", author="adviser")
    pack = services.packs.build(
        PackSpec(title="Others", sections=parse_sections("cover,contents,commitments")),
        tmp_path / "others.pdf")
    assert pack.sections == ("cover", "contents", "commitments")
    text = _text(pack.path)
    assert "Other commitments" in text
    assert ("Points of action (Letter from Ursula von der Leyen to colleagues, 14 October "
            "2024)") in " ".join(text.split())
    assert "IN PROGRESS" in text.upper()
    chosen = services.packs.build(
        PackSpec(title="One", sections=parse_sections(f"commitments:{ids[1]}")),
        tmp_path / "one.pdf")
    assert chosen.sections == ("commitments",)
    # the measures and action points sections stay those of their own series
    history = services.tracking.history("commitments")
    assert [(c.item_kind, c.item_id, c.item_label) for c in history][-1] == (
        "commitment", ids[0], f"Commitment {ids[0]}")
    assert len(services.tracking.action_points()) == 10


def test_a_pack_leaves_out_proposed_measures(empty_path: Path, tmp_path: Path) -> None:
    from briefing_app.services import open_services
    from tests.conftest import TODAY

    services = open_services(empty_path, create=False, today=TODAY)
    try:
        copy = tmp_path / "measures.txt"
        copy.write_text((SEED / "004_cf1bbf6e59ff8afe.txt").read_text(encoding="utf-8"),
                        encoding="utf-8")
        services.letters.import_file(copy)
        measures = services.tracking.measures()
        assert len(measures) == 15  # the series "measures", proposed: listed, not printed
        spec = PackSpec(title="Measures", sections=parse_sections("measures"))
        assert "No operational measures in the store." in _text(
            services.packs.build(spec, tmp_path / "none.pdf").path)
        services.review.accept([m.id for m in measures[:2]])
        printed = " ".join(_text(services.packs.build(spec, tmp_path / "two.pdf").path).split())
        assert "Strengthening key external borders" in printed
        assert "Reinforcing support for border management" in printed
        assert "Achieving 100% registration" not in printed
    finally:
        services.close()


def test_the_measure_views_take_a_series(services: Services, tmp_path: Path) -> None:
    _second_series(services, tmp_path)
    points = services.tracking.action_points(series="action-points-6")
    assert [(p.id, p.number) for p in points] == [(25 + n, n) for n in range(1, 11)]
    assert [m.number for m in services.tracking.measures()] == list(range(1, 16))
    assert services.tracking.measures(series="action-points-6")[0].section == ""


def test_commitments_are_exported_with_their_series_and_state(seeded_path: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "commitments.csv"
    result = cli("--db", seeded_path, "export", "commitments", "--out", out, "--only", "12,18",
                 "--format", "json")
    assert result.code == 0, result.err
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["id"], r["series"], r["number"], r["section"], r["state"], r["countries"])
            for r in rows] == [
        ("12", "measures", "12", "IV", "accepted", "EG; MA; MR; NE; SN; TN"),
        ("18", "action-points", "3", "", "accepted", "")]
