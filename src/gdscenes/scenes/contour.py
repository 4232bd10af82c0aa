"""Top-down contour view: contour lines, the path, and at each step the arrow -eta * grad f.

The camera looks straight down on the contour floor (no surface, a flat
view); the panel shows the update rule with the live numbers of each step.
"""

from __future__ import annotations

from typing import Any

from gdscenes.drawing.arrows import StepArrows
from gdscenes.drawing.camera import Orbit
from gdscenes.core.losses import Loss
from gdscenes.scenes.descent import DescentScene
from gdscenes.scenes.registry import lesson


@lesson("contour")
class ContourScene(DescentScene):
    """Gradient descent seen from above, with the step arrow ``-eta * grad f(theta_k)`` at every step."""

    loss = "himmelblau"
    optimizer = "gd"
    lr = 0.01
    start = (-0.5, -4.5)
    steps = 40
    show_surface = False
    view_sizes = {"height": 0.0, "floor_gap": 0.0}
    orbit = Orbit(phi=0.0, theta=-90.0, theta_rate=0.0, zoom=1.0, screen_offset=(2.9, -0.15))  # (names inside the safe area)

    def decorate(self, loss: Loss) -> list[Any]:
        t = self.trajectory
        lr = float(t.hyperparams["lr"])
        last = int(t.stop_step[0])
        theta, grad = t.points[:last, 0], t.gradients[:last, 0]
        arrows = StepArrows(
            self.view.floor_points(theta[:, 0], theta[:, 1], lift=0.03),
            self.view.floor_points(theta[:, 0] - lr * grad[:, 0], theta[:, 1] - lr * grad[:, 1], lift=0.03),
            self.colors.series_color(1), stroke_width=5.0,
        )
        self.add(arrows)
        return [arrows]
