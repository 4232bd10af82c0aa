"""Contour lines of a loss over its domain (contourpy; no manim).

Levels are spaced evenly in *drawn* height, so a log-scaled landscape gets
log-spaced contours and the floor shows the same structure as the surface.
"""

from __future__ import annotations

from dataclasses import dataclass

import contourpy
import numpy as np

from gdscenes.view import View, grid


@dataclass(frozen=True)
class ContourLine:
    """One connected contour line: its normalised height and its points ``(M, 2)``."""

    height: float
    level: float
    points: np.ndarray


def contour_lines(view: View, count: int = 14, samples: int = 161, min_points: int = 4) -> list[ContourLine]:
    """Contour lines at ``count`` heights evenly spaced in ``(0, 1)``."""
    xs, ys = grid(view.domain, samples)
    with np.errstate(all="ignore"):
        zs = view.value(xs, ys)
    zs = np.where(np.isfinite(zs), zs, view.heights.f_max)
    generator = contourpy.contour_generator(xs, ys, zs, line_type=contourpy.LineType.Separate)
    lines = []
    for h in np.linspace(0.0, 1.0, count + 2)[1:-1]:
        level = float(view.heights.inverse(h))
        for segment in generator.lines(level):
            if len(segment) >= min_points:
                lines.append(ContourLine(float(h), level, np.asarray(segment, dtype=float)))
    return lines
