"""Stand-ins the ui tests share."""

from __future__ import annotations


class Clock:
    """A clock the test moves by hand (``clock.now += 5``), for code that reads ``time.monotonic``."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
