"""The names of the lesson camera moves, and the one camera a grid of variants shares (no manim).

The moves themselves are :class:`gdscenes.drawing.camera.CameraMove`; the spec
checks ``camera.preset`` against :data:`CAMERA_PRESETS`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gdscenes.display.view import View
from gdscenes.display.visibility import FORESHORTEN_COST, TURN_COST, fully_visible, hidden, seen_length

#: Named camera moves: the lesson's slow orbit, following the ball, diving to top-down at the end, held still.
CAMERA_PRESETS = ("orbit", "follow", "dive", "static")

#: Points of a path tested for the shared camera (the path is thinned to about this many).
PATH_SAMPLES = 60


def shared_turn(variants: Sequence[tuple[View, Sequence[np.ndarray], float, float]], phi: float,
                radius: float = 0.15, step: float = 15.0) -> float:
    """The turn (degrees, a multiple of ``step``) of a shared orbit that keeps every variant's
    ball path in sight: one camera for all the tiles of a grid.

    ``variants``: each one's :class:`View`, its balls' paths (display points ``(n, 3)``,
    the balls' centres), and the orbit's azimuth (degrees, before the turn) in the
    middle of its steps and at the end of its clip (clips differ in length; the orbit
    turns on). ``phi`` is the orbit's elevation. As
    :func:`~gdscenes.display.visibility.clear_azimuth` does for one lesson, but over all
    variants together: first the fewest balls at rest not fully in sight at the end of
    their clips, then the least share of the paths hidden in the middle, with the same
    cost per half turn away from the lesson's own camera and the same cost of steps seen
    end-on (the paths' points are their iterates: :func:`~gdscenes.display.visibility.seen_length`).
    """
    p = np.radians(phi)
    prepared = []
    for view, paths, middle, end in variants:
        paths = [np.asarray(path, float).reshape(-1, 3) for path in paths if len(path)]
        points = np.vstack([path[:: max(len(path) // PATH_SAMPLES, 1)] for path in paths] or [np.zeros((0, 3))])
        prepared.append((view, points, [path[-1] for path in paths], float(middle), float(end), paths))

    def cost(turn: float) -> tuple[int, float, float]:
        blocked = sum(not fully_visible(view, rest, radius, p, np.radians(end + turn))
                      for view, _, rests, _, end, _ in prepared for rest in rests)
        shares = [float(hidden(view, points, p, np.radians(middle + turn)).mean())
                  for view, points, _, middle, _, _ in prepared if len(points)]
        share = float(np.mean(shares)) if shares else 0.0
        losses = [1.0 - seen_length(paths, p, np.radians(middle + turn)) for _, _, _, middle, _, paths in prepared if paths]
        lost = float(np.mean(losses)) if losses else 0.0
        return blocked, round(share + TURN_COST * abs(turn) / 180.0 + FORESHORTEN_COST * lost, 9), abs(turn)

    turns = np.arange(-180.0, 180.0, step)
    return float(min(turns, key=cost))
