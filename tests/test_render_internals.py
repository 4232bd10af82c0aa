"""The internals lessons rendered at low quality (Cairo, in process), read back with PyAV.

Each checks the drawn numbers against an independent truth (closed-form
Hessian, Adam's hand recurrence) and the picture against what the lesson is
about (the ellipse around the ball, two arrows pointing different ways,
same seed same video).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gdscenes.display.palette import ACCENTS, DARK, hex_to_rgb
from gdscenes.production.render import variant
from gdscenes.scenes.registry import SCENES
from tests.test_render_lessons import SHORT, ball_px, colour_fraction, pixel_of, rendered

pytestmark = pytest.mark.render


def near(frame: np.ndarray, color: str, tol: float = 50) -> np.ndarray:
    return np.linalg.norm(frame.astype(float) - hex_to_rgb(color) * 255, axis=-1) < tol


def himmelblau_hessian(x: float, y: float) -> np.ndarray:
    return np.array([[12 * x**2 + 4 * y - 42, 4 * x + 4 * y], [4 * x + 4 * y, 12 * y**2 + 4 * x - 26]])


def test_curvature_ellipse_is_the_hessian_level_set_around_the_ball(tmp_path: Any) -> None:
    scene, frames = rendered(tmp_path, "curvature", steps=10, tol=None, seconds_per_step=0.2)
    path = scene.shown_path()
    width = float(np.diff(scene.view.domain[0])[0])
    for k, (x, y) in enumerate(path):
        values, vectors = np.linalg.eigh(himmelblau_hessian(x, y))
        for i in range(2):
            length = min(np.sqrt(2 * scene.level / abs(values[i])), 0.3 * width)
            expected = length * vectors[:, i]
            drawn = scene.ellipse.axes[k, i]
            assert np.allclose(drawn, expected, atol=1e-9) or np.allclose(drawn, -expected, atol=1e-9)
        assert scene.ellipse.negative[k].tolist() == (values < 0).tolist()
    assert scene.ellipse.negative[0].all()  # the start is near Himmelblau's maximum: both axes dashed
    # the level is set so that the longer semi-axis at the start is ellipse_size of the domain's width
    assert np.isclose(np.linalg.norm(scene.ellipse.axes[0], axis=1).max(), scene.ellipse_size * width)
    # the panel shows the eigenvalues and the condition number of the last iterate
    keys = [slot.text for slot in scene.panel.values]
    last_values = np.linalg.eigvalsh(himmelblau_hessian(*path[-1]))
    assert keys[6] == f"({last_values[0]:.2f}, {last_values[1]:.2f})"
    assert keys[7] == f"{np.abs(last_values).max() / np.abs(last_values).min():.2f}"
    # in the last frame the outline is drawn (text colour) around the ball
    last = frames[-1]
    ball = np.array(pixel_of(scene, scene.view.resting_points(*path[-1], 0.15), last))
    outline = scene.ellipse.outline.points[::4]
    pixels = np.array([pixel_of(scene, p, last) for p in outline])
    hits = [near(last, DARK.text, 70)[int(r) - 1 : int(r) + 2, int(c) - 1 : int(c) + 2].any() for c, r in pixels]
    assert np.mean(hits) > 0.6
    reach = np.linalg.norm(pixels - ball, axis=1).max()
    assert reach < 0.25 * last.shape[1]  # the ellipse sits at the ball, not elsewhere


def test_momentum_lesson_draws_velocity_and_gradient_arrows_that_part_ways(tmp_path: Any) -> None:
    scene, frames = rendered(tmp_path, "momentum-inertia", steps=8, tol=None, seconds_per_step=0.6)
    t, vec = scene.trajectory, scene.vectors
    lr, scale = float(t.hyperparams["lr"]), scene.arrow_scale
    np.testing.assert_allclose(vec.vectors[0], -lr * scale * t.gradients[:8, 0])
    np.testing.assert_allclose(vec.vectors[1], -lr * scale * t.state["velocity"][:8, 0])
    g, v = vec.vectors
    cos = np.sum(g * v, axis=1) / np.linalg.norm(g, axis=1) / np.linalg.norm(v, axis=1)
    assert cos[0] > 0.999  # v_1 = grad f(theta_0): the first two arrows coincide
    assert cos[1:].min() < np.cos(np.radians(45))  # then inertia carries the ball away from the gradient
    # a frame where both arrows are on screen, their pixels apart
    both = [f for f in frames if near(f, ACCENTS[1]).sum() > 15 and near(f, ACCENTS[3]).sum() > 15]
    assert both
    apart = [np.linalg.norm(np.argwhere(near(f, ACCENTS[1])).mean(0) - np.argwhere(near(f, ACCENTS[3])).mean(0)) for f in both]
    assert max(apart) > 8


def test_adam_ellipse_semi_axes_are_lr_over_sqrt_v_hat_plus_eps(tmp_path: Any) -> None:
    scene, frames = rendered(tmp_path, "adam-preconditioner", steps=6, tol=None, seconds_per_step=0.3)
    t = scene.trajectory
    lr, (b1, b2), eps = t.hyperparams["lr"], t.hyperparams["betas"], t.hyperparams["eps"]
    assert scene.reference == pytest.approx(np.linalg.norm(t.gradients[0, 0]))
    width = float(np.diff(scene.view.domain[0])[0])
    # by hand from the closed-form gradient of (x^2 + 10 y^2) / 2
    theta, m, v = np.array(t.points[0, 0]), np.zeros(2), np.zeros(2)
    for k in range(6):
        g = np.array([theta[0], 10 * theta[1]])
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1 ** (k + 1)), v / (1 - b2 ** (k + 1))
        expected = np.minimum(lr / (np.sqrt(v_hat) + eps) * scene.reference, 0.3 * width)
        np.testing.assert_allclose(scene.precond_ellipse.axes[k], np.diag(expected), rtol=1e-9)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    # the panel's last rows: m and v of the update that left the shown iterate
    k = scene.panel.shown_step
    assert k == 6 and [s.text for s in scene.panel.values][6:] == ["-", "-", "-"]
    last = frames[-1]
    ball = pixel_of(scene, scene.view.resting_points(*t.points[6, 0], 0.15), last)
    assert colour_fraction(last, ball, 6 * ball_px(last), ACCENTS[3]) > 0.01  # the ellipse around the ball


def test_sgd_noise_same_seed_same_video_and_the_noisy_ball_jitters(tmp_path: Any) -> None:
    tiny = dict(steps=4, seconds_per_step=0.2)
    scene, frames = rendered(tmp_path / "a", "sgd-noise", **tiny)
    again, frames_again = rendered(tmp_path / "b", "sgd-noise", **tiny)
    exact, noisy = (r.trajectory for r in scene.runs)
    assert noisy.noise == 2.0 and exact.noise == 0.0
    np.testing.assert_array_equal(noisy.points, again.runs[1].trajectory.points)
    assert frames.shape == frames_again.shape and np.array_equal(frames, frames_again)
    other = variant(SCENES["sgd-noise"], seed=9, **{**SHORT, **tiny})
    assert not np.allclose(other.descend(other.get_loss())[1].trajectory.points, noisy.points)
    # after its first step GD runs straight down the valley; SGD's steps turn about
    def turns(points: np.ndarray) -> np.ndarray:
        d = np.diff(points, axis=0)
        cross = d[1:, 0] * d[:-1, 1] - d[1:, 1] * d[:-1, 0]
        return np.abs(cross) / np.linalg.norm(d[1:], axis=1) / np.linalg.norm(d[:-1], axis=1)

    assert turns(exact.points[1:, 0]).max() < 1e-9
    assert turns(noisy.points[1:, 0]).max() > 0.1
    last = frames[-1]
    ends = [pixel_of(scene, scene.view.resting_points(*r.trajectory.points[-1, 0], 0.15), last) for r in scene.runs]
    assert np.linalg.norm(np.subtract(*ends)) > 3 * ball_px(last)  # the noise took the SGD ball elsewhere
    for run, end in zip(scene.runs, ends):
        assert colour_fraction(last, end, ball_px(last), run.color) > 0.3


def test_derivation_panel_shows_the_trajectory_numbers_of_each_step(tmp_path: Any) -> None:
    from gdscenes.core.worked_step import derive

    scene, frames = rendered(tmp_path, "derivation", steps=3, tol=None, seconds_per_step=0.4)
    t = scene.trajectory
    assert scene.panel.lines == derive(scene.get_loss(), t, 3).lines
    assert scene.derivation.theta == tuple(t.points[3, 0])
    assert scene.derivation.grad == tuple(t.gradients[3, 0])
    # the status line and the largest step block lie inside the card
    card = scene.panel.background
    assert scene.panel.status.get_bottom()[1] > card.get_bottom()[1] + 0.05
    assert scene.panel.step.get_right()[0] < card.get_right()[0]
    # the step block changes with the step: the text in the panel's lower part differs between steps
    from manim import config

    h, w = frames[0].shape[:2]
    panel = scene.panel.background  # fixed in frame: frame coordinates are screen coordinates

    def px(point: np.ndarray) -> tuple[float, float]:
        return point[0] * w / config.frame_width + w / 2, -point[1] * h / config.frame_height + h / 2

    top, bottom = px(panel.get_top())[1], px(panel.get_bottom())[1]
    left, right = px(panel.get_left())[0], px(panel.get_right())[0]
    lower = slice(int((top + bottom) / 2), int(bottom)), slice(int(left), int(right))
    text = [near(f[lower], DARK.text, 80) for f in frames]
    assert text[-1].sum() > 100
    assert any((a ^ b).sum() > 50 for a, b in zip(text, text[1:]))


def test_internals_scene_checks_its_settings() -> None:
    bad = variant(SCENES["sgd-noise"], noise=-1.0)
    with pytest.raises(ValueError, match="noise scale must be a finite number >= 0, got -1.0"):
        bad.check()
    with pytest.raises(ValueError, match="ellipse_size must be positive"):
        variant(SCENES["curvature"], ellipse_size=0.0).check()
    with pytest.raises(ValueError, match="got optimizer 'adam'"):
        variant(SCENES["derivation"], optimizer="adam").check()
