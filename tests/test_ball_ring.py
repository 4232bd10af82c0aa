"""The ring around a ball and the casing under its trail and dots (issue 15, "Colour for everyone").

A series colour with under 3:1 against the surface where balls come to rest (viridis' dark end:
the light theme's blue and plum are about 1:1 there) gets a white ring around its ball and a white
casing under its iterate dots (and, under Cairo, its trail): the ball stands out from its ring, the ring
from the surface.

Checked from the palette (closed forms), from the mobjects, and from rendered frames read back:
the light theme's local-minima lesson (four balls resting in four minima) under Cairo (in this
process) and under OpenGL (a child process: ``python -m tests.test_ball_ring MEDIA_DIR``, as manim
keeps one renderer per process), measuring at each ball's projected pixel the ball's colour, the
ring's and the surface's just outside it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import numpy as np
import pytest

from gdscenes.display import palette, vision
from gdscenes.display.palette import MARK_CONTRAST, RING, RING_SHARE, THEMES, Theme

#: The lesson whose last frame is measured, and its settings: short and coarse, the balls at rest in their minima.
LESSON = "local-minima"
SETTINGS = dict(theme="light", resolution=12, intro_seconds=0.2, hold_seconds=0.3, seconds_per_step=0.1, basin_samples=16)
#: 1080p (the balls are about 11 pixels across there, their rings 2), at a few frames a second.
QUALITY, FPS = "h", 2


# -- the palette ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES)
def test_every_series_colour_stands_out_where_balls_rest_by_itself_or_with_its_ring(theme: Theme) -> None:
    low = [palette.colormap(h) for h in np.linspace(0.0, palette.LOW_SURFACE, 7)]
    for colour in (*theme.series, theme.ball, theme.trail):
        ring = palette.ring_color(colour)
        if ring is None:
            assert min(vision.contrast(colour, s) for s in low) >= MARK_CONTRAST, colour
            continue
        assert vision.contrast(colour, ring) >= MARK_CONTRAST, f"{theme.name}: {colour} on its ring {ring}"
        for s in low:
            assert vision.contrast(ring, s) >= MARK_CONTRAST, f"{theme.name}: ring {ring} on {palette.rgb_to_hex(s)}"
        # The ring is the mark's background on a lighter surface too, up to viridis' middle (3.8:1 there).
        assert vision.contrast(ring, palette.colormap(np.array(0.5))) >= MARK_CONTRAST


def test_the_light_series_need_their_rings_and_the_single_balls_keep_their_look() -> None:
    """Without the ring the light theme's blue and plum are about 1:1 on the surface at a minimum
    (the check above would fail); the dark theme's violet and teal (1.9:1, 2.8:1) get one too."""
    for colour in palette.LIGHT_SERIES:
        assert palette.ring_color(colour) == RING
    assert palette.rest_contrast("#0000E1") < 1.1 and palette.rest_contrast("#69004B") < 1.1
    assert [palette.ring_color(c) for c in palette.DARK_SERIES] == [None, None, None, RING, RING]
    assert palette.ring_color(palette.DARK.ball) is None and palette.ring_color(palette.LIGHT.ball) is None
    assert vision.contrast(RING, palette.colormap(np.array(0.0))) > 10


# -- the mobjects (Cairo: this process renders with Cairo) -----------------------------------------------
def test_the_cairo_ball_has_a_ring_disc_behind_it_and_an_unringed_ball_is_unchanged() -> None:
    from gdscenes.drawing.ball import ball_mobject

    ringed = ball_mobject(0.15, "#0000E1", palette.LIGHT)
    disc, body = ringed.submobjects[0], ringed.submobjects[1]
    assert disc.width == pytest.approx(2 * 0.15 * (1 + RING_SHARE), rel=1e-3)
    assert body.width == pytest.approx(0.3, rel=1e-3)
    assert disc.get_fill_color().to_hex().upper() == RING
    plain = ball_mobject(0.15, palette.DARK.ball, palette.DARK)
    assert len(plain.submobjects) == 2 and plain.submobjects[0].get_stroke_width() == pytest.approx(1.5)


def test_the_casing_follows_the_trail_and_the_dots_a_little_below_and_wider() -> None:
    from gdscenes.display.view import HeightMap, View
    from gdscenes.drawing.ball import CASING_DROP, RollingBall

    def bowl(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.asarray(x, float) ** 2 + np.asarray(y, float) ** 2

    view = View(bowl, ((-2.0, 2.0), (-2.0, 2.0)), HeightMap(0.0, 8.0), width=4.0, depth=4.0, height=2.0)
    path = np.array([[1.5, 1.0], [0.8, 0.5], [0.3, 0.2], [0.1, 0.05]])
    ball = RollingBall(view, path, palette.LIGHT, color="#0000E1")
    assert ball.casing is not None and ball.dot_casing is not None
    assert ball.casing.get_stroke_width() == pytest.approx(ball.trail.get_stroke_width() + 2 * palette.CASING_WIDTH)
    for t in (0.5, 1.7, 3.0):
        ball.set_time(t)
        np.testing.assert_allclose(ball.casing.points, ball.trail.points - np.array([0.0, 0.0, CASING_DROP]), atol=1e-9)
        assert ball.dots is not None and len(ball.dot_casing.points) == len(ball.dots.points) > 0
    plain = RollingBall(view, path, palette.DARK)  # the dark theme's single ball: no ring, no casing
    assert plain.casing is None and plain.dot_casing is None and plain.ring is None


def test_the_x_ray_rows_carry_the_ring() -> None:
    from gdscenes.drawing.gl import xray

    class Sphere:
        data = {"rgbas": np.array([[0.0, 0.0, 0.9, 1.0]])}
        radius = 0.15
        gd_ring = RING

        def has_points(self) -> bool:
            return True

        def get_center(self) -> np.ndarray:
            return np.array([1.0, 2.0, 3.0])

    rows = xray.rows_with_rings([Sphere()])
    assert rows.shape == (1, 12)
    np.testing.assert_allclose(rows[0, 8:], [1.0, 1.0, 1.0, 1.0 + RING_SHARE], rtol=1e-6)
    np.testing.assert_allclose(xray.ball_rows([Sphere()]), rows[:, :8])


# -- frames read back ------------------------------------------------------------------------------------
def luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of 8-bit sRGB pixels (..., 3)."""
    lin = vision.linear(np.asarray(rgb, dtype=float) / 255.0)
    return np.asarray(lin @ np.array([0.2126, 0.7152, 0.0722]))


def ratio(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    hi, lo = np.maximum(a, b), np.minimum(a, b)
    return np.asarray((hi + 0.05) / (lo + 0.05))


def sample(frame: np.ndarray, cols: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Bilinear samples of ``frame`` (h, w, 3) at fractional pixel centres."""
    h, w = frame.shape[:2]
    cols, rows = np.clip(cols - 0.5, 0, w - 1.001), np.clip(rows - 0.5, 0, h - 1.001)
    c0, r0 = cols.astype(int), rows.astype(int)
    fc, fr = (cols - c0)[..., None], (rows - r0)[..., None]
    f = frame.astype(float)
    top = f[r0, c0] * (1 - fc) + f[r0, c0 + 1] * fc
    bottom = f[r0 + 1, c0] * (1 - fc) + f[r0 + 1, c0 + 1] * fc
    return np.asarray(top * (1 - fr) + bottom * fr)


#: Directions around a ball at which its ring and the surface outside it are read.
DIRECTIONS = 32
#: A surface darker than this (WCAG luminance) is one a white ring keeps 3:1 against (1.05 / 3 - 0.05).
DARK_SURFACE = 0.3


def measure(frame: np.ndarray, centre: tuple[float, float], radius: float) -> dict[str, float]:
    """The contrasts at one ball (``radius`` in pixels), read along :data:`DIRECTIONS` rays from its centre:
    its rim (0.6 to 0.75 of its radius; an x-ray silhouette's coloured ring) against its ring (the
    brightest sample across the ring's band), the ring against the surface just outside it (1.5 to 3
    pixels past the ring), and the ball against that surface (what it would have without a ring).

    ``ball_ring`` is the median over the rays; ``ring_surface`` the lower quartile over the rays where the
    surface is dark (:data:`DARK_SURFACE`; NaN where none is); ``set_off`` the lower
    quartile of the better of ring/surface and ball/surface on each ray (where the surface is lighter than
    the ring can stand out from, the ball does by itself); ``ball_surface`` the median;
    ``surface`` the median luminance outside."""
    c, r = centre
    angles = np.linspace(0.0, 2 * np.pi, DIRECTIONS, endpoint=False)
    dx, dy = np.cos(angles), np.sin(angles)
    rim = np.linspace(0.6, 0.75, 4) * radius
    ball = np.median(luminance(sample(frame, c + dx[:, None] * rim, r + dy[:, None] * rim)), axis=1)
    outer = radius * (1 + RING_SHARE)
    across = np.linspace(radius * 0.95, outer + 0.5, 8)
    ring = luminance(sample(frame, c + dx[:, None] * across, r + dy[:, None] * across)).max(axis=1)
    beyond = outer + np.array([1.5, 2.25, 3.0])
    surface = np.median(luminance(sample(frame, c + dx[:, None] * beyond, r + dy[:, None] * beyond)), axis=1)
    ring_surface, ball_surface = ratio(ring, surface), ratio(ball, surface)
    dark = surface < DARK_SURFACE
    return {
        "ball_ring": float(np.median(ratio(ball, ring))),
        "ring_surface": float(np.percentile(ring_surface[dark], 25)) if dark.any() else float("nan"),
        "set_off": float(np.percentile(np.maximum(ring_surface, ball_surface), 25)),
        "ball_surface": float(np.median(ball_surface)),
        "surface": float(np.median(surface)),
        "radius_px": float(radius),
    }


def ball_pixels(scene: Any, width: int, height: int) -> list[tuple[str, float, float, float]]:
    """(colour, column, row, radius in pixels) of each ball of a rendered lesson, where the camera put it."""
    from manim import config

    from gdscenes.drawing.ball import SphereMesh
    from gdscenes.drawing.projection import pixels

    out = []
    for b in scene.balls:
        centre = b.ball.get_center()
        col, row = pixels(scene, centre[None], width, height)[0]
        if not isinstance(b.ball, SphereMesh):  # Cairo: a flat disc kept facing the camera, its size in frame units
            radius = b.radius * width / config.frame_width
        else:  # OpenGL: a sphere, projected
            right = np.asarray(scene.renderer.camera.inverse_rotation_matrix)[0]
            rim = pixels(scene, (centre + b.radius * right)[None], width, height)[0]
            radius = float(np.hypot(*(rim - (col, row))))
        out.append((b.color, float(col), float(row), float(radius)))
    return out


def render_and_measure(media_dir: str) -> list[dict[str, Any]]:
    """Render :data:`LESSON` and measure every ball of its last frame."""
    from gdscenes.production.render import render, variant
    from gdscenes.scenes.registry import SCENES
    from tests.conftest import read_frames

    from gdscenes.drawing.markers import MinimaMarks

    cls = SCENES[LESSON]

    class Unmarked(variant(cls, **{k: v for k, v in SETTINGS.items() if hasattr(cls, k)})):  # type: ignore[misc]
        """The lesson without its minima's stars and values, which lie where the balls rest (light, they
        would stand for the surface around a ball)."""

        def add_marks(self, view: Any, loss: Any) -> None:
            self.marks = MinimaMarks(view, [], self.colors)

    result = render(Unmarked, LESSON, quality=QUALITY, media_dir=media_dir, fps=FPS, extra_config={"progress_bar": "none"})
    last = read_frames(result.path)[-1]
    rows = []
    for colour, col, row, radius in ball_pixels(result.scene, last.shape[1], last.shape[0]):
        rows.append({"color": colour, "px": [col, row], **measure(last, (col, row), radius)})
    return rows


def check(rows: list[dict[str, Any]], renderer: str) -> None:
    assert len(rows) >= 3, rows
    colours = {row["color"] for row in rows}
    assert "#0000E1" in colours, colours  # the blue, about 1:1 on the surface where it rests
    for row in rows:
        where = f"{renderer}: {row}"
        assert row["ball_ring"] >= MARK_CONTRAST, where
        assert row["set_off"] >= MARK_CONTRAST, where
        assert not row["ring_surface"] < MARK_CONTRAST, where  # (NaN: no dark surface around it)
    # Some ball would be lost without its ring (under 3:1 against the surface there): the ring is what passes.
    assert any(row["ball_surface"] < MARK_CONTRAST <= row["ring_surface"] for row in rows), rows


@pytest.mark.render
def test_light_balls_stand_out_from_their_rings_and_the_rings_from_the_surface_under_cairo(tmp_path: Any) -> None:
    check(render_and_measure(str(tmp_path)), "cairo")


@pytest.mark.render
def test_light_balls_stand_out_from_their_rings_and_the_rings_from_the_surface_under_opengl(tmp_path: Any) -> None:
    import os
    import subprocess
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "GDSCENES_RENDERER"}
    env["GDSCENES_RENDERER"] = "opengl"
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-m", "tests.test_ball_ring", str(tmp_path)], check=True,
                          capture_output=True, text=True, cwd=root, env=env)
    check(json.loads(done.stdout.strip().splitlines()[-1]), "opengl")


if __name__ == "__main__":
    print(json.dumps(render_and_measure(sys.argv[1])))
