"""Run the command line in-process or as a real process, and capture what it prints."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing_app.cli import main

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def cli(*args: str | Path) -> Result:
    """``briefing-app ARGS`` in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # --help, --version
            code = int(exit_.code or 0)
    return Result(code, out.getvalue(), err.getvalue())


def cli_process(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    """``python -m briefing_app ARGS`` as a separate process."""
    completed = subprocess.run(
        [sys.executable, "-m", "briefing_app", *[str(a) for a in args]],
        capture_output=True, text=True, cwd=REPO, env={**os.environ, **(env or {})},
        timeout=120,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)
