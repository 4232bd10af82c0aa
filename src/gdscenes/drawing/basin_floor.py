"""A basin-of-attraction map as a tint on the contour floor.

Cells of the :class:`~gdscenes.core.outcomes.BasinMap` grid that descend to the same
minimum are merged into horizontal runs, and all runs of one minimum form one
mobject of many rectangles: a handful of mobjects for thousands of starts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import VGroup

from gdscenes.core.outcomes import BasinMap
from gdscenes.drawing.camera import FLOOR, set_layer
from gdscenes.drawing.polyline import Polyline
from gdscenes.display.view import View


def basin_tint(view: View, basins: BasinMap, colors: Sequence[str], opacity: float = 0.35) -> VGroup:
    """One translucent region per minimum, in ``colors[i]`` for minimum ``i``, just above the floor plate."""
    xs, ys, labels = basins.xs[0], basins.ys[:, 0], basins.labels
    # Cell edges halfway between samples, clipped to the domain.
    (x0, x1), (y0, y1) = view.domain
    xe = np.concatenate([[x0], (xs[1:] + xs[:-1]) / 2, [x1]])
    ye = np.concatenate([[y0], (ys[1:] + ys[:-1]) / 2, [y1]])
    regions = []
    for index, color in enumerate(colors):
        region = Polyline(fill_color=color, fill_opacity=opacity, stroke_width=0)
        for row in range(labels.shape[0]):
            inside = np.concatenate([[False], labels[row] == index, [False]])
            changes = np.flatnonzero(np.diff(inside.astype(int)))
            for a, b in zip(changes[::2], changes[1::2]):
                cx = np.array([xe[a], xe[b], xe[b], xe[a], xe[a]])
                cy = np.array([ye[row], ye[row], ye[row + 1], ye[row + 1], ye[row]])
                corners = view.floor_points(cx, cy, lift=0.005)
                region.add_subpath(corners)
        regions.append(region)
    return set_layer(VGroup(*regions), FLOOR)
