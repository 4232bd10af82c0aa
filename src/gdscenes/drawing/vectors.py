"""Vectors at the ball: at step ``k``, one arrow per quantity from the iterate ``theta_k``.

The displacements are given in parameter units (the scene reads them from
the trajectory, e.g. ``-eta * grad f(theta_k)`` and ``-eta * v_{k+1}``); the
arrows of step ``k`` are shown while the ball travels from ``theta_k`` to
``theta_{k+1}``, lifted a little above the surface at both ends.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Arrow, VGroup

from gdscenes.drawing.camera import OVERLAY, set_layer
from gdscenes.view import View

#: Display units the arrows float above the surface.
LIFT = 0.1


class BallVectors(VGroup):
    """Arrows ``origins[k] -> origins[k] + vectors[j][k]`` for each ``j``, shown at step ``k``.

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
        self.stroke = stroke_width
        self.arrows = [Arrow(np.zeros(3), np.array([1.0, 0, 0]), buff=0, color=c, stroke_width=stroke_width)
                       for c in self.colors]
        self.add(*self.arrows)
        set_layer(self, OVERLAY)
        self.shown = -1
        self.set_time(0.0)

    def ends(self, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """3D start and end of each arrow at step ``k``."""
        o = self.origins[k]
        out = []
        for v in self.vectors:
            a = self.view.surface_points(o[0], o[1], lift=LIFT)
            b = self.view.surface_points(o[0] + v[k, 0], o[1] + v[k, 1], lift=LIFT)
            out.append((a, b))
        return out

    def set_time(self, t: float) -> BallVectors:
        if not len(self.origins):
            return self
        k = int(np.clip(np.floor(t + 1e-9), 0, len(self.origins) - 1))
        if k == self.shown:
            return self
        self.shown = k
        for arrow, color, (a, b) in zip(self.arrows, self.colors, self.ends(k)):
            length = float(np.linalg.norm(b - a))
            if length < 1e-3:  # a vanishing vector: nothing to draw
                arrow.set_opacity(0.0)
                continue
            new = Arrow(a, b, buff=0, color=color, stroke_width=self.stroke, tip_length=min(0.2, 0.4 * length),
                        max_tip_length_to_length_ratio=0.4)
            arrow.become(new)
            set_layer(arrow, OVERLAY)
        return self
