"""gdscenes.production.job.tidy_heap: a full collection, then what is left frozen; Ctrl-C waits until it is done."""

from __future__ import annotations

import gc
import os
import signal

import pytest

from gdscenes.production.job import tidy_heap


class _Cycle:
    """Garbage only the cyclic collector frees; its finalizer sends this process a Ctrl-C."""

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)


def test_a_ctrl_c_during_the_collection_is_raised_after_it_not_lost_in_a_finalizer(python_ctrl_c: None) -> None:
    gc.collect()
    _Cycle()  # (unreachable at once: freed by the collection, whose finalizer then sends the Ctrl-C)
    with pytest.raises(KeyboardInterrupt):
        tidy_heap()
        for _ in range(1000):  # (a signal is handled between two bytecodes of the main thread)
            pass
    gc.unfreeze()


def test_what_survives_is_frozen_and_garbage_made_later_is_collected_by_the_next_one() -> None:
    kept = [object()]
    tidy_heap()
    assert gc.get_freeze_count() > 0
    frozen = gc.get_freeze_count()
    made = [[] for _ in range(1000)]
    del made
    tidy_heap()  # (unfreezes, collects, freezes again: the freeze count does not grow by the dropped lists)
    assert gc.get_freeze_count() < frozen + 1000
    gc.unfreeze()
    assert kept
