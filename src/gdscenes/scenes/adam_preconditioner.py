"""Adam's preconditioner: the per-coordinate effective step drawn as an axis-aligned ellipse.

Adam moves each coordinate by ``lr / (sqrt(v_hat) + eps)`` times its
momentum ``m_hat``; the ellipse at the ball has these effective steps as its
semi-axes (times the start's gradient norm, so it is the step a moment of
that size would make). On an ill-conditioned bowl it is flat across the
steep direction and long along the shallow one; the panel shows ``m`` and
``v`` of every step.

In a square frame's short band the panel shows the rule and the numbers in
turns: while the picture is built, Adam's rule in two columns; once the steps
run, the numbers in its place (the step, the rate, the loss, the gradient,
``m``, ``v`` and ``P``: the ball shows the iterate), under the definition of
``v-hat`` and, right of it, the values of the rule's constants (``beta_1``,
``beta_2``, ``epsilon``: the status line takes their place once the steps are
done), with the ellipse's key in the card under them (it defines ``P``,
and ``m`` and ``v``; on its own, under the upright colour bar, it would fall
off the frame's bottom).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from manim import DOWN, LEFT, RIGHT, UP, RoundedRectangle, VGroup, VMobject

from gdscenes.core.losses import Loss
from gdscenes.drawing import type_scale
from gdscenes.drawing.camera import Orbit
from gdscenes.drawing.card import PAD
from gdscenes.drawing.key import Key
from gdscenes.drawing.panel import COLUMN_GAP, UpdatePanel, rule_block
from gdscenes.drawing.type_scale import latex_title
from gdscenes.scenes.descent import named_constants
from gdscenes.scenes.lesson import LessonScene, loss_title
from gdscenes.scenes.optimizer_internals import PRECOND_LABELS, InternalsScene
from gdscenes.scenes.registry import lesson


#: In a square frame, once the steps run: the rows the panel shows (the ball shows the iterates).
SQUARE_ROWS = ("k", "lr", "loss", "grad", "m", "v", "precond")
#: In a square frame, what the state in the rows is, after the ellipse's key (once the steps run the rule is not on
#: screen; the rows show m and v). More does not fit the band at the type scale.
SQUARE_DEFINITIONS = {"adam": r"m, v\colon\ \text{averages of } g_k,\ g_k^2"}
#: In a square frame, once the steps run: the line over the rows (the key under them defines ``P``; this, what
#: its v-hat is). Other optimizers' squares show ``P``'s definition there.
SQUARE_RULES = {"adam": r"\hat v_{k+1} = v_{k+1} / (1 - \beta_2^{\,k+1})"}
#: The share of the opening's frames the rule is held for, written, before the steps run (a square frame).
READ_SHARE = 0.4


def constants_latex(rule_lines: Sequence[str], hyperparams: dict[str, Any]) -> str:
    """The values of the constants ``rule_lines`` name (``beta_1 = 0.9, beta_2 = 0.999, epsilon = 10^{-8}`` in LaTeX), as
    the 16:9 panel's rule gives them (:func:`~gdscenes.scenes.descent.with_constants`); empty if it names none."""
    return r",\ ".join(f"{symbol} = {value}" for _, symbol, value in named_constants(rule_lines, hyperparams))


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

    def make_panel(self, loss: Loss, optimizer: Any) -> UpdatePanel:
        """In a square frame, the panel of the steps (:data:`SQUARE_ROWS` under :data:`SQUARE_RULES`); the
        optimizer's rule covers its rows until the steps run (:meth:`place_text`)."""
        if not self.layout.square:
            return super().make_panel(loss, optimizer)
        self.rows = self.panel_rows()
        self.square_optimizer = optimizer
        rule = SQUARE_RULES.get(optimizer.name, r"P_{k+1} = " + PRECOND_LABELS.get(optimizer.name, r"\eta"))
        return UpdatePanel(latex_title(f"{optimizer.label} on {loss_title(loss)}", loss), rule, self.colors,
                           width=self.layout.block_width, extra_rows=[(key, label) for _, key, label in self.rows],
                           shown_rows=SQUARE_ROWS, max_height=0.0)  # (a grid, whose card takes the key)

    def place_text(self, *blocks: Any) -> None:
        """In a square frame's short band the panel is a grid (:attr:`~gdscenes.drawing.panel.UpdatePanel.grid`):
        the key of the ellipse goes in its card, under the rows; then the full rule, in two columns, covers all
        under the title until the steps run (:meth:`cover_rows`)."""
        rows = self.key_rows()
        panel = blocks[0]
        if not (self.layout.square and getattr(panel, "grid", False) and rows):
            super().place_text(*blocks)
            return
        if self.square_optimizer.name in SQUARE_DEFINITIONS:  # (the rule is covered once the steps run: define its state here)
            colour, label = rows[-1]
            rows = [*rows[:-1], (colour, label + r",\ \ " + SQUARE_DEFINITIONS[self.square_optimizer.name])]
        self.key = panel.add_below(Key(rows, self.colors, width=self.layout.block_width).entries)
        self.add_constants(panel)
        self.cover_rows(panel)
        LessonScene.place_text(self, *blocks)

    def add_constants(self, panel: UpdatePanel) -> None:
        """The values of the rule's constants (:func:`constants_latex`) on the line over the rows, right of it where
        the status line goes (at the body size where it fits there or just right of the line, else at the caption
        size): the rule is covered once
        the steps run, and the rows' line and key name ``beta_2`` and ``epsilon`` (``beta_1`` sets ``m``)."""
        latex = constants_latex(self.rule_lines(self.square_optimizer), self.trajectory.hyperparams)
        if not latex or not getattr(panel, "status_beside", False):
            return
        column = float(panel.background.get_left()[0]) + panel.status_left * panel.shrunk
        beside = float(panel.rule.get_right()[0]) + COLUMN_GAP * panel.shrunk
        right = float(panel.background.get_right()[0]) - PAD * panel.shrunk
        for left, role in ((column, "body"), (beside, "body"), (column, "caption")):
            values = type_scale.math(latex, role, color=self.colors.text)
            if values.width <= right - left + 1e-9:
                values.move_to([left, panel.rule.get_y(), 0.0], aligned_edge=LEFT)
                self.constants: VMobject = values
                panel.add(values)
                return

    def status(self, trajectory: Any, exits: int | None) -> str:
        """How the run ended; in a square frame it takes the place of the constants' values (the steps are done)."""
        values = getattr(self, "constants", None)
        if values is not None:
            values.set_opacity(0.0)  # (transparent, not emptied: see _show_step)
        return str(super().status(trajectory, exits))

    def cover_rows(self, panel: UpdatePanel) -> None:
        """Adam's rule in two columns (the moments; the corrected moments and the update) under the panel's title, the
        values of its constants under the first column (wrapped, where they fit), on a cover the card's colour over the rest of
        the card; :meth:`_show_step` takes both off once the steps run."""
        lines = [line.replace(r", \quad", r" \\").replace(r"\hat v_{k+1} =", r"\hat v_{k+1} &=")
                 for line in self.rule_lines(self.square_optimizer)]
        inner = float(panel.background.width) - 2 * PAD
        half = (len(lines) + 1) // 2 if len(lines) != 5 else 3  # (Adam: the moments; the corrected moments, the update)
        left = rule_block(r" \\ ".join(lines[:half]), inner, self.colors.text)
        columns = [left] + ([rule_block(r" \\ ".join(lines[half:]), inner, self.colors.text)] if lines[half:] else [])
        rule = VGroup(*columns).arrange(RIGHT, aligned_edge=UP, buff=2 * COLUMN_GAP)
        gap = 0.7 * type_scale.height("body")
        rule.next_to(panel.title, DOWN, buff=gap).align_to(panel.title, LEFT)
        card = panel.background
        top = panel.title.get_bottom()[1] - gap / 2
        bottom = float(card.get_bottom()[1]) + 0.05
        cover = RoundedRectangle(corner_radius=0.1, width=float(card.width) - 0.1, height=top - bottom,
                                 fill_color=self.colors.panel, fill_opacity=1.0, stroke_width=0)
        cover.move_to([card.get_center()[0], (top + bottom) / 2, 0.0])
        if rule.width > inner + 1e-9 or rule.get_bottom()[1] < card.get_bottom()[1] + PAD - 1e-9:
            return  # (no room for the rule over the rows: the rows from the start)
        latex = constants_latex(self.rule_lines(self.square_optimizer), self.trajectory.hyperparams)
        self.cover_constants = VGroup()
        if latex and len(columns) > 1:  # the constants' values under the first column (wrapped), where they fit
            room = float(columns[1].get_left()[0]) - COLUMN_GAP - float(left.get_left()[0])
            for role in ("body", "caption"):
                values = type_scale.wrapped_math(latex, room, role, color=self.colors.text)
                values.next_to(left, DOWN, buff=gap).align_to(left, LEFT)
                if values.width <= room + 1e-9 and values.get_bottom()[1] >= card.get_bottom()[1] + PAD - 1e-9:
                    self.cover_constants = values
                    break
        self.rule_cover, self.rule_columns = cover, rule
        panel.add(cover, rule, self.cover_constants)

    def _show_step(self, panel: Any, trajectory: Any, lr: float, k: int, last: int) -> None:
        cover = getattr(self, "rule_cover", None)
        if cover is not None and not getattr(self, "rule_shown", False):
            self.rule_shown = True  # (the first call comes before the opening: the rule is written, the rows wait)
        elif cover is not None and cover.get_fill_opacity() > 0:
            # (made transparent, not emptied: an emptied cover's points would span to the origin in the overlay)
            cover.set_opacity(0.0)
            self.rule_columns.set_opacity(0.0)
            self.cover_constants.set_opacity(0.0)
        super()._show_step(panel, trajectory, lr, k, last)

    def play_opening(self, balls: Sequence[Any], n_frames: int) -> None:
        """With the rule over the rows (a square frame): the opening in the first part of its frames, then the rule
        held to be read (:data:`READ_SHARE` of them) before the steps run."""
        if getattr(self, "rule_cover", None) is None:
            super().play_opening(balls, n_frames)
        else:
            self.play_opening_then_hold(balls, n_frames, READ_SHARE)

