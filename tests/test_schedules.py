"""Learning-rate schedules (torch.optim.lr_scheduler's rules) against rates worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdscenes.core.losses import get_loss
from gdscenes.core.runner import run
from gdscenes.core.schedules import SCHEDULES, make_schedule
from gdscenes.core.trajectory import Trajectory


def test_names():
    assert list(SCHEDULES) == ["constant", "step", "exponential", "cosine", "linear"]


def test_step_lr():
    # StepLR(step_size=2, gamma=0.5): 1, 1, 0.5, 0.5, 0.25
    assert make_schedule("step", step_size=2, gamma=0.5).rates(1.0, 5).tolist() == [1.0, 1.0, 0.5, 0.5, 0.25]
    # torch's default gamma is 0.1
    np.testing.assert_allclose(make_schedule("step", step_size=3).rates(0.2, 7), [0.2] * 3 + [0.02] * 3 + [0.002], rtol=1e-14)


def test_exponential_lr():
    np.testing.assert_allclose(make_schedule("exponential", gamma=0.9).rates(0.5, 4), [0.5, 0.45, 0.405, 0.3645], rtol=1e-14)


def test_cosine_annealing_closed_form():
    r = make_schedule("cosine", T_max=4, eta_min=0.1).rates(1.0, 9)
    expected = [1.0, 0.1 + 0.9 * (1 + math.sqrt(0.5)) / 2, 0.55, 0.1 + 0.9 * (1 - math.sqrt(0.5)) / 2, 0.1]
    np.testing.assert_allclose(r[:5], expected, rtol=1e-14)
    np.testing.assert_allclose(r[5:], expected[3::-1], rtol=1e-12)  # the closed form is periodic past T_max
    assert make_schedule("cosine", T_max=10).params["eta_min"] == 0.0


def test_linear_warm_up():
    # defaults start_factor = 1/3, end_factor = 1, total_iters = 5
    r = make_schedule("linear").rates(0.3, 8)
    np.testing.assert_allclose(r[:3], [0.1, 0.3 * (1 / 3 + (2 / 3) / 5), 0.3 * (1 / 3 + (2 / 3) * 2 / 5)], rtol=1e-14)
    np.testing.assert_allclose(r[5:], [0.3] * 3, rtol=1e-14)
    r = make_schedule("linear", start_factor=0.5, end_factor=0.0, total_iters=2).rates(1.0, 4)
    np.testing.assert_allclose(r, [0.5, 0.25, 0.0, 0.0], atol=1e-15)


def test_constant_is_the_default():
    assert make_schedule(None).rates(0.1, 3).tolist() == [0.1, 0.1, 0.1]


def test_run_uses_the_scheduled_rate_at_each_step():
    # gd on f = x^2: x_{k+1} = (1 - 2 eta_k) x_k with eta = 0.1, 0.1, 0.05, 0.05 (step_size 2, gamma 0.5)
    t = run(get_loss("x^2"), "gd", start=1.0, lr=0.1, steps=4, schedule="step", schedule_options={"step_size": 2, "gamma": 0.5})
    np.testing.assert_allclose(t.lrs, [0.1, 0.1, 0.05, 0.05], rtol=1e-15)
    np.testing.assert_allclose(t.points[:, 0, 0], [1.0, 0.8, 0.64, 0.576, 0.5184], rtol=1e-14)
    assert t.schedule == {"name": "step", "step_size": 2, "gamma": 0.5}
    # the CSV gets an lr column (empty on the last row); JSON round-trips the rates
    lines = t.to_csv().splitlines()
    assert lines[0] == "step,x,loss,grad_x,status,lr"
    assert lines[3].endswith(",0.05") and lines[-1].endswith("max_steps,")
    back = Trajectory.from_json(t.to_json())
    np.testing.assert_array_equal(back.lrs, t.lrs)
    assert back.schedule == t.schedule and back.params == ("x",)


def test_schedules_apply_to_adaptive_optimizers():
    # Adam's first step is ~ -eta_0 * sign(g); with linear warm-up eta_0 = lr / 3
    t = run(get_loss("x^2 + y^2"), "adam", start=(1.0, -1.0), lr=0.3, steps=1, schedule="linear")
    np.testing.assert_allclose(t.updates[0, 0], [-0.1, 0.1], rtol=1e-6)


def test_without_a_schedule_lrs_is_the_constant_rate():
    t = run(get_loss("x^2 + y^2"), "momentum", start=(1.0, 1.0), lr=0.05, steps=3)
    assert t.lrs.tolist() == [0.05] * 3 and t.schedule is None
    assert t.to_csv().splitlines()[0] == "step,x,y,loss,grad_x,grad_y,status"


@pytest.mark.parametrize(
    "name, options, fragment",
    [
        ("cosinus", {}, "did you mean 'cosine'?"),
        ("cosine", {}, "needs T_max=..."),
        ("step", {"step_size": 0}, "step_size must be a positive int"),
        ("step", {"step_size": 2.5}, "step_size must be a positive int"),
        ("exponential", {"gamma": -1.0}, "gamma must be positive"),
        ("linear", {"start_factor": 0.0}, "start_factor must be in (0, 1]"),
        ("cosine", {"T_max": 5, "tmax": 3}, "unknown option 'tmax'"),
        ("cosine", {"T_max": 5, "eta_min": float("inf")}, "eta_min must be finite"),
    ],
)
def test_bad_schedules(name, options, fragment):
    with pytest.raises(ValueError) as info:
        make_schedule(name, **options)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_a_schedule_may_reach_zero_and_then_the_point_stays():
    t = run(get_loss("x^2"), "gd", start=1.0, lr=0.1, steps=4, schedule="linear",
            schedule_options={"start_factor": 0.5, "end_factor": 0.0, "total_iters": 2})
    np.testing.assert_allclose(t.lrs, [0.05, 0.025, 0.0, 0.0], atol=1e-17)
    np.testing.assert_allclose(t.points[:, 0, 0], [1.0, 0.9, 0.855, 0.855, 0.855], rtol=1e-14)


def test_run_refuses_a_schedule_that_overflows():
    with pytest.raises(ValueError, match=r"gives learning rate inf at step \d+; each must be finite"):
        run(get_loss("x^2"), "gd", start=1.0, lr=0.1, steps=3000, schedule="exponential", schedule_options={"gamma": 2.0})


def test_the_schedule_plots_card_holds_its_title_however_narrow_it_is_asked() -> None:
    """A square frame asks for a narrow plot: the card grows to hold its title ("learning rate  eta_k")
    with the card's padding on both sides (before, the eta_k touched the card's edge)."""
    import numpy as np

    from gdscenes.display.palette import DARK
    from gdscenes.drawing.card import PAD
    from gdscenes.drawing.schedule_plot import SchedulePlot

    for width in (1.0, 2.0, 5.0):
        plot = SchedulePlot([np.full(40, 0.15), np.linspace(0.15, 0.0, 40)], ["#ff0000", "#00ff00"], DARK, width=width)
        title = plot.submobjects[1].submobjects[0]
        assert plot.background.get_right()[0] - title.get_right()[0] >= PAD - 1e-9
        assert title.get_left()[0] - plot.background.get_left()[0] >= PAD - 1e-9
        assert plot.background.width >= width - 1e-9
