"""The 1D update panel: the rule theta_{k+1} = theta_k - eta f'(theta_k) with its symbols
coloured like what they name, and one row per live number of step k.

Like :class:`~gdscenes.drawing.panel.UpdatePanel` it only shows numbers it is given
(the trajectory's) and re-spells them from glyphs typeset once, so a step costs
no LaTeX run. The scene keeps it fixed in frame.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, VGroup, VMobject

from gdscenes.drawing import type_scale
from gdscenes.drawing.card import PAD, card
from gdscenes.drawing.glyphs import GlyphString, spell_number
from gdscenes.drawing.polyline import Polyline
from gdscenes.drawing.typeset import math_tex
from gdscenes.display.palette import Theme

#: The rows: key, label. ``theta`` and ``next`` are coloured like the ball, ``slope`` like the
#: tangent, ``step`` like the step's arrow.
ROWS_1D: tuple[tuple[str, str], ...] = (
    ("k", r"k ="),
    ("theta", r"\theta_k ="),
    ("loss", r"f(\theta_k) ="),
    ("slope", r"f'(\theta_k) ="),
    ("lr", r"\eta ="),
    ("step", r"-\eta\, f'(\theta_k) ="),
    ("next", r"\theta_{k+1} ="),
)
RULE_PARTS = (r"\theta_{k+1}", "=", r"\theta_k", r"-\,\eta\, f'(\theta_k)")
#: Space between two rows of a panel in two columns (a square frame's band), in body digit heights (0.7 otherwise).
ROW_GAP_IN_BAND = 0.55


class StepPanel1D(VGroup):
    """Title, the coloured rule, what its symbols mean, and the live rows.

    ``colors`` maps ``ball``, ``tangent`` and ``arrow`` to the colours of the things drawn.
    """

    def __init__(self, title: str, theme: Theme, colors: Mapping[str, str], width: float = 5.0,
                 formula: str | None = None, columns: int = 1) -> None:
        super().__init__()
        self.theme = theme
        inner = width - 2 * PAD
        ball, tangent, arrow = colors["ball"], colors["tangent"], colors["arrow"]
        self.title = type_scale.title(title, inner, theme.text)
        if formula is not None:  # (the loss under the title, at the body size)
            self.title.add(type_scale.wrapped_math(formula, inner, "body", color=theme.text))
            self.title.arrange(DOWN, aligned_edge=LEFT, buff=0.6 * type_scale.height("body"))
        self.rule = math_tex(*RULE_PARTS, color=theme.text).scale(type_scale.math_scale("body"))
        self.rule[0].set_color(ball)
        self.rule[2].set_color(ball)
        self.rule[3].set_color(arrow)
        self.defs = VGroup(
            type_scale.math(r"\theta_k\colon\ \text{the value of } x \text{ after } k \text{ steps}", "caption", color=ball),
            type_scale.math(r"\eta\colon\ \text{learning rate}", "caption", color=theme.muted),
            type_scale.math(r"f'(\theta_k)\colon\ \text{slope of the tangent}", "caption", color=tangent),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.5 * type_scale.height("caption"))
        coloured = {"theta": ball, "next": ball, "slope": tangent, "step": arrow}
        self.labels = VGroup(*(type_scale.math(tex, "body", color=coloured.get(key, theme.muted)) for key, tex in ROWS_1D))
        # (a wide, low band sets its rows a little closer: they are the taller of its two columns)
        self.labels.arrange(DOWN, aligned_edge=RIGHT, buff=(ROW_GAP_IN_BAND if columns == 2 else 0.7) * type_scale.height("body"))
        scale = type_scale.math_scale("body")
        self.values = VGroup(*(GlyphString(coloured.get(key, theme.text), scale, capacity=16) for key, _ in ROWS_1D))
        self.status: VMobject = Polyline()
        gap = 1.0 * type_scale.height("body")
        status_room = 2.6 * type_scale.height("caption")
        if columns == 2:  # (a wide, low band: the rule and its symbols left, the numbers right, the status under both)
            left = VGroup(self.title, self.rule, self.defs).arrange(DOWN, aligned_edge=LEFT, buff=ROW_GAP_IN_BAND * gap)
            body = VGroup(left, self.labels).arrange(RIGHT, aligned_edge=UP, buff=0.4)
            status_room = gap + 1.4 * type_scale.height("caption")
        else:
            body = VGroup(self.title, self.rule, self.defs, self.labels).arrange(DOWN, aligned_edge=LEFT, buff=gap)
        self.labels.shift(0.2 * RIGHT)
        self.columns = columns
        self.body = body
        self.content = VGroup(body, self.values, self.status)
        self.background = card(body, theme, width, extra_height=2 * PAD + status_room)
        self.add(self.background, self.content)
        self.design_width = self.background.width

    def show_step(self, k: int, theta: float, loss: float, slope: float, lr: float, step: float | None,
                  theta_next: float | None) -> list[GlyphString]:
        """Show the numbers of step ``k`` (``step`` and ``theta_next`` ``None`` after the last step)."""
        decimals = max(3, _decimals_for(lr))
        rows = [
            list(str(k)),
            spell_number(theta, 3),
            spell_number(loss, 4),
            spell_number(slope, 3),
            spell_number(lr, decimals),
            spell_number(step, 3) if step is not None else ["-"],
            spell_number(theta_next, 3) if theta_next is not None else ["-"],
        ]
        ratio = self.background.width / self.design_width  # (as the panel, if a layout scaled it)
        right_edge = self.background.get_right()[0] - 0.2 * ratio
        for label, slot, keys in zip(self.labels, self.values, rows):
            left = label.get_right() + 0.15 * ratio * RIGHT
            equals = label[0][-1]
            slot.spell(keys, left, equals.get_center()[1], max_width=(right_edge - left[0]) / ratio)
            if ratio < 1:
                slot.scale(ratio, about_point=np.array([left[0], equals.get_center()[1], 0.0]))
        return list(self.values)

    def set_status(self, text: str) -> VMobject:
        """Replace the status line (``"converged at step 12"``)."""
        ratio = self.background.width / self.design_width
        room = (self.background.get_right()[0] - self.title.get_left()[0]) / ratio - PAD
        new = type_scale.wrapped_text(text, room, self.theme.muted, "caption").scale(ratio)
        above = self.body if self.columns == 2 else self.labels  # (in two columns: under both, across the card)
        self.status.become(new.next_to(above, DOWN, buff=ratio * type_scale.height("body")).align_to(self.title, LEFT))
        return self.status

    def text_of(self, key: str) -> str:
        """What row ``key`` shows now (the tests read it)."""
        return self.values[[k for k, _ in ROWS_1D].index(key)].text


def _decimals_for(value: float) -> int:
    text = f"{value:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


__all__ = ["StepPanel1D", "ROWS_1D"]
