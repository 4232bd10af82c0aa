"""Losses over named parameters: 1D curves, data models (linear and logistic regression), real minibatch SGD.

Truth comes from outside the code under test: numpy's least squares, a
Newton iteration written here, closed forms, sums written out in numpy.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from gdscenes.cli.main import main
from gdscenes.core.data import DATASETS, MAX_ROWS, DataError, make_model, read_csv
from gdscenes.core.losses import THETA0, X, get_loss
from gdscenes.core.runner import run
from gdscenes.core.trajectory import Trajectory


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def write_csv(folder: Path, rows: list[tuple[float, float]], header: str | None = "x,y", name: str = "d.csv") -> Path:
    path = folder / name
    lines = ([header] if header else []) + [f"{float(a)!r},{float(b)!r}" for a, b in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


# --------------------------------------------------------------------------- #
# named parameters, 1D losses
# --------------------------------------------------------------------------- #
def test_x_alone_is_a_1d_loss_and_x_y_a_surface():
    curve = get_loss("x^2 - 2*x")
    assert curve.params == (X,) and curve.dim == 1 and curve.param_names == ("x",)
    assert curve.domain == ((-3.0, 3.0),) and len(curve.start) == 1
    assert curve.value(3.0) == 3.0 and curve.gradient(3.0).tolist() == [4.0]
    assert curve.hessian(np.array([0.0, 1.0])).shape == (2, 1, 1)
    assert curve.max_stable_lr(1.0) == 1.0  # 2 / f'' = 2 / 2
    surface = get_loss("x^2 + y")
    assert surface.dim == 2 and surface.param_names == ("x", "y")
    assert get_loss("himmelblau").dim == 2
    model = get_loss("(theta0 + 2*theta1 - 3)^2")
    assert model.param_names == ("theta0", "theta1")
    assert get_loss("theta0^2").params == (THETA0,)
    # a name written in the formula counts even where sympy drops it: still a surface (a trough)
    assert get_loss("x^2 + 0*y").dim == 2


@pytest.mark.parametrize("text, fragment", [("x + theta1", "not both"), ("w*x", "unknown name 'w'")])
def test_parameter_names_are_checked(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        get_loss(text)


@pytest.mark.parametrize("a, lr", [(1.5, 0.1), (0.5, 0.9), (2.0, 0.3)])
def test_1d_gd_on_a_quadratic_is_the_closed_form(a, lr):
    # f = a x^2, f' = 2 a x: x_k = (1 - 2 a lr)^k x_0
    t = run(get_loss(f"{a}*x^2"), "gd", start=1.25, lr=lr, steps=12)
    k = np.arange(13)
    np.testing.assert_allclose(t.points[:, 0, 0], (1 - 2 * a * lr) ** k * 1.25, rtol=1e-12, atol=1e-300)
    assert t.points.shape == (13, 1, 1) and t.gradients.shape == (13, 1, 1) and t.dim == 1


def test_1d_many_starts_and_divergence_beyond_2_over_curvature():
    # f = x^2 (f'' = 2): lr above 2 / 2 = 1 diverges, and the frozen rows stay finite
    t = run(get_loss("x^2"), "gd", start=[0.5, -1.0, 2.0], lr=1.1, steps=60)
    assert t.points.shape == (61, 3, 1)
    assert set(t.status.tolist()) == {"diverged"} and np.isfinite(t.points).all()
    ok = run(get_loss("x^2"), "gd", start=[0.5, -1.0], lr=0.9, steps=200, tol=1e-9)
    assert set(ok.status.tolist()) == {"converged"}


def test_1d_trajectory_files():
    t = run(get_loss("x^2"), "momentum", start=1.0, lr=0.1, steps=2)
    lines = t.to_csv(internals=True).splitlines()
    assert lines[0] == "step,x,loss,grad_x,status,velocity_x,precond_x"
    assert lines[1] == "0,1.0,1.0,2.0,running,2.0,0.1"
    back = Trajectory.from_json(t.to_json())
    np.testing.assert_array_equal(back.points, t.points)
    assert back.params == ("x",) and back.bound == t.bound and len(back.bound) == 1


def test_1d_start_must_be_inside_the_bound():
    with pytest.raises(ValueError, match=r"start \(100.0\) is outside the domain bound x in \[-30, 30\]"):
        run(get_loss("x^2"), "gd", start=100.0)


# --------------------------------------------------------------------------- #
# linear regression
# --------------------------------------------------------------------------- #
def test_linear_regression_value_and_gradient_are_the_sums(tmp_path):
    rng = np.random.default_rng(5)
    x = rng.uniform(-2, 3, 30)
    y = 0.5 - 1.2 * x + rng.normal(0, 0.3, 30)
    loss = make_model("linear_regression", read_csv(write_csv(tmp_path, list(zip(x, y)))))
    m = 30
    for t0, t1 in [(0.0, 0.0), (1.5, -0.25)]:
        r = t0 + t1 * x - y
        assert loss.value(t0, t1) == pytest.approx(np.sum(r**2) / (2 * m), rel=1e-13)
        np.testing.assert_allclose(loss.gradient(t0, t1), [r.sum() / m, (r * x).sum() / m], rtol=1e-12)
        np.testing.assert_allclose(loss.hessian(t0, t1), [[1, x.mean()], [x.mean(), (x * x).mean()]], rtol=1e-12)
    # broadcasting over a grid of parameters
    g0, g1 = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-2, 0, 3))
    vals = loss.value(g0, g1)
    assert vals.shape == (3, 4)
    assert vals[2, 1] == pytest.approx(np.sum((g0[2, 1] + g1[2, 1] * x - y) ** 2) / 60, rel=1e-13)


def test_linear_regression_converges_to_least_squares():
    loss = make_model("linear_regression")  # bundled 'housing'
    d = DATASETS["housing"]()
    a = np.column_stack([np.ones(d.m), d.x])
    expected = np.linalg.lstsq(a, d.y, rcond=None)[0]
    t = run(loss, "gd", lr=0.25, steps=3000, tol=1e-12)
    assert t.params == ("theta0", "theta1") and t.status[0] == "converged"
    np.testing.assert_allclose(t.final_points[0], expected, atol=1e-9)
    np.testing.assert_allclose(loss.minima[0].point, expected, atol=1e-12)
    # Newton solves a quadratic in one step
    t = run(loss, "newton", steps=1)
    np.testing.assert_allclose(t.points[1, 0], expected, atol=1e-10)


# --------------------------------------------------------------------------- #
# logistic regression
# --------------------------------------------------------------------------- #
def newton_logistic(x: np.ndarray, y: np.ndarray, iters: int = 50) -> np.ndarray:
    """An independent Newton iteration for the mean cross-entropy of sigmoid(theta0 + theta1 x)."""
    a = np.column_stack([np.ones_like(x), x])
    theta = np.zeros(2)
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(a @ theta)))
        g = a.T @ (p - y) / len(y)
        h = (a * (p * (1 - p))[:, None]).T @ a / len(y)
        theta = theta - np.linalg.solve(h, g)
    return theta


def test_logistic_regression_value_is_the_cross_entropy():
    loss = make_model("logistic_regression")  # bundled 'exam'
    d = loss.data
    assert set(np.unique(d.y)) == {0.0, 1.0}
    t0, t1 = -1.0, 0.4
    p = 1 / (1 + np.exp(-(t0 + t1 * d.x)))
    assert loss.value(t0, t1) == pytest.approx(-np.mean(d.y * np.log(p) + (1 - d.y) * np.log(1 - p)), rel=1e-12)
    np.testing.assert_allclose(loss.gradient(t0, t1), [np.mean(p - d.y), np.mean((p - d.y) * d.x)], rtol=1e-12)
    # no overflow far out: softplus and sigmoid are evaluated stably
    far = loss.value(800.0, 0.0)
    assert np.isfinite(far) and np.isfinite(loss.gradient(800.0, -300.0)).all()


def test_logistic_regression_converges_to_newtons_solution(tmp_path):
    rng = np.random.default_rng(11)
    x = rng.uniform(-2, 2, 80)
    y = (rng.random(80) < 1 / (1 + np.exp(-(0.3 + 1.5 * x)))).astype(float)
    loss = make_model("logistic_regression", str(write_csv(tmp_path, list(zip(x, y)), header="hours,passed")))
    expected = newton_logistic(x, y)
    t = run(loss, "gd", lr=2.0, steps=20000, tol=1e-11)
    assert t.status[0] == "converged"
    np.testing.assert_allclose(t.final_points[0], expected, atol=1e-8)
    t = run(loss, "newton", steps=12)
    np.testing.assert_allclose(t.final_points[0], expected, atol=1e-12)
    assert loss.data.columns == ("hours", "passed")


# --------------------------------------------------------------------------- #
# minibatch SGD
# --------------------------------------------------------------------------- #
def test_minibatches_are_deterministic_by_seed_and_cover_each_epoch():
    loss = make_model("linear_regression")
    a = run(loss, "gd", lr=0.1, steps=20, batch_size=10, seed=4)
    b = run(loss, "gd", lr=0.1, steps=20, batch_size=10, seed=4)
    c = run(loss, "gd", lr=0.1, steps=20, batch_size=10, seed=5)
    np.testing.assert_array_equal(a.points, b.points)
    np.testing.assert_array_equal(a.batches, b.batches)
    assert not np.array_equal(a.points, c.points)
    assert a.batches.shape == (20, 10) and a.batch_size == 10
    # 47 rows in batches of 10: an epoch is 5 batches, the last one 7 rows and 3 pads of -1
    epoch = a.batches[:5].ravel()
    assert sorted(epoch[epoch >= 0].tolist()) == list(range(47)) and (epoch == -1).sum() == 3
    assert (a.batches[4] == -1).sum() == 3 and (a.batches[5] >= 0).all()


def test_the_batch_gradient_is_the_exact_gradient_of_the_batch():
    loss = make_model("linear_regression")
    d = loss.data
    t = run(loss, "momentum", lr=0.05, steps=8, batch_size=6, seed=0, start=[(0.0, 0.0), (2.0, -1.0)])
    used = t.internals["grad_used"]
    for k in range(8):
        rows = t.batches[k][t.batches[k] >= 0]
        for i in range(2):
            t0, t1 = t.points[k, i]
            r = t0 + t1 * d.x[rows] - d.y[rows]
            np.testing.assert_allclose(used[k, i], [r.mean(), (r * d.x[rows]).mean()], rtol=1e-12)
    # and momentum descended along exactly those gradients
    v = np.zeros(2)
    p = np.array([0.0, 0.0])
    for k in range(8):
        v = 0.9 * v + used[k, 0]
        p = p - 0.05 * v
        np.testing.assert_allclose(t.points[k + 1, 0], p, rtol=1e-12)
    # the recorded full gradients stay exact
    np.testing.assert_allclose(t.gradients[3, 0], loss.gradient(*t.points[3, 0]), rtol=1e-13)


def test_full_batch_is_gradient_descent():
    loss = make_model("linear_regression")
    full = run(loss, "gd", lr=0.1, steps=5, batch_size=loss.m, seed=1)
    exact = run(loss, "gd", lr=0.1, steps=5)
    np.testing.assert_allclose(full.points, exact.points, rtol=1e-12)


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"batch_size": 0}, "batch_size must be an int between 1 and the number of samples (47)"),
        ({"batch_size": 48}, "between 1 and the number of samples (47)"),
        ({"batch_size": 5, "noise": 0.1}, "not both"),
    ],
)
def test_bad_minibatch_settings(kwargs, fragment):
    with pytest.raises(ValueError) as info:
        run(make_model("linear_regression"), "gd", lr=0.1, steps=3, **kwargs)
    assert fragment in str(info.value)


def test_batch_size_needs_data():
    with pytest.raises(ValueError, match="batch_size needs a data model"):
        run(get_loss("x^2 + y^2"), "gd", start=(1, 1), steps=2, batch_size=3)


# --------------------------------------------------------------------------- #
# the command line
# --------------------------------------------------------------------------- #
def test_cli_trajectory_of_a_data_model(capsys, tmp_path):
    path = write_csv(tmp_path, [(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)], header=None)  # y = 1 + 2 x exactly
    code, out, err = run_cli(capsys, "trajectory", "linear_regression", "--data", str(path), "--optimizer", "newton",
                             "--start", "0,0", "--steps", "1")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "step,theta0,theta1,loss,grad_theta0,grad_theta1,status"
    theta0, theta1 = (float(v) for v in lines[2].split(",")[1:3])
    assert theta0 == pytest.approx(1.0, abs=1e-12) and theta1 == pytest.approx(2.0, abs=1e-12)


def test_cli_options_schedule_and_minibatches(capsys):
    code, out, err = run_cli(capsys, "trajectory", "linear_regression", "--optimizer", "adamw", "--lr", "0.1",
                             "--steps", "4", "--option", "weight_decay=0.05", "--option", "betas=0.8,0.99",
                             "--schedule", "cosine", "--schedule-option", "T_max=4", "--batch-size", "8", "--seed", "3",
                             "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["hyperparams"] == {"lr": 0.1, "betas": [0.8, 0.99], "eps": 1e-8, "weight_decay": 0.05}
    assert data["schedule"] == {"name": "cosine", "T_max": 4, "eta_min": 0.0}
    np.testing.assert_allclose(data["lrs"], [0.1, 0.05 * (1 + np.sqrt(0.5)), 0.05, 0.05 * (1 - np.sqrt(0.5))], rtol=1e-14)
    assert data["batch_size"] == 8 and np.shape(data["batches"]) == (4, 8) and data["seed"] == 3
    assert data["params"] == ["theta0", "theta1"]


def test_cli_1d_start_takes_one_number(capsys):
    code, out, _ = run_cli(capsys, "trajectory", "x^2", "--start", "-1.5", "--lr", "0.25", "--steps", "1")
    assert code == 0
    assert out.splitlines() == ["step,x,loss,grad_x,status", "0,-1.5,2.25,-3.0,running", "1,-0.75,0.5625,-1.5,max_steps"]
    code, _, err = run_cli(capsys, "trajectory", "x^2", "--start", "1,2")
    assert code == 2 and "--start must be 1 comma-separated numbers" in err


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["x^2+y^2", "--data", "housing"], "--data needs a data model as LOSS"),
        (["x^2+y^2", "--option", "weight_decay"], "is not KEY=VALUE"),
        (["x^2+y^2", "--option", "momentum=fast", "--optimizer", "momentum"], "must be a number"),
        (["x^2+y^2", "--schedule-option", "T_max=3"], "--schedule-option needs --schedule"),
        (["x^2+y^2", "--optimizer", "adamw", "--option", "weight_dacay=0.1"], "did you mean 'weight_decay'?"),
        (["x^2+y^2", "--schedule", "cosine"], "needs T_max=..."),
        (["linear_regression", "--batch-size", "0"], "batch_size must be an int between 1 and the number of samples (47), got 0"),
        (["x^2+y^2", "--optimizer", "adamw", "--betas", "0.9,0.9", "--option", "betas=0.9,0.99"], "both given"),
    ],
)
def test_cli_refusals(capsys, argv, fragment):
    code, out, err = run_cli(capsys, "trajectory", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("gdscenes: error: ") and fragment in err, err


BAD_DATA = [
    ("one_column.csv", "x\n1\n2\n", None, "row 1: expected 2 columns (feature, target), found 1"),
    ("three.csv", "1,2\n3,4,5\n", None, "row 2: expected 2 columns (feature, target), found 3"),
    ("text.csv", "x,y\n1,2\n3,abc\n", None, "row 3, column 2 (target): 'abc' is not a number"),
    ("nan.csv", "1,2\nnan,4\n", None, "row 2, column 1 (feature): 'nan' is not finite"),
    ("inf.csv", "x,y\n1,2\n\n3,-inf\n", None, "row 4, column 2 (target): '-inf' is not finite"),
    ("empty.csv", "", None, "no data rows"),
    ("header_only.csv", "x,y\n", None, "no data rows"),
    ("labels.csv", "x,y\n1,0\n2,1\n3,0.5\n", "logistic_regression", "row 4, column 2 (target): '0.5' is not 0 or 1"),
    ("empty_field.csv", "1,2\n,3\n", None, "row 2, column 1 (feature): '' is not a number"),
]


@pytest.mark.parametrize("name, text, model, fragment", BAD_DATA)
def test_bad_data_is_one_line_naming_file_row_and_column(capsys, tmp_path, name, text, model, fragment):
    path = tmp_path / name
    path.write_text(text)
    code, out, err = run_cli(capsys, "trajectory", model or "linear_regression", "--data", str(path), "--steps", "1")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("gdscenes: error: data file ")
    assert str(path) in err and fragment in err, err


def test_too_many_rows(capsys, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("1,2\n" * (MAX_ROWS + 1))
    code, _, err = run_cli(capsys, "trajectory", "linear_regression", "--data", str(path), "--steps", "1")
    assert code == 2 and f"row {MAX_ROWS + 1}: more than {MAX_ROWS} data rows" in err and str(path) in err


@pytest.mark.parametrize("kind", ["folder", "missing", "fifo"])
def test_data_must_be_a_regular_file(capsys, tmp_path, kind):
    path = tmp_path / "data"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(path)
    code, _, err = run_cli(capsys, "trajectory", "linear_regression", "--data", str(path), "--steps", "1")
    expected = {"folder": "is a folder", "missing": "does not exist", "fifo": "is a FIFO; allowed: a regular file"}[kind]
    assert code == 2 and str(path) in err and expected in err and err.count("\n") == 1


def test_read_csv_header_is_optional_and_names_the_columns(tmp_path):
    with_header = read_csv(write_csv(tmp_path, [(1.0, 2.0), (3.0, 4.0)], header="size,price"))
    without = read_csv(write_csv(tmp_path, [(1.0, 2.0), (3.0, 4.0)], header=None, name="e.csv"))
    np.testing.assert_array_equal(with_header.x, without.x)
    assert with_header.columns == ("size", "price") and without.m == 2
    with pytest.raises(DataError):
        read_csv(write_csv(tmp_path, [], header="a,b", name="f.csv"))


def test_bundled_data_sets_are_generated_the_same_every_time():
    for make in DATASETS.values():
        a, b = make(), make()
        np.testing.assert_array_equal(a.x, b.x)
        np.testing.assert_array_equal(a.y, b.y)
    assert DATASETS["exam"]().m == 60 and DATASETS["housing"]().m == 47
