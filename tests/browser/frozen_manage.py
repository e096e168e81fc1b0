"""``manage.py`` at the test clock: the browser tests' demo network and server live on the same day as the tests
that drive them (tests/clock.py)."""

import sys
from pathlib import Path

import time_machine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from tests.clock import TEST_NOW  # noqa: E402

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    with time_machine.travel(TEST_NOW, tick=True):
        execute_from_command_line(["manage.py", *sys.argv[1:]])
