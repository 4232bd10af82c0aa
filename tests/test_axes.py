"""Axes a scientist accepts: named on all three, ticks not hidden nor overlapping, a colour bar, minima marked.

Static checks build the axes of every lesson's landscape and look at them
from the lesson's camera (the surface-occlusion model of
:func:`gdscenes.display.visibility.hidden`, and an orthographic projection
onto the camera's plane for overlaps); one render checks the minima markers
at their projected pixels and the axis names in a real frame.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gdscenes.core.losses import get_loss
from gdscenes.display.palette import DARK, colormap, hex_to_rgb
from gdscenes.display.view import View
from gdscenes.display.visibility import camera_direction, hidden
from gdscenes.drawing.colour_bar import ColourBar
from gdscenes.drawing.landscape import axes_plan, floor_axes, height_axis, height_ticks, tick_text
from gdscenes.drawing.markers import STAR_FILL, MinimaMarks, minimum_value_tex
from gdscenes.scenes.descent_1d import CurveScene
from gdscenes.scenes.registry import SCENES


def lesson_view(cls: Any) -> View:
    loss = cls.get_loss()
    global_minima = [m.f for m in loss.minima if m.kind == "global"]
    return View.fit(loss.value, cls.plot_domain(loss), f_min=min(global_minima, default=None), scale=cls.height_scale,
                    **cls.view_sizes)


def views_of(cls: Any) -> list[tuple[float, float]]:
    return [cls.orbit.angles(t) for t in (0.0, 10.0, 20.0)]


def screen(points: np.ndarray, phi: float, theta: float) -> np.ndarray:
    """Orthographic screen coordinates (right, up) of display points seen from ``phi, theta``."""
    d = camera_direction(phi, theta)
    right = np.array([-np.sin(theta), np.cos(theta), 0.0])
    up = np.cross(d, right)
    return np.column_stack([points @ right, points @ up])


def label_text(mob: Any) -> str:
    return "".join(mob.tex_strings) if hasattr(mob, "tex_strings") else ""


@pytest.mark.parametrize("name", sorted(n for n, c in SCENES.items() if not issubclass(c, CurveScene)))  # (1D: test_lessons_1d)
def test_every_lesson_names_its_axes_and_the_surface_hides_no_label(name: str) -> None:
    cls = SCENES[name]
    view = lesson_view(cls)
    views = views_of(cls)
    lines, labels = floor_axes(view, DARK, views)
    texts = [label_text(m) for m in labels]
    assert "x" in texts and "y" in texts, f"{name}: axis names {texts}"
    f_line, f_labels = height_axis(view, DARK, views)
    assert "f" in [label_text(m) for m in f_labels]
    centres = np.array([m.get_center() for m in labels])
    for phi, theta in views[:2]:  # (the default orbit's first 10 seconds)
        blocked = hidden(view, centres, phi, theta)
        assert not blocked.any(), f"{name}: hidden labels {[t for t, b in zip(texts, blocked) if b]}"
    # Tick values on each floor axis: its domain's nice ticks; the corner value written once.
    ticks_x, _, _ = labels.plan["x"]
    (x0, x1), _ = view.domain
    assert ticks_x[0] >= x0 - 1e-9 and ticks_x[-1] <= x1 + 1e-9 and len(ticks_x) >= 3


@pytest.mark.parametrize("name", ["descent", "race", "learning-rate", "sgd-noise", "local-minima", "valley"])
def test_tick_labels_never_overlap_on_screen(name: str) -> None:
    cls = SCENES[name]
    view = lesson_view(cls)
    views = views_of(cls)
    _, labels = floor_axes(view, DARK, views)
    _, f_labels = height_axis(view, DARK, views)
    every = [*labels, *f_labels]
    for phi, theta in views:
        xy = screen(np.array([m.get_center() for m in every]), phi, theta)
        half = np.array([[m.width / 2, m.height / 2] for m in every])  # (billboards keep their size)
        for i in range(len(every)):
            for j in range(i + 1, len(every)):
                apart = np.abs(xy[i] - xy[j]) >= half[i] + half[j]
                assert apart.any(), f"{name}: {label_text(every[i])!r} overlaps {label_text(every[j])!r}"


def test_the_corner_tick_is_written_once() -> None:
    # The ill-conditioned quadratic on [-3, 3] x [-2, 2]: both axes have a tick at the shared corner
    # (today "-2" was written over "-3" there).
    view = lesson_view(SCENES["race"])
    plan = axes_plan(view)
    cx, cy = plan["corner"]
    ticks_x, _, _ = plan["x"]
    ticks_y, _, _ = plan["y"]
    assert np.isclose(ticks_x, cx).any()
    assert not np.isclose(ticks_y, cy).any()


def test_height_ticks_follow_the_surface_height_map() -> None:
    view = lesson_view(SCENES["descent"])  # Himmelblau, linear heights
    ticks = height_ticks(view)
    values = [v for v, _ in ticks]
    assert values[:3] == pytest.approx([0.0, 100.0, 200.0])  # worked out: span ~ 500, 1-2-5 step of 100
    for v, z in ticks:
        assert z == pytest.approx(float(view.heights(v)) * view.height)
    assert tick_text(-0.0) == "0" and tick_text(1e5) == "10^{5}" and tick_text(2e4) == r"2\times 10^{4}"


def test_colour_bar_is_keyed_to_the_surface_colours() -> None:
    view = lesson_view(SCENES["descent"])
    bar = ColourBar(view, DARK)
    left, right = bar.outline.get_left()[0], bar.outline.get_right()[0]
    for cell in bar.cells:
        share = (cell.get_center()[0] - left) / (right - left)
        # A cell at share s of the bar has the surface's colour at normalised height s.
        assert np.abs(hex_to_rgb(cell.get_fill_color().to_hex()) - colormap(share)).max() < 0.03
    # Its ticks sit where the height axis puts them: value v at share heights(v).
    for (value, _), tick in zip(bar.tick_heights, bar.ticks):
        assert (tick.get_center()[0] - left) / (right - left) == pytest.approx(float(view.heights(value)), abs=1e-6)


def test_minima_marks_sit_at_the_known_minima() -> None:
    loss = get_loss("himmelblau")
    view = View.fit(loss.value, loss.domain, f_min=0.0)
    marks = MinimaMarks(view, loss.minima, DARK)
    assert len(marks.stars) == len(loss.minima) == 4
    for m, star, cross in zip(loss.minima, marks.stars, marks.crosses):
        assert star.get_center() == pytest.approx(view.surface_points(m.x, m.y, lift=0.02), abs=1e-6)
        assert cross.get_center()[:2] == pytest.approx(view.floor_points(m.x, m.y)[:2], abs=1e-6)
    assert minimum_value_tex(1e-12, "global") == "f^* = 0"
    assert minimum_value_tex(0.4321, "local") == "f = 0.432"
    assert len(MinimaMarks(view, [], DARK).stars) == 0  # a user's expression may know no minimum


@pytest.mark.render
def test_rendered_frame_shows_the_minimum_marker_and_the_axis_names(tmp_path: Any) -> None:
    from gdscenes.drawing.projection import pixels
    from gdscenes.production.render import render, variant
    from tests.conftest import read_frames

    # Three steps: the balls are still far from the minimum, which the star marks.
    scene_cls = variant(SCENES["sgd-noise"], steps=3, resolution=12, intro_seconds=0.2, hold_seconds=0.2)
    result = render(scene_cls, "marks", quality="l", fps=5, media_dir=tmp_path)
    scene, frame = result.scene, read_frames(result.path)[-1].astype(float)
    height, width = frame.shape[:2]
    star = scene.marks.points[0]
    column, row = pixels(scene, star[None], width, height)[0]
    r, c = int(round(row)), int(round(column))
    patch = frame[r - 3 : r + 4, c - 3 : c + 4]
    # The star is drawn white over the dark-purple bottom of the surface.
    assert (np.linalg.norm(patch - hex_to_rgb(STAR_FILL) * 255, axis=-1) < 80).mean() > 0.3
    # Away from it (20 px off) the surface shows.
    off = frame[r - 3 : r + 4, c + 20 : c + 27]
    assert (np.linalg.norm(off - hex_to_rgb(STAR_FILL) * 255, axis=-1) < 80).mean() < 0.1
    # The names: ink in the text colour where the "y" and "f" labels are projected.
    labels = [m for group in scene.axes_parts[2:] for m in group if label_text(m) in ("x", "y", "f")]
    assert sorted(label_text(m) for m in labels) == ["f", "x", "y"]
    for m in labels:
        column, row = pixels(scene, m.get_center()[None], width, height)[0]
        r, c = int(round(row)), int(round(column))
        box = frame[r - 5 : r + 6, c - 5 : c + 6]
        ink = np.linalg.norm(box - hex_to_rgb(DARK.text) * 255, axis=-1) < 90
        assert ink.sum() >= 3, f"no {label_text(m)!r} at ({c}, {r})"


@pytest.mark.parametrize("name", ["fit-line", "logistic-fit"])
def test_a_two_line_axis_name_keeps_clear_of_the_ticks(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The data lessons name their floor axes on two lines (theta_0 over "intercept"): taller than a letter,
    each name is moved on from its axis' last tick label, so on screen it overlaps none of them."""
    from tests.test_square_text import placed_text

    scene = placed_text(name, "16:9", monkeypatch)["scene"]
    orbit = scene.lesson_orbit
    for group in scene.axes_parts[2:]:
        every = list(group)
        names = [i for i, m in enumerate(every) if r"\text{\small" in label_text(m)]
        for phi, theta in [orbit.angles(t) for t in (0.0, 5.0, 10.0)]:
            xy = screen(np.array([m.get_center() for m in every]), phi, theta)
            half = np.array([[m.width / 2, m.height / 2] for m in every])
            for i in names:
                for j in range(len(every)):
                    if j != i:
                        apart = np.abs(xy[i] - xy[j]) >= half[i] + half[j]
                        assert apart.any(), f"{name}: {label_text(every[i])!r} overlaps {label_text(every[j])!r}"


def test_the_axes_are_named_after_the_loss_parameters() -> None:
    """A user's loss over theta0 and theta1 names its floor axes theta_0 and theta_1 (typeset), a library loss x
    and y; the names stand where letters stand (a name no larger than a letter is not moved on)."""
    from gdscenes.drawing.landscape import name_reach
    from gdscenes.production.render import variant
    from gdscenes.scenes.lesson import LessonScene

    cls = variant(SCENES["descent"], loss="(theta0 - 1)^2 + 2*theta1^2")
    loss = cls.get_loss()
    assert LessonScene.names_of_axes(cls, loss) == (r"\theta_{0}", r"\theta_{1}", "f")  # type: ignore[arg-type]
    assert LessonScene.names_of_axes(SCENES["descent"], get_loss("himmelblau")) == ("x", "y", "f")  # type: ignore[arg-type]
    view = lesson_view(cls)
    views = views_of(cls)
    _, named = floor_axes(view, DARK, views, names=(r"\theta_{0}", r"\theta_{1}"))
    _, lettered = floor_axes(view, DARK, views)
    texts = [label_text(m) for m in named]
    assert r"\theta_{0}" in texts and r"\theta_{1}" in texts and "x" not in texts and "y" not in texts
    theta = next(m for m in named if label_text(m) == r"\theta_{0}")
    x = next(m for m in lettered if label_text(m) == "x")
    # A letter-sized name is not moved on for its size; a subscript makes it a little wider, so it may stand a
    # little farther along the axis than x (clear of the tick labels: clear_of_labels), never elsewhere.
    moved = theta.get_center() - x.get_center()
    along = axes_plan(view, views)["x along"]
    assert name_reach(theta) == 0.0 and np.allclose(np.cross(moved, along), 0.0, atol=1e-9)
    assert 0.0 <= moved @ along / np.linalg.norm(along) < 0.3
    _, f_labels = height_axis(view, DARK, views, name="J")
    assert "J" in [label_text(m) for m in f_labels]
