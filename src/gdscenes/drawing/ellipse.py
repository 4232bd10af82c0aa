"""An ellipse with its two axes, draped over the surface, following the ball.

The ellipse of step ``k`` (semi-axis vectors given in parameter units, from
:mod:`gdscenes.core.curvature`) is centred where the ball is: between two iterates
it moves with the ball (same easing) and keeps the shape of the step it left.
An axis flagged negative (a direction of negative curvature) is dashed.
"""

from __future__ import annotations

import numpy as np
from manim import VGroup, smooth

from gdscenes.drawing.camera import MARKS, set_layer
from gdscenes.drawing.polyline import Polyline
from gdscenes.core.curvature import ellipse_points
from gdscenes.display.view import View

#: Display units the ellipse floats above the surface (over the trail).
LIFT = 0.04
#: Pieces each axis is drawn in (dashes when the axis is negative).
DASHES = 7


class FollowingEllipse(VGroup):
    """Outline and axes of ``axes[k]`` around iterate ``k`` of ``path``.

    Parameters
    ----------
    view
        Geometry of the landscape.
    path
        Iterates ``(K + 1, 2)`` the ball visits.
    axes
        Semi-axis vectors ``(K + 1, 2, 2)``: ``axes[k, i]`` is axis ``i`` at step ``k``.
    color
        Stroke colour.
    negative
        ``(K + 1, 2)`` bool: axes drawn dashed (negative curvature); ``None``: all solid.
    """

    def __init__(self, view: View, path: np.ndarray, axes: np.ndarray, color: str,
                 negative: np.ndarray | None = None, stroke_width: float = 3.5) -> None:
        super().__init__()
        self.view = view
        self.path = np.asarray(path, dtype=float)
        self.axes = np.asarray(axes, dtype=float)
        self.negative = np.zeros(self.axes.shape[:2], bool) if negative is None else np.asarray(negative, bool)
        self.n_steps = len(self.path) - 1
        self.outline = Polyline(stroke_color=color, stroke_width=stroke_width)
        self.axis_lines = [VGroup(*(Polyline(stroke_color=color, stroke_width=stroke_width * 0.8)
                                    for _ in range(DASHES))) for _ in range(2)]
        self.add(self.outline, *self.axis_lines)
        set_layer(self, MARKS)
        self.set_time(0.0)

    def state(self, t: float) -> tuple[int, np.ndarray, np.ndarray]:
        """Step whose shape is shown, centre (parameter units) and semi-axes at time ``t``."""
        t = float(np.clip(t, 0.0, self.n_steps))
        k = min(int(t + 1e-9), self.n_steps)
        frac = smooth(t - k) if k < self.n_steps else 0.0
        nxt = self.path[min(k + 1, self.n_steps)]
        centre = self.path[k] + frac * (nxt - self.path[k])
        return k, centre, self.axes[k]

    def set_time(self, t: float) -> FollowingEllipse:
        k, centre, axes = self.state(t)
        self.outline.set_points_as_corners(self._lift(ellipse_points(centre, axes)))
        for i, pieces in enumerate(self.axis_lines):
            dashed = bool(self.negative[k, i])
            edges = np.linspace(-1.0, 1.0, DASHES + 1)
            for j, piece in enumerate(pieces):
                a = edges[j]
                b = a + (edges[1] - edges[0]) * (0.55 if dashed else 1.0)
                s = np.linspace(a, b, 6)[:, None]
                piece.set_points_as_corners(self._lift(centre[None] + s * axes[i][None]))
        return self

    def rest_points(self) -> np.ndarray:
        """Display points of the outline at the last iterate (where the ball rests): what a value card keeps clear of."""
        _, centre, axes = self.state(float(self.n_steps))
        return self._lift(ellipse_points(centre, axes))

    def _lift(self, points: np.ndarray) -> np.ndarray:
        return self.view.surface_points(points[:, 0], points[:, 1], lift=LIFT)
