"""A ball moving along one trajectory: the ball, its trail, the iterates as dots,
its shadow path and shadow on the contour floor.

Two motions (``motion``):

- ``"hop"`` (the default): each iterate theta_k is a dot on the surface and the
  ball hops from one to the next on an arc that stays above the surface
  everywhere between them (it never climbs over a ridge the iterate never
  visited), while its shadow moves along the straight step on the floor; for
  the first steps the arrow ``-eta grad f(theta_k)`` is drawn on the floor from
  the shadow before the ball hops;
- ``"roll"``: the straight step in the plane lifted onto the surface, so the
  ball hugs the surface (the heavy-ball picture of momentum).

All positions are computed once from the :class:`~gdscenes.display.view.View`
and looked up per frame.
"""

from __future__ import annotations

import math

import numpy as np
from manim import PI, TAU, Circle, Group, Mobject, VGroup, VMobject, config, smooth
from manim.mobject.opengl.opengl_surface import OpenGLSurface

from gdscenes.drawing.camera import BALL, FLOOR, ON_SURFACE, faces_camera, set_layer
from gdscenes.drawing.polyline import Polyline
from gdscenes.display.palette import (
    CASING_WIDTH,
    OUTLINE_WIDTH,
    Theme,
    hex_to_rgb,
    outer_share,
    outline_color,
    rgb_to_hex,
    ring_color,
)
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

    A ball whose colour fades into some part of the surface gets a ring
    (:func:`~gdscenes.display.palette.ring_color`, :data:`~gdscenes.display.palette.RING_SHARE`
    of its radius wide) around it, or a thin dark line (:func:`~gdscenes.display.palette.outline_color`,
    :data:`~gdscenes.display.palette.OUTLINE_SHARE` wide), or both (the line outside the ring), so that on
    every part of viridis the ball, its ring or the line has 3:1 against the surface: under Cairo discs
    behind the ball; under OpenGL the x-ray pass draws them
    (:mod:`gdscenes.drawing.gl.xray`), from the sphere's ``gd_ring`` and ``gd_outline``.
    """
    ring = ring_color(color)
    outline = outline_color(color)
    if not faces_camera():
        # (a ringed sphere is lit less glossy: a glossy rim, whitened, would fade into its ring)
        sphere = SphereMesh(radius, color, gloss=RINGED_GLOSS if ring else 0.5, shadow=RINGED_SHADOW if ring else 0.1)
        sphere.gd_ring = ring
        sphere.gd_outline = outline
        return sphere
    body = Circle(radius=radius, stroke_color=theme.background, stroke_width=0.0 if ring else 1.5)
    # A ringed ball keeps its colour all round its rim (next to the ring), shaded darker to the lower right;
    # the glint alone is its highlight. Otherwise its upper left fades into the highlight.
    shades = [color, color, rgb_to_hex(0.7 * hex_to_rgb(color))] if ring else [theme.ball_highlight, color, color]
    body.set_fill(shades, opacity=1.0)
    body.set_sheen_direction(np.array([-1.0, 1.0, 0.0]))
    glint = Circle(radius=radius * 0.28, stroke_width=0).set_fill(theme.ball_highlight, opacity=0.9)
    glint.move_to(body.get_center() + radius * np.array([-0.38, 0.38, 0.0]))
    behind = [Circle(radius=radius * share, stroke_width=0).set_fill(colour, opacity=1.0)
              for colour, share in ((outline, outer_share(ring, outline)), (ring, outer_share(ring, None))) if colour]
    return VGroup(*behind, body, glint)


#: How a ringed sphere is lit under OpenGL (the others: gloss 0.5, shadow 0.1).
RINGED_GLOSS, RINGED_SHADOW = 0.2, 0.1


class SphereMesh(OpenGLSurface):
    """A sphere as one depth-tested triangle mesh (manim's ``Sphere`` is one
    mobject per face, hundreds of draw calls under OpenGL)."""

    #: The colour of the ring the x-ray pass draws around the sphere (``None``: no ring), and of the line around that.
    gd_ring: str | None = None
    gd_outline: str | None = None

    def __init__(self, radius: float, color: str, resolution: tuple[int, int] = (32, 16), gloss: float = 0.5,
                 shadow: float = 0.1) -> None:
        self.radius = radius
        pole = 1e-3  # keep the shader's finite-difference normals defined at the poles
        super().__init__(
            uv_func=self._point, u_range=(0, TAU), v_range=(pole, PI - pole), resolution=resolution,
            color=color, gloss=gloss, shadow=shadow,
        )

    def _point(self, u: float, v: float) -> np.ndarray:
        return self.radius * np.array([np.cos(u) * np.sin(v), np.sin(u) * np.sin(v), -np.cos(v)])


#: The ways a ball can move from one iterate to the next (see the module's docstring).
MOTIONS = ("hop", "roll")
#: A hop's visible height: this share of the step's length in the plane (display units), at most :data:`HOP_MAX`;
#: higher where the surface between the iterates needs it.
HOP_SHARE = 0.3
HOP_MAX = 1.2
#: Points per step at which a hop's arc is checked against the surface, and the
#: gap it keeps above it there (display units, times the arc's bump ``4 s (1 - s)``).
HOP_CHECKS = 96
HOP_CLEARANCE = 0.05
#: The first steps draw their arrow ``-eta grad f`` on the floor: this share of the step, then the ball hops.
ARROW_STEPS = 3
ARROW_SHARE = 0.4
#: Radius of an iterate's dot, relative to the ball's.
DOT_SHARE = 0.4


class RollingBall(Group):
    """Ball, trail, iterate dots and floor shadow of one start point.

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
        How finely each step is drawn.
    exit_step
        The first iterate outside the drawn domain (see
        :func:`gdscenes.core.outcomes.exit_step`): the ball moves to where that step
        crosses the domain's edge and fades out over it, leaving the surface
        instead of being drawn at clamped (or non-finite) positions.
    motion
        ``"hop"`` (arcs above the surface, iterates as dots) or ``"roll"`` (on the surface).
    arrows
        The steps' arrows ``-eta grad f(theta_k)`` in the plane, shape ``(K, 2)`` (or more rows);
        with ``"hop"``, the first ``arrow_steps`` are drawn on the floor from the shadow.
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
        motion: str = "hop",
        arrows: np.ndarray | None = None,
        arrow_steps: int = ARROW_STEPS,
        arrow_color: str | None = None,
    ) -> None:
        super().__init__()
        if motion not in MOTIONS:
            raise ValueError(f"motion must be one of {', '.join(MOTIONS)}; got {motion!r}")
        color = color or theme.ball
        self.color = color
        self.motion = motion
        self.opacity = 1.0
        self.view = view
        path = np.asarray(path, dtype=float)
        self.exits = exit_step is not None and 0 < exit_step < len(path)
        if self.exits:
            path = np.vstack([path[:exit_step], edge_crossing(view.domain, path[exit_step - 1], path[exit_step])])
        self.path = path
        self.radius = radius
        self.per_step = samples_per_step
        self.n_steps = len(path) - 1
        dense = path_samples(path, samples_per_step)
        self._on_floor = view.floor_points(dense[:, 0], dense[:, 1], lift=0.01)
        #: Where the ball rests along the straight steps (the camera frames these: a hop's arc
        #: rises above the surface, in sight wherever its ends are).
        self.resting = view.resting_points(dense[:, 0], dense[:, 1], radius)
        if motion == "hop":
            self.hops = hop_heights(view, path)
            self._normals = view.normals(path[:, 0], path[:, 1])
            contact = self._arc_points(dense_steps(len(path), samples_per_step))
            self.centres = self._centres(dense_steps(len(path), samples_per_step), contact)
            self._on_surface = contact + np.array([0.0, 0.0, TRAIL_LIFT])
        else:
            self.hops = np.zeros(max(self.n_steps, 0))
            self.centres = self.resting
            self._on_surface = view.surface_points(dense[:, 0], dense[:, 1], lift=TRAIL_LIFT)

        self.trail = set_layer(Polyline(stroke_color=color, stroke_width=trail_width), ON_SURFACE)
        #: The ring around the ball, the casing under its trail and dots (see :func:`ball_mobject`); None: none.
        self.ring = ring_color(color)
        #: The dark line around the ring and under the casing (see :func:`ball_mobject`); None: none.
        self.outline = outline_color(color)
        #: The casings under the trail, the outermost first: they are drawn in that order, where the trail is, each
        #: over the one before (under OpenGL tested against the surface but writing no depth: see :func:`casing_line`).
        self._casings = [casing_line(colour, trail_width + 2 * widen) for colour, widen in self.casing_plan()]
        self.casing: VMobject | None = self._casings[-1] if self._casings else None
        self.outline_casing: VMobject | None = self._casings[0] if self.outline is not None else None
        self.trail.gd_cased = bool(self._casings)  # (under OpenGL hidden by the surface where its casings are)
        if self._casings and not faces_camera():
            # Under OpenGL a line's width shrinks with the angle between its plane and the view (a hop's arc,
            # in an upright plane, is a pixel or two wide): a cased trail keeps its width on screen, as under
            # Cairo, or its casing would be too thin to read.
            for line in (self.trail, *self._casings):
                line.set_flat_stroke(False)
        self.floor_path = set_layer(Polyline(stroke_color=shadow_color or theme.shadow, stroke_width=trail_width * 0.7), FLOOR)
        self.floor_dot = set_layer(
            Circle(radius=radius * 0.8, stroke_width=0).set_fill(shadow_color or theme.shadow, opacity=0.9), FLOOR
        )
        self.ball = set_layer(ball_mobject(radius, color, theme), BALL)
        # (each line, the points it runs through, and which of them are drawn)
        self._lines = [(line, points, spaced(points, trail_spacing()))
                       for line, points in ((self.trail, self._on_surface), (self.floor_path, self._on_floor))]
        self.add(self.floor_path, self.floor_dot, *self._casings, self.trail)
        self.dots: VMobject | None = None
        self.dot_casing: VMobject | None = None
        self.dot_outline: VMobject | None = None
        self._dot_casings: list[tuple[VMobject, np.ndarray]] = []  # (casing, all its points), the outermost first
        self.arrow: VMobject | None = None
        self.arrow_steps = 0
        if motion == "hop":
            self.dots = set_layer(iterate_dots(view, path, radius * DOT_SHARE, color), ON_SURFACE)
            self._all_dots = np.array(self.dots.points)
            self._dots_shown = -1
            for colour, widen in self.casing_plan():  # (the same rings as the dots, wider: their points copied)
                casing = as_casing(dots_like(self.dots, radius * DOT_SHARE, colour, widen=2 * widen))
                self._dot_casings.append((casing, np.array(casing.points)))
                self.add(casing)
            if self._dot_casings:
                self.dots.gd_cased = True  # (under OpenGL hidden by the surface where its casings are: see as_casing)
                self.dot_casing = self._dot_casings[-1][0]
                self.dot_outline = self._dot_casings[0][0] if self.outline is not None else None
            self.add(self.dots)
            if arrows is not None and arrow_steps > 0:
                self.arrow_steps = min(arrow_steps, self.n_steps, len(arrows))
                self._arrows = np.asarray(arrows, dtype=float)[: self.arrow_steps]
                self.arrow = set_layer(Polyline(stroke_color=arrow_color or theme.text, stroke_width=trail_width * 1.2), FLOOR)
                self.add(self.arrow)
        self.add(self.ball)
        self.set_time(0.0)

    def casing_plan(self) -> list[tuple[str, float]]:
        """(colour, stroke width added on each side) of each casing under the trail and the dots, the outermost
        first: the dark line (:attr:`outline`), then the ring's colour."""
        plan = [(self.ring, CASING_WIDTH)] if self.ring is not None else []
        if self.outline is not None:
            plan.insert(0, (self.outline, (CASING_WIDTH if self.ring is not None else 0.0) + OUTLINE_WIDTH))
        return plan

    # -- geometry ---------------------------------------------------------------
    def _arc_points(self, where: np.ndarray) -> np.ndarray:
        """Points of the hops' arcs (the ball's lowest point) at ``where`` = step index + fraction."""
        k = np.minimum(np.floor(where).astype(int), max(self.n_steps - 1, 0))
        s = np.clip(where - k, 0.0, 1.0)
        if self.n_steps == 0:
            k, s = np.zeros_like(k), np.zeros_like(s)
            p0 = p1 = self.path[0][None, :]
        else:
            p0, p1 = self.path[k], self.path[k + 1]
        xy = p0 + s[:, None] * (p1 - p0)
        z0 = self.view.z_of(p0[:, 0], p0[:, 1]) if self.n_steps else self.view.z_of(xy[:, 0], xy[:, 1])
        z1 = self.view.z_of(p1[:, 0], p1[:, 1]) if self.n_steps else z0
        hop = self.hops[k] if self.n_steps else 0.0
        z = (1 - s) * z0 + s * z1 + 4 * hop * s * (1 - s)
        X, Y = self.view.plane(xy[:, 0], xy[:, 1])
        return np.column_stack([X, Y, z])

    def _centres(self, where: np.ndarray, contact: np.ndarray) -> np.ndarray:
        """Ball centres over the arc's points: a radius along the iterates' normals, blended."""
        k = np.minimum(np.floor(where).astype(int), max(self.n_steps - 1, 0))
        s = np.clip(where - k, 0.0, 1.0)[:, None]
        n1 = self._normals[np.minimum(k + 1, self.n_steps)]
        n = (1 - s) * self._normals[k] + s * n1
        n /= np.maximum(np.linalg.norm(n, axis=-1, keepdims=True), 1e-9)
        return contact + self.radius * n

    # -- per frame ----------------------------------------------------------------
    def set_time(self, t: float, eased: bool = True) -> RollingBall:
        """Place everything at time ``t`` in steps (``0 <= t <= K``).

        With ``eased``, the ball starts and stops smoothly inside each step, so
        every iterate reads as a discrete move. A hop's first steps spend
        :data:`ARROW_SHARE` of their time drawing their arrow first.
        """
        t = float(np.clip(t, 0.0, self.n_steps))
        k = min(int(t), max(self.n_steps - 1, 0))
        frac = t - k
        arrow_at = None
        if self.arrow is not None and k < self.arrow_steps and t < self.n_steps:
            arrow_at = min(frac / ARROW_SHARE, 1.0)
            frac = max(frac - ARROW_SHARE, 0.0) / (1.0 - ARROW_SHARE)
        if eased:
            frac = smooth(frac)
        s = (k + frac) * self.per_step
        i = min(int(s), len(self.centres) - 1)
        w = s - i
        j = min(i + 1, len(self.centres) - 1)

        def at(points: np.ndarray) -> np.ndarray:
            return points[i] * (1 - w) + points[j] * w

        if self.motion == "hop":
            where = np.array([k + frac])
            contact = self._arc_points(where)
            self.ball.move_to(self._centres(where, contact)[0])
            trail_end = contact[0] + np.array([0.0, 0.0, TRAIL_LIFT])
            self._draw_dots(min(int(t + 1e-9), self.n_steps) + 1)
            self._draw_arrow(k, arrow_at)
        else:
            self.ball.move_to(at(self.centres))
            trail_end = at(self._on_surface)
        if self.exits:
            self.opacity = 1.0 - smooth(float(np.clip(t - (self.n_steps - 1), 0.0, 1.0)))
            self.ball.set_opacity(self.opacity)
            self.floor_dot.set_fill(opacity=0.9 * self.opacity)
            # Its last hop's arc, which runs off the plot, fades with it (left drawn, it hung over the hold).
            for line in (self.trail, *self._casings):
                line.set_stroke(opacity=self.opacity)
        self.floor_dot.move_to(at(self._on_floor))
        # A hop keeps only its own arc drawn (the iterates stay as dots, the floor keeps the straight path):
        # sixty arcs one over another would hide the surface.
        first = k * self.per_step if self.motion == "hop" else 0
        for (line, points, drawn), end, lo in zip(self._lines, (trail_end, at(self._on_floor)), (first, 0)):
            shown = drawn[np.searchsorted(drawn, lo): np.searchsorted(drawn, i, side="right")]
            corners = np.vstack([points[lo: lo + 1], points[shown], end]) if lo else np.vstack([points[shown], end])
            self._draw_polyline(line, corners)
            if line is self.trail:
                for casing in self._casings:  # (the trail's points: what set_points_as_corners makes of the same corners)
                    casing.set_points(line.points)
        return self

    def last_arc(self) -> list[Polyline]:
        """The lines drawing the last hop's arc (the trail and its casings), for the hold to fade: none for a
        rolling ball (its trail is the whole path) or one that left the plot (its arc faded with it)."""
        if self.motion != "hop" or self.exits:
            return []
        return [self.trail, *self._casings]

    def _draw_dots(self, count: int) -> None:
        """Show the dots of the first ``count`` iterates."""
        if self.dots is None or count == self._dots_shown:
            return
        self._dots_shown = count
        per = len(self._all_dots) // (self.n_steps + 1)
        self.dots.set_points(self._all_dots[: count * per])
        for casing, points in self._dot_casings:
            casing.set_points(points[: count * per])

    def _draw_arrow(self, k: int, grown: float | None) -> None:
        """The arrow of step ``k`` on the floor from the shadow, ``grown`` of its length (``None``: none)."""
        if self.arrow is None:
            return
        if grown is None or grown <= 0.0:
            if len(self.arrow.points):
                self.arrow.set_points(np.zeros((0, 3)))
            return
        start = self.path[k]
        end = start + grown * self._arrows[k]
        a, b = self.view.floor_points(np.array([start[0], end[0]]), np.array([start[1], end[1]]), lift=0.02)
        shaft = b - a
        length = float(np.linalg.norm(shaft[:2]))
        if length < 1e-6:
            self.arrow.set_points(np.zeros((0, 3)))
            return
        direction = shaft / length
        side = np.array([-direction[1], direction[0], 0.0])
        head = min(0.22, 0.4 * length)
        left, right = b - head * direction + 0.55 * head * side, b - head * direction - 0.55 * head * side
        self.arrow.set_points_as_corners(np.array([a, b]))
        self.arrow.start_new_path(left)
        self.arrow.add_points_as_corners(np.array([b, right]))

    @property
    def gone(self) -> bool:
        """Whether the ball has left the surface (faded out at the domain's edge)."""
        return self.exits and self.opacity < 0.01

    @staticmethod
    def _draw_polyline(mob: VMobject, points: np.ndarray) -> None:
        if len(points) < 2:
            points = np.vstack([points, points])
        mob.set_points_as_corners(points)


def casing_line(colour: str, width: float) -> VMobject:
    """A casing under a trail: a line of ``colour``, ``width`` wide (:func:`as_casing`)."""
    return as_casing(Polyline(stroke_color=colour, stroke_width=width))


def as_casing(line: VMobject) -> VMobject:
    """``line`` as a casing under a trail or dots: on the surface's layer, marked ``gd_casing``: under
    OpenGL tested against the surface's depth but writing none, so that the line drawn next over it,
    through the same points, always shows (written, a wide stroke's depth, which varies across its
    width, hid stretches of the narrower line, however far below it lay). Both are drawn with the same
    depth offset towards the camera (the line marked ``gd_cased``): each is hidden where the other is."""
    line.gd_casing = True
    return set_layer(line, ON_SURFACE)


def dense_steps(n_points: int, per_step: int) -> np.ndarray:
    """Step index plus fraction of each point :func:`~gdscenes.display.view.path_samples` makes."""
    if n_points < 2:
        return np.zeros(max(n_points, 0))
    return np.concatenate([np.arange((n_points - 1) * per_step) / per_step, [float(n_points - 1)]])


def hop_heights(view: View, path: np.ndarray, checks: int = HOP_CHECKS) -> np.ndarray:
    """The height ``A_k`` of each step's hop: its arc from ``theta_k`` to ``theta_{k+1}``
    (both on the surface) is the straight line between them raised by ``4 A_k s (1 - s)``.

    ``A_k`` is the visible height (:data:`HOP_SHARE` of the step's length) or, where
    the surface between the iterates rises above that, the least height that keeps
    the arc :data:`HOP_CLEARANCE` (times the bump) above the surface at ``checks`` points.
    """
    path = np.asarray(path, dtype=float)
    if len(path) < 2:
        return np.zeros(0)
    p0, p1 = path[:-1], path[1:]
    s = np.arange(1, checks) / checks
    xy = p0[:, None, :] + s[None, :, None] * (p1 - p0)[:, None, :]
    surface = np.nan_to_num(view.z_of(xy[..., 0], xy[..., 1]), nan=view.height)
    z0, z1 = (np.nan_to_num(view.z_of(p[:, 0], p[:, 1]), nan=view.height) for p in (p0, p1))
    line = z0[:, None] * (1 - s) + z1[:, None] * s
    bump = 4 * s * (1 - s)
    needed = np.max((surface - line) / bump, axis=1) + HOP_CLEARANCE
    X0, Y0 = view.plane(p0[:, 0], p0[:, 1])
    X1, Y1 = view.plane(p1[:, 0], p1[:, 1])
    visible = np.minimum(HOP_SHARE * np.hypot(X1 - X0, Y1 - Y0), HOP_MAX)
    return np.maximum(needed, visible)


#: Display units an iterate's dot lies above the surface, along its normal.
DOT_LIFT = 0.015


#: An iterate's ring's stroke width per display unit of the dot's radius.
DOT_STROKE = 100.0


def iterate_dots(view: View, path: np.ndarray, radius: float, color: str, lift: float = DOT_LIFT) -> VMobject:
    """A dot on the surface at each iterate, in the surface's tangent plane: one mobject
    (a subpath each, drawn as a thick ring), so that :meth:`RollingBall._draw_dots` shows
    the first ``n`` by keeping the first ``n`` subpaths' points. ``lift``: how far above the
    surface (a casing under the dots is the same rings, wider: :func:`dots_like`)."""
    path = np.asarray(path, dtype=float)
    centres = view.surface_points(path[:, 0], path[:, 1])
    normals = view.normals(path[:, 0], path[:, 1])
    centres = centres + lift * normals
    ring = radius * 0.5
    angles = np.linspace(0.0, TAU, 9)
    dots = Polyline(stroke_color=color, stroke_width=radius * DOT_STROKE)
    for c, n in zip(centres, normals):
        u = np.cross(n, [0.0, 1.0, 0.0])
        u /= max(float(np.linalg.norm(u)), 1e-9)
        v = np.cross(n, u)
        dots.add_subpath(c + ring * (np.cos(angles)[:, None] * u + np.sin(angles)[:, None] * v))
    return dots


def dots_like(dots: VMobject, radius: float, color: str, widen: float = 0.0) -> VMobject:
    """:func:`iterate_dots` of the same path (``dots``, made by it with this ``radius``) in ``color``, its stroke
    ``widen`` wider: the same points, not worked out again."""
    like = Polyline(stroke_color=color, stroke_width=radius * DOT_STROKE + widen)
    like.set_points(np.array(dots.points))
    return like


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
