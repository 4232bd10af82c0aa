"""Loss curve: the descent lesson with its loss-against-step panel (log scale).

Any lesson gets the panel by setting ``loss_curve = True`` (and
``loss_curve_log`` for a log scale); this one shows it on the default descent.
In a square frame the update panel and the loss curve share the short band side
by side: the panel keeps the title, the rule, the step, the rate and the loss
(the curve plots the loss; the ball on the landscape shows the iterate), the curve
takes the rest of the band.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import Mobject

from gdscenes.core.losses import Loss
from gdscenes.drawing.loss_plot import LossCurve
from gdscenes.scenes.descent import DescentScene
from gdscenes.scenes.registry import lesson

#: In a square frame: the rows the panel keeps, its width (frame units, shorter side 8) and the space between it
#: and the loss curve.
SQUARE_ROWS = ("k", "lr", "loss")
SQUARE_PANEL_WIDTH = 3.6
SQUARE_GAP = 0.25


@lesson("loss-curve")
class LossCurveScene(DescentScene):
    """Gradient descent on Himmelblau with the loss against step, on a log scale."""

    loss_curve = True
    loss_curve_log = True
    start = (-0.5, -4.5)

    def make_panel(self, loss: Loss, optimizer: Any) -> Any:
        if not self.layout.square:
            return super().make_panel(loss, optimizer)
        return self.update_panel(loss, optimizer, width=SQUARE_PANEL_WIDTH * self.layout.unit, shown_rows=SQUARE_ROWS)

    def make_loss_curve(self, losses: Sequence[np.ndarray], colors: Sequence[str], loss: Loss,
                        above: Mobject | None = None) -> LossCurve | None:
        """In a square frame, beside the panel (``above``) and as tall as the band."""
        if not (self.layout.square and self.loss_curve and above is not None):
            return super().make_loss_curve(losses, colors, loss, above=above)
        _, room = self.layout.text_box
        global_minima = [m.f for m in loss.minima if m.kind == "global"]
        return LossCurve(losses, colors, self.colors, width=self.layout.block_width - above.width - SQUARE_GAP * self.layout.unit,
                         height=room - LOSS_CARD, log=self.loss_curve_log, f_star=min(global_minima, default=None))


#: How much taller a loss curve's card is than the ``height`` it is given (its title, tick labels and padding).
LOSS_CARD = 0.45
