"""Render the descent scene at low quality and read the video back (PyAV)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gdscenes.display.palette import DARK, hex_to_rgb
from gdscenes.production.render import render
from gdscenes.scenes import DescentScene
from tests.conftest import read_frames

pytestmark = pytest.mark.render

FPS = 10


class TinyDescent(DescentScene):
    """Three GD steps on Himmelblau, short enough for CI."""

    steps = 3
    tol = None
    lr = 0.01
    start = (-0.5, -4.5)
    seconds_per_step = 0.4
    intro_seconds = 0.5
    hold_seconds = 0.5
    resolution = 16
    # No opening: the balls fade in over the intro, the landscape is there from frame 0
    # (the frame and cache tests here and in test_fast_path read the picture as it stays).
    intro = False


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Any:
    media = tmp_path_factory.mktemp("media")
    result = render(TinyDescent, "tiny", quality="l", media_dir=media, fps=FPS)
    return result, read_frames(result.path)


def expected_frames(fps: float, *seconds: float) -> int:
    """manim writes ceil(run_time * fps) frames for each animation."""
    import math

    return sum(math.ceil(s * fps - 1e-9) for s in seconds)


def pixel_of(scene: Any, point: np.ndarray, width: int, height: int) -> tuple[float, float]:
    """Pixel (column, row) where the scene's camera draws a 3D point."""
    from gdscenes.drawing.projection import pixels

    column, row = pixels(scene, np.asarray(point)[None], width, height)[0]
    return float(column), float(row)


def ball_fraction(frame: np.ndarray, centre: tuple[float, float], radius_px: float) -> float:
    """Fraction of the pixels within ``radius_px`` of ``centre`` that have the ball's colour."""
    rows, cols = np.mgrid[: frame.shape[0], : frame.shape[1]]
    disc = (cols - centre[0]) ** 2 + (rows - centre[1]) ** 2 <= radius_px**2
    target = hex_to_rgb(DARK.ball) * 255
    close = np.linalg.norm(frame.astype(float) - target, axis=-1) < 60
    return float(close[disc].mean())


def test_video_has_the_quality_size_and_the_frames_of_its_timeline(rendered: Any) -> None:
    result, frames = rendered
    assert (result.width, result.height) == (854, 480)
    assert frames.shape[1:] == (480, 854, 3)
    expected = expected_frames(
        FPS, TinyDescent.intro_seconds, 3 * TinyDescent.seconds_per_step, TinyDescent.hold_seconds
    )
    assert abs(len(frames) - expected) <= 1


def test_ball_is_drawn_at_the_start_then_at_the_last_iterate(rendered: Any) -> None:
    result, frames = rendered
    scene = result.scene
    trajectory, view = scene.trajectory, scene.view
    h, w = frames.shape[1:3]
    from manim import config

    radius_px = 0.15 * w / config.frame_width
    last = trajectory.points[3, 0]
    start = trajectory.points[0, 0]
    # The camera's final orientation is the one of the last frame.
    at_last = pixel_of(scene, view.resting_points(*last, 0.15), w, h)
    at_start = pixel_of(scene, view.resting_points(*start, 0.15), w, h)
    assert ball_fraction(frames[-1], at_last, radius_px * 0.7) > 0.5
    # Where the ball started, the final frame shows at most the thin trail.
    assert ball_fraction(frames[-1], at_start, radius_px * 0.7) < 0.35


def test_surface_is_coloured_by_height_and_background_is_the_theme(rendered: Any) -> None:
    _, frames = rendered
    frame = frames[-1].astype(float)
    background = hex_to_rgb(DARK.background) * 255
    assert np.linalg.norm(frame[5, -5] - background) < 12
    # viridis' dark purple (low) and yellow-green (high) both appear on the right half.
    right = frame[:, frame.shape[1] // 2 :].reshape(-1, 3)
    for stop in ("#440154", "#ADDC30"):
        near = np.linalg.norm(right - hex_to_rgb(stop) * 255, axis=1) < 70
        assert near.mean() > 0.002, stop


def test_gdscenes_render_command_writes_the_named_video(tmp_path: Any) -> None:
    from gdscenes.cli.main import main

    media = tmp_path / "media"
    code = main(["render", "descent", "--loss", "booth", "--lr", "0.05", "--steps", "2", "--tol", "0",
                 "-q", "l", "--fps", "5", "--media-dir", str(media), "--no-intro"])
    assert code == 0
    videos = list((media / "videos").glob("*.mp4"))
    assert [v.name for v in videos] == ["descent_booth_lr0.05_steps2_tol0_introFalse.mp4"]
    frames = read_frames(videos[0])
    # no opening: the balls fade in for 0.5 s; two slow steps of 1.5 s; the 3 s hold
    expected = expected_frames(5, 0.5, 2 * 1.5, 3.0)
    assert frames.shape[1:] == (480, 854, 3)
    assert abs(len(frames) - expected) <= 1


@pytest.mark.parametrize("renderer", ["cairo", "opengl"])
def test_manim_command_renders_the_lesson_file(tmp_path: Any, renderer: str) -> None:
    # manim 0.22 hands an OpenGL scene its renderer (LessonScene(renderer)); -s renders the
    # last frame only (the whole clip's length is tested in test_pacing).
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-m", "manim", "-ql", "-s", f"--renderer={renderer}", "--media_dir", str(tmp_path),
         str(root / "scenes" / "descent.py"), "HimmelblauDescent"],
        capture_output=True, text=True, cwd=root,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (image,) = (tmp_path / "images").rglob("HimmelblauDescent*.png")
    from PIL import Image

    picture = np.asarray(Image.open(image).convert("RGB"))
    assert picture.shape == (480, 854, 3)
    assert orange_centroid(picture) is not None  # the ball, at rest


def test_manim_command_in_the_scenes_folder_writes_into_the_repository_media(tmp_path: Any) -> None:
    # A copy of the repository's scenes/ folder: run inside it, manim reads its manim.cfg,
    # whose media_dir (../media) is the repository's media/, not scenes/media/.
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "scenes", tmp_path / "scenes", ignore=shutil.ignore_patterns("media", "__pycache__"))
    done = subprocess.run(
        [sys.executable, "-m", "manim", "-ql", "-s", "--renderer=opengl", "descent.py", "HimmelblauDescent"],
        capture_output=True, text=True, cwd=tmp_path / "scenes",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert list((tmp_path / "media" / "images").rglob("HimmelblauDescent*.png"))
    assert not (tmp_path / "scenes" / "media").exists()
    assert "/scenes/media/" in (root / ".gitignore").read_text()


def orange_centroid(frame: np.ndarray, solid: int = 0) -> np.ndarray:
    """Mean (column, row) of the pixels in the ball's and trail's colour; with ``solid``, only
    those whose every neighbour up to ``solid`` pixels away has it too (the ball's disc, not thin lines)."""
    target = hex_to_rgb(DARK.ball) * 255
    mask = np.linalg.norm(frame.astype(float) - target, axis=-1) < 60
    inside = mask.copy()
    for dy in range(-solid, solid + 1):
        for dx in range(-solid, solid + 1):
            inside &= np.roll(np.roll(mask, dy, axis=0), dx, axis=1)
    rows, cols = np.nonzero(inside)
    assert len(rows) > (4 if solid else 20)
    return np.array([cols.mean(), rows.mean()])


def render_elsewhere(code: str, env: dict[str, str] | None = None) -> Any:
    """Run ``code`` (which renders) in a child process: manim keeps one renderer per process."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    environment = {k: v for k, v in os.environ.items() if k != "GDSCENES_RENDERER"} | (env or {})
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=root,
                          env=environment)


def test_default_renderer_is_opengl_here_and_its_frame_matches_the_cairo_reference(
    rendered: Any, tmp_path: Any
) -> None:
    render_elsewhere(
        "from tests.test_render_descent import TinyDescent, FPS; from gdscenes.production.render import render; "
        # Cairo draws the trail over the surface: compare framing with the trail drawn alike.
        "from gdscenes.drawing.gl.renderer import LessonRenderer; LessonRenderer.occlude_on_surface = False; "
        f"r = render(TinyDescent, 'tiny_gl', quality='l', media_dir={str(tmp_path)!r}, fps=FPS); "
        "from gdscenes.drawing.gl.renderer import LessonRenderer; "
        "assert isinstance(r.scene.renderer, LessonRenderer), type(r.scene.renderer); "
        "assert LessonRenderer.overlay_renders <= 3 + 3 + 1, LessonRenderer.overlay_renders"  # a step, + the colour bar once
    )
    _, cairo_frames = rendered
    frames = read_frames(tmp_path / "videos" / "tiny_gl.mp4")
    assert frames.shape == cairo_frames.shape
    # The ball lands on the same spot of the frame (within 2.5% of the width). Only the disc's inside
    # counts: its trail, the arcs of its hops, has renderer-specific widths. (The balls alone were
    # 17.8 px = 2.1% apart before the hops too, at 6c9b964; the trail's pixels had hidden it.) ...
    assert np.linalg.norm(orange_centroid(frames[-1], solid=2) - orange_centroid(cairo_frames[-1], solid=2)) < 0.025 * 854
    # ... and the landscape spans the same box right of the panel (within 2% of the width).
    background = hex_to_rgb(DARK.background) * 255

    def landscape_box(frame: np.ndarray) -> np.ndarray:
        drawn = np.linalg.norm(frame.astype(float) - background, axis=-1) > 40
        drawn[:, : int(0.5 * frame.shape[1])] = False
        rows, cols = np.nonzero(drawn)
        return np.array([cols.min(), cols.max(), rows.min(), rows.max()])

    # (4%: the two cameras' perspectives differ slightly, most at the tips of tall peaks.)
    assert np.abs(landscape_box(frames[-1]) - landscape_box(cairo_frames[-1])).max() < 0.04 * 854
    # ... and the equation panel (drawn once per step into an overlay) has its text where Cairo has it.
    def text_mask(frame: np.ndarray) -> np.ndarray:
        return frame[:, : frame.shape[1] // 2].astype(float).mean(axis=-1) > 150

    gl_text, cairo_text = text_mask(frames[-1]), text_mask(cairo_frames[-1])
    near = np.zeros_like(cairo_text)  # Cairo's text, grown by 2 pixels (the rasterizers differ at edges)
    for dy in range(-2, 3):
        for dx in range(-2, 3):
            near |= np.roll(np.roll(cairo_text, dy, axis=0), dx, axis=1)
    assert gl_text.sum() > 500
    assert near[gl_text].mean() > 0.95  # every bright stroke of the fast path is where Cairo put one
    assert np.abs(gl_text.sum() / cairo_text.sum() - 1) < 0.1  # and about as many (same weight of text)


def test_auto_renderer_falls_back_to_cairo_with_one_line_notice(monkeypatch: Any, capsys: Any) -> None:
    import gdscenes.production.render as render_module

    monkeypatch.delenv("GDSCENES_RENDERER")
    monkeypatch.setattr(render_module, "gl_unavailable", lambda: "eglInitialize failed")
    assert render_module.choose_renderer("auto") == "cairo"
    notice = capsys.readouterr().err.strip().splitlines()
    assert notice == ["gdscenes: no OpenGL context (eglInitialize failed); rendering with Cairo, which is slower"]
    monkeypatch.setattr(render_module, "gl_unavailable", lambda: None)
    assert render_module.choose_renderer("auto") == "opengl"
    assert render_module.choose_renderer("cairo") == "cairo"
    with pytest.raises(ValueError, match="unknown renderer 'vulkan'"):
        render_module.choose_renderer("vulkan")


def test_gl_context_can_be_made_on_this_machine() -> None:
    """dev.sh installs Mesa's EGL; without it every render here would take the slow path."""
    from gdscenes.drawing.gl.probe import probe

    assert probe() is None


def test_a_working_gl_probe_is_remembered_until_the_machine_changes(monkeypatch: Any, tmp_path: Any) -> None:
    """The child-process probe costs about 0.7 s a render: a success is cached per
    machine state; a failure, or any change of the key, probes again."""
    from gdscenes.drawing.gl import probe as gl_probe

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    answers = iter([None, "eglInitialize failed", "eglInitialize failed", None])
    calls = []

    def fake_probe() -> str | None:
        calls.append(1)
        return next(answers)

    monkeypatch.setattr(gl_probe, "probe", fake_probe)
    assert gl_probe.gl_unavailable() is None and len(calls) == 1
    assert gl_probe.gl_unavailable() is None and len(calls) == 1  # remembered
    assert gl_probe.cache_file() == tmp_path / "gdscenes" / "gl-probe.json"
    monkeypatch.setenv("LIBGL_ALWAYS_SOFTWARE", "1")  # another driver set-up: ask again
    assert gl_probe.gl_unavailable() == "eglInitialize failed" and len(calls) == 2
    assert gl_probe.gl_unavailable() == "eglInitialize failed" and len(calls) == 3  # failures are not kept
    monkeypatch.delenv("LIBGL_ALWAYS_SOFTWARE")
    assert gl_probe.gl_unavailable() is None and len(calls) == 3  # the first key's success is still there
    gl_probe.cache_file().write_text("not json")
    assert gl_probe.gl_unavailable() is None and len(calls) == 4  # a broken cache file is probed over


def test_surface_hides_the_ball_under_opengl_only_where_it_is_in_front(tmp_path: Any) -> None:
    """From the default azimuth, Himmelblau's front ridge lies between the camera and
    the ball resting in the left basin: the depth buffer hides it (without the x-ray
    silhouette nothing of it shows; with it, its ghost does). Turned by
    ``keep_in_sight``, the camera sees it; the ray test agrees both times."""
    out = render_elsewhere(
        "from tests.test_render_descent import HiddenBall; from gdscenes.production.render import render\n"
        "from dataclasses import replace\n"
        "import numpy as np\n"
        "from gdscenes.display.visibility import hidden\n"
        "from gdscenes.drawing.gl.renderer import LessonRenderer\n"
        "for name, keep, xray in (('hidden', False, False), ('ghost', False, True), ('seen', True, False)):\n"
        "    LessonRenderer.xray = xray\n"
        "    cls = type(name, (HiddenBall,), {'orbit': replace(HiddenBall.orbit, keep_in_sight=keep)})\n"
        f"    r = render(cls, name, quality='l', media_dir={str(tmp_path)!r}, fps=5)\n"
        "    s = r.scene; seconds = s.renderer.time\n"
        "    centre = s.view.resting_points(*s.trajectory.points[-1, 0], 0.15)\n"
        "    print(name, bool(hidden(s.view, centre[None], *s.framing.angles(seconds))[0]))\n"
    ).stdout
    assert "hidden True" in out and "seen False" in out, out
    hidden_frame = read_frames(tmp_path / "videos" / "hidden.mp4")[-1]
    seen_frame = read_frames(tmp_path / "videos" / "seen.mp4")[-1]
    target = hex_to_rgb(DARK.ball) * 255

    def ball_pixels(frame: np.ndarray) -> int:
        right = frame[:, frame.shape[1] // 2 :].astype(float)
        return int((np.linalg.norm(right - target, axis=-1) < 90).sum())

    # Ball and trail are depth-tested against the surface: nothing of them shows
    # where the ridge hides them; where seen, the top of the ball peeks over it.
    assert ball_pixels(hidden_frame) <= 3
    assert ball_pixels(seen_frame) >= 15
    assert ball_pixels(read_frames(tmp_path / "videos" / "ghost.mp4")[-1]) >= 15  # the x-ray silhouette


class HiddenBall(TinyDescent):
    steps = 30
    seconds_per_step = 0.02
    hold_seconds = 0.2
