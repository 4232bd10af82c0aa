"""The ring around a ball and the casing under its trail and dots (issue 15, "Colour for everyone").

A series colour with under 3:1 against the surface where balls come to rest (viridis' dark end:
the light theme's blue and plum are about 1:1 there) gets a white ring around its ball and a white
casing under its trail and iterate dots: the ball stands out from its ring, the ring from the surface.
On viridis' light end (above about 0.6) the white ring has under 3:1 too; the five ringed colours that
have under 3:1 there by themselves (light rust, green, lavender; dark violet, teal) get a thin dark
line outside the ring and the casings.

Checked from the palette (closed forms), from the mobjects, and from rendered frames read back:
the light theme's local-minima lesson (balls resting in four minima) with one more ball, which steps
along a bright edge of the surface, under Cairo (in this process) and under OpenGL (a child process:
``python -m tests.test_ball_ring MEDIA_DIR [PNG]``, as manim keeps one renderer per process), measuring
at each ball's projected pixel the ball's colour, the ring's, the dark line's and the surface's just
outside it, and across the bright ball's trail the line, its casing, the dark line and the surface.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import numpy as np
import pytest

from gdscenes.display import palette, vision
from gdscenes.display.palette import MARK_CONTRAST, RING, RING_SHARE, THEMES, Theme


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


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES)
def test_every_colour_stands_out_on_every_part_of_the_surface_by_itself_or_with_its_ring_or_line(theme: Theme) -> None:
    """On viridis' middle and light end a white ring has under 3:1 (from about 0.6 up), and so have many colours
    by themselves: there the colour, its ring or the dark line around them stands out from the surface, and
    each of them from the next (3:1)."""
    heights = np.linspace(0.0, 1.0, 201)
    surfaces = palette.colormap(heights)
    white = np.array([vision.contrast(RING, s) for s in surfaces])
    assert white[heights < palette.BRIGHT_SURFACE].min() >= MARK_CONTRAST > white[heights > palette.BRIGHT_SURFACE + 0.01].max()
    for colour in (*theme.series, theme.ball, theme.trail):
        ring, outline = palette.ring_color(colour), palette.outline_color(colour)
        marks = [m for m in (colour, ring, outline) if m]
        for mark, behind in zip(marks, marks[1:]):
            assert vision.contrast(mark, behind) >= MARK_CONTRAST, f"{theme.name}: {mark} on {behind}"
        for h, s in zip(heights, surfaces):
            assert max(vision.contrast(m, s) for m in marks) >= MARK_CONTRAST, f"{theme.name}: {colour} at {h:.3f}"


def test_each_colour_gets_the_least_it_needs() -> None:
    """No decoration where the colour stands out everywhere by itself; the dark line alone where it is enough
    (the dark theme's pink and mint: about 1:1 on viridis' light end by themselves); the ring where the colour
    is lost where balls rest, or where neither it nor the line has 3:1 (the oranges of the single balls, about
    1:1 on viridis' middle, where black has 2.5:1); the line around the ring where the ring fades too."""
    plans = {c: (palette.ring_color(c), palette.outline_color(c)) for c in (*palette.LIGHT_SERIES, *palette.DARK_SERIES)}
    ring_and_line, ring_only, line_only = (RING, palette.OUTLINE), (RING, None), (None, palette.OUTLINE)
    assert [plans[c] for c in palette.LIGHT_SERIES] == [ring_and_line, ring_only, ring_and_line, ring_and_line, ring_only]
    assert [plans[c] for c in palette.DARK_SERIES] == [ring_and_line, line_only, line_only, ring_and_line, ring_and_line]
    for ball in (palette.DARK.ball, palette.LIGHT.ball):
        assert (palette.ring_color(ball), palette.outline_color(ball)) == ring_and_line
        # Why the ring: by itself about 1:1 somewhere, with the line alone still under 3:1, with both over 4.5:1.
        assert palette.surround_contrast(ball, None) < 1.1
        assert 2.4 < palette.surround_contrast(ball, None, also=palette.OUTLINE) < MARK_CONTRAST
        assert palette.surround_contrast(ball, RING, also=palette.OUTLINE) > 4.5
    for colour in ("#F0B4FF", "#00F0B4"):  # the line is enough: the ring would add nothing
        assert palette.surround_contrast(colour, None) < 1.1 <= MARK_CONTRAST <= palette.surround_contrast(
            colour, None, also=palette.OUTLINE)
    for colour in ("#0000E1", "#69004B"):  # the light blue and plum stand out on the light end by themselves
        bright = np.linspace(palette.BRIGHT_SURFACE + 0.01, 1.0, 40)
        assert palette.surround_contrast(colour, None, bright) >= MARK_CONTRAST
    assert palette.outer_share(RING, palette.OUTLINE) == pytest.approx(1 + RING_SHARE + palette.OUTLINE_SHARE)
    assert palette.outer_share(None, palette.OUTLINE) == pytest.approx(1 + palette.OUTLINE_SHARE)


def test_the_colours_lost_where_balls_rest_get_their_rings() -> None:
    """Without the ring the light theme's blue and plum are about 1:1 on the surface at a minimum
    (the check above would fail); the dark theme's violet and teal (1.9:1, 2.8:1) get one too."""
    for colour in palette.LIGHT_SERIES:
        assert palette.ring_color(colour) == RING
    assert palette.rest_contrast("#0000E1") < 1.1 and palette.rest_contrast("#69004B") < 1.1
    assert palette.rest_contrast("#874BD2") < MARK_CONTRAST and palette.rest_contrast("#1E9687") < MARK_CONTRAST
    assert vision.contrast(RING, palette.colormap(np.array(0.0))) > 10


# -- the mobjects (Cairo: this process renders with Cairo) -----------------------------------------------
def test_the_cairo_ball_has_a_ring_disc_behind_it_and_an_unringed_ball_is_unchanged() -> None:
    from gdscenes.drawing.ball import ball_mobject

    ringed = ball_mobject(0.15, "#0000E1", palette.LIGHT)
    disc, body = ringed.submobjects[0], ringed.submobjects[1]
    assert disc.width == pytest.approx(2 * 0.15 * (1 + RING_SHARE), rel=1e-3)
    assert body.width == pytest.approx(0.3, rel=1e-3)
    assert disc.get_fill_color().to_hex().upper() == RING
    assert len(ringed.submobjects) == 3  # (the blue needs no dark line)
    outlined = ball_mobject(0.15, "#009678", palette.LIGHT)
    line, disc = outlined.submobjects[0], outlined.submobjects[1]
    assert line.width == pytest.approx(2 * 0.15 * (1 + RING_SHARE + palette.OUTLINE_SHARE), rel=1e-3)
    assert line.get_fill_color().to_hex().upper() == palette.OUTLINE and disc.get_fill_color().to_hex().upper() == RING
    lined = ball_mobject(0.15, "#00F0B4", palette.DARK)  # the mint: the dark line right around the ball
    line, body = lined.submobjects[0], lined.submobjects[1]
    assert len(lined.submobjects) == 3 and line.get_fill_color().to_hex().upper() == palette.OUTLINE
    assert line.width == pytest.approx(2 * 0.15 * (1 + palette.OUTLINE_SHARE), rel=1e-3) and body.width == pytest.approx(0.3)
    plain = ball_mobject(0.15, "#0000E1", palette.DARK)  # (no colour of the themes goes without; a colour given so)
    assert palette.ring_color("#0000E1") and len(plain.submobjects) == 3


def test_the_casings_follow_the_trail_and_the_dots_wider_and_drawn_before_them() -> None:
    from gdscenes.display.view import HeightMap, View
    from gdscenes.drawing.ball import RollingBall

    def bowl(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.asarray(x, float) ** 2 + np.asarray(y, float) ** 2

    view = View(bowl, ((-2.0, 2.0), (-2.0, 2.0)), HeightMap(0.0, 8.0), width=4.0, depth=4.0, height=2.0)
    path = np.array([[1.5, 1.0], [0.8, 0.5], [0.3, 0.2], [0.1, 0.05]])
    ball = RollingBall(view, path, palette.LIGHT, color="#0000E1")
    assert ball.casing is not None and ball.dot_casing is not None
    assert ball.casing.get_stroke_width() == pytest.approx(ball.trail.get_stroke_width() + 2 * palette.CASING_WIDTH)
    assert ball.outline_casing is None and ball.dot_outline is None  # (the blue needs no dark line)
    for t in (0.5, 1.7, 3.0):
        ball.set_time(t)
        np.testing.assert_allclose(ball.casing.points, ball.trail.points, atol=1e-9)
        assert ball.dots is not None and len(ball.dot_casing.points) == len(ball.dots.points) > 0
    green = RollingBall(view, path, palette.LIGHT, color="#009678")
    assert green.outline_casing is not None and green.dot_outline is not None and green.casing is not None
    assert green.outline_casing.get_stroke_width() == pytest.approx(
        green.trail.get_stroke_width() + 2 * (palette.CASING_WIDTH + palette.OUTLINE_WIDTH))
    # Drawn in this order: the dark line, the white casing, the line (each over the one before).
    order = [id(m) for m in green.submobjects]
    assert order.index(id(green.outline_casing)) < order.index(id(green.casing)) < order.index(id(green.trail))
    assert order.index(id(green.dot_outline)) < order.index(id(green.dot_casing)) < order.index(id(green.dots))
    assert all(getattr(m, "gd_casing", False) for m in (green.outline_casing, green.casing, green.dot_outline, green.dot_casing))
    assert not getattr(green.trail, "gd_casing", False) and not getattr(green.dots, "gd_casing", False)
    green.set_time(2.2)
    np.testing.assert_allclose(green.outline_casing.points, green.trail.points, atol=1e-9)
    np.testing.assert_allclose(green.dot_outline.points, green.dots.points, atol=1e-9)  # (the dots' points, wider)
    assert green.dot_outline.get_stroke_width() == pytest.approx(green.dots.get_stroke_width() + 2 * (palette.CASING_WIDTH
                                                                                                     + palette.OUTLINE_WIDTH))
    mint = RollingBall(view, path, palette.DARK, color="#00F0B4")  # the dark line alone: one casing, that thin
    assert mint.ring is None and mint.outline == palette.OUTLINE and mint.casing is mint.outline_casing is not None
    assert mint.casing.get_stroke_width() == pytest.approx(mint.trail.get_stroke_width() + 2 * palette.OUTLINE_WIDTH)
    assert mint.dot_casing is mint.dot_outline is not None


def test_the_x_ray_rows_carry_the_ring() -> None:
    from gdscenes.drawing.gl import xray

    class Sphere:
        data = {"rgbas": np.array([[0.0, 0.0, 0.9, 1.0]])}
        radius = 0.15
        gd_ring = RING
        gd_outline = palette.OUTLINE

        def has_points(self) -> bool:
            return True

        def get_center(self) -> np.ndarray:
            return np.array([1.0, 2.0, 3.0])

    rows = xray.rows_with_rings([Sphere()])
    assert rows.shape == (1, 13)
    outer = 1.0 + RING_SHARE
    np.testing.assert_allclose(rows[0, 8:], [1.0, 1.0, 1.0, outer, outer + palette.OUTLINE_SHARE], rtol=1e-6)
    np.testing.assert_allclose(xray.ball_rows([Sphere()]), rows[:, :8])
    Sphere.gd_outline = None
    assert xray.rows_with_rings([Sphere()])[0, 12] == 0.0
    Sphere.gd_ring, Sphere.gd_outline = None, palette.OUTLINE  # the line right around the ball
    np.testing.assert_allclose(xray.rows_with_rings([Sphere()])[0, 8:], [0, 0, 0, 0, 1 + palette.OUTLINE_SHARE], rtol=1e-6)


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


def measure(frame: np.ndarray, centre: tuple[float, float], radius: float, outline: bool = False,
            ring: bool = True) -> dict[str, float]:
    """The contrasts at one ball (``radius`` in pixels), read along :data:`DIRECTIONS` rays from its centre:
    its rim (0.6 to 0.75 of its radius; an x-ray silhouette's coloured ring) against its ring (the
    brightest sample across the ring's band), the ring against the surface just outside it (1.5 to 3
    pixels past the ring, or, with ``outline``, past the dark line around it), the dark line (the darkest
    sample across its band) against the surface, and the ball against that surface (what it would have
    without a ring). A ball without a ``ring`` (the dark line right around it) is read as its own ring.

    ``ball_ring`` is the median over the rays; ``ring_surface`` the lower quartile over the rays where the
    surface is dark (:data:`DARK_SURFACE`; NaN where none is); ``outline_surface`` the lower quartile over
    the rays where it is light (NaN where none is, or without ``outline``); ``set_off`` the lower quartile of
    the best of ring/surface, line/surface and ball/surface on each ray (where the surface is lighter than
    the ring can stand out from, the line or the ball does); ``ball_surface`` the median; ``surface`` the
    median luminance outside."""
    c, r = centre
    angles = np.linspace(0.0, 2 * np.pi, DIRECTIONS, endpoint=False)
    dx, dy = np.cos(angles), np.sin(angles)

    def read(distances: np.ndarray) -> np.ndarray:
        return luminance(sample(frame, c + dx[:, None] * distances, r + dy[:, None] * distances))

    ball = np.median(read(np.linspace(0.6, 0.75, 4) * radius), axis=1)
    outer = radius * (1 + RING_SHARE) if ring else radius
    rim = read(np.linspace(radius * 0.95, outer + 0.5, 8)).max(axis=1) if ring else ball
    line = np.ones_like(rim)  # (white: no line)
    if outline:
        edge = outer + radius * palette.OUTLINE_SHARE
        line = read(np.linspace(outer - 0.25, edge + 0.5, 8)).min(axis=1)
        outer = edge
    surface = np.median(read(outer + np.array([1.5, 2.25, 3.0])), axis=1)
    ring_surface, ball_surface, line_surface = ratio(rim, surface), ratio(ball, surface), ratio(line, surface)
    dark, light = surface < DARK_SURFACE, surface >= DARK_SURFACE
    return {
        "ball_ring": float(np.median(ratio(ball, rim))) if ring else float("nan"),
        "ring_surface": float(np.percentile(ring_surface[dark], 25)) if dark.any() else float("nan"),
        "outline_surface": float(np.percentile(line_surface[light], 25)) if outline and light.any() else float("nan"),
        "set_off": float(np.percentile(np.maximum.reduce([ring_surface, ball_surface, line_surface]), 25)),
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


#: Steps across a trail, at each side (pixels; sampled every quarter pixel).
ACROSS = 12.0


def across_trail(frame: np.ndarray, scene: Any, trail: Any, at: float = 0.15) -> dict[str, Any]:
    """The luminance across a trail, read ``at`` along its drawn line (the last hop's arc, from its start: low,
    in front of the surface) along the frame's normal to its projected direction, from ``-ACROSS`` to ``ACROSS`` pixels: the
    profile (every quarter pixel), the line's own luminance (its middle), the brightest and the darkest on
    each side before the surface, and the surface (4 to 6 pixels past the widest casing's edge)."""
    from manim import config

    from gdscenes.drawing.projection import pixels

    h, w = frame.shape[:2]
    data = getattr(trail, "data", {})  # (under OpenGL, once rendered, the points are only there)
    points = np.asarray(data["points"] if "points" in data else trail.points)
    middle = int(at * (len(points) - 1))
    ends = pixels(scene, points[[max(middle - 3, 0), middle, middle + 3]], w, h)
    along = ends[2] - ends[0]
    along /= np.linalg.norm(along)
    normal = np.array([-along[1], along[0]])
    offsets = np.arange(-ACROSS, ACROSS + 1e-9, 0.25)
    profile = luminance(sample(frame, ends[1][0] + offsets * normal[0], ends[1][1] + offsets * normal[1]))
    px = w / config.frame_width * 0.01  # pixels per unit of stroke width (Cairo's and manim's OpenGL's)
    width = float(np.ravel(data["stroke_width"])[0]) if "stroke_width" in data else trail.get_stroke_width()
    half = width / 2 * px
    widest = half + (palette.CASING_WIDTH + palette.OUTLINE_WIDTH) * px
    centre = profile[np.abs(offsets) <= max(half - 1.0, 0.5)]
    sides = []
    for sign in (-1, 1):
        band = profile[(sign * offsets > half - 0.5) & (sign * offsets <= widest + 0.5)]
        beyond = profile[(sign * offsets >= widest + 4.0) & (sign * offsets <= widest + 6.0)]
        sides.append({"brightest": float(band.max()), "darkest": float(band.min()), "surface": float(np.median(beyond))})
    return {"line": float(np.median(centre)), "sides": sides, "half_px": half, "profile": profile.round(4).tolist(),
            "px": ends[1].tolist()}


#: The lesson whose last frame is measured, and its settings: short and coarse, the balls at rest in their minima.
LESSON = "local-minima"
SETTINGS = dict(theme="light", resolution=12, intro_seconds=0.2, hold_seconds=0.3, seconds_per_step=0.02, basin_samples=16)
#: 1080p (the balls are about 11 pixels across there, their rings 2), at a few frames a second.
QUALITY, FPS = "h", 2
#: A step along himmelblau's low edge, which is bright (viridis above 0.75 from end to end: a white ring has
#: under 3:1 there), drawn last in the light theme's green (a series colour under 3:1 there by itself).
BRIGHT_STEP = ((-1.0, -4.7), (2.0, -4.75))
BRIGHT_COLOR = "#009678"
#: In the dark theme: the mint, which has only the dark line (its white ring would add nothing).
BRIGHT_COLORS = {"light": BRIGHT_COLOR, "dark": "#00F0B4"}


def render_and_measure(media_dir: str, theme: str = "light", still: str | None = None) -> dict[str, Any]:
    """Render :data:`LESSON` in ``theme`` with one more ball, which rests on a bright part of the surface after a
    step there, and measure every ball of its last frame and the bright ball's trail (``still``: write the frame there)."""
    from dataclasses import replace

    from PIL import Image

    from gdscenes.core.runner import run
    from gdscenes.drawing.markers import MinimaMarks
    from gdscenes.production.render import render, variant
    from gdscenes.scenes.compare import Run
    from gdscenes.scenes.registry import SCENES
    from tests.conftest import read_frames

    cls = SCENES[LESSON]

    settings = {**SETTINGS, "theme": theme}

    class Probe(variant(cls, **{k: v for k, v in settings.items() if hasattr(cls, k)})):  # type: ignore[misc]
        """The lesson without its minima's stars and values, which lie where the balls rest (light, they
        would stand for the surface around a ball), and with a last ball stepping along a bright edge."""

        def add_marks(self, view: Any, loss: Any) -> None:
            self.marks = MinimaMarks(view, [], self.colors)

        @classmethod
        def descend(cls, loss: Any) -> list[Any]:
            points = np.array(BRIGHT_STEP, dtype=float)[:, None, :]
            t = run(loss, "gd", start=points[0], lr=0.01, steps=1)  # (its one step replaced by the bright one)
            step = replace(t, points=points, updates=np.diff(points, axis=0), losses=loss.value(points[..., 0], points[..., 1]))
            return [*super().descend(loss), Run(r"\text{bright}", BRIGHT_COLORS[theme], step)]

    result = render(Probe, LESSON, quality=QUALITY, media_dir=media_dir, fps=FPS, extra_config={"progress_bar": "none"})
    last = read_frames(result.path)[-1]
    if still:
        Image.fromarray(last).save(still)
    scene = result.scene
    rows = []
    for b, (colour, col, row, radius) in zip(scene.balls, ball_pixels(scene, last.shape[1], last.shape[0])):
        where = b.path[-1]
        rows.append({"color": colour, "px": [col, row], "shade": float(scene.view.shade_of(*where)),
                     **measure(last, (col, row), radius, outline=palette.outline_color(colour) is not None,
                               ring=palette.ring_color(colour) is not None)})
    return {"balls": rows, "trail": across_trail(last, scene, scene.balls[-1].trail)}


def check(rows: list[dict[str, Any]], renderer: str, theme: str = "light") -> None:
    assert len(rows) >= 4, rows
    resting, bright = rows[:-1], rows[-1]
    colours = {row["color"] for row in resting}
    if theme == "light":
        assert "#0000E1" in colours, colours  # the blue, about 1:1 on the surface where it rests
    for row in rows:
        where = f"{renderer}: {row}"
        assert not row["ball_ring"] < MARK_CONTRAST, where  # (NaN: no ring)
        assert row["set_off"] >= MARK_CONTRAST, where
        assert not row["ring_surface"] < MARK_CONTRAST, where  # (NaN: no dark surface around it)
    # Some ball would be lost without its ring (under 3:1 against the surface there): the ring is what passes.
    assert any(row["ball_surface"] < MARK_CONTRAST <= row["ring_surface"] for row in resting), rows
    # The bright ball: the surface around it is light (a white ring has under 3:1 against it, the ball too),
    # and the dark line around its ring is what passes.
    assert bright["shade"] > palette.BRIGHT_SURFACE and bright["surface"] > DARK_SURFACE, bright
    assert bright["ball_surface"] < MARK_CONTRAST and ratio(1.0, bright["surface"]) < MARK_CONTRAST, bright
    assert bright["outline_surface"] >= MARK_CONTRAST, bright


def check_trail(trail: dict[str, Any], renderer: str, theme: str = "light") -> None:
    """Across the bright ball's trail: its colour, then on each side the white casing (3:1 against the line;
    the dark theme's mint has none), then the dark line (3:1 against the casing or the line, and the surface),
    then the surface (light: under 3:1 against the line and the casing, which would be lost on it by themselves)."""
    line = trail["line"]
    colour = BRIGHT_COLORS[theme]
    assert ratio(line, vision.luminance(colour)) < 1.3, f"{renderer}: the line's middle is not its colour: {trail}"
    for side in trail["sides"]:
        where = f"{renderer}: {side}, line {line:.3f}"
        if palette.ring_color(colour) is None:
            assert ratio(side["darkest"], line) >= MARK_CONTRAST and ratio(side["darkest"], side["surface"]) >= MARK_CONTRAST
            assert ratio(line, side["surface"]) < MARK_CONTRAST, where
            continue
        assert side["brightest"] > 0.8 and ratio(side["brightest"], line) >= MARK_CONTRAST, where  # the white casing
        assert ratio(side["darkest"], side["brightest"]) >= MARK_CONTRAST, where
        assert ratio(side["darkest"], side["surface"]) >= MARK_CONTRAST, where  # the dark line on the surface
        assert ratio(line, side["surface"]) < MARK_CONTRAST and ratio(side["brightest"], side["surface"]) < MARK_CONTRAST, where


@pytest.mark.render
def test_balls_and_a_trail_stand_out_on_dark_and_light_parts_of_the_surface_under_cairo(tmp_path: Any) -> None:
    measured = render_and_measure(str(tmp_path))
    check(measured["balls"], "cairo")
    check_trail(measured["trail"], "cairo")


@pytest.mark.render
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_balls_and_a_trail_stand_out_on_dark_and_light_parts_of_the_surface_under_opengl(tmp_path: Any, theme: str) -> None:
    import os
    import subprocess
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "GDSCENES_RENDERER"}
    env["GDSCENES_RENDERER"] = "opengl"
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-m", "tests.test_ball_ring", str(tmp_path), theme], check=True,
                          capture_output=True, text=True, cwd=root, env=env)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    check(measured["balls"], "opengl", theme)
    check_trail(measured["trail"], "opengl", theme)


#: A lesson whose noisy runs leave iterate dots on steep, curved walls of its bowl (where the surface's flat facets
#: lie above the true surface), in the dark theme: the orange's white ring and dark line, the mint's dark line.
DOTS_LESSON = "schedules"


def dot_centres(media_dir: str) -> dict[str, Any]:
    """Render :data:`DOTS_LESSON` (OpenGL: a child process) and read, in its last frame, the pixel at the centre of
    every iterate dot that stands apart (no dot at another place and no ball within three dots' widths; the runs'
    first dots share their start): its colour, and the colours of the dots there, their rings and dark lines."""
    from gdscenes.drawing.ball import DOT_LIFT, DOT_SHARE
    from gdscenes.drawing.projection import pixels
    from gdscenes.production.render import render, variant
    from gdscenes.scenes.registry import SCENES
    from tests.conftest import read_frames

    cls = SCENES[DOTS_LESSON]
    paced = dict(seconds_per_step=0.05, intro_seconds=0.2, hold_seconds=0.3)
    result = render(variant(cls, **{k: v for k, v in paced.items() if hasattr(cls, k)}), DOTS_LESSON, quality="l",
                    media_dir=media_dir, fps=2, extra_config={"progress_bar": "none"})
    last = read_frames(result.path)[-1]
    h, w = last.shape[:2]
    scene, found = result.scene, []
    for b in scene.balls:
        if b.dots is None:
            continue
        path = np.asarray(b.path)[: b.n_steps + 1]
        centres = scene.view.surface_points(path[:, 0], path[:, 1]) + DOT_LIFT * scene.view.normals(path[:, 0], path[:, 1])
        rim = pixels(scene, centres + np.array([b.radius * DOT_SHARE * 0.5, 0.0, 0.0]), w, h)
        found += [(b.color, c, float(np.hypot(*(r - c)))) for c, r in zip(pixels(scene, centres, w, h), rim)]
    balls = np.array([pixels(scene, b.ball.get_center()[None], w, h)[0] for b in scene.balls])
    places = np.array([c for _, c, _ in found])
    rows = []
    for _, c, r in found:
        here = np.hypot(*(places - c).T) < 0.5
        others = np.vstack([balls, places[~here]])
        col, row = int(round(c[0] - 0.5)), int(round(c[1] - 0.5))
        if np.hypot(*(others - c).T).min() > 6 * max(r, 1.0) and 1 <= col < w - 1 and 1 <= row < h - 1:
            colours = sorted({found[i][0] for i in np.flatnonzero(here)})
            seen = np.median(last[row - 1:row + 2, col - 1:col + 2].reshape(-1, 3), axis=0)
            casings = [k for d in colours for k in (palette.ring_color(d), palette.outline_color(d)) if k]
            rows.append({"px": [col, row], "seen": seen.tolist(), "dots": colours, "casings": casings})
    return {"dots": [dict(t) for t in {json.dumps(row, sort_keys=True): row for row in rows}.values()]}


def rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


@pytest.mark.render
def test_a_dot_shows_its_colour_wherever_its_casing_shows_under_opengl(tmp_path: Any) -> None:
    """Noisy runs leave dots on the bowl's steep, curved walls, where the surface's flat facets lie above the true
    surface. The casings under the dots are drawn nearer the camera (a depth offset) and showed there while the
    dot itself was hidden: a black disc where a mint or orange dot was (schedules, 16:9). The dot now gets the
    same offset: at the centre of every dot that stands apart, its own colour, never its ring's or its dark line's
    alone (a dot hidden behind a ridge, with its casing, shows the surface)."""
    import os
    import subprocess
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "GDSCENES_RENDERER"}
    env["GDSCENES_RENDERER"] = "opengl"
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-m", "tests.test_ball_ring", str(tmp_path), "dots"], check=True,
                          capture_output=True, text=True, cwd=root, env=env)
    dots = json.loads(done.stdout.strip().splitlines()[-1])["dots"]
    assert len(dots) >= 10, dots
    assert any(len(dot["dots"]) == 3 for dot in dots), dots  # (the runs' start: the dot drawn last shows)
    for dot in dots:
        seen = np.array(dot["seen"])
        own = min(np.linalg.norm(seen - rgb(colour)) for colour in dot["dots"])
        for casing in dot["casings"]:
            assert own < np.linalg.norm(seen - rgb(casing)), f"a dot's casing without the dot: {dot}"


if __name__ == "__main__":
    if sys.argv[2:3] == ["dots"]:
        print(json.dumps(dot_centres(sys.argv[1])))
    else:
        print(json.dumps(render_and_measure(sys.argv[1], *sys.argv[2:4])))
