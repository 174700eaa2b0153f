"""The section table: what is read from it, and registering a section with no other code."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from briefing_app.errors import InvalidInput
from briefing_app.reporting.composer import compose, section_items
from briefing_app.reporting.content import PackSource
from briefing_app.reporting.sections import (
    BUILT_IN,
    PackSection,
    register,
    registered,
    section_keys,
    sections_help,
    sections_markdown,
    unregister,
)
from briefing_app.reporting.spec import (
    PackSpec,
    SectionChoice,
    default_sections,
    parse_sections,
    sections_from_json,
    sections_to_json,
)
from tests.helpers.sections import GREETING, HELLO, HelloSection, hello_registered
from tests.unit.test_reporting_compose import _source

REPO = Path(__file__).resolve().parents[2]
KEYS = ("cover", "contents", "lines-to-take", "action-points", "measures", "commitments",
        "matrix", "countries", "signatories", "changes", "annexes", "sources")


@pytest.fixture
def hello() -> Iterator[PackSection]:
    with hello_registered() as section:
        yield section


def test_the_built_in_table_gives_the_default_order() -> None:
    assert section_keys() == KEYS == tuple(s.key for s in BUILT_IN)
    assert default_sections() == tuple(SectionChoice(key) for key in KEYS)
    assert PackSpec().sections == default_sections()
    assert [s.key for s in registered() if s.front] == ["cover", "contents"]
    assert [s.key for s in registered() if s.lists_sources] == ["sources"]


def test_every_section_names_functions_that_exist() -> None:
    for section in BUILT_IN:
        assert callable(section.composer()), section.key
        assert callable(section.builder()), section.key


def test_the_help_lists_the_sections_and_the_item_grammar() -> None:
    assert sections_help() == (
        "Sections (in order): cover, contents, lines-to-take, action-points, measures, "
        "commitments, matrix, countries, signatories, changes, annexes, sources; cover and "
        "contents, when listed, always come first. Items, kept in the order given: "
        "action-points:1-3+7, measures:1-4+12 (numbers, or ranges like 1-4); "
        "commitments:31+32 (commitment ids from 'list commitments'); "
        "matrix:TN+LY, countries:TN+LY (ISO country codes); signatories:1+5, annexes:1+5 "
        "(letter ids from 'list letters').")
    # every example in the help is one the grammar takes
    examples = sections_help().split("given: ")[1]
    for example in (part.split(" (")[0] for part in examples.split("; ")):
        for item in example.split(", "):
            assert parse_sections(item)


def test_the_readme_table_is_the_one_the_table_writes() -> None:
    table = sections_markdown()
    assert table.splitlines()[:3] == [
        "| key | section |", "| --- | --- |",
        "| `cover` | meeting, date, place, agenda, pack version, DRAFT/FINAL, classification, "
        "the newest evidence the pack's items rest on |"]
    assert len(table.splitlines()) == 2 + len(KEYS)
    assert table in (REPO / "README.md").read_text(encoding="utf-8")


def test_a_choice_is_stored_read_and_shown_the_same_way() -> None:
    choices = parse_sections("cover,measures:12+1-2,countries:tn")
    stored = sections_to_json(choices)
    assert stored == [{"key": "cover", "items": None},
                      {"key": "measures", "items": ["12", "1", "2"]},
                      {"key": "countries", "items": ["TN"]}]
    assert sections_from_json(stored) == choices
    assert [str(c) for c in choices] == ["cover", "measures:12+1+2", "countries:TN"]
    assert parse_sections(",".join(str(c) for c in choices)) == choices
    # builds recorded before choices were stored as JSON hold them as typed
    assert [SectionChoice.from_json(v) for v in ("cover", "measures:12+1+2", "countries:TN")
            ] == list(choices)
    assert SectionChoice.from_json({"key": "sources"}) == SectionChoice("sources")


def test_registering_twice_or_before_an_unknown_section_is_refused(
        hello: PackSection) -> None:
    with pytest.raises(ValueError, match="already registered"):
        register(HELLO)
    with pytest.raises(ValueError, match="is not registered"):
        register(PackSection("other", "Other", None, "x:y", "x:z"), before="nope")
    with pytest.raises(ValueError, match="lower case"):
        register(PackSection("a:b", "Other", None, "x:y", "x:z"))
    assert "other" not in section_keys()


def test_a_registered_section_is_everywhere_the_table_is_read(hello: PackSection) -> None:
    assert section_keys() == (*KEYS, "hello")
    assert "sources, hello;" in sections_help()
    assert "| `hello` | a greeting, one paragraph |" in sections_markdown()
    assert parse_sections("hello,cover") == (SectionChoice("cover"), SectionChoice("hello"))
    assert PackSpec().sections[-1] == SectionChoice("hello")
    with pytest.raises(InvalidInput, match=r"^sections: 'hello' has no items to choose$"):
        parse_sections("hello:1")
    assert section_items("hello", _source()) == []
    content = compose(PackSpec(title="x", sections=parse_sections("cover,hello")), _source(),
                      pack_id=1, version=1, title="Greetings", generated_on=date(2025, 1, 15))
    assert content.sections[1] == HelloSection("hello", "Hello", f"{GREETING} (Greetings)")


def test_a_section_registered_before_another_takes_its_place() -> None:
    with hello_registered(before="sources"):
        assert section_keys() == (*KEYS[:-1], "hello", "sources")
        assert "changes, annexes, hello, sources;" in sections_help()
    assert section_keys() == KEYS


def test_an_unregistered_section_is_unknown_again() -> None:
    with hello_registered():
        pass
    with pytest.raises(InvalidInput, match=r"^sections: unknown section 'hello' \(use: cover,"):
        parse_sections("hello")
    with pytest.raises(KeyError):
        unregister("hello")


def test_a_section_with_items_lists_and_chooses_them() -> None:
    source: PackSource = _source()
    assert section_items("countries", source) == [("LB", "Lebanon (LB)"),
                                                  ("TN", "Tunisia (TN)")]
    assert section_items("measures", source) == [("12", "12. Measure 12 text"),
                                                 ("2", "2. Measure 2 text")]
    assert section_items("annexes", source) == [("1", "Letter 1"), ("2", "Letter 2")]
    assert section_items("cover", source) == []


@pytest.mark.parametrize("module", [
    "briefing_app.reporting", "briefing_app.reporting.sections", "briefing_app.reporting.spec",
    "briefing_app.reporting.composer", "briefing_app.reporting.render"])
def test_reporting_needs_neither_the_services_nor_the_store(module: str) -> None:
    code = (f"import sys, {module}; "
            "print(sorted(m for m in sys.modules if m.startswith(('briefing_app.services', "
            "'briefing_app.store', 'briefing_app.cli', 'ui', 'PySide6'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, timeout=60, check=True)
    assert result.stdout.strip() == "[]"


def test_the_section_table_is_read_without_reportlab_or_the_composer() -> None:
    code = ("import sys, briefing_app.reporting.spec as s; s.parse_sections('measures:1-3'); "
            "print(sorted(m for m in sys.modules if m.startswith(('reportlab', "
            "'briefing_app.reporting.compose', 'briefing_app.reporting.flowables'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
