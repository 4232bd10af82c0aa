"""A Ctrl-C while manim's encoder is behind (its frame queue full) must not hang the process:
:func:`gdscenes.drawing.encoding.mend_seal` (manim 0.22 marked a job sealed before queueing its end marker)."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from manim.scene.scene_file_writer import _PartialMovieEncodeJob

from gdscenes.drawing.encoding import mend_seal


class SlowEncoder:
    """A segment encoder that takes 0.3 s a frame (a busy machine)."""

    target = Path("segment.mp4")

    def __init__(self) -> None:
        self.frames = 0
        self.finished = self.aborted = False

    def write_frame(self, frame: Any, repeat: int = 1) -> None:
        time.sleep(0.3)
        self.frames += 1

    def finish(self) -> None:
        self.finished = True

    def abort(self) -> None:
        self.aborted = True


def interrupt_main_after(seconds: float) -> threading.Timer:
    """A real SIGINT to the main thread (it breaks a blocked ``queue.put``, as Ctrl-C does)."""
    timer = threading.Timer(seconds, signal.pthread_kill, (threading.main_thread().ident, signal.SIGINT))
    timer.start()
    return timer


def test_ctrl_c_while_sealing_a_full_queue_lets_the_clean_up_end_the_encoder() -> None:
    assert threading.current_thread() is threading.main_thread()
    mend_seal()
    encoder = SlowEncoder()
    job = _PartialMovieEncodeJob(animation_index=0, encoder=encoder, frame_queue_size=1)  # type: ignore[arg-type]
    try:
        job.put(1, "frame")  # (taken by the encoder thread: 0.3 s)
        time.sleep(0.05)
        job.put(1, "frame")  # (waits in the queue: it is full now)
        interrupt_main_after(0.1)
        with pytest.raises(KeyboardInterrupt):
            job.seal()  # (blocked until the encoder takes the queued frame: Ctrl-C comes first)
        job.abort()  # what manim's clean-up does (abort_encode_jobs), then it joins the thread
        job.thread.join(timeout=10)
        assert not job.thread.is_alive(), "the encoder thread waits for an end marker that never comes"
        assert encoder.aborted and not encoder.finished and encoder.frames == 2
    finally:
        if job.thread.is_alive():  # (unmended: end the thread, or pytest would wait for it at exit)
            job.queue.put((-1, None))
            job.thread.join()
