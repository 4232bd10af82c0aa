"""Contour lines of a loss over its domain (contourpy; no manim).

Levels are spaced evenly in *colour* (:meth:`gdscenes.display.view.HeightMap.shade`:
the drawn height on a linear landscape), so a log-scaled landscape gets
log-spaced contours coloured like the surface above them, and the floor shows
the floor of a narrow valley too.
"""

from __future__ import annotations

from dataclasses import dataclass

import contourpy
import numpy as np

from gdscenes.display.view import View, grid


@dataclass(frozen=True)
class ContourLine:
    """One connected contour line: its colour coordinate (``height``: the normalised height
    on a linear landscape), its loss ``level`` and its points ``(M, 2)``."""

    height: float
    level: float
    points: np.ndarray


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Ramer-Douglas-Peucker: the fewest of ``points`` (``(M, 2)``) that keep the
    polyline within ``tolerance`` of the original; both ends are kept."""
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        chord = points[b] - points[a]
        offsets = points[a + 1 : b] - points[a]
        length = np.hypot(*chord)
        if length > 0:
            distance = np.abs(chord[0] * offsets[:, 1] - chord[1] * offsets[:, 0]) / length
        else:
            distance = np.hypot(offsets[:, 0], offsets[:, 1])
        i = int(np.argmax(distance))
        if distance[i] > tolerance:
            keep[a + 1 + i] = True
            stack += [(a, a + 1 + i), (a + 1 + i, b)]
    return points[keep]


#: Grid points along each side of the domain that contours are traced on.
SAMPLES = 161


def sample(view: View, samples: int = SAMPLES) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grid ``xs, ys`` over ``view``'s domain and the loss ``zs`` on it (``f_max`` where it is not finite)."""
    xs, ys = grid(view.domain, samples)
    with np.errstate(all="ignore"):
        zs = view.value(xs, ys)
    return xs, ys, np.where(np.isfinite(zs), zs, view.heights.f_max)


def contour_lines(
    view: View, count: int = 14, samples: int = SAMPLES, min_points: int = 4, tolerance: float = 2e-4
) -> list[ContourLine]:
    """Contour lines at ``count`` colour coordinates evenly spaced in ``(0, 1)``, simplified to
    within ``tolerance`` of the domain's larger side (a fraction of a pixel at 4K)."""
    (x0, x1), (y0, y1) = view.domain
    tolerance *= max(x1 - x0, y1 - y0)
    xs, ys, zs = sample(view, samples)
    generator = contourpy.contour_generator(xs, ys, zs, line_type=contourpy.LineType.Separate)
    lines = []
    for h in np.linspace(0.0, 1.0, count + 2)[1:-1]:
        level = float(view.heights.shade_inverse(h))
        for segment in generator.lines(level):
            if len(segment) >= min_points:
                points = simplify(np.asarray(segment, dtype=float), tolerance)
                lines.append(ContourLine(float(h), level, points))
    return lines
