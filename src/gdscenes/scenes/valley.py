"""A narrow curved valley (Rosenbrock): plain gradient descent zig-zags along it.

The surface is coloured on a log height scale so the valley floor is
visible; the long run is paced (first steps slow, the tail fast-forwarded);
the panel ends on the step count at which it reached the minimum.
"""

from __future__ import annotations

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
