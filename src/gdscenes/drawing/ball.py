"""A ball rolling along one trajectory: the ball, its trail on the surface, its
shadow path and shadow on the contour floor.

The path between two iterates is the straight segment in the plane, lifted
onto the surface, so the ball hugs the surface while it moves; all positions
are computed once from the :class:`~gdscenes.display.view.View` and looked up per frame.
"""

from __future__ import annotations

import math

import numpy as np
from manim import PI, TAU, Circle, Group, Mobject, VGroup, VMobject, config, smooth
from manim.mobject.opengl.opengl_surface import OpenGLSurface

from gdscenes.drawing.camera import BALL, FLOOR, ON_SURFACE, faces_camera, set_layer
from gdscenes.drawing.polyline import Polyline
from gdscenes.display.palette import Theme
from gdscenes.display.view import View, path_samples

#: Display units the trail floats above the surface (avoids z-fighting).
TRAIL_LIFT = 0.02
#: Trail points closer than this many pixels (at the frame's own scale) to the last
#: one kept are left out of the drawn polyline, which then strays from the full
#: one by less than that: the line looks the same, but a run of thousands of short
#: steps is not drawn as tens of thousands of segments a frame.
TRAIL_SPACING_PIXELS = 0.4


def trail_spacing() -> float:
    """:data:`TRAIL_SPACING_PIXELS` in display units at the configured resolution (0.003 at 1080p)."""
    return TRAIL_SPACING_PIXELS * config.frame_height / config.pixel_height


def ball_mobject(radius: float, color: str, theme: Theme) -> Mobject:
    """The ball: a real sphere under OpenGL (its depth buffer hides it exactly
    where the surface is in front), a flat disc shaded like a sphere under
    Cairo, meant to be kept facing the camera (see :func:`faces_camera`).
    """
    if not faces_camera():
        return SphereMesh(radius, color)
    body = Circle(radius=radius, stroke_color=theme.background, stroke_width=1.5)
    body.set_fill([theme.ball_highlight, color, color], opacity=1.0)
    body.set_sheen_direction(np.array([-1.0, 1.0, 0.0]))
    glint = Circle(radius=radius * 0.28, stroke_width=0).set_fill(theme.ball_highlight, opacity=0.9)
    glint.move_to(body.get_center() + radius * np.array([-0.38, 0.38, 0.0]))
    return VGroup(body, glint)


class SphereMesh(OpenGLSurface):
    """A sphere as one depth-tested triangle mesh (manim's ``Sphere`` is one
    mobject per face, hundreds of draw calls under OpenGL)."""

    def __init__(self, radius: float, color: str, resolution: tuple[int, int] = (32, 16)) -> None:
        self.radius = radius
        pole = 1e-3  # keep the shader's finite-difference normals defined at the poles
        super().__init__(
            uv_func=self._point, u_range=(0, TAU), v_range=(pole, PI - pole), resolution=resolution,
            color=color, gloss=0.5, shadow=0.1,
        )

    def _point(self, u: float, v: float) -> np.ndarray:
        return self.radius * np.array([np.cos(u) * np.sin(v), np.sin(u) * np.sin(v), -np.cos(v)])


class RollingBall(Group):
    """Ball, trail and floor shadow of one start point.

    Parameters
    ----------
    view
        Geometry of the landscape.
    path
        The iterates of one start, shape ``(K + 1, 2)``.
    theme
        Colours; ``color`` overrides the ball's and the trail's.
    radius
        Ball radius in display units.
    samples_per_step
        How finely each step is drawn along the surface.
    exit_step
        The first iterate outside the drawn domain (see
        :func:`gdscenes.core.outcomes.exit_step`): the ball rolls to where that step
        crosses the domain's edge and fades out over it, leaving the surface
        instead of being drawn at clamped (or non-finite) positions.
    """

    def __init__(
        self,
        view: View,
        path: np.ndarray,
        theme: Theme,
        color: str | None = None,
        radius: float = 0.15,
        samples_per_step: int = 12,
        trail_width: float = 4.0,
        exit_step: int | None = None,
        shadow_color: str | None = None,
    ) -> None:
        super().__init__()
        color = color or theme.ball
        self.color = color
        self.opacity = 1.0
        self.exits = exit_step is not None and 0 < exit_step < len(path)
        if self.exits:
            path = np.vstack([path[:exit_step], edge_crossing(view.domain, path[exit_step - 1], path[exit_step])])
        self.radius = radius
        self.per_step = samples_per_step
        self.n_steps = len(path) - 1
        dense = path_samples(path, samples_per_step)
        self.centres = view.resting_points(dense[:, 0], dense[:, 1], radius)
        self._on_surface = view.surface_points(dense[:, 0], dense[:, 1], lift=TRAIL_LIFT)
        self._on_floor = view.floor_points(dense[:, 0], dense[:, 1], lift=0.01)

        self.trail = set_layer(Polyline(stroke_color=color, stroke_width=trail_width), ON_SURFACE)
        self.floor_path = set_layer(Polyline(stroke_color=shadow_color or theme.shadow, stroke_width=trail_width * 0.7), FLOOR)
        self.floor_dot = set_layer(
            Circle(radius=radius * 0.8, stroke_width=0).set_fill(shadow_color or theme.shadow, opacity=0.9), FLOOR
        )
        self.ball = set_layer(ball_mobject(radius, color, theme), BALL)
        # (each line, the points it runs through, and which of them are drawn)
        self._lines = [(line, points, spaced(points, trail_spacing()))
                       for line, points in ((self.trail, self._on_surface), (self.floor_path, self._on_floor))]
        self.add(self.floor_path, self.floor_dot, self.trail, self.ball)
        self.set_time(0.0)

    def set_time(self, t: float, eased: bool = True) -> RollingBall:
        """Place everything at time ``t`` in steps (``0 <= t <= K``).

        With ``eased``, the ball starts and stops smoothly inside each step, so
        every iterate reads as a discrete move.
        """
        t = float(np.clip(t, 0.0, self.n_steps))
        k = min(int(t), max(self.n_steps - 1, 0))
        frac = t - k
        if eased:
            frac = smooth(frac)
        s = (k + frac) * self.per_step
        i = min(int(s), len(self.centres) - 1)
        w = s - i
        j = min(i + 1, len(self.centres) - 1)

        def at(points: np.ndarray) -> np.ndarray:
            return points[i] * (1 - w) + points[j] * w

        self.ball.move_to(at(self.centres))
        if self.exits:
            self.opacity = 1.0 - smooth(float(np.clip(t - (self.n_steps - 1), 0.0, 1.0)))
            self.ball.set_opacity(self.opacity)
            self.floor_dot.set_fill(opacity=0.9 * self.opacity)
        self.floor_dot.move_to(at(self._on_floor))
        for line, points, drawn in self._lines:
            self._draw_polyline(line, np.vstack([points[drawn[: np.searchsorted(drawn, i, side="right")]], at(points)]))
        return self

    @property
    def gone(self) -> bool:
        """Whether the ball has left the surface (faded out at the domain's edge)."""
        return self.exits and self.opacity < 0.01

    @staticmethod
    def _draw_polyline(mob: VMobject, points: np.ndarray) -> None:
        if len(points) < 2:
            points = np.vstack([points, points])
        mob.set_points_as_corners(points)


def spaced(points: np.ndarray, spacing: float) -> np.ndarray:
    """Indices of ``points`` to draw a polyline through: the first, then each point
    at least ``spacing`` from the last one kept."""
    rows = points.tolist()
    kept, last = [0], rows[0]
    for index, point in enumerate(rows):
        if math.dist(point, last) >= spacing:
            kept.append(index)
            last = point
    return np.asarray(kept)


def edge_crossing(domain: tuple[tuple[float, float], tuple[float, float]], inside: np.ndarray, outside: np.ndarray) -> np.ndarray:
    """Where the segment from ``inside`` to ``outside`` (finite points) crosses the domain's edge."""
    (x0, x1), (y0, y1) = domain
    inside, outside = np.asarray(inside, float), np.asarray(outside, float)
    d = outside - inside
    fractions = [1.0]
    for axis, (lo, hi) in enumerate(((x0, x1), (y0, y1))):
        if d[axis] > 0:
            fractions.append((hi - inside[axis]) / d[axis])
        elif d[axis] < 0:
            fractions.append((lo - inside[axis]) / d[axis])
    return inside + d * float(np.clip(min(fractions), 0.0, 1.0))
