"""Keeping the balls in sight: the x-ray silhouettes' selection and geometry, and the ray
test that says when the surface covers a point (closed forms, no rendering; the frames
themselves are checked in tests/test_render_lessons.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from gdscenes.display.view import HeightMap, View
from gdscenes.display.visibility import hidden
from gdscenes.drawing.camera import BALL, ON_SURFACE
from gdscenes.drawing.gl import xray


class Fake:
    """Just what the x-ray reads of a mobject."""

    def __init__(self, layer: float, depth_test: bool = True, rgba: tuple[float, ...] = (1.0, 0.5, 0.0, 1.0),
                 centre: tuple[float, float, float] = (0.0, 0.0, 0.0), radius: float | None = 0.15, **flags: Any) -> None:
        self.gd_layer, self.depth_test = layer, depth_test
        self.data = {"rgbas": np.array([rgba])}
        self.centre = np.array(centre)
        if radius is not None:
            self.radius = radius
        self.__dict__.update(flags)

    def has_points(self) -> bool:
        return True

    def get_center(self) -> np.ndarray:
        return self.centre

    def get_width(self) -> float:
        return 0.5

    def get_height(self) -> float:
        return 0.4


def test_the_x_ray_takes_the_depth_tested_balls_and_what_is_marked() -> None:
    ball, trail = Fake(BALL), Fake(ON_SURFACE)
    flat = Fake(BALL, depth_test=False)  # a flat disc (Cairo's ball) is never covered: no x-ray
    marked, opted_out = Fake(ON_SURFACE, gd_xray=True), Fake(BALL, gd_xray=False)
    assert xray.targets([trail, ball, flat, marked, opted_out], BALL) == [ball, marked]


def test_x_ray_rows_carry_centre_radius_colour_and_skip_faded_balls() -> None:
    a = Fake(BALL, centre=(1.0, 2.0, 3.0), rgba=(0.1, 0.2, 0.3, 0.8))
    gone = Fake(BALL, rgba=(1.0, 1.0, 1.0, 0.0))
    unsized = Fake(BALL, radius=None)
    rows = xray.ball_rows([a, gone, unsized])
    assert rows.shape == (2, 8) and rows.dtype == np.float32
    assert rows[0].tolist() == np.array([1, 2, 3, 0.15, 0.1, 0.2, 0.3, 0.8], dtype=np.float32).tolist()
    assert rows[1][3] == np.float32(0.25)  # half its larger side


def test_the_silhouette_lies_inside_the_ball_so_a_ball_in_view_covers_it() -> None:
    # The sphere's outline seen in perspective is at least its radius around its centre:
    # every part of the disc (ring, edge) is within it.
    assert 0 < xray.RING_FROM < xray.RING_TO < xray.EDGE_TO < 1.0
    assert 0 < xray.FILL_OPACITY < 0.5  # the fill is a ghost: the ring carries the colour


def test_a_ray_through_a_ridge_is_covered_and_one_above_it_is_not() -> None:
    """A ridge z = 3 * (1 - |x|) (clipped at 0) across y; points behind it (x = -2) seen from
    +x at a low angle are covered, points high above it are not."""

    def ridge(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.maximum(0.0, 1.0 - np.abs(np.asarray(x, float))) + 0 * np.asarray(y, float)

    view = View(ridge, ((-3.0, 3.0), (-3.0, 3.0)), HeightMap(0.0, 1.0), width=6.0, depth=6.0, height=3.0)
    phi, theta = np.radians(80.0), 0.0  # from +x, 10 degrees above the horizon
    low = np.array([[-2.0, 0.0, 0.1]])
    high = np.array([[-2.0, 0.0, 6.0]])
    assert hidden(view, low, phi, theta)[0]
    assert not hidden(view, high, phi, theta)[0]
    # Seen from -x the same low point is in front of the ridge.
    assert not hidden(view, low, phi, np.pi)[0]


def test_clear_azimuth_casting_every_ray_at_once_picks_what_one_view_at_a_time_picks() -> None:
    """clear_azimuth casts the rays of all its candidates in one call: it must choose what the
    definition gives, worked out one candidate at a time with hidden, fully_visible and seen_length."""
    from gdscenes.display.visibility import (
        CLEARANCE, FORESHORTEN_COST, TURN_COST, clear_azimuth, eye, fully_visible, seen_length,
    )

    def bumps(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = np.asarray(x, float), np.asarray(y, float)
        return np.exp(-((x - 1.0) ** 2 + y**2)) + 0.8 * np.exp(-((x + 1.2) ** 2 + (y - 1.0) ** 2) / 0.5)

    view = View(bumps, ((-3.0, 3.0), (-3.0, 3.0)), HeightMap(0.0, 1.0), width=6.0, depth=6.0, height=2.5)
    t = np.linspace(0.0, 1.0, 40)
    xy = np.column_stack([-2.5 + 3.5 * t, -2.0 + 2.5 * t**2])
    points = np.column_stack([xy, view.z_of(xy[:, 0], xy[:, 1]) + 0.15])
    rests = points[-1:]
    paths = [points[::4]]
    phi, preferred = np.radians(70.0), np.radians(-60.0)
    views = [(phi, 0.0), (np.radians(65.0), 0.3)]
    chosen = []
    for eye_at in (None, lambda p, th: eye(p, th, 1.0, (2.0, 0.0), 8.0)):
        def cost(theta: float, eye_at: Any = eye_at) -> tuple[int, float, float]:
            turn = abs((theta - preferred + np.pi) % (2 * np.pi) - np.pi)
            blocked = sum(not fully_visible(view, c, 0.15, p, theta + dt, eye_at(p, theta + dt) if eye_at else None)
                          for c in rests for p, dt in views)
            share = float(hidden(view, points, phi, theta).mean())
            lost = 1.0 - seen_length(paths, phi, theta)
            return blocked, round(share + TURN_COST * turn / np.pi + FORESHORTEN_COST * lost, 9), turn

        candidates = preferred + np.radians(np.arange(-180, 180, 15))
        expected = min(candidates, key=cost)
        got = clear_azimuth(view, points, phi, preferred, rests=rests, radius=0.15, end_views=views, eye_at=eye_at,
                            paths=paths)
        assert got == expected
        chosen.append(got)
    assert any(c != preferred for c in chosen)  # (the surface matters here: not simply the preferred azimuth)
    assert CLEARANCE > 0
