"""Step arrows on the contour floor: at each step, the arrow ``-eta * grad f`` from the iterate.

The arrow ends are given (the scene takes them from the trajectory); the
arrow of the current step is drawn thick, earlier ones thinner.
"""

from __future__ import annotations

import numpy as np
from manim import Arrow, VGroup

from gdscenes.drawing.camera import MARKS, set_layer

#: Stroke width of the arrows of earlier steps, relative to the current one.
PAST_WIDTH = 0.5


class StepArrows(VGroup):
    """One arrow per step from ``starts[k]`` to ``ends[k]`` (3D points), shown from step ``k`` on."""

    def __init__(self, starts: np.ndarray, ends: np.ndarray, color: str, stroke_width: float = 4.0) -> None:
        super().__init__()
        self.steps: list[int] = []
        self.stroke = stroke_width
        for k, (a, b) in enumerate(zip(starts, ends)):
            if np.linalg.norm(b - a) < 1e-3:  # no arrow for a vanishing step
                continue
            arrow = Arrow(a, b, buff=0, color=color, stroke_width=stroke_width, max_tip_length_to_length_ratio=0.3,
                          tip_length=0.18)
            self.add(arrow)
            self.steps.append(k)
        set_layer(self, MARKS)  # over the trail it lies on (a gradient step is the path), under the ball
        self.set_time(0.0)

    def set_time(self, t: float) -> StepArrows:
        """Show the arrows of steps up to ``t``: the current one thick, earlier ones thinner."""
        current = int(np.floor(t + 1e-9))
        for k, arrow in zip(self.steps, self.submobjects):
            arrow.set_opacity(1.0 if k <= current else 0.0)
            arrow.set_stroke(width=self.stroke * (1.0 if k == current else PAST_WIDTH))
        return self
