"""The data lessons (fit-line, logistic-fit, sgd-batches) and their model panel.

The models' own math (J against its sums, convergence to numpy's least
squares and to an independent Newton iteration, the exact batch gradient,
every bad-data error of ``trajectory``) is tested in ``tests/test_models.py``;
here: what the lessons add. Their settings go through the lesson (a line
through exact data ends at its closed form), minibatches are determined by
the seed, the spec keys are accepted or refused in one line, and in a
rendered frame each run's model is drawn where its final parameters put it
(the panel's data coordinates mapped to pixels).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gdscenes.cli.main import main
from gdscenes.display.palette import DARK, hex_to_rgb
from gdscenes.drawing.model_panel import ModelPanel, ModelRun, model_values, plot_window
from gdscenes.production import spec
from gdscenes.production.limits import SpecError
from gdscenes.production.render import variant
from gdscenes.scenes.registry import SCENES

DATA_LESSONS = ("fit-line", "logistic-fit", "sgd-batches")


def write_csv(folder: Path, text: str, name: str = "d.csv") -> Path:
    path = folder / name
    path.write_text(text)
    return path


# -- the numbers -------------------------------------------------------------------
def test_fit_line_through_exact_data_ends_at_the_closed_form(tmp_path: Path) -> None:
    # y = 1 + 2 x exactly: least squares is (1, 2) and J there is 0; the lesson's settings reach it.
    path = write_csv(tmp_path, "size,price\n" + "".join(f"{x},{1 + 2 * x}\n" for x in (0.0, 0.5, 1.0, 1.5, 2.0)))
    lesson = variant(SCENES["fit-line"], data=str(path), lr=0.3, steps=2000, tol=1e-10)
    t = lesson.check()
    assert t.status[0] == "converged" and t.params == ("theta0", "theta1")
    np.testing.assert_allclose(t.final_points[0], [1.0, 2.0], atol=1e-8)
    loss = lesson.get_loss()
    assert loss.data.columns == ("size", "price") and loss.minima[0].f == pytest.approx(0.0, abs=1e-20)
    # the drawn domain holds the whole path and the minimum
    (x0, x1), (y0, y1) = lesson.plot_domain(loss)
    path_points = t.points[: int(t.stop_step[0]) + 1, 0]
    assert (path_points[:, 0] >= x0).all() and (path_points[:, 0] <= x1).all()
    assert (path_points[:, 1] >= y0).all() and (path_points[:, 1] <= y1).all()


def test_logistic_fit_descends_the_cross_entropy_of_the_exam_data() -> None:
    lesson = SCENES["logistic-fit"]
    t = lesson.check()
    d = lesson.get_loss().data
    assert lesson.get_loss().model == "logistic_regression" and d.columns == ("hours", "passed")
    # J at the last step, worked out here from the data: the mean cross-entropy
    a, b = t.points[int(t.stop_step[0]), 0]
    p = 1 / (1 + np.exp(-(a + b * d.x)))
    assert t.losses[int(t.stop_step[0]), 0] == pytest.approx(-np.mean(d.y * np.log(p) + (1 - d.y) * np.log(1 - p)), rel=1e-10)
    assert t.losses[int(t.stop_step[0]), 0] < t.losses[0, 0] / 2


def test_sgd_batches_is_determined_by_the_seed() -> None:
    base = SCENES["sgd-batches"]
    a = variant(base, seed=1, steps=20).check()
    b = variant(base, seed=1, steps=20).check()
    c = variant(base, seed=2, steps=20).check()
    np.testing.assert_array_equal(a[1].trajectory.points, b[1].trajectory.points)
    np.testing.assert_array_equal(a[1].trajectory.batches, b[1].trajectory.batches)
    assert not np.array_equal(a[1].trajectory.points, c[1].trajectory.points)
    assert not np.array_equal(a[1].trajectory.batches, c[1].trajectory.batches)
    # the full-batch run ignores the seed; both start together
    np.testing.assert_array_equal(a[0].trajectory.points, c[0].trajectory.points)
    np.testing.assert_array_equal(a[0].trajectory.points[0], a[1].trajectory.points[0])
    assert a[1].trajectory.batches.shape == (20, 4)


def test_the_panel_highlights_the_batch_of_the_step_being_taken() -> None:
    t = variant(SCENES["sgd-batches"], steps=6).check()[1].trajectory
    d = SCENES["sgd-batches"].get_loss().data
    panel = ModelPanel("linear_regression", d.x, d.y, d.columns, [ModelRun(t.points[:, 0], "#FF5A1F", t.batches)], DARK)
    for k in range(6):
        rows = t.batches[k][t.batches[k] >= 0]
        np.testing.assert_array_equal(panel.batch_at(k + 0.5), rows)
        panel.set_time(k + 0.5)
        lit = {i for i, dot in panel.row_dot.items() if dot.get_fill_opacity() == 1.0}
        assert lit == set(rows.tolist())
    assert panel.batch_at(6.0) is None  # the run is over: nothing highlighted
    # between steps the model moves linearly from theta_k to theta_{k+1}
    np.testing.assert_allclose(panel.theta_at(0, 2.25), 0.75 * t.points[2, 0] + 0.25 * t.points[3, 0])


def test_plot_window_holds_the_data_and_the_intercept() -> None:
    (x0, x1, _), (y0, y1, _) = plot_window("linear_regression", np.array([0.6, 3.6]), np.array([1.3, 6.5]))
    assert x0 == 0.0 and x1 >= 3.6 and y0 == 0.0 and y1 >= 6.5
    assert plot_window("logistic_regression", np.array([0.1, 5.9]), np.array([0.0, 1.0]))[1] == (0.0, 1.0, 0.5)
    np.testing.assert_allclose(model_values("logistic_regression", 0.0, 1.0, np.array([-800.0, 0.0, 800.0])), [0, 0.5, 1])


# -- settings -------------------------------------------------------------------------
@pytest.mark.parametrize("name", DATA_LESSONS)
def test_spec_keys_are_accepted(name: str) -> None:
    resolved = spec.resolve({"scene": {"name": name, "data": "housing" if name != "logistic-fit" else "exam",
                                       "batch_size": 8, "seed": 3, "residuals": True, "steps": 5}})
    assert resolved.settings["batch_size"] == 8 and resolved.settings["seed"] == 3
    t = spec.trajectories(resolved.found)[-1]
    assert t.batch_size == 8 and t.seed == 3 and t.batches.shape == (5, 8)


@pytest.mark.parametrize(
    "settings, fragment",
    [
        ({"batch_size": 0}, "scene.batch_size = 0 is not allowed; allowed: an integer from 1 to 1000000"),
        ({"batch_size": 2.5}, "scene.batch_size = 2.5 is not allowed"),
        ({"batch_size": 48}, "batch_size must be an int between 1 and the number of samples (47), got 48"),
        ({"seed": -1}, "scene.seed = -1 is not allowed"),
        ({"data": "nosuch.csv"}, "data file 'nosuch.csv' does not exist"),
        ({"batchsize": 8}, "did you mean 'batch_size'?"),
        ({"loss": "himmelblau"}, "loss 'himmelblau' is not a data model"),
        ({"data": "exam", "loss": "linear_regression"}, None),  # (exam's 0/1 targets are numbers too: accepted)
    ],
)
def test_bad_settings_are_one_line(settings: dict[str, Any], fragment: str | None) -> None:
    raw = {"scene": {"name": "fit-line", "steps": 3, **settings}}
    if fragment is None:
        spec.resolve(raw)
        return
    with pytest.raises(SpecError) as caught:
        spec.resolve(raw)
    assert fragment in str(caught.value) and "\n" not in str(caught.value), str(caught.value)


def test_render_flags_set_the_data_settings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    try:
        code = main(["render", "sgd-batches", "--batch-size", "48", "--seed", "2", "-q", "l", "--media-dir", str(tmp_path)])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    err = capsys.readouterr().err
    assert code == 2 and "between 1 and the number of samples (47), got 48" in err and err.count("\n") == 1


def test_data_is_no_key_of_other_lessons() -> None:
    with pytest.raises(SpecError, match="unknown key scene.data for scene 'descent'"):
        spec.resolve({"scene": {"name": "descent", "data": "housing"}})


@pytest.mark.parametrize(
    "name, text, fragment",
    [
        ("text.csv", "x,y\n1,2\n3,abc\n", "row 3, column 2 (target): 'abc' is not a number"),
        ("nan.csv", "1,2\nnan,4\n", "row 2, column 1 (feature): 'nan' is not finite"),
        ("labels.csv", "x,y\n1,0\n2,1\n3,0.5\n", "row 4, column 2 (target): '0.5' is not 0 or 1"),
    ],
)
def test_bad_data_file_stops_render_with_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str,
                                                  text: str, fragment: str) -> None:
    path = write_csv(tmp_path, text, name)
    media = tmp_path / "media"
    lesson = "logistic-fit" if name == "labels.csv" else "fit-line"
    try:
        given = ["--data", str(path)] if name == "nan.csv" else ["--set", f"scene.data={path}"]
        code = main(["render", lesson, "-q", "l", *given, "--media-dir", str(media)])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and err.startswith("gdscenes: error: "), err
    assert str(path) in err and fragment in err, err
    assert not (media / "videos").exists() or not any((media / "videos").iterdir())


def test_toml_spec_with_data(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "hours,passed\n1,0\n2,0\n3,1\n4,0\n5,1\n6,1\n")
    file = tmp_path / "fit.toml"
    file.write_text(f'[scene]\nname = "logistic-fit"\ndata = "{path}"\nsteps = 4\nbatch_size = 3\nseed = 1\n'
                    '[optimizer]\nlr = 1.0\n')
    resolved = spec.from_sources(file)
    t = spec.trajectories(resolved.found)[0]
    assert t.batches.shape == (4, 3) and float(t.hyperparams["lr"]) == 1.0
    assert SCENES["logistic-fit"].get_loss is not None and resolved.scene_class().get_loss().data.m == 6


# -- frames ----------------------------------------------------------------------------
SHORT = dict(steps=3, tol=None, resolution=10, intro_seconds=0.4, hold_seconds=0.4)


def _pixels(points: np.ndarray, width: int, height: int) -> np.ndarray:
    """Frame points of a fixed-in-frame mobject as (column, row) pixels."""
    from manim import config

    fw, fh = float(config.frame_width), float(config.frame_height)
    return np.column_stack([(points[:, 0] / fw + 0.5) * width, (0.5 - points[:, 1] / fh) * height])


def _near(frame: np.ndarray, px: np.ndarray, color: str, radius: int = 2, tol: float = 90.0) -> np.ndarray:
    """Whether a pixel within ``radius`` of each point has ``color``."""
    target = hex_to_rgb(color) * 255
    hits = []
    for c, r in np.round(px).astype(int):
        patch = frame[max(r - radius, 0) : r + radius + 1, max(c - radius, 0) : c + radius + 1].astype(float)
        hits.append(bool((np.linalg.norm(patch - target, axis=-1) < tol).any()))
    return np.array(hits)


def _samples(panel: ModelPanel, theta: np.ndarray) -> np.ndarray:
    """Frame points along the model at ``theta`` inside the plot, away from its ends."""
    seg = panel.segment(theta)
    if len(seg) == 2:
        return seg[0] + np.linspace(0.08, 0.92, 25)[:, None] * (seg[1] - seg[0])
    return seg[5:-5:4]


@pytest.mark.render
@pytest.mark.parametrize("name", DATA_LESSONS)
def test_the_model_is_drawn_where_the_trajectory_puts_it(tmp_path: Path, name: str) -> None:
    from gdscenes.production.render import render
    from tests.conftest import read_frames

    result = render(variant(SCENES[name], **SHORT), name, quality="l", fps=5, media_dir=tmp_path)
    scene, frame = result.scene, read_frames(result.path)[-1]
    height, width = frame.shape[:2]
    panel = scene.model
    finals = [panel.theta_at(i, 1e9) for i in range(len(panel.runs))]
    runs = scene.runs if hasattr(scene, "runs") else None
    trajectories = [r.trajectory for r in runs] if runs else [scene.trajectory]
    for i, (theta, t) in enumerate(zip(finals, trajectories)):
        np.testing.assert_array_equal(theta, t.points[int(t.stop_step[0]), 0])  # the panel's numbers: the trajectory's
        pts = _samples(panel, theta)
        assert len(pts) >= 8
        if len(panel.runs) > 1:  # (leave out where the other run's model is drawn too)
            other = _samples(panel, finals[1 - i])
            far = np.min(np.linalg.norm(pts[:, None, :2] - other[None, :, :2], axis=-1), axis=1) > 0.12
            pts = pts[far] if far.sum() >= 5 else pts
        on = _near(frame, _pixels(pts, width, height), panel.runs[i].color)
        assert on.mean() > 0.8, f"{name}: run {i}'s model drawn at {on.mean():.0%} of its pixels"
    # and not where the start's model was: the line moved with the steps
    start = trajectories[0].points[0, 0]
    moved = _samples(panel, start)
    if len(moved):
        away = np.min(np.linalg.norm(moved[:, None, :2] - _samples(panel, finals[0])[None, :, :2], axis=-1), axis=1) > 0.15
        assert away.sum() >= 3
        assert _near(frame, _pixels(moved[away], width, height), panel.runs[0].color).mean() < 0.3
    # 16:9: the text card above the model panel, apart, both inside the frame and left of the landscape's region
    from manim import config

    from gdscenes.drawing.layout import Layout

    text = getattr(scene, "panel", None) or scene.legend
    top, bottom = text.background, panel.background
    assert top.get_bottom()[1] > bottom.get_top()[1]
    cx, _, w, _ = Layout.current().landscape_rect()
    for card in (top, bottom):
        assert card.get_left()[0] >= -config.frame_width / 2 and card.get_right()[0] <= cx - w / 2
        assert card.get_bottom()[1] >= -config.frame_height / 2 and card.get_top()[1] <= config.frame_height / 2
    assert panel.plot_size[1] >= 1.5  # the plot keeps room: 200 px of a 1080p frame (frame units of an 8-unit-high frame)
    # the data points are drawn where the data put them (the one farthest from every drawn model)
    d = scene.get_loss().data
    rows = panel.shown_rows
    centres = panel.c2p(d.x[rows], d.y[rows])
    curves = np.vstack([_dense(panel, theta) for theta in finals])
    gap = np.min(np.linalg.norm(centres[:, None, :2] - curves[None, :, :2], axis=-1), axis=1)
    i = int(np.argmax(gap))
    assert gap[i] > 0.1
    dot = _pixels(centres[i][None], width, height)
    assert _near(frame, dot, DARK.text, radius=1, tol=120).all()


def _dense(panel: ModelPanel, theta: np.ndarray) -> np.ndarray:
    seg = panel.segment(theta)
    if len(seg) == 2:
        return seg[0] + np.linspace(0.0, 1.0, 200)[:, None] * (seg[1] - seg[0])
    return seg


@pytest.mark.parametrize("scale", [1.0, 0.55])
def test_the_model_stays_on_its_axes_when_a_layout_shrinks_the_panel(scale: float) -> None:
    d = SCENES["fit-line"].get_loss().data
    thetas = np.array([[1.0, 1.0], [1.2, 1.3]])
    panel = ModelPanel("linear_regression", d.x, d.y, d.columns, [ModelRun(thetas, "#FF5A1F", None)], DARK)
    panel.scale(scale).shift([2.0, -1.0, 0.0])  # what Layout.stack does to a panel that does not fit
    axes = panel._origin_mob
    left, bottom = axes.get_corner([-1, -1, 0])[:2]
    right, top = axes.get_corner([1, 1, 0])[:2]
    for theta in thetas:
        (x0, y0, _), (x1, y1, _) = panel.segment(theta)
        assert left - 1e-6 <= min(x0, x1) and max(x0, x1) <= right + 1e-6
        assert bottom - 1e-6 <= min(y0, y1) and max(y0, y1) <= top + 1e-6
    # a data point is drawn where the axes map it (independent of c2p: the dot's own centre)
    i = int(np.argmax(d.x))
    (x0, x1), (y0, y1) = panel.window
    expected = [left + (d.x[i] - x0) / (x1 - x0) * (right - left), bottom + (d.y[i] - y0) / (y1 - y0) * (top - bottom)]
    np.testing.assert_allclose(panel.dots[i].get_center()[:2], expected, atol=1e-6)
