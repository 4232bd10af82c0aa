"""Issue 15's open items: the colour bar in both orientations, the height note, the wide panel of a
stacked frame, the opening card at the type scale, the follow camera keeping the floor in frame.
Geometry computed from the mobjects, and pixels of rendered -q l frames."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from manim import config

from gdscenes.core.losses import get_loss
from gdscenes.display.palette import DARK, hex_to_rgb
from gdscenes.display.view import View
from gdscenes.drawing import type_scale
from gdscenes.scenes.registry import SCENES


@pytest.fixture
def frame_shape() -> Iterator[Any]:
    """Set manim's frame to ``width`` x ``height`` units for a test (restored after)."""
    saved = config.frame_width, config.frame_height

    def set_to(width: float, height: float) -> None:
        config.frame_width, config.frame_height = width, height

    yield set_to
    config.frame_width, config.frame_height = saved


def view_of(expression: str) -> View:
    loss = get_loss(expression)
    minima = [m.f for m in loss.minima if m.kind == "global"]
    return View.fit(loss.value, loss.domain, f_min=min(minima, default=None))


# -- the colour bar --------------------------------------------------------------------
@pytest.mark.parametrize("upright", [False, True])
def test_colour_bar_values_lie_beside_the_strip_not_on_it(upright: bool) -> None:
    from gdscenes.drawing.colour_bar import ColourBar

    bar = ColourBar(view_of("himmelblau"), DARK, upright=upright)
    strip = bar.outline
    assert len(bar.values) >= 3
    for tick, value in zip(bar.ticks, bar.values):
        if upright:  # ticks and values on the right, the strip standing: low values at the bottom
            assert tick.get_left()[0] >= strip.get_right()[0] - 1e-6 and value.get_left()[0] > tick.get_right()[0] - 1e-6
            assert strip.get_bottom()[1] - 1e-6 <= tick.get_center()[1] <= strip.get_top()[1] + 1e-6
        else:  # under the lying strip
            assert tick.get_top()[1] <= strip.get_bottom()[1] + 1e-6 and value.get_top()[1] < tick.get_bottom()[1] + 1e-6
    ys = [c.get_center()[1] for c in bar.cells] if upright else [c.get_center()[0] for c in bar.cells]
    assert ys == sorted(ys)  # the colormap runs from the low end
    assert bar.name.get_bottom()[1] > strip.get_top()[1] if upright else bar.name.get_right()[0] < strip.get_left()[0]


# -- the height note ---------------------------------------------------------------------
def test_a_quadratic_keeps_the_loss_as_its_height_and_states_no_transform() -> None:
    view = view_of("x^2 + 3*y^2")
    assert view.note() is None
    # Worked out: the height is (f - f_min) / (f_top - f_min) x 3, linear up to the corner (f_top is sampled there).
    (x0, x1), (y0, y1) = view.domain
    f = lambda x, y: x * x + 3 * y * y  # noqa: E731
    top = max(f(x, y) for x in (x0, x1) for y in (y0, y1))
    for x, y in ((x1, y1), (0.5 * x1, 0.3 * y0), (0.0, 0.0)):
        assert float(view.z_of(x, y)) == pytest.approx(f(x, y) / top * view.height, rel=1e-9, abs=1e-12)
    # Himmelblau's corners stick out (1.85 times its 98% quantile): they are flattened, and it says so.
    assert view_of("himmelblau").note() == "height flattened above f = 385"


def note_ink(result: Any) -> tuple[Any, np.ndarray, tuple[int, int, int, int]]:
    """The scene's colour bar, the last frame and the box (left, top, right, bottom px) just under the bar."""
    from tests.conftest import read_frames

    frame = read_frames(result.path)[-1]
    h, w = frame.shape[:2]
    bar = result.scene.colour_key
    strip = bar.outline.get_bottom()[1] - 0.45  # (below the tick values)
    left, right = bar.get_left()[0], bar.get_right()[0]
    to_col = lambda x: int((x / (16 * 8 / 9) + 0.5) * w)  # noqa: E731
    to_row = lambda y: int((0.5 - y / 8) * h)  # noqa: E731
    return bar, frame, (to_col(left), to_row(strip), to_col(right), to_row(strip - 0.9))


@pytest.mark.render
def test_the_height_note_is_drawn_under_the_colour_bar_only_where_heights_are_transformed(tmp_path: Any) -> None:
    from gdscenes.production.render import render, variant

    short = {"steps": 2, "resolution": 8, "intro_seconds": 0.2, "hold_seconds": 0.2, "seconds_per_step": 0.2, "tol": None}
    muted = hex_to_rgb(DARK.muted) * 255
    valley = render(variant(SCENES["valley"], **short), "valley", quality="l", fps=5, media_dir=tmp_path)
    bar, frame, (c0, r0, c1, r1) = note_ink(valley)
    assert bar.note is not None and "log" in valley.scene.view.note()
    patch = frame[r0:r1, c0:c1].astype(float)
    assert (np.linalg.norm(patch - muted, axis=-1) < 60).sum() > 40  # the note's letters, in the muted colour
    plain = render(variant(SCENES["descent"], loss="x^2 + 3*y^2", **short), "plain", quality="l", fps=5, media_dir=tmp_path)
    bar, frame, (c0, r0, c1, r1) = note_ink(plain)
    assert bar.note is None
    patch = frame[r0:r1, c0:c1].astype(float)
    assert (np.linalg.norm(patch - muted, axis=-1) < 60).sum() < 5  # nothing written there


# -- the wide panel of a stacked frame ------------------------------------------------------
def test_a_square_frames_panel_puts_its_rows_beside_its_title_at_the_type_scale(frame_shape: Any) -> None:
    from gdscenes.drawing.layout import Layout
    from gdscenes.drawing.panel import UpdatePanel

    frame_shape(8.0, 8.0)
    layout = Layout.current()
    rule = r"\theta_{k+1} = \theta_k - \eta \nabla f(\theta_k)"
    wide = UpdatePanel("Gradient descent on Himmelblau", rule, DARK, width=layout.block_width)
    narrow = UpdatePanel("Gradient descent on Himmelblau", rule, DARK, width=5.0, max_height=100.0)  # (a column: no grid)
    wide.show_step(15, (-3.779, -3.283), (0.0, 0.001), 0.01, (-3.779, -3.283), 0.0)
    wide.set_status("converged at step 15")
    assert wide.wide and not narrow.wide
    assert wide.labels.get_left()[0] > max(wide.title.get_right()[0], wide.rule.get_right()[0])  # beside, not under
    assert wide.height < 0.65 * narrow.height  # 4.2 units tall as a column, 2.5 as a band
    _, room = layout.text_box
    assert wide.height <= room and wide.width <= layout.block_width + 1e-6
    card = wide.background
    for part in (wide.title, wide.rule, wide.labels, *wide.values, wide.status):
        assert card.get_left()[0] <= part.get_left()[0] and part.get_right()[0] <= card.get_right()[0] + 1e-6
        assert card.get_bottom()[1] <= part.get_bottom()[1] and part.get_top()[1] <= card.get_top()[1]
    # At the type scale: each label as tall as the same LaTeX typeset at the body size, nothing shrunk.
    for label, (_, tex) in zip(wide.labels, wide.rows):
        assert label.height == pytest.approx(type_scale.math(tex, "body").height, rel=1e-6)


# -- the opening card ----------------------------------------------------------------------
LONG = "sin(x)*cos(y) + 0.1*x^2 + 0.1*y^2 + exp(-x^2-y^2)*cos(3*x) + log(1+x^2+y^2)"


@pytest.mark.parametrize("shape", [(8 * 16 / 9, 8.0), (8.0, 8 * 16 / 9), (8.0, 8.0)], ids=["16:9", "9:16", "1:1"])
def test_the_opening_card_wraps_a_long_title_and_formula_at_the_type_scale(frame_shape: Any, shape: tuple) -> None:
    from gdscenes.drawing.layout import Layout
    from gdscenes.production.render import variant

    frame_shape(*shape)
    cls = variant(SCENES["descent"], loss=LONG)
    scene = cls.__new__(cls)
    scene.colors, scene.layout = DARK, Layout.current()
    card = scene.opening_card()
    assert card.width <= shape[0] - 1.0 + 1e-6  # inside the frame, half a unit from each side
    title, formula = card[0], card[1]
    # Every title line at the title size: as tall as the line typeset alone (a shrunk card was smaller).
    for line in title:
        alone = type_scale.latex(line.tex_string, "title")
        assert line.height == pytest.approx(alone.height, rel=1e-6)
    assert title.get_bottom()[1] > formula.get_top()[1]  # the formula under the title
    # The formula: digits at least the caption size (never below the scale).
    digit = type_scale.height("caption") / type_scale.math("0", "caption").height
    assert formula.height / max(len(formula.tex_string.split(r"\\")), 1) >= 0.99 * digit * type_scale.math("0", "caption").height
    if shape[0] < 10:  # a narrow frame: the formula is broken between its terms
        assert r"\\" in formula.tex_string
    # A long title wraps onto lines at the title size (it was scaled down to the frame's width).
    long = type("LongTitle", (cls,), {"headline": lambda self: "Gradient descent with a learning rate of one in ten "
                                                               "on a long user expression of three sines"})
    scene = long.__new__(long)
    scene.colors, scene.layout = DARK, Layout.current()
    title = scene.opening_card()[0]
    assert (len(title) >= 2 or shape[0] > 10) and title.width <= shape[0] - 1.0 + 1e-6
    for line in title:
        assert line.height == pytest.approx(type_scale.latex(line.tex_string, "title").height, rel=1e-6)


# -- the follow camera -----------------------------------------------------------------------
def test_follow_keeps_the_floor_and_its_labels_in_the_landscapes_region() -> None:
    from gdscenes.drawing.camera import CameraMove, Orbit, floor_outline, project
    from gdscenes.drawing.layout import Layout

    view = view_of("himmelblau")
    outline = floor_outline(view.width, view.depth, -view.floor_gap)
    layout = Layout(8 * 16 / 9, 8.0)
    frame = layout.landscape_rect()
    path = view.resting_points(np.linspace(-0.5, -3.78, 20), np.linspace(-4.5, -3.28, 20), 0.15)

    def track(t: float) -> np.ndarray:
        return path[min(int(t / 10 * 19), 19)]

    move = CameraMove("follow", Orbit(), 10.0, 13.0, track, -view.floor_gap, frame, outline)
    bare = CameraMove("follow", Orbit(), 10.0, 13.0, track, -view.floor_gap)
    cx, cy, w, h = frame
    cut = 0
    for t in np.linspace(0.0, 13.0, 27):
        for m in (move, bare):
            shot = m.shot(float(t))
            phi, theta = shot.angles()
            screen = shot.zoom * (project(outline, phi, theta) - project(np.asarray(shot.pivot), phi, theta))
            screen += np.asarray(shot.screen_offset)
            inside = ((np.abs(screen[:, 0] - cx) <= w / 2 + 1e-6) & (np.abs(screen[:, 1] - cy) <= h / 2 + 1e-6)).all()
            if m is move:
                assert inside, t
                assert shot.zoom >= 0.9 * Orbit().zoom  # about as close as the orbit (the floor and its labels fill the region)
            else:
                cut += not inside
    assert cut > 0  # the follow move without its frame cut the floor off


def test_cards_are_opaque() -> None:
    from manim import Square

    from gdscenes.drawing.card import card

    assert card(Square(), DARK, 5.0).get_fill_opacity() == 1.0


@pytest.mark.render
def test_rendered_follow_frames_cut_nothing_at_the_edges(tmp_path: Any) -> None:
    from gdscenes.production.render import render, variant
    from tests.conftest import read_frames

    scene = variant(SCENES["descent"], camera_preset="follow", steps=6, resolution=8, intro_seconds=0.2, hold_seconds=0.2,
                    seconds_per_step=0.2, tol=None)
    frames = read_frames(render(scene, "follow", quality="l", fps=5, media_dir=tmp_path).path)
    background = hex_to_rgb(DARK.background) * 255
    for frame in frames[len(frames) // 2 :]:
        drawn = np.linalg.norm(frame.astype(float) - background, axis=-1) > 40
        assert not drawn[-3:].any() and not drawn[:, -3:].any(), "the landscape runs off the frame"


def test_a_panel_a_layout_shrank_spells_its_numbers_and_status_at_its_own_size() -> None:
    """Where a layout still has to shrink a panel (a loss curve under it in 1:1), its numbers and status line
    shrink with it (they were spelled at full size, larger than the labels beside them)."""
    from gdscenes.drawing.panel import UpdatePanel

    def spelled(scale: float) -> tuple[float, float, float]:
        panel = UpdatePanel("Gradient descent", r"\theta_{k+1} = \theta_k - \eta \nabla f(\theta_k)", DARK, width=5.0)
        panel.scale(scale)
        values = panel.show_step(3, (1.25, -0.5), (0.1, 0.2), 0.01, (1.2, -0.51), 0.125)
        status = panel.set_status("converged at step 3")
        return values[1].height, values[1].width, status.height

    full, half = spelled(1.0), spelled(0.5)
    for a, b in zip(full, half):
        assert b == pytest.approx(0.5 * a, rel=0.02)


@pytest.mark.parametrize("key_height", [2.0, 4.0, 7.0])
def test_a_square_frames_colour_key_keeps_clear_of_the_speed_marker_and_of_the_text_band(key_height: float) -> None:
    from manim import Rectangle

    from gdscenes.drawing.layout import SPEED_MARKER_ROOM, Layout

    layout = Layout(8.0, 8.0).with_band(2.5)
    key = layout.place_key(Rectangle(width=1.0, height=key_height))
    _, cy, _, h = layout.landscape_rect()
    assert key.get_top()[1] <= cy + h / 2 + 1e-9  # never into the text band
    room = cy + h / 2 - (-4.0 + SPEED_MARKER_ROOM)
    if key_height <= room:  # it fits between the band and the marker's corner: it keeps clear of the marker
        assert key.get_bottom()[1] >= -4.0 + SPEED_MARKER_ROOM - 1e-9
