"""Vectors at the ball: at step ``k``, one arrow per quantity from the iterate ``theta_k``.

The displacements are given in parameter units (the scene reads them from
the trajectory, e.g. ``-eta * grad f(theta_k)`` and ``-eta * v_{k+1}``); the
arrows of step ``k`` are shown while the ball travels from ``theta_k`` to
``theta_{k+1}``, draped over the surface a little above it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import VGroup

from gdscenes.drawing.camera import MARKS, set_layer
from gdscenes.drawing.polyline import Polyline
from gdscenes.display.view import View
from gdscenes.display.palette import halo

#: Display units the arrows float above the surface.
LIFT = 0.05
#: Arrow head length as a fraction of the domain's width (at most 0.4 of the arrow).
HEAD = 0.035
#: Width of the halo each side of an arrow (stroke width units).
HALO = 1.5


class BallVectors(VGroup):
    """Arrows ``origins[k] -> origins[k] + vectors[j][k]`` for each ``j``, shown at step ``k``.

    Each arrow is a shaft and a two-stroke head draped over the surface (like
    the trail), so under OpenGL's depth test no slope hides a straight chord.

    Parameters
    ----------
    view
        Geometry of the landscape.
    origins
        Iterates ``(K, 2)`` (one per step that has an update).
    vectors
        One ``(K, 2)`` array of displacements per arrow, parameter units.
    colors
        One colour per arrow.
    """

    def __init__(self, view: View, origins: np.ndarray, vectors: Sequence[np.ndarray], colors: Sequence[str],
                 stroke_width: float = 6.0) -> None:
        super().__init__()
        self.view = view
        self.origins = np.asarray(origins, dtype=float)
        self.vectors = [np.asarray(v, dtype=float) for v in vectors]
        self.colors = list(colors)
        (x0, x1), _ = view.domain
        self.head = HEAD * (x1 - x0)
        # Each arrow over a halo (black or white, 3:1 against it): legible on any part of the surface.
        self.halos = [VGroup(Polyline(stroke_color=halo(c), stroke_width=stroke_width + 2 * HALO),
                             Polyline(stroke_color=halo(c), stroke_width=stroke_width + 2 * HALO)) for c in self.colors]
        self.arrows = [VGroup(Polyline(stroke_color=c, stroke_width=stroke_width),
                              Polyline(stroke_color=c, stroke_width=stroke_width)) for c in self.colors]
        self.add(*self.halos, *self.arrows)
        set_layer(self, MARKS)
        self.shown = -1
        self.set_time(0.0)

    def outline(self, k: int, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Shaft and head of arrow ``j`` at step ``k``, in parameter units (``(n, 2)`` each)."""
        o, d = self.origins[k], self.vectors[j][k]
        length = float(np.linalg.norm(d))
        shaft = o[None] + np.linspace(0.0, 1.0, 16)[:, None] * d[None]
        if length == 0.0:
            return shaft, np.vstack([o, o, o])
        u = d / length
        h = min(self.head, 0.4 * length)
        tip = o + d
        wings = [tip - h * (np.cos(a) * u + np.sin(a) * np.array([-u[1], u[0]])) for a in (0.45, -0.45)]
        return shaft, np.vstack([wings[0], tip, wings[1]])

    def set_time(self, t: float) -> BallVectors:
        if not len(self.origins):
            return self
        k = int(np.clip(np.floor(t + 1e-9), 0, len(self.origins) - 1))
        if k == self.shown:
            return self
        self.shown = k
        for j, ((shaft, head), (shaft_halo, head_halo)) in enumerate(zip(self.arrows, self.halos)):
            line, tip = self.outline(k, j)
            for mob, points in ((shaft, line), (head, tip), (shaft_halo, line), (head_halo, tip)):
                mob.set_points_as_corners(self._lift(points))
        return self

    def _lift(self, points: np.ndarray) -> np.ndarray:
        return self.view.surface_points(points[:, 0], points[:, 1], lift=LIFT)
