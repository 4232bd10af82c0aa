"""Adam's preconditioner: the per-coordinate effective step drawn as an axis-aligned ellipse.

Adam moves each coordinate by ``lr / (sqrt(v_hat) + eps)`` times its
momentum ``m_hat``; the ellipse at the ball has these effective steps as its
semi-axes (times the start's gradient norm, so it is the step a moment of
that size would make). On an ill-conditioned bowl it is flat across the
steep direction and long along the shallow one; the panel shows ``m`` and
``v`` of every step.

In a square frame's short band the panel is a grid and the ellipse's key goes
in its card, under the rows (on its own, under the upright colour bar, it
would fall off the frame's bottom).
"""

from __future__ import annotations

from typing import Any

from gdscenes.drawing.camera import Orbit
from gdscenes.drawing.key import Key
from gdscenes.scenes.lesson import LessonScene
from gdscenes.scenes.optimizer_internals import InternalsScene
from gdscenes.scenes.registry import lesson


@lesson("adam-preconditioner")
class AdamPreconditionerScene(InternalsScene):
    """Adam with its preconditioner ellipse and live moments."""

    loss = "ill_conditioned"
    optimizer = "adam"
    lr = 0.2
    start = (-2.5, 1.2)
    steps = 60
    tol = 1e-2
    preconditioner_ellipse = True
    state_rows = True
    # a lower relief seen from higher up: the camera sees both walls of the valley (and what is drawn on them)
    orbit = Orbit(phi=50.0)
    view_sizes = {"height": 1.6}
    max_roll_seconds = 12.0

    def place_text(self, *blocks: Any) -> None:
        """In a square frame's short band the panel is a grid (:attr:`~gdscenes.drawing.panel.UpdatePanel.grid`):
        the key of the ellipse goes in its card, under the rows."""
        rows = self.key_rows()
        panel = blocks[0]
        if not (self.layout.square and getattr(panel, "grid", False) and rows):
            super().place_text(*blocks)
            return
        self.key = panel.add_below(Key(rows, self.colors, width=self.layout.block_width).entries)
        LessonScene.place_text(self, *blocks)
