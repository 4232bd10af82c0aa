"""A Ctrl-C whose KeyboardInterrupt Python swallows (raised inside a finalizer or a weak reference's callback
during a garbage collection: "Exception ignored in ...") still stops the work: CI saw a ``--watch`` render on
after a Ctrl-C, publish its video and go on watching."""

from __future__ import annotations

import signal
import sys
from typing import Any

import pytest

from gdscenes.atomic import signals_unwind, stop_if_asked


class Finalized:
    def __del__(self) -> None:
        signal.raise_signal(signal.SIGINT)  # (its handler runs here: what it raises is printed and dropped)
        sum(range(100))


def test_a_ctrl_c_swallowed_by_a_finalizer_is_raised_again(monkeypatch: pytest.MonkeyPatch, python_ctrl_c: None) -> None:
    swallowed: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: swallowed.append(unraisable.exc_type))
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with signals_unwind():
        Finalized()  # (dropped at once)
        assert swallowed == [KeyboardInterrupt]  # (swallowed, as Python does)
        with pytest.raises(KeyboardInterrupt):
            stop_if_asked()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    stop_if_asked()  # (outside the block it is forgotten)
