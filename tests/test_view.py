"""Display geometry (pure numpy) against closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from gdscenes.display.contours import contour_lines
from gdscenes.core.losses import get_loss
from gdscenes.display.view import KNEE, HeightMap, View, path_samples, soft_clip


def plane_x(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=float) + 0 * np.asarray(y, dtype=float)


def test_height_map_is_monotone_bounded_and_invertible() -> None:
    for scale in ("linear", "log"):
        hm = HeightMap(f_min=2.0, f_max=102.0, scale=scale, softness=0.5)
        f = np.linspace(2.0, 1e6, 2001)
        h = hm(f)
        assert h[0] == 0.0 and np.all(np.diff(h) >= 0) and h.max() <= 1.0
        assert hm(hm.f_max) < 1.0
        levels = np.linspace(0.0, 0.99, 50)
        assert hm(hm.inverse(levels)) == pytest.approx(levels, abs=1e-9)
    # Linear below the knee: f_min + 0.5 * span is drawn at exactly 0.5.
    assert HeightMap(0.0, 10.0)(5.0) == pytest.approx(0.5)
    assert float(soft_clip(np.array(KNEE - 0.1))) == pytest.approx(KNEE - 0.1)
    assert HeightMap(0.0, 1.0)(np.array([np.nan, np.inf]))[0] == pytest.approx(1.0, abs=1e-9)


def test_auto_scale_uses_log_only_for_valley_landscapes() -> None:
    def view_of(name: str) -> View:
        loss = get_loss(name)
        return View.fit(loss.value, loss.domain, f_min=min(m.f for m in loss.minima))

    assert view_of("quadratic_bowl").heights.scale == "linear"
    assert view_of("himmelblau").heights.scale == "linear"
    assert view_of("goldstein_price").heights.scale == "log"
    assert view_of("rosenbrock").heights.scale == "log"


def test_plane_maps_the_domain_onto_the_box_and_clamps_outside_points() -> None:
    view = View(plane_x, ((-5.0, 5.0), (0.0, 2.0)), HeightMap(-5.0, 5.0), width=6.0, depth=4.0)
    X, Y = view.plane(np.array([-5.0, 5.0, 0.0, 50.0]), np.array([0.0, 2.0, 1.0, -9.0]))
    assert X.tolist() == [-3.0, 3.0, 0.0, 3.0]
    assert Y.tolist() == [-2.0, 2.0, 0.0, -2.0]


def test_normals_and_resting_points_of_a_tilted_plane() -> None:
    # value = x on [0, 1]^2, linear heights: z = x * height, X = x * width - width / 2,
    # so dz/dX = height / width and the normal is (-height / width, 0, 1), normalised.
    view = View(plane_x, ((0.0, 1.0), (0.0, 1.0)), HeightMap(0.0, 1.0), width=6.0, depth=6.0, height=3.0)
    n = view.normals(0.3, 0.5)
    expected = np.array([-0.5, 0.0, 1.0]) / np.sqrt(1.25)
    assert n == pytest.approx(expected, abs=1e-9)
    centre = view.resting_points(0.3, 0.5, 0.2)
    assert np.linalg.norm(centre - view.surface_points(0.3, 0.5)) == pytest.approx(0.2)
    assert view.floor_points(0.3, 0.5)[2] == pytest.approx(-view.floor_gap)


def test_path_samples_keep_every_iterate() -> None:
    points = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 2.0]])
    dense = path_samples(points, 4)
    assert len(dense) == 2 * 4 + 1
    assert dense[::4] == pytest.approx(points)
    assert dense[1] == pytest.approx([0.25, 0.0])


def test_contours_of_the_bowl_are_circles_of_radius_sqrt_level() -> None:
    loss = get_loss("quadratic_bowl")
    view = View.fit(loss.value, loss.domain, f_min=0.0, scale="linear")
    lines = contour_lines(view, count=6, samples=201)
    assert len(lines) >= 6
    for line in lines:
        radii = np.linalg.norm(line.points, axis=1)
        if line.level < 0.8 * min(-loss.domain[0][0], loss.domain[0][1]) ** 2:  # whole circles only
            assert radii == pytest.approx(np.sqrt(line.level), rel=2e-3)


def rosenbrock_view() -> View:
    loss = get_loss("rosenbrock")
    return View.fit(loss.value, loss.domain, f_min=0.0)


def test_a_log_scaled_rosenbrock_keeps_the_valley_s_true_cross_section() -> None:
    """Across the valley at x = 0, f = 1 + 100 y^2: a parabola. Its drawn height stays convex
    there (a trough, not the crease a steep log draws: log(1 + a y^2) turns concave beyond
    a y^2 = 1), and proportional to f - f_min within 10% up to the median loss."""
    view = rosenbrock_view()
    assert view.heights.scale == "log"
    y = np.linspace(-0.5, 0.5, 101)
    z = view.z_of(np.zeros_like(y), y)
    assert np.all(np.diff(z, 2) > 0)  # convex
    crease = HeightMap(0.0, view.heights.f_max, "log", view.heights.shade_softness)  # the old map: log from the 10% quantile
    assert np.any(np.diff(crease(1 + 100 * y**2), 2) < 0)  # (which creased it)
    f = np.linspace(0.0, view.heights.softness / 2, 50)[1:]
    ratio = view.heights(f) / f
    assert ratio.max() / ratio.min() < 1.25 and np.ptp(ratio[:10]) / ratio[0] < 0.1


def test_a_log_scaled_landscape_is_coloured_and_contoured_by_log_loss() -> None:
    view = rosenbrock_view()
    hm = view.heights
    s = hm.shade_softness
    assert s is not None and s < hm.softness
    # The colour is log1p((f - f_min) / s) / log1p(span / s) below the roll-off (closed form).
    f = hm.f_min + s * np.array([0.5, 3.0, 10.0, 40.0])
    assert hm.shade(f) == pytest.approx(np.log1p((f - hm.f_min) / s) / np.log1p((hm.f_max - hm.f_min) / s))
    c = np.linspace(0.0, 0.99, 40)
    assert hm.shade(hm.shade_inverse(c)) == pytest.approx(c, abs=1e-9)
    # Contour levels are evenly spaced in colour, so geometric in f - f_min above the softness.
    levels = np.array(sorted({line.level for line in contour_lines(view, 14)}))
    assert np.all(np.diff(levels) > 0)
    even = np.linspace(0, 1, 16)[1:-1]
    assert np.abs(hm.shade(levels)[:, None] - even[None]).min(axis=1).max() < 1e-6 and len(levels) >= 10
    high = levels[levels > 10 * s]
    ratios = high[1:] / high[:-1]
    assert np.ptp(ratios) / ratios.mean() < 0.35
    # A linear landscape's colour is its height.
    bowl = get_loss("himmelblau")
    linear = View.fit(bowl.value, bowl.domain, f_min=0.0)
    xs = np.linspace(-4, 4, 9)
    assert linear.shade_of(xs, xs) == pytest.approx(linear.z_of(xs, xs) / linear.height)


def test_the_height_note_states_the_transform() -> None:
    assert rosenbrock_view().note() == "log height for f > 145; log colour"
    loss = get_loss("himmelblau")
    view = View.fit(loss.value, loss.domain, f_min=0.0)
    # Heights are rolled off above KNEE of the 98% quantile: 0.8 x 480.7 = 385.
    assert view.note() == f"height flattened above f = {0.8 * view.heights.f_max:.3g}" == "height flattened above f = 385"
    assert HeightMap(0.0, 10.0, f_top=7.0).note() is None  # nothing rolled off: the height is the loss
