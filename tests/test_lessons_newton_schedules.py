"""The newton-vs-gd and schedules lessons and the learning-rate panel, against truth worked out here.

Newton's method on the lesson's quadratic (Booth) against the minimum solved by
hand; on the double well against the Newton iteration written out in 1D and the
saddle's Hessian by hand; the learning-rate panel's curve against the cosine's
closed form; its marker and the balls read back from rendered ``-q l`` frames.
(The optimizers' and schedules' own first steps are tested in test_optimizers.py
and test_schedules.py.)
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from gdscenes.core.losses import get_loss
from gdscenes.core.runner import run
from gdscenes.display.palette import DARK, MIN_SERIES_DIFFERENCE, hex_to_rgb
from gdscenes.display.vision import worst_difference
from gdscenes.scenes.newton_vs_gd import NewtonRosenbrockScene, NewtonSaddleScene, NewtonVsGdScene, point_kind
from gdscenes.scenes.registry import SCENES
from gdscenes.scenes.schedules import SchedulesScene


# --------------------------------------------------------------------------- newton-vs-gd
def test_the_quadratic_variant_lands_on_the_minimum_solved_by_hand_in_one_newton_step() -> None:
    # Booth: (x + 2y - 7)^2 + (2x + y - 5)^2 is zero where x + 2y = 7 and 2x + y = 5: x = 1, y = 3.
    assert SCENES["newton-vs-gd"] is NewtonVsGdScene
    for start in (NewtonVsGdScene.start, (4.0, -6.0)):
        scene = type("S", (NewtonVsGdScene,), {"start": start})
        gd, newton = scene.descend(scene.get_loss())
        assert newton.trajectory.optimizer == "newton" and gd.trajectory.optimizer == "gd"
        np.testing.assert_allclose(newton.trajectory.points[1, 0], [1.0, 3.0], atol=1e-12)
        assert str(newton.trajectory.status[0]) == "converged" and int(newton.trajectory.stop_step[0]) == 1
        # gradient descent (eta = 0.08 < 2 / 18, Booth's Hessian [[10, 8], [8, 10]] has eigenvalues 2 and 18) needs many steps
        assert int(gd.trajectory.stop_step[0]) > 20
        np.testing.assert_allclose(gd.trajectory.points[int(gd.trajectory.stop_step[0]), 0], [1.0, 3.0], atol=1e-3)


def test_the_saddle_variant_draws_newton_to_the_saddle_and_gradient_descent_to_a_minimum() -> None:
    loss = NewtonSaddleScene.get_loss()  # x^4 - 2x^2 + y^2
    gd, newton = NewtonSaddleScene.descend(loss)
    t = newton.trajectory
    x0, y0 = NewtonSaddleScene.start
    # Newton in x alone (f_x = 4x^3 - 4x, f_xx = 12x^2 - 4); y^2 is quadratic, so y lands on 0 at once.
    x = [x0]
    for _ in range(int(t.stop_step[0])):
        x.append(x[-1] - (4 * x[-1] ** 3 - 4 * x[-1]) / (12 * x[-1] ** 2 - 4))
    np.testing.assert_allclose(t.points[: len(x), 0, 0], x, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(t.points[1 : len(x), 0, 1], 0.0, atol=1e-15)
    assert str(t.status[0]) == "converged"
    np.testing.assert_allclose(t.points[int(t.stop_step[0]), 0], [0.0, 0.0], atol=1e-4)  # the saddle
    end = gd.trajectory.points[int(gd.trajectory.stop_step[0]), 0]
    np.testing.assert_allclose(end, [-1.0, 0.0], atol=1e-3)  # the minimum on the start's side
    # The Hessian diag(12x^2 - 4, 2): -4 and 2 at the origin (a saddle), 8 and 2 at (+-1, 0) (minima).
    np.testing.assert_allclose(np.linalg.eigvalsh(loss.hessian(0.0, 0.0).reshape(2, 2)), [-4.0, 2.0])
    assert point_kind(loss, np.array([0.0, 0.0])) == "a saddle"
    assert point_kind(loss, np.array([-1.0, 0.0])) == "a minimum"
    assert point_kind(get_loss("-(x^2) - y^2"), np.array([0.0, 0.0])) == "a maximum"
    assert [(m.x, m.y) for m in loss.saddles] == [(0.0, 0.0)]
    # What the screen says about it.
    assert "stationary points" in NewtonSaddleScene.claim and "not minima" in NewtonSaddleScene.claim
    scene = object.__new__(NewtonSaddleScene)
    scene.view = SimpleNamespace(domain=loss.domain)
    assert scene.legend_note(1, [gd, newton]) == f"converged at step {int(t.stop_step[0])} to a saddle"
    assert scene.legend_note(0, [gd, newton]).endswith("to a minimum")


def test_the_rosenbrock_variant_stays_in_the_plot_and_newton_wins() -> None:
    loss = NewtonRosenbrockScene.get_loss()
    gd, newton = NewtonRosenbrockScene.descend(loss)
    (x0, x1), (y0, y1) = NewtonRosenbrockScene.plot_domain(loss)
    for r in (gd, newton):
        p = r.trajectory.points[: int(r.trajectory.stop_step[0]) + 1, 0]
        assert ((p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)).all()
    assert str(newton.trajectory.status[0]) == "converged" and int(newton.trajectory.stop_step[0]) < 10
    np.testing.assert_allclose(newton.trajectory.points[int(newton.trajectory.stop_step[0]), 0], [1.0, 1.0], atol=1e-6)
    assert str(gd.trajectory.status[0]) == "max_steps" and float(gd.trajectory.losses[-1, 0]) > 1e-3


def test_newton_vs_gd_accepts_a_user_quadratic_and_writes_every_symbol_of_the_rule() -> None:
    scene = type("S", (NewtonVsGdScene,), {"loss": "x^2 + 3*y^2 + 0.5*x*y", "start": None})
    gd, newton = scene.check()
    np.testing.assert_allclose(newton.trajectory.points[1, 0], [0.0, 0.0], atol=1e-12)
    assert r"(H_k + \lambda I)^{-1}" in (newton.rule or "")
    footer = " ".join(scene.footer(object.__new__(scene), scene.get_loss(), [gd, newton]))
    for symbol in (r"H_k = \nabla^2 f(\theta_k)", r"I\colon", r"\eta\colon", r"\lambda\colon", r"k\colon"):
        assert symbol in footer


@pytest.mark.parametrize("cls", [NewtonVsGdScene, NewtonRosenbrockScene, NewtonSaddleScene, SchedulesScene],
                         ids=lambda c: c.__name__)
def test_the_legend_fits_its_column_at_full_size_with_every_note(cls: type) -> None:
    from gdscenes.display.view import View
    from gdscenes.drawing import type_scale
    from gdscenes.drawing.layout import Layout
    from gdscenes.drawing.legend import Legend
    from gdscenes.drawing.type_scale import latex_title

    loss = cls.get_loss()
    lesson = object.__new__(cls)
    runs = lesson.runs = cls.descend(loss)
    lesson.view = View.fit(loss.value, cls.plot_domain(loss))
    layout = Layout.current()
    rules = [r.rule for r in runs] if all(r.rule for r in runs) else None
    legend = Legend(latex_title(lesson.heading(loss), loss), [(r.color, r.label) for r in runs], DARK,
                    width=layout.block_width, header=lesson.header(loss, runs), rules=rules,
                    footer=lesson.footer(loss, runs), inline_notes=cls.inline_notes)
    _, room = layout.text_box
    assert legend.height <= room
    right = legend.background.get_right()[0]
    for part in [*legend.labels, *legend.footer, *legend.entries]:
        assert part.get_right()[0] <= right + 1e-6
    for i in range(len(runs)):
        note = legend.set_note(i, lesson.legend_note(i, runs))
        assert note.get_right()[0] <= right + 1e-6, lesson.legend_note(i, runs)
        assert note.height == pytest.approx(type_scale.text(lesson.legend_note(i, runs), "caption").height, rel=1e-6)


# --------------------------------------------------------------------------- schedules
def test_schedules_lesson_runs_constant_step_and_cosine_with_the_same_noise_and_distinct_colours() -> None:
    runs = SchedulesScene.check()
    names = [r.trajectory.schedule["name"] if r.trajectory.schedule else "constant" for r in runs]
    assert names == ["constant", "step", "cosine"]
    assert len({(r.trajectory.noise, r.trajectory.seed) for r in runs}) == 1
    # the same start; the same first update while the rates agree (step 0: eta = lr for all)
    np.testing.assert_array_equal(runs[0].trajectory.points[:2], runs[1].trajectory.points[:2])
    colors = [r.color for r in runs]
    for i in range(3):
        for j in range(i + 1, 3):
            assert worst_difference(colors[i], colors[j]) >= MIN_SERIES_DIFFERENCE
    # the labels' numbers are the trajectories' (T_max filled with the run's length)
    assert runs[2].trajectory.schedule["T_max"] == SchedulesScene.steps
    assert rf"\cos \tfrac{{\pi k}}{{{SchedulesScene.steps}}}" in runs[2].label
    assert "0.3^{\\lfloor k / 10 \\rfloor}" in runs[1].label
    # options left None follow the run's length: with 12 steps the cosine spans 12 and the step decays every 3
    short = type("S", (SchedulesScene,), {"steps": 12}).check()
    assert short[1].trajectory.schedule["step_size"] == 3 and short[2].trajectory.schedule["T_max"] == 12


def test_the_learning_rate_panel_draws_the_cosine_closed_form() -> None:
    from gdscenes.drawing.schedule_plot import SchedulePlot

    lr, t_max, eta_min, steps = 0.2, 12, 0.03, 16
    t = run(get_loss("x^2 + y^2"), "gd", start=(1.0, 1.0), lr=lr, steps=steps, tol=None,
            schedule="cosine", schedule_options={"T_max": t_max, "eta_min": eta_min})
    plot = SchedulePlot([t.lrs], ["#FF5A1F"], DARK)
    plan = plot.plans[0]
    vertices = np.vstack([plan.points[::4], plan.points[-1:]])  # (corners: one cubic per segment)
    ks, etas = np.asarray([plot.axes.p2c(v) for v in vertices]).T
    np.testing.assert_allclose(ks, np.arange(steps), atol=1e-9)
    closed = eta_min + (lr - eta_min) * (1 + np.cos(np.pi * np.arange(steps) / t_max)) / 2
    np.testing.assert_allclose(etas, closed, atol=1e-9)
    assert etas[t_max] == pytest.approx(eta_min) and etas[-1] > eta_min  # periodic past T_max
    # the marker follows the clock: at step k it marks eta_k, between steps it slides along the curve
    for k in (0, 5, 12, 15):
        plot.set_time(float(k))
        k_shown, eta_shown = plot.axes.p2c(plot.markers[0].get_center())
        assert (k_shown, eta_shown) == pytest.approx((k, closed[k]), abs=1e-9)
    plot.set_time(2.5)
    assert plot.axes.p2c(plot.markers[0].get_center())[1] == pytest.approx((closed[2] + closed[3]) / 2, abs=1e-9)


def test_the_learning_rate_panel_is_shown_when_a_rate_changes() -> None:
    from gdscenes.drawing.schedule_plot import varies

    assert not varies(np.full(5, 0.1)) and varies(np.array([0.1, 0.1, 0.05])) and not varies(None)
    domain = ((-3.0, 3.0), (-2.0, 2.0))
    constant = type("C", (SchedulesScene,), {"schedules": (("constant", {}), ("constant", {}))})
    for cls, setting, shown in ((constant, None, False), (constant, True, True), (SchedulesScene, None, True),
                                (SchedulesScene, False, False)):
        scene = object.__new__(type("S", (cls,), {"schedule_plot": setting}))
        scene.runs, scene.view = cls.check(), SimpleNamespace(domain=domain)
        assert bool(scene.schedule_series()) is shown, (cls.__name__, setting)
    # a one-ball lesson: its trajectory's rates, in the ball's colour
    descent = object.__new__(SCENES["descent"])
    descent.colors = DARK
    descent.trajectory = run(get_loss("x^2 + y^2"), "gd", start=(1.0, 1.0), lr=0.1, steps=3, tol=None)
    assert descent.schedule_series() == []
    descent.trajectory = run(get_loss("x^2 + y^2"), "gd", start=(1.0, 1.0), lr=0.1, steps=3, tol=None, schedule="exponential",
                             schedule_options={"gamma": 0.5})
    ((rates, color, stop),) = descent.schedule_series()
    np.testing.assert_allclose(rates, [0.1, 0.05, 0.025])
    assert color == DARK.ball and stop == 3


# --------------------------------------------------------------------------- rendered frames
FAST = {"quality": "l", "fps": 5}
SHORT = {"resolution": 12, "intro_seconds": 0.2, "hold_seconds": 0.2}


def rendered(tmp_path: Any, cls: type, **attributes: Any) -> tuple[Any, np.ndarray]:
    from gdscenes.production.render import render, variant
    from tests.conftest import read_frames

    result = render(variant(cls, **{**SHORT, **attributes}), "clip", media_dir=tmp_path, **FAST)
    return result.scene, read_frames(result.path)


def colour_fraction(frame: np.ndarray, centre: tuple[float, float], radius_px: float, color: str) -> float:
    rows, cols = np.mgrid[: frame.shape[0], : frame.shape[1]]
    disc = (cols - centre[0]) ** 2 + (rows - centre[1]) ** 2 <= radius_px**2
    close = np.linalg.norm(frame.astype(float) - hex_to_rgb(color) * 255, axis=-1) < 60
    return float(close[disc].mean()) if disc.any() else 0.0


def frame_pixel(point: np.ndarray, frame: np.ndarray) -> tuple[float, float]:
    """Pixel (column, row) of a point fixed in frame (frame coordinates, origin at the centre)."""
    from manim import config

    h, w = frame.shape[:2]
    return (point[0] / config.frame_width + 0.5) * w, (0.5 - point[1] / config.frame_height) * h


@pytest.mark.render
def test_the_panel_marks_each_schedules_last_eta_where_its_closed_form_puts_it(tmp_path: Any) -> None:
    lr, steps = 0.15, 8
    schedules = (("constant", {}), ("step", {"step_size": 3, "gamma": 0.3}), ("cosine", {"T_max": 14, "eta_min": 0.02}))
    scene, frames = rendered(tmp_path, SchedulesScene, steps=steps, schedules=schedules, seconds_per_step=0.2)
    plot, last = scene.schedule_follower, frames[-1]
    k = steps - 1  # the last update's rate (the marker stops there)
    by_hand = [lr, lr * 0.3 ** (k // 3), 0.02 + (lr - 0.02) * (1 + math.cos(math.pi * k / 14)) / 2]
    np.testing.assert_allclose([float(r.trajectory.lrs[k]) for r in scene.runs], by_hand, rtol=1e-12)
    from manim import config

    radius = 0.6 * 0.085 * last.shape[1] / config.frame_width  # (inside the marker's dot)
    for run_, eta in zip(scene.runs, by_hand):
        at = frame_pixel(np.asarray(plot.axes.c2p(k, eta)), last)
        assert colour_fraction(last, at, radius, run_.color) > 0.6, run_.label
        # and not where the run started (eta_0 at the same step) unless that is the same rate
        if eta < 0.8 * lr:
            assert colour_fraction(last, frame_pixel(np.asarray(plot.axes.c2p(k, lr)), last), radius, run_.color) < 0.2


@pytest.mark.render
def test_each_schedule_ball_is_drawn_where_its_trajectory_ends(tmp_path: Any) -> None:
    from gdscenes.drawing.projection import pixels
    from manim import config

    scene, frames = rendered(tmp_path, SchedulesScene, seconds_per_step=0.05)
    last = frames[-1]
    ball = 0.15 * last.shape[1] / config.frame_width * 0.7
    for run_, drawn in zip(scene.runs, scene.balls):
        end = run_.trajectory.points[run_.end(scene.view.domain), 0]
        column, row = pixels(scene, scene.view.resting_points(*end, 0.15)[None], last.shape[1], last.shape[0])[0]
        assert colour_fraction(last, (float(column), float(row)), ball, run_.color) > 0.4, run_.label
        assert not drawn.gone
    # the legend, the loss panel and the learning-rate panel keep their full size, and every note lies in its card
    for block in scene.text_blocks:
        assert block.background.width == pytest.approx(scene.layout.block_width)
    right = scene.legend.background.get_right()[0]
    assert all(note.width > 0 and note.get_right()[0] <= right + 1e-6 for note in scene.legend.notes)


@pytest.mark.render
def test_a_descent_with_a_schedule_shows_the_panel_and_its_marker_follows_the_clock(tmp_path: Any) -> None:
    from manim import config

    class ScheduledDescent(SCENES["descent"]):  # type: ignore[misc,valid-type]
        loss, lr, start, steps, tol = "quadratic_bowl", 0.4, (-1.6, 1.2), 4, None
        schedule, schedule_options = "step", {"step_size": 2, "gamma": 0.25}

    scene, frames = rendered(tmp_path, ScheduledDescent, seconds_per_step=0.4)
    plot, last = scene.schedule_follower, frames[-1]
    assert plot in scene.text_blocks
    assert plot.background.width == pytest.approx(scene.layout.block_width)  # full size: nothing shrunk
    eta = 0.4 * 0.25 ** (3 // 2)  # the last update, k = 3
    radius = 0.6 * 0.085 * last.shape[1] / config.frame_width
    assert colour_fraction(last, frame_pixel(np.asarray(plot.axes.c2p(3, eta)), last), radius, DARK.ball) > 0.6
    assert colour_fraction(last, frame_pixel(np.asarray(plot.axes.c2p(3, 0.4)), last), radius, DARK.ball) < 0.2


def test_a_spec_schedule_reaches_the_descent_lesson_its_steps_and_its_panel(tmp_path: Any) -> None:
    from gdscenes.production.spec import load, resolve
    from gdscenes.scenes.descent import step_rates

    path = tmp_path / "clip.toml"
    path.write_text('[scene]\nname = "descent"\nloss = "quadratic_bowl"\nstart = [2.0, 1.0]\nsteps = 6\ntol = 0\n'
                    '[optimizer]\nname = "gd"\nlr = 0.2\n[optimizer.schedule]\nname = "step"\nstep_size = 2\ngamma = 0.5\n')
    cls = resolve(load(path)).scene_class()
    trajectory = cls.descend(cls.get_loss())
    expected = [0.2, 0.2, 0.1, 0.1, 0.05, 0.05]  # eta_k = 0.2 * 0.5 ** (k // 2), worked out by hand
    np.testing.assert_allclose(step_rates(trajectory, 0.2), expected)
    # each update is -eta_k grad f(theta_k)
    np.testing.assert_allclose(trajectory.updates[:, 0], -np.array(expected)[:, None] * trajectory.gradients[:-1, 0])


def test_a_spec_schedule_reaches_the_data_lessons_too() -> None:
    from gdscenes.production.spec import apply, resolve

    raw = apply({"scene": {"name": "fit-line"}}, [("scene.steps", 8), ("scene.tol", 0), ("optimizer.lr", 0.3),
                                                   ("optimizer.schedule.name", "cosine"), ("optimizer.schedule.T_max", 8)])
    cls = resolve(raw).scene_class()
    trajectory = cls.descend(cls.get_loss())
    k = np.arange(8)
    expected = 0.3 * (1 + np.cos(np.pi * k / 8)) / 2  # torch's CosineAnnealingLR with eta_min = 0
    np.testing.assert_allclose(trajectory.lrs, expected)
    np.testing.assert_allclose(trajectory.updates[:, 0], -expected[:, None] * trajectory.gradients[:-1, 0])
