"""A narrow curved valley (Rosenbrock): plain gradient descent zig-zags along it.

The surface is coloured on a log height scale so the valley floor is
visible; the long run is paced (first steps slow, the tail fast-forwarded);
the panel ends on the step count at which it reached the minimum.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gdscenes.core.losses import Loss
from gdscenes.drawing.loss_plot import LossCurve
from gdscenes.scenes.compare import LOSS_CURVE_ROOM
from gdscenes.scenes.descent import DescentScene
from gdscenes.scenes.registry import lesson


@lesson("valley")
class ValleyScene(DescentScene):
    """Gradient descent close to its stability limit in Rosenbrock's banana valley."""

    loss = "rosenbrock"
    optimizer = "gd"
    lr = 0.0019
    start = (-1.2, 1.0)
    steps = 6000
    tol = 1e-2
    height_scale = "log"
    max_roll_seconds = 10.0
    loss_curve = True
    loss_curve_log = True

    def make_loss_curve(self, losses: Sequence[np.ndarray], colors: Sequence[str], loss: Loss,
                        above: Any = None) -> LossCurve | None:
        """The loss curve under the panel, left out where the band across a square frame has no room for
        it at the type scale (the panel keeps its size; its status line gives the step count and the loss)."""
        if self.layout.stacked and above is not None and above.height + LOSS_CURVE_ROOM > self.layout.text_box[1] + 1e-9:
            return None
        return super().make_loss_curve(losses, colors, loss, above=above)
