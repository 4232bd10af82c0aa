"""Each lesson rendered at low quality, read back with PyAV, checked for what it teaches."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gdscenes.display.palette import ACCENTS, DARK, hex_to_rgb
from gdscenes.production.render import render, variant
from gdscenes.scenes.registry import SCENES
from tests.conftest import read_frames

pytestmark = pytest.mark.render

FAST = {"quality": "l", "fps": 5}
SHORT = {"resolution": 12, "intro_seconds": 0.2, "hold_seconds": 0.2}


def rendered(tmp_path: Any, name: str, **attributes: Any) -> tuple[Any, np.ndarray]:
    scene = variant(SCENES[name], **{**SHORT, **attributes})
    result = render(scene, name, media_dir=tmp_path, **FAST)
    return result.scene, read_frames(result.path)


def pixel_of(scene: Any, point: np.ndarray, frame: np.ndarray) -> tuple[float, float]:
    """Pixel (column, row) where the scene's camera draws a 3D point."""
    from gdscenes.drawing.projection import pixels

    column, row = pixels(scene, np.asarray(point)[None], frame.shape[1], frame.shape[0])[0]
    return float(column), float(row)


def colour_fraction(frame: np.ndarray, centre: tuple[float, float], radius_px: float, color: str) -> float:
    rows, cols = np.mgrid[: frame.shape[0], : frame.shape[1]]
    disc = (cols - centre[0]) ** 2 + (rows - centre[1]) ** 2 <= radius_px**2
    close = np.linalg.norm(frame.astype(float) - hex_to_rgb(color) * 255, axis=-1) < 60
    return float(close[disc].mean()) if disc.any() else 0.0


def ball_px(frame: np.ndarray) -> float:
    from manim import config

    return 0.15 * frame.shape[1] / config.frame_width * 0.7


def test_learning_rate_lesson_converges_one_ball_and_sends_the_diverging_one_off_the_surface(tmp_path: Any) -> None:
    scene, frames = rendered(tmp_path, "learning-rate", steps=8, seconds_per_step=0.2)
    runs, balls, view = scene.runs, scene.balls, scene.view
    right, beyond = runs[1], runs[3]
    assert str(right.trajectory.status[0]) == "converged"
    k = beyond.exit(view.domain)
    assert k is not None and balls[3].gone
    last = frames[-1]
    end = right.trajectory.points[right.end(view.domain), 0]
    assert colour_fraction(last, pixel_of(scene, view.resting_points(*end, 0.15), last), ball_px(last), right.color) > 0.5
    # Where the diverging ball crossed the edge there is no ball any more (at most its thin trail).
    edge = balls[3].centres[-1]
    assert colour_fraction(last, pixel_of(scene, edge, last), ball_px(last), beyond.color) < 0.35


def test_local_minima_lesson_ends_balls_in_distinct_minima_in_their_colours(tmp_path: Any) -> None:
    scene, frames = rendered(tmp_path, "local-minima", steps=25, tol=0.05, seconds_per_step=0.1, basin_samples=40)
    from gdscenes.core.outcomes import minima_array, reached_minima

    loss = scene.get_loss()
    reached = reached_minima(loss, scene.runs[0].trajectory)
    assert len({int(m) for m in reached if m >= 0}) >= 3
    last = frames[-1]
    minima = minima_array(loss)
    for run, m in zip(scene.runs, reached):
        assert run.color == ACCENTS[m]
        at = pixel_of(scene, scene.view.resting_points(*minima[m], 0.15), last)
        assert colour_fraction(last, at, ball_px(last), ACCENTS[m]) > 0.4, run.label
    assert set(np.unique(scene.basins.labels)) >= {0, 1, 2, 3}


def test_valley_lesson_uses_a_log_height_scale_and_reaches_the_minimum(tmp_path: Any) -> None:
    scene, frames = rendered(tmp_path, "valley", max_roll_seconds=2.0, hold_seconds=0.4)
    t = scene.trajectory
    assert scene.view.heights.scale == "log"
    assert str(t.status[0]) == "converged" and int(t.stop_step[0]) > 1000
    last = frames[-1]
    end = scene.view.resting_points(*t.points[int(t.stop_step[0]), 0], 0.15)
    assert colour_fraction(last, pixel_of(scene, end, last), ball_px(last), DARK.ball) > 0.4
    # The clip is paced: the whole run fits in intro + 2 s + hold.
    assert len(frames) <= 5 * (0.2 + 2.0 + 0.4) + 2


def test_race_lesson_notes_follow_the_finish_order(tmp_path: Any) -> None:
    from gdscenes.core.outcomes import finish_order

    scene, frames = rendered(tmp_path, "race", seconds_per_step=0.02)
    order = finish_order([r.trajectory for r in scene.runs])
    first = scene.runs[order[0]]
    assert [r.color for r in scene.runs] == list(ACCENTS[:5])
    assert scene.note(order[0], scene.runs).startswith("1st: converged at step")
    assert scene.note(order[1], scene.runs).startswith("2nd")
    assert int(first.trajectory.stop_step[0]) == min(int(r.trajectory.stop_step[0]) for r in scene.runs)
    for color in ACCENTS[:5]:  # every runner's colour is on screen (swatch, trail)
        near = np.linalg.norm(frames[-1].astype(float) - hex_to_rgb(color) * 255, axis=-1) < 40
        assert near.mean() > 0.0001, color


def test_contour_lesson_looks_straight_down_and_draws_step_arrows(tmp_path: Any) -> None:
    scene, frames = rendered(tmp_path, "contour", steps=4, tol=None, seconds_per_step=0.4)
    arrow_colour = hex_to_rgb(ACCENTS[1]) * 255
    shown = [(np.linalg.norm(f.astype(float) - arrow_colour, axis=-1) < 50).sum() for f in frames]
    assert max(shown) > 10  # the current step's arrow
    # Top-down: a domain corner lands at the matching corner of the landscape.
    (x0, x1), (y0, y1) = scene.view.domain
    low = pixel_of(scene, scene.view.floor_points(x0, y0), frames[-1])
    high = pixel_of(scene, scene.view.floor_points(x1, y1), frames[-1])
    assert high[0] > low[0] and high[1] < low[1]
    assert abs((high[0] - low[0]) - (low[1] - high[1])) < 3  # square domain, square picture


def test_saddle_lesson_stalls_where_the_gradient_vanishes(tmp_path: Any) -> None:
    scene, frames = rendered(tmp_path, "saddle", seconds_per_step=0.03)
    t = scene.trajectory
    norms = np.linalg.norm(t.gradients[:, 0], axis=-1)
    k = int(np.argmin(norms[: int(t.stop_step[0]) + 1]))
    assert norms[k] < 0.1 * norms[0]  # it passes close to the saddle ...
    assert np.all(np.abs(np.diff(t.losses[max(k - 5, 0) : k + 5, 0])) < 0.01)  # ... where the loss plateaus
    assert scene.ball.gone  # then slides off down the other slope and out of the plot


def test_vertical_frame_stacks_the_panel_above_a_landscape_that_fits(tmp_path: Any) -> None:
    scene = variant(SCENES["descent"], steps=2, tol=None, **SHORT)
    result = render(scene, "tall", media_dir=tmp_path, aspect="9:16", **FAST)
    frame = read_frames(result.path)[-1].astype(float)
    assert frame.shape[:2] == (854, 480)
    drawn = np.linalg.norm(frame - hex_to_rgb(DARK.background) * 255, axis=-1) > 40
    assert not drawn[:, :3].any() and not drawn[:, -3:].any()  # nothing cut at the sides
    panel_bottom = result.scene.panel.get_bottom()[1]
    assert panel_bottom > result.scene.lesson_orbit.screen_offset[1] + 2.0


def run_child(tmp_path: Any, *args: str) -> Any:
    """Run :mod:`tests.opengl_lessons` in its own process (OpenGL) and return its JSON answer.

    The default renderer here is OpenGL; this process renders with Cairo, so the
    lessons are rendered once more in a child process (manim keeps one renderer per process)."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "GDSCENES_RENDERER"}
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-m", "tests.opengl_lessons", str(tmp_path), *args],
                          check=True, capture_output=True, text=True, cwd=root, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def opengl_clips(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Any]:
    """Every lesson (and a few camera set-ups) rendered once under OpenGL, with its balls' pixels per frame."""
    media = tmp_path_factory.mktemp("xray")
    return run_child(media, "frames"), media


def test_every_lesson_renders_under_opengl_with_its_balls_where_the_projection_puts_them(
        opengl_clips: tuple[dict[str, Any], Any]) -> None:
    """In each lesson's last frame under OpenGL the landscape is drawn, and every ball that
    is clearly in view (rays from its visible outline to the eye clear the surface) shows
    its colour (or, where balls of other colours rest on it, one of theirs) where :func:`gdscenes.drawing.projection.pixels`
    says the shader put it."""
    clips, media = opengl_clips
    lessons = [name for name in SCENES if clips[name]["end"] is not None]  # (the lessons with a surface)
    assert len(lessons) >= 15
    for name in lessons:
        balls = clips[name]["end"]
        frame = read_frames(media / "videos" / f"{name}.mp4")[-1]
        spread = np.ptp(frame[:, frame.shape[1] // 2 :].astype(float), axis=-1)
        assert (spread > 60).mean() > 0.01, name  # coloured landscape pixels on the right half
        radius = 0.15 * 854 / 14.222 * 0.7
        checked = 0
        for ball in balls:
            if not ball["clear"]:
                continue
            # Balls of other colours resting on it (newton-vs-gd's two at the minimum): one of them is on top.
            near = {b["color"] for b in balls if np.hypot(*np.subtract(ball["px"], b["px"])) < 3 * radius}
            shown = sum(colour_fraction(frame, tuple(ball["px"]), radius, color) for color in near)
            assert shown > 0.4, (name, ball, near)
            checked += 1
        assert checked >= 1 or all(b["gone"] for b in balls), name  # (saddle's ball slides off the plot)


#: Share of a ball's disc (0.85 of its projected radius) that must show its colour: a lit
#: sphere shows it nearly everywhere but its highlight, an x-ray silhouette in its ring.
SEEN = 0.15


def unseen_balls(clips: dict[str, Any], media: Any) -> dict[str, list[tuple[int, int, float]]]:
    """Per clip, the (frame, ball, share) of every ball on screen whose colour is not
    found where the projection puts it (balls fading out, and balls next to a ball of
    another colour, are left out)."""
    out = {}
    for name, clip in clips.items():
        frames = read_frames(media / "videos" / f"{name}.mp4")
        assert len(frames) == len(clip["frames"]), name  # one record per written frame
        missing = []
        for k, (frame, row) in enumerate(zip(frames, clip["frames"])):
            for i, (col, r, radius, opacity) in enumerate(row):
                color = clip["colors"][i]
                if opacity < 0.5 or not (0 <= col < frame.shape[1] and 0 <= r < frame.shape[0]):
                    continue
                if any(j != i and clip["colors"][j] != color and np.hypot(col - o[0], r - o[1]) < 2.5 * radius
                       for j, o in enumerate(row)):
                    continue
                share = colour_fraction(frame, (col, r), 0.85 * radius, color)
                if share < SEEN:
                    missing.append((k, i, round(share, 2)))
        out[name] = missing
    return out


def test_every_ball_is_seen_in_every_frame_of_every_lesson_under_opengl(tmp_path: Any,
                                                                       opengl_clips: tuple[dict[str, Any], Any]) -> None:
    """Every lesson at its own steps (fast-paced), the dive and follow presets, ``sin(x)*cos(y)``
    and a sweep tile's camera, rendered under OpenGL: in every written frame, each ball's colour
    is where the projection puts the ball, in view or behind the surface (its x-ray
    silhouette). The same clips without the silhouettes lose balls (local-minima's at the
    end): the check can fail."""
    clips, media = opengl_clips
    assert set(clips) >= {"learning-rate", "local-minima", "valley", "descent-dive", "descent-follow", "descent-sincos",
                          "descent-sweep-tile"}
    unseen = unseen_balls(clips, media)
    assert not any(unseen.values()), {k: v for k, v in unseen.items() if v}
    control = run_child(tmp_path / "plain", "frames", "--no-xray", "--only=learning-rate,local-minima")
    hidden = unseen_balls(control, tmp_path / "plain")
    assert hidden["local-minima"], hidden  # (learning-rate's camera now keeps its balls in view at this pace)
    # The follow preset's close-up puts the surface behind the panel: none of it shows through
    # (the panel's box looks as it does over the bare background, in the orbit's clip).
    c0, r0, c1, r1 = (int(round(v)) for v in clips["descent-follow"]["panel"])
    inside = (slice(r0 + 3, r1 - 3), slice(c0 + 3, c1 - 3))
    follow = read_frames(media / "videos" / "descent-follow.mp4")[-1][inside].astype(float)
    orbit = read_frames(media / "videos" / "descent.mp4")[-1][inside].astype(float)
    assert np.abs(follow - orbit).mean() < 2.0


def test_straight_contours_stay_straight_on_the_opengl_floor(tmp_path: Any) -> None:
    """The contours of ``x^2`` are the lines x = const; seen in perspective they are still
    straight lines on screen. Each is found in the OpenGL frame across the line its two
    ends project to (the centroid of its colour, row by row of samples along it), and a
    straight line fitted to those centroids misses none by 1 pixel or more."""
    found = run_child(tmp_path, "contours")
    ends, shadow = found["ends"], np.asarray(found["shadow"])
    frame = read_frames(tmp_path / "videos" / "x2-floor.mp4")[-1].astype(float)
    plate = np.median(frame[frame.shape[0] // 2 - 5 : frame.shape[0] // 2 + 5, 500:700].reshape(-1, 3), axis=0)
    checked = 0
    for (a, b) in ends:
        a, b = np.asarray(a), np.asarray(b)
        along = (b - a) / np.linalg.norm(b - a)
        across = np.array([-along[1], along[0]])
        if np.linalg.norm(b - a) < 60:
            continue
        centres = []
        for t in np.linspace(0.15, 0.85, 25):
            offsets = np.arange(-2.5, 2.51, 0.25)
            points = a + t * (b - a) + offsets[:, None] * across
            if np.linalg.norm(points[len(points) // 2] - shadow) < 10:
                continue  # (the ball's shadow on the floor)
            cols, rows = np.round(points[:, 0]).astype(int), np.round(points[:, 1]).astype(int)
            weight = np.linalg.norm(frame[rows, cols] - plate, axis=-1)
            weight = np.where(weight > 0.5 * weight.max(), weight, 0.0)
            if weight.sum() > 0:
                centres.append(a + t * (b - a) + (weight @ offsets / weight.sum()) * across)
        centres = np.array(centres)
        if len(centres) < 15:
            continue
        # Distance of each centroid from the least-squares line through them.
        mean = centres.mean(axis=0)
        _, _, vt = np.linalg.svd(centres - mean)
        residual = np.abs((centres - mean) @ vt[1])
        assert residual.max() < 1.0, (a.tolist(), b.tolist(), residual.max())
        checked += 1
    assert checked >= 6
