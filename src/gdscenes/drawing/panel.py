"""The equation panel: the optimizer's update rule and the live numbers of a step.

The panel only displays numbers it is given (those of the trajectory); it
computes nothing. Labels are typeset once; each step re-spells the value rows
from glyphs typeset once (:mod:`gdscenes.drawing.glyphs`), so a step costs no
LaTeX run and no copy. The scene keeps the panel fixed in frame.
"""

from __future__ import annotations

import math

from collections.abc import Mapping, Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UL, VGroup, VMobject

from gdscenes.drawing import type_scale
from gdscenes.drawing.card import PAD, card
from gdscenes.drawing.glyphs import GlyphString, spell_number, spell_vector
from gdscenes.drawing.polyline import Polyline
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
        First line, LaTeX text (``$...$`` for math; e.g. ``"Gradient descent on Himmelblau"``);
        wrapped at the title size, never shrunk.
    rule_latex
        The optimizer's update rule (lines separated by ``\\``), at the body size.
    theme
        Colours.
    width
        Width of the panel in frame units; the text keeps its size (:mod:`~gdscenes.drawing.type_scale`).
    extra_rows
        More ``(key, label LaTeX ending in "=")`` rows under the usual ones
        (an optimizer's state, the curvature), filled by ``show_step(extra=...)``.
    colors
        Colour of a row's label and numbers by key (default: ``theta`` and ``next``
        like the ball, which they name); the others are muted labels and text numbers.
    """

    def __init__(
        self, title: str, rule_latex: str, theme: Theme, width: float = 5.0,
        extra_rows: Sequence[tuple[str, str]] = (), colors: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.theme = theme
        self.rows = (*ROWS, *extra_rows)
        inner = width - 2 * PAD
        coloured = {"theta": theme.ball, "next": theme.ball, **(colors or {})}
        self.title = type_scale.title(title, inner, theme.text)
        self.rule = rule_block(rule_latex, inner, theme.text)
        self.labels = VGroup(*(type_scale.math(tex, "body", color=coloured.get(key, theme.muted)) for key, tex in self.rows))
        self.labels.arrange(DOWN, aligned_edge=RIGHT, buff=0.7 * type_scale.height("body"))
        scale = type_scale.math_scale("body")
        self.values = VGroup(*(GlyphString(coloured.get(key, theme.text), scale) for key, _ in self.rows))
        self.status: VMobject = Polyline()
        body = VGroup(self.title, self.rule, self.labels).arrange(DOWN, aligned_edge=LEFT, buff=1.0 * type_scale.height("body"))
        self.labels.shift(0.2 * RIGHT)
        self.content = VGroup(body, self.values, self.status)
        self.background = card(body, theme, width, extra_height=2 * PAD + 2.6 * type_scale.height("caption"))
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
        new = type_scale.text(text, "caption", color=self.theme.muted)
        self.status.become(new.next_to(self.labels, DOWN, buff=1.0 * type_scale.height("body")).align_to(self.title, LEFT))
        return self.status


def rule_block(rule_latex: str, width: float, color: str) -> VMobject:
    """The update rule, ``width`` wide at most: equations joined by ``, \\quad`` on a line too wide
    go on lines of their own; at the body size if it is one or two lines that fit, else at the caption size; a rule still too
    wide (NAdam's) is the one thing scaled down to fit."""
    lines: list[str] = []
    for line in rule_latex.split(r"\\"):
        parts = line.split(r", \quad")
        if len(parts) == 1 or type_scale.math(line, "caption").width <= width:
            lines.append(line.strip())
            continue
        lines.append(parts[0].strip())
        lines += [part.strip() if "&" in part else part.strip().replace("=", "&=", 1) for part in parts[1:]]
    latex = r" \\ ".join(lines)
    rule = type_scale.math(latex, "body", color=color)
    if len(lines) > 2 or rule.width > width:
        rule = type_scale.math(latex, "caption", color=color)
    if rule.width > width:
        rule.scale_to_fit_width(width)
    return rule


def _decimals_for(value: float) -> int:
    """Decimals needed to show a small hyperparameter like 0.0005 exactly, and no more than three
    significant digits need (a scheduled rate such as 0.1190838939 shows as 0.119)."""
    text = f"{value:.10f}".rstrip("0")
    exact = len(text.split(".")[1]) if "." in text else 0
    if value == 0 or not math.isfinite(value):
        return exact
    return min(exact, max(0, 2 - math.floor(math.log10(abs(value)))))
