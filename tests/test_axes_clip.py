"""The axes are placed for the whole clip, not its first 20 seconds.

A long clip's orbit turned on past the views the labels were placed for (the
saddle's 31 s clip ended seen almost along its x axis, its "-1" under the
surface's front lip); the orbit now turns at most 20 degrees in a clip, the
labels are placed for views across all of it, a row of floor labels the
surface would hide stands farther out, crowded labels are thinned, and a long
axis name keeps clear of the tick labels. Checked against values worked out by
hand and through each lesson's own camera.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from manim import tempconfig

from gdscenes.display.visibility import hidden
from gdscenes.drawing import type_scale
from gdscenes.drawing.camera import MOST_TURN, CameraMove, Orbit
from gdscenes.drawing.landscape import DIGIT_WIDTH, LABEL_SPACE, clear_of_labels, labelled_ticks, seen_hidden
from gdscenes.drawing.layout import Layout, landscape_extent
from gdscenes.production.render import frame_config
from gdscenes.scenes.lesson import AXES_VIEW_SECONDS, LessonScene
from gdscenes.scenes.registry import SCENES
from tests.test_square_axes import framed

#: Straight down, x to the right and y up on screen (manim's theta -90 degrees).
TOP = (0.0, np.radians(-90.0))


def test_an_orbit_turns_at_most_30_degrees_in_a_clip() -> None:
    """1.5 degrees a second for 40 s would turn 60: it turns 20 at 0.5 a second; a short clip keeps its speed;
    a turn to the left stays to the left."""
    assert MOST_TURN == 20.0
    assert Orbit(theta_rate=1.5).turning_at_most(40.0).theta_rate == pytest.approx(0.5)
    assert Orbit(theta_rate=1.5).turning_at_most(40.0, 30.0).theta_rate == pytest.approx(0.75)
    assert Orbit(theta_rate=-3.0).turning_at_most(10.0).theta_rate == pytest.approx(-2.0)
    short = Orbit(theta_rate=1.5)
    assert short.turning_at_most(12.0) is short and short.turning_at_most(0.0) is short


def test_the_axes_views_span_the_whole_clip() -> None:
    """Given the clip's camera move, views from its first frame to its last, one at least every 8 s."""
    orbit = Orbit(theta=-60.0, theta_rate=1.0)
    move = CameraMove("orbit", orbit, 30.0, 34.0)
    views = LessonScene.axes_views(None, orbit, move=move)  # type: ignore[arg-type]
    assert AXES_VIEW_SECONDS == 8.0 and len(views) == 6  # (ceil(34 / 8) + 1)
    assert views[0] == pytest.approx((np.radians(60.0), np.radians(-60.0)))
    assert views[-1] == pytest.approx((np.radians(60.0), np.radians(-26.0)))
    assert np.all(np.diff([t for _, t in views]) <= np.radians(8.0) + 1e-9)
    assert LessonScene.axes_views(None, orbit)[-1] == pytest.approx((np.radians(60.0), np.radians(-40.0)))  # type: ignore[arg-type]


def test_crowded_tick_labels_are_thinned_to_every_other() -> None:
    """Ticks 0, 0.2, ..., 1.4 a quarter of a unit apart on screen (seen from straight above at zoom 1): "0.2" and
    "0.4" are each about 3 x 0.62 digits wide, so neighbours need (1.86 + 1.86) / 2 + 0.5 = 2.36 caption digits
    (0.40 units) between their centres, more than 0.25; every other one (0, 0.4, 0.8, 1.2) is 0.5 apart: kept.
    Spread four times wider, all are kept; at 0.45 of the zoom every other one is 0.225 apart, too close, and every
    fifth (0 and 1, 0.5625 apart, "0" and "1" needing 0.62 + 0.5 = 1.12 digits) is what is left."""
    values = np.round(np.arange(0.0, 1.41, 0.2), 10)
    points = 1.25 * np.column_stack([values, np.zeros_like(values), np.zeros_like(values)])
    digit = type_scale.height("caption")
    assert 0.25 < 2.36 * digit <= 0.5 and 2.36 * digit > 0.225 and 1.12 * digit <= 0.5625
    keep = labelled_ticks(values, points, [TOP], 1.0)
    assert values[keep].tolist() == [0.0, 0.4, 0.8, 1.2]
    assert labelled_ticks(values, 4 * points, [TOP], 1.0).all()
    assert values[labelled_ticks(values, points, [TOP], 0.45)].tolist() == [0.0, 1.0]
    assert (DIGIT_WIDTH, LABEL_SPACE) == (0.62, 0.5)


def test_a_name_is_moved_on_until_it_keeps_clear_of_the_tick_labels() -> None:
    """Seen from straight above at zoom 1, a name centred on a tick label moves up until their boxes are half a
    caption digit apart: by half of both heights plus half a digit (to the next 0.02)."""
    digit = type_scale.height("caption")
    tick = type_scale.math("0.5", "caption")
    name = type_scale.math(r"\theta_0", "body")
    need = (tick.height + name.height) / 2 + LABEL_SPACE * digit
    at = clear_of_labels(np.zeros(3), np.array([0.0, 1.0, 0.0]), name, [tick], [TOP], 1.0)
    assert need <= at[1] <= need + 0.02 + 1e-9 and at[0] == 0.0
    # Far from every label already: not moved.
    far = clear_of_labels(np.array([3.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0]), name, [tick], [TOP], 1.0)
    assert far.tolist() == [3.0, 0.0, 0.0]
    assert clear_of_labels(np.zeros(3), np.array([0.0, 1.0, 0.0]), name, [], [TOP], 1.0).tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("name", ["saddle", "descent", "logistic-fit"])
def test_no_floor_label_is_hidden_at_any_moment_of_the_clip(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The floor axes' tick labels and names, their boxes at their size on screen, are seen (the surface between
    none of their corners and the camera) from the clip's camera every 2 seconds from its first frame to its last,
    and the camera turns no more than 20 degrees. Before: the saddle's camera turned 37 degrees over its 24.5 s of
    steps and hold and ended seen almost along the x axis, "-2" and "-1" under the surface's front lip."""
    scene = framed(name, "16:9", monkeypatch)
    move = scene.camera_move
    first, last = move.shot(0.0), move.shot(move.end)
    assert abs(last.theta - first.theta) <= MOST_TURN + 1e-9
    labels = [m for m in scene.axes_parts[2] if m.get_center()[2] < 0]  # (the floor's: below the surface's zero)
    assert len(labels) >= 8
    for seconds in np.arange(0.0, move.end + 1e-9, 2.0):
        shot = move.shot(float(seconds))
        phi, theta = shot.angles()
        for label in labels:
            half = (label.width / 2 / shot.zoom, label.height / 2 / shot.zoom)
            assert not seen_hidden(scene.view, label.get_center(), [(phi, theta)], [None], half), \
                f"{name}: {label.tex_strings} hidden {seconds:.0f} s into the clip"


def test_a_map_seen_from_above_fills_a_square_frame() -> None:
    """contour's map (straight down, not turning) is fitted as it is seen, not as every azimuth would see it (the
    square turned, with the height axis' place): its 6-unit floor with its labels and names (1 unit round it) is 8
    units across, not 9.37, so at 1:1 it is shown 1.17 times as large, the whole of it inside the landscape's
    region, centred in it."""
    cls = SCENES["contour"]
    with tempconfig(frame_config("l", "1:1")):
        layout = Layout.current()
        view = lesson_view(cls)
        orbit = layout.orbit(cls.orbit, view)
        left, right, bottom, top = landscape_extent(view, 0.0)  # (every azimuth: the square's diagonal)
        cx, cy, width, height = layout.landscape_rect()
        before = min(0.99 * width / (right - left), 0.99 * height / (top - bottom))
        assert view.width == 6.0 and right - left > 9.3  # (measured: 9.37 over 36 azimuths)
        assert orbit.zoom == pytest.approx(before * (right - left) / 8.0, rel=1e-3)
        assert orbit.zoom * 8.0 <= min(width, height) + 1e-9
        assert abs(orbit.screen_offset[0] - cx) < 1e-9 and abs(orbit.screen_offset[1] - cy) < 1e-9


def lesson_view(cls: Any) -> Any:
    from gdscenes.display.view import View

    loss = cls.get_loss()
    global_minima = [m.f for m in loss.minima if m.kind == "global"]
    return View.fit(loss.value, cls.plot_domain(loss), f_min=min(global_minima, default=None), scale=cls.height_scale,
                    **cls.view_sizes)


def test_seen_hidden_looks_at_a_box_not_only_its_centre() -> None:
    """A point just past a bowl's rim, seen from the side across the bowl: its centre clears the rim, its box
    reaching down does not."""
    from gdscenes.core.losses import get_loss
    from gdscenes.display.view import View

    loss = get_loss("quadratic_bowl")
    view = View.fit(loss.value, ((-2.0, 2.0), (-2.0, 2.0)))
    side = (np.radians(80.0), 0.0)  # (from +x, nearly level)
    rim = view.surface_points(np.array([-2.0]), np.array([0.0]))[0]
    point = rim + np.array([-0.3, 0.0, 0.25])  # (past the far rim, a little above it)
    assert not hidden(view, point[None], *side)[0] and not seen_hidden(view, point, [side], [None])
    assert seen_hidden(view, point, [side], [None], (0.0, 0.6))


def test_the_camera_moves_until_the_clips_last_frame_when_a_duration_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--duration 12`` scales the hold with the rest of the clip (descent: 3 s of hold become 12 / (0.6 + steps + 3)
    times as long): the camera's move, and the views the axes are placed for, end with the clip's last frame, not 3 s
    after the steps (it ran on past the clip, or stopped short of it)."""
    cls = SCENES["descent"]
    monkeypatch.setattr(cls, "duration", 12.0)
    scene = framed("descent", "16:9", monkeypatch)
    opening, steps, hold = cls.clip_timing(len(scene.step_seconds))
    assert opening + float(steps.sum()) + hold == pytest.approx(12.0)
    assert scene.hold_time == pytest.approx(hold) and hold != pytest.approx(cls.hold_seconds)
    assert scene.camera_move.end == pytest.approx(float(scene.step_seconds.sum()) + hold)
