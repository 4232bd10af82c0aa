"""The colour bar: the surface's colours against the loss, with the height axis' ticks.

A horizontal strip of the colormap (as many cells as the surface has colour
stops, so it reads the same under both renderers: no gradients), tick marks
and values where :func:`~gdscenes.drawing.landscape.height_ticks` puts the
height axis' ticks, and the name ``f``; under them, when the heights are not the loss as it is,
the height note (:meth:`~gdscenes.display.view.View.note`: clipped, logarithmic).
The scene keeps it fixed in frame, top right (upright beside the landscape in a square frame).
"""

from __future__ import annotations


import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, UR, Line, Rectangle, VGroup, VMobject

from gdscenes.drawing import type_scale
from gdscenes.drawing.landscape import height_ticks, round_tick, tick_text
from gdscenes.display.palette import Theme, colormap, rgb_to_hex
from gdscenes.drawing.polyline import Polyline
from gdscenes.display.view import View

#: Length and thickness of the strip (frame units, in a frame whose shorter side is 8), and its cells.
LENGTH = 2.6
THICKNESS = 0.16
CELLS = 24
#: Width the height note of an upright bar wraps to (frame units, shorter side 8).
NOTE_WIDTH = 1.4


def merged(mobject: VMobject, **style: object) -> Polyline:
    """All the outlines of ``mobject``'s family as subpaths of one mobject (one draw, and one
    digest per frame under OpenGL, instead of one per glyph), styled by ``style``."""
    line = Polyline(None, **style)
    for part in mobject.family_members_with_points():
        line.append_vectorized_mobject(part)
    return line


class ColourBar(VGroup):
    """The colour key of the surface: strip, ticks, values, ``f``.

    ``upright``: the strip stands (low values at the bottom), its ticks and values
    on its right and ``f`` above it (beside the landscape of a square frame);
    otherwise it lies across, values under it and ``f`` on its left.
    """

    def __init__(self, view: View, theme: Theme, upright: bool = False, name: str = "f", length: float = LENGTH) -> None:
        super().__init__()
        self.upright = upright
        unit = type_scale.shorter_side() / 8.0
        length, thickness = length * unit, THICKNESS * unit
        edges = np.linspace(0.0, 1.0, CELLS + 1)

        def at(along: float, across: float = 0.0) -> list[float]:
            """A point ``along`` the strip from its low end and ``across`` it (negative: towards the values)."""
            return [-across, along, 0.0] if upright else [along, across, 0.0]

        def size(along: float, across: float) -> dict[str, float]:
            return {"width": across, "height": along} if upright else {"width": along, "height": across}

        self.cells = VGroup(*(
            Rectangle(**size(length / CELLS * 1.02, thickness), stroke_width=0,
                      fill_color=rgb_to_hex(colormap((a + b) / 2)), fill_opacity=1.0).move_to(at((a + b) / 2 * length))
            for a, b in zip(edges[:-1], edges[1:])
        ))
        self.outline = Rectangle(**size(length, thickness), stroke_color=theme.axes, stroke_width=1.5).move_to(at(length / 2))
        self.ticks, self.values = VGroup(), VGroup()
        self.tick_heights: list[tuple[float, float]] = []
        outward = RIGHT if upright else DOWN
        for value, z in height_ticks(view):
            x = z / view.height * length
            self.tick_heights.append((value, z / view.height))
            self.ticks.add(Line(at(x, -thickness / 2), at(x, -thickness / 2 - 0.08 * unit), color=theme.axes, stroke_width=1.5))
            label = type_scale.math(tick_text(round_tick(value)), "caption", color=theme.muted)
            label.next_to(at(x, -thickness / 2 - 0.08 * unit), outward, buff=0.06 * unit)
            # One mobject a label (the renderer digests every mobject of the frame's text each frame).
            self.values.add(merged(label, fill_color=theme.muted, fill_opacity=1.0, stroke_width=0))
        self._spread(self.values, 0.15 * unit, upright)
        self.name = type_scale.math(name, "body", color=theme.text).next_to(self.outline, UP if upright else LEFT,
                                                                           buff=0.2 * unit)
        self.tick_marks = self.ticks
        self.add(self.cells, self.outline, merged(self.ticks, stroke_color=theme.axes, stroke_width=1.5), self.values,
                 self.name)
        # How the heights are drawn (clipped, logarithmic), under the bar at the caption size, wrapped to
        # the bar's width (upright: to :data:`NOTE_WIDTH`); nothing for a surface whose height is the loss.
        self.note: VMobject | None = None
        parts = view.note_parts()
        if parts:
            lines = note_lines(parts, NOTE_WIDTH * unit if upright else self.width, name, theme.muted)
            lines.next_to(self, DOWN, buff=0.2 * unit).align_to(self, RIGHT)
            self.note = merged(lines, fill_color=theme.muted, fill_opacity=1.0, stroke_width=0)
            self.add(self.note)

    @staticmethod
    def _spread(values: VGroup, gap: float, upright: bool = False) -> None:
        """Drop values that would overlap the one before (along the strip)."""
        kept_end = -np.inf
        for v in list(values):
            start, end = (v.get_bottom()[1], v.get_top()[1]) if upright else (v.get_left()[0], v.get_right()[0])
            if start < kept_end + gap:
                values.remove(v)
            else:
                kept_end = end

    def place(self, buff: float = 0.3) -> ColourBar:
        """Top right of the frame."""
        self.to_corner(UR, buff=buff)
        return self


def note_latex(parts: tuple[str, float], name: str = "f") -> str:
    """A view's note (:meth:`~gdscenes.display.view.View.note_parts`) as LaTeX text, its value typeset:
    ``height flattened above~$f = 385$`` (``name`` for the height's ``f``; ``1.5e+04`` as ``1.5\\times 10^{4}``)."""
    text, value = parts
    return text.format(name=name, value=tick_text(value))


def note_lines(parts: tuple[str, float], width: float, name: str = "f", color: str = "#FFFFFF") -> VGroup:
    """A view's note (:func:`note_latex`) in lines of caption-size ``color`` text, right-aligned, wrapped to ``width``
    between phrases: each clause on a line of its own, a value with its word where the line has room for both
    (:func:`~gdscenes.drawing.type_scale.wrapped_latex`)."""
    lines = type_scale.wrapped_latex(note_latex(parts, name), width,
                                     lambda line: type_scale.latex(line, "caption", color=color), clause_lines=True)
    for line in lines:
        line.align_to(lines, RIGHT)
    return lines


def colour_bar(view: View, theme: Theme, upright: bool = False, name: str = "f", length: float = LENGTH) -> ColourBar:
    """The colour bar placed top right (a layout may move it: :meth:`~gdscenes.drawing.layout.Layout.place_key`);
    ``name`` is the height's (``f``, or ``J`` for a model's cost), on the bar and in its note; ``length``: the strip's
    (frame units, in a frame whose shorter side is 8)."""
    return ColourBar(view, theme, upright, name, length).place(0.3 * type_scale.shorter_side() / 8.0)
