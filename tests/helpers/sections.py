"""A throw-away pack section, registered only for the length of a test.

It is what a new section takes: one :class:`PackSection` entry, a compose
function and a build function, and no other code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from reportlab.platypus import Flowable, Paragraph

from briefing_app.reporting.composer import Composer
from briefing_app.reporting.content import Section
from briefing_app.reporting.flowables.base import Context, heading
from briefing_app.reporting.flowables.text import text
from briefing_app.reporting.sections import PackSection, register, section_keys, unregister
from briefing_app.reporting.spec import SectionChoice

GREETING = "Hello from a section registered by a test"


@dataclass(frozen=True)
class HelloSection(Section):
    greeting: str


def compose_hello(ctx: Composer, choice: SectionChoice) -> HelloSection:
    return HelloSection(choice.key, "Hello", f"{GREETING} ({ctx.title})")


def build_hello(ctx: Context, section: HelloSection) -> list[Flowable]:
    return [*heading(ctx, section), Paragraph(text(section.greeting), ctx.styles.body)]


HELLO = PackSection("hello", "Hello", None, compose_hello, build_hello,
                    summary="a greeting, one paragraph")


@contextmanager
def hello_registered(before: str | None = None) -> Iterator[PackSection]:
    """The hello section in the table; the table as it was afterwards."""
    keys = section_keys()
    register(HELLO, before=before)
    try:
        yield HELLO
    finally:
        unregister(HELLO.key)
        assert section_keys() == keys
