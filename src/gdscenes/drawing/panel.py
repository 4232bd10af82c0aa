"""The equation panel: the optimizer's update rule and the live numbers of a step.

The panel only displays numbers it is given (those of the trajectory); it
computes nothing. Labels are typeset once; each step rebuilds only the value
column, whose digits come from manim's glyph cache, so a step costs no LaTeX
run. The scene keeps the panel fixed in frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UL, UP, DecimalNumber, MathTex, RoundedRectangle, Text, VGroup, VMobject

from gdscenes.drawing.polyline import Polyline
from gdscenes.palette import Theme

#: Numbers at least this large are shown in scientific notation.
SCIENTIFIC_FROM = 1e4

ROWS: tuple[tuple[str, str], ...] = (
    ("k", r"k ="),
    ("theta", r"\theta_k ="),
    ("grad", r"\nabla f(\theta_k) ="),
    ("lr", r"\eta ="),
    ("next", r"\theta_{k+1} ="),
    ("loss", r"f(\theta_k) ="),
)


def number(value: float, theme: Theme, decimals: int = 3) -> VMobject:
    """One number as a mobject: fixed decimals, or ``a \\times 10^{b}`` when large."""
    if not np.isfinite(value):
        return MathTex(r"\text{--}", color=theme.text)
    if abs(value) >= SCIENTIFIC_FROM:
        mantissa, exponent = f"{value:.2e}".split("e")
        return MathTex(rf"{mantissa}\times 10^{{{int(exponent)}}}", color=theme.text)
    return DecimalNumber(value, num_decimal_places=decimals, color=theme.text)


def vector(values: Sequence[float], theme: Theme) -> VGroup:
    """``(a, b)`` with each entry a :func:`number`."""
    parts: list[VMobject] = [MathTex("(", color=theme.text)]
    for i, v in enumerate(values):
        if i:
            parts.append(MathTex(",", color=theme.text))
        parts.append(number(float(v), theme))
    parts.append(MathTex(")", color=theme.text))
    group = VGroup(*parts).arrange(RIGHT, buff=0.08)
    for comma in parts[2:-1:2]:
        comma.align_to(parts[1], DOWN).shift(0.06 * DOWN)
        for after in parts[parts.index(comma) + 1 :]:
            after.shift(0.12 * RIGHT)
    return group


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
    """

    def __init__(self, title: str, rule_latex: str, theme: Theme, width: float = 5.0) -> None:
        super().__init__()
        self.theme = theme
        self.title = Text(title, color=theme.text, font_size=24, weight="BOLD")
        if self.title.width > width - 0.5:
            self.title.scale_to_fit_width(width - 0.5)
        self.rule = MathTex(rule_latex, color=theme.text).scale(0.72)
        if self.rule.width > width - 0.5:
            self.rule.scale_to_fit_width(width - 0.5)
        self.labels = VGroup(*(MathTex(tex, color=theme.muted).scale(0.62) for _, tex in ROWS))
        self.labels.arrange(DOWN, aligned_edge=RIGHT, buff=0.2)
        self.values = VGroup(*(Polyline() for _ in ROWS))
        self.status: VMobject = Polyline()
        body = VGroup(self.title, self.rule, self.labels).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        self.labels.shift(0.2 * RIGHT)
        self.content = VGroup(body, self.values, self.status)
        self.background = RoundedRectangle(
            corner_radius=0.15, width=width, height=body.height + 1.1,
            fill_color=theme.panel, fill_opacity=0.88, stroke_color=theme.axes, stroke_width=1,
        )
        self.background.align_to(body, UP).shift(0.25 * UP).align_to(body, LEFT).shift(0.25 * LEFT)
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
    ) -> list[VMobject]:
        """Show the numbers of step ``k``; returns the value slots.

        The slots are changed in place (``become``): the Cairo renderer keeps
        the list of mobjects it draws from the start of an animation, so a
        replaced mobject would stay on screen beside its successor.
        """
        t = self.theme
        new = [
            MathTex(str(k), color=t.text),
            vector(theta, t),
            vector(grad, t),
            number(lr, t, decimals=max(3, _decimals_for(lr))),
            vector(theta_next, t) if theta_next is not None else MathTex(r"\text{--}", color=t.text),
            number(loss, t, decimals=4),
        ]
        right_edge = self.background.get_right()[0] - 0.2
        for label, slot, mob in zip(self.labels, self.values, new):
            mob.scale(0.62).next_to(label, RIGHT, buff=0.15)
            room = right_edge - mob.get_left()[0]
            if mob.width > room:  # huge numbers of a diverging run: shrink, never overflow
                mob.scale_to_fit_width(room).next_to(label, RIGHT, buff=0.15)
            slot.become(mob)
        return list(self.values)

    def set_status(self, text: str) -> VMobject:
        """Replace the status line (e.g. ``"converged at step 23"``)."""
        new = Text(text, color=self.theme.muted, font_size=20)
        self.status.become(new.next_to(self.labels, DOWN, buff=0.3).align_to(self.title, LEFT))
        return self.status


def _decimals_for(value: float) -> int:
    """Decimals needed to show a small hyperparameter like 0.0005 exactly."""
    text = f"{value:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0
