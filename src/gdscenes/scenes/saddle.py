"""A saddle point: plain gradient descent stalls where the gradient vanishes.

A start almost on the ridge of ``x^2 - y^2`` rolls into the saddle, creeps
while the gradient is nearly zero (the loss curve's plateau), and only then
slides off down the other slope. The saddle is marked on the floor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import Circle

from gdscenes.drawing.camera import ON_SURFACE, set_layer
from gdscenes.drawing.loss_plot import LossCurve
from gdscenes.core.losses import Loss
from gdscenes.scenes.compare import LOSS_CURVE_ROOM
from gdscenes.scenes.descent import DescentScene
from gdscenes.scenes.registry import lesson


@lesson("saddle")
class SaddleScene(DescentScene):
    """Gradient descent near the saddle of ``x^2 - y^2``; the loss curve shows the stall."""

    loss = "saddle"
    optimizer = "gd"
    lr = 0.05
    start = (-1.8, 0.002)
    steps = 90
    tol = None
    loss_curve = True

    def make_loss_curve(self, losses: Sequence[np.ndarray], colors: Sequence[str], loss: Loss,
                        above: Any = None) -> LossCurve | None:
        """The loss curve under the panel, left out where the band across a square frame has no room for
        it at the type scale (the panel keeps its size; the ball's creep at the saddle shows the stall)."""
        if self.layout.stacked and above is not None and above.height + LOSS_CURVE_ROOM > self.layout.text_box[1] + 1e-9:
            return None
        return super().make_loss_curve(losses, colors, loss, above=above)

    def decorate(self, loss: Loss) -> list[Any]:
        """A ring on the floor under each known saddle point."""
        for point in loss.saddles:
            ring = Circle(radius=0.18, stroke_color=self.colors.text, stroke_width=3)
            ring.move_to(self.view.floor_points(point.x, point.y, lift=0.02))
            self.add(set_layer(ring, ON_SURFACE))
        return []
