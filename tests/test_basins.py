"""Math of the lessons: thresholds, basins, exits, finish order, pacing, layout."""

from __future__ import annotations

import numpy as np
import pytest

from gdscenes.core.outcomes import basin_map, exit_step, finish_order, learning_rate_ladder, minima_array, reached_minima
from gdscenes.core.runner import run
from gdscenes.core.losses import get_loss


def test_learning_rate_threshold_is_two_over_the_largest_hessian_eigenvalue() -> None:
    loss = get_loss("ill_conditioned")  # Hessian diag(1, 10)
    threshold, rates = learning_rate_ladder(loss, (0.5, 1.05))
    assert threshold == pytest.approx(2 / 10)
    assert rates == pytest.approx([0.1, 0.21])
    expr = get_loss("x^2 + 10*y^2")
    assert learning_rate_ladder(expr, (1.0,), at=(1.0, 1.0))[0] == pytest.approx(2 / 20)


def test_ladder_behaviours_on_the_bowl() -> None:
    from gdscenes.scenes.learning_rate import LearningRateScene

    runs = LearningRateScene.descend(get_loss("quadratic_bowl"))
    domain = LearningRateScene.domain
    small, right, large, beyond = runs
    assert str(right.trajectory.status[0]) == "converged"
    assert str(small.trajectory.status[0]) == "max_steps"  # crawls
    xs = large.trajectory.points[:10, 0, 0]
    assert np.all(np.sign(xs[1:]) == -np.sign(xs[:-1]))  # oscillates about the minimum
    assert small.exit(domain) is None and right.exit(domain) is None and large.exit(domain) is None
    assert beyond.exit(domain) is not None  # diverges out of the plot


def test_basin_map_classifies_each_known_minimum_as_its_own_basin() -> None:
    loss = get_loss("himmelblau")
    basins = basin_map(loss, "gd", lr=0.01, samples=48, steps=300)
    assert basins.labels.shape == (48, 48)
    assert set(np.unique(basins.labels)) == {0, 1, 2, 3}
    minima = minima_array(loss)
    for index, (x, y) in enumerate(minima):
        i = np.argmin(np.abs(basins.ys[:, 0] - y))
        j = np.argmin(np.abs(basins.xs[0] - x))
        assert basins.labels[i, j] == index
    # Every grid start labelled i really ends at minimum i.
    t = run(loss, "gd", start=np.column_stack([basins.xs.ravel(), basins.ys.ravel()]), lr=0.01, steps=300, tol=1e-4)
    ends = t.points[t.stop_step, np.arange(t.n_starts)]
    labelled = basins.labels.ravel() >= 0
    assert np.all(np.linalg.norm(ends[labelled] - minima[basins.labels.ravel()[labelled]], axis=1) < 0.3)


def test_local_minima_lesson_colours_balls_by_the_minimum_they_reach() -> None:
    from gdscenes.display.palette import ACCENTS
    from gdscenes.scenes.local_minima import LocalMinimaScene

    loss = get_loss("himmelblau")
    runs = LocalMinimaScene.descend(loss)
    reached = reached_minima(loss, runs[0].trajectory)
    assert len(set(reached)) >= 3
    assert [r.color for r in runs] == [ACCENTS[m] for m in reached]


def test_exit_step_is_the_first_iterate_outside_the_plot() -> None:
    loss = get_loss("quadratic_bowl")
    t = run(loss, "gd", start=(-1.6, 1.2), lr=1.05, steps=20)
    domain = ((-2.5, 2.5), (-2.5, 2.5))
    k = exit_step(t, domain)
    assert k is not None
    assert np.all(np.abs(t.points[:k, 0]) <= 2.5) and np.any(np.abs(t.points[k, 0]) > 2.5)
    assert exit_step(run(loss, "gd", start=(-1.6, 1.2), lr=0.5, steps=20), domain) is None


def test_finish_order_ranks_converged_runs_by_step_then_the_rest_by_loss() -> None:
    from gdscenes.scenes.race import OptimizerRaceScene

    runs = OptimizerRaceScene.descend(get_loss("ill_conditioned"))
    trajectories = [r.trajectory for r in runs]
    order = finish_order(trajectories)
    steps = [int(trajectories[i].stop_step[0]) for i in order]
    assert all(str(trajectories[i].status[0]) == "converged" for i in order)
    assert steps == sorted(steps)
    loss = get_loss("himmelblau")
    slow = run(loss, "gd", start=(0, 0), lr=0.001, steps=3, tol=1e-3)
    fast = run(loss, "gd", start=(0, 0), lr=0.01, steps=100, tol=1e-3)
    assert finish_order([slow, fast]) == [1, 0]


def test_edge_crossing_lies_on_the_domain_edge() -> None:
    from gdscenes.drawing.ball import edge_crossing

    point = edge_crossing(((-1, 1), (-1, 1)), np.array([0.0, 0.0]), np.array([3.0, 1.0]))
    assert point == pytest.approx([1.0, 1 / 3])


def test_long_runs_are_paced_to_fit_and_short_runs_are_linear() -> None:
    from gdscenes.scenes.lesson import step_pacing

    seconds, rate = step_pacing(10, 0.3, 10.0)
    assert seconds == pytest.approx(3.0) and rate(0.5) == pytest.approx(0.5)
    seconds, rate = step_pacing(5000, 0.3, 10.0)
    assert seconds == 10.0 and rate(0.0) == 0.0 and rate(1.0) == pytest.approx(1.0)
    assert rate(0.5) * 5000 < 100  # the first half of the time shows the first steps


def test_layout_stacks_text_above_the_landscape_in_a_tall_frame() -> None:
    from gdscenes.drawing.camera import Orbit
    from gdscenes.drawing.layout import Layout

    wide, tall = Layout(128 / 9, 8.0), Layout(8.0, 128 / 9)
    assert not wide.portrait and tall.portrait
    assert wide.orbit(Orbit()) == Orbit()
    placed = tall.orbit(Orbit())
    assert placed.screen_offset[0] == 0.0 and placed.screen_offset[1] < -2.0
    corner, room = tall.text_box
    assert corner[1] - room > placed.screen_offset[1] + 2.0  # text ends above the landscape's centre band
