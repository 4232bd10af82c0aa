"""Paced for a voice, steps as hops, the picture built on screen.

The numbers the pace must meet are the lecture bar's (docs: LECTURE.md): the
first 3 steps at least 1.2 s each, the result held at least 2.5 s, an opening
of at most 8 s, and a 3-step clip of at least 10 s, a 15-step one of 20 to 45 s,
a 200-step one of at most 60 s.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from gdscenes.core.losses import get_loss
from gdscenes.core.runner import run
from gdscenes.display import timeline
from gdscenes.display.palette import DARK, get_theme, hex_to_rgb
from gdscenes.display.view import View
from gdscenes.drawing.ball import RollingBall
from gdscenes.production.render import render, variant
from gdscenes.scenes import DescentScene
from tests.conftest import read_frames


# -- the pace, computed --------------------------------------------------------------
@pytest.mark.parametrize("steps, low, high", [(3, 10.0, math.inf), (15, 20.0, 45.0), (200, 0.0, 60.0)])
def test_default_clip_lengths_meet_the_bar(steps: int, low: float, high: float) -> None:
    opening, seconds, hold = DescentScene.clip_timing(steps)
    total = opening + seconds.sum() + hold
    assert low <= total <= high
    assert len(seconds) == steps
    assert opening <= 8.0 and hold >= 2.5
    assert np.all(seconds[:3] >= 1.2)


def test_later_steps_speed_up_smoothly_and_carry_the_marker() -> None:
    seconds = timeline.voice_pace(40)
    assert np.all(np.diff(seconds) <= 1e-12)  # never slower than the step before
    ratios = seconds[1:] / seconds[:-1]
    assert ratios.min() >= timeline.SPEED_UP - 1e-9  # no jump: at most 10% faster a step
    factors = timeline.speed_ups(seconds)
    assert list(factors[:3]) == [1, 1, 1]
    # step 20 takes 1.5 * 0.9^17 = 0.250 s: shown 6 times faster than the first ones
    assert seconds[19] == pytest.approx(1.5 * 0.9**17)
    assert factors[19] == 6
    assert factors[-1] == 15  # the fastest steps, 0.1 s: 15 times faster


def test_a_long_run_fits_the_cap_and_keeps_its_slow_start() -> None:
    seconds = timeline.voice_pace(5000)
    assert seconds.sum() == pytest.approx(timeline.MAX_ROLL_SECONDS)
    assert list(seconds[:3]) == [1.5, 1.5, 1.5]
    assert seconds[-1] < 1 / 30  # several steps a frame at 30 fps: skipped, marked "x N"
    assert timeline.speed_ups(seconds)[-1] > 30


def test_a_short_cap_keeps_the_slow_start_and_steps_never_go_below_the_fastest() -> None:
    seconds = timeline.voice_pace(1000, max_seconds=10.0)  # (a lesson's max_roll_seconds)
    assert list(seconds[:3]) == [1.5, 1.5, 1.5]
    assert seconds.sum() == pytest.approx(10.0)
    huge = timeline.voice_pace(1_000_000)
    # a million steps still fit the cap (tens of thousands a frame, marked "x N"), the slow start kept
    assert list(huge[:3]) == [1.5, 1.5, 1.5] and huge.sum() == pytest.approx(timeline.MAX_ROLL_SECONDS)


def test_duration_scales_the_opening_the_pace_and_the_hold() -> None:
    natural = DescentScene.clip_timing(15)
    scaled = variant(DescentScene, duration=30.0).clip_timing(15)
    factor = 30.0 / (natural[0] + natural[1].sum() + natural[2])
    assert scaled[0] + scaled[1].sum() + scaled[2] == pytest.approx(30.0)
    assert scaled[0] == pytest.approx(natural[0] * factor)
    assert scaled[2] == pytest.approx(natural[2] * factor)
    np.testing.assert_allclose(scaled[1], natural[1] * factor)


def test_seconds_per_step_overrides_the_pace() -> None:
    opening, seconds, hold = variant(DescentScene, seconds_per_step=0.25).clip_timing(15)
    np.testing.assert_allclose(seconds, 0.25)
    assert not np.any(timeline.speed_ups(seconds) > 1)


def test_no_intro_skips_the_opening() -> None:
    opening, _, _ = variant(DescentScene, intro=False).clip_timing(15)
    assert opening <= 0.5


def test_the_clock_reaches_each_step_at_the_end_of_its_time() -> None:
    seconds = np.array([1.5, 1.5, 1.0, 0.5])
    rate = timeline.clock(seconds, 4.0)
    total = seconds.sum()
    for k, end in enumerate(np.cumsum(seconds), start=1):
        assert 4.0 * rate(end / total) == pytest.approx(k)
    assert 4.0 * rate(2.25 / total) == pytest.approx(1.5)  # halfway through step 2


# -- the hop ---------------------------------------------------------------------------
def ridge_crossing() -> tuple[View, np.ndarray]:
    """A large step on Himmelblau whose straight line passes over higher ground than both ends."""
    loss = get_loss("himmelblau")
    view = View.fit(loss.value, loss.domain, f_min=0.0)
    # From (0.5, -0.5) toward (-3.3, 2.8): the segment crosses the central peak at (-0.27, -0.92) region's ridge.
    path = np.array([[3.0, -1.5], [-3.0, 2.5], [-3.7, -3.2], [3.5, 2.2]])
    return view, path


def test_the_hop_stays_above_the_surface_everywhere_between_the_iterates() -> None:
    view, path = ridge_crossing()
    ball = RollingBall(view, path, get_theme("dark"), motion="hop")
    s = np.linspace(0.0, 1.0, 2001)[1:-1]
    for k in range(len(path) - 1):
        xy = path[k] + s[:, None] * (path[k + 1] - path[k])
        arc = ball._arc_points(k + s)
        surface = view.z_of(xy[:, 0], xy[:, 1])
        assert np.all(arc[:, 2] > surface), f"step {k} dips {float(np.max(surface - arc[:, 2])):.3f} below the surface"
        # the arc lies over the straight segment: the shadow's path
        X, Y = view.plane(xy[:, 0], xy[:, 1])
        np.testing.assert_allclose(arc[:, :2], np.column_stack([X, Y]), atol=1e-9)
    # these steps cross ground higher than both their ends (a roll would climb it)
    xy = path[0] + s[:, None] * (path[1] - path[0])
    assert view.z_of(xy[:, 0], xy[:, 1]).max() > max(view.z_of(*path[0]), view.z_of(*path[1])) + 0.3


def test_the_ball_is_drawn_on_the_arc_and_lands_on_each_iterate() -> None:
    view, path = ridge_crossing()
    ball = RollingBall(view, path, get_theme("dark"), motion="hop")
    for k in range(len(path)):
        ball.set_time(float(k))
        rest = view.resting_points(*path[k], ball.radius)
        np.testing.assert_allclose(ball.ball.get_center(), rest, atol=1e-6)
    ball.set_time(0.5)
    xy = (path[0] + path[1]) / 2
    assert ball.ball.get_center()[2] - ball.radius > view.z_of(*xy)
    # the shadow moves on the straight segment in the floor plane
    np.testing.assert_allclose(ball.floor_dot.get_center()[:2], view.floor_points(*xy)[:2], atol=1e-6)


def test_rolling_stays_available_and_hugs_the_surface() -> None:
    view, path = ridge_crossing()
    ball = RollingBall(view, path, get_theme("dark"), motion="roll")
    ball.set_time(0.5)
    xy = (path[0] + path[1]) / 2
    np.testing.assert_allclose(ball.ball.get_center(), view.resting_points(*xy, ball.radius), atol=0.05)
    with pytest.raises(ValueError, match="motion"):
        RollingBall(view, path, get_theme("dark"), motion="fly")
    with pytest.raises(ValueError, match="motion"):
        variant(DescentScene, motion="fly").check()


def test_dots_appear_as_the_ball_lands_and_the_first_arrows_are_drawn_from_the_shadow() -> None:
    loss = get_loss("himmelblau")
    view = View.fit(loss.value, loss.domain, f_min=0.0)
    trajectory = run(loss, "gd", start=(-0.5, -4.5), lr=0.01, steps=5, tol=None)
    path, grads = trajectory.points[:, 0], trajectory.gradients[:, 0]
    ball = RollingBall(view, path, get_theme("dark"), arrows=-0.01 * grads[:5])
    per_dot = len(ball._all_dots) // len(path)
    ball.set_time(0.0)
    assert len(ball.dots.points) == per_dot
    ball.set_time(2.0)
    assert len(ball.dots.points) == 3 * per_dot
    ball.set_time(0.3)  # step 0 draws its arrow first (the ball waits on theta_0)
    start, tip = view.floor_points(*path[0], lift=0.02), view.floor_points(*path[1], lift=0.02)
    shaft = ball.arrow.points
    assert len(shaft) and np.linalg.norm(shaft[0] - start) < 1e-6
    ball.set_time(0.9)  # grown: the arrow -eta grad f(theta_0) ends at theta_1 (gradient descent)
    ends = np.asarray(ball.arrow.points)
    assert np.min(np.linalg.norm(ends - tip, axis=1)) < 1e-6
    ball.set_time(3.5)  # past the first three steps: no arrow
    assert len(ball.arrow.points) == 0


# -- rendered: length, frame 0, the "x N" marker -----------------------------------------------
FPS = 5


@pytest.mark.render
def test_rendered_clip_has_its_timeline_an_empty_first_frame_and_the_speed_marker(tmp_path: Any) -> None:
    scene = variant(DescentScene, steps=15, tol=None, start=(-0.5, -4.5), lr=0.01, resolution=12)
    result = render(scene, "paced", quality="l", media_dir=tmp_path, fps=FPS)
    frames = read_frames(result.path)
    opening, seconds, hold = scene.clip_timing(15)
    expected = sum(timeline.frames(t, FPS) for t in (opening, seconds.sum(), hold))
    assert len(frames) == expected
    assert 20.0 <= len(frames) / FPS <= 45.0
    # frame 0: nothing but the background
    background = hex_to_rgb(DARK.background) * 255
    off = np.linalg.norm(frames[0].astype(float) - background, axis=-1) > 30
    assert off.mean() < 0.002
    # the opening has drawn the landscape by its end
    last_opening = frames[timeline.frames(opening, FPS) - 1]
    assert (np.linalg.norm(last_opening.astype(float) - background, axis=-1) > 30).mean() > 0.1
    # the "x N" marker: bottom right, absent in the first steps, there once they are sped up
    corner = (slice(400, 480), slice(700, 854))

    def ink(frame: np.ndarray) -> float:
        return float((np.linalg.norm(frame[corner].astype(float) - background, axis=-1) > 100).mean())

    start = timeline.frames(opening, FPS)
    early = frames[start + 1: start + timeline.frames(seconds[:3].sum(), FPS) - 1]
    late_from = start + timeline.frames(seconds[:12].sum(), FPS)
    late = frames[late_from: late_from + 3]
    # (the corner may hold a tick label of the floor's axes: the marker is the ink added to it)
    assert min(ink(f) for f in late) > max(ink(f) for f in early) + 0.004


def test_a_ball_that_leaves_the_plot_fades_with_its_last_arc() -> None:
    """A run that leaves the plot: its ball fades over its last step, and the arc of that hop (which runs off
    the plot's edge) fades with it, casings included, instead of hanging over the hold."""
    loss = get_loss("himmelblau")
    view = View.fit(loss.value, loss.domain, f_min=0.0)
    path = np.array([[0.0, 0.0], [2.0, 1.0], [4.0, 2.0], [9.0, 4.0]])  # (the last iterate outside [-5, 5]^2)
    ball = RollingBall(view, path, get_theme("dark"), motion="hop", exit_step=3)
    assert ball.exits and ball._casings  # (the orange: ring and line under its trail)
    ball.set_time(2.0)
    assert ball.trail.get_stroke_opacity() == pytest.approx(1.0) and ball.ball.get_fill_opacity() > 0.99
    ball.set_time(2.5)
    assert 0.0 < ball.trail.get_stroke_opacity() < 1.0
    ball.set_time(3.0)
    for line in (ball.trail, *ball._casings):
        assert line.get_stroke_opacity() == pytest.approx(0.0)
        assert len(line.points) > 4  # (still the arc: faded, not removed)
