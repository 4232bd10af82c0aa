"""The 1D lessons: descent-1d and learning-rate-1d.

The numbers against closed forms worked out here (gradient descent on
``f = a/2 (x - c)^2`` moves ``theta_k = c + (1 - eta a)^k (theta_0 - c)``), and
frames of short renders read back: the ball where the trajectory's theta_k puts
it, the tangent's slope, and a diverging run that never draws outside its plot.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gdscenes.core.losses import get_loss
from gdscenes.core.runner import run
from gdscenes.display.palette import DARK, hex_to_rgb

A, C = 3.0, 0.5  # f = a/2 (x - c)^2 = 1.5 (x - 0.5)^2
QUADRATIC = "3/2*(x - 1/2)^2"


def closed_form(eta: float, theta0: float, k: np.ndarray) -> np.ndarray:
    return C + (1.0 - eta * A) ** k * (theta0 - C)


@pytest.mark.parametrize("eta", [0.05, 0.3, 0.6])
def test_a_1d_run_on_a_quadratic_is_the_closed_form(eta: float) -> None:
    loss = get_loss(QUADRATIC)
    assert loss.dim == 1
    t = run(loss, "gd", start=-2.0, lr=eta, steps=12, tol=None)
    k = np.arange(13)
    np.testing.assert_allclose(t.points[:, 0, 0], closed_form(eta, -2.0, k), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(t.losses[:, 0], A / 2 * (closed_form(eta, -2.0, k) - C) ** 2, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(t.gradients[:, 0, 0], A * (closed_form(eta, -2.0, k) - C), rtol=1e-10, atol=1e-12)


def test_beyond_two_over_a_the_run_diverges_as_the_closed_form_says() -> None:
    loss = get_loss(QUADRATIC)
    eta = 1.2 * 2 / A  # 1 - eta a = -1.4
    t = run(loss, "gd", start=1.0, lr=eta, steps=40, tol=None)
    assert str(t.status[0]) == "diverged"
    stop = int(t.stop_step[0])
    k = np.arange(stop)  # rows before the discarded update
    np.testing.assert_allclose(t.points[:stop, 0, 0], closed_form(eta, 1.0, k), rtol=1e-10)
    assert np.isfinite(t.points).all() and np.isfinite(t.losses).all()


def test_minima_and_curvature_of_a_1d_loss() -> None:
    from gdscenes.scenes.descent_1d import minima_1d
    from gdscenes.scenes.learning_rate_1d import curvature_at_minimum

    x_star, curvature = curvature_at_minimum(get_loss(QUADRATIC), (-3.0, 3.0))
    assert x_star == pytest.approx(C, abs=1e-9) and curvature == pytest.approx(A, rel=1e-12)
    # The default quartic: f' = 0.4 x^3 + x - 1; its one real root (numpy's polynomial roots).
    roots = np.roots([0.4, 0.0, 1.0, -1.0])
    real = float(roots[np.abs(roots.imag) < 1e-9].real[0])
    (x, f, kind), = minima_1d(get_loss("x^4/10 + (x - 1)^2/2"), (-3.0, 3.0))
    assert kind == "global" and x == pytest.approx(real, abs=1e-9)
    assert f == pytest.approx(real**4 / 10 + (real - 1) ** 2 / 2, abs=1e-12)
    # Two wells: both found, the lower one global.
    found = minima_1d(get_loss("x^4 - 2*x^2 + x/2"), (-2.0, 2.0))
    assert sorted(k for _, _, k in found) == ["global", "local"]
    (g,) = [x for x, _, k in found if k == "global"]
    assert g < 0


def test_the_learning_rates_are_fractions_of_two_over_the_curvature() -> None:
    from gdscenes.production.render import variant
    from gdscenes.scenes.registry import SCENES

    cls = variant(SCENES["learning-rate-1d"], loss=QUADRATIC, start=2.0, steps=8)
    runs = cls.descend(cls.get_loss())
    assert [r.lr for r in runs] == pytest.approx([f * 2 / A for f in cls.fractions], rel=1e-12)
    # Each run's distance to the minimum shrinks (or grows) by |1 - eta a| = |1 - 2 fraction| a step.
    for r, fraction in zip(runs, cls.fractions):
        d = np.abs(r.trajectory.points[:4, 0, 0] - C)
        np.testing.assert_allclose(d[1:] / d[:-1], abs(1 - 2 * fraction), rtol=1e-9)


def test_a_2d_loss_is_refused_in_one_line_and_a_1d_loss_in_a_2d_lesson() -> None:
    from gdscenes.production.render import variant
    from gdscenes.scenes.registry import SCENES

    with pytest.raises(ValueError, match=r"^loss 'himmelblau' has 2 parameters \(x, y\); this lesson draws a curve"):
        variant(SCENES["descent-1d"], loss="himmelblau").check()
    with pytest.raises(ValueError, match="outside the plotted range"):
        variant(SCENES["descent-1d"], start=7.0).check()
    with pytest.raises(ValueError, match="has 1 parameter"):
        variant(SCENES["descent"], loss="x^2").check()


def test_the_diverging_run_is_drawn_only_inside_its_plot() -> None:
    """Geometry of a run beyond 2/f'': every point it may draw is finite and inside the box."""
    from gdscenes.drawing.curve_1d import CurveBall, CurveBox, f_range_of

    loss = get_loss(QUADRATIC)
    t = run(loss, "gd", start=1.0, lr=1.2 * 2 / A, steps=40, tol=None)
    last = int(t.stop_step[0])
    box = CurveBox(0.0, 0.0, 4.0, 3.0, (-3.0, 3.0), f_range_of(loss.value, (-3.0, 3.0)))
    ball = CurveBall(box, loss.value, t.points[: last + 1, 0, 0], t.gradients[: last + 1, 0, 0], 0.8, DARK,
                     explain=True, trail=True)
    # theta - 1/2 = 0.5 (-1.4)^k: theta = 1, -0.2, 1.48, -0.872, 2.4208, -2.18912, 4.265: the 6th leaves [-3, 3].
    assert ball.exit_step == 6
    for clock in np.linspace(0.0, ball.n_steps, 400):
        ball.set_time(float(clock))
        for mob in ball.family_members_with_points():
            assert np.isfinite(mob.points).all()
        centre = ball.ball.get_center()
        assert box.contains(centre[None], pad=1e-9)[0], clock
    assert ball.gone


# -- frames ----------------------------------------------------------------------------
FAST = {"quality": "l", "fps": 10}


def colour_share(frame: np.ndarray, centre: tuple[float, float], radius: float, color: str, tol: float = 60.0) -> float:
    """Share of the pixels within ``radius`` of ``centre`` (column, row) that show ``color``."""
    rows, cols = np.ogrid[: frame.shape[0], : frame.shape[1]]
    disc = (cols - centre[0]) ** 2 + (rows - centre[1]) ** 2 <= radius**2
    near = np.linalg.norm(frame.astype(float) - hex_to_rgb(color) * 255, axis=-1) < tol
    return float(near[disc].mean())


def to_pixel(point: np.ndarray, frame: np.ndarray) -> tuple[float, float]:
    from manim import config

    h, w = frame.shape[:2]
    return (point[0] / config.frame_width + 0.5) * w, (0.5 - point[1] / config.frame_height) * h


@pytest.mark.render
def test_descent_1d_draws_the_ball_at_theta_k_and_the_tangent_with_its_slope(tmp_path: Any) -> None:
    from gdscenes.production.render import render, variant
    from gdscenes.scenes.registry import SCENES
    from tests.conftest import read_frames

    scene_cls = variant(SCENES["descent-1d"], loss="(x - 1)^2", start=-2.0, lr=0.2, steps=3, tol=None,
                        intro_seconds=1.0, seconds_per_step=0.6, hold_seconds=0.5)
    result = render(scene_cls, "d1", media_dir=tmp_path, **FAST)
    scene, frames = result.scene, read_frames(result.path)
    frame = frames[-1]
    # The closed form: theta_3 = 1 + 0.6^3 (-2 - 1) = 0.352, f = 0.419904, f' = -1.296.
    theta = 1 + 0.6**3 * -3
    assert scene.trajectory.points[3, 0, 0] == pytest.approx(theta, rel=1e-12)
    box = scene.box
    centre = to_pixel(box.point(theta, (theta - 1) ** 2)[0], frame)
    px_per_unit = frame.shape[0] / 8.0
    ball_px = 0.13 * px_per_unit
    assert colour_share(frame, centre, 0.6 * ball_px, DARK.ball, tol=90) > 0.4
    # Nowhere else is there a ball: 3 ball radii to the side, the ball's colour covers little.
    assert colour_share(frame, (centre[0] + 3 * ball_px, centre[1]), 0.6 * ball_px, DARK.ball, tol=90) < 0.1
    # The tangent (its own colour) through the ball: pixels fitted by a line, slope compared with f'(theta_3).
    mint = np.linalg.norm(frame.astype(float) - hex_to_rgb(DARK.series_color(2)) * 255, axis=-1) < 60
    rows, cols = np.nonzero(mint)
    plot = cols > to_pixel(np.array([box.left, 0, 0]), frame)[0]
    rows, cols = rows[plot], cols[plot]
    assert len(cols) > 20
    assert np.hypot(cols.mean() - centre[0], rows.mean() - centre[1]) < 3 * ball_px  # centred on the ball
    slope_px = -np.polyfit(cols, rows, 1)[0]  # (rows grow downwards)
    expected = 2 * (theta - 1) * box.slope_scale
    assert slope_px == pytest.approx(expected, rel=0.1, abs=0.03)
    # The panel shows the same numbers.
    assert scene.panel.text_of("theta") == f"{theta:.3f}"
    assert scene.panel.text_of("slope") == f"{2 * (theta - 1):.3f}"
    # The opening's first frame is nearly empty (built on screen).
    drawn = np.linalg.norm(frames[0].astype(float) - hex_to_rgb(DARK.background) * 255, axis=-1) > 40
    assert drawn.mean() < 0.01


@pytest.mark.render
def test_descent_1d_ball_on_its_iterate_after_each_hop(tmp_path: Any) -> None:
    """At each slow step's start the ball rests on theta_k (from the trajectory) in the rendered frame."""
    from gdscenes.production.render import render, variant
    from gdscenes.scenes.registry import SCENES
    from tests.conftest import read_frames

    scene_cls = variant(SCENES["descent-1d"], loss="(x - 1)^2", start=-2.0, lr=0.2, steps=3, tol=None, intro=False,
                        seconds_per_step=1.0, hold_seconds=0.2)
    result = render(scene_cls, "d1k", media_dir=tmp_path, **FAST)
    scene, frames = result.scene, read_frames(result.path)
    fps = 10
    start = scene.timeline[0].end
    px_per_unit = frames[0].shape[0] / 8.0
    for k in range(3):
        n = int(round((start + k * 1.0 + 0.1) * fps))  # (early in step k: the tangent is being drawn, the ball rests)
        theta = 1 + 0.6**k * -3
        centre = to_pixel(scene.box.point(theta, (theta - 1) ** 2)[0], frames[n])
        assert colour_share(frames[n], centre, 0.6 * 0.13 * px_per_unit, DARK.ball, tol=90) > 0.4, k


@pytest.mark.render
def test_the_diverging_run_never_draws_outside_its_plot(tmp_path: Any) -> None:
    from gdscenes.production.render import render, variant
    from gdscenes.scenes.registry import SCENES
    from tests.conftest import read_frames

    scene_cls = variant(SCENES["learning-rate-1d"], steps=8, intro_seconds=0.5, seconds_per_step=0.4, hold_seconds=0.5)
    result = render(scene_cls, "lr1", media_dir=tmp_path, **FAST)
    scene, frames = result.scene, read_frames(result.path)
    i = len(scene.runs) - 1
    assert scene.balls[i].exits and scene.balls[i].exit_step == 4  # (1.5 (-1.2)^k: 1.5, -1.8, 2.16, -2.592, 3.11)
    colour = hex_to_rgb(scene.runs[i].color) * 255
    h, w = frames[0].shape[:2]
    left, bottom, width, height = scene.tile_rects(len(scene.runs))[i]
    c0, r1 = to_pixel(np.array([left, bottom, 0.0]), frames[0])
    c1, r0 = to_pixel(np.array([left + width, bottom + height, 0.0]), frames[0])
    text_right = to_pixel(np.array([scene.legend.get_right()[0], 0, 0]), frames[0])[0]
    outside = np.ones((h, w), bool)
    outside[max(int(r0) - 2, 0): int(r1) + 3, max(int(c0) - 2, 0): int(c1) + 3] = False
    outside[:, : int(text_right) + 3] = False  # (the legend's swatch has the run's colour)
    for n, frame in enumerate(frames):
        near = np.linalg.norm(frame.astype(float) - colour, axis=-1) < 40
        assert not (near & outside).any(), f"frame {n}: the diverging run drawn outside its plot"
    # Its ball has faded out at the plot's edge; "diverged" is written in its plot.
    assert scene.balls[i].gone
    tag = scene.diverged_labels[i]
    assert tag is not None and scene.balls[i].box.contains(tag.get_center()[None])[0]
    assert "diverged" in scene.legend_note(i)


# -- axes and text, without rendering ----------------------------------------------------
def boxes_of(name: str) -> tuple[Any, list[Any]]:
    """A lesson (not rendered) and the plot boxes it draws."""
    from gdscenes.drawing.curve_1d import CurveBox, f_range_of
    from gdscenes.drawing.layout import Layout
    from gdscenes.scenes.learning_rate_1d import TILE_ROOM
    from gdscenes.scenes.registry import SCENES

    cls = SCENES[name]
    lesson = cls.__new__(cls)
    lesson.layout, lesson.colors = Layout.current(), DARK
    loss = cls.get_loss()
    x_range = cls.plot_range(loss)
    if name == "descent-1d":
        t = cls.descend(loss)
        return lesson, [lesson.make_box(x_range, f_range_of(loss.value, x_range, t.losses[:, 0]))]
    room_l, room_r, room_b, room_t = TILE_ROOM
    return lesson, [CurveBox(x + room_l, y + room_b, w - room_l - room_r, h - room_b - room_t, x_range,
                             f_range_of(loss.value, x_range)) for x, y, w, h in lesson.tile_rects(len(cls.fractions))]


def corners(mob: Any) -> np.ndarray:
    return np.array([mob.get_corner([-1, -1, 0])[:2], mob.get_corner([1, 1, 0])[:2]])


@pytest.mark.parametrize("name", ["descent-1d", "learning-rate-1d"])
def test_1d_axes_are_named_ticked_and_no_label_overlaps_another_or_leaves_the_frame(name: str) -> None:
    from manim import config

    from gdscenes.drawing.curve_1d import CurveAxes
    from gdscenes.drawing.type_scale import CAPTION_PX, px_at_1080

    _, boxes = boxes_of(name)
    every = []
    for box in boxes:
        axes = CurveAxes(box, DARK, target_ticks=6 if name == "descent-1d" else 4)
        assert axes.x_name.tex_string == "x" and axes.f_name.tex_string == "f(x)"
        assert len(axes.x_ticks) >= 3 and len(axes.f_ticks) >= 3
        assert box.x_range[0] - 1e-9 <= min(axes.x_ticks) and max(axes.x_ticks) <= box.x_range[1] + 1e-9
        for label in axes.labels:  # caption size: a digit at least 22 px at 1080p
            assert px_at_1080(label.height) >= 0.95 * CAPTION_PX
        every += [*axes.labels, *axes.names]
    half = np.array([config.frame_width, config.frame_height]) / 2
    boxes_xy = [corners(m) for m in every]
    for i, a in enumerate(boxes_xy):
        assert (np.abs(a) <= half).all(), f"{name}: a label leaves the frame"
        for b in boxes_xy[i + 1:]:
            apart = (a[1] < b[0]).any() or (b[1] < a[0]).any()
            assert apart, f"{name}: two axis labels overlap"


def test_1d_text_fits_its_region_unscaled() -> None:
    from gdscenes.drawing import type_scale
    from gdscenes.scenes.learning_rate_1d import curvature_at_minimum

    lesson, _ = boxes_of("descent-1d")
    loss = lesson.get_loss()
    panel = lesson.make_panel(loss, None)
    _, room = lesson.layout.text_box
    assert panel.height <= room and panel.width <= lesson.layout.block_width + 1e-6
    right = panel.background.get_right()[0]
    status = panel.set_status("converged at step 31: θ = 0.7968")
    for mob in [*panel.content[0], status]:
        assert mob.get_right()[0] <= right + 1e-6
    assert type_scale.px_at_1080(panel.rule[0].height) > 0  # (typeset: theta_{k+1} is a formula)

    lesson, _ = boxes_of("learning-rate-1d")
    loss = lesson.get_loss()
    runs = lesson.runs = lesson.descend(loss)
    legend = lesson.legend = lesson.make_legend(loss, runs, curvature_at_minimum(loss, lesson.plot_range(loss))[1])
    assert legend.height <= room and legend.width <= lesson.layout.block_width + 1e-6
    lesson.balls = [type("B", (), {"exits": i == len(runs) - 1, "exit_step": 4})() for i in range(len(runs))]
    for i in range(len(runs)):
        note = legend.set_note(i, lesson.legend_note(i))
        assert note.get_right()[0] <= legend.background.get_right()[0] + 1e-6, lesson.legend_note(i)


def test_the_series_colours_of_the_1d_lessons_stay_apart_for_every_deficiency() -> None:
    from gdscenes.display import vision
    from gdscenes.display.palette import MIN_SERIES_DIFFERENCE, THEMES
    from gdscenes.scenes.descent_1d import step_colours

    for theme in THEMES.values():
        # descent-1d: ball, step arrow, tangent; learning-rate-1d: the four runs.
        steps = step_colours(theme)
        for colours in ([steps["ball"], steps["arrow"], steps["tangent"]], [theme.series_color(i) for i in range(4)]):
            for i, a in enumerate(colours):
                for b in colours[i + 1:]:
                    assert vision.worst_difference(a, b) >= MIN_SERIES_DIFFERENCE, (theme.name, a, b)
            for c in colours:  # marks against the background: at least 3:1
                assert vision.contrast(c, theme.background) >= 3.0, (theme.name, c)


@pytest.mark.parametrize(("argv", "named"), [
    (("render", "descent-1d", "--start", "9"), "start 9 is outside the plotted range [-3, 3]"),
    (("render", "descent-1d", "--loss", "himmelblau"), "loss 'himmelblau' has 2 parameters (x, y)"),
    (("render", "learning-rate-1d", "--loss", "x^3"), "has no minimum in [-3, 3]"),
    (("render", "descent", "--loss", "x^2"), "has 1 parameter (x)"),
])
def test_bad_1d_settings_end_in_one_line_naming_them(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...],
                                                     named: str) -> None:
    from gdscenes.cli.main import main

    try:
        code = main([*argv, "-q", "l"])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("gdscenes: error: ") and named in lines[0], err


def test_a_1d_start_on_the_command_line_is_one_number() -> None:
    from gdscenes.cli.main import build_parser, spec_sources
    from gdscenes.production.spec import from_sources

    args = build_parser().parse_args(["render", "descent-1d", "--start", "2.5"])
    spec = from_sources(**spec_sources(args))
    assert spec.scene_class().start == 2.5


def test_a_square_bands_1d_panel_keeps_the_type_scale_with_its_status_under_both_columns() -> None:
    """In a square frame the 1D panel (rule and symbols left, the seven rows right) is at most 3.3 tall, the band
    descent-1d keeps (its plot still a third of the frame: test_square_text); the status line runs under both
    columns on one line, inside the card."""
    from manim import tempconfig

    from gdscenes.drawing import type_scale
    from gdscenes.drawing.panel_1d import StepPanel1D
    from gdscenes.production.render import frame_config
    from gdscenes.scenes.descent_1d import step_colours

    with tempconfig(frame_config("l", "1:1")):
        panel = StepPanel1D("Gradient descent", DARK, step_colours(DARK), width=7.4,
                            formula=r"f(x) = \frac{x^4}{10} + \frac{(x - 1)^2}{2}", columns=2)
        assert panel.height <= 3.3
        assert panel.labels.get_left()[0] > panel.defs.get_right()[0]  # side by side
        assert panel.labels[0].height == pytest.approx(type_scale.math("k =", "body").height, rel=1e-6)
        panel.show_step(31, 0.7968, 0.061, -0.001, 0.15, None, None)
        status = panel.set_status("converged at step 31: θ = 0.7968")
        assert len(status) == 1  # one line
        assert status.get_top()[1] < min(panel.defs.get_bottom()[1], panel.labels.get_bottom()[1])
        card = panel.background
        assert card.get_left()[0] < status.get_left()[0] and status.get_right()[0] < card.get_right()[0]
        assert card.get_bottom()[1] < status.get_bottom()[1]


def test_a_tiny_theta_is_written_as_a_power_of_ten_not_in_e_notation() -> None:
    """f = x^2/2 from 1.009 at eta = 0.9 moves theta_k = 1.009 * 0.1^k: |f'| = |theta_5| = 1.009e-5 < 1e-4 stops it at
    step 5, and the status line (the caption too) writes theta_5 as 1.009 x 10^-5, never "1.009e-05"."""
    from types import SimpleNamespace

    from gdscenes.scenes.descent_1d import Descent1DScene

    t = run(get_loss("x^2/2"), "gd", start=1.009, lr=0.9, steps=40, tol=1e-4)
    said = Descent1DScene.describe_result(SimpleNamespace(trajectory=t, exits=None))  # type: ignore[arg-type]
    assert said == "converged at step 5: \U0001d703 = 1.009 \u00d7 10\u207b\u2075"
    assert "e-0" not in said
