"""manim's per-animation encoder jobs, mended so that a Ctrl-C never leaves one waiting forever.

manim 0.22 encodes each animation's frames on a thread fed through a bounded
queue; ``seal()`` marks the job sealed, then puts the end-of-frames marker.
When the encoder is slower than the renderer (a busy machine), that ``put``
waits for room, and a Ctrl-C arriving then raises ``KeyboardInterrupt``
after the job was marked sealed but before the marker was queued. manim's
clean-up (``abort_encode_jobs``) then seals again, which does nothing, and
joins the thread, which waits for the marker forever: the process hangs.

:func:`mend_seal` makes ``seal()`` mark the job sealed only once the marker
is queued, so the clean-up's seal queues it. (Interrupted just after the put,
the marker may be queued twice; the thread stops at the first.)
"""

from __future__ import annotations

from typing import Any

from manim.scene import scene_file_writer


def _seal(job: Any) -> None:
    """Queue the end-of-frames marker, then mark ``job`` sealed (manim's order was the reverse)."""
    if not job._sealed:
        job.queue.put((-1, None))
        job._sealed = True


def mend_seal() -> None:
    """Replace manim's ``_PartialMovieEncodeJob.seal`` with :func:`_seal` (calling it again changes nothing)."""
    scene_file_writer._PartialMovieEncodeJob.seal = _seal  # type: ignore[method-assign]
