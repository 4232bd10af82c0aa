"""The equation panel: the optimizer's update rule and the live numbers of a step.

The panel only displays numbers it is given (those of the trajectory); it
computes nothing. Labels are typeset once; each step re-spells the value rows
from glyphs typeset once (:mod:`gdscenes.drawing.glyphs`), so a step costs no
LaTeX run and no copy. The scene keeps the panel fixed in frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UL, VGroup, VMobject

from gdscenes.drawing.card import card, fit_width
from gdscenes.drawing.glyphs import GlyphString, spell_number, spell_vector
from gdscenes.drawing.polyline import Polyline
from gdscenes.drawing.typeset import math_tex, plain_text
from gdscenes.display.palette import Theme

ROWS: tuple[tuple[str, str], ...] = (
    ("k", r"k ="),
    ("theta", r"\theta_k ="),
    ("grad", r"\nabla f(\theta_k) ="),
    ("lr", r"\eta ="),
    ("next", r"\theta_{k+1} ="),
    ("loss", r"f(\theta_k) ="),
)


class UpdatePanel(VGroup):
    """Title, update rule and one row per live quantity.

    Parameters
    ----------
    title
        First line (e.g. ``"Gradient descent on Himmelblau"``).
    rule_latex
        The optimizer's update rule.
    theme
        Colours.
    width
        Width of the panel in frame units; contents are scaled to fit.
    extra_rows
        More ``(key, label LaTeX ending in "=")`` rows under the usual ones
        (an optimizer's state, the curvature), filled by ``show_step(extra=...)``.
    """

    def __init__(
        self, title: str, rule_latex: str, theme: Theme, width: float = 5.0,
        extra_rows: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__()
        self.theme = theme
        self.rows = (*ROWS, *extra_rows)
        self.title = fit_width(plain_text(title, color=theme.text, font_size=24, weight="BOLD"), width - 0.5)
        self.rule = fit_width(math_tex(rule_latex, color=theme.text).scale(0.72), width - 0.5)
        self.labels = VGroup(*(math_tex(tex, color=theme.muted).scale(0.62) for _, tex in self.rows))
        self.labels.arrange(DOWN, aligned_edge=RIGHT, buff=0.2)
        self.values = VGroup(*(GlyphString(theme.text, 0.62) for _ in self.rows))
        self.status: VMobject = Polyline()
        body = VGroup(self.title, self.rule, self.labels).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        self.labels.shift(0.2 * RIGHT)
        self.content = VGroup(body, self.values, self.status)
        self.background = card(body, theme, width, extra_height=1.1)
        self.add(self.background, self.content)

    def place(self, corner: np.ndarray = UL, buff: float = 0.3) -> UpdatePanel:
        """Move the panel to a corner of the frame."""
        return self.to_corner(corner, buff=buff)

    def show_step(
        self,
        k: int,
        theta: Sequence[float],
        grad: Sequence[float],
        lr: float,
        theta_next: Sequence[float] | None,
        loss: float,
        extra: Sequence[list[str]] = (),
    ) -> list[GlyphString]:
        """Show the numbers of step ``k``; returns the value rows (changed in place).

        ``extra`` holds the glyph keys of the extra rows (``spell_vector``,
        ``spell_number``), in their order.
        """
        rows = [
            list(str(k)),
            spell_vector(theta),
            spell_vector(grad),
            spell_number(lr, decimals=max(3, _decimals_for(lr))),
            spell_vector(theta_next) if theta_next is not None else ["-"],
            spell_number(loss, decimals=4),
            *extra,
        ]
        right_edge = self.background.get_right()[0] - 0.2
        for label, slot, keys in zip(self.labels, self.values, rows):
            equals = label[0][-1]
            left = label.get_right() + 0.15 * RIGHT
            slot.spell(keys, left, equals.get_center()[1], max_width=right_edge - left[0])
        return list(self.values)

    def set_status(self, text: str) -> VMobject:
        """Replace the status line (e.g. ``"converged at step 23"``)."""
        new = fit_width(plain_text(text, color=self.theme.muted, font_size=20), self.background.width - 0.5)
        self.status.become(new.next_to(self.labels, DOWN, buff=0.3).align_to(self.title, LEFT))
        return self.status


def _decimals_for(value: float) -> int:
    """Decimals needed to show a small hyperparameter like 0.0005 exactly."""
    text = f"{value:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0
