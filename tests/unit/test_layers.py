"""Arrows point down, and only down: the rules of docs/ARCHITECTURE.md, checked.

Each rule reads the real source: imports are found with ``ast`` (those under
``TYPE_CHECKING`` count too: they are a dependency a reader must follow).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: The longest a module of the core or the GUI may be.
MAX_LINES = 600

#: The composition root: the one module that builds the main window.
COMPOSITION_ROOT = "ui/app.py"


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports (absolute names; relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def sources(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


def offenders(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{path.relative_to(REPO)}: {module}"
                  for path in sources(folder)
                  for module in imports_of(path)
                  if any(module == f or module.startswith(f + ".") for f in forbidden))


@pytest.mark.parametrize(("folder", "forbidden"), [
    ("briefing_app/store", ("briefing_app.corpus", "briefing_app.services",
                            "briefing_app.reporting", "briefing_app.tabular")),
    ("briefing_app/reporting", ("briefing_app.services", "briefing_app.store")),
    ("briefing_app/tabular", ("briefing_app.services", "briefing_app.store")),
    ("briefing_app/domain", ("briefing_app.services", "briefing_app.store",
                             "briefing_app.corpus", "briefing_app.reporting")),
    ("ui", ("briefing_app.tabular", "briefing_app.store")),
])
def test_a_layer_imports_nothing_above_it(folder: str, forbidden: tuple[str, ...]) -> None:
    assert offenders(folder, forbidden) == []


@pytest.mark.parametrize("package", ["briefing_app.reporting", "briefing_app.tabular"])
def test_importing_a_pure_package_loads_neither_services_nor_store(package: str) -> None:
    probe = (f"import sys, {package}\n"
             "print(sorted(m for m in sys.modules if m.startswith(("
             "'briefing_app.services', 'briefing_app.store'))))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=REPO, check=True)
    assert result.stdout.strip() == "[]"


def test_only_the_composition_root_knows_the_main_window() -> None:
    knowing = sorted(str(path.relative_to(REPO)) for path in sources("ui")
                     if "ui.main_window" in imports_of(path))
    assert knowing == [COMPOSITION_ROOT]


def test_no_module_of_the_core_or_the_gui_is_over_600_lines() -> None:
    long = sorted((str(path.relative_to(REPO)), count)
                  for folder in ("briefing_app", "ui") for path in sources(folder)
                  if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES)
    assert long == []


def test_the_code_cites_no_document_outside_the_repository() -> None:
    cited = re.compile(r"DESIGN\s*§|DESIGN\.md|STYLE\.md|\.\./shared")
    found = [f"{path.relative_to(REPO)}:{number}"
             for folder in ("briefing_app", "ui", "tests", "bench", "packaging")
             for path in sources(folder)
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if cited.search(line) and path.name != "test_layers.py"]
    assert found == []


def test_every_package_of_the_tree_ships_in_the_wheel() -> None:
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    packages = {".".join(init.parent.relative_to(REPO).parts)
                for folder in ("briefing_app", "ui") for init in (REPO / folder).rglob(
                    "__init__.py")}
    assert sorted(packages - listed) == []


def test_the_rules_see_what_they_must() -> None:
    assert "ui.main_window" in imports_of(REPO / COMPOSITION_ROOT)
    assert "briefing_app.read_models" in imports_of(REPO / "ui" / "views" / "letters.py")
