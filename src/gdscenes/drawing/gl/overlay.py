"""Paint fixed-in-frame vectorized mobjects with Cairo into an RGBA image.

Under the OpenGL renderer, glyph outlines drawn by manim's fill shader come
out heavier than under Cairo, and cost a geometry-shader pass per curve on a
CPU rasterizer. The equation panel is flat, fixed in the frame and changes
once per step, so :class:`gdscenes.drawing.gl.renderer.LessonRenderer` has it
painted here, with Cairo's anti-aliasing (the same text as the Cairo
renderer draws), and composites the image over the 3D picture.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import cairo
import numpy as np


class _FrameShape(Sequence[float]):
    """``(frame_width, frame_height)`` of manim's configured frame, read when used.

    The lesson lays fixed-in-frame text out in the configured frame
    (:class:`~gdscenes.drawing.layout.Layout`), whatever its shape (16:9,
    9:16, 1:1), so the overlay maps that frame onto the picture. (manim's own
    fixed-in-frame shader assumes a 16:9 frame 8 units high, which squeezes
    text in any other shape; the overlay replaces it.)
    """

    def __getitem__(self, index: Any) -> Any:
        from manim import config

        return (float(config.frame_width), float(config.frame_height))[index]

    def __len__(self) -> int:
        return 2

    def __iter__(self) -> Iterator[float]:
        return iter(self[:])

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.array(self[:], dtype=dtype)


#: The frame fixed-in-frame points are laid out in: manim's configured frame (read when used).
FIXED_FRAME_SHAPE = _FrameShape()
#: manim's stroke width unit, in frame units (``Camera.cairo_line_width_multiple``).
LINE_WIDTH_UNIT = 0.01


def _trace(ctx: cairo.Context, points: np.ndarray, tolerance: float) -> None:
    """Add the subpaths of an OpenGL VMobject's ``points`` (quadratic Bezier curves,
    three points each) to ``ctx``'s path as cubic curves, closing the closed ones.

    Subpaths split where a curve does not start where the last one ended, as in
    manim's ``get_subpaths``, but all curves are converted in one numpy pass."""
    if len(points) < 3:
        return
    ends_to_starts = points[2:-1:3] - points[3::3]
    breaks = np.flatnonzero((ends_to_starts * ends_to_starts).sum(axis=1) > tolerance) + 1  # curve indices
    xy = points[: len(points) // 3 * 3, :2]
    a, h, b = xy[0::3], xy[1::3], xy[2::3]
    starts = a.tolist()
    curves = np.hstack([a + 2 / 3 * (h - a), b + 2 / 3 * (h - b), b]).tolist()  # c1, c2, end
    bounds = [0, *breaks.tolist(), len(starts)]
    move_to, curve_to = ctx.move_to, ctx.curve_to
    for first, stop in zip(bounds, bounds[1:]):
        move_to(*starts[first])
        for row in curves[first:stop]:
            curve_to(*row)
        # closed if it ends where it started (numpy's allclose: 1e-8 + 1e-5 of the end)
        if all(abs(p - q) <= 1e-8 + 1e-5 * abs(q) for p, q in zip(starts[first], curves[stop - 1][4:])):
            ctx.close_path()


def _paint_of(mob: Any) -> tuple[np.ndarray | None, np.ndarray | None, float]:
    """``mob``'s fill colour, stroke colour (RGBA, or None) and stroke width, as :func:`paint_one` paints them."""
    fill = np.asarray(mob.fill_rgba).reshape(-1, 4)[0] if hasattr(mob, "fill_rgba") else None
    stroke = np.asarray(mob.stroke_rgba).reshape(-1, 4)[0] if hasattr(mob, "stroke_rgba") else None
    stroke_width = float(np.asarray(mob.stroke_width).ravel()[0]) if hasattr(mob, "stroke_width") else 0.0
    return fill, stroke, stroke_width


def _invisible(fill: np.ndarray | None, stroke: np.ndarray | None, stroke_width: float) -> bool:
    return fill is not None and fill[3] <= 0 and (stroke is None or stroke[3] <= 0 or stroke_width <= 0)


def paints_anything(top: Any) -> bool:
    """Whether :func:`paint_one` paints anything of ``top``'s family: a member with a curve
    (three points) that is not wholly transparent.

    A fixed-in-frame mobject with nothing to paint (an empty "x N" marker, a title
    before ``Write`` has drawn a stroke) has no box on the frame: the renderer leaves it
    out instead of clearing a box around the frame's centre (where a mobject without
    points is) to the background."""
    return any(len(m.points) >= 3 and not _invisible(*_paint_of(m)) for m in top.get_family())


class Paths:
    """Cairo paths traced by :func:`paint_one`, kept from one paint to the next of the same layer, under the
    same matrix (the caller's charge): a member whose points did not change since is added to the path by
    ``append_path`` instead of being traced again. Cairo keeps a path in fixed point (1/256 of a pixel);
    ``copy_path`` gives it back in user space and ``append_path`` turns that into the same fixed-point
    numbers, so the path, and the pixels, are the same."""

    def __init__(self) -> None:
        self.last: dict[Any, cairo.Path] = {}
        self.now: dict[Any, cairo.Path] = {}

    def next_paint(self) -> None:
        """Keep only the paths the paint that ended used (so that the cache does not grow)."""
        self.last, self.now = self.now, {}

    def add(self, ctx: cairo.Context, points: np.ndarray, tolerance: float) -> None:
        key = (points.dtype.str, points.shape, points.tobytes(), tolerance)
        path = self.now.get(key)
        if path is None:
            path = self.last.get(key)
        if path is None:
            _trace(ctx, points, tolerance)
            path = ctx.copy_path()
        else:
            ctx.append_path(path)
        self.now[key] = path


def paint_one(ctx: cairo.Context, mob: Any, paths: Paths | None = None) -> None:
    fill, stroke, stroke_width = _paint_of(mob)
    if _invisible(fill, stroke, stroke_width):
        return
    ctx.new_path()
    points, tolerance = np.asarray(mob.points), getattr(mob, "tolerance_for_point_equality", 1e-8)
    if paths is None:
        _trace(ctx, points, tolerance)
    else:
        paths.add(ctx, points, tolerance)
    if fill is not None and fill[3] > 0:
        ctx.set_source_rgba(*fill)
        ctx.fill_preserve()
    if stroke is not None and stroke[3] > 0 and stroke_width > 0:
        ctx.set_source_rgba(*stroke)
        ctx.set_line_width(stroke_width * LINE_WIDTH_UNIT)
        ctx.stroke_preserve()
