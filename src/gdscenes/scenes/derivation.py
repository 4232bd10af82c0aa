"""Gradient descent derived: the loss, its exact gradient, then each step worked out with numbers.

The panel shows ``f`` and its gradient from sympy, then at every step the
iterate, the gradient with the iterate's numbers substituted into the same
expression, and the update with the numbers; every number is the
trajectory's (:mod:`gdscenes.core.worked_step`). Slow pacing, few steps: a student
can follow each line.

In a square frame's short band the panel shows them in turns: the loss stays
under the title the whole clip; its gradient while the picture is built, then
each step in the gradient's place (the gradient's formula stays readable in it,
its numbers substituted).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


from gdscenes.core.worked_step import derive, gradient_lines
from gdscenes.drawing.derivation_panel import DerivationPanel
from gdscenes.core.losses import Loss
from gdscenes.scenes.descent import DescentScene
from gdscenes.drawing.type_scale import latex_title
from gdscenes.scenes.lesson import loss_title
from gdscenes.core.trajectory import Trajectory
from gdscenes.scenes.registry import lesson


#: In turns: the share of the opening's frames the loss and its gradient are held for, written, before the steps.
READ_SHARE = 0.4


@lesson("derivation")
class DerivationScene(DescentScene):
    """Plain gradient descent with the deriving equation panel."""

    loss = "booth"
    optimizer = "gd"
    lr = 0.03
    start = (-4.0, -3.0)
    domain = ((-5.0, 5.0), (-4.0, 6.0))
    steps = 8
    tol = 1e-3
    seconds_per_step = 2.5

    @classmethod
    def descend(cls, loss: Loss) -> Trajectory:
        if cls.optimizer != "gd":
            raise ValueError(f"the derivation lesson shows plain gradient descent, got optimizer {cls.optimizer!r}")
        return super().descend(loss)

    def make_panel(self, loss: Loss, optimizer: Any) -> DerivationPanel:
        self.loss_ref = loss
        room = derive(loss, self.trajectory, 0).lines
        title = f"Gradient descent on {loss_title(loss)}, eta = {self.trajectory.hyperparams['lr']:g}"
        return DerivationPanel(latex_title(title, loss), gradient_lines(loss), room, self.colors,
                               width=self.layout.block_width, turns=self.layout.square)

    def play_opening(self, balls: Sequence[Any], n_frames: int) -> None:
        """In turns (a square frame): the opening in the first part of its frames, then the loss and its gradient
        held to be read (:data:`READ_SHARE` of them) before the first step takes their place."""
        if not getattr(getattr(self, "panel", None), "turns", False):
            super().play_opening(balls, n_frames)
        else:
            self.play_opening_then_hold(balls, n_frames, READ_SHARE)

    def _show_step(self, panel: Any, trajectory: Trajectory, lr: float, k: int, last: int) -> None:
        self.derivation = derive(self.loss_ref, trajectory, k)
        if panel.turns and not getattr(self, "definitions_shown", False):
            # (the first call comes before the opening: the loss and its gradient are written, the steps take
            # their place once the clock runs)
            self.definitions_shown = True
            panel.shown_step = k
            return
        self.keep_fixed(panel.show_lines(self.derivation.lines))
        panel.shown_step = k
