"""The known minima, marked: a star on the surface, a cross on the floor below it, and the value.

Positions come from the :class:`~gdscenes.display.view.View` and the loss's
:attr:`~gdscenes.core.losses.Loss.minima` (a user's expression may have none:
then nothing is drawn). The opening reveals the markers
(:meth:`gdscenes.scenes.lesson.LessonScene.opening_marks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import RoundedRectangle, Star, VGroup

from gdscenes.drawing import type_scale
from gdscenes.drawing.camera import FLOOR, MARKS, set_layer
from gdscenes.drawing.polyline import Polyline
from gdscenes.display.palette import CARD_OPACITY, Theme
from gdscenes.display.view import View

#: Size of the star as seen (frame units; a ball is about 0.11) and of the cross (display units), and how far
#: the value is written above the star.
STAR_RADIUS = 0.12
CROSS_SIZE = 0.18
#: The value card stands this far above its star (display units at zoom 1): clear of a ball resting on the star.
LABEL_LIFT = 0.6
#: The star's fill and rim.
STAR_FILL, STAR_RIM = "#FFFFFF", "#000000"


def minimum_value_tex(f: float, kind: str) -> str:
    """The value written by a minimum: ``f^* = 0`` for a global one, ``f = 0.43`` for a local one."""
    value = 0.0 if abs(f) < 5e-5 else float(f"{f:.3g}")
    return rf"{'f^*' if kind == 'global' else 'f'} = {value:g}"


class MinimaMarks(VGroup):
    """Stars on the surface and crosses on the floor at ``minima``, with value labels.

    ``self.stars``, ``self.crosses`` and ``self.labels`` (camera-facing) are
    groups the scene adds (stars and labels kept facing the camera); ``self.points``
    holds the stars' display points and ``self.floor_points`` the crosses'. Stars and
    labels are sized for a camera of ``zoom``.
    """

    def __init__(self, view: View, minima: Sequence[Any], theme: Theme, zoom: float = 1.0) -> None:
        super().__init__()
        (x0, x1), (y0, y1) = view.domain
        inside = [m for m in minima if x0 <= m.x <= x1 and y0 <= m.y <= y1]
        self.minima = inside
        self.stars, self.crosses, self.labels = VGroup(), VGroup(), VGroup()
        self.points = np.zeros((0, 3))
        self.floor_points = np.zeros((0, 3))
        if not inside:
            return
        xs, ys = np.array([m.x for m in inside]), np.array([m.y for m in inside])
        self.points = view.surface_points(xs, ys, lift=0.02)
        self.floor_points = view.floor_points(xs, ys, lift=0.01)
        color = theme.text  # (the crosses lie on the floor, in the text's colour)
        for m, top, bottom in zip(inside, self.points, self.floor_points):
            # White with a black rim: it stands out on the surface's colours wherever a minimum lies, in both themes.
            star = Star(5, outer_radius=STAR_RADIUS / zoom, density=2, color=STAR_FILL, fill_opacity=1.0,
                        stroke_color=STAR_RIM, stroke_width=2).move_to(top)
            self.stars.add(star)
            d = CROSS_SIZE / 2
            cross = Polyline(np.array([bottom + [-d, -d, 0], bottom + [d, d, 0]]), stroke_color=color, stroke_width=3)
            cross.start_new_path(bottom + [-d, d, 0])
            cross.add_line_to(bottom + [d, -d, 0])
            self.crosses.add(cross)
            tex = type_scale.math(minimum_value_tex(m.f, m.kind), "caption", color=theme.text)
            # On a small card of the theme's panel colour: legible over any part of the surface.
            plate = RoundedRectangle(corner_radius=0.06, width=tex.width + 0.16, height=tex.height + 0.12, stroke_width=0,
                                     fill_color=theme.panel, fill_opacity=CARD_OPACITY).move_to(tex)
            label = VGroup(plate, tex).scale(1 / zoom)
            self.labels.add(label.move_to(top + np.array([0.0, 0.0, LABEL_LIFT / zoom])))
        set_layer(self.crosses, FLOOR)
        self.crosses.gd_bake = True  # under OpenGL: painted into the floor's texture (again only while they change)
        set_layer(self.stars, MARKS)
        set_layer(self.labels, MARKS)
        self.stars.gd_billboards = True  # under OpenGL: camera-facing quads (a star seen face on)
        self.labels.gd_billboards = True
        self.add(self.crosses, self.stars, self.labels)
