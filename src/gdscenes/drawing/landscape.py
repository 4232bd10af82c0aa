"""The landscape: floor axes, the loss surface coloured by height, the contour floor.

All positions come from a :class:`gdscenes.display.view.View`; this module only turns
them into manim mobjects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from manim import (
    DL,
    UR,
    MathTex,
    Mobject,
    NumberLine,
    Polygon,
    RendererType,
    Surface,
    VGroup,
    config,
)
from manim.mobject.opengl.opengl_surface import OpenGLSurface

from gdscenes.display.contours import contour_lines, sample
from gdscenes.drawing.gl import surface_shader
from gdscenes.drawing.card import plate
from gdscenes.drawing.camera import FLOOR, GL_FOCAL, MARKS, SURFACE, Orbit, faces_camera, on_screen, project, set_layer
from gdscenes.drawing.gl.overlay import LINE_WIDTH_UNIT
from gdscenes.drawing.markers import MinimaMarks
from gdscenes.drawing.polyline import Polyline
from gdscenes.drawing import type_scale
from gdscenes.drawing.reuse import key, reuse
from gdscenes.drawing.typeset import math_tex
from gdscenes.display.palette import FLOOR_OPACITY, Theme, colormap, hex_to_rgb, rgb_to_hex
from gdscenes.display.view import View
from gdscenes.display.visibility import camera_direction, eye, hidden, screen_axes


def nice_step(span: float, target: int = 5) -> float:
    """A 1-2-5 tick step giving about ``target`` ticks over ``span``."""
    raw = span / target
    power = 10.0 ** np.floor(np.log10(raw))
    return float(min((m * power for m in (1, 2, 5, 10)), key=lambda s: abs(s - raw)))


#: Tick labels and axis names this far outside the floor's edge (display units).
LABEL_GAP = 0.38
NAME_GAP = 0.75
#: A name beside its axis' middle stands this much farther out than the tick labels (display units).
NAME_OUT = 0.42
#: An axis seen end-on moves its long name on no more than this many times as far (:func:`foreshortened`).
MOST_FORESHORTENED = 0.4
#: An axis name up to this many digit heights across stands :data:`NAME_GAP` past its axis (see :func:`name_reach`).
LETTER = 1.4
#: Camera views (``phi``, ``theta`` in radians) the axes are placed for when none are given:
#: the default orbit's first 20 seconds.
DEFAULT_VIEWS = ((np.radians(60.0), np.radians(-60.0)), (np.radians(60.0), np.radians(-30.0)))


def floor_axes(view: View, theme: Theme, views: Sequence[tuple[float, float]] = DEFAULT_VIEWS,
               zoom: float = 1.0, inside: Callable[[np.ndarray], np.ndarray] | None = None,
               names: tuple[str, str] = ("x", "y"), orbit: Orbit | None = None) -> tuple[VGroup, VGroup]:
    """Number lines along two edges of the contour floor, and the height axis.

    Each of the floor's axes goes along the edge (of its two) whose tick labels
    the surface hides least from the camera ``views`` (``(phi, theta)`` in
    radians; ties go to the edge nearer the camera); tick labels lie outside
    the edge, at the caption size, and the one at the corner both axes share
    is written once. The height axis stands at a side corner (:func:`height_axis`).
    Returns the lines and their labels: tick numbers and the axes' ``names`` (TeX; ``x`` and ``y``
    unless told), each past the end of its axis away from the shared corner, moved on by what it
    has beyond a letter's size (:func:`name_reach`), which the scene keeps facing the camera: camera-facing labels keep their
    size on screen whatever the camera's zoom (both renderers), so they are made at the
    type scale's sizes (``zoom`` other than 1 scales them, for a camera that does zoom them).
    Seen through ``orbit``'s camera (its zoom), an axis whose labels would crowd on screen labels every
    other tick, or every fifth (:func:`labelled_ticks`).
    """
    plan = axes_plan(view, views, inside, orbit)
    parts = ("floor_axes", plan, view.domain, view.width, view.depth, theme, zoom, type_key(), names)
    return reuse(key(*parts), lambda: _floor_axes(view, theme, plan, zoom, names))


def type_key() -> tuple[Any, ...]:
    """What typeset labels are made from besides their text: the type scale's sizes (they follow
    the frame), the frame and the LaTeX template (a part of a :func:`~gdscenes.drawing.reuse.key`)."""
    template = config.tex_template
    sizes = tuple(type_scale.math_scale(role) for role in type_scale.SIZES)
    return sizes, tuple(type_scale.height(role) for role in type_scale.SIZES), config.frame_width, config.frame_height, \
        template.body, template.tex_compiler, template.output_format


def name_reach(name: Mobject) -> float:
    """How much farther than a letter an axis name stands from its axis' end (display units): half of
    what its larger side has beyond :data:`LETTER` digit heights (0 for a letter, ``theta_0`` or ``J``;
    about 0.34 at 1080p for a name on two lines)."""
    return max(0.0, max(name.width, name.height) - LETTER * type_scale.height("body")) / 2


def _floor_axes(view: View, theme: Theme, plan: dict[str, Any], zoom: float,
                names: tuple[str, str] = ("x", "y")) -> tuple[VGroup, VGroup]:
    lines, labels = VGroup(), VGroup()
    typeset: dict[str, MathTex] = {}  # both axes often share their numbers: each made once
    size = type_scale.math_scale("caption") / zoom

    def label(text: str) -> MathTex:
        if text not in typeset:
            typeset[text] = math_tex(text, color=theme.muted).scale(size)
        return typeset[text].copy()

    for axis, name in zip(("x", "y"), names):
        ticks, where, name_at = plan[axis]
        lo, hi = (view.domain[0] if axis == "x" else view.domain[1])
        step = nice_step(hi - lo)
        line = NumberLine(
            x_range=(lo, hi, step), length=view.width if axis == "x" else view.depth, color=theme.axes,
            stroke_width=2, include_tip=False, tick_size=0.06, include_numbers=False,
        )
        start, end = plan[axis + " line"]
        if axis == "y":
            line.rotate(np.pi / 2, about_point=line.n2p(lo))
        line.shift(start - line.n2p(lo))
        lines.add(line)
        ticked = [label(tick_text(value)).move_to(point) for value, point in zip(ticks, where)]
        labels.add(*ticked)
        named = type_scale.math(name, "body", color=theme.text).scale(1 / zoom)
        at, away = name_at + name_reach(named) * plan[axis + " along"], plan[axis + " along"]
        half = (named.width / 2 / plan["zoom"], named.height / 2 / plan["zoom"])  # (display units, at the camera's zoom)
        if seen_hidden(view, at, plan["views"], plan["eyes"], half):  # (moved on behind the surface)
            at, away = plan[axis + " beside"] + name_reach(named) * plan[axis + " out"], plan[axis + " out"]
        labels.add(named.move_to(clear_of_labels(at, away, named, ticked, plan["views"], plan["zoom"] / zoom)))
    # Under OpenGL the lines are baked into the floor texture and the labels
    # drawn as camera-facing quads (gdscenes.drawing.gl.renderer); Cairo ignores this.
    lines.gd_bake = True
    labels.gd_billboards = True
    labels.plan = plan
    return set_layer(lines, FLOOR), set_layer(labels, FLOOR)


def tick_text(value: float) -> str:
    """LaTeX of a tick value: ``-2``, ``0.5``, ``10^{4}``."""
    value = 0.0 if value == 0 else value  # (no "-0")
    if value != 0 and abs(value) >= 1e4:
        exponent = int(np.floor(np.log10(abs(value))))
        mantissa = value / 10**exponent
        head = "" if abs(mantissa - 1) < 1e-9 else f"{mantissa:g}" + r"\times "
        return f"{head}10^{{{exponent}}}"
    return f"{value:g}"


def foreshortened(direction: np.ndarray, views: Sequence[tuple[float, float]]) -> float:
    """The shortest a unit display ``direction`` is seen on screen from ``views`` (at zoom 1), no shorter than
    :data:`MOST_FORESHORTENED`."""
    ends = np.array([np.zeros(3), direction / max(float(np.linalg.norm(direction)), 1e-9)])
    seen = [float(np.linalg.norm(np.diff(project(ends, p, t), axis=0))) for p, t in views]
    return max(min(seen, default=1.0), MOST_FORESHORTENED)


def clear_of_labels(at: np.ndarray, away: np.ndarray, label: Mobject, others: Sequence[Mobject],
                    views: Sequence[tuple[float, float]], zoom: float) -> np.ndarray:
    """``at`` (display units), moved on along ``away`` until ``label`` (camera-facing, sized in frame units)
    centred there keeps :data:`LABEL_SPACE` of a caption digit's height clear of each of ``others``
    (camera-facing labels placed in the scene) on screen, seen from every one of ``views`` through a camera at
    ``zoom``; no farther than :data:`MOST_MOVED` digits on screen."""
    if not others:
        return at
    digit = type_scale.height("caption")
    room = np.array([[label.width + o.width, label.height + o.height] for o in others]) / 2 + LABEL_SPACE * digit
    centres = np.array([o.get_center() for o in others])
    most = MOST_MOVED * digit / zoom
    seen = [zoom * project(centres, p, t) for p, t in views]
    for moved in np.arange(0.0, most, 0.02 / zoom):
        point = at + moved * away
        if not any((np.abs(zoom * project(point[None], p, t) - xy) < room).all(axis=1).any()
                   for (p, t), xy in zip(views, seen)):
            return point
    return at + most * away


def row_clear(view: View, points: np.ndarray, out: np.ndarray, views: Sequence[tuple[float, float]],
              eyes: Sequence[np.ndarray | None], zoom: float) -> float:
    """How much farther along ``out`` (display units, in tenths, up to :data:`MOST_OUT`) tick labels at ``points``
    stand for the surface to hide none of their boxes (a caption's height, two digits wide, at a camera ``zoom``)
    from ``views`` (:func:`seen_hidden`), or the fewest; 0 where it hides none already."""
    digit = type_scale.height("caption")
    half = (DIGIT_WIDTH * digit / zoom, digit / 2 / zoom)
    fewest, best = len(points) + 1, 0.0
    for extra in np.arange(0.0, MOST_OUT + 1e-9, 0.1):
        count = sum(seen_hidden(view, point + extra * out, views, eyes, half) for point in points)
        if count < fewest:
            fewest, best = count, float(extra)
        if count == 0:
            break
    return best


#: The farthest floor tick labels move out from their edge to be seen (display units, :func:`row_clear`).
MOST_OUT = 0.6


def seen_hidden(view: View, point: np.ndarray, views: Sequence[tuple[float, float]],
                eyes: Sequence[np.ndarray | None], half: tuple[float, float] = (0.0, 0.0)) -> bool:
    """Whether the surface hides the display ``point`` from any of ``views`` (each seen from its eye, where given),
    or any corner of a camera-facing box ``half`` its size across and up (display units) around it."""
    for (p, t), e in zip(views, eyes):
        _, across, up = screen_axes(p, t)
        points = np.asarray(point, float) + np.array([[0.0, 0.0], [-1, -1], [-1, 1], [1, -1], [1, 1]]) @ np.array(
            [half[0] * across, half[1] * up])
        if hidden(view, points, p, t, eye=e).any():
            return True
    return False


def _toward(views: Sequence[tuple[float, float]]) -> np.ndarray:
    """Mean horizontal direction towards the camera over ``views``."""
    d = np.mean([camera_direction(p, t) for p, t in views], axis=0)
    return d[:2] / max(float(np.linalg.norm(d[:2])), 1e-9)


def axes_plan(view: View, views: Sequence[tuple[float, float]] = DEFAULT_VIEWS,
              inside: Callable[[np.ndarray], np.ndarray] | None = None,
              orbit: Orbit | None = None) -> dict[str, Any]:
    """Where the axes go: for ``"x"`` and ``"y"``, (tick values, label points, name point);
    ``"x line"``/``"y line"``: the edge's two ends; ``"corner"``: the corner both share;
    ``"f corner"``: the domain corner the height axis stands at (of the two side corners,
    the one whose labels ``inside`` keeps in the frame, then the surface hides least, then the left one).

    :func:`floor_axes` and :func:`height_axis` each ask for the plan of the same view: the last one
    made is given again (a copy) when asked with the same ``view`` and ``inside`` objects and equal ``views``
    and ``orbit``. Given the ``orbit`` whose camera sees the labels, the tick values of ``"x"`` and ``"y"``
    are thinned where they would crowd at its zoom (:func:`labelled_ticks`), and under OpenGL whether a name
    is hidden is asked from its camera's eye (:func:`~gdscenes.display.visibility.eye`: the frame's sides are
    seen from well off the camera's direction). ``"views"``: the views; ``"eyes"``: the eye of each (or ``None``);
    ``"zoom"``: the camera's (the default orbit's without ``orbit``); ``"x beside"``, ``"x out"``: where a name goes
    beside its axis' middle, and the way out from the axis (and ``"y ..."``)."""
    views = [(float(p), float(t)) for p, t in views]
    last = _LAST_PLAN[0]
    if last is not None and last[0] is view and last[2] is inside and last[1] == views and last[3] == orbit:
        return dict(last[4])
    plan = _axes_plan(view, views, inside, orbit)
    _LAST_PLAN[0] = (view, views, inside, orbit, plan)
    return dict(plan)


#: The last :func:`axes_plan`: its view, views, ``inside`` and ``orbit``, and the plan.
_LAST_PLAN: list[tuple[View, list[tuple[float, float]], Any, Orbit | None, dict[str, Any]] | None] = [None]


def labelled_ticks(values: np.ndarray, points: np.ndarray, views: Sequence[tuple[float, float]],
                   camera_zoom: float) -> np.ndarray:
    """Which of an axis' ticks (``values``, evenly spaced, at display ``points``) are labelled: all, or, where their
    labels seen from any of ``views`` at ``camera_zoom`` would come closer than :data:`LABEL_SPACE` of a caption
    digit's height on screen, the multiples of twice the step, or of five times it (labels about
    :data:`DIGIT_WIDTH` of a digit's height wide a character)."""
    digit = type_scale.height("caption")
    widths = np.array([len(tick_text(v)) * DIGIT_WIDTH * digit for v in values])
    keep = np.ones(len(values), bool)
    for every in (1, 2, 5):
        if every > 1:
            keep = multiples(values, every)
        if keep.sum() < 3:
            return keep
        seen = [camera_zoom * project(points[keep], p, t) for p, t in views]
        if all(((np.abs(np.diff(xy[:, 0])) >= (widths[keep][1:] + widths[keep][:-1]) / 2 + LABEL_SPACE * digit)
                | (np.abs(np.diff(xy[:, 1])) >= (1 + LABEL_SPACE) * digit)).all() for xy in seen):
            return keep
    return keep


def multiples(values: np.ndarray, every: int) -> np.ndarray:
    """Which of evenly spaced tick ``values`` are multiples of ``every`` times their step."""
    step = float(np.min(np.diff(values))) if len(values) > 1 else 1.0
    return np.isclose(values / (every * step), np.round(values / (every * step)), atol=1e-6)


def uncovered_ticks(values: np.ndarray, points: np.ndarray, keep: np.ndarray,
                    covered: Callable[[np.ndarray], np.ndarray] | None) -> np.ndarray:
    """``keep`` (the labelled ticks of :func:`labelled_ticks`) where no label at display ``points`` is ``covered``
    (by a block fixed in the frame: a key in the frame's corner); else the multiples of twice the step, or of five times
    it, that none is; else ``keep`` less the covered ones."""
    if covered is None or not covered(points[keep]).any():
        return keep
    for every in (2, 5):
        thinned = keep & multiples(values, every)
        if thinned.sum() >= 2 and not covered(points[thinned]).any():
            return thinned
    return keep & ~covered(points)


#: Tick labels on an axis stay this much of a caption digit's height apart on screen (:func:`labelled_ticks`), a
#: character of a label taking about this much of a digit's height across.
LABEL_SPACE = 0.5
DIGIT_WIDTH = 0.62


def _axes_plan(view: View, views: Sequence[tuple[float, float]],
               inside: Callable[[np.ndarray], np.ndarray] | None, orbit: Orbit | None = None) -> dict[str, Any]:
    (x0, x1), (y0, y1) = view.domain
    toward = _toward(views)
    plan: dict[str, Any] = {}
    eyes = tuple(None if orbit is None or faces_camera()
                 else eye(p, t, orbit.zoom, orbit.screen_offset, float(config.frame_height), focal=GL_FOCAL)
                 for p, t in views)
    plan_zoom = Orbit().zoom if orbit is None else orbit.zoom

    def candidates(axis: str, edge: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        lo, hi = (x0, x1) if axis == "x" else (y0, y1)
        step = nice_step(hi - lo)
        ticks = np.arange(np.ceil(lo / step - 1e-9) * step, hi + step / 2, step)
        ticks = ticks[(ticks >= lo - 1e-9) & (ticks <= hi + 1e-9)]
        if axis == "x":
            on = view.floor_points(ticks, np.full_like(ticks, edge))
            out = np.array([0.0, np.sign(edge - (y0 + y1) / 2), 0.0])
            ends = view.floor_points(np.array([lo, hi]), np.array([edge, edge]))
        else:
            on = view.floor_points(np.full_like(ticks, edge), ticks)
            out = np.array([np.sign(edge - (x0 + x1) / 2), 0.0, 0.0])
            ends = view.floor_points(np.array([edge, edge]), np.array([lo, hi]))
        return ticks, on + LABEL_GAP * out, out, ends

    def score(points: np.ndarray, out: np.ndarray) -> tuple[int, float]:
        blocked = sum(int(hidden(view, points, p, t).sum()) for p, t in views)
        return blocked, -float(out[:2] @ toward)

    chosen = {}
    for axis, edges in (("x", (y0, y1)), ("y", (x0, x1))):
        best = min(edges, key=lambda e: score(*candidates(axis, e)[1:3]))
        chosen[axis] = best
    corner_x, corner_y = chosen["y"], chosen["x"]
    for axis in ("x", "y"):
        ticks, where, out, ends = candidates(axis, chosen[axis])
        if orbit is not None and len(ticks) > 2:  # (labels that would crowd: every other tick's, or every fifth's)
            keep = uncovered_ticks(ticks, where, labelled_ticks(ticks, where, views, orbit.zoom),
                                   getattr(inside, "covered", None))
            ticks, where = ticks[keep], where[keep]
        # The tick at the shared corner: labelled by the x axis only.
        at_corner = np.isclose(ticks, corner_y if axis == "y" else corner_x)
        if axis == "y":
            ticks, where = ticks[~at_corner], where[~at_corner]
        # Labels the surface hides from some view (a high lip over the edge) stand farther out, as one row.
        extra = row_clear(view, where, out, views, eyes, plan_zoom)
        where = where + extra * out
        # The name past the end of the axis away from the shared corner; where the surface hides it there
        # from some view, beside the middle of the axis, outside its tick labels.
        far = 1 if np.isclose(ends[0], view.floor_points(corner_x, corner_y)).all() else 0
        along = (ends[far] - ends[1 - far]) / np.linalg.norm(ends[far] - ends[1 - far])
        # (a name larger than a letter is moved on from there, away from the ticks: as far on screen as asked, the
        # axis seen foreshortened; where that is hidden, it goes beside the middle: :func:`_floor_axes`)
        name_at, push = ends[far] + NAME_GAP * along + (0.5 * LABEL_GAP + extra) * out, along / foreshortened(along, views)
        beside, outward = (ends[0] + ends[1]) / 2 + (LABEL_GAP + NAME_OUT + extra) * out, out / foreshortened(out, views)
        if seen_hidden(view, name_at, views, eyes):
            name_at, push = beside, outward
        plan[axis] = (ticks, where, name_at)
        plan[axis + " beside"], plan[axis + " out"] = beside, outward
        plan[axis + " line"] = (ends[0], ends[1])  # (from the axis' low end)
        plan[axis + " along"] = push
    plan["corner"] = (corner_x, corner_y)
    plan["views"], plan["eyes"], plan["zoom"] = tuple(views), eyes, plan_zoom
    # The height axis: at the end of the x axis away from the shared corner (a side corner, seen from the side).
    other_x = x1 if np.isclose(corner_x, x0) else x0
    other_y = y1 if np.isclose(corner_y, y0) else y0
    sides = [(other_x, corner_y), (corner_x, other_y)]
    right = np.array([-toward[1], toward[0]])  # the camera's right, horizontally

    def side_score(c: tuple[float, float]) -> tuple[int, int, float]:
        base = view.floor_points(*c)
        out = np.array([np.sign(c[0] - (x0 + x1) / 2), np.sign(c[1] - (y0 + y1) / 2), 0.0])
        column = base + (0.15 + LABEL_GAP) * out + np.outer(np.linspace(0.3, view.floor_gap + view.height, 8), [0.0, 0.0, 1.0])
        blocked = sum(int(hidden(view, column, p, t).sum()) for p, t in views)
        far = base + (0.15 + 2.5 * LABEL_GAP) * out + np.outer(np.linspace(0.3, view.floor_gap + view.height, 4), [0.0, 0.0, 1.0])
        cut = 0 if inside is None else int((~inside(far)).sum())
        # Labels in the frame, few hidden, then the left corner (its labels go left, towards the text).
        return cut, blocked // 3, float(base[:2] @ right)

    plan["f corner"] = min(sides, key=side_score)
    # Labels that would leave the frame on both sides go on the axis' inner side (over the landscape's corner).
    plan["f inward"] = side_score(plan["f corner"])[0] > 0
    return plan


def height_ticks(view: View, count: int = 5) -> list[tuple[float, float]]:
    """``(loss value, display height)`` of the height axis' ticks, in the surface's height scale
    (evenly spaced values on a linear scale, powers of ten above the minimum on a log scale)."""
    heights = view.heights
    lo = float(heights.f_min)
    top = float(heights.inverse(0.95))
    if getattr(heights, "scale", "linear") == "log":
        exponents = range(int(np.floor(np.log10(max(heights.softness, 1e-12)))), int(np.floor(np.log10(top - lo))) + 1)
        values = [lo] + [lo + 10.0**e for e in exponents]
    else:
        step = nice_step(top - lo, count)
        values = list(np.arange(np.ceil(lo / step - 1e-9) * step, top + 1e-9, step))
    ticks, last = [], -np.inf
    room = 3.4 * type_scale.height("caption")  # (the axis is seen foreshortened)
    for v in values:
        z = float(heights(v)) * view.height
        if z - last >= room and z <= view.height + 1e-9:
            ticks.append((float(v), z))
            last = z
    return ticks


def height_axis(view: View, theme: Theme, views: Sequence[tuple[float, float]] = DEFAULT_VIEWS,
                zoom: float = 1.0, inside: Callable[[np.ndarray], np.ndarray] | None = None,
                name: str = "f", orbit: Orbit | None = None, keep_out: Sequence[Mobject] = ()) -> tuple[Polyline, VGroup]:
    """The vertical loss axis at a side corner of the landscape: a line from the floor to the
    surface's top, ticks at :func:`height_ticks`, their values and the axis' ``name`` (TeX) above it.
    Given the camera's ``orbit`` (its zoom and screen offset), tick labels on the axis' outer side are moved on
    together, away from the axis, until the surface seen from ``views`` keeps :data:`SURFACE_CLEARANCE` clear of each,
    as far as the frame and the mobjects ``keep_out`` (fixed in the frame: the colour bar) allow
    (:func:`clear_of_surface`: a small zoom, as a square frame's, shows the labels large beside the landscape).
    Returns the line with its ticks (one mobject), and the labels (camera-facing)."""
    plan = axes_plan(view, views, inside, orbit)  # (the floor axes' plan)
    views = tuple((float(p), float(t)) for p, t in views)
    boxes = tuple((*(float(v) for v in m.get_corner(DL)[:2]), *(float(v) for v in m.get_corner(UR)[:2])) for m in keep_out)
    parts = ("height_axis", plan, view.domain, view.width, view.depth, view.height, view.floor_gap, view.heights, theme,
             zoom, type_key(), name, orbit, views if orbit else None, boxes if orbit else None)
    return reuse(key(*parts), lambda: _height_axis(view, theme, plan, zoom, name, views if orbit else (), orbit, boxes))


#: How far (in caption digit heights, on screen) the surface stays from a height-axis tick label, seen from the views
#: the axes are placed for through a camera at the designed zoom (a 16:9 frame's: the orbit's default), and in
#: proportion farther at a smaller zoom, which brings the surface's edge nearer the axis while the labels keep their
#: size (:func:`clear_of_surface`); how far inside the frame's edges a label moved on stays.
SURFACE_CLEARANCE = 1.5
DESIGN_ZOOM = Orbit().zoom
FRAME_MARGIN = 0.1
#: The farthest a label is moved on (caption digit heights on screen): a label farther from its tick would not read
#: as its value.
MOST_MOVED = 2.5


def clear_of_surface(view: View, views: Sequence[tuple[float, float]], orbit: Orbit, points: Sequence[np.ndarray],
                     direction: np.ndarray, sizes: Sequence[tuple[float, float]], starts: Sequence[float],
                     keep_out: Sequence[tuple[float, float, float, float]] = ()) -> float:
    """How much farther along ``direction`` (display units) than ``starts`` from ``points`` camera-facing labels of
    ``sizes`` (frame units) are centred, all as one column, for the surface, seen from each of ``views`` through
    ``orbit``'s camera (its zoom and offset, as the renderer in use draws it: :func:`~gdscenes.drawing.camera.on_screen`), to
    keep :data:`SURFACE_CLEARANCE` caption digits (more at a zoom under :data:`DESIGN_ZOOM`) clear of each box;
    never so far that a box leaves the frame (:data:`FRAME_MARGIN` inside its edges) or meets a ``keep_out`` box
    (frame coordinates ``(left, bottom, right, top)``: the colour bar), nor farther than
    :data:`MOST_MOVED` digits on screen (then as far as they may go)."""
    (x0, x1), (y0, y1) = view.domain
    u, v = np.meshgrid(np.linspace(x0, x1, 61), np.linspace(y0, y1, 61), indexing="ij")
    surface = view.surface_points(u.ravel(), v.ravel())
    clearance = SURFACE_CLEARANCE * max(1.0, DESIGN_ZOOM / orbit.zoom) * type_scale.height("caption")
    high = np.array([config.frame_width, config.frame_height]) / 2 - FRAME_MARGIN
    seen = [on_screen(surface, phi, theta, orbit.zoom, orbit.screen_offset) for phi, theta in views]
    boxes = [(np.array(box[:2]) - FRAME_MARGIN, np.array(box[2:]) + FRAME_MARGIN) for box in keep_out]
    step, most = 0.02, MOST_MOVED * type_scale.height("caption") / orbit.zoom

    def centres(at: np.ndarray, reach: float) -> list[np.ndarray]:
        return [on_screen(at + reach * direction, phi, theta, orbit.zoom, orbit.screen_offset)[0] for phi, theta in views]

    needed, allowed = 0.0, most
    for at, size, start in zip(points, sizes, starts):
        half = np.array(size) / 2
        extra = 0.0
        while extra < most and any((np.abs(surface_xy - c) < half + clearance).all(axis=1).any()
                                   for surface_xy, c in zip(seen, centres(at, start + extra))):
            extra += step
        needed = max(needed, extra)
        extra = 0.0
        while extra < allowed and all((np.abs(c) + half <= high).all()
                                      and not any(((c + half > lo) & (c - half < hi)).all() for lo, hi in boxes)
                                      for c in centres(at, start + extra + step)):
            extra += step
        allowed = min(allowed, extra)
    return float(min(needed, allowed))


def _height_axis(view: View, theme: Theme, plan: dict[str, Any], zoom: float, name: str = "f",
                 views: Sequence[tuple[float, float]] = (), orbit: Orbit | None = None,
                 keep_out: Sequence[tuple[float, float, float, float]] = ()) -> tuple[Polyline, VGroup]:
    cx, cy = plan["f corner"]
    (x0, x1), (y0, y1) = view.domain
    base = view.floor_points(cx, cy)
    out = np.array([np.sign(cx - (x0 + x1) / 2), np.sign(cy - (y0 + y1) / 2), 0.0]) * 0.15
    foot = base + out
    top = foot + np.array([0.0, 0.0, view.floor_gap + view.height])
    line = Polyline(np.array([foot, top]), stroke_color=theme.axes, stroke_width=2)  # the axis and its ticks: one mobject
    labels = VGroup()
    size = type_scale.math_scale("caption") / zoom
    horizontal = out / max(float(np.linalg.norm(out)), 1e-9)
    if views:  # (the ticks and labels across the camera's line of sight: level on screen with where they mark)
        toward = _toward(views)
        across = np.array([-toward[1], toward[0], 0.0])
        if abs(float(across @ horizontal)) > 0.3:  # (else the corner is seen end-on: away from the landscape)
            horizontal = across * np.sign(float(across @ horizontal))
    inward = bool(plan["f inward"])
    side = -1.0 if inward else 1.0
    ats, ticks = [], []
    for value, z in height_ticks(view):
        at = foot + np.array([0.0, 0.0, view.floor_gap + z])
        line.start_new_path(at)
        line.add_line_to(at + 0.12 * horizontal)
        ats.append(at)
        ticks.append(math_tex(tick_text(round_tick(value)), color=theme.muted).scale(size))
    reaches = [0.3 + 0.75 * tick.width for tick in ticks]  # (clear of its tick, seen slanted)
    if orbit is not None and views and not inward and ticks:  # (inward labels are drawn over the surface)
        extra = clear_of_surface(view, views, orbit, ats, horizontal, [(t.width, t.height) for t in ticks], reaches, keep_out)
        reaches = [reach + extra for reach in reaches]
    for at, tick, reach in zip(ats, ticks, reaches):
        # Drawn over the surface (inward), each on a plate: legible over the surface's brightest colours.
        labels.add(VGroup(plate(tick, theme, pad=(0.1 / zoom, 0.08 / zoom)), tick) if inward else tick)
        labels[-1].move_to(at + side * reach * horizontal)
    named = type_scale.math(name, "body", color=theme.text).scale(1 / zoom)
    labels.add(named.move_to(top + np.array([0.0, 0.0, 0.35 + name_reach(named)])))
    labels.gd_billboards = True
    labels.inward = inward  # (then drawn over the surface: see LessonScene.add_axes)
    return set_layer(line, FLOOR), set_layer(labels, MARKS if inward else FLOOR)


def minima_marks(view: View, minima: Sequence[Any], theme: Theme, zoom: float = 1.0) -> MinimaMarks:
    """:class:`~gdscenes.drawing.markers.MinimaMarks` of ``minima``, built once per landscape in a warm
    process (:func:`~gdscenes.drawing.reuse.reuse`; it reads the view's domain and its points over the minima)."""
    xs, ys = np.array([m.x for m in minima], dtype=float), np.array([m.y for m in minima], dtype=float)
    parts = ("minima marks", tuple(minima), view.domain, view.surface_points(xs, ys, lift=0.02),
             view.floor_points(xs, ys, lift=0.01), theme, zoom, type_key())
    return reuse(key(*parts), lambda: MinimaMarks(view, minima, theme, zoom))


def round_tick(value: float) -> float:
    """A tick value without float noise (``0.30000000000000004`` -> ``0.3``)."""
    return float(f"{value:.6g}")


class LossMesh(OpenGLSurface):
    """The loss surface as one triangle mesh (OpenGL renderer), coloured per vertex.

    manim's :class:`Surface` is a group of one vectorized mobject per face;
    under OpenGL a single mesh is drawn by the GPU (or llvmpipe) in one call
    and depth-tested, so the ball is hidden exactly where the surface is in front.
    """

    def __init__(self, view: View, resolution: int, opacity: float, **kwargs: object) -> None:
        self.view = view
        (x0, x1), (y0, y1) = view.domain
        # The shader takes normals from points nudged by +epsilon; keep those
        # inside the domain, where the view would clamp them onto the edge.
        inset = 2 * 1e-5
        super().__init__(
            u_range=(x0, x1 - inset), v_range=(y0, y1 - inset), resolution=(resolution, resolution),
            opacity=opacity, epsilon=1e-5, **kwargs,
        )

    def init_points(self) -> LossMesh:
        nu, nv = self.resolution
        u, v = np.meshgrid(np.linspace(*self.u_range, nu), np.linspace(*self.v_range, nv), indexing="ij")
        u, v = u.ravel(), v.ravel()
        eps = self.epsilon
        self.set_points(np.vstack([self.view.surface_points(u + du, v + dv) for du, dv in ((0, 0), (eps, 0), (0, eps))]))
        heights = self.view.shade_of(u, v)  # (colours: by log on a log-scaled landscape)
        self.vertex_rgbas = np.column_stack([colormap(heights), np.full(len(u), self.opacity)])
        return self

    def fill_in_shader_color_info(self, shader_data: np.ndarray) -> np.ndarray:
        shader_data["color"] = self.vertex_rgbas
        return shader_data


class LossFaces(Surface):
    """manim's :class:`~manim.mobject.three_d.three_dimensions.Surface` of ``view``'s landscape (Cairo), its faces'
    points mapped onto the landscape all at once: manim maps them one point at a time (25,600 calls for 40 x 40
    faces, most of the time a lesson took to build). The same points."""

    def __init__(self, view: View, **kwargs: Any) -> None:
        self.view, self._mapping = view, True
        super().__init__(lambda u, v: view.surface_points(u, v), **kwargs)
        self._mapping = False

    def apply_function(self, function: Callable[[np.ndarray], np.ndarray], **kwargs: Any) -> LossFaces:
        if not self._mapping or kwargs:  # (Surface's own mapping of its (u, v, 0) points, as it is built)
            return super().apply_function(function, **kwargs)  # type: ignore[no-any-return]
        factor = self.pre_function_handle_to_anchor_scale_factor  # (as VMobject.apply_function: the handles follow)
        self.scale_handle_to_anchor_distances(factor)
        faces = self.family_members_with_points()
        mapped = self.view.surface_points(*np.vstack([face.points for face in faces])[:, :2].T)
        start = 0
        for face in faces:
            face.points, start = mapped[start:start + len(face.points)], start + len(face.points)
        self.scale_handle_to_anchor_distances(1.0 / factor)
        if self.make_smooth_after_applying_functions:
            self.make_smooth()
        return self


def loss_surface(
    view: View,
    theme: Theme,
    resolution: int = 40,
    opacity: float = 0.9,
    mesh_opacity: float = 0.25,
) -> Mobject:
    """The loss surface, coloured by height.

    Under Cairo, ``resolution`` x ``resolution`` faces each filled by the
    colormap at its mean height, with a faint mesh; under OpenGL one smooth
    mesh (:class:`LossMesh`) with twice the resolution.
    """
    if config.renderer == RendererType.OPENGL:
        mesh = LossMesh(view, 2 * resolution + 1, opacity=1.0, gloss=0.1, shadow=0.15)
        mesh.gd_static = True  # never changes: the renderer keeps its vertex buffers
        mesh.gd_shader = surface_shader.PROGRAM  # lit per vertex, with the Cairo faces' mesh lines
        mesh.uniforms.update({
            "mesh_rows": float(mesh.resolution[1]), "mesh_step": 2.0,  # a line between Cairo's faces
            "mesh_color": (*hex_to_rgb(theme.mesh), mesh_opacity),
            # Cairo's 0.4-wide stroke in pixels (0.01 frame units per width unit, 8 units a frame high)
            "mesh_width": 0.4 * LINE_WIDTH_UNIT * config.pixel_height / config.frame_height,
        })
        return set_layer(mesh, SURFACE)
    (x0, x1), (y0, y1) = view.domain
    surface = LossFaces(
        view,
        u_range=(x0, x1),
        v_range=(y0, y1),
        resolution=resolution,
        fill_opacity=opacity,
        checkerboard_colors=False,
        stroke_color=theme.mesh,
        stroke_width=0.4,
    )
    faces = list(surface.submobjects)
    centres = np.array([[(f.u1 + f.u2) / 2, (f.v1 + f.v2) / 2] for f in faces])
    colours = colormap(view.shade_of(centres[:, 0], centres[:, 1]))
    for face, rgb in zip(faces, colours):
        face.set_fill(rgb_to_hex(rgb), opacity=opacity)
        face.set_stroke(theme.mesh, width=0.4, opacity=mesh_opacity)
    return set_layer(surface, SURFACE)


def contour_floor(view: View, theme: Theme, count: int = 14, stroke_width: float = 2.0) -> VGroup:
    """Contour lines of the loss on the floor plane, coloured like the surface
    (made legible on the floor: :meth:`~gdscenes.display.palette.Theme.line_color`).

    All lines of one level form one mobject of several subpaths: a few draw
    calls per frame instead of one per line. In a warm process it is built once per landscape
    (:func:`~gdscenes.drawing.reuse.reuse`, keyed on the loss sampled where the contours are traced).
    """
    parts = ("contour_floor", view_key(view), theme, count, stroke_width)
    return reuse(key(*parts), lambda: _contour_floor(view, theme, count, stroke_width))


def view_key(view: View) -> tuple[Any, ...]:
    """What :func:`contour_floor` reads of ``view``: its domain, sizes and height map, and the loss
    on the grid the contours are traced on (a part of a :func:`~gdscenes.drawing.reuse.key`)."""
    return view.domain, view.width, view.depth, view.height, view.floor_gap, view.heights, sample(view)[2]


def _contour_floor(view: View, theme: Theme, count: int, stroke_width: float) -> VGroup:
    (x0, x1), (y0, y1) = view.domain
    corners = view.floor_points(np.array([x0, x1, x1, x0]), np.array([y0, y0, y1, y1]))
    plate = Polygon(*corners, stroke_width=0, fill_color=theme.panel, fill_opacity=FLOOR_OPACITY)
    levels: dict[float, Polyline] = {}
    for line in contour_lines(view, count):
        points = view.floor_points(line.points[:, 0], line.points[:, 1])
        level = levels.get(line.height)
        if level is None:
            levels[line.height] = Polyline(
                points, stroke_width=stroke_width, stroke_color=theme.line_color(line.height)
            )
        else:
            level.add_subpath(points)
    floor = VGroup(plate, VGroup(*levels.values()))
    floor.gd_bake = True  # under OpenGL: painted once into a texture (gdscenes.drawing.gl.renderer)
    return set_layer(floor, FLOOR)


