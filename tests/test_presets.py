"""Production presets: frame shapes under both renderers, camera moves, keeping the ball in sight."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gdscenes.display.palette import DARK, hex_to_rgb
from gdscenes.production.render import render, variant
from gdscenes.scenes.registry import SCENES
from tests.conftest import read_frames
from tests.test_render_descent import render_elsewhere

pytestmark = pytest.mark.render

TINY = {"steps": 3, "tol": None, "seconds_per_step": 0.4, "intro_seconds": 0.2, "hold_seconds": 0.6, "resolution": 8}


def text_mask(frame: np.ndarray) -> np.ndarray:
    """Bright pixels (the panel's text) outside the landscape: a mask of the frame."""
    return frame.astype(float).mean(axis=-1) > 150


@pytest.mark.parametrize("aspect", ["9:16", "1:1"])
def test_panel_text_lands_where_cairo_puts_it_under_opengl_in_other_frame_shapes(tmp_path: Any, aspect: str) -> None:
    """manim's fixed-in-frame shader assumes 16:9; the overlay maps the configured frame,
    so in 9:16 and 1:1 the OpenGL panel is neither squeezed nor cut."""
    scene = variant(SCENES["descent"], **TINY)
    cairo = render(scene, "cairo", quality="l", fps=5, media_dir=tmp_path, aspect=aspect)
    render_elsewhere(
        "from gdscenes.production.render import render, variant; from gdscenes.scenes.registry import SCENES\n"
        f"from tests.test_presets import TINY\nrender(variant(SCENES['descent'], **TINY), 'gl', quality='l', fps=5, "
        f"media_dir={str(tmp_path)!r}, aspect={aspect!r}, renderer='opengl')\n"
    )
    gl_frame = read_frames(tmp_path / "videos" / "gl.mp4")[-1]
    cairo_frame = read_frames(cairo.path)[-1]
    assert gl_frame.shape == cairo_frame.shape
    panel = cairo.scene.panel
    h, w = cairo_frame.shape[:2]
    from gdscenes.production.render import frame_config

    units = frame_config("l", aspect)  # (manim's config is restored after the render)

    def px(x: float, y: float) -> tuple[int, int]:
        return int(x * w / units["frame_width"] + w / 2), int(-y * h / units["frame_height"] + h / 2)

    (c0, r0), (c1, r1) = px(*panel.get_corner([-1, 1, 0])[:2]), px(*panel.get_corner([1, -1, 0])[:2])
    assert 0 <= c0 < c1 <= w and 0 <= r0 < r1 <= h  # the panel is inside the frame
    box = np.zeros((h, w), bool)
    box[r0:r1, c0:c1] = True
    gl_text, cairo_text = text_mask(gl_frame) & box, text_mask(cairo_frame) & box
    near = np.zeros_like(cairo_text)
    for dy in range(-2, 3):
        for dx in range(-2, 3):
            near |= np.roll(np.roll(cairo_text, dy, axis=0), dx, axis=1)
    assert gl_text.sum() > 300
    assert near[gl_text].mean() > 0.9
    assert abs(gl_text.sum() / cairo_text.sum() - 1) < 0.15
    # The landscape is below the panel (both 1:1 and 9:16 stack the text on top), not under it.
    background = hex_to_rgb(DARK.background) * 255
    drawn = np.linalg.norm(cairo_frame.astype(float) - background, axis=-1) > 40
    grown = np.zeros((h, w), bool)
    grown[max(r0 - 4, 0):r1 + 4, max(c0 - 4, 0):c1 + 4] = True  # (the panel's border stroke)
    outside = drawn & ~grown
    rows, cols = np.nonzero(outside)
    assert rows.min() >= r1 + 4
    assert not drawn[:, :2].any() and not drawn[:, -2:].any() and not drawn[-2:].any()  # nothing cut at the edges


def test_square_frame_stacks_the_text_above_a_landscape_as_wide_as_the_frame() -> None:
    from gdscenes.drawing.camera import Orbit
    from gdscenes.drawing.layout import KEY_COLUMN, Layout, box_extent

    wide, square = Layout(8 * 16 / 9, 8.0), Layout(8.0, 8.0)
    assert wide.orbit(Orbit()) == Orbit()  # 16:9 keeps the designed orbit
    assert square.stacked and not wide.stacked
    placed = square.orbit(Orbit())
    cx, cy, width, height = square.landscape_rect()
    corner, room = square.text_box
    # Below the text, as wide as the frame less the upright colour bar's column on the right.
    assert square.key_upright and cx == pytest.approx(-KEY_COLUMN / 2) and width == pytest.approx(8.0 - 0.6 - KEY_COLUMN)
    assert cy + height / 2 <= corner[1] - room
    across, tall, _ = box_extent(Orbit().phi)
    assert placed.zoom * across <= width and placed.zoom * tall <= height  # the box fits: nothing cut
    assert placed.zoom * tall > 0.85 * height  # and fills the region's height


# -- keeping the ball in sight ----------------------------------------------------
@pytest.fixture(scope="module")
def himmelblau_end() -> Any:
    from gdscenes.core.runner import run
    from gdscenes.core.losses import get_loss
    from gdscenes.display.view import View

    loss = get_loss("himmelblau")
    view = View.fit(loss.value, loss.domain, f_min=0.0)
    t = run(loss, "gd", start=(-0.5, -4.5), lr=0.01, steps=30)
    path = view.resting_points(t.points[:, 0, 0], t.points[:, 0, 1], 0.15)
    return view, path


def test_rim_test_sees_a_ball_half_hidden_behind_a_ridge(himmelblau_end: Any) -> None:
    from gdscenes.display.visibility import fully_visible, hidden, rim

    view, path = himmelblau_end
    end = path[-1]
    phi = np.radians(60)
    ring = rim(end, 0.15, phi, 0.3)
    assert np.allclose(np.linalg.norm(ring[1:] - end, axis=1), 0.15)
    half = [th for th in np.radians(np.arange(0, 360, 5))
            if not hidden(view, end[None], phi, th)[0] and not fully_visible(view, end, 0.15, phi, th)]
    assert half  # azimuths where the centre is seen but part of the ball is not


def test_clear_azimuth_keeps_the_resting_ball_whole_and_turns_little(himmelblau_end: Any) -> None:
    from gdscenes.display.visibility import clear_azimuth, fully_visible

    view, path = himmelblau_end
    phi = np.radians(60)
    for preferred_deg in range(-180, 180, 30):
        preferred = np.radians(preferred_deg)
        chosen = clear_azimuth(view, path, phi, preferred, rests=path[-1:], radius=0.15,
                               end_views=[(phi, 0.0), (phi, np.radians(3))])
        assert fully_visible(view, path[-1], 0.15, phi, chosen)
        assert fully_visible(view, path[-1], 0.15, phi, chosen + np.radians(3))
        turn = abs((chosen - preferred + np.pi) % (2 * np.pi) - np.pi)
        # Never a turn where a smaller one keeps the ball whole while hiding no more of the path.
        from gdscenes.display.visibility import hidden

        share = hidden(view, path, phi, chosen).mean()
        for smaller in np.radians(np.arange(-180, 180, 15)):
            other = preferred + smaller
            if abs(smaller) < turn - 1e-9 and fully_visible(view, path[-1], 0.15, phi, other) and \
                    fully_visible(view, path[-1], 0.15, phi, other + np.radians(3)):
                assert hidden(view, path, phi, other).mean() > share, (preferred_deg, np.degrees(smaller))


def test_seen_length_is_what_a_step_keeps_on_screen() -> None:
    """A step seen side on keeps its length, one along the line of sight keeps cos(phi) of it (a level
    step seen from phi above the floor), a vertical one sin(phi); the mean is over the steps."""
    from gdscenes.display.visibility import camera_direction, seen_length

    phi, theta = np.radians(60), np.radians(30)
    across = np.array([-np.sin(theta), np.cos(theta), 0.0])
    toward = camera_direction(phi, theta)
    level = np.array([toward[0], toward[1], 0.0]) / np.hypot(toward[0], toward[1])
    assert seen_length([np.array([np.zeros(3), 2 * across])], phi, theta) == pytest.approx(1.0)
    assert seen_length([np.array([np.zeros(3), 3 * level])], phi, theta) == pytest.approx(np.cos(phi))
    assert seen_length([np.array([np.zeros(3), [0, 0, 1.0]])], phi, theta) == pytest.approx(np.sin(phi))
    both = [np.array([np.zeros(3), across]), np.array([np.ones(3), np.ones(3) + 5 * level])]
    assert seen_length(both, phi, theta) == pytest.approx((1 + np.cos(phi)) / 2)
    assert seen_length([], phi, theta) == 1.0


def test_clear_azimuth_turns_from_a_view_that_sees_the_steps_end_on() -> None:
    """A level path on a gentle plane, seen from the preferred azimuth along its own direction (end-on, at phi
    60 degrees: about half of its steps' length on screen): with its steps given, the camera turns to see them
    nearly side on; without, nothing is hidden and it keeps the preferred azimuth."""
    from gdscenes.core.losses import get_loss
    from gdscenes.display.view import View
    from gdscenes.display.visibility import clear_azimuth, seen_length

    loss = get_loss("0.05*y")  # (nothing on it hides anything from any azimuth)
    view = View.fit(loss.value, ((-2.0, 2.0), (-2.0, 2.0)))
    phi, preferred = np.radians(60), 0.0
    xs = np.linspace(-1.5, 1.5, 12)  # along x: the line of sight's direction at theta 0
    path = view.resting_points(xs, np.zeros_like(xs), 0.15)
    assert seen_length([path], phi, preferred) < 0.6
    assert clear_azimuth(view, path, phi, preferred, rests=path[-1:], radius=0.15) == pytest.approx(preferred)
    chosen = clear_azimuth(view, path, phi, preferred, rests=path[-1:], radius=0.15, paths=[path])
    assert seen_length([path], phi, chosen) > 0.85 and abs(np.sin(chosen)) > 0.7



def test_shared_turn_turns_from_a_view_that_sees_the_steps_end_on() -> None:
    """The one camera of a grid (and of ``export``) avoids end-on steps as a lesson's own camera does:
    the same level path, seen end-on from the lesson's azimuth, is seen nearly side on after the turn."""
    from gdscenes.core.losses import get_loss
    from gdscenes.display.camera_presets import shared_turn
    from gdscenes.display.view import View
    from gdscenes.display.visibility import seen_length

    loss = get_loss("0.05*y")
    view = View.fit(loss.value, ((-2.0, 2.0), (-2.0, 2.0)))
    xs = np.linspace(-1.5, 1.5, 12)
    path = view.resting_points(xs, np.zeros_like(xs), 0.15)
    phi, own = np.radians(60), 0.0
    assert seen_length([path], phi, own) < 0.6
    turn = shared_turn([(view, [path], np.degrees(own), np.degrees(own))], 60.0)
    assert turn != 0.0 and seen_length([path], phi, np.radians(turn)) > 0.85


# -- camera presets -----------------------------------------------------------------
def preset_render(tmp_path: Any, preset: str, name: str, **extra: Any) -> Any:
    scene = variant(SCENES["descent"], camera_preset=preset, **{**TINY, **extra})
    return render(scene, name, quality="l", fps=5, media_dir=tmp_path)


def test_same_preset_gives_identical_camera_angles_and_dive_ends_looking_straight_down(tmp_path: Any) -> None:
    first = preset_render(tmp_path, "dive", "a").scene
    again = preset_render(tmp_path, "dive", "b").scene
    orbit = preset_render(tmp_path, "orbit", "c").scene
    log = [(round(t, 9), s) for t, s in first.camera_log]
    assert log == [(round(t, 9), s) for t, s in again.camera_log]
    assert len(log) > 10
    assert first.camera.get_phi() == pytest.approx(0.0, abs=1e-6)  # phi ~ 0 at the end: the contour view
    assert orbit.camera.get_phi() == pytest.approx(np.radians(60))
    assert [s.phi for _, s in orbit.camera_log] == [60.0] * len(orbit.camera_log)
    # The dive starts as an orbit does (its azimuth is framed for its own end: from above).
    assert first.camera_log[0][1].phi == 60.0 and first.camera_log[0][1].zoom == orbit.camera_log[0][1].zoom


def test_follow_keeps_the_ball_where_the_landscape_centre_was(tmp_path: Any) -> None:
    result = preset_render(tmp_path, "follow", "follow", hold_seconds=1.0)
    scene = result.scene
    from gdscenes.drawing.projection import frame_coordinates, pixels

    from gdscenes.drawing.camera import FOLLOW_FLOOR_SHARE

    ball = scene.ball.ball.get_center()[None]
    # The aim: the ball lowered part of the way to the floor (the ball and its shadow both in view).
    aim = ball.copy()
    aim[0, 2] += FOLLOW_FLOOR_SHARE * (-scene.view.floor_gap - aim[0, 2])
    x, y = frame_coordinates(scene, aim)[0]
    # Where the last shot put its pivot: the orbit's screen offset, moved (if at all) only as far as keeps
    # the floor in the landscape's region (keep_in_frame).
    target = np.array(scene.camera_log[-1][1].screen_offset)
    assert np.hypot(*(target - np.array(scene.lesson_orbit.screen_offset))) < 2.0
    assert np.hypot(x - target[0], y - target[1]) < 0.25
    assert frame_coordinates(scene, ball)[0][1] > y + 0.2  # the ball above the aim
    # ... and in the last frame the ball's colour is there.
    frame = read_frames(result.path)[-1]
    h, w = frame.shape[:2]
    col, row = pixels(scene, ball, w, h)[0]
    rows, cols = np.mgrid[:h, :w]
    disc = (cols - col) ** 2 + (rows - row) ** 2 <= 6**2
    close = np.linalg.norm(frame.astype(float) - hex_to_rgb(DARK.ball) * 255, axis=-1) < 60
    assert close[disc].mean() > 0.5
    # Mid-roll the aim follows the ball's track too (smoothed).
    move = scene.camera_move
    for t in (0.3, 0.8):
        assert np.linalg.norm(np.array(move.shot(t).pivot)[:2] - move.track(t)[:2]) < 0.5


def test_static_preset_never_moves_the_camera(tmp_path: Any) -> None:
    scene = preset_render(tmp_path, "static", "static").scene
    shots = {s for _, s in scene.camera_log}
    assert len(shots) == 1


def test_camera_preset_spec_key_and_flag_with_one_line_errors(tmp_path: Any, capsys: Any) -> None:
    from gdscenes.cli.main import main
    from gdscenes.production.spec import SpecError, from_sources

    spec = from_sources(None, [("camera.preset", "follow")], raw={"scene": {"name": "descent"}})
    assert spec.settings["camera_preset"] == "follow" and spec.scene_class().camera_preset == "follow"
    assert spec.output_name() == "descent_camerafollow"
    with pytest.raises(SpecError, match=r"^camera.preset = 'spin' is not allowed; choose one of: orbit, follow, dive"):
        from_sources(None, sets=["camera.preset=spin"], raw={"scene": {"name": "descent"}})
    with pytest.raises(SpecError, match="camera_preset must be one of orbit, follow, dive, static; got 'spin'"):
        from_sources(None, sets=["scene.camera_preset=spin"], raw={"scene": {"name": "descent"}})
    with pytest.raises(SystemExit) as exit_:
        main(["render", "descent", "--camera", "zoomy"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "gdscenes: error: camera.preset = 'zoomy' is not allowed; choose one of: orbit, follow, dive, static")


def test_eye_of_the_opengl_camera_shows_the_pivot_at_the_offset() -> None:
    """The eye point the ray test uses: straight above the pivot for a centred top-down camera,
    moved opposite to the screen offset otherwise."""
    from gdscenes.display.visibility import eye

    top = eye(0.0, np.radians(-90), 1.0, (0.0, 0.0), 8.0)
    assert np.allclose(top, [0, 0, 16.0])
    shifted = eye(0.0, np.radians(-90), 0.5, (2.0, 1.0), 8.0)
    assert np.allclose(shifted, [-4.0, -2.0, 32.0])  # the pivot appears right of and above the centre


# -- transparent background, sections, captions --------------------------------------
def alpha_frames(path: Any) -> tuple[str, np.ndarray]:
    """Pixel format and RGBA frames of a video (VP9's alpha needs libvpx's decoder, as editors use)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.codec_context.name == "vp9":
            decoder = av.CodecContext.create("libvpx-vp9", "r")
            decoded = [f for packet in container.demux(stream) for f in decoder.decode(packet)]
        else:
            decoded = list(container.decode(stream))
        return decoded[-1].format.name, np.stack([f.to_ndarray(format="rgba") for f in decoded])


def test_transparent_video_has_alpha_clear_background_and_opaque_surface_under_opengl(tmp_path: Any) -> None:
    render_elsewhere(
        "from gdscenes.production.render import render, variant; from gdscenes.scenes.registry import SCENES\n"
        f"from tests.test_presets import TINY\nrender(variant(SCENES['descent'], **TINY), 'gl', quality='l', fps=5, "
        f"media_dir={str(tmp_path)!r}, renderer='opengl', transparent='mov')\n"
    )
    pix_fmt, frames = alpha_frames(tmp_path / "videos" / "gl.mov")
    assert pix_fmt.startswith("yuva444p")  # (decoded at 12 bits once tagged 4444)
    import av

    with av.open(str(tmp_path / "videos" / "gl.mov")) as container:
        assert container.streams.video[0].codec_context.profile == "4444"  # ProRes 4444: with alpha
    alpha = frames[-1][..., 3]
    assert alpha[5, 5] < 5 and alpha[-5, -5] < 5 and alpha[-5, 5] < 5  # the corners: background
    assert (alpha < 5).mean() > 0.4
    right = alpha[:, alpha.shape[1] // 2 :]
    assert (right > 250).mean() > 0.1  # the surface (depth-tested mesh) is opaque


def test_transparent_cairo_webm(tmp_path: Any) -> None:
    from gdscenes.cli.main import main

    args = ["render", "descent", "--steps", "2", "--tol", "0", "-q", "l", "--fps", "5", "--media-dir", str(tmp_path),
            "--set", "scene.resolution=8", "--name", "clip"]
    assert main([*args, "--transparent", "webm"]) == 0
    pix_fmt, frames = alpha_frames(tmp_path / "videos" / "clip.webm")
    assert pix_fmt == "yuva420p"
    alpha = frames[-1][..., 3]
    assert alpha[5, -5] < 5 and (alpha < 5).mean() > 0.4
    assert (alpha[:, alpha.shape[1] // 2 :] > 150).mean() > 0.05  # the (slightly translucent) surface
    from gdscenes.production.spec import SpecError, from_sources

    with pytest.raises(SpecError, match="render.transparent = 'gif' is not allowed; choose one of: true, false, mov"):
        from_sources(None, sets=["render.transparent=gif"], raw={"scene": {"name": "descent"}})
    with pytest.raises(SpecError, match="render.size = 'imax' is not allowed; choose one of: 1080p, 4k, shorts"):
        from_sources(None, sets=["render.size=imax"], raw={"scene": {"name": "descent"}})
    spec = from_sources(None, [("render.size", "shorts")], raw={"scene": {"name": "descent"}})
    assert (spec.render["quality"], spec.render["aspect"]) == ("h", "9:16")
    spec = from_sources(None, [("render.size", "4k"), ("render.quality", "l")], raw={"scene": {"name": "descent"}})
    assert (spec.render["quality"], spec.render["aspect"]) == ("l", "16:9")  # an explicit quality wins


def test_sections_and_captions_match_the_frames_and_the_trajectory(tmp_path: Any) -> None:
    import json

    from gdscenes.display.timeline import parse_srt
    from gdscenes.cli.main import main

    code = main(["render", "descent", "--loss", "himmelblau", "--lr", "0.02", "--start", "-0.5,-4.5", "--steps", "4",
                 "--tol", "0", "-q", "l", "--fps", "5", "--sections", "--captions", "--set", "scene.seconds_per_step=0.4",
                 "--media-dir", str(tmp_path), "--name", "clip", "--set", "scene.resolution=8"])
    assert code == 0
    videos = tmp_path / "videos"
    frames = read_frames(videos / "clip.mp4")
    # manim's sections: one video per section, named after the clip, frames adding up to the clip's.
    index = json.loads((videos / "sections" / "clip" / "clip.json").read_text())
    names = [s["name"] for s in index]
    assert names == ["intro", "step 1", "step 2", "step 3", "step 4", "result"]
    counts = [len(read_frames(videos / "sections" / "clip" / s["video"])) for s in index]
    assert sum(counts) == len(frames)
    # The timing hooks and the captions have the sections' times (on the frame grid).
    timeline = json.loads((videos / "clip.sections.json").read_text())["sections"]
    starts = np.cumsum([0, *counts[:-1]]) / 5.0
    assert [c["name"] for c in timeline] == names
    assert np.allclose([c["start"] for c in timeline], starts)
    assert np.allclose([c["end"] for c in timeline], np.cumsum(counts) / 5.0)
    cues = parse_srt((videos / "clip.srt").read_text())
    assert [c[0] for c in cues] == list(range(1, 7))
    assert np.allclose([c[1] for c in cues], starts, atol=1e-3)
    assert np.allclose([c[2] for c in cues], np.cumsum(counts) / 5.0, atol=1e-3)
    # ... and say what the trajectory says.
    from gdscenes.core.runner import run
    from gdscenes.core.losses import get_loss

    t = run(get_loss("himmelblau"), "gd", start=(-0.5, -4.5), lr=0.02, steps=4, tol=0)
    for k in range(1, 5):
        assert cues[k][3].startswith(f"Step {k}: loss {t.losses[k, 0]:.4g}")
    assert "learning rate 0.02" in cues[0][3]
    assert cues[-1][3] == f"loss {t.losses[4, 0]:.4g} after 4 steps"


def test_captions_say_overshoot_converged_diverged_and_stalled() -> None:
    from gdscenes.display.timeline import describe_steps, parse_srt, stall_step, to_srt, Cue
    from gdscenes.core.runner import run
    from gdscenes.core.losses import get_loss

    bowl = get_loss("x^2 + 10*y^2")
    over = run(bowl, "gd", start=(1.0, 1.0), lr=0.09, steps=100, tol=1e-3)  # y flips sign each step
    assert str(over.status[0]) == "converged"
    assert "overshoot" not in describe_steps(over, 1, 5)  # flipping sides, but the loss falls
    assert f"converged at step {int(over.stop_step[0])}" in describe_steps(over, 1, int(over.stop_step[0]))
    bounce = run(bowl, "gd", start=(1.0, 1.0), lr=0.105, steps=30, tol=None)
    assert "overshoot: the loss rose" in describe_steps(bounce, 1, 1)
    far = run(bowl, "gd", start=(1.0, 1.0), lr=0.5, steps=200, tol=None)
    assert str(far.status[0]) == "diverged"
    assert f"diverged at step {int(far.stop_step[0])}" in describe_steps(far, 1, int(far.stop_step[0]))
    saddle = run(get_loss("saddle"), "gd", start=(1.0, 0.001), lr=0.1, steps=80, tol=None)
    k = stall_step(saddle)
    assert k is not None and f"stalled near a saddle at step {k}" in describe_steps(saddle, k, k)
    assert stall_step(over) is None
    srt = to_srt([Cue("a", 0.0, 1.5, "one"), Cue("b", 1.5, 3723.25, "two\nlines")])
    assert "01:02:03,250" in srt
    assert parse_srt(srt) == [(1, 0.0, 1.5, "one"), (2, 1.5, 3723.25, "two\nlines")]


def test_thumbnail_is_1280x720_with_a_big_title_beside_the_landscape(tmp_path: Any) -> None:
    from PIL import Image

    from gdscenes.cli.main import main
    from gdscenes.display.palette import DARK

    out = tmp_path / "thumb.png"
    assert main(["thumbnail", "descent", "--steps", "3", "--tol", "0", "--set", "scene.resolution=8",
                 "--set", "scene.hold_seconds=0.2", "--media-dir", str(tmp_path), "--out", str(out)]) == 0
    image = np.asarray(Image.open(out).convert("RGB")).astype(float)
    assert image.shape == (720, 1280, 3)
    text = np.linalg.norm(image - hex_to_rgb(DARK.text) * 255, axis=-1) < 40
    column = text[:, :440]
    rows = np.nonzero(column.any(axis=1))[0]
    assert column.sum() > 8000  # big letters: thousands of text pixels ...
    assert rows.max() - rows.min() > 150  # ... in lines over a tall block
    assert text[:, 520:].mean() < 0.01  # and none over the landscape
    spread = np.ptp(image[:, 600:], axis=-1)
    assert (spread > 60).mean() > 0.05  # the coloured surface is there
    ball = np.linalg.norm(image[:, 480:] - hex_to_rgb(DARK.ball) * 255, axis=-1) < 60
    assert ball.sum() > 20  # the path and the final point


@pytest.mark.parametrize(("last", "fps", "geometric"), [(15, 15, False), (15, 5, False), (4753, 15, True), (3, 60, False)])
def test_sections_partition_the_frames_and_the_steps(last: int, fps: float, geometric: bool) -> None:
    from gdscenes.display.timeline import MIN_SECTION_SECONDS, frames, step_groups
    from gdscenes.scenes.lesson import step_pacing

    seconds, pacing = step_pacing(last, 0.35, 2.0 if geometric else None)
    total = frames(seconds, fps)
    groups = step_groups(last, pacing, total, fps)
    assert groups[0][0] == 0 and groups[-1][1] == total and groups[0][2] == 0 and groups[-1][3] == last
    for (_f0, f1, _k0, k1), (g0, _, j0, _) in zip(groups, groups[1:]):
        assert f1 == g0 and k1 == j0  # contiguous frames and steps
    for f0, f1, k0, k1 in groups:
        assert k1 > k0 and f1 > f0
        assert f1 - f0 >= min(round(MIN_SECTION_SECONDS * fps), total) or (f0, f1, k0, k1) == groups[-1]
    if not geometric and 0.35 * fps >= np.ceil(MIN_SECTION_SECONDS * fps):
        assert len(groups) == last  # one section per step when steps are long enough


def test_the_last_hops_arc_fades_in_the_hold_and_the_clip_keeps_its_length(tmp_path: Any) -> None:
    """At rest, a ball's last arc (its trail and casings) fades out over the first part of the hold, on the frame
    grid: the clip has exactly the frames its timeline says (the hold: 0.6 s at 5 fps, 3 frames, the fade 1)."""
    result = preset_render(tmp_path, "static", "arc")
    scene = result.scene
    arc = scene.ball.last_arc()
    assert arc and all(line.get_stroke_opacity() == 0.0 for line in arc)
    assert scene.ball.trail.has_points()  # (drawn, then faded: not emptied)
    frames = read_frames(result.path)
    assert len(frames) == round(scene.timeline[-1].end * result.fps)
