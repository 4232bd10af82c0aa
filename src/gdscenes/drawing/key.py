"""A key for drawn quantities: one row per colour, a short bar and a LaTeX label (a card like the panel's)."""

from __future__ import annotations

from collections.abc import Sequence

from manim import DOWN, LEFT, RIGHT, Line, VGroup

from gdscenes.drawing import type_scale
from gdscenes.drawing.card import PAD, card
from gdscenes.display.palette import Theme


#: Length of a row's bar of colour, and the space between it and the row's label (frame units).
SWATCH, SWATCH_GAP = 0.4, 0.15


class Key(VGroup):
    """Rows ``(colour, label LaTeX)``: what each drawn colour at the ball means."""

    def __init__(self, rows: Sequence[tuple[str, str]], theme: Theme, width: float | None = 5.0) -> None:
        """``width=None``: as wide as the rows need (a key placed on its own)."""
        super().__init__()
        entries = VGroup(*(
            VGroup(Line(LEFT * SWATCH / 2, RIGHT * SWATCH / 2, color=color, stroke_width=6),
                   type_scale.wrapped_math(label, (width or 20.0) - 2 * PAD - SWATCH - SWATCH_GAP, "caption", color=theme.text))
            .arrange(RIGHT, buff=SWATCH_GAP)
            for color, label in rows
        )).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        self.entries = entries
        # (as wide as the rows where a label cannot wrap to the width: no text past the card)
        self.background = card(entries, theme, max(width or 0.0, entries.width + 2 * PAD), extra_height=2 * PAD)
        self.add(self.background, entries)
