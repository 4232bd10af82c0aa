"""The card behind every text block (update panel, legend, loss curve): one look for all."""

from __future__ import annotations

from manim import LEFT, UP, Mobject, RoundedRectangle

from gdscenes.display.palette import Theme

#: Space between a card's edge and its contents (left and top).
PAD = 0.25


def card(body: Mobject, theme: Theme, width: float, extra_height: float = 0.5) -> RoundedRectangle:
    """A rounded card ``width`` wide whose top-left corner is :data:`PAD` outside ``body``'s.

    ``extra_height`` is added to ``body``'s height (room for the padding and
    for lines the block fills in later, like a status line).
    """
    background = RoundedRectangle(
        corner_radius=0.15, width=width, height=body.height + extra_height,
        fill_color=theme.panel, fill_opacity=0.88, stroke_color=theme.axes, stroke_width=1,
    )
    return background.align_to(body, UP).shift(PAD * UP).align_to(body, LEFT).shift(PAD * LEFT)


def fit_width(mobject: Mobject, width: float) -> Mobject:
    """Shrink ``mobject`` to ``width`` if it is wider; returns it."""
    if mobject.width > width:
        mobject.scale_to_fit_width(width)
    return mobject
