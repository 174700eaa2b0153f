"""A process that writes to a store as fast as it can, saying what each commit confirmed.

Run as ``python -m tests.helpers.crash_writer MODE STORE [ARG]`` by the crash
tests, which kill it with SIGKILL at random points. After each action the
services confirmed, it prints one line and flushes it, so the parent knows
every action a person would have been told was done.

``python -m tests.helpers.crash_writer zygote`` loads the app once, then for
each line ``MODE STORE [ARG]…`` read on stdin forks a fresh writer process
(which prints ``child <pid>`` first), waits for it to end (killed or done)
and prints ``ended <pid>``: the crash loop then costs a fork per kill, not a
Python start-up. Modes:

* ``import STORE FOLDER``: imports every ``*.txt`` of FOLDER in name order,
  printing ``confirmed letter <id> <sha256>``;
* ``status STORE SEED``: sets statuses of measures and action points in a
  burst, printing ``confirmed change <id> <kind> <number> <status>``;
* ``interleave STORE NAME``: (two instances) alternates status changes and
  meeting creations named NAME-<n>, printing ``confirmed meeting <id> <title>``
  and ``confirmed change …``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from briefing_app.services import open_services

STATUSES = ("in progress", "delayed", "done", "dropped", "no evidence", "not started")


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def zygote() -> int:
    """Fork one writer per command line on stdin (POSIX only)."""
    import os

    import briefing_app.corpus.parser
    import briefing_app.services.packs
    import briefing_app.services.recording
    import briefing_app.store.unit_of_work  # noqa: F401

    say("zygote ready")
    for command in sys.stdin:
        argv = command.split()
        if not argv:
            continue
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                say(f"child {os.getpid()}")
                code = main(argv)
            finally:
                os._exit(code)
        os.waitpid(pid, 0)
        say(f"ended {pid}")
    return 0


def main(argv: list[str]) -> int:
    if argv[0] == "zygote":
        return zygote()
    mode, store = argv[0], Path(argv[1])
    services = open_services(store, create=False)
    services.warm_up()
    say("ready")
    if mode == "import":
        for path in sorted(Path(argv[2]).glob("*.txt")):
            result = services.letters.import_file(path)
            if result.outcome == "imported":
                assert result.letter_id is not None
                from briefing_app.services.letters import sha256_of

                say(f"confirmed letter {result.letter_id} {sha256_of(path.read_bytes())}")
    elif mode == "status":
        chooser = random.Random(int(argv[2]))
        while True:
            kind = chooser.choice(("measures", "action-points"))
            number = chooser.randint(1, 15 if kind == "measures" else 10)
            status = chooser.choice(STATUSES)
            change = services.tracking.set_status(kind, number, status, note="burst",
                                                  author="crash-test", source="crash test")
            say(f"confirmed change {change.id} {kind} {number} {status}")
    elif mode == "interleave":
        name, count = argv[2], int(argv[3])
        for n in range(count):
            meeting = services.packs.create_meeting(formation="other", title=f"{name}-{n}")
            say(f"confirmed meeting {meeting.id} {meeting.title}")
            status = STATUSES[n % len(STATUSES)]
            change = services.tracking.set_status("measures", 1 + n % 15, status,
                                                  author=name, source="two instances")
            say(f"confirmed change {change.id} measures {1 + n % 15} {status}")
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
