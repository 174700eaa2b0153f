"""The core never imports Qt or the front end, and ui/ never runs SQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: The one documented exception: the ``gui`` subcommand starts the window lazily.
ALLOWED = {("briefing_app/cli/gui.py", "ui.app", "cmd_gui")}


def _imports(path: Path) -> list[tuple[str, str | None]]:
    """(module, enclosing function) of every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, str | None]] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                found.append((child.module, function))
            visit(child, function)

    visit(tree, None)
    return found


def test_the_core_does_not_import_qt_or_ui() -> None:
    offenders = []
    for path in sorted((REPO / "briefing_app").rglob("*.py")):
        relative = path.relative_to(REPO).as_posix()
        for module, function in _imports(path):
            top = module.split(".")[0]
            allowed = (relative, module, function) in ALLOWED
            if top in ("PySide6", "shiboken6", "ui") and not allowed:
                offenders.append(f"{relative}: {module}")
    assert offenders == []


def test_the_front_end_runs_no_sql_and_builds_no_pdf() -> None:
    offenders = []
    for path in sorted((REPO / "ui").rglob("*.py")):
        for module, _function in _imports(path):
            if module.split(".")[0] in ("sqlite3", "sqlalchemy", "sqlmodel", "reportlab") or \
                    module.startswith("briefing_app.store"):
                offenders.append(f"{path.relative_to(REPO)}: {module}")
    assert offenders == []


def test_the_check_itself_sees_imports() -> None:
    imports = _imports(REPO / "briefing_app" / "cli" / "gui.py")
    assert ("ui.app", "cmd_gui") in imports


def test_the_front_end_emits_signals_only_through_ui_signals() -> None:
    """A bare ``signal.emit(…)`` loses a reference to True on PySide6 6.12 (see
    ui/signals.py); enough of them abort the app."""
    bare = re.compile(r"\.emit\(")
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "ui").rglob("*.py")) if path.name != "signals.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if bare.search(line)
    ]
    assert offenders == []
    assert bare.search("        self.ready.emit()")  # the pattern sees what it must
