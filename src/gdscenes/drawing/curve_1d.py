"""A 1D loss drawn flat: the curve f(x) on named axes, the ball on it, its iterates,
the tangent at theta_k and the step -eta f'(theta_k) as an arrow along the x axis.

Everything is drawn in frame coordinates (fixed in frame by the scene) through one
:class:`CurveBox`, the map from ``(x, f)`` to the frame: what the tests read back
is exactly where :meth:`CurveBox.point` puts it. Every position comes from the
trajectory's numbers; nothing is recomputed here but the curve itself and the
tangent's slope (given, from the trajectory's gradients).

A run that leaves the plot (a diverging one) hops towards its first iterate
outside the box, stops where its arc crosses the box's edge and fades out there:
no point outside the frame, and no NaN, is ever drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Circle, Star, VGroup, smooth

from gdscenes.drawing import type_scale
from gdscenes.drawing.card import plate
from gdscenes.drawing.landscape import nice_step, tick_text
from gdscenes.drawing.layout import boxes_overlap
from gdscenes.drawing.polyline import Polyline
from gdscenes.display.palette import Theme

#: Radius of the ball and of an iterate's dot (frame units; 0.13 is 18 px at 1080p).
BALL_RADIUS = 0.13
DOT_RADIUS = 0.05
#: A hop rises this share of its length above the straight line between its iterates (frame
#: units; at least :data:`MIN_HOP_LIFT`, at most :data:`HOP_LIFT`), more where the curve is in the way.
HOP_SHARE = 0.3
MIN_HOP_LIFT = 0.06
HOP_LIFT = 0.6
#: Shares of a slow step: the tangent drawn first, then the arrow grown, then the hop.
TANGENT_SHARE = 0.25
ARROW_SHARE = 0.55
#: Half the drawn length of the tangent, in frame units (measured along it).
TANGENT_HALF = 1.1
#: A minimum's value card stands this far above its star (frame units): clear of the last, small hops.
LABEL_LIFT = 0.75
#: The step arrow runs this far above the x axis (frame units).
ARROW_LIFT = 0.16


@dataclass(frozen=True)
class CurveBox:
    """The plot's rectangle in the frame and the ``(x, f)`` ranges it shows.

    ``left``, ``bottom``, ``width``, ``height`` in frame units; ``x_range`` and
    ``f_range`` the values at its edges.
    """

    left: float
    bottom: float
    width: float
    height: float
    x_range: tuple[float, float]
    f_range: tuple[float, float]

    def point(self, x: np.ndarray | float, f: np.ndarray | float) -> np.ndarray:
        """Frame points ``(n, 3)`` of the values ``(x, f)``."""
        x, f = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(f, dtype=float))
        (x0, x1), (f0, f1) = self.x_range, self.f_range
        px = self.left + (x.ravel() - x0) / (x1 - x0) * self.width
        py = self.bottom + (f.ravel() - f0) / (f1 - f0) * self.height
        return np.column_stack([px, py, np.zeros_like(px)])

    def values(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The ``(x, f)`` values of frame points (the inverse of :meth:`point`)."""
        points = np.atleast_2d(points)
        (x0, x1), (f0, f1) = self.x_range, self.f_range
        return (x0 + (points[:, 0] - self.left) / self.width * (x1 - x0),
                f0 + (points[:, 1] - self.bottom) / self.height * (f1 - f0))

    def contains(self, points: np.ndarray, pad: float = 0.0) -> np.ndarray:
        """Whether frame points lie inside the box (grown by ``pad``)."""
        points = np.atleast_2d(points)
        return ((points[:, 0] >= self.left - pad) & (points[:, 0] <= self.left + self.width + pad)
                & (points[:, 1] >= self.bottom - pad) & (points[:, 1] <= self.bottom + self.height + pad))

    @property
    def slope_scale(self) -> float:
        """Frame units up per frame unit across, for a slope of 1 in values."""
        (x0, x1), (f0, f1) = self.x_range, self.f_range
        return (self.height / (f1 - f0)) / (self.width / (x1 - x0))


def f_range_of(fn: Callable[[np.ndarray], np.ndarray], x_range: tuple[float, float],
               shown: Sequence[float] | np.ndarray = (),
               headroom: float = 0.12) -> tuple[float, float]:
    """The values the plot shows: from the curve's lowest point over ``x_range`` (less a lane
    under it for the step arrow) up to the highest of ``shown`` (the iterates in the plot) and the
    curve's value at the range's ends, whichever is lower, plus ``headroom``: a steep quartic
    does not squash the part the ball visits."""
    xs = np.linspace(*x_range, 801)
    fs = np.asarray(fn(xs), dtype=float)
    fs = fs[np.isfinite(fs)]
    low = float(fs.min()) if len(fs) else 0.0
    curve_top = float(fs.max()) if len(fs) else 1.0
    finite = [float(v) for v in shown if np.isfinite(v)]
    high = curve_top if not finite else min(curve_top, max(finite) + 0.35 * (max(finite) - low))
    span = max(high - low, 1e-9)
    return low - 0.18 * span, high + headroom * span


def curve_points(fn: Callable[[np.ndarray], np.ndarray], box: CurveBox, samples: int = 600) -> list[np.ndarray]:
    """The curve as frame polylines, cut where it leaves the box (or is not finite)."""
    xs = np.linspace(*box.x_range, samples)
    fs = np.asarray(fn(xs), dtype=float)
    ok = np.isfinite(fs)
    top = box.f_range[1]
    pieces: list[np.ndarray] = []
    current: list[np.ndarray] = []
    for i in range(samples):
        if ok[i] and fs[i] <= top:
            if not current and i > 0 and ok[i - 1] and fs[i - 1] > top:  # enters through the top
                current.append(_top_crossing(xs[i - 1], fs[i - 1], xs[i], fs[i], top))
            current.append(np.array([xs[i], fs[i]]))
        elif current:
            if ok[i] and fs[i] > top:  # leaves through the top
                current.append(_top_crossing(xs[i - 1], fs[i - 1], xs[i], fs[i], top))
            pieces.append(np.array(current))
            current = []
    if current:
        pieces.append(np.array(current))
    return [box.point(p[:, 0], p[:, 1]) for p in pieces if len(p) > 1]


def _top_crossing(xa: float, fa: float, xb: float, fb: float, top: float) -> np.ndarray:
    s = (top - fa) / (fb - fa)
    return np.array([xa + s * (xb - xa), top])


class CurveAxes(VGroup):
    """The plot's axes: the x axis along the bottom of the box, the f axis up its left side,
    ticks with values (caption size), and their names (``x`` right of the x axis' end,
    ``f(x)`` above the f axis). Labels are placed so that none overlaps another."""

    def __init__(self, box: CurveBox, theme: Theme, x_name: str = "x", f_name: str = "f(x)",
                 target_ticks: int = 6) -> None:
        super().__init__()
        left, bottom, right, top = box.left, box.bottom, box.left + box.width, box.bottom + box.height
        self.lines = VGroup(
            Polyline(np.array([[left, bottom, 0], [right + 0.15, bottom, 0]]), stroke_color=theme.axes, stroke_width=2.5),
            Polyline(np.array([[left, bottom, 0], [left, top + 0.15, 0]]), stroke_color=theme.axes, stroke_width=2.5),
        )
        self.ticks, self.labels = VGroup(), VGroup()
        self.x_ticks = self._ticks(box.x_range, target_ticks)
        self.f_ticks = self._ticks(box.f_range, max(target_ticks - 1, 3))
        size = 0.07
        placed: list[VGroup] = []
        for x in self.x_ticks:
            p = box.point(x, box.f_range[0])[0]
            self.ticks.add(Polyline(np.array([p, p + [0, -size, 0]]), stroke_color=theme.axes, stroke_width=2))
            label = type_scale.math(tick_text(x), "caption", color=theme.muted).next_to(p, DOWN, buff=0.14)
            placed.append(label)
        for f in self.f_ticks:
            p = box.point(box.x_range[0], f)[0]
            self.ticks.add(Polyline(np.array([p, p + [-size, 0, 0]]), stroke_color=theme.axes, stroke_width=2))
            label = type_scale.math(tick_text(f), "caption", color=theme.muted).next_to(p, LEFT, buff=0.14)
            placed.append(label)
        kept: list[VGroup] = []
        for label in placed:  # (a label that would touch one already kept is left out: the corner's second zero)
            if all(not boxes_overlap(label, other, 0.06) for other in kept):
                kept.append(label)
        self.labels.add(*kept)
        self.x_name = type_scale.math(x_name, "body", color=theme.text).next_to([right + 0.15, bottom, 0], RIGHT, buff=0.15)
        self.f_name = type_scale.math(f_name, "body", color=theme.text).next_to([left, top + 0.15, 0], UP, buff=0.12)
        self.names = VGroup(self.x_name, self.f_name)
        self.add(self.lines, self.ticks, self.labels, self.names)

    @staticmethod
    def _ticks(span: tuple[float, float], target: int) -> list[float]:
        lo, hi = span
        step = nice_step(hi - lo, target)
        first = np.ceil(lo / step - 1e-9) * step
        values = np.arange(first, hi + 1e-9 * step, step)
        return [float(round(v / step) * step) for v in values]


def curve_line(fn: Callable[[np.ndarray], np.ndarray], box: CurveBox, color: str, width: float = 5.0) -> Polyline:
    """The curve as one stroked mobject (its pieces as sub-paths)."""
    line = Polyline(stroke_color=color, stroke_width=width)
    for piece in curve_points(fn, box):
        line.add_subpath(piece)
    return line


def minimum_mark(box: CurveBox, x: float, f: float, theme: Theme, kind: str = "global", name: str = "x",
                 avoid: np.ndarray | None = None) -> VGroup:
    r"""A star on the curve at a known minimum, a dashed drop to the x axis, and its place and value
    (``x^* = 1,\ f^* = 0`` after a small star) on a card: above the star, or in a top corner of the
    plot, or under the star, the first where none of the frame points ``avoid`` (the curve, the hops) lies."""
    from manim import DashedLine

    from gdscenes.drawing.markers import STAR_FILL, STAR_RIM, STAR_RADIUS

    top = box.point(x, f)[0]
    star = Star(5, outer_radius=STAR_RADIUS, density=2, color=STAR_FILL, fill_opacity=1.0, stroke_color=STAR_RIM,
                stroke_width=2).move_to(top)
    foot = box.point(x, box.f_range[0])[0]
    drop = DashedLine(top, foot, dash_length=0.06, stroke_color=theme.muted, stroke_width=1.5)
    star_name = r"{}^*" if kind == "global" else r"{}_{\mathrm{loc}}"
    value = 0.0 if abs(f) < 5e-5 else float(f"{f:.3g}")
    where = 0.0 if abs(x) < 5e-5 else float(f"{x:.3g}")
    tex = type_scale.math(rf"{name}{star_name} = {where:g},\ f{star_name} = {value:g}", "caption", color=theme.text)
    icon = Star(5, outer_radius=0.7 * STAR_RADIUS, density=2, color=STAR_FILL, fill_opacity=1.0, stroke_color=STAR_RIM,
                stroke_width=1.5).next_to(tex, LEFT, buff=0.1)
    inner = VGroup(icon, tex)
    label = VGroup(plate(inner, theme, pad=(0.18, 0.14)), inner)
    right, roof = box.left + box.width, box.bottom + box.height
    w, h = label.width, label.height
    candidates = [
        top + np.array([0.0, LABEL_LIFT + h / 2, 0.0]),
        np.array([right - w / 2 - 0.05, roof - h / 2 - 0.05, 0.0]),
        np.array([box.left + w / 2 + 0.15, roof - h / 2 - 0.05, 0.0]),
        top + np.array([0.0, -0.3 - h / 2, 0.0]),
    ]
    points = np.zeros((0, 3)) if avoid is None else np.atleast_2d(avoid)
    chosen = candidates[-1]
    for centre in candidates:
        c = centre.copy()
        c[0] = float(np.clip(c[0], box.left + w / 2, right - w / 2))
        if c[1] + h / 2 > roof or c[1] - h / 2 < box.bottom + 0.3:
            continue
        near = (np.abs(points[:, 0] - c[0]) <= w / 2 + 0.12) & (np.abs(points[:, 1] - c[1]) <= h / 2 + 0.12)
        if not near.any():
            chosen = c
            break
    label.move_to(chosen)
    group = VGroup(drop, star, label)
    group.star, group.label, group.drop = star, label, drop
    return group


class CurveBall(VGroup):
    """One run on the curve: the ball, its iterates as dots, the chords it hopped along (``trail``),
    and, with ``explain``, the tangent at theta_k and the step arrow along the x axis.

    Parameters
    ----------
    box
        The plot's map.
    fn
        The loss (values of x).
    xs
        The iterates theta_0..theta_K (finite, as the runner keeps them).
    slopes
        f'(theta_k) for k = 0..K (the trajectory's gradients).
    lr
        Learning rate of each step (``eta_k``), length K or a number.
    explain
        Draw the tangent at theta_k and the step arrow ``-eta f'(theta_k)``.
    slow_steps
        The first steps draw the tangent, then grow the arrow, then hop; later ones
        show both for the whole step while the ball hops.
    """

    def __init__(self, box: CurveBox, fn: Callable[[np.ndarray], np.ndarray], xs: np.ndarray, slopes: np.ndarray,
                 lr: float | np.ndarray, theme: Theme, color: str | None = None, explain: bool = True,
                 tangent_color: str | None = None, arrow_color: str | None = None, slow_steps: int = 3,
                 radius: float = BALL_RADIUS, trail: bool = False) -> None:
        self._run_color = color or theme.ball
        super().__init__()
        self.box = box
        self.radius = radius
        xs = np.asarray(xs, dtype=float)
        fs = np.asarray(fn(xs), dtype=float)
        self.fs = fs
        self.xs = xs
        self.slopes = np.asarray(slopes, dtype=float)
        self.lrs = np.broadcast_to(np.asarray(lr, dtype=float), (max(len(xs) - 1, 1),)).astype(float)
        self.slow_steps = slow_steps
        points = box.point(xs, np.where(np.isfinite(fs), fs, box.f_range[1] * 10 + 1e6))
        inside = box.contains(points)
        # The run is drawn up to its first iterate outside the box; that last hop ends at the box's edge.
        self.exit_step: int | None = None
        if not inside.all():
            first_out = int(np.argmin(inside))
            if first_out == 0:
                raise ValueError(f"start {xs[0]:g} lies outside the plot")
            self.exit_step = first_out
            points = points[: first_out + 1]
        self.iterates = points
        self.n_steps = len(points) - 1
        self.arcs = [self._arc(fn, k) for k in range(self.n_steps)]
        self.opacity = 1.0
        self.trail = Polyline(stroke_color=self.color, stroke_width=2.0, stroke_opacity=0.55) if trail else None
        self.dots = VGroup(*(Circle(radius=DOT_RADIUS, stroke_width=0).set_fill(self.color, opacity=1.0).move_to(p)
                             for p in points[: len(points) - (1 if self.exits else 0)]))
        self.tangent = Polyline(stroke_color=tangent_color or theme.text, stroke_width=4) if explain else None
        self.arrow = Polyline(stroke_color=arrow_color or theme.text, stroke_width=5) if explain else None
        self.drop = Polyline(stroke_color=self.color, stroke_width=2, stroke_opacity=0.7) if explain else None
        body = Circle(radius=radius, stroke_color=theme.background, stroke_width=2)
        if hasattr(body, "set_sheen_direction"):  # Cairo: shaded like a sphere
            body.set_fill([theme.ball_highlight, self.color, self.color], opacity=1.0)
            body.set_sheen_direction(np.array([-1.0, 1.0, 0.0]))
        else:  # OpenGL: flat, with its glint
            body.set_fill(self.color, opacity=1.0)
        glint = Circle(radius=radius * 0.28, stroke_width=0).set_fill(theme.ball_highlight, opacity=0.9)
        glint.shift(radius * np.array([-0.38, 0.38, 0.0]))
        self.ball = VGroup(body, glint)
        self.add(*(m for m in (self.trail, self.drop, self.tangent, self.arrow) if m is not None), self.dots, self.ball)
        self.set_time(0.0)

    @property  # type: ignore[override]
    def color(self) -> str:
        """The run's colour (the ball's, its dots' and trail's); manim's colour setters on the group leave it."""
        return self._run_color

    @color.setter
    def color(self, value: object) -> None:
        pass

    @property
    def exits(self) -> bool:
        return self.exit_step is not None

    @property
    def gone(self) -> bool:
        """Whether the ball has left the plot (faded out at its edge)."""
        return self.exits and self.opacity < 0.01

    # -- geometry -----------------------------------------------------------------
    def _arc(self, fn: Callable[[np.ndarray], np.ndarray], k: int, samples: int = 48) -> np.ndarray:
        """Frame points of hop ``k``: the chord from iterate k to k+1 lifted by a parabola that clears
        the curve (plus the ball's radius) everywhere between; for an exiting hop, cut at the box's edge."""
        p0, p1 = self.iterates[k], self.iterates[k + 1]
        s = np.linspace(0.0, 1.0, samples)
        chord = p0 + s[:, None] * (p1 - p0)
        x_between, _ = self.box.values(chord)
        curve_y = self.box.point(x_between, np.asarray(fn(x_between), dtype=float))[:, 1]
        need = curve_y - chord[:, 1]  # (the ball's centre rests on the curve: the arc keeps above it)
        inner = (s > 0.04) & (s < 0.96) & np.isfinite(need)
        # At least a share of the step's length (a small late step makes a small hop), and clear of the curve.
        lift = float(np.clip(HOP_SHARE * np.linalg.norm(p1 - p0), MIN_HOP_LIFT, HOP_LIFT))
        if inner.any():
            lift = max(lift, 1.15 * float(np.max(need[inner] / (4 * s[inner] * (1 - s[inner])))) + 0.02)
        lift = min(lift, 2.5 * self.box.height)
        arc = chord + np.outer(4 * lift * s * (1 - s), [0.0, 1.0, 0.0])
        if self.exit_step is not None and k == self.exit_step - 1:
            inside = self.box.contains(arc)
            if not inside.all():
                cut = int(np.argmin(inside))
                a, b = arc[cut - 1], arc[cut]
                arc = np.vstack([arc[:cut], _edge(self.box, a, b)])
        return arc

    def _on_arc(self, k: int, s: float) -> np.ndarray:
        arc = self.arcs[k]
        i = s * (len(arc) - 1)
        lo = min(int(i), len(arc) - 2)
        return arc[lo] + (i - lo) * (arc[lo + 1] - arc[lo])

    def place_of(self, t: float) -> np.ndarray:
        """Where the ball's centre is at step clock ``t``."""
        t = float(np.clip(t, 0.0, self.n_steps))
        k = min(int(t), max(self.n_steps - 1, 0))
        if self.n_steps == 0:
            return self.iterates[0]
        hop = self._hop_share(k, t - k)
        return self._on_arc(k, smooth(hop)) if hop > 0 else self.iterates[k]

    def _hop_share(self, k: int, frac: float) -> float:
        """How far through its hop the ball is, at ``frac`` of step ``k``."""
        if frac >= 1.0:
            return 1.0
        if k < self.slow_steps and self.tangent is not None:
            return max(frac - ARROW_SHARE, 0.0) / (1.0 - ARROW_SHARE)
        return frac

    # -- per frame -------------------------------------------------------------------
    def set_time(self, t: float) -> CurveBall:
        """Place everything at step clock ``t`` (``0 <= t <= K``)."""
        t = float(np.clip(t, 0.0, self.n_steps))
        k = min(int(t), max(self.n_steps - 1, 0))
        frac = t - k if self.n_steps else 0.0
        if self.n_steps and t >= self.n_steps:
            k, frac = self.n_steps - 1, 1.0
        centre = self.place_of(t)
        self.ball.move_to(centre)
        if self.exits:
            last = self.n_steps - 1
            self.opacity = 1.0 - smooth(float(np.clip((t - last - 0.6) / 0.4, 0.0, 1.0))) if t > last else 1.0
            self.ball.set_opacity(self.opacity)
        shown = min(int(t + 1e-9), len(self.dots) - 1)
        for i, dot in enumerate(self.dots):
            dot.set_opacity(1.0 if i <= shown else 0.0)
        if self.trail is not None:
            done = [self.arcs[j] for j in range(min(k, self.n_steps))]
            if self.n_steps:
                partial = self.arcs[k][: max(int(self._hop_share(k, frac) * (len(self.arcs[k]) - 1)) + 1, 1)]
                drawn = np.vstack([*done, partial, centre[None]])
            else:
                drawn = centre[None]
            self.trail.set_points_as_corners(drawn if len(drawn) > 1 else np.vstack([drawn, drawn]))
        if self.tangent is not None:
            self._explain(k, frac, t, centre)
        return self

    def at_rest(self, t: float) -> int | None:
        """The iterate the ball rests on at clock ``t`` (``None`` while it moves)."""
        k = min(int(t), max(self.n_steps - 1, 0))
        if t >= self.n_steps:
            return self.n_steps if not self.exits else None
        return k if self._hop_share(k, t - k) <= 0 else None

    def _explain(self, k: int, frac: float, t: float, centre: np.ndarray) -> None:
        """The tangent at the current iterate, the step arrow on the x axis, the drop from the ball."""
        assert self.tangent is not None and self.arrow is not None and self.drop is not None
        finished = t >= self.n_steps
        j = self.n_steps if finished and not self.exits else k
        j = min(j, len(self.iterates) - 1)
        slow = k < self.slow_steps and not finished
        grow_tangent = min(frac / TANGENT_SHARE, 1.0) if slow else 1.0
        grow_arrow = float(np.clip((frac - TANGENT_SHARE) / (ARROW_SHARE - TANGENT_SHARE), 0.0, 1.0)) if slow else 1.0
        fade = self.opacity
        # The tangent at theta_j, through the iterate, TANGENT_HALF long each way on screen, cut to the box.
        if j < len(self.slopes) and grow_tangent > 0 and (not self.exits or j < self.n_steps):
            p = self.iterates[j]
            d = np.array([1.0, self.slopes[j] * self.box.slope_scale, 0.0])
            d /= np.linalg.norm(d)
            ends = np.array([p - grow_tangent * TANGENT_HALF * d, p + grow_tangent * TANGENT_HALF * d])
            self.tangent.set_points_as_corners(_clip_segment(self.box, ends))
            self.tangent.set_stroke(opacity=fade)
        else:
            self.tangent.set_points(np.zeros((0, 3)))
        # The step arrow: from theta_k to theta_{k+1} along the x axis (the run's own numbers).
        y = self.box.bottom + ARROW_LIFT
        if not finished and grow_arrow > 0 and k < len(self.xs) - 1:
            x0, x1 = self.xs[k], self.xs[k] + grow_arrow * (self.xs[k + 1] - self.xs[k])
            a = np.array([self.box.point(x0, 0.0)[0, 0], y, 0.0])
            b = np.array([self.box.point(x1, 0.0)[0, 0], y, 0.0])
            _draw_arrow(self.arrow, *(_clip_segment(self.box, np.array([a, b]))))
            self.arrow.set_stroke(opacity=fade)
        else:
            self.arrow.set_points(np.zeros((0, 3)))
        # The drop from the ball to the x axis, where theta_k is read off.
        foot = np.array([centre[0], self.box.bottom, 0.0])
        if centre[1] - foot[1] > self.radius:
            self.drop.set_points_as_corners(np.array([centre - [0, self.radius, 0], foot]))
        else:
            self.drop.set_points(np.zeros((0, 3)))
        self.drop.set_stroke(opacity=0.7 * fade)


def _edge(box: CurveBox, inside: np.ndarray, outside: np.ndarray) -> np.ndarray:
    """The point where the segment from ``inside`` to ``outside`` crosses the box's edge."""
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if box.contains(inside + mid * (outside - inside))[0]:
            lo = mid
        else:
            hi = mid
    return inside + lo * (outside - inside)


def _clip_segment(box: CurveBox, ends: np.ndarray) -> np.ndarray:
    """A segment cut to the box (both ends kept if inside)."""
    a, b = ends
    inside = box.contains(ends)
    if inside.all():
        return ends
    s = np.linspace(0.0, 1.0, 201)
    pts = a + s[:, None] * (b - a)
    ok = box.contains(pts)
    if not ok.any():
        return np.array([a, a])
    first, last = int(np.argmax(ok)), len(ok) - 1 - int(np.argmax(ok[::-1]))
    return np.array([pts[first], pts[last]])


def _draw_arrow(line: Polyline, a: np.ndarray, b: np.ndarray) -> None:
    shaft = b - a
    length = float(np.linalg.norm(shaft))
    if length < 1e-4:
        line.set_points(np.zeros((0, 3)))
        return
    direction = shaft / length
    side = np.array([-direction[1], direction[0], 0.0])
    head = min(0.2, 0.45 * length)
    left, right = b - head * direction + 0.55 * head * side, b - head * direction - 0.55 * head * side
    line.set_points_as_corners(np.array([a, b]))
    line.start_new_path(left)
    line.add_points_as_corners(np.array([b, right]))
