"""Sections, captions and timing hooks of a lesson (no manim).

A lesson's timeline is a list of :class:`Cue`: the intro, the optimizer
steps (one section per step, or per group of steps when steps are shorter
than :data:`MIN_SECTION_SECONDS`) and the final hold, with start and end times
on the video's frame grid. The same cues are manim's sections (``--sections``),
the caption track (SRT, ``--captions``) and the JSON a voice-over aligns to.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from gdscenes.atomic import write_text

#: A section (and caption) lasts at least this long; faster steps are grouped.
MIN_SECTION_SECONDS = 0.3

# -- the pace of a voice (see :func:`voice_pace`) ------------------------------------
#: The first steps are shown slowly (their arrow, their numbers), this many seconds each.
SLOW_STEPS = 3
SLOW_STEP_SECONDS = 1.5
#: Each later step takes this share of the one before, down to :data:`FASTEST_STEP_SECONDS`.
SPEED_UP = 0.9
FASTEST_STEP_SECONDS = 0.1
#: The steps of a long run take at most this long: the fastest steps get faster (several a frame).
MAX_ROLL_SECONDS = 40.0
#: A step's shortest time: a run of any length fits :data:`MAX_ROLL_SECONDS` (or a lesson's
#: ``max_roll_seconds``), many steps a frame, marked "x N"; its trail still draws every step.
MIN_STEP_SECONDS = 1e-6
#: A step shown at least this many times faster than the first ones carries the "x N" marker.
MARKED_SPEED_UP = 1.5
#: A gradient norm below this share of the start's, with the run going on afterwards, is a stall.
STALL_SHARE = 0.1


@dataclass(frozen=True)
class Cue:
    """One section of the clip: ``name`` (``"intro"``, ``"step 3"``, ``"steps 4-9"``,
    ``"result"``), ``start``/``end`` in seconds, the caption ``text``, and the
    optimizer steps it shows (``first``..``last``; ``None`` outside the roll)."""

    name: str
    start: float
    end: float
    text: str
    first: int | None = None
    last: int | None = None


def frames(seconds: float, fps: float) -> int:
    """Frames manim writes for an animation of ``seconds``: one per ``1/fps`` from 0
    (``numpy.arange``, as manim counts them), at least one."""
    return max(1, len(np.arange(0, max(seconds, 1 / fps), 1 / fps)))


def run_time(n_frames: int, fps: float) -> float:
    """A run time for which manim writes exactly ``n_frames`` frames."""
    return (n_frames - 0.5) / fps


def inverse(pacing: Callable[[float], float], share: float) -> float:
    """The fraction ``a`` of the roll at which an increasing ``pacing(a)`` reaches ``share``."""
    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        if pacing(middle) < share:
            low = middle
        else:
            high = middle
    return high


def step_groups(last: float, pacing: Callable[[float], float], total_frames: int, fps: float,
                min_seconds: float = MIN_SECTION_SECONDS) -> list[tuple[int, int, int, int]]:
    """The roll's sections: ``(frame_from, frame_to, step_from, step_to)``.

    The roll of ``total_frames`` shows the step clock going from 0 to ``last``
    with ``pacing``; a section ends on the frame nearest to where the pacing
    reaches a whole step, and steps closer than ``min_seconds`` are grouped.
    """
    min_frames = max(1, math.ceil(min_seconds * fps - 1e-9))
    whole = int(math.floor(last + 1e-9))
    marks = [(0, 0)]
    for k in range(1, whole):
        at = round(inverse(pacing, k / last) * total_frames)
        if at - marks[-1][0] >= min_frames and total_frames - at >= min_frames:
            marks.append((at, k))
    marks.append((total_frames, whole))
    return [(f0, f1, k0, k1) for (f0, k0), (f1, k1) in zip(marks[:-1], marks[1:])]


def voice_pace(n_steps: int, slow_steps: int = SLOW_STEPS, slow_seconds: float = SLOW_STEP_SECONDS,
               ratio: float = SPEED_UP, fastest: float = FASTEST_STEP_SECONDS,
               max_seconds: float | None = MAX_ROLL_SECONDS) -> np.ndarray:
    """Seconds of each of ``n_steps`` steps, paced for a voice talking over them.

    The first ``slow_steps`` take ``slow_seconds`` each; each later one takes
    ``ratio`` of the one before, until steps take ``fastest``. If all of them
    would take longer than ``max_seconds``, the fastest steps get faster (the
    floor of the durations is lowered, the slow start kept) until they fit, but
    never below :data:`MIN_STEP_SECONDS`.
    """
    n = max(int(n_steps), 0)
    later = np.maximum(np.arange(n) - (slow_steps - 1), 0)
    decaying = slow_seconds * ratio ** later
    seconds = np.maximum(decaying, fastest)
    if max_seconds is None or n == 0 or seconds.sum() <= max_seconds:
        return seconds
    slow = float(seconds[:slow_steps].sum())
    if slow >= max_seconds:  # no room for more than the slow steps: all scaled to fit
        return np.asarray(np.maximum(seconds * (max_seconds / seconds.sum()), MIN_STEP_SECONDS), dtype=float)
    if decaying.sum() >= max_seconds:  # the speed-up alone is too long: the later steps scaled to fit
        tail = seconds[slow_steps:] * ((max_seconds - slow) / float(seconds[slow_steps:].sum()))
        return np.concatenate([seconds[:slow_steps], np.maximum(tail, MIN_STEP_SECONDS)])
    low, high = 0.0, fastest
    for _ in range(60):
        middle = (low + high) / 2
        if np.maximum(decaying, middle).sum() > max_seconds:
            high = middle
        else:
            low = middle
    return np.maximum(decaying, max(low, MIN_STEP_SECONDS))


def even_pace(n_steps: int, seconds_per_step: float, max_seconds: float | None = None) -> np.ndarray:
    """Seconds of each of ``n_steps`` steps of ``seconds_per_step`` each; if they last
    longer than ``max_seconds``, geometric: step ``k`` ends at ``log(1 + k) / log(1 + n)``
    of ``max_seconds``, so the first steps stay readable and the tail is fast-forwarded."""
    n = max(int(n_steps), 0)
    if max_seconds is None or n <= 1 or n * seconds_per_step <= max_seconds:
        return np.full(n, float(seconds_per_step))
    return np.asarray(np.diff(np.log1p(np.arange(n + 1)) / np.log1p(n)) * max_seconds, dtype=float)


def speed_ups(seconds: np.ndarray) -> np.ndarray:
    """How many times faster than the first step each step is shown, as the "x N" marker
    says it: 1 (no marker) below :data:`MARKED_SPEED_UP`, else rounded to a whole number."""
    seconds = np.asarray(seconds, dtype=float)
    if not len(seconds):
        return np.zeros(0, dtype=int)
    factor = seconds[0] / np.maximum(seconds, 1e-9)
    return np.where(factor >= MARKED_SPEED_UP, np.maximum(np.rint(factor), 2), 1).astype(int)


def clock(seconds: np.ndarray, last: float) -> Callable[[float], float]:
    """A rate function of the step clock: at fraction ``a`` of the steps' time, the share
    of ``last`` steps shown, each step ``k`` lasting ``seconds[k]`` (linear inside a step)."""
    seconds = np.asarray(seconds, dtype=float)
    ends = np.concatenate([[0.0], np.cumsum(seconds)])
    total = float(ends[-1])
    count = np.arange(len(ends), dtype=float)
    if last <= 0 or total <= 0:
        return lambda a: float(min(max(a, 0.0), 1.0))

    def rate(a: float) -> float:
        return float(min(np.interp(a * total, ends, count), last) / last)

    return rate


def section_name(first: int, last: int) -> str:
    return f"step {last}" if first == last else f"steps {first}-{last}"


# -- what happened ------------------------------------------------------------------
def describe_steps(trajectory: Any, first: int, last: int, index: int = 0, exit_step: int | None = None) -> str:
    """A caption for steps ``first``..``last`` of run ``index``: iteration, loss, and
    what happened (overshoot, converged, diverged, left the plot, stalled)."""
    losses = np.asarray(trajectory.losses[:, index], dtype=float)
    stop = int(trajectory.stop_step[index])
    status = str(trajectory.status[index])
    shown = min(last, stop)
    head = f"Step {last}" if first == last else f"Steps {first}-{last}"
    text = f"{head}: loss {losses[shown]:.4g}"
    events = []
    rose = [k for k in range(max(first, 1), shown + 1) if losses[k] > losses[k - 1]]
    if rose:
        k = rose[0]
        events.append(f"overshoot: the loss rose from {losses[k - 1]:.4g} to {losses[k]:.4g} at step {k}")
    stall = stall_step(trajectory, index)
    if stall is not None and first <= stall <= last:
        norm = float(np.linalg.norm(trajectory.gradients[stall, index]))
        events.append(f"stalled near a saddle at step {stall}: gradient norm {norm:.3g}")
    if exit_step is not None and first <= exit_step <= last:
        events.append(f"diverged, left the plot at step {exit_step}")
    elif first <= stop <= last and status == "converged":
        events.append(f"converged at step {stop}")
    elif first <= stop <= last and status == "diverged":
        events.append(f"diverged at step {stop}")
    return "; ".join([text, *events])


def stall_step(trajectory: Any, index: int = 0) -> int | None:
    """The step where a run stalls: its gradient nearly vanishes (below
    :data:`STALL_SHARE` of the start's) and later grows again (a saddle), or ``None``."""
    stop = int(trajectory.stop_step[index])
    norms = np.linalg.norm(np.asarray(trajectory.gradients[: stop + 1, index], dtype=float), axis=-1)
    if len(norms) < 3 or not np.all(np.isfinite(norms)):
        return None
    k = int(np.argmin(norms))
    if 0 < k < len(norms) - 1 and norms[k] < STALL_SHARE * norms[0] and norms[k + 1:].max() > 2 * norms[k]:
        return k
    return None


# -- files ----------------------------------------------------------------------------
def srt_time(seconds: float) -> str:
    """``HH:MM:SS,mmm``."""
    ms = int(round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def to_srt(cues: Sequence[Cue]) -> str:
    """The cues as an SRT caption track (one cue per section)."""
    blocks = [f"{i}\n{srt_time(c.start)} --> {srt_time(c.end)}\n{c.text}\n" for i, c in enumerate(cues, 1)]
    return "\n".join(blocks)


_SRT_CUE = re.compile(r"(\d+)\n(\d\d):(\d\d):(\d\d),(\d{3}) --> (\d\d):(\d\d):(\d\d),(\d{3})\n(.*?)(?:\n\n|\n?$)", re.S)


def parse_srt(text: str) -> list[tuple[int, float, float, str]]:
    """``(index, start, end, text)`` of every cue of an SRT track."""
    out = []
    for m in _SRT_CUE.finditer(text.replace("\r\n", "\n").strip() + "\n"):
        g = m.groups()
        start = int(g[1]) * 3600 + int(g[2]) * 60 + int(g[3]) + int(g[4]) / 1000
        end = int(g[5]) * 3600 + int(g[6]) * 60 + int(g[7]) + int(g[8]) / 1000
        out.append((int(g[0]), start, end, g[9].strip()))
    return out


def to_json(cues: Sequence[Cue], fps: float) -> str:
    """The timing hooks: every section's name, start, end, steps and caption."""
    return json.dumps({"format": "gdscenes.timeline", "version": 1, "fps": fps,
                       "sections": [asdict(c) for c in cues]}, indent=2)


def write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file (a failure never leaves half a file)."""
    return write_text(path, text)
