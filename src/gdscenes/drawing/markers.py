"""The known minima, marked: a star on the surface, a cross on the floor below it, and the value.

Positions come from the :class:`~gdscenes.display.view.View` and the loss's
:attr:`~gdscenes.core.losses.Loss.minima` (a user's expression may have none:
then nothing is drawn). The opening reveals the markers
(:meth:`gdscenes.scenes.lesson.LessonScene.opening_marks`).

The value card stands beside its star on screen, not above it in space: balls
that end at a minimum rest on its star, so a card lifted above the star covers
them (or they cover it), however high it is lifted, from some view. A card faces
the camera (both renderers draw it around its centre, projected, keeping its own
layout on screen); an invisible copy of its plate, mirrored through the star,
keeps that centre at the star, so the card keeps a fixed offset from the star on
screen whatever the camera does. :meth:`MinimaMarks.keep_clear` chooses each
card's side from where the balls end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import Star, VGroup, config

from gdscenes.drawing import type_scale
from gdscenes.drawing.card import leader_ends, leader_line, plate, show_leader
from gdscenes.drawing.camera import FLOOR, MARKS, Shot, faces_camera, project, set_layer
from gdscenes.drawing.polyline import Polyline
from gdscenes.display.palette import Theme
from gdscenes.display.view import View
from gdscenes.display.visibility import screen_axes

#: Size of the star as seen (frame units; a ball is about 0.11) and of the cross (display units).
STAR_RADIUS = 0.12
CROSS_SIZE = 0.18
#: The least gap on screen (frame units) between a value card and its star, a ball or an iterate.
CARD_GAP = 0.08
#: What an obstacle's box (an axis label) is widened by on each side (frame units): this projection leaves out
#: OpenGL's stronger perspective, which moves a label at the floor's corner up to about 0.13 from where it is
#: reckoned (loss-curve in a square frame).
OBSTACLE_MARGIN = 0.15
#: How many of each path's last iterates a card keeps clear of (besides where the ball rests).
LAST_ITERATES = 3
#: Half the width (frame units) of an outline a card keeps clear of (:meth:`MinimaMarks.keep_clear`'s ``outlines``).
OUTLINE_WIDTH = 0.03
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
        self.star_radius = STAR_RADIUS / zoom  # (on screen: the stars face the camera)
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
            backing = plate(tex, theme)
            # The plate's invisible twin, mirrored through the star: the label's centre stays at the star.
            twin = backing.copy().set_fill(opacity=0.0).set_stroke(width=0, opacity=0.0)
            label = VGroup(backing, tex, twin, leader_line(theme, backing.get_center())).scale(1 / zoom)
            self.labels.add(label.move_to(top))
            self.set_offset(label, np.array([STAR_RADIUS / zoom + CARD_GAP + backing.width / 2, 0.0]))
        set_layer(self.crosses, FLOOR)
        self.crosses.gd_bake = True  # under OpenGL: painted into the floor's texture (again only while they change)
        set_layer(self.stars, MARKS)
        set_layer(self.labels, MARKS)
        self.stars.gd_billboards = True  # under OpenGL: camera-facing quads (a star seen face on)
        self.labels.gd_billboards = True
        self.add(self.crosses, self.stars, self.labels)

    # -- where the cards stand ----------------------------------------------------------
    @staticmethod
    def anchor(label: VGroup) -> np.ndarray:
        """The point a value card is drawn beside (its star, or where a lesson moved the label)."""
        plate, _, twin = label.submobjects[:3]
        return np.asarray((plate.get_center() + twin.get_center()) / 2)

    @staticmethod
    def offset(label: VGroup) -> np.ndarray:
        """Where the card stands from its anchor on screen, (x, y) in frame units."""
        plate = label.submobjects[0]
        return np.asarray(plate.get_center() - MinimaMarks.anchor(label))[:2]

    @staticmethod
    def set_offset(label: VGroup, offset: np.ndarray) -> None:
        """Stand ``label``'s card at ``offset`` (frame units on screen) from its anchor, the twin mirrored."""
        plate, tex, twin = label.submobjects[:3]
        anchor = MinimaMarks.anchor(label)
        move = np.array([*offset, 0.0])
        shift = anchor + move - plate.get_center()
        plate.shift(shift)
        tex.shift(shift)
        twin.set_points(plate.points)  # (the plate's size, were it stretched)
        twin.move_to(anchor - move)

    def keep_clear(self, balls: Sequence[Any], shot: Shot, region: tuple[float, float, float, float] | None = None,
                   obstacles: Sequence[Any] = (), outlines: Sequence[np.ndarray] = ()) -> None:
        """Stand each value card beside its star on the side where, seen from ``shot`` (the camera at the
        clip's end), it covers no resting ball, no path's last iterates, no other star, no other card, none
        of ``obstacles`` (camera-facing mobjects at display points: the axes' labels) and no line of
        ``outlines`` (display points along a shape drawn at the end: the curvature ellipse around the resting
        ball), and lies inside ``region`` (centre x, centre y, width, height of the landscape's part of the frame).

        ``balls`` have ``centres`` (display points, ``per_step`` of them a step, the last where the ball
        rests) and ``radius``; one that ``exits`` the landscape is left out (it fades away)."""
        if not self.minima:
            return
        phi, theta = shot.angles()
        pivot = project(np.asarray(shot.pivot, dtype=float), phi, theta)[0]
        _, across, _ = screen_axes(phi, theta)

        def on_screen(points: np.ndarray) -> np.ndarray:  # frame coordinates at the shot
            return shot.zoom * (project(points, phi, theta) - pivot) + np.asarray(shot.screen_offset)

        discs = []  # (centre on screen, radius on screen)
        for ball in balls:
            centres = np.asarray(getattr(ball, "centres", np.zeros((0, 3))), dtype=float).reshape(-1, 3)
            if getattr(ball, "exits", False) or not len(centres):
                continue
            per = max(int(getattr(ball, "per_step", 1)), 1)
            steps = (len(centres) - 1) // per
            rows = sorted({len(centres) - 1, *(k * per for k in range(max(steps - LAST_ITERATES, 0), steps + 1))})
            radius = float(getattr(ball, "radius", 0.15))
            points = centres[rows]
            at, rims = on_screen(points), on_screen(points + radius * across)
            # A sphere (OpenGL) is seen as the camera sees it; a disc kept facing the camera (Cairo) keeps its size.
            discs += [(p, radius if faces_camera() else float(np.linalg.norm(q - p))) for p, q in zip(at, rims)]
        shapes = []  # each outline on screen: its corners, and points between them (a card never lies across a side)
        for outline in outlines:
            points = np.asarray(outline, dtype=float).reshape(-1, 3)
            along = np.linspace(0.0, 1.0, 4)[None, :, None]
            between = (points[:-1, None] + along * np.diff(points, axis=0)[:, None]).reshape(-1, 3)
            shapes.append(on_screen(np.vstack([points, between])))
            discs += [(p, OUTLINE_WIDTH) for p in shapes[-1]]
        anchors = on_screen(np.array([self.anchor(label) for label in self.labels]))
        star = self.star_radius
        # Cards already placed and the obstacles: (centre, half size) on screen.
        taken: list[tuple[np.ndarray, np.ndarray]] = [
            (on_screen(np.asarray(o.get_center())[None])[0], np.array([o.width, o.height]) / 2 * shot.zoom + OBSTACLE_MARGIN)
            for o in obstacles if o.width > 0]
        for i, label in enumerate(self.labels):
            half = np.array([label.submobjects[0].width, label.submobjects[0].height]) / 2
            here = anchors[i]
            avoid = [*discs, *((a, star) for j, a in enumerate(anchors) if j != i)]
            # Clear of the star and of the balls resting on it (a ball's centre is a radius above the surface).
            near = [np.abs(p - here) + r for p, r in discs if np.linalg.norm(p - here) < star + r]
            snug = float(np.max([np.full(2, star), *near])) + 2 * CARD_GAP  # (a card as near as the balls let it stands at it)
            # An outline drawn around the star (the ellipse around the resting ball): the card stands just outside it.
            near += [np.abs(p - here) + OUTLINE_WIDTH for shape in shapes
                     if np.all(shape.min(axis=0) <= here) and np.all(here <= shape.max(axis=0)) for p in shape]
            reach = np.max([np.full(2, star), *near], axis=0) + CARD_GAP  # across, up
            away = -1.0 if sum(p[0] - here[0] for p, r in discs if np.linalg.norm(p - here) < 2.0) > 0 else 1.0
            beside, up = reach[0] + half[0], reach[1] + half[1]
            candidates = [np.array(c) for c in (
                (away * beside, 0.0), (-away * beside, 0.0),
                (away * beside, half[1] + CARD_GAP), (-away * beside, half[1] + CARD_GAP),
                (0.0, up), (0.0, -up),
                (away * beside, -half[1] - CARD_GAP), (-away * beside, -half[1] - CARD_GAP),
                (away * (beside + 2 * half[0]), 0.0), (-away * (beside + 2 * half[0]), 0.0),
            )]

            def clearance(offset: np.ndarray, here: np.ndarray = here, half: np.ndarray = half,
                          avoid: list[Any] = avoid) -> float:
                centre = here + offset
                gaps = [_box_gap(centre, half, p, r) for p, r in avoid]
                gaps += [float(np.max(np.abs(centre - c) - half - h)) for c, h in taken]
                return min(gaps, default=np.inf)

            def inside(offset: np.ndarray, here: np.ndarray = here, half: np.ndarray = half) -> bool:
                cx, cy, w, h = region if region is not None else (0.0, 0.0, float(config.frame_width),
                                                                   float(config.frame_height))
                low, high = here + offset - half, here + offset + half
                return bool(low[0] >= cx - w / 2 and high[0] <= cx + w / 2 and low[1] >= cy - h / 2 and high[1] <= cy + h / 2)

            gaps = [clearance(c) for c in candidates]
            clear = [c for c, g in zip(candidates, gaps) if g >= CARD_GAP - 1e-9]
            best = next((c for c in clear if inside(c)), clear[0] if clear else candidates[int(np.argmax(gaps))])
            self.set_offset(label, best)
            self.lead(label, snug)
            taken.append((here + best, half))

    def lead(self, label: VGroup, touch: float) -> None:
        """Give ``label``'s card a leader line to its star (:func:`~gdscenes.drawing.card.leader_line`) where the card
        stands further than ``touch`` from it (pushed away by an outline, a ball's path, another card); else it is hidden."""
        show_leader(label.submobjects[3], leader_ends(label.submobjects[0], self.anchor(label), touch, self.star_radius))


def _box_gap(centre: np.ndarray, half: np.ndarray, point: np.ndarray, radius: float) -> float:
    """How far the disc at ``point`` (``radius``) keeps from the box at ``centre`` (half sizes ``half``);
    negative where they overlap."""
    outside = np.maximum(np.abs(point - centre) - half, 0.0)
    if outside.any():
        return float(np.linalg.norm(outside)) - radius
    return -radius - float(np.min(half - np.abs(point - centre)))
