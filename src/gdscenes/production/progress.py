"""The progress line of a sweep, on stderr: done / running / failed and the time left.

On a terminal one line is rewritten in place per event; otherwise (a log, CI)
each event prints a plain line.
"""

from __future__ import annotations

import sys
from typing import TextIO


def clock_text(seconds: float) -> str:
    """``"1m05s"`` or ``"42s"``."""
    seconds = max(0, round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """Counts the variants of a sweep and prints a line after each event."""

    def __init__(self, total: int, parallel: int, stream: TextIO | None = None) -> None:
        self.total, self.parallel = total, max(1, parallel)
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done = self.failed = self.skipped = 0
        #: variants handed to the backend (set once the unchanged ones are skipped)
        self.queued = 0
        #: seconds each finished render took
        self.seconds: list[float] = []

    @property
    def finished(self) -> int:
        return self.done + self.failed + self.skipped

    @property
    def running(self) -> int:
        return max(0, min(self.parallel, self.queued - self.done - self.failed))

    def time_left(self) -> float | None:
        """Seconds left: the mean seconds of a render so far, for the variants not finished
        (the running ones counted half done), spread over the parallel slots."""
        if not self.seconds:
            return None
        mean = sum(self.seconds) / len(self.seconds)
        remaining = self.queued - self.done - self.failed
        return mean * max(remaining - self.running / 2, 0) / self.parallel

    def line(self, last: str = "") -> str:
        left = self.time_left()
        eta = "" if left is None or self.finished == self.total else f", about {clock_text(left)} left"
        skipped = f", {self.skipped} unchanged" if self.skipped else ""
        text = (f"sweep: {self.done + self.skipped}/{self.total} done, {self.running} running, "
                f"{self.failed} failed{skipped}{eta}")
        return f"{text} ({last})" if last else text

    def event(self, kind: str, name: str, seconds: float | None = None) -> None:
        """Count a ``"done"``, ``"failed"`` or ``"skipped"`` variant (that took ``seconds``) and show the line."""
        setattr(self, kind, getattr(self, kind) + 1)
        if seconds is not None:
            self.seconds.append(seconds)
        self.show(f"{kind}: {name}")

    def show(self, last: str = "") -> None:
        if self.tty:
            self.stream.write("\r\033[K" + self.line(last))
            if self.finished == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(self.line(last) + "\n")
        self.stream.flush()
