"""Loss curve: the descent lesson with its loss-against-step panel (log scale).

Any lesson gets the panel by setting ``loss_curve = True`` (and
``loss_curve_log`` for a log scale); this one shows it on the default descent.
"""

from __future__ import annotations

from gdscenes.scenes.descent import DescentScene
from gdscenes.scenes.registry import lesson


@lesson("loss-curve")
class LossCurveScene(DescentScene):
    """Gradient descent on Himmelblau with the loss against step, on a log scale."""

    loss_curve = True
    loss_curve_log = True
    start = (-0.5, -4.5)
